/* SPDX-License-Identifier: GPL-2.0-or-later */
/* btcflash's .hex acceptance rules, rewritten for the tests from a reading of btcflash.c. */
#ifndef ODRESCUE_TESTS_BTCLOAD_H
#define ODRESCUE_TESTS_BTCLOAD_H

#include <stddef.h>
#include <stdint.h>

#define BTC_FLASHSIZE 0x100000	/* btcflash.c: FLASHSIZE, "BTC flash is 1MB" */

/*
 * What btcflash's loadfirmware() makes of a file holding text[len], for a
 * flash of flashsize bytes (btcflash has only 1 MiB; other sizes apply the
 * same rules with flashsize/64 KiB banks, our generalisation). The image
 * (malloc'd, flashsize bytes), or NULL with why[] saying what btcflash
 * would print.
 */
uint8_t *btc_load(const char *text, size_t len, size_t flashsize, char *why, size_t whylen);

#endif
