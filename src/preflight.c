/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "src/preflight.h"

int preflight_identity(struct ctx *c, const char *name, const char *vendor, const char *product,
		       const struct fwimage *im)
{
	char have[40], want[25];

	have[0] = '\0';
	if (vendor)
		snprintf(have, sizeof(have), " [%s][%s]", vendor, product);
	if (!im->has_identity) {
		if (c->o.force_crossflash) {
			warn_msg(c, "the image carries no INQUIRY identity; flashing anyway (--force-crossflash)");
			return 0;
		}
		err_msg(c, "refused: no INQUIRY identity was found in the image (at 2000h-2FFFh or anywhere "
			"else), so it cannot be matched to %s%s; make sure it is firmware for this drive "
			"(odrescue info FILE), then add --force-crossflash; nothing was written", name, have);
		return -E_REFUSED;
	}
	snprintf(have, sizeof(have), "%s%s", vendor, product);
	snprintf(want, sizeof(want), "%s%s", im->vendor, im->product);
	if (!strcmp(have, want))
		return 0;
	if (c->o.force_crossflash) {
		warn_msg(c, "crossflash: %s is [%s][%s], the image is for [%s][%s]; after the flash it "
			 "reports itself as [%s][%s] (--force-crossflash)", name, vendor, product,
			 im->vendor, im->product, im->vendor, im->product);
		return 0;
	}
	err_msg(c, "%s is [%s][%s] but the image is for [%s][%s]: refusing (--force-crossflash overrides)",
		name, vendor, product, im->vendor, im->product);
	return -E_REFUSED;
}

int preflight_method(struct ctx *c, const char *arg, enum drive_method *m)
{
	if (!strcmp(arg, "mtk"))
		*m = DM_VENDOR;
	else if (!strcmp(arg, "wbuf"))
		*m = DM_WBUF;
	else {
		err_msg(c, "--method wants mtk (vendor mode) or wbuf (WRITE BUFFER), not '%s'", arg);
		return -EINVAL;
	}
	return 0;
}

int preflight_drive(struct ctx *c, const char *name, const char *vendor, const char *product,
		    const struct fwimage *im, enum drive_method method, const struct drive_model **model)
{
	const struct drive_model *d = drive_find(vendor, product);

	*model = d;
	if (!d) {
		if (method == DM_WBUF)
			warn_msg(c, "[%s][%s] is not in the drive table (odrescue --list-supported): "
				 "WRITE BUFFER was chosen by --method, not known to work on it", vendor, product);
		return 0;
	}
	if (!c->o.json)
		fprintf(c->out, "Drive table: %s, method %s, writes %s\n", d->family,
			drive_method_name(d->method), d->tested[DOP_WRITE] == DT_OK ? "tried on real drives" :
			"never tried on a real drive");
	if (d->note)
		info_msg(c, 0, "%s: %s", d->family, d->note);
	if (d->method == DM_NONE) {
		err_msg(c, "refused: %s is a %s, which has no flashing method odrescue knows; nothing was "
			"sent", name, d->family);
		return -E_REFUSED;
	}
	if (d->method != method) {
		err_msg(c, "refused: the drive table says a %s is flashed with --method %s, not %s; "
			"nothing was sent", d->family, drive_method_name(d->method), drive_method_name(method));
		return -E_REFUSED;
	}
	if (im && d->image_size && im->len != d->image_size) {
		err_msg(c, "refused: a %s takes %u KiB images; %s is %zu KiB", d->family,
			d->image_size / 1024, im->hex ? "the .hex file" : "the image", im->len / 1024);
		return -E_REFUSED;
	}
	return 0;
}

int preflight_confirm(struct ctx *c, const char *what)
{
	char line[16];

	if (c->o.yes)
		return 0;
	if (!isatty(STDIN_FILENO)) {
		err_msg(c, "%s needs consent: add --yes (stdin is not a terminal to ask on)", what);
		return -E_REFUSED;
	}
	fprintf(c->err, "Type YES to go on with the %s: ", what);
	fflush(c->err);
	if (!fgets(line, sizeof(line), stdin) || strcmp(line, "YES\n")) {
		err_msg(c, "not confirmed: nothing was written");
		return -E_REFUSED;
	}
	return 0;
}
