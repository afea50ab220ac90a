/* SPDX-License-Identifier: GPL-2.0-or-later */
/* WRITE BUFFER firmware download, btcflash's sequence (mtk-protocol.md 3.2). */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "hw/scsi.h"
#include "recovery/wbuf.h"

#define NS_PER_SEC	1000000000ULL

const char *wbuf_stage_name(enum wbuf_stage s)
{
	static const char *const names[] = {
		"checks", "image chunks (mode 6)", "header (mode 6)", "save (mode 7)",
		"waiting for the drive", "INQUIRY after the update", "done",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

uint16_t wbuf_checksum(const uint8_t *img, size_t len)
{
	uint16_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint16_t)(sum + img[i]);
	return sum;
}

void wbuf_header(uint8_t hdr[WBUF_HDR_LEN], uint16_t sum)
{
	memset(hdr, 0, WBUF_HDR_LEN);
	hdr[30] = (uint8_t)(sum >> 8);
	hdr[31] = (uint8_t)sum;
}

static uint64_t now_ns(const struct wbuf_opts *o)
{
	struct timespec ts;

	if (o->clock)
		return bus_now_ns(o->clock);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

static int stopped(const struct wbuf_opts *o)
{
	return o->stop && *o->stop;
}

static void sleep_ns(const struct wbuf_opts *o, uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / NS_PER_SEC), .tv_nsec = (long)(ns % NS_PER_SEC) };

	if (o->clock) {
		bus_delay_ns(o->clock, ns);
		return;
	}
	while (nanosleep(&ts, &ts) && errno == EINTR && !stopped(o))
		;
}

/* WRITE BUFFER with the command kept in r->last, so a failure carries its sense. */
static int wbuf_cmd(struct pt *pt, uint8_t mode, uint32_t offset, const void *data, uint32_t len,
		    uint64_t tmo, struct wbuf_result *r)
{
	struct pt_cmd c = {
		.cdb = { WRITE_BUFFER, mode, 0, (uint8_t)(offset >> 16), (uint8_t)(offset >> 8), (uint8_t)offset,
			 (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len, 0 },
		.cdb_len = 10,
		.dir = len ? PT_OUT : PT_NONE,
		.buf = (void *)(uintptr_t)data,
		.len = len,
		.timeout_ns = tmo,
	};
	int ret = pt_exec(pt, &c);

	r->last = c;
	r->last.buf = NULL;
	return ret;
}

int wbuf_send_image(struct pt *pt, const uint8_t *img, size_t len, const struct wbuf_opts *o,
		    struct wbuf_result *r)
{
	uint32_t chunk = o->chunk ? o->chunk : WBUF_CHUNK_DEFAULT;

	r->stage = WBUF_STAGE_CHUNKS;
	r->sent = 0;
	if (!len || len > WBUF_MAX_LEN || chunk > WBUF_MAX_LEN)
		return -EINVAL;
	while (r->sent < len) {
		uint32_t n = (uint32_t)(len - r->sent < chunk ? len - r->sent : chunk);
		int ret;

		if (stopped(o))
			return -EINTR;
		ret = wbuf_cmd(pt, WBUF_MODE_OFFS, (uint32_t)(WBUF_DATA_OFFSET + r->sent), img + r->sent, n,
			       WBUF_TMO_CHUNK, r);
		if (ret)
			return ret;
		r->sent += n;
		if (o->progress)
			o->progress(o->arg, r->sent, len);
	}
	return 0;
}

int wbuf_send_header(struct pt *pt, uint16_t sum, struct wbuf_result *r)
{
	uint8_t hdr[WBUF_HDR_LEN];

	r->stage = WBUF_STAGE_HEADER;
	r->checksum = sum;
	wbuf_header(hdr, sum);
	return wbuf_cmd(pt, WBUF_MODE_OFFS, 0, hdr, sizeof(hdr), WBUF_TMO_CHUNK, r);
}

int wbuf_save(struct pt *pt, struct wbuf_result *r)
{
	r->stage = WBUF_STAGE_SAVE;
	return wbuf_cmd(pt, WBUF_MODE_OFFS_SAVE, 0, NULL, 0, WBUF_TMO_SAVE, r);
}

/* Ready, or as ready as a drive without a disc gets (btcflash accepts sense 2/3A). */
static int is_ready(int ret, const struct scsi_sense *s)
{
	return !ret || (ret == -EIO && s->valid && s->key == NOT_READY && s->asc == 0x3a);
}

int wbuf_wait_ready(struct pt *pt, const struct wbuf_opts *o, struct wbuf_result *r)
{
	uint64_t limit = o->ready_ns ? o->ready_ns : WBUF_TMO_READY;
	uint64_t poll = o->poll_ns ? o->poll_ns : WBUF_POLL_NS;
	uint64_t start = now_ns(o);
	int ret;

	r->stage = WBUF_STAGE_WAIT;
	r->polls = 0;
	sleep_ns(o, o->settle_ns ? o->settle_ns : WBUF_TMO_SETTLE);
	for (;;) {
		/* Transport errors are expected while the drive reboots: keep polling. */
		ret = mmc_test_unit_ready(pt, &r->ready_sense);
		r->polls++;
		if (is_ready(ret, &r->ready_sense))
			break;
		if (stopped(o) || now_ns(o) - start >= limit) {
			r->ready_ns = now_ns(o) - start;
			return stopped(o) ? -EINTR : -ETIMEDOUT;
		}
		sleep_ns(o, poll);
	}
	r->ready_ns = now_ns(o) - start;
	r->stage = WBUF_STAGE_INQUIRY;
	ret = mmc_inquiry(pt, &r->inq);
	if (ret)
		return ret;
	r->stage = WBUF_STAGE_DONE;
	return 0;
}

int wbuf_download(struct pt *pt, const uint8_t *img, size_t len, const struct wbuf_opts *o,
		  struct wbuf_result *r)
{
	int ret;

	memset(r, 0, sizeof(*r));
	ret = wbuf_send_image(pt, img, len, o, r);
	if (!ret)
		ret = wbuf_send_header(pt, wbuf_checksum(img, len), r);
	if (!ret && stopped(o))
		ret = -EINTR;	/* the last moment the drive keeps its firmware */
	if (ret)
		return ret;
	/*
	 * A drive may reboot before it reports mode 7's status: only a CHECK
	 * CONDITION is a refusal; after a transport error its comeback decides.
	 */
	ret = wbuf_save(pt, r);
	r->save_ret = ret;
	if (ret == -EIO || ret == -EINVAL)
		return ret;
	return wbuf_wait_ready(pt, o, r);
}
