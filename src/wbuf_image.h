/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The image for a WRITE BUFFER download: loaded, checked, and its INQUIRY identity found. */
#ifndef ODRESCUE_WBUF_IMAGE_H
#define ODRESCUE_WBUF_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "src/cli.h"

#define WBUF_BANK	0x10000		/* 8051 code banks are 64 KiB */
#define WBUF_IMAGE_MAX	0x200000	/* 2 MiB: the largest MTK flash in mtk-protocol.md 5.1 */

struct wbuf_image {
	uint8_t *data;
	size_t len;
	int has_identity;		/* an INQUIRY template was found */
	size_t identity_at;		/* offset of the template */
	char vendor[9], product[17], revision[5];
};

/* Read and check file (whole 64 KiB banks, each starting with 02h); prints why not: -E_BADFILE. */
int wbuf_image_load(struct ctx *c, const char *file, struct wbuf_image *im);
void wbuf_image_free(struct wbuf_image *im);
/* Find the INQUIRY template `05 80 00 32 {1F|5B} 00 00 00` at or after 4000h (docs/protocol.md). */
int wbuf_image_identity(struct wbuf_image *im);

/* flash --method wbuf POS FILE: checks, download, wait, report. */
int wbuf_flash_run(struct ctx *c, const struct position *pos, const char *file);

#endif
