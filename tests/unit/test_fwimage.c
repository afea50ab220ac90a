/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The image loader against the public record (docs/protocol.md "Images and
 * identity"): MTK .hex as btcflash reads it, every refusal with its line,
 * bank heads 02h/80h and OmniPatcher's rebanked layout, the identity where
 * JungleFlasher and OmniPatcher look for it.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hw/sim/fwgen.h"
#include "src/fwimage.h"
#include "tests/btcload.h"
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
		{ ":0200000002AA52\n:00000007F9\n", "line 2: record type 07h with 0 bytes at 0000h is not in MTK .hex" },
		{ ":0200000002AA52\n0200000002AA52\n:00000001FF\n", "line 2 is not an Intel HEX record" },
		{ ":0200000002AA52\n", "no end-of-file record" },
		{ ":0200000002AG52\n:00000001FF\n", "line 1" },
		{ ":00000001FF\n", "no data records" },
		/* btcflash takes no record but data, ":00000155AA" and ":00000001FF" (loadfirmware) */
		{ ":0200000002AA52\n:02000004002BCF\n:00000001FF\n", "line 2: record type 04h (Intel extended linear address) is not in MTK .hex" },
		{ ":020000020000FC\n:0200000002AA52\n:00000001FF\n", "line 1: record type 02h (Intel extended segment address)" },
		{ ":0200000002AA52\n:0400000300000000F9\n:00000001FF\n", "line 2: record type 03h (Intel start segment address)" },
		{ ":0200000002AA52\n:0400000500000000F7\n:00000001FF\n", "line 2: record type 05h (Intel start linear address)" },
		{ ":0200000002AA52\n:0100015502A7\n:00000001FF\n", "line 2: record type 55h with 1 bytes at 0001h" },
		{ ":0200000002AA52\n:00000055AB\n:00000001FF\n", "line 2: record type 55h with 0 bytes at 0000h" },
		{ ":0200000002AA52\n:0000000000\n:00000001FF\n", "line 2: record type 00h with 0 bytes at 0000h" },
		{ ":0200000002AA52\n:00000101FE\n", "line 2: record type 01h with 0 bytes at 0001h" },
		{ ":0200000002AA52\n:02FFFF00000000\n:00000001FF\n", "line 2: a data record at FFFFh runs past" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse(bad[i].text) != 0, "case %zu accepted", i);
		ck_assert_msg(strstr(why, bad[i].why), "case %zu: '%s' lacks '%s'", i, why, bad[i].why);
		ck_assert_msg(i < 7 || i > 10 || strstr(why, "make a .bin of this Intel HEX: objcopy -I ihex"),
			      "case %zu: '%s' does not say what to do", i, why);
		ck_assert_ptr_null(im.data);	/* a refused file leaves nothing allocated */
	}
}
END_TEST

/* 32 bank records name 33 banks: more than 2 MiB, refused on the record that crosses it. */
START_TEST(test_bank_records_past_2mib)
{
	char text[64 * 12 + 64] = ":0200000002AA52\n";

	for (int b = 1; b < 32; b++)
		strcat(text, ":00000155AA\n");
	strcat(text, ":00000001FF\n");
	ck_assert_int_eq(parse(text), 0);
	ck_assert_uint_eq(im.len, FW_IMAGE_MAX);
	done();
	strcpy(strstr(text, ":00000001FF"), ":00000155AA\n:00000001FF\n");
	ck_assert_int_ne(parse(text), 0);
	ck_assert_msg(strstr(why, "line 33: a bank record past 2 MiB"), "%s", why);
}
END_TEST

/* The size is the banks the 55h records name, erased banks at the end included: 16 banks are 1 MiB. */
START_TEST(test_hex_size_from_bank_records)
{
	char text[16 * 12 + 64] = ":0200000002AA52\n";

	for (int b = 1; b < 16; b++)
		strcat(text, ":00000155AA\n");
	strcat(text, ":00000001FF\n");
	ck_assert_int_eq(parse(text), 0);
	ck_assert_uint_eq(im.len, 0x100000);	/* bb80b3a: 64 KiB, from the highest data byte */
	ck_assert_uint_eq(im.data[0xfffff], 0xff);
	done();
}
END_TEST

/* What odrescue writes (dump to .hex) loads under btcflash's own rules, byte for byte. */
START_TEST(test_btcflash_loads_our_hex)
{
	uint8_t *img = malloc(BTC_FLASHSIZE), *got;
	char bwhy[200];
	size_t n;
	char *text;

	fwgen_make(img, BTC_FLASHSIZE, "BTC", "DRW1008IM", "0059", 3);
	memset(img + 15 * FW_BANK, 0xff, FW_BANK);	/* an erased last bank: only its bank record says it */
	memset(img + 0x20000, 0xff, 0x800);		/* an erased run inside a bank */
	text = fwimage_to_hex(img, BTC_FLASHSIZE, &n);
	ck_assert_ptr_nonnull(text);
	got = btc_load(text, n, BTC_FLASHSIZE, bwhy, sizeof(bwhy));
	ck_assert_msg(got != NULL, "btcflash would refuse our .hex: %s", bwhy);
	ck_assert(!memcmp(got, img, BTC_FLASHSIZE));
	free(got);
	/* and our loader reads it back whole: 1 MiB, not 960 KiB */
	ck_assert_int_eq(parse(text), 0);
	ck_assert_uint_eq(im.len, BTC_FLASHSIZE);
	ck_assert(!memcmp(im.data, img, BTC_FLASHSIZE));
	done();
	free(text);
	/* Smaller images: the same rules with fewer banks (btcflash itself is 1 MiB only). */
	text = fwimage_to_hex(img, 256 * 1024, &n);
	got = btc_load(text, n, 256 * 1024, bwhy, sizeof(bwhy));
	ck_assert_msg(got != NULL, "256 KiB: %s", bwhy);
	ck_assert(!memcmp(got, img, 256 * 1024));
	free(got);
	free(text);
	free(img);
}
END_TEST

/* The judge can say no: btcflash's refusals, reproduced, so the test above can fail. */
START_TEST(test_btcflash_rules_refuse)
{
	static const struct { const char *text, *why; } bad[] = {
		{ ":020000040000FA\n:0200000002AA52\n:00000001FF\n", "Malformed" },	/* bb80b3a wrote these */
		{ ":0200000002AA52\n:00000001FF\n", "too small" },
		{ ":0200000002AA53\n", "Checksum" },
		{ ":0000000000\n", "Malformed" },
	};
	char bwhy[200];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t *got = btc_load(bad[i].text, strlen(bad[i].text), BTC_FLASHSIZE, bwhy, sizeof(bwhy));

		ck_assert_msg(!got, "case %zu accepted", i);
		ck_assert_msg(strstr(bwhy, bad[i].why), "case %zu: %s", i, bwhy);
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
	/* 44 characters a 16-byte line, a 12-character bank record between banks, the end record */
	ck_assert_uint_eq(fwimage_hex_max(512 * 1024), 512 * 1024 / 16 * 44 + 7 * 12 + 12);
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
	img[3 * FW_BANK] = 0x80;	/* SJMP: OP common_xflash.pl takes 02h or 80h */
	snprintf(p, sizeof(p), "%s/sjmp.bin", dir);
	tst_write_file(p, img, 512 * 1024);
	ck_assert_msg(fwimage_parse(p, &im, why, sizeof(why)) == 0, "%s", why);
	done();
	img[3 * FW_BANK] = 0xff;	/* bank 3 starts with neither */
	snprintf(p, sizeof(p), "%s/bad.bin", dir);
	tst_write_file(p, img, 512 * 1024);
	ck_assert_int_ne(fwimage_parse(p, &im, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "bank 3 (at 030000h) starts with FFh, not 02h or 80h"), "%s", why);
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

/* OP common_xflash.pl L523-527: a rebanked 1 MiB image, banks mid-code, 02h at 0 and 4000h, LITEONIT at FFF8h. */
START_TEST(test_rebanked)
{
	static const struct fwgen_layout reb = { .rebanked = 1 };
	uint8_t *img = malloc(0x100000);

	fwgen_make_layout(img, 0x100000, "LITE-ON", "DVDRW SOHW-1673S", "JS0C", 4, &reb);
	ck_assert_uint_eq(img[FW_BANK], 0x90);		/* no bank past 0 starts 02h or 80h */
	ck_assert_int_eq(fwimage_parse_mem(img, 0x100000, &im, why, sizeof(why)), 0);
	ck_assert(im.rebanked);
	done();
	memcpy(img + 0xfff8, "LITEONIX", 8);		/* one mark wrong: refused */
	ck_assert_int_ne(fwimage_parse_mem(img, 0x100000, &im, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "bank 1 (at 010000h) starts with 90h"), "%s", why);
	memcpy(img + 0xfff8, "LITEONIT", 8);
	img[0x4000] = 0x12;
	ck_assert_int_ne(fwimage_parse_mem(img, 0x100000, &im, why, sizeof(why)), 0);
	img[0x4000] = 0x02;
	/* only OP's rebanking size: the same marks on 512 KiB are a damaged image */
	ck_assert_int_ne(fwimage_parse_mem(img, 0x80000, &im, why, sizeof(why)), 0);
	ck_assert_ptr_null(im.data);
	free(img);
}
END_TEST

/* The template as JF's tables and OP's patterns have it: header, vendor, product, revision. */
static void put_template(uint8_t *at, uint8_t b3, uint8_t b4, const char *vpr)
{
	static const uint8_t head[8] = { 0x05, 0x80, 0x00, 0x32, 0x5b, 0x00, 0x00, 0x00 };

	memcpy(at, head, 8);
	at[3] = b3;
	at[4] = b4;
	memcpy(at + 8, vpr, 28);
}

static const char *identity_of(uint8_t *img, size_t len)
{
	static char got[64];
	struct fwimage t = { .data = img, .len = len };

	if (fwimage_identity(&t))
		return "none";
	snprintf(got, sizeof(got), "%05zX %s|%s|%s", t.identity_at, t.vendor, t.product, t.revision);
	return got;
}

/* JF Form1.cs L8890 scans 2000h-2FFFh (PLDS templates at 2E00h); OP levels 3/4 take 31h and scan from 0. */
START_TEST(test_identity_where_the_record_looks)
{
	static const struct { uint32_t at; uint8_t b3, b4; const char *want; } one[] = {
		{ 0x2e00, 0x32, 0x5b, "02E00 PLDS    |DG-16D2S        |0251" },	/* JF _Module.cs struct29_13 */
		{ 0x2e00, 0x32, 0x1f, "02E00 PLDS    |DG-16D2S        |0251" },
		{ 0x4100, 0x31, 0x5b, "04100 PLDS    |DG-16D2S        |0251" },	/* OP level 3 */
		{ 0x4100, 0x31, 0x1f, "04100 PLDS    |DG-16D2S        |0251" },
		{ 0x1000, 0x31, 0x1f, "01000 PLDS    |DG-16D2S        |0251" },	/* OP level 4: from 0 */
		{ 0x3f00, 0x32, 0x5b, "03F00 PLDS    |DG-16D2S        |0251" },
		{ 0x2e00, 0x32, 0x6f, "none" },		/* JF's HL-DT-ST DL10N byte: not OP's template */
		{ 0x2e00, 0x33, 0x5b, "none" },
	};
	uint8_t *img = malloc(256 * 1024);

	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
		memset(img, 0xff, 256 * 1024);
		put_template(img + one[i].at, one[i].b3, one[i].b4, "PLDS    DG-16D2S        0251");
		ck_assert_msg(!strcmp(identity_of(img, 256 * 1024), one[i].want), "case %zu: %s, want %s", i,
			      identity_of(img, 256 * 1024), one[i].want);
	}
	/* Two templates: JF's window first; then OP's levels in order (5Bh over 1Fh, 32h over 31h); 4000h over 0. */
	memset(img, 0xff, 256 * 1024);
	put_template(img + 0x9000, 0x32, 0x5b, "LITE-ON DVDRW SOHW-1653SCS0P");
	put_template(img + 0x2e00, 0x32, 0x5b, "PLDS    DG-16D2S        0251");
	ck_assert_str_eq(identity_of(img, 256 * 1024), "02E00 PLDS    |DG-16D2S        |0251");
	memset(img, 0xff, 256 * 1024);
	put_template(img + 0x4100, 0x32, 0x1f, "LITE-ON DVDRW SOHW-1653SCS0P");
	put_template(img + 0x9000, 0x32, 0x5b, "LITE-ON DVDRW SOHW-1653SCS0Q");
	ck_assert_str_eq(identity_of(img, 256 * 1024), "09000 LITE-ON |DVDRW SOHW-1653S|CS0Q");
	memset(img, 0xff, 256 * 1024);
	put_template(img + 0x4100, 0x31, 0x5b, "LITE-ON DVDRW SOHW-1653SCS0P");
	put_template(img + 0x9000, 0x32, 0x1f, "LITE-ON DVDRW SOHW-1653SCS0Q");
	ck_assert_str_eq(identity_of(img, 256 * 1024), "09000 LITE-ON |DVDRW SOHW-1653S|CS0Q");
	memset(img, 0xff, 256 * 1024);
	put_template(img + 0x1000, 0x32, 0x5b, "LITE-ON DVDRW SOHW-1653SCS0P");
	put_template(img + 0x9000, 0x31, 0x1f, "LITE-ON DVDRW SOHW-1653SCS0Q");
	ck_assert_str_eq(identity_of(img, 256 * 1024), "09000 LITE-ON |DVDRW SOHW-1653S|CS0Q");
	/* OP levels 1-2 want the 16-byte date after it; at the very end only levels 3-4 match */
	memset(img, 0xff, 256 * 1024);
	put_template(img + 256 * 1024 - 36, 0x32, 0x5b, "LITE-ON DVDRW SOHW-1653SCS0P");
	ck_assert_str_eq(identity_of(img, 256 * 1024), "3FFDC LITE-ON |DVDRW SOHW-1653S|CS0P");
	ck_assert_str_eq(identity_of(img, 256 * 1024 - 1), "none");
	free(img);
}
END_TEST

/* The generator's layouts load as the record says, and the simulator's finder agrees with ours. */
START_TEST(test_generated_layouts)
{
	static const struct fwgen_layout lay[] = {
		{ .bank_head = 0x80 },
		{ .inq_at = FWGEN_INQ_JF, .inq_byte3 = 0x31 },
		{ .rebanked = 1, .inq_at = FWGEN_INQ_JF },
	};
	uint8_t *img = malloc(0x100000);

	for (size_t i = 0; i < sizeof(lay) / sizeof(lay[0]); i++) {
		char v[9], p[17], r[5];

		fwgen_make_layout(img, 0x100000, "PLDS", "DG-16D2S", "0251", (uint32_t)i + 1, &lay[i]);
		ck_assert(fwgen_valid(img, 0x100000));
		ck_assert_msg(fwimage_parse_mem(img, 0x100000, &im, why, sizeof(why)) == 0, "%zu: %s", i, why);
		ck_assert_uint_eq(im.identity_at, lay[i].inq_at ? lay[i].inq_at : FWGEN_INQ_OFS);
		ck_assert_int_eq(fwgen_identity(img, 0x100000, v, p, r), 0);
		ck_assert_str_eq(p, "DG-16D2S");
		ck_assert_str_eq(im.product, "DG-16D2S        ");
		done();
	}
	free(img);
}
END_TEST

Suite *suite_fwimage(void)
{
	Suite *s = suite_create("fwimage");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_mtk_bank_records);
	tcase_add_test(tc, test_refusals_name_the_line);
	tcase_add_test(tc, test_bank_records_past_2mib);
	tcase_add_test(tc, test_hex_size_from_bank_records);
	tcase_add_test(tc, test_btcflash_loads_our_hex);
	tcase_add_test(tc, test_btcflash_rules_refuse);
	tcase_add_test(tc, test_hex_writer_round_trip);
	tcase_add_test(tc, test_hex_max);
	tcase_add_test(tc, test_bin_checks);
	tcase_add_test(tc, test_rebanked);
	tcase_add_test(tc, test_identity_where_the_record_looks);
	tcase_add_test(tc, test_generated_layouts);
	suite_add_tcase(s, tc);
	return s;
}
