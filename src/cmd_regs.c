/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * odrescue regs POS: every taskfile register and Alternate Status, decoded.
 * No command, no reset: only the Device register is written (to select the
 * device), and Status is read through Alternate Status so a pending
 * interrupt stays pending.
 */
#include <errno.h>

#include "src/cli.h"
#include "src/show.h"

static int regs_run(struct ctx *c, int argc, char **argv)
{
	struct position pos;
	struct ata_port ap;
	struct ata_tf tf;
	char sbuf[96], ebuf[96];
	int ret, atapi;

	ret = cmd_args_pos(c, &cmd_regs, argc, argv, 1, &pos);
	if (!ret)
		ret = ctx_open_bus(c, position_chan_mask(&pos));
	if (ret)
		return ret;
	ctx_port(c, &pos, &ap);
	ata_wr(&ap, ATA_REG_DEVICE, (uint8_t)(ATA_DEVICE_OBS | (pos.dev ? ATA_DEV1 : 0)));
	ata_pause(&ap);
	ata_tf_read(&ap, &tf);
	if (c->bus.error) {
		err_msg(c, "regs: %s", c->bus.errmsg);
		return c->bus.error;
	}
	atapi = ata_classify(&tf) == ATA_DEV_ATAPI;
	if (c->o.json) {
		struct json j;

		json_begin(&j, c->out);
		show_position_json(&j, c, &pos);
		show_tf_json(&j, &tf, atapi);
		json_hex(&j, "altstatus", tf.altstatus);
		json_str(&j, "diagnostic", ata_diag_str(tf.feature));
		json_end(&j);
		return 0;
	}
	fprintf(c->out, "Position %d (%s), command block 0x%x, control 0x%x\n", pos.number,
		position_name(&pos), ap.cmd, ap.ctl);
	fprintf(c->out, "  status   0x%02x  %s  (read via alternate status)\n", tf.command,
		ata_status_str(tf.command, sbuf, sizeof(sbuf)));
	fprintf(c->out, "  error    0x%02x  %s; as a diagnostic code: %s\n", tf.feature,
		ata_error_str(tf.feature, atapi, ebuf, sizeof(ebuf)), ata_diag_str(tf.feature));
	fprintf(c->out, "  nsect    0x%02x%s\n", tf.nsect, atapi ? "  (ATAPI interrupt reason)" : "");
	fprintf(c->out, "  lbal     0x%02x\n  lbam     0x%02x\n  lbah     0x%02x  signature %02x/%02x: %s\n",
		tf.lbal, tf.lbam, tf.lbah, tf.lbam, tf.lbah, ata_class_name(ata_classify(&tf)));
	fprintf(c->out, "  device   0x%02x  (device %d selected)\n", tf.device, !!(tf.device & ATA_DEV1));
	fprintf(c->out, "  altstat  0x%02x\n", tf.altstatus);
	if (tf.command == 0xff)
		fprintf(c->out, "  0xFF everywhere: nothing drives this channel (no device, or the channel is disabled)\n");
	return 0;
}

const struct command cmd_regs = {
	.name = "regs",
	.args = "POS",
	.summary = "read and decode every taskfile register of POS without sending a command",
	.example = "odrescue regs 3",
	.run = regs_run,
};
