/* SPDX-License-Identifier: GPL-2.0-or-later */
/* odrescue info FILE: what a firmware image is, checked as flash would check it; no drive needed. */
#include <errno.h>
#include <string.h>

#include "src/drives.h"
#include "src/fwimage.h"
#include "src/output.h"

static int info_run(struct ctx *c, int argc, char **argv)
{
	const struct drive_model *d = NULL;
	struct fwimage im;
	int ret;

	if (argc != 1) {
		err_msg(c, "usage: odrescue info FILE");
		return -EINVAL;
	}
	ret = fwimage_load(c, argv[0], &im);
	if (ret)
		return ret;
	if (im.has_identity)
		d = drive_find(im.vendor, im.product);
	if (c->o.json) {
		struct json j;

		json_begin(&j, c->out);
		json_str(&j, "file", argv[0]);
		json_str(&j, "format", im.hex ? "hex" : "bin");
		json_bool(&j, "rebanked", im.rebanked);
		json_int(&j, "bytes", (long long)im.len);
		json_int(&j, "banks", (long long)(im.len / FW_BANK));
		json_hex(&j, "crc32", im.crc);
		json_str(&j, "vendor", im.has_identity ? im.vendor : NULL);
		json_str(&j, "product", im.has_identity ? im.product : NULL);
		json_str(&j, "revision", im.has_identity ? im.revision : NULL);
		if (im.has_identity)
			json_hex(&j, "identity_at", (unsigned)im.identity_at);
		json_str(&j, "drive_family", d ? d->family : NULL);
		json_str(&j, "method", d ? drive_method_name(d->method) : NULL);
		json_end(&j);
	} else {
		fprintf(c->out, "%s: %s image, %zu KiB (%zu banks of 64 KiB, %s), crc32 %08x\n", argv[0],
			im.hex ? "MTK .hex" : "binary", im.len / 1024, im.len / FW_BANK,
			im.rebanked ? "rebanked: 02h at 0 and 4000h, LITEONIT at FFF8h" :
			"each starting with 02h or 80h", im.crc);
		if (im.has_identity)
			fprintf(c->out, "  identity at %06zXh: [%s][%s][%s]: flashes a drive whose INQUIRY "
				"says [%s][%s] (others need --force-crossflash)\n", im.identity_at, im.vendor,
				im.product, im.revision, im.vendor, im.product);
		else
			fprintf(c->out, "  no INQUIRY identity found (looked at 2000h-2FFFh, then from 4000h, "
				"then from 0): flash needs --force-crossflash\n");
		fprintf(c->out, "  fits a flash chip of exactly %zu KiB\n", im.len / 1024);
		if (d && d->method == DM_NONE)
			fprintf(c->out, "  drive table: %s, which odrescue cannot flash (%s)\n", d->family,
				d->note ? d->note : "no public method");
		else if (d && d->image_size && d->image_size != im.len)
			fprintf(c->out, "  drive table: %s takes %u KiB images: flash will refuse this one\n",
				d->family, d->image_size / 1024);
		else if (d)
			fprintf(c->out, "  drive table: %s, flashed with --method %s\n", d->family,
				drive_method_name(d->method));
		else if (im.has_identity)
			fprintf(c->out, "  drive table: no entry (odrescue --list-supported); vendor mode is "
				"used if the drive answers its intro\n");
	}
	fwimage_free(&im);
	return 0;
}

const struct command cmd_info = {
	.name = "info",
	.args = "FILE",
	.summary = "what a firmware image is: format, size, banks, identity, checksum (no drive needed)",
	.example = "odrescue info SOHW-1653S_CS0P.hex",
	.run = info_run,
};
