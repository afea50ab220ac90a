/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sense data decoding (SPC-4 4.5), shared by the raw and SG_IO transports. */
#include <stdio.h>
#include <string.h>

#include "hw/scsi.h"

void scsi_sense_parse(struct scsi_sense *s, const uint8_t *buf, size_t len)
{
	uint8_t code = len ? buf[0] & 0x7f : 0;

	memset(s, 0, sizeof(*s));
	s->len = (unsigned)(len < sizeof(s->raw) ? len : sizeof(s->raw));
	memcpy(s->raw, buf, s->len);
	if ((code == 0x70 || code == 0x71) && len >= 3) {
		s->valid = 1;
		s->key = buf[2] & 0x0f;
		s->asc = len > 12 ? buf[12] : 0;
		s->ascq = len > 13 ? buf[13] : 0;
	} else if ((code == 0x72 || code == 0x73) && len >= 4) {
		s->valid = 1;
		s->key = buf[1] & 0x0f;
		s->asc = buf[2];
		s->ascq = buf[3];
	}
}

const char *scsi_sense_key_name(uint8_t key)
{
	static const char *const names[16] = {
		"NO SENSE", "RECOVERED ERROR", "NOT READY", "MEDIUM ERROR",
		"HARDWARE ERROR", "ILLEGAL REQUEST", "UNIT ATTENTION", "DATA PROTECT",
		"BLANK CHECK", "VENDOR SPECIFIC", "COPY ABORTED", "ABORTED COMMAND",
		"EQUAL", "VOLUME OVERFLOW", "MISCOMPARE", "COMPLETED",
	};

	return names[key & 0x0f];
}

/* The ASC/ASCQ pairs an optical drive gives in practice (SPC-4 table D.1, MMC-6). */
static const struct {
	uint8_t asc, ascq;
	const char *name;
} asc_names[] = {
	{ 0x00, 0x00, "NO ADDITIONAL SENSE INFORMATION" },
	{ 0x04, 0x00, "LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE" },
	{ 0x04, 0x01, "LOGICAL UNIT IS IN PROCESS OF BECOMING READY" },
	{ 0x04, 0x07, "LOGICAL UNIT NOT READY, OPERATION IN PROGRESS" },
	{ 0x11, 0x00, "UNRECOVERED READ ERROR" },
	{ 0x1a, 0x00, "PARAMETER LIST LENGTH ERROR" },
	{ 0x20, 0x00, "INVALID COMMAND OPERATION CODE" },
	{ 0x21, 0x00, "LOGICAL BLOCK ADDRESS OUT OF RANGE" },
	{ 0x24, 0x00, "INVALID FIELD IN CDB" },
	{ 0x26, 0x00, "INVALID FIELD IN PARAMETER LIST" },
	{ 0x28, 0x00, "NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED" },
	{ 0x29, 0x00, "POWER ON, RESET, OR BUS DEVICE RESET OCCURRED" },
	{ 0x2c, 0x00, "COMMAND SEQUENCE ERROR" },
	{ 0x30, 0x00, "INCOMPATIBLE MEDIUM INSTALLED" },
	{ 0x3a, 0x00, "MEDIUM NOT PRESENT" },
	{ 0x3a, 0x01, "MEDIUM NOT PRESENT - TRAY CLOSED" },
	{ 0x3a, 0x02, "MEDIUM NOT PRESENT - TRAY OPEN" },
	{ 0x3e, 0x00, "LOGICAL UNIT HAS NOT SELF-CONFIGURED YET" },
	{ 0x44, 0x00, "INTERNAL TARGET FAILURE" },
	{ 0x53, 0x02, "MEDIUM REMOVAL PREVENTED" },
	{ 0x6f, 0x00, "COPY PROTECTION KEY EXCHANGE FAILURE - AUTHENTICATION FAILURE" },
	{ 0x6f, 0x04, "MEDIA REGION CODE IS MISMATCHED TO LOGICAL UNIT REGION" },
	{ 0x6f, 0x05, "DRIVE REGION MUST BE PERMANENT/REGION RESET COUNT ERROR" },
};

const char *scsi_asc_name(uint8_t asc, uint8_t ascq)
{
	for (size_t i = 0; i < sizeof(asc_names) / sizeof(asc_names[0]); i++)
		if (asc_names[i].asc == asc && asc_names[i].ascq == ascq)
			return asc_names[i].name;
	return NULL;
}

const char *scsi_sense_str(const struct scsi_sense *s, char *buf, size_t len)
{
	const char *asc = scsi_asc_name(s->asc, s->ascq);

	if (asc)
		snprintf(buf, len, "%s, %s (%x/%02x/%02x)", scsi_sense_key_name(s->key), asc,
			 s->key, s->asc, s->ascq);
	else
		snprintf(buf, len, "%s (%x/%02x/%02x)", scsi_sense_key_name(s->key),
			 s->key, s->asc, s->ascq);
	return buf;
}
