/* SPDX-License-Identifier: GPL-2.0-or-later */
/* odrescue verify POS FILE: does the drive's flash hold FILE? Exit 8 names the first difference. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "recovery/crc32.h"
#include "src/ahci_mode.h"
#include "src/atapi_sat.h"
#include "src/fwimage.h"
#include "src/output.h"
#include "src/stop.h"
#include "src/vendor.h"

static int verify_run(struct ctx *c, int argc, char **argv)
{
	struct progress p = { .c = c, .what = "verify" };
	struct sigaction old[3];
	uint32_t size, first = 0, bytes = 0, units = 0, unit;
	struct position pos;
	struct fwimage im;
	struct flash_dev f;
	struct ata_port ap;
	uint8_t *buf = NULL;
	int ret;

	ret = cmd_args_pos(c, &cmd_verify, argc, argv, 2, &pos);
	if (!ret)
		ret = fwimage_load(c, argv[1], &im);
	if (ret)
		return ret;
	user_stop_hold(old);
	ret = vendor_open(c, &pos, &ap, &f);
	if (ret)
		goto out_image;
	size = f.chip->size;
	unit = f.chip->sector ? f.chip->sector : size;
	if (im.len != size) {
		err_msg(c, "%s is %zu KiB but the drive's flash chip (%s) holds %u KiB: they cannot match",
			argv[1], im.len / 1024, f.chip->name, size / 1024);
		ret = -E_BADFILE;
		goto out;
	}
	buf = malloc(size);
	ret = buf ? vendor_read_all(c, &f, buf, &p, NULL) : -ENOMEM;	/* -EINTR at once if stopped by now */
	if (ret == -EINTR) {
		err_msg(c, "stopped by a signal; nothing was compared");
		goto out;
	}
	if (ret) {
		err_msg(c, "reading the flash failed: %s", ret == -EILSEQ ?
			"no majority among the reads; check the cable and power" : strerror(-ret));
		goto out;
	}
	for (uint32_t off = 0; off < size; off += unit) {
		int differs = 0;

		for (uint32_t i = off; i < off + unit; i++) {
			if (buf[i] == im.data[i])
				continue;
			if (!bytes++)
				first = i;
			differs = 1;
		}
		units += differs;
	}
	if (c->o.json) {
		struct json j;

		json_begin(&j, c->out);
		json_str(&j, "chip", f.chip->name);
		json_str(&j, "file", argv[1]);
		json_hex(&j, "flash_crc32", crc32(0, buf, size));
		json_hex(&j, "image_crc32", im.crc);
		json_bool(&j, "match", bytes == 0);
		json_int(&j, "bytes_differ", bytes);
		json_int(&j, "units_differ", units);
		if (bytes)
			json_hex(&j, "first_difference", first);
		json_end(&j);
	} else {
		vendor_chip_line(c, &f);
		if (!bytes)
			fprintf(c->out, "Verify: the flash holds %s (crc32 %08x)\n", argv[1], im.crc);
	}
	if (bytes) {
		err_msg(c, "verify: the flash differs from %s in %u bytes (%u of %u erase units), first at "
			"%06Xh (flash %02Xh, image %02Xh)", argv[1], bytes, units, size / unit, first,
			buf[first], im.data[first]);
		ret = -E_MISMATCH;
	}
out:
	flash_close(&f);
	free(buf);
out_image:
	user_stop_release(old);
	fwimage_free(&im);
	return ret;
}

const struct command cmd_verify = {
	.name = "verify",
	.args = "POS FILE",
	.summary = "compare the drive's flash with FILE (exit 8 names the first difference)",
	.example = "odrescue verify 3 backup.bin",
	.run = verify_run,
	.flags = CMD_AHCI | CMD_SAT,
};
