/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Firmware images (.bin and MTK .hex): loaded, checked completely, identity found. */
#ifndef ODRESCUE_FWIMAGE_H
#define ODRESCUE_FWIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "src/cli.h"

/* 8051 code banks of 64 KiB: btcflash.c loadfirmware (bank << 16), OP fw.pl fw_parse_lo (fw_nbanks) */
#define FW_BANK	0x10000
/* 2 MiB: the largest MTK flash in mtk-protocol.md 5.1 (MT1939, scanlime/coastermelt) */
#define FW_IMAGE_MAX	0x200000

struct fwimage {
	uint8_t *data;
	size_t len;
	int has_identity;		/* an INQUIRY template was found */
	size_t identity_at;		/* offset of the template */
	char vendor[9], product[17], revision[5];
	int hex;			/* loaded from MTK .hex */
	int rebanked;			/* 1 MiB, banks not starting 02h/80h, OP's "rebanked" marks */
	uint32_t crc;			/* CRC-32 of data */
};

/*
 * Read and check file completely: a regular file, .bin or MTK .hex (data,
 * 55h bank and end records as btcflash reads them, every checksum), whole
 * 64 KiB banks up to 2 MiB, each bank starting with 02h or 80h, or a
 * rebanked 1 MiB image (docs/protocol.md "Images and identity"). On
 * failure one line says why: -E_BADFILE.
 */
int fwimage_load(struct ctx *c, const char *file, struct fwimage *im);
/* The same without printing: why[] gets the reason. */
int fwimage_parse(const char *file, struct fwimage *im, char *why, size_t whylen);
/* The same on a file's bytes in memory (buf is copied, not kept): the fuzz target's entry. */
int fwimage_parse_mem(const void *buf, size_t len, struct fwimage *im, char *why, size_t whylen);
/* MTK .hex text -> image bytes (FFh where no record writes), as many banks as it names; 0 or -E_BADFILE with why. */
int fwimage_parse_hex(const char *text, size_t len, struct fwimage *im, char *why, size_t whylen);
void fwimage_free(struct fwimage *im);
/* Image bytes as MTK .hex that btcflash loads (":00000155AA" between banks, no lines for erased runs); malloc'd, NUL-ended. */
char *fwimage_to_hex(const uint8_t *data, size_t len, size_t *textlen);
/* The longest text fwimage_to_hex() can make of len bytes (none erased), without the NUL. */
size_t fwimage_hex_max(size_t len);
/* Does the file name ask for MTK .hex (".hex")? */
int fwimage_name_is_hex(const char *file);
/* Find the INQUIRY template `05 80 00 {31|32} {1F|5B} 00 00 00` where JF and OP look (docs/protocol.md). */
int fwimage_identity(struct fwimage *im);

/* flash --method wbuf POS FILE: checks, download, wait, report. */
int wbuf_flash_run(struct ctx *c, const struct position *pos, const char *file);

#endif
