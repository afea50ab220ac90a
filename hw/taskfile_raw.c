/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * taskfile.h over the raw IDE registers (ata.c), polled PIO in libata-sff's
 * order: select, load the marked registers, write Command (ata_tf_to_host),
 * then one DRQ block at a time (ata_sff_hsm_move). IDENTIFY through here
 * makes exactly the register accesses ata_identify() makes.
 */
#include <errno.h>
#include <string.h>

#include "hw/taskfile.h"

#define TF_BLOCK_WORDS	256

static void load(struct ata_port *ap, const struct tf_cmd *c)
{
	static const struct { unsigned bit; unsigned reg; } order[] = {
		{ TF_FEATURE, ATA_REG_FEATURE }, { TF_NSECT, ATA_REG_NSECT }, { TF_LBAL, ATA_REG_LBAL },
		{ TF_LBAM, ATA_REG_LBAM }, { TF_LBAH, ATA_REG_LBAH }, { TF_DEVICE, ATA_REG_DEVICE },
	};
	const uint8_t val[] = { c->tf.feature, c->tf.nsect, c->tf.lbal, c->tf.lbam, c->tf.lbah,
				(uint8_t)(c->tf.device | (c->dev ? ATA_DEV1 : 0)) };

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (c->regs & order[i].bit)
			ata_wr(ap, order[i].reg, val[i]);
}

/* The device said ERR: Status and Error are the result. */
static int failed(struct ata_port *ap, struct tf_cmd *c, uint8_t st)
{
	c->res.command = st;
	c->res.feature = ata_rd(ap, ATA_REG_ERR);
	ata_status(ap);
	return -EIO;
}

static int pio(struct ata_port *ap, struct tf_cmd *c, uint64_t tmo)
{
	uint8_t *p = c->buf;
	uint8_t st;
	int ret;

	for (size_t off = 0; off < c->len; off += 2 * TF_BLOCK_WORDS) {
		ret = ata_wait_drq(ap, tmo, &st);
		if (ret == -EIO)
			return failed(ap, c, st);
		if (ret)
			return ret;
		if (c->proto == TF_PIO_IN)
			ata_data_in(ap, (uint16_t *)(void *)(p + off), TF_BLOCK_WORDS);
		else
			ata_data_out(ap, (const uint16_t *)(const void *)(p + off), TF_BLOCK_WORDS);
		if (ap->bus->error)
			return ap->bus->error;
		c->xfer = off + 2 * TF_BLOCK_WORDS;
	}
	/* Read Status (not alt) to end the command and ack INTRQ, as ata_identify(). */
	ret = ata_wait_not_busy(ap, c->proto == TF_PIO_IN ? ATA_TMO_IDLE : tmo, &st);
	ata_status(ap);
	c->res.command = st;
	if (ret == 0 && (st & ATA_DRQ)) {
		ata_drain(ap);
		return -EPROTO;
	}
	return ret;
}

static int raw_exec(struct taskfile *t, struct tf_cmd *c)
{
	struct ata_port *ap = t->priv;
	uint64_t tmo = c->timeout_ns ? c->timeout_ns : ATA_TMO_DATA;
	uint8_t st;
	int ret;

	memset(&c->res, 0, sizeof(c->res));
	c->xfer = 0;
	if (c->proto != TF_NODATA && (!c->buf || !c->len || c->len % (2 * TF_BLOCK_WORDS) ||
				      ((uintptr_t)c->buf & 1)))
		return -EINVAL;
	ret = ata_dev_select(ap, c->dev);
	if (ret)
		return ret;
	load(ap, c);
	ata_exec_command(ap, c->tf.command);
	if (c->proto != TF_NODATA)
		return pio(ap, c, tmo);
	ret = ata_wait_not_busy(ap, tmo, &st);
	if (ret)
		return ret;
	ata_tf_read(ap, &c->res);
	ata_status(ap);
	return (c->res.command & ATA_ERR) ? -EIO : ap->bus->error;
}

static void raw_regs(struct taskfile *t, struct ata_tf *res)
{
	ata_tf_read(t->priv, res);
}

static void raw_delay(struct taskfile *t, uint64_t ns)
{
	bus_delay_ns(((struct ata_port *)t->priv)->bus, ns);
}

static uint64_t raw_now(struct taskfile *t)
{
	return bus_now_ns(((struct ata_port *)t->priv)->bus);
}

const struct taskfile_ops taskfile_raw_ops = {
	.name = "ide",
	.caps = TF_CAP_REGS,
	.exec = raw_exec,
	.regs = raw_regs,
	.delay_ns = raw_delay,
	.now_ns = raw_now,
};

void taskfile_raw_init(struct taskfile *t, struct ata_port *ap)
{
	t->ops = &taskfile_raw_ops;
	t->priv = ap;
	t->packet = -1;
}
