/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/sysfs.h"

int sysfs_pathf(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int sysfs_read_line(const char *dir, const char *name, char *out, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	size_t n;

	out[0] = '\0';
	if (sysfs_pathf(path, sizeof(path), "%s/%s", dir, name))
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(out, (int)len, f))
		out[0] = '\0';
	fclose(f);
	n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' ' || out[n - 1] == '\t'))
		out[--n] = '\0';
	return 0;
}

int sysfs_read_num(const char *dir, const char *name, int base, long *v)
{
	char buf[64], *end;
	int ret = sysfs_read_line(dir, name, buf, sizeof(buf));

	if (ret)
		return ret;
	*v = strtol(buf, &end, base);
	return end == buf ? -EINVAL : 0;
}

void sysfs_driver(const char *dir, char *out, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n = sysfs_pathf(path, sizeof(path), "%s/driver", dir) ? -1 :
		    readlink(path, link, sizeof(link) - 1);

	out[0] = '\0';
	if (n <= 0)
		return;
	link[n] = '\0';
	sysfs_pathf(out, len, "%s", strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
}

const char *proc_root(void)
{
	const char *s = getenv("ODRESCUE_PROC");

	return s && *s ? s : "/proc";
}
