/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The documented sequences (mtk-protocol.md 2.5), written once over
 * taskfile.h. Each vendor command is one tf_cmd: the registers JF loads,
 * then Command. On the raw IDE registers the loads go out one by one in
 * JF's own order, with its Device/Head writes around them and Status
 * polled (tests/conform* compare every access with the record). On a FIS
 * transport (AHCI, SAT) the same registers leave as one Register H2D FIS
 * when Command is written, and Status, Error and LBA Low come back in the
 * D2H FIS that ends the command: a SATA device never sees the order or the
 * selects, only the values (Serial ATA 2.6 10.3.4).
 */
#include <errno.h>

#include "hw/mtk.h"

static void select_dev(struct mtk *m)
{
	ata_wr(m->ap, ATA_REG_DEVICE, m->sel);
}

static void bind(struct mtk *m, const struct taskfile *t, int dev)
{
	m->t = *t;
	m->ap = t->ops == &taskfile_raw_ops ? t->priv : NULL;
	m->dev = dev;
	m->sel = (uint8_t)(ATA_DEVICE_OBS | (dev ? ATA_DEV1 : 0));
}

/*
 * A FIS transport: one command, its D2H FIS. ERR is no failure here (73h
 * has it: every 73h exchange ends in TFES on AHCI, CHECK CONDITION on SAT);
 * the caller judges Status.
 */
static int fis(struct mtk *m, struct tf_cmd *c)
{
	int ret;

	c->dev = m->dev;
	c->proto = TF_NODATA;
	c->timeout_ns = MTK_OP_TMO_NS;
	ret = tf_exec(&m->t, c);
	return ret == -EIO ? 0 : ret;
}

static int classify(struct mtk *m, uint8_t st)
{
	m->status = st;
	m->lost = 0;
	m->found = 0;
	m->serial = st == MTK_ST_SERIAL || st == MTK_ST_SERIAL2;
	m->dialect = MTK_DIALECT_01;
	if (st == MTK_ST_PARALLEL || m->serial)
		return 0;
	if (st == MTK_ST_LOCKED)
		return -EACCES;
	if (st == 0x00 || st == 0xff)
		return -ENODEV;
	return -EAGAIN;
}

static int intro(struct mtk *m, const struct taskfile *t, int dev, uint64_t select_wait)
{
	struct tf_cmd c = { .regs = TF_LBAL | TF_DEVICE, .tf = { .lbal = MTK_INTRO_KEY, .command = MTK_CMD_INTRO } };
	struct ata_port *ap;
	uint8_t st;
	int ret;

	bind(m, t, dev);
	c.tf.device = m->sel;
	if (!m->ap) {
		/* No select reaches a SATA device, so neither does the wait between JF's two. */
		ret = fis(m, &c);
		if (ret == -ETIMEDOUT) {
			m->status = ATA_BUSY;	/* the raw path reads 80h from such a drive */
			return -EAGAIN;
		}
		if (ret)
			return ret;
		tf_delay_ns(&m->t, MTK_INTRO_WAIT_NS + MTK_INTRO_SETTLE_NS);
		return classify(m, c.res.command);
	}
	ap = m->ap;
	select_dev(m);
	bus_delay_ns(ap->bus, select_wait);
	select_dev(m);
	ata_wr(ap, ATA_REG_LBAL, c.tf.lbal);
	ata_wr(ap, ATA_REG_CMD, c.tf.command);
	bus_delay_ns(ap->bus, MTK_INTRO_WAIT_NS);
	select_dev(m);
	st = ata_rd(ap, ATA_REG_STATUS);
	bus_delay_ns(ap->bus, MTK_INTRO_SETTLE_NS);
	return ap->bus->error ? ap->bus->error : classify(m, st);
}

int mtk_found(struct mtk *m, const struct taskfile *t, int dev)
{
	int st;

	bind(m, t, dev);
	if (!m->ap) {
		/* The host's copy of the last D2H FIS (AHCI PxTFD); SG_IO keeps none. */
		if (!m->t.ops->status)
			return -EOPNOTSUPP;
		st = m->t.ops->status(&m->t);
		if (st < 0)
			return st;
	} else {
		select_dev(m);
		ata_pause(m->ap);
		st = ata_rd(m->ap, ATA_REG_STATUS);
		if (m->ap->bus->error)
			return m->ap->bus->error;
	}
	if (!mtk_vendor_status((uint8_t)st)) {
		m->status = (uint8_t)st;
		return -EAGAIN;
	}
	if (!m->ap) {
		/*
		 * PxTFD is only the last D2H FIS: QEMU's AHCI leaves 70h there after
		 * resetting a CD that runs its firmware (ahci_reset_port: SEEK, WRERR,
		 * READY). One byte read must answer with the same status; to a drive
		 * outside vendor mode its command 00h is NOP, which it aborts.
		 */
		struct tf_cmd c = { .regs = TF_LBAM | TF_LBAH | TF_DEVICE,
				    .tf = { .device = m->sel, .command = MTK_CMD_READ } };
		int ret = fis(m, &c);

		if (ret)
			return ret;
		if (c.res.command != st) {
			m->status = c.res.command;
			return -EAGAIN;
		}
	}
	classify(m, (uint8_t)st);
	m->found = 1;
	return 0;
}

int mtk_intro(struct mtk *m, const struct taskfile *t, int dev)
{
	return intro(m, t, dev, MTK_SELECT_WAIT_NS);
}

int mtk_intro_fast(struct mtk *m, const struct taskfile *t, int dev)
{
	return intro(m, t, dev, 0);
}

void mtk_delay_ns(struct mtk *m, uint64_t ns)
{
	tf_delay_ns(&m->t, ns);
}

uint64_t mtk_now_ns(struct mtk *m)
{
	return tf_now_ns(&m->t);
}

/* Poll Status until the engine shows the vendor status again. */
static int wait_vendor(struct mtk *m)
{
	struct bus *b = m->ap->bus;
	uint64_t t0 = bus_now_ns(b);
	uint8_t st;
	int odd = 0;

	for (;;) {
		/* the clock before the read: a stall after it cannot end the wait unread */
		int late = bus_now_ns(b) - t0 >= MTK_OP_TMO_NS;

		st = ata_rd(m->ap, ATA_REG_STATUS);
		if (st == m->status)
			return 0;
		if (b->error)
			return b->error;
		/* Reading Status changes nothing: a bit lost on a poor cable shows once, a real change stays. */
		if (!(st & ATA_BUSY) && ++odd >= MTK_STATUS_REREADS) {
			bus_logf(b, BUS_LOG_ERR, "vendor mode lost: status %02Xh, expected %02Xh", st, m->status);
			m->lost = 1;
			return -EIO;
		}
		/* Outside vendor mode a drive takes no register writes while BSY (ATA/ATAPI-7 5.2). */
		if (late) {
			m->lost = 1;
			return -ETIMEDOUT;
		}
	}
}

static uint8_t reg_val(const struct tf_cmd *c, uint8_t reg)
{
	switch (reg) {
	case ATA_REG_FEATURE: return c->tf.feature;
	case ATA_REG_NSECT: return c->tf.nsect;
	case ATA_REG_LBAL: return c->tf.lbal;
	case ATA_REG_LBAM: return c->tf.lbam;
	case ATA_REG_LBAH: return c->tf.lbah;
	}
	return c->tf.device;
}

static unsigned reg_bit(uint8_t reg)
{
	switch (reg) {
	case ATA_REG_FEATURE: return TF_FEATURE;
	case ATA_REG_NSECT: return TF_NSECT;
	case ATA_REG_LBAL: return TF_LBAL;
	case ATA_REG_LBAM: return TF_LBAM;
	case ATA_REG_LBAH: return TF_LBAH;
	}
	return TF_DEVICE;
}

/*
 * One vendor command that the engine answers with its vendor status (and,
 * for reads, the byte in LBA Low). Raw: Device/Head, the loads in JF's
 * order[], Command, Device/Head, Status polled. FIS: the same values in
 * one Register FIS; the D2H FIS is CRC-checked, so a status other than the
 * vendor one is the engine's answer, not a bit lost on the way.
 */
static int exchange(struct mtk *m, struct tf_cmd *c, const uint8_t *order, size_t n, uint8_t *val)
{
	int ret;

	if (m->lost)
		return -EIO;
	if (!(c->regs & TF_DEVICE))
		c->tf.device = m->sel;
	if (!m->ap) {
		for (size_t i = 0; i < n; i++)
			c->regs |= reg_bit(order[i]);
		ret = fis(m, c);
		if (!ret && c->res.command != m->status)
			ret = -EIO;
		if (ret == -EIO || ret == -ETIMEDOUT)
			m->lost = 1;
		if (!ret && val)
			*val = c->res.lbal;
		return ret;
	}
	select_dev(m);
	for (size_t i = 0; i < n; i++)
		ata_wr(m->ap, order[i], reg_val(c, order[i]));
	ata_wr(m->ap, ATA_REG_CMD, c->tf.command);
	select_dev(m);
	ret = wait_vendor(m);
	if (!ret && val)
		*val = ata_rd(m->ap, ATA_REG_LBAL);
	return ret;
}

/* The flash address: LBA Mid, LBA High, the bank nibble in Device/Head (mtk-protocol.md 2.5). */
static struct tf_cmd addr_cmd(struct mtk *m, uint32_t addr, uint8_t cmd)
{
	return (struct tf_cmd){
		.regs = TF_DEVICE,
		.tf = { .lbam = (uint8_t)addr, .lbah = (uint8_t)(addr >> 8),
			.device = (uint8_t)(m->sel | ((addr >> 16) & 0x0f)), .command = cmd },
	};
}

int mtk_read_byte(struct mtk *m, uint32_t addr, uint8_t *val)
{
	static const uint8_t order[] = { ATA_REG_LBAM, ATA_REG_LBAH, ATA_REG_DEVICE };
	struct tf_cmd c = addr_cmd(m, addr, MTK_CMD_READ);

	return exchange(m, &c, order, sizeof(order), val);
}

int mtk_write_byte(struct mtk *m, uint32_t addr, uint8_t val)
{
	static const uint8_t order[] = { ATA_REG_LBAM, ATA_REG_LBAH, ATA_REG_DEVICE, ATA_REG_LBAL };
	struct tf_cmd c = addr_cmd(m, addr, MTK_CMD_WRITE);

	c.tf.lbal = val;
	return exchange(m, &c, order, sizeof(order), NULL);
}

const struct mtk_dialect_cmds mtk_dialects[MTK_DIALECTS] = {
	[MTK_DIALECT_01] = { 0x01, 0x00, 0x04, 0x05, "01/00/04", "JF \"Phat\", method_228/229/231" },
	[MTK_DIALECT_52] = { 0x52, 0x1f, 0xc2, 0x00, "52/1F/C2", "JF \"Slim2\", method_242/243/244" },
	[MTK_DIALECT_68] = { 0x68, 0x91, 0x1b, 0x00, "68/91/1B", "JF \"Slim\", method_234/235/236" },
};

/* The buffer address, then the command: JF method_228/229 (no bank nibble, Device/Head before and after). */
int mtk_buf_write(struct mtk *m, uint16_t addr, uint8_t val)
{
	static const uint8_t order[] = { ATA_REG_LBAM, ATA_REG_LBAH, ATA_REG_LBAL };
	struct tf_cmd c = { .tf = { .lbam = (uint8_t)addr, .lbah = (uint8_t)(addr >> 8), .lbal = val,
				    .command = mtk_dialects[m->dialect].wr } };

	if (!m->serial)
		return m->lost ? -EIO : -EINVAL;
	return exchange(m, &c, order, sizeof(order), NULL);
}

int mtk_buf_read(struct mtk *m, uint16_t addr, uint8_t *val)
{
	static const uint8_t order[] = { ATA_REG_LBAM, ATA_REG_LBAH };
	struct tf_cmd c = { .tf = { .lbam = (uint8_t)addr, .lbah = (uint8_t)(addr >> 8),
				    .command = mtk_dialects[m->dialect].rd } };

	if (!m->serial)
		return m->lost ? -EIO : -EINVAL;
	return exchange(m, &c, order, sizeof(order), val);
}

int mtk_spi_run(struct mtk *m, size_t ntx, size_t nrx)
{
	/* JF method_231: this order, Sector Number 0 between the two counts */
	static const uint8_t order[] = { ATA_REG_FEATURE, ATA_REG_NSECT, ATA_REG_LBAL, ATA_REG_LBAM,
					 ATA_REG_LBAH };
	const struct mtk_dialect_cmds *d = &mtk_dialects[m->dialect];
	/* 73h: "counts high byte first" (JF method_298: 00 04 01 00 = 4 out, 256 in) */
	int hi = m->status == MTK_ST_SERIAL2;
	struct tf_cmd c = { .tf = {
		.feature = (uint8_t)(hi ? ntx >> 8 : ntx), .nsect = (uint8_t)(hi ? ntx : ntx >> 8),
		.lbam = (uint8_t)(hi ? nrx >> 8 : nrx), .lbah = (uint8_t)(hi ? nrx : nrx >> 8),
		.command = d->spi } };
	int ret;

	if (m->lost)
		return -EIO;
	if (!m->serial || !ntx || ntx + nrx > MTK_SPI_MAX)
		return -EINVAL;
	ret = exchange(m, &c, order, sizeof(order), NULL);
	if (ret || !d->end)
		return ret;
	/* The 01h set's chip-select release: Device/Head, Command, Status (no second Device/Head). */
	if (!m->ap) {
		struct tf_cmd e = { .tf = { .command = d->end } };

		return exchange(m, &e, NULL, 0, NULL);
	}
	select_dev(m);
	ata_wr(m->ap, ATA_REG_CMD, d->end);
	return wait_vendor(m);
}

int mtk_spi(struct mtk *m, uint16_t at, const uint8_t *tx, size_t ntx, uint16_t rx_at, uint8_t *rx,
	    size_t nrx)
{
	int ret = 0;

	if (!m->serial || !ntx || ntx + nrx > MTK_SPI_MAX)
		return -EINVAL;
	for (size_t i = 0; i < ntx && !ret; i++)
		ret = mtk_buf_write(m, (uint16_t)(at + i), tx[i]);
	if (!ret)
		ret = mtk_spi_run(m, ntx, nrx);
	for (size_t i = 0; i < nrx && !ret; i++)
		ret = mtk_buf_read(m, (uint16_t)(rx_at + i), &rx[i]);
	return ret;
}

void mtk_outro(struct mtk *m)
{
	struct tf_cmd c = { .tf.command = MTK_CMD_OUTRO1 };

	if (m->lost)
		return;		/* nothing to leave; the drive may be BSY with its own restart */
	if (!m->ap) {
		c.tf.device = m->sel;
		fis(m, &c);	/* what the engine answers is not judged: JF reads Status once and waits */
		c.tf.command = MTK_CMD_OUTRO2;
		fis(m, &c);
		tf_delay_ns(&m->t, MTK_OUTRO_WAIT_NS);
		return;
	}
	select_dev(m);
	ata_wr(m->ap, ATA_REG_CMD, MTK_CMD_OUTRO1);
	select_dev(m);
	ata_wr(m->ap, ATA_REG_CMD, MTK_CMD_OUTRO2);
	ata_rd(m->ap, ATA_REG_STATUS);
	bus_delay_ns(m->ap->bus, MTK_OUTRO_WAIT_NS);
}

const char *mtk_status_str(uint8_t st)
{
	switch (st) {
	case MTK_ST_PARALLEL: return "vendor mode, parallel flash";
	case MTK_ST_SERIAL: case MTK_ST_SERIAL2: return "vendor mode, serial flash";
	case MTK_ST_LOCKED: return "vendor mode, but the flash is locked";
	case 0x50: case 0x51: return "the drive's firmware refused the intro";
	case 0x80: return "BSY: the drive does not answer (no working firmware, outside its power-on window?)";
	case 0x00: case 0xff: return "nothing answers";
	}
	return "not a vendor-mode status";
}
