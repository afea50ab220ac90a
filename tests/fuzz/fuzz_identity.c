// SPDX-License-Identifier: GPL-2.0-or-later
/* The INQUIRY-template finder on any image bytes: strings it returns are terminated and in range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/fwimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fwimage im;

	memset(&im, 0, sizeof(im));
	im.data = malloc(size ? size : 1);
	if (!im.data)
		return 0;
	memcpy(im.data, data, size);
	im.len = size;
	if (!fwimage_identity(&im) &&
	    (!im.has_identity || im.identity_at >= size || strlen(im.vendor) > 8 || strlen(im.product) > 16 ||
	     strlen(im.revision) > 4))
		abort();
	free(im.data);
	return 0;
}
