/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The serial-flash path against the record, access by access (how the
 * tables work: tests/conform.h). Source: JungleFlasher 0.1.96 decompiled,
 * mitchellwaite/jungleflasher-with-extras @ 9ea5961,
 * JungleFlasher/Forms/Form1.cs; "L" numbers are its lines. A table is one
 * JF primitive (method_228 buffer write, method_229 buffer read,
 * method_231 transaction, or a status read made of them); the tests add
 * them as JF's call sites do, with the arguments JF passes there.
 * arg[7] is the vendor status every poll waits for (72h or 73h).
 */
#include <check.h>
#include <errno.h>
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
#define ST	CF_ARG(7)

/* method_228, one buffer byte written (L42374-42382). */
static const struct cf_acc jf_buf_write[] = {
	CF_W(DEV, CF_SEL, "JF method_228 L42374"),
	CF_W(ATA_REG_LBAM, CF_ADDR_LO, "JF method_228 L42375"),
	CF_W(ATA_REG_LBAH, CF_ADDR_HI, "JF method_228 L42376"),
	CF_W(ATA_REG_LBAL, CF_DATA, "JF method_228 L42377"),
	CF_W(CMD, 0x01, "JF method_228 L42378"),
	CF_W(DEV, CF_SEL, "JF method_228 L42379"),
	CF_P(ATA_REG_STATUS, ST, "JF method_228 L42382"),
};

/* method_229, one buffer byte read (L42391-42406). */
static const struct cf_acc jf_buf_read[] = {
	CF_W(DEV, CF_SEL, "JF method_229 L42391"),
	CF_W(ATA_REG_LBAM, CF_ADDR_LO, "JF method_229 L42392"),
	CF_W(ATA_REG_LBAH, CF_ADDR_HI, "JF method_229 L42393"),
	CF_W(CMD, 0x00, "JF method_229 L42394"),
	CF_W(DEV, CF_SEL, "JF method_229 L42395"),
	CF_P(ATA_REG_STATUS, ST, "JF method_229 L42401"),
	CF_R(ATA_REG_LBAL, CF_ANY, "JF method_229 L42406"),
};

/* method_231, the transaction: counts in arg[0..3] (L42434-42456). */
static const struct cf_acc jf_spi[] = {
	CF_W(DEV, CF_SEL, "JF method_231 L42434"),
	CF_W(ATA_REG_FEATURE, CF_ARG(0), "JF method_231 L42435"),
	CF_W(ATA_REG_NSECT, CF_ARG(1), "JF method_231 L42436"),
	CF_W(ATA_REG_LBAL, 0x00, "JF method_231 L42437"),
	CF_W(ATA_REG_LBAM, CF_ARG(2), "JF method_231 L42438"),
	CF_W(ATA_REG_LBAH, CF_ARG(3), "JF method_231 L42439"),
	CF_W(CMD, 0x04, "JF method_231 L42440"),
	CF_W(DEV, CF_SEL, "JF method_231 L42441"),
	CF_P(ATA_REG_STATUS, ST, "JF method_231 L42447"),
	CF_W(DEV, CF_SEL, "JF method_231 L42452"),
	CF_W(CMD, 0x05, "JF method_231 L42453"),
	CF_P(ATA_REG_STATUS, ST, "JF method_231 L42456"),
};

/* The status read of method_232's 72h branch (L42494-42497): 05h at 8800h, 01 00 01 00, reply at 0001h. */
static const struct cf_acc jf_rdsr72[] = {
	CF_W(DEV, 0xa0, "JF method_232 L42494 (method_228)"),
	CF_W(ATA_REG_LBAM, 0x00, "JF method_232 L42494: 8800h"),
	CF_W(ATA_REG_LBAH, 0x88, "JF method_232 L42494: 8800h"),
	CF_W(ATA_REG_LBAL, 0x05, "JF method_232 L42494: 05h"),
	CF_W(CMD, 0x01, "JF method_228 L42378"),
	CF_W(DEV, 0xa0, "JF method_228 L42379"),
	CF_P(ATA_REG_STATUS, 0x72, "JF method_228 L42382"),
	CF_W(DEV, 0xa0, "JF method_232 L42495 (method_231)"),
	CF_W(ATA_REG_FEATURE, 0x01, "JF method_232 L42495: 1 out"),
	CF_W(ATA_REG_NSECT, 0x00, "JF method_232 L42495"),
	CF_W(ATA_REG_LBAL, 0x00, "JF method_231 L42437"),
	CF_W(ATA_REG_LBAM, 0x01, "JF method_232 L42495: 1 in"),
	CF_W(ATA_REG_LBAH, 0x00, "JF method_232 L42495"),
	CF_W(CMD, 0x04, "JF method_231 L42440"),
	CF_W(DEV, 0xa0, "JF method_231 L42441"),
	CF_P(ATA_REG_STATUS, 0x72, "JF method_231 L42447"),
	CF_W(DEV, 0xa0, "JF method_231 L42452"),
	CF_W(CMD, 0x05, "JF method_231 L42453"),
	CF_P(ATA_REG_STATUS, 0x72, "JF method_231 L42456"),
	CF_W(DEV, 0xa0, "JF method_232 L42497 (method_229)"),
	CF_W(ATA_REG_LBAM, 0x01, "JF method_232 L42497: reply at 0001h"),
	CF_W(ATA_REG_LBAH, 0x00, "JF method_232 L42497: reply at 0001h"),
	CF_W(CMD, 0x00, "JF method_229 L42394"),
	CF_W(DEV, 0xa0, "JF method_229 L42395"),
	CF_P(ATA_REG_STATUS, 0x72, "JF method_229 L42401"),
	CF_R(ATA_REG_LBAL, CF_ANY, "JF method_229 L42406"),
};

/* The 52/1F/C2 set ("Slim2"): method_242 buffer write (L42777-42785), method_243 read (L42794-42809),
 * method_244 transaction (L42816-42829, no release command). */
static const struct cf_acc jf_buf_write52[] = {
	CF_W(DEV, CF_SEL, "JF method_242 L42777"),
	CF_W(ATA_REG_LBAM, CF_ADDR_LO, "JF method_242 L42778"),
	CF_W(ATA_REG_LBAH, CF_ADDR_HI, "JF method_242 L42779"),
	CF_W(ATA_REG_LBAL, CF_DATA, "JF method_242 L42780"),
	CF_W(CMD, 0x52, "JF method_242 L42781"),
	CF_W(DEV, CF_SEL, "JF method_242 L42782"),
	CF_P(ATA_REG_STATUS, ST, "JF method_242 L42785"),
};

static const struct cf_acc jf_buf_read52[] = {
	CF_W(DEV, CF_SEL, "JF method_243 L42794"),
	CF_W(ATA_REG_LBAM, CF_ADDR_LO, "JF method_243 L42795"),
	CF_W(ATA_REG_LBAH, CF_ADDR_HI, "JF method_243 L42796"),
	CF_W(CMD, 0x1f, "JF method_243 L42797"),
	CF_W(DEV, CF_SEL, "JF method_243 L42798"),
	CF_P(ATA_REG_STATUS, ST, "JF method_243 L42804"),
	CF_R(ATA_REG_LBAL, CF_ANY, "JF method_243 L42809"),
};

static const struct cf_acc jf_spi52[] = {
	CF_W(DEV, CF_SEL, "JF method_244 L42816"),
	CF_W(ATA_REG_FEATURE, CF_ARG(0), "JF method_244 L42817"),
	CF_W(ATA_REG_NSECT, CF_ARG(1), "JF method_244 L42818"),
	CF_W(ATA_REG_LBAL, 0x00, "JF method_244 L42819"),
	CF_W(ATA_REG_LBAM, CF_ARG(2), "JF method_244 L42820"),
	CF_W(ATA_REG_LBAH, CF_ARG(3), "JF method_244 L42821"),
	CF_W(CMD, 0xc2, "JF method_244 L42822"),
	CF_W(DEV, CF_SEL, "JF method_244 L42823"),
	CF_P(ATA_REG_STATUS, ST, "JF method_244 L42829"),
};

static const struct cf_acc jf_wait_id[] = { CF_D(1000, "JF L37454: Sleep(1000) before method_303") };
static const struct cf_acc jf_wait_rems[] = { CF_D(200, "JF method_304 L46432: Sleep(200)") };
static const struct cf_acc jf_wait_wrsr[] = { CF_D(500, "JF method_315 L46884: Sleep(500)") };

static struct bus b;
static struct ata_port ap;
static struct flash_dev f;
static struct cf_rec rec;
static struct cf_seq seq;
static uint8_t status;

static void open_drive(const char *spec)
{
	static const struct ata_chan ch[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};

	memset(&b, 0, sizeof(b));
	memset(&f, 0, sizeof(f));
	memset(&seq, 0, sizeof(seq));
	memset(&rec, 0, sizeof(rec));
	ck_assert_msg(bus_open(&b, spec, ch, 2) == 0, "%s", b.errmsg);
	ata_port_init(&ap, &b, &b.chans[1]);	/* position 3, master */
	ck_assert_int_eq(ata_dev_select(&ap, 0), 0);
	ck_assert_int_eq(mtk_intro(&f.m, TF_RAW(&ap), 0), 0);
	status = f.m.status;
}

static void teardown(void)
{
	cf_rec_free(&rec);
	cf_seq_free(&seq);
	if (b.ops) {
		ck_assert_msg(sim_violation_count(sim_from_bus(&b)) == 0, "sim: %s",
			      sim_violation_msg(sim_from_bus(&b), 0));
		bus_close(&b);
	}
}

static void record(void)
{
	cf_rec_start(&rec, &b, &b.chans[1]);
}

static void check(void)
{
	cf_rec_stop(&rec);
	cf_check(&seq, &rec);
}

static void bw(const char *what, uint16_t addr, uint8_t val)
{
	struct cf_args a = { .sel = 0xa0, .addr = addr, .data = val, .arg[7] = status };

	CF_ADD(&seq, what, jf_buf_write, &a);
}

static void br(const char *what, uint16_t addr)
{
	struct cf_args a = { .sel = 0xa0, .addr = addr, .arg[7] = status };

	CF_ADD(&seq, what, jf_buf_read, &a);
}

static void run(const char *what, uint8_t c0, uint8_t c1, uint8_t c2, uint8_t c3)
{
	struct cf_args a = { .sel = 0xa0, .arg = { c0, c1, c2, c3, 0, 0, 0, status } };

	CF_ADD(&seq, what, jf_spi, &a);
}

static void rdsr(const char *what, unsigned min, unsigned max)
{
	struct cf_args a = { .sel = 0xa0 };

	cf_add(&seq, what, jf_rdsr72, sizeof(jf_rdsr72) / sizeof(jf_rdsr72[0]), &a, min, max);
}

static void wait(const char *what, const struct cf_acc *t)
{
	struct cf_args a = { 0 };

	cf_add(&seq, what, t, 1, &a, 1, 1);
}

/* 72h ID: 1 s, then JF method_304 (L46427-46436). odrescue's RDID after it is not JF's: not compared. */
START_TEST(test_id_72h)
{
	open_drive("sim:scenario=spi,chip=MX25L2005");
	record();
	ck_assert_int_eq(flash_identify(&f), 0);
	wait("JF L37454", jf_wait_id);
	bw("JF method_304 L46427: 90h at 8800h", 0x8800, 0x90);
	bw("JF method_304 L46428", 0x8801, 0x00);
	bw("JF method_304 L46429", 0x8802, 0x00);
	bw("JF method_304 L46430", 0x8803, 0x00);
	run("JF method_304 L46431: 04 00 02 00", 4, 0, 2, 0);
	wait("JF method_304 L46432", jf_wait_rems);
	br("JF method_304 L46434: 8804h", 0x8804);
	br("JF method_304 L46436: 8805h", 0x8805);
	cf_rec_stop(&rec);
	ck_assert_uint_gt(rec.n, 0);
	/* the RDID that follows: cut the record where the REMS reply ends */
	for (size_t i = 0, reads = 0; i < rec.n; i++)
		if (rec.g[i].dir == CF_RD && rec.g[i].reg == ATA_REG_LBAL && ++reads == 2) {
			rec.n = i + 1;
			break;
		}
	cf_check(&seq, &rec);
	ck_assert_str_eq(f.chip->name, "MX25L2005");
}
END_TEST

/*
 * A drive that takes the 52/1F/C2 set: 1 s, REMS in the 01/00/04 set
 * (method_304, nothing answers: 0000), then in the 52/1F/C2 set (method_306
 * L46471-46480), the order of method_303's default branch (L46399-46402).
 */
START_TEST(test_id_52)
{
	struct cf_args a = { .sel = 0xa0, .arg = { 4, 0, 2, 0, 0, 0, 0, 0x72 } };
	static const uint8_t rems[4] = { 0x90, 0, 0, 0 };

	open_drive("sim:scenario=spi,chip=MX25L2005,serial=52");
	record();
	ck_assert_int_eq(flash_identify(&f), 0);
	wait("JF L37454", jf_wait_id);
	for (uint16_t i = 0; i < 4; i++)
		bw("JF method_304 L46427-46430", (uint16_t)(0x8800 + i), rems[i]);
	run("JF method_304 L46431", 4, 0, 2, 0);
	wait("JF method_304 L46432", jf_wait_rems);
	br("JF method_304 L46434", 0x8804);
	br("JF method_304 L46436", 0x8805);
	for (uint16_t i = 0; i < 4; i++) {
		struct cf_args w = { .sel = 0xa0, .addr = i, .data = rems[i], .arg[7] = 0x72 };

		CF_ADD(&seq, "JF method_306 L46471-46474", jf_buf_write52, &w);
	}
	CF_ADD(&seq, "JF method_306 L46475: 04 00 02 00", jf_spi52, &a);
	wait("JF method_306 L46476", jf_wait_rems);
	for (uint16_t i = 4; i < 6; i++) {
		struct cf_args r = { .sel = 0xa0, .addr = i, .arg[7] = 0x72 };

		CF_ADD(&seq, "JF method_306 L46478/46480", jf_buf_read52, &r);
	}
	cf_rec_stop(&rec);
	for (size_t i = 0, reads = 0; i < rec.n; i++)
		if (rec.g[i].dir == CF_RD && rec.g[i].reg == ATA_REG_LBAL && ++reads == 4) {
			rec.n = i + 1;	/* the RDID that follows is ours, not JF's */
			break;
		}
	cf_check(&seq, &rec);
	ck_assert_int_eq(f.m.dialect, MTK_DIALECT_52);
	ck_assert_str_eq(f.chip->name, "MX25L2005");
}
END_TEST

/* 72h read of one page: JF method_308 L46546-46552 for bank 1, page 2. */
START_TEST(test_read_72h)
{
	uint8_t buf[256];

	open_drive("sim:scenario=spi,chip=MX25L2005");
	ck_assert_int_eq(flash_identify(&f), 0);
	record();
	ck_assert_int_eq(flash_read(&f, 0x10200, buf, sizeof(buf), NULL, NULL), 0);
	bw("JF method_308 L46546: 03h", 0x8800, 0x03);
	bw("JF method_308 L46547: bank", 0x8801, 0x01);
	bw("JF method_308 L46548: page", 0x8802, 0x02);
	bw("JF method_308 L46549", 0x8803, 0x00);
	run("JF method_308 L46550: 04 00 00 01", 4, 0, 0, 1);
	for (uint16_t i = 4; i < 260; i++)
		br("JF method_308 L46552", (uint16_t)(0x8800 + i));
	check();
	ck_assert_mem_eq(buf, simflash_mem(&sim_dev_at(sim_from_bus(&b), 3)->flash) + 0x10200, sizeof(buf));
}
END_TEST

/*
 * 72h page program: JF method_326 L47249-47264 for bank 0, page 1. Before
 * its first write odrescue reads the status once (method_317 L46829-46832's
 * read, the protection check).
 */
START_TEST(test_program_72h)
{
	uint8_t old[256], img[256];

	open_drive("sim:scenario=spi,chip=MX25L2005");
	ck_assert_int_eq(flash_identify(&f), 0);
	memset(old, 0xff, sizeof(old));
	for (int i = 0; i < 256; i++)
		img[i] = (uint8_t)(i * 7);
	memset(simflash_mem(&sim_dev_at(sim_from_bus(&b), 3)->flash) + 0x100, 0xff, 256);
	record();
	ck_assert_int_eq(flash_program(&f, 0x100, img, sizeof(img), old, NULL, NULL), 0);
	rdsr("JF method_317 L46829-46832: the status first", 1, 1);
	bw("JF method_326 L47249: 06h", 0x8800, 0x06);
	run("JF method_326 L47250: 01 00 00 00", 1, 0, 0, 0);
	rdsr("JF method_326 L47251: method_232 until 02h", 1, 100);
	bw("JF method_326 L47253: 02h", 0x8800, 0x02);
	bw("JF method_326 L47254: bank", 0x8801, 0x00);
	bw("JF method_326 L47255: page", 0x8802, 0x01);
	bw("JF method_326 L47256", 0x8803, 0x00);
	for (uint16_t i = 0; i < 256; i++)
		bw("JF method_326 L47261", (uint16_t)(0x8804 + i), img[i]);
	run("JF method_326 L47263: 04 01 00 00", 4, 1, 0, 0);
	rdsr("JF method_326 L47264: method_232 until 00h", 1, 100000);
	check();
	ck_assert_mem_eq(simflash_mem(&sim_dev_at(sim_from_bus(&b), 3)->flash) + 0x100, img, sizeof(img));
}
END_TEST

/*
 * Unlock of a chip at 8Ch: JF method_315 L46871-46887 (06h, 01 00, status,
 * 500 ms, status), after the status read that found it locked (method_314
 * L46829-46832). One addition, the rule JF keeps at every other 06h
 * (method_232 after method_299/302/311/326): the status until WEL shows.
 */
START_TEST(test_unlock_72h)
{
	open_drive("sim:scenario=spi,chip=MX25L2005,protect=1");
	ck_assert_int_eq(flash_identify(&f), 0);
	record();
	ck_assert_int_eq(flash_unprotect(&f), 0);
	rdsr("JF method_314 L46829-46832: 8Ch", 1, 1);
	bw("JF method_315 L46871: 06h", 0x8800, 0x06);
	run("JF method_315 L46872: 01 00 00 00", 1, 0, 0, 0);
	rdsr("method_232's rule after 06h: until WEL (8Eh)", 1, 100);
	bw("JF method_315 L46873: 01h", 0x8800, 0x01);
	bw("JF method_315 L46874: 00h", 0x8801, 0x00);
	run("JF method_315 L46875: 02 00 00 00", 2, 0, 0, 0);
	rdsr("JF method_315 L46876-46878", 1, 1);
	wait("JF method_315 L46884", jf_wait_wrsr);
	rdsr("JF method_315 L46885-46887: 00h", 1, 100);
	check();
	ck_assert_int_eq(f.sr, 0x00);
}
END_TEST

/* 73h read: JF method_298 L46153-46159, bank 2 page 3: buffer 0000h, counts 00 04 01 00. */
START_TEST(test_read_73h)
{
	uint8_t buf[256];

	open_drive("sim:scenario=spi73");
	ck_assert_int_eq(status, 0x73);
	record();
	ck_assert_int_eq(flash_identify(&f), 0);
	ck_assert_ptr_eq(f.chip, &flashchip_73h);	/* no ID sent: its 73h layout is not in the record */
	ck_assert_int_eq(flash_read(&f, 0x20300, buf, sizeof(buf), NULL, NULL), 0);
	bw("JF method_298 L46153: 03h at 0000h", 0x0000, 0x03);
	bw("JF method_298 L46154: bank", 0x0001, 0x02);
	bw("JF method_298 L46155: page", 0x0002, 0x03);
	bw("JF method_298 L46156", 0x0003, 0x00);
	run("JF method_298 L46157: 00 04 01 00", 0, 4, 1, 0);
	for (uint16_t i = 4; i < 260; i++)
		br("JF method_298 L46159", i);
	check();
	ck_assert_mem_eq(buf, simflash_mem(&sim_dev_at(sim_from_bus(&b), 3)->flash) + 0x20300, sizeof(buf));
	/* Nothing is ever written on 73h, not even the status register. */
	cf_rec_free(&rec);
	record();
	ck_assert_int_eq(flash_unprotect(&f), -EOPNOTSUPP);
	ck_assert_int_eq(flash_erase_chip(&f), -EOPNOTSUPP);
	cf_rec_stop(&rec);
	ck_assert_uint_eq(rec.n, 0);
}
END_TEST

Suite *suite_conform_serial(void)
{
	Suite *s = suite_create("conform_serial");
	TCase *tc = tcase_create("jf");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_id_72h);
	tcase_add_test(tc, test_id_52);
	tcase_add_test(tc, test_read_72h);
	tcase_add_test(tc, test_program_72h);
	tcase_add_test(tc, test_unlock_72h);
	tcase_add_test(tc, test_read_73h);
	suite_add_tcase(s, tc);
	return s;
}
