/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading .bin and MTK .hex images with the checks docs/protocol.md "Images and identity" gives. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/mmc.h"
#include "recovery/crc32.h"
#include "src/fwimage.h"

#define TEMPLATE_LEN	36		/* 8 template bytes + vendor 8 + product 16 + revision 4 */
#define OP_DATE_LEN	16		/* OP levels 1-2 also want the 16-byte date after it */
#define LITEONIT_AT	0xfff8		/* OP common_xflash.pl com_xf_extract: "LITEONIT" at FFF8h */
#define REBANKED_SIZE	0x100000

/*
 * Where the public record looks for the INQUIRY template, in the order
 * tried; the first rule that matches wins.
 *  - JF (mitchellwaite/jungleflasher-with-extras @ 9ea5961,
 *    JungleFlasher/Forms/Form1.cs L8890): 2000h-2FFFh, where its Xbox 360
 *    images keep it (the PLDS DG-16D2S templates at 2E00h, L9272 and
 *    _Module.cs struct29_*). JF checks bytes 0-3, 5 and 7 only; we also
 *    want OP's byte 4 and 6 there (our inference: no looser than OP).
 *  - OP (rpc1dev/omnipatcher @ e5d896e, common_util.pl getfwid_mtk_helper,
 *    rule levels 1-4 as fw.pl fw_parse_lo tries them): from 4000h with byte
 *    3 = 32h and byte 4 = 5Bh (1), or 1Fh (2), byte 3 31h as well (3), and
 *    then from 0000h (4).
 * Trying JF's window before OP's levels is our inference: no image known
 * holds templates in both.
 */
static const struct id_rule {
	size_t from, to;		/* start offsets [from, to); to 0: the image's end */
	uint8_t b3_31, b4_1f;		/* byte 3 may be 31h (not only 32h), byte 4 1Fh (not only 5Bh) */
	size_t need;			/* bytes the rule wants from the template on */
} id_rules[] = {
	{ 0x2000, 0x3000, 1, 1, TEMPLATE_LEN },			/* JF */
	{ 0x4000, 0, 0, 0, TEMPLATE_LEN + OP_DATE_LEN },	/* OP level 1 */
	{ 0x4000, 0, 0, 1, TEMPLATE_LEN + OP_DATE_LEN },	/* OP level 2 */
	{ 0x4000, 0, 1, 1, TEMPLATE_LEN },			/* OP level 3 */
	{ 0x0000, 0, 1, 1, TEMPLATE_LEN },			/* OP level 4 */
};

static int template_at(const uint8_t *p, const struct id_rule *r)
{
	return p[0] == 0x05 && p[1] == 0x80 && p[2] == 0x00 &&
	       (p[3] == 0x32 || (r->b3_31 && p[3] == 0x31)) &&
	       (p[4] == 0x5b || (r->b4_1f && p[4] == 0x1f)) && !p[5] && !p[6] && !p[7];
}

int fwimage_identity(struct fwimage *im)
{
	im->has_identity = 0;
	for (size_t k = 0; k < sizeof(id_rules) / sizeof(id_rules[0]); k++) {
		const struct id_rule *r = &id_rules[k];
		size_t to = r->to && r->to < im->len ? r->to : im->len;

		for (size_t at = r->from; at < to && at + r->need <= im->len; at++) {
			const uint8_t *p = im->data + at;

			if (!template_at(p, r))
				continue;
			mmc_inq_field(im->vendor, p + 8, 8);
			mmc_inq_field(im->product, p + 16, 16);
			mmc_inq_field(im->revision, p + 32, 4);
			im->identity_at = at;
			im->has_identity = 1;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * OP common_xflash.pl com_xf_extract (L515-528) takes an image whose every
 * 64 KiB bank starts with 02h (LJMP) or 80h (SJMP), or else a "rebanked"
 * one: 02h at 0000h and at 4000h, "LITEONIT" at FFF8h. OP rebanks only
 * 1 MiB images (fw.pl fw_parse_lo), so we take that layout at 1 MiB only
 * (our inference). 0, or -E_BADFILE with why.
 */
static int check_banks(struct fwimage *im, char *why, size_t whylen)
{
	size_t bad = im->len;

	for (size_t b = 0; b < im->len && bad == im->len; b += FW_BANK)
		if (im->data[b] != 0x02 && im->data[b] != 0x80)
			bad = b;
	if (bad == im->len)
		return 0;
	if (im->len == REBANKED_SIZE && im->data[0] == 0x02 && im->data[0x4000] == 0x02 &&
	    !memcmp(im->data + LITEONIT_AT, "LITEONIT", 8)) {
		im->rebanked = 1;
		return 0;
	}
	snprintf(why, whylen, "bank %zu (at %06zXh) starts with %02Xh, not 02h or 80h, and the image is "
		 "not a rebanked 1 MiB one (02h at 0 and 4000h, LITEONIT at FFF8h): not a MediaTek 8051 "
		 "firmware image, or a damaged one", bad / FW_BANK, bad, im->data[bad]);
	return -E_BADFILE;
}

static int read_file(const char *file, char **buf, size_t *len, size_t max, char *why, size_t whylen)
{
	struct stat st;
	ssize_t n;
	int fd;

	/* O_NONBLOCK: a FIFO must not hang the tool; it is refused below. */
	fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(why, whylen, "cannot read: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -E_BADFILE;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > max) {
		snprintf(why, whylen, S_ISREG(st.st_mode) ? "%lld bytes: not a firmware image (at most 2 MiB "
			 "of flash)" : "not a regular file", (long long)st.st_size);
		close(fd);
		return -E_BADFILE;
	}
	*len = (size_t)st.st_size;
	*buf = malloc(*len + 1);
	n = *buf ? read(fd, *buf, *len) : -1;
	close(fd);
	if (n != (ssize_t)*len) {
		snprintf(why, whylen, "short read");
		free(*buf);
		*buf = NULL;
		return -E_BADFILE;
	}
	return 0;
}

int fwimage_parse_mem(const void *buf, size_t len, struct fwimage *im, char *why, size_t whylen)
{
	const char *raw = buf;
	int ret = 0;

	memset(im, 0, sizeof(*im));
	if (!len) {
		snprintf(why, whylen, "0 bytes: not a firmware image");
		return -E_BADFILE;
	}
	if (raw[0] == ':') {
		ret = fwimage_parse_hex(raw, len, im, why, whylen);
		if (ret)
			return ret;
	} else if (len > FW_IMAGE_MAX || len % FW_BANK) {
		snprintf(why, whylen, "%zu bytes: a .bin image is whole 64 KiB banks, at most 2 MiB", len);
		return -E_BADFILE;
	} else {
		im->data = malloc(len);
		if (!im->data)
			return -ENOMEM;
		memcpy(im->data, raw, len);
		im->len = len;
	}
	ret = check_banks(im, why, whylen);
	if (ret) {
		fwimage_free(im);
		return ret;
	}
	fwimage_identity(im);
	im->crc = crc32(0, im->data, im->len);
	return 0;
}

int fwimage_parse(const char *file, struct fwimage *im, char *why, size_t whylen)
{
	char *raw = NULL;
	size_t len = 0;
	int ret;

	memset(im, 0, sizeof(*im));
	/* A .hex of a 2 MiB image is ~5.7 MiB of text. */
	ret = read_file(file, &raw, &len, 3 * FW_IMAGE_MAX, why, whylen);
	if (ret)
		return ret;
	ret = fwimage_parse_mem(raw, len, im, why, whylen);
	free(raw);
	return ret;
}

int fwimage_load(struct ctx *c, const char *file, struct fwimage *im)
{
	char why[400];
	int ret = fwimage_parse(file, im, why, sizeof(why));

	if (ret)
		err_msg(c, "%s: %s", file, why);
	return ret;
}

void fwimage_free(struct fwimage *im)
{
	free(im->data);
	im->data = NULL;
	im->len = 0;
}

int fwimage_name_is_hex(const char *file)
{
	size_t n = strlen(file);

	return n > 4 && !strcasecmp(file + n - 4, ".hex");
}
