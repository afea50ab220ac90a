/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parallel-flash path against the record, access by access (how the
 * tables work and how to add one: tests/conform.h). Source: JungleFlasher
 * 0.1.96 decompiled, mitchellwaite/jungleflasher-with-extras @ 9ea5961,
 * JungleFlasher/Forms/Form1.cs; "L" numbers are its lines.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "hw/ata.h"
#include "hw/bus.h"
#include "hw/flash.h"
#include "hw/mtk.h"
#include "hw/sim/sim.h"
#include "tests/conform.h"

#define DEV	ATA_REG_DEVICE
#define CMD	ATA_REG_CMD

/* method_252, the "Phat" intro (L42941-42951). */
static const struct cf_acc jf_intro[] = {
	CF_W(DEV, CF_SEL, "JF method_252 L42941"),
	CF_D(250, "JF method_252 L42942"),
	CF_W(DEV, CF_SEL, "JF method_252 L42943"),
	CF_W(ATA_REG_LBAL, 0x2a, "JF method_252 L42945"),
	CF_W(CMD, 0x80, "JF method_252 L42946"),
	CF_D(2, "JF method_252 L42947"),
	CF_W(DEV, CF_SEL, "JF method_252 L42949"),
	CF_R(ATA_REG_STATUS, 0x70, "JF method_252 L42950"),
	CF_D(1, "JF method_252 L42951"),
};

/* method_246, one byte written at a 20-bit address (L42861-42870). */
static const struct cf_acc jf_write_byte[] = {
	CF_W(DEV, CF_SEL, "JF method_246 L42861"),
	CF_W(ATA_REG_LBAM, CF_ADDR_LO, "JF method_246 L42862"),
	CF_W(ATA_REG_LBAH, CF_ADDR_HI, "JF method_246 L42863"),
	CF_W(DEV, CF_SEL_BANK, "JF method_246 L42864"),
	CF_W(ATA_REG_LBAL, CF_DATA, "JF method_246 L42865"),
	CF_W(CMD, 0x01, "JF method_246 L42866"),
	CF_W(DEV, CF_SEL, "JF method_246 L42867"),
	CF_P(ATA_REG_STATUS, 0x70, "JF method_246 L42870"),
};

/* method_247, one byte read (L42878-42889). */
static const struct cf_acc jf_read_byte[] = {
	CF_W(DEV, CF_SEL, "JF method_247 L42878"),
	CF_W(ATA_REG_LBAM, CF_ADDR_LO, "JF method_247 L42879"),
	CF_W(ATA_REG_LBAH, CF_ADDR_HI, "JF method_247 L42880"),
	CF_W(DEV, CF_SEL_BANK, "JF method_247 L42881"),
	CF_W(CMD, 0x00, "JF method_247 L42882"),
	CF_W(DEV, CF_SEL, "JF method_247 L42883"),
	CF_P(ATA_REG_STATUS, 0x70, "JF method_247 L42885"),
	CF_R(ATA_REG_LBAL, CF_ANY, "JF method_247 L42889"),
};

/* method_258, the "Phat" outro for a drive on a port (L43148-43154). */
static const struct cf_acc jf_outro[] = {
	CF_W(DEV, CF_SEL, "JF method_258 L43148"),
	CF_W(CMD, 0x81, "JF method_258 L43149"),
	CF_W(DEV, CF_SEL, "JF method_258 L43150"),
	CF_W(CMD, 0x08, "JF method_258 L43151"),
	CF_R(ATA_REG_STATUS, CF_ANY, "JF method_258 L43152"),
	CF_D(350, "JF method_258 L43154"),
};

static struct bus b;
static struct ata_port ap;
static struct flash_dev f;
static struct cf_rec rec;
static struct cf_seq seq;

static void setup(void)
{
	static const struct ata_chan ch[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};

	memset(&b, 0, sizeof(b));
	memset(&f, 0, sizeof(f));
	memset(&seq, 0, sizeof(seq));
	ck_assert_msg(bus_open(&b, "sim", ch, 2) == 0, "%s", b.errmsg);
	ata_port_init(&ap, &b, &b.chans[1]);	/* the MediaTek drive is position 3, master */
	ck_assert_int_eq(ata_dev_select(&ap, 0), 0);
}

static void teardown(void)
{
	cf_rec_free(&rec);
	cf_seq_free(&seq);
	if (b.ops)
		bus_close(&b);
}

static void record(void)
{
	cf_rec_start(&rec, &b, &b.chans[1]);
}

static void intro(void)
{
	ck_assert_int_eq(mtk_intro(&f.m, TF_RAW(&ap), 0), 0);
}

/* One JF call to method_246/247 in the expected sequence. */
static void wr(const char *what, uint32_t addr, uint8_t val)
{
	struct cf_args a = { .sel = 0xa0, .addr = addr, .data = val };

	CF_ADD(&seq, what, jf_write_byte, &a);
}

static void rd(const char *what, uint32_t addr, unsigned min, unsigned max)
{
	struct cf_args a = { .sel = 0xa0, .addr = addr };

	cf_add(&seq, what, jf_read_byte, sizeof(jf_read_byte) / sizeof(jf_read_byte[0]), &a, min, max);
}

START_TEST(test_intro)
{
	struct cf_args a = { .sel = 0xa0 };

	CF_ADD(&seq, "JF method_252 (intro, \"Phat\")", jf_intro, &a);
	record();
	intro();
	cf_rec_stop(&rec);
	cf_check(&seq, &rec);
}
END_TEST

START_TEST(test_byte_read)
{
	uint8_t v;

	intro();
	rd("JF method_247 (byte read)", 0x7abcd, 1, 1);
	record();
	ck_assert_int_eq(mtk_read_byte(&f.m, 0x7abcd, &v), 0);
	cf_rec_stop(&rec);
	cf_check(&seq, &rec);
}
END_TEST

START_TEST(test_byte_write)
{
	intro();
	/* F0h, the JEDEC read-mode reset: a write the chip takes at any address */
	wr("JF method_246 (byte write)", 0x6dcba, 0xf0);
	record();
	ck_assert_int_eq(mtk_write_byte(&f.m, 0x6dcba, 0xf0), 0);
	cf_rec_stop(&rec);
	cf_check(&seq, &rec);
}
END_TEST

START_TEST(test_jedec_id)
{
	intro();
	wr("JF method_290 L45507: AAh at 5555h", 0x5555, 0xaa);
	wr("JF method_290 L45508: 55h at 2AAAh", 0x2aaa, 0x55);
	wr("JF method_290 L45509: 90h at 5555h", 0x5555, 0x90);
	rd("JF method_290 L45511: manufacturer at 0", 0, 1, 1);
	rd("JF method_290 L45513: device at 1", 1, 1, 1);
	wr("JF method_290 L45514: AAh at 5555h", 0x5555, 0xaa);
	wr("JF method_290 L45515: 55h at 2AAAh", 0x2aaa, 0x55);
	wr("JF method_290 L45516: F0h at 5555h", 0x5555, 0xf0);
	record();
	ck_assert_int_eq(flash_identify(&f), 0);
	cf_rec_stop(&rec);
	cf_check(&seq, &rec);
	ck_assert_str_eq(f.chip->name, "SST39SF040");
}
END_TEST

/* The six cycles of an erase, as method_292/294 send them. */
static void erase_cycles(const char *m, int l, uint32_t last_addr, uint8_t last)
{
	static char what[6][64];
	static const uint32_t addr[5] = { 0x5555, 0x2aaa, 0x5555, 0x5555, 0x2aaa };
	static const uint8_t val[5] = { 0xaa, 0x55, 0x80, 0xaa, 0x55 };

	for (int i = 0; i < 6; i++) {
		snprintf(what[i], sizeof(what[i]), "JF %s L%d: %02Xh at %04Xh", m, l + i, i < 5 ? val[i] : last,
			 i < 5 ? addr[i] : last_addr);
		wr(what[i], i < 5 ? addr[i] : last_addr, i < 5 ? val[i] : last);
	}
}

START_TEST(test_sector_erase)
{
	intro();
	ck_assert_int_eq(flash_identify(&f), 0);
	erase_cycles("method_294", 45734, 0x31000, 0x30);
	/* JF sleeps 100 ms here (L45740); odrescue reads the sector back (data# polling) with the same read */
	rd("odrescue's data# poll with JF method_247", 0x31000, 1, 1000);
	record();
	ck_assert_int_eq(flash_erase(&f, 0x31000, 0x1000), 0);
	cf_rec_stop(&rec);
	cf_check(&seq, &rec);
}
END_TEST

START_TEST(test_chip_erase)
{
	intro();
	ck_assert_int_eq(flash_identify(&f), 0);
	erase_cycles("method_292", 45632, 0x5555, 0x10);
	/* JF sleeps 12 x 250 ms here (L45641-45643); odrescue polls address 0 */
	rd("odrescue's data# poll with JF method_247", 0, 1, 1000);
	record();
	ck_assert_int_eq(flash_erase_chip(&f), 0);
	cf_rec_stop(&rec);
	cf_check(&seq, &rec);
}
END_TEST

/*
 * method_296's inner loop (L45950-45963): AAh, 55h, A0h, the byte, then
 * read it back up to 3 times. JF's three reads are its whole wait: on a bus
 * of about 1 us per port access (ISA-speed IDE ports) they span more than
 * the 20 us byte-program maximum. odrescue reads on until a read begins
 * after that maximum (our inference: on a faster bus JF would send the
 * byte again into a busy chip), so the table is held on a 1 us bus here.
 */
static void program_cycles(uint32_t addr, uint8_t val, unsigned reads_min, unsigned reads_max)
{
	wr("JF method_296 L45950: AAh at 5555h", 0x5555, 0xaa);
	wr("JF method_296 L45951: 55h at 2AAAh", 0x2aaa, 0x55);
	wr("JF method_296 L45952: A0h at 5555h", 0x5555, 0xa0);
	wr("JF method_296 L45953: the byte", addr, val);
	rd("JF method_296 L45954-45958: read back", addr, reads_min, reads_max);
}

static void program_one(uint32_t addr, uint8_t val)
{
	uint8_t old = 0xff;

	ck_assert_int_eq(flash_program(&f, addr, &val, 1, &old, NULL, NULL), 0);
}

static void on_1us_bus(void)
{
	static const struct ata_chan ch[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};

	bus_close(&b);
	ck_assert_msg(bus_open(&b, "sim:reg_ns=1000", ch, 2) == 0, "%s", b.errmsg);
	ata_port_init(&ap, &b, &b.chans[1]);
	intro();
	ck_assert_int_eq(flash_identify(&f), 0);
	ck_assert_int_eq(flash_erase(&f, 0x31000, 0x1000), 0);
}

START_TEST(test_byte_program)
{
	on_1us_bus();
	program_cycles(0x31234, 0x5a, 1, 3);
	record();
	program_one(0x31234, 0x5a);
	cf_rec_stop(&rec);
	cf_check(&seq, &rec);
}
END_TEST

/* A byte that does not take: three read-backs, then the whole sequence again (L45959-45963). */
START_TEST(test_byte_program_again)
{
	on_1us_bus();
	sim_dev_at(sim_from_bus(&b), 3)->flash.weak_addr = 0x31235;
	sim_dev_at(sim_from_bus(&b), 3)->flash.weak_left = 1;
	/* JF reads exactly 3 times here; odrescue a 4th when the 3rd began before the maximum */
	program_cycles(0x31235, 0xa5, 3, 4);
	program_cycles(0x31235, 0xa5, 1, 3);
	record();
	program_one(0x31235, 0xa5);
	cf_rec_stop(&rec);
	cf_check(&seq, &rec);
	ck_assert_uint_eq(f.resends, 1);
}
END_TEST

START_TEST(test_outro)
{
	struct cf_args a = { .sel = 0xa0 };

	intro();
	CF_ADD(&seq, "JF method_258 (outro, \"Phat\")", jf_outro, &a);
	record();
	mtk_outro(&f.m);
	cf_rec_stop(&rec);
	cf_check(&seq, &rec);
}
END_TEST

/* The framework itself: a difference is found and named. */
START_TEST(test_difference_is_reported)
{
	char why[2048];

	intro();
	wr("JF method_246 (byte write)", 0x12345, 0xf0);
	record();
	ck_assert_int_eq(mtk_write_byte(&f.m, 0x12344, 0xf0), 0);	/* one address off */
	cf_rec_stop(&rec);
	ck_assert_int_eq(cf_match(&seq, &rec, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "access 1 differs: odrescue did write lbam=44h; the record has write "
				  "lbam=45h (JF method_246 L42862"), "%s", why);
	/* and one access too many */
	cf_rec_free(&rec);
	cf_seq_free(&seq);
	wr("JF method_246 (byte write)", 0x12345, 0xf0);
	record();
	ck_assert_int_eq(mtk_write_byte(&f.m, 0x12345, 0xf0), 0);
	ata_rd(&ap, ATA_REG_LBAL);
	cf_rec_stop(&rec);
	ck_assert_int_eq(cf_match(&seq, &rec, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "access 8 differs: odrescue did read lbal=F0h; the record has nothing more"),
		      "%s", why);
}
END_TEST

Suite *suite_conform(void)
{
	Suite *s = suite_create("conform");
	TCase *tc = tcase_create("parallel");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_intro);
	tcase_add_test(tc, test_byte_read);
	tcase_add_test(tc, test_byte_write);
	tcase_add_test(tc, test_jedec_id);
	tcase_add_test(tc, test_sector_erase);
	tcase_add_test(tc, test_chip_erase);
	tcase_add_test(tc, test_byte_program);
	tcase_add_test(tc, test_byte_program_again);
	tcase_add_test(tc, test_outro);
	tcase_add_test(tc, test_difference_is_reported);
	suite_add_tcase(s, tc);
	return s;
}
