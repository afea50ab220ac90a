/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user-space AHCI port (hw/ahci.c) against QEMU's ICH9 AHCI on q35
 * through -p ahci:qtest=: drives on several ports, signatures, IDENTIFY
 * PACKET through the taskfile interface, INQUIRY and READ(10) through the
 * packet one (compared byte for byte with the image), an aborted vendor
 * command (80h, TFES) recovered by the port restart, and the CLI's scan
 * and identify on pN. Expected values: QEMU 7.2 as measured in
 * reference/sata-ahci.md (CD signature EB140101, 80h aborted with TFD 441h).
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/ahci.h"
#include "hw/ahci_io.h"
#include "hw/ata_id.h"
#include "hw/mmc.h"
#include "hw/scsi.h"
#include "hw/taskfile.h"
#include "src/exitcodes.h"
#include "tests/qtest/qemu.h"
#include "tests/tst.h"

#define QT_TEST_TMO_S	60

static struct qemu qm;
static struct ahci_io io;
static struct ahci hba;
static int skip, opened;
static struct tst_run r;

/* A disk at p0, the CD with its disc at p2, an empty CD-ROM at p5; p1, p3, p4 empty. */
static const enum qemu_slot layout_a[6] = { QEMU_DISK, QEMU_NONE, QEMU_CD, QEMU_NONE, QEMU_NONE, QEMU_CD_EMPTY };
/* The CD alone at p4. */
static const enum qemu_slot layout_b[6] = { QEMU_NONE, QEMU_NONE, QEMU_NONE, QEMU_NONE, QEMU_CD, QEMU_NONE };

static void start(const enum qemu_slot *slots, int open_hba)
{
	struct ahci_qtest_cfg cfg = { .bdf = AHCI_QTEST_BDF, .bar = AHCI_QTEST_BAR, .mem = AHCI_QTEST_MEM };
	int ret;

	memset(&qm, 0, sizeof(qm));
	opened = 0;
	skip = !qemu_available();
	if (skip)
		return;
	qm.machine = "q35";
	ret = qemu_start_n(&qm, slots, 6);
	ck_assert_msg(!ret, "qemu_start: %s", strerror(-ret));
	if (!open_hba)
		return;
	cfg.socket = qm.sock;
	ret = ahci_qtest_open(&io, &cfg);
	ck_assert_msg(!ret, "ahci_qtest_open: %s", io.errmsg);
	ret = ahci_open(&hba, &io);
	ck_assert_msg(!ret, "ahci_open: %s", strerror(-ret));
	opened = 1;
}

static void setup_a(void)
{
	start(layout_a, 1);
}

static void setup_a_cli(void)
{
	start(layout_a, 0);
}

static void setup_b_cli(void)
{
	start(layout_b, 0);
}

static void teardown(void)
{
	if (opened)
		ahci_close(&hba);
	opened = 0;
	qemu_stop(&qm);
}

#define NEED_QEMU() do { if (skip && qemu_skip(__func__)) return; } while (0)

/* ICH9 AHCI: six ports, 32 slots (CAP c0141f05 as measured); PI names six. */
START_TEST(test_hba)
{
	NEED_QEMU();
	ck_assert_uint_eq(hba.nports, 6);
	ck_assert_uint_eq(hba.pi, 0x3f);
	ck_assert_uint_eq(hba.cap >> HOST_CAP_NCS_SHIFT & 0x1f, 31);
	ck_assert(hba.cap & HOST_CAP_64);
}
END_TEST

/* Link and signature on each port: disk 00000101, CD EB140101, nothing on the empty ports. */
START_TEST(test_ports)
{
	static const int want_det[6] = { 3, 0, 3, 0, 0, 3 };
	static const enum ata_class want_class[6] = { ATA_DEV_ATA, ATA_DEV_NONE, ATA_DEV_ATAPI, ATA_DEV_NONE,
						      ATA_DEV_NONE, ATA_DEV_ATAPI };

	NEED_QEMU();
	for (int i = 0; i < 6; i++) {
		struct ahci_link l;
		struct ata_tf tf;
		int ret = ahci_port_start(&hba.port[i]);

		ahci_link(&hba.port[i], &l);
		ck_assert_msg(l.det == want_det[i], "p%d: DET %d", i, l.det);
		if (want_det[i] != 3) {
			ck_assert_int_eq(ret, -ENODEV);
			continue;
		}
		ck_assert_msg(ret == 0, "p%d: start %d", i, ret);
		ahci_sig_tf(l.sig, &tf);
		ck_assert_msg(ata_classify(&tf) == want_class[i], "p%d: signature %08x", i, l.sig);
	}
}
END_TEST

/* IDENTIFY PACKET through taskfile.h on p2: "QEMU DVD-ROM"; IDENTIFY DEVICE aborts (-EIO, ABRT). */
START_TEST(test_identify_packet)
{
	uint16_t id[ATA_ID_WORDS];
	struct ata_id_info in;
	struct taskfile t;
	struct tf_cmd c = { .tf.command = ATA_CMD_ID_ATA, .proto = TF_PIO_IN, .buf = id, .len = sizeof(id) };

	NEED_QEMU();
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	taskfile_ahci_init(&t, &hba.port[2]);
	ck_assert(!(t.ops->caps & TF_CAP_REGS));
	ck_assert_int_eq(tf_identify(&t, 0, ATA_CMD_ID_ATAPI, id), 0);
	ck_assert_int_eq(ata_id_decode(id, &in), 0);
	ck_assert(in.packet);
	ck_assert_str_eq(in.model, "QEMU DVD-ROM");
	ck_assert_int_eq(tf_exec(&t, &c), -EIO);
	ck_assert_uint_eq(c.res.command & ATA_ERR, ATA_ERR);
	ck_assert_uint_eq(c.res.feature & ATA_ABORTED, ATA_ABORTED);
	/* The port came back after TFES: the next command works. */
	ck_assert_int_eq(tf_identify(&t, 0, ATA_CMD_ID_ATAPI, id), 0);
	/* The disk at p0 answers IDENTIFY DEVICE. */
	ck_assert_int_eq(ahci_port_start(&hba.port[0]), 0);
	taskfile_ahci_init(&t, &hba.port[0]);
	ck_assert_int_eq(tf_identify(&t, 0, ATA_CMD_ID_ATA, id), 0);
	ck_assert_int_eq(ata_id_decode(id, &in), 0);
	ck_assert(!in.packet);
	ck_assert_str_eq(in.model, "QEMU HARDDISK");
}
END_TEST

/* PACKET INQUIRY on p2, and READ(10) of the whole image in commands of 16 and 29 sectors. */
START_TEST(test_inquiry_read10)
{
	static uint8_t buf[AHCI_XFER_MAX], want[2048];
	struct inquiry inq;
	struct pt pt;

	NEED_QEMU();
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	ahci_pt_init(&pt, &hba.port[2]);
	ck_assert_int_eq(mmc_inquiry(&pt, &inq), 0);
	ck_assert_str_eq(inq.vendor, "QEMU    ");
	ck_assert_str_eq(inq.product, "QEMU DVD-ROM    ");
	for (int blocks = 16; blocks <= 29; blocks += 13) {
		for (uint32_t lba = 0; lba < QEMU_CD_SECTORS; lba += (uint32_t)blocks) {
			uint16_t n = (uint16_t)(QEMU_CD_SECTORS - lba < (uint32_t)blocks ? QEMU_CD_SECTORS - lba : (uint32_t)blocks);

			memset(buf, 0xee, sizeof(buf));
			ck_assert_msg(mmc_read10(&pt, lba, n, buf, 2048u * n) == 0, "READ(10) lba %u", lba);
			for (uint16_t i = 0; i < n; i++) {
				qemu_cd_sector(lba + i, want);
				ck_assert_msg(!memcmp(buf + 2048u * i, want, 2048), "lba %u differs", lba + i);
			}
		}
	}
}
END_TEST

/*
 * The MediaTek intro (80h, Sector Number 2Ah) as a non-data taskfile
 * command: QEMU aborts it (TFD 441h, TFES, slot left pending); the port is
 * restarted and the drive answers the next command.
 */
START_TEST(test_vendor_aborted_recovered)
{
	struct tf_cmd c = { .regs = TF_LBAL, .tf = { .lbal = 0x2a, .command = 0x80 } };
	struct inquiry inq;
	struct taskfile t;
	struct pt pt;

	NEED_QEMU();
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	taskfile_ahci_init(&t, &hba.port[2]);
	ck_assert_int_eq(tf_exec(&t, &c), -EIO);
	ck_assert_uint_eq(c.res.command, 0x41);
	ck_assert_uint_eq(c.res.feature, 0x04);
	ck_assert_uint_eq(c.res.lbal, 0x2a);	/* the D2H FIS gives the registers back */
	ck_assert_uint_eq(ahci_port_rd(&hba.port[2], PORT_CMD_ISSUE), 0);
	ck_assert(ahci_port_rd(&hba.port[2], PORT_CMD) & PORT_CMD_START);
	ahci_pt_init(&pt, &hba.port[2]);
	ck_assert_int_eq(mmc_inquiry(&pt, &inq), 0);
	ck_assert_str_eq(inq.product, "QEMU DVD-ROM    ");
}
END_TEST

/* TEST UNIT READY on the empty CD-ROM at p5: CHECK CONDITION, the sense fetched: NOT READY, 3Ah. */
START_TEST(test_sense_no_medium)
{
	struct scsi_sense s;
	struct pt pt;

	NEED_QEMU();
	ck_assert_int_eq(ahci_port_start(&hba.port[5]), 0);
	ahci_pt_init(&pt, &hba.port[5]);
	ck_assert_int_eq(mmc_test_unit_ready(&pt, &s), -EIO);
	ck_assert_uint_eq(s.key, NOT_READY);
	ck_assert_uint_eq(s.asc, 0x3a);
}
END_TEST

/* COMRESET brings the link back up with the CD's signature. */
START_TEST(test_comreset)
{
	struct ahci_link l;

	NEED_QEMU();
	ck_assert_int_eq(ahci_comreset(&hba.port[2]), 0);
	ck_assert_int_eq(ahci_port_start(&hba.port[2]), 0);
	ahci_link(&hba.port[2], &l);
	ck_assert_int_eq(l.det, 3);
	ck_assert_uint_eq(l.sig, 0xeb140101);
	ck_assert_int_eq(ahci_comreset(&hba.port[1]), -ENODEV);
}
END_TEST

/* The CLI's scan --json lists each port with its device, for two layouts. */
static void check_scan_json(const char *const want[6])
{
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s scan --json", qm.sock), EXIT_OK);
	for (int i = 0; i < 6; i++) {
		char key[32];
		const char *at, *next;

		snprintf(key, sizeof(key), "\"position\": \"p%d\"", i);
		at = strstr(r.out, key);
		ck_assert_msg(at, "no p%d in %s", i, r.out);
		snprintf(key, sizeof(key), "\"position\": \"p%d\"", i + 1);
		next = strstr(r.out, key);
		ck_assert_msg(strstr(at, want[i]) && (!next || strstr(at, want[i]) < next),
			      "p%d is not %s: %s", i, want[i], r.out);
	}
	ck_assert_ptr_null(strstr(r.out, "\"p6\""));
}

START_TEST(test_cli_scan_a)
{
	static const char *const want[6] = {
		"\"model\": \"QEMU HARDDISK\"", "\"class\": \"none\"", "\"medium\": \"present\"",
		"\"class\": \"none\"", "\"class\": \"none\"", "\"medium\": \"absent\"",
	};

	NEED_QEMU();
	check_scan_json(want);
	ck_assert_ptr_nonnull(strstr(r.out, "\"signature\": \"0xeb140101\""));
	ck_assert_ptr_nonnull(strstr(r.out, "\"found\": 3"));
	/* Text: one line per port, the CD's INQUIRY on p2's. */
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s scan", qm.sock), EXIT_OK);
	ck_assert_msg(strstr(r.out, "p2   link up 1.5 Gbps  ATAPI CD/DVD 'QEMU DVD-ROM'"), "%s", r.out);
}
END_TEST

START_TEST(test_cli_scan_b)
{
	static const char *const want[6] = {
		"\"class\": \"none\"", "\"class\": \"none\"", "\"class\": \"none\"",
		"\"class\": \"none\"", "\"medium\": \"present\"", "\"class\": \"none\"",
	};

	NEED_QEMU();
	check_scan_json(want);
	ck_assert_ptr_nonnull(strstr(r.out, "\"found\": 1"));
}
END_TEST

/* identify pN: IDENTIFY PACKET and INQUIRY of the CD; an empty port is exit 2; wrong uses exit 1. */
START_TEST(test_cli_identify)
{
	NEED_QEMU();
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s identify p2", qm.sock), EXIT_OK);
	ck_assert_msg(strstr(r.out, "Position p2 (SATA port 2)"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "INQUIRY          vendor 'QEMU    ' product 'QEMU DVD-ROM    '"), "%s", r.out);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s identify p2 --json", qm.sock), EXIT_OK);
	ck_assert_msg(strstr(r.out, "\"position\": \"p2\"") && strstr(r.out, "\"packet\": true"), "%s", r.out);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s identify p1", qm.sock), EXIT_NODEV);
	ck_assert_msg(strstr(r.err, "p1: no device"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s identify p6", qm.sock), EXIT_NODEV);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s identify 3", qm.sock), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "identify p2"), EXIT_USAGE);
	ck_assert_msg(strstr(r.err, "-p ahci"), "%s", r.err);
	/* the image is checked before the controller is touched */
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s rescue p2 x.bin --yes", qm.sock), EXIT_BADFILE);
	ck_assert_msg(strstr(r.err, "x.bin"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s,bogus=1 scan", qm.sock), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s identify p32", qm.sock), EXIT_USAGE);
}
END_TEST

/*
 * The vendor commands on QEMU's ports: its DVD-ROM aborts the intro (80h,
 * TFES; the port restarted) and answers IDENTIFY PACKET, so chip names it
 * a drive that is not MediaTek's; its disk gets no vendor command at all.
 */
START_TEST(test_cli_vendor_refused)
{
	char *dir;

	NEED_QEMU();
	dir = tst_mkdtemp();
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s chip p2", qm.sock), EXIT_DEVERR);
	ck_assert_msg(strstr(r.err, "refuses the MediaTek vendor command (status 41h)"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s dump p0 %s", qm.sock, tst_path(dir, "x.bin")), EXIT_REFUSED);
	ck_assert_msg(strstr(r.err, "holds an ATA disk"), "%s", r.err);
	ck_assert_int_eq(access(tst_path(dir, "x.bin"), F_OK), -1);	/* a refused dump leaves no file */
	tst_rmdir(dir);
	free(dir);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s chip p1", qm.sock), EXIT_NODEV);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s identify p2", qm.sock), EXIT_OK);	/* still answering */
}
END_TEST

/* A pc machine has no AHCI function at 00:1f.2: refused with the reason, nothing touched. */
START_TEST(test_cli_not_ahci)
{
	NEED_QEMU();
	ck_assert_int_eq(tst_cli(&r, "-p ahci:qtest=%s,bdf=00:01.1 scan", qm.sock), EXIT_NODEV);
	ck_assert_msg(strstr(r.err, "not an AHCI controller"), "%s", r.err);
}
END_TEST

static TCase *tc(const char *name, void (*setup)(void))
{
	TCase *t = tcase_create(name);

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, QT_TEST_TMO_S);
	return t;
}

Suite *suite_qtest_ahci(void)
{
	Suite *s = suite_create("qtest_ahci");
	TCase *t;

	t = tc("hba", setup_a);
	tcase_add_test(t, test_hba);
	tcase_add_test(t, test_ports);
	tcase_add_test(t, test_identify_packet);
	tcase_add_test(t, test_inquiry_read10);
	tcase_add_test(t, test_vendor_aborted_recovered);
	tcase_add_test(t, test_sense_no_medium);
	tcase_add_test(t, test_comreset);
	suite_add_tcase(s, t);

	t = tc("cli", setup_a_cli);
	tcase_add_test(t, test_cli_scan_a);
	tcase_add_test(t, test_cli_identify);
	tcase_add_test(t, test_cli_not_ahci);
	tcase_add_test(t, test_cli_vendor_refused);
	suite_add_tcase(s, t);

	t = tc("cli_b", setup_b_cli);
	tcase_add_test(t, test_cli_scan_b);
	suite_add_tcase(s, t);
	return s;
}
