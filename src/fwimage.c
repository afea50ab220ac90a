/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading .bin and Intel HEX images with the checks docs/protocol.md "Images and identity" gives. */
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

#define IDENTITY_FROM	0x4000
#define TEMPLATE_LEN	36		/* 8 template bytes + vendor 8 + product 16 + revision 4 */

int fwimage_identity(struct fwimage *im)
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

static int hexval(const char *p, int n, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		int d = p[i] >= '0' && p[i] <= '9' ? p[i] - '0' :
			p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 10 :
			p[i] >= 'a' && p[i] <= 'f' ? p[i] - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		*v = *v << 4 | (unsigned)d;
	}
	return 0;
}

int fwimage_parse_hex(const char *text, size_t len, struct fwimage *im, char *why, size_t whylen)
{
	uint32_t base = 0, top = 0;
	unsigned line = 0;
	int eof = 0, ret = -E_BADFILE;
	uint8_t *seen = calloc(FW_IMAGE_MAX / 8, 1);	/* a bit per byte: overlaps are refused */

	im->data = malloc(FW_IMAGE_MAX);
	if (!im->data || !seen) {
		free(seen);
		return -ENOMEM;
	}
	memset(im->data, 0xff, FW_IMAGE_MAX);
	for (size_t pos = 0; pos < len && !eof; ) {
		const char *p = text + pos;
		size_t n = 0;
		unsigned cnt, addr, type, sum, v;

		while (pos + n < len && text[pos + n] != '\n')
			n++;
		pos += n + 1;
		line++;
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (!n)
			continue;
		if (p[0] != ':' || n < 11 || n % 2 == 0 || hexval(p + 1, 2, &cnt) ||
		    n != 11 + 2 * cnt || hexval(p + 3, 4, &addr) || hexval(p + 7, 2, &type)) {
			snprintf(why, whylen, "line %u is not an Intel HEX record", line);
			goto out;
		}
		sum = cnt + (addr >> 8) + (addr & 0xff) + type;
		for (unsigned i = 0; i <= cnt; i++) {
			if (hexval(p + 9 + 2 * i, 2, &v)) {
				snprintf(why, whylen, "line %u: bad hex digit", line);
				goto out;
			}
			sum += v;
		}
		if (sum & 0xff) {
			snprintf(why, whylen, "line %u: checksum mismatch (the file is damaged)", line);
			goto out;
		}
		switch (type) {
		case 0x00:
			if ((uint64_t)base + addr + cnt > FW_IMAGE_MAX) {	/* 64-bit: base may be near 4 GiB */
				snprintf(why, whylen, "line %u: data at %06Xh beyond 2 MiB", line, base + addr);
				goto out;
			}
			for (unsigned i = 0; i < cnt; i++) {
				uint32_t at = base + addr + i;

				if (seen[at / 8] & (1u << (at % 8))) {
					snprintf(why, whylen, "line %u: data at %06Xh was already given by an "
						 "earlier line (overlapping records)", line, at);
					goto out;
				}
				seen[at / 8] |= (uint8_t)(1u << (at % 8));
				hexval(p + 9 + 2 * i, 2, &v);
				im->data[at] = (uint8_t)v;
			}
			if (base + addr + cnt > top)
				top = base + addr + cnt;
			break;
		case 0x01:
			eof = 1;
			break;
		case 0x02:	/* extended segment address: bits 4-19 */
		case 0x04:	/* extended linear address: bits 16-31 */
			if (cnt != 2) {
				snprintf(why, whylen, "line %u: address record of %u bytes", line, cnt);
				goto out;
			}
			hexval(p + 9, 4, &v);
			base = type == 0x02 ? v << 4 : v << 16;
			break;
		case 0x03:
		case 0x05:	/* start address: meaningless for a flash image */
			break;
		case 0x55:	/* MTK/BTC ":00000155AA": the next 64 KiB bank (mtk-protocol.md 5.2) */
			if (cnt) {
				snprintf(why, whylen, "line %u: bank record with data", line);
				goto out;
			}
			if (base >= FW_IMAGE_MAX) {
				snprintf(why, whylen, "line %u: bank record past 2 MiB", line);
				goto out;
			}
			base += FW_BANK;
			break;
		default:
			snprintf(why, whylen, "line %u: unknown record type %02X", line, type);
			goto out;
		}
	}
	if (!eof) {
		snprintf(why, whylen, "no end-of-file record: the file is cut short");
		goto out;
	}
	if (!top) {
		snprintf(why, whylen, "no data records");
		goto out;
	}
	im->len = (top + FW_BANK - 1) / FW_BANK * FW_BANK;
	im->hex = 1;
	ret = 0;
out:
	free(seen);
	if (ret) {
		free(im->data);
		im->data = NULL;
	}
	return ret;
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
	/* Every bank of an 8051-era MediaTek image starts with LJMP (02h). */
	for (size_t b = 0; b < im->len; b += FW_BANK) {
		if (im->data[b] != 0x02) {
			snprintf(why, whylen, "bank %zu (at %06zXh) starts with %02Xh, not 02h: not a "
				 "MediaTek 8051 firmware image, or a damaged one", b / FW_BANK, b, im->data[b]);
			fwimage_free(im);
			return -E_BADFILE;
		}
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
	char why[200];
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

size_t fwimage_hex_max(size_t len)
{
	/* 12 + 2k characters a line of k bytes, a 16-character 04h record per 64 KiB started, the end record */
	return len / 16 * 44 + (len % 16 ? 12 + 2 * (len % 16) : 0) + (len + 0xffff) / 0x10000 * 16 + 12;
}

char *fwimage_to_hex(const uint8_t *data, size_t len, size_t *textlen)
{
	size_t n = 0;
	char *t = malloc(fwimage_hex_max(len) + 1);	/* sprintf's NUL */

	if (!t)
		return NULL;
	for (size_t off = 0; off < len; off += 16) {
		size_t k = len - off < 16 ? len - off : 16;
		unsigned sum;
		int erased = 1;

		if (!(off & 0xffff)) {
			unsigned hi = (unsigned)(off >> 16);

			n += (size_t)sprintf(t + n, ":02000004%04X%02X\n", hi,
					     (0x100 - ((6 + (hi >> 8) + (hi & 0xff)) & 0xff)) & 0xff);
		}
		for (size_t i = 0; i < k; i++)
			erased &= data[off + i] == 0xff;
		if (erased)
			continue;	/* unfilled bytes read back as FFh */
		sum = (unsigned)k + ((off >> 8) & 0xff) + (off & 0xff);
		n += (size_t)sprintf(t + n, ":%02zX%04zX00", k, off & 0xffff);
		for (size_t i = 0; i < k; i++) {
			n += (size_t)sprintf(t + n, "%02X", data[off + i]);
			sum += data[off + i];
		}
		n += (size_t)sprintf(t + n, "%02X\n", (0x100 - (sum & 0xff)) & 0xff);
	}
	n += (size_t)sprintf(t + n, ":00000001FF\n");
	*textlen = n;
	return t;
}
