/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Entering vendor mode from a command, with the one-line reasons when it cannot be done. */
#ifndef ODRESCUE_VENDOR_H
#define ODRESCUE_VENDOR_H

#include <signal.h>

#include "hw/flash.h"
#include "src/cli.h"
#include "src/progress.h"

/*
 * Open the bus for pos (unless the command already did), refuse an ATA disk, enter vendor mode, identify
 * the chip. Prints why on failure and returns the errno for main().
 */
int vendor_open(struct ctx *c, const struct position *pos, struct ata_port *ap, struct flash_dev *f);
/*
 * Vendor mode for a drive whose firmware does not run: the intro, and when
 * the boot code refuses it (it listens only right after power-on), ask for
 * a power cycle and resend it every HOTPLUG_INTRO_PERIOD_NS until the
 * timeout or *stop; then identify the chip. Lines go to stdout with the
 * prefix ("[3/4] " in rescue). Prints why on failure; the errno for main().
 */
int vendor_open_cycle(struct ctx *c, const struct position *pos, struct ata_port *ap, struct flash_dev *f,
		      volatile sig_atomic_t *stop, const char *prefix, const char *again);
/* One line for a flash_open()/flash_identify() failure (or -EPERM: a disk); the errno for main(). */
int vendor_explain(struct ctx *c, const char *where, const struct flash_dev *f, int ret);
/* A struct progress: the line on a terminal, else one line per finished 64 KiB bank; -q none. */
void vendor_progress(void *arg, uint32_t done, uint32_t total);
/*
 * The whole flash into buf (the majority of --read-repeated reads, with
 * progress unless --json); -EINTR within 4 KiB of user_stop (src/stop.h).
 */
int vendor_read_all(struct ctx *c, struct flash_dev *f, uint8_t *buf, struct progress *p, uint32_t *disagreed);
void vendor_chip_line(struct ctx *c, const struct flash_dev *f);
/* The id the chip gave, "C2 20 14". */
void vendor_id_str(const struct flash_dev *f, char *buf, size_t len);

#endif
