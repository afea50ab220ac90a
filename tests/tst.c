/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hw/sim/fwgen.h"
#include "hw/sim/sim.h"
#include "tests/tst.h"

static void slurp(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;

	while ((r = read(fd, buf + n, cap - 1 - n)) > 0) {
		n += (size_t)r;
		if (n == cap - 1)
			break;
	}
	buf[n] = '\0';
}

long tst_cli_uid = -1;
const char *tst_cli_cwd;
int tst_cli_expect_violation;

#define TST_VIOLATION "sim: protocol violation: "

unsigned tst_violations(const struct tst_run *r)
{
	unsigned n = 0;

	for (const char *p = r->err; (p = strstr(p, TST_VIOLATION)); p += strlen(TST_VIOLATION))
		n++;
	return n;
}

static char cli_dir[64];
static pid_t cli_dir_owner;

static void cli_dir_remove(void)
{
	if (cli_dir_owner == getpid())
		tst_rmdir(cli_dir);
}

/*
 * Where a run starts when the test named no directory: one of its own per
 * test (Check forks each test), removed when the test ends, so a file the
 * tool writes by default (a backup, a dump) never lands in the checkout.
 */
static const char *cli_default_dir(void)
{
	if (cli_dir_owner != getpid()) {
		snprintf(cli_dir, sizeof(cli_dir), "/tmp/odrescue-test-XXXXXX");
		ck_assert_msg(mkdtemp(cli_dir) != NULL, "cannot make a directory for the run");
		if (!cli_dir_owner)
			atexit(cli_dir_remove);
		cli_dir_owner = getpid();
	}
	return cli_dir;
}

/* argv[0] is replaced by the binary; what = the arguments as one line, for messages. */
long tst_cli_kill_ms;
int tst_cli_kill_sig = SIGKILL;

static int run_argv(struct tst_run *r, char **argv, const char *what)
{
	const char *bin = getenv("ODRESCUE") ? getenv("ODRESCUE") : "./odrescue";
	const char *cwd = tst_cli_cwd ? tst_cli_cwd : cli_default_dir();
	char abs[4096];
	char outp[] = "/tmp/odr-out-XXXXXX", errp[] = "/tmp/odr-err-XXXXXX";
	int st, ofd, efd;
	pid_t pid;

	if (realpath(bin, abs))
		bin = abs;	/* the child runs elsewhere */
	argv[0] = (char *)bin;
	ofd = mkstemp(outp);
	efd = mkstemp(errp);
	unlink(outp);
	unlink(errp);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);

		dup2(in, 0);
		dup2(ofd, 1);
		dup2(efd, 2);
		if (chdir(cwd))
			_exit(125);
		if (tst_cli_uid >= 0 && (setgroups(0, NULL) || setgid((gid_t)tst_cli_uid) ||
					 setuid((uid_t)tst_cli_uid)))
			_exit(126);
		execv(bin, argv);
		_exit(127);
	}
	if (tst_cli_kill_ms > 0) {
		struct timespec t0, now, nap = { 0, 5000000 };
		int sent = 0;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (waitpid(pid, &st, WNOHANG) == 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (!sent && (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 >= tst_cli_kill_ms)
				sent = !kill(pid, tst_cli_kill_sig);	/* once: a second Ctrl-C means something else */
			nanosleep(&nap, NULL);
		}
		tst_cli_kill_ms = 0;
		tst_cli_kill_sig = SIGKILL;
	} else {
		waitpid(pid, &st, 0);
	}
	lseek(ofd, 0, SEEK_SET);
	lseek(efd, 0, SEEK_SET);
	slurp(ofd, r->out, sizeof(r->out));
	slurp(efd, r->err, sizeof(r->err));
	close(ofd);
	close(efd);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (!tst_cli_expect_violation)
		ck_assert_msg(!tst_violations(r), "odrescue %s broke the protocol:\n%s", what, r->err);
	tst_cli_expect_violation = 0;
	return r->status;
}

int tst_cli(struct tst_run *r, const char *fmt, ...)
{
	char line[4096], args[4096], *argv[64];
	int argc = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	memcpy(args, line, sizeof(args));	/* strtok cuts line up */
	argv[argc++] = NULL;
	for (char *t = strtok(line, " "); t && argc < 63; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	return run_argv(r, argv, args);
}

int tst_cliv(struct tst_run *r, const char *const *args)
{
	char what[4096] = "", *argv[64];
	int argc = 0;

	argv[argc++] = NULL;
	for (; *args && argc < 63; args++) {
		argv[argc++] = (char *)*args;
		snprintf(what + strlen(what), sizeof(what) - strlen(what), "%s'%s'", argc > 2 ? " " : "", *args);
	}
	argv[argc] = NULL;
	return run_argv(r, argv, what);
}

int tst_printed(const struct tst_run *r, char *cmd, size_t len)
{
	const char *p = NULL, *q;
	size_t k;

	for (q = r->err; (q = strstr(q, "odrescue -p ")); q++)
		p = q;
	if (!p)
		return -1;
	p += strlen("odrescue ");
	k = strcspn(p, "\n");
	q = strstr(p, " (or ");
	if (q && (size_t)(q - p) < k)
		k = (size_t)(q - p);
	return snprintf(cmd, len, "%.*s", (int)k, p) < (int)len ? 0 : -1;
}

char *tst_path(const char *dir, const char *name)
{
	static char p[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

char *tst_mkdtemp(void)
{
	char tmpl[] = "/tmp/odrescue-test-XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

void tst_rmdir(const char *dir)
{
	char cmd[4200];

	if (!dir || strncmp(dir, "/tmp/odrescue-test-", 19))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

char *tst_dir;

void tst_dir_setup(void)
{
	tst_dir = tst_mkdtemp();
	ck_assert_ptr_nonnull(tst_dir);
	tst_cli_cwd = tst_dir;
}

void tst_dir_teardown(void)
{
	tst_cli_cwd = NULL;
	tst_rmdir(tst_dir);
	free(tst_dir);
	tst_dir = NULL;
}

uint8_t *tst_fw_image(const char *path, uint32_t size, const char *vendor, const char *product, const char *rev,
		      uint32_t seed)
{
	uint8_t *img = malloc(size);

	ck_assert_ptr_nonnull(img);
	fwgen_make(img, size, vendor, product, rev, seed);
	ck_assert_int_eq(tst_write_file(path, img, size), 0);
	return img;
}

int tst_write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -errno;
	if (fwrite(buf, 1, len, f) != len) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

void *tst_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

int tst_file_equals(const char *path, const void *want, size_t len)
{
	size_t n;
	void *b = tst_read_file(path, &n);
	int eq = b && n == len && !memcmp(b, want, len);

	free(b);
	return eq;
}

int tst_mkdirs(const char *path)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -errno : 0;
}

int tst_putf(const char *text, const char *fmt, ...)
{
	char path[PATH_MAX], dir[PATH_MAX];
	va_list ap;
	int n, ret;

	va_start(ap, fmt);
	n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(path))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	ret = tst_mkdirs(dir);
	return ret ? ret : tst_write_file(path, text, strlen(text));
}

void *tst_sim_flash(const char *path, size_t *len)
{
	static const char magic[] = "odrescue-sim-state ", tag[] = "\nstore ";
	char *b = tst_read_file(path, len), *p;
	size_t store, size;

	if (!b || *len < sizeof(magic) - 1 || memcmp(b, magic, sizeof(magic) - 1))
		return b;
	/* sim_state.c: the store holds the image, then the flash of positions 1..4 */
	p = memmem(b, *len < 4096 ? *len : 4096, tag, sizeof(tag) - 1);
	if (!p || sscanf(p, "\nstore %zu %zu", &store, &size) != 2 || store + 4 * size > *len)
		goto none;
	memmove(b, b + store + 3 * size, size);
	*len = size;
	return b;
none:
	free(b);
	return NULL;
}

struct sim *tst_sim_state(const char *path, void **map, size_t *len)
{
	int fd = open(path, O_RDWR);
	struct stat st;

	*map = MAP_FAILED;
	if (fd >= 0 && !fstat(fd, &st) && (size_t)st.st_size > 4096 + sizeof(struct sim)) {
		*len = (size_t)st.st_size;
		*map = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	}
	if (fd >= 0)
		close(fd);
	return *map == MAP_FAILED ? NULL : (struct sim *)((char *)*map + 4096);
}

int tst_sim_flash_equals(const char *path, const void *want, size_t len)
{
	size_t n;
	void *b = tst_sim_flash(path, &n);
	int eq = b && n == len && !memcmp(b, want, len);

	free(b);
	return eq;
}

/*
 * flash, verify and erase at pos of the simulator spec, end to end (in tst_dir).
 */
void tst_flash_erase_cli(const char *spec, const char *pos)
{
	static struct tst_run r;
	char st[4096], img[4096], bk[4096], bke[4096];
	uint8_t *before, *want;
	size_t n;

	snprintf(st, sizeof(st), "%s", tst_path(tst_dir, "s.bin"));
	snprintf(img, sizeof(img), "%s", tst_path(tst_dir, "new.bin"));
	snprintf(bk, sizeof(bk), "%s", tst_path(tst_dir, "bk.bin"));
	snprintf(bke, sizeof(bke), "%s", tst_path(tst_dir, "bke.bin"));
	ck_assert_int_eq(tst_cli(&r, "-p %s,state=%s chip %s", spec, st, pos), 0);
	before = tst_sim_flash(st, &n);
	ck_assert_ptr_nonnull(before);
	want = tst_fw_image(img, (uint32_t)n, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 1);
	ck_assert_int_eq(tst_cli(&r, "-p %s,state=%s flash %s %s --yes --backup %s", spec, st, pos, img, bk), 0);
	ck_assert_msg(strstr(r.out, "verified") && strstr(r.out, "Drive now reports [LITE-ON ][DVDRW SOHW-1653S][CS0Q]"),
		      "%s%s", r.out, r.err);
	ck_assert(tst_sim_flash_equals(st, want, n));
	ck_assert(tst_file_equals(bk, before, n));
	ck_assert_int_eq(tst_cli(&r, "-p %s,state=%s verify %s %s", spec, st, pos, img), 0);
	ck_assert_int_eq(tst_cli(&r, "-p %s,state=%s erase %s --yes-i-know-what-i-am-doing --yes --backup %s", spec,
				 st, pos, bke), 0);
	ck_assert(tst_file_equals(bke, want, n));
	memset(want, 0xff, n);
	ck_assert(tst_sim_flash_equals(st, want, n));
	free(before);
	free(want);
}
