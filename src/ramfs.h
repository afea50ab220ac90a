/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A file that would live in RAM (a live system's tmpfs or overlay) is lost at reboot: say so. */
#ifndef ODRESCUE_RAMFS_H
#define ODRESCUE_RAMFS_H

#include "src/cli.h"

/* The directory's filesystem when it keeps files in RAM ("tmpfs", "ramfs", "overlay"), else NULL. */
const char *ramfs_name(const char *dir);
/* One warning line when what (the dump, the backup's directory) at path would be lost at reboot. */
void ramfs_warn(struct ctx *c, const char *path, int is_dir, const char *what);

#endif
