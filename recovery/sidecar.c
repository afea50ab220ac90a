/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "recovery/outfile.h"
#include "recovery/sidecar.h"

#define SIDECAR_MAGIC	"odrescue-backup 1"

static void name(const char *backup, char *out, size_t len)
{
	snprintf(out, len, "%s" SIDECAR_SUFFIX, backup);
}

int sidecar_write(const char *backup, const struct sidecar *s)
{
	char path[4200], text[512];
	struct outfile of;
	int ret;

	name(backup, path, sizeof(path));
	snprintf(text, sizeof(text), SIDECAR_MAGIC "\ndrive %s\nchip %s\nchip_id %02x %02x %02x\nsize %u\n"
		 "crc32 %08x\n", s->drive[0] ? s->drive : "-", s->chip, s->id[0], s->id[1], s->id[2], s->size,
		 s->crc);
	ret = outfile_open(&of, path, 1);
	if (ret)
		return ret;
	ret = outfile_write(&of, text, strlen(text));
	if (ret) {
		outfile_abort(&of);
		return ret;
	}
	return outfile_commit(&of);
}

int sidecar_read(const char *backup, struct sidecar *s)
{
	char path[4200], line[256];
	unsigned id[3] = { 0 };
	int have = 0;
	FILE *f;

	memset(s, 0, sizeof(*s));
	name(backup, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return -ENOENT;
	/* -EINVAL: a file by that name that is not a sidecar of ours */
	if (!fgets(line, sizeof(line), f) || strncmp(line, SIDECAR_MAGIC "\n", sizeof(SIDECAR_MAGIC))) {
		fclose(f);
		return -EINVAL;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "drive ", 6))
			have |= (sscanf(line + 6, "%127[^\n]", s->drive) == 1) << 0;
		else if (!strncmp(line, "chip ", 5))
			have |= (sscanf(line + 5, "%63s", s->chip) == 1) << 1;
		else if (!strncmp(line, "chip_id ", 8))
			have |= (sscanf(line + 8, "%x %x %x", &id[0], &id[1], &id[2]) == 3) << 2;
		else if (!strncmp(line, "size ", 5))
			have |= (sscanf(line + 5, "%u", &s->size) == 1) << 3;
		else if (!strncmp(line, "crc32 ", 6))
			have |= (sscanf(line + 6, "%x", &s->crc) == 1) << 4;
	}
	fclose(f);
	for (int i = 0; i < 3; i++)
		s->id[i] = (uint8_t)id[i];
	return have == 0x1f ? 0 : -EINVAL;
}
