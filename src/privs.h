/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Least privilege: odrescue needs root only for ioperm. Once the ports
 * are granted (the grant survives), it becomes the user who ran sudo, or,
 * as plain root, gives up every capability; no_new_privs either way.
 */
#ifndef ODRESCUE_PRIVS_H
#define ODRESCUE_PRIVS_H

#include <sys/types.h>

#include "src/cli.h"

/* A setuid or setgid odrescue would lend root to anyone: -EPERM with the reason printed. */
int privs_refuse_setuid(struct ctx *c);
/* Drop what is left after the bus is open; 0 or -errno (printed). */
int privs_drop(struct ctx *c);
/*
 * open(2) with the rights, and for a new file the ownership, of the user
 * who ran sudo (root's otherwise): for files opened before privs_drop.
 * The fd, or -errno.
 */
int privs_open_user(const char *path, int flags, mode_t mode);

#endif
