/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AHCI mode: -p ahci:qtest=SOCKET (QEMU q35) drives an AHCI controller's
 * ports from user space; positions are the port numbers p0..p31. scan,
 * identify, wait, chip, dump, verify, flash and erase run there; other
 * commands refuse pN with the reason.
 */
#ifndef ODRESCUE_AHCI_MODE_H
#define ODRESCUE_AHCI_MODE_H

#include <signal.h>
#include <stdio.h>

#include "hw/mtk.h"
#include "hw/probe.h"
#include "hw/taskfile.h"
#include "recovery/hotplug.h"
#include "src/cli.h"

/* The command runs on pN positions. */
#define CMD_AHCI	0x2

/* -p ahci[:...] was given. */
int ahci_mode_selected(const struct ctx *c);
/* The "-p help" entry. */
void ahci_mode_help(FILE *f);
/* "p0".."p31" into pos; -EINVAL otherwise. */
int ahci_position_parse(const char *s, struct position *pos);
/* "p2" and "SATA port 2" (static storage). */
const char *ahci_position_arg(const struct position *pos);
const char *ahci_position_name(const struct position *pos);
/* Why cmd cannot run on this position or backend (prints it); -EINVAL. */
int ahci_mode_refuse(struct ctx *c, const char *cmd, const struct position *pos);

/* scan: every implemented port, its link, signature and device. */
int ahci_mode_scan(struct ctx *c, int argc, char **argv);
/* Start port pos and identify what is there (IDENTIFY, INQUIRY, TEST UNIT READY). Prints why not. */
int ahci_mode_probe(struct ctx *c, const struct position *pos, struct dev_probe *dp);
/*
 * The taskfile of port pos for the vendor commands: the controller opened
 * once (closed by ahci_mode_close at ctx_close_bus), the port started.
 * Prints why not: -ENODEV no device or one holding BSY, or the transport's error.
 * pt (if not NULL): the port's packet path, for INQUIRY and TEST UNIT READY.
 */
int ahci_mode_taskfile(struct ctx *c, const struct position *pos, struct taskfile *t, struct pt **pt);
/* The transport failed (QEMU gone, a read of all ones): prints it; its -errno, 0 if not. */
int ahci_mode_io_failed(struct ctx *c);
void ahci_mode_close(struct ctx *c);

/*
 * Watch port pos until a device comes (or, if one is there, until it is
 * replaced), let it settle, start the port and identify it. 0, -ETIMEDOUT
 * (tmo_ns, 0: none), -EINTR (*stop), or the transport's error (printed).
 */
int ahci_mode_wait(struct ctx *c, const struct position *pos, uint64_t tmo_ns, volatile sig_atomic_t *stop,
		   struct ahci_wait *w);
/*
 * Port pos as it is now, in the vendor session: dp->class ATA_DEV_NONE
 * (nothing), dp->busy (BSY held), or what it identifies as; a drive whose
 * PxTFD shows a vendor status gets no command and *vendor_status says it.
 * 0, or the transport's error (printed).
 */
int ahci_mode_look(struct ctx *c, const struct position *pos, struct dev_probe *dp, uint8_t *vendor_status);
/*
 * The vendor intro on port pos while the user power-cycles the drive
 * (hotplug_intro_loop_ahci); tmo_ns 0: one try. Transport errors printed.
 */
int ahci_mode_intro(struct ctx *c, const struct position *pos, struct mtk *m, uint64_t tmo_ns,
		    volatile sig_atomic_t *stop, unsigned *tries);

#endif
