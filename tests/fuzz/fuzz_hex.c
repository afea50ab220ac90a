// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Intel/MTK .hex parser on any text. Whatever it accepts must come
 * back unchanged through fwimage_to_hex and the parser again, and the
 * identity finder must cope with the bytes it produced.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/fwimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fwimage im, again;
	char why[256], *hex;
	size_t n;

	memset(&im, 0, sizeof(im));
	if (fwimage_parse_hex((const char *)data, size, &im, why, sizeof(why)))
		return 0;
	fwimage_identity(&im);
	hex = fwimage_to_hex(im.data, im.len, &n);
	if (hex) {
		memset(&again, 0, sizeof(again));
		if (fwimage_parse_hex(hex, n, &again, why, sizeof(why)) || again.len != im.len ||
		    memcmp(again.data, im.data, im.len))
			abort();	/* a round trip that loses bytes */
		fwimage_free(&again);
		free(hex);
	}
	fwimage_free(&im);
	return 0;
}
