/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The drive table: matching INQUIRY strings, --list-supported, and what
 * flash does with an entry: the method it picks, a family it cannot
 * flash, the image size it wants, the per-drive data it protects.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/drives.h"
#include "tests/tst.h"

#define KIB 1024u

static struct tst_run run;

#define path(name) tst_path(tst_dir, name)

#define image(name, size, vendor, product, seed) tst_fw_image(path(name), size, vendor, product, "0251", seed)

#define flash_holds(want, len) tst_sim_flash_equals(path("st.bin"), want, len)

#define SIM(extra, fmt, ...) \
	tst_cli(&run, "-p sim:state=%s%s " fmt, path("st.bin"), extra, ##__VA_ARGS__)

START_TEST(test_find)
{
	const struct drive_model *d;

	d = drive_find("LITE-ON ", "DVDRW SOHW-1653S");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->product, "*SOHW-*");	/* the writer entry, not the catch-all after it */
	d = drive_find("LITE-ON", "DVD SOHD-16P9S  ");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->product, "*");
	d = drive_find("BTC     ", "DVD1108IM       ");	/* the second alternative */
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->method, DM_WBUF);
	ck_assert_ptr_null(drive_find("BTC     ", "BDV316E         "));
	ck_assert_ptr_null(drive_find("QEMU    ", "QEMU DVD-ROM    "));
	ck_assert_ptr_null(drive_find("LITE-ONX", "SOHW-1653S"));	/* vendor must match whole */
	ck_assert_ptr_null(drive_find(NULL, "x"));
}
END_TEST

/* Honest states: nothing claims real-hardware success until someone reports one. */
START_TEST(test_table_is_honest)
{
	for (unsigned i = 0; i < drive_table_len; i++) {
		const struct drive_model *d = &drive_table[i];

		ck_assert_ptr_nonnull(d->source);
		for (int o = 0; o < DOP_COUNT; o++)
			ck_assert_msg(d->tested[o] != DT_OK, "%s claims a real-drive test", d->family);
		for (int k = 0; k < DRIVE_RANGES_MAX && d->keep[k].what; k++)
			ck_assert(!d->image_size || d->keep[k].end < d->image_size);
	}
}
END_TEST

START_TEST(test_list_supported)
{
	ck_assert_int_eq(tst_cli(&run, "--list-supported"), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "None has been tried on a real drive yet"));
	ck_assert_ptr_nonnull(strstr(run.out, "*SOHW-*"));
	ck_assert_ptr_nonnull(strstr(run.out, "per-drive data: 00A030-00A03F drive key"));
	ck_assert_int_eq(tst_cli(&run, "--list-supported --json"), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "\"method\": \"wbuf\""));
	ck_assert_ptr_nonnull(strstr(run.out, "\"write\": \"untested\""));
}
END_TEST

/* The default drive is in the table: flash says which entry, and that it was never tried for real. */
START_TEST(test_flash_names_entry)
{
	uint8_t *img = image("new.bin", 512 * KIB, "LITE-ON", "DVDRW SOHW-1653S", 7);

	ck_assert_int_eq(SIM("", "flash 3 %s --yes --backup %s", path("new.bin"), path("b.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "Drive table: Lite-On DVD writers (MTK 8032), method mtk, "
					      "writes never tried on a real drive"));
	ck_assert(flash_holds(img, 512 * KIB));
	free(img);
}
END_TEST

/* A family the table says nobody can flash: refused before vendor mode, flash untouched. */
START_TEST(test_no_method_refused)
{
	uint8_t *old = image("st.bin", 512 * KIB, "HL-DT-ST", "BD-RE  WH16NS40", 1);
	uint8_t *img = image("new.bin", 512 * KIB, "HL-DT-ST", "BD-RE  WH16NS40", 2);

	ck_assert_int_eq(SIM("", "flash 3 %s --yes", path("new.bin")), 5);
	ck_assert_ptr_nonnull(strstr(run.err, "has no flashing method odrescue knows"));
	ck_assert(flash_holds(old, 512 * KIB));
	ck_assert_int_ne(access(path("odrescue-3.journal"), F_OK), 0);
	free(old);
	free(img);
}
END_TEST

/* An explicit method the family does not take is refused too. */
START_TEST(test_wrong_method_refused)
{
	uint8_t *old = image("st.bin", 512 * KIB, "LITE-ON", "DVDRW SOHW-1653S", 1);
	uint8_t *img = image("new.bin", 512 * KIB, "LITE-ON", "DVDRW SOHW-1653S", 2);

	ck_assert_int_eq(SIM("", "flash --method wbuf 3 %s --yes", path("new.bin")), 5);
	ck_assert_ptr_nonnull(strstr(run.err, "is flashed with --method mtk, not wbuf"));
	ck_assert(flash_holds(old, 512 * KIB));
	free(old);
	free(img);
}
END_TEST

/* A BTC drive gets WRITE BUFFER without --method (dry run: checks only, nothing sent). */
START_TEST(test_method_from_table)
{
	uint8_t *old = image("st.bin", 1024 * KIB, "BTC", "DVD1008IM", 1);
	uint8_t *img = image("new.bin", 1024 * KIB, "BTC", "DVD1008IM", 2);

	ck_assert_msg(SIM(",chip=SST39VF080", "flash 3 %s --dry-run", path("new.bin")) == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "WRITE BUFFER mode 6"));
	ck_assert_ptr_nonnull(strstr(run.out, "dry run: all checks passed, nothing was sent"));
	ck_assert(flash_holds(old, 1024 * KIB));
	free(old);
	free(img);
}
END_TEST

/* The same choice carried out: the simulator's BTC drive takes the download and reports the new revision. */
START_TEST(test_method_from_table_flashes)
{
	uint8_t *img = image("new.bin", 1024 * KIB, "BTC", "DRW1008IM", 3);

	ck_assert_msg(tst_cli(&run, "-p sim:scenario=wbuf,state=%s flash 3 %s --yes", path("wb.state"),
			      path("new.bin")) == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.out, "Drive table: BTC DRW1008 DVD writers, method wbuf"));
	ck_assert_ptr_nonnull(strstr(run.out, "came back after"));
	ck_assert_ptr_nonnull(strstr(run.out, "[BTC     ][DRW1008IM       ][0251]"));
	free(img);
}
END_TEST

/* Ctrl-C during the download (the 3000th access): no save, one line, and the drive keeps its revision. */
START_TEST(test_wbuf_ctrl_c)
{
	uint8_t *img = image("new.bin", 1024 * KIB, "BTC", "DRW1008IM", 3);

	ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:scenario=wbuf+state=%s,sigint_at=3000 flash 3 %s --yes",
				 path("wb.state"), path("new.bin")), 7);
	ck_assert_ptr_nonnull(strstr(run.err, "stopping after the command in progress"));
	ck_assert_ptr_nonnull(strstr(run.err, "before the save: position 3 (secondary master) keeps its firmware"));
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=wbuf,state=%s identify 3", path("wb.state")), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "[BTC     ][DRW1008IM       ][0058]"));
	/* flash and rescue, Ctrl-C while they look at the drive (10th access): no download after all */
	ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:scenario=wbuf+state=%s,sigint_at=10 flash 3 %s --yes",
				 path("wb.state"), path("new.bin")), 7);
	ck_assert_ptr_nonnull(strstr(run.err, "stopped before the download; nothing was written"));
	ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:scenario=wbuf+state=%s,sigint_at=10 rescue 3 %s --yes",
				 path("wb.state"), path("new.bin")), 7);
	ck_assert_ptr_nonnull(strstr(run.err, "stopped before the download; nothing was written"));
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=wbuf,state=%s identify 3", path("wb.state")), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "[BTC     ][DRW1008IM       ][0058]"));
	free(img);
}
END_TEST

/* The table knows the family's image size: another size is refused before the first write. */
START_TEST(test_family_size_refused)
{
	uint8_t *old = image("st.bin", 512 * KIB, "PLDS", "DG-16D2S", 1);
	uint8_t *img = image("new.bin", 512 * KIB, "PLDS", "DG-16D2S", 2);

	ck_assert_int_eq(tst_cli(&run, "info %s", path("new.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "takes 256 KiB images: flash will refuse this one"));
	ck_assert_int_eq(SIM(",chip=W25X40", "flash 3 %s --yes", path("new.bin")), 5);
	ck_assert_ptr_nonnull(strstr(run.err, "takes 256 KiB images; the image is 512 KiB"));
	ck_assert(flash_holds(old, 512 * KIB));
	free(old);
	free(img);
}
END_TEST

/*
 * The Xbox drive's key at A030h belongs to the drive: an image with
 * another key is refused after the backup and before the first erase;
 * --keep carries the drive's own over; --force-crossflash writes the image's.
 */
START_TEST(test_drive_data_protected)
{
	const uint32_t size = 256 * KIB;
	uint8_t *old = image("st.bin", size, "PLDS", "DG-16D2S", 1);
	uint8_t *img = malloc(size), *want = malloc(size);

	memcpy(img, old, size);
	memset(img + 0x20100, 0x5a, 4096);		/* a real change elsewhere */
	memset(img + 0xA030, 0x11, 16);			/* another drive's key */
	ck_assert_int_eq(tst_write_file(path("new.bin"), img, size), 0);

	ck_assert_int_eq(SIM(",chip=MX25L2005", "flash 3 %s --yes --backup %s", path("new.bin"),
			     path("b1.bin")), 5);
	ck_assert_ptr_nonnull(strstr(run.err, "would replace this drive's own drive key at A030-A03F; "
					      "carry it over with --keep A030-A03F"));
	ck_assert(flash_holds(old, size));

	ck_assert_msg(SIM(",chip=MX25L2005", "flash 3 %s --yes --keep A030-A03F --backup %s",
			  path("new.bin"), path("b2.bin")) == 0, "%s", run.err);
	memcpy(want, img, size);
	memcpy(want + 0xA030, old + 0xA030, 16);
	ck_assert(flash_holds(want, size));

	ck_assert_msg(SIM(",chip=MX25L2005", "flash 3 %s --yes --force-crossflash --backup %s",
			  path("new.bin"), path("b3.bin")) == 0, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.err, "replaces this drive's drive key"));
	ck_assert(flash_holds(img, size));
	free(old);
	free(img);
	free(want);
}
END_TEST

Suite *suite_drives(void)
{
	Suite *s = suite_create("drives");
	TCase *tc = tcase_create("table");

	tcase_add_checked_fixture(tc, tst_dir_setup, tst_dir_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_table_is_honest);
	tcase_add_test(tc, test_list_supported);
	tcase_add_test(tc, test_flash_names_entry);
	tcase_add_test(tc, test_no_method_refused);
	tcase_add_test(tc, test_wrong_method_refused);
	tcase_add_test(tc, test_method_from_table);
	tcase_add_test(tc, test_method_from_table_flashes);
	tcase_add_test(tc, test_wbuf_ctrl_c);
	tcase_add_test(tc, test_family_size_refused);
	tcase_add_test(tc, test_drive_data_protected);
	suite_add_tcase(s, tc);
	return s;
}
