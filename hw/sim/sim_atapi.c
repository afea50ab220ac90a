/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An ATAPI MMC drive: IDENTIFY PACKET DEVICE and the PACKET command's CDBs. */
#include <stdio.h>
#include <string.h>

#include "hw/ata.h"
#include "hw/scsi.h"
#include "hw/sim/sim.h"

/* MMC-era test data: each 2048-byte block tells its LBA. */
#define SIM_DISC_BLOCKS	2048u

void sim_atapi_identity(struct sim_dev *d)
{
	snprintf(d->model, sizeof(d->model), "%s %s", d->vendor, d->product);
}

static void put_string(uint8_t *id, unsigned word, unsigned len, const char *s)
{
	size_t n = strlen(s);

	for (unsigned i = 0; i < len; i++) {
		/* Each word holds two characters, the first in the high byte. */
		uint8_t ch = i < n ? (uint8_t)s[i] : ' ';

		id[2 * word + (i ^ 1)] = ch;
	}
}

static void put_word(uint8_t *id, unsigned word, uint16_t v)
{
	id[2 * word] = (uint8_t)v;
	id[2 * word + 1] = (uint8_t)(v >> 8);
}

static void data_in(struct sim *s, struct sim_dev *d, size_t len, size_t alloc)
{
	size_t chunk;

	if (len > alloc)
		len = alloc;
	if (!len) {
		d->phase = PH_IDLE;
		d->nsect = ATAPI_COD | ATAPI_IO;
		sim_busy(s, d, SIM_CMD_NS, ATA_DRDY | ATA_DSC);
		return;
	}
	chunk = len < d->bcl ? len : d->bcl;
	d->phase = PH_IN;
	d->len = len;
	d->off = 0;
	d->block_end = chunk;
	d->nsect = ATAPI_IO;
	d->lbam = (uint8_t)chunk;
	d->lbah = (uint8_t)(chunk >> 8);
	sim_busy(s, d, SIM_CMD_NS, ATA_DRDY | ATA_DSC | ATA_DRQ);
}

void sim_atapi_good(struct sim *s, struct sim_dev *d)
{
	d->sense_key = d->asc = d->ascq = 0;
	data_in(s, d, 0, 0);
}

void sim_atapi_data_out(struct sim *s, struct sim_dev *d, size_t len)
{
	size_t chunk = len < d->bcl ? len : d->bcl;

	d->phase = PH_OUT;
	d->len = len;
	d->off = 0;
	d->block_end = chunk;
	d->nsect = 0;		/* data, host to device */
	d->lbam = (uint8_t)chunk;
	d->lbah = (uint8_t)(chunk >> 8);
	sim_busy(s, d, SIM_CMD_NS, ATA_DRDY | ATA_DSC | ATA_DRQ);
}

void sim_atapi_data_done(struct sim *s, struct sim_dev *d)
{
	if (d->cdb[0] == WRITE_BUFFER)
		sim_wbuf_data(s, d);
	else
		sim_atapi_good(s, d);
}

void sim_atapi_check(struct sim *s, struct sim_dev *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
	d->sense_key = key;
	d->asc = asc;
	d->ascq = ascq;
	d->error = (uint8_t)(key << 4 | (key == ILLEGAL_REQUEST ? ATA_ABORTED : 0));
	d->phase = PH_IDLE;
	d->nsect = ATAPI_COD | ATAPI_IO;
	sim_busy(s, d, SIM_CMD_NS, ATA_DRDY | ATA_ERR);
}

static void identify_packet(struct sim *s, struct sim_dev *d)
{
	uint8_t *id = d->data;

	memset(id, 0, 512);
	/* ATAPI, CD/DVD, removable, DRQ within 50 us, 12-byte CDB. */
	put_word(id, 0, 0x85c0);
	put_string(id, 10, 20, d->serial);
	put_string(id, 23, 8, d->rev);
	put_string(id, 27, 40, d->model);
	put_word(id, 49, 0x0b00);	/* IORDY, LBA, DMA */
	put_word(id, 53, 0x0006);	/* words 64-70 and 88 valid */
	put_word(id, 63, 0x0007);
	put_word(id, 64, 0x0003);	/* PIO 3 and 4 */
	put_word(id, 65, 120);
	put_word(id, 66, 120);
	put_word(id, 67, 227);
	put_word(id, 68, 120);
	put_word(id, 80, 0x0030);	/* ATA/ATAPI-4 and -5 */
	put_word(id, 88, 0x001f);
	d->phase = PH_IN;
	d->len = 512;
	d->off = 0;
	d->block_end = 512;
	sim_busy(s, d, SIM_CMD_NS, ATA_DRDY | ATA_DSC | ATA_DRQ);
}

void sim_atapi_command(struct sim *s, struct sim_dev *d, uint8_t cmd)
{
	switch (cmd) {
	case ATA_CMD_ID_ATAPI:
		identify_packet(s, d);
		return;
	case ATA_CMD_PACKET:
		d->bcl = (uint16_t)((d->lbam | d->lbah << 8) & ~1);
		if (!d->bcl)
			d->bcl = 0xfffe;
		d->phase = PH_CDB;
		d->off = 0;
		d->cdb_short = 0;
		d->nsect = ATAPI_COD;
		sim_busy(s, d, SIM_CMD_NS, ATA_DRDY | ATA_DSC | ATA_DRQ);
		return;
	case ATA_CMD_DEV_RESET:
		d->lbam = 0x14;
		d->lbah = 0xeb;
		d->nsect = d->lbal = 1;
		d->error = 0x01;
		d->phase = PH_IDLE;
		sim_busy(s, d, SIM_RESET_NS, 0x00);
		return;
	}
	/* Anything else, IDENTIFY DEVICE included, aborts with the packet signature. */
	d->error = ATA_ABORTED;
	d->lbam = 0x14;
	d->lbah = 0xeb;
	d->phase = PH_IDLE;
	sim_busy(s, d, SIM_CMD_NS, ATA_DRDY | ATA_ERR);
}

static int ready(struct sim *s, struct sim_dev *d)
{
	if (s->now < d->not_ready_until) {
		sim_atapi_check(s, d, NOT_READY, 0x04, 0x01);	/* becoming ready */
		return 0;
	}
	if (d->medium && !d->tray_open)
		return 1;
	sim_atapi_check(s, d, NOT_READY, 0x3a, d->tray_open ? 0x02 : 0x01);
	return 0;
}

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void sim_atapi_cdb(struct sim *s, struct sim_dev *d)
{
	const uint8_t *cdb = d->cdb;
	uint8_t *buf = d->data;
	uint32_t lba, n;

	memset(buf, 0, 256);
	switch (cdb[0]) {
	case TEST_UNIT_READY:
		if (ready(s, d))
			sim_atapi_good(s, d);
		return;
	case REQUEST_SENSE:
		buf[0] = 0x70;
		buf[2] = d->sense_key;
		buf[7] = 10;
		buf[12] = d->asc;
		buf[13] = d->ascq;
		d->sense_key = d->asc = d->ascq = 0;
		data_in(s, d, 18, cdb[4]);
		return;
	case INQUIRY:
		buf[0] = 0x05;
		buf[1] = 0x80;
		buf[3] = 0x32;
		buf[4] = 31;
		memset(buf + 8, ' ', 28);
		memcpy(buf + 8, d->vendor, strlen(d->vendor));
		memcpy(buf + 16, d->product, strlen(d->product));
		memcpy(buf + 32, d->rev, strlen(d->rev));
		data_in(s, d, 36, (size_t)(cdb[3] << 8 | cdb[4]));
		return;
	case GET_EVENT_STATUS_NOTIFICATION:
		if (!(cdb[1] & 1)) {	/* asynchronous notification is not offered */
			sim_atapi_check(s, d, ILLEGAL_REQUEST, 0x24, 0x00);
			return;
		}
		buf[1] = 6;
		buf[2] = 0x04;		/* media class */
		buf[3] = 0x10;
		buf[5] = (uint8_t)((d->medium && !d->tray_open ? 0x02 : 0) | (d->tray_open ? 0x01 : 0));
		data_in(s, d, 8, (size_t)(cdb[7] << 8 | cdb[8]));
		return;
	case READ_CAPACITY:
		if (!ready(s, d))
			return;
		be32(buf, SIM_DISC_BLOCKS - 1);
		be32(buf + 4, 2048);
		data_in(s, d, 8, 8);
		return;
	case READ_10:
		if (!ready(s, d))
			return;
		lba = (uint32_t)cdb[2] << 24 | (uint32_t)cdb[3] << 16 | (uint32_t)cdb[4] << 8 | cdb[5];
		n = (uint32_t)(cdb[7] << 8 | cdb[8]);
		if (lba + n > SIM_DISC_BLOCKS || n * 2048 > SIM_DATA_MAX) {
			sim_atapi_check(s, d, ILLEGAL_REQUEST, 0x21, 0x00);
			return;
		}
		for (uint32_t i = 0; i < n * 2048; i++)
			buf[i] = (uint8_t)((lba + i / 2048) * 7 + i);
		data_in(s, d, n * 2048, n * 2048);
		return;
	case REPORT_KEY:
		/* Only a DVD drive keeps RPC-2 state; a CD-ROM rejects the command. */
		if (d->kind != SIM_MTK || (cdb[10] & 0x3f) != 0x08) {
			sim_atapi_check(s, d, ILLEGAL_REQUEST, 0x20, 0x00);
			return;
		}
		buf[1] = 6;
		memcpy(buf + 4, d->rpc, 4);
		data_in(s, d, 8, (size_t)(cdb[8] << 8 | cdb[9]));
		return;
	case WRITE_BUFFER:
		if (!d->wbuf)
			break;
		sim_wbuf_cdb(s, d);
		return;
	case START_STOP:
		if (cdb[4] & 0x02)
			d->tray_open = !(cdb[4] & 0x01);
		sim_atapi_good(s, d);
		return;
	}
	sim_atapi_check(s, d, ILLEGAL_REQUEST, 0x20, 0x00);
}
