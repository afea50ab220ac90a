/* SPDX-License-Identifier: GPL-2.0-or-later */
/* odrescue identify POS: IDENTIFY (PACKET) DEVICE and INQUIRY, decoded. No reset. */
#include <errno.h>
#include <string.h>

#include "hw/probe.h"
#include "src/ahci_mode.h"
#include "src/atapi_mode.h"
#include "src/cli.h"
#include "src/show.h"

static const char *const drq_names[4] = { "DRQ within 3 ms", "INTRQ before CDB", "DRQ within 50 us", "reserved" };

static void identify_text(struct ctx *c, const struct position *pos, const struct dev_probe *dp)
{
	const struct ata_id_info *in = &dp->info;
	FILE *f = c->out;

	fprintf(f, "Position %s (%s): ", position_arg(pos), position_name(pos));
	show_dev_line(f, dp);
	fprintf(f, "  model            '%s'\n  firmware         '%s'\n  serial           '%s'\n",
		in->model, in->fw_rev, in->serial);
	if (in->packet)
		fprintf(f, "  device type      %s (%02xh)%s\n  packet size      %d bytes, %s\n",
			atapi_devtype_name(in->devtype), in->devtype, in->removable ? ", removable" : "",
			in->cdb_len, drq_names[in->drq_type]);
	fprintf(f, "  capabilities     %s%s\n", in->lba ? "LBA " : "", in->dma ? "DMA" : "");
	fprintf(f, "  PIO modes        0-%d", in->pio_max);
	if (in->min_pio_cycle)
		fprintf(f, " (min cycle %u ns with IORDY)", in->min_pio_cycle);
	fputc('\n', f);
	if (in->mwdma_max >= 0)
		fprintf(f, "  multiword DMA    0-%d\n", in->mwdma_max);
	if (in->udma_max >= 0)
		fprintf(f, "  Ultra DMA        0-%d\n", in->udma_max);
	if (in->major)
		fprintf(f, "  standard         ATA/ATAPI-%d\n", in->major);
	if (in->bcl_default)
		fprintf(f, "  default BCL      %u\n", in->bcl_default);
	if (!dp->inq_ret) {
		fprintf(f, "  INQUIRY          vendor '%s' product '%s' revision '%s'\n", dp->inq.vendor,
			dp->inq.product, dp->inq.revision);
		fprintf(f, "                   type %02xh%s, version %02xh, %u bytes\n", dp->inq.pdt,
			dp->inq.removable ? " removable" : "", dp->inq.version, dp->inq.len);
	}
	if (c->o.hex) {
		fputs("IDENTIFY words:\n", f);
		for (int i = 0; i < ATA_ID_WORDS; i += 8) {
			fprintf(f, "  %3d:", i);
			for (int k = 0; k < 8; k++)
				fprintf(f, " %04x", dp->id[i + k]);
			fputc('\n', f);
		}
		if (!dp->inq_ret) {
			fputs("INQUIRY bytes:\n", f);
			hexdump(f, dp->inq.raw, dp->inq.len, 0);
		}
	}
}

static void identify_json(struct ctx *c, const struct position *pos, const struct dev_probe *dp)
{
	const struct ata_id_info *in = &dp->info;
	struct json j;

	json_begin(&j, c->out);
	show_position_json(&j, c, pos);
	show_dev_json(&j, dp);
	json_bool(&j, "packet", in->packet);
	json_bool(&j, "removable", in->removable);
	if (in->packet) {
		json_int(&j, "cdb_len", in->cdb_len);
		json_str(&j, "drq_type", drq_names[in->drq_type]);
	} else {
		json_str(&j, "cdb_len", NULL);
		json_str(&j, "drq_type", NULL);
	}
	json_bool(&j, "lba", in->lba);
	json_bool(&j, "dma", in->dma);
	json_int(&j, "pio_max", in->pio_max);
	json_int(&j, "mwdma_max", in->mwdma_max);
	json_int(&j, "udma_max", in->udma_max);
	json_int(&j, "ata_major", in->major);
	json_int(&j, "min_pio_cycle_ns", in->min_pio_cycle);
	if (c->o.hex) {
		json_arr(&j, "identify_words");
		for (int i = 0; i < ATA_ID_WORDS; i++)
			json_int(&j, NULL, dp->id[i]);
		json_close(&j);
	}
	json_end(&j);
}

static int identify_run(struct ctx *c, int argc, char **argv)
{
	struct position pos;
	struct dev_probe dp;
	struct ata_port ap;
	int ret;

	ret = cmd_args_pos(c, &cmd_identify, argc, argv, 1, &pos);
	if (!ret && pos.node)
		return atapi_mode_identify(c, &pos);	/* ATAPI mode: SG_IO */
	if (!ret && pos.ahci) {
		ret = ahci_mode_probe(c, &pos, &dp);	/* a port of an AHCI controller */
		if (ret)
			return ret;
		goto show;
	}
	if (!ret)
		ret = ctx_open_bus(c, position_chan_mask(&pos));
	if (ret)
		return ret;
	ctx_port(c, &pos, &ap);
	memset(&dp, 0, sizeof(dp));
	/* hdparm's order: IDENTIFY DEVICE, then IDENTIFY PACKET if the signature says ATAPI. */
	dp.class = ATA_DEV_ATA;
	probe_device(&ap, pos.dev, &dp);
	if (c->bus.error) {
		err_msg(c, "identify: %s", c->bus.errmsg);
		return c->bus.error;
	}
	if (dp.vendor_status) {
		/* What is there is known, and asking would be a vendor command: said, not an error. */
		if (c->o.json) {
			struct json j;

			json_begin(&j, c->out);
			show_position_json(&j, c, &pos);
			show_dev_json(&j, &dp);
			json_end(&j);
		} else {
			fprintf(c->out, "Position %s (%s): ", argv[0], position_name(&pos));
			show_dev_line(c->out, &dp);
		}
		return 0;
	}
	if (dp.id_ret) {
		err_msg(c, "no device answers IDENTIFY at position %s (%s): %s", argv[0], position_name(&pos),
			strerror(-dp.id_ret));
		return dp.id_ret == -ETIMEDOUT || dp.id_ret == -EIO ? -ENODEV : dp.id_ret;
	}
show:
	if (c->o.json)
		identify_json(c, &pos, &dp);
	else
		identify_text(c, &pos, &dp);
	return 0;
}

const struct command cmd_identify = {
	.name = "identify",
	.args = "POS",
	.summary = "decode IDENTIFY (PACKET) DEVICE and INQUIRY of the device at POS (--hex: raw words)",
	.example = "odrescue identify 3 --hex",
	.run = identify_run,
	.flags = CMD_NODE | CMD_AHCI,
};
