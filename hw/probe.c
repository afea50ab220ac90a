/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "hw/atapi.h"
#include "hw/mtk.h"
#include "hw/probe.h"
#include "hw/scsi.h"

/* INQUIRY and TEST UNIT READY of a packet device, whatever carries the CDBs. */
static void probe_packet(struct pt *pt, struct dev_probe *dp)
{
	dp->inq_ret = mmc_inquiry(pt, &dp->inq);
	if (mmc_test_unit_ready(pt, &dp->tur_sense) == 0)
		dp->medium = 1;
	else if (dp->tur_sense.key == NOT_READY && dp->tur_sense.asc == 0x3a)
		dp->medium = 0;
}

void probe_tf(struct taskfile *t, struct pt *pt, struct dev_probe *dp)
{
	dp->medium = -1;
	dp->inq_ret = -ENODEV;
	dp->id_ret = tf_identify(t, 0, dp->class == ATA_DEV_ATA ? ATA_CMD_ID_ATA : ATA_CMD_ID_ATAPI, dp->id);
	/* An unknown signature that was no packet device: try the disk's IDENTIFY. */
	if (dp->id_ret == -EIO && dp->class == ATA_DEV_UNKNOWN)
		dp->id_ret = tf_identify(t, 0, ATA_CMD_ID_ATA, dp->id);
	if (!dp->id_ret)
		dp->id_ret = ata_id_decode(dp->id, &dp->info);
	if (dp->id_ret)
		return;
	dp->class = dp->info.packet ? ATA_DEV_ATAPI : ATA_DEV_ATA;
	if (dp->info.packet)
		probe_packet(pt, dp);
}

/* A drive in vendor mode takes no IDENTIFY: it would read it as a vendor command. */
static int in_vendor_mode(struct ata_port *ap, int dev, struct dev_probe *dp)
{
	struct mtk m;

	if (mtk_found(&m, TF_RAW(ap), dev))
		return 0;
	dp->vendor_status = m.status;
	dp->class = ATA_DEV_ATAPI;
	dp->id_ret = dp->inq_ret = -EALREADY;
	return 1;
}

/* Without a reset: is anything at dev (Status neither floating nor 00h beside a device)? */
static int answers(struct ata_port *ap, int dev)
{
	uint8_t st;

	ata_wr(ap, ATA_REG_DEVICE, (uint8_t)(ATA_DEVICE_OBS | (dev ? ATA_DEV1 : 0)));
	ata_pause(ap);
	st = ata_altstatus(ap);
	return st != 0xff && st != 0x7f && st != 0x00;
}

/* The channel as it is, one drive in vendor mode: the other is identified without a reset. */
static int probe_unreset(struct ata_port *ap, struct chan_probe *cp)
{
	for (int dev = 0; dev < 2; dev++) {
		struct dev_probe *dp = &cp->dev[dev];

		dp->medium = -1;
		dp->id_ret = dp->inq_ret = -ENODEV;
		if (in_vendor_mode(ap, dev, dp))
			continue;
		dp->class = answers(ap, dev) ? ATA_DEV_ATA : ATA_DEV_NONE;	/* ECh first: a packet device aborts it */
		if (dp->class != ATA_DEV_NONE)
			probe_device(ap, dev, dp);
	}
	return ap->bus->error;
}

void probe_device(struct ata_port *ap, int dev, struct dev_probe *dp)
{
	struct atapi_dev ad;
	struct pt pt;

	dp->medium = -1;
	dp->inq_ret = -ENODEV;
	if (in_vendor_mode(ap, dev, dp))
		return;
	if (dp->class == ATA_DEV_ATA) {
		dp->id_ret = ata_identify(ap, dev, ATA_CMD_ID_ATA, dp->id);
		/* An ATAPI device aborts ECh and posts its signature (ATA/ATAPI-7 8.15). */
		if (dp->id_ret == -EIO && ata_classify(&(struct ata_tf){
				.lbam = ata_rd(ap, ATA_REG_LBAM), .lbah = ata_rd(ap, ATA_REG_LBAH) }) == ATA_DEV_ATAPI)
			dp->class = ATA_DEV_ATAPI;
		else
			goto decode;
	}
	dp->id_ret = ata_identify(ap, dev, ATA_CMD_ID_ATAPI, dp->id);
decode:
	if (!dp->id_ret)
		dp->id_ret = ata_id_decode(dp->id, &dp->info);
	if (dp->id_ret)
		return;
	if (!dp->info.packet) {
		dp->class = ATA_DEV_ATA;
		return;
	}
	dp->class = ATA_DEV_ATAPI;
	atapi_pt_init(&pt, &ad, ap, dev);
	ad.cdb_len = dp->info.cdb_len;
	probe_packet(&pt, dp);
}

int probe_channel(struct ata_port *ap, struct chan_probe *cp)
{
	struct mtk m;

	memset(cp, 0, sizeof(*cp));
	if (!mtk_found(&m, TF_RAW(ap), 0) || !mtk_found(&m, TF_RAW(ap), 1))
		return probe_unreset(ap, cp);
	cp->reset_ret = ata_softreset(ap, &cp->ri);
	if (ap->bus->error)
		return ap->bus->error;
	for (int dev = 0; dev < 2; dev++) {
		struct dev_probe *dp = &cp->dev[dev];

		dp->class = cp->ri.class[dev];
		dp->medium = -1;
		dp->id_ret = -ENODEV;
		dp->inq_ret = -ENODEV;
		if (cp->ri.busy[dev]) {
			dp->busy = 1;
			continue;
		}
		if (dp->class == ATA_DEV_NONE || cp->ri.floating)
			continue;
		if (cp->ri.bsy_stuck) {
			dp->id_ret = -EBUSY;	/* unreachable behind a busy device 0 */
			continue;
		}
		if (dp->class == ATA_DEV_UNKNOWN)
			dp->class = ATA_DEV_ATAPI;	/* odd signature: IDENTIFY PACKET decides */
		probe_device(ap, dev, dp);
		if (dp->id_ret)
			dp->class = cp->ri.class[dev] == ATA_DEV_UNKNOWN ? ATA_DEV_UNKNOWN : dp->class;
	}
	return cp->ri.floating ? -ENODEV : 0;
}
