/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/sim/fwgen.h"
#include "src/output.h"
#include "tests/tst.h"

static struct tst_run r;

/* One JSON object: "{" first, "}" alone on the last line and on no other. */
static int one_document(const char *s)
{
	size_t n = strlen(s);
	int closes = 0;

	for (const char *p = s; (p = strstr(p, "\n}\n")); p++)
		closes++;
	return s[0] == '{' && n > 3 && !strcmp(s + n - 3, "\n}\n") && closes == 1;
}

/* The top-level keys of a document (two-space indent), each followed by a space. */
static void top_keys(const char *s, char *keys, size_t len)
{
	keys[0] = 0;
	for (const char *p = s; (p = strstr(p, "\n  \"")); p++) {
		const char *e = strchr(p + 4, '"');

		if (e)
			snprintf(keys + strlen(keys), len - strlen(keys), "%.*s ", (int)(e - p - 4), p + 4);
	}
}

START_TEST(test_json_nesting_and_escapes)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_begin(&j, f);
	json_str(&j, "a", "q\"b\\\n");
	json_arr(&j, "list");
	json_int(&j, NULL, 1);
	json_obj(&j, NULL);
	json_bool(&j, "t", 1);
	json_close(&j);
	json_close(&j);
	json_arr(&j, "empty");
	json_close(&j);
	json_str(&j, "n", NULL);
	json_hex(&j, "h", 0x50);
	json_end(&j);
	fclose(f);
	ck_assert_str_eq(buf, "{\n  \"a\": \"q\\\"b\\\\\\u000a\",\n  \"list\": [\n    1,\n    {\n      \"t\": true\n    }\n  ],"
			 "\n  \"empty\": [],\n  \"n\": null,\n  \"h\": \"0x50\"\n}\n");
	free(buf);
}
END_TEST

/*
 * --json the same way in every command that addresses a drive (issue 16):
 * "command" and "position" first, durations in ns only, absent values null
 * (identify of a disk has the keys a CD drive's has), and a failure as
 * "error" and "exit" in the one document on stdout.
 */
START_TEST(test_json_every_command)
{
	static const char *const runs[] = {
		"identify 3", "regs 3", "reset 3", "chip 3", "dump 3 %s/d.bin", "verify 3 %s/fw.bin",
		"flash 3 %s/fw.bin --yes --backup %s/b1.bin", "erase 3 --yes --yes-i-know-what-i-am-doing "
		"--backup %s/b2.bin", "rescue 3 %s/fw.bin --yes --backup %s/b3.bin", "rpc 3",
		"wait 3 --timeout 1", "wbuf 3 %s/fw.bin --dry-run",
	};
	char *dir = tst_mkdtemp(), keys1[2048], keys3[2048];
	uint8_t *img = malloc(512 * 1024);

	fwgen_make(img, 512 * 1024, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 7);
	ck_assert_int_eq(tst_write_file(tst_path(dir, "fw.bin"), img, 512 * 1024), 0);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		char args[512], name[16], want[64];

		snprintf(args, sizeof(args), runs[i], dir, dir);
		sscanf(args, "%15s", name);
		tst_cli(&r, "-p sim:state=%s/st.bin --json %s", dir, args);
		ck_assert_msg(one_document(r.out), "%s: not one JSON document:\n%s", args, r.out);
		snprintf(want, sizeof(want), "{\n  \"command\": \"%s\",\n  \"position\": 3,", name);
		ck_assert_msg(!strncmp(r.out, want, strlen(want)), "%s:\n%s", args, r.out);
		ck_assert_msg(!strstr(r.out, "_ms\""), "%s: milliseconds:\n%s", args, r.out);
		if (r.status)
			ck_assert_msg(strstr(r.out, "\"error\": \"") && strstr(r.out, "\"exit\": "), "%s: exit %d:\n%s",
				      args, r.status, r.out);
		else
			ck_assert_msg(!strstr(r.out, "\"exit\": "), "%s:\n%s", args, r.out);
		if (!strcmp(name, "dump") || !strcmp(name, "flash"))
			ck_assert_msg(strstr(r.out, "\"elapsed_ns\": "), "%s:\n%s", args, r.out);
	}
	ck_assert_int_eq(tst_cli(&r, "-p sim --json identify 1"), 0);
	top_keys(r.out, keys1, sizeof(keys1));
	ck_assert_int_eq(tst_cli(&r, "-p sim --json identify 3"), 0);
	top_keys(r.out, keys3, sizeof(keys3));
	ck_assert_str_eq(keys1, keys3);
	ck_assert_ptr_nonnull(strstr(r.out, "\"inquiry\": {"));
	ck_assert_int_eq(tst_cli(&r, "-p sim --json verify 3 %s/missing.bin", dir), 6);
	ck_assert_msg(one_document(r.out) && strstr(r.out, "\"exit\": 6\n}"), "%s", r.out);
	ck_assert_int_eq(tst_cli(&r, "--json frobnicate"), 1);
	ck_assert_msg(one_document(r.out) && strstr(r.out, "unknown command 'frobnicate'"), "%s", r.out);
	free(img);
	tst_rmdir(dir);
	free(dir);
}
END_TEST

Suite *suite_output(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("json");

	tcase_set_timeout(tc, 60);	/* a dozen runs on the simulator, flashes among them */

	tcase_add_test(tc, test_json_nesting_and_escapes);
	tcase_add_test(tc, test_json_every_command);
	suite_add_tcase(s, tc);
	return s;
}
