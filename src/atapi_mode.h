/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ATAPI mode: a drive named by its node (/dev/srN, /dev/sgN, or
 * -p sg:dev=NODE) is reached through the kernel's SG_IO instead of raw
 * ports. Commands that speak SPC/MMC open an atapi_target, which is
 * either path behind the same struct pt; commands that need the IDE
 * registers (MediaTek vendor mode, taskfile access) refuse nodes.
 */
#ifndef ODRESCUE_ATAPI_MODE_H
#define ODRESCUE_ATAPI_MODE_H

#include <stdio.h>

#include "hw/atapi.h"
#include "hw/mmc.h"
#include "hw/probe.h"
#include "hw/pt.h"
#include "hw/pt_sgio.h"
#include "src/cli.h"

/* An ATAPI drive ready for packet commands, on either path. */
struct atapi_target {
	struct pt pt;		/* what callers use: records each command's sense, then forwards */
	struct pt lower;	/* SG_IO or raw PACKET */
	struct pt_cmd last;	/* the last command run through pt (status, sense, xfer) */
	int sg;			/* 1: through SG_IO */
	const char *node;	/* SG_IO: the node */
	struct position pos;
	struct atapi_dev ad;	/* raw: PACKET state */
	struct ata_port ap;
	struct dev_probe dp;	/* raw: IDENTIFY PACKET, INQUIRY, TEST UNIT READY */
	struct inquiry inq;	/* INQUIRY at open time */
	struct bus *clock;	/* time source: the open bus (virtual on sim), NULL: real time */
};

/* The system calls behind node positions: NULL, the kernel; tests point it at a fake one. */
extern const struct sgio_sys *atapi_sgio_sys;

/* -p sg[:...] or --atapi was given. */
int atapi_mode_selected(const struct ctx *c);
/* The "-p help" entry for the SG_IO path. */
void atapi_mode_help(FILE *f);

/*
 * Before a command runs: with -p sg:dev=NODE, NODE becomes the position
 * when the command takes one and none was given; with -p sg, positions
 * must be nodes. May replace *argv (static storage). Prints why not.
 */
int atapi_mode_args(struct ctx *c, const struct command *cmd, int *argc, char ***argv);

/* atapi_target_open() flags, besides SGIO_EXCL (hw/pt_sgio.h). */
#define ATGT_ANY_TYPE	0x100	/* accept any INQUIRY peripheral type, not only CD/DVD */

/*
 * Open the drive at pos: SG_IO for a node (sg_flags: SGIO_EXCL...), else
 * the bus, IDENTIFY and INQUIRY on the raw position. Checks it is an
 * ATAPI CD/DVD device. Prints why not.
 */
int atapi_target_open(struct ctx *c, const struct position *pos, unsigned sg_flags,
		      struct atapi_target *t);
void atapi_target_close(struct atapi_target *t);
/* "position 3 (secondary master)" or "/dev/sr0". */
const char *atapi_target_name(const struct atapi_target *t, char *buf, size_t len);
/* Why a command on t failed with ret: the sense for -EIO, the transport's message, or strerror. */
const char *atapi_target_err(struct ctx *c, const struct atapi_target *t, int ret, char *buf, size_t len);
/* Time on t's clock; and a sleep on it. */
uint64_t atapi_target_now(const struct atapi_target *t);
void atapi_target_sleep(const struct atapi_target *t, uint64_t ns);

/*
 * For commands that need the MediaTek vendor mode (ATA command 80h):
 * says it cannot travel through SG_IO and how to reach the drive raw.
 * Returns -EINVAL (usage: wrong kind of position for this command).
 */
int atapi_mode_refuse_vendor(struct ctx *c, const char *cmd);
/*
 * A command without CMD_NODE given a node (/dev/sr0): through sysfs, the
 * drive's raw position (a legacy channel), or its native channel's ports
 * (which become the ioport backend's base=/ctl=). -EINVAL with the reason
 * printed when it has none (USB, SATA) or another backend was chosen.
 */
int atapi_mode_raw_node(struct ctx *c, const char *cmd, struct position *pos);

/* identify NODE: INQUIRY, IDENTIFY PACKET DEVICE through ATA PASS-THROUGH(16), sysfs location. */
int atapi_mode_identify(struct ctx *c, const struct position *pos);
/* scan in ATAPI mode: every CD/DVD device the kernel knows, with INQUIRY and location. */
int atapi_mode_scan(struct ctx *c, int argc, char **argv);

#endif
