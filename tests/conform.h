/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Conformance with the public record: what a reference tool puts on the
 * bus (a table per primitive, each access cited), compared access by
 * access with what odrescue does on the same bus.
 *
 * A table is an array of struct cf_acc, one entry per register access of
 * the reference, in order:
 *   CF_W(reg, val, src)   a write of val to reg (ATA_REG_* offset, or CF_REG_CTL)
 *   CF_R(reg, val, src)   exactly one read of reg (val CF_ANY: any value)
 *   CF_P(reg, val, src)   a poll: one or more reads of reg, the last one val
 *   CF_D(ms, src)         a wait of at least ms milliseconds at this point
 * src cites the source line: "JF method_246 L42861". Values are 00h-FFh,
 * or a placeholder filled from the struct cf_args the table is added with:
 * CF_SEL (select byte A0h/B0h), CF_SEL_BANK (select | address bits 19-16),
 * CF_ADDR_LO, CF_ADDR_HI, CF_DATA, CF_ARG(i) (args.arg[i]).
 *
 * How to add a table:
 *  1. Transcribe the reference method into a static const struct cf_acc[],
 *     one entry per port access, citing method and line; use placeholders
 *     for what the caller passes (address, data, counts).
 *  2. In a test: build the expected sequence with cf_add() (or CF_ADD)
 *     once per reference call, with its arguments and the line of the call
 *     ("JF method_290 L45507"); a call the reference may repeat (a
 *     read-back) takes min/max repetitions.
 *  3. cf_rec_start() on the bus, run odrescue's function, cf_rec_stop(),
 *     then cf_check(): it fails the test with the first differing access,
 *     what the record has there and both citations.
 * tests/unit/test_conform.c holds the parallel tables; copy its setup.
 *
 * What is compared: every register write (register and value) and every
 * read (register; the value where the table gives one), in order; data
 * port strings count as one access. Waits: only where a table has CF_D
 * (the waits odrescue makes elsewhere, e.g. between polls, are skipped).
 * Access widths are not compared: JF reads Status in the intro and outro
 * with a 16-bit in (method_252 L42950, method_258 L43152) and keeps the
 * low byte; odrescue reads the byte, as ATA defines the register.
 */
#ifndef ODRESCUE_CONFORM_H
#define ODRESCUE_CONFORM_H

#include <stddef.h>
#include <stdint.h>

#include "hw/bus.h"

#define CF_REG_CTL	8	/* the control block: Device Control (write), Alternate Status (read) */

enum cf_dir { CF_WR = 'W', CF_RD = 'R', CF_POLL = 'P', CF_WAIT = 'D' };

/* Values above FFh: placeholders and "any". */
enum {
	CF_ANY = 0x100,
	CF_SEL,			/* args.sel */
	CF_SEL_BANK,		/* args.sel | address bits 19-16 */
	CF_ADDR_LO,		/* address bits 7-0 */
	CF_ADDR_HI,		/* address bits 15-8 */
	CF_DATA,		/* args.data */
	CF_ARG0,		/* CF_ARG(i): args.arg[i] */
};
#define CF_ARG(i)	(CF_ARG0 + (i))
#define CF_NARGS	8

struct cf_acc {
	char dir;		/* enum cf_dir */
	uint8_t reg;		/* ATA_REG_* or CF_REG_CTL; CF_WAIT: unused */
	uint32_t val;		/* value or placeholder; CF_WAIT: milliseconds */
	const char *src;	/* where the reference does it */
};

#define CF_W(reg, val, src)	{ CF_WR, (reg), (val), (src) }
#define CF_R(reg, val, src)	{ CF_RD, (reg), (val), (src) }
#define CF_P(reg, val, src)	{ CF_POLL, (reg), (val), (src) }
#define CF_D(ms, src)		{ CF_WAIT, 0, (ms), (src) }

struct cf_args {
	uint8_t sel;
	uint32_t addr;
	uint8_t data;
	uint8_t arg[CF_NARGS];
};

/* The expected sequence: one item per reference call. */
struct cf_item {
	const char *what;	/* the call: "JF method_290 L45507: AAh at 5555h" */
	const struct cf_acc *t;
	size_t n;
	struct cf_args a;
	unsigned min, max;	/* how often in a row (a read-back repeated 1-3 times) */
};

struct cf_seq {
	struct cf_item *it;
	size_t n, cap;
};

void cf_add(struct cf_seq *s, const char *what, const struct cf_acc *t, size_t n,
	    const struct cf_args *a, unsigned min, unsigned max);
#define CF_ADD(s, what, tbl, args) cf_add((s), (what), (tbl), sizeof(tbl) / sizeof((tbl)[0]), (args), 1, 1)
void cf_seq_free(struct cf_seq *s);

/* What odrescue did: accesses to one channel and the waits between them. */
struct cf_got {
	char dir;		/* CF_WR, CF_RD or CF_WAIT */
	uint8_t reg;
	uint8_t width;		/* bits: 8, 16, 32 */
	uint32_t val;		/* CF_WAIT: nanoseconds */
	size_t count;		/* string accesses: elements */
};

struct cf_rec {
	struct bus *b;
	struct ata_chan ch;
	struct bus_ops ops;		/* b->ops while recording: delays pass through cf_delay */
	const struct bus_ops *inner;
	void (*trace)(void *ctx, enum bus_op op, uint16_t port, uint32_t val, size_t count);
	void *ctx;
	struct cf_got *g;
	size_t n, cap;
};

/*
 * Record channel ch of b until cf_rec_stop (b->ops and b->trace are
 * borrowed meanwhile: sim_from_bus(b) is NULL until then).
 */
void cf_rec_start(struct cf_rec *r, struct bus *b, const struct ata_chan *ch);
void cf_rec_stop(struct cf_rec *r);
void cf_rec_free(struct cf_rec *r);

/* 0 if r matches s; else -1 and why says where they part (first differing access). */
int cf_match(const struct cf_seq *s, const struct cf_rec *r, char *why, size_t len);
/* cf_match inside a Check test: a difference fails it with the why. */
void cf_check(const struct cf_seq *s, const struct cf_rec *r);

#endif
