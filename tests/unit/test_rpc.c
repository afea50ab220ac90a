/* SPDX-License-Identifier: GPL-2.0-or-later */
/* odrescue rpc: every type code, region masks, a drive that rejects REPORT KEY; over SG_IO (fake kernel). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "src/exitcodes.h"
#include "tests/fake_sg.h"

static struct tst_run r;

static void setup(void)
{
	fake_sg_reset();
}

#define HAS(s) ck_assert_msg(strstr(r.out, s), "missing '%s' in:\n%s", s, r.out)

START_TEST(test_type_codes)
{
	static const struct { int type; const char *text; } t[] = {
		{ 0, "type code        0: no region set" },
		{ 1, "type code        1: region set" },
		{ 2, "type code        2: region set, last chance: the next change is permanent" },
		{ 3, "type code        3: region set permanently: only a vendor reset can change it" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char changes[32];

		fake_sg_rpc(t[i].type, 3, 5 - (int)i, t[i].type ? 0xfd : 0xff, 1);
		ck_assert_int_eq(fake_sg_main(&r, "rpc /dev/sr0"), EXIT_OK);
		HAS(t[i].text);
		HAS("RPC phase        RPC-2");
		HAS(t[i].type ? "region           set\n" : "region           not set\n");
		HAS(t[i].type ? "playable regions 2 (mask FDh)" : "playable regions none (mask FFh)");
		HAS("vendor resets    3 left");
		snprintf(changes, sizeof(changes), "user changes     %d left", 5 - (int)i);
		HAS(changes);
	}
	HAS("/dev/sr0: [HL-DT-ST][DVDRAM GH22NP20 ][1.02]");
	/* The CDB: REPORT KEY, allocation length 8, key format 08h. */
	ck_assert_uint_eq(fake_sg.last_cdb[0], 0xa4);
	ck_assert_uint_eq(fake_sg.last_cdb[9], 8);
	ck_assert_uint_eq(fake_sg.last_cdb[10], 0x08);
	ck_assert_str_eq(fake_sg.opened, "/dev/sr0");
}
END_TEST

START_TEST(test_masks)
{
	static const struct { uint8_t mask; const char *text; } t[] = {
		{ 0xfe, "playable regions 1 (mask FEh)" },
		{ 0xdf, "playable regions 6 (mask DFh)" },
		{ 0x7f, "playable regions 8 (mask 7Fh)" },
		{ 0xfa, "playable regions 1,3 (mask FAh)" },
		{ 0x00, "playable regions all (region free) (mask 00h)" },
		{ 0xff, "playable regions none (mask FFh)" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fake_sg_rpc(1, 4, 4, t[i].mask, 1);
		ck_assert_int_eq(fake_sg_main(&r, "rpc /dev/sr0"), EXIT_OK);
		HAS(t[i].text);
	}
}
END_TEST

START_TEST(test_rpc1_scheme)
{
	fake_sg_rpc(0, 0, 0, 0xff, 0);
	ck_assert_int_eq(fake_sg_main(&r, "rpc /dev/sr0"), EXIT_OK);
	HAS("RPC phase        none (RPC scheme 00h");
}
END_TEST

START_TEST(test_rejected_is_no_state)
{
	fake_sg.rpc_reject = 1;
	ck_assert_int_eq(fake_sg_main(&r, "rpc /dev/sr0"), EXIT_OK);
	HAS("no RPC-2 state (RPC-1 firmware or not a DVD drive)");
	HAS("ILLEGAL REQUEST");
	ck_assert_str_eq(r.err, "");
	ck_assert_int_eq(fake_sg_main(&r, "rpc /dev/sr0 --json"), EXIT_OK);
	HAS("\"rpc_state\": false");
	HAS("\"phase\": \"none\"");
	HAS("\"reason\": \"no RPC-2 state (RPC-1 firmware or not a DVD drive)\"");
}
END_TEST

START_TEST(test_json)
{
	fake_sg_rpc(2, 4, 1, 0xfa, 1);
	ck_assert_int_eq(fake_sg_main(&r, "-p sg:dev=/dev/sr1 rpc --json"), EXIT_OK);
	HAS("\"node\": \"/dev/sr1\"");
	HAS("\"path\": \"sg_io\"");
	HAS("\"rpc_state\": true");
	HAS("\"phase\": \"RPC-2\"");
	HAS("\"region_set\": true");
	HAS("\"region_mask\": \"0xfa\"");
	HAS("\"regions\": [\n    1,\n    3\n  ]");
	HAS("\"region_free\": false");
	HAS("\"type_code\": 2");
	HAS("\"user_changes_left\": 1");
	HAS("\"vendor_resets_left\": 4");
	ck_assert_str_eq(fake_sg.opened, "/dev/sr1");
}
END_TEST

START_TEST(test_not_a_cd)
{
	fake_sg.inquiry[0] = 0x00;	/* a disk behind /dev/sg0 */
	ck_assert_int_eq(fake_sg_main(&r, "rpc /dev/sg0"), EXIT_NODEV);
	ck_assert_msg(strstr(r.err, "not a CD/DVD drive"), "%s", r.err);
	fake_sg_reset();
	fake_sg.open_ret = -13;		/* EACCES */
	ck_assert_int_eq(fake_sg_main(&r, "rpc /dev/sr0"), EXIT_PERM);
	ck_assert_msg(strstr(r.err, "permission denied"), "%s", r.err);
}
END_TEST



Suite *suite_rpc(void)
{
	Suite *s = suite_create("rpc");
	TCase *tc = tcase_create("sg_fake");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_type_codes);
	tcase_add_test(tc, test_masks);
	tcase_add_test(tc, test_rpc1_scheme);
	tcase_add_test(tc, test_rejected_is_no_state);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_not_a_cd);
	suite_add_tcase(s, tc);
	return s;
}
