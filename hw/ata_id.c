/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "hw/ata_id.h"

void ata_id_string(const uint16_t *id, unsigned ofs, unsigned len, char *out)
{
	unsigned i;

	for (i = 0; i < len; i += 2) {
		uint16_t w = id[ofs + i / 2];

		out[i] = (char)(w >> 8);
		if (i + 1 < len)
			out[i + 1] = (char)(w & 0xff);
	}
	out[len] = '\0';
	for (i = 0; i < len; i++)
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] > 0x7e)
			out[i] = out[i] ? '.' : ' ';
	while (len && out[len - 1] == ' ')
		out[--len] = '\0';
}

static int highest_bit(unsigned v, int limit)
{
	for (int i = limit; i >= 0; i--)
		if (v & (1u << i))
			return i;
	return -1;
}

int ata_id_decode(const uint16_t *id, struct ata_id_info *info)
{
	int all0 = 1, allf = 1;

	memset(info, 0, sizeof(*info));
	for (int i = 0; i < ATA_ID_WORDS; i++) {
		all0 &= id[i] == 0;
		allf &= id[i] == 0xffff;
	}
	if (all0 || allf)
		return -EPROTO;

	info->packet = (id[ATA_ID_CONFIG] & 0xc000) == 0x8000;
	info->removable = !!(id[ATA_ID_CONFIG] & 0x0080);
	if (info->packet) {
		info->devtype = (id[ATA_ID_CONFIG] >> 8) & 0x1f;
		info->cdb_len = (id[ATA_ID_CONFIG] & 3) == 1 ? 16 : 12;
		info->drq_type = (id[ATA_ID_CONFIG] >> 5) & 3;
	}
	ata_id_string(id, ATA_ID_PROD, ATA_ID_PROD_LEN, info->model);
	ata_id_string(id, ATA_ID_FW_REV, ATA_ID_FW_REV_LEN, info->fw_rev);
	ata_id_string(id, ATA_ID_SERNO, ATA_ID_SERNO_LEN, info->serial);
	info->lba = !!(id[ATA_ID_CAPABILITY] & (1 << 9));
	info->dma = !!(id[ATA_ID_CAPABILITY] & (1 << 8));

	/* PIO 0-2 from word 51's high byte; 3/4 only if word 53 bit 1 says 64-70 are valid. */
	info->pio_max = (id[51] >> 8) <= 2 ? (id[51] >> 8) : 0;
	info->mwdma_max = highest_bit(id[ATA_ID_MWDMA_MODES] & 0x7, 2);
	info->udma_max = -1;
	if (id[ATA_ID_FIELD_VALID] & (1 << 1)) {
		int p = highest_bit(id[ATA_ID_PIO_MODES] & 0x3, 1);

		if (p >= 0)
			info->pio_max = 3 + p;
		info->min_pio_cycle = id[ATA_ID_EIDE_PIO_IORDY];
	}
	if (id[ATA_ID_FIELD_VALID] & (1 << 2))
		info->udma_max = highest_bit(id[ATA_ID_UDMA_MODES] & 0x7f, 6);
	if (id[ATA_ID_MAJOR_VER] != 0x0000 && id[ATA_ID_MAJOR_VER] != 0xffff)
		info->major = highest_bit(id[ATA_ID_MAJOR_VER] & 0xfffe, 14);
	if (info->major < 0)
		info->major = 0;
	if (info->packet)
		info->bcl_default = id[ATA_ID_BCL_DEFAULT];
	return 0;
}

const char *atapi_devtype_name(int type)
{
	switch (type) {
	case 0x00: return "direct access";
	case 0x01: return "sequential access";
	case 0x05: return "CD/DVD";
	case 0x07: return "optical memory";
	}
	return "other";
}
