/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hw/ahci.c against the simulator's drives behind the modelled AHCI HBA:
 * link and signatures per port; IDENTIFY PACKET and INQUIRY of the
 * MediaTek drive (p2 = position 3); the vendor intro and a byte read as
 * non-data taskfile commands (70h has DF, no ERR: no TFES; the byte in
 * LBA Low of the D2H FIS); a 73h drive sets TFES on every exchange and the
 * port is restarted each time; power and plug are link events.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ahci.h"
#include "hw/ahci_io.h"
#include "hw/ata_id.h"
#include "hw/flash.h"
#include "hw/mmc.h"
#include "hw/mtk.h"
#include "hw/sim/sim.h"
#include "hw/taskfile.h"
#include "recovery/hotplug.h"
#include "tests/tst.h"

static struct ahci_io io;
static struct ahci hba;

static void open_sim(const char *spec)
{
	ck_assert_msg(ahci_sim_open(&io, spec) == 0, "%s", io.errmsg);
	ck_assert_int_eq(ahci_open(&hba, &io), 0);
}

static void teardown(void)
{
	if (hba.io)
		ahci_close(&hba);
}

static int intro(struct taskfile *t, struct tf_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->regs = TF_LBAL;
	c->tf.lbal = MTK_INTRO_KEY;
	c->tf.command = MTK_CMD_INTRO;
	return tf_exec(t, c);
}

static int read_byte(struct taskfile *t, uint32_t addr, struct tf_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->regs = TF_LBAM | TF_LBAH | TF_DEVICE;
	c->tf.lbam = (uint8_t)addr;
	c->tf.lbah = (uint8_t)(addr >> 8);
	c->tf.device = (uint8_t)(ATA_DEVICE_OBS | (addr >> 16 & 0xf));
	c->tf.command = MTK_CMD_READ;
	return tf_exec(t, c);
}

/* Disk at p0, nothing at p1, the MediaTek drive at p2, nothing at p3 (scenario default). */
START_TEST(test_ports_and_identify)
{
	uint16_t id[ATA_ID_WORDS];
	struct ata_id_info in;
	struct inquiry inq;
	struct ahci_link l;
	struct taskfile t;
	struct pt pt;

	open_sim("sim");
	ck_assert_int_eq(hba.nports, 4);
	ck_assert_int_eq(ahci_port_start(&hba.port[0]), 0);
	ahci_link(&hba.port[0], &l);
	ck_assert_uint_eq(l.sig, 0x00000101);
	ck_assert_int_eq(ahci_port_start(&hba.port[1]), -ENODEV);
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	ahci_link(&hba.port[2], &l);
	ck_assert_uint_eq(l.sig, 0xeb140101);
	taskfile_ahci_init(&t, &hba.port[2]);
	ck_assert_int_eq(tf_identify(&t, 0, ATA_CMD_ID_ATAPI, id), 0);
	ck_assert_int_eq(ata_id_decode(id, &in), 0);
	ck_assert(in.packet);
	ahci_pt_init(&pt, &hba.port[2]);
	ck_assert_int_eq(mmc_inquiry(&pt, &inq), 0);
	ck_assert_uint_eq(inq.pdt, 5);
	ck_assert_uint_eq(sim_violation_count(sim_from_bus(ahci_sim_bus(&io))), 0);
}
END_TEST

/* 70h (DF set, ERR clear): the exchange completes without TFES, the byte comes back in the D2H FIS. */
START_TEST(test_vendor_parallel)
{
	struct taskfile t;
	struct tf_cmd c;
	struct sim_dev *d;

	open_sim("sim");
	d = sim_dev_at(sim_from_bus(ahci_sim_bus(&io)), 3);
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	taskfile_ahci_init(&t, &hba.port[2]);
	ck_assert_int_eq(intro(&t, &c), 0);
	ck_assert_uint_eq(c.res.command, MTK_ST_PARALLEL);
	ck_assert(!(ahci_port_rd(&hba.port[2], PORT_IRQ_STAT) & PORT_IRQ_TF_ERR));
	for (uint32_t a = 0; a < 16; a++) {
		ck_assert_int_eq(read_byte(&t, a, &c), 0);
		ck_assert_uint_eq(c.res.lbal, simflash_mem(&d->flash)[a]);
	}
	ck_assert_uint_eq(sim_violation_count(sim_from_bus(ahci_sim_bus(&io))), 0);
}
END_TEST

/*
 * 73h has ERR set: every exchange raises TFES and leaves the slot issued
 * (AHCI 1.3.1 6.2.2.1); ahci_exec stops, clears and restarts the port, the
 * registers still come back, and the next exchange runs.
 */
START_TEST(test_vendor_73_tfes_each_exchange)
{
	struct taskfile t;
	struct tf_cmd c;

	open_sim("sim:scenario=spi73");
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	taskfile_ahci_init(&t, &hba.port[2]);
	ck_assert_int_eq(intro(&t, &c), -EIO);
	ck_assert_uint_eq(c.res.command, MTK_ST_SERIAL2);
	/* The serial buffer (at 0000h in the 73h layout) written and read back, an exchange each. */
	for (uint32_t a = 0; a < 8; a++) {
		memset(&c, 0, sizeof(c));
		c.regs = TF_LBAL | TF_LBAM | TF_LBAH | TF_DEVICE;
		c.tf.lbal = (uint8_t)(0x5a + a);
		c.tf.lbam = (uint8_t)a;
		c.tf.device = ATA_DEVICE_OBS;
		c.tf.command = MTK_CMD_WRITE;
		ck_assert_int_eq(tf_exec(&t, &c), -EIO);
		ck_assert_uint_eq(c.res.command, MTK_ST_SERIAL2);
	}
	for (uint32_t a = 0; a < 8; a++) {
		ck_assert_int_eq(read_byte(&t, a, &c), -EIO);
		ck_assert_uint_eq(c.res.command, MTK_ST_SERIAL2);
		ck_assert_uint_eq(c.res.lbal, 0x5a + a);
		ck_assert_uint_eq(ahci_port_rd(&hba.port[2], PORT_CMD_ISSUE), 0);
		ck_assert(ahci_port_rd(&hba.port[2], PORT_CMD) & PORT_CMD_START);
	}
}
END_TEST

/* Powering the drive off and on is a link event: DET drops, DIAG.X and PCS are set, COMRESET brings it back. */
START_TEST(test_power_is_a_link_event)
{
	struct sim *s;
	struct ahci_link l;

	open_sim("sim");
	s = sim_from_bus(ahci_sim_bus(&io));
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	sim_dev_at(s, 3)->powered_off = 1;
	ahci_link(&hba.port[2], &l);
	ck_assert_int_eq(l.det, 0);
	ck_assert(l.serr & SERR_DIAG_X);
	ck_assert(ahci_port_rd(&hba.port[2], PORT_IRQ_STAT) & PORT_IRQ_CONNECT);
	ck_assert_int_eq(ahci_comreset(&hba.port[2]), -ENODEV);
	sim_power_cycle(s, 3);
	ck_assert_int_eq(ahci_comreset(&hba.port[2]), 0);
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	ahci_link(&hba.port[2], &l);
	ck_assert_int_eq(l.det, 3);
	ck_assert_uint_eq(l.sig, 0xeb140101);
}
END_TEST

/*
 * A pulled data cable: PxIS.PCS/PRCS reflect PxSERR.DIAG.X/N (writing
 * PxIS does not clear them, clearing PxSERR does, AHCI 1.3.1 3.3.5); the
 * command that meets the link change ends at once with -ENODEV, not after
 * its timeout; the port then sends nothing (-ENOTCONN) until it is set up
 * again; the drive, not told, is still in vendor mode when the cable is
 * back, and answers.
 */
START_TEST(test_cable_pulled)
{
	struct flash_dev f;
	struct taskfile t;
	struct tf_cmd c;
	struct sim *s;
	uint64_t t0;
	uint8_t v;

	open_sim("sim");
	s = sim_from_bus(ahci_sim_bus(&io));
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	taskfile_ahci_init(&t, &hba.port[2]);
	t.packet = 1;
	ck_assert_int_eq(flash_open(&f, &t, 0), 0);
	ck_assert_int_eq(read_byte(&t, 0, &c), 0);

	sim_dev_at(s, 3)->cable_out = 1;
	ck_assert_uint_eq(ahci_port_rd(&hba.port[2], PORT_SCR_STAT) & SSTS_DET_MASK, 0);
	ahci_port_wr(&hba.port[2], PORT_IRQ_STAT, 0xffffffffu);
	ck_assert_uint_eq(ahci_port_rd(&hba.port[2], PORT_IRQ_STAT) & PORT_IRQ_LINK, PORT_IRQ_LINK);
	t0 = bus_now_ns(ahci_sim_bus(&io));
	ck_assert_int_eq(read_byte(&t, 0, &c), -ENODEV);
	ck_assert_uint_lt(bus_now_ns(ahci_sim_bus(&io)) - t0, ATA_TMO_DATA / 100);
	ck_assert_uint_eq(ahci_port_rd(&hba.port[2], PORT_IRQ_STAT) & PORT_IRQ_LINK, 0);
	ck_assert_int_eq(read_byte(&t, 0, &c), -ENOTCONN);
	ck_assert_int_eq(sim_dev_at(s, 3)->vendor_mode, 1);

	sim_dev_at(s, 3)->cable_out = 0;
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	ck_assert_int_eq(mtk_read_byte(&f.m, 0, &v), 0);
	ck_assert_int_eq(s->nviol, 0);
}
END_TEST

/*
 * The Case 2 wait on a port whose drive was power-cycled before the wait
 * began: that exchange (PxSERR.DIAG.X) is history, not a swap; the wait
 * sees nothing new and times out.
 */
START_TEST(test_wait_ignores_an_earlier_exchange)
{
	struct ahci_wait w = { 0 };
	struct ahci_link l;

	open_sim("sim");
	sim_power_cycle(sim_from_bus(ahci_sim_bus(&io)), 3);
	ahci_link(&hba.port[2], &l);
	ck_assert(l.serr & SERR_DIAG_X);
	ck_assert_int_eq(hotplug_wait_ahci(&hba.port[2], 2 * NSEC_PER_SEC, NULL, &w), -ETIMEDOUT);
	ck_assert_int_eq(w.initial, 1);
	ck_assert_int_eq(w.swapped, 0);
}
END_TEST

/*
 * A port the kernel left with link power management on (lpm=1: CAP.SALP,
 * PxCMD.ALPE and ASP, PxSCTL.IPM unrestricted): the idle link sleeps
 * between commands and PhyRdy drops each time, which would read as a
 * pulled cable. Setting the port up turns it off as libahci's
 * ahci_set_lpm(ATA_LPM_MAX_POWER) does, and the vendor exchange works;
 * ALPE set again, the next command meets the PhyRdy change.
 */
START_TEST(test_link_power_management_off)
{
	struct ahci_port *p;
	struct taskfile t;
	struct tf_cmd c;

	open_sim("sim:lpm=1");
	p = &hba.port[2];
	ck_assert(hba.cap & HOST_CAP_ALPM);
	ck_assert(ahci_port_rd(p, PORT_CMD) & PORT_CMD_ALPE);
	ck_assert_int_eq(ahci_port_start(p), 0);
	ck_assert(!(ahci_port_rd(p, PORT_CMD) & (PORT_CMD_ALPE | PORT_CMD_ASP | PORT_CMD_ICC_MASK)));
	ck_assert_uint_eq(ahci_port_rd(p, PORT_SCR_CTL) & SCTL_IPM_NONE, SCTL_IPM_NONE);
	taskfile_ahci_init(&t, p);
	ck_assert_int_eq(intro(&t, &c), 0);
	ck_assert_int_eq(read_byte(&t, 0, &c), 0);

	ahci_port_wr(p, PORT_SCR_CTL, ahci_port_rd(p, PORT_SCR_CTL) & ~SCTL_IPM_NONE);
	ahci_port_wr(p, PORT_CMD, ahci_port_rd(p, PORT_CMD) | PORT_CMD_ALPE);
	ck_assert_int_eq(read_byte(&t, 0, &c), -ENODEV);
}
END_TEST

/*
 * The flash layer over the port (mtk.c's FIS path): the chip named, a
 * sector erased, programmed and read back, the rest of the flash as it was;
 * nothing the simulator calls a protocol violation.
 */
static void flash_over_ahci(const char *spec, const char *chip, int writable)
{
	struct flash_dev f;
	struct taskfile t;
	struct sim_dev *d;
	uint8_t *got, *want;
	uint32_t n;

	open_sim(spec);
	d = sim_dev_at(sim_from_bus(ahci_sim_bus(&io)), 3);
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	taskfile_ahci_init(&t, &hba.port[2]);
	ck_assert_int_eq(flash_open(&f, &t, 0), 0);
	ck_assert_ptr_null(f.m.ap);
	ck_assert_msg(!strcmp(f.chip->name, chip), "%s", f.chip->name);
	n = writable ? f.chip->sector : 4096;
	got = malloc(n);
	want = malloc(n);
	if (writable) {
		for (uint32_t i = 0; i < n; i++)
			want[i] = (uint8_t)(i * 7 + 3);
		ck_assert_int_eq(flash_unprotect(&f), 0);
		ck_assert_int_eq(flash_erase(&f, n, n), 0);
		memset(got, 0xff, n);	/* what the erased sector holds */
		ck_assert_int_eq(flash_program(&f, n, want, n, got, NULL, NULL), 0);
	} else {
		memcpy(want, simflash_mem(&d->flash) + n, n);
	}
	ck_assert_int_eq(flash_read(&f, n, got, n, NULL, NULL), 0);
	ck_assert_int_eq(memcmp(got, want, n), 0);
	ck_assert_int_eq(memcmp(simflash_mem(&d->flash) + n, want, n), 0);
	ck_assert_int_eq(flash_read(&f, 0, got, n, NULL, NULL), 0);
	ck_assert_int_eq(memcmp(got, simflash_mem(&d->flash), n), 0);
	flash_close(&f);
	ck_assert_uint_eq(sim_violation_count(sim_from_bus(ahci_sim_bus(&io))), 0);
	free(got);
	free(want);
}

START_TEST(test_flash_parallel)
{
	flash_over_ahci("sim", "SST39SF040", 1);
}
END_TEST

START_TEST(test_flash_serial72)
{
	flash_over_ahci("sim:scenario=spi,chip=MX25L2005", "MX25L2005", 1);
}
END_TEST

/* 73h: TFES on every exchange, and still the 256 KiB read JF's method_298 makes. */
START_TEST(test_flash_serial73_reads)
{
	flash_over_ahci("sim:scenario=spi73", "73h serial flash", 0);
}
END_TEST

/*
 * A drive already in vendor mode (a killed run left it): no Status is read
 * without a command on a port, so the signature says "packet device" and
 * no IDENTIFY reaches the engine (the simulator calls A1h in vendor mode a
 * violation, as the record knows no such command there).
 */
START_TEST(test_left_in_vendor_mode)
{
	struct flash_dev f;
	struct taskfile t;
	struct tf_cmd c;

	open_sim("sim");
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	taskfile_ahci_init(&t, &hba.port[2]);
	ck_assert_int_eq(intro(&t, &c), 0);
	t.packet = 1;
	ck_assert_int_eq(flash_open(&f, &t, 0), 0);
	ck_assert_str_eq(f.chip->name, "SST39SF040");
	flash_close(&f);
	ck_assert_uint_eq(sim_violation_count(sim_from_bus(ahci_sim_bus(&io))), 0);
}
END_TEST

/*
 * Vendor mode gone under the flash layer (the drive restarted: here the
 * outro sent behind its back): the next byte read is answered with another
 * status in the D2H FIS, which ends the run instead of returning a byte.
 */
START_TEST(test_vendor_mode_lost)
{
	struct flash_dev f;
	struct taskfile t;
	struct tf_cmd c;
	uint8_t v;

	open_sim("sim");
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	taskfile_ahci_init(&t, &hba.port[2]);
	t.packet = 1;
	ck_assert_int_eq(flash_open(&f, &t, 0), 0);
	for (uint8_t cmd = MTK_CMD_OUTRO1;; cmd = MTK_CMD_OUTRO2) {
		memset(&c, 0, sizeof(c));
		c.tf.device = ATA_DEVICE_OBS;
		c.tf.command = cmd;
		tf_exec(&t, &c);
		if (cmd == MTK_CMD_OUTRO2)
			break;
	}
	sim_tick(sim_from_bus(ahci_sim_bus(&io)));
	bus_delay_ns(ahci_sim_bus(&io), 30ull * 1000000000u);	/* it boots its firmware */
	ck_assert_int_ne(mtk_read_byte(&f.m, 0, &v), 0);
	ck_assert(f.m.lost);
}
END_TEST

/* The CLI on -p sim:hba=ahci: scan lists p0..p3, a dead drive is busy on p2, identify p2 decodes it. */
START_TEST(test_cli)
{
	static struct tst_run r;

	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci scan --json"), 0);
	ck_assert_msg(strstr(r.out, "\"position\": \"p2\"") && strstr(r.out, "\"signature\": \"0xeb140101\"") &&
		      strstr(r.out, "\"found\": 2"), "%s", r.out);
	ck_assert_int_eq(tst_cli(&r, "-p sim:scenario=bricked,hba=ahci scan"), 0);
	ck_assert_msg(strstr(r.out, "p2   link up 1.5 Gbps  busy"), "%s", r.out);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci,scenario=spi73 identify p2"), 0);
	ck_assert_msg(strstr(r.out, "Position p2 (SATA port 2)") && strstr(r.out, "INQUIRY          vendor 'LITE-ON '"),
		      "%s", r.out);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci identify p1"), 2);
}
END_TEST

/*
 * chip, dump and verify on p2 go through the port: the dump is the flash
 * the simulator holds (its state= file), verify names a changed byte, an
 * ATA disk and a drive holding BSY are refused, flash is not offered yet.
 */
START_TEST(test_cli_vendor)
{
	static struct tst_run r;
	char st[4096], dump[4096], bad[4096];
	uint8_t *want, *img;
	size_t n;

	snprintf(st, sizeof(st), "%s", tst_path(tst_dir, "s.bin"));
	snprintf(dump, sizeof(dump), "%s", tst_path(tst_dir, "d.bin"));
	snprintf(bad, sizeof(bad), "%s", tst_path(tst_dir, "e.bin"));
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci,state=%s chip p2", st), 0);
	ck_assert_msg(strstr(r.out, "Position SATA port 2: status 70h") && strstr(r.out, "SST39SF040"), "%s", r.out);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci,state=%s dump p2 %s", st, dump), 0);
	want = tst_sim_flash(st, &n);
	ck_assert_ptr_nonnull(want);
	ck_assert_uint_eq(n, 512 * 1024);
	ck_assert(tst_file_equals(dump, want, n));
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci,state=%s verify p2 %s", st, dump), 0);
	img = tst_read_file(dump, &n);
	img[0x12345] ^= 1;
	ck_assert_int_eq(tst_write_file(bad, img, n), 0);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci,state=%s verify p2 %s", st, bad), 8);
	ck_assert_msg(strstr(r.err, "first at 012345h"), "%s", r.err);
	ck_assert(tst_sim_flash_equals(st, want, 512 * 1024));
	free(img);
	free(want);

	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci chip p0"), 5);
	ck_assert_msg(strstr(r.err, "holds an ATA disk"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci,scenario=bricked chip p2"), 2);
	ck_assert_msg(strstr(r.err, "holds BSY") && strstr(r.err, "odrescue rescue p2 FILE"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci,scenario=spi73 dump p2 %s", tst_path(tst_dir, "s73.bin")), 0);
	/* rescue of a 73h drive: vendor mode, then refused as flash is, nothing written */
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci,scenario=spi73 rescue p2 %s --yes", dump), 5);
	ck_assert_msg(strstr(r.out, "[3/4] Vendor mode: status 73h") && strstr(r.err, "nothing was written"), "%s%s",
		      r.out, r.err);
}
END_TEST

/*
 * wait pN watches the link: the dead drive of Case 2 plugged in at 2 s is
 * seen (DET up), settles and holds BSY (exit 7, said so); with a working
 * drive there first, its going (DET down) and the new one's coming are
 * seen; an empty port times out (exit 2); no limit on the virtual clock is
 * refused (exit 1).
 */
START_TEST(test_cli_wait)
{
	static struct tst_run r;

	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci,scenario=hotplug wait p2 --timeout 10"), 7);
	ck_assert_msg(strstr(r.err, "nothing on p2") && strstr(r.err, "appeared on p2 after 2.0 s") &&
		      strstr(r.err, "holds BSY since its link came up"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci,scenario=hotplug,swap=1 wait p2 --timeout 10 --json"), 7);
	ck_assert_msg(strstr(r.err, "has a device: waiting for it to be replaced") &&
		      strstr(r.err, "the drive went away") && strstr(r.out, "\"swapped\": true") &&
		      strstr(r.out, "\"busy\": true"), "%s%s", r.out, r.err);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci wait p1 --timeout 2"), 2);
	ck_assert_msg(strstr(r.err, "no drive appeared on p1 within 2 s"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=ahci wait p1"), 1);
}
END_TEST

START_TEST(test_cli_flash)
{
	tst_flash_erase_cli("sim:hba=ahci", "p2");
}
END_TEST

START_TEST(test_cli_flash_lpm)
{
	tst_flash_erase_cli("sim:hba=ahci,lpm=1", "p2");
}
END_TEST

START_TEST(test_cli_flash_serial)
{
	tst_flash_erase_cli("sim:hba=ahci,scenario=spi,chip=MX25L2005", "p2");
}
END_TEST

Suite *suite_sim_ahci(void)
{
	Suite *s = suite_create("sim_ahci");
	TCase *tc = tcase_create("hba");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_ports_and_identify);
	tcase_add_test(tc, test_vendor_parallel);
	tcase_add_test(tc, test_vendor_73_tfes_each_exchange);
	tcase_add_test(tc, test_power_is_a_link_event);
	tcase_add_test(tc, test_cable_pulled);
	tcase_add_test(tc, test_link_power_management_off);
	tcase_add_test(tc, test_wait_ignores_an_earlier_exchange);
	tcase_add_test(tc, test_flash_parallel);
	tcase_add_test(tc, test_flash_serial72);
	tcase_add_test(tc, test_flash_serial73_reads);
	tcase_add_test(tc, test_left_in_vendor_mode);
	tcase_add_test(tc, test_vendor_mode_lost);
	tcase_add_test(tc, test_cli);
	suite_add_tcase(s, tc);
	tc = tcase_create("cli");
	tcase_add_checked_fixture(tc, tst_dir_setup, tst_dir_teardown);
	tcase_set_timeout(tc, 120);	/* whole flashes, slow under the sanitizers */
	tcase_add_test(tc, test_cli_vendor);
	tcase_add_test(tc, test_cli_flash);
	tcase_add_test(tc, test_cli_wait);
	tcase_add_test(tc, test_cli_flash_serial);
	tcase_add_test(tc, test_cli_flash_lpm);
	suite_add_tcase(s, tc);
	return s;
}
