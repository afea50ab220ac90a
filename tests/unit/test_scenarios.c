/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every simulator scenario through the public CLI: what scan and the
 * scenario's own command print, the exit codes, and no protocol violation
 * (tst_cli fails on one). The virtual clock: a 31 s reset timeout against a
 * drive stuck at BSY is reported in well under a second of real time. -v
 * prints the simulator's counters; -p help documents its parameters.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tests/tst.h"

static struct tst_run run;

#define has(buf, s) ck_assert_msg(strstr(buf, s), "'%s' not in:\n%s", s, buf)

static const char DISK[] = "1 primary master   ATA disk 'SIM HARDDISK' rev '1.0' serial 'SIM0001'\n";
static const char LITEON[] = "3 secondary master ATAPI CD/DVD 'LITE-ON DVDRW SOHW-1653S' rev 'CS0P' INQUIRY "
			     "[LITE-ON ][DVDRW SOHW-1653S][CS0P] medium absent\n";

START_TEST(test_default)
{
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=default scan"), 0);
	has(run.out, DISK);
	has(run.out, "2 primary slave    none\n");
	has(run.out, LITEON);
	has(run.out, "4 secondary slave  none\n");
	ck_assert_int_eq(tst_cli(&run, "-p sim chip 3"), 0);
	has(run.out, "status 70h (vendor mode, parallel flash)");
	has(run.out, "Flash: SST SST39SF040, 512 KiB, parallel, id BF B7");
}
END_TEST

START_TEST(test_bricked)
{
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=bricked scan"), 0);
	has(run.out, DISK);
	has(run.out, "3 secondary master busy: BSY never cleared");
	has(run.out, "4 secondary slave  unknown: the master holds BSY, so the slave cannot be asked");
	/* Powered on before odrescue: outside its window, the intro is refused. */
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=bricked chip 3"), 2);
	has(run.err, "did not enter vendor mode (status 80h");
	has(run.err, "odrescue rescue");
	/* Inside it (window=0: always), the vendor engine answers under the hung firmware. */
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=bricked,window=0 chip 3"), 0);
	has(run.out, "status 70h");
}
END_TEST

START_TEST(test_hotplug)
{
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=hotplug scan"), 0);
	has(run.out, DISK);
	has(run.out, "3 secondary master none\n");
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=hotplug wait 3 --timeout 10"), 7);
	has(run.err, "a device appeared");
	has(run.err, "the drive at 3 holds BSY after reset");
	/* Ctrl-C (the 5000th access) while it holds BSY after the reset: stops then, not 31 s later. */
	ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:scenario=hotplug,sigint_at=5000 wait 3 --timeout 60"), 7);
	has(run.err, "a device appeared");
	has(run.err, "wait: stopped by a signal");
	ck_assert_ptr_null(strstr(run.err, "holds BSY"));
	/* The working CD-ROM that sits there until the cable moves (Case 2 with a swap). */
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=hotplug,swap=1 scan"), 0);
	has(run.out, "3 secondary master ATAPI CD/DVD 'SIM CD-ROM' rev '1.0'");
}
END_TEST

START_TEST(test_spi)
{
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=spi scan"), 0);
	has(run.out, LITEON);
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=spi chip 3"), 0);
	has(run.out, "status 72h (vendor mode, serial flash)");
	has(run.out, "Flash: Macronix MX25L8005, 1024 KiB, serial (SPI), id C2 20 14");
}
END_TEST

START_TEST(test_locked)
{
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=locked scan"), 0);
	has(run.out, LITEON);
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=locked chip 3"), 5);
	has(run.err, "its flash is locked (status 52h); odrescue will not write to it");
}
END_TEST

START_TEST(test_empty)
{
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=empty scan"), 0);
	has(run.out, "1 primary master   none\n2 primary slave    none\n3 secondary master none\n"
		     "4 secondary slave  none\n");
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=empty identify 3"), 2);
	has(run.err, "no device answers IDENTIFY at position 3");
}
END_TEST

START_TEST(test_wbuf)
{
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=wbuf scan"), 0);
	has(run.out, DISK);
	has(run.out, "3 secondary master ATAPI CD/DVD 'BTC DRW1008IM' rev '0058' INQUIRY "
		     "[BTC     ][DRW1008IM       ][0058] medium absent\n");
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=wbuf chip 3"), 0);
	has(run.out, "Flash: SST SST39VF080, 1024 KiB, parallel");
}
END_TEST

START_TEST(test_unknown_scenario)
{
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=nope scan"), 1);
	has(run.err, "unknown scenario 'nope' (default, bricked, hotplug, spi, spi73, locked, wbuf, empty)");
}
END_TEST

START_TEST(test_virtual_clock_reset_timeout)
{
	struct timespec t0, t1;
	unsigned long long ns;
	const char *p;
	double real;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(tst_cli(&run, "-v -p sim:scenario=bricked reset 3"), 7);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	real = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	has(run.out, "NO: BSY still set at the 31 s limit");
	has(run.err, "holds BSY");
	/* 31 s on the simulator's clock, a fraction of a second on the wall's. */
	p = strstr(run.err, "odrescue: sim: ");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "odrescue: sim: %*u reads, %*u writes, %*u bytes in, %*u bytes out, %llu "
				"virtual ns", &ns), 1);
	ck_assert_uint_ge(ns, 31000000000ull);
	ck_assert_uint_lt(ns, 32000000000ull);
	ck_assert_msg(real < 0.5, "took %.3f s of real time", real);
}
END_TEST

START_TEST(test_verbose_counters)
{
	unsigned long long r, w, in, out, ns, data, status, alt;
	const char *p;

	ck_assert_int_eq(tst_cli(&run, "-v -p sim scan"), 0);
	p = strstr(run.err, "odrescue: sim: ");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "odrescue: sim: %llu reads, %llu writes, %llu bytes in, %llu bytes out, "
				"%llu virtual ns", &r, &w, &in, &out, &ns), 5);
	p = strstr(run.err, "odrescue: sim: reads by register: ");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "odrescue: sim: reads by register: data %llu, error %*u, nsect %*u, lbal %*u, "
				"lbam %*u, lbah %*u, device %*u, status %llu, altstatus %llu", &data, &status, &alt), 3);
	has(run.err, "odrescue: sim: writes by register: data ");
	/* A word per data read: IDENTIFY (256) and IDENTIFY PACKET (256) at least. */
	ck_assert_uint_eq(in, 2 * data);
	ck_assert_uint_ge(data, 512);
	ck_assert_uint_gt(alt, status);
	ck_assert_uint_ge(ns, r * 120);
}
END_TEST

START_TEST(test_help_documents_parameters)
{
	ck_assert_int_eq(tst_cli(&run, "-p help"), 0);
	has(run.out, "window=MS      dead drive: intro taken only MS after power-on, plug-in or reset, 0 always");
	has(run.out, "state=FILE     the whole machine lives in FILE, written as it changes");
	has(run.out, "wbuf_hang=0|1");
}
END_TEST

Suite *suite_scenarios(void)
{
	Suite *s = suite_create("scenarios");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_default);
	tcase_add_test(tc, test_bricked);
	tcase_add_test(tc, test_hotplug);
	tcase_add_test(tc, test_spi);
	tcase_add_test(tc, test_locked);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_wbuf);
	tcase_add_test(tc, test_unknown_scenario);
	tcase_add_test(tc, test_virtual_clock_reset_timeout);
	tcase_add_test(tc, test_verbose_counters);
	tcase_add_test(tc, test_help_documents_parameters);
	suite_add_tcase(s, tc);
	return s;
}
