/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "hw/sim/fwgen.h"

static const uint8_t inq_head[2][8] = {
	{ 0x05, 0x80, 0x00, 0x32, 0x5b, 0x00, 0x00, 0x00 },
	{ 0x05, 0x80, 0x00, 0x32, 0x1f, 0x00, 0x00, 0x00 },
};

static void pad(uint8_t *dst, const char *s, size_t n)
{
	size_t len = strlen(s);

	memset(dst, ' ', n);
	memcpy(dst, s, len < n ? len : n);
}

static uint32_t xorshift(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

void fwgen_make(uint8_t *img, size_t size, const char *vendor, const char *product,
		const char *rev, uint32_t seed)
{
	uint32_t x = seed ? seed : 0x9e3779b9u;
	uint8_t ids[32];

	for (size_t bank = 0; bank < size; bank += FWGEN_BANK) {
		size_t end = bank + FWGEN_BANK <= size ? bank + FWGEN_BANK : size;
		/* Code fills the first part of a bank; the rest is erased, as in real dumps. */
		size_t used = bank + (FWGEN_BANK * (8 + xorshift(&x) % 7)) / 16;

		for (size_t i = bank; i < end; i++)
			img[i] = i < used ? (uint8_t)xorshift(&x) : 0xff;
		img[bank] = 0x02;	/* LJMP: what the boot code checks */
		if (bank + 2 < end) {
			img[bank + 1] = (uint8_t)(0x01 + bank / FWGEN_BANK);
			img[bank + 2] = 0x00;
		}
	}
	if (size < FWGEN_ID_OFS + 32)
		return;
	memcpy(img + FWGEN_INQ_OFS, inq_head[0], 8);
	pad(img + FWGEN_INQ_OFS + 8, vendor, 8);
	pad(img + FWGEN_INQ_OFS + 16, product, 16);
	pad(img + FWGEN_INQ_OFS + 32, rev, 4);
	/* IDENTIFY strings are stored byte-swapped in words, ready for the data port. */
	pad(ids, rev, 8);
	pad(ids + 8, vendor, 8);
	pad(ids + 16, product, 16);
	for (int i = 0; i < 32; i += 2) {
		img[FWGEN_ID_OFS + i] = ids[i + 1];
		img[FWGEN_ID_OFS + i + 1] = ids[i];
	}
}

int fwgen_valid(const uint8_t *img, size_t size)
{
	if (size < FWGEN_BANK || size % FWGEN_BANK)
		return 0;
	for (size_t bank = 0; bank < size; bank += FWGEN_BANK)
		if (img[bank] != 0x02)
			return 0;
	return 1;
}

static void trimmed(char *out, const uint8_t *src, size_t n)
{
	memcpy(out, src, n);
	out[n] = '\0';
	while (n && out[n - 1] == ' ')
		out[--n] = '\0';
}

int fwgen_identity(const uint8_t *img, size_t size, char vendor[9], char product[17], char rev[5])
{
	for (size_t i = 0x4000; i + 36 <= size; i++) {
		if (img[i] != 0x05 || (memcmp(img + i, inq_head[0], 8) && memcmp(img + i, inq_head[1], 8)))
			continue;
		trimmed(vendor, img + i + 8, 8);
		trimmed(product, img + i + 16, 16);
		trimmed(rev, img + i + 32, 4);
		return 0;
	}
	return -ENOENT;
}
