// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a drive says, decoded: IDENTIFY words, INQUIRY data, sense bytes
 * and the RPC-2 REPORT KEY reply, from any bytes a broken or hostile
 * drive could send (the packet transport here answers with the input).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "hw/ata_id.h"
#include "hw/mmc.h"
#include "hw/scsi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *reply;
static size_t reply_len;

/* A drive that answers every command with the fuzz input, as data or as sense. */
static int fake_exec(struct pt *pt, struct pt_cmd *c)
{
	size_t n = reply_len < c->len ? reply_len : c->len;

	(void)pt;
	if (reply_len && (reply[0] & 1)) {
		scsi_sense_parse(&c->sense, reply, reply_len);
		c->status = SAM_STAT_CHECK_CONDITION;
		return -EIO;
	}
	if (c->dir == PT_IN && c->buf)
		memcpy(c->buf, reply, n);
	c->xfer = n;
	c->status = SAM_STAT_GOOD;
	return 0;
}

static const struct pt_ops fake_ops = { .name = "fuzz", .exec = fake_exec };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t id[256] = { 0 };
	struct ata_id_info info;
	struct scsi_sense s;
	struct inquiry inq;
	struct rpc_state r;
	struct pt pt = { .ops = &fake_ops };
	char buf[256], str[64];

	memcpy(id, data, size < sizeof(id) ? size : sizeof(id));
	ata_id_decode(id, &info);
	ata_id_string(id, 27, 40, str);
	atapi_devtype_name(id[0] >> 8 & 0x1f);
	scsi_sense_parse(&s, data, size);
	scsi_sense_str(&s, buf, sizeof(buf));
	reply = data;
	reply_len = size;
	mmc_inquiry(&pt, &inq);
	mmc_report_rpc(&pt, &r);
	return 0;
}
