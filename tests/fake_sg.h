/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake kernel for ATAPI mode: answers SG_IO for one MMC drive behind
 * any node, so commands run in-process on /dev/srN without hardware.
 */
#ifndef ODRESCUE_FAKE_SG_H
#define ODRESCUE_FAKE_SG_H

#include <stdint.h>

#include "hw/pt_sgio.h"
#include "tests/tst.h"

struct fake_sg {
	int open_ret;			/* fd, or -errno */
	int open_flags;
	char opened[128];
	uint8_t inquiry[96];
	int medium;			/* TEST UNIT READY: GOOD, else 2/3A */
	int rpc_reject;			/* REPORT KEY 08h: ILLEGAL REQUEST 5/24 */
	uint8_t rpc[8];			/* REPORT KEY reply */
	int ata16;			/* ATA PASS-THROUGH(16): 1 answer id[], 0 ILLEGAL REQUEST 5/20 */
	uint16_t id[256];
	unsigned cmds;
	unsigned write_buffers;		/* WRITE BUFFER commands seen (answered ILLEGAL REQUEST) */
	uint8_t last_cdb[16];
};

extern struct fake_sg fake_sg;
extern const struct sgio_sys fake_sg_sys;

/* A DVD writer: INQUIRY "HL-DT-ST" "DVDRAM GH22NP20" "1.02", no disc, RPC-2 region 2, ATA_16 rejected. */
void fake_sg_reset(void);
/* Set REPORT KEY's reply: type code, vendor resets, user changes, region mask, scheme. */
void fake_sg_rpc(int type, int vra, int ucca, uint8_t mask, uint8_t scheme);

/* Run odrescue_main() in this process with the fake kernel behind node positions; like tst_cli(). */
int fake_sg_main(struct tst_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
