/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walk sysfs from each SCSI device up to its ata port and PCI function:
 * /sys/bus/scsi/devices/H:C:T:L -> /sys/devices/pci.../0000:00:01.1/ata2/
 * host1/target1:0:0/1:0:0:0. libata names PATA devices channel 0, target
 * = device number (ata_scsi_scan_host), and ata_port/ataN/port_no is the
 * port's index on its host plus one; the PCI prog-if says whether that
 * channel decodes the legacy ports (PCI IDE spec 1.0, bits 0 and 2).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/atapi_sysfs.h"
#include "src/pci_ide.h"
#include "src/sysfs.h"

const char *sg_sysfs_root(void)
{
	const char *s = getenv("ODRESCUE_SYSFS");

	return s && *s ? s : "/sys";
}

const char *sg_dev_root(void)
{
	const char *s = getenv("ODRESCUE_DEVDIR");

	return s && *s ? s : "/dev";
}

/* A class device under dev: new layout "sub/NAME", old layout "sub:NAME". */
static void find_child(const char *dir, const char *sub, char *out, size_t len)
{
	char path[PATH_MAX];
	size_t sl = strlen(sub);
	struct dirent *e;
	DIR *d;

	out[0] = '\0';
	if (sysfs_pathf(path, sizeof(path), "%s/%s", dir, sub))
		return;
	d = opendir(path);
	if (d) {
		while ((e = readdir(d)))
			if (e->d_name[0] != '.') {
				sysfs_pathf(out, len, "%s", e->d_name);
				break;
			}
		closedir(d);
		return;
	}
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, sub, sl) && e->d_name[sl] == ':') {
			sysfs_pathf(out, len, "%s", e->d_name + sl + 1);
			break;
		}
	closedir(d);
}

static int is_pci_bdf(const char *s)
{
	unsigned dom, bus, slot, fn;
	int n = 0;

	return sscanf(s, "%x:%x:%x.%x%n", &dom, &bus, &slot, &fn, &n) == 4 && s[n] == '\0';
}

static void locate_pci(struct sg_drive *d, const char *pci)
{
	struct pci_ide p;

	pci_ide_read(pci, &p);
	snprintf(d->pci, sizeof(d->pci), "%s", p.addr);
	snprintf(d->driver, sizeof(d->driver), "%s", p.driver);
	d->pci_class = p.pci_class;
	if (d->pci_class >> 8 != PCI_CLASS_IDE || d->chan < 0 || d->dev < 0)
		return;
	d->legacy = p.chan[d->chan].legacy;
	d->cmd = p.chan[d->chan].cmd;
	d->ctl = p.chan[d->chan].ctl;
	if (d->legacy)
		d->position = d->chan * 2 + d->dev + 1;
}

/* Walk the resolved device path: ataN below a PCI function, or a USB bridge. */
static void locate(struct sg_drive *d, const char *devdir)
{
	char real[PATH_MAX], prefix[PATH_MAX] = "", pci[PATH_MAX] = "";
	char *save = NULL, *prev = NULL;
	long v;

	d->ata_port = d->port_no = d->chan = d->dev = d->legacy = -1;
	if (!realpath(devdir, real))
		return;
	for (char *comp = strtok_r(real, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		int n = 0, num;

		if (!strncmp(comp, "usb", 3) && comp[3] >= '0' && comp[3] <= '9')
			d->usb = 1;
		if (d->ata_port < 0 && sscanf(comp, "ata%d%n", &num, &n) == 1 && comp[n] == '\0') {
			char portdir[PATH_MAX];

			d->ata_port = num;
			if (prev && is_pci_bdf(prev))
				sysfs_pathf(pci, sizeof(pci), "%s", prefix);
			if (!sysfs_pathf(portdir, sizeof(portdir), "%s/%s/ata_port/%s", prefix, comp, comp) &&
			    !sysfs_read_num(portdir, "port_no", 10, &v))
				d->port_no = (int)v;
		}
		/* prefix is the path up to and including comp. */
		if (sysfs_pathf(prefix + strlen(prefix), sizeof(prefix) - strlen(prefix), "/%s", comp))
			return;
		prev = comp;
	}
	if (d->ata_port < 0 || d->usb)
		return;
	if (d->channel == 0 && d->lun == 0 && d->target >= 0 && d->target <= 1)
		d->dev = d->target;
	if (d->port_no == 1 || d->port_no == 2)
		d->chan = d->port_no - 1;
	if (pci[0])
		locate_pci(d, pci);
}

static int drive_cmp(const void *a, const void *b)
{
	const struct sg_drive *x = a, *y = b;

	if (x->host != y->host)
		return x->host - y->host;
	if (x->channel != y->channel)
		return x->channel - y->channel;
	if (x->target != y->target)
		return x->target - y->target;
	return x->lun - y->lun;
}

int sg_sysfs_list(const char *root, int type, struct sg_drive *out, int max)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *dir;
	int n = 0;

	if (sysfs_pathf(path, sizeof(path), "%s/bus/scsi/devices", root))
		return -ENAMETOOLONG;
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((e = readdir(dir)) && n < max) {
		struct sg_drive *d = &out[n];
		char devdir[PATH_MAX];
		int end = 0;
		long t;

		memset(d, 0, sizeof(*d));
		if (sscanf(e->d_name, "%d:%d:%d:%d%n", &d->host, &d->channel, &d->target, &d->lun, &end) != 4 ||
		    e->d_name[end] != '\0')
			continue;
		if (sysfs_pathf(devdir, sizeof(devdir), "%s/%s", path, e->d_name) ||
		    sysfs_read_num(devdir, "type", 10, &t))
			continue;
		d->type = (int)t;
		if (type >= 0 && d->type != type)
			continue;
		sysfs_read_line(devdir, "vendor", d->vendor, sizeof(d->vendor));
		sysfs_read_line(devdir, "model", d->model, sizeof(d->model));
		sysfs_read_line(devdir, "rev", d->rev, sizeof(d->rev));
		find_child(devdir, "block", d->sr, sizeof(d->sr));
		find_child(devdir, "scsi_generic", d->sg, sizeof(d->sg));
		locate(d, devdir);
		n++;
	}
	closedir(dir);
	qsort(out, (size_t)n, sizeof(*out), drive_cmp);
	return n;
}

int sg_sysfs_find(const char *root, const char *node, struct sg_drive *out)
{
	struct sg_drive *all = calloc(SG_DRIVES_MAX, sizeof(*all));
	char real[PATH_MAX];
	const char *name;
	int n, ret = -ENOENT;

	if (!all)
		return -ENOMEM;
	/* /dev/cdrom and friends are links to the real node. */
	name = realpath(node, real) ? real : node;
	name = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	n = sg_sysfs_list(root, -1, all, SG_DRIVES_MAX);
	for (int i = 0; i < n; i++) {
		if ((all[i].sr[0] && !strcmp(all[i].sr, name)) || (all[i].sg[0] && !strcmp(all[i].sg, name))) {
			*out = all[i];
			ret = 0;
			break;
		}
	}
	free(all);
	return ret;
}

const char *sg_drive_where(const struct sg_drive *d, char *buf, unsigned len)
{
	static const char *const chans[2] = { "primary", "secondary" };
	size_t o = 0;

	buf[0] = '\0';
	if (d->usb) {
		snprintf(buf, len, "USB bridge");
		return buf;
	}
	if (d->ata_port < 0) {
		snprintf(buf, len, "SCSI host %d (not libata)", d->host);
		return buf;
	}
	o += (size_t)snprintf(buf + o, len - o, "ata%d", d->ata_port);
	if (d->chan >= 0 && d->pci_class >> 8 == PCI_CLASS_IDE && o < len)
		o += (size_t)snprintf(buf + o, len - o, " (%s channel)", chans[d->chan]);
	if (d->dev >= 0 && d->pci_class >> 8 == PCI_CLASS_IDE && o < len)
		o += (size_t)snprintf(buf + o, len - o, ", %s", d->dev ? "slave" : "master");
	if (d->pci[0] && o < len)
		o += (size_t)snprintf(buf + o, len - o, ", PCI %s", d->pci);
	if (d->driver[0] && o < len)
		snprintf(buf + o, len - o, " %s", d->driver);
	return buf;
}
