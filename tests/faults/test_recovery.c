/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Recovery from what a real rescue meets (issue 14), each through the
 * command line only, so it runs against any build: a power cut or SIGKILL
 * while the identity unit is written is finished by the printed command
 * with no override; a killed run leaves its partial writes and vendor mode
 * on the drive, and the next run says so and uses it; a second run on one
 * drive is refused; the simulated user's power cycle ends with the run
 * that asked for it.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "tests/tst.h"

#define SIZE	(512u * 1024)

static char *dir;
static struct tst_run run;

#define path(name) tst_path(dir, name)

static void setup(void)
{
	dir = tst_mkdtemp();
	ck_assert_ptr_nonnull(dir);
	/* The update every real one is: a new revision, so the unit with the INQUIRY identity changes. */
	free(tst_fw_image(path("new.bin"), SIZE, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 1));
}

static void teardown(void)
{
	tst_rmdir(dir);
	free(dir);
}

static int flash(const char *fault, const char *extra)
{
	return tst_cli(&run, "-p fault:inner=sim:state=%s%s%s flash 3 %s --yes --backup %s%s", path("st.bin"),
		       *fault ? "," : "", fault, path("new.bin"), path("b.bin"), extra);
}

/* The fault layer's access count of the last run (-v). */
static unsigned long long accesses(void)
{
	const char *p = strstr(run.err, "fault: ");

	return p ? strtoull(p + 7, NULL, 10) : 0;
}

/* Accesses where the reads end: the identity unit (the only one that differs) is written right after. */
static unsigned long long reads_end(void)
{
	unsigned long long n;

	ck_assert_msg(flash("", " --dry-run -v") == 0, "%s", run.err);
	n = accesses();
	ck_assert_uint_gt(n, 0);
	unlink(path("b.bin"));
	unlink(path("b.bin.info"));
	unlink(path("st.bin"));
	return n;
}

/* Follow what odrescue printed until the drive verifies as the image; the number of commands it took. */
static int finish(void)
{
	char cmd[4096];
	int rc = 1, n = 0;

	while (rc && n < 3 && !tst_printed(&run, cmd, sizeof(cmd))) {
		rc = tst_cli(&run, "%s", cmd);
		n++;
	}
	ck_assert_msg(rc == 0, "after %d commands, exit %d: %s", n, rc, run.err);
	ck_assert_ptr_null(strstr(run.err, "--force-crossflash"));
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s verify 3 %s", path("st.bin"), path("new.bin")), 0);
	return n;
}

/* Power lost at points all over the identity unit's erase and program: --resume finishes each. */
START_TEST(test_identity_unit_power_cut)
{
	unsigned long long t = reads_end();
	static const unsigned long long at[] = { 10, 400, 2000, 30000, 70000, 120000 };

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		char fault[64];

		unlink(path("st.bin"));
		unlink(path("b.bin"));
		unlink(path("b.bin.info"));
		snprintf(fault, sizeof(fault), "power_at=%llu", t + at[i]);
		ck_assert_msg(flash(fault, "") == 9, "at +%llu: %s", at[i], run.err);
		ck_assert_ptr_nonnull(strstr(run.err, "--resume"));
		ck_assert_int_eq(finish(), 1);
	}
}
END_TEST

/*
 * SIGKILL in the identity unit: the drive keeps what was written and stays
 * in vendor mode; the same command again names the journal and the command
 * that finishes, which needs no override.
 */
START_TEST(test_identity_unit_killed)
{
	unsigned long long t = reads_end();
	char fault[64];
	uint8_t *before;
	size_t n;

	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s dump 3 %s", path("st.bin"), path("old.bin")), 0);
	before = tst_read_file(path("old.bin"), &n);
	ck_assert_ptr_nonnull(before);
	snprintf(fault, sizeof(fault), "kill_at=%llu", t + 30000);
	ck_assert_int_eq(flash(fault, ""), 128 + 9);
	/* What a real drive holds now: a partly written flash, and vendor mode. */
	ck_assert(!tst_sim_flash_equals(path("st.bin"), before, n));
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s scan", path("st.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "3 secondary master MediaTek drive already in vendor mode (status 70h"));
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s identify 3", path("st.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "already in vendor mode"));
	ck_assert_int_eq(flash("", ""), 5);
	ck_assert_ptr_nonnull(strstr(run.err, "finish it with: odrescue -p "));
	ck_assert_int_eq(finish(), 1);
	ck_assert(tst_file_equals(path("b.bin"), before, n));
	free(before);
}
END_TEST

/* A drive a killed dump left in vendor mode: dump and verify use it as it is and leave vendor mode. */
START_TEST(test_dump_uses_vendor_mode)
{
	ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:state=%s,kill_at=300000 dump 3 %s", path("st.bin"),
				 path("d.bin")), 128 + 9);
	ck_assert_msg(tst_cli(&run, "-p sim:state=%s dump 3 %s", path("st.bin"), path("d.bin")) == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.err, "was already in vendor mode (status 70h)"));
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s verify 3 %s", path("st.bin"), path("d.bin")), 0);
	/* the outro happened: the drive runs its firmware again */
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s identify 3", path("st.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "INQUIRY [LITE-ON ][DVDRW SOHW-1653S][CS0P]"));
}
END_TEST

/* One drive, one odrescue: a second process on the same state= is refused as a channel's owner is. */
START_TEST(test_second_run_refused)
{
	int fd;

	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s scan", path("st.bin")), 0);
	fd = open(path("st.bin"), O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);	/* what the first run holds */
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s scan", path("st.bin")), 4);
	ck_assert_ptr_nonnull(strstr(run.err, "is in use by another process"));
	close(fd);
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s scan", path("st.bin")), 0);
}
END_TEST

/*
 * Ctrl-C while rescue waits for the power cycle it asked for: the user's
 * cycle belongs to that run. The next rescue asks again and succeeds at
 * once (the old cycle used to fire in its reads: exit 7).
 */
START_TEST(test_power_cycle_ends_with_its_run)
{
	ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:state=%s+scenario=bricked,sigint_at=2000 rescue 3 %s "
				 "--yes --backup %s", path("st.bin"), path("new.bin"), path("b.bin")), 7);
	ck_assert_ptr_nonnull(strstr(run.err, "stopped while waiting for the power cycle"));
	ck_assert_msg(tst_cli(&run, "-p sim:state=%s rescue 3 %s --yes --backup %s", path("st.bin"),
			      path("new.bin"), path("b.bin")) == 0, "%s", run.err);
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s verify 3 %s", path("st.bin"), path("new.bin")), 0);
}
END_TEST

Suite *suite_recovery(void)
{
	Suite *s = suite_create("recovery");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_identity_unit_power_cut);
	tcase_add_test(tc, test_identity_unit_killed);
	tcase_add_test(tc, test_dump_uses_vendor_mode);
	tcase_add_test(tc, test_second_run_refused);
	tcase_add_test(tc, test_power_cycle_ends_with_its_run);
	suite_add_tcase(s, tc);
	return s;
}
