/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Plausible MediaTek 8032-era firmware images for the simulator and the tests. */
#ifndef ODRESCUE_FWGEN_H
#define ODRESCUE_FWGEN_H

#include <stddef.h>
#include <stdint.h>

#define FWGEN_BANK	0x10000u	/* 64 KiB code banks */
#define FWGEN_INQ_OFS	0x4100u		/* INQUIRY template: 8-byte header + vendor/product/rev */
#define FWGEN_ID_OFS	0x4180u		/* byte-swapped IDENTIFY strings: rev(8) vendor(8) product(16) */

/*
 * Fill img[size] (a multiple of 64 KiB): every bank starts with 02h (LJMP),
 * the identity strings where docs/protocol.md says, deterministic
 * pseudo-code from seed elsewhere, and an erased (FFh) tail in each bank
 * the way real images have. Strings are space-padded.
 */
void fwgen_make(uint8_t *img, size_t size, const char *vendor, const char *product,
		const char *rev, uint32_t seed);

/* What the drive's boot code checks before it runs the image: 1 valid, 0 not. */
int fwgen_valid(const uint8_t *img, size_t size);

/* Find the INQUIRY template; 0 and vendor/product/rev (trimmed) if present, else -ENOENT. */
int fwgen_identity(const uint8_t *img, size_t size, char vendor[9], char product[17], char rev[5]);

#endif
