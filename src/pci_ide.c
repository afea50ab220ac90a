/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The prog-if byte of an IDE controller's class (PCI IDE Controller
 * Specification 1.0): bit 0 set, the primary channel is in native mode;
 * bit 2, the secondary. A native channel's command block is at BAR0
 * (BAR2 for the secondary) and its control block at BAR1 (BAR3), whose
 * offset 2 is Device Control / Alternate Status. A channel in legacy
 * (compatibility) mode decodes 1F0h/3F6h or 170h/376h.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/bus.h"
#include "src/pci_ide.h"
#include "src/sysfs.h"

/* BAR i of a PCI function: start address from its resource file, 0 if unknown. */
static unsigned long long pci_bar(const char *dir, int i)
{
	char path[PATH_MAX];
	unsigned long long start = 0, end, flags;
	FILE *f;

	if (sysfs_pathf(path, sizeof(path), "%s/resource", dir))
		return 0;
	f = fopen(path, "r");
	if (!f)
		return 0;
	for (int n = 0; n <= i; n++)
		if (fscanf(f, "%llx %llx %llx", &start, &end, &flags) != 3) {
			start = 0;
			break;
		}
	fclose(f);
	return start;
}

static void read_chan(const char *dir, unsigned cls, int ch, struct pci_ide_chan *c)
{
	static const struct ata_chan legacy[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL },
		{ ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};
	unsigned long long cmd, ctl;

	c->legacy = !(cls & (ch ? 0x04 : 0x01));
	if (c->legacy) {
		c->cmd = legacy[ch].cmd;
		c->ctl = legacy[ch].ctl;
		return;
	}
	cmd = pci_bar(dir, ch * 2);
	ctl = pci_bar(dir, ch * 2 + 1);
	if (cmd && cmd <= 0xffff && ctl && ctl + 2 <= 0xffff) {
		c->cmd = (uint16_t)cmd;
		c->ctl = (uint16_t)(ctl + 2);
	}
}

int pci_ide_read(const char *dir, struct pci_ide *p)
{
	const char *slash = strrchr(dir, '/');
	long v;
	int ret;

	memset(p, 0, sizeof(*p));
	p->chan[0].legacy = p->chan[1].legacy = -1;
	sysfs_pathf(p->addr, sizeof(p->addr), "%s", slash ? slash + 1 : dir);
	sysfs_driver(dir, p->driver, sizeof(p->driver));
	if (!sysfs_read_num(dir, "vendor", 16, &v))
		p->vendor = (unsigned)v;
	if (!sysfs_read_num(dir, "device", 16, &v))
		p->device = (unsigned)v;
	ret = sysfs_read_num(dir, "class", 16, &v);
	if (ret)
		return ret;
	p->pci_class = (unsigned)v;
	if (p->pci_class >> 8 == PCI_CLASS_IDE)
		for (int ch = 0; ch < 2; ch++)
			read_chan(dir, p->pci_class, ch, &p->chan[ch]);
	return 0;
}

static int addr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pci_ide *)a)->addr, ((const struct pci_ide *)b)->addr);
}

int pci_ide_list(const char *root, struct pci_ide *out, int max)
{
	char path[PATH_MAX], dev[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (sysfs_pathf(path, sizeof(path), "%s/bus/pci/devices", root))
		return -ENAMETOOLONG;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d)) && n < max) {
		if (e->d_name[0] == '.' || sysfs_pathf(dev, sizeof(dev), "%s/%s", path, e->d_name))
			continue;
		if (!pci_ide_read(dev, &out[n]) && out[n].pci_class >> 8 == PCI_CLASS_IDE)
			n++;
	}
	closedir(d);
	qsort(out, (size_t)n, sizeof(*out), addr_cmp);
	return n;
}

/*
 * The IDE functions libata itself moves PIO data 32 bits wide on: its
 * drivers that inherit ata_bmdma32_port_ops (ata_piix, pata_sil680,
 * pata_rdc, pata_cs5536). Every other libata driver for a PCI IDE
 * function stays 16-bit, and so does odrescue there: some old chips
 * (CMD640, RZ1000, MPIIX) mishandle 32-bit data cycles.
 */
static const struct {
	unsigned vendor, device;	/* device 0: every one of the vendor's not listed before */
	int pio32;
	const char *driver;
} pio32_ids[] = {
	{ 0x8086, 0x1230, 0, "pata_oldpiix" },	/* PIIX */
	{ 0x8086, 0x1234, 0, "pata_mpiix" },	/* MPIIX */
	{ 0x8086, 0x811a, 0, "pata_sch" },	/* SCH */
	{ 0x8086, 0, 1, "ata_piix" },
	{ 0x1095, 0x0680, 1, "pata_sil680" },
	{ 0x17f3, 0x1011, 1, "pata_rdc" },
	{ 0x17f3, 0x1012, 1, "pata_rdc" },
	{ 0x1022, 0x209a, 1, "pata_cs5536" },
};

int pci_ide_pio32_of(const struct pci_ide *p, const char **drv)
{
	*drv = p->driver;
	for (size_t i = 0; i < sizeof(pio32_ids) / sizeof(pio32_ids[0]); i++) {
		if (p->driver[0] ? strcmp(p->driver, pio32_ids[i].driver) :
		    pio32_ids[i].vendor != p->vendor || (pio32_ids[i].device && pio32_ids[i].device != p->device))
			continue;
		*drv = pio32_ids[i].driver;
		return pio32_ids[i].pio32;
	}
	if (!p->driver[0])
		*drv = "";
	return 0;
}

/*
 * Whether the data ports of chans take 32-bit accesses: yes when a PCI
 * IDE controller decodes every channel and libata would move its data 32
 * bits wide (by the driver bound to it, or with none bound, by its ids);
 * no for anything else (an ISA or VLB card may decode only 16 bits).
 * why says which controller and driver, or what was missing.
 */
int pci_ide_pio32(const char *root, const struct ata_chan *chans, int nchans, char *why, size_t len)
{
	struct pci_ide p[PCI_IDE_MAX];
	int n;

	memset(p, 0, sizeof(p));	/* clang-analyzer cannot see pci_ide_list fill the first n */
	n = pci_ide_list(root, p, PCI_IDE_MAX);
	if (n < 0) {
		snprintf(why, len, "16-bit: no PCI IDE controller list in %s", root);
		return 0;
	}
	for (int i = 0; i < nchans; i++) {
		const char *drv;
		int found = -1;

		for (int k = 0; k < n && found < 0; k++)
			for (int ch = 0; ch < 2; ch++)
				if (p[k].chan[ch].legacy >= 0 && p[k].chan[ch].cmd == chans[i].cmd)
					found = k;
		if (found < 0) {
			snprintf(why, len, "16-bit: no PCI IDE controller decodes ports %x-%x",
				 chans[i].cmd, chans[i].cmd + 7);
			return 0;
		}
		if (!pci_ide_pio32_of(&p[found], &drv)) {
			snprintf(why, len, "16-bit: PCI IDE controller %s (%04x:%04x%s%s) is one libata moves "
				 "16 bits at a time", p[found].addr, p[found].vendor, p[found].device,
				 *drv ? ", " : "", drv);
			return 0;
		}
		snprintf(why, len, "32-bit: PCI IDE controller %s (%04x:%04x, %s) decodes ports %x-%x, "
			 "and libata moves its data 32 bits at a time", p[found].addr, p[found].vendor,
			 p[found].device, drv, chans[i].cmd, chans[i].cmd + 7);
	}
	return 1;
}
