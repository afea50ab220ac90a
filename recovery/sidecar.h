/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sidecar of a finished backup, FILE.info: which drive and chip it
 * came from and its crc32. A later flash with --backup FILE uses the file
 * again (nothing overwritten, no second backup) when the sidecar names
 * the same drive and chip and a fresh read of the drive equals the file.
 */
#ifndef ODRESCUE_SIDECAR_H
#define ODRESCUE_SIDECAR_H

#include <stdint.h>

#define SIDECAR_SUFFIX	".info"

struct sidecar {
	char drive[128];	/* "[vendor][product]", "-" when the drive did not say */
	char chip[64];
	uint8_t id[3];
	uint32_t size, crc;
};

/*
 * Write backup's sidecar, in place of one left by a backup since removed
 * (the caller checked that any FILE.info there is one of ours): 0 or -errno.
 */
int sidecar_write(const char *backup, const struct sidecar *s);
/* Read backup's sidecar: 0, -ENOENT (none), -EINVAL (not one of ours). */
int sidecar_read(const char *backup, struct sidecar *s);

#endif
