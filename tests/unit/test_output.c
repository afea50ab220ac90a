/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>

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

/* What odrescue args prints on a terminal (script(1) gives it one); NULL without script. */
static char *on_tty(const char *args)
{
	static char out[1 << 20];
	char cmd[4096], bin[1024];
	size_t n;
	FILE *f;

	if (system("command -v script >/dev/null 2>&1"))
		return NULL;
	if (!realpath(getenv("ODRESCUE") ? getenv("ODRESCUE") : "./odrescue", bin))
		ck_abort_msg("no odrescue binary");
	snprintf(cmd, sizeof(cmd), "script -qec '%s %s' /dev/null 2>&1", bin, args);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = 0;
	pclose(f);
	return out;
}

/*
 * Progress (issue 16): on a terminal one line redrawn in place (\r, erase
 * to end of line) with phase, percent, bytes, rate and time left, for the
 * reads of a dump (each pass of --read-repeated) and the write phase of a
 * flash of one unit (it printed nothing between "Updating...." and the
 * verify); off a terminal the bank lines of before; -q none.
 */
START_TEST(test_progress_line)
{
	char *dir = tst_mkdtemp(), *out;
	uint8_t *img = malloc(512 * 1024);
	char args[1024];

	snprintf(args, sizeof(args), "-p sim:state=%s/st.bin dump 3 %s/d.bin --read-repeated 2", dir, dir);
	out = on_tty(args);
	if (!out) {
		printf("test_progress_line: skipped, no script(1)\n");
		return;
	}
	ck_assert_msg(strstr(out, "\r  read 1/2       50%  256/512 KiB  ") && strstr(out, "\r  read 2/2 "),
		      "%.2000s", out);
	ck_assert_msg(strstr(out, " KiB/s  0:01 left\033[K"), "%.2000s", out);
	ck_assert_msg(!strstr(out, "bank"), "%.2000s", out);
	/* the flash holds what was dumped; the image differs from it in one erase unit */
	{
		size_t len;
		uint8_t *cur = tst_read_file(tst_path(dir, "d.bin"), &len);

		ck_assert_uint_eq(len, 512 * 1024);
		memcpy(img, cur, len);
		img[0x21000] ^= 0xff;
		free(cur);
	}
	ck_assert_int_eq(tst_write_file(tst_path(dir, "fw.bin"), img, 512 * 1024), 0);
	snprintf(args, sizeof(args), "-p sim:state=%s/st.bin flash 3 %s/fw.bin --yes --backup %s/b.bin", dir, dir,
		 dir);
	out = on_tty(args);
	ck_assert_msg(strstr(out, "Updating....") && strstr(out, "\r  verify "), "%.3000s", out);
	/* one unit of one: drawn before it starts, cleared when it is done */
	ck_assert_msg(strstr(strstr(out, "Updating...."), "\r  erase/program   0%  0/4 KiB\033[K\r\033[K"),
		      "%.3000s", out);
	snprintf(args, sizeof(args), "-q -p sim:state=%s/st.bin dump 3 %s/q.bin", dir, dir);
	out = on_tty(args);
	ck_assert_msg(!strstr(out, "KiB/s") && !strstr(out, "bank"), "%.2000s", out);
	/* off a terminal: a line per 64 KiB bank, no \r */
	tst_cli(&r, "-p sim:state=%s/st.bin dump 3 %s/plain.bin", dir, dir);
	ck_assert_msg(strstr(r.err, "odrescue: read bank 7: done") && !strchr(r.err, '\r'), "%s", r.err);
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
	tcase_add_test(tc, test_progress_line);
	suite_add_tcase(s, tc);
	return s;
}
