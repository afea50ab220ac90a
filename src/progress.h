/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Progress on a terminal: one line on stderr, redrawn in place. */
#ifndef ODRESCUE_PROGRESS_H
#define ODRESCUE_PROGRESS_H

#include <stdint.h>

#include "src/cli.h"

/* One job's progress: what the flash commands hand to the session's callbacks. */
struct progress {
	struct ctx *c;
	const char *what;	/* the phase: "read", "erase/program", "verify", "send" */
	uint32_t base;		/* offset of the range being worked on */
	uint32_t last_bank;	/* off a terminal: the next 64 KiB bank to report */
	int passes;		/* the phase reads this often (--read-repeated): "read 1/2" */
	int pass;		/* the pass drawn now, from 1 */
	uint64_t last_done;	/* a smaller done starts the next pass */
	uint64_t t0_ns, done0;	/* when and where the pass was first seen: the rate */
};

/* The line is for stderr when it is a terminal, and neither --json nor -q asked for quiet. */
int progress_tty(const struct ctx *c);
/*
 * "  read 1/2  37%  192/512 KiB  41.2 KiB/s  0:07 left": phase, percent,
 * bytes, rate and time left, on the bus's clock (the simulator's virtual
 * one in rehearsals). A finished phase clears the line.
 */
void progress_draw(struct progress *p, uint64_t done, uint64_t total);
/* Start a new phase: the next draw starts its own rate. */
void progress_phase(struct progress *p, const char *what, int passes);
/* Wipe the line (before any other message, and at exit). */
void progress_clear(void);

#endif
