/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Simulated flash chips as their datasheets define them, independent of the
 * IDE channel: parallel JEDEC parts driven by bus cycles and SPI parts driven
 * by whole transactions. Time is whatever clock the caller passes (the sim's
 * virtual ns); an operation finishes when its datasheet typical time is up.
 * Every misuse a real chip would punish (program without unlock, erase without
 * WEL, commands while busy) is recorded as a violation, never fatal.
 */
#ifndef ODRESCUE_SIMFLASH_H
#define ODRESCUE_SIMFLASH_H

#include <stddef.h>
#include <stdint.h>

struct simflash_chip {		/* one per simulated part, real IDs and sizes */
	const char *name;	/* "SST39SF040" */
	int spi;		/* 0 parallel JEDEC, 1 SPI */
	uint8_t id[3];		/* parallel: mfr, dev; SPI: RDID 3 bytes (00 00 00: no RDID) */
	uint8_t rems[2];	/* SPI REMS (90h) mfr, dev (00 00: no REMS) */
	int block_only;		/* SPI: no 4 KiB erase (20h), 64 KiB D8h and chip erase only (W25P) */
	uint32_t size, sector;	/* bytes; parallel: the 30h erase unit */
	uint32_t page;		/* SPI page program size (1 for SST25VF byte program); parallel: >1 page write */
	/* datasheet typical; t_prog_ns is per byte (parallel) or per page program (SPI) */
	uint64_t t_prog_ns, t_sector_erase_ns, t_chip_erase_ns;
	uint64_t t_block_erase_ns;	/* SPI D8h 64 KiB block erase; 0 on parallel parts */
	uint32_t cmd_mask;	/* parallel: address bits the command decoder sees (0: 7FFFh) */
	uint8_t sr_init;	/* SPI: status register at power-on (SST25VF: BP bits set, volatile) */
};

extern const struct simflash_chip simflash_chips[];	/* name == NULL terminated */
const struct simflash_chip *simflash_chip_find(const char *name);	/* NULL if unknown */

#define SIMFLASH_PAGE_MAX	256	/* largest SPI page in the table */
#define SIMFLASH_MSG_LEN	128

enum simflash_op {
	SIMFLASH_IDLE,
	SIMFLASH_PROGRAM,	/* parallel byte or SPI page/byte program */
	SIMFLASH_ERASE,		/* sector, block or chip erase: [op_addr, op_addr+op_len) */
};

/* Contents, command state machine, busy-until time and violation log. */
struct simflash {
	const struct simflash_chip *chip;
	uint8_t *mem;			/* chip->size bytes */
	int mem_lent;			/* mem is the caller's (a mapped state= file): not freed */
	/* parallel command state */
	int cycle;			/* bus cycles of the current JEDEC sequence so far */
	int erase_setup;		/* 80h seen: the next AA/55 lead to 30h/10h */
	int id_mode;			/* 90h: reads return the IDs */
	uint8_t toggle;			/* DQ6 while busy, flips on every read */
	/* SPI state */
	int wel;			/* write enable latch */
	int ewsr;			/* SST 50h: the next 01h may write the status register */
	uint8_t sr;			/* status register bits 7..2 (BP bits, SRWD) */
	int wp;				/* WP# held low: with SRWD set, WRSR is ignored */
	int inherited;			/* a program sequence a gone host began waits for its data byte */
	/* the operation in progress */
	enum simflash_op op;
	uint32_t op_addr, op_len;	/* target range (program: the page, or 1 byte) */
	uint8_t op_data[SIMFLASH_PAGE_MAX];	/* program: data for op_addr.. (AND-ed in) */
	uint64_t op_start, busy_until;
	/* log */
	unsigned violations;
	char last[SIMFLASH_MSG_LEN];
	uint64_t ops_done;		/* completed programs and erases, for tests */
	/* a weak cell (tests, sim weak=): programs of weak_addr run but leave it unchanged weak_left more times */
	uint32_t weak_addr;
	unsigned weak_left;
	int op_weak;			/* the program in progress is such a one */
};

/* Contents all FFh; 0 or -ENOMEM / -EINVAL. */
int simflash_init(struct simflash *f, const struct simflash_chip *c);
/* The same with the contents in mem (chip->size bytes, set to FFh), which stays the caller's. */
int simflash_init_at(struct simflash *f, const struct simflash_chip *c, uint8_t *mem);
void simflash_free(struct simflash *f);
uint8_t *simflash_mem(struct simflash *f);	/* contents, chip->size bytes */

/* Parallel bus cycles at chip address addr (20 bits), at time now_ns. */
uint8_t simflash_read(struct simflash *f, uint32_t addr, uint64_t now_ns);
void simflash_write(struct simflash *f, uint32_t addr, uint8_t val, uint64_t now_ns);

/* One SPI transaction: CS low, clock out tx, clock in nrx bytes, CS high. */
void simflash_spi(struct simflash *f, const uint8_t *tx, size_t ntx, uint8_t *rx, size_t nrx,
		  uint64_t now_ns);

/* Is an operation still running at now_ns (finishes it if its time is up)? */
int simflash_busy(struct simflash *f, uint64_t now_ns);

/*
 * Power lost at now_ns: an operation in progress leaves its target partly
 * done (how much depends on elapsed time and seed, reproducibly); command
 * state, ID mode and WEL are lost.
 */
void simflash_power_cut(struct simflash *f, uint64_t now_ns, uint32_t seed);

/*
 * The host that drove the chip is gone (a killed run, state= mapped again):
 * a program sequence it left waiting for its data byte takes the next
 * write as data, and that is not the new host's doing.
 */
void simflash_host_gone(struct simflash *f);

/* Number of violations so far; the last message copied to last (if len). */
unsigned simflash_violations(const struct simflash *f, char *last, size_t len);

#endif
