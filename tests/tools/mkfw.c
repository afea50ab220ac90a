/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mkfw: write a plausible MediaTek firmware image (the simulator's
 * generator) for the demo, the benchmarks and the tests. Not installed.
 *   mkfw [--head 80] [--identity-at HEX] [--byte3 31] [--rebanked] [--no-identity]
 *        OUT.bin|OUT.hex KIB VENDOR PRODUCT REV [SEED]
 * The options make the layouts of docs/protocol.md "Images and identity".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/sim/fwgen.h"
#include "src/fwimage.h"

static int usage(void)
{
	fprintf(stderr, "usage: mkfw [--head 02|80] [--identity-at HEX] [--byte3 31|32] [--rebanked] "
		"[--no-identity] OUT.bin|OUT.hex KIB(64..2048) VENDOR PRODUCT REV [SEED]\n");
	return 1;
}

int main(int argc, char **argv)
{
	struct fwgen_layout l = { 0 };
	unsigned long kib, seed;
	uint8_t *img;
	size_t len;
	FILE *f;
	int ok, a = 1;

	for (; a < argc && !strncmp(argv[a], "--", 2); a++) {
		if (!strcmp(argv[a], "--rebanked"))
			l.rebanked = 1;
		else if (!strcmp(argv[a], "--no-identity"))
			l.no_identity = 1;
		else if (a + 1 < argc && !strcmp(argv[a], "--head"))
			l.bank_head = (uint8_t)strtoul(argv[++a], NULL, 16);
		else if (a + 1 < argc && !strcmp(argv[a], "--identity-at"))
			l.inq_at = (uint32_t)strtoul(argv[++a], NULL, 16);
		else if (a + 1 < argc && !strcmp(argv[a], "--byte3"))
			l.inq_byte3 = (uint8_t)strtoul(argv[++a], NULL, 16);
		else
			return usage();
	}
	argc -= a - 1;
	argv += a - 1;
	if (argc < 6 || !(kib = strtoul(argv[2], NULL, 0)) || kib % 64 || kib > 2048 ||
	    (l.bank_head && l.bank_head != 0x02 && l.bank_head != 0x80) ||
	    (l.inq_byte3 && l.inq_byte3 != 0x31 && l.inq_byte3 != 0x32) ||
	    (l.inq_at && l.inq_at + 36 > kib * 1024) || (l.rebanked && kib != 1024))
		return usage();
	seed = argc > 6 ? strtoul(argv[6], NULL, 0) : 1;
	len = kib * 1024;
	img = malloc(len);
	if (!img)
		return 1;
	fwgen_make_layout(img, len, argv[3], argv[4], argv[5], (uint32_t)seed, &l);
	f = fopen(argv[1], "wb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	if (fwimage_name_is_hex(argv[1])) {
		size_t n;
		char *hex = fwimage_to_hex(img, len, &n);

		ok = hex && fwrite(hex, 1, n, f) == n;
		free(hex);
	} else {
		ok = fwrite(img, 1, len, f) == len;
	}
	ok = !fclose(f) && ok;
	free(img);
	return ok ? 0 : 1;
}
