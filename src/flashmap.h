/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The flash at a glance: one character per erase unit, 64 to a line. */
#ifndef ODRESCUE_FLASHMAP_H
#define ODRESCUE_FLASHMAP_H

#include <stdint.h>
#include <stdio.h>

#include "recovery/session.h"

/* The character of an enum session_unit ('?' for anything else). */
char flashmap_char(unsigned st);

/* st[units] drawn with the offset of each line's first unit, then the legend; lines under 80 columns. */
void flashmap_print(FILE *fp, const uint8_t *st, uint32_t units, uint32_t unit);

#endif
