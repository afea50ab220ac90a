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
#include <stddef.h>
#include <stdint.h>

#include "hw/flash.h"

struct session_keep {
	uint32_t start, end;	/* inclusive */
};

/*
 * The backup is FILE.provisional until each of its bytes has been read
 * twice and agreed (the journal says backup_provisional 1 meanwhile).
 */
#define SESSION_PROVISIONAL	".provisional"

enum session_phase { SP_READ, SP_BACKUP, SP_WRITE, SP_VERIFY, SP_DONE };

struct session_cfg {
	const uint8_t *image;		/* chip->size bytes */
	const char *backup;		/* new file for the current contents */
	const char *journal;		/* journal file (removed after success) */
	const char *drive;		/* the drive's identity as checked before the first write, for the journal */
	int resume;			/* continue the session the journal describes */
	/*
	 * 1: one read is the backup, the units to write are read again before
	 * their erase, the rest in the verify; >= 2: that many reads first.
	 */
	int read_repeated;
	int dry_run;			/* stop after the backup; r says what would change */
	/* cfg->backup exists, proven when it was made: it is the backup if a fresh read equals it */
	int reuse;
	uint32_t reuse_crc;		/* its crc32, as its sidecar recorded */
	const struct session_keep *keep;	/* ranges the drive's own flash keeps (--keep) */
	int nkeep;
	/*
	 * Sees the chip's contents before anything is written (on --resume: the
	 * backup, what it held before the interrupted run); nonzero stops the session.
	 */
	int (*check)(void *arg, const uint8_t *cur, uint32_t size);
	volatile sig_atomic_t *stop;	/* set by a signal: stop between erase units */
	flash_progress_fn progress;	/* per phase, done/total bytes */
	void (*phase)(void *arg, enum session_phase p);
	void (*log)(void *arg, const char *msg);	/* one line, for src/ to print */
	void *arg;
};

/* What a session knows of each erase unit (struct session_result's map); src/flashmap.c draws it. */
enum session_unit { SU_SAME, SU_PENDING, SU_WRITTEN, SU_ERASED, SU_PARTIAL };
#define SESSION_MAP_MAX	1024	/* units kept in the map: 2 MiB of 2 KiB units */

struct session_result {
	enum session_phase failed_in;	/* where it stopped, if it did */
	uint32_t units, units_changed, units_erased;
	uint32_t units_to_write;	/* set as the write phase starts: the units that differ */
	uint32_t bytes_programmed;
	uint32_t first_bad;		/* verify: first differing offset */
	uint32_t backup_crc, image_crc;
	int backup_reused;		/* the backup made before (--resume, or cfg->reuse) */
	int journal_failed;		/* the backup is saved, the journal could not be created */
	uint32_t disagreed;		/* bytes whose reads differed (majority kept) */
	uint32_t kept;			/* bytes carried over from the drive (--keep) */
	int provisional;		/* the backup is still cfg->backup SESSION_PROVISIONAL */
	int backup_dropped;		/* a provisional backup removed: nothing was written */
	uint32_t corrected;		/* backup bytes a third read corrected */
	/*
	 * Per unit (the first SESSION_MAP_MAX): SU_SAME as the image, SU_PENDING
	 * differs (the old contents), SU_WRITTEN, SU_PARTIAL its write failed.
	 */
	uint8_t map[SESSION_MAP_MAX];
};

/*
 * 0 when the chip holds the image, read back. -EEXIST backup exists,
 * -E_BADFILE-style errors for files, -EINTR stopped (resumable), -EIO /
 * -ETIMEDOUT from the drive, -ECANCELED a journal that does not fit, -EBADMSG
 * verify mismatch, -ERANGE a keep range outside the chip, or what
 * cfg->check returned; r->failed_in says whether anything changed.
 * Journal (cfg->journal): the header names chip, image and backup; one
 * line per erase unit finished, so --resume skips nothing it should not.
 */
int session_flash(struct flash_dev *f, const struct session_cfg *cfg, struct session_result *r);

/* What a journal records of the interrupted run: the drive as it was before its first write. */
struct session_journal {
	char chip[64], backup[4096], drive[128];
	unsigned size, image_crc, backup_crc;
	int provisional;		/* the backup is still backup SESSION_PROVISIONAL */
};

/* A journal's header and what later lines changed (for --resume); 0, or -ENOENT / -EINVAL. */
int session_journal_read(const char *journal, struct session_journal *jh);

/*
 * Read the whole chip reps times and keep the majority of each byte;
 * -EILSEQ if some byte has none. *disagreed (may be NULL) counts the bytes
 * that did not read the same every time.
 */
int session_read_all(struct flash_dev *f, uint8_t *buf, int reps, flash_progress_fn cb, void *arg,
		     uint32_t *disagreed);

#endif
