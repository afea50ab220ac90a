/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The man page keeps up with the code: every command, option and backend parameter is in it. */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/cli.h"
#include "tests/tst.h"

static char *man_page(void)
{
	size_t n;
	char *m = tst_read_file("docs/odrescue.8", &n);

	ck_assert_ptr_nonnull(m);
	m = realloc(m, n + 1);
	m[n] = 0;
	return m;
}

/* In the page as roff writes it: "-" is "\-" there. */
static int in_page(const char *page, const char *what)
{
	char esc[256];
	size_t j = 0;

	for (const char *p = what; *p && j < sizeof(esc) - 2; p++) {
		if (*p == '-')
			esc[j++] = '\\';
		esc[j++] = *p;
	}
	esc[j] = 0;
	return strstr(page, esc) != NULL;
}

START_TEST(test_backend_parameters)
{
	struct tst_run *r = malloc(sizeof(*r));
	char *page = man_page(), *line, *save;
	int n = 0;

	ck_assert_int_eq(tst_cli(r, "-p help"), 0);
	for (line = strtok_r(r->out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char key[64];
		int end = 0;

		/* "    state=FILE     keep ..." */
		if (strncmp(line, "    ", 4) || sscanf(line, " %62[a-z_0-9]=%n", key, &end) != 1 || !end)
			continue;
		strcat(key, "=");
		ck_assert_msg(in_page(page, key), "docs/odrescue.8 does not document %s", key);
		n++;
	}
	ck_assert_int_gt(n, 20);
	free(page);
	free(r);
}
END_TEST

START_TEST(test_commands_and_options)
{
	static const char *const cmds[] = {
		"scan", "identify", "regs", "reset", "wait", "chip", "dump", "flash", "verify", "erase",
		"rescue", "info", "rpc", "wbuf",
	};
	char *page = man_page();

	char missing[512] = "";

	/* every option odrescue parses: the table getopt and --help are made from */
	for (const struct cli_option *o = cli_options; o->name; o++) {
		char opt[64];

		snprintf(opt, sizeof(opt), "--%s", o->name);
		if (!in_page(page, opt))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " %s", opt);
	}
	ck_assert_msg(!missing[0], "docs/odrescue.8 does not document%s", missing);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char bi[64], b[64];

		snprintf(bi, sizeof(bi), "\n.BI %s ", cmds[i]);
		snprintf(b, sizeof(b), "\n.B %s\n", cmds[i]);
		ck_assert_msg(strstr(page, bi) || strstr(page, b), "the man page has no entry for %s", cmds[i]);
	}
	free(page);
}
END_TEST

/* The call's first comma is on its own line (not a json_ call with a key). */
static int strncspn_nl(const char *q)
{
	size_t comma = strcspn(q, ","), nl = strcspn(q, "\n");

	return nl < comma;
}

/* Every key a command writes with json_*() is listed in the JSON OUTPUT section. */
START_TEST(test_json_keys)
{
	char *page = man_page(), *sec = strstr(page, ".SH JSON OUTPUT");
	glob_t g;
	int keys = 0;

	ck_assert_ptr_nonnull(sec);
	ck_assert_int_eq(glob("src/*.c", 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		size_t n;
		char *src = tst_read_file(g.gl_pathv[i], &n), *p;

		ck_assert_ptr_nonnull(src);
		src = realloc(src, n + 1);
		src[n] = 0;
		for (p = strstr(src, "json_"); p; p = strstr(p + 5, "json_")) {
			char key[64], want[80], *q = strchr(p, '(');

			/* json_str(&j, "key", ...): the first string argument before the line ends */
			if (!q || strncspn_nl(q) || sscanf(strchr(q, ',') ? strchr(q, ',') : q, ", \"%63[a-z_0-9]\"", key) != 1)
				continue;
			snprintf(want, sizeof(want), "%s", key);
			ck_assert_msg(strstr(sec, want), "%s writes JSON key \"%s\", the man page does not list it",
				      g.gl_pathv[i], key);
			keys++;
		}
		free(src);
	}
	globfree(&g);
	ck_assert_int_gt(keys, 100);
	free(page);
}
END_TEST

/*
 * On bare rescue media the advice must come with the binary (issue 16):
 * odrescue help rescue prints Case 1 and Case 2 within 80 columns, with the
 * connector warnings; the man page carries the same steps; make install
 * puts the guide in share/doc/odrescue; every file of ours the docs name
 * exists (protocol.md named hw/flash_jedec.c and hw/flash_spi.c).
 */
START_TEST(test_recovery_ships)
{
	static struct tst_run r;
	char *dir = tst_mkdtemp(), cmd[1024], *page = man_page(), *rec = strstr(page, ".SH RECOVERY"), *page2;
	const char *docs[] = { "docs/protocol.md", "docs/recovery.md", "README.md" };

	ck_assert_int_eq(tst_cli(&r, "help rescue"), 0);
	ck_assert_msg(strstr(r.out, "Case 1") && strstr(r.out, "Case 2") && strstr(r.out, "pin 1") &&
		      strstr(r.out, "Molex"), "%s", r.out);
	for (const char *p = r.out; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0))
		ck_assert_msg(strcspn(p, "\n") <= 80, "wider than 80: %.100s", p);
	ck_assert_int_eq(tst_cli(&r, "help nosuch"), 1);
	ck_assert_msg(rec && strstr(rec, "Case 1") && strstr(rec, "Case 2"), "man page: no RECOVERY steps");
	/* the binary under test as it is (-o: not rebuilt, whatever its build flags) */
	snprintf(cmd, sizeof(cmd), "b=${ODRESCUE:-./odrescue}; env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -o $b "
		 "install BIN=$b DESTDIR=%s PREFIX=/usr >%s/log 2>&1", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(access(tst_path(dir, "usr/share/doc/odrescue/recovery.md"), R_OK), 0);
	ck_assert_int_eq(access(tst_path(dir, "usr/share/man/man8/odrescue.8"), R_OK), 0);
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		size_t n;
		char *t = tst_read_file(docs[i], &n);

		ck_assert_ptr_nonnull(t);
		for (char *p = t; (p = strchr(p, '`')); p++) {
			char name[256];

			if (sscanf(p + 1, "%255[a-z0-9_/.]`", name) != 1 || (strncmp(name, "hw/", 3) &&
			    strncmp(name, "src/", 4) && strncmp(name, "recovery/", 9) && strncmp(name, "tests/", 6)))
				continue;
			ck_assert_msg(!access(name, F_OK), "%s names %s, which does not exist", docs[i], name);
		}
		free(t);
	}
	page2 = tst_read_file("docs/recovery.md", &(size_t){ 0 });
	ck_assert_msg(page2 && strstr(page2, "red stripe"), "recovery.md");
	free(page2);
	free(page);
	tst_rmdir(dir);
	free(dir);
}
END_TEST

Suite *suite_docs(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("man");

	tcase_add_test(tc, test_backend_parameters);
	tcase_add_test(tc, test_commands_and_options);
	tcase_add_test(tc, test_json_keys);
	tcase_add_test(tc, test_recovery_ships);
	suite_add_tcase(s, tc);
	return s;
}
