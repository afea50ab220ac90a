/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flash job: one flash or erase through vendor mode, for flash, erase,
 * rescue and the old syntax. Every check runs before the first byte
 * reaches the drive, in the order the user can act on: the image, the
 * journal and backup files, no ATA disk, no disc, the identity, the chip
 * size, consent. recovery/jobdrive.c does the job's work on the drive
 * (the look before vendor mode, whether the chip fits, the write through
 * recovery/session.c, the restart); what is said to the user, consent and
 * the files stay here, since only src/ prints (design.md).
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/probe.h"
#include "recovery/hotplug.h"
#include "recovery/jobdrive.h"
#include "recovery/outfile.h"
#include "recovery/session.h"
#include "recovery/sidecar.h"
#include "src/ahci_mode.h"
#include "src/atapi_sat.h"
#include "src/flashjob.h"
#include "src/flashmap.h"
#include "src/ramfs.h"
#include "src/output.h"
#include "src/preflight.h"
#include "src/stop.h"
#include "src/vendor.h"

/*
 * Signals are held: the session stops between two erase units, never
 * inside one. Each Ctrl-C says so at once, with what the drive holds and
 * how to go on; the lines are made before the session starts, since a
 * handler may only write(2).
 */
/* sig_phase: 0 reading, 1 writing, 2 verifying, 3 stopped part written, reading back */
static volatile sig_atomic_t stop_flag, sig_phase;
static char sig_msg[4][4400];
static size_t sig_len[4];

static void on_signal(int sig)
{
	ssize_t n;

	(void)sig;
	stop_flag = 1;
	n = write(STDERR_FILENO, sig_msg[sig_phase], sig_len[sig_phase]);
	(void)n;
}

static void signal_messages(const struct flash_job *j)
{
	char retry[4200];

	flash_job_retry(j, retry, sizeof(retry));
	sig_len[0] = (size_t)snprintf(sig_msg[0], sizeof(sig_msg[0]), "\nodrescue: stopping when the "
				      "flash has been read; nothing has been written to the drive\n");
	sig_len[1] = (size_t)snprintf(sig_msg[1], sizeof(sig_msg[1]), "\nodrescue: stopping after the "
				      "erase unit in progress, never inside one. The flash is part written: DO "
				      "NOT power off; finish with: %s\n", retry);
	sig_len[2] = (size_t)snprintf(sig_msg[2], sizeof(sig_msg[2]), "\nodrescue: the image is written "
				      "and being verified; this ends on its own in moments: DO NOT power off\n");
	sig_len[3] = (size_t)snprintf(sig_msg[3], sizeof(sig_msg[3]), "\nodrescue: stopped between two "
				      "erase units; reading back what the flash holds, then the advice. The flash "
				      "is part written: DO NOT power off; finish with: %s\n", retry);
	for (int i = 0; i < 4; i++)
		if (sig_len[i] >= sizeof(sig_msg[i]))
			sig_len[i] = sizeof(sig_msg[i]) - 1;
	sig_phase = 0;
}

/* "backup-LITE-ON-DVDRW-SOHW-1653S-CS0P-20261125-101500.bin": the name says whose firmware it is. */
static void default_backup(char *out, size_t len, const struct dev_probe *dp, const struct flash_dev *f)
{
	char when[32], raw[64], who[64] = "";
	time_t now = time(NULL);
	struct tm tm;
	size_t n = 0;

	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
	if (!dp->id_ret && !dp->inq_ret && dp->inq.vendor[0])
		snprintf(raw, sizeof(raw), "%s-%s-%s", dp->inq.vendor, dp->inq.product, dp->inq.revision);
	else
		snprintf(raw, sizeof(raw), "%s", f->chip->name);
	/* Anything but [A-Za-z0-9._] becomes one dash; INQUIRY's padding leaves none behind. */
	for (const char *p = raw; *p; p++) {
		char ch = isalnum((unsigned char)*p) || *p == '.' || *p == '_' ? *p : '-';

		if (ch != '-' || (n && who[n - 1] != '-'))
			who[n++] = ch;
	}
	while (n && who[n - 1] == '-')
		n--;
	who[n] = '\0';
	snprintf(out, len, "backup-%s-%s.bin", who, when);
}

/* How much of a backup's path (NULL: none given) names its directory: up to and with the last slash. */
static int backup_dirlen(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? (int)(slash - path) + 1 : 0;
}

/* The directory a backup named path goes to, "." for a bare name. */
static void backup_dir(const char *path, char *dir, size_t len)
{
	int n = backup_dirlen(path);

	snprintf(dir, len, "%.*s", n ? n : 1, n ? path : ".");
}

static int backup_exists(struct ctx *c, const char *path)
{
	char prov[4200];
	struct stat st;

	/* lstat: a dangling symlink is a name the backup cannot take either (outfile links, never follows) */
	snprintf(prov, sizeof(prov), "%s" SESSION_PROVISIONAL, path);
	if (!lstat(path, &st))
		err_msg(c, "refused: backup file %s exists; odrescue does not overwrite files", path);
	else if (!lstat(prov, &st))
		err_msg(c, "refused: %s exists (a backup that was never proven); odrescue does not overwrite "
			"files", prov);
	else if (sidecar_read(path, &(struct sidecar){ 0 }) == -EINVAL)
		err_msg(c, "refused: %s" SIDECAR_SUFFIX " exists and is not odrescue's; odrescue does not "
			"overwrite files", path);
	else	/* an odrescue sidecar of a backup since removed describes nothing: replaced */
		return 0;
	return -E_REFUSED;
}

static void job_phase(void *arg, enum session_phase ph)
{
	static const char *const what[] = { "read", "backup", "write", "verify", "done" };
	struct flash_job *j = arg;

	j->writing = ph == SP_WRITE;
	progress_phase(&j->p, ph == SP_WRITE && progress_tty(j->c) ? (j->erase ? "erase" : "erase/program") :
		       what[ph], ph == SP_READ ? j->c->o.read_repeated : 1);
	if (ph == SP_BACKUP && !j->reuse)
		info_msg(j->c, 0, "Saving the current flash to %s", j->backup);
	if (ph == SP_VERIFY)
		sig_phase = 2;
	if (ph == SP_WRITE) {
		sig_phase = 1;
		info_msg(j->c, 0, "Updating....");
		j->units_done = 0;
		if (j->res.units_to_write && progress_tty(j->c) && !j->c->o.json)	/* seen before the first unit ends */
			progress_draw(&j->p, 0, (uint64_t)j->res.units_to_write * j->unit);
	}
}

/* In the write phase the line counts the units to change, as the session planned them. */
static void job_progress(void *arg, uint32_t done, uint32_t total)
{
	struct flash_job *j = arg;

	if (j->writing && j->res.units_to_write && progress_tty(j->c)) {
		j->units_done++;
		progress_draw(&j->p, (uint64_t)j->units_done * j->unit, (uint64_t)j->res.units_to_write * j->unit);
		return;
	}
	vendor_progress(&j->p, done, total);
}

static void job_log(void *arg, const char *msg)
{
	struct flash_job *j = arg;

	info_msg(j->c, 0, "%s", msg);
}

/*
 * The ranges of the flash that belong to this one drive (the drive table's
 * per-drive data): the image may not replace them with different bytes
 * unless --keep carries the drive's own or --force-crossflash says so.
 */
static int job_drive_data(struct flash_job *j, const uint8_t *cur, uint32_t size)
{
	struct ctx *c = j->c;

	for (int i = 0; j->model && i < DRIVE_RANGES_MAX && j->model->keep[i].what; i++) {
		const struct drive_range *r = &j->model->keep[i];
		int kept = 0;

		if (r->end >= size || !memcmp(cur + r->start, j->im.data + r->start, r->end - r->start + 1))
			continue;
		for (int k = 0; k < c->o.nkeep; k++)
			kept |= c->o.keep[k].start <= r->start && c->o.keep[k].end >= r->end;
		if (kept)
			continue;
		if (c->o.force_crossflash) {
			warn_msg(c, "the image replaces this drive's %s at %X-%X (--force-crossflash)", r->what,
				 r->start, r->end);
			continue;
		}
		err_msg(c, "refused: the image would replace this drive's own %s at %X-%X; carry it over "
			"with --keep %X-%X (or write the image's with --force-crossflash); nothing was written",
			r->what, r->start, r->end, r->start, r->end);
		return -E_REFUSED;
	}
	return 0;
}

/*
 * A drive without working firmware: its identity is checked against what
 * its flash holds before the first write (now, or on --resume the backup).
 */
static int job_check(void *arg, const uint8_t *cur, uint32_t size)
{
	struct flash_job *j = arg;
	struct fwimage now = { .data = (uint8_t *)cur, .len = size };

	int ret;

	if (j->erase)
		return 0;
	if (!j->identity_checked) {
		if (fwimage_identity(&now)) {
			if (!j->im.has_identity)	/* nothing to match on either side */
				return preflight_identity(j->c, "this drive (its flash holds none either)",
							  NULL, NULL, &j->im);
			warn_msg(j->c, "neither the drive nor its flash tells its identity: the image's "
				 "[%s][%s] cannot be matched; only the chip size was checked",
				 j->im.vendor, j->im.product);
			return 0;
		}
		ret = preflight_identity(j->c, "the drive's flash", now.vendor, now.product, &j->im);
		if (!ret)
			ret = preflight_drive(j->c, "the drive's flash", now.vendor, now.product, &j->im,
					      DM_VENDOR, &j->model);
		if (ret)
			return ret;
		snprintf(j->drive, sizeof(j->drive), "[%s][%s]", now.vendor, now.product);
	}
	return job_drive_data(j, cur, size);
}

/*
 * --resume: the identity checked is the one the journal recorded before the
 * interrupted run's first write. What the drive says now comes from a flash
 * that run was writing (its identity unit may be half written), or from no
 * firmware at all: it is shown, never trusted.
 */
static int resume_identity(struct flash_job *j, const struct dev_probe *dp)
{
	struct ctx *c = j->c;
	char vendor[9] = "", product[17] = "";
	const char *was = "the drive before the interrupted run";
	int ret;

	if (sscanf(j->drive, "[%8[^]]][%16[^]]]", vendor, product) != 2) {
		err_msg(c, "refused: the journal %s records the drive as '%s', not as [vendor][product]; "
			"nothing was written", j->journal, j->drive);
		return -E_REFUSED;
	}
	if (!dp->id_ret && !dp->inq_ret && dp->medium == 1) {
		err_msg(c, "refused: %s has a disc in it; eject it and leave the tray closed",
			position_name(&j->pos));
		return -E_REFUSED;
	}
	j->dead = dp->id_ret || dp->inq_ret;
	j->identity_checked = 1;
	ret = preflight_identity(c, was, vendor, product, &j->im);
	if (!ret)
		ret = preflight_drive(c, was, vendor, product, &j->im, DM_VENDOR, &j->model);
	if (ret)
		return ret;
	if (j->dead)
		info_msg(c, 0, "resuming: the image was checked against %s, as the journal records it; the "
			 "drive gives no identity now", j->drive);
	else
		info_msg(c, 0, "resuming: the image was checked against %s, as the journal records it; the "
			 "drive says [%s][%s] now, from the flash being written", j->drive, dp->inq.vendor,
			 dp->inq.product);
	return 0;
}

/*
 * Before vendor mode: no ATA disk, no disc, the identity. A drive holding
 * BSY has no working firmware to ask; session's check reads its flash.
 */
int flash_job_probe(struct flash_job *j, struct ata_port *ap)
{
	struct ctx *c = j->c;
	const char *where = position_name(&j->pos);
	struct dev_probe *dp = &j->dp;
	const struct drive_model *d;
	int ret;

	jobdrive_probe(ap, j->pos.dev, &j->t, j->pt, dp);
	if (c->bus.error) {
		err_msg(c, "%s: %s", where, c->bus.errmsg);
		return c->bus.error;
	}
	if (dp->id_ret == -ENODEV)
		return vendor_explain(c, where, NULL, -ENODEV);
	if (!dp->id_ret && dp->class == ATA_DEV_ATA)
		return vendor_explain(c, where, NULL, -EPERM);
	if (dp->vendor_status)
		warn_msg(c, "%s is already in vendor mode (status %02Xh), as an interrupted run or another tool "
			 "left it: used as it is; its identity comes from %s", where, dp->vendor_status,
			 c->o.resume && j->drive[0] ? "the journal" : "its flash");
	if (c->o.resume && j->drive[0])
		return resume_identity(j, dp);
	if ((dp->id_ret || dp->inq_ret) && !ap && !dp->vendor_status && !dp->busy) {
		err_msg(c, "%s does not answer IDENTIFY PACKET and INQUIRY (%s); nothing was written. If an "
			"interrupted run left it in vendor mode (SG_IO keeps no status to show that), "
			"power-cycle it and run the same command again; a drive without working firmware "
			"needs an IDE position (or a SATA port in IDE mode) and odrescue rescue", where,
			strerror(-(dp->id_ret ? dp->id_ret : dp->inq_ret)));
		return -ENODEV;
	}
	if (dp->id_ret || dp->inq_ret) {
		if (!dp->vendor_status)
			warn_msg(c, "%s does not answer the standard protocol: looks like a drive without "
				 "working firmware; its identity will be read from its flash", where);
		j->dead = 1;
		return 0;
	}
	if (dp->medium != 0 && ap && hotplug_presence(ap, j->pos.dev) == HP_ABSENT) {
		err_msg(c, "%s stopped answering while it was asked (the bus floats); nothing was written: "
			"check its cable and power, then run the same command again", where);
		return -ENODEV;
	}
	if (dp->medium != 0) {
		if (dp->medium == 1)
			err_msg(c, "refused: %s has a disc in it; eject it and leave the tray closed", where);
		else
			err_msg(c, "refused: %s is not idle (TEST UNIT READY sense %X/%02X/%02X); wait, eject "
				"any disc, and retry", where, dp->tur_sense.key, dp->tur_sense.asc,
				dp->tur_sense.ascq);
		return -E_REFUSED;
	}
	if (j->erase)
		return 0;
	j->identity_checked = 1;
	ret = preflight_identity(c, where, dp->inq.vendor, dp->inq.product, &j->im);
	if (ret)
		return ret;
	snprintf(j->drive, sizeof(j->drive), "[%s][%s]", dp->inq.vendor, dp->inq.product);
	/* No --method: the table's, for a drive it knows; vendor mode otherwise (its intro decides). */
	d = drive_find(dp->inq.vendor, dp->inq.product);
	if (!c->o.method && d && d->method == DM_WBUF) {
		j->wbuf = 1;
		return 0;
	}
	return preflight_drive(c, where, dp->inq.vendor, dp->inq.product, &j->im, DM_VENDOR, &j->model);
}

/*
 * The files: the journal (beside the backup) tells whether a flash was
 * interrupted; on --resume it names the backup made then; a new backup
 * must not exist yet.
 */
int flash_job_files(struct flash_job *j)
{
	struct ctx *c = j->c;
	const char *pn = position_arg(&j->pos), *slash = strrchr(pn, '/');
	int dirlen = backup_dirlen(c->o.backup), ret;
	char dir[4200];

	if (slash)
		pn = slash + 1;		/* a node: odrescue-sr0.journal */
	snprintf(j->journal, sizeof(j->journal), "%.*sodrescue-%s.journal", dirlen,
		 dirlen ? c->o.backup : "", pn);
	if (c->o.resume) {
		struct session_journal jh;

		if (session_journal_read(j->journal, &jh)) {
			err_msg(c, "--resume: no usable journal %s; it lives beside the backup (the current "
				"directory, or the one --backup named)", j->journal);
			return -E_REFUSED;
		}
		snprintf(j->backup, sizeof(j->backup), "%s", jh.backup);
		snprintf(j->drive, sizeof(j->drive), "%s", jh.drive);
		return 0;
	}
	if (!access(j->journal, F_OK)) {
		char retry[4200];

		flash_job_retry(j, retry, sizeof(retry));
		err_msg(c, "refused: %s says a%s at %s was interrupted; finish it with: %s (or remove the "
			"journal)", j->journal, j->erase ? "n erase" : " flash", position_name(&j->pos), retry);
		return -E_REFUSED;
	}
	/* A finished backup (its sidecar says whose) may serve again: checked once the chip is known. */
	j->reuse = c->o.backup && !access(c->o.backup, F_OK) && !sidecar_read(c->o.backup, &(struct sidecar){ 0 });
	if (c->o.backup && !j->reuse && backup_exists(c, c->o.backup))
		return -E_REFUSED;
	/* The journal's directory is the backup's: it must take new files before the drive is touched. */
	backup_dir(c->o.backup, dir, sizeof(dir));
	if (access(dir, W_OK | X_OK)) {
		err_msg(c, "refused: cannot create the backup in %s: %s; nothing was touched", dir,
			strerror(errno));
		return -E_REFUSED;
	}
	/* The backup is as big as the image: a full disk is found before minutes of reading. */
	ret = j->im.len ? outfile_room(dir, j->im.len) : 0;
	if (ret) {
		err_msg(c, "refused: no room for a %zu-byte backup in %s: %s; nothing was touched", j->im.len,
			dir, strerror(-ret));
		return -E_REFUSED;
	}
	return 0;
}

/* The chip against the job, in words. */
static int job_fits(struct flash_job *j, const struct flash_dev *f)
{
	const struct flashchip *k = f->chip;
	struct ctx *c = j->c;
	int bad = 0;

	switch (jobdrive_fits(f, j->erase ? 0 : j->im.len, c->o.keep, c->o.nkeep, &bad)) {
	case JD_FITS:
		return 0;
	case JD_UNKNOWN_CHIP:
		err_msg(c, "refused: the drive reports status 73h; its flash chip cannot be identified from "
			"the public record, so its size and erase command are unknown; nothing was written "
			"(dump and verify read 256 KiB as JungleFlasher does)");
		break;
	case JD_PAGE_WRITE:
		err_msg(c, "refused: the drive's flash chip (%s %s) writes whole %u-byte pages, which the public "
			"record of the MediaTek protocol does not show; odrescue reads it but never writes or "
			"erases it; nothing was written", k->vendor, k->name, k->page);
		break;
	case JD_SIZE:
		err_msg(c, "refused: the image is %zu KiB but the drive's flash chip (%s %s) holds %u KiB; "
			"nothing was written", j->im.len / 1024, k->vendor, k->name, k->size / 1024);
		break;
	case JD_KEEP_PAST_END:
		err_msg(c, "--keep %X-%X reaches past the end of the %u KiB chip", c->o.keep[bad].start,
			c->o.keep[bad].end, k->size / 1024);
		return -EINVAL;
	}
	return -E_REFUSED;
}

/* "[LITE-ON][DVDRW SOHW-1653S]" as the drive answered INQUIRY; "-" when it did not. */
static void job_drive_name(const struct flash_job *j, char *out, size_t len)
{
	char v[sizeof(j->dp.inq.vendor)], p[sizeof(j->dp.inq.product)];
	size_t n;

	if (j->dead || j->dp.id_ret || j->dp.inq_ret) {
		snprintf(out, len, "-");
		return;
	}
	snprintf(v, sizeof(v), "%s", j->dp.inq.vendor);
	snprintf(p, sizeof(p), "%s", j->dp.inq.product);
	for (n = strlen(v); n && v[n - 1] == ' '; n--)
		v[n - 1] = '\0';
	for (n = strlen(p); n && p[n - 1] == ' '; n--)
		p[n - 1] = '\0';
	snprintf(out, len, "[%s][%s]", v, p);
}

/* --backup names a finished backup: its sidecar must name this drive and chip (the session compares the bytes). */
static int job_reuse(struct flash_job *j, const struct flash_dev *f)
{
	struct sidecar sc;
	char drive[128];

	job_drive_name(j, drive, sizeof(drive));
	if (sidecar_read(j->backup, &sc) || strcmp(sc.chip, f->chip->name) || memcmp(sc.id, f->id, 3) ||
	    sc.size != f->chip->size || (strcmp(sc.drive, "-") && strcmp(drive, "-") && strcmp(sc.drive, drive))) {
		err_msg(j->c, "refused: backup file %s exists and its %s" SIDECAR_SUFFIX " records another drive "
			"or chip (%s %s, %u KiB; this one is %s %s, %u KiB); odrescue does not overwrite files",
			j->backup, j->backup, sc.drive, sc.chip, sc.size / 1024, drive, f->chip->name,
			f->chip->size / 1024);
		return -E_REFUSED;
	}
	j->reuse_crc = sc.crc;
	return 0;
}

/* A finished backup gets its sidecar (never over one), so a later flash can use it again. */
static void job_sidecar(struct flash_job *j, const struct flash_dev *f, const struct session_result *r)
{
	struct sidecar sc = { .size = f->chip->size, .crc = r->backup_crc };
	int ret;

	if (r->provisional || j->reuse)
		return;
	job_drive_name(j, sc.drive, sizeof(sc.drive));
	snprintf(sc.chip, sizeof(sc.chip), "%s", f->chip->name);
	memcpy(sc.id, f->id, 3);
	ret = sidecar_write(j->backup, &sc);
	if (ret && ret != -EEXIST)
		warn_msg(j->c, "could not write %s" SIDECAR_SUFFIX " (%s): the backup is complete, but a later "
			 "flash cannot use it again", j->backup, strerror(-ret));
}

/* After success: leave vendor mode and let the drive boot what it now holds. */
static void job_restart(struct flash_job *j, struct ata_port *ap, struct flash_dev *f)
{
	struct ctx *c = j->c;
	struct dev_probe dp = { .class = ATA_DEV_ATAPI };

	if (jobdrive_restart(f, ap, j->pos.dev, &j->t, j->pt, &dp)) {
		warn_msg(c, "the drive did not come back within %llu s after leaving vendor mode; "
			 "power-cycle it, then run odrescue identify %s",
			 (unsigned long long)(JOB_RESTART_TMO_NS / NSEC_PER_SEC), position_arg(&j->pos));
		return;
	}
	if (dp.id_ret || dp.inq_ret)
		warn_msg(c, "the drive restarted but does not identify yet; power-cycle it");
	else if (!c->o.json)
		fprintf(c->out, "Drive now reports [%s][%s][%s]\n", dp.inq.vendor, dp.inq.product,
			dp.inq.revision);
	j->new_rev_ok = !dp.id_ret && !dp.inq_ret &&
			(!j->im.has_identity || !strcmp(dp.inq.revision, j->im.revision));
}

static void job_json(struct flash_job *j, const struct session_result *r, int ret, double secs)
{
	static const char *const phases[] = { "read", "backup", "write", "verify", "done" };
	char backup[4200];
	struct json js;

	/* the file as it is named now: FILE.provisional until every byte was read twice */
	snprintf(backup, sizeof(backup), "%s%s", j->backup, r->provisional ? SESSION_PROVISIONAL : "");
	json_begin(&js, j->c->out);
	json_str(&js, "chip", j->chip);
	json_str(&js, "backup", r->failed_in > SP_BACKUP || r->backup_reused || ret == 0 ? backup : NULL);
	json_bool(&js, "backup_provisional", r->provisional);
	json_hex(&js, "backup_crc32", r->backup_crc);
	json_hex(&js, "image_crc32", r->image_crc);
	json_bool(&js, "dry_run", j->c->o.dry_run);
	json_str(&js, "phase", phases[r->failed_in]);
	json_int(&js, "units", r->units);
	json_int(&js, "units_changed", r->units_changed);
	json_int(&js, "units_erased", r->units_erased);
	json_int(&js, "bytes_programmed", r->bytes_programmed);
	json_int(&js, "bytes_kept", r->kept);
	json_bool(&js, "ok", ret == 0);
	json_int(&js, "elapsed_ns", (long long)(secs * 1e9));
	json_end(&js);
}

int flash_job_stopped(struct flash_job *j, struct flash_dev *f)
{
	if (!user_stop)
		return 0;
	if (!j->wbuf)
		flash_close(f);
	err_msg(j->c, "stopped before the %s; nothing was written", j->wbuf ? "download" : "backup");
	return -EINTR;
}

int flash_job_run(struct flash_job *j)
{
	int fis = j->pos.ahci || j->pos.node;	/* an AHCI port, or a node through ATA PASS-THROUGH */
	struct sigaction old[3];
	struct ctx *c = j->c;
	struct ata_port ap;
	struct flash_dev f;
	int ret;

	ret = flash_job_files(j);
	if (ret)
		return ret;
	if (j->pos.ahci) {
		struct dev_probe dp;
		uint8_t vs;

		/* A drive holding BSY (a power cut mid-write restarts it so) gets its intro from the cycle below. */
		ret = ahci_mode_look(c, &j->pos, &dp, &vs);
		if (!ret && !dp.busy)
			ret = ahci_mode_taskfile(c, &j->pos, &j->t, &j->pt);
	} else if (fis) {
		ret = atapi_sat_taskfile(c, &j->pos, &j->t, &j->pt);
	} else if (!(ret = ctx_open_bus(c, position_chan_mask(&j->pos)))) {
		ctx_port(c, &j->pos, &ap);
	}
	if (ret)
		return ret;
	/* Until the session (or the download) takes the signals over, Ctrl-C stops before any write. */
	user_stop_hold(old);
	ret = flash_job_probe(j, fis ? NULL : &ap);
	if (!ret && j->wbuf && fis) {
		err_msg(c, "the drive table says this drive takes WRITE BUFFER downloads, which odrescue sends "
			"on an IDE position or its /dev/srN node without -p; nothing was written");
		ret = -E_REFUSED;
	}
	/* A drive without working firmware takes the vendor command only right after power-on. */
	if (!ret && !j->wbuf)
		/* (on a FIS transport only a drive found in vendor mode gets here without identifying) */
		ret = j->dead && (!fis || !j->t.ops) ? vendor_open_cycle(c, &j->pos, fis ? NULL : &ap, &f, &user_stop,
									 "", "run the same command again") :
			vendor_open(c, &j->pos, fis ? NULL : &ap, &f);
	if (!ret && !j->wbuf && !j->t.ops && j->pos.ahci)
		ret = ahci_mode_taskfile(c, &j->pos, &j->t, &j->pt);	/* for the restart check */
	if (!ret)
		ret = flash_job_stopped(j, &f);
	user_stop_release(old);
	if (ret)
		return ret;
	return j->wbuf ? wbuf_flash_run(c, &j->pos, j->file) : flash_job_write(j, fis ? NULL : &ap, &f);
}

int flash_job_write(struct flash_job *j, struct ata_port *ap, struct flash_dev *f)
{
	struct ctx *c = j->c;
	struct session_result *r = &j->res;	/* the progress callbacks read its plan */
	struct sigaction sa = { .sa_handler = on_signal }, old[3];
	static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	uint8_t *blank = NULL;
	char who[300];
	uint64_t ns;
	int ret;

	j->chip = f->chip->name;
	ret = job_fits(j, f);
	if (ret)
		goto out;
	if (j->erase) {
		blank = malloc(f->chip->size);
		if (!blank) {
			ret = -ENOMEM;
			goto out;
		}
		memset(blank, 0xff, f->chip->size);
	}
	if (c->o.resume)
		;	/* the journal named it */
	else if (c->o.backup)
		snprintf(j->backup, sizeof(j->backup), "%s", c->o.backup);
	else
		default_backup(j->backup, sizeof(j->backup), &j->dp, f);
	if (j->reuse)
		ret = job_reuse(j, f);
	else if (!c->o.resume && backup_exists(c, j->backup))
		ret = -E_REFUSED;
	if (ret)
		goto out;
	/* erase had no image to size the backup by: now the chip does, before its minutes of reading */
	if (j->erase && !c->o.resume) {
		char dir[4200];

		backup_dir(j->backup, dir, sizeof(dir));
		ret = outfile_room(dir, f->chip->size);
		if (ret) {
			err_msg(c, "refused: no room for a %u-byte backup in %s: %s; nothing was written",
				f->chip->size, dir, strerror(-ret));
			ret = -E_REFUSED;
			goto out;
		}
	}
	/* Who is about to be changed: the position and the firmware it runs now. */
	if (j->dead || j->dp.id_ret || j->dp.inq_ret || !j->dp.inq.vendor[0])
		snprintf(who, sizeof(who), "the drive at %s (%s), which runs no working firmware",
			 position_name(&j->pos), position_arg(&j->pos));
	else
		snprintf(who, sizeof(who), "the drive at %s (%s), which runs [%s][%s][%s]", position_name(&j->pos),
			 position_arg(&j->pos), j->dp.inq.vendor, j->dp.inq.product, j->dp.inq.revision);
	if (!c->o.json) {
		fprintf(c->out, "Drive: %s\n", who + strlen("the drive at "));
		vendor_chip_line(c, f);
		if (j->erase)
			fprintf(c->out, "Erase: the whole chip becomes FFh; the drive will not start until "
				"it is flashed again\n");
		else
			fprintf(c->out, "Image: %s, %zu KiB, crc32 %08x, for [%s][%s][%s]\n", j->file,
				j->im.len / 1024, j->im.crc, j->im.has_identity ? j->im.vendor : "?",
				j->im.has_identity ? j->im.product : "?",
				j->im.has_identity ? j->im.revision : "?");
		fprintf(c->out, "Backup: %s%s\n", j->backup, c->o.resume ? " (made before the interruption)" :
			j->reuse ? " (exists: kept if it holds what the drive's flash holds)" : "");
	}
	ramfs_warn(c, j->backup, 0, "the backup");	/* every refusal before this says why in one line */
	if (!c->o.dry_run) {
		char what[400];

		snprintf(what, sizeof(what), "%s of %s", j->erase ? "erase" : "flash", who);
		ret = preflight_confirm(c, what);
	}
	if (ret)
		goto out;

	struct session_cfg cfg = {
		.image = j->erase ? blank : j->im.data,
		.backup = j->backup,
		.journal = j->journal,
		.drive = j->drive,
		.resume = c->o.resume,
		.read_repeated = c->o.read_repeated ? c->o.read_repeated : 1,	/* and proven unit by unit */
		.dry_run = c->o.dry_run,
		.reuse = j->reuse,
		.reuse_crc = j->reuse_crc,
		.keep = c->o.keep,
		.nkeep = c->o.nkeep,
		.check = job_check,
		.stop = &stop_flag,
		.progress = c->o.json ? NULL : job_progress,
		.phase = job_phase,
		.log = job_log,
		.arg = j,
	};

	j->p.c = c;
	j->unit = f->chip->sector ? f->chip->sector : f->chip->size;
	stop_flag = 0;
	signal_messages(j);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	ret = jobdrive_write(f, &cfg, r, &ns);
	j->secs = (double)ns / 1e9;
	/* Reading back what the flash holds takes a while: another Ctrl-C must not cut the advice. */
	if (ret && r->failed_in >= SP_WRITE)
		sig_phase = 3;
	if (ret == -EROFS && r->failed_in == SP_READ) {	/* before the session; later, a chip that locked itself again */
		err_msg(c, "refused: the serial flash stays write-protected (status %02Xh after write enable "
			"and write status 00h); nothing was written", f->sr);
		ret = -E_REFUSED;
	} else if (ret) {
		ret = flash_job_failed(j, f, r, ret);
	} else {
		job_sidecar(j, f, r);
	}
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);

	if (ret) {
		if (c->o.json)
			job_json(j, r, ret, j->secs);
		if (ret == -E_WRITEFAIL)
			goto out_keep_vendor;	/* no outro: the drive would boot a half-written flash */
		goto out;
	}
	if (c->o.dry_run) {
		if (c->o.json)
			job_json(j, r, 0, j->secs);
		else
			fprintf(c->out, "Dry run: backup saved; would change %u of %u erase units (%u erased), "
				"program %u bytes%s; nothing was written\n", r->units_changed, r->units,
				r->units_erased, r->bytes_programmed, r->kept ? ", keeping the --keep ranges" : "");
		if (!c->o.json && r->units <= SESSION_MAP_MAX)
			flashmap_print(c->out, r->map, r->units, f->chip->size / r->units);
		goto out;
	}
	if (c->o.json)
		job_json(j, r, 0, j->secs);
	else
		fprintf(c->out, "%s: %u of %u erase units changed (%u erased), %u bytes programmed%s, "
			"verified, in %.1f s\nBackup of the previous firmware: %s%s (crc32 %08x)\n",
			j->erase ? "Erased" : "Flashed", r->units_changed, r->units, r->units_erased,
			r->bytes_programmed, r->kept ? ", --keep ranges carried over" : "", j->secs,
			j->backup, r->provisional ? SESSION_PROVISIONAL : "", r->backup_crc);
	if (!c->o.json && c->o.verbose && r->units <= SESSION_MAP_MAX)
		flashmap_print(c->out, r->map, r->units, f->chip->size / r->units);
	if (j->erase)
		goto out_keep_vendor;	/* an empty flash boots nothing: stay in vendor mode */
	job_restart(j, ap, f);
	free(blank);
	return 0;
out:
	flash_close(f);
out_keep_vendor:
	free(blank);
	return ret;
}
