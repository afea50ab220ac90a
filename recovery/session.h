/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A flash session that loses nothing: read the chip, keep a verified
 * backup, journal, erase/program only the erase units that differ (signals
 * held while one is in flight), read everything back. An interrupted
 * session resumes from its journal with the backup it already made.
 */
#ifndef ODRESCUE_SESSION_H
#define ODRESCUE_SESSION_H

#include <signal.h>
#include <stdint.h>

#include "hw/flash.h"

enum session_phase { SP_READ, SP_BACKUP, SP_WRITE, SP_VERIFY, SP_DONE };

struct session_cfg {
	const uint8_t *image;		/* chip->size bytes */
	const char *backup;		/* new file for the current contents */
	const char *journal;		/* journal file (removed after success) */
	int resume;			/* continue the session the journal describes */
	int read_repeated;		/* read the chip this many times before the backup (>= 1) */
	volatile sig_atomic_t *stop;	/* set by a signal: stop between erase units */
	flash_progress_fn progress;	/* per phase, done/total bytes */
	void (*phase)(void *arg, enum session_phase p);
	void (*log)(void *arg, const char *msg);	/* one line, for src/ to print */
	void *arg;
};

struct session_result {
	enum session_phase failed_in;	/* where it stopped, if it did */
	uint32_t units, units_changed, units_erased;
	uint32_t bytes_programmed;
	uint32_t first_bad;		/* verify: first differing offset */
	uint32_t backup_crc, image_crc;
	int backup_reused;		/* --resume: the backup made before the interruption */
};

/*
 * 0 when the chip holds the image, read back. -EEXIST backup exists,
 * -E_BADFILE-style errors for files, -EINTR stopped (resumable), -EIO /
 * -ETIMEDOUT from the drive, -ECANCELED a journal that does not fit, -EBADMSG
 * verify mismatch; r->failed_in says whether anything changed.
 */
int session_flash(struct flash_dev *f, const struct session_cfg *cfg, struct session_result *r);

/* Read the whole chip cfg->read_repeated times; -EIO if two reads differ. */
int session_read_all(struct flash_dev *f, uint8_t *buf, int reps, flash_progress_fn cb, void *arg);

#endif
