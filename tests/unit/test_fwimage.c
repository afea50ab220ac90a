/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The image loader: Intel HEX and MTK .hex records, every refusal with its line, .bin sizes. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hw/sim/fwgen.h"
#include "src/fwimage.h"
#include "tests/tst.h"

static struct fwimage im;
static char why[256];

static int parse(const char *text)
{
	int ret;

	memset(&im, 0, sizeof(im));
	why[0] = '\0';
	ret = fwimage_parse_hex(text, strlen(text), &im, why, sizeof(why));
	return ret;
}

static void done(void)
{
	free(im.data);
	im.data = NULL;
}

START_TEST(test_mtk_bank_records)
{
	/* Two banks the BTC way: data at 0000h of each, 55h between, end. */
	ck_assert_int_eq(parse(":0200000002AA52\n:00000155AA\n:020000000211EB\n:00000001FF\n"), 0);
	ck_assert_uint_eq(im.len, 2 * FW_BANK);
	ck_assert_uint_eq(im.data[0], 0x02);
	ck_assert_uint_eq(im.data[1], 0xaa);
	ck_assert_uint_eq(im.data[2], 0xff);	/* unfilled bytes are FFh */
	ck_assert_uint_eq(im.data[FW_BANK], 0x02);
	ck_assert_uint_eq(im.data[FW_BANK + 1], 0x11);
	done();
}
END_TEST

START_TEST(test_refusals_name_the_line)
{
	static const struct { const char *text, *why; } bad[] = {
		{ ":0200000002AA53\n:00000001FF\n", "line 1: checksum mismatch" },
		{ ":0200000002AA52\n:0200000002AA52\n:00000001FF\n", "line 2: data at 000000h was already given" },
		{ ":0200000002AA52\n:00000007F9\n", "line 2: unknown record type 07" },
		{ ":0200000002AA52\n0200000002AA52\n:00000001FF\n", "line 2 is not an Intel HEX record" },
		{ ":0200000002AA52\n", "no end-of-file record" },
		{ ":02000004002BCF\n:0100000002FD\n:00000001FF\n", "beyond 2 MiB" },
		{ ":0200000002AG52\n:00000001FF\n", "line 1" },
		{ ":0100015502A7\n:00000001FF\n", "line 1: bank record with data" },
		/* seen while writing fuzz_hex: a base near 4 GiB wrapped the bounds check past the buffer */
		{ ":02000004FFFFFC\n:01FFFF0002FF\n:00000001FF\n", "line 2: data at FFFFFFFFh beyond 2 MiB" },
		{ ":02000004FFFFFC\n:10FFF80000000000000000000000000000000000F9\n:00000001FF\n", "beyond 2 MiB" },
		{ ":00000001FF\n", "no data records" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse(bad[i].text) != 0, "case %zu accepted", i);
		ck_assert_msg(strstr(why, bad[i].why), "case %zu: '%s' lacks '%s'", i, why, bad[i].why);
		ck_assert_ptr_null(im.data);	/* a refused file leaves nothing allocated */
	}
}
END_TEST

START_TEST(test_hex_writer_round_trip)
{
	uint8_t *img = malloc(256 * 1024);
	size_t n;
	char *text;

	fwgen_make(img, 256 * 1024, "LITE-ON", "DVD SOHD-16P9S", "FS0J", 3);
	text = fwimage_to_hex(img, 256 * 1024, &n);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(parse(text), 0);
	ck_assert_uint_eq(im.len, 256 * 1024);
	ck_assert(!memcmp(im.data, img, 256 * 1024));
	ck_assert_int_eq(fwimage_identity(&im), 0);
	ck_assert_str_eq(im.revision, "FS0J");
	done();
	free(text);
	free(img);
}
END_TEST

/* fwimage_hex_max() bounds the text for every length, partial lines and banks included (ASan watches the buffer). */
START_TEST(test_hex_max)
{
	static const size_t lens[] = { 0, 1, 15, 16, 17, 65535, 65536, 65537, 65536 * 3 + 15, 512 * 1024 };
	uint8_t *img = malloc(512 * 1024);

	memset(img, 0x5a, 512 * 1024);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t n;
		char *text = fwimage_to_hex(img, lens[i], &n);

		ck_assert_ptr_nonnull(text);
		ck_assert_uint_eq(strlen(text), n);
		/* nothing erased: the bound is exact */
		ck_assert_msg(n == fwimage_hex_max(lens[i]), "len %zu: %zu characters, bound %zu", lens[i], n,
			      fwimage_hex_max(lens[i]));
		free(text);
	}
	ck_assert_uint_eq(fwimage_hex_max(512 * 1024), 512 * 1024 / 16 * 44 + 8 * 16 + 12);
	free(img);
}
END_TEST

START_TEST(test_bin_checks)
{
	char *dir = tst_mkdtemp(), p[512];
	uint8_t *img = malloc(512 * 1024);

	fwgen_make(img, 512 * 1024, "LITE-ON", "DVDRW SOHW-1653S", "CS0P", 1);
	snprintf(p, sizeof(p), "%s/ok.bin", dir);
	tst_write_file(p, img, 512 * 1024);
	ck_assert_int_eq(fwimage_parse(p, &im, why, sizeof(why)), 0);
	ck_assert_str_eq(im.product, "DVDRW SOHW-1653S");
	done();
	img[3 * FW_BANK] = 0xff;	/* bank 3 does not start with 02h */
	snprintf(p, sizeof(p), "%s/bad.bin", dir);
	tst_write_file(p, img, 512 * 1024);
	ck_assert_int_ne(fwimage_parse(p, &im, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "bank 3"), "%s", why);
	done();
	snprintf(p, sizeof(p), "%s/odd.bin", dir);
	tst_write_file(p, img, 100 * 1024);
	ck_assert_int_ne(fwimage_parse(p, &im, why, sizeof(why)), 0);
	done();
	ck_assert_int_ne(fwimage_parse(dir, &im, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "not a regular file"), "%s", why);
	done();
	ck_assert_int_ne(fwimage_parse("/dev/zero", &im, why, sizeof(why)), 0);
	done();
	tst_rmdir(dir);
	free(dir);
	free(img);
}
END_TEST

Suite *suite_fwimage(void)
{
	Suite *s = suite_create("fwimage");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_mtk_bank_records);
	tcase_add_test(tc, test_refusals_name_the_line);
	tcase_add_test(tc, test_hex_writer_round_trip);
	tcase_add_test(tc, test_hex_max);
	tcase_add_test(tc, test_bin_checks);
	suite_add_tcase(s, tc);
	return s;
}
