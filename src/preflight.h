/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checks every modifying command makes before its first write: identity and consent. */
#ifndef ODRESCUE_PREFLIGHT_H
#define ODRESCUE_PREFLIGHT_H

#include "src/cli.h"
#include "src/drives.h"
#include "src/fwimage.h"

/*
 * The image's INQUIRY identity against the drive's vendor/product (as the
 * drive reports it, or as its current flash holds it; NULL: neither tells
 * it). A mismatch, or an image without identity, is refused unless
 * --force-crossflash.
 */
int preflight_identity(struct ctx *c, const char *name, const char *vendor, const char *product,
		       const struct fwimage *im);
/*
 * The drive table's word on the drive at name (its INQUIRY strings, or
 * what its flash says): a family with no public method, an image of the
 * wrong size for it, or a method the family does not take are refused.
 * *model is the entry, or NULL for a drive the table does not know.
 */
int preflight_drive(struct ctx *c, const char *name, const char *vendor, const char *product,
		    const struct fwimage *im, enum drive_method method, const struct drive_model **model);
/* The method --method asks for (0, or -EINVAL with the reason printed); NULL: from the table. */
int preflight_method(struct ctx *c, const char *arg, enum drive_method *m);
/* --yes, or YES typed on a terminal; no terminal and no --yes: refused. */
int preflight_confirm(struct ctx *c, const char *what);

#endif
