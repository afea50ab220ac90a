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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/bus.h"
#include "src/atapi_sysfs.h"

#define PCI_CLASS_IDE	0x0101

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

/* snprintf for paths and names: a cut result is an error, not a different file. */
static int pathf(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int pathf(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* First line of a small sysfs file, trailing blanks cut; 0 or -errno. */
static int read_line(const char *dir, const char *name, char *out, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	size_t n;

	out[0] = '\0';
	if (pathf(path, sizeof(path), "%s/%s", dir, name))
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(out, (int)len, f))
		out[0] = '\0';
	fclose(f);
	n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' ' || out[n - 1] == '\t'))
		out[--n] = '\0';
	return 0;
}

static int read_num(const char *dir, const char *name, int base, long *v)
{
	char buf[64], *end;
	int ret = read_line(dir, name, buf, sizeof(buf));

	if (ret)
		return ret;
	*v = strtol(buf, &end, base);
	return end == buf ? -EINVAL : 0;
}

/* A class device under dev: new layout "sub/NAME", old layout "sub:NAME". */
static void find_child(const char *dir, const char *sub, char *out, size_t len)
{
	char path[PATH_MAX];
	size_t sl = strlen(sub);
	struct dirent *e;
	DIR *d;

	out[0] = '\0';
	if (pathf(path, sizeof(path), "%s/%s", dir, sub))
		return;
	d = opendir(path);
	if (d) {
		while ((e = readdir(d)))
			if (e->d_name[0] != '.') {
				pathf(out, len, "%s", e->d_name);
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
			pathf(out, len, "%s", e->d_name + sl + 1);
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

/* BAR i of a PCI function: start address from its resource file, 0 if unknown. */
static unsigned long long pci_bar(const char *pci, int i)
{
	char path[PATH_MAX];
	unsigned long long start = 0, end, flags;
	FILE *f;

	if (pathf(path, sizeof(path), "%s/resource", pci))
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

static void locate_pci(struct sg_drive *d, const char *pci)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;
	long cls;

	pathf(d->pci, sizeof(d->pci), "%s", strrchr(pci, '/') + 1);
	n = pathf(path, sizeof(path), "%s/driver", pci) ? -1 : readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		pathf(d->driver, sizeof(d->driver), "%s", strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
	}
	if (!read_num(pci, "class", 16, &cls))
		d->pci_class = (unsigned)cls;
	if (d->pci_class >> 8 != PCI_CLASS_IDE || d->chan < 0 || d->dev < 0)
		return;
	/* prog-if bit 0: primary in native mode; bit 2: secondary in native mode. */
	d->legacy = !(d->pci_class & (d->chan ? 0x04 : 0x01));
	if (d->legacy) {
		d->cmd = d->chan ? ATA_SECONDARY_CMD : ATA_PRIMARY_CMD;
		d->ctl = d->chan ? ATA_SECONDARY_CTL : ATA_PRIMARY_CTL;
		d->position = d->chan * 2 + d->dev + 1;
	} else {
		/* Native: BAR0/1 primary, BAR2/3 secondary; control block at BAR+2. */
		unsigned long long cmd = pci_bar(pci, d->chan * 2), ctl = pci_bar(pci, d->chan * 2 + 1);

		if (cmd && cmd <= 0xffff && ctl && ctl + 2 <= 0xffff) {
			d->cmd = (uint16_t)cmd;
			d->ctl = (uint16_t)(ctl + 2);
		}
	}
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
				pathf(pci, sizeof(pci), "%s", prefix);
			if (!pathf(portdir, sizeof(portdir), "%s/%s/ata_port/%s", prefix, comp, comp) &&
			    !read_num(portdir, "port_no", 10, &v))
				d->port_no = (int)v;
		}
		/* prefix is the path up to and including comp. */
		if (pathf(prefix + strlen(prefix), sizeof(prefix) - strlen(prefix), "/%s", comp))
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

	if (pathf(path, sizeof(path), "%s/bus/scsi/devices", root))
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
		if (pathf(devdir, sizeof(devdir), "%s/%s", path, e->d_name) || read_num(devdir, "type", 10, &t))
			continue;
		d->type = (int)t;
		if (type >= 0 && d->type != type)
			continue;
		read_line(devdir, "vendor", d->vendor, sizeof(d->vendor));
		read_line(devdir, "model", d->model, sizeof(d->model));
		read_line(devdir, "rev", d->rev, sizeof(d->rev));
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
