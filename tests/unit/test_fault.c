/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fault backend over a test-local inner bus (a register file with a
 * virtual clock): same seed same faults, fault counts near their rates and
 * equal to what the inner bus saw, stuck BSY, power cuts with and without a
 * backend hook, parameter refusals; over the simulator when it is built in.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "hw/bus.h"
#include "hw/bus_fault.h"

#define CMD	0x1f0
#define CTL	0x3f6
#define STATUS	(CMD + 7)
#define DRDY	0x50

/* The inner device: status 50h, LBAL echoes writes, data port counts up. */
static struct {
	uint64_t now;
	uint8_t lbal;
	uint16_t next_word;
	unsigned writes, cuts;
	uint32_t cut_seed;
	uint16_t words[4096];
	size_t nwords;
} dev;

static uint8_t mk_inb(struct bus *b, uint16_t port)
{
	(void)b;
	return port == STATUS || port == CTL ? DRDY : port == CMD + 3 ? dev.lbal : 0;
}

static void mk_outb(struct bus *b, uint16_t port, uint8_t v)
{
	(void)b;
	dev.writes++;
	if (port == CMD + 3)
		dev.lbal = v;
}

static uint16_t mk_inw(struct bus *b, uint16_t port)
{
	(void)b;
	(void)port;
	return dev.next_word++;
}

static void mk_outw(struct bus *b, uint16_t port, uint16_t v)
{
	(void)b;
	(void)port;
	dev.writes++;
	if (dev.nwords < 4096)
		dev.words[dev.nwords++] = v;
}

static void mk_insw(struct bus *b, uint16_t port, uint16_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = mk_inw(b, port);
}

static void mk_outsw(struct bus *b, uint16_t port, const uint16_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mk_outw(b, port, buf[i]);
}

static void mk_delay(struct bus *b, uint64_t ns)
{
	(void)b;
	dev.now += ns;
}

static uint64_t mk_now(struct bus *b)
{
	(void)b;
	return dev.now;
}

static void mk_cut(struct bus *b, uint32_t seed)
{
	(void)b;
	dev.cuts++;
	dev.cut_seed = seed;
}

static void mk_cleanup(struct bus *b)
{
	(void)b;
}

#define MK_OPS .help = "", .cleanup = mk_cleanup, .inb = mk_inb, .outb = mk_outb, \
	.inw = mk_inw, .outw = mk_outw, .insw = mk_insw, .outsw = mk_outsw, \
	.delay_ns = mk_delay, .now_ns = mk_now
static const struct bus_ops mk_plain = { .name = "mock", MK_OPS };
static const struct bus_ops mk_hooked = { .name = "mocksim", MK_OPS, .power_cut = mk_cut };

static struct bus inner, fb;

static const struct bus_fault_stats *open_fault(const struct bus_ops *ops, struct bus_fault_cfg cfg)
{
	memset(&dev, 0, sizeof(dev));
	memset(&inner, 0, sizeof(inner));
	memset(&fb, 0, sizeof(fb));
	inner.ops = ops;
	inner.chans[0] = (struct ata_chan){ CMD, CTL };
	inner.nchans = 1;
	ck_assert_int_eq(bus_fault_attach(&fb, &inner, &cfg), 0);
	ck_assert_int_eq(fb.nchans, 1);
	ck_assert_uint_eq(fb.chans[0].cmd, CMD);
	return bus_fault_stats(&fb);
}

static void teardown(void)
{
	if (fb.ops)
		bus_close(&fb);
}

/* A fixed mixed workload; returns a digest of everything read. */
static uint64_t workload(void)
{
	uint64_t h = 1469598103934665603ULL;
	uint16_t buf[256];

	for (int i = 0; i < 2000; i++) {
		bus_outb(&fb, CMD + 3, (uint8_t)i);
		h = (h ^ bus_inb(&fb, CMD + 3)) * 1099511628211ULL;
		h = (h ^ bus_inb(&fb, STATUS)) * 1099511628211ULL;
		if (i % 100 == 0) {
			bus_insw(&fb, CMD, buf, 256);
			for (int j = 0; j < 256; j++)
				h = (h ^ buf[j]) * 1099511628211ULL;
			bus_outsw(&fb, CMD, buf, 256);
		}
		bus_delay_ns(&fb, 1000);
	}
	return h;
}

START_TEST(same_seed_same_faults)
{
	struct bus_fault_cfg cfg = { .seed = 42, .flip_ppm = 20000, .drop_ppm = 20000,
				     .busy_ppm = 20000, .busy_ns = 5000 };
	struct bus_fault_stats s1;
	uint64_t h1, h2, h3, h0;
	unsigned w1;

	open_fault(&mk_plain, cfg);
	h1 = workload();
	s1 = *bus_fault_stats(&fb);
	w1 = dev.writes;
	bus_close(&fb);
	open_fault(&mk_plain, cfg);
	h2 = workload();
	ck_assert_uint_eq(h1, h2);
	ck_assert_mem_eq(&s1, bus_fault_stats(&fb), sizeof(s1));
	ck_assert_uint_eq(w1, dev.writes);
	ck_assert_uint_gt(s1.flips, 0);
	ck_assert_uint_gt(s1.drops, 0);
	ck_assert_uint_gt(s1.busy_starts, 0);
	bus_close(&fb);
	cfg.seed = 43;
	open_fault(&mk_plain, cfg);
	h3 = workload();
	ck_assert_uint_ne(h1, h3);
	bus_close(&fb);
	/* no faults configured: the layer is transparent */
	open_fault(&mk_plain, (struct bus_fault_cfg){ .seed = 42 });
	h0 = workload();
	ck_assert_uint_eq(bus_fault_stats(&fb)->flips + bus_fault_stats(&fb)->drops, 0);
	bus_close(&fb);
	memset(&dev, 0, sizeof(dev));
	fb = inner;		/* the same workload straight on the inner bus */
	fb.stats = (struct bus_stats){ 0 };
	ck_assert_uint_eq(workload(), h0);
	fb.ops = NULL;
}
END_TEST

START_TEST(flip_count_matches)
{
	const struct bus_fault_stats *st = open_fault(&mk_plain, (struct bus_fault_cfg){
		.seed = 7, .flip_ppm = 50000 });
	unsigned seen = 0, n = 100000;

	for (unsigned i = 0; i < n; i++) {
		uint8_t v = bus_inb(&fb, STATUS);

		if (v != DRDY) {
			ck_assert_int_eq(__builtin_popcount(v ^ DRDY), 1);
			seen++;
		}
	}
	ck_assert_uint_eq(seen, st->flips);
	ck_assert_uint_gt(seen, n / 20 - 700);	/* 5% of 100000 = 5000, sd ~69 */
	ck_assert_uint_lt(seen, n / 20 + 700);
	ck_assert_uint_eq(st->accesses, n);
	ck_assert_uint_eq(st->drops + st->busy_starts, 0);
}
END_TEST

START_TEST(drop_count_matches)
{
	const struct bus_fault_stats *st = open_fault(&mk_plain, (struct bus_fault_cfg){
		.seed = 9, .drop_ppm = 100000 });
	uint16_t buf[1000];
	unsigned n = 20000;

	for (unsigned i = 0; i < n; i++)
		bus_outb(&fb, CMD + 3, 1);
	ck_assert_uint_eq(dev.writes, n - st->drops);
	ck_assert_uint_gt(st->drops, n / 10 - 400);
	ck_assert_uint_lt(st->drops, n / 10 + 400);
	/* outsw: the kept words arrive in order, the dropped ones are missing */
	for (unsigned i = 0; i < 1000; i++)
		buf[i] = (uint16_t)i;
	dev.writes = 0;
	{
		uint64_t d0 = st->drops;

		bus_outsw(&fb, CMD, buf, 1000);
		ck_assert_uint_eq(dev.nwords, 1000 - (st->drops - d0));
		ck_assert_uint_lt(dev.nwords, 1000);
	}
	for (size_t i = 1; i < dev.nwords; i++)
		ck_assert_uint_gt(dev.words[i], dev.words[i - 1]);
	ck_assert_uint_eq(st->accesses, n + 1000);
	ck_assert_uint_eq(fb.stats.writes, st->accesses);
}
END_TEST

START_TEST(stuck_busy)
{
	const struct bus_fault_stats *st = open_fault(&mk_plain, (struct bus_fault_cfg){
		.seed = 3, .busy_ppm = 1000, .busy_ns = 100000 });
	unsigned busy = 0, starts = 0, prev = 0;

	for (int i = 0; i < 20000; i++) {
		uint8_t v = bus_inb(&fb, i & 1 ? CTL : STATUS);

		ck_assert(v == DRDY || v == 0x80);
		if (v == 0x80) {
			busy++;
			starts += !prev;
		}
		prev = v == 0x80;
		ck_assert_uint_eq(bus_inb(&fb, CMD + 3), 0);	/* other registers untouched */
		bus_delay_ns(&fb, 1000);
	}
	ck_assert_uint_eq(busy, st->busy_reads);
	ck_assert_uint_eq(starts, st->busy_starts);
	ck_assert_uint_gt(starts, 2);
	/* each period lasts busy_ns = 100 reads of 1 us */
	ck_assert_uint_eq(st->busy_reads, st->busy_starts * 100);
	ck_assert_uint_ge(busy, starts * 100);
}
END_TEST

START_TEST(power_cut_floats)
{
	const struct bus_fault_stats *st = open_fault(&mk_plain, (struct bus_fault_cfg){
		.seed = 1, .power_at = 10 });
	uint16_t buf[8];

	for (int i = 0; i < 5; i++)
		ck_assert_uint_eq(bus_inb(&fb, STATUS), DRDY);	/* accesses 1..5 */
	bus_insw(&fb, CMD, buf, 8);			/* 6..13: the cut is at 10 */
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(buf[i], i);
	for (int i = 4; i < 8; i++)
		ck_assert_uint_eq(buf[i], 0xffff);
	ck_assert_uint_eq(st->power_cuts, 1);
	bus_outb(&fb, CMD + 3, 0x12);
	ck_assert_uint_eq(dev.writes, 0);
	ck_assert_uint_eq(bus_inb(&fb, STATUS), 0xff);
	ck_assert_uint_eq(st->dead_reads, 5);
	ck_assert_uint_eq(st->dead_writes, 1);
}
END_TEST

START_TEST(power_cut_hook)
{
	const struct bus_fault_stats *st = open_fault(&mk_hooked, (struct bus_fault_cfg){
		.seed = 77, .power_at = 3 });
	uint16_t buf[4] = { 1, 2, 3, 4 };

	bus_outsw(&fb, CMD, buf, 4);	/* the cut falls on the third word */
	ck_assert_uint_eq(dev.cuts, 1);
	ck_assert_uint_eq(dev.cut_seed, 77);
	ck_assert_uint_eq(dev.nwords, 4);	/* the sim models the cut: the bus goes on */
	ck_assert_uint_eq(bus_inb(&fb, STATUS), DRDY);
	bus_inb(&fb, STATUS);
	ck_assert_uint_eq(dev.cuts, 1);
	ck_assert_uint_eq(st->power_cuts, 1);
	ck_assert_uint_eq(st->dead_reads, 0);
}
END_TEST

static volatile sig_atomic_t sigints_seen;

static void count_sigint(int sig)
{
	(void)sig;
	sigints_seen++;
}

/* The user's Ctrl-Cs: due at 5 and every 100 after, two of them; a bulk read past one still raises it. */
START_TEST(sigint_at_and_bulk)
{
	struct sigaction sa = { .sa_handler = count_sigint }, old;
	uint16_t buf[256];

	open_fault(&mk_plain, (struct bus_fault_cfg){ .seed = 1, .sigint_at = 5, .sigints = 2, .sigint_gap = 100 });
	sigints_seen = 0;
	sigaction(SIGINT, &sa, &old);
	for (int i = 0; i < 4; i++)
		bus_inb(&fb, STATUS);
	ck_assert_int_eq(sigints_seen, 0);
	bus_inb(&fb, STATUS);				/* access 5 */
	ck_assert_int_eq(sigints_seen, 1);
	bus_insw(&fb, CMD, buf, 256);			/* 6..261: 105 is inside */
	ck_assert_int_eq(sigints_seen, 2);
	bus_insw(&fb, CMD, buf, 256);			/* 205 would be a third: sigints=2 */
	ck_assert_int_eq(sigints_seen, 2);
	sigaction(SIGINT, &old, NULL);
}
END_TEST

START_TEST(params_refused)
{
	struct bus b;
	struct ata_chan ch = { CMD, CTL };

	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(bus_open(&b, "fault:inner=nosuch", &ch, 1), -EINVAL);
	ck_assert_ptr_nonnull(strstr(b.errmsg, "nosuch"));
	ck_assert_int_eq(bus_open(&b, "fault:inner=ioport,flip=5", &ch, 1), -ECANCELED);
	ck_assert_ptr_nonnull(strstr(b.errmsg, "hw=1"));
	ck_assert_int_eq(bus_open(&b, "fault:inner=nosuch,rate=1000001", &ch, 1), -EINVAL);
	ck_assert_ptr_nonnull(strstr(b.errmsg, "rate"));
	ck_assert_int_eq(bus_open(&b, "fault:seed=x", &ch, 1), -EINVAL);
	ck_assert_int_eq(bus_open(&b, "fault:scenario=default", &ch, 1), -EINVAL);
	ck_assert_ptr_nonnull(strstr(b.errmsg, "unknown parameter"));
	ck_assert_ptr_null(b.ops);
}
END_TEST

/* Over the real simulator: transparent at rate 0, reproducible with faults. */
static uint64_t sim_digest(const char *spec)
{
	struct bus b;
	struct ata_chan ch[2] = { { ATA_PRIMARY_CMD, ATA_PRIMARY_CTL },
				  { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL } };
	uint64_t h = 1469598103934665603ULL;

	memset(&b, 0, sizeof(b));
	ck_assert_msg(bus_open(&b, spec, ch, 2) == 0, "%s: %s", spec, b.errmsg);
	for (int i = 0; i < 500; i++) {
		bus_outb(&b, ATA_SECONDARY_CMD + 6, i & 1 ? 0xb0 : 0xa0);
		for (int r = 1; r < 8; r++)
			h = (h ^ bus_inb(&b, ATA_SECONDARY_CMD + r)) * 1099511628211ULL;
	}
	bus_close(&b);
	return h;
}

START_TEST(over_sim)
{
	uint64_t plain = sim_digest("sim:seed=5");

	ck_assert_uint_eq(sim_digest("fault:inner=sim:seed=5,seed=9"), plain);
	ck_assert_uint_eq(sim_digest("fault:inner=sim:seed=5,flip=100000,seed=9"),
			  sim_digest("fault:inner=sim:seed=5,flip=100000,seed=9"));
	ck_assert_uint_ne(sim_digest("fault:inner=sim:seed=5,flip=100000,seed=9"), plain);
}
END_TEST

Suite *suite_fault(void)
{
	Suite *s = suite_create("fault");
	TCase *tc = tcase_create("fault");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, same_seed_same_faults);
	tcase_add_test(tc, flip_count_matches);
	tcase_add_test(tc, drop_count_matches);
	tcase_add_test(tc, stuck_busy);
	tcase_add_test(tc, power_cut_floats);
	tcase_add_test(tc, power_cut_hook);
	tcase_add_test(tc, sigint_at_and_bulk);
	tcase_add_test(tc, params_refused);
	if (bus_find("sim"))
		tcase_add_test(tc, over_sim);
	suite_add_tcase(s, tc);
	return s;
}
