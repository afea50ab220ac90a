/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MediaTek vendor mode over taskfile.h (docs/protocol.md): intro, byte
 * read/write at a 20-bit flash address, SPI transactions through the
 * engine's buffer as JungleFlasher lays them out, outro. No flash-chip
 * knowledge here: see hw/flash.c.
 */
#ifndef ODRESCUE_MTK_H
#define ODRESCUE_MTK_H

#include <stddef.h>
#include <stdint.h>

#include "hw/ata.h"
#include "hw/taskfile.h"

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

/* A status only an engine in vendor mode shows (2.4): 70h, 72h, 73h. */
static inline int mtk_vendor_status(uint8_t st)
{
	return st == MTK_ST_PARALLEL || st == MTK_ST_SERIAL || st == MTK_ST_SERIAL2;
}
/*
 * The serial buffer. JF (jungleflasher-with-extras @ 9ea5961, Form1.cs)
 * fills it from 8800h on 72h drives (method_304/308/326) and from 0000h on
 * 73h drives (method_297/298/302), reads status replies at 0001h on both
 * (method_232/314/317) and the "Slim" ID replies at 0004h (method_305/306):
 * the addresses alias, so the buffer decodes few address bits. Its size is
 * not in the record; JF never moves more than 4 + 256 bytes in one
 * transaction (page program, method_302/326; read, method_298/308), so
 * neither does odrescue.
 */
#define MTK_SPIBUF		0x8800u	/* 72h: JF method_304/308/326 */
#define MTK_SPIBUF73		0x0000u	/* 73h: JF method_297/298/302 */
#define MTK_SPI_SR_REPLY	0x0001u	/* status reply: JF method_232/314/317, 72h and 73h */
#define MTK_SPI_MAX		(4u + 256u)	/* bytes out + in per transaction, JF's largest */

/*
 * The three serial command sets JF tries, in its order (method_303, default
 * branch: method_304, then 306, then 305): buffer write, buffer read, SPI
 * run and (01h set only) chip-select release. Names are JF's radio buttons.
 */
enum mtk_dialect { MTK_DIALECT_01, MTK_DIALECT_52, MTK_DIALECT_68, MTK_DIALECTS };
struct mtk_dialect_cmds {
	uint8_t wr, rd, spi, end;	/* end 0: none sent */
	const char *name;		/* "01/00/04" */
	const char *jf;			/* JF's label and methods */
};
extern const struct mtk_dialect_cmds mtk_dialects[MTK_DIALECTS];

struct mtk {
	struct taskfile t;	/* the transport */
	struct ata_port *ap;	/* the raw IDE registers (JF's register order, Status polled); NULL: a FIS transport */
	int dev;
	uint8_t sel;		/* A0h / B0h */
	uint8_t status;		/* vendor status after the intro */
	int serial;		/* 72h/73h: SPI flash behind the buffer */
	enum mtk_dialect dialect;	/* serial command set in use (01/00/04 until one is detected) */
	int lost;		/* vendor mode is gone (power lost, drive restarted): no more writes */
	int found;		/* mtk_found: the engine was in vendor mode before this run, its flash as left */
};

/*
 * Send the intro once and classify Status: 0 (70h parallel, 72h/73h
 * serial), -EACCES (52h: vendor mode, flash locked), -EAGAIN (the drive
 * did not take it: 50h/51h/80h...), -ENODEV (00h/FFh: nobody there).
 * m->status keeps what was read.
 */
int mtk_intro(struct mtk *m, const struct taskfile *t, int dev);
/*
 * A drive already in vendor mode (left there by a killed run or another
 * tool): the first Status read shows 70h, 72h or 73h (2.4). 0 and m set up
 * as mtk_intro would, with nothing sent but the device selection; -EAGAIN
 * (m->status keeps what was read) for any other status. What the intro does
 * to a drive already in vendor mode is not in the public record: it is not sent.
 * On an AHCI port the Status read is PxTFD, the last D2H FIS the host
 * kept, confirmed by one byte read (00h: NOP to a drive outside vendor
 * mode, which aborts it); -EOPNOTSUPP through SG_IO, where nothing keeps it.
 */
int mtk_found(struct mtk *m, const struct taskfile *t, int dev);
/* The intro without the 250 ms select wait: for a loop that resends it every few ms. */
int mtk_intro_fast(struct mtk *m, const struct taskfile *t, int dev);
/* The transport's clock, for the record's waits and the flash layer's timeouts. */
void mtk_delay_ns(struct mtk *m, uint64_t ns);
uint64_t mtk_now_ns(struct mtk *m);
int mtk_read_byte(struct mtk *m, uint32_t addr, uint8_t *val);
int mtk_write_byte(struct mtk *m, uint32_t addr, uint8_t val);
/* One serial-buffer byte, JF method_228 (write) and method_229 (read), in m->dialect. */
int mtk_buf_write(struct mtk *m, uint16_t addr, uint8_t val);
int mtk_buf_read(struct mtk *m, uint16_t addr, uint8_t *val);
/*
 * Run one SPI transaction on what the buffer holds (JF method_231): ntx
 * bytes out, nrx in. Counts low byte first on 72h (Features, Sector Count;
 * LBA Mid, LBA High), high byte first on 73h (JF method_298/302/232).
 * -EINVAL past MTK_SPI_MAX.
 */
int mtk_spi_run(struct mtk *m, size_t ntx, size_t nrx);
/* tx into the buffer from at, run, then nrx reply bytes from rx_at. */
int mtk_spi(struct mtk *m, uint16_t at, const uint8_t *tx, size_t ntx, uint16_t rx_at, uint8_t *rx,
	    size_t nrx);
/* Leave vendor mode; the drive restarts from its flash. */
void mtk_outro(struct mtk *m);
/* "70h: vendor mode, parallel flash" and so on. */
const char *mtk_status_str(uint8_t st);

#endif
