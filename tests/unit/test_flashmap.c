/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flash map (issue 16): the renderer draws one character per erase
 * unit, 64 to a line under 80 columns; --dry-run shows the units a patch
 * would write, flash -v the units written, and the emergency message after
 * a power cut which hold the new image, the old, and the one cut short.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/flashmap.h"
#include "tests/tst.h"

#define path(name) tst_path(tst_dir, name)

static struct tst_run run;

/* The three units the patch changes (4 KiB units of the simulator's 512 KiB SST39SF040). */
static const unsigned patched[3] = { 0x10, 0x30, 0x70 };

START_TEST(test_render)
{
	uint8_t st[130];
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	char want[3][80];

	memset(st, SU_SAME, sizeof(st));
	st[0] = SU_WRITTEN;
	st[63] = SU_PENDING;
	st[64] = SU_ERASED;
	st[129] = SU_PARTIAL;
	ck_assert_ptr_nonnull(fp);
	flashmap_print(fp, st, 130, 0x1000);
	fclose(fp);
	snprintf(want[0], sizeof(want[0]), "  000000h #%.62so\n", "................................................................");
	snprintf(want[1], sizeof(want[1]), "  040000h -%.63s\n", "................................................................");
	snprintf(want[2], sizeof(want[2]), "  080000h .?\n");
	ck_assert_int_eq(strncmp(buf, want[0], strlen(want[0])), 0);
	ck_assert_ptr_nonnull(strstr(buf, want[1]));
	ck_assert_ptr_nonnull(strstr(buf, want[2]));
	for (char *l = buf; *l; l = strchr(l, '\n') + 1)
		ck_assert_int_lt(strcspn(l, "\n"), 80);
	ck_assert_ptr_nonnull(strstr(buf, ". unchanged"));
	ck_assert_ptr_nonnull(strstr(buf, "- erased (FFh)"));
	ck_assert_int_eq(flashmap_char(200), '?');
	free(buf);
}
END_TEST

/* The map's row for unit u in text t: its 64 characters, or NULL. */
static const char *row(const char *t, unsigned u)
{
	char off[16];
	const char *p;

	snprintf(off, sizeof(off), "  %06Xh ", (u / 64) * 64 * 0x1000);
	p = strstr(t, off);
	return p ? p + strlen(off) : NULL;
}

/* Exactly the patched units carry c, every other unit '.'; in t's map. */
static void map_is(const char *t, char c)
{
	for (unsigned u = 0; u < 128; u++) {
		const char *r = row(t, u);
		int want = u == patched[0] || u == patched[1] || u == patched[2];

		ck_assert_msg(r, "no map row for unit %u in: %s", u, t);
		ck_assert_msg(r[u % 64] == (want ? c : '.'), "unit %u is '%c': %s", u, r[u % 64], t);
	}
}

static void make_patch(void)
{
	uint8_t *img;
	size_t n;

	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s dump 3 %s", path("st.bin"), path("old.bin")), 0);
	img = tst_read_file(path("old.bin"), &n);
	ck_assert_ptr_nonnull(img);
	ck_assert_uint_eq(n, 512 * 1024);
	for (int i = 0; i < 3; i++)
		img[patched[i] * 0x1000 + 5 + i] ^= 0x5a;
	ck_assert_int_eq(tst_write_file(path("new.bin"), img, n), 0);
	free(img);
	img = tst_read_file(path("st.bin"), &n);
	ck_assert_ptr_nonnull(img);
	ck_assert_int_eq(tst_write_file(path("st0.bin"), img, n), 0);
	free(img);
}

START_TEST(test_dry_run_and_verbose)
{
	make_patch();
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s flash 3 %s --yes --dry-run --backup %s", path("st.bin"),
				 path("new.bin"), path("b.bin")), 0);
	map_is(run.out, 'o');
	unlink(path("b.bin"));
	unlink(path("b.bin.info"));
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s flash 3 %s --yes --backup %s", path("st.bin"),
				 path("new.bin"), path("b.bin")), 0);
	ck_assert_ptr_null(row(run.out, 0));	/* without -v, no map */
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s flash 3 %s --yes -v --backup %s", path("st0.bin"),
				 path("new.bin"), path("b2.bin")), 0);
	map_is(run.out, '#');
}
END_TEST

/* Power cut while the middle unit is written: before it '#', it '?', after it 'o' (the old contents). */
START_TEST(test_power_cut_map)
{
	size_t n;
	uint8_t *st0;
	int found = 0;

	make_patch();
	st0 = tst_read_file(path("st0.bin"), &n);
	ck_assert_ptr_nonnull(st0);
	/* The reads of 512 KiB take about 4.2 M accesses; the cut walks through the writes. */
	for (unsigned long long at = 4200000; at < 6000000 && !found; at += 50000) {
		const char *r;

		ck_assert_int_eq(tst_write_file(path("st.bin"), st0, n), 0);
		unlink(path("b.bin.provisional"));
		unlink(path("b.bin"));
		unlink(path("b.bin.info"));
		unlink(path("odrescue-3.journal"));
		tst_cli(&run, "-p fault:inner=sim:state=%s,power_at=%llu flash 3 %s --yes --backup %s",
			path("st.bin"), at, path("new.bin"), path("b.bin"));
		r = row(run.err, 0);
		if (run.status != 9 || !r || r[patched[1]] != '?')
			continue;
		found = 1;
		ck_assert_ptr_nonnull(strstr(run.err, "DO NOT power off"));
		ck_assert_int_eq(r[patched[0]], '#');
		ck_assert_int_eq(row(run.err, patched[2])[patched[2] % 64], 'o');
		ck_assert_int_eq(r[0], '.');
	}
	ck_assert_msg(found, "no power cut left the middle unit half written: %s", run.err);
	free(st0);
}
END_TEST

Suite *suite_flashmap(void)
{
	Suite *s = suite_create("flashmap");
	TCase *tc = tcase_create("map");

	tcase_add_checked_fixture(tc, tst_dir_setup, tst_dir_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_render);
	tcase_add_test(tc, test_dry_run_and_verbose);
	tcase_add_test(tc, test_power_cut_map);
	suite_add_tcase(s, tc);
	return s;
}
