/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing probe results: the one place scan, identify and reset format a device. */
#ifndef ODRESCUE_SHOW_H
#define ODRESCUE_SHOW_H

#include <stdio.h>

#include "hw/probe.h"
#include "src/cli.h"
#include "src/output.h"

/* "ATAPI CD/DVD 'QEMU DVD-ROM' rev '2.5+' ..." on one line. */
void show_dev_line(FILE *f, const struct dev_probe *dp);
/* The same facts as JSON members of the current object. */
void show_dev_json(struct json *j, const struct dev_probe *dp);
/* JSON members for a taskfile: status, error, nsect, lbal, lbam, lbah, device, decoded. */
void show_tf_json(struct json *j, const struct ata_tf *tf, int atapi);
void show_position_json(struct json *j, struct ctx *c, const struct position *pos);

#endif
