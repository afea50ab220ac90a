/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Serial (SPI) flash drives as the public record shows them (JungleFlasher
 * 0.1.96 decompiled, Form1.cs; docs/protocol.md): the 73h layout (read as
 * JF reads, never written), transactions of at most 4 + 256 bytes in a
 * buffer that wraps, write protection cleared as JF clears it or refused,
 * REMS with JF's waits and its retry, RDID decoding where it answers, and
 * the three command sets. Through the CLI on the simulator, and in process
 * where the bus itself is looked at.
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

static struct tst_run run;

#define has(buf, s) ck_assert_msg(strstr(buf, s), "'%s' not in:\n%s", s, buf)
#define path(name) tst_path(tst_dir, name)

/* dump POS FILE on a new machine saved to state FILE: the dump equals what the state holds. */
static void dump_equals_flash(const char *params)
{
	size_t n;
	uint8_t *img;

	remove(path("s"));
	remove(path("d.bin"));
	ck_assert_msg(tst_cli(&run, "-p sim:%s,state=%s dump 3 %s", params, path("s"), path("d.bin")) == 0,
		      "%s: %s", params, run.err);
	img = tst_read_file(path("d.bin"), &n);
	ck_assert_ptr_nonnull(img);
	ck_assert_msg(tst_sim_flash_equals(path("s"), img, n), "%s: the dump differs from the flash", params);
	free(img);
}

/* A 73h drive: read as JF method_298 reads it (256 KiB), verified; chip and flash refused, exit 5. */
START_TEST(test_73h)
{
	dump_equals_flash("scenario=spi73");
	has(run.out, "73h serial flash, not identified");
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s verify 3 %s", path("s"), path("d.bin")), 0);
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s chip 3", path("s")), 5);
	has(run.err, "refused: the drive at secondary master reports status 73h");
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s flash 3 %s --yes --backup %s", path("s"), path("d.bin"),
				 path("b.bin")), 5);
	has(run.err, "refused: the drive reports status 73h");
	has(run.err, "nothing was written");
}
END_TEST

/* Buffers of 512 bytes and 2 KiB: a dump of each chip equals its flash (a 1 KiB read would wrap). */
START_TEST(test_small_buffer)
{
	dump_equals_flash("scenario=spi,chip=MX25L2005,spibuf=512");
	dump_equals_flash("scenario=spi,chip=SST25VF020,spibuf=512");
	dump_equals_flash("scenario=spi73,spibuf=512");
	dump_equals_flash("scenario=spi,chip=MX25L2005,spibuf=2048");
}
END_TEST

/* Chips by REMS (SST25VF020: no RDID) and by RDID (Pm25LV040: 7F 9D 7E; W25P20 apart from W25X20). */
START_TEST(test_chip_ids)
{
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=spi,chip=SST25VF020 chip 3"), 0);
	has(run.out, "Flash: SST SST25VF020, 256 KiB, serial (SPI), id BF 43 (REMS), erase unit 4 KiB");
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=spi,chip=Pm25LV040 chip 3"), 0);
	has(run.out, "Flash: PMC Pm25LV040, 512 KiB, serial (SPI), id 7F 9D 7E (RDID)");
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=spi,chip=W25P20 chip 3"), 0);
	has(run.out, "Flash: Winbond W25P20, 256 KiB, serial (SPI), id EF 20 12 (RDID), erase unit 64 KiB");
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=spi chip 3"), 0);
	has(run.out, "Serial commands: 01/00/04");
	has(run.out, "status register 00h\n");
	/* the status as JF shows it after the ID (method_241): 8Ch is protected */
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=spi,protect=1 chip 3"), 0);
	has(run.out, "status register 8Ch (write-protected: flash clears it first");
}
END_TEST

/* Flash a changed bank on parts that erase differently: W25P20 only by 64 KiB D8h, SST25VF020 byte by byte. */
START_TEST(test_flash_parts)
{
	static const char *const chips[] = { "W25P20", "SST25VF020", "Pm25LV040" };

	for (size_t k = 0; k < sizeof(chips) / sizeof(chips[0]); k++) {
		size_t n;
		uint8_t *img;

		dump_equals_flash(chips[k][0] == 'W' ? "scenario=spi,chip=W25P20" :
				  chips[k][0] == 'S' ? "scenario=spi,chip=SST25VF020" : "scenario=spi,chip=Pm25LV040");
		img = tst_read_file(path("d.bin"), &n);
		memset(img + 0x10100, 0x00, 0x40);	/* inside the code of bank 1 */
		ck_assert_int_eq(tst_write_file(path("new.bin"), img, n), 0);
		remove(path("b.bin"));
		ck_assert_msg(tst_cli(&run, "-p sim:state=%s flash 3 %s --yes --force-crossflash --backup %s",
				      path("s"), path("new.bin"), path("b.bin")) == 0, "%s: %s", chips[k], run.err);
		ck_assert_msg(tst_sim_flash_equals(path("s"), img, n), "%s: the flash does not hold the image", chips[k]);
		free(img);
	}
}
END_TEST

/* Status 8Ch: unlocked as JF does and flashed; held by WP# (SRWD): refused with one line, nothing written. */
START_TEST(test_protected)
{
	size_t n;
	uint8_t *img;

	dump_equals_flash("scenario=spi,chip=MX25L2005,spibuf=2048");
	img = tst_read_file(path("d.bin"), &n);
	memset(img + 0x10100, 0x00, 0x40);
	ck_assert_int_eq(tst_write_file(path("new.bin"), img, n), 0);
	free(img);
	ck_assert_msg(tst_cli(&run, "-p sim:scenario=spi,chip=MX25L2005,spibuf=2048,protect=1 flash 3 %s --yes --backup %s",
			      path("new.bin"), path("b1.bin")) == 0, "%s", run.err);
	has(run.out, "verified");
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=spi,chip=MX25L2005,spibuf=2048,protect=1,wp=1 flash 3 %s --yes "
				 "--backup %s", path("new.bin"), path("b2.bin")), 5);
	has(run.err, "refused: the serial flash stays write-protected (status 8Ch after write enable and write "
		     "status 00h); nothing was written");
}
END_TEST

/* The drive takes one of JF's three command sets: found by an ID read with each, named, used. */
START_TEST(test_dialects)
{
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=spi,chip=MX25L2005,serial=52 chip 3"), 0);
	has(run.out, "Serial commands: 52/1F/C2");
	ck_assert_int_eq(tst_cli(&run, "-p sim:scenario=spi,chip=MX25L2005,serial=68 --json chip 3"), 0);
	has(run.out, "\"serial_commands\": \"68/91/1B\"");
	has(run.out, "\"chip\": \"MX25L2005\"");
	dump_equals_flash("scenario=spi,chip=SST25VF020,serial=52");
	dump_equals_flash("scenario=spi,chip=MX25L2005,serial=68");
	/* and written in that set: erase, program and status reads without the 05h release */
	{
		size_t n;
		uint8_t *img = tst_read_file(path("d.bin"), &n);

		memset(img + 0x20100, 0x00, 0x40);
		ck_assert_int_eq(tst_write_file(path("new.bin"), img, n), 0);
		ck_assert_msg(tst_cli(&run, "-p sim:state=%s,serial=68 flash 3 %s --yes --backup %s", path("s"),
				      path("new.bin"), path("b.bin")) == 0, "%s", run.err);
		ck_assert(tst_sim_flash_equals(path("s"), img, n));
		free(img);
	}
}
END_TEST

/* In process: the bus, its virtual clock and every 04h command's counts. */
static struct bus b;
static struct ata_port ap;
static struct flash_dev f;
struct ev {
	uint64_t t;
	uint8_t reg, val;
};
static struct ev evs[1 << 18];
static size_t nev;

static void trace_cb(void *ctx, enum bus_op op, uint16_t port, uint32_t val, size_t count)
{
	(void)ctx;
	(void)count;
	if (op == BUS_OUTB && port >= ATA_SECONDARY_CMD && port < ATA_SECONDARY_CMD + 8 && nev < sizeof(evs) / sizeof(evs[0]))
		evs[nev++] = (struct ev){ bus_now_ns(&b), (uint8_t)(port - ATA_SECONDARY_CMD), (uint8_t)val };
}

static void open_bus(const char *spec)
{
	static const struct ata_chan ch[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};

	memset(&b, 0, sizeof(b));
	nev = 0;
	ck_assert_msg(bus_open(&b, spec, ch, 2) == 0, "%s", b.errmsg);
	b.trace = trace_cb;
	ata_port_init(&ap, &b, &b.chans[1]);
}

static void close_bus(void)
{
	b.trace = NULL;
	ck_assert_msg(sim_violation_count(sim_from_bus(&b)) == 0, "sim: %s", sim_violation_msg(sim_from_bus(&b), 0));
	bus_close(&b);
}

/* Index of the next write of val to reg from i on; nev if none. */
static size_t next(size_t i, uint8_t reg, uint8_t val)
{
	while (i < nev && !(evs[i].reg == reg && evs[i].val == val))
		i++;
	return i;
}

/* REMS 1 s after the intro, its reply read 200 ms after the command; 0000 from all: 1 s, once more. */
START_TEST(test_rems_waits)
{
	size_t intro, cmd, rd, k, rems = 0;

	open_bus("sim:scenario=spi,chip=SST25VF020");
	ck_assert_int_eq(flash_open(&f, TF_RAW(&ap), 0), 0);
	ck_assert_str_eq(f.chip->name, "SST25VF020");
	intro = next(0, ATA_REG_CMD, 0x80);
	cmd = next(intro, ATA_REG_CMD, 0x04);
	ck_assert_uint_lt(cmd, nev);
	ck_assert_uint_ge(evs[cmd].t - evs[intro].t, 1000000000ull);
	rd = next(cmd, ATA_REG_CMD, 0x00);
	ck_assert_uint_ge(evs[rd].t - evs[cmd].t, 200000000ull);
	flash_close(&f);
	close_bus();

	/* Pm25LV040 has no REMS: FFFF, so JF's second try after 1 s, then RDID finds it. */
	open_bus("sim:scenario=spi,chip=Pm25LV040");
	ck_assert_int_eq(flash_open(&f, TF_RAW(&ap), 0), 0);
	ck_assert_str_eq(f.chip->name, "Pm25LV040");
	for (k = 0; (k = next(k, ATA_REG_CMD, 0x04)) < nev; k++)
		rems += evs[k - 5].val == 4 && evs[k - 4].val == 0 && evs[k - 2].val == 2;	/* 04 00 02 00 */
	ck_assert_uint_eq(rems, 2);
	flash_close(&f);
	close_bus();
}
END_TEST

/* No 04h command moves more than 4 + 256 bytes: a dump, an erase and a program. */
START_TEST(test_transaction_size)
{
	uint8_t *buf = malloc(256 * 1024), *old = malloc(4096);

	open_bus("sim:scenario=spi,chip=MX25L2005");
	ck_assert_int_eq(flash_open(&f, TF_RAW(&ap), 0), 0);
	ck_assert_int_eq(flash_read(&f, 0, buf, 256 * 1024, NULL, NULL), 0);
	ck_assert_int_eq(flash_erase(&f, 0x30000, 4096), 0);
	memset(old, 0xff, 4096);
	ck_assert_int_eq(flash_program(&f, 0x30000, buf, 4096, old, NULL, NULL), 0);
	for (size_t k = 0; (k = next(k, ATA_REG_CMD, 0x04)) < nev; k++) {
		/* method_231's order: Features, Sector Count, Sector Number, Cyl Low, Cyl High, 04h */
		size_t ntx = evs[k - 5].val | evs[k - 4].val << 8, nrx = evs[k - 2].val | evs[k - 1].val << 8;

		ck_assert_msg(ntx + nrx <= 260, "a transaction of %zu out and %zu in", ntx, nrx);
	}
	flash_close(&f);
	close_bus();
	free(buf);
	free(old);
}
END_TEST

Suite *suite_serial(void)
{
	Suite *s = suite_create("serial");
	TCase *tc = tcase_create("cli");
	TCase *bus = tcase_create("bus");

	tcase_add_checked_fixture(tc, tst_dir_setup, tst_dir_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_73h);
	tcase_add_test(tc, test_small_buffer);
	tcase_add_test(tc, test_chip_ids);
	tcase_add_test(tc, test_flash_parts);
	tcase_add_test(tc, test_protected);
	tcase_add_test(tc, test_dialects);
	suite_add_tcase(s, tc);
	tcase_add_test(bus, test_rems_waits);
	tcase_add_test(bus, test_transaction_size);
	suite_add_tcase(s, bus);
	return s;
}
