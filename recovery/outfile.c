/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recovery/outfile.h"

int outfile_open(struct outfile *o, const char *path, int force)
{
	struct stat st;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->path = path;
	o->force = force;
	if (!lstat(path, &st)) {
		if (!force)
			return -EEXIST;
		if (!S_ISREG(st.st_mode))
			return -EISDIR;	/* --force replaces files, never directories or devices */
	}
	/* Beside the target (same filesystem, so link() works); O_EXCL: never someone else's file. */
	for (unsigned n = 0; n < 100; n++) {
		if (snprintf(o->tmp, sizeof(o->tmp), "%s.odrescue-%ld-%u", path, (long)getpid(), n) >=
		    (int)sizeof(o->tmp)) {
			o->tmp[0] = '\0';
			return -ENAMETOOLONG;
		}
		o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (o->fd >= 0 || errno != EEXIST)
			break;
	}
	if (o->fd < 0) {
		o->tmp[0] = '\0';
		return -errno;
	}
	return 0;
}

int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int outfile_write(struct outfile *o, const void *buf, size_t len)
{
	return write_full(o->fd, buf, len);
}

int outfile_commit(struct outfile *o)
{
	int ret = 0;

	if (fsync(o->fd) || close(o->fd))
		ret = -errno;
	o->fd = -1;
	if (!ret) {
		/* link() refuses to replace: a file that appeared meanwhile is kept. */
		if (o->force)
			ret = rename(o->tmp, o->path) ? -errno : 0;
		else
			ret = link(o->tmp, o->path) ? -errno : 0;
	}
	unlink(o->tmp);
	o->tmp[0] = '\0';
	return ret;
}

void outfile_abort(struct outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = '\0';
}
