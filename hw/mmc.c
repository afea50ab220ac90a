/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SPC/MMC commands over any packet transport (SPC-4, MMC-6). */
#include <errno.h>
#include <string.h>

#include "hw/mmc.h"
#include "hw/scsi.h"

#define MMC_TMO_SHORT	(10ULL * 1000000000ULL)	/* INQUIRY, TUR, sense: sg3_utils default 60 s is for tapes */
#define MMC_TMO_READ	(30ULL * 1000000000ULL)	/* may include a spin-up */

static int mmc_run(struct pt *pt, const uint8_t *cdb, unsigned cdb_len, enum pt_dir dir,
		   void *buf, size_t len, uint64_t tmo, struct pt_cmd *out)
{
	struct pt_cmd c = { .cdb_len = cdb_len, .dir = dir, .buf = buf, .len = len, .timeout_ns = tmo };
	int ret;

	memcpy(c.cdb, cdb, cdb_len);
	ret = pt_exec(pt, &c);
	if (out)
		*out = c;
	return ret;
}

void mmc_inq_field(char *out, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : (src[i] ? '.' : ' ');
	out[n] = '\0';
}

int mmc_inquiry(struct pt *pt, struct inquiry *inq)
{
	uint8_t cdb[6] = { INQUIRY, 0, 0, 0, 96, 0 };
	struct pt_cmd c;
	int ret;

	memset(inq, 0, sizeof(*inq));
	ret = mmc_run(pt, cdb, 6, PT_IN, inq->raw, sizeof(inq->raw), MMC_TMO_SHORT, &c);
	if (ret)
		return ret;
	inq->len = (unsigned)c.xfer;
	if (inq->len < 36)
		return -EPROTO;		/* SPC: standard data is at least 36 bytes */
	inq->pdt = inq->raw[0] & 0x1f;
	inq->removable = !!(inq->raw[1] & 0x80);
	inq->version = inq->raw[2];
	inq->resp_fmt = inq->raw[3] & 0x0f;
	mmc_inq_field(inq->vendor, inq->raw + 8, 8);
	mmc_inq_field(inq->product, inq->raw + 16, 16);
	mmc_inq_field(inq->revision, inq->raw + 32, 4);
	return 0;
}

int mmc_test_unit_ready(struct pt *pt, struct scsi_sense *sense)
{
	uint8_t cdb[6] = { TEST_UNIT_READY };
	struct pt_cmd c;
	int ret = mmc_run(pt, cdb, 6, PT_NONE, NULL, 0, MMC_TMO_SHORT, &c);

	if (sense)
		*sense = c.sense;
	return ret;
}

int mmc_request_sense(struct pt *pt, struct scsi_sense *sense)
{
	uint8_t cdb[6] = { REQUEST_SENSE, 0, 0, 0, 18, 0 };
	uint8_t buf[18] = { 0 };
	struct pt_cmd c;
	int ret = mmc_run(pt, cdb, 6, PT_IN, buf, sizeof(buf), MMC_TMO_SHORT, &c);

	if (ret)
		return ret;
	scsi_sense_parse(sense, buf, c.xfer);
	return sense->valid ? 0 : -EPROTO;
}

/* GET EVENT STATUS NOTIFICATION, polled, media class (MMC-6 6.6). */
int mmc_get_event_status(struct pt *pt, struct media_state *m)
{
	uint8_t cdb[10] = { GET_EVENT_STATUS_NOTIFICATION, 0x01, 0, 0, 0x10, 0, 0, 0, 8, 0 };
	uint8_t buf[8] = { 0 };
	struct pt_cmd c;
	int ret = mmc_run(pt, cdb, 10, PT_IN, buf, sizeof(buf), MMC_TMO_SHORT, &c);

	memset(m, 0, sizeof(*m));
	if (ret)
		return ret;
	if (c.xfer < 6 || (buf[2] & 0x80) || (buf[2] & 0x07) != 4)
		return -EPROTO;		/* no media event class in the answer */
	m->event = buf[4] & 0x0f;
	m->tray_open = !!(buf[5] & 0x01);
	m->present = !!(buf[5] & 0x02);
	return 0;
}

int mmc_read_capacity(struct pt *pt, uint32_t *last_lba, uint32_t *block_len)
{
	uint8_t cdb[10] = { READ_CAPACITY };
	uint8_t buf[8] = { 0 };
	struct pt_cmd c;
	int ret = mmc_run(pt, cdb, 10, PT_IN, buf, sizeof(buf), MMC_TMO_SHORT, &c);

	if (ret)
		return ret;
	if (c.xfer < 8)
		return -EPROTO;
	*last_lba = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
	*block_len = (uint32_t)buf[4] << 24 | (uint32_t)buf[5] << 16 | (uint32_t)buf[6] << 8 | buf[7];
	return 0;
}

int mmc_read10(struct pt *pt, uint32_t lba, uint16_t blocks, void *buf, size_t len)
{
	uint8_t cdb[10] = { READ_10, 0, (uint8_t)(lba >> 24), (uint8_t)(lba >> 16),
			    (uint8_t)(lba >> 8), (uint8_t)lba, 0, (uint8_t)(blocks >> 8), (uint8_t)blocks, 0 };
	struct pt_cmd c;
	int ret = mmc_run(pt, cdb, 10, PT_IN, buf, len, MMC_TMO_READ, &c);

	if (ret)
		return ret;
	return c.xfer == len ? 0 : -EPROTO;
}

/* REPORT KEY, key format 08h: the RPC state (mtk-protocol.md 7, Linux setup_report_key). */
int mmc_report_rpc(struct pt *pt, struct rpc_state *r)
{
	uint8_t cdb[12] = { REPORT_KEY, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0x08, 0 };
	uint8_t buf[8] = { 0 };
	struct pt_cmd c;
	int ret = mmc_run(pt, cdb, 12, PT_IN, buf, sizeof(buf), MMC_TMO_SHORT, &c);

	memset(r, 0, sizeof(*r));
	if (ret)
		return ret;
	if (c.xfer < 8)
		return -EPROTO;
	r->type = buf[4] >> 6;
	r->vendor_resets = (buf[4] >> 3) & 7;
	r->user_changes = buf[4] & 7;
	r->region_mask = buf[5];
	r->scheme = buf[6];
	return 0;
}

int mmc_start_stop(struct pt *pt, int load_eject, int start)
{
	uint8_t cdb[6] = { START_STOP, 0, 0, 0, (uint8_t)((load_eject ? 2 : 0) | (start ? 1 : 0)), 0 };

	return mmc_run(pt, cdb, 6, PT_NONE, NULL, 0, MMC_TMO_READ, NULL);
}

/* WRITE BUFFER (SPC-4 6.49): 24-bit offset and length, data out. */
int mmc_write_buffer(struct pt *pt, uint8_t mode, uint8_t buf_id, uint32_t offset,
		     const void *data, uint32_t len, uint64_t timeout_ns)
{
	uint8_t cdb[10] = { WRITE_BUFFER, mode, buf_id, (uint8_t)(offset >> 16), (uint8_t)(offset >> 8),
			    (uint8_t)offset, (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len, 0 };

	return mmc_run(pt, cdb, 10, len ? PT_OUT : PT_NONE, (void *)(uintptr_t)data, len,
		       timeout_ns, NULL);
}
