/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * WRITE BUFFER firmware download as a BTC MediaTek drive takes it
 * (mtk-protocol.md 3.2, btcflash): mode 6 fills a buffer whose offset 20h
 * is image byte 0 and whose first 32 bytes are a header, bytes 30-31 the
 * big-endian 16-bit sum of the image; mode 7 checks that sum, writes the
 * flash, and restarts the drive into the new firmware: BSY while it
 * writes, then NOT READY (becoming ready), then its new INQUIRY.
 */
#include <stdlib.h>
#include <string.h>

#include "hw/scsi.h"
#include "hw/sim/sim.h"

#define WB_HDR		0x20
#define WB_MODE_OFFS	0x06
#define WB_MODE_SAVE	0x07

static size_t capacity(const struct sim_dev *d)
{
	return WB_HDR + d->flash.chip->size;
}

static uint16_t sum16(const uint8_t *p, size_t n)
{
	uint16_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = (uint16_t)(sum + p[i]);
	return sum;
}

/* Mode 7: a whole image whose sum matches the header, or CHECK CONDITION and the old firmware. */
static void save(struct sim *s, struct sim_dev *d)
{
	size_t size = d->flash.chip->size;
	uint16_t want;

	if (!d->wbuf_buf || d->wbuf_hi < capacity(d)) {
		sim_atapi_check(s, d, ILLEGAL_REQUEST, 0x2c, 0x00);	/* command sequence error */
		return;
	}
	want = (uint16_t)(d->wbuf_buf[30] << 8 | d->wbuf_buf[31]);
	if (sum16(d->wbuf_buf + WB_HDR, size) != want) {
		sim_atapi_check(s, d, ILLEGAL_REQUEST, 0x26, 0x00);	/* invalid field in parameter list */
		return;
	}
	memcpy(simflash_mem(&d->flash), d->wbuf_buf + WB_HDR, size);
	free(d->wbuf_buf);
	d->wbuf_buf = NULL;
	d->wbuf_hi = 0;
	sim_atapi_good(s, d);
	d->activate_pending = 1;
}

void sim_wbuf_cdb(struct sim *s, struct sim_dev *d)
{
	const uint8_t *cdb = d->cdb;
	size_t off = (size_t)cdb[3] << 16 | (size_t)cdb[4] << 8 | cdb[5];
	size_t len = (size_t)cdb[6] << 16 | (size_t)cdb[7] << 8 | cdb[8];
	uint8_t mode = cdb[1] & 0x1f;

	if (cdb[2] != 0 || (mode != WB_MODE_OFFS && mode != WB_MODE_SAVE)) {
		sim_atapi_check(s, d, ILLEGAL_REQUEST, 0x24, 0x00);	/* invalid field in CDB */
		return;
	}
	if (mode == WB_MODE_SAVE) {
		if (len) {
			sim_atapi_check(s, d, ILLEGAL_REQUEST, 0x24, 0x00);
			return;
		}
		save(s, d);
		return;
	}
	if (off + len > capacity(d) || len > SIM_DATA_MAX) {
		sim_atapi_check(s, d, ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (!len) {
		sim_atapi_good(s, d);
		return;
	}
	sim_atapi_data_out(s, d, len);
}

void sim_wbuf_data(struct sim *s, struct sim_dev *d)
{
	const uint8_t *cdb = d->cdb;
	size_t off = (size_t)cdb[3] << 16 | (size_t)cdb[4] << 8 | cdb[5];

	if (!d->wbuf_buf) {
		d->wbuf_buf = malloc(capacity(d));
		if (!d->wbuf_buf) {
			sim_atapi_check(s, d, HARDWARE_ERROR, 0x44, 0x00);
			return;
		}
		memset(d->wbuf_buf, 0xff, capacity(d));
	}
	memcpy(d->wbuf_buf + off, d->data, d->len);
	/* A bad cable on the way in: only the drive's checksum can notice. */
	if (s->wbuf_flip >= 0 && (size_t)s->wbuf_flip + WB_HDR >= off &&
	    (size_t)s->wbuf_flip + WB_HDR < off + d->len)
		d->wbuf_buf[s->wbuf_flip + WB_HDR] ^= 0x01;
	if (off + d->len > d->wbuf_hi)
		d->wbuf_hi = off + d->len;
	sim_atapi_good(s, d);
}

/* The restart into what mode 7 wrote: a while BSY, a while NOT READY, or never back (wbuf_hang). */
void sim_wbuf_activate(struct sim *s, struct sim_dev *d)
{
	sim_mtk_boot(s, d);
	if (d->bricked)
		return;		/* an image its boot code refuses: BSY for good */
	if (s->wbuf_hang) {
		sim_busy(s, d, SIM_NEVER, 0x00);
		return;
	}
	sim_busy(s, d, SIM_WBUF_BSY_NS, 0x00);
	d->not_ready_until = s->now + SIM_WBUF_READY_NS;
}
