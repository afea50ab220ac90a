/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The image layouts of the public record, end to end on the simulator:
 * a drive whose flash holds banks starting 80h, an identity at 2E00h (with
 * 31h in byte 3), OmniPatcher's rebanked 1 MiB layout, and a PLDS DG-16D2S
 * serial image with its template where JungleFlasher finds it; each is
 * flashed (backup, write, restart), verified, and dumped to a .hex that
 * btcflash's rules load. An image without an identity is refused with one
 * line that says what to do, and --force-crossflash alone lets it through.
 * The simulated BTC drive holds its identity where btcflash reads it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/sim/fwgen.h"
#include "src/fwimage.h"
#include "tests/btcload.h"
#include "tests/tst.h"

#define KIB 1024u

static struct tst_run run;

#define path(name) tst_path(tst_dir, name)

static const struct layout_case {
	const char *what, *sim, *vendor, *product, *keep;
	uint32_t size, keep_from, keep_to;
	struct fwgen_layout l;
	int hex;			/* flash the .hex of the image, not the .bin */
} cases[] = {
	{ "banks starting 80h", "", "LITE-ON", "DVDRW SOHW-1653S", NULL, 512 * KIB, 0, 0,
	  { .bank_head = 0x80 }, 0 },
	{ "identity at 2E00h, 31h in byte 3", "", "LITE-ON", "DVDRW SOHW-1653S", NULL, 512 * KIB, 0, 0,
	  { .inq_at = FWGEN_INQ_JF, .inq_byte3 = 0x31 }, 1 },
	{ "rebanked 1 MiB", ",chip=SST39VF080", "LITE-ON", "DVDRW SOHW-1673S", NULL, 1024 * KIB, 0, 0,
	  { .rebanked = 1 }, 1 },
	/* the drive table keeps its key at A030h-A03Fh: carried over from the drive */
	{ "DG-16D2S, serial, identity at 2E00h", ",scenario=spi,chip=MX25L2005", "PLDS", "DG-16D2S",
	  " --keep A030-A03F", 256 * KIB, 0xa030, 0xa03f, { .inq_at = FWGEN_INQ_JF }, 0 },
};

static uint8_t *make(const char *name, const struct layout_case *k, const char *rev, uint32_t seed)
{
	uint8_t *img = malloc(k->size);

	ck_assert_ptr_nonnull(img);
	fwgen_make_layout(img, k->size, k->vendor, k->product, rev, seed, &k->l);
	if (name)
		ck_assert_int_eq(tst_write_file(path(name), img, k->size), 0);
	return img;
}

static void write_text(const char *name, const uint8_t *img, size_t len)
{
	size_t n;
	char *text = fwimage_to_hex(img, len, &n);

	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(tst_write_file(path(name), text, n), 0);
	free(text);
}

#define SIM(k, fmt, ...) tst_cli(&run, "-p sim:state=%s%s " fmt, path("st.bin"), (k)->sim, ##__VA_ARGS__)

START_TEST(test_layout_flash_verify_dump)
{
	const struct layout_case *k = &cases[_i];
	uint8_t *old = make("st.bin", k, "OLD1", 1), *img = make("new.bin", k, "NEW1", 99), *want, *got;
	char line[128], bwhy[200];
	size_t n;
	void *text;

	if (k->hex)
		write_text("new.hex", img, k->size);
	ck_assert_msg(SIM(k, "flash 3 %s --yes --backup %s%s", path(k->hex ? "new.hex" : "new.bin"),
			  path("b.bin"), k->keep ? k->keep : "") == 0, "%s: exit %d: %s", k->what, run.status,
		      run.err);
	snprintf(line, sizeof(line), "Drive now reports [%-8s][%-16s][NEW1]", k->vendor, k->product);
	ck_assert_msg(strstr(run.out, line), "%s: '%s' not in: %s", k->what, line, run.out);
	ck_assert_msg(tst_file_equals(path("b.bin"), old, k->size), "%s: the backup is not the old flash",
		      k->what);
	/* What the drive holds: the image, with the ranges --keep carried from the old flash. */
	want = malloc(k->size);
	memcpy(want, img, k->size);
	if (k->keep)
		memcpy(want + k->keep_from, old + k->keep_from, k->keep_to - k->keep_from + 1);
	ck_assert_msg(tst_sim_flash_equals(path("st.bin"), want, k->size), "%s: flash is not the image",
		      k->what);
	ck_assert_int_eq(tst_write_file(path("want.bin"), want, k->size), 0);
	ck_assert_msg(SIM(k, "verify 3 %s", path("want.bin")) == 0, "%s: %s", k->what, run.err);
	/* A .hex dump: btcflash's rules load it byte for byte, and it verifies. */
	ck_assert_msg(SIM(k, "dump 3 %s", path("d.hex")) == 0, "%s: %s", k->what, run.err);
	text = tst_read_file(path("d.hex"), &n);
	ck_assert_ptr_nonnull(text);
	got = btc_load(text, n, k->size, bwhy, sizeof(bwhy));
	ck_assert_msg(got != NULL, "%s: btcflash's rules refuse the dump: %s", k->what, bwhy);
	ck_assert_msg(!memcmp(got, want, k->size), "%s: the .hex dump is not the flash", k->what);
	ck_assert_msg(SIM(k, "verify 3 %s", path("d.hex")) == 0, "%s: %s", k->what, run.err);
	free(got);
	free(text);
	free(want);
	free(old);
	free(img);
}
END_TEST

/* No identity anywhere: refused with one line saying so and what to do; --force-crossflash only. */
START_TEST(test_no_identity_refused)
{
	static const struct layout_case plain = { .size = 512 * KIB, .sim = "", .vendor = "LITE-ON",
						  .product = "DVDRW SOHW-1653S" };
	static const struct layout_case none = { .size = 512 * KIB, .sim = "", .vendor = "LITE-ON",
						 .product = "DVDRW SOHW-1653S", .l = { .no_identity = 1 } };
	uint8_t *old = make("st.bin", &plain, "CS0P", 1), *img = make("anon.bin", &none, "", 7);
	const char *nl;

	ck_assert_int_eq(SIM(&plain, "flash 3 %s --yes --backup %s", path("anon.bin"), path("b.bin")), 5);
	ck_assert_msg(strstr(run.err, "no INQUIRY identity was found in the image"), "%s", run.err);
	ck_assert_msg(strstr(run.err, "odrescue info FILE"), "%s", run.err);
	ck_assert_msg(strstr(run.err, "then add --force-crossflash"), "%s", run.err);
	nl = strstr(run.err, "no INQUIRY identity");
	ck_assert_msg(!strstr(run.err, "carries no") && strchr(nl, '\n') && !strchr(nl, '\n')[1],
		      "not one last line: %s", run.err);
	ck_assert(tst_sim_flash_equals(path("st.bin"), old, 512 * KIB));
	ck_assert(access(path("b.bin"), F_OK));
	ck_assert_int_eq(SIM(&plain, "info %s", path("anon.bin")), 0);
	ck_assert_msg(strstr(run.out, "no INQUIRY identity found"), "%s", run.out);
	ck_assert_int_eq(SIM(&plain, "flash 3 %s --yes --force-crossflash --backup %s", path("anon.bin"),
			     path("b.bin")), 0);
	ck_assert(tst_sim_flash_equals(path("st.bin"), img, 512 * KIB));
	free(old);
	free(img);
}
END_TEST

/*
 * A dead drive (BSY after power-on) whose flash holds no identity, and an
 * image without one: nothing to match on either side, so refused the same
 * way before the backup (bb80b3a warned and flashed it).
 */
START_TEST(test_no_identity_dead_drive)
{
	static const struct layout_case none = { .size = 512 * KIB, .sim = "", .vendor = "LITE-ON",
						 .product = "DVDRW SOHW-1653S", .l = { .no_identity = 1 } };
	uint8_t *old = make(NULL, &none, "", 3), *img = make("anon.bin", &none, "", 7);

	memset(old + FWGEN_BANK, 0xff, FWGEN_BANK);	/* died in bank 1: the drive holds BSY */
	ck_assert_int_eq(tst_write_file(path("st.bin"), old, none.size), 0);
	ck_assert_int_eq(SIM(&none, "flash 3 %s --yes --backup %s", path("anon.bin"), path("b.bin")), 5);
	ck_assert_msg(strstr(run.err, "no INQUIRY identity was found in the image"), "%s", run.err);
	ck_assert_msg(strstr(run.err, "this drive (its flash holds none either); make sure"), "%s", run.err);
	ck_assert(tst_sim_flash_equals(path("st.bin"), old, none.size));
	ck_assert(access(path("b.bin"), F_OK));
	ck_assert_int_eq(SIM(&none, "flash 3 %s --yes --force-crossflash --backup %s", path("anon.bin"),
			     path("b.bin")), 0);
	ck_assert(tst_sim_flash_equals(path("st.bin"), img, none.size));
	free(old);
	free(img);
}
END_TEST

/* btcflash's own check holds on the simulated BTC drive: its INQUIRY vendor+product is at 40BCh of its flash. */
START_TEST(test_btc_identity_where_btcflash_reads_it)
{
	size_t n;
	uint8_t *flash;
	struct fwimage im = { 0 };

	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=wbuf,state=%s identify 3", path("st.bin")), 0);
	ck_assert_msg(strstr(run.out, "BTC     ") && strstr(run.out, "DRW1008IM"), "%s", run.out);
	flash = tst_sim_flash(path("st.bin"), &n);
	ck_assert_ptr_nonnull(flash);
	ck_assert_uint_eq(n, BTC_FLASHSIZE);
	/* btcmain: strncmp(inq + 8, fwbuf + 0x40bc, 24) */
	ck_assert(!memcmp(flash + 0x40bc, "BTC     DRW1008IM       ", 24));
	im.data = flash;
	im.len = n;
	ck_assert_int_eq(fwimage_identity(&im), 0);
	ck_assert_uint_eq(im.identity_at + 8, 0x40bc);
	free(flash);
}
END_TEST

/*
 * A .hex with Intel's 04h records (what bb80b3a's dump wrote) is refused
 * with its line and the whole advice, and that advice works: objcopy's
 * .bin of it is the image.
 */
START_TEST(test_intel_hex_refused_with_advice)
{
	static const struct layout_case k = { .size = 512 * KIB, .sim = "", .vendor = "LITE-ON",
					      .product = "DVDRW SOHW-1653S" };
	uint8_t *img = make(NULL, &k, "CS0Q", 5);
	FILE *f = fopen(path("old.hex"), "w");
	char cmd[1024];

	ck_assert_ptr_nonnull(f);
	for (uint32_t off = 0; off < k.size; off += 16) {
		unsigned sum = 16 + ((off >> 8) & 0xff) + (off & 0xff);

		if (!(off & 0xffff))
			fprintf(f, ":02000004%04X%02X\n", off >> 16, (unsigned)(-(6 + (off >> 16))) & 0xff);
		fprintf(f, ":10%04X00", off & 0xffff);
		for (int i = 0; i < 16; i++) {
			fprintf(f, "%02X", img[off + i]);
			sum += img[off + i];
		}
		fprintf(f, "%02X\n", (unsigned)(-sum) & 0xff);
	}
	fputs(":00000001FF\n", f);
	fclose(f);
	ck_assert_int_eq(tst_cli(&run, "info %s", path("old.hex")), 6);
	ck_assert_msg(strstr(run.err, "old.hex: line 1: record type 04h (Intel extended linear address) is "
			     "not in MTK .hex"), "%s", run.err);
	ck_assert_msg(strstr(run.err, "objcopy -I ihex -O binary --gap-fill 0xff --pad-to FLASHSIZE IN.hex "
			     "OUT.bin\n"), "advice cut short: %s", run.err);
	snprintf(cmd, sizeof(cmd), "objcopy -I ihex -O binary --gap-fill 0xff --pad-to 0x80000 %s %s",
		 path("old.hex"), path("conv.bin"));
	ck_assert_int_eq(system(cmd), 0);
	ck_assert(tst_file_equals(path("conv.bin"), img, k.size));
	ck_assert_int_eq(tst_cli(&run, "info %s", path("conv.bin")), 0);
	free(img);
}
END_TEST

Suite *suite_layouts(void)
{
	Suite *s = suite_create("layouts");
	TCase *tc = tcase_create("sim");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, tst_dir_setup, tst_dir_teardown);
	tcase_add_loop_test(tc, test_layout_flash_verify_dump, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_no_identity_refused);
	tcase_add_test(tc, test_no_identity_dead_drive);
	tcase_add_test(tc, test_btc_identity_where_btcflash_reads_it);
	tcase_add_test(tc, test_intel_hex_refused_with_advice);
	suite_add_tcase(s, tc);
	return s;
}
