/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The `fault` backend: seeded, reproducible faults injected between the host
 * code and another backend (usually the simulator), to test that every
 * workflow survives flipped bits, lost writes, a drive stuck busy and a
 * power cut. -p fault:inner=SPEC,... or bus_fault_attach() for a bus the
 * caller opened itself.
 */
#ifndef ODRESCUE_BUS_FAULT_H
#define ODRESCUE_BUS_FAULT_H

#include <stddef.h>
#include <stdint.h>

#include "hw/bus.h"

struct bus_fault_cfg {
	uint64_t seed;
	uint32_t flip_ppm;	/* per value read (inb/inw, each insw word): one bit flipped */
	uint64_t flip_at;	/* bit 0 flipped in the first non-status byte read at or after access N; 0 never */
	uint32_t drop_ppm;	/* per write (outb/outw, each outsw word): not passed on */
	uint32_t busy_ppm;	/* per status/altstatus read: BSY sticks for busy_ns */
	uint64_t busy_ns;
	uint64_t power_at;	/* power lost just before access number power_at (1-based); 0 never */
	uint64_t unplug_at;	/* the cable pulled before access N: the bus floats, the drive keeps its state */
	uint32_t err_ppm;	/* per status read: a spurious ERR bit */
	uint64_t sigint_at;	/* the user's Ctrl-C: SIGINT raised at this access; 0 never */
	uint64_t sigints;	/* how many (1) */
	uint64_t sigint_gap;	/* accesses between them (100000: past one erase unit) */
	uint64_t kill_at;	/* the process killed (SIGKILL) at this access, as a crash or kill -9 does; 0 never */
};

struct bus_fault_stats {
	uint64_t accesses;	/* register accesses seen, insw/outsw words counted singly */
	uint64_t flips, drops;
	uint64_t busy_starts, busy_reads;	/* stuck-BSY periods, status reads they answered */
	uint64_t power_cuts;
	uint64_t errs;		/* spurious ERR bits shown */
	uint64_t dead_reads, dead_writes;	/* after a power cut the inner bus cannot model */
};

/*
 * Wrap inner (opened and owned by the caller, closed by it after b) with the
 * fault layer: b gets inner's channels and must be closed with bus_close(b).
 */
int bus_fault_attach(struct bus *b, struct bus *inner, const struct bus_fault_cfg *cfg);

const struct bus_fault_stats *bus_fault_stats(const struct bus *b);
/*
 * The -p spec for the run that follows this one on the same drive (the
 * command a failure prints): a fault spec without its one-off events
 * (power_at=, unplug_at=, flip_at=, sigint_at=, sigints=, sigint_gap=,
 * kill_at=), which happened in this run; conditions such as flip= stay.
 * Any other spec as it is.
 */
void bus_spec_next_run(const char *spec, char *out, size_t len);
struct bus *bus_fault_inner(struct bus *b);	/* e.g. for sim_from_bus() */

#endif
