/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What is on a channel: reset, signatures, IDENTIFY, INQUIRY, TEST UNIT READY. Nothing else is sent. */
#ifndef ODRESCUE_PROBE_H
#define ODRESCUE_PROBE_H

#include "hw/ata.h"
#include "hw/ata_id.h"
#include "hw/mmc.h"
#include "hw/taskfile.h"

struct dev_probe {
	enum ata_class class;
	int busy;		/* held BSY through the reset: no working firmware? */
	uint8_t vendor_status;	/* 70h/72h/73h: found in MediaTek vendor mode, nothing sent (ids -EALREADY) */
	int id_ret;		/* IDENTIFY result, 0 if id[] is valid */
	uint16_t id[ATA_ID_WORDS];
	struct ata_id_info info;
	int inq_ret;		/* INQUIRY result, 0 if inq is valid */
	struct inquiry inq;
	int medium;		/* 1 present, 0 absent, -1 unknown */
	struct scsi_sense tur_sense;
};

struct chan_probe {
	int reset_ret;
	struct ata_reset_info ri;
	struct dev_probe dev[2];
};

/*
 * Identify one device whose class is known (or guessed): IDENTIFY, then
 * INQUIRY and TUR for ATAPI; none of them to a drive found in vendor mode.
 */
void probe_device(struct ata_port *ap, int dev, struct dev_probe *dp);
/*
 * The same through taskfile.h and pt.h (an AHCI port): dp->class comes
 * from the signature the caller read (PxSIG); ATA gets IDENTIFY DEVICE,
 * anything else IDENTIFY PACKET, then INQUIRY and TEST UNIT READY.
 */
void probe_tf(struct taskfile *t, struct pt *pt, struct dev_probe *dp);
/*
 * Soft reset the channel, classify both devices and identify what answers.
 * A channel with a drive in vendor mode is not reset (that would end it):
 * its other device is asked as it is.
 */
int probe_channel(struct ata_port *ap, struct chan_probe *cp);

#endif
