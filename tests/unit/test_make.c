/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Makefile on a fresh machine: `make deps check` in one invocation must
 * not ask pkg-config about Check before deps has installed it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/tst.h"

static void script(const char *path, const char *text)
{
	ck_assert_int_eq(tst_write_file(path, text, strlen(text)), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
}

/*
 * A pkg-config that finds nothing (and logs "before") until the fake
 * apt-get has run, then answers as the real one; make builds the runner's
 * object, which needs Check's flags. A flag read when the Makefile is parsed
 * shows as "before ... check" in the log, and the runner would link without
 * -lcheck, as issue 16 saw on a fresh Debian machine.
 */
START_TEST(test_deps_then_check_in_one_make)
{
	char *dir = tst_mkdtemp(), text[4096], cmd[8192], *log;
	char real[1024] = "";
	size_t n;
	FILE *p = popen("command -v pkg-config", "r");

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(real, sizeof(real), p));
	pclose(p);
	real[strcspn(real, "\n")] = 0;
	ck_assert_int_eq(tst_mkdirs(tst_path(dir, "bin")), 0);
	snprintf(text, sizeof(text),
		 "#!/bin/sh\nif [ -e %s/installed ]; then echo \"after $*\" >>%s/log; exec %s \"$@\"; fi\n"
		 "echo \"before $*\" >>%s/log\nexit 1\n", dir, dir, real, dir);
	script(tst_path(dir, "bin/pkg-config"), text);
	snprintf(text, sizeof(text), "#!/bin/sh\necho \"apt-get $*\" >>%s/log\ntouch %s/installed\n", dir, dir);
	script(tst_path(dir, "bin/apt-get"), text);
	/* the outer make's jobserver does not reach this one */
	snprintf(cmd, sizeof(cmd),
		 "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL PATH=%s/bin:$PATH make -s B=%s/b deps %s/b/tests/runner.o "
		 ">%s/make.log 2>&1", dir, dir, dir, dir);
	ck_assert_msg(system(cmd) == 0, "make deps runner.o failed:\n%s",
		      (char *)tst_read_file(tst_path(dir, "make.log"), &n));
	log = tst_read_file(tst_path(dir, "log"), &n);
	ck_assert_ptr_nonnull(log);
	ck_assert_msg(!strstr(log, "before --cflags check") && !strstr(log, "before --libs check"),
		      "pkg-config was asked about Check before deps ran:\n%s", log);
	ck_assert_msg(strstr(log, "after --cflags check"), "runner.o was built without Check's flags:\n%s", log);
	free(log);
	tst_rmdir(dir);
	free(dir);
}
END_TEST

Suite *suite_make(void)
{
	Suite *s = suite_create("make");
	TCase *tc = tcase_create("deps");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_deps_then_check_in_one_make);
	suite_add_tcase(s, tc);
	return s;
}
