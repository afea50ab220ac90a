/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The MediaTek vendor commands on a node through ATA PASS-THROUGH(16) (atapi_sat.c). */
#ifndef ODRESCUE_ATAPI_SAT_H
#define ODRESCUE_ATAPI_SAT_H

#include "hw/flash.h"
#include "hw/taskfile.h"
#include "src/cli.h"

/* The command runs on a node through ATA PASS-THROUGH (chip, dump, verify). */
#define CMD_SAT		0x4

/* -p sim:hba=sat[,host=ata_piix]: the simulator behind a modelled kernel SG_IO device. */
int atapi_sat_selected(struct ctx *c);
/*
 * A node given to a CMD_SAT command: kept when libata's ahci holds it (or
 * the simulated kernel does), else its raw position as atapi_mode_raw_node
 * finds it, else refused with the reason (USB, an SFF host). Prints why not.
 */
int atapi_sat_node(struct ctx *c, const char *cmd, struct position *pos);
/*
 * The node's taskfile (SG_IO opened once, exclusively, until atapi_sat_close)
 * and, if pt is not NULL, its packet path. Prints why not.
 */
int atapi_sat_taskfile(struct ctx *c, const struct position *pos, struct taskfile *t, struct pt **pt);
/* The node exists (a drive libata attached): 1, else 0. */
int atapi_sat_present(struct ctx *c, const struct position *pos);
/* After the intro: a 73h drive is refused (and gets nothing more). 0 or -E_REFUSED. */
int atapi_sat_check(struct ctx *c, const struct position *pos, struct flash_dev *f);
void atapi_sat_close(void);

#endif
