/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulator's drives behind a modelled kernel: SG_IO on /dev/sgN
 * (position N + 1) and /dev/srN (the (N+1)th packet device), as libata
 * and sr/sg give them to a program. Only what libata does is modelled,
 * from its source (drivers/ata, Linux 6.1):
 * - ATA PASS-THROUGH(16) to an ATAPI device is an ATA command
 *   (ata_scsi_queuecmd with atapi_passthru16 on; ata_scsi_pass_thru).
 * - A command fails when the host says so: on ahci only when Status has
 *   ERR (PxIS.TFES, ahci_error_intr); on an SFF host (ata_piix) also when
 *   it has DF (ata_sff_hsm_move ORs ac_err_mask(status)).
 * - A failed command on an ATAPI device goes to the error handler, which
 *   sends it REQUEST SENSE (ata_eh_analyze_tf -> atapi_eh_request_sense).
 * - CK_COND, or any of BSY/DF/ERR/DRQ, makes ata_gen_passthru_sense put
 *   the registers in the sense data: descriptor 09h after RECOVERED ERROR
 *   00h/1Dh when Status is clean, else fixed format (D_SENSE is off) with
 *   the registers at the offsets of Linux before 6.10 (Debian's 6.1, as
 *   measured in the VM tier), the key as ata_to_sense_error maps them.
 * Time is the simulator's clock; the host's timeouts are hdr->timeout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scsi/sg.h>

#include "hw/atapi.h"
#include "hw/scsi.h"
#include "hw/sim/sim.h"
#include "hw/sim/sim_sat.h"

#define SAT_FD_BASE	200
#define SAT_POLL_NS	1000u
#define SAT_SENSE_MAX	32

struct sim_sat {
	struct bus bus;
	int sff;		/* an SFF host (ata_piix): DF fails a command too */
	unsigned eh_sense;	/* REQUEST SENSEs the error handler sent */
};

static struct sim_sat *sat;

static int chan_of(int pos)
{
	return pos <= 2 ? 0 : 1;
}

static uint16_t cmd_port(int pos)
{
	return chan_of(pos) ? ATA_SECONDARY_CMD : ATA_PRIMARY_CMD;
}

static uint8_t rd(int pos, unsigned reg)
{
	return bus_inb(&sat->bus, (uint16_t)(cmd_port(pos) + reg));
}

static void wr(int pos, unsigned reg, uint8_t v)
{
	bus_outb(&sat->bus, (uint16_t)(cmd_port(pos) + reg), v);
}

static uint8_t altstatus(int pos)
{
	return bus_inb(&sat->bus, chan_of(pos) ? ATA_SECONDARY_CTL : ATA_PRIMARY_CTL);
}

static uint8_t dev_bit(int pos)
{
	return (pos - 1) & 1 ? ATA_DEV1 : 0;
}

static struct sim_dev *dev_at(int pos)
{
	struct sim_dev *d = sim_dev_at(sim_from_bus(&sat->bus), pos);

	return d && d->kind != SIM_NONE && !d->powered_off ? d : NULL;
}

/*
 * A device libata attached: one that never leaves BSY has no node, since
 * its reset fails and the error handler gives the link up (ata_eh_reset,
 * its tries within ata_eh_reset_timeouts: 10, 10, 35, 5 s).
 */
static struct sim_dev *attached(int pos)
{
	struct sim_dev *d = dev_at(pos);

	return d && !(d->kind == SIM_MTK && d->bricked && !d->vendor_mode) ? d : NULL;
}

/* libata attached only packet devices as sr, and gives sg nodes to all. */
static int node_pos(const char *path)
{
	const char *b = strrchr(path, '/');
	char *end;
	long n;

	b = b ? b + 1 : path;
	if (strncmp(b, "sg", 2) && strncmp(b, "sr", 2))
		return -ENOENT;
	n = strtol(b + 2, &end, 10);
	if (end == b + 2 || *end || n < 0 || n > 3)
		return -ENOENT;
	if (b[1] == 'g')
		return attached((int)n + 1) ? (int)n + 1 : -ENOENT;
	for (int pos = 1; pos <= 4; pos++) {
		struct sim_dev *d = attached(pos);

		if (d && d->kind != SIM_DISK && n-- == 0)
			return pos;
	}
	return -ENOENT;
}

/* Wait until BSY clears, as long as the host allows; 0, or -ETIMEDOUT. */
static int wait_idle(int pos, uint64_t tmo_ns, uint8_t *st)
{
	uint64_t t0 = bus_now_ns(&sat->bus);

	for (;;) {
		bus_delay_ns(&sat->bus, SAT_POLL_NS);
		*st = altstatus(pos);
		if (!(*st & ATA_BUSY))
			return 0;
		if (bus_now_ns(&sat->bus) - t0 >= tmo_ns)
			return -ETIMEDOUT;
	}
}

static void load(int pos, const uint8_t r[6], uint8_t cmd)
{
	wr(pos, ATA_REG_DEVICE, (uint8_t)(ATA_DEVICE_OBS | dev_bit(pos)));
	wr(pos, ATA_REG_FEATURE, r[0]);
	wr(pos, ATA_REG_NSECT, r[1]);
	wr(pos, ATA_REG_LBAL, r[2]);
	wr(pos, ATA_REG_LBAM, r[3]);
	wr(pos, ATA_REG_LBAH, r[4]);
	wr(pos, ATA_REG_DEVICE, (uint8_t)((r[5] & ~ATA_DEV1) | dev_bit(pos)));
	wr(pos, ATA_REG_CMD, cmd);
}

/* PIO data blocks of a command already sent: 0, -ETIMEDOUT, or -EIO (ERR or no DRQ when data was due). */
static int pio(int pos, uint8_t *buf, size_t len, int in, size_t block, size_t *done, uint64_t tmo, uint8_t *st)
{
	int ret;

	while (*done < len) {
		ret = wait_idle(pos, tmo, st);
		if (ret)
			return ret;
		if ((*st & ATA_ERR) || !(*st & ATA_DRQ))
			return -EIO;
		for (size_t i = 0; i < block && *done < len; i += 2, *done += 2) {
			if (in) {
				uint16_t w = bus_inw(&sat->bus, cmd_port(pos));

				buf[*done] = (uint8_t)w;
				buf[*done + 1] = (uint8_t)(w >> 8);
			} else {
				bus_outw(&sat->bus, cmd_port(pos), (uint16_t)(buf[*done] | buf[*done + 1] << 8));
			}
		}
	}
	return wait_idle(pos, tmo, st);
}

/* A PACKET command in PIO; 0 GOOD, -EIO CHECK CONDITION (Error's sense key in *err), -ETIMEDOUT. */
static int packet(int pos, const uint8_t *cdb, uint8_t *buf, size_t len, int in, uint64_t tmo, size_t *done,
		  uint8_t *err)
{
	uint8_t r[6] = { 0, 0, 0, (uint8_t)(ATAPI_BCL_MAX & 0xff), (uint8_t)(ATAPI_BCL_MAX >> 8), ATA_DEVICE_OBS };
	uint8_t st;
	int ret;

	*done = 0;
	*err = 0;
	load(pos, r, ATA_CMD_PACKET);
	ret = wait_idle(pos, tmo, &st);
	if (ret)
		return ret;
	if (!(st & ATA_DRQ) || (st & ATA_ERR)) {
		*err = rd(pos, ATA_REG_ERR);
		return -EIO;
	}
	for (int i = 0; i < 12; i += 2)
		bus_outw(&sat->bus, cmd_port(pos), (uint16_t)(cdb[i] | cdb[i + 1] << 8));
	for (;;) {
		size_t n;

		ret = wait_idle(pos, tmo, &st);
		if (ret)
			return ret;
		if (st & ATA_ERR) {
			*err = rd(pos, ATA_REG_ERR);
			return -EIO;
		}
		if (!(st & ATA_DRQ))
			return 0;
		n = (size_t)(rd(pos, ATA_REG_BYTEL) | rd(pos, ATA_REG_BYTEH) << 8);
		for (size_t i = 0; i < n; i += 2) {
			uint16_t w = 0;

			if (in)
				w = bus_inw(&sat->bus, cmd_port(pos));
			if (*done + 2 <= len) {
				if (in) {
					buf[*done] = (uint8_t)w;
					buf[*done + 1] = (uint8_t)(w >> 8);
				} else {
					w = (uint16_t)(buf[*done] | buf[*done + 1] << 8);
				}
				*done += 2;
			}
			if (!in)
				bus_outw(&sat->bus, cmd_port(pos), w);
		}
	}
}

/* atapi_eh_request_sense: the error handler asks the device why. */
static int eh_request_sense(int pos, uint8_t *sense, size_t *len)
{
	static const uint8_t cdb[12] = { REQUEST_SENSE, 0, 0, 0, 96, 0 };
	uint8_t buf[96] = { 0 }, err;
	size_t done;
	int ret;

	sat->eh_sense++;
	ret = packet(pos, cdb, buf, sizeof(buf), 1, 5ull * 1000000000u, &done, &err);
	*len = done < SAT_SENSE_MAX ? done : SAT_SENSE_MAX;
	memcpy(sense, buf, *len);
	return ret;
}

static void set_sense(struct sg_io_hdr *h, const uint8_t *s, size_t n)
{
	h->status = SAM_STAT_CHECK_CONDITION;
	h->masked_status = SAM_STAT_CHECK_CONDITION >> 1;
	h->driver_status = 0x08;	/* DRIVER_SENSE */
	h->sb_len_wr = (unsigned char)(h->mx_sb_len < n ? h->mx_sb_len : n);
	if (h->sbp)
		memcpy(h->sbp, s, h->sb_len_wr);
}

/* ata_to_sense_error's mapping, for the statuses a drive gives here. */
static void sense_key(uint8_t st, uint8_t err, uint8_t *key, uint8_t *asc, uint8_t *ascq)
{
	*asc = *ascq = 0;
	if (st & ATA_BUSY) {
		*key = ABORTED_COMMAND;
		*asc = 0x47;
	} else if (st & ATA_ERR) {
		*key = (err & ATA_ABORTED) ? ABORTED_COMMAND : MEDIUM_ERROR;
	} else if (st & ATA_DF) {
		*key = HARDWARE_ERROR;
		*asc = 0x44;
	} else {
		*key = ABORTED_COMMAND;
	}
}

static void ata_pt_sense(struct sg_io_hdr *h, const struct ata_tf *r)
{
	uint8_t s[SAT_SENSE_MAX] = { 0 };

	if (!(r->command & (ATA_BUSY | ATA_DF | ATA_ERR | ATA_DRQ))) {
		const uint8_t d[22] = { 0x72, RECOVERED_ERROR, 0x00, 0x1d, 0, 0, 0, 14,
					0x09, 12, 0, r->feature, 0, r->nsect, 0, r->lbal, 0, r->lbam, 0, r->lbah,
					r->device, r->command };

		set_sense(h, d, sizeof(d));
		return;
	}
	/*
	 * Fixed format as Debian's 6.1 writes it (measured in the VM tier):
	 * the registers from byte 8, cut at the 18 bytes the additional
	 * length gives, so LBA Mid and High do not come back.
	 */
	s[0] = 0x70;
	sense_key(r->command, r->feature, &s[2], &s[12], &s[13]);
	s[7] = 10;
	s[8] = r->feature;
	s[9] = r->command;
	s[10] = r->device;
	s[11] = r->nsect;
	s[12] = s[13] = 0;	/* desc[4], desc[5]: overwritten with zeroes, as there */
	s[17] = r->lbal;
	set_sense(h, s, 18);
}

static int ata16(int pos, struct sg_io_hdr *h, const uint8_t *cdb)
{
	unsigned proto = (cdb[1] >> 1) & 0x0f;
	int ck_cond = !!(cdb[2] & 0x20), in = !!(cdb[2] & 0x08);
	uint8_t r[6] = { cdb[4], cdb[6], cdb[8], cdb[10], cdb[12], cdb[13] }, st, s[SAT_SENSE_MAX];
	uint64_t tmo = (uint64_t)(h->timeout ? h->timeout : 60000) * 1000000u;
	struct ata_tf res = { 0 };
	size_t done = 0, slen;
	int ret, failed;

	if (proto != 3 && proto != 4 && proto != 5) {
		static const uint8_t inval[18] = { 0x70, 0, ILLEGAL_REQUEST, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24 };

		set_sense(h, inval, sizeof(inval));
		return 0;
	}
	load(pos, r, cdb[14]);
	if (proto == 3)
		ret = wait_idle(pos, tmo, &st);
	else
		ret = pio(pos, h->dxferp, h->dxfer_len, in, 512, &done, tmo, &st);
	h->resid = (int)(h->dxfer_len - done);
	if (ret == -ETIMEDOUT) {
		h->host_status = 0x03;	/* DID_TIME_OUT: the error handler resets the link */
		return 0;
	}
	res.feature = rd(pos, ATA_REG_ERR);
	res.nsect = rd(pos, ATA_REG_NSECT);
	res.lbal = rd(pos, ATA_REG_LBAL);
	res.lbam = rd(pos, ATA_REG_LBAM);
	res.lbah = rd(pos, ATA_REG_LBAH);
	res.device = rd(pos, ATA_REG_DEVICE);
	res.command = rd(pos, ATA_REG_STATUS);
	failed = (res.command & ATA_ERR) || (sat->sff && (res.command & ATA_DF)) || ret;
	if (failed && dev_at(pos)->kind != SIM_DISK)
		eh_request_sense(pos, s, &slen);
	if (ck_cond || failed)
		ata_pt_sense(h, &res);
	return 0;
}

int sim_sat_node_packet(const char *path)
{
	int pos = sat ? node_pos(path) : -ENOENT;

	return pos < 0 ? -1 : dev_at(pos)->kind != SIM_DISK;
}

static int sat_open(const char *path, int flags)
{
	int pos;

	(void)flags;
	if (!sat)
		return -ENODEV;
	pos = node_pos(path);
	return pos < 0 ? pos : SAT_FD_BASE + pos;
}

static int sat_ioctl(int fd, unsigned long req, void *arg)
{
	struct sg_io_hdr *h = arg;
	int pos = fd - SAT_FD_BASE;
	const uint8_t *cdb;

	if (!sat || pos < 1 || pos > 4)
		return -EBADF;
	if (req == SG_GET_VERSION_NUM) {
		*(int *)arg = 30536;
		return 0;
	}
	if (req != SG_IO || h->interface_id != 'S' || h->cmd_len < 6 || h->cmd_len > 16)
		return -EINVAL;
	h->status = h->masked_status = 0;
	h->host_status = h->driver_status = 0;
	h->sb_len_wr = 0;
	h->resid = 0;
	h->info = 0;
	if (!dev_at(pos)) {
		h->host_status = 0x01;	/* DID_NO_CONNECT: the device went away */
		return 0;
	}
	cdb = h->cmdp;
	if (cdb[0] == 0x85)
		return ata16(pos, h, cdb);
	{
		uint8_t c12[12] = { 0 }, err, s[SAT_SENSE_MAX];
		size_t done, slen = 0;
		int ret;

		memcpy(c12, cdb, h->cmd_len < 12 ? h->cmd_len : 12);
		ret = packet(pos, c12, h->dxferp, h->dxfer_len, h->dxfer_direction == SG_DXFER_FROM_DEV,
			     (uint64_t)(h->timeout ? h->timeout : 60000) * 1000000u, &done, &err);
		h->resid = (int)(h->dxfer_len - done);
		if (ret == -ETIMEDOUT)
			h->host_status = 0x03;
		else if (ret == -EIO && eh_request_sense(pos, s, &slen) == 0 && slen)
			set_sense(h, s, slen);
		else if (ret == -EIO)
			set_sense(h, (const uint8_t[18]){ 0x70, 0, (uint8_t)(err >> 4), 0, 0, 0, 0, 10 }, 18);
	}
	return 0;
}

static int sat_close(int fd)
{
	return fd > SAT_FD_BASE && fd <= SAT_FD_BASE + 4 ? 0 : -EBADF;
}

const struct sgio_sys sim_sat_sys = { sat_open, sat_ioctl, sat_close };

int sim_sat_open(const char *sim_spec, int sff, char *errmsg, size_t len)
{
	static const struct ata_chan chans[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};
	int ret;

	if (sat)
		return -EBUSY;
	sat = calloc(1, sizeof(*sat));
	if (!sat)
		return -ENOMEM;
	ret = bus_open(&sat->bus, sim_spec, chans, 2);
	if (ret) {
		snprintf(errmsg, len, "%s", sat->bus.errmsg);
		free(sat);
		sat = NULL;
		return ret;
	}
	sat->sff = sff;
	return 0;
}

struct bus *sim_sat_bus(void)
{
	return sat ? &sat->bus : NULL;
}

unsigned sim_sat_eh_sense(void)
{
	return sat ? sat->eh_sense : 0;
}

void sim_sat_close(void)
{
	if (!sat)
		return;
	bus_close(&sat->bus);
	free(sat);
	sat = NULL;
}
