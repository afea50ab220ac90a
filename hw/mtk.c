/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The documented register-write sequences, kept exactly (mtk-protocol.md 2.5). */
#include <errno.h>

#include "hw/mtk.h"

static void select_dev(struct mtk *m)
{
	ata_wr(m->ap, ATA_REG_DEVICE, m->sel);
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

static int intro(struct mtk *m, struct ata_port *ap, int dev, uint64_t select_wait)
{
	uint8_t st;

	m->ap = ap;
	m->dev = dev;
	m->sel = (uint8_t)(ATA_DEVICE_OBS | (dev ? ATA_DEV1 : 0));
	select_dev(m);
	bus_delay_ns(ap->bus, select_wait);
	select_dev(m);
	ata_wr(ap, ATA_REG_LBAL, MTK_INTRO_KEY);
	ata_wr(ap, ATA_REG_CMD, MTK_CMD_INTRO);
	bus_delay_ns(ap->bus, MTK_INTRO_WAIT_NS);
	select_dev(m);
	st = ata_rd(ap, ATA_REG_STATUS);
	bus_delay_ns(ap->bus, MTK_INTRO_SETTLE_NS);
	return ap->bus->error ? ap->bus->error : classify(m, st);
}

int mtk_found(struct mtk *m, struct ata_port *ap, int dev)
{
	uint8_t st;

	m->ap = ap;
	m->dev = dev;
	m->sel = (uint8_t)(ATA_DEVICE_OBS | (dev ? ATA_DEV1 : 0));
	select_dev(m);
	ata_pause(ap);
	st = ata_rd(ap, ATA_REG_STATUS);
	if (ap->bus->error)
		return ap->bus->error;
	if (st != MTK_ST_PARALLEL && st != MTK_ST_SERIAL && st != MTK_ST_SERIAL2) {
		m->status = st;
		return -EAGAIN;
	}
	classify(m, st);
	m->found = 1;
	return 0;
}

int mtk_intro(struct mtk *m, struct ata_port *ap, int dev)
{
	return intro(m, ap, dev, MTK_SELECT_WAIT_NS);
}

int mtk_intro_fast(struct mtk *m, struct ata_port *ap, int dev)
{
	return intro(m, ap, dev, 0);
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

static void load_addr(struct mtk *m, uint32_t addr)
{
	select_dev(m);
	ata_wr(m->ap, ATA_REG_LBAM, (uint8_t)addr);
	ata_wr(m->ap, ATA_REG_LBAH, (uint8_t)(addr >> 8));
	ata_wr(m->ap, ATA_REG_DEVICE, (uint8_t)(m->sel | ((addr >> 16) & 0x0f)));
}

int mtk_read_byte(struct mtk *m, uint32_t addr, uint8_t *val)
{
	int ret;

	if (m->lost)
		return -EIO;
	load_addr(m, addr);
	ata_wr(m->ap, ATA_REG_CMD, MTK_CMD_READ);
	select_dev(m);
	ret = wait_vendor(m);
	if (!ret)
		*val = ata_rd(m->ap, ATA_REG_LBAL);
	return ret;
}

int mtk_write_byte(struct mtk *m, uint32_t addr, uint8_t val)
{
	if (m->lost)
		return -EIO;
	load_addr(m, addr);
	ata_wr(m->ap, ATA_REG_LBAL, val);
	ata_wr(m->ap, ATA_REG_CMD, MTK_CMD_WRITE);
	select_dev(m);
	return wait_vendor(m);
}

const struct mtk_dialect_cmds mtk_dialects[MTK_DIALECTS] = {
	[MTK_DIALECT_01] = { 0x01, 0x00, 0x04, 0x05, "01/00/04", "JF \"Phat\", method_228/229/231" },
	[MTK_DIALECT_52] = { 0x52, 0x1f, 0xc2, 0x00, "52/1F/C2", "JF \"Slim2\", method_242/243/244" },
	[MTK_DIALECT_68] = { 0x68, 0x91, 0x1b, 0x00, "68/91/1B", "JF \"Slim\", method_234/235/236" },
};

/* The buffer address, then the command: JF method_228/229 (no bank nibble, Device/Head before and after). */
static void buf_cmd(struct mtk *m, uint16_t addr, const uint8_t *val, uint8_t cmd)
{
	select_dev(m);
	ata_wr(m->ap, ATA_REG_LBAM, (uint8_t)addr);
	ata_wr(m->ap, ATA_REG_LBAH, (uint8_t)(addr >> 8));
	if (val)
		ata_wr(m->ap, ATA_REG_LBAL, *val);
	ata_wr(m->ap, ATA_REG_CMD, cmd);
	select_dev(m);
}

int mtk_buf_write(struct mtk *m, uint16_t addr, uint8_t val)
{
	if (m->lost || !m->serial)
		return m->lost ? -EIO : -EINVAL;
	buf_cmd(m, addr, &val, mtk_dialects[m->dialect].wr);
	return wait_vendor(m);
}

int mtk_buf_read(struct mtk *m, uint16_t addr, uint8_t *val)
{
	int ret;

	if (m->lost || !m->serial)
		return m->lost ? -EIO : -EINVAL;
	buf_cmd(m, addr, NULL, mtk_dialects[m->dialect].rd);
	ret = wait_vendor(m);
	if (!ret)
		*val = ata_rd(m->ap, ATA_REG_LBAL);
	return ret;
}

int mtk_spi_run(struct mtk *m, size_t ntx, size_t nrx)
{
	const struct mtk_dialect_cmds *d = &mtk_dialects[m->dialect];
	/* 73h: "counts high byte first" (JF method_298: 00 04 01 00 = 4 out, 256 in) */
	int hi = m->status == MTK_ST_SERIAL2;
	uint8_t tx_a = (uint8_t)(hi ? ntx >> 8 : ntx), tx_b = (uint8_t)(hi ? ntx : ntx >> 8);
	uint8_t rx_a = (uint8_t)(hi ? nrx >> 8 : nrx), rx_b = (uint8_t)(hi ? nrx : nrx >> 8);
	int ret;

	if (m->lost)
		return -EIO;
	if (!m->serial || !ntx || ntx + nrx > MTK_SPI_MAX)
		return -EINVAL;
	/* JF method_231: this order, Sector Number 0 between the two counts */
	select_dev(m);
	ata_wr(m->ap, ATA_REG_FEATURE, tx_a);
	ata_wr(m->ap, ATA_REG_NSECT, tx_b);
	ata_wr(m->ap, ATA_REG_LBAL, 0);
	ata_wr(m->ap, ATA_REG_LBAM, rx_a);
	ata_wr(m->ap, ATA_REG_LBAH, rx_b);
	ata_wr(m->ap, ATA_REG_CMD, d->spi);
	select_dev(m);
	ret = wait_vendor(m);
	if (!ret && d->end) {
		select_dev(m);
		ata_wr(m->ap, ATA_REG_CMD, d->end);
		ret = wait_vendor(m);
	}
	return ret;
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
	if (m->lost)
		return;		/* nothing to leave; the drive may be BSY with its own restart */
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
