/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One odrescue per IDE channel: an flock()ed file per channel. A second
 * run on the same channel would interleave its register accesses with the
 * first one's (a flash in one terminal, a scan in another) and corrupt
 * both. flock() ends with the process, so a crashed run leaves nothing
 * that blocks the next; the file itself is never removed (a removal races
 * with a third process opening the old name and locking another inode).
 */
#ifndef ODRESCUE_CHANLOCK_H
#define ODRESCUE_CHANLOCK_H

#include <limits.h>

struct chanlock {
	int fd;			/* -1: not held */
	int wrote;		/* our pid is in the file (it was writable) */
	char path[PATH_MAX];
};

/* Who holds a lock, as far as its file tells. */
struct chanlock_holder {
	long pid;		/* 0: the file names nobody alive */
	char since[32];		/* "2026-11-25 07:23:13", "" unknown */
	char cmd[200];		/* the holder's command line, "" unknown */
};

/* Not held; chanlock_drop() on it does nothing. */
void chanlock_init(struct chanlock *l);

/*
 * Take the lock file at path without waiting, and write our pid, the time
 * and cmd into it when it is ours (another user's file, perhaps only
 * readable to us, is locked all the same but left as it is). 0: held. -EBUSY:
 * another process holds it, h says who. -errno: the file cannot be opened
 * or is not a regular file.
 */
int chanlock_take(struct chanlock *l, const char *path, const char *cmd, struct chanlock_holder *h);

/* Empty the file (no stale pid for the next reader) and let the lock go. */
void chanlock_drop(struct chanlock *l);

#endif
