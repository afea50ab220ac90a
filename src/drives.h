/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MediaTek drive families odrescue knows: how each is flashed, its
 * image size, the ranges of its flash that belong to the single drive,
 * and how far each operation has been tried. Facts come from
 * ../shared/reference/mtk-protocol.md; each entry names its source.
 */
#ifndef ODRESCUE_DRIVES_H
#define ODRESCUE_DRIVES_H

#include <stdint.h>
#include <stdio.h>

enum drive_method {
	DM_VENDOR,	/* "mtk": ATA 80h vendor mode; status 70h/72h tells parallel or serial */
	DM_WBUF,	/* SCSI WRITE BUFFER mode 6 + 7 (btcflash) */
	DM_NONE,	/* no public method: odrescue will not guess one */
};

enum drive_tested {
	DT_UNTESTED,	/* never run against this family */
	DT_SIM,		/* rehearsed on the simulator's model of it, not on a real drive */
	DT_OK,		/* worked on a real drive */
	DT_BAD,		/* known not to work */
};

enum drive_op { DOP_PROBE, DOP_READ, DOP_WRITE, DOP_ERASE, DOP_COUNT };

struct drive_range {
	uint32_t start, end;	/* inclusive */
	const char *what;	/* "drive key" */
};

#define DRIVE_RANGES_MAX 2

struct drive_model {
	const char *vendor;	/* INQUIRY vendor, fnmatch pattern, trailing blanks ignored */
	const char *product;	/* INQUIRY product, fnmatch pattern */
	const char *family;
	enum drive_method method;
	const char *flash;	/* "parallel", "serial", "any" (vendor mode tells), "-" */
	uint32_t image_size;	/* bytes; 0: not recorded, the chip decides */
	struct drive_range keep[DRIVE_RANGES_MAX];	/* per-drive data in the flash */
	enum drive_tested tested[DOP_COUNT];
	const char *note;	/* what a rescuer must know, or NULL */
	const char *source;	/* where the facts come from */
};

extern const struct drive_model drive_table[];
extern const unsigned drive_table_len;

/* The first entry matching INQUIRY vendor/product (blank-padded or not), or NULL. */
const struct drive_model *drive_find(const char *vendor, const char *product);
const char *drive_method_name(enum drive_method m);
const char *drive_tested_name(enum drive_tested t);
/* The whole table as --list-supported prints it (json: one document). */
void drive_table_print(FILE *f, int json);

#endif
