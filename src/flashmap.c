/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "src/flashmap.h"

#define PER_LINE	64

char flashmap_char(unsigned st)
{
	static const char ch[] = {
		[SU_SAME] = '.', [SU_PENDING] = 'o', [SU_WRITTEN] = '#', [SU_ERASED] = '-', [SU_PARTIAL] = '?',
	};

	return st < sizeof(ch) ? ch[st] : '?';
}

void flashmap_print(FILE *fp, const uint8_t *st, uint32_t units, uint32_t unit)
{
	for (uint32_t u = 0; u < units; u++) {
		if (u % PER_LINE == 0)
			fprintf(fp, "  %06Xh ", u * unit);
		fputc(flashmap_char(st[u]), fp);
		if (u % PER_LINE == PER_LINE - 1 || u + 1 == units)
			fputc('\n', fp);
	}
	fprintf(fp, "  (one character per %u-byte erase unit: . unchanged, o old (to be written),\n"
		"   # written, - erased (FFh), ? mixed or partly written)\n", unit);
}
