// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a drive (or the kernel on its behalf) says, decoded: IDENTIFY
 * words, INQUIRY data, sense bytes, GET EVENT STATUS, READ CAPACITY, the
 * RPC-2 REPORT KEY reply and ATA PASS-THROUGH IDENTIFY, from any bytes a
 * broken or hostile drive could send. Two transports answer with the
 * input: a bare one (data, or sense when the first byte is odd) and the
 * SG_IO one behind a fake kernel whose sg_io_hdr result (status, host and
 * driver bytes, resid, sense length) comes from the input's first bytes.
 * Decoded strings must be terminated, printable and within their fields;
 * a transport never reports more bytes moved than were asked for.
 */
#include <errno.h>
#include <scsi/sg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ata_id.h"
#include "hw/mmc.h"
#include "hw/pt_sgio.h"
#include "hw/scsi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *reply;
static size_t reply_len;

/* A drive that answers every command with the fuzz input, as data or as sense. */
static int bare_exec(struct pt *pt, struct pt_cmd *c)
{
	size_t n = reply_len < c->len ? reply_len : c->len;

	(void)pt;
	if (reply_len && (reply[0] & 1)) {
		scsi_sense_parse(&c->sense, reply, reply_len);
		c->status = SAM_STAT_CHECK_CONDITION;
		return -EIO;
	}
	if (c->dir == PT_IN && c->buf)
		memcpy(c->buf, reply, n);
	c->xfer = n;
	c->status = SAM_STAT_GOOD;
	return 0;
}

static const struct pt_ops bare_ops = { .name = "fuzz", .exec = bare_exec };

/* The kernel's side of SG_IO: the result bytes, then sense and data from the rest of the input. */
static int sys_open(const char *path, int flags)
{
	(void)path, (void)flags;
	return 3;
}

static int sys_close(int fd)
{
	(void)fd;
	return 0;
}

static int sys_ioctl(int fd, unsigned long req, void *arg)
{
	struct sg_io_hdr *h = arg;
	const uint8_t *p;
	size_t n;

	(void)fd;
	if (req == SG_GET_VERSION_NUM) {
		*(int *)arg = 30536;
		return 0;
	}
	if (req != SG_IO || reply_len < 6)
		return -EINVAL;
	p = reply + 6;
	n = reply_len - 6;
	h->status = reply[0];
	h->host_status = reply[1] & 0x1f;
	h->driver_status = reply[2];
	h->resid = (int8_t)reply[3] * 64;	/* negative, short and past-the-end residues */
	h->sb_len_wr = reply[4] % 48;		/* a driver may claim more than mx_sb_len */
	memcpy(h->sbp, p, n < h->mx_sb_len ? n : h->mx_sb_len);
	if (h->dxfer_direction == SG_DXFER_FROM_DEV)
		memcpy(h->dxferp, p, n < h->dxfer_len ? n : h->dxfer_len);
	return reply[5] == 0xff ? -EIO : 0;
}

static const struct sgio_sys fuzz_sys = { .open = sys_open, .ioctl = sys_ioctl, .close = sys_close };

static void check_str(const char *s, size_t max, int exact)
{
	size_t n = strlen(s);

	if (n > max || (exact && n != max))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			abort();
}

static void check_sense(const struct scsi_sense *s)
{
	char buf[160];

	if (s->len > sizeof(s->raw) || s->key > 0x0f)
		abort();
	scsi_sense_str(s, buf, sizeof(buf));
	check_str(buf, sizeof(buf) - 1, 0);
}

static void decode_all(struct pt *pt)
{
	uint8_t data[200];
	uint16_t id[256];
	uint32_t lba, blen;
	struct pt_cmd c = { .cdb = { INQUIRY, 0, 0, 0, sizeof(data), 0 }, .cdb_len = 6, .dir = PT_IN,
			    .buf = data, .len = sizeof(data) };
	struct ata_id_info info;
	struct scsi_sense s;
	struct inquiry inq;
	struct media_state m;
	struct rpc_state r;

	pt_exec(pt, &c);
	if (c.xfer > c.len)
		abort();	/* more moved than asked for */
	check_sense(&c.sense);
	if (!mmc_inquiry(pt, &inq)) {
		if (inq.len < 36 || inq.len > sizeof(inq.raw))
			abort();
		check_str(inq.vendor, 8, 1);
		check_str(inq.product, 16, 1);
		check_str(inq.revision, 4, 1);
	}
	if (!mmc_request_sense(pt, &s))
		check_sense(&s);
	mmc_test_unit_ready(pt, &s);
	check_sense(&s);
	mmc_get_event_status(pt, &m);
	mmc_read_capacity(pt, &lba, &blen);
	mmc_report_rpc(pt, &r);
	if (!pt_ata16_identify(pt, 0xa1, id) && !ata_id_decode(id, &info)) {
		check_str(info.model, 40, 0);
		check_str(info.fw_rev, 8, 0);
		check_str(info.serial, 20, 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t id[256] = { 0 };
	struct ata_id_info info;
	struct scsi_sense s;
	struct pt pt = { .ops = &bare_ops };
	char str[64];

	memcpy(id, data, size < sizeof(id) ? size : sizeof(id));
	if (!ata_id_decode(id, &info)) {
		check_str(info.model, 40, 0);
		check_str(info.fw_rev, 8, 0);
		check_str(info.serial, 20, 0);
		if (info.pio_max > 4 || info.mwdma_max > 2 || info.udma_max > 6 || info.major > 14)
			abort();
		atapi_devtype_name(info.devtype);
	}
	ata_id_string(id, 27, 40, str);
	check_str(str, 40, 0);
	scsi_sense_parse(&s, data, size);
	check_sense(&s);

	reply = data;
	reply_len = size;
	decode_all(&pt);
	if (!sgio_open(&pt, "/dev/sr0", 0, &fuzz_sys)) {
		decode_all(&pt);
		pt.ops->close(&pt);
	}
	return 0;
}
