/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "recovery/chanlock.h"

#define OPEN_TRIES	4	/* create/open races with other starters before giving up */

void chanlock_init(struct chanlock *l)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
}

/*
 * Open the lock file, creating it if it is missing. O_CREAT is only ever
 * used with O_EXCL: on an existing file in a sticky directory owned by
 * another user, fs.protected_regular refuses O_CREAT even to root (root's
 * file in /tmp would lock out the next user's run, and the other way round).
 * A file we may not write is still locked through a read-only descriptor.
 * O_NOFOLLOW: no symlink planted under the name; O_NONBLOCK: no FIFO either.
 */
static int open_lockfile(const char *path, struct stat *st)
{
	const int flags = O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
	int fd = -1;

	for (int i = 0; i < OPEN_TRIES && fd < 0; i++) {
		fd = open(path, O_RDWR | flags);
		if (fd < 0 && (errno == EACCES || errno == EROFS))
			fd = open(path, O_RDONLY | flags);
		if (fd >= 0 || errno != ENOENT)
			break;
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | flags, 0644);
		if (fd >= 0)
			(void)!fchmod(fd, 0644);	/* whatever the umask: others must read who holds it */
		else if (errno != EEXIST)
			break;
	}
	if (fd < 0)
		return errno == EEXIST ? -EAGAIN : -errno;
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

/* What the holder wrote; a pid that no longer runs makes the rest stale too. */
static void read_holder(int fd, struct chanlock_holder *h)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	memset(h, 0, sizeof(*h));
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "pid %ld", &h->pid) == 1)
			continue;
		if (!strncmp(line, "since ", 6))
			snprintf(h->since, sizeof(h->since), "%s", line + 6);
		else if (!strncmp(line, "command ", 8))
			snprintf(h->cmd, sizeof(h->cmd), "%s", line + 8);
	}
	if (h->pid <= 0 || (kill((pid_t)h->pid, 0) && errno == ESRCH))
		memset(h, 0, sizeof(*h));
}

static int write_holder(int fd, const char *cmd)
{
	char buf[512], since[32];
	time_t now = time(NULL);
	struct tm tm;
	int n;

	if (!localtime_r(&now, &tm) || !strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(since, sizeof(since), "%lld", (long long)now);
	n = snprintf(buf, sizeof(buf), "pid %ld\nsince %s\ncommand %s\n", (long)getpid(), since, cmd ? cmd : "");
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = snprintf(buf, sizeof(buf), "pid %ld\nsince %s\n", (long)getpid(), since);
	if (ftruncate(fd, 0))
		return 0;
	return pwrite(fd, buf, (size_t)n, 0) == n;
}

int chanlock_take(struct chanlock *l, const char *path, const char *cmd, struct chanlock_holder *h)
{
	struct stat st = { .st_nlink = 0 };	/* unknown: never written to */
	int fd;

	chanlock_init(l);
	memset(h, 0, sizeof(*h));
	if (snprintf(l->path, sizeof(l->path), "%s", path) >= (int)sizeof(l->path))
		return -ENAMETOOLONG;
	fd = open_lockfile(path, &st);
	if (fd < 0)
		return fd;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int err = errno;

		if (err == EWOULDBLOCK)
			read_holder(fd, h);
		close(fd);
		return err == EWOULDBLOCK ? -EBUSY : -err;
	}
	l->fd = fd;
	/*
	 * Only our own file is truncated and written: root would otherwise
	 * empty whatever a user hard-linked under the name in a shared /tmp.
	 */
	if ((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR && st.st_uid == geteuid() && st.st_nlink == 1)
		l->wrote = write_holder(fd, cmd);
	return 0;
}

void chanlock_drop(struct chanlock *l)
{
	if (l->fd < 0)
		return;
	if (l->wrote)
		(void)!ftruncate(l->fd, 0);
	close(l->fd);	/* the last descriptor of the open file: the flock goes with it */
	l->fd = -1;
	l->wrote = 0;
}
