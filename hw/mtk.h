/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MediaTek vendor mode over the taskfile (docs/protocol.md): intro, byte
 * read/write at a 20-bit flash address, SPI transactions through the
 * 1 KiB buffer, outro. No flash-chip knowledge here: see hw/flash.c.
 */
#ifndef ODRESCUE_MTK_H
#define ODRESCUE_MTK_H

#include <stddef.h>
#include <stdint.h>

#include "hw/ata.h"

/* Timeouts (ns) and waits, with their source (mtk-protocol.md 2.3-2.8). */
#define MTK_SELECT_WAIT_NS	(250 * NSEC_PER_MSEC)	/* JF method_252: select, 250 ms, select */
#define MTK_INTRO_WAIT_NS	(2 * NSEC_PER_MSEC)	/* JF: 2 ms after 80h before Status */
#define MTK_INTRO_SETTLE_NS	(1 * NSEC_PER_MSEC)	/* JF method_252 L42951: 1 ms after reading it */
#define MTK_OP_TMO_NS		(100 * NSEC_PER_MSEC)	/* one byte/SPI op; the engine answers in us [GUESS] */
#define MTK_OUTRO_WAIT_NS	(350 * NSEC_PER_MSEC)	/* JF: 350 ms after 08h */
#define MTK_STATUS_REREADS	3	/* the same odd status this often: vendor mode is gone */
#define MTK_INTRO_KEY		0x2a	/* Sector Number with command 80h ("Phat") */
#define MTK_CMD_INTRO		0x80
#define MTK_CMD_READ		0x00
#define MTK_CMD_WRITE		0x01
#define MTK_CMD_SPI		0x04
#define MTK_CMD_SPI_END		0x05
#define MTK_CMD_OUTRO1		0x81
#define MTK_CMD_OUTRO2		0x08
#define MTK_ST_PARALLEL		0x70
#define MTK_ST_SERIAL		0x72
#define MTK_ST_SERIAL2		0x73
#define MTK_ST_LOCKED		0x52
#define MTK_SPIBUF		0x8800u
#define MTK_SPIBUF_LEN		0x400u

struct mtk {
	struct ata_port *ap;
	int dev;
	uint8_t sel;		/* A0h / B0h */
	uint8_t status;		/* vendor status after the intro */
	int serial;		/* 72h/73h: SPI flash behind the buffer */
	int lost;		/* vendor mode is gone (power lost, drive restarted): no more writes */
};

/*
 * Send the intro once and classify Status: 0 (70h parallel, 72h/73h
 * serial), -EACCES (52h: vendor mode, flash locked), -EAGAIN (the drive
 * did not take it: 50h/51h/80h...), -ENODEV (00h/FFh: nobody there).
 * m->status keeps what was read.
 */
int mtk_intro(struct mtk *m, struct ata_port *ap, int dev);
/* The intro without the 250 ms select wait: for a loop that resends it every few ms. */
int mtk_intro_fast(struct mtk *m, struct ata_port *ap, int dev);
int mtk_read_byte(struct mtk *m, uint32_t addr, uint8_t *val);
int mtk_write_byte(struct mtk *m, uint32_t addr, uint8_t val);
/* One SPI transaction: send ntx bytes, receive nrx (ntx + nrx <= 1 KiB). */
int mtk_spi(struct mtk *m, const uint8_t *tx, size_t ntx, uint8_t *rx, size_t nrx);
/* Leave vendor mode; the drive restarts from its flash. */
void mtk_outro(struct mtk *m);
/* "70h: vendor mode, parallel flash" and so on. */
const char *mtk_status_str(uint8_t st);

#endif
