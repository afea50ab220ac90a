/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One taskfile command, many transports: "these registers, this command,
 * this data direction and length; give back the result registers". The
 * raw IDE registers carry it (taskfile_raw.c, over ata.c); a user-space
 * AHCI port carries it as a Register H2D FIS (ahci.c); SG_IO ATA
 * PASS-THROUGH(16) is the third (hdparm's transport-neutral ata_tf and
 * sg16(), libata's ata_tf_to_host(): load the taskfile, then write the
 * command).
 *
 * What only the raw path does (TF_CAP_REGS): read the taskfile without
 * sending a command, and latch register writes that no command follows.
 * On SATA a Register FIS leaves the host only when Command (or Device
 * Control) is written, and every register read comes from the drive's
 * last D2H FIS (AHCI 1.3.1 3.3.8 PxTFD, Serial ATA 2.6 10.3.5), so a
 * protocol layer meant for every transport relies on exec() alone.
 */
#ifndef ODRESCUE_TASKFILE_H
#define ODRESCUE_TASKFILE_H

#include <stddef.h>
#include <stdint.h>

#include "hw/ata.h"
#include "hw/pt.h"

/* Registers of tf_cmd.tf written before Command, in ata_tf_load()'s order. */
enum {
	TF_FEATURE	= 1 << 0,
	TF_NSECT	= 1 << 1,
	TF_LBAL		= 1 << 2,
	TF_LBAM		= 1 << 3,
	TF_LBAH		= 1 << 4,
	TF_DEVICE	= 1 << 5,
	TF_ALL		= 0x3f,
};

/* Data phase: none, or PIO in 512-byte DRQ blocks (ATA8-ACS PIO data-in/out). */
enum tf_proto { TF_NODATA, TF_PIO_IN, TF_PIO_OUT };

struct tf_cmd {
	struct ata_tf tf;	/* Features..Device as marked in regs, Command in tf.command */
	unsigned regs;		/* TF_* written before Command; a FIS transport sends them all */
	int dev;		/* 0 or 1 (Device's DEV bit); a SATA port has device 0 only */
	enum tf_proto proto;
	void *buf;		/* len bytes, a multiple of 512 for PIO */
	size_t len;
	uint64_t timeout_ns;	/* 0: ATA_TMO_DATA */
	/*
	 * Result: Status in res.command and Error in res.feature always;
	 * for TF_NODATA all of them (the last D2H FIS on SATA).
	 */
	struct ata_tf res;
	size_t xfer;		/* bytes moved */
};

/* What a transport can do beyond exec(). */
enum {
	TF_CAP_REGS	= 1 << 0,	/* regs(): the taskfile read with no command (raw IDE only) */
};

struct taskfile;

struct taskfile_ops {
	const char *name;
	unsigned caps;
	/*
	 * Run one command. 0: it completed (BSY clear) without ERR; -EIO:
	 * Status has ERR (c->res holds the registers). DF alone is no
	 * failure here: a MediaTek drive in vendor mode answers 70h, DF set
	 * (mtk-protocol.md), so the caller judges Status. -ETIMEDOUT,
	 * -ENODEV, -EPROTO (the device broke the protocol), -EINTR (stop).
	 */
	int (*exec)(struct taskfile *t, struct tf_cmd *c);
	/* TF_CAP_REGS only: the shadow registers as they are now; NULL elsewhere. */
	void (*regs)(struct taskfile *t, struct ata_tf *res);
	/*
	 * Status as the host holds it, no command sent: the last D2H FIS on an
	 * AHCI port (PxTFD). 0..255, or -errno; NULL where nothing holds it
	 * (SG_IO). The raw path reads its Status register in mtk.c itself.
	 */
	int (*status)(struct taskfile *t);
	/* The transport's clock: the waits a protocol's record prescribes (virtual on simulators). */
	void (*delay_ns)(struct taskfile *t, uint64_t ns);
	uint64_t (*now_ns)(struct taskfile *t);
};

struct taskfile {
	const struct taskfile_ops *ops;
	void *priv;
	/*
	 * What the transport knows of the device without a command: 1 a packet
	 * device (an AHCI port's signature, the kernel's class of the node),
	 * 0 an ATA disk, -1 unknown (IDENTIFY asks).
	 */
	int packet;
};

static inline int tf_exec(struct taskfile *t, struct tf_cmd *c)
{
	return t->ops->exec(t, c);
}

static inline void tf_delay_ns(struct taskfile *t, uint64_t ns)
{
	t->ops->delay_ns(t, ns);
}

static inline uint64_t tf_now_ns(struct taskfile *t)
{
	return t->ops->now_ns(t);
}

/* The raw IDE registers of ap (no I/O until exec). */
void taskfile_raw_init(struct taskfile *t, struct ata_port *ap);
extern const struct taskfile_ops taskfile_raw_ops;
/* The same as a pointer to a temporary, for a call that copies it: mtk_intro(&m, TF_RAW(ap), dev). */
#define TF_RAW(ap)	(&(struct taskfile){ .ops = &taskfile_raw_ops, .priv = (ap), .packet = -1 })

/*
 * SCSI ATA PASS-THROUGH(16) on a packet transport (taskfile_sat.c): the
 * kernel's SG_IO and libata's translation. clock NULL: the system's
 * monotonic clock; a simulator's bus for its virtual one.
 */
struct taskfile_sat {
	struct pt *pt;
	struct bus *clock;
};
void taskfile_sat_init(struct taskfile *t, struct taskfile_sat *s);
extern const struct taskfile_ops taskfile_sat_ops;
struct scsi_sense;
/* The result registers libata puts in the sense data (descriptor 09h, or fixed format); 0 or -EPROTO. */
int sat_result(const struct scsi_sense *s, struct ata_tf *res);

/* IDENTIFY (PACKET) DEVICE on any transport: one PIO data-in block into id[]. */
int tf_identify(struct taskfile *t, int dev, uint8_t cmd, uint16_t id[ATA_ID_WORDS]);

#endif
