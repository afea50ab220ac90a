/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flash chip behind a MediaTek drive in vendor mode: identify it by
 * JEDEC id, read, erase and program it. Parallel chips get JEDEC command
 * sequences through the byte-write primitive; serial chips SPI opcodes
 * through the buffer. Completion by data#-polling / WIP, never fixed sleeps.
 */
#ifndef ODRESCUE_FLASH_H
#define ODRESCUE_FLASH_H

#include <signal.h>
#include <stdint.h>

#include "hw/mtk.h"

enum flash_bus { FLASH_PARALLEL, FLASH_SPI };

/* What has been seen to work, per operation (flashrom's TEST_OK_* habit). */
enum {
	FT_PROBE = 1 << 0,
	FT_READ = 1 << 1,
	FT_ERASE = 1 << 2,
	FT_WRITE = 1 << 3,
};

struct flashchip {
	const char *vendor;
	const char *name;
	enum flash_bus bus;
	uint8_t mfr;		/* parallel: JEDEC manufacturer id */
	uint16_t dev;		/* parallel: device id */
	uint8_t rdid[3];	/* SPI: RDID (9Fh) answer; 00 00 00: the part has none */
	uint8_t rems[2];	/* SPI: REMS (90h) answer; 00 00: not known */
	uint32_t size;
	uint32_t sector;	/* erase unit; 0: chip erase only */
	uint8_t erase_op;	/* SPI: 20h, D7h (PMC) or D8h (64 KiB) */
	uint8_t chip_op;	/* SPI chip erase: C7h, 60h (SST) */
	uint16_t page;		/* SPI program unit (1: byte program); parallel 1 */
	uint8_t ewsr;		/* SPI: the status register is written after EWSR (50h), not WREN (SST25VF) */
	uint8_t no_write;	/* never written: what it is and how it erases are not known */
	uint32_t t_prog_us;	/* datasheet maximum per byte/page */
	uint32_t t_erase_ms;	/* maximum per erase unit */
	uint32_t t_chip_ms;	/* maximum chip erase */
	unsigned tested_sim;	/* FT_*: checked against the simulator's model of the part */
	unsigned tested_hw;	/* FT_*: reported working on a real drive */
};

/*
 * A parallel part that programs whole pages (W29C040: 256 bytes after one
 * AAh/55h/A0h, flashrom write_jedec): the record shows no page write, and
 * the byte-program path would leave the rest of each page undefined, so
 * odrescue reads it and never writes or erases it.
 */
static inline int flash_page_write_part(const struct flashchip *k)
{
	return k->bus == FLASH_PARALLEL && k->page > 1;
}

extern const struct flashchip flashchips[];	/* name == NULL terminated */
const struct flashchip *flashchip_find(enum flash_bus bus, uint8_t mfr, uint16_t dev);
/* SPI rows whose RDID (3 bytes) or REMS (2 bytes) is id; *n counts them (the first is returned). */
const struct flashchip *flashchip_find_spi(const uint8_t *id, size_t len, unsigned *n);
/* A 73h drive: the record has no chip-ID layout for it (JF method_297); JF reads 256 KiB (method_298). */
extern const struct flashchip flashchip_73h;

/* SPI status bits BP0-BP3 and SRWD/BPL: JF method_314 calls 8Ch and 8Eh "locked", method_238/315 test bit 7. */
#define FLASH_SR_PROTECT	0xbc
static inline int flash_sr_protected(uint8_t sr)
{
	return (sr & FLASH_SR_PROTECT) != 0;
}

typedef void (*flash_progress_fn)(void *arg, uint32_t done, uint32_t total);

struct flash_dev {
	struct mtk m;
	const struct flashchip *chip;	/* NULL: id read but unknown */
	uint8_t id[3];			/* what the chip said: id_len bytes of id_kind */
	uint8_t id_len;
	const char *id_kind;		/* "JEDEC", "REMS", "RDID", or NULL: none read */
	uint8_t sr;			/* SPI: status register as last read (first: right after the ID) */
	int writable;			/* SPI: status read, unprotected: erase and program may run */
	uint64_t polls;			/* status/data# polls spent waiting */
	uint64_t resends;		/* parallel bytes sent again after a failed read-back */
	volatile sig_atomic_t *stop;	/* set and *stop: flash_read ends with -EINTR at a 4 KiB step */
};

/*
 * Refuse anything but a packet device (an ATA disk never gets a vendor
 * command), enter vendor mode, identify the chip. Nothing is written to
 * the flash. -E_REFUSED-style callers map: -EPERM an ATA disk, -EACCES
 * locked (52h), -EAGAIN intro not taken, -ENODEV nothing there, -ENOENT
 * unknown chip (f->id holds the id; vendor mode is left).
 */
int flash_open(struct flash_dev *f, const struct taskfile *t, int dev);
/* The same after the intro already succeeded (the rescue loop sends it itself). */
int flash_identify(struct flash_dev *f);
int flash_read(struct flash_dev *f, uint32_t off, uint8_t *buf, uint32_t len,
	       flash_progress_fn cb, void *arg);
/* Erase the unit(s) covering [off, off+len); off and len aligned to chip->sector. */
int flash_erase(struct flash_dev *f, uint32_t off, uint32_t len);
int flash_erase_chip(struct flash_dev *f);
/* Program bytes that are not FFh; -EINVAL if a bit would have to go 0 -> 1 (erase first). */
int flash_program(struct flash_dev *f, uint32_t off, const uint8_t *buf, uint32_t len,
		  const uint8_t *old, flash_progress_fn cb, void *arg);
void flash_close(struct flash_dev *f);
/*
 * Before the first erase or program: parallel chips need nothing. A serial
 * chip's status register is read; any protection bit (8Ch, 8Eh...) is
 * cleared as JF does (write enable, write status 00h, method_315) and read
 * again. -EROFS: it stays protected (f->sr says how); -EOPNOTSUPP: a chip
 * that is never written (a 73h drive's). Nothing in the array changes.
 */
int flash_unprotect(struct flash_dev *f);

/* Is dev a packet device? 1 yes, 0 an ATA disk, -errno unknown (BSY: a dead drive may be). */
int flash_is_packet(const struct taskfile *t, int dev);

#endif
