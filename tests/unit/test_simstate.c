/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -p sim:state=FILE keeps the whole simulated machine between separate
 * odrescue runs: dump, flash and verify on one drive; RPC bytes, the disc
 * and a finished hot-plug stay; the scenario is remembered and a
 * contradicting one refused; a file cut short is refused and left alone;
 * no temporary file is left behind.
 */
#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hw/sim/fwgen.h"
#include "hw/sim/sim.h"
#include "tests/tst.h"

#define SIZE (512 * 1024u)

static char *dir;
static struct tst_run run;

#define path(name) tst_path(dir, name)
#define SIM(params, fmt, ...) tst_cli(&run, "-p sim:state=%s%s " fmt, path("st.bin"), params, ##__VA_ARGS__)

static void setup(void)
{
	dir = tst_mkdtemp();
	ck_assert_ptr_nonnull(dir);
}

static void teardown(void)
{
	tst_rmdir(dir);
	free(dir);
}

static char *state_text(void)
{
	size_t n;
	char *b = tst_read_file(path("st.bin"), &n);

	ck_assert_ptr_nonnull(b);
	return b;	/* the header is text; strstr stops at the first NUL of the flash */
}

/* Only st.bin (and what the test made) in the directory: no st.bin.XXXXXX left. */
static int temp_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += !strncmp(e->d_name, "st.bin.", 7);
	if (d)
		closedir(d);
	return n;
}

START_TEST(test_dump_flash_verify_apart)
{
	uint8_t *img = malloc(SIZE), *d;
	char *t;
	size_t n;

	ck_assert_ptr_nonnull(img);
	fwgen_make(img, SIZE, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 7);
	ck_assert_int_eq(tst_write_file(path("new.bin"), img, SIZE), 0);
	ck_assert_msg(SIM("", "dump 3 %s", path("d.bin")) == 0, "%s", run.err);
	t = state_text();
	ck_assert_ptr_nonnull(strstr(t, "odrescue-sim-state 2\nscenario default\nchip SST39SF040\n"));
	free(t);
	d = tst_read_file(path("d.bin"), &n);
	ck_assert(tst_sim_flash_equals(path("st.bin"), d, n));
	ck_assert_msg(SIM("", "flash 3 %s --yes --backup %s", path("new.bin"), path("b.bin")) == 0, "%s", run.err);
	ck_assert(tst_sim_flash_equals(path("st.bin"), img, SIZE));
	ck_assert_msg(SIM("", "verify 3 %s", path("new.bin")) == 0, "%s", run.err);
	ck_assert_int_eq(SIM("", "verify 3 %s", path("d.bin")), 8);
	/* The drive boots the new image: it reports the new revision in a later run. */
	ck_assert_int_eq(SIM("", "identify 3"), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "[LITE-ON ][DVDRW SOHW-1653S][CS0Q]"));
	ck_assert_int_eq(temp_files(), 0);
	free(d);
	free(img);
}
END_TEST

START_TEST(test_rpc_and_disc_persist)
{
	struct sim *s;
	void *map;
	size_t n;

	ck_assert_int_eq(SIM(",disc=1", "rpc 3"), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "user changes     5 left"));
	/* The file is the machine: a test (or a person with a debugger) sets another region in it. */
	s = tst_sim_state(path("st.bin"), &map, &n);
	ck_assert_ptr_nonnull(s);
	ck_assert(sim_dev_at(s, 3)->medium && sim_dev_at(s, 3)->rpc[0] == 0x65 && sim_dev_at(s, 3)->rpc[1] == 0xfe);
	sim_dev_at(s, 3)->rpc[0] = 0x63;	/* 3 changes left, region 2 */
	sim_dev_at(s, 3)->rpc[1] = 0xfd;
	munmap(map, n);
	ck_assert_int_eq(SIM("", "scan"), 0);
	ck_assert_int_eq(SIM("", "rpc 3"), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "playable regions 2 (mask FDh)"));
	ck_assert_ptr_nonnull(strstr(run.out, "user changes     3 left"));
	ck_assert_int_eq(SIM("", "identify 3"), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "medium present"));
}
END_TEST

START_TEST(test_hotplug_stays_plugged)
{
	struct sim *s;
	void *map;
	size_t n;
	char *t;

	/* A scan is over long before the drive is plugged in: the plug is still to come. */
	ck_assert_int_eq(SIM(",scenario=hotplug", "scan"), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "3 secondary master none"));
	t = state_text();
	ck_assert_ptr_nonnull(strstr(t, "scenario hotplug\n"));
	free(t);
	s = tst_sim_state(path("st.bin"), &map, &n);
	ck_assert_ptr_nonnull(s);
	ck_assert(s->nev == 1 && s->ev[0].what == EV_PLUG && s->ev[0].kind == SIM_MTK && s->ev[0].pos == 3);
	munmap(map, n);
	ck_assert_msg(SIM("", "wait 3 --timeout 10") == 7, "%s", run.err);	/* appeared, but dead */
	ck_assert_ptr_nonnull(strstr(run.err, "holds BSY after reset"));
	s = tst_sim_state(path("st.bin"), &map, &n);
	ck_assert_ptr_nonnull(s);
	ck_assert(s->nev == 0 && sim_dev_at(s, 3)->kind == SIM_MTK);
	munmap(map, n);
	/* Later runs find the dead drive on the cable from the start. */
	ck_assert_int_eq(SIM("", "scan"), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "3 secondary master busy: BSY never cleared"));
	ck_assert_int_eq(SIM(",scenario=default", "scan"), 1);
	ck_assert_ptr_nonnull(strstr(run.err, "holds scenario hotplug, not default"));
	ck_assert_int_eq(temp_files(), 0);
}
END_TEST

START_TEST(test_cut_short_refused)
{
	size_t n;
	char *t;

	ck_assert_int_eq(SIM("", "scan"), 0);
	t = tst_read_file(path("st.bin"), &n);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(tst_write_file(path("st.bin"), t, n - 100), 0);
	ck_assert_int_eq(SIM("", "scan"), 1);
	ck_assert_ptr_nonnull(strstr(run.err, "cut short"));
	ck_assert(tst_file_equals(path("st.bin"), t, n - 100));
	/* A flash image alone seeds a new machine; any other size is refused. */
	memset(t, 0, 1000);
	ck_assert_int_eq(tst_write_file(path("st.bin"), t, 1000), 0);
	ck_assert_int_eq(SIM("", "scan"), 1);
	ck_assert_ptr_nonnull(strstr(run.err, "neither a saved machine nor a 524288-byte SST39SF040 image"));
	free(t);
}
END_TEST

Suite *suite_simstate(void)
{
	Suite *s = suite_create("simstate");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dump_flash_verify_apart);
	tcase_add_test(tc, test_rpc_and_disc_persist);
	tcase_add_test(tc, test_hotplug_stays_plugged);
	tcase_add_test(tc, test_cut_short_refused);
	suite_add_tcase(s, tc);
	return s;
}
