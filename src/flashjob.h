/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One flash or erase through vendor mode, shared by flash, erase, rescue and the old syntax. */
#ifndef ODRESCUE_FLASHJOB_H
#define ODRESCUE_FLASHJOB_H

#include "hw/probe.h"
#include "recovery/session.h"
#include "src/cli.h"
#include "src/fwimage.h"
#include "src/vendor.h"

struct flash_job {
	struct ctx *c;
	struct position pos;
	const char *file;		/* the image; NULL for erase */
	struct fwimage im;
	int erase;
	struct dev_probe dp;		/* the drive before vendor mode */
	/* A FIS transport (an AHCI port, a node through ATA PASS-THROUGH): probe_tf's two paths. */
	struct taskfile t;
	struct pt *pt;
	int identity_checked;		/* against the drive's INQUIRY */
	char drive[128];		/* "[vendor][product]" checked before the first write (the journal keeps it) */
	const struct drive_model *model;	/* the drive table's entry; NULL: not known */
	int wbuf;			/* the table says WRITE BUFFER: flash_job_run hands over */
	int dead;			/* the drive does not answer the standard protocol */
	int reuse;			/* --backup names a finished backup (it has a sidecar): kept if it fits */
	uint32_t reuse_crc;		/* its crc32, as the sidecar says */
	char backup[4096];
	char journal[4200];
	const char *chip;
	struct progress p;
	struct session_result res;	/* the session's (the progress reads its plan) */
	uint32_t unit, units_done;	/* the write phase's progress: erase units */
	int writing;			/* in the session's write phase */
	double secs;
	int new_rev_ok;			/* the restarted drive reports the image's revision */
};

/* Checks, consent, backup, write, verify, restart. 0 or -errno (messages printed). */
int flash_job_run(struct flash_job *j);
/*
 * Before vendor mode: no ATA disk, no disc, the identity (a BSY drive:
 * warned, checked later). ap NULL: through j->t and j->pt (a FIS transport).
 */
int flash_job_probe(struct flash_job *j, struct ata_port *ap);
/* The journal and backup files, before any device work. */
int flash_job_files(struct flash_job *j);
/* From a drive already in vendor mode with its chip identified (f is closed, or left in vendor mode). */
int flash_job_write(struct flash_job *j, struct ata_port *ap, struct flash_dev *f);
/*
 * After the steps before the backup (or the download), with user_stop
 * held: 0, or -EINTR for a Ctrl-C they had no wait to end in, vendor mode
 * left (f unused for a WRITE BUFFER drive) and the line said.
 */
int flash_job_stopped(struct flash_job *j, struct flash_dev *f);
/* The command that finishes an interrupted job: "odrescue flash 3 fw.bin --resume --yes". */
void flash_job_retry(const struct flash_job *j, char *buf, size_t len);
/*
 * A session that failed: what the flash holds now and what to do. -E_WRITEFAIL
 * (exit 9) once anything changed; the session's own error before that.
 */
int flash_job_failed(struct flash_job *j, struct flash_dev *f, const struct session_result *r, int ret);

#endif
