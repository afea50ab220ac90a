/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ioport backend's refusals: parameters, and why ioperm said EPERM. */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/io.h>
#include <unistd.h>

#include "hw/bus.h"
#include "hw/bus_ioport.h"
#include "src/exitcodes.h"
#include "tests/tst.h"

static struct tst_run r;

START_TEST(test_eperm_reason)
{
	char buf[256];

	ioport_eperm_reason(buf, sizeof(buf), 1000, 0, "");
	ck_assert_ptr_nonnull(strstr(buf, "needs root"));
	ioport_eperm_reason(buf, sizeof(buf), 1000, -1, "");
	ck_assert_ptr_nonnull(strstr(buf, "needs root"));
	/* Root without lockdown and still refused: not a "be root" message. */
	ioport_eperm_reason(buf, sizeof(buf), 0, 1, "none");
	ck_assert_ptr_null(strstr(buf, "needs root"));
	ck_assert_ptr_nonnull(strstr(buf, "kernel_lockdown"));
	/* Lockdown wins even for a non-root user: being root would not help. */
	ioport_eperm_reason(buf, sizeof(buf), 0, 1, "integrity");
	ck_assert_ptr_nonnull(strstr(buf, "kernel lockdown (integrity)"));
	ioport_eperm_reason(buf, sizeof(buf), 1000, 0, "confidentiality");
	ck_assert_ptr_nonnull(strstr(buf, "kernel lockdown (confidentiality)"));
}
END_TEST

/* Bad parameters are refused before ioperm is asked for anything. */
START_TEST(test_params)
{
	ck_assert_int_eq(tst_cli(&r, "-p ioport:base=0xd000 identify m"), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "needs both base= and ctl="));
	ck_assert_int_eq(tst_cli(&r, "-p ioport:base=0,ctl=0xd402 identify m"), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "is not an I/O port"));
	ck_assert_int_eq(tst_cli(&r, "-p ioport:base=0x10000,ctl=0xd402 identify m"), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "-p ioport:base=zz,ctl=0xd402 identify m"), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "not a number"));
}
END_TEST

/*
 * A user without CAP_SYS_RAWIO gets exit 3 and the "needs root" line; a
 * kernel (or sandbox) without the syscall gets its own line. Asking for a
 * port permits access and touches nothing, so probing the kernel is safe.
 */
START_TEST(test_not_root)
{
	int nosys = ioperm(ATA_SECONDARY_CMD, 8, 1) && errno == ENOSYS;

	ioperm(ATA_SECONDARY_CMD, 8, 0);
	tst_cli_uid = geteuid() == 0 ? 65534 : -1;
	ck_assert_int_eq(tst_cli(&r, "-p ioport identify 3"), EXIT_PERM);
	tst_cli_uid = -1;
	ck_assert_ptr_nonnull(strstr(r.err, nosys ? "has no ioperm/iopl" : "needs root"));
	ck_assert_ptr_null(strchr(strchr(r.err, '\n') + 1, '\n'));	/* one line */
}
END_TEST

Suite *suite_ioport(void)
{
	Suite *s = suite_create("ioport");
	TCase *tc = tcase_create("ioport");

	tcase_add_test(tc, test_eperm_reason);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_not_root);
	suite_add_tcase(s, tc);
	return s;
}
