// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * satprobe /dev/srN: taskfile_sat.c against a real kernel (the VM tier).
 * Three commands through ATA PASS-THROUGH(16): 80h with Sector Number
 * 2Ah (the MediaTek intro, which a drive without vendor mode aborts: ERR,
 * so libata's error handler runs and the registers come back in fixed
 * format sense), SET FEATURES 66h (no ERR: a descriptor-format answer)
 * and IDENTIFY PACKET DEVICE (PIO data-in). Prints what each returned.
 * Not installed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hw/ata_id.h"
#include "hw/pt_sgio.h"
#include "hw/taskfile.h"

static void show(const char *what, int ret, const struct tf_cmd *c)
{
	printf("%s: %s, status %02Xh error %02Xh nsect %02Xh lbal %02Xh lbam %02Xh lbah %02Xh device %02Xh\n",
	       what, ret == -EIO ? "ERR" : ret ? strerror(-ret) : "done", c->res.command, c->res.feature,
	       c->res.nsect, c->res.lbal, c->res.lbam, c->res.lbah, c->res.device);
}

/* The same non-data command as sent, its sense data byte for byte (what the kernel wrote). */
static void raw(struct pt *pt, uint8_t cmd, uint8_t arg)
{
	/* 80h takes its key in Sector Number, EFh its subcommand in Features */
	struct pt_cmd p = { .cdb = { 0x85, 3 << 1, 0x20, 0, cmd == 0xef ? arg : 0, 0, 0, 0, cmd == 0xef ? 0 : arg,
				     0, 0, 0, 0, 0xa0, cmd, 0 },
			    .cdb_len = 16, .timeout_ns = 10000000000ull };
	const struct sgio_result *r;
	int ret = pt_exec(pt, &p);

	r = sgio_last(pt);
	printf("sense of %02Xh: ret %d status %02x driver %02x:", cmd, ret, r->status, r->driver_status);
	for (unsigned i = 0; i < p.sense.len; i++)
		printf(" %02x", p.sense.raw[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	struct tf_cmd intro = { .regs = TF_LBAL, .tf = { .lbal = 0x2a, .command = 0x80 } };
	/* SET FEATURES 66h (keep the settings over a reset): QEMU takes it and does nothing; libata revalidates nothing. */
	struct tf_cmd setf = { .regs = TF_FEATURE, .tf = { .feature = 0x66, .command = 0xef } };
	uint16_t id[ATA_ID_WORDS];
	struct ata_id_info info;
	struct taskfile_sat ts;
	struct taskfile t;
	struct pt pt;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: satprobe /dev/srN\n");
		return 1;
	}
	if ((ret = sgio_open(&pt, argv[1], 0, NULL))) {
		fprintf(stderr, "satprobe: %s\n", pt.errmsg);
		return 2;
	}
	ts.pt = &pt;
	ts.clock = NULL;
	taskfile_sat_init(&t, &ts);
	raw(&pt, 0x80, 0x2a);
	raw(&pt, 0xef, 0x66);
	show("80h/2Ah", tf_exec(&t, &intro), &intro);
	show("EFh/66h", tf_exec(&t, &setf), &setf);
	ret = tf_identify(&t, 0, ATA_CMD_ID_ATAPI, id);
	if (!ret && !ata_id_decode(id, &info))
		printf("A1h: done, model '%s'\n", info.model);
	else
		printf("A1h: %s\n", strerror(-ret));
	pt.ops->close(&pt);
	return 0;
}
