/* SPDX-License-Identifier: GPL-2.0-or-later */
/* odrescue scan: what is at positions 1-4. Sends only reset, IDENTIFY, INQUIRY, TEST UNIT READY. */
#include <errno.h>
#include <string.h>

#include "hw/probe.h"
#include "src/ahci_mode.h"
#include "src/atapi_mode.h"
#include "src/cli.h"
#include "src/scan_pci.h"
#include "src/show.h"

static int scan_run(struct ctx *c, int argc, char **argv)
{
	struct chan_probe cp[2];
	struct json j;
	int ret, found = 0;

	if (atapi_mode_selected(c))
		return atapi_mode_scan(c, argc, argv);
	if (ahci_mode_selected(c))
		return ahci_mode_scan(c, argc, argv);
	if (argc) {
		err_msg(c, "usage: odrescue scan");
		return -EINVAL;
	}
	ret = ctx_open_bus(c, 3);
	/* Refused because a driver owns the ports: sysfs still says which controller and how to free it. */
	if (ret == -EBUSY && !c->o.json && (!c->o.backend || !strncmp(c->o.backend, "ioport", 6)))
		scan_pci_ide(c, NULL);
	if (ret)
		return ret;
	for (int ch = 0; ch < c->bus.nchans; ch++) {
		struct ata_port ap;

		ata_port_init(&ap, &c->bus, &c->bus.chans[ch]);
		probe_channel(&ap, &cp[ch]);	/* what each position said is in cp; only the bus can fail */
		if (c->bus.error) {
			err_msg(c, "scan: %s", c->bus.errmsg[0] ? c->bus.errmsg : "transport failed");
			return c->bus.error;
		}
	}
	if (c->o.json) {
		json_begin(&j, c->out);
		json_arr(&j, "positions");
	}
	for (int ch = 0; ch < c->bus.nchans; ch++) {
		for (int dev = 0; dev < 2; dev++) {
			struct position pos = { .number = c->bus.nchans > 1 ? ch * 2 + dev + 1 : dev + 1,
						.chan = ch, .dev = dev };
			const struct dev_probe *dp = &cp[ch].dev[dev];

			found += dp->class != ATA_DEV_NONE || dp->busy;
			if (c->o.json) {
				json_obj(&j, NULL);
				show_position_json(&j, c, &pos);
				show_dev_json(&j, dp);
				json_close(&j);
				continue;
			}
			fprintf(c->out, "%d %-16s ", pos.number, position_name(&pos));
			show_dev_line(c->out, dp);
		}
	}
	if (c->o.json)
		json_close(&j);
	/* Only for this machine's ports: the simulator's and QEMU's controllers are not in sysfs. */
	if (ctx_real_ports(c))
		scan_pci_ide(c, c->o.json ? &j : NULL);
	if (c->o.json) {
		json_int(&j, "found", found);
		json_end(&j);
	}
	return 0;
}

const struct command cmd_scan = {
	.name = "scan",
	.args = "",
	.summary = "list the devices at positions 1-4, or p0-p31 with -p ahci (reset, IDENTIFY, INQUIRY, TEST UNIT READY only)",
	.example = "odrescue scan --json",
	.run = scan_run,
};
