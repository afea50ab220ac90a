/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mkfw: write a plausible MediaTek firmware image (the simulator's
 * generator) for the demo and the benchmarks. Not installed.
 *   mkfw OUT.bin|OUT.hex KIB VENDOR PRODUCT REV [SEED]
 */
#include <stdio.h>
#include <stdlib.h>

#include "hw/sim/fwgen.h"
#include "src/fwimage.h"

int main(int argc, char **argv)
{
	unsigned long kib, seed = argc > 6 ? strtoul(argv[6], NULL, 0) : 1;
	uint8_t *img;
	size_t len;
	FILE *f;
	int ok;

	if (argc < 6 || !(kib = strtoul(argv[2], NULL, 0)) || kib % 64 || kib > 2048) {
		fprintf(stderr, "usage: mkfw OUT.bin|OUT.hex KIB(64..2048) VENDOR PRODUCT REV [SEED]\n");
		return 1;
	}
	len = kib * 1024;
	img = malloc(len);
	if (!img)
		return 1;
	fwgen_make(img, len, argv[3], argv[4], argv[5], (uint32_t)seed);
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
