/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * taskfile.h and pt.h on an AHCI port: a taskfile command is one H2D
 * Register FIS (every register travels, marked or not), a packet command
 * is PACKET (A0h) with the CDB in the table's ACMD and the ATAPI bit in the
 * command header (AHCI 1.3.1 4.2.2), moved in PIO as the raw path does.
 */
#include <errno.h>
#include <string.h>

#include "hw/ahci.h"
#include "hw/atapi.h"
#include "hw/scsi.h"

static int tf_ahci_exec(struct taskfile *t, struct tf_cmd *c)
{
	struct ahci_cmd ac = {
		.tf = c->tf,
		.dir = c->proto == TF_PIO_IN ? PT_IN : c->proto == TF_PIO_OUT ? PT_OUT : PT_NONE,
		.buf = c->buf,
		.len = c->proto == TF_NODATA ? 0 : c->len,
		.timeout_ns = c->timeout_ns,
	};
	int ret;

	c->xfer = 0;
	memset(&c->res, 0, sizeof(c->res));
	if (c->dev)
		return -ENODEV;		/* a SATA link has one device (no port multiplier here) */
	if (c->proto != TF_NODATA && (!c->len || c->len % 512))
		return -EINVAL;
	ac.tf.device |= ATA_DEVICE_OBS;
	ret = ahci_exec(t->priv, &ac);
	c->res = ac.res;
	c->xfer = ac.xfer;
	if (!ret && c->proto != TF_NODATA && c->xfer != c->len)
		return -EPROTO;
	return ret;
}

static int tf_ahci_status(struct taskfile *t)
{
	struct ahci_port *p = t->priv;

	return p->hba->io->error ? p->hba->io->error : (int)(ahci_port_rd(p, PORT_TFDATA) & 0xff);
}

static void tf_ahci_delay(struct taskfile *t, uint64_t ns)
{
	struct ahci_io *io = ((struct ahci_port *)t->priv)->hba->io;

	io->ops->delay_ns(io, ns);
}

static uint64_t tf_ahci_now(struct taskfile *t)
{
	struct ahci_io *io = ((struct ahci_port *)t->priv)->hba->io;

	return io->ops->now_ns(io);
}

const struct taskfile_ops taskfile_ahci_ops = {
	.name = "ahci",
	.caps = 0,	/* no register read without a command: PxTFD is the last D2H FIS */
	.exec = tf_ahci_exec,
	.status = tf_ahci_status,
	.delay_ns = tf_ahci_delay,
	.now_ns = tf_ahci_now,
};

void taskfile_ahci_init(struct taskfile *t, struct ahci_port *p)
{
	t->ops = &taskfile_ahci_ops;
	t->priv = p;
	t->packet = -1;
}

static int packet(struct ahci_port *p, struct pt_cmd *c)
{
	uint8_t cdb[16] = { 0 };
	size_t bcl = c->len && c->len < ATAPI_BCL_MAX ? c->len : ATAPI_BCL_MAX;
	struct ahci_cmd ac = {
		.tf = { .command = ATA_CMD_PACKET, .device = ATA_DEVICE_OBS,
			.lbam = (uint8_t)(bcl & 0xfe), .lbah = (uint8_t)(bcl >> 8) },
		.cdb = cdb,
		.dir = c->len ? c->dir : PT_NONE,
		.buf = c->buf,
		.len = c->dir == PT_NONE ? 0 : c->len,
		.timeout_ns = c->timeout_ns,
	};
	int ret;

	memcpy(cdb, c->cdb, c->cdb_len);
	ret = ahci_exec(p, &ac);
	c->xfer = ac.xfer;
	if (ret == -EIO) {
		c->status = SAM_STAT_CHECK_CONDITION;
		c->sense.key = (uint8_t)(ac.res.feature >> 4);	/* ATAPI Error 7:4 */
	}
	return ret;
}

static int ahci_pt_exec(struct pt *pt, struct pt_cmd *c)
{
	struct ahci_port *p = pt->priv;
	int ret;

	memset(&c->sense, 0, sizeof(c->sense));
	c->status = SAM_STAT_GOOD;
	c->xfer = 0;
	if (!c->cdb_len || c->cdb_len > 16 || c->len > AHCI_XFER_MAX || (c->len && c->dir != PT_NONE && !c->buf))
		return -EINVAL;
	ret = packet(p, c);
	if (ret == -EIO && c->cdb[0] != REQUEST_SENSE) {
		uint8_t buf[18] = { 0 };
		struct pt_cmd rs = {
			.cdb = { REQUEST_SENSE, 0, 0, 0, sizeof(buf), 0 },
			.cdb_len = 6,
			.dir = PT_IN,
			.buf = buf,
			.len = sizeof(buf),
		};

		if (packet(p, &rs) == 0 && rs.xfer) {
			struct scsi_sense s;

			scsi_sense_parse(&s, buf, rs.xfer);
			if (s.valid)
				c->sense = s;
		}
	}
	return ret;
}

static void ahci_pt_close(struct pt *pt)
{
	pt->priv = NULL;
}

const struct pt_ops ahci_pt_ops = {
	.name = "ahci",
	.exec = ahci_pt_exec,
	.close = ahci_pt_close,
};

void ahci_pt_init(struct pt *pt, struct ahci_port *p)
{
	memset(pt, 0, sizeof(*pt));
	pt->ops = &ahci_pt_ops;
	pt->priv = p;
}
