/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MediaTek vendor commands on a node (/dev/srN, /dev/sgN) through
 * ATA PASS-THROUGH(16), libata bound, nothing unbound. Only where
 * libata's error handler stays away from the exchange: on an ahci host a
 * command fails only when Status has ERR (TFES), so 70h and 72h (DF set,
 * ERR clear) come back as results; on an SFF host (ata_piix...) DF fails
 * the command too, and a failed command on an ATAPI device makes the
 * error handler send it REQUEST SENSE (libata-eh.c, ata_eh_analyze_tf ->
 * atapi_eh_request_sense), a command the record never shows an engine in
 * vendor mode receiving. Such nodes go to their raw position as before;
 * a 73h drive (ERR on every exchange) is refused after the intro.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hw/mtk.h"
#include "hw/pt_sgio.h"
#include "hw/sim/sim_sat.h"
#include "src/atapi_mode.h"
#include "src/atapi_sat.h"
#include "src/atapi_sysfs.h"

static struct {
	int open;		/* the node's SG_IO session */
	struct pt pt;
	struct taskfile_sat ts;
	int sim;		/* -p sim:hba=sat: the simulator behind a modelled kernel */
} S;

/* -p sim:...,hba=sat,...: 1, with spec the simulator's own ("sim:k=v,...") and *sff from host=. */
static int sim_sat_spec(struct ctx *c, char *spec, size_t len, int *sff)
{
	char buf[512];
	struct bus_params p;
	const char *hba, *host;
	size_t n;

	*sff = 0;
	if (!c->o.backend || strncmp(c->o.backend, "sim:", 4) || strlen(c->o.backend) >= sizeof(buf))
		return 0;
	strcpy(buf, c->o.backend + 4);
	if (bus_params_parse(&p, buf))
		return 0;
	hba = bus_param_take(&p, "hba");
	if (!hba || strcmp(hba, "sat"))
		return 0;
	host = bus_param_take(&p, "host");
	*sff = host && strcmp(host, "ahci");
	n = (size_t)snprintf(spec, len, "sim");
	for (int i = 0; i < p.n && n < len; i++)
		if (!p.kv[i].used)
			n += (size_t)snprintf(spec + n, len - n, "%s%s=%s", n == 3 ? ":" : ",", p.kv[i].key,
					      p.kv[i].val ? p.kv[i].val : "");
	return 1;
}

int atapi_sat_selected(struct ctx *c)
{
	char spec[512];
	int sff;

	return sim_sat_spec(c, spec, sizeof(spec), &sff);
}

static int sim_open(struct ctx *c)
{
	char spec[512], err[256] = "";
	int sff, ret;

	if (S.sim)
		return 0;
	sim_sat_spec(c, spec, sizeof(spec), &sff);
	ret = sim_sat_open(spec, sff, err, sizeof(err));
	if (ret) {
		err_msg(c, "%s", err[0] ? err : strerror(-ret));
		return ret;
	}
	S.sim = 1 + sff;
	return 0;
}

int atapi_sat_node(struct ctx *c, const char *cmd, struct position *pos)
{
	struct sg_drive d;
	char where[160];
	int ret;

	memset(&d, 0, sizeof(d));
	if (atapi_sat_selected(c)) {
		if ((ret = sim_open(c)))
			return ret;
		/* The modelled kernel: its host is ahci, or an SFF controller with host= */
		snprintf(d.driver, sizeof(d.driver), "%s", S.sim > 1 ? "ata_piix" : "ahci");
		snprintf(where, sizeof(where), "the simulator's %s host", d.driver);
	} else {
		if (sg_sysfs_find(sg_sysfs_root(), pos->node, &d) || d.position || d.cmd)
			return atapi_mode_raw_node(c, cmd, pos);	/* an IDE channel: its registers directly */
		sg_drive_where(&d, where, sizeof(where));
	}
	if (d.usb) {
		err_msg(c, "%s is behind a USB bridge (%s): the public record has the MediaTek register "
			"protocol through no USB bridge, so %s is refused; connect the drive to a SATA or IDE "
			"port", pos->node, where, cmd);
		return -E_REFUSED;
	}
	if (d.ata_port < 0 || strcmp(d.driver, "ahci")) {
		err_msg(c, "%s sits at %s: %s goes through ATA PASS-THROUGH only on libata's ahci, where a "
			"vendor status (DF set) is no failure; elsewhere libata's error handler would send "
			"the drive REQUEST SENSE in vendor mode. Use an IDE position or -p ahci", pos->node,
			where, cmd);
		return -E_REFUSED;
	}
	return 0;
}

int atapi_sat_present(struct ctx *c, const struct position *pos)
{
	if (S.sim || (atapi_sat_selected(c) && !sim_open(c)))
		return sim_sat_node_packet(pos->node) >= 0;
	return !access(pos->node, F_OK);
}

int atapi_sat_taskfile(struct ctx *c, const struct position *pos, struct taskfile *t, struct pt **pt)
{
	struct sg_drive d;
	int ret;

	if (!S.open) {
		ret = S.sim ? 0 : atapi_sat_selected(c) ? sim_open(c) : 0;
		if (!ret)
			ret = sgio_open(&S.pt, pos->node, SGIO_EXCL, S.sim ? &sim_sat_sys : atapi_sgio_sys);
		if (ret) {
			err_msg(c, "%s", S.pt.errmsg[0] ? S.pt.errmsg : strerror(-ret));
			return ret;
		}
		S.open = 1;
		S.ts.pt = &S.pt;
		S.ts.clock = S.sim ? sim_sat_bus() : NULL;
	}
	taskfile_sat_init(t, &S.ts);
	if (pt)
		*pt = &S.pt;
	/* The kernel's class: sr is a CD/DVD drive; an sg node says by its SCSI type. */
	if (S.sim)
		t->packet = sim_sat_node_packet(pos->node);
	else if (!sg_sysfs_find(sg_sysfs_root(), pos->node, &d))
		t->packet = d.type == SCSI_TYPE_ROM;
	return 0;
}

int atapi_sat_check(struct ctx *c, const struct position *pos, struct flash_dev *f)
{
	if (f->m.status != MTK_ST_SERIAL2)
		return 0;
	f->m.lost = 1;	/* no outro: each exchange would bring the error handler again */
	err_msg(c, "%s answers 73h, which has ERR set: through SG_IO every exchange fails in libata and its "
		"error handler sends the drive REQUEST SENSE, which the record does not cover; refused. "
		"Power-cycle the drive, then use -p ahci:pci=BDF or an IDE position", pos->node);
	return -E_REFUSED;
}

void atapi_sat_close(void)
{
	if (S.open)
		S.pt.ops->close(&S.pt);
	if (S.sim)
		sim_sat_close();
	memset(&S, 0, sizeof(S));
}
