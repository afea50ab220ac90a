/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulator catches a host that breaks the protocol: each rule broken
 * on purpose is recorded with its description, the correct sequences are
 * not, the descriptions reach the log at cleanup, and a CLI run through a
 * cable that loses writes shows them on stderr where tst_cli looks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ata.h"
#include "hw/bus.h"
#include "hw/mtk.h"
#include "hw/sim/sim.h"
#include "tests/tst.h"

static struct bus b;
static struct ata_port ap;
static struct sim *sim;
static char logged[4096];

static void log_cb(void *ctx, enum bus_log_level lvl, const char *msg)
{
	(void)ctx;
	if (lvl == BUS_LOG_ERR && strlen(logged) + strlen(msg) + 2 < sizeof(logged)) {
		strcat(logged, msg);
		strcat(logged, "\n");
	}
}

static void setup(void)
{
	static const struct ata_chan ch[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};

	memset(&b, 0, sizeof(b));
	logged[0] = '\0';
	b.log = log_cb;
	ck_assert_msg(bus_open(&b, "sim", ch, 2) == 0, "%s", b.errmsg);
	sim = sim_from_bus(&b);
	ck_assert_ptr_nonnull(sim);
	ata_port_init(&ap, &b, &b.chans[1]);	/* the MediaTek drive is position 3 */
	ck_assert_int_eq(ata_dev_select(&ap, 0), 0);
}

static void teardown(void)
{
	if (b.ops)
		bus_close(&b);
}

/* Exactly one violation, described with want. */
static void one_violation(const char *want)
{
	ck_assert_msg(sim_violation_count(sim) == 1, "%u violations, first: %s", sim_violation_count(sim),
		      sim_violation_msg(sim, 0) ? sim_violation_msg(sim, 0) : "-");
	ck_assert_msg(strstr(sim_violation_msg(sim, 0), want), "'%s' not in '%s'", want,
		      sim_violation_msg(sim, 0));
}

START_TEST(test_correct_sequences_are_clean)
{
	uint16_t id[ATA_ID_WORDS];
	struct mtk m;
	uint8_t v;

	ck_assert_int_eq(ata_identify(&ap, 0, ATA_CMD_ID_ATAPI, id), 0);
	ck_assert_int_eq(mtk_intro(&m, TF_RAW(&ap), 0), 0);
	ck_assert_int_eq(mtk_read_byte(&m, 0, &v), 0);
	ck_assert_int_eq(v, 0x02);
	mtk_outro(&m);
	ck_assert_uint_eq(sim_violation_count(sim), 0);
	ck_assert_ptr_null(sim_violation_msg(sim, 0));
}
END_TEST

START_TEST(test_write_while_busy)
{
	ata_wr(&ap, ATA_REG_CMD, ATA_CMD_ID_ATAPI);
	ata_wr(&ap, ATA_REG_LBAM, 0x12);	/* BSY for the command's first microseconds */
	one_violation("lba mid register written (12h) at position 3 while BSY");
}
END_TEST

START_TEST(test_write_while_drq)
{
	uint8_t st;

	ata_exec_command(&ap, ATA_CMD_ID_ATAPI);
	ck_assert_int_eq(ata_wait_drq(&ap, ATA_TMO_CMD_DRQ, &st), 0);
	ata_wr(&ap, ATA_REG_NSECT, 1);		/* 512 bytes are still due */
	one_violation("sector count register written (01h) at position 3 while DRQ");
}
END_TEST

START_TEST(test_data_read_without_drq)
{
	bus_inw(&b, ATA_SECONDARY_CMD + ATA_REG_DATA);
	one_violation("data port read at position 3 without DRQ");
}
END_TEST

START_TEST(test_short_cdb)
{
	static const uint16_t tur[4];
	uint8_t st;

	ata_wr(&ap, ATA_REG_LBAM, 0xfe);
	ata_wr(&ap, ATA_REG_LBAH, 0xff);
	ata_exec_command(&ap, ATA_CMD_PACKET);
	ck_assert_int_eq(ata_wait_not_busy(&ap, ATA_TMO_CMD_DRQ, &st), 0);
	ck_assert(st & ATA_DRQ);
	bus_outsw(&b, ATA_SECONDARY_CMD + ATA_REG_DATA, tur, 4);	/* 8 of 12 bytes */
	ata_altstatus(&ap);
	one_violation("CDB of 8 bytes to position 3, which takes 12");
}
END_TEST

START_TEST(test_long_cdb)
{
	static const uint16_t tur[8];
	uint8_t st;

	ata_wr(&ap, ATA_REG_LBAM, 0xfe);
	ata_wr(&ap, ATA_REG_LBAH, 0xff);
	ata_exec_command(&ap, ATA_CMD_PACKET);
	ck_assert_int_eq(ata_wait_not_busy(&ap, ATA_TMO_CMD_DRQ, &st), 0);
	bus_outsw(&b, ATA_SECONDARY_CMD + ATA_REG_DATA, tur, 8);	/* 16 bytes */
	ck_assert_uint_ge(sim_violation_count(sim), 1);
	ck_assert_ptr_nonnull(strstr(sim_violation_msg(sim, 0), "CDB longer than 12 bytes to position 3"));
}
END_TEST

START_TEST(test_program_without_unlock)
{
	struct mtk m;

	ck_assert_int_eq(mtk_intro(&m, TF_RAW(&ap), 0), 0);
	ck_assert_int_eq(mtk_write_byte(&m, 0x1234, 0x00), 0);	/* no AA/55/A0 first */
	one_violation("flash chip of position 3: flash program without unlock: 00 at 001234");
	mtk_outro(&m);
}
END_TEST

/* The count goes on past the kept descriptions; cleanup logs each kept one and the rest as a number. */
START_TEST(test_logged_at_cleanup)
{
	for (int i = 0; i < SIM_MAX_VIOL + 3; i++)
		bus_inw(&b, ATA_SECONDARY_CMD + ATA_REG_DATA);
	ck_assert_uint_eq(sim_violation_count(sim), SIM_MAX_VIOL + 3);
	ck_assert_ptr_nonnull(sim_violation_msg(sim, SIM_MAX_VIOL - 1));
	ck_assert_ptr_null(sim_violation_msg(sim, SIM_MAX_VIOL));
	bus_close(&b);
	ck_assert_ptr_nonnull(strstr(logged, "sim: protocol violation: data port read at position 3 without DRQ\n"));
	ck_assert_ptr_nonnull(strstr(logged, "sim: protocol violation: ... and 3 more\n"));
}
END_TEST

/* A cable that loses one write in five cuts a CDB short: stderr says so, and tst_cli would fail on it. */
START_TEST(test_cli_reports_violation)
{
	struct tst_run *run = malloc(sizeof(*run));

	ck_assert_ptr_nonnull(run);
	tst_cli_expect_violation = 1;
	tst_cli(run, "-p fault:inner=sim,seed=1,drop=200000 identify 3");
	ck_assert_uint_ge(tst_violations(run), 1);
	ck_assert_msg(strstr(run->err, "odrescue: sim: protocol violation: CDB of 10 bytes to position 3, "
			     "which takes 12\n"), "%s", run->err);
	ck_assert_int_eq(tst_cli_expect_violation, 0);	/* one run only */
	tst_cli(run, "-p sim identify 3");
	ck_assert_uint_eq(tst_violations(run), 0);
	free(run);
}
END_TEST

Suite *suite_simproto(void)
{
	Suite *s = suite_create("simproto");
	TCase *tc = tcase_create("violations");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_correct_sequences_are_clean);
	tcase_add_test(tc, test_write_while_busy);
	tcase_add_test(tc, test_write_while_drq);
	tcase_add_test(tc, test_data_read_without_drq);
	tcase_add_test(tc, test_short_cdb);
	tcase_add_test(tc, test_long_cdb);
	tcase_add_test(tc, test_program_without_unlock);
	tcase_add_test(tc, test_logged_at_cleanup);
	tcase_add_test(tc, test_cli_reports_violation);
	suite_add_tcase(s, tc);
	return s;
}
