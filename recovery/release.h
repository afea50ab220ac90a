/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who owns an IDE channel's ports (/proc/ioports), taking it from the
 * kernel driver for the length of one run (--release) and giving it back.
 * ioperm() succeeds even while ata_piix drives the channel, so this check
 * is the only thing between odrescue and a kernel driver it would confuse.
 */
#ifndef ODRESCUE_RELEASE_H
#define ODRESCUE_RELEASE_H

#include <stddef.h>

#include "hw/bus.h"

struct chan_owner {
	char driver[64];	/* the kernel driver that owns the ports; "" none */
	char pci[64];		/* the PCI function they belong to ("0000:00:01.1"), "" unknown */
	unsigned start, end;	/* the owned range that overlaps the channel */
};

/* 1 a driver owns some of ch's ports, 0 free, -errno if ioports cannot be read. */
int release_owner(const char *ioports, const struct ata_chan *ch, struct chan_owner *o);

/*
 * Unbind o->pci from its driver under sysfs (root "/sys"). Refused with
 * -EBUSY and why[] when a mounted filesystem (mounts: /proc/mounts) or a
 * swap device (the swaps file beside mounts: /proc/swaps) lives on that
 * controller. 0 when detached.
 */
int release_detach(const char *sysfs, const char *mounts, const struct chan_owner *o, char *why,
		   size_t len);
/* Bind it back: 0 or -errno. Async-signal-safe once release_detach succeeded. */
int release_giveback(void);
/* Remember the block devices (sysfs class/block) behind PCI function pci, before it is released. */
void release_note_nodes(const char *sysfs, const char *pci);
/*
 * After the giveback: wait up to tmo_ms (real time: the kernel's probe)
 * until dev/NAME exists again for each device noted; 0, or -ETIMEDOUT
 * with the nodes still missing in missing[].
 */
int release_wait_nodes(const char *dev, uint64_t tmo_ms, char *missing, size_t len);

#endif
