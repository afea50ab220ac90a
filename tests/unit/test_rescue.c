/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * odrescue rescue against the simulator: Case 2 with a working drive
 * swapped for the dead one, Case 2 on an empty position (both take the
 * intro in the power-on window that plugging opened), Case 1 with the
 * dead drive on the cable (powered before odrescue: the power-cycle loop),
 * a window too short for the reset wait, a user who never power-cycles, a
 * disk, no consent, and a power cut followed by rescue --resume.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/sim/fwgen.h"
#include "tests/tst.h"

#define SIZE (512 * 1024u)

static struct tst_run run;
static uint8_t img[SIZE];

#define path(name) tst_path(tst_dir, name)

static void setup(void)
{
	tst_dir_setup();
	fwgen_make(img, SIZE, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 1);
	ck_assert_int_eq(tst_write_file(path("fw.bin"), img, SIZE), 0);
}

static int flash_holds_image(void)
{
	return tst_sim_flash_equals(path("st.bin"), img, SIZE);
}

static int rescue(const char *sim, const char *extra)
{
	return tst_cli(&run, "-p sim:state=%s,%s rescue 3 %s --backup %s %s", path("st.bin"), sim,
		       path("fw.bin"), path("b.bin"), extra);
}

START_TEST(test_case2_swap)
{
	ck_assert_msg(rescue("scenario=hotplug,swap=1", "--yes") == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "holds a working drive [SIM     ][CD-ROM          ] (Case 2)"));
	ck_assert_ptr_nonnull(strstr(run.out, "the drive that was there is gone"));
	ck_assert_ptr_nonnull(strstr(run.out, "A drive appeared after 3.0 s and still held BSY 31 s after a reset"));
	/* Plugged in is powered on: its window is open, no power cycle is asked for. */
	ck_assert_ptr_null(strstr(run.out, "POWER"));
	ck_assert_ptr_nonnull(strstr(run.out, "[3/4] Vendor mode: status 70h (vendor mode, parallel flash)\n"));
	ck_assert_ptr_nonnull(strstr(run.out, "Drive now reports [LITE-ON ][DVDRW SOHW-1653S][CS0Q]"));
	ck_assert_ptr_nonnull(strstr(run.out, "Rescue complete"));
	ck_assert(flash_holds_image());
	ck_assert(!access(path("b.bin"), F_OK));
}
END_TEST

START_TEST(test_case2_empty_position)
{
	ck_assert_msg(rescue("scenario=hotplug", "--yes") == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "Nothing at secondary master (Case 2)"));
	ck_assert_ptr_null(strstr(run.out, "POWER"));
	ck_assert_ptr_nonnull(strstr(run.out, "Rescue complete"));
	ck_assert(flash_holds_image());
}
END_TEST

/* Ctrl-C (the 5000th access) while the plugged drive holds BSY after the reset: stops there. */
START_TEST(test_case2_stopped_in_reset)
{
	ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:state=%s+scenario=hotplug,sigint_at=5000 rescue 3 %s "
				 "--backup %s --yes", path("st.bin"), path("fw.bin"), path("b.bin")), 7);
	ck_assert_ptr_nonnull(strstr(run.out, "[2/4] Waiting up to 600 s"));
	ck_assert_ptr_nonnull(strstr(run.err, "stopped while waiting; nothing was written"));
	ck_assert_ptr_null(strstr(run.out, "held BSY"));
	ck_assert(!flash_holds_image());
	ck_assert(access(path("b.bin"), F_OK));
}
END_TEST

/*
 * One Ctrl-C anywhere from the plug to the backup read (accesses 2000 to
 * about 40000, steps of 997 so they fall in every phase: the wait, the
 * reset's BSY, vendor mode, the chip id, the backup) stops the rescue with
 * nothing written.
 */
START_TEST(test_case2_stopped_anywhere_before_writing)
{
	for (unsigned at = 2000; at < 41000; at += 997) {
		remove(path("st.bin"));
		remove(path("b.bin"));
		remove(path("odrescue-3.journal"));	/* one stopped after the backup keeps it */
		ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:state=%s+scenario=hotplug,sigint_at=%u rescue 3 %s "
					 "--backup %s --yes", path("st.bin"), at, path("fw.bin"), path("b.bin")), 7);
		ck_assert_msg(strstr(run.err, "stopped") || strstr(run.err, "stopping"), "at %u: %s", at, run.err);
		ck_assert_msg(strstr(run.err, "nothing was written") || strstr(run.err, "nothing has been written"),
			      "at %u: %s", at, run.err);
		ck_assert_msg(!flash_holds_image(), "at %u: the image was written", at);
	}
}
END_TEST

/* A window shorter than the reset's BSY wait: plugging in is not enough, the loop takes over. */
START_TEST(test_case2_short_window_needs_power_cycle)
{
	ck_assert_msg(rescue("scenario=hotplug,window=1000", "--yes") == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "Switch its POWER off and on now"));
	ck_assert_ptr_nonnull(strstr(run.out, "after the power cycle"));
	ck_assert_ptr_nonnull(strstr(run.out, "Rescue complete"));
	ck_assert(flash_holds_image());
}
END_TEST

START_TEST(test_case1_dead_drive_on_the_cable)
{
	ck_assert_msg(rescue("scenario=bricked", "--yes") == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "holds BSY: its firmware does not start (Case 1)"));
	/* Powered on before odrescue started: its window closed long ago. */
	ck_assert_ptr_nonnull(strstr(run.out, "Switch its POWER off and on now"));
	ck_assert_ptr_nonnull(strstr(run.out, "after the power cycle"));
	ck_assert_ptr_nonnull(strstr(run.out, "Rescue complete"));
	ck_assert(flash_holds_image());
}
END_TEST

START_TEST(test_no_power_cycle_gives_up)
{
	ck_assert_int_eq(rescue("scenario=bricked,cycle=0", "--yes --timeout 20"), 2);
	ck_assert_ptr_nonnull(strstr(run.err, "never took the vendor command"));
	ck_assert_ptr_nonnull(strstr(run.err, "nothing was written"));
	ck_assert(access(path("b.bin"), F_OK));
}
END_TEST

START_TEST(test_no_drive_ever_appears)
{
	ck_assert_int_eq(rescue("scenario=empty", "--yes --timeout 5"), 2);
	ck_assert_ptr_nonnull(strstr(run.err, "no drive appeared"));
}
END_TEST

START_TEST(test_disk_refused)
{
	ck_assert_int_eq(tst_cli(&run, "-p sim rescue 1 %s --yes --backup %s", path("fw.bin"), path("b.bin")), 5);
	ck_assert_ptr_nonnull(strstr(run.err, "ATA disk"));
	ck_assert(!strstr(run.err, "protocol violation"));
}
END_TEST

START_TEST(test_no_consent_writes_nothing)
{
	ck_assert_int_eq(rescue("scenario=bricked", ""), 5);
	ck_assert_ptr_nonnull(strstr(run.err, "--yes"));
	ck_assert(!flash_holds_image());
	ck_assert(access(path("b.bin"), F_OK));
	ck_assert(access(path("odrescue-3.journal"), F_OK));
}
END_TEST

START_TEST(test_power_cut_then_resume)
{
	/*
	 * The cut lands in the erase/program phase: the backup read and the
	 * second read of the 9 units to write end near 4.6M accesses (the intro
	 * loop ~0.1M), the writes near 6.1M.
	 */
	ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:scenario=bricked+state=%s,power_at=5300000 rescue 3 "
				 "%s --yes --backup %s", path("st.bin"), path("fw.bin"), path("b.bin")), 9);
	ck_assert_ptr_nonnull(strstr(run.err, "--resume"));
	ck_assert(!access(path("odrescue-3.journal"), F_OK));
	ck_assert_msg(rescue("scenario=bricked", "--yes --resume") == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.err, "resuming"));
	ck_assert(flash_holds_image());
	ck_assert(access(path("odrescue-3.journal"), F_OK));
}
END_TEST

/*
 * The same cases on a SATA port (-p sim:hba=ahci, position 3 is p2): the
 * link shows the plug and the power cycle, the intro goes past BSY with
 * the command list override.
 */
static int rescue_p2(const char *sim, const char *extra)
{
	return tst_cli(&run, "-p sim:hba=ahci,state=%s,%s rescue p2 %s --backup %s %s", path("st.bin"), sim,
		       path("fw.bin"), path("b.bin"), extra);
}

/*
 * The data cable pulled while writing (fault unplug_at behind the HBA: the
 * link drops, the drive is not told): the command in flight ends at the
 * link change, not after a timeout; the advice names the cable, and the
 * printed command, with the cable back, finishes the job.
 */
START_TEST(test_ahci_cable_pulled_then_resume)
{
	char cmd[4096];

	ck_assert_int_eq(tst_cli(&run, "-v -p fault:inner=sim:scenario=bricked+state=%s+hba=ahci,unplug_at=11000000 "
				 "rescue p2 %s --yes --backup %s", path("st.bin"), path("fw.bin"), path("b.bin")), 9);
	ck_assert_ptr_nonnull(strstr(run.err, "cable pulled at access 11000000 (sim models it)"));
	ck_assert_msg(strstr(run.err, "the drive left the port (its data cable or its power)"), "%s", run.err);
	ck_assert(!flash_holds_image());
	ck_assert_int_eq(tst_printed(&run, cmd, sizeof(cmd)), 0);
	ck_assert_ptr_nonnull(strstr(cmd, "flash p2"));
	ck_assert_ptr_nonnull(strstr(cmd, "--resume"));
	ck_assert_msg(tst_cli(&run, "%s", cmd) == 0, "%s: %s", cmd, run.err);
	ck_assert(flash_holds_image());
	ck_assert(access(path("odrescue-p2.journal"), F_OK));
}
END_TEST

START_TEST(test_ahci_case1_dead_drive_on_the_port)
{
	ck_assert_msg(rescue_p2("scenario=bricked", "--yes") == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "The drive on p2 holds BSY since its link came up: its firmware does "
					      "not start (Case 1)"));
	ck_assert_ptr_nonnull(strstr(run.out, "Switch its POWER off and on now"));
	ck_assert_ptr_nonnull(strstr(run.out, "[3/4] Vendor mode: status 70h (vendor mode, parallel flash) after the "
					      "power cycle"));
	ck_assert_ptr_nonnull(strstr(run.out, "Drive now reports [LITE-ON ][DVDRW SOHW-1653S][CS0Q]"));
	ck_assert_ptr_nonnull(strstr(run.out, "Rescue complete"));
	ck_assert_msg(!tst_violations(&run), "%s", run.err);
	ck_assert(flash_holds_image());
	ck_assert(!access(path("b.bin"), F_OK));
	ck_assert_msg(tst_cli(&run, "-p sim:hba=ahci,state=%s verify p2 %s", path("st.bin"), path("fw.bin")) == 0,
		      "%s", run.err);
}
END_TEST

START_TEST(test_ahci_case2_empty_port)
{
	ck_assert_msg(rescue_p2("scenario=hotplug", "--yes") == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "Nothing on p2 (Case 2): connect the dead drive's SATA data cable"));
	ck_assert_ptr_nonnull(strstr(run.out, "a device came up on the link after 2.0 s"));
	ck_assert_ptr_nonnull(strstr(run.out, "A drive appeared after 2.0 s and holds BSY"));
	/* Plugged in is powered on: its window is open, no power cycle is asked for. */
	ck_assert_ptr_null(strstr(run.out, "POWER"));
	ck_assert_ptr_nonnull(strstr(run.out, "Rescue complete"));
	ck_assert_msg(!tst_violations(&run), "%s", run.err);
	ck_assert(flash_holds_image());
}
END_TEST

START_TEST(test_ahci_case2_swap)
{
	ck_assert_msg(rescue_p2("scenario=hotplug,swap=1", "--yes") == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "p2 holds a working drive [SIM     ][CD-ROM          ] (Case 2): unplug "
					      "its SATA data cable"));
	ck_assert_ptr_nonnull(strstr(run.out, "the drive that was there is gone"));
	ck_assert_ptr_nonnull(strstr(run.out, "Rescue complete"));
	ck_assert(flash_holds_image());
}
END_TEST

START_TEST(test_ahci_short_window_needs_power_cycle)
{
	ck_assert_msg(rescue_p2("scenario=hotplug,window=200", "--yes") == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "Switch its POWER off and on now"));
	ck_assert_ptr_nonnull(strstr(run.out, "after the power cycle"));
	ck_assert(flash_holds_image());
}
END_TEST

/* flash on a port whose drive holds BSY (a power cut mid-write leaves it so): the same intro cycle */
START_TEST(test_ahci_flash_dead_drive)
{
	ck_assert_msg(tst_cli(&run, "-p sim:hba=ahci,scenario=bricked,state=%s flash p2 %s --yes --backup %s",
			      path("st.bin"), path("fw.bin"), path("b.bin")) == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "Switch its POWER off and on now"));
	ck_assert_ptr_nonnull(strstr(run.err, "does not answer the standard protocol"));
	ck_assert_msg(!tst_violations(&run), "%s", run.err);
	ck_assert(flash_holds_image());
}
END_TEST

START_TEST(test_ahci_refusals)
{
	/* an HBA without CAP.SCLO (QEMU's) cannot send anything past BSY: said, nothing made */
	ck_assert_int_eq(rescue_p2("scenario=bricked,sclo=0", "--yes"), 2);
	ck_assert_ptr_nonnull(strstr(run.err, "no command list override (CAP.SCLO)"));
	ck_assert(access(path("b.bin"), F_OK));
	ck_assert(!flash_holds_image());
	ck_assert_int_eq(rescue_p2("scenario=bricked,cycle=0", "--yes --timeout 20"), 2);
	ck_assert_ptr_nonnull(strstr(run.err, "never took the vendor command"));
	ck_assert(access(path("b.bin"), F_OK));
	remove(path("st.bin"));		/* a machine set up as another scenario */
	ck_assert_msg(rescue_p2("scenario=empty", "--yes --timeout 5") == 2, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.err, "no drive appeared on p2"));
	remove(path("st.bin"));
	ck_assert_msg(rescue_p2("scenario=bricked", "") == 5, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.err, "--yes"));
	ck_assert(access(path("b.bin"), F_OK));
	ck_assert(!flash_holds_image());
	ck_assert_int_eq(tst_cli(&run, "-p sim:hba=ahci rescue p0 %s --yes --backup %s", path("fw.bin"),
				 path("b.bin")), 5);
	ck_assert_ptr_nonnull(strstr(run.err, "p0 holds an ATA disk"));
	ck_assert(!tst_violations(&run));
}
END_TEST

/*
 * Through ATA PASS-THROUGH (-p sim:hba=sat): a drive libata attached is
 * flashed as rescue's Case 1; a drive holding BSY has no node, and the
 * line says which path reaches it.
 */
START_TEST(test_sat_node)
{
	ck_assert_msg(tst_cli(&run, "-p sim:hba=sat,state=%s rescue /dev/sr0 %s --backup %s --yes", path("st.bin"),
			      path("fw.bin"), path("b.bin")) == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "[1/4] /dev/sr0 answers as [LITE-ON ][DVDRW SOHW-1653S][CS0P]"));
	ck_assert_ptr_nonnull(strstr(run.out, "[3/4] Vendor mode: status 70h"));
	ck_assert_ptr_nonnull(strstr(run.out, "Drive now reports [LITE-ON ][DVDRW SOHW-1653S][CS0Q]"));
	ck_assert_msg(!tst_violations(&run), "%s", run.err);
	ck_assert(flash_holds_image());
	ck_assert_msg(tst_cli(&run, "-p sim:hba=sat,state=%s verify /dev/sr0 %s", path("st.bin"), path("fw.bin")) == 0,
		      "%s", run.err);
	/* an image made for another drive: refused by the identity the kernel's node gives, nothing made */
	fwgen_make(img, SIZE, "PLEXTOR", "PX-760A", "1.07", 1);
	ck_assert_int_eq(tst_write_file(path("other.bin"), img, SIZE), 0);
	ck_assert_int_eq(tst_cli(&run, "-p sim:hba=sat rescue /dev/sr0 %s --backup %s --yes", path("other.bin"),
				 path("b2.bin")), 5);
	ck_assert_msg(strstr(run.err, "but the image is for [PLEXTOR ]"), "%s", run.err);
	ck_assert(access(path("b2.bin"), F_OK));
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(tst_cli(&run, "-p sim:hba=sat,scenario=%s rescue /dev/sr0 %s --backup %s --yes",
					 i ? "hotplug" : "bricked", path("fw.bin"), path("b2.bin")), 2);
		ck_assert_msg(strstr(run.err, "no drive at /dev/sr0: libata gives a drive without working firmware no "
					      "node") && strstr(run.err, "rescue pN"), "%s", run.err);
		ck_assert(access(path("b2.bin"), F_OK));
		ck_assert(!tst_violations(&run));
	}
}
END_TEST

Suite *suite_rescue(void)
{
	Suite *s = suite_create("rescue");
	TCase *tc = tcase_create("sim");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, tst_dir_teardown);
	tcase_add_test(tc, test_case2_swap);
	tcase_add_test(tc, test_case2_empty_position);
	tcase_add_test(tc, test_case2_stopped_in_reset);
	tcase_add_test(tc, test_case2_stopped_anywhere_before_writing);
	tcase_add_test(tc, test_case2_short_window_needs_power_cycle);
	tcase_add_test(tc, test_case1_dead_drive_on_the_cable);
	tcase_add_test(tc, test_no_power_cycle_gives_up);
	tcase_add_test(tc, test_no_drive_ever_appears);
	tcase_add_test(tc, test_disk_refused);
	tcase_add_test(tc, test_no_consent_writes_nothing);
	tcase_add_test(tc, test_power_cut_then_resume);
	suite_add_tcase(s, tc);
	tc = tcase_create("ahci");
	tcase_set_timeout(tc, 120);	/* whole flashes, slow under the sanitizers */
	tcase_add_checked_fixture(tc, setup, tst_dir_teardown);
	tcase_add_test(tc, test_ahci_case1_dead_drive_on_the_port);
	tcase_add_test(tc, test_ahci_cable_pulled_then_resume);
	tcase_add_test(tc, test_ahci_case2_empty_port);
	tcase_add_test(tc, test_ahci_case2_swap);
	tcase_add_test(tc, test_ahci_short_window_needs_power_cycle);
	tcase_add_test(tc, test_ahci_flash_dead_drive);
	tcase_add_test(tc, test_ahci_refusals);
	tcase_add_test(tc, test_sat_node);
	suite_add_tcase(s, tc);
	return s;
}
