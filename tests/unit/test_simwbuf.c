/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulator's wbuf drive (mtk-protocol.md 3.2) against odrescue's
 * WRITE BUFFER download: in process, a wrong header sum or a save without
 * a download is refused and the old firmware stays; a good download
 * restarts the drive (BSY, NOT READY, then the new revision); a drive
 * without the feature refuses WRITE BUFFER; the tray ejects and loads.
 * Through the CLI: the round trip, a cable that flips a byte (the drive's
 * checksum refuses, exit 7, flash untouched), a drive that never comes back.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ata.h"
#include "hw/atapi.h"
#include "hw/bus.h"
#include "hw/mmc.h"
#include "hw/scsi.h"
#include "hw/sim/fwgen.h"
#include "hw/sim/sim.h"
#include "recovery/wbuf.h"
#include "tests/tst.h"

#define SIZE	(1024 * 1024u)
#define SEC	1000000000ull

static struct bus b;
static struct ata_port ap;
static struct atapi_dev ad;
static struct pt pt;
static uint8_t *img;

static void open_sim(const char *spec)
{
	static const struct ata_chan ch[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};

	memset(&b, 0, sizeof(b));
	ck_assert_msg(bus_open(&b, spec, ch, 2) == 0, "%s", b.errmsg);
	ata_port_init(&ap, &b, &b.chans[1]);
	atapi_pt_init(&pt, &ad, &ap, 0);
}

static void setup(void)
{
	img = malloc(SIZE);
	ck_assert_ptr_nonnull(img);
	fwgen_make(img, SIZE, "BTC", "DRW1008IM", "0059", 3);
	open_sim("sim:scenario=wbuf");
}

static void teardown(void)
{
	struct sim *s = b.ops ? sim_from_bus(&b) : NULL;

	if (s)
		ck_assert_msg(!sim_violation_count(s), "%s", sim_violation_msg(s, 0));
	if (b.ops)
		bus_close(&b);
	free(img);
}

static uint8_t *flash(void)
{
	return simflash_mem(&sim_dev_at(sim_from_bus(&b), 3)->flash);
}

static void revision_is(const char *rev)
{
	struct inquiry inq;

	ck_assert_int_eq(mmc_inquiry(&pt, &inq), 0);
	ck_assert_str_eq(inq.revision, rev);
}

START_TEST(test_wrong_sum_keeps_old_firmware)
{
	struct wbuf_opts o = { .clock = &b };
	struct wbuf_result r = { 0 };
	uint8_t *old = malloc(SIZE);

	ck_assert_ptr_nonnull(old);
	memcpy(old, flash(), SIZE);
	ck_assert_int_eq(wbuf_send_image(&pt, img, SIZE, &o, &r), 0);
	ck_assert_int_eq(wbuf_send_header(&pt, (uint16_t)(wbuf_checksum(img, SIZE) + 1), &r), 0);
	ck_assert_int_eq(wbuf_save(&pt, &r), -EIO);
	ck_assert(r.last.sense.valid);
	ck_assert_uint_eq(r.last.sense.key, ILLEGAL_REQUEST);
	ck_assert_uint_eq(r.last.sense.asc, 0x26);	/* invalid field in parameter list */
	ck_assert(!memcmp(flash(), old, SIZE));
	revision_is("0058");
	free(old);
}
END_TEST

START_TEST(test_save_without_download)
{
	struct wbuf_result r = { 0 };

	ck_assert_int_eq(wbuf_save(&pt, &r), -EIO);
	ck_assert_uint_eq(r.last.sense.asc, 0x2c);	/* command sequence error */
	revision_is("0058");
}
END_TEST

START_TEST(test_download_restarts_into_new_firmware)
{
	struct wbuf_opts o = { .clock = &b, .settle_ns = 1 };
	struct wbuf_result r;
	struct scsi_sense s;

	ck_assert_int_eq(wbuf_download(&pt, img, SIZE, &o, &r), 0);
	ck_assert_int_eq(r.stage, WBUF_STAGE_DONE);
	ck_assert(!memcmp(flash(), img, SIZE));
	/* BSY while it writes its flash, then NOT READY (becoming ready), one poll a second. */
	ck_assert_uint_ge(r.ready_ns, SIM_WBUF_READY_NS - SEC);
	ck_assert_uint_le(r.ready_ns, SIM_WBUF_READY_NS + 2 * SEC);
	ck_assert_uint_gt(r.polls, 50);
	ck_assert_str_eq(r.inq.revision, "0059");
	ck_assert_int_eq(mmc_test_unit_ready(&pt, &s), -EIO);
	ck_assert_uint_eq(s.asc, 0x3a);		/* ready, no disc */
}
END_TEST

START_TEST(test_plain_drive_refuses_write_buffer)
{
	struct wbuf_result r = { 0 };

	bus_close(&b);
	open_sim("sim");
	ck_assert_int_eq(wbuf_send_header(&pt, 0, &r), -EIO);
	ck_assert_uint_eq(r.last.sense.key, ILLEGAL_REQUEST);
	ck_assert_uint_eq(r.last.sense.asc, 0x20);	/* invalid command operation code */
}
END_TEST

START_TEST(test_tray_eject_and_load)
{
	struct media_state m;
	struct scsi_sense s;

	ck_assert_int_eq(mmc_start_stop(&pt, 1, 0), 0);
	ck_assert_int_eq(mmc_test_unit_ready(&pt, &s), -EIO);
	ck_assert_uint_eq(s.key, NOT_READY);
	ck_assert_uint_eq(s.asc, 0x3a);
	ck_assert_uint_eq(s.ascq, 0x02);	/* tray open */
	ck_assert_int_eq(mmc_get_event_status(&pt, &m), 0);
	ck_assert(m.tray_open);
	ck_assert_int_eq(mmc_start_stop(&pt, 1, 1), 0);
	ck_assert_int_eq(mmc_test_unit_ready(&pt, &s), -EIO);
	ck_assert_uint_eq(s.ascq, 0x01);	/* tray closed, no disc */
	ck_assert_int_eq(mmc_get_event_status(&pt, &m), 0);
	ck_assert(!m.tray_open);
}
END_TEST

/* ---- the CLI ---- */

static char *dir;
static struct tst_run run;

#define path(name) tst_path(dir, name)

static void cli_setup(void)
{
	img = malloc(SIZE);
	ck_assert_ptr_nonnull(img);
	fwgen_make(img, SIZE, "BTC", "DRW1008IM", "0059", 3);
	dir = tst_mkdtemp();
	ck_assert_ptr_nonnull(dir);
	ck_assert_int_eq(tst_write_file(path("new.bin"), img, SIZE), 0);
	/* The drive as the scenario makes it, kept in st.bin; its flash for the comparisons. */
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=wbuf,state=%s scan", path("st.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "[BTC     ][DRW1008IM       ][0058]"));
}

static void cli_teardown(void)
{
	tst_rmdir(dir);
	free(dir);
	free(img);
}

static int wbuf_flash(const char *params)
{
	return tst_cli(&run, "-p sim:state=%s%s flash --method wbuf 3 %s --yes", path("st.bin"), params,
		       path("new.bin"));
}

START_TEST(test_cli_round_trip)
{
	ck_assert_msg(wbuf_flash("") == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "came back after 60.0 s: [BTC     ][DRW1008IM       ][0059]"));
	ck_assert_ptr_nonnull(strstr(run.out, "Firmware updated."));
	ck_assert(tst_sim_flash_equals(path("st.bin"), img, SIZE));
	/* The flash read back through vendor mode agrees. */
	ck_assert_msg(tst_cli(&run, "-p sim:state=%s verify 3 %s", path("st.bin"), path("new.bin")) == 0, "%s",
		      run.err);
}
END_TEST

START_TEST(test_cli_checksum_mismatch)
{
	size_t n;
	uint8_t *old = tst_sim_flash(path("st.bin"), &n);

	ck_assert_ptr_nonnull(old);
	ck_assert_int_eq(wbuf_flash(",wbuf_flip=0x1234"), 7);
	ck_assert_msg(strstr(run.err, "refused to save the firmware (mode 7): ILLEGAL REQUEST, INVALID FIELD IN "
			     "PARAMETER LIST (5/26/00). Nothing was written"), "%s", run.err);
	ck_assert(tst_sim_flash_equals(path("st.bin"), old, n));
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s identify 3", path("st.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "[BTC     ][DRW1008IM       ][0058]"));
	free(old);
}
END_TEST

START_TEST(test_cli_never_comes_back)
{
	ck_assert_int_eq(wbuf_flash(",wbuf_hang=1"), 9);
	ck_assert_msg(strstr(run.err, "did not come back within 300 s after saving the firmware"), "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.err, "odrescue rescue POS FILE"));
}
END_TEST

Suite *suite_simwbuf(void)
{
	Suite *s = suite_create("simwbuf");
	TCase *tc = tcase_create("drive");
	TCase *cli = tcase_create("cli");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_wrong_sum_keeps_old_firmware);
	tcase_add_test(tc, test_save_without_download);
	tcase_add_test(tc, test_download_restarts_into_new_firmware);
	tcase_add_test(tc, test_plain_drive_refuses_write_buffer);
	tcase_add_test(tc, test_tray_eject_and_load);
	suite_add_tcase(s, tc);
	tcase_set_timeout(cli, 60);
	tcase_add_checked_fixture(cli, cli_setup, cli_teardown);
	tcase_add_test(cli, test_cli_round_trip);
	tcase_add_test(cli, test_cli_checksum_mismatch);
	tcase_add_test(cli, test_cli_never_comes_back);
	suite_add_tcase(s, cli);
	return s;
}
