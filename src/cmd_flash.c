/* SPDX-License-Identifier: GPL-2.0-or-later */
/* odrescue flash POS FILE and odrescue erase POS: the command lines of the flash job (flashjob.c). */
#include <errno.h>

#include "src/ahci_mode.h"
#include "src/atapi_sat.h"
#include "src/flashjob.h"
#include "src/preflight.h"

static int flash_run(struct ctx *c, int argc, char **argv)
{
	struct flash_job j = { .c = c };
	int ret;

	ret = cmd_args_pos(c, &cmd_flash, argc, argv, 2, &j.pos);
	if (ret)
		return ret;
	if (c->o.method) {
		enum drive_method m;

		ret = preflight_method(c, c->o.method, &m);
		if (ret)
			return ret;
		if (m == DM_WBUF)
			return wbuf_flash_run(c, &j.pos, argv[1]);
	}
	j.file = argv[1];
	ret = fwimage_load(c, j.file, &j.im);
	if (ret)
		return ret;
	ret = flash_job_run(&j);
	fwimage_free(&j.im);
	return ret;
}

static int erase_run(struct ctx *c, int argc, char **argv)
{
	struct flash_job j = { .c = c, .erase = 1 };
	int ret = cmd_args_pos(c, &cmd_erase, argc, argv, 1, &j.pos);

	if (ret)
		return ret;
	if (!c->o.i_know && !c->o.dry_run) {
		err_msg(c, "refused: erase leaves the drive without firmware until it is flashed again; "
			"add --yes-i-know-what-i-am-doing");
		return -E_REFUSED;
	}
	return flash_job_run(&j);
}

const struct command cmd_flash = {
	.name = "flash",
	.args = "POS FILE",
	.summary = "write firmware FILE (.bin/.hex): checks, backup, only changed sectors, verify",
	.example = "odrescue flash 3 SOHW-1653S_CS0P.bin --yes",
	.run = flash_run,
	.flags = CMD_AHCI | CMD_SAT,
};

const struct command cmd_erase = {
	.name = "erase",
	.args = "POS",
	.summary = "erase the whole flash (after a backup; --yes-i-know-what-i-am-doing)",
	.example = "odrescue erase 3 --yes-i-know-what-i-am-doing --yes",
	.run = erase_run,
	.flags = CMD_AHCI | CMD_SAT,
};
