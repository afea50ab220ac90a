/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What an AHCI port costs, counted in its own io ops: every HBA register
 * access and every sleep. For the measuring tools (bench/bench.c,
 * tests/tools/tfbench.c); one count per tool, since the ops take no
 * context of their own.
 */
#ifndef ODRESCUE_HBACOUNT_H
#define ODRESCUE_HBACOUNT_H

#include <stdint.h>

#include "hw/ahci_io.h"

static struct {
	struct ahci_io_ops ops;
	const struct ahci_io_ops *inner;
	uint64_t accesses, naps;
} hba_count;

static inline uint32_t hba_count_rd(struct ahci_io *io, uint32_t off)
{
	hba_count.accesses++;
	return hba_count.inner->rd(io, off);
}

static inline void hba_count_wr(struct ahci_io *io, uint32_t off, uint32_t v)
{
	hba_count.accesses++;
	hba_count.inner->wr(io, off, v);
}

static inline void hba_count_delay(struct ahci_io *io, uint64_t ns)
{
	hba_count.naps++;
	hba_count.inner->delay_ns(io, ns);
}

/* io's accesses counted from now on; hba_count.inner is what it had. */
static inline void hba_count_wrap(struct ahci_io *io)
{
	hba_count.inner = io->ops;
	hba_count.ops = *io->ops;
	hba_count.ops.rd = hba_count_rd;
	hba_count.ops.wr = hba_count_wr;
	hba_count.ops.delay_ns = hba_count_delay;
	io->ops = &hba_count.ops;
}

#endif
