/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A native-mode channel has no position number: the user names it by its
 * ports (-p ioport:base=,ctl=), which only sysfs knows, so scan prints
 * them ready to type. The owner column says which channels a kernel
 * driver holds (they need --release).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "recovery/release.h"
#include "src/atapi_sysfs.h"
#include "src/pci_ide.h"
#include "src/scan_pci.h"
#include "src/sysfs.h"

static const char *const chan_names[2] = { "primary", "secondary" };

/* What scan says about one channel. */
struct chan_view {
	const char *mode;	/* "legacy", "native" */
	char ports[24];		/* "0x1f0/0x3f6", "" unassigned */
	int owned;		/* 1 a driver holds the ports, 0 nobody, -1 unknown */
	char owner[64];		/* the driver when owned */
	char backend[48];	/* native: "ioport:base=0xd000,ctl=0xd402"; "" legacy */
};

static void view_chan(const struct pci_ide_chan *pc, const char *ioports, struct chan_view *v)
{
	struct ata_chan ac = { pc->cmd, pc->ctl };
	struct chan_owner o;

	memset(v, 0, sizeof(*v));
	v->mode = pc->legacy ? "legacy" : "native";
	v->owned = -1;
	if (!pc->cmd)
		return;
	snprintf(v->ports, sizeof(v->ports), "0x%x/0x%x", pc->cmd, pc->ctl);
	if (!pc->legacy)
		snprintf(v->backend, sizeof(v->backend), "ioport:base=0x%x,ctl=0x%x", pc->cmd, pc->ctl);
	v->owned = release_owner(ioports, &ac, &o);
	if (v->owned < 0)
		v->owned = -1;
	snprintf(v->owner, sizeof(v->owner), "%s", v->owned > 0 ? o.driver : "");
}

static void chan_text(FILE *f, int ch, const struct pci_ide_chan *pc, const struct chan_view *v)
{
	const char *owner = v->owned > 0 ? v->owner : v->owned ? "unknown" : "none";

	if (!pc->cmd) {
		fprintf(f, "    %-9s %s no ports (BARs not assigned)\n", chan_names[ch], v->mode);
		return;
	}
	fprintf(f, "    %-9s %s %-13s owner %-10s ", chan_names[ch], v->mode, v->ports, owner);
	if (v->backend[0])
		fprintf(f, "-p %s (positions m, s)\n", v->backend);
	else
		fprintf(f, "positions %d, %d\n", ch * 2 + 1, ch * 2 + 2);
}

/* "0x8086", "0x01018a": ids at their usual width. */
static void json_id(struct json *j, const char *key, unsigned val, int digits)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%0*x", digits, val);
	json_str(j, key, buf);
}

static void chan_json(struct json *j, int ch, const struct pci_ide_chan *pc, const struct chan_view *v)
{
	json_obj(j, NULL);
	json_str(j, "channel", chan_names[ch]);
	json_str(j, "mode", v->mode);
	if (pc->cmd) {
		json_hex(j, "cmd", pc->cmd);
		json_hex(j, "ctl", pc->ctl);
	} else {
		json_str(j, "cmd", NULL);
		json_str(j, "ctl", NULL);
	}
	if (v->owned >= 0)	/* left out when /proc/ioports cannot tell */
		json_str(j, "owner", v->owned ? v->owner : NULL);
	if (v->backend[0]) {
		json_str(j, "backend", v->backend);
	} else if (pc->cmd) {
		json_arr(j, "positions");
		json_int(j, NULL, ch * 2 + 1);
		json_int(j, NULL, ch * 2 + 2);
		json_close(j);
	}
	json_close(j);
}

void scan_pci_ide(struct ctx *c, struct json *j)
{
	struct pci_ide p[PCI_IDE_MAX];
	char ioports[PATH_MAX];
	int n = pci_ide_list(sg_sysfs_root(), p, PCI_IDE_MAX);

	snprintf(ioports, sizeof(ioports), "%s/ioports", proc_root());
	if (j)
		json_arr(j, "controllers");
	else if (n == -ENOENT)
		fprintf(c->out, "\nPCI IDE controllers: none (no PCI bus in %s)\n", sg_sysfs_root());
	else if (n < 0)
		fprintf(c->out, "\nPCI IDE controllers: cannot read %s/bus/pci/devices: %s\n", sg_sysfs_root(),
			strerror(-n));
	else
		fprintf(c->out, "\nPCI IDE controllers (sysfs):%s\n", n ? "" : " none");
	for (int i = 0; i < n; i++) {
		const char *drv;
		int pio32 = pci_ide_pio32_of(&p[i], &drv);

		if (j) {
			json_obj(j, NULL);
			json_str(j, "pci", p[i].addr);
			json_id(j, "vendor", p[i].vendor, 4);
			json_id(j, "device", p[i].device, 4);
			json_id(j, "class", p[i].pci_class, 6);
			json_str(j, "driver", p[i].driver[0] ? p[i].driver : NULL);
			json_bool(j, "pio32", pio32);
			json_arr(j, "channels");
		} else {
			/* the data width odrescue uses there by default (pio32=), and whose ids decided it */
			int by_ids = !p[i].driver[0] && *drv;

			fprintf(c->out, "  %s %04x:%04x class %06x %s%s; data %d-bit%s%s%s\n", p[i].addr, p[i].vendor,
				p[i].device, p[i].pci_class, p[i].driver[0] ? "driver " : "no driver", p[i].driver,
				pio32 ? 32 : 16, by_ids ? " (ids of " : "", by_ids ? drv : "", by_ids ? ")" : "");
		}
		for (int ch = 0; ch < 2; ch++) {
			struct chan_view v;

			view_chan(&p[i].chan[ch], ioports, &v);
			if (j)
				chan_json(j, ch, &p[i].chan[ch], &v);
			else
				chan_text(c->out, ch, &p[i].chan[ch], &v);
		}
		if (j) {
			json_close(j);
			json_close(j);
		}
	}
	if (j)
		json_close(j);
}
