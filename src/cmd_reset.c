/* SPDX-License-Identifier: GPL-2.0-or-later */
/* odrescue reset POS: soft reset POS's channel; signatures of both devices and BSY time. */
#include <errno.h>

#include "src/cli.h"
#include "src/show.h"

static int reset_run(struct ctx *c, int argc, char **argv)
{
	struct ata_reset_info ri;
	struct position pos;
	struct ata_port ap;
	int ret;

	ret = cmd_args_pos(c, &cmd_reset, argc, argv, 1, &pos);
	if (!ret)
		ret = ctx_open_bus(c, position_chan_mask(&pos));
	if (ret)
		return ret;
	ctx_port(c, &pos, &ap);
	ret = ata_softreset(&ap, &ri);
	if (c->bus.error) {
		err_msg(c, "reset: %s", c->bus.errmsg);
		return c->bus.error;
	}
	if (c->o.json) {
		struct json j;

		json_begin(&j, c->out);
		show_position_json(&j, c, &pos);
		json_int(&j, "bsy_ns", (long long)ri.bsy_ns);
		json_bool(&j, "bsy_stuck", ri.bsy_stuck);
		json_bool(&j, "floating", ri.floating);
		json_arr(&j, "devices");
		for (int dev = 0; dev < 2; dev++) {
			json_obj(&j, NULL);
			json_str(&j, "device", dev ? "slave" : "master");
			json_str(&j, "class", ata_class_name(ri.class[dev]));
			show_tf_json(&j, &ri.tf[dev], ri.class[dev] == ATA_DEV_ATAPI);
			json_str(&j, "diagnostic", ata_diag_str(ri.tf[dev].feature));
			json_close(&j);
		}
		json_close(&j);
		json_end(&j);
	} else {
		fprintf(c->out, "Soft reset of the channel at 0x%x/0x%x: BSY cleared after %.3f ms%s\n",
			ap.cmd, ap.ctl, ri.bsy_ns / 1e6,
			ri.bsy_stuck ? " - NO: BSY still set at the 31 s limit" : "");
		if (ri.floating)
			fprintf(c->out, "  the channel floats (0x%02x): no device drives it\n", ri.tf[0].command);
		for (int dev = 0; dev < 2; dev++) {
			const struct ata_tf *tf = &ri.tf[dev];

			fprintf(c->out, "  %s: %-7s status 0x%02x error 0x%02x (%s) signature %02x/%02x nsect/lbal %02x/%02x\n",
				dev ? "slave " : "master", ata_class_name(ri.class[dev]), tf->command, tf->feature,
				ata_diag_str(tf->feature), tf->lbam, tf->lbah, tf->nsect, tf->lbal);
		}
	}
	if (ri.bsy_stuck) {
		err_msg(c, "the drive at %s holds BSY: it does not answer the standard protocol - "
			"it looks like a drive without working firmware (see odrescue rescue)", argv[0]);
		return -ETIMEDOUT;
	}
	return ret == -ENODEV ? 0 : ret;
}

const struct command cmd_reset = {
	.name = "reset",
	.args = "POS",
	.summary = "soft reset POS's channel and report both devices' signatures and the BSY time",
	.example = "odrescue reset 3 --json",
	.run = reset_run,
};
