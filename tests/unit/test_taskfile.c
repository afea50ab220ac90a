/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * taskfile.h over the raw IDE registers, on the simulator: IDENTIFY through
 * exec() makes exactly the register accesses ata_identify() makes (the raw
 * path's behaviour and cost are unchanged); a non-data command gives back
 * the registers the drive left (the MediaTek byte read in LBA Low); an
 * aborted command is -EIO with Status and Error; only the raw path reads
 * registers without a command.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "hw/ata.h"
#include "hw/bus.h"
#include "hw/mtk.h"
#include "hw/taskfile.h"
#include "tests/tst.h"

#define MAX_TRACE	4096

struct access {
	enum bus_op op;
	uint16_t port;
	uint32_t val;
	size_t count;
};

static struct bus b;
static struct ata_port ap;
static struct access trace[MAX_TRACE];
static size_t ntrace;

static void trace_cb(void *ctx, enum bus_op op, uint16_t port, uint32_t val, size_t count)
{
	(void)ctx;
	if (ntrace < MAX_TRACE)
		trace[ntrace++] = (struct access){ op, port, val, count };
}

static void setup(void)
{
	static const struct ata_chan ch[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};

	memset(&b, 0, sizeof(b));
	ck_assert_msg(bus_open(&b, "sim", ch, 2) == 0, "%s", b.errmsg);
	ata_port_init(&ap, &b, &b.chans[1]);	/* the MediaTek drive is position 3 */
	ntrace = 0;
}

static void teardown(void)
{
	if (b.ops)
		bus_close(&b);
}

/* The same accesses, in the same order, with the same values: fails if exec() adds or drops one. */
START_TEST(test_identify_same_accesses)
{
	static struct access want[MAX_TRACE];
	uint16_t id1[ATA_ID_WORDS], id2[ATA_ID_WORDS];
	struct taskfile t;
	size_t nwant;

	/* One IDENTIFY first, so both compared runs start from the state a finished one leaves. */
	ck_assert_int_eq(ata_identify(&ap, 0, ATA_CMD_ID_ATAPI, id1), 0);
	b.trace = trace_cb;
	ck_assert_int_eq(ata_identify(&ap, 0, ATA_CMD_ID_ATAPI, id1), 0);
	nwant = ntrace;
	memcpy(want, trace, sizeof(want));
	ntrace = 0;
	taskfile_raw_init(&t, &ap);
	ck_assert_int_eq(tf_identify(&t, 0, ATA_CMD_ID_ATAPI, id2), 0);
	ck_assert_uint_eq(ntrace, nwant);
	for (size_t i = 0; i < nwant; i++)
		ck_assert_msg(trace[i].op == want[i].op && trace[i].port == want[i].port &&
			      trace[i].val == want[i].val && trace[i].count == want[i].count,
			      "access %zu: op %d port %x val %x, want op %d port %x val %x", i, trace[i].op,
			      trace[i].port, trace[i].val, want[i].op, want[i].port, want[i].val);
	ck_assert_mem_eq(id1, id2, sizeof(id1));
	ck_assert_uint_eq(id2[0] >> 14, 2);	/* ATAPI */
}
END_TEST

/* The vendor intro and a byte read as plain non-data commands: the byte comes back in LBA Low. */
START_TEST(test_nodata_result_registers)
{
	struct taskfile t;
	struct tf_cmd intro = { .regs = TF_LBAL, .tf = { .lbal = MTK_INTRO_KEY, .command = MTK_CMD_INTRO } };
	struct tf_cmd rd = { .regs = TF_LBAM | TF_LBAH | TF_DEVICE,
			     .tf = { .lbam = 0, .lbah = 0, .device = ATA_DEVICE_OBS, .command = MTK_CMD_READ } };

	taskfile_raw_init(&t, &ap);
	ck_assert_int_eq(tf_exec(&t, &intro), 0);
	ck_assert_uint_eq(intro.res.command, MTK_ST_PARALLEL);	/* 70h: DF set, no failure */
	ck_assert_int_eq(tf_exec(&t, &rd), 0);
	ck_assert_uint_eq(rd.res.command, MTK_ST_PARALLEL);
	ck_assert_uint_eq(rd.res.lbal, 0x02);	/* the simulated flash's first byte (test_simproto) */
}
END_TEST

/* IDENTIFY DEVICE to a packet device aborts: -EIO, ERR in Status, ABRT in Error. */
START_TEST(test_aborted)
{
	uint16_t id[ATA_ID_WORDS];
	struct taskfile t;
	struct tf_cmd c = { .tf.command = ATA_CMD_ID_ATA, .proto = TF_PIO_IN, .buf = id, .len = sizeof(id) };

	taskfile_raw_init(&t, &ap);
	ck_assert_int_eq(tf_exec(&t, &c), -EIO);
	ck_assert_uint_eq(c.res.command & ATA_ERR, ATA_ERR);
	ck_assert_uint_eq(c.res.feature & ATA_ABORTED, ATA_ABORTED);
	ck_assert_uint_eq(c.xfer, 0);
}
END_TEST

START_TEST(test_bad_length)
{
	uint16_t id[ATA_ID_WORDS];
	struct taskfile t;
	struct tf_cmd c = { .tf.command = ATA_CMD_ID_ATAPI, .proto = TF_PIO_IN, .buf = id, .len = 100 };

	taskfile_raw_init(&t, &ap);
	b.trace = trace_cb;
	ck_assert_int_eq(tf_exec(&t, &c), -EINVAL);
	ck_assert_uint_eq(ntrace, 0);	/* refused before any access */
}
END_TEST

/* Only the raw path reads the registers without a command: the signature after reset. */
START_TEST(test_regs_without_command)
{
	struct ata_reset_info ri;
	struct taskfile t;
	struct ata_tf tf;

	taskfile_raw_init(&t, &ap);
	ck_assert(t.ops->caps & TF_CAP_REGS);
	ck_assert_ptr_nonnull(t.ops->regs);
	ck_assert_int_eq(ata_softreset(&ap, &ri), 0);
	t.ops->regs(&t, &tf);
	ck_assert_int_eq(ata_classify(&tf), ATA_DEV_ATAPI);
}
END_TEST

Suite *suite_taskfile(void)
{
	Suite *s = suite_create("taskfile");
	TCase *tc = tcase_create("raw");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_identify_same_accesses);
	tcase_add_test(tc, test_nodata_result_registers);
	tcase_add_test(tc, test_aborted);
	tcase_add_test(tc, test_bad_length);
	tcase_add_test(tc, test_regs_without_command);
	suite_add_tcase(s, tc);
	return s;
}
