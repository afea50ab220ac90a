/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SPC/MMC commands over a packet transport (pt.h). */
#ifndef ODRESCUE_MMC_H
#define ODRESCUE_MMC_H

#include <stddef.h>
#include <stdint.h>

#include "hw/pt.h"

struct inquiry {
	uint8_t raw[96];
	unsigned len;		/* bytes returned */
	uint8_t pdt;		/* peripheral device type: 05h CD/DVD */
	int removable;
	uint8_t version;
	uint8_t resp_fmt;
	char vendor[9];		/* trailing spaces kept, as users paste them */
	char product[17];
	char revision[5];
};

struct media_state {
	int present;		/* medium in the drive */
	int tray_open;
	int event;		/* GESN media event code */
};

struct rpc_state {
	int type;		/* 0 none set, 1 set, 2 last chance, 3 permanent */
	int vendor_resets;	/* VRA */
	int user_changes;	/* UCCA */
	uint8_t region_mask;	/* bit n clear: region n+1 playable */
	int scheme;		/* 0 none/RPC-1, 1 RPC Phase II */
};

int mmc_inquiry(struct pt *pt, struct inquiry *inq);
int mmc_test_unit_ready(struct pt *pt, struct scsi_sense *sense);
int mmc_request_sense(struct pt *pt, struct scsi_sense *sense);
int mmc_get_event_status(struct pt *pt, struct media_state *m);
int mmc_read_capacity(struct pt *pt, uint32_t *last_lba, uint32_t *block_len);
int mmc_read10(struct pt *pt, uint32_t lba, uint16_t blocks, void *buf, size_t len);
int mmc_report_rpc(struct pt *pt, struct rpc_state *r);
int mmc_start_stop(struct pt *pt, int load_eject, int start);
int mmc_write_buffer(struct pt *pt, uint8_t mode, uint8_t buf_id, uint32_t offset,
		     const void *data, uint32_t len, uint64_t timeout_ns);

/* Copy n bytes of INQUIRY text into out[n+1], keeping padding, making non-printables '.'. */
void mmc_inq_field(char *out, const uint8_t *src, size_t n);

#endif
