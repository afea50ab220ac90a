/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Files odrescue writes (dumps, backups): written beside the target under
 * a temporary name, synced, then linked into place. A failed run leaves no
 * partial file under the final name, and an existing file is never
 * replaced unless the user said --force.
 */
#ifndef ODRESCUE_OUTFILE_H
#define ODRESCUE_OUTFILE_H

#include <stddef.h>

struct outfile {
	const char *path;
	char tmp[4096];
	int fd;
	int force;
	size_t reserved;	/* outfile_reserve() */
	size_t written;
};

/* Before any device work: -EEXIST if path exists (and !force), -errno if its directory is unusable. */
int outfile_open(struct outfile *o, const char *path, int force);
/*
 * Set aside len bytes on the disk before slow device reads: a full
 * filesystem says -ENOSPC now, not after minutes of reading.
 */
int outfile_reserve(struct outfile *o, size_t len);
/* Does dir have len bytes free for a new file? 0 (or cannot tell), -ENOSPC, -errno. Leaves nothing. */
int outfile_room(const char *dir, size_t len);
int outfile_write(struct outfile *o, const void *buf, size_t len);
/* fsync and put in place; on failure the temporary is removed. */
int outfile_commit(struct outfile *o);
void outfile_abort(struct outfile *o);
/* write() until done, through EINTR and short writes: 0 or -errno. */
int write_full(int fd, const void *buf, size_t len);

#endif
