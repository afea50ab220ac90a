/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 32-bit data transfers (pio32=1, libata's ata_sff_data_xfer32) move the
 * same bytes as 16-bit ones in half the data port accesses: IDENTIFY
 * PACKET, a CDB, INQUIRY, and REQUEST SENSE whose 18 bytes end in a word
 * that must go 16-bit. Backends without 32-bit string I/O stay 16-bit.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "hw/ata.h"
#include "hw/atapi.h"
#include "hw/bus.h"
#include "hw/mmc.h"
#include "hw/scsi.h"
#include "tests/tst.h"

struct moved {
	size_t insw, outsw, insl, outsl;	/* units moved by each string op */
	size_t ops[BUS_OUTSL + 1];		/* calls of each op */
};

static void count_cb(void *ctx, enum bus_op op, uint16_t port, uint32_t val, size_t count)
{
	struct moved *m = ctx;

	(void)port;
	(void)val;
	m->ops[op]++;
	if (op == BUS_INSW || op == BUS_INW)
		m->insw += count;
	else if (op == BUS_OUTSW || op == BUS_OUTW)
		m->outsw += count;
	else if (op == BUS_INSL)
		m->insl += count;
	else if (op == BUS_OUTSL)
		m->outsl += count;
}

struct answers {
	uint16_t id[ATA_ID_WORDS];
	struct inquiry inq;
	struct scsi_sense sense;
	int tur;
	struct moved id_m, inq_m, sense_m;
	struct bus_stats stats;
};

/* IDENTIFY PACKET, INQUIRY and a TEST UNIT READY that fails (no disc) on the sim through spec. */
static void run(const char *spec, struct answers *a)
{
	static const struct ata_chan ch = { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL };
	struct atapi_dev ad;
	struct ata_port ap;
	struct bus b;
	struct pt pt;

	memset(&b, 0, sizeof(b));
	memset(a, 0, sizeof(*a));
	ck_assert_msg(bus_open(&b, spec, &ch, 1) == 0, "%s: %s", spec, b.errmsg);
	b.trace = count_cb;
	ata_port_init(&ap, &b, &b.chans[0]);
	b.ctx = &a->id_m;
	ck_assert_int_eq(ata_identify(&ap, 0, ATA_CMD_ID_ATAPI, a->id), 0);
	atapi_pt_init(&pt, &ad, &ap, 0);
	b.ctx = &a->inq_m;
	ck_assert_int_eq(mmc_inquiry(&pt, &a->inq), 0);
	b.ctx = &a->sense_m;
	a->tur = mmc_test_unit_ready(&pt, &a->sense);
	a->stats = b.stats;
	bus_close(&b);
}

START_TEST(test_same_bytes_fewer_accesses)
{
	static struct answers w16, w32;

	run("sim:pio32=0", &w16);
	run("sim", &w32);	/* the simulated PCI controller takes dwords by default */
	ck_assert_mem_eq(w16.id, w32.id, sizeof(w16.id));
	ck_assert_str_eq(w16.inq.product, "DVDRW SOHW-1653S");
	ck_assert_mem_eq(&w16.inq, &w32.inq, sizeof(w16.inq));
	ck_assert_int_eq(w16.tur, -EIO);
	ck_assert_int_eq(w32.tur, -EIO);
	ck_assert(w32.sense.valid);
	ck_assert_int_eq(w32.sense.key, 0x2);
	ck_assert_mem_eq(&w16.sense, &w32.sense, sizeof(w16.sense));
	ck_assert_uint_eq(w16.stats.bytes_in, w32.stats.bytes_in);
	ck_assert_uint_eq(w16.stats.bytes_out, w32.stats.bytes_out);

	/* 16-bit: no dword at all. */
	ck_assert_uint_eq(w16.id_m.insw, 256);
	ck_assert_uint_eq(w16.id_m.insl + w16.inq_m.insl + w16.sense_m.insl, 0);
	ck_assert_uint_eq(w16.inq_m.outsl + w16.sense_m.outsl, 0);
	/* 32-bit: IDENTIFY is 128 dwords in one rep insl; the 12-byte CDB 3 dwords. */
	ck_assert_uint_eq(w32.id_m.insl, 128);
	ck_assert_uint_eq(w32.id_m.insw, 0);
	ck_assert_uint_eq(w32.id_m.ops[BUS_INSL], 1);
	ck_assert_uint_eq(w32.inq_m.outsl, 3);
	ck_assert_uint_eq(w32.inq_m.outsw, 0);
	ck_assert_uint_eq(w32.inq_m.insl * 2 + w32.inq_m.insw, w16.inq_m.insw);
	ck_assert_uint_eq(w32.inq_m.insw, 0);
	/* TUR's CDB, then REQUEST SENSE: 18 bytes = 4 dwords and the last word 16-bit. */
	ck_assert_uint_eq(w32.sense_m.outsl, 6);
	ck_assert_uint_eq(w32.sense_m.insl, 4);
	ck_assert_uint_eq(w32.sense_m.insw, 1);
	/* Every data dword saves one access. */
	ck_assert_uint_eq(w16.stats.reads - w32.stats.reads, w32.id_m.insl + w32.inq_m.insl + w32.sense_m.insl);
	ck_assert_uint_eq(w16.stats.writes - w32.stats.writes, w32.inq_m.outsl + w32.sense_m.outsl);
}
END_TEST

/* pio32= takes 0 or 1; the fault wrapper has no 32-bit string I/O and moves words. */
START_TEST(test_param_and_fallback)
{
	static const struct ata_chan ch = { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL };
	static struct answers a;
	struct bus b;

	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(bus_open(&b, "sim:pio32=2", &ch, 1), -EINVAL);
	ck_assert_str_eq(b.errmsg, "pio32=2: 1 moves data in 32-bit units, 0 in 16-bit ones");
	ck_assert_int_eq(bus_open(&b, "sim:pio32=", &ch, 1), -EINVAL);
	ck_assert_int_eq(bus_open(&b, "fault:pio32=1", &ch, 1), -EINVAL);
	ck_assert_msg(strstr(b.errmsg, "unknown parameter 'pio32'"), "%s", b.errmsg);
	ck_assert_int_eq(bus_open(&b, "sim:pio32=1", &ch, 1), 0);
	ck_assert_int_eq(b.pio32, 1);
	bus_close(&b);
	ck_assert_int_eq(bus_open(&b, "fault", &ch, 1), 0);
	ck_assert_int_eq(b.pio32, 0);
	bus_close(&b);
	run("fault", &a);
	ck_assert_uint_eq(a.id_m.insl + a.inq_m.insl + a.sense_m.insl, 0);
	ck_assert_uint_eq(a.id_m.insw, 256);
	ck_assert_str_eq(a.inq.product, "DVDRW SOHW-1653S");
}
END_TEST

Suite *suite_pio32(void)
{
	Suite *s = suite_create("pio32");
	TCase *tc = tcase_create("sim");

	tcase_add_test(tc, test_same_bytes_fewer_accesses);
	tcase_add_test(tc, test_param_and_fallback);
	suite_add_tcase(s, tc);
	return s;
}
