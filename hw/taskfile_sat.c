/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * taskfile.h over SCSI ATA PASS-THROUGH(16) (SAT-3 12.2.2; hdparm's sg16()
 * builds the same CDB): the kernel's SG_IO on /dev/srN or /dev/sgN, libata
 * translating it (ata_scsi_pass_thru). Non-data commands set CK_COND, so
 * the result registers come back in the sense data whether the command
 * failed or not; PIO data-in runs without it, as IDENTIFY does.
 *
 * libata returns the registers in one of three layouts
 * (ata_gen_passthru_sense, drivers/ata/libata-scsi.c): descriptor format
 * with the ATA Status Return descriptor (09h) when nothing failed or
 * D_SENSE is set; fixed format otherwise, at SAT's offsets since Linux
 * 6.10 (commit 38dab832c3f4 "Fix offsets for the fixed format sense data",
 * which also sets the VALID bit), and eight bytes further on before it.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "hw/scsi.h"
#include "hw/taskfile.h"

#define ATA_16			0x85
#define SAT_PROTO_NODATA	3
#define SAT_PROTO_PIO_IN	4
#define SAT_PROTO_PIO_OUT	5
#define SAT_CK_COND		0x20
#define SAT_T_DIR_IN		0x08
#define SAT_BYT_BLOK		0x04
#define SAT_TLEN_NSECT		0x02	/* the transfer length is in Sector Count */
#define SAT_ASC_PT_INFO		0x00	/* 00h/1Dh ATA PASS-THROUGH INFORMATION AVAILABLE */
#define SAT_ASCQ_PT_INFO	0x1d

/* The registers of an ATA Status Return descriptor or fixed-format sense; 0, or -EPROTO. */
int sat_result(const struct scsi_sense *s, struct ata_tf *res)
{
	const uint8_t *b = s->raw;
	unsigned code = s->len ? b[0] & 0x7f : 0;

	memset(res, 0, sizeof(*res));
	if ((code == 0x72 || code == 0x73) && s->len >= 8) {
		unsigned end = 8u + b[7] < s->len ? 8u + b[7] : s->len;

		for (unsigned d = 8; d + 2 <= end; d += 2u + b[d + 1]) {
			if (b[d] != 0x09 || b[d + 1] < 12 || d + 14 > end)
				continue;
			res->feature = b[d + 3];
			res->nsect = b[d + 5];
			res->lbal = b[d + 7];
			res->lbam = b[d + 9];
			res->lbah = b[d + 11];
			res->device = b[d + 12];
			res->command = b[d + 13];
			return 0;
		}
		return -EPROTO;
	}
	if ((code == 0x70 || code == 0x71) && s->len >= 12) {
		if (b[0] & 0x80) {	/* SAT-3 table 144, Linux >= 6.10 */
			res->feature = b[3];
			res->command = b[4];
			res->device = b[5];
			res->nsect = b[6];
			res->lbal = b[9];
			res->lbam = b[10];
			res->lbah = b[11];
			return 0;
		}
		if (s->len >= 18) {
			/*
			 * Linux before 6.10: the same fields from byte 8, LBA Low at
			 * byte 17; LBA Mid and High fall at 18 and 19, past the 18
			 * bytes the additional length (0Ah) gives, so they are lost
			 * (measured: Debian's 6.1 in the VM tier).
			 */
			res->feature = b[8];
			res->command = b[9];
			res->device = b[10];
			res->nsect = b[11];
			res->lbal = b[17];
			res->lbam = s->len >= 20 ? b[18] : 0;
			res->lbah = s->len >= 20 ? b[19] : 0;
			return 0;
		}
	}
	return -EPROTO;
}

static void build_cdb(const struct tf_cmd *c, uint8_t cdb[16])
{
	memset(cdb, 0, 16);
	cdb[0] = ATA_16;
	switch (c->proto) {
	case TF_NODATA:
		cdb[1] = SAT_PROTO_NODATA << 1;
		cdb[2] = SAT_CK_COND;
		break;
	case TF_PIO_IN:
		cdb[1] = SAT_PROTO_PIO_IN << 1;
		cdb[2] = SAT_T_DIR_IN | SAT_BYT_BLOK | SAT_TLEN_NSECT;
		break;
	case TF_PIO_OUT:
		cdb[1] = SAT_PROTO_PIO_OUT << 1;
		cdb[2] = SAT_BYT_BLOK | SAT_TLEN_NSECT;
		break;
	}
	cdb[4] = c->tf.feature;
	/* A data command's count is its blocks (T_LENGTH in Sector Count), as libata checks it. */
	cdb[6] = c->proto == TF_NODATA ? c->tf.nsect : (uint8_t)(c->len / 512);
	cdb[8] = c->tf.lbal;
	cdb[10] = c->tf.lbam;
	cdb[12] = c->tf.lbah;
	cdb[13] = (uint8_t)(c->tf.device | ATA_DEVICE_OBS);
	cdb[14] = c->tf.command;
}

static int sat_exec(struct taskfile *t, struct tf_cmd *c)
{
	struct pt_cmd p = {
		.cdb_len = 16,
		.dir = c->proto == TF_PIO_IN ? PT_IN : c->proto == TF_PIO_OUT ? PT_OUT : PT_NONE,
		.buf = c->proto == TF_NODATA ? NULL : c->buf,
		.len = c->proto == TF_NODATA ? 0 : c->len,
		.timeout_ns = c->timeout_ns ? c->timeout_ns : ATA_TMO_DATA,
	};
	int ret;

	memset(&c->res, 0, sizeof(c->res));
	c->xfer = 0;
	if (c->dev)
		return -ENODEV;		/* the node names one device; DEV is libata's to set */
	if (c->proto != TF_NODATA && (!c->buf || !c->len || c->len % 512 || c->len / 512 > 255))
		return -EINVAL;
	build_cdb(c, p.cdb);
	ret = pt_exec(((struct taskfile_sat *)t->priv)->pt, &p);
	c->xfer = p.xfer;
	if (c->proto != TF_NODATA) {
		if (ret == -EIO && p.sense.valid && p.sense.key == ILLEGAL_REQUEST)
			return -EOPNOTSUPP;	/* the path takes no ATA_16 (atapi_passthru16=0, a bridge) */
		if (ret == -EIO && sat_result(&p.sense, &c->res))
			c->res.command = ATA_DRDY | ATA_ERR;	/* failed, registers not returned */
		if (!ret)
			c->res.command = ATA_DRDY;
		return ret ? ret : c->xfer == c->len ? 0 : -EPROTO;
	}
	if (ret && ret != -EIO)
		return ret;
	if (!p.sense.valid || sat_result(&p.sense, &c->res)) {
		/* CK_COND must bring the registers: without them no vendor status can be judged. */
		if (ret == -EIO && p.sense.valid && p.sense.key == ILLEGAL_REQUEST)
			return -EOPNOTSUPP;
		return -EPROTO;
	}
	return (c->res.command & ATA_ERR) ? -EIO : 0;
}

static void sat_delay(struct taskfile *t, uint64_t ns)
{
	struct bus *clock = ((struct taskfile_sat *)t->priv)->clock;
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000u), .tv_nsec = (long)(ns % 1000000000u) };

	if (clock)
		bus_delay_ns(clock, ns);
	else
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
}

static uint64_t sat_now(struct taskfile *t)
{
	struct bus *clock = ((struct taskfile_sat *)t->priv)->clock;
	struct timespec ts;

	if (clock)
		return bus_now_ns(clock);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const struct taskfile_ops taskfile_sat_ops = {
	.name = "sat",
	.caps = 0,	/* one command, its result registers: nothing read without one */
	.exec = sat_exec,
	.delay_ns = sat_delay,
	.now_ns = sat_now,
};

void taskfile_sat_init(struct taskfile *t, struct taskfile_sat *s)
{
	t->ops = &taskfile_sat_ops;
	t->priv = s;
	t->packet = -1;
}
