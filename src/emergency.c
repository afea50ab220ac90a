/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What to say when a flash stops: before the first change, why and that
 * the drive is untouched; after it, what the flash holds now (read back
 * unit by unit against the image and the backup), "do not power off", and
 * the exact command that finishes the job.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hw/bus_fault.h"
#include "recovery/jobdrive.h"
#include "src/flashjob.h"
#include "src/flashmap.h"

void flash_job_retry(const struct flash_job *j, char *buf, size_t len)
{
	const struct ctx *c = j->c;
	char spec[1024] = "";

	if (c->o.backend)
		bus_spec_next_run(c->o.backend, spec, sizeof(spec));	/* a rehearsal's fault has happened */
	snprintf(buf, len, "odrescue%s%s %s %s %s --resume%s%s --yes", c->o.backend ? " -p " : "",
		 spec, j->erase ? "erase" : "flash", position_arg(&j->pos),
		 j->erase ? "--yes-i-know-what-i-am-doing" : j->file, c->o.backup ? " --backup " : "",
		 c->o.backup ? c->o.backup : "");
}

int flash_job_failed(struct flash_job *j, struct flash_dev *f, const struct session_result *r, int ret)
{
	struct ctx *c = j->c;
	const char *cmd = j->erase ? "erase" : "flash";
	char retry[4200], backup[4200];
	struct jobdrive_state st;
	int saved = r->failed_in == SP_BACKUP && !r->backup_dropped;

	if (r->journal_failed) {
		err_msg(c, "cannot create the journal %s (%s); nothing was written to the drive%s%s", j->journal,
			strerror(-ret), saved ? "; the backup is complete, keep it: " : "", saved ? j->backup : "");
		return -E_REFUSED;
	}
	if (ret == -EINTR && saved) {
		flash_job_retry(j, retry, sizeof(retry));
		err_msg(c, "stopped by a signal before anything was written to the drive; the backup %s is "
			"complete and the journal %s keeps it: go on with: %s", j->backup, j->journal, retry);
		return ret;
	}
	if (ret == -EINTR && r->failed_in < SP_WRITE) {
		err_msg(c, "stopped by a signal before anything was written to the drive");
		return ret;
	}
	if (r->failed_in == SP_BACKUP && ret == -EEXIST) {
		err_msg(c, "refused: %s is not a backup of what the drive's flash holds now; nothing was written "
			"to the drive", j->backup);
		return -E_REFUSED;
	}
	if (r->failed_in == SP_BACKUP) {
		err_msg(c, "cannot save the backup %s (%s); nothing was written to the drive", j->backup,
			strerror(-ret));
		return -E_REFUSED;
	}
	if (r->failed_in == SP_READ) {
		switch (ret) {
		case -ECANCELED:
		case -ENOENT:
		case -EEXIST:
			if (!c->msg_printed)	/* else the identity check said why */
				err_msg(c, "refused by the journal %s (see above); nothing was written",
					j->journal);
			return -E_REFUSED;
		case -EILSEQ:
			ret = -EIO;
			break;
		}
		if (!c->msg_printed)
			err_msg(c, "reading the flash failed (%s); nothing was written: check the cable and "
				"power, then retry (--read-repeated 3 outvotes a flaky cable)",
				ret == -EIO ? "reads disagree or the drive reported an error" : strerror(-ret));
		return ret;
	}

	flash_job_retry(j, retry, sizeof(retry));
	snprintf(backup, sizeof(backup), "%s%s", j->backup, r->provisional ? SESSION_PROVISIONAL : "");
	jobdrive_state(f, j->erase ? NULL : j->im.data, backup, &st);
	if (ret == -EBADMSG)
		err_msg(c, "verify failed: the flash differs from the image at %06Xh", r->first_bad);
	else if (ret == -EINTR)
		err_msg(c, "stopped by a signal between two erase units");
	else if (ret == -ENODEV || ret == -ETIMEDOUT)	/* the SATA link went down; an IDE bus floats (BSY) */
		err_msg(c, "%s failed while writing: the drive %s (its data cable or its power); if the "
			"cable came loose, put it back with the drive left on", cmd,
			ret == -ENODEV ? "left the port" : "stopped answering");
	else
		err_msg(c, "%s failed while writing: %s", cmd, strerror(-ret));
	if (st.read_ok)
		fprintf(c->err, "  The flash now holds: %u of %u erase units as the %s, %u as before, "
			"%u erased, %u mixed.\n", st.as_image, st.units, j->erase ? "erase wants" : "new image",
			st.as_backup, st.erased, st.other);
	else
		fprintf(c->err, "  The drive no longer answers reads: its flash is in an unknown state;\n"
			"  by what this run did (? where a write stopped):\n");
	if (st.units <= SESSION_MAP_MAX)
		flashmap_print(c->err, st.read_ok ? st.map : r->map, st.units, f->chip->size / st.units);
	fprintf(c->err, "  DO NOT power off or reboot: the drive will not start from this flash.\n"
		"  Finish the job (it skips what is done):  %s\n"
		"  The previous firmware is in %s (journal %s)%s.\n"
		"  If the drive stops answering: odrescue help rescue (the recovery steps).\n",
		retry, backup, j->journal, r->provisional ? "; provisional: some of it was read only once, "
		"and finishing the job reads it again and gives it its name" : "");
	return -E_WRITEFAIL;
}
