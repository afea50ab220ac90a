/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "hw/sim/fwgen.h"

/*
 * The images follow the public record, not odrescue's loader:
 *  - bank heads 02h or 80h, or OmniPatcher's rebanked 1 MiB layout (02h at
 *    0000h and 4000h, "LITEONIT" at FFF8h): rpc1dev/omnipatcher @ e5d896e,
 *    common_xflash.pl com_xf_extract L515-528;
 *  - the INQUIRY template 05 80 00 {31|32} {1F|5B} 00 00 00 + vendor(8) +
 *    product(16) + revision(4): omnipatcher common_util.pl
 *    getfwid_mtk_helper; at 4100h (after OP's 4000h), or at 2E00h where
 *    mitchellwaite/jungleflasher-with-extras @ 9ea5961
 *    JungleFlasher/Forms/Form1.cs L9272 finds it in Lite-On/PLDS images.
 */
static const uint8_t inq_head[8] = { 0x05, 0x80, 0x00, 0x32, 0x5b, 0x00, 0x00, 0x00 };

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

void fwgen_make_layout(uint8_t *img, size_t size, const char *vendor, const char *product,
		       const char *rev, uint32_t seed, const struct fwgen_layout *l)
{
	static const struct fwgen_layout plain;
	uint32_t x = seed ? seed : 0x9e3779b9u;
	uint32_t inq;
	uint8_t ids[32];

	l = l ? l : &plain;
	inq = l->inq_at ? l->inq_at : FWGEN_INQ_OFS;
	for (size_t bank = 0; bank < size; bank += FWGEN_BANK) {
		size_t end = bank + FWGEN_BANK <= size ? bank + FWGEN_BANK : size;
		/* Code fills the first part of a bank; the rest is erased, as in real dumps. */
		size_t used = bank + (FWGEN_BANK * (8 + xorshift(&x) % 7)) / 16;

		for (size_t i = bank; i < end; i++)
			img[i] = i < used ? (uint8_t)xorshift(&x) : 0xff;
		/* LJMP in bank 0, the layout's head elsewhere; rebanked: mid-code (MOV DPTR) */
		img[bank] = !bank ? 0x02 : l->rebanked ? 0x90 : l->bank_head ? l->bank_head : 0x02;
		if (bank + 2 < end) {
			img[bank + 1] = (uint8_t)(0x01 + bank / FWGEN_BANK);
			img[bank + 2] = 0x00;
		}
	}
	if (l->rebanked && size >= FWGEN_BANK) {
		img[0x4000] = 0x02;
		memcpy(img + 0xfff8, "LITEONIT", 8);
	}
	if (size < FWGEN_ID_OFS + 32)
		return;
	if (!l->no_identity) {
		memcpy(img + inq, inq_head, 8);
		img[inq + 3] = l->inq_byte3 ? l->inq_byte3 : 0x32;
		pad(img + inq + 8, vendor, 8);
		pad(img + inq + 16, product, 16);
		pad(img + inq + 32, rev, 4);
	}
	/* IDENTIFY strings are stored byte-swapped in words, ready for the data port. */
	pad(ids, rev, 8);
	pad(ids + 8, vendor, 8);
	pad(ids + 16, product, 16);
	for (int i = 0; i < 32; i += 2) {
		img[FWGEN_ID_OFS + i] = ids[i + 1];
		img[FWGEN_ID_OFS + i + 1] = ids[i];
	}
}

void fwgen_make(uint8_t *img, size_t size, const char *vendor, const char *product,
		const char *rev, uint32_t seed)
{
	fwgen_make_layout(img, size, vendor, product, rev, seed, NULL);
}

int fwgen_valid(const uint8_t *img, size_t size)
{
	int heads = 1;

	if (size < FWGEN_BANK || size % FWGEN_BANK)
		return 0;
	for (size_t bank = 0; bank < size; bank += FWGEN_BANK)
		heads &= img[bank] == 0x02 || img[bank] == 0x80;
	return heads || (size == FWGEN_REBANKED && img[0] == 0x02 && img[0x4000] == 0x02 &&
			 !memcmp(img + 0xfff8, "LITEONIT", 8));
}

static void trimmed(char *out, const uint8_t *src, size_t n)
{
	memcpy(out, src, n);
	out[n] = '\0';
	while (n && out[n - 1] == ' ')
		out[--n] = '\0';
}

/* The simulated drive answers with the first template anywhere in its flash, as its code would hold it. */
int fwgen_identity(const uint8_t *img, size_t size, char vendor[9], char product[17], char rev[5])
{
	for (size_t i = 0; i + 36 <= size; i++) {
		const uint8_t *p = img + i;

		if (p[0] != 0x05 || p[1] != 0x80 || p[2] || (p[3] != 0x31 && p[3] != 0x32) ||
		    (p[4] != 0x1f && p[4] != 0x5b) || p[5] || p[6] || p[7])
			continue;
		trimmed(vendor, p + 8, 8);
		trimmed(product, p + 16, 16);
		trimmed(rev, p + 32, 4);
		return 0;
	}
	return -ENOENT;
}
