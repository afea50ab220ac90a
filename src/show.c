/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "hw/mtk.h"
#include "hw/scsi.h"
#include "src/show.h"

static const char *medium_name(int m)
{
	return m > 0 ? "present" : m == 0 ? "absent" : NULL;
}

void show_dev_line(FILE *f, const struct dev_probe *dp)
{
	if (dp->vendor_status) {
		fprintf(f, "MediaTek drive already in vendor mode (status %02Xh: %s), left there by an interrupted "
			"run or another tool; dump, verify, flash --resume and rescue use it as it is, a power "
			"cycle ends it\n", dp->vendor_status, mtk_status_str(dp->vendor_status));
		return;
	}
	if (dp->busy) {
		fputs("busy: BSY never cleared - does not answer the standard protocol "
		      "(a drive without working firmware?)\n", f);
		return;
	}
	if (dp->class == ATA_DEV_NONE) {
		fputs("none\n", f);
		return;
	}
	if (dp->id_ret == -EBUSY) {
		fputs("unknown: the master holds BSY, so the slave cannot be asked\n", f);
		return;
	}
	if (dp->id_ret) {
		fprintf(f, "%s signature, but IDENTIFY failed (%s)\n", ata_class_name(dp->class),
			strerror(-dp->id_ret));
		return;
	}
	if (dp->class == ATA_DEV_ATA) {
		fprintf(f, "ATA disk '%s' rev '%s' serial '%s'\n", dp->info.model, dp->info.fw_rev,
			dp->info.serial);
		return;
	}
	fprintf(f, "ATAPI %s '%s' rev '%s'", atapi_devtype_name(dp->info.devtype), dp->info.model,
		dp->info.fw_rev);
	if (!dp->inq_ret)
		fprintf(f, " INQUIRY [%s][%s][%s]", dp->inq.vendor, dp->inq.product, dp->inq.revision);
	if (dp->medium >= 0)
		fprintf(f, " medium %s", medium_name(dp->medium));
	fputc('\n', f);
}

/* The same keys for every device: what it did not tell is null (the man page's promise). */
void show_dev_json(struct json *j, const struct dev_probe *dp)
{
	int id = !(dp->class == ATA_DEV_NONE || dp->busy || dp->id_ret);
	int atapi = id && dp->class == ATA_DEV_ATAPI;
	char buf[128];

	json_str(j, "class", dp->busy ? "busy" : ata_class_name(dp->class));
	json_bool(j, "busy", dp->busy);
	if (dp->vendor_status)
		json_hex(j, "vendor_mode_status", dp->vendor_status);
	else
		json_str(j, "vendor_mode_status", NULL);
	json_str(j, "model", id ? dp->info.model : NULL);
	json_str(j, "firmware", id ? dp->info.fw_rev : NULL);
	json_str(j, "serial", id ? dp->info.serial : NULL);
	json_str(j, "device_type", atapi ? atapi_devtype_name(dp->info.devtype) : NULL);
	if (atapi && !dp->inq_ret) {
		json_obj(j, "inquiry");
		json_str(j, "vendor", dp->inq.vendor);
		json_str(j, "product", dp->inq.product);
		json_str(j, "revision", dp->inq.revision);
		json_close(j);
	} else {
		json_str(j, "inquiry", NULL);
	}
	json_str(j, "medium", atapi ? medium_name(dp->medium) : NULL);
	json_str(j, "sense", atapi && (dp->medium == 0 || (dp->medium < 0 && dp->tur_sense.valid)) ?
		 scsi_sense_str(&dp->tur_sense, buf, sizeof(buf)) : NULL);
}

void show_tf_json(struct json *j, const struct ata_tf *tf, int atapi)
{
	char buf[96];

	json_hex(j, "status", tf->command);
	json_str(j, "status_bits", ata_status_str(tf->command, buf, sizeof(buf)));
	json_hex(j, "error", tf->feature);
	json_str(j, "error_bits", ata_error_str(tf->feature, atapi, buf, sizeof(buf)));
	json_hex(j, "nsect", tf->nsect);
	json_hex(j, "lbal", tf->lbal);
	json_hex(j, "lbam", tf->lbam);
	json_hex(j, "lbah", tf->lbah);
	json_hex(j, "device", tf->device);
	json_str(j, "signature", ata_class_name(ata_classify(tf)));
}

void show_position_json(struct json *j, struct ctx *c, const struct position *pos)
{
	struct ata_port ap;
	char buf[16];

	if (pos->ahci) {
		json_str(j, "position", position_arg(pos));
		json_str(j, "name", position_name(pos));
		return;
	}
	ctx_port(c, pos, &ap);
	json_int(j, "position", pos->number);
	json_str(j, "name", position_name(pos));
	snprintf(buf, sizeof(buf), "0x%x", ap.cmd);
	json_str(j, "cmd", buf);
	snprintf(buf, sizeof(buf), "0x%x", ap.ctl);
	json_str(j, "ctl", buf);
	json_str(j, "device", pos->dev ? "slave" : "master");
}
