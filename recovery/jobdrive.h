/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flash job's work on the drive (src/flashjob.c is its checks in the
 * user's order, its files, consent and words): how the drive looks before
 * vendor mode, whether its chip can take the job, the write itself
 * (unprotect, then recovery/session.c), whether it boots what its flash
 * holds after, and what its flash holds after a session that failed.
 * Results only: src/ says what they mean.
 */
#ifndef ODRESCUE_JOBDRIVE_H
#define ODRESCUE_JOBDRIVE_H

#include <stdint.h>

#include "hw/flash.h"
#include "hw/probe.h"
#include "recovery/session.h"

#define JOB_RESTART_TMO_NS	(20 * NSEC_PER_SEC)	/* after the outro: the drive boots its new firmware */
#define JOB_RESTART_POLL_NS	(200 * NSEC_PER_MSEC)	/* between two IDENTIFYs on a FIS transport */

/*
 * The drive before vendor mode: IDENTIFY (PACKET), INQUIRY, TEST UNIT
 * READY, asked again (three times in all) while a UNIT ATTENTION is
 * pending. ap NULL: through t and pt (a FIS transport), where a port
 * whose last D2H FIS shows the vendor status gets no command
 * (dp->vendor_status; id_ret and inq_ret -EALREADY), nor does a SATA
 * port whose drive holds BSY, t not opened (dp->busy; -EBUSY).
 */
void jobdrive_probe(struct ata_port *ap, int dev, struct taskfile *t, struct pt *pt, struct dev_probe *dp);

/* Why the chip cannot take the job; src/ words each. */
enum jobdrive_misfit {
	JD_FITS,
	JD_UNKNOWN_CHIP,	/* status 73h: no chip the public record names, never written */
	JD_PAGE_WRITE,		/* whole-page writes, which the record does not show */
	JD_SIZE,		/* the image is not the chip's size */
	JD_KEEP_PAST_END,	/* a --keep range reaches past the chip's end (*bad: which) */
};

/* Whether f's chip can take image_len bytes (0: an erase) with the --keep ranges. */
enum jobdrive_misfit jobdrive_fits(const struct flash_dev *f, size_t image_len, const struct session_keep *keep,
				   int nkeep, int *bad);

/*
 * The write: a serial chip's protection off, then session_flash (a dry
 * run: the backup and the plan only). -EROFS: the chip stays protected
 * (f->sr says how); that and any other failure before the session leave
 * r as a session that failed reading: nothing written (the session's own
 * -EROFS, a chip protected again mid-write, comes from its write phase).
 * *ns: the session's time on the drive's clock.
 */
int jobdrive_write(struct flash_dev *f, const struct session_cfg *cfg, struct session_result *r, uint64_t *ns);

/*
 * Leave vendor mode and let the drive boot what its flash holds, then
 * identify it into dp. ap NULL: through t and pt, asked every
 * JOB_RESTART_POLL_NS until it identifies or JOB_RESTART_TMO_NS pass.
 * -ETIMEDOUT: on the raw registers it still holds BSY after
 * JOB_RESTART_TMO_NS (dp not asked).
 */
int jobdrive_restart(struct flash_dev *f, struct ata_port *ap, int dev, struct taskfile *t, struct pt *pt,
		     struct dev_probe *dp);

/* What the flash holds after a failed session, erase unit by erase unit. */
struct jobdrive_state {
	uint32_t units, as_image, as_backup, erased, other;
	int read_ok;			/* 0: the flash could not be read back */
	uint8_t map[SESSION_MAP_MAX];	/* per unit, as read back (enum session_unit) */
};

/* Read the flash back against image (NULL: an erase, nothing is "as the image") and the file backup. */
void jobdrive_state(struct flash_dev *f, const uint8_t *image, const char *backup, struct jobdrive_state *st);

#endif
