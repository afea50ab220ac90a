/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SG_IO packet transport against a fake kernel: every status, host, driver and sense combination. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <scsi/sg.h>

#include "hw/mmc.h"
#include "hw/pt_sgio.h"
#include "hw/scsi.h"

#define FAKE_FD 7

/* What the fake kernel answers next, and what it saw. */
static struct {
	int open_ret;		/* fd or -errno */
	int open_flags;
	const char *open_path;
	int version_ret;	/* SG_GET_VERSION_NUM: 0 or -errno */
	int version;
	int closes;
	int sgio_ret;		/* SG_IO ioctl: 0 or -errno */
	/* answer */
	uint8_t status;
	uint16_t host_status, driver_status;
	uint8_t sense[32];
	unsigned sense_len;
	uint8_t data[512];
	unsigned data_len;	/* bytes copied to a data-in buffer */
	int resid;
	/* seen */
	struct sg_io_hdr seen;
	uint8_t seen_cdb[16];
	uint8_t seen_out[512];
} fk;

static int fake_open(const char *path, int flags)
{
	fk.open_path = path;
	fk.open_flags = flags;
	return fk.open_ret;
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	struct sg_io_hdr *h = arg;

	ck_assert_int_eq(fd, FAKE_FD);
	if (req == SG_GET_VERSION_NUM) {
		if (!fk.version_ret)
			*(int *)arg = fk.version;
		return fk.version_ret;
	}
	ck_assert_uint_eq(req, SG_IO);
	fk.seen = *h;
	memcpy(fk.seen_cdb, h->cmdp, h->cmd_len);
	if (fk.sgio_ret)
		return fk.sgio_ret;
	if (h->dxfer_direction == SG_DXFER_TO_DEV)
		memcpy(fk.seen_out, h->dxferp, h->dxfer_len < sizeof(fk.seen_out) ? h->dxfer_len : sizeof(fk.seen_out));
	if (h->dxfer_direction == SG_DXFER_FROM_DEV)
		memcpy(h->dxferp, fk.data, fk.data_len < h->dxfer_len ? fk.data_len : h->dxfer_len);
	h->status = fk.status;
	h->masked_status = (uint8_t)((fk.status >> 1) & 0x7f);
	h->host_status = fk.host_status;
	h->driver_status = fk.driver_status;
	h->resid = fk.resid;
	h->sb_len_wr = (uint8_t)(fk.sense_len < h->mx_sb_len ? fk.sense_len : h->mx_sb_len);
	memcpy(h->sbp, fk.sense, h->sb_len_wr);
	h->info = (fk.status || fk.host_status || fk.driver_status) ? SG_INFO_CHECK : SG_INFO_OK;
	return 0;
}

static int fake_close(int fd)
{
	ck_assert_int_eq(fd, FAKE_FD);
	fk.closes++;
	return 0;
}

static const struct sgio_sys fake_sys = { fake_open, fake_ioctl, fake_close };

static struct pt pt;

static void fk_reset(void)
{
	memset(&fk, 0, sizeof(fk));
	fk.open_ret = FAKE_FD;
	fk.version = 30536;
}

static void setup(void)
{
	fk_reset();
	ck_assert_int_eq(sgio_open(&pt, "/dev/sr0", 0, &fake_sys), 0);
}

static void teardown(void)
{
	if (pt.ops)
		pt.ops->close(&pt);
	ck_assert_int_eq(fk.closes, 1);
}

static void fixed_sense(uint8_t key, uint8_t asc, uint8_t ascq)
{
	memset(fk.sense, 0, sizeof(fk.sense));
	fk.sense[0] = 0x70;
	fk.sense[2] = key;
	fk.sense[7] = 10;
	fk.sense[12] = asc;
	fk.sense[13] = ascq;
	fk.sense_len = 18;
}

static void desc_sense(uint8_t key, uint8_t asc, uint8_t ascq)
{
	memset(fk.sense, 0, sizeof(fk.sense));
	fk.sense[0] = 0x72;
	fk.sense[1] = key;
	fk.sense[2] = asc;
	fk.sense[3] = ascq;
	fk.sense_len = 8;
}

static int run_tur(struct pt_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->cdb_len = 6;
	c->dir = PT_NONE;
	return pt_exec(&pt, c);
}

START_TEST(test_open_ok_flags)
{
	ck_assert_str_eq(fk.open_path, "/dev/sr0");
	ck_assert_int_eq(fk.open_flags & O_ACCMODE, O_RDONLY);
	ck_assert(fk.open_flags & O_NONBLOCK);
	ck_assert(!(fk.open_flags & O_EXCL));
	ck_assert_int_eq(sgio_version(&pt), 30536);
	ck_assert_str_eq(pt.ops->name, "sg");
}
END_TEST

START_TEST(test_open_excl)
{
	struct pt p2;

	ck_assert_int_eq(sgio_open(&p2, "/dev/sr1", SGIO_EXCL, &fake_sys), 0);
	ck_assert_int_eq(fk.open_flags & O_ACCMODE, O_RDWR);
	ck_assert(fk.open_flags & O_EXCL);
	ck_assert(fk.open_flags & O_NONBLOCK);
	p2.ops->close(&p2);
	fk.closes = 0;		/* teardown counts only the fixture's close */
}
END_TEST

START_TEST(test_open_errors)
{
	static const struct { int open_ret, version_ret, version, want; const char *msg; } t[] = {
		{ -EPERM, 0, 30536, -EPERM, "permission denied" },
		{ -EACCES, 0, 30536, -EPERM, "permission denied" },
		{ -ENOENT, 0, 30536, -ENODEV, "no such device" },
		{ -ENXIO, 0, 30536, -ENODEV, "no such device" },
		{ -EBUSY, 0, 30536, -EBUSY, "in use" },
		{ FAKE_FD, -ENOTTY, 0, -ENODEV, "not a SCSI generic device" },
		{ FAKE_FD, -EINVAL, 0, -ENODEV, "not a SCSI generic device" },
		{ FAKE_FD, 0, 20134, -ENODEV, "older than sg v3" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct pt p2;
		int ret;

		fk_reset();
		fk.open_ret = t[i].open_ret;
		fk.version_ret = t[i].version_ret;
		fk.version = t[i].version;
		ret = sgio_open(&p2, "/dev/sg3", 0, &fake_sys);
		ck_assert_msg(ret == t[i].want, "case %zu: %d, want %d", i, ret, t[i].want);
		ck_assert_msg(strstr(p2.errmsg, t[i].msg), "case %zu: '%s'", i, p2.errmsg);
		ck_assert_msg(strstr(p2.errmsg, "/dev/sg3"), "case %zu names the node: '%s'", i, p2.errmsg);
		ck_assert_ptr_null(p2.ops);
		/* A descriptor that was opened is closed again. */
		ck_assert_int_eq(fk.closes, t[i].open_ret >= 0 ? 1 : 0);
	}
	fk_reset();
}
END_TEST

START_TEST(test_good_inquiry)
{
	struct inquiry inq;

	memset(fk.data, ' ', 96);
	fk.data[0] = 0x05;
	fk.data[1] = 0x80;
	fk.data[2] = 0x05;
	memcpy(fk.data + 8, "HL-DT-STDVDRAM GH22NP20 1.02", 28);
	fk.data_len = 96;
	ck_assert_int_eq(mmc_inquiry(&pt, &inq), 0);
	ck_assert_int_eq(fk.seen.interface_id, 'S');
	ck_assert_int_eq(fk.seen.dxfer_direction, SG_DXFER_FROM_DEV);
	ck_assert_uint_eq(fk.seen.dxfer_len, 96);
	ck_assert_uint_eq(fk.seen.cmd_len, 6);
	ck_assert_uint_eq(fk.seen_cdb[0], INQUIRY);
	ck_assert_uint_eq(fk.seen_cdb[4], 96);
	ck_assert_uint_eq(fk.seen.timeout, 10000);	/* mmc.c's 10 s, in ms */
	ck_assert_uint_ge(fk.seen.mx_sb_len, 18);
	ck_assert_int_eq(inq.len, 96);
	ck_assert_int_eq(inq.pdt, 5);
	ck_assert(inq.removable);
	ck_assert_str_eq(inq.vendor, "HL-DT-ST");
	ck_assert_str_eq(inq.product, "DVDRAM GH22NP20 ");
	ck_assert_str_eq(inq.revision, "1.02");
}
END_TEST

START_TEST(test_default_timeout_and_none)
{
	struct pt_cmd c;

	ck_assert_int_eq(run_tur(&c), 0);
	ck_assert_int_eq(fk.seen.dxfer_direction, SG_DXFER_NONE);
	ck_assert_uint_eq(fk.seen.dxfer_len, 0);
	ck_assert_uint_eq(fk.seen.timeout, 60000);
	ck_assert_uint_eq(c.status, SAM_STAT_GOOD);
	/* Sub-millisecond timeouts round up, never to 0 (which sg reads as "no timeout"). */
	memset(&c, 0, sizeof(c));
	c.cdb_len = 6;
	c.timeout_ns = 1500;
	ck_assert_int_eq(pt_exec(&pt, &c), 0);
	ck_assert_uint_eq(fk.seen.timeout, 1);
}
END_TEST

START_TEST(test_data_out)
{
	static const uint8_t img[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	ck_assert_int_eq(mmc_write_buffer(&pt, 6, 0, 0x001020, img, sizeof(img), 300ULL * 1000000000ULL), 0);
	ck_assert_int_eq(fk.seen.dxfer_direction, SG_DXFER_TO_DEV);
	ck_assert_uint_eq(fk.seen.dxfer_len, 8);
	ck_assert_mem_eq(fk.seen_out, img, sizeof(img));
	ck_assert_uint_eq(fk.seen.cmd_len, 10);
	ck_assert_uint_eq(fk.seen_cdb[0], WRITE_BUFFER);
	ck_assert_uint_eq(fk.seen_cdb[1], 6);
	ck_assert_uint_eq(fk.seen_cdb[3], 0x00);
	ck_assert_uint_eq(fk.seen_cdb[4], 0x10);
	ck_assert_uint_eq(fk.seen_cdb[5], 0x20);
	ck_assert_uint_eq(fk.seen_cdb[8], 8);
	ck_assert_uint_eq(fk.seen.timeout, 300000);
	/* mode 7 with no data is a no-data command */
	ck_assert_int_eq(mmc_write_buffer(&pt, 7, 0, 0, NULL, 0, 0), 0);
	ck_assert_int_eq(fk.seen.dxfer_direction, SG_DXFER_NONE);
}
END_TEST

START_TEST(test_check_condition_fixed)
{
	struct pt_cmd c;

	fk.status = SAM_STAT_CHECK_CONDITION;
	fk.driver_status = SGIO_DRIVER_SENSE;
	fixed_sense(NOT_READY, 0x3a, 0x00);
	ck_assert_int_eq(run_tur(&c), -EIO);
	ck_assert_uint_eq(c.status, SAM_STAT_CHECK_CONDITION);
	ck_assert(c.sense.valid);
	ck_assert_uint_eq(c.sense.key, NOT_READY);
	ck_assert_uint_eq(c.sense.asc, 0x3a);
	ck_assert_uint_eq(c.sense.len, 18);
	ck_assert_uint_eq(sgio_last(&pt)->status, SAM_STAT_CHECK_CONDITION);
	ck_assert_uint_eq(sgio_last(&pt)->masked_status, 0x01);
}
END_TEST

START_TEST(test_check_condition_descriptor)
{
	struct pt_cmd c;

	fk.status = SAM_STAT_CHECK_CONDITION;
	desc_sense(ILLEGAL_REQUEST, 0x24, 0x00);
	ck_assert_int_eq(run_tur(&c), -EIO);
	ck_assert(c.sense.valid);
	ck_assert_uint_eq(c.sense.key, ILLEGAL_REQUEST);
	ck_assert_uint_eq(c.sense.asc, 0x24);
	ck_assert_uint_eq(c.sense.ascq, 0x00);
}
END_TEST

/* Some HBAs report sense with DRIVER_SENSE only and a zero status byte: still the device's answer. */
START_TEST(test_driver_sense_only)
{
	struct pt_cmd c;

	fk.driver_status = SGIO_DRIVER_SENSE;
	fixed_sense(UNIT_ATTENTION, 0x29, 0x00);
	ck_assert_int_eq(run_tur(&c), -EIO);
	ck_assert_uint_eq(c.status, SAM_STAT_CHECK_CONDITION);
	ck_assert_uint_eq(c.sense.key, UNIT_ATTENTION);
}
END_TEST

START_TEST(test_check_condition_no_sense_data)
{
	struct pt_cmd c;

	fk.status = SAM_STAT_CHECK_CONDITION;
	ck_assert_int_eq(run_tur(&c), -EIO);
	ck_assert(!c.sense.valid);
}
END_TEST

START_TEST(test_recovered_and_no_sense_are_good)
{
	struct pt_cmd c;

	fk.status = SAM_STAT_CHECK_CONDITION;
	fk.driver_status = SGIO_DRIVER_SENSE;
	fixed_sense(RECOVERED_ERROR, 0x17, 0x01);
	ck_assert_int_eq(run_tur(&c), 0);
	ck_assert_uint_eq(c.sense.key, RECOVERED_ERROR);	/* kept for the curious */
	desc_sense(NO_SENSE, 0, 0);
	ck_assert_int_eq(run_tur(&c), 0);
}
END_TEST

START_TEST(test_host_status)
{
	static const struct { uint16_t host; int want; const char *name; } t[] = {
		{ SGIO_DID_TIME_OUT, -ETIMEDOUT, "DID_TIME_OUT" },
		{ SGIO_DID_NO_CONNECT, -ENODEV, "DID_NO_CONNECT" },
		{ SGIO_DID_BAD_TARGET, -ENODEV, "DID_BAD_TARGET" },
		{ SGIO_DID_BUS_BUSY, -EAGAIN, "DID_BUS_BUSY" },
		{ SGIO_DID_IMM_RETRY, -EAGAIN, "DID_IMM_RETRY" },
		{ SGIO_DID_RESET, -ECONNRESET, "DID_RESET" },
		{ SGIO_DID_ABORT, -ECONNRESET, "DID_ABORT" },
		{ SGIO_DID_NEXUS_FAILURE, -EBUSY, "DID_NEXUS_FAILURE" },
		{ SGIO_DID_ERROR, -EPROTO, "DID_ERROR" },
		{ SGIO_DID_PARITY, -EPROTO, "DID_PARITY" },
		{ 0x42, -EPROTO, "DID_?" },
	};
	struct pt_cmd c;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fk.host_status = t[i].host;
		pt.errmsg[0] = '\0';
		ck_assert_msg(run_tur(&c) == t[i].want, "host 0x%x", t[i].host);
		ck_assert_msg(strstr(pt.errmsg, t[i].name), "'%s' lacks %s", pt.errmsg, t[i].name);
		ck_assert_msg(strstr(pt.errmsg, "/dev/sr0"), "'%s'", pt.errmsg);
		ck_assert_uint_eq(sgio_last(&pt)->host_status, t[i].host);
		ck_assert(!c.sense.valid);
	}
}
END_TEST

/* Sense wins over host noise, as in sg3_utils: the device did answer. */
START_TEST(test_sense_before_host)
{
	struct pt_cmd c;

	fk.status = SAM_STAT_CHECK_CONDITION;
	fk.host_status = SGIO_DID_ERROR;
	fixed_sense(MEDIUM_ERROR, 0x11, 0x00);
	ck_assert_int_eq(run_tur(&c), -EIO);
	ck_assert_uint_eq(c.sense.key, MEDIUM_ERROR);
}
END_TEST

START_TEST(test_driver_status)
{
	static const struct { uint16_t drv; int want; const char *name; } t[] = {
		{ SGIO_DRIVER_TIMEOUT, -ETIMEDOUT, "DRIVER_TIMEOUT" },
		{ 0x20 | SGIO_DRIVER_TIMEOUT, -ETIMEDOUT, "DRIVER_TIMEOUT" },	/* SUGGEST_ bits masked */
		{ SGIO_DRIVER_BUSY, -EAGAIN, "DRIVER_BUSY" },
		{ SGIO_DRIVER_SOFT, -EAGAIN, "DRIVER_SOFT" },
		{ SGIO_DRIVER_ERROR, -EPROTO, "DRIVER_ERROR" },
		{ SGIO_DRIVER_HARD, -EPROTO, "DRIVER_HARD" },
		{ SGIO_DRIVER_INVALID, -EPROTO, "DRIVER_INVALID" },
	};
	struct pt_cmd c;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fk.driver_status = t[i].drv;
		ck_assert_msg(run_tur(&c) == t[i].want, "driver 0x%x", t[i].drv);
		ck_assert_msg(strstr(pt.errmsg, t[i].name), "'%s' lacks %s", pt.errmsg, t[i].name);
	}
}
END_TEST

START_TEST(test_scsi_status_other)
{
	struct pt_cmd c;

	fk.status = 0x08;	/* BUSY */
	ck_assert_int_eq(run_tur(&c), -EAGAIN);
	fk.status = 0x28;	/* TASK SET FULL */
	ck_assert_int_eq(run_tur(&c), -EAGAIN);
	fk.status = 0x18;	/* RESERVATION CONFLICT */
	ck_assert_int_eq(run_tur(&c), -EBUSY);
	fk.status = 0x40;	/* TASK ABORTED */
	ck_assert_int_eq(run_tur(&c), -EPROTO);
	ck_assert_ptr_nonnull(strstr(pt.errmsg, "status 0x40"));
}
END_TEST

START_TEST(test_short_transfer)
{
	struct inquiry inq;
	struct rpc_state rs;

	memset(fk.data, 'A', sizeof(fk.data));
	fk.data[0] = 0x05;
	fk.data_len = 36;
	fk.resid = 96 - 36;
	ck_assert_int_eq(mmc_inquiry(&pt, &inq), 0);
	ck_assert_int_eq(inq.len, 36);
	fk.data_len = 30;
	fk.resid = 96 - 30;
	ck_assert_int_eq(mmc_inquiry(&pt, &inq), -EPROTO);	/* below the 36 bytes SPC requires */
	/* A resid larger than the request is nonsense: no bytes counted, not a wrap-around. */
	fk.resid = 1000;
	ck_assert_int_eq(mmc_report_rpc(&pt, &rs), -EPROTO);
}
END_TEST

START_TEST(test_ioctl_errors)
{
	struct pt_cmd c;

	fk.sgio_ret = -EPERM;
	ck_assert_int_eq(run_tur(&c), -EPERM);
	ck_assert_ptr_nonnull(strstr(pt.errmsg, "CAP_SYS_RAWIO"));
	fk.sgio_ret = -ENODEV;
	ck_assert_int_eq(run_tur(&c), -ENODEV);
	fk.sgio_ret = -ENOMEM;
	ck_assert_int_eq(run_tur(&c), -ENOMEM);
	ck_assert_ptr_nonnull(strstr(pt.errmsg, "SG_IO"));
}
END_TEST

START_TEST(test_bad_requests)
{
	struct pt_cmd c = { .cdb_len = 0 };

	ck_assert_int_eq(pt_exec(&pt, &c), -EINVAL);
	c.cdb_len = 17;
	ck_assert_int_eq(pt_exec(&pt, &c), -EINVAL);
	c.cdb_len = 6;
	c.dir = PT_IN;
	c.len = 10;
	c.buf = NULL;
	ck_assert_int_eq(pt_exec(&pt, &c), -EINVAL);
}
END_TEST

START_TEST(test_ata16_identify)
{
	uint16_t id[256];

	for (int i = 0; i < 256; i++) {
		fk.data[2 * i] = (uint8_t)i;
		fk.data[2 * i + 1] = (uint8_t)(0x80 | (i & 0x7f));
	}
	fk.data_len = 512;
	ck_assert_int_eq(pt_ata16_identify(&pt, 0xa1, id), 0);
	ck_assert_uint_eq(fk.seen.cmd_len, 16);
	ck_assert_uint_eq(fk.seen_cdb[0], 0x85);
	ck_assert_uint_eq(fk.seen_cdb[1], 0x08);	/* PIO data-in */
	ck_assert_uint_eq(fk.seen_cdb[2], 0x0e);	/* T_DIR in, blocks, count in sector count */
	ck_assert_uint_eq(fk.seen_cdb[6], 1);
	ck_assert_uint_eq(fk.seen_cdb[14], 0xa1);
	ck_assert_int_eq(fk.seen.dxfer_direction, SG_DXFER_FROM_DEV);
	ck_assert_uint_eq(fk.seen.dxfer_len, 512);
	ck_assert_uint_eq(id[0], 0x8000);
	ck_assert_uint_eq(id[0x85], 0x8585);
	ck_assert_uint_eq(id[255], 0xffff);

	fk.status = SAM_STAT_CHECK_CONDITION;
	fixed_sense(ILLEGAL_REQUEST, 0x20, 0x00);	/* atapi_passthru16=0 or a bridge without ATA_16 */
	ck_assert_int_eq(pt_ata16_identify(&pt, 0xa1, id), -EOPNOTSUPP);
	fixed_sense(ABORTED_COMMAND, 0x00, 0x00);	/* the device aborted the ATA command */
	ck_assert_int_eq(pt_ata16_identify(&pt, 0xa1, id), -EIO);
	fk.status = 0;
	fk.sense_len = 0;
	fk.data_len = 0;
	fk.resid = 512;
	ck_assert_int_eq(pt_ata16_identify(&pt, 0xa1, id), -EPROTO);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(sgio_host_name(SGIO_DID_OK), "DID_OK");
	ck_assert_str_eq(sgio_host_name(SGIO_DID_NEXUS_FAILURE), "DID_NEXUS_FAILURE");
	ck_assert_str_eq(sgio_host_name(0x99), "DID_?");
	ck_assert_str_eq(sgio_driver_name(0x28), "DRIVER_SENSE");
	ck_assert_str_eq(sgio_driver_name(0x0e), "DRIVER_?");
}
END_TEST


Suite *suite_sgio(void)
{
	Suite *s = suite_create("sgio");
	TCase *tc = tcase_create("fake");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_open_ok_flags);
	tcase_add_test(tc, test_open_excl);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_good_inquiry);
	tcase_add_test(tc, test_default_timeout_and_none);
	tcase_add_test(tc, test_data_out);
	tcase_add_test(tc, test_check_condition_fixed);
	tcase_add_test(tc, test_check_condition_descriptor);
	tcase_add_test(tc, test_driver_sense_only);
	tcase_add_test(tc, test_check_condition_no_sense_data);
	tcase_add_test(tc, test_recovered_and_no_sense_are_good);
	tcase_add_test(tc, test_host_status);
	tcase_add_test(tc, test_sense_before_host);
	tcase_add_test(tc, test_driver_status);
	tcase_add_test(tc, test_scsi_status_other);
	tcase_add_test(tc, test_short_transfer);
	tcase_add_test(tc, test_ioctl_errors);
	tcase_add_test(tc, test_bad_requests);
	tcase_add_test(tc, test_ata16_identify);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}
