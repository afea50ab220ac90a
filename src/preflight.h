/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checks every modifying command makes before its first write: identity and consent. */
#ifndef ODRESCUE_PREFLIGHT_H
#define ODRESCUE_PREFLIGHT_H

#include "src/cli.h"
#include "src/fwimage.h"

/*
 * The image's INQUIRY identity against the drive's vendor/product (as the
 * drive reports it, or as its current flash holds it). A mismatch, or an
 * image without identity, is refused unless --force-crossflash.
 */
int preflight_identity(struct ctx *c, const char *name, const char *vendor, const char *product,
		       const struct fwimage *im);
/* --yes, or YES typed on a terminal; no terminal and no --yes: refused. */
int preflight_confirm(struct ctx *c, const char *what);

#endif
