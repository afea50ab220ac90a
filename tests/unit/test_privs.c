/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Least privilege: after the ports are granted odrescue holds no
 * capability (a root-only write fails), files it writes under sudo belong
 * to the user who ran sudo, and a setuid copy refuses to run. The cases
 * need root; as another user they say so and pass nothing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "hw/sim/fwgen.h"
#include "tests/tst.h"

#define SIZE (512u * 1024)

static char *dir;
static struct tst_run run;

#define path(name) tst_path(dir, name)

static void setup(void)
{
	uint8_t *img = malloc(SIZE);

	dir = tst_mkdtemp();
	ck_assert_ptr_nonnull(dir);
	ck_assert_ptr_nonnull(img);
	chmod(dir, 0777);
	tst_cli_cwd = dir;
	fwgen_make(img, SIZE, "LITE-ON", "DVDRW SOHW-1653S", "CS0P", 1);
	ck_assert_int_eq(tst_write_file(path("st.bin"), img, SIZE), 0);
	fwgen_make(img, SIZE, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 2);
	ck_assert_int_eq(tst_write_file(path("new.bin"), img, SIZE), 0);
	chmod(path("st.bin"), 0666);
	free(img);
}

static void teardown(void)
{
	tst_cli_cwd = NULL;
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	tst_rmdir(dir);
	free(dir);
}

/* As plain root: every capability gone, so a directory root does not own takes no backup. */
START_TEST(test_caps_dropped)
{
	if (geteuid()) {
		printf("test_caps_dropped: skipped, needs root\n");
		return;
	}
	ck_assert_int_eq(mkdir(path("locked"), 0700), 0);
	ck_assert_int_eq(chown(path("locked"), 1234, 1234), 0);
	ck_assert_int_eq(tst_cli(&run, "-v -p sim:state=%s flash 3 %s --yes --backup %s", path("st.bin"),
				 path("new.bin"), path("locked/b.bin")), 5);
	ck_assert_msg(strstr(run.err, "privileges: the ports are granted; all capabilities dropped"), "%s",
		      run.err);
	ck_assert_msg(strstr(run.err, "cannot save the backup"), "%s", run.err);
	ck_assert_msg(strstr(run.err, "nothing was written to the drive"), "%s", run.err);
	/* The same flash into a directory root owns works: the ports and the files it may write. */
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s flash 3 %s --yes --backup %s", path("st.bin"),
				 path("new.bin"), path("b.bin")), 0);
}
END_TEST

/* Under sudo the files belong to the user who ran it. */
START_TEST(test_sudo_user_owns_files)
{
	struct stat st;

	if (geteuid()) {
		printf("test_sudo_user_owns_files: skipped, needs root\n");
		return;
	}
	setenv("SUDO_UID", "65534", 1);
	setenv("SUDO_GID", "65534", 1);
	ck_assert_msg(tst_cli(&run, "-v -p sim:state=%s flash 3 %s --yes --backup %s", path("st.bin"),
			      path("new.bin"), path("b.bin")) == 0, "%s", run.err);
	ck_assert_msg(strstr(run.err, "now uid 65534 gid 65534 (from sudo)"), "%s", run.err);
	ck_assert_int_eq(stat(path("b.bin"), &st), 0);
	ck_assert_uint_eq(st.st_uid, 65534);
	ck_assert_uint_eq(st.st_gid, 65534);
}
END_TEST

START_TEST(test_setuid_refused)
{
	struct statvfs vfs;
	char cmd[1200];
	const char *bin = getenv("ODRESCUE") ? getenv("ODRESCUE") : "./odrescue";
	char abs[1024];

	if (geteuid() || statvfs(dir, &vfs) || (vfs.f_flag & ST_NOSUID)) {
		printf("test_setuid_refused: skipped, needs root and a filesystem that honours setuid\n");
		return;
	}
	ck_assert_ptr_nonnull(realpath(bin, abs));
	snprintf(cmd, sizeof(cmd), "cp %s %s && chmod 4755 %s", abs, path("suid"), path("suid"));
	ck_assert_int_eq(system(cmd), 0);
	setenv("ODRESCUE", path("suid"), 1);
	tst_cli_uid = 65534;
	ck_assert_int_eq(tst_cli(&run, "-p sim scan"), 3);
	tst_cli_uid = -1;
	setenv("ODRESCUE", abs, 1);
	ck_assert_msg(strstr(run.err, "refused: odrescue is installed setuid"), "%s", run.err);
}
END_TEST

Suite *suite_privs(void)
{
	Suite *s = suite_create("privs");
	TCase *tc = tcase_create("drop");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_caps_dropped);
	tcase_add_test(tc, test_sudo_user_owns_files);
	tcase_add_test(tc, test_setuid_refused);
	suite_add_tcase(s, tc);
	return s;
}
