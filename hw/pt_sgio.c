/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pt.h over SG_IO (sg v3 interface, Linux include/scsi/sg.h). The result
 * is decoded in sg3_utils' order (sg_err_category_new): a CHECK CONDITION
 * or DRIVER_SENSE means the device answered, so the sense decides; then
 * host_status (transport); then driver_status; then other SCSI status.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <scsi/sg.h>

#include "hw/pt_sgio.h"
#include "hw/scsi.h"

#define SGIO_SENSE_MAX		64
#define SGIO_VERSION_MIN	30000		/* sg v3: sg_io_hdr */
#define SAM_STAT_BUSY		0x08
#define SAM_STAT_RESERVATION_CONFLICT 0x18
#define SAM_STAT_COMMAND_TERMINATED 0x22	/* obsolete, still decoded by sg3_utils */
#define SAM_STAT_TASK_SET_FULL	0x28
#define ATA_16			0x85
#define ATA16_TMO_NS		(10ULL * 1000000000ULL)

struct sgio_dev {
	int fd;
	int version;
	const struct sgio_sys *sys;
	struct sgio_result last;
	char node[128];
};

static int sys_open(const char *path, int flags)
{
	int fd = open(path, flags);

	return fd < 0 ? -errno : fd;
}

static int sys_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static int sys_close(int fd)
{
	return close(fd) < 0 ? -errno : 0;
}

const struct sgio_sys sgio_sys_linux = {
	.open = sys_open,
	.ioctl = sys_ioctl,
	.close = sys_close,
};

const char *sgio_host_name(unsigned host_status)
{
	static const char *const names[] = {
		"DID_OK", "DID_NO_CONNECT", "DID_BUS_BUSY", "DID_TIME_OUT", "DID_BAD_TARGET",
		"DID_ABORT", "DID_PARITY", "DID_ERROR", "DID_RESET", "DID_BAD_INTR",
		"DID_PASSTHROUGH", "DID_SOFT_ERROR", "DID_IMM_RETRY", "DID_REQUEUE",
		"DID_TRANSPORT_DISRUPTED", "DID_TRANSPORT_FAILFAST", "DID_TARGET_FAILURE",
		"DID_NEXUS_FAILURE",
	};

	return host_status < sizeof(names) / sizeof(names[0]) ? names[host_status] : "DID_?";
}

const char *sgio_driver_name(unsigned driver_status)
{
	static const char *const names[] = {
		"DRIVER_OK", "DRIVER_BUSY", "DRIVER_SOFT", "DRIVER_MEDIA", "DRIVER_ERROR",
		"DRIVER_INVALID", "DRIVER_TIMEOUT", "DRIVER_HARD", "DRIVER_SENSE",
	};
	unsigned d = driver_status & SGIO_DRIVER_MASK;

	return d < sizeof(names) / sizeof(names[0]) ? names[d] : "DRIVER_?";
}

const struct sgio_result *sgio_last(const struct pt *pt)
{
	return &((const struct sgio_dev *)pt->priv)->last;
}

int sgio_version(const struct pt *pt)
{
	return ((const struct sgio_dev *)pt->priv)->version;
}

static int sgio_fail(struct pt *pt, int ret, const struct pt_cmd *c, const char *why)
{
	const struct sgio_dev *sd = pt->priv;
	const struct sgio_result *r = &sd->last;

	snprintf(pt->errmsg, sizeof(pt->errmsg),
		 "%s: opcode %02xh: %s (host_status 0x%02x %s, driver_status 0x%02x %s, status 0x%02x)",
		 sd->node, c->cdb[0], why, r->host_status, sgio_host_name(r->host_status),
		 r->driver_status, sgio_driver_name(r->driver_status), r->status);
	return ret;
}

/* A CHECK CONDITION (or DRIVER_SENSE): the device answered; its sense key decides. */
static int sgio_sense(struct pt_cmd *c, const uint8_t *sb, unsigned sb_len)
{
	c->status = SAM_STAT_CHECK_CONDITION;
	scsi_sense_parse(&c->sense, sb, sb_len);
	/* sg3_utils sg_cmds_process_resp(): NO SENSE and RECOVERED ERROR count as success. */
	if (c->sense.valid && (c->sense.key == NO_SENSE || c->sense.key == RECOVERED_ERROR)) {
		c->status = SAM_STAT_GOOD;
		return 0;
	}
	return -EIO;
}

static int sgio_decode(struct pt *pt, struct pt_cmd *c, const uint8_t *sb, unsigned sb_len)
{
	const struct sgio_result *r = &((const struct sgio_dev *)pt->priv)->last;
	unsigned status = r->status & 0x7e;
	unsigned drv = r->driver_status & SGIO_DRIVER_MASK;

	c->status = (uint8_t)status;
	if (!status && !r->host_status && !drv)
		return 0;
	if (status == SAM_STAT_CHECK_CONDITION || status == SAM_STAT_COMMAND_TERMINATED ||
	    drv == SGIO_DRIVER_SENSE)
		return sgio_sense(c, sb, sb_len);
	switch (r->host_status) {
	case SGIO_DID_OK:
		break;
	case SGIO_DID_TIME_OUT:
		return sgio_fail(pt, -ETIMEDOUT, c, "command timed out");
	case SGIO_DID_NO_CONNECT:
	case SGIO_DID_BAD_TARGET:
	case SGIO_DID_TRANSPORT_FAILFAST:
		return sgio_fail(pt, -ENODEV, c, "device not reachable");
	case SGIO_DID_BUS_BUSY:
	case SGIO_DID_SOFT_ERROR:
	case SGIO_DID_IMM_RETRY:
	case SGIO_DID_REQUEUE:
	case SGIO_DID_TRANSPORT_DISRUPTED:
		return sgio_fail(pt, -EAGAIN, c, "transport busy, retry may work");
	case SGIO_DID_ABORT:
	case SGIO_DID_RESET:
		return sgio_fail(pt, -ECONNRESET, c, "command aborted or bus reset");
	case SGIO_DID_NEXUS_FAILURE:
		return sgio_fail(pt, -EBUSY, c, "reservation conflict");
	default:
		return sgio_fail(pt, -EPROTO, c, "host adapter error");
	}
	switch (drv) {
	case SGIO_DRIVER_OK:
		break;
	case SGIO_DRIVER_TIMEOUT:
		return sgio_fail(pt, -ETIMEDOUT, c, "command timed out");
	case SGIO_DRIVER_BUSY:
	case SGIO_DRIVER_SOFT:
		return sgio_fail(pt, -EAGAIN, c, "driver busy, retry may work");
	default:
		return sgio_fail(pt, -EPROTO, c, "driver error");
	}
	switch (status) {
	case SAM_STAT_BUSY:
	case SAM_STAT_TASK_SET_FULL:
		return sgio_fail(pt, -EAGAIN, c, "device busy");
	case SAM_STAT_RESERVATION_CONFLICT:
		return sgio_fail(pt, -EBUSY, c, "reservation conflict");
	}
	return sgio_fail(pt, -EPROTO, c, "unexpected SCSI status");
}

static unsigned sgio_timeout_ms(uint64_t ns)
{
	uint64_t ms;

	if (!ns)
		ns = SGIO_TMO_DEFAULT_NS;
	ms = (ns + 999999) / 1000000;
	return ms > UINT_MAX ? UINT_MAX : (unsigned)ms;
}

static int sgio_exec(struct pt *pt, struct pt_cmd *c)
{
	struct sgio_dev *sd = pt->priv;
	uint8_t sb[SGIO_SENSE_MAX] = { 0 };
	struct sg_io_hdr h;
	int ret;

	memset(&c->sense, 0, sizeof(c->sense));
	c->status = SAM_STAT_GOOD;
	c->xfer = 0;
	memset(&sd->last, 0, sizeof(sd->last));
	if (!c->cdb_len || c->cdb_len > sizeof(c->cdb) || c->len > UINT_MAX ||
	    (c->len && c->dir != PT_NONE && !c->buf))
		return -EINVAL;
	memset(&h, 0, sizeof(h));
	h.interface_id = 'S';
	h.dxfer_direction = c->dir == PT_IN ? SG_DXFER_FROM_DEV :
			    c->dir == PT_OUT ? SG_DXFER_TO_DEV : SG_DXFER_NONE;
	if (c->dir == PT_NONE || !c->len)
		h.dxfer_direction = SG_DXFER_NONE;
	else {
		h.dxferp = c->buf;
		h.dxfer_len = (unsigned)c->len;
	}
	h.cmd_len = (unsigned char)c->cdb_len;
	h.cmdp = c->cdb;
	h.mx_sb_len = sizeof(sb);
	h.sbp = sb;
	h.timeout = sgio_timeout_ms(c->timeout_ns);

	ret = sd->sys->ioctl(sd->fd, SG_IO, &h);
	if (ret) {
		if (ret == -EPERM || ret == -EACCES) {
			snprintf(pt->errmsg, sizeof(pt->errmsg),
				 "%s: the kernel refused opcode %02xh (SG_IO of this command needs root "
				 "with CAP_SYS_RAWIO)", sd->node, c->cdb[0]);
			return -EPERM;
		}
		snprintf(pt->errmsg, sizeof(pt->errmsg), "%s: SG_IO opcode %02xh: %s", sd->node,
			 c->cdb[0], strerror(-ret));
		return ret == -ENXIO || ret == -ENODEV ? -ENODEV : ret;
	}
	sd->last.status = h.status;
	sd->last.masked_status = h.masked_status;
	sd->last.host_status = h.host_status;
	sd->last.driver_status = h.driver_status;
	sd->last.resid = h.resid;
	sd->last.duration_ms = h.duration;
	sd->last.info = h.info;
	if (h.dxfer_direction != SG_DXFER_NONE) {
		/* resid is what the HBA did not move; distrust values outside the request. */
		if (h.resid <= 0)
			c->xfer = c->len;
		else if ((size_t)h.resid < c->len)
			c->xfer = c->len - (size_t)h.resid;
	}
	return sgio_decode(pt, c, sb, h.sb_len_wr < sizeof(sb) ? h.sb_len_wr : sizeof(sb));
}

static void sgio_close(struct pt *pt)
{
	struct sgio_dev *sd = pt->priv;

	if (!sd)
		return;
	sd->sys->close(sd->fd);
	free(sd);
	pt->priv = NULL;
}

const struct pt_ops sgio_pt_ops = {
	.name = "sg",
	.exec = sgio_exec,
	.close = sgio_close,
};

static int sgio_open_err(struct pt *pt, const char *node, int ret, int excl)
{
	switch (ret) {
	case -ENOENT:
	case -ENXIO:
	case -ENODEV:
		snprintf(pt->errmsg, sizeof(pt->errmsg), "%s: no such device (odrescue scan --atapi "
			 "lists the optical drives the kernel knows)", node);
		return -ENODEV;
	case -EACCES:
	case -EPERM:
		snprintf(pt->errmsg, sizeof(pt->errmsg), "%s: permission denied (run as root)", node);
		return -EPERM;
	case -EBUSY:
		snprintf(pt->errmsg, sizeof(pt->errmsg), "%s: in use%s", node,
			 excl ? " (mounted, or opened exclusively by another program)" : "");
		return -EBUSY;
	}
	snprintf(pt->errmsg, sizeof(pt->errmsg), "%s: %s", node, strerror(-ret));
	return ret;
}

int sgio_open(struct pt *pt, const char *node, unsigned flags, const struct sgio_sys *sys)
{
	int excl = !!(flags & SGIO_EXCL);
	int oflags = (excl ? O_RDWR | O_EXCL : O_RDONLY) | O_NONBLOCK | O_CLOEXEC;
	struct sgio_dev *sd;
	int fd, ret, version = 0;

	memset(pt, 0, sizeof(*pt));
	if (!sys)
		sys = &sgio_sys_linux;
	if (!node || strlen(node) >= sizeof(sd->node)) {
		snprintf(pt->errmsg, sizeof(pt->errmsg), "bad device node name");
		return -EINVAL;
	}
	fd = sys->open(node, oflags);
	if (fd < 0)
		return sgio_open_err(pt, node, fd, excl);
	ret = sys->ioctl(fd, SG_GET_VERSION_NUM, &version);
	if (ret || version < SGIO_VERSION_MIN) {
		if (ret)
			snprintf(pt->errmsg, sizeof(pt->errmsg),
				 "%s is not a SCSI generic device (SG_GET_VERSION_NUM: %s): give /dev/srN or /dev/sgN",
				 node, strerror(-ret));
		else
			snprintf(pt->errmsg, sizeof(pt->errmsg),
				 "%s: SG driver version %d is older than sg v3", node, version);
		sys->close(fd);
		return -ENODEV;
	}
	sd = calloc(1, sizeof(*sd));
	if (!sd) {
		sys->close(fd);
		return -ENOMEM;
	}
	sd->fd = fd;
	sd->version = version;
	sd->sys = sys;
	strcpy(sd->node, node);
	pt->ops = &sgio_pt_ops;
	pt->priv = sd;
	return 0;
}

int pt_ata16_identify(struct pt *pt, uint8_t ata_cmd, uint16_t id[256])
{
	uint8_t buf[512] = { 0 };
	/* PIO data-in (protocol 4), T_DIR in, BYT_BLOK blocks, T_LENGTH in the count field. */
	struct pt_cmd c = {
		.cdb = { ATA_16, 4 << 1, 0x0e, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, ata_cmd, 0 },
		.cdb_len = 16,
		.dir = PT_IN,
		.buf = buf,
		.len = sizeof(buf),
		.timeout_ns = ATA16_TMO_NS,
	};
	int ret = pt_exec(pt, &c);

	if (ret == -EIO && c.sense.valid && c.sense.key == ILLEGAL_REQUEST)
		return -EOPNOTSUPP;
	if (ret)
		return ret;
	if (c.xfer < sizeof(buf))
		return -EPROTO;
	for (int i = 0; i < 256; i++)
		id[i] = (uint16_t)(buf[2 * i] | buf[2 * i + 1] << 8);
	return 0;
}
