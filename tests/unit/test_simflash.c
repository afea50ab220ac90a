/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Flash chip models: the chip table, JEDEC sequences with data# polling,
 * SPI opcodes with WEL/WIP, violations, and reproducible power cuts.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hw/sim/simflash.h"

#define US 1000ULL
#define MS 1000000ULL

static struct simflash fl;

static const struct simflash_chip *chip(const char *name)
{
	const struct simflash_chip *c = simflash_chip_find(name);

	ck_assert_msg(c, "chip %s missing", name);
	ck_assert_int_eq(simflash_init(&fl, c), 0);
	return c;
}

static void teardown(void)
{
	simflash_free(&fl);
}

static void unlock(uint32_t a1, uint32_t a2, uint64_t t)
{
	simflash_write(&fl, a1, 0xaa, t);
	simflash_write(&fl, a2, 0x55, t);
}

static void cmd(uint8_t v, uint64_t t)
{
	unlock(0x5555, 0x2aaa, t);
	simflash_write(&fl, 0x5555, v, t);
}

static void program(uint32_t a, uint8_t v, uint64_t t)
{
	cmd(0xa0, t);
	simflash_write(&fl, a, v, t);
}

static void sector_erase(uint32_t a, uint64_t t)
{
	cmd(0x80, t);
	unlock(0x5555, 0x2aaa, t);
	simflash_write(&fl, a, 0x30, t);
}

static unsigned viol(char *msg)
{
	return simflash_violations(&fl, msg, msg ? 128 : 0);
}

START_TEST(table_real_ids)
{
	int par = 0, spi = 0;
	const struct simflash_chip *c;

	for (c = simflash_chips; c->name; c++) {
		if (c->spi)
			spi++;
		else
			par++;
		ck_assert_ptr_eq(simflash_chip_find(c->name), c);
		ck_assert_uint_ne(c->t_prog_ns, 0);
		ck_assert_uint_ne(c->t_sector_erase_ns, 0);
		ck_assert_uint_gt(c->t_chip_erase_ns, c->t_sector_erase_ns);
		ck_assert_uint_eq(c->size & (c->size - 1), 0);
		ck_assert_int_eq(simflash_init(&fl, c), 0);
		simflash_free(&fl);
	}
	ck_assert_int_ge(par, 5);
	ck_assert_int_ge(spi, 4);
	c = simflash_chip_find("sst39sf040");
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->id[0], 0xbf);
	ck_assert_uint_eq(c->id[1], 0xb7);
	ck_assert_uint_eq(c->size, 512 * 1024);
	ck_assert_uint_eq(c->sector, 4096);
	c = simflash_chip_find("Am29F040B");
	ck_assert_uint_eq(c->id[0], 0x01);
	ck_assert_uint_eq(c->sector, 65536);
	c = simflash_chip_find("MX25L8005");
	ck_assert_uint_eq(c->id[0] << 16 | c->id[1] << 8 | c->id[2], 0xc22014);
	ck_assert_ptr_null(simflash_chip_find("SST39SF999"));
	ck_assert_ptr_null(simflash_chip_find(NULL));
}
END_TEST

START_TEST(par_id_mode)
{
	chip("SST39SF040");
	simflash_mem(&fl)[0] = 0x02;
	ck_assert_uint_eq(simflash_read(&fl, 0, 0), 0x02);
	cmd(0x90, 0);
	ck_assert_uint_eq(simflash_read(&fl, 0, 0), 0xbf);
	ck_assert_uint_eq(simflash_read(&fl, 1, 0), 0xb7);
	cmd(0xf0, 0);		/* AA 55 F0 exit */
	ck_assert_uint_eq(simflash_read(&fl, 0, 0), 0x02);
	cmd(0x90, 0);
	simflash_write(&fl, 0, 0xf0, 0);	/* single-cycle reset */
	ck_assert_uint_eq(simflash_read(&fl, 0, 0), 0x02);
	ck_assert_uint_eq(viol(NULL), 0);
}
END_TEST

START_TEST(par_amd_short_addresses)
{
	chip("Am29F040B");
	/* A10..A0 decoder: 555/2AA and 5555/2AAA both unlock */
	unlock(0x555, 0x2aa, 0);
	simflash_write(&fl, 0x555, 0x90, 0);
	ck_assert_uint_eq(simflash_read(&fl, 0, 0), 0x01);
	ck_assert_uint_eq(simflash_read(&fl, 1, 0), 0xa4);
	simflash_write(&fl, 0, 0xf0, 0);
	cmd(0x90, 0);
	ck_assert_uint_eq(simflash_read(&fl, 1, 0), 0xa4);
	ck_assert_uint_eq(viol(NULL), 0);
	/* SST decodes 15 bits: 555 is not 5555 there */
	teardown();
	chip("SST39SF010A");
	unlock(0x555, 0x2aa, 0);
	ck_assert_uint_eq(viol(NULL), 2);	/* neither cycle is an unlock */
}
END_TEST

START_TEST(par_program_polling)
{
	const struct simflash_chip *c = chip("SST39SF020A");
	uint64_t t0 = 1000;
	uint8_t s1, s2;

	program(0x12345, 0x5a, t0);
	ck_assert_uint_eq(simflash_mem(&fl)[0x12345], 0xff);	/* not yet */
	s1 = simflash_read(&fl, 0x12345, t0 + 1);
	s2 = simflash_read(&fl, 0x12345, t0 + 2);
	ck_assert_uint_eq(s1 & 0x80, 0x80);	/* DQ7 = ~bit 7 of 5Ah */
	ck_assert_uint_ne(s1 & 0x40, s2 & 0x40);	/* DQ6 toggles */
	ck_assert(simflash_busy(&fl, t0 + c->t_prog_ns - 1));
	ck_assert_uint_eq(simflash_read(&fl, 0x12345, t0 + c->t_prog_ns), 0x5a);
	ck_assert(!simflash_busy(&fl, t0 + c->t_prog_ns));
	/* only clears bits */
	program(0x12345, 0x0f, 2 * MS);
	ck_assert_uint_eq(simflash_read(&fl, 0x12345, 3 * MS), 0x0a);
	ck_assert_uint_eq(viol(NULL), 1);	/* 0Fh over 5Ah asks for bits back */
	ck_assert_uint_eq(fl.ops_done, 2);
}
END_TEST

START_TEST(par_violations)
{
	char msg[128];

	chip("SST39SF010A");
	simflash_write(&fl, 0x100, 0x33, 0);
	ck_assert_uint_eq(viol(msg), 1);
	ck_assert_ptr_nonnull(strstr(msg, "without unlock"));
	ck_assert_uint_eq(simflash_mem(&fl)[0x100], 0xff);
	program(0x10, 0x00, 0);
	simflash_write(&fl, 0x5555, 0xaa, 1 * US);	/* while busy */
	ck_assert_uint_eq(viol(msg), 2);
	ck_assert_ptr_nonnull(strstr(msg, "while busy"));
	simflash_write(&fl, 0x5555, 0xaa, 100 * US);
	simflash_write(&fl, 0x1234, 0x55, 100 * US);	/* wrong second address */
	ck_assert_uint_eq(viol(NULL), 3);
	cmd(0x77, 200 * US);
	ck_assert_uint_eq(viol(msg), 4);
	ck_assert_ptr_nonnull(strstr(msg, "77"));
}
END_TEST

START_TEST(par_sector_and_chip_erase)
{
	const struct simflash_chip *c = chip("SST39SF040");
	uint8_t *m = simflash_mem(&fl);
	uint64_t t = 0;

	program(0x0fff, 0x00, t);
	t += 1 * MS;
	program(0x1000, 0x00, t);
	t += 1 * MS;
	program(0x1fff, 0x00, t);
	t += 1 * MS;
	sector_erase(0x1abc, t);	/* any address inside the sector */
	ck_assert_uint_eq(simflash_read(&fl, 0x1000, t + 1) & 0x80, 0);	/* DQ7 0 while erasing */
	ck_assert_uint_eq(m[0x1000], 0x00);
	t += c->t_sector_erase_ns;
	ck_assert_uint_eq(simflash_read(&fl, 0x1000, t), 0xff);
	ck_assert_uint_eq(m[0x1fff], 0xff);
	ck_assert_uint_eq(m[0x0fff], 0x00);	/* neighbour untouched */
	cmd(0x80, t);
	unlock(0x5555, 0x2aaa, t);
	simflash_write(&fl, 0x5555, 0x10, t);
	ck_assert(simflash_busy(&fl, t + c->t_chip_erase_ns - 1));
	ck_assert_uint_eq(simflash_read(&fl, 0x0fff, t + c->t_chip_erase_ns), 0xff);
	ck_assert_uint_eq(viol(NULL), 0);
}
END_TEST

START_TEST(par_64k_sectors)
{
	const struct simflash_chip *c = chip("MX29F040");
	uint8_t *m = simflash_mem(&fl);

	memset(m, 0, c->size);
	sector_erase(0x23456, 0);
	ck_assert(!simflash_busy(&fl, c->t_sector_erase_ns));
	ck_assert_uint_eq(m[0x1ffff], 0x00);
	ck_assert_uint_eq(m[0x20000], 0xff);
	ck_assert_uint_eq(m[0x2ffff], 0xff);
	ck_assert_uint_eq(m[0x30000], 0x00);
	/* A19 on a 512K part wraps: 80000h is 00000h */
	simflash_write(&fl, 0x80000, 0xf0, c->t_sector_erase_ns);
	ck_assert_uint_eq(simflash_read(&fl, 0xa0000, c->t_sector_erase_ns), 0xff);
}
END_TEST

static void spi(const uint8_t *tx, size_t ntx, uint8_t *rx, size_t nrx, uint64_t t)
{
	simflash_spi(&fl, tx, ntx, rx, nrx, t);
}

static uint8_t rdsr(uint64_t t)
{
	uint8_t op = 0x05, sr;

	spi(&op, 1, &sr, 1, t);
	return sr;
}

static void op1(uint8_t op, uint64_t t)
{
	spi(&op, 1, NULL, 0, t);
}

START_TEST(spi_ids_and_status)
{
	uint8_t tx[4] = { 0x9f }, rx[4];

	chip("W25X40");
	spi(tx, 1, rx, 3, 0);
	ck_assert_uint_eq(rx[0], 0xef);
	ck_assert_uint_eq(rx[1], 0x30);
	ck_assert_uint_eq(rx[2], 0x13);
	tx[0] = 0x90;
	spi(tx, 4, rx, 2, 0);
	ck_assert_uint_eq(rx[0], 0xef);
	ck_assert_uint_eq(rx[1], 0x12);
	tx[3] = 1;		/* address 1: device id first */
	spi(tx, 4, rx, 2, 0);
	ck_assert_uint_eq(rx[0], 0x12);
	ck_assert_uint_eq(rx[1], 0xef);
	ck_assert_uint_eq(rdsr(0), 0x00);
	op1(0x06, 0);
	ck_assert_uint_eq(rdsr(0), 0x02);
	op1(0x04, 0);
	ck_assert_uint_eq(rdsr(0), 0x00);
	tx[0] = 0xab;		/* RES */
	spi(tx, 4, rx, 1, 0);
	ck_assert_uint_eq(rx[0], 0x12);
	simflash_mem(&fl)[0x7ffff] = 0x5a;
	{
		uint8_t fr[5] = { 0x0b, 0x07, 0xff, 0xff, 0x00 };

		spi(fr, 5, rx, 2, 0);	/* FAST READ wraps at the chip end */
		ck_assert_uint_eq(rx[0], 0x5a);
		ck_assert_uint_eq(rx[1], 0xff);
	}
	ck_assert_uint_eq(viol(NULL), 0);
	tx[0] = 0x42;
	spi(tx, 1, rx, 1, 0);
	ck_assert_uint_eq(viol(NULL), 1);
}
END_TEST

START_TEST(spi_page_program_wraps)
{
	const struct simflash_chip *c = chip("MX25L2005");
	uint8_t tx[4 + 8] = { 0x02, 0x00, 0x01, 0xfc, 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t rd[4] = { 0x03, 0x00, 0x01, 0x00 }, rx[256];
	char msg[128];

	spi(tx, sizeof(tx), NULL, 0, 0);	/* no WEL */
	ck_assert_uint_eq(viol(msg), 1);
	ck_assert_ptr_nonnull(strstr(msg, "without WEL"));
	ck_assert_uint_eq(rdsr(0), 0x00);
	op1(0x06, 0);
	spi(tx, sizeof(tx), NULL, 0, 10);
	ck_assert_uint_eq(rdsr(11), 0x03);	/* WIP and WEL */
	spi(rd, 4, rx, 4, 12);			/* READ while WIP */
	ck_assert_uint_eq(viol(msg), 2);
	ck_assert_ptr_nonnull(strstr(msg, "while WIP"));
	ck_assert_uint_eq(rdsr(10 + c->t_prog_ns), 0x00);	/* done, WEL cleared */
	spi(rd, 4, rx, 256, 10 + c->t_prog_ns);
	/* 1FC..1FF get 1..4, then the page wraps: 100..103 get 5..8 */
	ck_assert_uint_eq(rx[0xfc], 1);
	ck_assert_uint_eq(rx[0xff], 4);
	ck_assert_uint_eq(rx[0x00], 5);
	ck_assert_uint_eq(rx[0x03], 8);
	ck_assert_uint_eq(rx[0x04], 0xff);
	ck_assert_uint_eq(simflash_mem(&fl)[0x200], 0xff);
	ck_assert_uint_eq(viol(NULL), 2);
}
END_TEST

START_TEST(spi_erases)
{
	const struct simflash_chip *c = chip("EN25F16");
	uint8_t *m = simflash_mem(&fl);
	uint8_t se[4] = { 0x20, 0x01, 0x23, 0x45 }, be[4] = { 0xd8, 0x05, 0x00, 0x01 };
	uint64_t t = 0;

	memset(m, 0, c->size);
	op1(0x06, t);
	spi(se, 4, NULL, 0, t);
	ck_assert_uint_eq(rdsr(t + c->t_sector_erase_ns - 1) & 1, 1);
	t += c->t_sector_erase_ns;
	ck_assert_uint_eq(rdsr(t), 0);
	ck_assert_uint_eq(m[0x11fff], 0x00);
	ck_assert_uint_eq(m[0x12000], 0xff);
	ck_assert_uint_eq(m[0x12fff], 0xff);
	ck_assert_uint_eq(m[0x13000], 0x00);
	spi(be, 4, NULL, 0, t);		/* WEL was cleared by the erase */
	ck_assert_uint_eq(viol(NULL), 1);
	op1(0x06, t);
	spi(be, 4, NULL, 0, t);
	t += c->t_block_erase_ns;
	ck_assert_uint_eq(rdsr(t), 0);
	ck_assert_uint_eq(m[0x4ffff], 0x00);
	ck_assert_uint_eq(m[0x50000], 0xff);
	ck_assert_uint_eq(m[0x5ffff], 0xff);
	ck_assert_uint_eq(m[0x60000], 0x00);
	op1(0x06, t);
	op1(0xc7, t);
	ck_assert_uint_eq(rdsr(t + c->t_chip_erase_ns - 1), 0x03);
	t += c->t_chip_erase_ns;
	ck_assert_uint_eq(rdsr(t), 0);
	for (uint32_t i = 0; i < c->size; i += 4093)
		ck_assert_uint_eq(m[i], 0xff);
	ck_assert_uint_eq(viol(NULL), 1);
}
END_TEST

START_TEST(spi_sst_byte_program)
{
	const struct simflash_chip *c = chip("SST25VF040B");
	uint8_t tx[6] = { 0x02, 0x00, 0x10, 0x00, 0x11, 0x22 }, rd[4] = { 0x03, 0, 0x10, 0 }, rx[2];

	uint8_t wrsr[2] = { 0x01, 0x00 };
	char msg[128];

	ck_assert_uint_eq(c->page, 1);
	ck_assert_uint_eq(rdsr(0), 0x1c);	/* powers up write-protected */
	op1(0x06, 0);
	spi(tx, 5, NULL, 0, 0);
	ck_assert_uint_eq(viol(msg), 1);
	ck_assert_ptr_nonnull(strstr(msg, "protection"));
	ck_assert_uint_eq(rdsr(0), 0x1c);	/* not busy, WEL dropped */
	op1(0x50, 0);				/* EWSR, then WRSR 00h */
	spi(wrsr, 2, NULL, 0, 0);
	ck_assert_uint_eq(rdsr(0), 0x00);
	op1(0x06, 0);
	spi(tx, 5, NULL, 0, 0);
	ck_assert_uint_eq(rdsr(c->t_prog_ns - 1) & 1, 1);
	spi(rd, 4, rx, 2, c->t_prog_ns);
	ck_assert_uint_eq(rx[0], 0x11);
	ck_assert_uint_eq(rx[1], 0xff);
	ck_assert_uint_eq(viol(NULL), 1);
	op1(0x06, c->t_prog_ns);
	tx[3] = 1;
	spi(tx, 6, NULL, 0, c->t_prog_ns);	/* two bytes: only the first one lands */
	ck_assert_uint_eq(viol(NULL), 2);
	spi(rd, 4, rx, 2, 2 * c->t_prog_ns);
	ck_assert_uint_eq(rx[1], 0x11);
	ck_assert_uint_eq(viol(NULL), 2);
	simflash_power_cut(&fl, 3 * c->t_prog_ns, 1);
	ck_assert_uint_eq(rdsr(3 * c->t_prog_ns), 0x1c);	/* volatile BP bits set again */
}
END_TEST

/* Erase the first SST sector half-way with the given seed; count bytes that are FFh. */
static unsigned cut_erase(uint32_t seed, uint64_t frac_num, uint8_t *copy)
{
	const struct simflash_chip *c = chip("SST39SF040");
	uint8_t *m = simflash_mem(&fl);
	unsigned ff = 0;

	memset(m, 0, c->size);
	sector_erase(0, 0);
	simflash_power_cut(&fl, c->t_sector_erase_ns * frac_num / 4, seed);
	for (uint32_t i = 0; i < c->sector; i++)
		ff += m[i] == 0xff;
	ck_assert_uint_eq(m[c->sector], 0x00);
	if (copy)
		memcpy(copy, m, c->sector);
	teardown();
	return ff;
}

START_TEST(power_cut_reproducible)
{
	static uint8_t a[4096], b[4096], d[4096];
	unsigned q1 = cut_erase(7, 1, NULL), q2 = cut_erase(7, 2, a), q3 = cut_erase(7, 3, NULL);

	ck_assert_uint_eq(cut_erase(7, 2, b), q2);
	ck_assert_mem_eq(a, b, sizeof(a));
	cut_erase(8, 2, d);
	ck_assert(memcmp(a, d, sizeof(a)));
	/* partly done, and more done the later the cut */
	ck_assert_uint_gt(q1, 4096 / 8);
	ck_assert_uint_lt(q3, 4096);
	ck_assert_uint_lt(q1, q2);
	ck_assert_uint_lt(q2, q3);
}
END_TEST

START_TEST(power_cut_resets_state)
{
	const struct simflash_chip *c = chip("SST39SF010A");
	uint8_t tx[4] = { 0x9f }, rx[3];

	cmd(0x90, 0);
	simflash_power_cut(&fl, 5, 1);
	ck_assert_uint_eq(simflash_read(&fl, 0, 10), 0xff);	/* ID mode gone */
	program(0x40, 0x00, 20);
	simflash_power_cut(&fl, 20 + c->t_prog_ns, 1);	/* already done: nothing lost */
	ck_assert_uint_eq(simflash_mem(&fl)[0x40], 0x00);
	teardown();
	chip("MX25L8005");
	op1(0x06, 0);
	simflash_power_cut(&fl, 1, 3);
	ck_assert_uint_eq(rdsr(2), 0);	/* WEL lost */
	spi(tx, 1, rx, 3, 2);
	ck_assert_uint_eq(rx[2], 0x14);
}
END_TEST

Suite *suite_simflash(void)
{
	Suite *s = suite_create("simflash");
	TCase *tc = tcase_create("simflash");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, table_real_ids);
	tcase_add_test(tc, par_id_mode);
	tcase_add_test(tc, par_amd_short_addresses);
	tcase_add_test(tc, par_program_polling);
	tcase_add_test(tc, par_violations);
	tcase_add_test(tc, par_sector_and_chip_erase);
	tcase_add_test(tc, par_64k_sectors);
	tcase_add_test(tc, spi_ids_and_status);
	tcase_add_test(tc, spi_page_program_wraps);
	tcase_add_test(tc, spi_erases);
	tcase_add_test(tc, spi_sst_byte_program);
	tcase_add_test(tc, power_cut_reproducible);
	tcase_add_test(tc, power_cut_resets_state);
	suite_add_tcase(s, tc);
	return s;
}
