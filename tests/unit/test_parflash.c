/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parallel flash timing: program and erase polls that a stalled process
 * cannot turn into false timeouts (the simulator's stall=, on the virtual
 * clock, and short clock=real flashes through the CLI), the record's
 * resend loop for a byte that does not take, and clock=real costing what
 * the timing model says.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hw/ata.h"
#include "hw/bus.h"
#include "hw/flash.h"
#include "hw/sim/fwgen.h"
#include "hw/sim/sim.h"
#include "tests/tst.h"

static struct bus b;
static struct ata_port ap;
static struct flash_dev f;
static struct sim *sim;

static void open_sim(const char *spec)
{
	static const struct ata_chan ch[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};

	memset(&b, 0, sizeof(b));
	ck_assert_msg(bus_open(&b, spec, ch, 2) == 0, "%s", b.errmsg);
	sim = sim_from_bus(&b);
	ata_port_init(&ap, &b, &b.chans[1]);	/* the MediaTek drive is position 3 */
	ck_assert_int_eq(flash_open(&f, TF_RAW(&ap), 0), 0);
}

static void teardown(void)
{
	if (b.ops) {
		flash_close(&f);
		bus_close(&b);
	}
}

static struct simflash *chip(void)
{
	return &sim_dev_at(sim, 3)->flash;
}

/* Erase [off, off+len), program a pattern there, read it back. */
static int erase_program(uint32_t off, uint32_t len)
{
	uint8_t *old = malloc(len), *buf = malloc(len), *got = malloc(len);
	int ret;

	ck_assert_ptr_nonnull(old);
	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(got);
	memset(old, 0xff, len);
	for (uint32_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 37 + 11) == 0xff ? 0 : (uint8_t)(i * 37 + 11);
	ret = flash_erase(&f, off, len);
	if (!ret)
		ret = flash_program(&f, off, buf, len, old, NULL, NULL);
	if (!ret)
		ck_assert_int_eq(flash_read(&f, off, got, len, NULL, NULL), 0);
	if (!ret)
		ck_assert_msg(!memcmp(got, buf, len), "flash does not hold what was programmed");
	free(old);
	free(buf);
	free(got);
	return ret;
}

/* 2% of accesses are followed by 50 us away, more than a byte program's 20 us maximum. */
START_TEST(test_program_through_stalls)
{
	open_sim("sim:stall=20000,stall_us=50");
	ck_assert_int_eq(erase_program(0x10000, 0x1000), 0);
	ck_assert_uint_gt(sim->stalls, 1000);
	ck_assert_uint_eq(f.resends, 0);	/* a stall is not a failed byte */
	ck_assert_uint_eq(sim_violation_count(sim), 0);
}
END_TEST

/* Stalls longer than a sector erase's (25 ms) and the chip erase's (100 ms) maximum. */
START_TEST(test_erase_through_stalls)
{
	uint8_t *got = malloc(0x10000);

	ck_assert_ptr_nonnull(got);
	open_sim("sim:stall=10000,stall_us=30000");
	ck_assert_int_eq(flash_erase(&f, 0x20000, 0x10000), 0);
	ck_assert_int_eq(flash_read(&f, 0x20000, got, 0x10000, NULL, NULL), 0);
	for (uint32_t i = 0; i < 0x10000; i++)
		ck_assert_int_eq(got[i], 0xff);
	bus_close(&b);
	open_sim("sim:stall=10000,stall_us=120000,seed=7");
	ck_assert_int_eq(flash_erase_chip(&f), 0);
	ck_assert_int_eq(flash_read(&f, 0x60000, got, 0x10000, NULL, NULL), 0);
	for (uint32_t i = 0; i < 0x10000; i++)
		ck_assert_int_eq(got[i], 0xff);
	ck_assert_uint_gt(sim->stalls, 0);
	ck_assert_uint_eq(sim_violation_count(sim), 0);
	free(got);
}
END_TEST

/* One byte at addr over an erased cell that needs weak+1 program pulses. */
static int program_weak(uint32_t addr, unsigned weak)
{
	uint8_t old = 0xff, val = 0x5a;

	ck_assert_int_eq(flash_erase(&f, addr & ~0xfffu, 0x1000), 0);
	chip()->weak_addr = addr;
	chip()->weak_left = weak;
	return flash_program(&f, addr, &val, 1, &old, NULL, NULL);
}

/* JF method_296 L45954-45963: three read-backs, then the byte again; the 17th failure ends it. */
START_TEST(test_byte_resent_as_the_record)
{
	uint8_t v;

	open_sim("sim");
	ck_assert_int_eq(program_weak(0x30123, 5), 0);
	ck_assert_uint_eq(f.resends, 5);
	ck_assert_int_eq(flash_read(&f, 0x30123, &v, 1, NULL, NULL), 0);
	ck_assert_int_eq(v, 0x5a);
	f.resends = 0;
	ck_assert_int_eq(program_weak(0x40001, 16), 0);	/* the 17th try takes */
	ck_assert_uint_eq(f.resends, 16);
	f.resends = 0;
	ck_assert_int_eq(program_weak(0x50002, 17), -EIO);	/* it never does: 17 tries, then an error */
	ck_assert_uint_eq(f.resends, 16);
	ck_assert_uint_eq(chip()->weak_left, 0);
	ck_assert_uint_eq(sim_violation_count(sim), 0);	/* never sent into a busy chip */
}
END_TEST

/*
 * clock=real through the CLI, the process stalled now and then for 200 us:
 * two flashes that rewrite 32 KiB (8 sectors) of a 128 KiB chip succeed
 * (make bench runs whole-chip flashes 20 times).
 */
START_TEST(test_real_clock_flashes)
{
	const uint32_t size = 128 * 1024;
	char *dir = tst_mkdtemp();
	uint8_t *old = malloc(size), *img = malloc(size);
	struct tst_run *r = malloc(sizeof(*r));

	ck_assert_ptr_nonnull(dir);
	ck_assert_ptr_nonnull(old);
	ck_assert_ptr_nonnull(img);
	ck_assert_ptr_nonnull(r);
	fwgen_make(old, size, "LITE-ON", "DVDRW SOHW-1653S", "CS0P", 1);
	memcpy(img, old, size);
	for (uint32_t i = 0x11000; i < 0x19000; i++)
		img[i] = (uint8_t)(i * 37 + 11);
	ck_assert_int_eq(tst_write_file(tst_path(dir, "new.bin"), img, size), 0);
	tst_cli_cwd = dir;
	for (int run = 1; run <= 2; run++) {
		unlink(tst_path(dir, "b.bin"));
		ck_assert_int_eq(tst_write_file(tst_path(dir, "st.bin"), old, size), 0);
		ck_assert_msg(tst_cli(r, "-v -p sim:chip=SST39SF010A,clock=real,stall=300,stall_us=200,seed=%d,state=%s "
				      "flash 3 %s --yes --backup %s", run, tst_path(dir, "st.bin"),
				      tst_path(dir, "new.bin"), tst_path(dir, "b.bin")) == 0,
			      "run %d: %s", run, r->err);
		ck_assert_msg(strstr(r->err, "stalls of 200 us") && !strstr(r->err, "sim: 0 stalls"), "%s", r->err);
		ck_assert(tst_sim_flash_equals(tst_path(dir, "st.bin"), img, size));
	}
	tst_cli_cwd = NULL;
	tst_rmdir(dir);
	free(dir);
	free(old);
	free(img);
	free(r);
}
END_TEST

/*
 * W29C040 (DA 46) programs 256-byte pages (flashrom winbond.c): it is
 * named and read, and flash and erase refuse it with one line; it never
 * gets the A0h byte-program path (the simulated part calls that misuse).
 */
START_TEST(test_page_write_part_refused)
{
	const uint32_t size = 512 * 1024;
	char *dir = tst_mkdtemp();
	uint8_t *old = malloc(size), *img = malloc(size), v = 0x12, ff = 0xff;
	struct tst_run *r = malloc(sizeof(*r));

	ck_assert_ptr_nonnull(dir);
	ck_assert_ptr_nonnull(old);
	ck_assert_ptr_nonnull(img);
	ck_assert_ptr_nonnull(r);
	fwgen_make(old, size, "LITE-ON", "DVDRW SOHW-1653S", "CS0P", 1);
	fwgen_make(img, size, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 2);
	ck_assert_int_eq(tst_write_file(tst_path(dir, "st.bin"), old, size), 0);
	ck_assert_int_eq(tst_write_file(tst_path(dir, "new.bin"), img, size), 0);
	tst_cli_cwd = dir;
#define W29(fmt, ...) tst_cli(r, "-p sim:chip=W29C040,state=%s " fmt, tst_path(dir, "st.bin"), ##__VA_ARGS__)
	ck_assert_msg(W29("chip 3") == 0, "%s", r->err);
	ck_assert_msg(strstr(r->out, "Winbond W29C040"), "%s", r->out);
	ck_assert_msg(W29("dump 3 %s", tst_path(dir, "d.bin")) == 0, "%s", r->err);
	ck_assert(tst_file_equals(tst_path(dir, "d.bin"), old, size));
	ck_assert_int_eq(W29("flash 3 %s --yes --backup %s", tst_path(dir, "new.bin"), tst_path(dir, "b.bin")), 5);
	ck_assert_msg(strstr(r->err, "W29C040) writes whole 256-byte pages") && strstr(r->err, "nothing was written"),
		      "%s", r->err);
	ck_assert_int_eq(W29("erase 3 --yes --yes-i-know-what-i-am-doing --backup %s", tst_path(dir, "b2.bin")), 5);
	ck_assert_msg(strstr(r->err, "writes whole 256-byte pages"), "%s", r->err);
	ck_assert(tst_sim_flash_equals(tst_path(dir, "st.bin"), old, size));
#undef W29
	tst_cli_cwd = NULL;
	/* below the CLI: no write path takes it either */
	open_sim("sim:chip=W29C040");
	ck_assert_int_eq(flash_program(&f, 0x100, &v, 1, &ff, NULL, NULL), -EOPNOTSUPP);
	ck_assert_int_eq(flash_erase(&f, 0, size), -EOPNOTSUPP);
	ck_assert_int_eq(flash_erase_chip(&f), -EOPNOTSUPP);
	ck_assert_uint_eq(sim_violation_count(sim), 0);
	tst_rmdir(dir);
	free(dir);
	free(old);
	free(img);
	free(r);
}
END_TEST

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A dump on clock=real takes at least what the virtual clock says it costs (issue 16 item 13). */
START_TEST(test_real_clock_costs_the_model)
{
	uint8_t v;
	double t0, real;
	uint64_t model;

	open_sim("sim:chip=SST39SF010A");
	t0 = (double)bus_now_ns(&b);
	for (uint32_t a = 0; a < 4096; a++)
		ck_assert_int_eq(flash_read(&f, a, &v, 1, NULL, NULL), 0);
	model = bus_now_ns(&b) - (uint64_t)t0;
	bus_close(&b);
	open_sim("sim:chip=SST39SF010A,clock=real");
	t0 = mono();
	for (uint32_t a = 0; a < 4096; a++)
		ck_assert_int_eq(flash_read(&f, a, &v, 1, NULL, NULL), 0);
	real = (mono() - t0) * 1e9;
	ck_assert_msg(real >= 0.95 * (double)model, "4 KiB read in %.0f us on clock=real, the model says %.0f us",
		      real / 1e3, model / 1e3);
	ck_assert_uint_ge(model, 4096ull * 8 * SIM_REG_NS);
}
END_TEST

Suite *suite_parflash(void)
{
	Suite *s = suite_create("parflash");
	TCase *tc = tcase_create("timing");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_program_through_stalls);
	tcase_add_test(tc, test_erase_through_stalls);
	tcase_add_test(tc, test_byte_resent_as_the_record);
	tcase_add_test(tc, test_real_clock_costs_the_model);
	tcase_add_test(tc, test_real_clock_flashes);
	tcase_add_test(tc, test_page_write_part_refused);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
