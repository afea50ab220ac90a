/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet transport: run one CDB, move its data, return status and sense.
 * Implemented over raw ports by atapi.c and over the kernel by pt_sgio.c,
 * so mmc.c never knows which path it is on (sg3_utils' sg_pt_* seam).
 */
#ifndef ODRESCUE_PT_H
#define ODRESCUE_PT_H

#include <stddef.h>
#include <stdint.h>

enum pt_dir { PT_NONE, PT_IN, PT_OUT };

/* SAM status codes */
#define SAM_STAT_GOOD			0x00
#define SAM_STAT_CHECK_CONDITION	0x02

struct scsi_sense {
	int valid;
	uint8_t key;
	uint8_t asc;
	uint8_t ascq;
	uint8_t raw[32];
	unsigned len;
};

struct pt_cmd {
	uint8_t cdb[16];
	unsigned cdb_len;
	enum pt_dir dir;
	void *buf;
	size_t len;		/* bytes requested */
	size_t xfer;		/* bytes actually moved */
	uint64_t timeout_ns;	/* 0: the transport's default */
	uint8_t status;		/* SAM status */
	struct scsi_sense sense;
};

struct pt;

struct pt_ops {
	const char *name;
	/*
	 * 0: GOOD; -EIO: CHECK CONDITION with c->sense filled (sense.valid
	 * may be 0 if REQUEST SENSE itself failed); -ETIMEDOUT, -ENODEV,
	 * -EPROTO (device broke the protocol): transport failure.
	 */
	int (*exec)(struct pt *pt, struct pt_cmd *c);
	void (*close)(struct pt *pt);
};

struct pt {
	const struct pt_ops *ops;
	void *priv;
	char errmsg[256];	/* last transport failure, for the user */
};

static inline int pt_exec(struct pt *pt, struct pt_cmd *c)
{
	return pt->ops->exec(pt, c);
}

#endif
