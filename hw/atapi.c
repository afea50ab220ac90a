/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PACKET (A0h) in polled PIO, the states of libata's ata_sff_hsm_move():
 * HSM_ST_FIRST (send the CDB), HSM_ST (one DRQ block per pass, its size
 * from the byte count registers), HSM_ST_LAST (status, then REQUEST SENSE
 * on CHECK CONDITION). See ata-register.md 2.6.
 */
#include <errno.h>
#include <string.h>

#include "hw/atapi.h"
#include "hw/scsi.h"

/* Bytes of a DRQ block we discard when the caller's buffer is full (libata drains the same way). */
#define ATAPI_DRAIN_MAX	(64 * 1024)

static int atapi_issue(struct atapi_dev *ad, struct pt_cmd *c)
{
	struct ata_port *ap = ad->ap;
	uint16_t cdbw[8] = { 0 };
	size_t bcl = c->len < ATAPI_BCL_MAX ? c->len : ATAPI_BCL_MAX;
	uint8_t st, ireason;
	int ret;

	if (c->dir == PT_NONE || bcl == 0)
		bcl = ATAPI_BCL_MAX;	/* never 0 for a data command; harmless otherwise */
	bcl &= ~(size_t)1;

	ret = ata_dev_select(ap, ad->dev);
	if (ret)
		return ret;
	ata_wr(ap, ATA_REG_FEATURE, 0);		/* PIO, no overlap */
	ata_wr(ap, ATA_REG_NSECT, 0);
	ata_wr(ap, ATA_REG_BYTEL, (uint8_t)(bcl & 0xff));
	ata_wr(ap, ATA_REG_BYTEH, (uint8_t)(bcl >> 8));
	ata_exec_command(ap, ATA_CMD_PACKET);

	/* HSM_ST_FIRST */
	ret = ata_wait_not_busy(ap, ATA_TMO_CMD_DRQ, &st);
	if (ret)
		return ret;
	if (!(st & ATA_DRQ)) {
		ata_status(ap);
		return (st & (ATA_ERR | ATA_DF)) ? -EIO : -EPROTO;
	}
	ireason = ata_rd(ap, ATA_REG_IRR);
	if ((ireason & (ATAPI_COD | ATAPI_IO)) != ATAPI_COD)
		return -EPROTO;
	for (int i = 0; i < ad->cdb_len / 2; i++)
		cdbw[i] = (uint16_t)(c->cdb[2 * i] | c->cdb[2 * i + 1] << 8);
	ata_data_out(ap, cdbw, (size_t)ad->cdb_len / 2);
	ata_pause(ap);
	return 0;
}

static int atapi_xfer(struct atapi_dev *ad, struct pt_cmd *c, uint8_t *st)
{
	struct ata_port *ap = ad->ap;
	uint64_t tmo = c->timeout_ns ? c->timeout_ns : ATA_TMO_DATA;
	uint8_t *buf = c->buf;
	size_t drained = 0;
	int ret;

	c->xfer = 0;
	for (;;) {
		uint8_t ireason;
		size_t n, words, room;

		ret = ata_wait_not_busy(ap, tmo, st);
		if (ret)
			return ret;
		if (!(*st & ATA_DRQ))
			return 0;				/* HSM_ST_LAST */
		if (*st & (ATA_ERR | ATA_DF))
			return -EPROTO;
		ireason = ata_rd(ap, ATA_REG_IRR);
		n = (size_t)ata_rd(ap, ATA_REG_BYTEL) | (size_t)ata_rd(ap, ATA_REG_BYTEH) << 8;
		if ((ireason & ATAPI_COD) || n == 0)
			return -EPROTO;
		if (!!(ireason & ATAPI_IO) != (c->dir == PT_IN))
			return -EPROTO;
		words = (n + 1) / 2;
		room = c->len - c->xfer;
		if (c->dir == PT_IN) {
			uint16_t tmp[256];
			size_t i = 0;

			/* Whole words straight into the buffer; the odd tail and overflow through tmp. */
			if (room >= 2 * words) {
				if (((uintptr_t)(buf + c->xfer) & 1) == 0) {
					ata_data_in(ap, (uint16_t *)(void *)(buf + c->xfer), words);
					i = words;
				}
			}
			while (i < words) {
				size_t k = words - i < 256 ? words - i : 256;

				ata_data_in(ap, tmp, k);
				for (size_t j = 0; j < k; j++) {
					size_t off = (i + j) * 2;

					for (int bb = 0; bb < 2; bb++) {
						if (off + (size_t)bb < n && c->xfer + off + (size_t)bb < c->len)
							buf[c->xfer + off + bb] = (uint8_t)(tmp[j] >> (8 * bb));
					}
				}
				i += k;
			}
		} else {
			uint16_t tmp[256];

			for (size_t i = 0; i < words; ) {
				size_t k = words - i < 256 ? words - i : 256;

				for (size_t j = 0; j < k; j++) {
					size_t off = c->xfer + (i + j) * 2;
					uint8_t lo = off < c->len ? buf[off] : 0;
					uint8_t hi = off + 1 < c->len ? buf[off + 1] : 0;

					tmp[j] = (uint16_t)(lo | hi << 8);
				}
				ata_data_out(ap, tmp, k);
				i += k;
			}
		}
		if (n > room) {
			drained += n - room;
			c->xfer = c->len;
			if (drained > ATAPI_DRAIN_MAX)
				return -EPROTO;
		} else {
			c->xfer += n;
		}
		if (ap->bus->error)
			return ap->bus->error;
		ata_pause(ap);
	}
}

static int atapi_request_sense(struct atapi_dev *ad, struct scsi_sense *s)
{
	uint8_t buf[18] = { 0 };
	struct pt_cmd rs = {
		.cdb = { REQUEST_SENSE, 0, 0, 0, sizeof(buf), 0 },
		.cdb_len = 6,
		.dir = PT_IN,
		.buf = buf,
		.len = sizeof(buf),
	};
	uint8_t st;
	int ret;

	ret = atapi_issue(ad, &rs);
	if (!ret)
		ret = atapi_xfer(ad, &rs, &st);
	if (ret)
		return ret;
	ata_status(ad->ap);
	if (st & ATA_ERR)
		return -EIO;
	scsi_sense_parse(s, buf, rs.xfer);
	return 0;
}

static int atapi_exec(struct pt *pt, struct pt_cmd *c)
{
	struct atapi_dev *ad = pt->priv;
	struct ata_port *ap = ad->ap;
	uint8_t st = 0, err;
	int ret;

	memset(&c->sense, 0, sizeof(c->sense));
	c->status = SAM_STAT_GOOD;
	c->xfer = 0;
	if (c->cdb_len > (unsigned)ad->cdb_len)
		return -EINVAL;
	ret = atapi_issue(ad, c);
	if (ret == -EIO) {
		/* Rejected at the ATA level before the CDB: no sense data, an ABRT. */
		err = ata_rd(ap, ATA_REG_ERR);
		c->status = SAM_STAT_CHECK_CONDITION;
		c->sense.key = (uint8_t)(err >> 4);
		return -EIO;
	}
	if (!ret)
		ret = atapi_xfer(ad, c, &st);
	if (ret) {
		if (ret == -EPROTO || ret == -ETIMEDOUT)
			ata_drain(ap);
		return ret;
	}
	st = ata_status(ap);			/* acks INTRQ */
	if (!(st & ATA_ERR))
		return 0;
	err = ata_rd(ap, ATA_REG_ERR);
	c->status = SAM_STAT_CHECK_CONDITION;
	c->sense.key = (uint8_t)(err >> 4);
	if (c->cdb[0] != REQUEST_SENSE) {
		struct scsi_sense s;

		if (atapi_request_sense(ad, &s) == 0 && s.valid)
			c->sense = s;
	}
	return -EIO;
}

static void atapi_close(struct pt *pt)
{
	pt->priv = NULL;
}

const struct pt_ops atapi_pt_ops = {
	.name = "atapi",
	.exec = atapi_exec,
	.close = atapi_close,
};

void atapi_pt_init(struct pt *pt, struct atapi_dev *ad, struct ata_port *ap, int dev)
{
	ad->ap = ap;
	ad->dev = dev;
	ad->cdb_len = 12;
	memset(pt, 0, sizeof(*pt));
	pt->ops = &atapi_pt_ops;
	pt->priv = ad;
}
