/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Standard firmware download with WRITE BUFFER (SPC-4 6.49), the way
 * BTC's MediaTek-based drives take it (mtk-protocol.md 3.2, btcflash):
 * the image in mode 6 chunks at buffer offset image offset + 20h, a
 * 32-byte header at offset 0 whose bytes 30-31 hold the 16-bit sum of
 * the image, big-endian, then mode 7 (save and activate); the drive
 * reboots and is polled with TEST UNIT READY until it answers.
 */
#ifndef ODRESCUE_WBUF_H
#define ODRESCUE_WBUF_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/bus.h"
#include "hw/mmc.h"
#include "hw/pt.h"

#define WBUF_HDR_LEN		0x20
#define WBUF_DATA_OFFSET	0x20		/* image byte 0 goes to buffer offset 20h */
#define WBUF_CHUNK_DEFAULT	4096		/* btcflash; sg_write_buffer: "4 KB seems to work well" */
#define WBUF_MODE_OFFS		0x06		/* download microcode with offsets */
#define WBUF_MODE_OFFS_SAVE	0x07		/* ... with offsets, save and activate */
#define WBUF_MAX_LEN		0xffffe0	/* 24-bit buffer offset, less the header */

/* Timeouts (ns), from btcflash and sg_write_buffer. */
#define WBUF_TMO_CHUNK		(60ULL * 1000000000ULL)	/* one mode 6 chunk */
#define WBUF_TMO_SAVE		(300ULL * 1000000000ULL)	/* mode 7: the drive writes its flash (sg_write_buffer default) */
#define WBUF_TMO_SETTLE		(50ULL * 1000000000ULL)	/* btcflash sleeps 50 s before the first poll */
#define WBUF_TMO_READY		(300ULL * 1000000000ULL)	/* btcflash polls TEST UNIT READY up to 300 s */
#define WBUF_POLL_NS		(1ULL * 1000000000ULL)

enum wbuf_stage {
	WBUF_STAGE_CHECK,	/* nothing sent yet */
	WBUF_STAGE_CHUNKS,	/* mode 6 data */
	WBUF_STAGE_HEADER,	/* mode 6 header at offset 0 */
	WBUF_STAGE_SAVE,	/* mode 7 */
	WBUF_STAGE_WAIT,	/* polling for the drive to come back */
	WBUF_STAGE_INQUIRY,	/* it came back; reading its identity */
	WBUF_STAGE_DONE,
};

struct wbuf_opts {
	uint32_t chunk;			/* bytes per mode 6 command; 0: WBUF_CHUNK_DEFAULT */
	uint64_t settle_ns;		/* before the first poll; 0: WBUF_TMO_SETTLE */
	uint64_t ready_ns;		/* give up polling after this; 0: WBUF_TMO_READY */
	uint64_t poll_ns;		/* between polls; 0: WBUF_POLL_NS */
	struct bus *clock;		/* virtual time on the simulator; NULL: real time */
	/* the user's Ctrl-C: -EINTR between two commands before the save, or from the wait after it */
	volatile sig_atomic_t *stop;
	void (*progress)(void *arg, size_t done, size_t total);
	void *arg;
};

struct wbuf_result {
	enum wbuf_stage stage;		/* the stage reached, or the one that failed */
	size_t sent;			/* image bytes the drive accepted */
	uint16_t checksum;		/* the header's sum */
	struct pt_cmd last;		/* the last WRITE BUFFER sent (status, sense) */
	int save_ret;			/* mode 7's own result: a transport error there is not final */
	uint64_t ready_ns;		/* from the save to the drive answering */
	unsigned polls;			/* TEST UNIT READY commands sent */
	struct scsi_sense ready_sense;	/* what the last poll said */
	struct inquiry inq;		/* the drive's identity after it came back */
};

/* 16-bit sum of all bytes (btcflash's checksum). */
uint16_t wbuf_checksum(const uint8_t *img, size_t len);
/* The 32-byte header: zero but bytes 30-31 = sum, big-endian. */
void wbuf_header(uint8_t hdr[WBUF_HDR_LEN], uint16_t sum);

/* The steps, for callers that need to stop between them (and tests); each fills r. */
int wbuf_send_image(struct pt *pt, const uint8_t *img, size_t len, const struct wbuf_opts *o,
		    struct wbuf_result *r);
int wbuf_send_header(struct pt *pt, uint16_t sum, struct wbuf_result *r);
int wbuf_save(struct pt *pt, struct wbuf_result *r);
/* Poll until ready (GOOD, or NOT READY/MEDIUM NOT PRESENT), then INQUIRY. -ETIMEDOUT if it never answers. */
int wbuf_wait_ready(struct pt *pt, const struct wbuf_opts *o, struct wbuf_result *r);

/*
 * All of it: image, header with wbuf_checksum(img), save, wait, INQUIRY.
 * 0 when the drive came back. On failure r->stage says how far it got:
 * before WBUF_STAGE_SAVE the drive's flash was not asked to change.
 */
int wbuf_download(struct pt *pt, const uint8_t *img, size_t len, const struct wbuf_opts *o,
		  struct wbuf_result *r);

const char *wbuf_stage_name(enum wbuf_stage s);

#endif
