/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decoders: IDENTIFY strings and modes, sense data, signatures, status bits. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ata.h"
#include "hw/ata_id.h"
#include "hw/scsi.h"
#include "tests/tst.h"

/* Put s into id[] the way a device does: two chars a word, first char in the high byte. */
static void put_str(uint16_t *id, int ofs, const char *s, int len)
{
	char buf[64];

	memset(buf, ' ', sizeof(buf));
	memcpy(buf, s, strlen(s));
	for (int i = 0; i < len; i += 2)
		id[ofs + i / 2] = (uint16_t)((uint8_t)buf[i] << 8 | (uint8_t)buf[i + 1]);
}

/* A captured QEMU IDENTIFY PACKET DEVICE answer if the qtest tier saved one, else QEMU's known words. */
static void qemu_identify(uint16_t *id)
{
	size_t len;
	void *cap = tst_read_file("tests/data/qemu-identify-packet.bin", &len);

	if (cap && len == 512) {
		memcpy(id, cap, 512);
		free(cap);
		return;
	}
	free(cap);
	memset(id, 0, 512);
	id[0] = 0x85c0;
	put_str(id, ATA_ID_SERNO, "QM00003", 20);
	put_str(id, ATA_ID_FW_REV, "2.5+", 8);
	put_str(id, ATA_ID_PROD, "QEMU DVD-ROM", 40);
	id[49] = 0x0300;
	id[53] = 0x0007;
	id[63] = 0x0007;
	id[64] = 0x0003;
	id[68] = 0x00b4;
	id[80] = 0x001e;
	id[88] = 0x003f;
}

START_TEST(test_identify_packet_qemu)
{
	uint16_t id[256];
	struct ata_id_info in;

	qemu_identify(id);
	ck_assert_int_eq(ata_id_decode(id, &in), 0);
	ck_assert(in.packet);
	ck_assert_int_eq(in.devtype, 5);
	ck_assert(in.removable);
	ck_assert_int_eq(in.cdb_len, 12);
	ck_assert_str_eq(in.model, "QEMU DVD-ROM");
	ck_assert_str_eq(in.fw_rev, "2.5+");
	ck_assert_str_eq(in.serial, "QM00003");
	ck_assert_int_eq(in.pio_max, 4);
	ck_assert_int_eq(in.major, 4);
}
END_TEST

/* Word 53 bit 1 clear: words 64-70 must be ignored, PIO 3/4 not claimed. */
START_TEST(test_identify_validity_bits)
{
	uint16_t id[256] = { 0 };
	struct ata_id_info in;

	id[0] = 0x0040;		/* ATA, fixed */
	id[51] = 0x0200;	/* PIO 2 */
	id[64] = 0x0003;
	id[88] = 0x007f;	/* but word 53 bit 2 clear */
	put_str(id, ATA_ID_PROD, "OLD DISK", 40);
	ck_assert_int_eq(ata_id_decode(id, &in), 0);
	ck_assert(!in.packet);
	ck_assert_int_eq(in.pio_max, 2);
	ck_assert_int_eq(in.udma_max, -1);
	ck_assert_str_eq(in.model, "OLD DISK");
	memset(id, 0xff, sizeof(id));
	ck_assert_int_eq(ata_id_decode(id, &in), -EPROTO);
	memset(id, 0, sizeof(id));
	ck_assert_int_eq(ata_id_decode(id, &in), -EPROTO);
}
END_TEST

START_TEST(test_id_string_nonprintable)
{
	uint16_t id[4] = { 0x4100, 0x4201, 0x2020, 0x2020 };
	char out[9];

	ata_id_string(id, 0, 8, out);
	ck_assert_str_eq(out, "A B.");	/* NUL shown as space, 01h as '.', padding cut */
}
END_TEST

START_TEST(test_sense_fixed_and_descriptor)
{
	uint8_t fixed[18] = { 0xf0, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3a, 0x01 };
	uint8_t desc[8] = { 0x72, 0x05, 0x24, 0x00 };
	struct scsi_sense s;
	char buf[128];

	scsi_sense_parse(&s, fixed, sizeof(fixed));
	ck_assert(s.valid);
	ck_assert_int_eq(s.key, NOT_READY);
	ck_assert_int_eq(s.asc, 0x3a);
	ck_assert_int_eq(s.ascq, 0x01);
	ck_assert_str_eq(scsi_sense_str(&s, buf, sizeof(buf)),
			 "NOT READY, MEDIUM NOT PRESENT - TRAY CLOSED (2/3a/01)");
	scsi_sense_parse(&s, desc, sizeof(desc));
	ck_assert(s.valid);
	ck_assert_int_eq(s.key, ILLEGAL_REQUEST);
	ck_assert_str_eq(scsi_sense_str(&s, buf, sizeof(buf)), "ILLEGAL REQUEST, INVALID FIELD IN CDB (5/24/00)");
	fixed[0] = 0x00;
	scsi_sense_parse(&s, fixed, sizeof(fixed));
	ck_assert(!s.valid);
	scsi_sense_parse(&s, fixed, 0);
	ck_assert(!s.valid);
}
END_TEST

/* The signatures of ata-register.md 2.3 and the presence rules of 2.4 (QEMU rows of 6.1). */
START_TEST(test_classify)
{
	struct ata_tf disk = { .feature = 0x01, .nsect = 1, .lbal = 1, .command = 0x50 };
	struct ata_tf cd = { .feature = 0x01, .nsect = 1, .lbal = 1, .lbam = 0x14, .lbah = 0xeb, .command = 0x00 };
	struct ata_tf absent = { .feature = 0x00, .nsect = 1, .lbal = 1, .lbam = 0xff, .lbah = 0xff };
	struct ata_tf empty = { 0 };
	struct ata_tf floating = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	ck_assert_int_eq(ata_dev_classify(&disk, 0, 1), ATA_DEV_ATA);
	ck_assert_int_eq(ata_dev_classify(&cd, 0, 1), ATA_DEV_ATAPI);	/* status 00h is not "absent" */
	ck_assert_int_eq(ata_dev_classify(&absent, 1, 1), ATA_DEV_NONE);
	ck_assert_int_eq(ata_dev_classify(&empty, 0, 1), ATA_DEV_NONE);	/* empty PIIX channel */
	ck_assert_int_eq(ata_dev_classify(&floating, 0, 1), ATA_DEV_NONE);
	cd.feature = 0x81;
	ck_assert_int_eq(ata_dev_classify(&cd, 0, 1), ATA_DEV_ATAPI);
	ck_assert_int_eq(ata_classify(&(struct ata_tf){ .lbam = 0x69, .lbah = 0x96 }), ATA_DEV_PMP);
	ck_assert_int_eq(ata_classify(&(struct ata_tf){ .lbam = 0x3c, .lbah = 0xc3 }), ATA_DEV_SEMB);
	ck_assert_int_eq(ata_classify(&(struct ata_tf){ .lbam = 0x12, .lbah = 0x34 }), ATA_DEV_UNKNOWN);
}
END_TEST

START_TEST(test_status_strings)
{
	char buf[64];

	ck_assert_str_eq(ata_status_str(0x58, buf, sizeof(buf)), "DRDY DSC DRQ");
	ck_assert_str_eq(ata_status_str(0x41, buf, sizeof(buf)), "DRDY ERR");
	ck_assert_str_eq(ata_status_str(0xd0, buf, sizeof(buf)), "BSY (other bits invalid)");
	ck_assert_str_eq(ata_error_str(0x04, 0, buf, sizeof(buf)), "ABRT");
	ck_assert_str_eq(ata_error_str(0x54, 1, buf, sizeof(buf)), "sense key 5 ABRT");
	ck_assert_str_eq(ata_diag_str(0x81), "device 0 passed, device 1 failed");
}
END_TEST

Suite *suite_decode(void)
{
	Suite *s = suite_create("decode");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, test_identify_packet_qemu);
	tcase_add_test(tc, test_identify_validity_bits);
	tcase_add_test(tc, test_id_string_nonprintable);
	tcase_add_test(tc, test_sense_fixed_and_descriptor);
	tcase_add_test(tc, test_classify);
	tcase_add_test(tc, test_status_strings);
	suite_add_tcase(s, tc);
	return s;
}
