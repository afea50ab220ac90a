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
	m->serial = st == MTK_ST_SERIAL || st == MTK_ST_SERIAL2;
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
		if (bus_now_ns(b) - t0 >= MTK_OP_TMO_NS) {
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

int mtk_spi(struct mtk *m, const uint8_t *tx, size_t ntx, uint8_t *rx, size_t nrx)
{
	int ret = 0;

	if (!m->serial || !ntx || ntx + nrx > MTK_SPIBUF_LEN)
		return -EINVAL;
	for (size_t i = 0; i < ntx && !ret; i++)
		ret = mtk_write_byte(m, MTK_SPIBUF + (uint32_t)i, tx[i]);
	if (ret)
		return ret;
	select_dev(m);
	ata_wr(m->ap, ATA_REG_FEATURE, (uint8_t)ntx);
	ata_wr(m->ap, ATA_REG_NSECT, (uint8_t)(ntx >> 8));
	ata_wr(m->ap, ATA_REG_LBAM, (uint8_t)nrx);
	ata_wr(m->ap, ATA_REG_LBAH, (uint8_t)(nrx >> 8));
	ata_wr(m->ap, ATA_REG_LBAL, 0);
	ata_wr(m->ap, ATA_REG_CMD, MTK_CMD_SPI);
	select_dev(m);
	ret = wait_vendor(m);
	if (!ret) {
		ata_wr(m->ap, ATA_REG_CMD, MTK_CMD_SPI_END);
		select_dev(m);
		ret = wait_vendor(m);
	}
	for (size_t i = 0; i < nrx && !ret; i++)
		ret = mtk_read_byte(m, MTK_SPIBUF + (uint32_t)(ntx + i), &rx[i]);
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
