/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * WRITE BUFFER download against a scripted drive on a virtual clock:
 * offsets, chunking, header, checksum refusal, a reboot that never ends,
 * a Ctrl-C in the chunks, before the save and while waiting.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "hw/scsi.h"
#include "recovery/wbuf.h"

#define SEC 1000000000ULL
#define IMG_LEN 0x10000

/* The drive: a download buffer, a flash, a reboot timer; time from a fake bus. */
static struct {
	uint64_t now;
	uint8_t buf[WBUF_HDR_LEN + IMG_LEN];
	size_t hi;			/* highest buffer byte written + 1 */
	uint8_t flash[IMG_LEN];
	int saved;
	uint64_t back_at;		/* ready again at this time; UINT64_MAX never */
	uint64_t reboot_ns;		/* how long mode 7 takes to come back */
	int rebooting_timeout;		/* while rebooting, TUR times out (raw BSY) instead of NOT READY */
	int medium;
	unsigned cmds, chunks, turs;
	uint32_t max_chunk;
	int fail_chunk;			/* answer CHECK CONDITION to this mode 6 command (1-based), 0 none */
	int ctrl_c_at_save;		/* the user's Ctrl-C comes while mode 7 runs */
	char rev[5];
} drv;
static volatile sig_atomic_t stop;	/* the user's Ctrl-C, as the download sees it */

static uint64_t fk_now(struct bus *b)
{
	(void)b;
	return drv.now;
}

static void fk_delay(struct bus *b, uint64_t ns)
{
	(void)b;
	drv.now += ns;
}

static const struct bus_ops fk_bus_ops = { .name = "fake", .now_ns = fk_now, .delay_ns = fk_delay };
static struct bus fk_bus = { .ops = &fk_bus_ops };

static int check(struct pt_cmd *c, uint8_t key, uint8_t asc, uint8_t ascq)
{
	uint8_t s[18] = { 0x70, 0, key, 0, 0, 0, 0, 10, 0, 0, 0, 0, asc, ascq };

	c->status = SAM_STAT_CHECK_CONDITION;
	scsi_sense_parse(&c->sense, s, sizeof(s));
	return -EIO;
}

static int rebooting(void)
{
	return drv.saved && drv.now < drv.back_at;
}

static int fk_exec(struct pt *pt, struct pt_cmd *c)
{
	(void)pt;
	memset(&c->sense, 0, sizeof(c->sense));
	c->status = SAM_STAT_GOOD;
	c->xfer = 0;
	drv.cmds++;
	if (rebooting()) {
		drv.now += SEC;		/* each attempt costs the host some time */
		if (c->cdb[0] == TEST_UNIT_READY)
			drv.turs++;
		if (drv.rebooting_timeout)
			return -ETIMEDOUT;
		return check(c, NOT_READY, 0x04, 0x01);
	}
	switch (c->cdb[0]) {
	case WRITE_BUFFER: {
		uint32_t off = (uint32_t)c->cdb[3] << 16 | (uint32_t)c->cdb[4] << 8 | c->cdb[5];
		uint32_t len = (uint32_t)c->cdb[6] << 16 | (uint32_t)c->cdb[7] << 8 | c->cdb[8];
		uint8_t mode = c->cdb[1] & 0x1f;

		ck_assert_int_eq(c->cdb_len, 10);
		ck_assert_int_eq(c->cdb[2], 0);		/* buffer ID 0 */
		if (mode == WBUF_MODE_OFFS) {
			ck_assert_uint_eq(len, c->len);
			ck_assert_int_eq(c->dir, PT_OUT);
			drv.chunks++;
			if (drv.fail_chunk && drv.chunks == (unsigned)drv.fail_chunk)
				return check(c, HARDWARE_ERROR, 0x44, 0x00);
			if (off + len > sizeof(drv.buf))
				return check(c, ILLEGAL_REQUEST, 0x24, 0x00);
			if (len > drv.max_chunk)
				drv.max_chunk = len;
			memcpy(drv.buf + off, c->buf, len);
			if (off + len > drv.hi)
				drv.hi = off + len;
			c->xfer = len;
			return 0;
		}
		if (mode == WBUF_MODE_OFFS_SAVE) {
			size_t n = drv.hi > WBUF_HDR_LEN ? drv.hi - WBUF_HDR_LEN : 0;
			uint16_t sum = wbuf_checksum(drv.buf + WBUF_HDR_LEN, n);

			ck_assert_int_eq(c->dir, PT_NONE);
			ck_assert_uint_eq(len, 0);
			if ((drv.buf[30] << 8 | drv.buf[31]) != sum)
				return check(c, ILLEGAL_REQUEST, 0x26, 0x00);
			memcpy(drv.flash, drv.buf + WBUF_HDR_LEN, n);
			drv.saved = 1;
			if (drv.ctrl_c_at_save)
				stop = 1;
			drv.back_at = drv.reboot_ns == UINT64_MAX ? UINT64_MAX : drv.now + drv.reboot_ns;
			memcpy(drv.rev, drv.flash + 0x100, 4);
			return 0;
		}
		return check(c, ILLEGAL_REQUEST, 0x24, 0x00);
	}
	case TEST_UNIT_READY:
		drv.turs++;
		return drv.medium ? 0 : check(c, NOT_READY, 0x3a, 0x00);
	case INQUIRY: {
		uint8_t *b = c->buf;

		memset(b, ' ', c->len);
		b[0] = 0x05;
		b[1] = 0x80;
		b[3] = 0x32;
		b[4] = 31;
		memcpy(b + 8, "BTC     DVD1008IM       ", 24);
		memcpy(b + 32, drv.rev, 4);
		c->xfer = c->len < 36 ? c->len : 36;
		return 0;
	}
	}
	return check(c, ILLEGAL_REQUEST, 0x20, 0x00);
}

static void fk_close(struct pt *pt)
{
	(void)pt;
}

static const struct pt_ops fk_pt_ops = { .name = "fake", .exec = fk_exec, .close = fk_close };
static struct pt pt = { .ops = &fk_pt_ops };
static uint8_t *img;
static struct wbuf_opts opts;
static size_t stop_after;		/* the Ctrl-C comes when this much was sent; 0 never */
static struct wbuf_result res;
static size_t progress_last, progress_total = IMG_LEN;
static unsigned progress_calls;

static void progress(void *arg, size_t done, size_t total)
{
	ck_assert_ptr_eq(arg, &opts);
	ck_assert_uint_eq(total, progress_total);
	ck_assert_uint_gt(done, progress_last);
	progress_last = done;
	progress_calls++;
	if (stop_after && done >= stop_after)
		stop = 1;
}

static void setup(void)
{
	memset(&drv, 0, sizeof(drv));
	memcpy(drv.rev, "0100", 4);
	drv.reboot_ns = 20 * SEC;
	img = malloc(IMG_LEN);
	srand(7);
	for (size_t i = 0; i < IMG_LEN; i++)
		img[i] = (uint8_t)rand();
	memcpy(img + 0x100, "0200", 4);
	memset(&opts, 0, sizeof(opts));
	opts.clock = &fk_bus;
	opts.progress = progress;
	opts.arg = &opts;
	opts.stop = &stop;
	stop = 0;
	stop_after = 0;
	progress_last = 0;
	progress_total = IMG_LEN;
	progress_calls = 0;
}

static void teardown(void)
{
	free(img);
}

START_TEST(test_checksum_and_header)
{
	static const uint8_t b[4] = { 0xff, 0xff, 0x03, 0x04 };
	uint8_t hdr[WBUF_HDR_LEN];

	ck_assert_uint_eq(wbuf_checksum(b, 4), 0x0205);		/* 16-bit wrap-around */
	ck_assert_uint_eq(wbuf_checksum(b, 0), 0);
	memset(hdr, 0xaa, sizeof(hdr));
	wbuf_header(hdr, 0xa009);
	ck_assert_uint_eq(hdr[30], 0xa0);	/* btcflash log: sSendBuf[30]=A0 sSendBuf[31]=9 */
	ck_assert_uint_eq(hdr[31], 0x09);
	for (int i = 0; i < 30; i++)
		ck_assert_uint_eq(hdr[i], 0);
}
END_TEST

START_TEST(test_round_trip)
{
	ck_assert_int_eq(wbuf_download(&pt, img, IMG_LEN, &opts, &res), 0);
	ck_assert_int_eq(res.stage, WBUF_STAGE_DONE);
	ck_assert_uint_eq(res.sent, IMG_LEN);
	ck_assert_uint_eq(res.checksum, wbuf_checksum(img, IMG_LEN));
	ck_assert_mem_eq(drv.flash, img, IMG_LEN);
	ck_assert_uint_eq(drv.chunks, IMG_LEN / WBUF_CHUNK_DEFAULT + 1);	/* + the header */
	ck_assert_uint_eq(drv.max_chunk, WBUF_CHUNK_DEFAULT);
	ck_assert_uint_eq(progress_last, IMG_LEN);
	ck_assert_uint_eq(progress_calls, IMG_LEN / WBUF_CHUNK_DEFAULT);
	/* Came back after 20 s of reboot: the first poll is after the 50 s settle, no medium is ready. */
	ck_assert_uint_eq(res.polls, 1);
	ck_assert_uint_eq(res.ready_sense.asc, 0x3a);
	ck_assert_uint_ge(res.ready_ns, WBUF_TMO_SETTLE);
	ck_assert_str_eq(res.inq.revision, "0200");
	ck_assert_int_eq(res.save_ret, 0);
}
END_TEST

START_TEST(test_chunk_size_and_tail)
{
	opts.chunk = 3000;		/* not a divisor: the last chunk is short */
	progress_total = IMG_LEN - 5;
	ck_assert_int_eq(wbuf_download(&pt, img, IMG_LEN - 5, &opts, &res), 0);
	ck_assert_uint_eq(drv.chunks, (IMG_LEN - 5 + 2999) / 3000 + 1);
	ck_assert_uint_eq(drv.max_chunk, 3000);
	ck_assert_mem_eq(drv.flash, img, IMG_LEN - 5);
	ck_assert_uint_eq(drv.hi, WBUF_HDR_LEN + IMG_LEN - 5);
}
END_TEST

START_TEST(test_checksum_mismatch_refused)
{
	ck_assert_int_eq(wbuf_send_image(&pt, img, IMG_LEN, &opts, &res), 0);
	ck_assert_int_eq(wbuf_send_header(&pt, (uint16_t)(wbuf_checksum(img, IMG_LEN) + 1), &res), 0);
	ck_assert_int_eq(wbuf_save(&pt, &res), -EIO);
	ck_assert_int_eq(res.stage, WBUF_STAGE_SAVE);
	ck_assert_uint_eq(res.last.sense.key, ILLEGAL_REQUEST);
	ck_assert_uint_eq(res.last.sense.asc, 0x26);
	ck_assert(!drv.saved);
	ck_assert_uint_eq(drv.flash[0], 0);
}
END_TEST

START_TEST(test_never_comes_back)
{
	drv.reboot_ns = UINT64_MAX;
	ck_assert_int_eq(wbuf_download(&pt, img, IMG_LEN, &opts, &res), -ETIMEDOUT);
	ck_assert_int_eq(res.stage, WBUF_STAGE_WAIT);
	ck_assert(drv.saved);
	ck_assert_uint_ge(res.ready_ns, WBUF_TMO_READY);
	ck_assert_uint_lt(res.ready_ns, WBUF_TMO_READY + 3 * SEC);
	ck_assert_uint_eq(res.ready_sense.key, NOT_READY);
	/* 50 s settle, then a poll each 1 s + 1 s the drive takes to answer: ~125 polls in 300 s. */
	ck_assert_uint_gt(res.polls, 100);
	ck_assert_uint_lt(res.polls, 200);
}
END_TEST

START_TEST(test_slow_reboot_with_transport_timeouts)
{
	drv.reboot_ns = 120 * SEC;
	drv.rebooting_timeout = 1;
	drv.medium = 1;
	ck_assert_int_eq(wbuf_download(&pt, img, IMG_LEN, &opts, &res), 0);
	ck_assert_int_eq(res.stage, WBUF_STAGE_DONE);
	ck_assert_uint_gt(res.polls, 10);
	ck_assert_uint_ge(res.ready_ns, 120 * SEC);
	ck_assert_uint_lt(res.ready_ns, 125 * SEC);
	ck_assert(!res.ready_sense.valid);
}
END_TEST

START_TEST(test_chunk_failure_stops_before_save)
{
	drv.fail_chunk = 3;
	ck_assert_int_eq(wbuf_download(&pt, img, IMG_LEN, &opts, &res), -EIO);
	ck_assert_int_eq(res.stage, WBUF_STAGE_CHUNKS);
	ck_assert_uint_eq(res.sent, 2 * WBUF_CHUNK_DEFAULT);
	ck_assert_uint_eq(res.last.sense.key, HARDWARE_ERROR);
	ck_assert_uint_eq(drv.chunks, 3);
	ck_assert(!drv.saved);
}
END_TEST

/* Ctrl-C during the chunks: the next one is not sent, nor the header or the save. */
START_TEST(test_stopped_in_chunks)
{
	stop_after = 3 * WBUF_CHUNK_DEFAULT;
	ck_assert_int_eq(wbuf_download(&pt, img, IMG_LEN, &opts, &res), -EINTR);
	ck_assert_int_eq(res.stage, WBUF_STAGE_CHUNKS);
	ck_assert_uint_eq(res.sent, 3 * WBUF_CHUNK_DEFAULT);
	ck_assert_uint_eq(drv.chunks, 3);
	ck_assert(!drv.saved);
}
END_TEST

/* Ctrl-C at the last chunk: the save does not go out, so the drive keeps its firmware. */
START_TEST(test_stopped_before_save)
{
	stop_after = IMG_LEN;
	ck_assert_int_eq(wbuf_download(&pt, img, IMG_LEN, &opts, &res), -EINTR);
	ck_assert_uint_eq(res.sent, IMG_LEN);
	ck_assert_uint_eq(drv.chunks, IMG_LEN / WBUF_CHUNK_DEFAULT + 1);	/* + the header */
	ck_assert(!drv.saved);
	ck_assert_int_lt(res.stage, WBUF_STAGE_SAVE);
}
END_TEST

/* Ctrl-C while the drive saves: the save is not cut; the wait for a drive that never returns ends at once. */
START_TEST(test_stopped_while_waiting)
{
	drv.reboot_ns = UINT64_MAX;
	drv.ctrl_c_at_save = 1;
	ck_assert_int_eq(wbuf_download(&pt, img, IMG_LEN, &opts, &res), -EINTR);
	ck_assert(drv.saved);
	ck_assert_int_eq(res.stage, WBUF_STAGE_WAIT);
	ck_assert_uint_eq(res.polls, 1);
	ck_assert_uint_lt(res.ready_ns, WBUF_TMO_SETTLE + 3 * SEC);
}
END_TEST

START_TEST(test_bad_lengths)
{
	ck_assert_int_eq(wbuf_send_image(&pt, img, 0, &opts, &res), -EINVAL);
	ck_assert_int_eq(wbuf_send_image(&pt, img, WBUF_MAX_LEN + 1, &opts, &res), -EINVAL);
	ck_assert_uint_eq(drv.cmds, 0);
}
END_TEST


Suite *suite_wbuf(void)
{
	Suite *s = suite_create("wbuf");
	TCase *tc = tcase_create("scripted_drive");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_checksum_and_header);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_chunk_size_and_tail);
	tcase_add_test(tc, test_checksum_mismatch_refused);
	tcase_add_test(tc, test_never_comes_back);
	tcase_add_test(tc, test_slow_reboot_with_transport_timeouts);
	tcase_add_test(tc, test_chunk_failure_stops_before_save);
	tcase_add_test(tc, test_stopped_in_chunks);
	tcase_add_test(tc, test_stopped_before_save);
	tcase_add_test(tc, test_stopped_while_waiting);
	tcase_add_test(tc, test_bad_lengths);
	suite_add_tcase(s, tc);
	return s;
}
