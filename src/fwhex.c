/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MTK .hex, read and written the way btcflash's loadfirmware() takes it
 * (Distrotech/cdrkit @ 88305fd, btcflash/btcflash.c, loadfirmware): data
 * records (type 00h) at a 16-bit offset in the current 64 KiB bank,
 * ":00000155AA" before each next bank, ":00000001FF" at the end. btcflash
 * refuses every other record that carries no data, and so do we.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/fwimage.h"

#define HEX_BANK_REC	":00000155AA"	/* btcflash.c loadfirmware: strncmp(line, ":00000155AA", 11) */
#define HEX_END_REC	":00000001FF"	/* btcflash.c loadfirmware: strncmp(line, ":00000001FF", 11) */
#define HEX_LINE_BYTES	16		/* btcflash reads lines with fgets into char line[80] */

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

/*
 * Why a record is not MTK .hex. Intel's address and start records (02h-05h)
 * mean plain Intel HEX, which objcopy turns into the flat image odrescue
 * takes; anything else is a damaged or foreign file.
 */
static void not_mtk(char *why, size_t whylen, unsigned line, unsigned cnt, unsigned addr, unsigned type)
{
	static const char *const intel[6] = { [2] = "extended segment address",
		[3] = "start segment address", [4] = "extended linear address", [5] = "start linear address" };

	if (type < 6 && intel[type])
		snprintf(why, whylen, "line %u: record type %02Xh (Intel %s) is not in MTK .hex, which btcflash "
			 "reads as data, " HEX_BANK_REC " and " HEX_END_REC " records only; make a .bin of this "
			 "Intel HEX: objcopy -I ihex -O binary --gap-fill 0xff --pad-to FLASHSIZE IN.hex OUT.bin",
			 line, type, intel[type]);
	else
		snprintf(why, whylen, "line %u: record type %02Xh with %u bytes at %04Xh is not in MTK .hex, which "
			 "btcflash reads as data, " HEX_BANK_REC " and " HEX_END_REC " records only", line, type,
			 cnt, addr);
}

int fwimage_parse_hex(const char *text, size_t len, struct fwimage *im, char *why, size_t whylen)
{
	uint32_t bank = 0;
	unsigned line = 0;
	int eof = 0, data = 0, ret = -E_BADFILE;
	uint8_t *seen = calloc(FW_IMAGE_MAX / 8, 1);	/* a bit per byte: overlaps are refused */

	im->data = malloc(FW_IMAGE_MAX);
	if (!im->data || !seen) {
		free(seen);
		free(im->data);
		im->data = NULL;
		return -ENOMEM;
	}
	memset(im->data, 0xff, FW_IMAGE_MAX);	/* btcflash: memset(fwbuf, 0xff, FLASHSIZE) */
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
		/* btcflash skips lines without ':'; we refuse them: a damaged file is not guessed at. */
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
		/* btcflash: a record of another type, or one of type 00h without data, is "Malformed". */
		if (cnt == 0 && type == 0x55 && addr == 0x0001) {
			bank += FW_BANK;
			if (bank >= FW_IMAGE_MAX) {
				snprintf(why, whylen, "line %u: a bank record past 2 MiB", line);
				goto out;
			}
			continue;
		}
		if (cnt == 0 && type == 0x01 && addr == 0) {
			eof = 1;
			continue;
		}
		if (type != 0x00 || cnt == 0) {
			not_mtk(why, whylen, line, cnt, addr, type);
			goto out;
		}
		/* btcflash stores at (bank << 16) | offset, so a record across its bank's end lands nowhere sane. */
		if (addr + cnt > FW_BANK) {
			snprintf(why, whylen, "line %u: a data record at %04Xh runs past the end of its 64 KiB bank",
				 line, addr);
			goto out;
		}
		for (unsigned i = 0; i < cnt; i++) {
			uint32_t at = bank + addr + i;

			if (seen[at / 8] & (1u << (at % 8))) {
				snprintf(why, whylen, "line %u: data at %06Xh was already given by an "
					 "earlier line (overlapping records)", line, at);
				goto out;
			}
			seen[at / 8] |= (uint8_t)(1u << (at % 8));
			hexval(p + 9 + 2 * i, 2, &v);
			im->data[at] = (uint8_t)v;
		}
		data = 1;
	}
	if (!eof) {
		snprintf(why, whylen, "no end-of-file record: the file is cut short");
		goto out;
	}
	if (!data) {
		snprintf(why, whylen, "no data records");
		goto out;
	}
	/* The size is the banks the records name, erased ones at the end included (btcflash: bank count). */
	im->len = bank + FW_BANK;
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

size_t fwimage_hex_max(size_t len)
{
	size_t banks = (len + FW_BANK - 1) / FW_BANK;

	/* 11 + 2k characters and a newline a line of k bytes, a bank record after each bank, the end record */
	return len / HEX_LINE_BYTES * (12 + 2 * HEX_LINE_BYTES) +
	       (len % HEX_LINE_BYTES ? 12 + 2 * (len % HEX_LINE_BYTES) : 0) +
	       (banks ? banks - 1 : 0) * (sizeof(HEX_BANK_REC) - 1 + 1) + sizeof(HEX_END_REC) - 1 + 1;
}

char *fwimage_to_hex(const uint8_t *data, size_t len, size_t *textlen)
{
	size_t n = 0;
	char *t = malloc(fwimage_hex_max(len) + 1);	/* sprintf's NUL */

	if (!t)
		return NULL;
	for (size_t off = 0; off < len; off += HEX_LINE_BYTES) {
		size_t k = len - off < HEX_LINE_BYTES ? len - off : HEX_LINE_BYTES;
		unsigned sum;
		int erased = 1;

		if (off && !(off % FW_BANK))
			n += (size_t)sprintf(t + n, HEX_BANK_REC "\n");
		for (size_t i = 0; i < k; i++)
			erased &= data[off + i] == 0xff;
		if (erased)
			continue;	/* unfilled bytes read back as FFh */
		sum = (unsigned)k + ((off >> 8) & 0xff) + (off & 0xff);
		n += (size_t)sprintf(t + n, ":%02zX%04zX00", k, off % FW_BANK);
		for (size_t i = 0; i < k; i++) {
			n += (size_t)sprintf(t + n, "%02X", data[off + i]);
			sum += data[off + i];
		}
		n += (size_t)sprintf(t + n, "%02X\n", (0x100 - (sum & 0xff)) & 0xff);
	}
	n += (size_t)sprintf(t + n, HEX_END_REC "\n");
	*textlen = n;
	return t;
}
