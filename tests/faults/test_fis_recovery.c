/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A process killed (SIGKILL) or stopped (Ctrl-C), or the drive's data
 * cable pulled, on the real clock during a flash on a FIS transport (the
 * modelled AHCI HBA, the modelled kernel's ATA
 * PASS-THROUGH), then the same command run again and, if it prints one,
 * exactly the command it printed: the flash ends as the image says,
 * verified, and nothing broke the protocol. A run killed in vendor mode
 * leaves the drive there: on an AHCI port odrescue sees it in PxTFD (the
 * last D2H FIS) and sends no IDENTIFY to the engine. The kill lands where
 * the machine's speed puts it; what must hold does not depend on where.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tst.h"

/* In tst_dir: the state file, the image to write (made for the drive the simulator made) and the backup's name. */
struct files {
	char st[4096], img[4096], bk[4096];
	uint8_t *old, *want;	/* the flash as the simulator made it; the image */
	size_t n;
};

/* The drive made by "-p SPEC,state=ST LOOK", then the files. */
static void files_make(struct files *f, const char *spec, const char *look)
{
	static struct tst_run r;

	snprintf(f->st, sizeof(f->st), "%s", tst_path(tst_dir, "s.bin"));
	snprintf(f->img, sizeof(f->img), "%s", tst_path(tst_dir, "new.bin"));
	snprintf(f->bk, sizeof(f->bk), "%s", tst_path(tst_dir, "bk.bin"));
	ck_assert_int_eq(tst_cli(&r, "-p %s,state=%s %s", spec, f->st, look), 0);
	f->old = tst_sim_flash(f->st, &f->n);
	ck_assert_ptr_nonnull(f->old);
	f->want = tst_fw_image(f->img, (uint32_t)f->n, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 1);
}

static void files_free(struct files *f)
{
	free(f->want);
	free(f->old);
}

/*
 * verb ("flash" or "rescue") at pos on the real clock, killed (SIGKILL)
 * or stopped (SIGINT) at kill_ms, wherever that lands; cycled: the user
 * switches the drive off and on before the next run (a half-written flash
 * may not boot). Then the same command and the one it prints: the image
 * on the flash, verified.
 */
static void killed_then_finished(const char *spec, const char *verb, const char *pos, long kill_ms, int sig,
				 int cycled)
{
	static struct tst_run r;
	char cmd[8192];
	struct files f;
	int ret;

	files_make(&f, spec, "scan");
	tst_cli_kill_ms = kill_ms;
	tst_cli_kill_sig = sig;
	ret = tst_cli(&r, "-p %s,clock=real,state=%s %s %s %s --yes --backup %s", spec, f.st, verb, pos, f.img, f.bk);
	/* SIGKILL ends it at once; Ctrl-C (SIGINT) stops it between units with its own exit code and advice */
	ck_assert_msg(sig == SIGKILL ? ret == 128 + SIGKILL || ret == 0 : ret != 128 + SIGINT, "exit %d: %s", ret,
		      r.err);
	/* The same command again (on the virtual clock: the time it takes is not what is tested). */
	ret = tst_cli(&r, "-p %s,state=%s%s %s %s %s --yes --backup %s", spec, f.st, cycled ? ",power_cycle=3" : "",
		      verb, pos, f.img, f.bk);
	if (ret) {
		ck_assert_msg(tst_printed(&r, cmd, sizeof(cmd)) == 0, "exit %d, no command printed: %s", ret, r.err);
		ret = tst_cli(&r, "%s", cmd);
	}
	ck_assert_msg(ret == 0, "exit %d: %s", ret, r.err);
	ck_assert(tst_sim_flash_equals(f.st, f.want, f.n));
	ck_assert_int_eq(tst_cli(&r, "-p %s,state=%s verify %s %s", spec, f.st, pos, f.img), 0);
	files_free(&f);
}

/*
 * rescue on a port: a dead drive (BSY) that takes the intro only after
 * the simulated user's power cycle (3 s after the first refusal), killed
 * in the intro loop, in the backup, while writing, or stopped.
 */
#define DEAD "sim:hba=ahci,scenario=bricked"

START_TEST(test_ahci_rescue_killed_in_the_intro_loop)
{
	killed_then_finished(DEAD, "rescue", "p2", 1500, SIGKILL, 0);
}
END_TEST

START_TEST(test_ahci_rescue_killed_after_vendor_mode)
{
	killed_then_finished(DEAD, "rescue", "p2", 6000, SIGKILL, 0);
}
END_TEST

START_TEST(test_ahci_rescue_killed_writing_then_power_cycled)
{
	killed_then_finished(DEAD, "rescue", "p2", 13000, SIGKILL, 1);
}
END_TEST

START_TEST(test_ahci_rescue_ctrl_c)
{
	killed_then_finished(DEAD, "rescue", "p2", 8000, SIGINT, 0);
}
END_TEST

START_TEST(test_ahci_killed_in_the_backup_read)
{
	killed_then_finished("sim:hba=ahci", "flash", "p2", 1500, SIGKILL, 0);
}
END_TEST

/* Ctrl-C on a port: odrescue stops where it safely can and says what to run; that finishes it. */
START_TEST(test_ahci_ctrl_c)
{
	killed_then_finished("sim:hba=ahci", "flash", "p2", 6000, SIGINT, 0);
}
END_TEST

START_TEST(test_ahci_killed_later)
{
	killed_then_finished("sim:hba=ahci", "flash", "p2", 7000, SIGKILL, 0);
}
END_TEST

/*
 * The data cable pulled on the real clock (fault unplug_at behind the
 * modelled HBA: the link drops, the drive is not told) at register access
 * at, wherever in the run that lands: one line and exit 2 while nothing
 * was written, else exit 9 naming the cable and the command that
 * finishes; the cable back, that command (or the same one) ends with the
 * image on the flash, verified.
 */
static void cable_pulled_then_finished(unsigned long at)
{
	static struct tst_run r;
	char cmd[8192];
	struct files f;
	int ret;

	files_make(&f, "sim:hba=ahci", "scan");
	ret = tst_cli(&r, "-p fault:inner=sim:hba=ahci+clock=real+state=%s,unplug_at=%lu flash p2 %s --yes --backup %s",
		      f.st, at, f.img, f.bk);
	ck_assert_msg(ret == 2 || ret == 9, "exit %d: %s", ret, r.err);
	ck_assert_msg(ret == 2 ? strstr(r.err, "nothing was written") != NULL :
		      strstr(r.err, "the drive left the port (its data cable or its power)") && strstr(r.err, "--resume"),
		      "exit %d: %s", ret, r.err);
	if (tst_printed(&r, cmd, sizeof(cmd)) == 0)
		ret = tst_cli(&r, "%s", cmd);
	else
		ret = tst_cli(&r, "-p sim:hba=ahci,state=%s flash p2 %s --yes --backup %s", f.st, f.img, f.bk);
	ck_assert_msg(ret == 0, "exit %d: %s", ret, r.err);
	ck_assert(tst_sim_flash_equals(f.st, f.want, f.n));
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci,state=%s verify p2 %s", f.st, f.img), 0);
	files_free(&f);
}

START_TEST(test_ahci_cable_pulled_reading)
{
	cable_pulled_then_finished(4000000);	/* about a quarter into the backup read */
}
END_TEST

START_TEST(test_ahci_cable_pulled_later)
{
	cable_pulled_then_finished(9000000);	/* past the write, in the verify on this machine */
}
END_TEST

/*
 * Through SG_IO nothing shows a drive left in vendor mode before a command
 * reaches it: the rerun's IDENTIFY PACKET goes to the engine (and libata's
 * error handler after it), which the simulator flags; odrescue writes
 * nothing and says to power-cycle. After the power cycle the same command
 * finishes the flash.
 */
START_TEST(test_sat_killed_in_vendor_mode)
{
	static struct tst_run r;
	char cmd[8192];
	struct files f;
	uint8_t *now;
	size_t m;
	int ret;

	files_make(&f, "sim:hba=sat", "chip /dev/sr0");
	tst_cli_kill_ms = 1500;	/* in the backup read: vendor mode, nothing written yet */
	ret = tst_cli(&r, "-p sim:hba=sat,clock=real,state=%s flash /dev/sr0 %s --yes --backup %s", f.st, f.img, f.bk);
	ck_assert_int_eq(ret, 128 + 9);
	tst_cli_expect_violation = 1;
	ret = tst_cli(&r, "-p sim:hba=sat,state=%s flash /dev/sr0 %s --yes --backup %s", f.st, f.img, f.bk);
	if (ret == 0)	/* a machine so slow that the kill came before the intro: nothing to recover */
		goto done;
	ck_assert_int_eq(ret, 2);
	ck_assert_msg(strstr(r.err, "power-cycle it and run the same command again"), "%s", r.err);
	now = tst_sim_flash(f.st, &m);
	ck_assert(now && m == f.n && !memcmp(now, f.old, f.n));	/* nothing written */
	free(now);
	/* The user power-cycles the drive: the simulator's power_cycle= does it at the start of the run. */
	ret = tst_cli(&r, "-p sim:hba=sat,power_cycle=3,state=%s flash /dev/sr0 %s --yes --backup %s", f.st, f.img, f.bk);
	if (ret) {
		ck_assert_msg(tst_printed(&r, cmd, sizeof(cmd)) == 0, "exit %d, no command printed: %s", ret, r.err);
		ret = tst_cli(&r, "%s", cmd);
	}
	ck_assert_msg(ret == 0, "exit %d: %s", ret, r.err);
done:
	ck_assert(tst_sim_flash_equals(f.st, f.want, f.n));
	files_free(&f);
}
END_TEST

Suite *suite_fis_recovery(void)
{
	Suite *s = suite_create("fis_recovery");
	TCase *tc = tcase_create("sigkill");

	tcase_add_checked_fixture(tc, tst_dir_setup, tst_dir_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_ahci_killed_in_the_backup_read);
	tcase_add_test(tc, test_ahci_killed_later);
	tcase_add_test(tc, test_ahci_ctrl_c);
	tcase_add_test(tc, test_ahci_cable_pulled_reading);
	tcase_add_test(tc, test_ahci_cable_pulled_later);
	tcase_add_test(tc, test_sat_killed_in_vendor_mode);
	tcase_add_test(tc, test_ahci_rescue_killed_in_the_intro_loop);
	tcase_add_test(tc, test_ahci_rescue_killed_after_vendor_mode);
	tcase_add_test(tc, test_ahci_rescue_killed_writing_then_power_cycled);
	tcase_add_test(tc, test_ahci_rescue_ctrl_c);
	suite_add_tcase(s, tc);
	return s;
}
