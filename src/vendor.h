/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Entering vendor mode from a command, with the one-line reasons when it cannot be done. */
#ifndef ODRESCUE_VENDOR_H
#define ODRESCUE_VENDOR_H

#include "hw/flash.h"
#include "src/cli.h"

/* Bank-by-bank progress on stderr (what mtkflash printed as "Bank0 ..."). */
struct progress {
	struct ctx *c;
	const char *what;	/* "Reading", "Writing", "Verifying" */
	uint32_t base;		/* offset of the range being worked on */
	uint32_t last_bank;
};

/*
 * Open the bus for pos (unless the command already did), refuse an ATA disk, enter vendor mode, identify
 * the chip. Prints why on failure and returns the errno for main().
 */
int vendor_open(struct ctx *c, const struct position *pos, struct ata_port *ap, struct flash_dev *f);
/* One line for a flash_open()/flash_identify() failure (or -EPERM: a disk); the errno for main(). */
int vendor_explain(struct ctx *c, const char *where, const struct flash_dev *f, int ret);
void vendor_progress(void *arg, uint32_t done, uint32_t total);
void vendor_chip_line(struct ctx *c, const struct flash_dev *f);

#endif
