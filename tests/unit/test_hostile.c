/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hostile command lines, as a table: bad positions, firmware "files" that
 * are directories, FIFOs, devices, empty, 3 GiB sparse, unreadable or
 * symlinks to these, and output paths that exist, are not files or sit in
 * a missing directory. Each row must end in one "odrescue:" line with
 * its documented exit code, and no bus may be opened (nothing reaches a
 * drive: -v would print the bus counters at close).
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/sim/fwgen.h"
#include "tests/tst.h"

static char *dir;
static struct tst_run run;

#define path(name) tst_path(dir, name)

struct row {
	const char *args;	/* after "-p sim:state=st.bin"; %s is the test directory */
	int exit;
	const char *says;
	int needs_nonroot;	/* root could read it: run as nobody */
};

static const struct row rows[] = {
	{ "identify 0", 1, "bad position '0'", 0 },
	{ "identify 5", 1, "bad position '5'", 0 },
	{ "identify -1", 1, "unknown option '-1'", 0 },
	{ "identify 99999999999", 1, "bad position '99999999999'", 0 },
	{ "identify 3x", 1, "bad position '3x'", 0 },
	{ "identify 3 4", 1, "usage: odrescue identify POS", 0 },
	{ "flash 3 %s/dir --yes", 6, "not a regular file", 0 },
	{ "flash 3 %s/fifo --yes", 6, "not a regular file", 0 },
	{ "flash 3 /dev/zero --yes", 6, "not a regular file", 0 },
	{ "flash 3 %s/empty --yes", 6, "0 bytes: not a firmware image", 0 },
	{ "flash 3 %s/sparse.bin --yes", 6, "3221225472 bytes: not a firmware image", 0 },
	{ "flash 3 %s/noread.bin --yes", 6, "cannot read", 1 },
	{ "flash 3 %s/missing.bin --yes", 6, "cannot read", 0 },
	{ "flash 3 %s/l-dir --yes", 6, "not a regular file", 0 },
	{ "flash 3 %s/l-fifo --yes", 6, "not a regular file", 0 },
	{ "flash 3 %s/l-sparse --yes", 6, "not a firmware image", 0 },
	{ "info %s/fifo", 6, "not a regular file", 0 },
	{ "dump 3 %s/exists.bin", 5, "exists; odrescue does not overwrite files", 0 },
	{ "dump 3 %s/fifo --force", 5, "is not a regular file; --force replaces only files", 0 },
	{ "dump 3 %s/dir --force", 5, "is not a regular file", 0 },
	{ "dump 3 /dev/full", 5, "exists", 0 },
	{ "dump 3 %s/nodir/x.bin", 6, "cannot create", 0 },
	{ "flash 3 %s/ok.bin --yes --backup %s/exists.bin", 5, "exists", 0 },
	{ "flash 3 %s/ok.bin --yes --backup %s/nodir/b.bin", 5, "cannot create the backup in", 0 },
	{ "flash 3 %s/ok.bin --yes --keep 10-5", 1, "--keep wants START-END", 0 },
	{ "erase 3", 5, "--yes-i-know-what-i-am-doing", 0 },
	{ "-p sim:bogus=1 scan", 1, "bogus", 0 },
};

static void setup(void)
{
	uint8_t *img = malloc(512 * 1024);
	int fd;

	dir = tst_mkdtemp();
	ck_assert_ptr_nonnull(dir);
	ck_assert_ptr_nonnull(img);
	fwgen_make(img, 512 * 1024, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 1);
	ck_assert_int_eq(tst_write_file(path("ok.bin"), img, 512 * 1024), 0);
	ck_assert_int_eq(tst_write_file(path("noread.bin"), img, 512 * 1024), 0);
	chmod(path("noread.bin"), 0);
	ck_assert_int_eq(tst_write_file(path("exists.bin"), "x", 1), 0);
	ck_assert_int_eq(tst_write_file(path("empty"), "", 0), 0);
	ck_assert_int_eq(mkdir(path("dir"), 0755), 0);
	ck_assert_int_eq(mkfifo(path("fifo"), 0644), 0);
	fd = open(path("sparse.bin"), O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 3LL << 30), 0);
	close(fd);
	ck_assert_int_eq(symlink("dir", path("l-dir")), 0);
	ck_assert_int_eq(symlink("fifo", path("l-fifo")), 0);
	ck_assert_int_eq(symlink("sparse.bin", path("l-sparse")), 0);
	free(img);
}

static void teardown(void)
{
	tst_rmdir(dir);
	free(dir);
}

START_TEST(test_hostile_table)
{
	unsigned ran = 0;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		char args[1024], *nl;

		/* root reads a mode-0 file: that row runs as nobody */
		if (r->needs_nonroot && !geteuid()) {
			chmod(dir, 0755);
			tst_cli_uid = 65534;
		}
		snprintf(args, sizeof(args), r->args, dir, dir);
		ck_assert_msg(tst_cli(&run, "-p sim:state=%s %s", path("st.bin"), args) == r->exit,
			      "'%s': exit %d, want %d: %s", args, run.status, r->exit, run.err);
		ck_assert_msg(!strncmp(run.err, "odrescue: ", 10) && strstr(run.err, r->says),
			      "'%s': %s", args, run.err);
		nl = strchr(run.err, '\n');
		ck_assert_msg(nl && !nl[1], "'%s': more than one line: %s", args, run.err);
		/* With -v, a bus that was opened prints its counters when it closes: none may. */
		tst_cli(&run, "-v -p sim:state=%s %s", path("st.bin"), args);
		ck_assert_msg(!strstr(run.err, "bus: "), "'%s' opened the bus: %s", args, run.err);
		ck_assert_msg(access(path("st.bin"), F_OK), "'%s' started the simulated drive", args);
		tst_cli_uid = -1;
		ran++;
	}
	ck_assert_uint_eq(ran, sizeof(rows) / sizeof(rows[0]));
}
END_TEST

Suite *suite_hostile(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("cli");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hostile_table);
	suite_add_tcase(s, tc);
	return s;
}
