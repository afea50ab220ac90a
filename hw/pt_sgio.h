/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet transport over the kernel's SG_IO ioctl (/dev/srN or /dev/sgN),
 * the "ATAPI mode" path. Results are decoded as sg3_utils does
 * (sg_err_category_new): sense first, then host_status, then driver_status.
 */
#ifndef ODRESCUE_PT_SGIO_H
#define ODRESCUE_PT_SGIO_H

#include <stdint.h>

#include "hw/pt.h"

/*
 * The system calls behind the transport, so tests can answer for the
 * kernel. Each returns a descriptor or 0, or -errno; never sets errno.
 */
struct sgio_sys {
	int (*open)(const char *path, int flags);
	int (*ioctl)(int fd, unsigned long req, void *arg);
	int (*close)(int fd);
};

extern const struct sgio_sys sgio_sys_linux;

/* sgio_open() flags */
#define SGIO_EXCL	0x1	/* O_RDWR|O_EXCL: on /dev/srN this stops the kernel's media polling */

/* Kept from the last command, for messages and tests. */
struct sgio_result {
	uint8_t status;		/* SCSI status byte */
	uint8_t masked_status;	/* (status >> 1) & 0x7f, the sg v3 field */
	uint16_t host_status;	/* DID_* */
	uint16_t driver_status;	/* DRIVER_* (low nibble) | SUGGEST_* */
	int resid;
	unsigned duration_ms;
	unsigned info;
};

/* Host byte values (Linux include/scsi/scsi_status.h, sg3_utils SG_LIB_DID_*). */
enum {
	SGIO_DID_OK		= 0x00,
	SGIO_DID_NO_CONNECT	= 0x01,
	SGIO_DID_BUS_BUSY	= 0x02,
	SGIO_DID_TIME_OUT	= 0x03,
	SGIO_DID_BAD_TARGET	= 0x04,
	SGIO_DID_ABORT		= 0x05,
	SGIO_DID_PARITY		= 0x06,
	SGIO_DID_ERROR		= 0x07,
	SGIO_DID_RESET		= 0x08,
	SGIO_DID_BAD_INTR	= 0x09,
	SGIO_DID_PASSTHROUGH	= 0x0a,
	SGIO_DID_SOFT_ERROR	= 0x0b,
	SGIO_DID_IMM_RETRY	= 0x0c,
	SGIO_DID_REQUEUE	= 0x0d,
	SGIO_DID_TRANSPORT_DISRUPTED = 0x0e,
	SGIO_DID_TRANSPORT_FAILFAST = 0x0f,
	SGIO_DID_NEXUS_FAILURE	= 0x11,
};

/* Driver byte, low nibble (sg3_utils SG_LIB_DRIVER_*). */
enum {
	SGIO_DRIVER_OK		= 0x00,
	SGIO_DRIVER_BUSY	= 0x01,
	SGIO_DRIVER_SOFT	= 0x02,
	SGIO_DRIVER_MEDIA	= 0x03,
	SGIO_DRIVER_ERROR	= 0x04,
	SGIO_DRIVER_INVALID	= 0x05,
	SGIO_DRIVER_TIMEOUT	= 0x06,
	SGIO_DRIVER_HARD	= 0x07,
	SGIO_DRIVER_SENSE	= 0x08,
	SGIO_DRIVER_MASK	= 0x0f,
};

/* Default per-command timeout when pt_cmd.timeout_ns is 0 (sg3_utils DEF_PT_TIMEOUT). */
#define SGIO_TMO_DEFAULT_NS	(60ULL * 1000000000ULL)

/*
 * Open node and check it speaks SG v3 (SG_GET_VERSION_NUM >= 30000).
 * sys NULL: the real system calls. On failure pt->errmsg says why and:
 * -ENODEV no such node or not an SG device, -EPERM/-EACCES permission,
 * -EBUSY node held exclusively (mounted?), other -errno from open.
 * Errors while running a command (pt_exec):
 *   0 GOOD (also CHECK CONDITION with NO SENSE / RECOVERED ERROR, as sg3_utils),
 *   -EIO CHECK CONDITION, c->sense parsed (valid 0 if the kernel gave none),
 *   -ETIMEDOUT DID_TIME_OUT or DRIVER_TIMEOUT, -ENODEV DID_NO_CONNECT or
 *   DID_BAD_TARGET, -EAGAIN busy (retry may work), -ECONNRESET the command
 *   was aborted or the bus reset, -EBUSY RESERVATION CONFLICT, -EPERM the
 *   kernel refused the CDB (not root: scsi_cmd_allowed), -EPROTO anything else.
 */
int sgio_open(struct pt *pt, const char *node, unsigned flags, const struct sgio_sys *sys);
/* Result fields of the last command run on pt. */
const struct sgio_result *sgio_last(const struct pt *pt);
/* SG driver version of the open node (e.g. 30536). */
int sgio_version(const struct pt *pt);

/* "DID_TIME_OUT", "DRIVER_SENSE": names for messages; "0x.." style fallback via buf. */
const char *sgio_host_name(unsigned host_status);
const char *sgio_driver_name(unsigned driver_status);

/*
 * IDENTIFY (PACKET) DEVICE (cmd A1h or ECh) through ATA PASS-THROUGH(16),
 * which libata passes to ATAPI devices unless atapi_passthru16=0. Works
 * on any pt. id[] gets the 256 words in host order. -EOPNOTSUPP when the
 * path rejects the CDB (ILLEGAL REQUEST): the caller reports "unavailable".
 */
int pt_ata16_identify(struct pt *pt, uint8_t ata_cmd, uint16_t id[256]);

extern const struct pt_ops sgio_pt_ops;

#endif
