/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading a flat .bin image for WRITE BUFFER, with the checks docs/protocol.md "Images and identity" gives. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hw/mmc.h"
#include "src/wbuf_image.h"

#define IDENTITY_FROM	0x4000
#define TEMPLATE_LEN	36		/* 8 template bytes + vendor 8 + product 16 + revision 4 */

int wbuf_image_identity(struct wbuf_image *im)
{
	static const uint8_t head[4] = { 0x05, 0x80, 0x00, 0x32 };

	im->has_identity = 0;
	for (size_t at = IDENTITY_FROM; at + TEMPLATE_LEN <= im->len; at++) {
		const uint8_t *p = im->data + at;

		if (memcmp(p, head, 4) || (p[4] != 0x1f && p[4] != 0x5b) || p[5] || p[6] || p[7])
			continue;
		mmc_inq_field(im->vendor, p + 8, 8);
		mmc_inq_field(im->product, p + 16, 16);
		mmc_inq_field(im->revision, p + 32, 4);
		im->identity_at = at;
		im->has_identity = 1;
		return 0;
	}
	return -ENOENT;
}

static int bad(struct ctx *c, struct wbuf_image *im, const char *file, const char *why)
{
	err_msg(c, "%s: %s", file, why);
	wbuf_image_free(im);
	return -E_BADFILE;
}

int wbuf_image_load(struct ctx *c, const char *file, struct wbuf_image *im)
{
	char why[160];
	struct stat st;
	FILE *f;

	memset(im, 0, sizeof(*im));
	f = fopen(file, "rb");
	if (!f || fstat(fileno(f), &st)) {
		snprintf(why, sizeof(why), "cannot read: %s", strerror(errno));
		if (f)
			fclose(f);
		return bad(c, im, file, why);
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > WBUF_IMAGE_MAX ||
	    st.st_size % WBUF_BANK) {
		fclose(f);
		snprintf(why, sizeof(why), "%lld bytes: a flat image is whole 64 KiB banks, at most 2 MiB "
			 "(convert .hex images first)", (long long)st.st_size);
		return bad(c, im, file, why);
	}
	im->len = (size_t)st.st_size;
	im->data = malloc(im->len);
	if (!im->data || fread(im->data, 1, im->len, f) != im->len) {
		fclose(f);
		return bad(c, im, file, "short read");
	}
	fclose(f);
	/* Every bank of an 8051-era MediaTek image starts with LJMP (02h). */
	for (size_t b = 0; b < im->len; b += WBUF_BANK) {
		if (im->data[b] != 0x02) {
			snprintf(why, sizeof(why), "bank at %06zXh starts with %02Xh, not 02h: not a MediaTek "
				 "8051 firmware image", b, im->data[b]);
			return bad(c, im, file, why);
		}
	}
	wbuf_image_identity(im);
	return 0;
}

void wbuf_image_free(struct wbuf_image *im)
{
	free(im->data);
	im->data = NULL;
	im->len = 0;
}
