/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Flash by standard WRITE BUFFER (flash --method wbuf, or the wbuf
 * command): for drives whose own updater downloads that way (BTC's
 * MediaTek drives, mtk-protocol.md 3.2). Every check runs before the
 * first command that sends data: the image, the drive's identity against
 * the image's, no disc, and the user's consent.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/pt_sgio.h"
#include "hw/scsi.h"
#include "recovery/wbuf.h"
#include "src/atapi_mode.h"
#include "src/output.h"
#include "src/progress.h"
#include "src/fwimage.h"
#include "src/preflight.h"

static volatile sig_atomic_t stop_flag;

/* Held: no command is cut in the middle. Before the save the download stops; after it, the wait. */
static void on_signal(int sig)
{
	static const char msg[] = "\nodrescue: stopping after the command in progress\n";
	ssize_t n;

	(void)sig;
	stop_flag = 1;
	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;
}

static void progress_cb(void *arg, size_t done, size_t total)
{
	progress_draw(arg, done, total);
}

/* No disc: a drive busy with a medium is no place for a firmware update (btcflash asks the same). */
static int check_no_medium(struct ctx *c, struct atapi_target *t, const char *name)
{
	struct scsi_sense s;
	char why[160];
	int ret;

	for (int tries = 0; tries < 3; tries++) {
		ret = mmc_test_unit_ready(&t->pt, &s);
		if (ret != -EIO || s.key != UNIT_ATTENTION)
			break;		/* a pending UNIT ATTENTION is consumed by reading it */
	}
	if (ret == -EIO && s.valid && s.key == NOT_READY && s.asc == 0x3a)
		return 0;
	if (!ret) {
		err_msg(c, "%s has a disc in it: eject it (and leave the tray closed) before flashing", name);
		return -E_REFUSED;
	}
	err_msg(c, "%s is not idle (TEST UNIT READY: %s): wait for it, eject any disc, and retry", name,
		atapi_target_err(c, t, ret, why, sizeof(why)));
	return ret == -EIO ? -E_REFUSED : ret;
}

static void result_json(struct ctx *c, const struct atapi_target *t, const struct fwimage *im,
			const struct wbuf_result *r, int ret)
{
	struct json j;

	json_begin(&j, c->out);
	json_str(&j, "method", "wbuf");
	json_str(&j, "path", t->sg ? "sg_io" : "raw");
	json_obj(&j, "before");
	json_str(&j, "vendor", t->inq.vendor);
	json_str(&j, "product", t->inq.product);
	json_str(&j, "revision", t->inq.revision);
	json_close(&j);
	json_obj(&j, "image");
	json_int(&j, "bytes", (long long)im->len);
	json_hex(&j, "checksum", wbuf_checksum(im->data, im->len));
	json_str(&j, "revision", im->has_identity ? im->revision : NULL);
	json_close(&j);
	json_bool(&j, "dry_run", c->o.dry_run);
	json_str(&j, "stage", wbuf_stage_name(r->stage));
	json_int(&j, "sent", (long long)r->sent);
	json_bool(&j, "ok", ret == 0);
	if (r->stage == WBUF_STAGE_DONE) {
		json_int(&j, "ready_ns", (long long)r->ready_ns);
		json_obj(&j, "after");
		json_str(&j, "vendor", r->inq.vendor);
		json_str(&j, "product", r->inq.product);
		json_str(&j, "revision", r->inq.revision);
		json_close(&j);
	}
	json_end(&j);
}

/* What failed, and what it means for the drive. */
static int report_failure(struct ctx *c, const struct atapi_target *t, const struct wbuf_result *r, int ret,
			  const char *name, const char *pos)
{
	char why[200] = "";

	if (ret == -EINTR && r->stage < WBUF_STAGE_SAVE) {
		err_msg(c, "stopped by a signal after %zu bytes of the download, before the save: %s keeps its "
			"firmware; power-cycle it to drop the partial download", r->sent, name);
		return -EINTR;
	}
	if (ret == -EINTR) {
		err_msg(c, "stopped waiting for %s: it was told to save the new firmware and does so on its "
			"own. Do NOT power it off for 5 minutes; then check it with odrescue identify %s", name, pos);
		return -E_WRITEFAIL;
	}
	if (ret == -EIO && r->last.sense.valid)
		scsi_sense_str(&r->last.sense, why, sizeof(why));
	else
		atapi_target_err(c, t, ret, why, sizeof(why));
	switch (r->stage) {
	case WBUF_STAGE_CHECK:
	case WBUF_STAGE_CHUNKS:
	case WBUF_STAGE_HEADER:
		err_msg(c, "WRITE BUFFER failed during the %s after %zu bytes: %s. The drive was not asked to "
			"save, so its firmware should be unchanged: power-cycle it to drop the partial download",
			wbuf_stage_name(r->stage), r->sent, why);
		return ret == -EIO ? -EIO : ret;
	case WBUF_STAGE_SAVE:
		err_msg(c, "%s refused to save the firmware (mode 7): %s. Nothing was written: a checksum or "
			"format the drive does not accept; check the image", name, why);
		return -EIO;
	case WBUF_STAGE_WAIT:
		err_msg(c, "%s did not come back within %llu s after saving the firmware (last answer: %s). "
			"Its state is unknown. Power-cycle it, then run odrescue scan; a drive that now holds BSY "
			"needs the raw MediaTek recovery (odrescue rescue POS FILE, see odrescue help rescue)",
			name, (unsigned long long)(r->ready_ns / 1000000000ULL),
			r->ready_sense.valid ? scsi_sense_str(&r->ready_sense, why, sizeof(why)) : "no answer");
		return -E_WRITEFAIL;
	default:
		err_msg(c, "%s came back after the update but INQUIRY failed: %s", name, why);
		return -E_WRITEFAIL;
	}
}

int wbuf_flash_run(struct ctx *c, const struct position *pos, const char *file)
{
	static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal }, old[3];
	struct wbuf_result r = { .stage = WBUF_STAGE_CHECK };
	struct wbuf_opts o = { .chunk = c->o.chunk };
	struct progress p = { .c = c, .what = "send" };
	const struct drive_model *model;
	struct atapi_target t;
	struct fwimage im;
	char name[64];
	int ret;

	ret = fwimage_load(c, file, &im);
	if (ret)
		return ret;
	/* Exclusive on /dev/srN: the kernel's media polling stays off the drive during the update. */
	ret = atapi_target_open(c, pos, SGIO_EXCL, &t);
	if (ret)
		goto out_image;
	atapi_target_name(&t, name, sizeof(name));
	ret = preflight_identity(c, name, t.inq.vendor, t.inq.product, &im);
	if (!ret)
		ret = preflight_drive(c, name, t.inq.vendor, t.inq.product, &im, DM_WBUF, &model);
	if (!ret)
		ret = check_no_medium(c, &t, name);
	if (ret)
		goto out;
	if (!c->o.json)
		fprintf(c->out, "%s: [%s][%s][%s] -> image %s (%zu bytes, sum %04Xh, revision %s)\n"
			"  WRITE BUFFER mode 6 in %u-byte chunks at offset 20h, header, mode 7 (save)\n",
			name, t.inq.vendor, t.inq.product, t.inq.revision, file, im.len,
			wbuf_checksum(im.data, im.len), im.has_identity ? im.revision : "unknown",
			o.chunk ? o.chunk : WBUF_CHUNK_DEFAULT);
	if (c->o.dry_run) {
		if (c->o.json)
			result_json(c, &t, &im, &r, 0);
		else
			fprintf(c->out, "dry run: all checks passed, nothing was sent\n");
		goto out;
	}
	ret = preflight_confirm(c, "firmware download");
	if (ret)
		goto out;
	o.clock = t.clock;
	if (c->o.timeout_s > 0)
		o.ready_ns = (uint64_t)(c->o.timeout_s * 1e9);
	if (progress_tty(c)) {
		o.progress = progress_cb;
		o.arg = &p;
	}
	stop_flag = 0;
	o.stop = &stop_flag;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	ret = wbuf_download(&t.pt, im.data, im.len, &o, &r);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (c->o.json)
		result_json(c, &t, &im, &r, ret);
	if (ret) {
		ret = report_failure(c, &t, &r, ret, name, position_arg(pos));
		goto out;
	}
	if (!c->o.json)
		fprintf(c->out, "%s came back after %.1f s: [%s][%s][%s]\n", name, (double)r.ready_ns / 1e9,
			r.inq.vendor, r.inq.product, r.inq.revision);
	if (im.has_identity && strcmp(r.inq.revision, im.revision)) {
		err_msg(c, "%s reports revision '%s', the image has '%s': the drive does not run the new firmware",
			name, r.inq.revision, im.revision);
		ret = -E_MISMATCH;
	} else if (!c->o.json) {
		fprintf(c->out, "Firmware updated. Power-cycle (or reboot) before using the drive.\n");
	}
out:
	atapi_target_close(&t);
out_image:
	fwimage_free(&im);
	return ret;
}

static int wbuf_run(struct ctx *c, int argc, char **argv)
{
	struct position pos;
	int ret = cmd_args_pos(c, &cmd_wbuf, argc, argv, 2, &pos);

	return ret ? ret : wbuf_flash_run(c, &pos, argv[1]);
}

const struct command cmd_wbuf = {
	.name = "wbuf",
	.args = "POS FILE",
	.summary = "flash FILE by standard WRITE BUFFER download (BTC-style MediaTek drives; raw or /dev/srN)",
	.example = "odrescue wbuf /dev/sr0 DRW1008_0059.bin --yes",
	.run = wbuf_run,
	.flags = CMD_NODE,
};
