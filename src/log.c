/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "src/log.h"
#include "src/privs.h"

static int fd = -1;

/* One stream's tee: what passes goes on to real, each whole line to the log. */
static struct tee {
	FILE *real;
	FILE *f;
	char line[1024];
	size_t len;
	int esc;	/* inside an escape sequence (\033[K of the progress line) */
} tees[2];

static void log_write(const char *text, size_t len)
{
	char stamp[40];
	struct timespec ts;
	struct tm tm;
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = (int)strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp + n, sizeof(stamp) - (size_t)n, ".%03ldZ ", ts.tv_nsec / 1000000);
	/* one write(2) a line: O_APPEND keeps it whole */
	dprintf(fd, "%s%.*s\n", stamp, (int)len, text);
}

static void log_vline(const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	if (fd < 0)
		return;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	log_write(buf, n < 0 ? 0 : (size_t)n >= sizeof(buf) ? sizeof(buf) - 1 : (size_t)n);
}

void log_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline(fmt, ap);
	va_end(ap);
}

static ssize_t tee_write(void *cookie, const char *buf, size_t size)
{
	struct tee *t = cookie;

	if (fwrite(buf, 1, size, t->real) != size)
		return -1;
	for (size_t i = 0; i < size; i++) {
		char ch = buf[i];

		if (t->esc) {
			t->esc = !((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'));
		} else if (ch == '\033') {
			t->esc = 1;
		} else if (ch == '\r') {
			t->len = 0;	/* a redraw of the progress line: not for the log */
		} else if (ch == '\n' || t->len == sizeof(t->line)) {
			log_write(t->line, t->len);
			t->len = 0;
			if (ch != '\n')
				t->line[t->len++] = ch;
		} else {
			t->line[t->len++] = ch;
		}
	}
	return (ssize_t)size;
}

static int tee_close(void *cookie)
{
	struct tee *t = cookie;

	if (t->len)
		log_write(t->line, t->len);
	t->len = 0;
	return fflush(t->real);
}

static FILE *tee_open(struct tee *t, FILE *real)
{
	static const cookie_io_functions_t io = { .write = tee_write, .close = tee_close };

	memset(t, 0, sizeof(*t));
	t->real = real;
	t->f = fopencookie(t, "w", io);
	if (t->f)
		setvbuf(t->f, NULL, _IOLBF, 0);
	return t->f ? t->f : real;
}

int log_open(struct ctx *c, const char *path, int argc, char **argv)
{
	char cmdline[512] = "";

	fd = privs_open_user(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		int ret = fd;

		err_msg(c, "cannot open the log %s: %s", path, strerror(-ret));
		return ret;
	}
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(cmdline);

		snprintf(cmdline + n, sizeof(cmdline) - n, "%s%s", i ? " " : "", argv[i]);
	}
	log_line("--- %s (odrescue %s)", cmdline, ODRESCUE_VERSION);
	c->out = tee_open(&tees[0], c->out);
	c->err = tee_open(&tees[1], c->err);
	return 0;
}

void log_close(struct ctx *c)
{
	for (int i = 0; i < 2; i++) {
		if (!tees[i].f)
			continue;
		if (c->out == tees[i].f)
			c->out = tees[i].real;
		if (c->err == tees[i].f)
			c->err = tees[i].real;
		fclose(tees[i].f);
		tees[i].f = NULL;
	}
	if (fd >= 0)
		close(fd);
	fd = -1;
}

int log_active(void)
{
	return fd >= 0;
}

FILE *log_real(FILE *f)
{
	for (int i = 0; i < 2; i++)
		if (f && f == tees[i].f)
			return tees[i].real;
	return f;
}
