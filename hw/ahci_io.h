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

/*
 * A real controller (-p ahci:pci=BDF): its registers through
 * sysfs/bus/pci/devices/BDF/resource5 (mmap; the kernel refuses it while
 * ahci is bound, CONFIG_IO_STRICT_DEVMEM), memory decoding and bus
 * mastering set through its config file, the DMA memory locked anonymous
 * pages whose physical addresses come from pagemap, one lookup per page.
 * The caller detached the driver first (recovery/release.c).
 */
struct ahci_pci_cfg {
	const char *sysfs;	/* "/sys" */
	const char *bdf;	/* "0000:00:1f.2" */
	const char *pagemap;	/* "/proc/self/pagemap" */
};
int ahci_pci_open(struct ahci_io *io, const struct ahci_pci_cfg *cfg);

/*
 * The simulator's drives behind a modelled AHCI HBA (hw/sim/sim_ahci.c):
 * port N is position N + 1 of the simulator opened with sim_spec
 * ("sim:scenario=spi73,..."). ahci_sim_bus() gives that simulator's bus
 * (sim_from_bus() for tests), NULL for another io.
 */
int ahci_sim_open(struct ahci_io *io, const char *sim_spec);
struct bus *ahci_sim_bus(struct ahci_io *io);

/*
 * Physical addresses of n pages from va (page aligned) through pagemap
 * (Documentation/admin-guide/mm/pagemap.rst: bit 63 present, bits 0-54
 * the PFN, which reads 0 without CAP_SYS_ADMIN). 0, -EPERM (PFNs hidden),
 * -EFAULT (a page not present), -EIO (short read).
 */
int ahci_pagemap_phys(int fd, const void *va, size_t n, uint64_t *pa);

#endif
