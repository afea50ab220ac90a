/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IDENTIFY (PACKET) DEVICE decoding; validity bits are checked before words are used. */
#ifndef ODRESCUE_ATA_ID_H
#define ODRESCUE_ATA_ID_H

#include <stddef.h>
#include <stdint.h>

#include "hw/ata.h"

struct ata_id_info {
	int packet;		/* word 0 15:14 = 10b */
	int devtype;		/* ATAPI: word 0 12:8 (05h CD/DVD) */
	int removable;
	int cdb_len;		/* 12 or 16 */
	int drq_type;		/* word 0 6:5: 0 DRQ <= 3 ms, 1 INTRQ, 2 DRQ <= 50 us */
	char model[41];
	char fw_rev[9];
	char serial[21];
	int lba, dma;		/* word 49 */
	int pio_max;		/* highest PIO mode */
	int mwdma_max;		/* -1 none */
	int udma_max;		/* -1 none or not valid */
	int major;		/* highest ATA/ATAPI-n from word 80, 0 unknown */
	unsigned min_pio_cycle;	/* ns, word 68 (with IORDY); 0 unknown */
	unsigned bcl_default;	/* word 125, 0 unknown */
};

/* Bytes are swapped within each word (Linux ata_id_string); out gets len+1 bytes, trailing spaces cut. */
void ata_id_string(const uint16_t *id, unsigned ofs, unsigned len, char *out);
/* 0, or -EPROTO if the block cannot be an IDENTIFY answer (all 0000h/FFFFh). */
int ata_id_decode(const uint16_t *id, struct ata_id_info *info);
const char *atapi_devtype_name(int type);

#endif
