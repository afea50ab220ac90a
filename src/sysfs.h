/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small files of sysfs and procfs: one line, one number, a driver link; where /proc is. */
#ifndef ODRESCUE_SYSFS_H
#define ODRESCUE_SYSFS_H

#include <stddef.h>

/* snprintf for paths and names: a cut result is -ENAMETOOLONG, not a different file. */
int sysfs_pathf(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* First line of dir/name, trailing blanks cut: 0 or -errno (out is "" then). */
int sysfs_read_line(const char *dir, const char *name, char *out, size_t len);
/* dir/name as a number in base (0: by its prefix): 0, -errno, or -EINVAL if it is none. */
int sysfs_read_num(const char *dir, const char *name, int base, long *v);
/* The driver bound to device dir ("ata_piix" from its driver link), "" when none. */
void sysfs_driver(const char *dir, char *out, size_t len);

/* "/proc" unless $ODRESCUE_PROC names another root (tests fake ioports and mounts). */
const char *proc_root(void);

#endif
