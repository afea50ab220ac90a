/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loadfirmware() of btcflash (Distrotech/cdrkit @ 88305fd,
 * btcflash/btcflash.c), written again from reading it, as the test's
 * independent judge of the .hex files odrescue writes. Not odrescue code:
 * nothing under src/ may call it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/btcload.h"

#define BTC_LINE 80	/* char line[80], read with fgets */

/* getbyte(): two hex digits, either case; -1 otherwise. */
static int getbyte(const char **pp)
{
	int v = 0;

	for (int i = 0; i < 2; i++) {
		char ch = (*pp)[i];
		int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 :
			ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	*pp += 2;
	return v;
}

/* fgets(line, 80, f): up to 79 characters, through the newline if it comes first. */
static size_t next_line(const char *text, size_t len, size_t *pos, char line[BTC_LINE])
{
	size_t n = 0;

	while (*pos < len && n < BTC_LINE - 1) {
		line[n++] = text[(*pos)++];
		if (line[n - 1] == '\n')
			break;
	}
	line[n] = '\0';
	return n;
}

uint8_t *btc_load(const char *text, size_t len, size_t flashsize, char *why, size_t whylen)
{
	uint8_t *fw = malloc(flashsize);
	char line[BTC_LINE];
	size_t pos = 0;
	int bank = 0, nbanks = (int)(flashsize >> 16);

	if (!fw)
		return NULL;
	if (len == flashsize) {		/* "If it's exactly FLASHSIZE, assume it's a .bin file." */
		memcpy(fw, text, len);
		return fw;
	}
	memset(fw, 0xff, flashsize);
	while (next_line(text, len, &pos, line)) {
		const char *p = line + 1;
		int length, hi, lo, offset, type, sum;

		if (line[0] != ':')
			continue;
		length = getbyte(&p);
		hi = getbyte(&p);
		lo = getbyte(&p);
		offset = hi < 0 || lo < 0 ? -1 : hi << 8 | lo;
		type = getbyte(&p);
		if (length < 0 || offset < 0 || type < 0 || (type != 0 && length != 0)) {
			snprintf(why, whylen, "Malformed line: %.79s", line);
			goto bad;
		}
		if (length == 0) {
			if (!strncmp(line, ":00000155AA", 11)) {
				if (++bank >= nbanks) {
					snprintf(why, whylen, "Firmware file larger than %zu KiB", flashsize >> 10);
					goto bad;
				}
				continue;
			}
			if (!strncmp(line, ":00000001FF", 11))
				break;
			snprintf(why, whylen, "Malformed line: %.79s", line);
			goto bad;
		}
		sum = (length + (offset >> 8) + (offset & 0xff)) & 0xff;
		for (int i = 0; i < length; i++, offset++) {
			int b = getbyte(&p);

			if (b < 0) {
				snprintf(why, whylen, "Short line: %.79s", line);
				goto bad;
			}
			sum = (sum + b) & 0xff;
			/* btcflash writes fwbuf[(bank << 16) | offset] unchecked; out of range is a failure here */
			if ((size_t)((bank << 16) | offset) >= flashsize) {
				snprintf(why, whylen, "byte beyond the flash: %.79s", line);
				goto bad;
			}
			fw[(bank << 16) | offset] = (uint8_t)b;
		}
		if (((0x100 - sum) & 0xff) != getbyte(&p)) {
			snprintf(why, whylen, "Checksum mismatch: %.79s", line);
			goto bad;
		}
	}
	if (bank != nbanks - 1) {
		snprintf(why, whylen, "Firmware file too small");
		goto bad;
	}
	return fw;
bad:
	free(fw);
	return NULL;
}
