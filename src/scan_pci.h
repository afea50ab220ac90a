/* SPDX-License-Identifier: GPL-2.0-or-later */
/* scan's list of the PCI IDE controllers: each channel's mode, ports, owner, and how to name it. */
#ifndef ODRESCUE_SCAN_PCI_H
#define ODRESCUE_SCAN_PCI_H

#include "src/cli.h"
#include "src/output.h"

/*
 * The controllers under sg_sysfs_root(), owners from proc_root()/ioports:
 * text lines on c->out, or with j a "controllers" array in the current
 * JSON object.
 */
void scan_pci_ide(struct ctx *c, struct json *j);

#endif
