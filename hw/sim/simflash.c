/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Flash chip state machines (sim-contract.md, "Flash chip models"). An
 * operation is started by a write or an SPI transaction and finishes lazily:
 * the first access at or after busy_until applies it to the array, so the
 * caller's clock alone decides when a program or erase is done.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/sim/simflash.h"

#define JEDEC_ADDR1	0x5555
#define JEDEC_ADDR2	0x2aaa
#define SPI_SECTOR	4096u
#define SPI_BLOCK	65536u

static void violation(struct simflash *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void violation(struct simflash *f, const char *fmt, ...)
{
	va_list ap;

	f->violations++;
	va_start(ap, fmt);
	vsnprintf(f->last, sizeof(f->last), fmt, ap);
	va_end(ap);
}

int simflash_init_at(struct simflash *f, const struct simflash_chip *c, uint8_t *mem)
{
	memset(f, 0, sizeof(*f));
	/* sizes are powers of two so that high address lines simply wrap */
	if (!c || !c->size || (c->size & (c->size - 1)) || !c->sector || c->sector > c->size ||
	    (c->spi && (!c->page || c->page > SIMFLASH_PAGE_MAX || (c->page & (c->page - 1)))))
		return -EINVAL;
	f->mem_lent = mem != NULL;
	f->mem = mem ? mem : malloc(c->size);
	if (!f->mem)
		return -ENOMEM;
	memset(f->mem, 0xff, c->size);
	f->chip = c;
	f->sr = c->sr_init;
	return 0;
}

int simflash_init(struct simflash *f, const struct simflash_chip *c)
{
	return simflash_init_at(f, c, NULL);
}

void simflash_host_gone(struct simflash *f)
{
	f->inherited = f->cycle == 3;
}

void simflash_free(struct simflash *f)
{
	if (!f->mem_lent)
		free(f->mem);
	f->mem = NULL;
}

uint8_t *simflash_mem(struct simflash *f)
{
	return f->mem;
}

unsigned simflash_violations(const struct simflash *f, char *last, size_t len)
{
	if (last && len)
		snprintf(last, len, "%s", f->last);
	return f->violations;
}

/* Apply a program (AND) or an erase to [op_addr, op_addr + op_len). */
static void apply(struct simflash *f)
{
	uint8_t *p = f->mem + f->op_addr;

	if (f->op == SIMFLASH_ERASE)
		memset(p, 0xff, f->op_len);
	else
		for (uint32_t i = 0; i < f->op_len; i++)
			if (!f->op_weak || f->op_addr + i != f->weak_addr)
				p[i] &= f->op_data[i];
	f->op_weak = 0;
}

static void settle(struct simflash *f, uint64_t now)
{
	if (f->op == SIMFLASH_IDLE || now < f->busy_until)
		return;
	apply(f);
	f->op = SIMFLASH_IDLE;
	f->ops_done++;
	f->wel = 0;	/* SPI: WEL clears when the write cycle completes */
}

int simflash_busy(struct simflash *f, uint64_t now_ns)
{
	settle(f, now_ns);
	return f->op != SIMFLASH_IDLE;
}

static void start(struct simflash *f, enum simflash_op op, uint32_t addr, uint32_t len,
		  uint64_t now, uint64_t dur)
{
	f->op = op;
	f->op_addr = addr;
	f->op_len = len;
	f->op_start = now;
	f->busy_until = now + dur;
}

/* A program can only clear bits; asking for a 1 over a 0 means nobody erased. */
static void check_program(struct simflash *f, uint32_t addr, uint8_t val)
{
	uint8_t old = f->mem[addr];

	if (val & ~old)
		violation(f, "flash program %02x over %02x at %06x: not erased", val, old, addr);
}

/* ---- parallel JEDEC ---- */

uint8_t simflash_read(struct simflash *f, uint32_t addr, uint64_t now_ns)
{
	addr &= f->chip->size - 1;
	settle(f, now_ns);
	if (f->op != SIMFLASH_IDLE) {
		/* data# polling on DQ7, DQ6 toggles on every read while busy */
		uint8_t dq7 = f->op == SIMFLASH_PROGRAM ? (uint8_t)(~f->op_data[0] & 0x80) : 0;

		f->toggle ^= 0x40;
		return dq7 | f->toggle;
	}
	if (f->id_mode)
		return f->chip->id[addr & 1];
	return f->mem[addr];
}

static void jedec_command(struct simflash *f, uint32_t cmd_addr, uint32_t addr, uint8_t val,
			  uint64_t now)
{
	const struct simflash_chip *c = f->chip;
	uint32_t a1 = JEDEC_ADDR1 & (c->cmd_mask ? c->cmd_mask : 0x7fff);

	f->cycle = 0;
	if (f->erase_setup) {
		f->erase_setup = 0;
		if (val == 0x30)
			start(f, SIMFLASH_ERASE, addr & ~(c->sector - 1), c->sector, now,
			      c->t_sector_erase_ns);
		else if (val == 0x10 && cmd_addr == a1)
			start(f, SIMFLASH_ERASE, 0, c->size, now, c->t_chip_erase_ns);
		else
			violation(f, "flash erase command %02x at %06x after 80h", val, addr);
		return;
	}
	if (cmd_addr != a1) {
		violation(f, "flash command %02x at %06x, not at %04x", val, addr, a1);
		return;
	}
	switch (val) {
	case 0x90:
		f->id_mode = 1;
		break;
	case 0xf0:
		f->id_mode = 0;
		break;
	case 0x80:
		f->erase_setup = 1;
		break;
	case 0xa0:
		if (c->page > 1) {
			violation(f, "byte program (A0h) sent to %s, a %u-byte page-write part", c->name, c->page);
			break;
		}
		f->cycle = 3;
		break;
	default:
		violation(f, "unknown flash command %02x", val);
	}
}

void simflash_write(struct simflash *f, uint32_t addr, uint8_t val, uint64_t now_ns)
{
	const struct simflash_chip *c = f->chip;
	uint32_t mask = c->cmd_mask ? c->cmd_mask : 0x7fff;
	uint32_t ca;

	addr &= c->size - 1;
	ca = addr & mask;
	settle(f, now_ns);
	if (f->op != SIMFLASH_IDLE) {
		/* the embedded algorithm ignores the bus until it is done */
		violation(f, "flash write %02x at %06x while busy", val, addr);
		return;
	}
	switch (f->cycle) {
	case 0:
		f->inherited = 0;
		if (val == 0xf0) {		/* single-cycle reset */
			f->id_mode = 0;
			f->erase_setup = 0;
		} else if (ca == (JEDEC_ADDR1 & mask) && val == 0xaa) {
			f->cycle = 1;
		} else {
			f->erase_setup = 0;
			violation(f, "flash program without unlock: %02x at %06x", val, addr);
		}
		break;
	case 1:
		if (ca == (JEDEC_ADDR2 & mask) && val == 0x55) {
			f->cycle = 2;
		} else if (val == 0xf0) {
			/* Am29F040B Reset Command: between the cycles of a sequence, back to read mode */
			f->cycle = 0;
			f->erase_setup = 0;
			f->id_mode = 0;
		} else {
			f->cycle = 0;
			f->erase_setup = 0;
			violation(f, "flash unlock broken: %02x at %06x after AAh", val, addr);
		}
		break;
	case 2:
		if (val == 0xf0 && ca != (JEDEC_ADDR1 & mask)) {
			f->cycle = 0;	/* the same reset, not at the command address */
			f->erase_setup = 0;
			f->id_mode = 0;
			break;
		}
		jedec_command(f, ca, addr, val, now_ns);
		break;
	default:	/* 3: the byte to program */
		f->cycle = 0;
		if (!f->inherited)
			check_program(f, addr, val);
		f->op_data[0] = val;
		start(f, SIMFLASH_PROGRAM, addr, 1, now_ns, c->t_prog_ns);
		if (addr == f->weak_addr && f->weak_left) {
			f->weak_left--;
			f->op_weak = 1;	/* busy as long, polls the same, then the cell holds what it held */
		}
	}
}

/* ---- SPI ---- */

static uint32_t spi_addr(const struct simflash *f, const uint8_t *tx)
{
	return ((uint32_t)tx[1] << 16 | (uint32_t)tx[2] << 8 | tx[3]) & (f->chip->size - 1);
}

static void spi_program(struct simflash *f, uint32_t addr, const uint8_t *d, size_t n,
			uint64_t now)
{
	const struct simflash_chip *c = f->chip;
	uint32_t base = addr & ~(c->page - 1);
	uint8_t sent[SIMFLASH_PAGE_MAX] = { 0 };

	if (c->page == 1 && n > 1)
		violation(f, "SPI byte-program part %s given %zu bytes", c->name, n);
	memset(f->op_data, 0xff, c->page);
	/* bytes past the page end wrap to its start; later bytes win */
	for (size_t i = 0; i < n && (c->page > 1 || i == 0); i++) {
		f->op_data[(addr + i) & (c->page - 1)] = d[i];
		sent[(addr + i) & (c->page - 1)] = 1;
	}
	for (uint32_t i = 0; i < c->page; i++)
		if (sent[i])
			check_program(f, base + i, f->op_data[i]);
	start(f, SIMFLASH_PROGRAM, base, c->page, now, c->t_prog_ns);
	if (sent[f->weak_addr & (c->page - 1)] && (f->weak_addr & ~(c->page - 1)) == base && f->weak_left) {
		f->weak_left--;
		f->op_weak = 1;	/* the page programs, but its weak cell keeps what it held */
	}
}

static void spi_erase(struct simflash *f, uint8_t op, uint32_t addr, uint64_t now)
{
	const struct simflash_chip *c = f->chip;

	if (op == 0x20 || op == 0xd7)	/* D7h: PMC's 4 KiB erase (flashrom pmc.c) */
		start(f, SIMFLASH_ERASE, addr & ~(SPI_SECTOR - 1), SPI_SECTOR, now,
		      c->t_sector_erase_ns);
	else if (op == 0xd8)
		start(f, SIMFLASH_ERASE, addr & ~(SPI_BLOCK - 1),
		      c->size < SPI_BLOCK ? c->size : SPI_BLOCK, now, c->t_block_erase_ns);
	else
		start(f, SIMFLASH_ERASE, 0, c->size, now, c->t_chip_erase_ns);
}

void simflash_spi(struct simflash *f, const uint8_t *tx, size_t ntx, uint8_t *rx, size_t nrx,
		  uint64_t now_ns)
{
	const struct simflash_chip *c = f->chip;
	uint8_t op;

	if (nrx)
		memset(rx, 0xff, nrx);	/* SO floats high when nothing drives it */
	if (!ntx)
		return;
	settle(f, now_ns);
	op = tx[0];
	if (f->op != SIMFLASH_IDLE && op != 0x05) {
		violation(f, "SPI command %02x while WIP", op);
		return;
	}
	if ((op == 0x9f && !(c->id[0] | c->id[1] | c->id[2])) || (op == 0x90 && !(c->rems[0] | c->rems[1])))
		return;		/* a part without that ID command ignores it: SO floats high */
	if ((op == 0x20 && c->block_only) || (op == 0xd7 && c->id[0] != 0x7f)) {
		violation(f, "SPI erase %02x: %s has no such erase", op, c->name);
		return;
	}
	switch (op) {
	case 0x9f:
		for (size_t i = 0; i < nrx && i < 3; i++)
			rx[i] = c->id[i];
		break;
	case 0x90:
		if (ntx < 4) {
			violation(f, "SPI REMS with %zu bytes, needs 4", ntx);
			break;
		}
		for (size_t i = 0; i < nrx; i++)
			rx[i] = c->rems[(i + tx[3]) & 1];
		break;
	case 0x05:
		for (size_t i = 0; i < nrx; i++)
			rx[i] = (uint8_t)((f->sr & 0xfc) | f->wel << 1 | (f->op != SIMFLASH_IDLE));
		break;
	case 0x06:
		f->wel = 1;
		break;
	case 0x04:
		f->wel = 0;
		break;
	case 0x50:
		f->ewsr = 1;
		break;
	case 0x01:
		if (!f->wel && !f->ewsr) {
			violation(f, "SPI WRSR without WEL");
			break;
		}
		if (ntx != 2) {
			violation(f, "SPI WRSR with %zu bytes, needs 2", ntx);
			break;
		}
		if (f->wp && (f->sr & 0x80)) {	/* SRWD with WP# low: hardware protected */
			f->wel = f->ewsr = 0;
			break;
		}
		f->sr = tx[1] & 0xfc;
		f->wel = f->ewsr = 0;
		break;
	case 0xab:		/* RES: 3 dummy bytes, then the electronic signature */
		for (size_t i = 0; i < nrx; i++)
			rx[i] = c->rems[1];
		break;
	case 0x03:
	case 0x0b:		/* FAST READ: one dummy byte after the address */
		if (ntx < (op == 0x0b ? 5u : 4u)) {
			violation(f, "SPI read %02x with %zu bytes", op, ntx);
			break;
		}
		for (size_t i = 0; i < nrx; i++)
			rx[i] = f->mem[(spi_addr(f, tx) + i) & (c->size - 1)];
		break;
	case 0x02:
	case 0x20:
	case 0xd7:
	case 0xd8:
	case 0x60:
	case 0xc7:
		if (!f->wel) {
			violation(f, "SPI %s %02x without WEL", op == 0x02 ? "program" : "erase", op);
			break;
		}
		if ((op == 0x60 || op == 0xc7) ? ntx != 1 : op == 0x02 ? ntx < 5 : ntx != 4) {
			/* CS not raised where the command ends: the chip rejects it */
			violation(f, "SPI command %02x with %zu bytes", op, ntx);
			break;
		}
		/* BP levels protect different ranges per part; any level counts as all here */
		if (f->sr & 0x3c) {
			violation(f, "SPI %02x ignored: block protection on (status %02x)", op, f->sr);
			f->wel = 0;
			break;
		}
		if (op == 0x02)
			spi_program(f, spi_addr(f, tx), tx + 4, ntx - 4, now_ns);
		else
			spi_erase(f, op, ntx > 1 ? spi_addr(f, tx) : 0, now_ns);
		break;
	default:
		violation(f, "unknown SPI opcode %02x", op);
	}
}

/* ---- power loss ---- */

static uint32_t xorshift32(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/*
 * Each target byte is finished with probability elapsed/duration; one in
 * eight of the others got some of its bits changed (an erase sets, a
 * program clears), like a cell caught between levels.
 */
void simflash_power_cut(struct simflash *f, uint64_t now_ns, uint32_t seed)
{
	settle(f, now_ns);
	if (f->op != SIMFLASH_IDLE) {
		uint64_t dur = f->busy_until - f->op_start;
		uint32_t done = (uint32_t)(((now_ns - f->op_start) << 16) / (dur ? dur : 1));
		uint32_t s = seed ^ 0x9e3779b9u;

		if (!s)
			s = 1;
		for (uint32_t i = 0; i < f->op_len; i++) {
			uint8_t *p = f->mem + f->op_addr + i;
			uint8_t want = f->op == SIMFLASH_ERASE ? 0xff : (uint8_t)(*p & f->op_data[i]);
			uint32_t r = xorshift32(&s);

			if ((r & 0xffff) < done)
				*p = want;
			else if ((r >> 16 & 7) == 0)
				*p ^= (uint8_t)((*p ^ want) & (r >> 24));
		}
		f->op = SIMFLASH_IDLE;
		f->op_weak = 0;
	}
	f->cycle = 0;
	f->erase_setup = 0;
	f->id_mode = 0;
	f->wel = 0;
	f->ewsr = 0;
	f->toggle = 0;
	if (f->chip->sr_init)	/* volatile BP bits come back set */
		f->sr = f->chip->sr_init;
}
