/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * taskfile_sat.c: the result registers in each sense layout libata
 * writes; the flash layer through the simulated kernel (sim_sat.c) on an
 * ahci host, where no vendor status reaches libata's error handler; the
 * hazards that make odrescue refuse the other cases (an SFF host, 73h):
 * there the error handler sends the engine REQUEST SENSE, which the
 * simulator calls a violation; and the CLI on -p sim:hba=sat.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/flash.h"
#include "hw/mtk.h"
#include "hw/pt_sgio.h"
#include "hw/scsi.h"
#include "hw/sim/sim.h"
#include "hw/sim/sim_sat.h"
#include "hw/taskfile.h"
#include "tests/tst.h"

static struct pt pt;
static struct taskfile_sat ts;
static struct taskfile t;

static void open_sat(const char *spec, int sff, const char *node)
{
	char err[256] = "";

	ck_assert_msg(sim_sat_open(spec, sff, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(sgio_open(&pt, node, SGIO_EXCL, &sim_sat_sys) == 0, "%s", pt.errmsg);
	ts.pt = &pt;
	ts.clock = sim_sat_bus();
	taskfile_sat_init(&t, &ts);
	t.packet = sim_sat_node_packet(node);
}

static void teardown(void)
{
	if (pt.ops)
		pt.ops->close(&pt);
	memset(&pt, 0, sizeof(pt));
	sim_sat_close();
}

static struct sim *sim(void)
{
	return sim_from_bus(sim_sat_bus());
}

static void sense(struct scsi_sense *s, const uint8_t *b, unsigned len)
{
	scsi_sense_parse(s, b, len);
}

/* Descriptor 09h; fixed format at SAT's offsets (VALID set) and at the offsets of Linux before 6.10. */
START_TEST(test_result_layouts)
{
	static const uint8_t desc[22] = { 0x72, 0x01, 0x00, 0x1d, 0, 0, 0, 14, 0x09, 12, 0, 0x04, 0, 0x11, 0,
					  0x2a, 0, 0x14, 0, 0xeb, 0xa0, 0x41 };
	static const uint8_t fixed[18] = { 0xf0, 0, 0x04, 0x04, 0x70, 0xa0, 0x11, 10, 0, 0x5a, 0x14, 0xeb,
					   0x44, 0 };
	/* As Debian's 6.1 returned it in the VM tier for 80h/2Ah on QEMU's drive, LBA Low 5Ah here. */
	static const uint8_t fixed_old[18] = { 0x70, 0, 0x0b, 0, 0, 0, 0, 0x0a, 0x04, 0x41, 0xa0, 0, 0, 0,
					       0, 0, 0, 0x5a };
	static const uint8_t other[14] = { 0x70, 0, 0x02, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0x3a };
	struct scsi_sense s;
	struct ata_tf r;

	sense(&s, desc, sizeof(desc));
	ck_assert_int_eq(sat_result(&s, &r), 0);
	ck_assert_uint_eq(r.command, 0x41);
	ck_assert_uint_eq(r.feature, 0x04);
	ck_assert_uint_eq(r.lbal, 0x2a);
	ck_assert_uint_eq(r.lbam, 0x14);
	ck_assert_uint_eq(r.lbah, 0xeb);
	ck_assert_uint_eq(r.nsect, 0x11);
	ck_assert_uint_eq(r.device, 0xa0);
	sense(&s, fixed, sizeof(fixed));
	ck_assert_int_eq(sat_result(&s, &r), 0);
	ck_assert_uint_eq(r.command, 0x70);
	ck_assert_uint_eq(r.feature, 0x04);
	ck_assert_uint_eq(r.lbal, 0x5a);
	ck_assert_uint_eq(r.lbah, 0xeb);
	sense(&s, fixed_old, sizeof(fixed_old));
	ck_assert_int_eq(sat_result(&s, &r), 0);
	ck_assert_uint_eq(r.command, 0x41);
	ck_assert_uint_eq(r.feature, 0x04);
	ck_assert_uint_eq(r.device, 0xa0);
	ck_assert_uint_eq(r.lbal, 0x5a);
	sense(&s, other, 14);			/* too short for registers */
	ck_assert_int_eq(sat_result(&s, &r), -EPROTO);
	sense(&s, desc, 12);			/* cut short: no whole descriptor */
	ck_assert_int_eq(sat_result(&s, &r), -EPROTO);
}
END_TEST

/* ahci host: 70h and 72h come back as results (DF is no failure there); the flash erased, programmed, read. */
static void flash_through_sat(const char *spec, const char *chip)
{
	struct flash_dev f;
	struct sim_dev *d;
	uint8_t *got, *want;
	uint32_t n;

	open_sat(spec, 0, "/dev/sr0");
	ck_assert_int_eq(t.packet, 1);
	d = sim_dev_at(sim(), 3);
	ck_assert_int_eq(flash_open(&f, &t, 0), 0);
	ck_assert_str_eq(f.chip->name, chip);
	n = f.chip->sector;
	got = malloc(n);
	want = malloc(n);
	for (uint32_t i = 0; i < n; i++)
		want[i] = (uint8_t)(i * 5 + 1);
	ck_assert_int_eq(flash_unprotect(&f), 0);
	ck_assert_int_eq(flash_erase(&f, n, n), 0);
	memset(got, 0xff, n);
	ck_assert_int_eq(flash_program(&f, n, want, n, got, NULL, NULL), 0);
	ck_assert_int_eq(flash_read(&f, n, got, n, NULL, NULL), 0);
	ck_assert_int_eq(memcmp(got, want, n), 0);
	ck_assert_int_eq(memcmp(simflash_mem(&d->flash) + n, want, n), 0);
	flash_close(&f);
	ck_assert_uint_eq(sim_sat_eh_sense(), 0);
	ck_assert_uint_eq(sim_violation_count(sim()), 0);
	free(got);
	free(want);
}

START_TEST(test_flash_parallel)
{
	flash_through_sat("sim", "SST39SF040");
}
END_TEST

START_TEST(test_flash_serial72)
{
	flash_through_sat("sim:scenario=spi,chip=MX25L2005", "MX25L2005");
}
END_TEST

/*
 * Why odrescue refuses the rest: on an SFF host the intro's 70h (DF) fails
 * in libata, and on any host 73h (ERR) does; the error handler then sends
 * REQUEST SENSE to the engine, which the record never shows it receiving.
 */
START_TEST(test_hazards)
{
	struct tf_cmd c = { .regs = TF_LBAL, .tf = { .lbal = MTK_INTRO_KEY, .command = MTK_CMD_INTRO } };

	open_sat("sim", 1, "/dev/sr0");
	ck_assert_int_eq(tf_exec(&t, &c), 0);
	ck_assert_uint_eq(c.res.command, MTK_ST_PARALLEL);
	ck_assert_uint_eq(sim_sat_eh_sense(), 1);
	ck_assert_uint_eq(sim_violation_count(sim()), 1);
	teardown();

	open_sat("sim:scenario=spi73", 0, "/dev/sr0");
	ck_assert_int_eq(tf_exec(&t, &c), -EIO);
	ck_assert_uint_eq(c.res.command, MTK_ST_SERIAL2);
	ck_assert_uint_eq(sim_sat_eh_sense(), 1);
	ck_assert_uint_eq(sim_violation_count(sim()), 1);
	teardown();

	open_sat("sim", 0, "/dev/sr0");	/* ahci, 70h: no error handler */
	ck_assert_int_eq(tf_exec(&t, &c), 0);
	ck_assert_uint_eq(c.res.command, MTK_ST_PARALLEL);
	ck_assert_uint_eq(sim_sat_eh_sense(), 0);
}
END_TEST

/* Nodes: sr0 is the first packet device (position 3), sg0 position 1 (the disk), sg1 nobody. */
START_TEST(test_nodes)
{
	open_sat("sim", 0, "/dev/sg0");
	ck_assert_int_eq(t.packet, 0);
	ck_assert_int_eq(sim_sat_node_packet("/dev/sr0"), 1);
	ck_assert_int_eq(sim_sat_node_packet("/dev/sg2"), 1);
	ck_assert_int_eq(sim_sat_node_packet("/dev/sg1"), -1);
	ck_assert_int_eq(sim_sat_node_packet("/dev/sr1"), -1);
}
END_TEST

/* chip, dump and verify on /dev/sr0 of the simulated kernel; what is refused, in one line each. */
START_TEST(test_cli)
{
	static struct tst_run r;
	char st[4096], dump[4096];
	uint8_t *want;
	size_t n;

	snprintf(st, sizeof(st), "%s", tst_path(tst_dir, "s.bin"));
	snprintf(dump, sizeof(dump), "%s", tst_path(tst_dir, "d.bin"));
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=sat,state=%s chip /dev/sr0", st), 0);
	ck_assert_msg(strstr(r.out, "Position /dev/sr0: status 70h") && strstr(r.out, "SST39SF040"), "%s", r.out);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=sat,state=%s dump /dev/sr0 %s", st, dump), 0);
	want = tst_sim_flash(st, &n);
	ck_assert_ptr_nonnull(want);
	ck_assert(tst_file_equals(dump, want, n));
	free(want);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=sat,state=%s verify /dev/sr0 %s", st, dump), 0);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=sat,scenario=spi chip /dev/sr0"), 0);
	ck_assert_msg(strstr(r.out, "status 72h") && strstr(r.out, "Serial commands: 01/00/04"), "%s", r.out);

	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=sat chip /dev/sg0"), 5);
	ck_assert_msg(strstr(r.err, "holds an ATA disk"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=sat,host=ata_piix chip /dev/sr0"), 5);
	ck_assert_msg(strstr(r.err, "only on libata's ahci"), "%s", r.err);
	tst_cli_expect_violation = 1;	/* the intro's answer brings the error handler once */
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=sat,scenario=spi73 chip /dev/sr0"), 5);
	ck_assert_msg(strstr(r.err, "answers 73h") && tst_violations(&r) == 1, "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=sat chip 3"), 1);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=sat chip /dev/sr1"), 2);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=sat,host=ata_piix rescue /dev/sr0 %s --yes", dump), 5);
	ck_assert_msg(strstr(r.err, "only on libata's ahci"), "%s", r.err);
}
END_TEST

/* flash, verify and erase on /dev/sr0 of the simulated kernel; erase refused on an SFF host, the flash kept. */
START_TEST(test_cli_flash)
{
	static struct tst_run r;
	char st[4096];
	uint8_t *before, *after;
	size_t n, m;

	tst_flash_erase_cli("sim:hba=sat", "/dev/sr0");
	ck_assert_int_eq(access(tst_path(tst_dir, "odrescue-sr0.journal"), F_OK), -1);	/* gone after success */
	snprintf(st, sizeof(st), "%s", tst_path(tst_dir, "s.bin"));
	before = tst_sim_flash(st, &n);
	ck_assert_ptr_nonnull(before);
	ck_assert_int_eq(tst_cli(&r, "-p sim:hba=sat,host=ata_piix,state=%s erase /dev/sr0 "
				 "--yes-i-know-what-i-am-doing --yes", st), 5);
	after = tst_sim_flash(st, &m);
	ck_assert(after && m == n && !memcmp(before, after, n));
	free(before);
	free(after);
}
END_TEST

Suite *suite_sat(void)
{
	Suite *s = suite_create("sat");
	TCase *tc = tcase_create("taskfile");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_result_layouts);
	tcase_add_test(tc, test_flash_parallel);
	tcase_add_test(tc, test_flash_serial72);
	tcase_add_test(tc, test_hazards);
	tcase_add_test(tc, test_nodes);
	suite_add_tcase(s, tc);
	tc = tcase_create("cli");
	tcase_add_checked_fixture(tc, tst_dir_setup, tst_dir_teardown);
	tcase_set_timeout(tc, 120);	/* whole flashes, slow under the sanitizers */
	tcase_add_test(tc, test_cli);
	tcase_add_test(tc, test_cli_flash);
	suite_add_tcase(s, tc);
	return s;
}
