/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ways to reach an AHCI HBA (struct ahci_io in hw/ahci.h), one file each. */
#ifndef ODRESCUE_AHCI_IO_H
#define ODRESCUE_AHCI_IO_H

#include <stdint.h>

#include "hw/ahci.h"

/* QEMU -machine q35 -S -qtest unix:SOCKET: ICH9 AHCI at 00:1f.2. */
#define AHCI_QTEST_BDF		(0x1f << 3 | 2)
/* Where ABAR goes: QEMU's libqos places BARs from its PCI hole at 0xE0000000 (libqos/pci-pc.c). */
#define AHCI_QTEST_BAR		0xe0000000ull
/* Guest RAM for the HBA's DMA: 16 MiB up, inside q35's default 128 MiB, nothing else runs. */
#define AHCI_QTEST_MEM		0x01000000ull

struct ahci_qtest_cfg {
	const char *socket;
	unsigned bdf;		/* bus << 8 | device << 3 | function */
	uint64_t bar;
	uint64_t mem;
	unsigned timeout_s;	/* 0: the qtest backend's default */
};

/* Connect, check the function is an AHCI HBA, assign BAR5, enable memory and bus mastering. */
int ahci_qtest_open(struct ahci_io *io, const struct ahci_qtest_cfg *cfg);

#endif
