/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/mtk.h"
#include "hw/scsi.h"
#include "recovery/jobdrive.h"

void jobdrive_probe(struct ata_port *ap, int dev, struct taskfile *t, struct pt *pt, struct dev_probe *dp)
{
	struct mtk m;

	for (int tries = 0; tries < 3; tries++) {
		memset(dp, 0, sizeof(*dp));
		dp->class = ATA_DEV_ATAPI;
		if (ap) {
			probe_device(ap, dev, dp);
		} else if (!t->ops) {
			/* a SATA port whose drive holds BSY: no command reaches it before the intro */
			dp->busy = 1;
			dp->id_ret = dp->inq_ret = -EBUSY;
			break;
		} else if (t->packet && !mtk_found(&m, t, 0)) {
			/* The port's last D2H FIS shows the vendor status: no IDENTIFY for the engine. */
			dp->vendor_status = m.status;
			dp->id_ret = dp->inq_ret = -EALREADY;
			break;
		} else {
			if (!t->packet)
				dp->class = ATA_DEV_ATA;	/* the signature says disk: ask it as one */
			probe_tf(t, pt, dp);
		}
		/* A pending UNIT ATTENTION (reset, power-on) is consumed by the first TUR. */
		if (dp->id_ret || dp->medium >= 0 || dp->tur_sense.key != UNIT_ATTENTION)
			break;
	}
}

enum jobdrive_misfit jobdrive_fits(const struct flash_dev *f, size_t image_len, const struct session_keep *keep,
				   int nkeep, int *bad)
{
	if (f->chip->no_write)
		return JD_UNKNOWN_CHIP;
	if (flash_page_write_part(f->chip))
		return JD_PAGE_WRITE;
	if (image_len && image_len != f->chip->size)
		return JD_SIZE;
	for (int i = 0; i < nkeep; i++)
		if (keep[i].end >= f->chip->size) {
			*bad = i;
			return JD_KEEP_PAST_END;
		}
	return JD_FITS;
}

int jobdrive_write(struct flash_dev *f, const struct session_cfg *cfg, struct session_result *r, uint64_t *ns)
{
	uint64_t t0;
	int ret;

	memset(r, 0, sizeof(*r));	/* failed_in SP_READ: nothing written */
	*ns = 0;
	/* A serial chip's status first: one that stays protected is refused before the backup. */
	if (!cfg->dry_run && (ret = flash_unprotect(f)))
		return ret;
	t0 = mtk_now_ns(&f->m);
	ret = session_flash(f, cfg, r);
	*ns = mtk_now_ns(&f->m) - t0;
	return ret;
}

/* A FIS transport: no Status without a command; ask until the restarted drive identifies. */
static void restart_fis(struct taskfile *t, struct pt *pt, struct dev_probe *dp)
{
	uint64_t t0 = tf_now_ns(t);

	do {
		memset(dp, 0, sizeof(*dp));
		dp->class = ATA_DEV_ATAPI;
		probe_tf(t, pt, dp);
		if (!dp->id_ret && !dp->inq_ret)
			return;
		tf_delay_ns(t, JOB_RESTART_POLL_NS);
	} while (tf_now_ns(t) - t0 < JOB_RESTART_TMO_NS);
}

int jobdrive_restart(struct flash_dev *f, struct ata_port *ap, int dev, struct taskfile *t, struct pt *pt,
		     struct dev_probe *dp)
{
	uint8_t st;

	flash_close(f);
	if (!ap)
		restart_fis(t, pt, dp);
	else if (ata_wait_not_busy(ap, JOB_RESTART_TMO_NS, &st))
		return -ETIMEDOUT;
	else
		probe_device(ap, dev, dp);
	return 0;
}

void jobdrive_state(struct flash_dev *f, const uint8_t *image, const char *backup, struct jobdrive_state *st)
{
	uint32_t size = f->chip->size, unit = f->chip->sector ? f->chip->sector : size;
	uint8_t *cur = malloc(size), *old = malloc(size);
	FILE *b = fopen(backup, "rb");
	int have_old = b && old && fread(old, 1, size, b) == size;

	memset(st, 0, sizeof(*st));
	st->units = size / unit;
	if (b)
		fclose(b);
	if (cur && !flash_read(f, 0, cur, size, NULL, NULL)) {
		st->read_ok = 1;
		for (uint32_t off = 0; off < size; off += unit) {
			int erased = 1;

			for (uint32_t i = off; i < off + unit && erased; i++)
				erased = cur[i] == 0xff;
			uint32_t u = off / unit;
			int is_image = image && !memcmp(cur + off, image + off, unit);
			int is_old = have_old && !memcmp(cur + off, old + off, unit);
			enum session_unit m = is_image && is_old ? SU_SAME : is_image ? SU_WRITTEN :
					      is_old ? SU_PENDING : erased ? SU_ERASED : SU_PARTIAL;

			st->as_image += is_image;
			st->as_backup += !is_image && is_old;
			st->erased += !is_image && !is_old && erased;
			st->other += !is_image && !is_old && !erased;
			if (u < SESSION_MAP_MAX)
				st->map[u] = (uint8_t)m;
		}
	}
	free(cur);
	free(old);
}
