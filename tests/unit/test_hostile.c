/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hostile command lines, as a table: bad positions (0, 5, -1,
 * 99999999999, 3x, empty) for read-only and modifying commands, firmware
 * "files" that are directories, FIFOs, devices, empty, 3 GiB sparse,
 * unreadable, missing or symlinks to these, and output paths that exist,
 * are symlinks, are not files, are empty, sit in a missing directory or on
 * a full filesystem. Each row must end in one "odrescue:" line with its
 * documented exit code, leave every file in the directory as it was (no
 * temporary left behind), and reach no drive: no bus is opened (-v would
 * print the bus counters at close, and the simulator would create its
 * state file). A row marked BUS may open the bus to read (a dump learns
 * the chip's size from the drive), but the simulated flash must be
 * unchanged afterwards.
 *
 * The full filesystem is a 64 KiB tmpfs filled to the last block, mounted
 * in a private mount namespace of this test; where that is not allowed
 * (not root, no user namespaces) those rows are skipped and say why.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/sim/fwgen.h"
#include "tests/tst.h"

static char *dir;
static struct tst_run run;
static int have_full;		/* full/ is a full filesystem */
static char no_full[160];	/* why not */

#define path(name) tst_path(dir, name)

enum { NONROOT = 1, FULL = 2, BUS = 4 };

struct row {
	const char *args;	/* after "-p sim:state=st.bin", run in the test directory; '' is an empty argument */
	int exit;
	const char *says;
	unsigned flags;		/* NONROOT: root could read it, run as nobody; FULL: needs full/; BUS: see above */
};

#define MSG_NOTFILE	"not a regular file"

static const struct row rows[] = {
	/* positions, read-only and modifying commands */
	{ "identify 0", 1, "bad position '0'", 0 },
	{ "identify 5", 1, "bad position '5'", 0 },
	{ "identify -1", 1, "unknown option '-1'", 0 },
	{ "identify 99999999999", 1, "bad position '99999999999'", 0 },
	{ "identify 3x", 1, "bad position '3x'", 0 },
	{ "identify ''", 1, "bad position ''", 0 },
	{ "identify 3 4", 1, "usage: odrescue identify POS", 0 },
	{ "flash 0 ok.bin --yes", 1, "bad position '0'", 0 },
	{ "flash 5 ok.bin --yes", 1, "bad position '5'", 0 },
	{ "flash -1 ok.bin --yes", 1, "unknown option '-1'", 0 },
	{ "flash 99999999999 ok.bin --yes", 1, "bad position '99999999999'", 0 },
	{ "flash 3x ok.bin --yes", 1, "bad position '3x'", 0 },
	{ "flash '' ok.bin --yes", 1, "bad position ''", 0 },
	{ "erase '' --yes --yes-i-know-what-i-am-doing", 1, "bad position ''", 0 },
	{ "dump 0 out.bin", 1, "bad position '0'", 0 },
	{ "rescue 5 ok.bin --yes", 1, "bad position '5'", 0 },
	{ "0 w ok.bin", 1, "'0' is not a command, nor a position 1-4", 0 },
	/* firmware files */
	{ "flash 3 dir --yes", 6, MSG_NOTFILE, 0 },
	{ "flash 3 fifo --yes", 6, MSG_NOTFILE, 0 },
	{ "flash 3 /dev/zero --yes", 6, MSG_NOTFILE, 0 },
	{ "flash 3 empty --yes", 6, "0 bytes: not a firmware image", 0 },
	{ "flash 3 sparse.bin --yes", 6, "3221225472 bytes: not a firmware image", 0 },
	{ "flash 3 noread.bin --yes", 6, "cannot read: Permission denied", NONROOT },
	{ "flash 3 missing.bin --yes", 6, "cannot read: No such file", 0 },
	{ "flash 3 '' --yes", 6, "cannot read: No such file", 0 },
	{ "flash 3 l-dir --yes", 6, MSG_NOTFILE, 0 },
	{ "flash 3 l-fifo --yes", 6, MSG_NOTFILE, 0 },
	{ "flash 3 l-zero --yes", 6, MSG_NOTFILE, 0 },
	{ "flash 3 l-empty --yes", 6, "0 bytes: not a firmware image", 0 },
	{ "flash 3 l-sparse --yes", 6, "not a firmware image", 0 },
	{ "flash 3 l-noread --yes", 6, "cannot read: Permission denied", NONROOT },
	{ "flash 3 l-missing --yes", 6, "cannot read: No such file", 0 },
	{ "flash 3 fifo --method wbuf --yes", 6, MSG_NOTFILE, 0 },
	{ "verify 3 fifo", 6, MSG_NOTFILE, 0 },
	{ "rescue 3 fifo --yes", 6, MSG_NOTFILE, 0 },
	{ "info fifo", 6, MSG_NOTFILE, 0 },
	{ "info /dev/zero", 6, MSG_NOTFILE, 0 },
	/* output files: dumps and backups */
	{ "dump 3 exists.bin", 5, "exists; odrescue does not overwrite files", 0 },
	{ "dump 3 l-exists", 5, "exists; odrescue does not overwrite files", 0 },
	{ "dump 3 l-missing", 5, "exists; odrescue does not overwrite files", 0 },
	{ "dump 3 fifo --force", 5, "is not a regular file; --force replaces only files", 0 },
	{ "dump 3 dir --force", 5, "is not a regular file", 0 },
	{ "dump 3 /dev/full", 5, "exists", 0 },
	{ "dump 3 /dev/full --force", 5, "is not a regular file", 0 },
	{ "dump 3 ''", 6, "cannot create ''", 0 },
	{ "dump 3 nodir/x.bin", 6, "cannot create 'nodir/x.bin'", 0 },
	{ "flash 3 ok.bin --yes --backup exists.bin", 5, "exists", 0 },
	{ "flash 3 ok.bin --yes --backup exists.bin --force", 1, "flash does not take --force", 0 },
	{ "flash 3 ok.bin --yes --backup l-missing", 5, "exists", 0 },
	{ "flash 3 ok.bin --yes --backup /dev/full", 5, "exists", 0 },
	{ "flash 3 ok.bin --yes --backup ''", 1, "--backup wants a file name", 0 },
	{ "flash 3 ok.bin --yes --backup nodir/b.bin", 5, "cannot create the backup in", 0 },
	{ "dump 3 full/x.bin", 6, "No space left on device (524288 bytes needed); the flash was not read",
	  FULL | BUS },
	{ "dump 3 full/x.hex", 6, "No space left on device", FULL | BUS },
	/* roomy/ holds the 512 KiB .bin, not the longest .hex of it (2.75 times as big) */
	{ "dump 3 roomy/x.hex", 6, "No space left on device (1441888 bytes needed); the flash was not read",
	  FULL | BUS },
	{ "flash 3 ok.bin --yes --backup full/b.bin", 5, "no room for a 524288-byte backup in full/",
	  FULL },
	{ "rescue 3 ok.bin --yes --backup full/b.bin", 5, "no room for a 524288-byte backup", FULL },
	/* erase has no image: the chip's size, learnt from the drive, sizes the backup */
	{ "erase 3 --yes --yes-i-know-what-i-am-doing --backup full/b.bin", 5,
	  "no room for a 524288-byte backup in full/", FULL | BUS },
	/* options */
	{ "flash 3 ok.bin --yes --keep 10-5", 1, "--keep wants START-END", 0 },
	{ "--timeout inf wait 3", 1, "--timeout wants seconds", 0 },
	{ "erase 3", 5, "--yes-i-know-what-i-am-doing", 0 },
	{ "-p sim:bogus=1 scan", 1, "bogus", 0 },
};

/*
 * A private mount namespace with a 64 KiB tmpfs at full/, filled, and an
 * empty 1 MiB one at roomy/: 1, or 0 with no_full[] saying why.
 */
static int make_full(void)
{
	static const char zero[4096];
	int fd;

	if (geteuid()) {
		snprintf(no_full, sizeof(no_full), "mounting a tmpfs needs root");
		return 0;
	}
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", path("full"), "tmpfs", 0, "size=64k") ||
	    mount("tmpfs", path("roomy"), "tmpfs", 0, "size=1m")) {
		snprintf(no_full, sizeof(no_full), "a private tmpfs mount: %s", strerror(errno));
		return 0;
	}
	fd = open(path("full/fill"), O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	while (write(fd, zero, sizeof(zero)) > 0)
		;
	ck_assert_int_eq(errno, ENOSPC);
	close(fd);
	return 1;
}

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
	ck_assert_int_eq(mkdir(path("full"), 0755), 0);
	ck_assert_int_eq(mkdir(path("roomy"), 0755), 0);
	ck_assert_int_eq(mkfifo(path("fifo"), 0644), 0);
	fd = open(path("sparse.bin"), O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 3LL << 30), 0);
	close(fd);
	ck_assert_int_eq(symlink("dir", path("l-dir")), 0);
	ck_assert_int_eq(symlink("fifo", path("l-fifo")), 0);
	ck_assert_int_eq(symlink("sparse.bin", path("l-sparse")), 0);
	ck_assert_int_eq(symlink("/dev/zero", path("l-zero")), 0);
	ck_assert_int_eq(symlink("empty", path("l-empty")), 0);
	ck_assert_int_eq(symlink("noread.bin", path("l-noread")), 0);
	ck_assert_int_eq(symlink("exists.bin", path("l-exists")), 0);
	ck_assert_int_eq(symlink("nothere", path("l-missing")), 0);
	free(img);
	have_full = make_full();
}

static void teardown(void)
{
	if (have_full) {
		umount2(path("full"), MNT_DETACH);
		umount2(path("roomy"), MNT_DETACH);
	}
	tst_rmdir(dir);
	free(dir);
}

/* args split at spaces, '' an empty argument; a NULL-terminated list in v[] (cut from buf). */
static void split(char *buf, const char **v, size_t max)
{
	size_t n = 0;

	for (char *t = strtok(buf, " "); t && n + 1 < max; t = strtok(NULL, " "))
		v[n++] = strcmp(t, "''") ? t : "";
	v[n] = NULL;
}

/* Names in the directory (and full/), sorted into one line: what a row must leave as it found. */
static void listing(char *out, size_t len)
{
	static const char *const sub[] = { "", "full" };
	size_t n = 0;

	out[0] = '\0';
	for (size_t s = 0; s < 2; s++) {
		struct dirent **e;
		int k = scandir(sub[s][0] ? path(sub[s]) : dir, &e, NULL, alphasort);

		for (int i = 0; i < k; i++) {
			n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s/%s ", sub[s], e[i]->d_name);
			free(e[i]);
		}
		free(e);
	}
}

static const char *const *argv_for(const struct row *r, int verbose, const char *state)
{
	static char buf[1024], st[64];
	static const char *v[40];

	snprintf(st, sizeof(st), "sim:state=%s", state);
	snprintf(buf, sizeof(buf), "%s", r->args);
	v[0] = "-p";
	v[1] = st;
	v[2] = "-v";
	split(buf, v + 3 - !verbose, sizeof(v) / sizeof(v[0]) - 3);
	return v;
}

START_TEST(test_hostile_table)
{
	unsigned ran = 0, skipped = 0;
	size_t flash_len = 0;
	uint8_t *flash;
	char before[4096], after[4096];

	tst_cli_cwd = dir;
	/* BUS rows read the drive: its flash, kept in st-bus.bin, must come out as it went in. */
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=st-bus.bin scan"), 0);
	flash = tst_sim_flash(path("st-bus.bin"), &flash_len);
	ck_assert_ptr_nonnull(flash);
	ck_assert_uint_eq(flash_len, 512 * 1024);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		const char *state = r->flags & BUS ? "st-bus.bin" : "st.bin";
		char *nl;

		if ((r->flags & FULL) && !have_full) {
			printf("hostile: skipped '%s': no full filesystem (%s)\n", r->args, no_full);
			skipped++;
			continue;
		}
		/* root reads a mode-0 file: that row runs as nobody */
		if ((r->flags & NONROOT) && !geteuid()) {
			chmod(dir, 0777);	/* nobody may create st.bin here: the check below says whether it did */
			tst_cli_uid = 65534;
		}
		listing(before, sizeof(before));
		ck_assert_msg(tst_cliv(&run, argv_for(r, 0, state)) == r->exit, "'%s': exit %d, want %d: %s",
			      r->args, run.status, r->exit, run.err);
		ck_assert_msg(!strncmp(run.err, "odrescue: ", 10) && strstr(run.err, r->says), "'%s': %s",
			      r->args, run.err);
		nl = strchr(run.err, '\n');
		ck_assert_msg(nl && !nl[1], "'%s': more than one line: %s", r->args, run.err);
		tst_cliv(&run, argv_for(r, 1, state));
		listing(after, sizeof(after));
		ck_assert_msg(!strcmp(before, after), "'%s' left the directory changed:\n%s\n%s", r->args,
			      before, after);
		if (r->flags & BUS) {
			ck_assert_msg(tst_sim_flash_equals(path("st-bus.bin"), flash, flash_len),
				      "'%s' changed the drive's flash", r->args);
		} else {
			/* With -v, a bus that was opened prints its counters when it closes: none may. */
			ck_assert_msg(!strstr(run.err, "bus: "), "'%s' opened the bus: %s", r->args, run.err);
			ck_assert_msg(access(path("st.bin"), F_OK), "'%s' started the simulated drive", r->args);
		}
		ck_assert_msg(tst_file_equals(path("exists.bin"), "x", 1), "'%s' wrote exists.bin", r->args);
		tst_cli_uid = -1;
		chmod(dir, 0700);
		ran++;
	}
	tst_cli_cwd = NULL;
	free(flash);
	printf("hostile: %u rows, %u passed, %u skipped\n", ran + skipped, ran, skipped);
	ck_assert_uint_eq(ran + skipped, sizeof(rows) / sizeof(rows[0]));
}
END_TEST

Suite *suite_hostile(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("cli");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_hostile_table);
	suite_add_tcase(s, tc);
	return s;
}
