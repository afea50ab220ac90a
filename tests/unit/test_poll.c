/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ata_wait's schedule on the simulator's virtual clock: a 50 us spin, then
 * sleeps from 50 us doubling to 1 ms. A drive that restarts for 300 ms is
 * seen within one sleep of it clearing, in a few hundred reads (the old
 * 3 ms spin took 5000 before its first sleep); a drive that never answers
 * costs about one read a millisecond.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "hw/ata.h"
#include "hw/bus.h"
#include "hw/sim/sim.h"
#include "tests/tst.h"

static struct bus b;
static struct ata_port ap;

static void open_sim(const char *spec, const struct ata_chan *ch)
{
	memset(&b, 0, sizeof(b));
	ck_assert_msg(bus_open(&b, spec, ch, 1) == 0, "%s", b.errmsg);
	ata_port_init(&ap, &b, &b.chans[0]);
}

/* The MediaTek drive at 3 restarts its firmware on SRST: BSY for SIM_BOOT_NS (300 ms). */
START_TEST(test_boot_wait)
{
	static const struct ata_chan secondary = { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL };
	struct ata_reset_info ri;
	uint64_t reads;

	open_sim("sim", &secondary);
	reads = b.stats.reads;
	ck_assert_int_eq(ata_softreset(&ap, &ri), 0);
	reads = b.stats.reads - reads;
	ck_assert_uint_ge(ri.bsy_ns, SIM_BOOT_NS);
	ck_assert_msg(ri.bsy_ns <= SIM_BOOT_NS + ATA_POLL_SLEEP_NS, "BSY seen clear after %llu ns",
		      (unsigned long long)ri.bsy_ns);
	/* the spin (50 us of 600 ns reads), ~300 sleeps, the signature reads; a 3 ms spin alone is 5000 */
	ck_assert_msg(reads < 500, "%llu reads for a 300 ms restart", (unsigned long long)reads);
	bus_close(&b);
}
END_TEST

/* BSY for ever: one second of waiting is about a thousand reads, not a spin. */
START_TEST(test_long_wait)
{
	static const struct ata_chan secondary = { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL };
	uint64_t reads, t0;
	uint8_t st;

	open_sim("sim:scenario=bricked", &secondary);
	reads = b.stats.reads;
	t0 = bus_now_ns(&b);
	ck_assert_int_eq(ata_wait_not_busy(&ap, 1000 * NSEC_PER_MSEC, &st), -ETIMEDOUT);
	ck_assert(st & ATA_BUSY);
	reads = b.stats.reads - reads;
	ck_assert_uint_ge(bus_now_ns(&b) - t0, 1000 * NSEC_PER_MSEC);
	ck_assert_msg(reads >= 900 && reads <= 1200, "%llu reads in 1 s", (unsigned long long)reads);
	bus_close(&b);
}
END_TEST

Suite *suite_poll(void)
{
	Suite *s = suite_create("poll");
	TCase *tc = tcase_create("sim");

	tcase_add_test(tc, test_boot_wait);
	tcase_add_test(tc, test_long_wait);
	suite_add_tcase(s, tc);
	return s;
}
