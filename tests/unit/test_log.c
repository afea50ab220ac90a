/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --log FILE: a timestamped record of what a run printed, plus the -v detail (issue 16). */
#include <check.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/exitcodes.h"
#include "tests/tst.h"

static struct tst_run r;

/* Every line of the log has a timestamp; every line of text shows up in it after one. */
static void assert_logged(const char *log, const char *text)
{
	regex_t re;
	char *copy = strdup(text), *save = NULL;

	ck_assert_int_eq(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z ",
				 REG_EXTENDED | REG_NOSUB), 0);
	for (const char *l = log; *l; l = strchr(l, '\n') + 1) {
		ck_assert_msg(!regexec(&re, l, 0, NULL, 0), "no timestamp: %.60s", l);
		ck_assert_ptr_nonnull(strchr(l, '\n'));
	}
	regfree(&re);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char want[600];

		snprintf(want, sizeof(want), "Z %s\n", l);
		ck_assert_msg(strstr(log, want), "not in the log: %s", l);
	}
	free(copy);
}

static char *read_log(const char *path)
{
	size_t len;
	char *s = tst_read_file(path, &len);

	ck_assert_ptr_nonnull(s);
	s = realloc(s, len + 1);
	s[len] = 0;
	return s;
}

START_TEST(test_log_dump_and_flash)
{
	const char *log = tst_path(tst_dir, "usb.log"), *st = tst_path(tst_dir, "st.bin");
	char *first, *second;

	ck_assert_int_eq(tst_cli(&r, "-p sim:state=%s --log %s dump 3 %s", st, log, tst_path(tst_dir, "d.bin")),
			 EXIT_OK);
	first = read_log(log);
	assert_logged(first, r.out);
	assert_logged(first, r.err);
	ck_assert_msg(strstr(first, "dump 3 ") && strstr(first, "Saved 524288 bytes"), "%s", first);
	/* the -v detail, which the terminal did not show */
	ck_assert_msg(strstr(first, "Z odrescue: bus: ") && !strstr(r.err, "bus: "), "%s", first);

	ck_assert_int_eq(tst_cli(&r, "-p sim:state=%s flash 3 %s --yes --backup %s --log %s", st,
				 tst_path(tst_dir, "d.bin"), tst_path(tst_dir, "b.bin"), log), EXIT_OK);
	second = read_log(log);
	ck_assert_msg(!strncmp(second, first, strlen(first)), "the second run did not append");
	assert_logged(second + strlen(first), r.out);
	assert_logged(second + strlen(first), r.err);
	ck_assert_msg(strstr(second + strlen(first), "flash 3 ") && strstr(second + strlen(first), "Updating...."),
		      "%s", second);
	free(first);
	free(second);
}
END_TEST

START_TEST(test_log_unopenable)
{
	const char *st = tst_path(tst_dir, "st.bin");
	size_t len;
	void *before, *after;

	ck_assert_int_eq(tst_cli(&r, "-p sim:state=%s dump 3 %s", st, tst_path(tst_dir, "d.bin")), EXIT_OK);
	before = tst_read_file(st, &len);
	ck_assert_int_eq(tst_cli(&r, "-p sim:state=%s flash 3 %s --yes --backup %s --log %s", st,
				 tst_path(tst_dir, "d.bin"), tst_path(tst_dir, "b.bin"),
				 tst_path(tst_dir, "no/such/dir/usb.log")), EXIT_BADFILE);
	ck_assert_msg(strstr(r.err, "cannot open the log ") && !strchr(strchr(r.err, '\n') + 1, '\n'), "%s", r.err);
	ck_assert_int_eq(access(tst_path(tst_dir, "b.bin"), F_OK), -1);
	after = tst_read_file(st, &len);
	ck_assert_msg(before && after && !memcmp(before, after, len), "the simulated drive was touched");
	free(before);
	free(after);
}
END_TEST

Suite *suite_log(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_checked_fixture(tc, tst_dir_setup, tst_dir_teardown);
	tcase_add_test(tc, test_log_dump_and_flash);
	tcase_add_test(tc, test_log_unopenable);
	suite_add_tcase(s, tc);
	return s;
}
