/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Plausible MediaTek 8032-era firmware images for the simulator and the tests. */
#ifndef ODRESCUE_FWGEN_H
#define ODRESCUE_FWGEN_H

#include <stddef.h>
#include <stdint.h>

#define FWGEN_BANK	0x10000u	/* 64 KiB code banks */
#define FWGEN_INQ_OFS	0x4100u		/* INQUIRY template: 8-byte header + vendor/product/rev */
#define FWGEN_INQ_JF	0x2e00u		/* where JF's Lite-On/PLDS images hold it (docs/protocol.md) */
#define FWGEN_INQ_BTC	0x40b4u		/* vendor at 40BCh, where btcflash reads it (docs/protocol.md) */
#define FWGEN_ID_OFS	0x4180u		/* byte-swapped IDENTIFY strings: rev(8) vendor(8) product(16) */
#define FWGEN_REBANKED	0x100000u	/* the one size OmniPatcher rebanks */

/* The shapes of image the public record describes (docs/protocol.md "Images and identity"). */
struct fwgen_layout {
	uint8_t bank_head;	/* first byte of banks 1..n: 02h (LJMP; 0 means this) or 80h (SJMP) */
	uint32_t inq_at;	/* INQUIRY template offset; 0 means FWGEN_INQ_OFS */
	uint8_t inq_byte3;	/* template byte 3: 32h (0 means this) or 31h */
	int rebanked;		/* 1 MiB: 02h only at 0000h and 4000h, "LITEONIT" at FFF8h */
	int no_identity;	/* no INQUIRY template at all */
};

/*
 * Fill img[size] (a multiple of 64 KiB): every bank starts with 02h (LJMP),
 * the identity strings where docs/protocol.md says, deterministic
 * pseudo-code from seed elsewhere, and an erased (FFh) tail in each bank
 * the way real images have. Strings are space-padded.
 */
void fwgen_make(uint8_t *img, size_t size, const char *vendor, const char *product,
		const char *rev, uint32_t seed);
/* The same in another layout (NULL: fwgen_make's). */
void fwgen_make_layout(uint8_t *img, size_t size, const char *vendor, const char *product,
		       const char *rev, uint32_t seed, const struct fwgen_layout *l);

/* What the simulated drive's boot code checks before it runs the image: 1 valid, 0 not. */
int fwgen_valid(const uint8_t *img, size_t size);

/* Find the INQUIRY template; 0 and vendor/product/rev (trimmed) if present, else -ENOENT. */
int fwgen_identity(const uint8_t *img, size_t size, char vendor[9], char product[17], char rev[5]);

#endif
