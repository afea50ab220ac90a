/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/outfile.h"

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
	if (snprintf(o->tmp, sizeof(o->tmp), "%s.odrescue-XXXXXX", path) >= (int)sizeof(o->tmp))
		return -ENAMETOOLONG;
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0) {
		o->tmp[0] = '\0';
		return -errno;
	}
	fchmod(o->fd, 0644);
	return 0;
}

int outfile_write(struct outfile *o, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(o->fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
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
