/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Serial (SPI) flash conformance: the register writes odrescue puts on the
 * bus, write by write, against tables built from the JungleFlasher 0.1.96
 * decompilation (mitchellwaite/jungleflasher-with-extras @ 9ea5961,
 * JungleFlasher/Forms/Form1.cs). Each table is a list of JF call sites:
 * method_228 (one buffer byte written), method_229 (one read), method_231
 * (the 04h transaction), with the arguments JF passes at the call site the
 * table names. Reads (Status polls, Sector Number) and waits are not
 * compared; their addresses are, through the writes that set them.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ata.h"
#include "hw/bus.h"
#include "hw/flash.h"
#include "hw/sim/sim.h"
#include "tests/tst.h"

#define SEL	0xa0	/* master: odrescue and JF write the same select */
#define MAXW	(1 << 16)

struct wr {
	uint8_t reg, val;
};

static struct bus b;
static struct ata_port ap;
static struct flash_dev f;
static struct wr got[MAXW], want[MAXW];
static size_t ngot, nwant;

static void trace_cb(void *ctx, enum bus_op op, uint16_t port, uint32_t val, size_t count)
{
	(void)ctx;
	(void)count;
	if (op == BUS_OUTB && port >= ATA_SECONDARY_CMD && port < ATA_SECONDARY_CMD + 8 && ngot < MAXW)
		got[ngot++] = (struct wr){ (uint8_t)(port - ATA_SECONDARY_CMD), (uint8_t)val };
}

static void put(uint8_t reg, uint8_t val)
{
	ck_assert(nwant < MAXW);
	want[nwant++] = (struct wr){ reg, val };
}

/* JF method_228: Device, Cyl Low, Cyl High, Sector Number = data, Command 01h, Device. */
static void jf_228(uint16_t addr, uint8_t data)
{
	put(ATA_REG_DEVICE, SEL);
	put(ATA_REG_LBAM, (uint8_t)addr);
	put(ATA_REG_LBAH, (uint8_t)(addr >> 8));
	put(ATA_REG_LBAL, data);
	put(ATA_REG_CMD, 0x01);
	put(ATA_REG_DEVICE, SEL);
}

/* JF method_229: Device, Cyl Low, Cyl High, Command 00h, Device (then Sector Number is read). */
static void jf_229(uint16_t addr)
{
	put(ATA_REG_DEVICE, SEL);
	put(ATA_REG_LBAM, (uint8_t)addr);
	put(ATA_REG_LBAH, (uint8_t)(addr >> 8));
	put(ATA_REG_CMD, 0x00);
	put(ATA_REG_DEVICE, SEL);
}

/* JF method_231(b2, b3, b4, b5): Features, Sector Count, Sector Number 0, Cyl Low, Cyl High, 04h; then 05h. */
static void jf_231(uint8_t b2, uint8_t b3, uint8_t b4, uint8_t b5)
{
	put(ATA_REG_DEVICE, SEL);
	put(ATA_REG_FEATURE, b2);
	put(ATA_REG_NSECT, b3);
	put(ATA_REG_LBAL, 0);
	put(ATA_REG_LBAM, b4);
	put(ATA_REG_LBAH, b5);
	put(ATA_REG_CMD, 0x04);
	put(ATA_REG_DEVICE, SEL);
	put(ATA_REG_DEVICE, SEL);
	put(ATA_REG_CMD, 0x05);
}

/* The status read of JF method_232 (72h branch) and method_317: 05h at 8800h, 01 00 01 00, reply at 0001h. */
static void jf_rdsr72(void)
{
	jf_228(0x8800, 0x05);
	jf_231(1, 0, 1, 0);
	jf_229(0x0001);
}

static const char *const regs[8] = { "data", "features", "nsect", "lbal", "lbam", "lbah", "device", "command" };

/* got must equal want from its start (prefix: got may go on). */
static void compare(const char *table, int prefix)
{
	size_t n = nwant < ngot ? nwant : ngot;

	for (size_t i = 0; i < n; i++)
		ck_assert_msg(got[i].reg == want[i].reg && got[i].val == want[i].val,
			      "%s: write %zu: odrescue %s=%02Xh, JF %s=%02Xh", table, i, regs[got[i].reg],
			      got[i].val, regs[want[i].reg], want[i].val);
	ck_assert_msg(ngot >= nwant, "%s: odrescue wrote %zu registers, JF %zu", table, ngot, nwant);
	if (!prefix)
		ck_assert_msg(ngot == nwant, "%s: odrescue wrote %zu registers, JF %zu", table, ngot, nwant);
}

static void start(void)
{
	ngot = nwant = 0;
}

static void open_drive(const char *spec)
{
	static const struct ata_chan ch[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};

	memset(&b, 0, sizeof(b));
	ck_assert_msg(bus_open(&b, spec, ch, 2) == 0, "%s", b.errmsg);
	ata_port_init(&ap, &b, &b.chans[1]);
	ck_assert_int_eq(mtk_intro(&f.m, &ap, 0), 0);
	f.m.ap = &ap;
	b.trace = trace_cb;
}

static void teardown(void)
{
	if (b.ops) {
		b.trace = NULL;
		ck_assert_msg(sim_violation_count(sim_from_bus(&b)) == 0, "sim: %s",
			      sim_violation_msg(sim_from_bus(&b), 0));
		bus_close(&b);
	}
}

/* 72h ID: JF method_304 (REMS), the first of method_303's three tries. odrescue then asks RDID (ours). */
START_TEST(test_id_72h)
{
	open_drive("sim:scenario=spi,chip=MX25L2005");
	start();
	ck_assert_int_eq(flash_identify(&f), 0);
	jf_228(0x8800, 0x90);
	jf_228(0x8801, 0x00);
	jf_228(0x8802, 0x00);
	jf_228(0x8803, 0x00);
	jf_231(4, 0, 2, 0);
	jf_229(0x8804);
	jf_229(0x8805);
	compare("method_304", 1);
	ck_assert_str_eq(f.chip->name, "MX25L2005");
}
END_TEST

/* 72h read of one page: JF method_308 for bank 1, page 2 (03 01 02 00, 04 00 00 01, reply 8804h-8903h). */
START_TEST(test_read_72h)
{
	uint8_t buf[256];

	open_drive("sim:scenario=spi,chip=MX25L2005");
	ck_assert_int_eq(flash_identify(&f), 0);
	start();
	ck_assert_int_eq(flash_read(&f, 0x10200, buf, sizeof(buf), NULL, NULL), 0);
	jf_228(0x8800, 0x03);
	jf_228(0x8801, 0x01);
	jf_228(0x8802, 0x02);
	jf_228(0x8803, 0x00);
	jf_231(4, 0, 0, 1);
	for (uint16_t i = 4; i < 260; i++)
		jf_229((uint16_t)(0x8800 + i));
	compare("method_308", 0);
	ck_assert_mem_eq(buf, sim_dev_at(sim_from_bus(&b), 3)->flash.mem + 0x10200, sizeof(buf));
}
END_TEST

/*
 * 72h page program: JF method_326 for bank 0, page 1: write enable (06h,
 * 01 00 00 00) and method_232 until status 02h, then 02 00 01 00 and the
 * 256 bytes, 04 01 00 00, then method_232 until 00h. odrescue reads the
 * status register once before its first write (method_317, protection).
 */
START_TEST(test_program_72h)
{
	uint8_t old[256], img[256];

	open_drive("sim:scenario=spi,chip=MX25L2005");
	ck_assert_int_eq(flash_identify(&f), 0);
	memset(old, 0xff, sizeof(old));
	for (int i = 0; i < 256; i++)
		img[i] = (uint8_t)(i * 7);
	memset(sim_dev_at(sim_from_bus(&b), 3)->flash.mem + 0x100, 0xff, 256);
	start();
	ck_assert_int_eq(flash_program(&f, 0x100, img, sizeof(img), old, NULL, NULL), 0);
	jf_rdsr72();		/* method_317: the status first */
	jf_228(0x8800, 0x06);
	jf_231(1, 0, 0, 0);
	jf_rdsr72();		/* method_232(.., 2): until 02h */
	jf_228(0x8800, 0x02);
	jf_228(0x8801, 0x00);
	jf_228(0x8802, 0x01);
	jf_228(0x8803, 0x00);
	for (uint16_t i = 0; i < 256; i++)
		jf_228((uint16_t)(0x8804 + i), img[i]);
	jf_231(4, 1, 0, 0);
	/* method_232(.., 0): status reads until 00h, as many as the page takes */
	ck_assert_msg(ngot > nwant && (ngot - nwant) % 21 == 0, "%zu writes after the program", ngot - nwant);
	for (size_t k = (ngot - nwant) / 21; k; k--)
		jf_rdsr72();
	compare("method_326", 0);
	ck_assert_mem_eq(sim_dev_at(sim_from_bus(&b), 3)->flash.mem + 0x100, img, sizeof(img));
}
END_TEST

/*
 * Unlock of a chip at status 8Ch: JF method_315 (06h; 01 00 as 01 00 00 00...
 * 2 out; 05h, reply at 0001h), with method_232's status read after the 06h
 * (the rule JF keeps at every other write enable: method_299/302/311/326).
 */
START_TEST(test_unlock_72h)
{
	open_drive("sim:scenario=spi,chip=MX25L2005,protect=1");
	ck_assert_int_eq(flash_identify(&f), 0);
	start();
	ck_assert_int_eq(flash_unprotect(&f), 0);
	jf_rdsr72();		/* method_314/317: the status first: 8Ch */
	jf_228(0x8800, 0x06);
	jf_231(1, 0, 0, 0);
	jf_rdsr72();		/* until the latch shows: 8Eh */
	jf_228(0x8800, 0x01);
	jf_228(0x8801, 0x00);
	jf_231(2, 0, 0, 0);
	jf_rdsr72();		/* method_315: read back, 00h */
	compare("method_315", 0);
	ck_assert_int_eq(f.sr, 0x00);
}
END_TEST

/* 73h read: JF method_298, bank 2 page 3: 03 02 03 00 at 0000h, counts 00 04 01 00, reply 0004h-0103h. */
START_TEST(test_read_73h)
{
	uint8_t buf[256];

	open_drive("sim:scenario=spi73");
	start();
	ck_assert_int_eq(flash_identify(&f), 0);
	ck_assert_uint_eq(ngot, 0);	/* no ID sent: its 73h layout is not in the record */
	ck_assert_ptr_eq(f.chip, &flashchip_73h);
	ck_assert_int_eq(flash_read(&f, 0x20300, buf, sizeof(buf), NULL, NULL), 0);
	jf_228(0x0000, 0x03);
	jf_228(0x0001, 0x02);
	jf_228(0x0002, 0x03);
	jf_228(0x0003, 0x00);
	jf_231(0, 4, 1, 0);
	for (uint16_t i = 4; i < 260; i++)
		jf_229(i);
	compare("method_298", 0);
	ck_assert_mem_eq(buf, sim_dev_at(sim_from_bus(&b), 3)->flash.mem + 0x20300, sizeof(buf));
	/* Nothing is ever written on 73h, not even the status register. */
	start();
	ck_assert_int_eq(flash_unprotect(&f), -EOPNOTSUPP);
	ck_assert_int_eq(flash_erase_chip(&f), -EOPNOTSUPP);
	ck_assert_uint_eq(ngot, 0);
}
END_TEST

Suite *suite_conform_serial(void)
{
	Suite *s = suite_create("conform_serial");
	TCase *tc = tcase_create("jf");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_id_72h);
	tcase_add_test(tc, test_read_72h);
	tcase_add_test(tc, test_program_72h);
	tcase_add_test(tc, test_unlock_72h);
	tcase_add_test(tc, test_read_73h);
	suite_add_tcase(s, tc);
	return s;
}
