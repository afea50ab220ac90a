/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The PACKET command (A0h) in PIO over ata.c, as a pt.h transport. */
#ifndef ODRESCUE_ATAPI_H
#define ODRESCUE_ATAPI_H

#include "hw/ata.h"
#include "hw/pt.h"

/*
 * Byte count limit we ask for: even and below 0xFFFF (ATA8-ACS 7.17.6.49),
 * and 31 sectors of 2048 bytes so each DRQ block of a long read ends on a
 * sector and a dword boundary: QEMU answers a 32-bit data read that
 * straddles its sector buffer with 0 (ide_data_readl), which 0xFFFE-byte
 * blocks caused from the second block on.
 */
#define ATAPI_BCL_MAX	0xf800

struct atapi_dev {
	struct ata_port *ap;
	int dev;		/* 0 master, 1 slave */
	int cdb_len;		/* 12 or 16, from IDENTIFY PACKET word 0 */
};

/* Fill pt to run packet commands on ap/dev. No I/O. */
void atapi_pt_init(struct pt *pt, struct atapi_dev *ad, struct ata_port *ap, int dev);

extern const struct pt_ops atapi_pt_ops;

#endif
