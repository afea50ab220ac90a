/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "recovery/release.h"

/* Prepared at detach so that a signal handler can give the channel back with open/write. */
static char bind_path[PATH_MAX];
static char bound_pci[64];
/* The block devices the kernel had behind the released controller (sr0, sda): they must come back. */
#define NODES_MAX 16
static char nodes[NODES_MAX][64];
static int nnodes;

static int is_pci_name(const char *s)
{
	unsigned a, b, c, d;
	int n = 0;

	return sscanf(s, "%4x:%2x:%2x.%1u%n", &a, &b, &c, &d, &n) == 4 && s[n] == '\0';
}

int release_owner(const char *ioports, const struct ata_chan *ch, struct chan_owner *o)
{
	char line[256], stack[8][64] = { { 0 } };
	FILE *f = fopen(ioports, "r");
	int owned = 0;

	memset(o, 0, sizeof(*o));
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned start, end;
		int indent = 0, n = 0;
		char name[64];

		while (line[indent] == ' ')
			indent++;
		if (sscanf(line + indent, "%x-%x : %63[^\n]%n", &start, &end, name, &n) != 3)
			continue;
		indent = indent / 2 < 8 ? indent / 2 : 7;
		snprintf(stack[indent], sizeof(stack[indent]), "%s", name);
		if (!((start <= ch->cmd + 7u && end >= ch->cmd) || (start <= ch->ctl && end >= ch->ctl)))
			continue;
		if (end - start >= 16 || !strncmp(name, "PCI Bus", 7))
			continue;	/* a bus window spans everything; a channel claim is 8 ports or 1 */
		if (is_pci_name(name)) {
			snprintf(o->pci, sizeof(o->pci), "%s", name);
			continue;
		}
		/* The innermost non-PCI name is the driver; its PCI parent sits above it. */
		snprintf(o->driver, sizeof(o->driver), "%s", name);
		o->start = start;
		o->end = end;
		for (int l = indent - 1; l >= 0; l--)
			if (is_pci_name(stack[l])) {
				snprintf(o->pci, sizeof(o->pci), "%s", stack[l]);
				break;
			}
		owned = 1;
	}
	fclose(f);
	return owned;
}

#define SLAVES_DEPTH	8	/* dm on md on partitions is three; a loop in sysfs is none */

/*
 * Is the block device whose sysfs directory is link on PCI function pci
 * (needle "/BDF/" in its real path), itself or through the devices it is
 * built on (dm, md, LVM: their slaves/ directory)?
 */
static int block_behind(const char *sysfs, const char *link, const char *needle, int depth)
{
	char real[PATH_MAX], slaves[PATH_MAX + 8], next[PATH_MAX];
	struct dirent *d;
	DIR *dir;
	int hit = 0;

	if (!realpath(link, real))
		return 0;
	if (strstr(real, needle))
		return 1;
	if (depth >= SLAVES_DEPTH)
		return 0;
	snprintf(slaves, sizeof(slaves), "%s/slaves", real);
	dir = opendir(slaves);
	while (dir && !hit && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(next, sizeof(next), "%s/class/block/%s", sysfs, d->d_name);
		hit = block_behind(sysfs, next, needle, depth + 1);
	}
	if (dir)
		closedir(dir);
	return hit;
}

/*
 * Does a block device listed in mounts (or swaps: the first field, /dev/...)
 * sit behind PCI function pci? /dev/mapper/NAME is found by its device
 * number (sysfs/dev/block/MAJ:MIN), other names also by sysfs/class/block.
 */
static int mounted_behind(const char *sysfs, const char *mounts, const char *pci, char *dev, size_t len)
{
	char line[1024], src[512], link[PATH_MAX], needle[80];
	FILE *f = fopen(mounts, "r");
	struct stat st;
	int hit = 0;

	if (!f)
		return -errno;
	snprintf(needle, sizeof(needle), "/%s/", pci);
	while (!hit && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%511s", src) != 1 || strncmp(src, "/dev/", 5))
			continue;
		if (!stat(src, &st) && S_ISBLK(st.st_mode)) {
			snprintf(link, sizeof(link), "%s/dev/block/%u:%u", sysfs, major(st.st_rdev), minor(st.st_rdev));
			hit = block_behind(sysfs, link, needle, 0);
		}
		snprintf(link, sizeof(link), "%s/class/block/%s", sysfs, strrchr(src, '/') + 1);
		hit = hit || block_behind(sysfs, link, needle, 0);
		if (hit)
			snprintf(dev, len, "%s", src);
	}
	fclose(f);
	return hit;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int release_detach(const char *sysfs, const char *mounts, const struct chan_owner *o, char *why,
		   size_t len)
{
	char link[PATH_MAX], target[PATH_MAX], dev[512], path[PATH_MAX], swaps[PATH_MAX];
	const char *driver;
	ssize_t n;
	int ret;

	if (!o->pci[0]) {
		snprintf(why, len, "the ports belong to no PCI function odrescue can unbind");
		return -EBUSY;
	}
	ret = mounted_behind(sysfs, mounts, o->pci, dev, sizeof(dev));
	if (ret) {
		snprintf(why, len, ret > 0 ? "%s is mounted and lives on that controller (%s): releasing it "
			 "would take the filesystem away" : "cannot read %s", ret > 0 ? dev : mounts, o->pci);
		return -EBUSY;
	}
	/* Swap too: the kernel pages out to it at any time (/proc/swaps lists it as /proc/mounts does). */
	snprintf(swaps, sizeof(swaps), "%.*sswaps", (int)(strrchr(mounts, '/') ? strrchr(mounts, '/') - mounts + 1 : 0),
		 mounts);
	ret = mounted_behind(sysfs, swaps, o->pci, dev, sizeof(dev));
	if (ret > 0 || (ret < 0 && ret != -ENOENT)) {
		snprintf(why, len, ret > 0 ? "%s is in use as swap and lives on that controller (%s): releasing "
			 "it would take the swap away" : "cannot read %s", ret > 0 ? dev : swaps, o->pci);
		return -EBUSY;
	}
	/* The PCI driver, which may be named differently from the ioports entry (libata, ide1). */
	snprintf(link, sizeof(link), "%s/bus/pci/devices/%s/driver", sysfs, o->pci);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0) {
		snprintf(why, len, "%s has no driver link in sysfs", o->pci);
		return -EBUSY;
	}
	target[n] = '\0';
	driver = basename(target);
	snprintf(path, sizeof(path), "%s/bus/pci/drivers/%s/unbind", sysfs, driver);
	ret = write_str(path, o->pci);
	if (ret) {
		snprintf(why, len, "unbinding %s from %s: %s", o->pci, driver, strerror(-ret));
		return ret;
	}
	snprintf(bind_path, sizeof(bind_path), "%s/bus/pci/drivers/%s/bind", sysfs, driver);
	snprintf(bound_pci, sizeof(bound_pci), "%s", o->pci);
	return 0;
}

void release_note_nodes(const char *sysfs, const char *pci)
{
	char dir[PATH_MAX], link[PATH_MAX + 80], needle[80];
	struct dirent *d;
	DIR *dp;

	nnodes = 0;
	snprintf(dir, sizeof(dir), "%s/class/block", sysfs);
	snprintf(needle, sizeof(needle), "/%s/", pci);
	dp = opendir(dir);
	while (dp && nnodes < NODES_MAX && (d = readdir(dp))) {
		if (d->d_name[0] == '.' || strlen(d->d_name) >= sizeof(nodes[0]))
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, d->d_name);
		if (block_behind(sysfs, link, needle, SLAVES_DEPTH))	/* the disks themselves, not dm on them */
			snprintf(nodes[nnodes++], sizeof(nodes[0]), "%s", d->d_name);
	}
	if (dp)
		closedir(dp);
}

int release_wait_nodes(const char *dev, uint64_t tmo_ms, char *missing, size_t len)
{
	const struct timespec step = { 0, 50 * 1000000L };
	uint64_t waited = 0;

	for (;;) {
		char path[PATH_MAX + 80];

		missing[0] = '\0';
		for (int i = 0; i < nnodes; i++) {
			snprintf(path, sizeof(path), "%s/%s", dev, nodes[i]);
			if (access(path, F_OK))
				snprintf(missing + strlen(missing), len - strlen(missing), "%s%s", missing[0] ? " " : "",
					 path);
		}
		if (!missing[0])
			return 0;
		if (waited >= tmo_ms)
			return -ETIMEDOUT;
		nanosleep(&step, NULL);
		waited += 50;
	}
}

int release_giveback(void)
{
	int ret;

	if (!bind_path[0])
		return 0;
	ret = write_str(bind_path, bound_pci);
	if (!ret)
		bind_path[0] = '\0';
	return ret;
}
