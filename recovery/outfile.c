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
	if (!*path)
		return -ENOENT;	/* "" + ".odrescue-..." would be a hidden file here, and link() fails at the end */
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

int outfile_reserve(struct outfile *o, size_t len)
{
	/* KEEP_SIZE: the file grows only with what is written; a filesystem without fallocate can't tell */
	if (fallocate(o->fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)len) && errno != EOPNOTSUPP && errno != ENOSYS)
		return -errno;
	o->reserved = len;
	return 0;
}

int outfile_room(const char *dir, size_t len)
{
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600), ret = 0;

	if (fd < 0)
		return errno == EOPNOTSUPP || errno == EISDIR ? 0 : -errno;	/* no O_TMPFILE here: can't tell */
	if (fallocate(fd, 0, 0, (off_t)len) && errno != EOPNOTSUPP && errno != ENOSYS)
		ret = -errno;
	close(fd);	/* an O_TMPFILE file without a name is gone with its descriptor */
	return ret;
}

int outfile_write(struct outfile *o, const void *buf, size_t len)
{
	int ret = write_full(o->fd, buf, len);

	if (!ret)
		o->written += len;
	return ret;
}

int outfile_commit(struct outfile *o)
{
	int ret = 0;

	/* Blocks reserved past what was written (a .hex shorter than the chip) go back. */
	if (o->reserved > o->written && ftruncate(o->fd, (off_t)o->written))
		ret = -errno;
	if (!ret && fsync(o->fd))
		ret = -errno;
	if (close(o->fd) && !ret)
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
