// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The image loader on any file contents, the way fwimage_parse() sees a
 * file after reading it: MTK .hex text or .bin banks. What it
 * accepts must be whole banks that each start with 02h or 80h (or
 * OmniPatcher's rebanked 1 MiB layout), carry the CRC of
 * its bytes, and come back unchanged (bytes, CRC, identity) through
 * fwimage_to_hex and the loader again. A .bin is taken byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "recovery/crc32.h"
#include "src/fwimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const struct fwimage *im)
{
	if (!im->data || !im->len || im->len % FW_BANK || im->len > FW_IMAGE_MAX ||
	    im->crc != crc32(0, im->data, im->len))
		abort();
	for (size_t b = 0; b < im->len; b += FW_BANK)
		if (im->data[b] != 0x02 && im->data[b] != 0x80 && !im->rebanked)
			abort();
	if (im->rebanked && (im->len != 0x100000 || im->data[0] != 0x02 || im->data[0x4000] != 0x02 ||
			     memcmp(im->data + 0xfff8, "LITEONIT", 8)))
		abort();
	if (im->has_identity && (im->identity_at + 36 > im->len || strlen(im->vendor) != 8 ||
				 strlen(im->product) != 16 || strlen(im->revision) != 4))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fwimage im, again;
	char why[256], *hex;
	size_t n;

	why[0] = 0;
	if (fwimage_parse_mem(data, size, &im, why, sizeof(why))) {
		if (im.data || !why[0])
			abort();	/* a refusal keeps nothing and says why */
		return 0;
	}
	check_accepted(&im);
	if (!im.hex && (im.len != size || memcmp(im.data, data, size)))
		abort();
	hex = fwimage_to_hex(im.data, im.len, &n);
	if (hex) {
		if (fwimage_parse_mem(hex, n, &again, why, sizeof(why)))
			abort();	/* the writer's own output refused */
		if (again.len != im.len || memcmp(again.data, im.data, im.len) || again.crc != im.crc ||
		    again.has_identity != im.has_identity || again.identity_at != im.identity_at)
			abort();	/* a round trip that loses bytes */
		fwimage_free(&again);
		free(hex);
	}
	fwimage_free(&im);
	return 0;
}
