/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "src/preflight.h"

int preflight_identity(struct ctx *c, const char *name, const char *vendor, const char *product,
		       const struct fwimage *im)
{
	char have[25], want[25];

	snprintf(have, sizeof(have), "%s%s", vendor, product);
	if (!im->has_identity) {
		if (c->o.force_crossflash) {
			warn_msg(c, "the image carries no INQUIRY identity; flashing anyway (--force-crossflash)");
			return 0;
		}
		err_msg(c, "the image carries no INQUIRY identity, so it cannot be matched to %s "
			"[%s][%s]: refusing (--force-crossflash overrides)", name, vendor, product);
		return -E_REFUSED;
	}
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
