/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI IDE controllers (class 0101h) from sysfs: each channel's mode and
 * port bases, for scan's controller list and for placing an ATAPI drive
 * the kernel knows on its raw channel.
 */
#ifndef ODRESCUE_PCI_IDE_H
#define ODRESCUE_PCI_IDE_H

#include <stddef.h>
#include <stdint.h>

#include "hw/bus.h"

#define PCI_CLASS_IDE	0x0101	/* base class 01h mass storage, subclass 01h IDE */
#define PCI_IDE_MAX	16

struct pci_ide_chan {
	int legacy;		/* 1 decodes the legacy ports, 0 native mode, -1 not IDE */
	uint16_t cmd, ctl;	/* command block, Device Control; 0 unknown (native BARs unassigned) */
};

struct pci_ide {
	char addr[16];		/* "0000:00:01.1" */
	unsigned vendor, device;	/* 0 unknown */
	unsigned pci_class;	/* 0x01018a; 0 unknown */
	char driver[32];	/* "ata_piix", "" none bound */
	struct pci_ide_chan chan[2];	/* primary, secondary */
};

/*
 * The PCI function at sysfs directory dir: address, ids, class, driver,
 * and for an IDE controller both channels. 0, or -errno if it has no
 * readable class.
 */
int pci_ide_read(const char *dir, struct pci_ide *p);

/*
 * Every IDE controller under root/bus/pci/devices, by address. The count,
 * or -errno if the directory cannot be read (-ENOENT: no PCI bus).
 */
int pci_ide_list(const char *root, struct pci_ide *out, int max);

/*
 * 1 when a PCI IDE controller under root decodes every channel of chans
 * and libata would move its data 32 bits wide (ata_piix, pata_sil680,
 * pata_rdc, pata_cs5536: by the bound driver, or by ids with none), else
 * 0; why says which controller and driver.
 */
/* 1 if libata moves this controller's data 32 bits wide; drv: the driver that decides it ("" unknown). */
int pci_ide_pio32_of(const struct pci_ide *p, const char **drv);
int pci_ide_pio32(const char *root, const struct ata_chan *chans, int nchans, char *why, size_t len);

#endif
