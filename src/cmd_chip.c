/* SPDX-License-Identifier: GPL-2.0-or-later */
/* odrescue chip POS: enter vendor mode, identify the flash chip, leave. Writes nothing. */
#include <errno.h>

#include "src/ahci_mode.h"
#include "src/atapi_sat.h"
#include "src/show.h"
#include "src/vendor.h"

static int chip_run(struct ctx *c, int argc, char **argv)
{
	struct flash_dev f;
	struct position pos;
	struct ata_port ap;
	int ret;

	ret = cmd_args_pos(c, &cmd_chip, argc, argv, 1, &pos);
	if (!ret)
		ret = vendor_open(c, &pos, &ap, &f);
	if (ret)
		return ret;
	if (f.chip->no_write) {
		err_msg(c, "refused: the drive at %s reports status 73h, and the public record has no chip-ID "
			"layout for 73h drives (JungleFlasher sends counts 01 00 03 00, which do not fit the 73h "
			"layout); dump and verify read 256 KiB as JungleFlasher does, flash is refused",
			position_name(&pos));
		flash_close(&f);
		return -E_REFUSED;
	}
	if (c->o.json) {
		struct json j;

		json_begin(&j, c->out);
		show_position_json(&j, c, &pos);
		json_hex(&j, "vendor_status", f.m.status);
		json_str(&j, "flash_bus", f.m.serial ? "spi" : "parallel");
		json_str(&j, "vendor", f.chip->vendor);
		json_str(&j, "chip", f.chip->name);
		json_int(&j, "size", f.chip->size);
		json_int(&j, "erase_unit", f.chip->sector);
		json_hex(&j, "manufacturer_id", f.id[0]);
		json_hex(&j, "device_id", f.id_len == 3 ? (unsigned)(f.id[1] << 8 | f.id[2]) : f.id[1]);
		json_str(&j, "id_command", f.id_kind);
		if (f.m.serial) {
			json_str(&j, "serial_commands", mtk_dialects[f.m.dialect].name);
			json_hex(&j, "status_register", f.sr);
		}
		json_end(&j);
	} else {
		fprintf(c->out, "Position %s: status %02Xh (%s)\n", position_name(&pos), f.m.status,
			mtk_status_str(f.m.status));
		vendor_chip_line(c, &f);
	}
	flash_close(&f);
	return 0;
}

const struct command cmd_chip = {
	.name = "chip",
	.args = "POS",
	.summary = "enter MediaTek vendor mode and identify the flash chip (writes nothing)",
	.example = "odrescue chip 3",
	.run = chip_run,
	.flags = CMD_AHCI | CMD_SAT,
};
