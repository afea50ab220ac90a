/* SPDX-License-Identifier: GPL-2.0-or-later */
/* odrescue dump POS FILE: the whole flash into FILE (a new file; --force replaces one). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "recovery/crc32.h"
#include "src/ahci_mode.h"
#include "src/atapi_sat.h"
#include "src/fwimage.h"
#include "src/ramfs.h"
#include "recovery/outfile.h"
#include "src/show.h"
#include "src/stop.h"
#include "src/vendor.h"

static int dump_to(struct ctx *c, const struct position *pos, const char *path)
{
	struct outfile of;
	struct flash_dev f;
	struct ata_port ap;
	struct progress p = { .c = c, .what = "read" };
	uint32_t disagreed = 0;
	uint8_t *buf = NULL;
	size_t need;
	uint64_t t0;
	int ret;

	/* The output file is checked before the drive is touched. */
	ret = outfile_open(&of, path, c->o.force);
	if (ret == -EEXIST || ret == -EISDIR) {
		err_msg(c, ret == -EEXIST ? "refused: %s exists; odrescue does not overwrite files (--force "
			"replaces it)" : "refused: %s is not a regular file; --force replaces only files",
			path);
		return -E_REFUSED;
	}
	if (ret) {
		err_msg(c, "cannot create '%s': %s", path, strerror(-ret));
		return -E_BADFILE;
	}
	ret = vendor_open(c, pos, &ap, &f);
	if (ret) {
		outfile_abort(&of);
		return ret;
	}
	/* A full disk is found before the long read: room for the longest text a .hex can take. */
	need = fwimage_name_is_hex(path) ? fwimage_hex_max(f.chip->size) : f.chip->size;
	ret = outfile_reserve(&of, need);
	if (ret) {
		flash_close(&f);
		outfile_abort(&of);
		err_msg(c, "cannot write %s: %s (%zu bytes needed); the flash was not read", path,
			strerror(-ret), need);
		return -E_BADFILE;
	}
	t0 = mtk_now_ns(&f.m);
	buf = malloc(f.chip->size);
	ret = buf ? vendor_read_all(c, &f, buf, &p, &disagreed) : -ENOMEM;	/* -EINTR at once if stopped */
	if (ret == -EILSEQ)
		err_msg(c, "the %d reads of the flash have no majority for some bytes: check the cable "
			"and power; %s was not written", c->o.read_repeated, path);
	else if (disagreed)
		warn_msg(c, "%u bytes read differently between reads; the majority of %d reads was kept",
			 disagreed, c->o.read_repeated);
	flash_close(&f);
	if (!ret && fwimage_name_is_hex(path)) {
		size_t n;
		char *hex = fwimage_to_hex(buf, f.chip->size, &n);

		ret = hex ? outfile_write(&of, hex, n) : -ENOMEM;
		free(hex);
	} else if (!ret) {
		ret = outfile_write(&of, buf, f.chip->size);
	}
	if (!ret)
		ret = outfile_commit(&of);
	else
		outfile_abort(&of);
	if (ret) {
		if (ret == -EINTR)
			err_msg(c, "stopped by a signal; %s was not written", path);
		else if (ret != -EIO || !c->msg_printed)
			err_msg(c, "dump failed: %s; %s was not written", strerror(-ret), path);
		free(buf);
		return ret;
	}
	ramfs_warn(c, path, 0, "the dump");	/* once it is saved: a failure says why in one line */
	if (c->o.json) {
		struct json j;

		json_begin(&j, c->out);
		show_position_json(&j, c, pos);
		json_str(&j, "chip", f.chip->name);
		json_str(&j, "file", path);
		json_int(&j, "size", f.chip->size);
		json_hex(&j, "crc32", crc32(0, buf, f.chip->size));
		json_int(&j, "elapsed_ns", (long long)(mtk_now_ns(&f.m) - t0));
		json_end(&j);
	} else {
		vendor_chip_line(c, &f);
		fprintf(c->out, "Saved %u bytes to %s, crc32 %08x, in %.2f s\n", f.chip->size, path,
			crc32(0, buf, f.chip->size), (mtk_now_ns(&f.m) - t0) / 1e9);
	}
	free(buf);
	return 0;
}

static int dump_run(struct ctx *c, int argc, char **argv)
{
	struct sigaction old[3];
	struct position pos;
	int ret = cmd_args_pos(c, &cmd_dump, argc, argv, 2, &pos);

	if (ret)
		return ret;
	user_stop_hold(old);
	ret = dump_to(c, &pos, argv[1]);
	user_stop_release(old);
	return ret;
}

const struct command cmd_dump = {
	.name = "dump",
	.args = "POS FILE",
	.summary = "read the drive's whole flash into a new FILE (.bin, or MTK .hex if named .hex)",
	.example = "odrescue dump 3 backup.bin --read-repeated 2",
	.run = dump_run,
	.flags = CMD_AHCI | CMD_SAT,
};
