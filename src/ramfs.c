/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>

#include "src/ramfs.h"

/* statfs(2) f_type values, from linux/magic.h. */
#define TMPFS_MAGIC		0x01021994
#define RAMFS_MAGIC		0x858458f6
/* Live systems put an overlay over a RAM upper layer: its writes go to RAM too. */
#define OVERLAYFS_SUPER_MAGIC	0x794c7630

const char *ramfs_name(const char *dir)
{
	struct statfs st;

	if (statfs(dir, &st))
		return NULL;
	switch ((unsigned long)st.f_type) {
	case TMPFS_MAGIC: return "tmpfs";
	case RAMFS_MAGIC: return "ramfs";
	case OVERLAYFS_SUPER_MAGIC: return "overlay";
	}
	return NULL;
}

void ramfs_warn(struct ctx *c, const char *path, int is_dir, const char *what)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/'), *fs;

	if (is_dir)
		snprintf(dir, sizeof(dir), "%s", path);
	else if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	fs = ramfs_name(dir);
	if (fs)
		warn_msg(c, "%s %s is on %s, which keeps it in RAM: gone at the next reboot or power cut; "
			 "put it on a USB stick or a disk (mount one, e.g. on /mnt)", what, path, fs);
}
