/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SPC/MMC constants and sense decoding shared by both packet transports. */
#ifndef ODRESCUE_SCSI_H
#define ODRESCUE_SCSI_H

#include <stddef.h>
#include <stdint.h>

#include "hw/pt.h"

enum {
	TEST_UNIT_READY		= 0x00,
	REQUEST_SENSE		= 0x03,
	INQUIRY			= 0x12,
	START_STOP		= 0x1b,
	READ_CAPACITY		= 0x25,
	READ_10			= 0x28,
	WRITE_BUFFER		= 0x3b,
	READ_BUFFER		= 0x3c,
	GET_EVENT_STATUS_NOTIFICATION = 0x4a,
	SEND_KEY		= 0xa3,
	REPORT_KEY		= 0xa4,

	NO_SENSE		= 0x0,
	RECOVERED_ERROR		= 0x1,
	NOT_READY		= 0x2,
	MEDIUM_ERROR		= 0x3,
	HARDWARE_ERROR		= 0x4,
	ILLEGAL_REQUEST		= 0x5,
	UNIT_ATTENTION		= 0x6,
	DATA_PROTECT		= 0x7,
	ABORTED_COMMAND		= 0xb,
};

/* Fill s from fixed (70h/71h) or descriptor (72h/73h) sense data. */
void scsi_sense_parse(struct scsi_sense *s, const uint8_t *buf, size_t len);
const char *scsi_sense_key_name(uint8_t key);
/* "MEDIUM NOT PRESENT" etc.; NULL if unknown. */
const char *scsi_asc_name(uint8_t asc, uint8_t ascq);
/* "NOT READY, MEDIUM NOT PRESENT (2/3a/00)" */
const char *scsi_sense_str(const struct scsi_sense *s, char *buf, size_t len);

#endif
