/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * odrescue rescue POS FILE: the old guide's two cases as one guided
 * command (docs/recovery.md). Case 1: the dead drive is on the cable and
 * holds BSY. Case 2: the dead drive hangs the BIOS, so the machine boots
 * without it (or with a working drive in its place) and the user plugs
 * its cable in now. Either way: wait for it, get it into vendor mode
 * (asking for a power cycle if its boot code only listens just after
 * power-on), then the flash command's checks, backup, write and verify.
 * Every prompt is a message to act on, never a question: without a
 * terminal it still runs, with --yes for the one consent.
 */
#include <errno.h>
#include <string.h>

#include "hw/mtk.h"
#include "recovery/hotplug.h"
#include "src/ahci_mode.h"
#include "src/atapi_sat.h"
#include "src/flashjob.h"
#include "src/stop.h"

#define RESCUE_PLUG_TMO_NS	(600 * NSEC_PER_SEC)	/* time to move a cable, by default */

static void step(struct ctx *c, int n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void step(struct ctx *c, int n, const char *fmt, ...)
{
	va_list ap;

	if (c->o.json)
		return;
	fprintf(c->out, "[%d/4] ", n);
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
	fflush(c->out);
}

static void wait_event(void *arg, enum hp_event ev, const struct hotplug_result *r)
{
	struct ctx *c = arg;

	(void)r;
	if (ev == HP_EV_GONE && !c->o.json)
		fprintf(c->out, "      the drive that was there is gone; now connect the dead drive\n");
	else if (ev == HP_EV_SEEN && !c->o.json)
		fprintf(c->out, "      something is on the cable; letting it settle\n");
}

/* Step 2's wait ended without a drive: why, in one line (the transport's error was said already). */
static int wait_failed(struct ctx *c, const char *prep, const char *where, const char *check, int ret)
{
	if (ret == -ETIMEDOUT) {
		err_msg(c, "no drive appeared %s %s; nothing was written (check the %s, then run rescue again)",
			prep, where, check);
		return -ENODEV;
	}
	if (ret == -EINTR)
		err_msg(c, "stopped while waiting; nothing was written");
	return ret;
}

/* Is the drive that answers the one the image is for (Case 1 with working firmware)? */
static int is_target(const struct flash_job *j, const struct dev_probe *dp)
{
	char have[25], want[25];

	if (!j->im.has_identity)
		return 1;
	snprintf(have, sizeof(have), "%s%s", dp->inq.vendor, dp->inq.product);
	snprintf(want, sizeof(want), "%s%s", j->im.vendor, j->im.product);
	return !strcmp(have, want);
}

/* Steps 1-2: a dead drive on the cable, holding BSY or answering. 0, or -errno (message printed). */
static int find_drive(struct flash_job *j, struct ata_port *ap, int *busy)
{
	struct ctx *c = j->c;
	const char *where = position_name(&j->pos);
	struct hotplug_result r;
	struct hotplug_cfg cfg = {
		.timeout_ns = c->o.timeout_s > 0 ? (uint64_t)(c->o.timeout_s * 1e9) : RESCUE_PLUG_TMO_NS,
		.stop = &user_stop,
		.event = wait_event,
		.arg = c,
	};
	struct dev_probe dp = { .class = ATA_DEV_ATAPI };
	enum hp_presence p;
	struct mtk m;
	int ret;

	*busy = 0;
	if (!mtk_found(&m, TF_RAW(ap), j->pos.dev)) {
		step(c, 1, "%s is already in vendor mode (status %02Xh), as an interrupted run or another tool "
		     "left it", where, m.status);
		return flash_job_probe(j, ap);
	}
	p = hotplug_presence(ap, j->pos.dev);
	if (p == HP_BUSY) {
		step(c, 1, "A drive at %s holds BSY: its firmware does not start (Case 1)", where);
		step(c, 2, "It is on the cable already: no hot-plug needed");
		*busy = 1;
		return 0;
	}
	if (p == HP_READY) {
		int packet = flash_is_packet(TF_RAW(ap), j->pos.dev);

		probe_device(ap, j->pos.dev, &dp);
		if (packet == 0)
			return vendor_explain(c, where, NULL, -EPERM);
		if (!dp.id_ret && !dp.inq_ret && is_target(j, &dp)) {
			step(c, 1, "%s answers as [%s][%s][%s], the drive the image is for", where,
			     dp.inq.vendor, dp.inq.product, dp.inq.revision);
			return flash_job_probe(j, ap);
		}
		if (!dp.id_ret && !dp.inq_ret)
			step(c, 1, "%s holds a working drive [%s][%s] (Case 2): with the machine running, move "
			     "this IDE cable to the dead drive now; leave the dead drive's power cord in", where,
			     dp.inq.vendor, dp.inq.product);
		else
			step(c, 1, "something at %s does not identify; replace it with the dead drive", where);
	} else {
		step(c, 1, "Nothing at %s (Case 2): with the machine running, connect the dead drive's IDE "
		     "cable to it now (master/slave jumper as %s); its power cord stays in", where,
		     j->pos.dev ? "slave" : "master");
	}
	step(c, 2, "Waiting up to %.0f s for the drive (Ctrl-C stops)", (double)cfg.timeout_ns / 1e9);
	ret = hotplug_wait(ap, j->pos.dev, &cfg, &r);
	if (ret && ret != -ETIMEDOUT && ret != -EINTR)
		err_msg(c, "waiting at %s: %s", where, c->bus.error ? c->bus.errmsg : strerror(-ret));
	if (ret)
		return wait_failed(c, "at", where, "cable and jumper", ret);
	if (r.busy) {
		step(c, 2, "A drive appeared after %.1f s and still held BSY %.0f s after a reset: it does not "
		     "answer the standard protocol, like a drive without working firmware",
		     (double)r.appeared_ns / 1e9, (double)r.bsy_ns / 1e9);
		*busy = 1;
		return 0;
	}
	step(c, 2, "A drive appeared after %.1f s: [%s][%s][%s]", (double)r.waited_ns / 1e9,
	     r.probe.inq.vendor, r.probe.inq.product, r.probe.inq.revision);
	return flash_job_probe(j, ap);
}

static void ahci_event(void *arg, enum hp_event ev, const struct ahci_wait *w)
{
	struct ctx *c = arg;

	if (ev == HP_EV_GONE && !c->o.json)
		fprintf(c->out, "      the drive that was there is gone; now connect the dead drive's data cable\n");
	else if (ev == HP_EV_SEEN && !c->o.json)
		fprintf(c->out, "      a device came up on the link after %.1f s; letting it settle\n", w->waited_ns / 1e9);
}

/*
 * Steps 1-2 on a SATA port: the same cases, seen through the link. SATA is
 * hot-plug by design (Serial ATA 2.6 13.8), so Case 2 needs no trick there:
 * the data cable goes in with the drive powered. *busy: the drive holds
 * BSY (its vendor mode is step 3's); else the port's taskfile is j->t.
 */
static int find_drive_ahci(struct flash_job *j, int *busy)
{
	struct ctx *c = j->c;
	const char *where = position_arg(&j->pos);
	struct ahci_wait w = { .event = ahci_event, .arg = c };
	uint64_t tmo = c->o.timeout_s > 0 ? (uint64_t)(c->o.timeout_s * 1e9) : RESCUE_PLUG_TMO_NS;
	struct dev_probe dp;
	uint8_t vs;
	int ret;

	*busy = 0;
	ret = ahci_mode_look(c, &j->pos, &dp, &vs);
	if (ret)
		return ret;
	if (vs) {
		step(c, 1, "%s shows status %02Xh, vendor mode, as an interrupted run or another tool left it",
		     where, vs);
		goto ready;
	}
	if (dp.busy) {
		step(c, 1, "The drive on %s holds BSY since its link came up: its firmware does not start (Case 1)",
		     where);
		step(c, 2, "It is connected already: no hot-plug needed");
		*busy = 1;
		return 0;
	}
	if (dp.class == ATA_DEV_ATA)
		return vendor_explain(c, where, NULL, -EPERM);
	if (dp.class != ATA_DEV_NONE && !dp.id_ret && !dp.inq_ret && is_target(j, &dp)) {
		step(c, 1, "%s answers as [%s][%s][%s], the drive the image is for", where, dp.inq.vendor,
		     dp.inq.product, dp.inq.revision);
		goto ready;
	}
	if (dp.class != ATA_DEV_NONE && !dp.id_ret && !dp.inq_ret)
		step(c, 1, "%s holds a working drive [%s][%s] (Case 2): unplug its SATA data cable and plug the "
		     "dead drive's in; the dead drive's power is already connected", where, dp.inq.vendor,
		     dp.inq.product);
	else if (dp.class != ATA_DEV_NONE)
		step(c, 1, "something on %s does not identify; replace it with the dead drive", where);
	else
		step(c, 1, "Nothing on %s (Case 2): connect the dead drive's SATA data cable to it now; its "
		     "power is already connected", where);
	step(c, 2, "Waiting up to %.0f s for the drive (Ctrl-C stops)", (double)tmo / 1e9);
	ret = ahci_mode_wait(c, &j->pos, tmo, &user_stop, &w);
	if (ret)
		return wait_failed(c, "on", where, "data cable and the drive's power", ret);
	if (w.probe.busy) {
		step(c, 2, "A drive appeared after %.1f s and holds BSY: it does not answer the standard protocol, "
		     "like a drive without working firmware", (double)w.waited_ns / 1e9);
		*busy = 1;
		return 0;
	}
	step(c, 2, "A drive appeared after %.1f s: [%s][%s][%s]", (double)w.waited_ns / 1e9,
	     w.probe.inq.vendor, w.probe.inq.product, w.probe.inq.revision);
ready:
	ret = ahci_mode_taskfile(c, &j->pos, &j->t, &j->pt);
	if (!ret)
		ret = flash_job_probe(j, NULL);
	if (!ret && j->wbuf) {
		err_msg(c, "the drive table says this drive takes WRITE BUFFER downloads, which odrescue sends "
			"on an IDE position or its /dev/srN node without -p; nothing was written");
		ret = -E_REFUSED;
	}
	return ret;
}

/*
 * Steps 1-2 on a node through ATA PASS-THROUGH: only a drive libata
 * attached has one, so one whose firmware (or engine, in vendor mode)
 * answers; a drive holding BSY fails libata's resets and gets no node
 * (ata_eh_reset gives the link up), so neither case of a dead drive can
 * be followed through the kernel.
 */
static int find_drive_node(struct flash_job *j)
{
	struct ctx *c = j->c;
	int ret;

	if (!atapi_sat_present(c, &j->pos)) {
		err_msg(c, "no drive at %s: libata gives a drive without working firmware no node (its resets "
			"fail), so SG_IO cannot reach one; nothing was written. Release the controller to odrescue: "
			"odrescue -p ahci:pci=BDF --release rescue pN FILE (lspci names BDF; pN is the SATA port)",
			j->pos.node);
		return -ENODEV;
	}
	ret = atapi_sat_taskfile(c, &j->pos, &j->t, &j->pt);
	if (!ret)
		ret = flash_job_probe(j, NULL);
	if (ret)
		return ret;
	if (j->wbuf) {
		err_msg(c, "the drive table says this drive takes WRITE BUFFER downloads: odrescue flash %s FILE "
			"sends them without -p; nothing was written", j->pos.node);
		return -E_REFUSED;
	}
	if (j->dp.vendor_status || j->dead)
		step(c, 1, "%s has a node but does not identify: used as a drive without working firmware",
		     j->pos.node);
	else
		step(c, 1, "%s answers as [%s][%s][%s], the drive the image is for", j->pos.node,
		     j->dp.inq.vendor, j->dp.inq.product, j->dp.inq.revision);
	step(c, 2, "The kernel attached it: no hot-plug needed");
	return 0;
}

/* Step 3: vendor mode, with the power-cycle loop for a drive whose boot code listens only briefly. */
static int enter_vendor(struct flash_job *j, struct ata_port *ap, struct flash_dev *f, int busy)
{
	int ret;

	if (!j->pos.ahci && !j->pos.node)
		return vendor_open_cycle(j->c, &j->pos, ap, f, &user_stop, "[3/4] ", "run rescue again");
	if (busy) {
		ret = vendor_open_cycle(j->c, &j->pos, NULL, f, &user_stop, "[3/4] ", "run rescue again");
		/* the flash's restart check asks the port's taskfile */
		return ret ? ret : ahci_mode_taskfile(j->c, &j->pos, &j->t, &j->pt);
	}
	/* a drive that answers: its intro is taken at once, or it is not a MediaTek drive */
	ret = vendor_open(j->c, &j->pos, NULL, f);
	if (!ret)
		step(j->c, 3, "Vendor mode: status %02Xh (%s)", f->m.status, mtk_status_str(f->m.status));
	return ret;
}

static int rescue_run(struct ctx *c, int argc, char **argv)
{
	struct flash_job j = { .c = c };
	struct sigaction old[3];
	struct ata_port ap;
	struct flash_dev f;
	int ret, busy, fis;

	ret = cmd_args_pos(c, &cmd_rescue, argc, argv, 2, &j.pos);
	if (ret)
		return ret;
	j.file = argv[1];
	ret = fwimage_load(c, j.file, &j.im);
	if (ret)
		return ret;
	fis = j.pos.ahci || j.pos.node;	/* an AHCI port, or a node through ATA PASS-THROUGH */
	ret = flash_job_files(&j);
	if (!ret && !fis)
		ret = ctx_open_bus(c, position_chan_mask(&j.pos));
	if (ret)
		goto out;
	if (!fis)
		ctx_port(c, &j.pos, &ap);
	user_stop_hold(old);
	busy = 0;
	ret = j.pos.node ? find_drive_node(&j) : j.pos.ahci ? find_drive_ahci(&j, &busy) : find_drive(&j, &ap, &busy);
	if (!ret && !j.wbuf)
		ret = enter_vendor(&j, &ap, &f, busy);
	if (!ret)
		ret = flash_job_stopped(&j, &f);
	user_stop_release(old);
	if (ret)
		goto out;
	if (j.wbuf) {
		step(c, 3, "Its firmware answers, and the drive table says it takes WRITE BUFFER downloads");
		ret = wbuf_flash_run(c, &j.pos, j.file);
		goto out;
	}
	step(c, 4, "Flashing %s%s", j.file, busy ? " (the drive cannot report its model: its flash is "
	     "checked against the image instead)" : "");
	ret = flash_job_write(&j, fis ? NULL : &ap, &f);
	if (!ret && !c->o.json)
		fprintf(c->out, j.new_rev_ok ? "Rescue complete: the drive runs the new firmware.\n" :
			"Flash verified. Power-cycle the drive and check it with odrescue identify %s\n",
			position_arg(&j.pos));
out:
	fwimage_free(&j.im);
	return ret;
}

const struct command cmd_rescue = {
	.name = "rescue",
	.args = "POS FILE",
	.summary = "guided recovery of a dead drive (Case 1 on the cable, Case 2 hot-plug), then flash",
	.example = "odrescue rescue 3 SOHW-1653S_CS0P.bin --yes",
	.run = rescue_run,
	.flags = CMD_AHCI | CMD_SAT,
};
