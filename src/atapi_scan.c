/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scan and identify in ATAPI mode: what the kernel knows (sysfs), what
 * the drive says (INQUIRY, and IDENTIFY PACKET DEVICE through ATA
 * PASS-THROUGH(16) where libata allows it), and the raw position of the
 * same drive, so the user can move between the two paths.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ata_id.h"
#include "hw/pt_sgio.h"
#include "hw/scsi.h"
#include "src/atapi_mode.h"
#include "src/atapi_sysfs.h"
#include "src/output.h"

static const char *const drq_names[4] = { "DRQ within 3 ms", "INTRQ before CDB", "DRQ within 50 us", "reserved" };

static int is_ide(const struct sg_drive *d)
{
	return d->pci_class >> 8 == 0x0101;
}

/* Where the same drive is in raw mode. */
static const char *raw_hint(const struct sg_drive *d, char *buf, size_t len)
{
	static const char *const names[4] = { "primary master", "primary slave", "secondary master", "secondary slave" };

	if (d->usb)
		snprintf(buf, len, "none: behind a USB bridge (ATAPI mode only)");
	else if (d->ata_port < 0)
		snprintf(buf, len, "none: not on a libata port");
	else if (d->pci_class && !is_ide(d))
		snprintf(buf, len, "none: PCI class %06xh is not an IDE controller (raw mode needs an IDE channel)",
			 d->pci_class);
	else if (d->position)
		snprintf(buf, len, "%d (%s)", d->position, names[d->position - 1]);
	else if (d->cmd)
		snprintf(buf, len, "%s with -p ioport:base=0x%x,ctl=0x%x (native-mode channel)",
			 d->dev ? "s" : "m", d->cmd, d->ctl);
	else
		snprintf(buf, len, "unknown");
	return buf;
}

static void location_json(struct json *j, const struct sg_drive *d)
{
	char buf[160];

	json_obj(j, "location");
	json_str(j, "bus", d->usb ? "usb" : d->ata_port >= 0 ? "ata" : "scsi");
	if (d->ata_port >= 0)
		json_int(j, "ata_port", d->ata_port);
	else
		json_str(j, "ata_port", NULL);
	json_str(j, "pci", d->pci[0] ? d->pci : NULL);
	json_str(j, "driver", d->driver[0] ? d->driver : NULL);
	json_str(j, "channel", d->chan < 0 || !is_ide(d) ? NULL : d->chan ? "secondary" : "primary");
	json_str(j, "device", d->dev < 0 || !is_ide(d) ? NULL : d->dev ? "slave" : "master");
	if (d->legacy >= 0)
		json_bool(j, "legacy", d->legacy);
	else
		json_str(j, "legacy", NULL);
	if (d->cmd) {
		json_hex(j, "cmd", d->cmd);
		json_hex(j, "ctl", d->ctl);
	} else {
		json_str(j, "cmd", NULL);
		json_str(j, "ctl", NULL);
	}
	if (d->position)
		json_int(j, "position", d->position);
	else
		json_str(j, "position", NULL);
	json_str(j, "raw", raw_hint(d, buf, sizeof(buf)));
	json_close(j);
}

static void kernel_names_json(struct json *j, const struct sg_drive *d)
{
	char hctl[48];

	snprintf(hctl, sizeof(hctl), "%d:%d:%d:%d", d->host, d->channel, d->target, d->lun);
	json_str(j, "sr", d->sr[0] ? d->sr : NULL);
	json_str(j, "sg", d->sg[0] ? d->sg : NULL);
	json_str(j, "scsi", hctl);
}

static void inquiry_json(struct json *j, const struct inquiry *inq)
{
	json_obj(j, "inquiry");
	json_str(j, "vendor", inq->vendor);
	json_str(j, "product", inq->product);
	json_str(j, "revision", inq->revision);
	json_int(j, "type", inq->pdt);
	json_bool(j, "removable", inq->removable);
	json_int(j, "version", inq->version);
	json_int(j, "length", inq->len);
	json_close(j);
}

/* The drive's answers, gathered before anything is printed. */
struct node_info {
	struct sg_drive d;
	int have_sysfs;
	int medium;		/* 1 present, 0 absent, -1 unknown */
	int id_ret;
	uint16_t id[ATA_ID_WORDS];
	struct ata_id_info info;
	char id_err[200];
};

static void identify_text(struct ctx *c, const struct atapi_target *t, const struct node_info *ni)
{
	const struct ata_id_info *in = &ni->info;
	const struct inquiry *inq = &t->inq;
	FILE *f = c->out;
	char buf[160];

	fprintf(f, "%s: INQUIRY [%s][%s][%s]", t->node, inq->vendor, inq->product, inq->revision);
	if (ni->medium >= 0)
		fprintf(f, " medium %s", ni->medium ? "present" : "absent");
	fputc('\n', f);
	if (ni->have_sysfs) {
		fprintf(f, "  kernel           %s%s%s, SCSI %d:%d:%d:%d\n", ni->d.sr[0] ? ni->d.sr : "",
			ni->d.sr[0] && ni->d.sg[0] ? ", " : "", ni->d.sg, ni->d.host, ni->d.channel,
			ni->d.target, ni->d.lun);
		fprintf(f, "  location         %s\n", sg_drive_where(&ni->d, buf, sizeof(buf)));
		fprintf(f, "  raw position     %s\n", raw_hint(&ni->d, buf, sizeof(buf)));
	}
	fprintf(f, "  INQUIRY          vendor '%s' product '%s' revision '%s'\n", inq->vendor, inq->product,
		inq->revision);
	fprintf(f, "                   type %02xh%s, version %02xh, %u bytes\n", inq->pdt,
		inq->removable ? " removable" : "", inq->version, inq->len);
	if (ni->id_ret) {
		fprintf(f, "  IDENTIFY         unavailable through SG_IO: %s\n", ni->id_err);
	} else {
		fprintf(f, "  IDENTIFY PACKET DEVICE (through ATA PASS-THROUGH(16)):\n");
		fprintf(f, "  model            '%s'\n  firmware         '%s'\n  serial           '%s'\n",
			in->model, in->fw_rev, in->serial);
		if (in->packet)
			fprintf(f, "  device type      %s (%02xh)%s\n  packet size      %d bytes, %s\n",
				atapi_devtype_name(in->devtype), in->devtype, in->removable ? ", removable" : "",
				in->cdb_len, drq_names[in->drq_type & 3]);
		fprintf(f, "  capabilities     %s%s\n", in->lba ? "LBA " : "", in->dma ? "DMA" : "");
		fprintf(f, "  PIO modes        0-%d\n", in->pio_max);
		if (in->mwdma_max >= 0)
			fprintf(f, "  multiword DMA    0-%d\n", in->mwdma_max);
		if (in->udma_max >= 0)
			fprintf(f, "  Ultra DMA        0-%d\n", in->udma_max);
		if (in->major)
			fprintf(f, "  standard         ATA/ATAPI-%d\n", in->major);
	}
	if (c->o.hex) {
		if (!ni->id_ret) {
			fputs("IDENTIFY words:\n", f);
			for (int i = 0; i < ATA_ID_WORDS; i += 8) {
				fprintf(f, "  %3d:", i);
				for (int k = 0; k < 8; k++)
					fprintf(f, " %04x", ni->id[i + k]);
				fputc('\n', f);
			}
		}
		fputs("INQUIRY bytes:\n", f);
		hexdump(f, inq->raw, inq->len, 0);
	}
}

static void identify_json(struct ctx *c, const struct atapi_target *t, const struct node_info *ni)
{
	const struct ata_id_info *in = &ni->info;
	struct json j;

	json_begin(&j, c->out);
	json_str(&j, "node", t->node);
	json_str(&j, "path", "sg_io");
	if (ni->have_sysfs) {
		kernel_names_json(&j, &ni->d);
		location_json(&j, &ni->d);
	} else {
		json_str(&j, "location", NULL);
	}
	inquiry_json(&j, &t->inq);
	json_str(&j, "medium", ni->medium < 0 ? NULL : ni->medium ? "present" : "absent");
	if (ni->id_ret) {
		json_str(&j, "identify", NULL);
		json_str(&j, "identify_error", ni->id_err);
	} else {
		json_obj(&j, "identify");
		json_str(&j, "model", in->model);
		json_str(&j, "firmware", in->fw_rev);
		json_str(&j, "serial", in->serial);
		json_bool(&j, "packet", in->packet);
		json_str(&j, "device_type", in->packet ? atapi_devtype_name(in->devtype) : NULL);
		json_bool(&j, "removable", in->removable);
		json_int(&j, "cdb_len", in->cdb_len);
		json_str(&j, "drq_type", drq_names[in->drq_type & 3]);
		json_bool(&j, "lba", in->lba);
		json_bool(&j, "dma", in->dma);
		json_int(&j, "pio_max", in->pio_max);
		json_int(&j, "mwdma_max", in->mwdma_max);
		json_int(&j, "udma_max", in->udma_max);
		json_int(&j, "ata_major", in->major);
		if (c->o.hex) {
			json_arr(&j, "identify_words");
			for (int i = 0; i < ATA_ID_WORDS; i++)
				json_int(&j, NULL, ni->id[i]);
			json_close(&j);
		}
		json_close(&j);
	}
	json_end(&j);
}

int atapi_mode_identify(struct ctx *c, const struct position *pos)
{
	struct atapi_target t;
	struct node_info *ni;
	struct scsi_sense s;
	int ret;

	ret = atapi_target_open(c, pos, ATGT_ANY_TYPE, &t);
	if (ret)
		return ret;
	ni = calloc(1, sizeof(*ni));
	if (!ni) {
		atapi_target_close(&t);
		return -ENOMEM;
	}
	ni->have_sysfs = !sg_sysfs_find(sg_sysfs_root(), pos->node, &ni->d);
	ret = mmc_test_unit_ready(&t.pt, &s);
	ni->medium = !ret ? 1 : (ret == -EIO && s.key == NOT_READY && s.asc == 0x3a) ? 0 : -1;
	/* IDENTIFY PACKET DEVICE for a packet device, IDENTIFY DEVICE otherwise (hdparm's order reversed: we know it). */
	ni->id_ret = pt_ata16_identify(&t.pt, t.inq.pdt == SCSI_TYPE_ROM ? ATA_CMD_ID_ATAPI : ATA_CMD_ID_ATA, ni->id);
	if (!ni->id_ret)
		ni->id_ret = ata_id_decode(ni->id, &ni->info);
	if (ni->id_ret == -EOPNOTSUPP)
		snprintf(ni->id_err, sizeof(ni->id_err), "the path rejects ATA PASS-THROUGH(16) (%s; libata "
			 "allows it unless atapi_passthru16=0; USB bridges often do not)",
			 scsi_sense_str(&t.last.sense, (char[96]){ 0 }, 96));
	else if (ni->id_ret)
		atapi_target_err(c, &t, ni->id_ret, ni->id_err, sizeof(ni->id_err));
	if (c->o.json)
		identify_json(c, &t, ni);
	else
		identify_text(c, &t, ni);
	free(ni);
	atapi_target_close(&t);
	return 0;
}

/* One drive of the list: INQUIRY through SG_IO if we may open it, else the kernel's copy. */
static int scan_inquiry(const struct sg_drive *d, struct inquiry *inq, char *node, size_t nlen,
			char *err, size_t elen)
{
	struct pt pt;
	int ret;

	snprintf(node, nlen, "%s/%s", sg_dev_root(), d->sr[0] ? d->sr : d->sg);
	err[0] = '\0';
	if (!d->sr[0] && !d->sg[0]) {
		snprintf(err, elen, "no /dev node (neither sr_mod nor sg has claimed it)");
		return -ENODEV;
	}
	ret = sgio_open(&pt, node, 0, atapi_sgio_sys);
	if (ret == -ENODEV || ret == -EPERM)
		snprintf(err, elen, "%s: %s", node, ret == -EPERM ? "permission denied, root reads INQUIRY live" :
			 "no such SG device node");
	else if (ret)
		snprintf(err, elen, "%s", pt.errmsg);
	if (ret)
		return ret;
	ret = mmc_inquiry(&pt, inq);
	if (ret)
		snprintf(err, elen, "INQUIRY: %s", pt.errmsg[0] ? pt.errmsg : strerror(-ret));
	pt.ops->close(&pt);
	return ret;
}

int atapi_mode_scan(struct ctx *c, int argc, char **argv)
{
	const char *root = sg_sysfs_root();
	struct sg_drive *d;
	struct json j;
	int n;

	(void)argv;
	if (argc) {
		err_msg(c, "usage: odrescue scan --atapi");
		return -EINVAL;
	}
	d = calloc(SG_DRIVES_MAX, sizeof(*d));
	if (!d)
		return -ENOMEM;
	n = sg_sysfs_list(root, SCSI_TYPE_ROM, d, SG_DRIVES_MAX);
	if (n == -ENOENT) {
		warn_msg(c, "%s/bus/scsi/devices does not exist: no SCSI subsystem (sr_mod, sg) or no sysfs", root);
		n = 0;
	} else if (n < 0) {
		err_msg(c, "cannot read %s/bus/scsi/devices: %s", root, strerror(-n));
		free(d);
		return n;
	}
	if (c->o.json) {
		json_begin(&j, c->out);
		json_arr(&j, "drives");
	} else {
		fprintf(c->out, "ATAPI mode: CD/DVD drives the kernel knows (%s)\n", root);
	}
	for (int i = 0; i < n; i++) {
		char node[300], err[400], hint[160], where[160];
		struct inquiry inq;
		int ret = scan_inquiry(&d[i], &inq, node, sizeof(node), err, sizeof(err));

		if (c->o.json) {
			json_obj(&j, NULL);
			json_str(&j, "node", d[i].sr[0] || d[i].sg[0] ? node : NULL);
			kernel_names_json(&j, &d[i]);
			json_obj(&j, "inquiry");
			json_str(&j, "vendor", ret ? d[i].vendor : inq.vendor);
			json_str(&j, "product", ret ? d[i].model : inq.product);
			json_str(&j, "revision", ret ? d[i].rev : inq.revision);
			json_str(&j, "source", ret ? "sysfs" : "inquiry");
			json_close(&j);
			json_str(&j, "inquiry_error", ret ? err : NULL);
			location_json(&j, &d[i]);
			json_close(&j);
			continue;
		}
		fprintf(c->out, "%-10s %-5s ", d[i].sr[0] ? node : "-", d[i].sg[0] ? d[i].sg : "-");
		if (ret)
			fprintf(c->out, "[%s][%s][%s] (sysfs; %s)\n", d[i].vendor, d[i].model, d[i].rev, err);
		else
			fprintf(c->out, "[%s][%s][%s]\n", inq.vendor, inq.product, inq.revision);
		fprintf(c->out, "           %s; raw position %s\n", sg_drive_where(&d[i], where, sizeof(where)),
			raw_hint(&d[i], hint, sizeof(hint)));
	}
	if (c->o.json) {
		json_close(&j);
		json_int(&j, "found", n);
		json_end(&j);
	} else if (!n) {
		fprintf(c->out, "none (is sr_mod or sg loaded?)\n");
	}
	free(d);
	return 0;
}
