/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recovery/crc32.h"
#include "recovery/outfile.h"
#include "recovery/session.h"

#define JOURNAL_MAGIC	"odrescue-journal 1"

static void say(const struct session_cfg *cfg, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!cfg->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg->log(cfg->arg, msg);
}

static void phase(const struct session_cfg *cfg, struct session_result *r, enum session_phase p)
{
	r->failed_in = p;
	if (cfg->phase)
		cfg->phase(cfg->arg, p);
}

int session_read_all(struct flash_dev *f, uint8_t *buf, int reps, flash_progress_fn cb, void *arg,
		     uint32_t *disagreed)
{
	uint32_t size = f->chip->size;
	uint8_t *all;
	int ret = 0;

	if (disagreed)
		*disagreed = 0;
	if (reps <= 1)
		return flash_read(f, 0, buf, size, cb, arg);
	all = malloc((size_t)size * (size_t)reps);
	if (!all)
		return -ENOMEM;
	for (int i = 0; i < reps && !ret; i++)
		ret = flash_read(f, 0, all + (size_t)i * size, size, cb, arg);	/* each pass: "read 2/3" */
	/* Majority per byte (Boyer-Moore vote, then a count): a flaky cable flips a few reads, not most. */
	for (uint32_t o = 0; o < size && !ret; o++) {
		uint8_t cand = all[o];
		int votes = 0, n = 0;

		for (int i = 0; i < reps; i++) {
			uint8_t v = all[(size_t)i * size + o];

			if (!votes)
				cand = v;
			votes += v == cand ? 1 : -1;
		}
		for (int i = 0; i < reps; i++)
			n += all[(size_t)i * size + o] == cand;
		if (n < reps && disagreed)
			(*disagreed)++;
		if (2 * n <= reps)
			ret = -EILSEQ;	/* no majority: nothing read here can be trusted */
		buf[o] = cand;
	}
	free(all);
	return ret;
}

/* A new backup file (recovery/outfile.c), then read back and compared: complete and verified, or absent. */
static int write_backup(const char *path, const uint8_t *buf, uint32_t len)
{
	struct outfile of;
	uint8_t *check;
	int ret = outfile_open(&of, path, 0);
	FILE *f;

	if (!ret)
		ret = outfile_write(&of, buf, len);
	if (!ret)
		ret = outfile_commit(&of);
	else
		outfile_abort(&of);
	if (ret)
		return ret;
	check = malloc(len);
	f = fopen(path, "rb");
	if (!check || !f || fread(check, 1, len, f) != len || memcmp(check, buf, len))
		ret = -EIO;
	if (f)
		fclose(f);
	free(check);
	if (ret)
		unlink(path);
	return ret;
}

static int journal_append(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = write_full(fd, line, strlen(line));
	if (!ret && fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

static int journal_create(const struct session_cfg *cfg, const struct flash_dev *f,
			  const struct session_result *r)
{
	char head[4800];
	int fd, ret;

	fd = open(cfg->journal, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* backup_provisional 1: the backup is still NAME.provisional (session.h); a later line may say 0. */
	snprintf(head, sizeof(head), JOURNAL_MAGIC "\nchip %s\nsize %u\nimage_crc %08x\nbackup %s\n"
		 "backup_crc %08x\nbackup_provisional %d\ndrive %s\n", f->chip->name, f->chip->size,
		 r->image_crc, cfg->backup, r->backup_crc, r->provisional,
		 cfg->drive && *cfg->drive ? cfg->drive : "-");
	ret = write_full(fd, head, strlen(head));
	if (!ret && fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * The header of a journal and what later lines changed (the last value of
 * a key counts): 0, -ENOENT (none), -EINVAL (not a journal or no backup named).
 */
int session_journal_read(const char *path, struct session_journal *jh)
{
	char line[4200];
	FILE *j = fopen(path, "r");
	int ok;

	memset(jh, 0, sizeof(*jh));
	if (!j)
		return -ENOENT;
	ok = fgets(line, sizeof(line), j) && !strncmp(line, JOURNAL_MAGIC, strlen(JOURNAL_MAGIC));
	while (ok && fgets(line, sizeof(line), j)) {
		/* "backup_crc" also starts with "backup": match whole keys. */
		if (!strncmp(line, "chip ", 5))
			sscanf(line + 5, "%63s", jh->chip);
		else if (!strncmp(line, "size ", 5))
			sscanf(line + 5, "%u", &jh->size);
		else if (!strncmp(line, "image_crc ", 10))
			sscanf(line + 10, "%x", &jh->image_crc);
		else if (!strncmp(line, "backup ", 7))
			sscanf(line + 7, "%4095[^\n]", jh->backup);
		else if (!strncmp(line, "backup_crc ", 11))
			sscanf(line + 11, "%x", &jh->backup_crc);
		else if (!strncmp(line, "backup_provisional ", 19))
			sscanf(line + 19, "%d", &jh->provisional);
		else if (!strncmp(line, "drive ", 6) && strcmp(line + 6, "-\n"))
			sscanf(line + 6, "%127[^\n]", jh->drive);
	}
	fclose(j);
	return ok && jh->backup[0] ? 0 : -EINVAL;
}

/* Where the backup is while some of its bytes were read only once. */
static void provisional_name(const char *backup, char *out, size_t len)
{
	snprintf(out, len, "%s" SESSION_PROVISIONAL, backup);
}

/*
 * --resume: the journal must describe this chip, and its backup must be
 * intact; the backup is read into bk, what the chip held before the
 * interrupted run (the half-written chip is no witness of that), and
 * *image_crc is the image the journal was made for.
 */
static int journal_check(const struct session_cfg *cfg, const struct flash_dev *f, uint8_t *bk,
			 struct session_result *r, unsigned *image_crc)
{
	struct session_journal jh;
	char name[4200];
	FILE *b;
	int ret = session_journal_read(cfg->journal, &jh), ok;

	if (ret == -ENOENT) {
		say(cfg, "no journal %s to resume from", cfg->journal);
		return -ENOENT;
	}
	if (ret || strcmp(jh.chip, f->chip->name) || jh.size != f->chip->size) {
		say(cfg, "journal %s belongs to another chip; not resuming", cfg->journal);
		return -ECANCELED;
	}
	if (jh.provisional)
		provisional_name(jh.backup, name, sizeof(name));
	else
		snprintf(name, sizeof(name), "%s", jh.backup);
	b = fopen(name, "rb");
	ok = b && fread(bk, 1, jh.size, b) == jh.size && crc32(0, bk, jh.size) == jh.backup_crc;
	if (b)
		fclose(b);
	if (!ok) {
		say(cfg, "the backup %s named in the journal is missing or damaged; not resuming", name);
		return -ECANCELED;
	}
	r->backup_crc = jh.backup_crc;
	r->backup_reused = 1;
	r->provisional = jh.provisional;
	*image_crc = jh.image_crc;
	say(cfg, "resuming: backup %s (crc32 %08x) made before the interruption is kept", name, jh.backup_crc);
	return 0;
}

/* What writing img over cur costs: 1 if a bit must go 0 -> 1 (erase first); *bytes to program. */
static int unit_cost(const uint8_t *img, const uint8_t *cur, uint32_t len, uint32_t *bytes)
{
	int erase = 0;

	for (uint32_t i = 0; i < len && !erase; i++)
		erase = (cur[i] & img[i]) != img[i];
	for (uint32_t i = 0; i < len; i++)
		*bytes += img[i] != (erase ? 0xff : cur[i]);
	return erase;
}

/* One erase unit: erase if a bit must go 0 -> 1, program what differs. Signals wait. */
static int write_unit(struct flash_dev *f, uint32_t off, uint32_t len, const uint8_t *img,
		      uint8_t *cur, struct session_result *r)
{
	sigset_t hold, old;
	int ret = 0, erase = unit_cost(img, cur, len, &r->bytes_programmed);

	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
	sigprocmask(SIG_BLOCK, &hold, &old);
	if (erase) {
		ret = f->chip->sector ? flash_erase(f, off, len) : flash_erase_chip(f);
		if (!ret) {
			memset(cur, 0xff, len);
			r->units_erased++;
		}
	}
	if (!ret)
		ret = flash_program(f, off, img, len, cur, NULL, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

/* The image as it will be written: the user's, with the --keep ranges taken from the chip (r: counted). */
static int apply_keep(const struct session_cfg *cfg, uint8_t *img, const uint8_t *cur, uint32_t size,
		      struct session_result *r)
{
	memcpy(img, cfg->image, size);
	for (int i = 0; i < cfg->nkeep; i++) {
		const struct session_keep *k = &cfg->keep[i];

		if (k->start > k->end || k->end >= size)
			return -ERANGE;
		memcpy(img + k->start, cur + k->start, k->end - k->start + 1);
		if (r)
			r->kept += k->end - k->start + 1;
	}
	return 0;
}

static void mark(struct session_result *r, uint32_t u, enum session_unit st)
{
	if (u < SESSION_MAP_MAX)
		r->map[u] = (uint8_t)st;
}

/* The map before the writes: which units differ; how many. */
static uint32_t mark_plan(const uint8_t *img, const uint8_t *cur, uint32_t size, uint32_t unit,
			  struct session_result *r)
{
	uint32_t n = 0;

	for (uint32_t off = 0; off < size; off += unit) {
		int differs = memcmp(img + off, cur + off, unit) != 0;

		mark(r, off / unit, differs ? SU_PENDING : SU_SAME);
		n += differs;
	}
	return n;
}

/* What writing img over cur costs, unit by unit (dry run, and the summary). */
static void plan(const uint8_t *img, const uint8_t *cur, uint32_t size, uint32_t unit,
		 struct session_result *r)
{
	mark_plan(img, cur, size, unit, r);
	for (uint32_t off = 0; off < size; off += unit) {
		if (memcmp(img + off, cur + off, unit)) {
			r->units_changed++;
			r->units_erased += unit_cost(img + off, cur + off, unit, &r->bytes_programmed);
		}
	}
}


/*
 * ref holds one read of [off, off + len), again another. Where they differ
 * a third read decides each byte (the majority, as --read-repeated does):
 * ref takes the decided bytes, *fixed counts those that changed. -EILSEQ
 * if a byte read three ways: nothing read there can be trusted.
 */
static int reconcile(struct flash_dev *f, uint32_t off, uint32_t len, uint8_t *ref, const uint8_t *again,
		     uint8_t *third, uint32_t *fixed)
{
	int ret;

	*fixed = 0;
	if (!memcmp(ref, again, len))
		return 0;
	ret = flash_read(f, off, third, len, NULL, NULL);
	for (uint32_t i = 0; i < len && !ret; i++) {
		if (ref[i] == again[i] || third[i] == ref[i])
			continue;
		if (third[i] != again[i])
			return -EILSEQ;
		ref[i] = again[i];
		(*fixed)++;
	}
	return ret;
}

/* Backup bytes a later read proved wrong: corrected in the file (never on the flash) and said. */
static int backup_fix(const struct session_cfg *cfg, struct session_result *r, const char *path,
		      const uint8_t *bk, uint32_t off, uint32_t len, uint32_t fixed)
{
	int fd, ret = 0;

	r->corrected += fixed;
	say(cfg, "the backup read %u byte(s) of %06Xh-%06Xh wrongly; a third read decided, and the backup "
	    "file is corrected (the flash is not changed)", fixed, off, off + len - 1);
	if (!path)
		return 0;	/* not saved yet: it is written corrected */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pwrite(fd, bk + off, len, off) != (ssize_t)len)
		ret = errno ? -errno : -EIO;
	if (!ret && fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

struct run {
	struct flash_dev *f;
	const struct session_cfg *cfg;
	struct session_result *r;
	uint32_t size, unit;
	uint8_t *bk;		/* what the chip held before this session wrote: the backup */
	uint8_t *cur;		/* what it holds now */
	uint8_t *img;		/* what it will hold */
	uint8_t *back, *tmp;	/* reads */
	uint8_t *proven;	/* per unit: bk there was read twice and agreed */
	char prov[4200];	/* the backup's provisional name */
	int saved;		/* the backup file exists (under prov while r->provisional) */
	int journaled;		/* this session created the journal */
};

static int journal_line(const struct run *s, const char *fmt, unsigned v)
{
	char line[64];

	if (access(s->cfg->journal, F_OK))
		return 0;	/* not started yet: its header will say it */
	snprintf(line, sizeof(line), fmt, v);
	return journal_append(s->cfg->journal, line);
}

static int all_proven(const struct run *s)
{
	for (uint32_t u = 0; u < s->size / s->unit; u++)
		if (!s->proven[u])
			return 0;
	return 1;
}

/*
 * Unit u's bk against another read of it (again; NULL: read it now), a
 * third on disagreement. Only for a unit this session has not written:
 * the chip still holds what bk should.
 */
static int prove_unit(struct run *s, uint32_t u, const uint8_t *again)
{
	uint32_t off = u * s->unit, fixed;
	int ret = 0;

	if (!again) {
		ret = flash_read(s->f, off, s->back + off, s->unit, NULL, NULL);
		again = s->back + off;
	}
	if (!ret)
		ret = reconcile(s->f, off, s->unit, s->bk + off, again, s->tmp, &fixed);
	if (ret)
		return ret;
	s->proven[u] = 1;
	memcpy(s->cur + off, s->bk + off, s->unit);
	if (!fixed)
		return 0;
	s->r->backup_crc = crc32(0, s->bk, s->size);
	ret = backup_fix(s->cfg, s->r, s->saved ? (s->r->provisional ? s->prov : s->cfg->backup) : NULL, s->bk,
			 off, s->unit, fixed);
	if (!ret)
		ret = journal_line(s, "backup_crc %08x\n", s->r->backup_crc);
	/* The --keep ranges come from the chip, and the checks saw the wrong byte. */
	if (!ret)
		ret = apply_keep(s->cfg, s->img, s->bk, s->size, NULL);
	if (!ret && crc32(0, s->img, s->size) != s->r->image_crc) {
		s->r->image_crc = crc32(0, s->img, s->size);
		ret = journal_line(s, "image_crc %08x\n", s->r->image_crc);
	}
	if (!ret && s->cfg->check)
		ret = s->cfg->check(s->cfg->arg, s->bk, s->size);
	return ret;
}

/* Every byte of the backup read twice and agreed: it takes its name (link: never over a file). */
static int finalize(struct run *s)
{
	if (!s->r->provisional || !all_proven(s))
		return 0;
	if (link(s->prov, s->cfg->backup)) {
		say(s->cfg, "the backup stays %s: %s", s->prov, strerror(errno));
		return 0;
	}
	unlink(s->prov);
	s->r->provisional = 0;
	return journal_line(s, "backup_provisional %u\n", 0);
}

/* One erase unit that differs: written, journaled. */
static int write_one(struct run *s, uint32_t off)
{
	char line[64];
	int ret;

	s->r->units_changed++;
	mark(s->r, off / s->unit, SU_PARTIAL);	/* until it is done */
	ret = write_unit(s->f, off, s->unit, s->img + off, s->cur + off, s->r);
	if (ret)
		return ret;
	mark(s->r, off / s->unit, SU_WRITTEN);
	snprintf(line, sizeof(line), "unit %06x %08x\n", off, crc32(0, s->img + off, s->unit));
	return journal_append(s->cfg->journal, line);
}

/*
 * The whole chip read back: the second read of every unit not yet proven
 * (one never written), which can correct the backup (and then need
 * writing after all), and the check of every unit against the image.
 */
static int verify(struct run *s)
{
	int ret = flash_read(s->f, 0, s->back, s->size, s->cfg->progress, s->cfg->arg);

	for (uint32_t u = 0; u < s->size / s->unit && !ret; u++) {
		uint32_t off = u * s->unit;

		if (s->proven[u])
			continue;
		ret = prove_unit(s, u, s->back + off);
		memcpy(s->back + off, s->bk + off, s->unit);	/* what the chip holds, decided */
		if (ret || !memcmp(s->bk + off, s->img + off, s->unit))
			continue;
		ret = write_one(s, off);
		if (!ret)
			ret = flash_read(s->f, off, s->back + off, s->unit, NULL, NULL);
	}
	if (!ret)
		ret = finalize(s);
	if (ret)
		return ret;
	for (s->r->first_bad = 0; s->r->first_bad < s->size; s->r->first_bad++)
		if (s->back[s->r->first_bad] != s->img[s->r->first_bad])
			return -EBADMSG;
	return 0;
}

/*
 * The units this session will erase (all of them for a dry run) are read a
 * second time before anything is written, unless already proven; the rest
 * wait for the verify.
 */
static int prove_writes(struct run *s)
{
	uint32_t n = 0, done = 0, units = s->size / s->unit;
	int ret = 0;

	for (uint32_t u = 0; u < units; u++)
		n += !s->proven[u] && (s->cfg->dry_run || memcmp(s->cur + u * s->unit, s->img + u * s->unit, s->unit));
	for (uint32_t u = 0; u < units && !ret; u++) {
		uint32_t off = u * s->unit;

		if (s->proven[u] || (!s->cfg->dry_run && !memcmp(s->cur + off, s->img + off, s->unit)))
			continue;
		ret = prove_unit(s, u, NULL);
		if (s->cfg->progress)
			s->cfg->progress(s->cfg->arg, ++done * s->unit, n * s->unit);
	}
	return ret;
}

/* An existing backup (cfg->reuse) is the backup if the drive's flash, read now, equals it. */
static int reuse_backup(struct run *s)
{
	FILE *b = fopen(s->cfg->backup, "rb");
	int ok = b && fread(s->bk, 1, s->size, b) == s->size && fgetc(b) == EOF;

	if (b)
		fclose(b);
	phase(s->cfg, s->r, SP_BACKUP);
	/* A run killed after its verify: the flash holds the image, the backup is of what it held before. */
	if (ok && crc32(0, s->bk, s->size) == s->cfg->reuse_crc && !memcmp(s->cur, s->img, s->size)) {
		memset(s->proven, 1, s->r->units);
		s->saved = 1;
		s->r->backup_crc = s->cfg->reuse_crc;
		s->r->backup_reused = 1;
		say(s->cfg, "the drive's flash already holds the image; the backup %s (crc32 %08x) of what it "
		    "held before is kept as it is", s->cfg->backup, s->cfg->reuse_crc);
		return 0;
	}
	if (!ok || crc32(0, s->bk, s->size) != s->cfg->reuse_crc || memcmp(s->bk, s->cur, s->size)) {
		say(s->cfg, "the backup %s exists but is not what the drive's flash holds now (crc32 %08x); "
		    "odrescue does not overwrite files: name another --backup", s->cfg->backup,
		    crc32(0, s->cur, s->size));
		return -EEXIST;
	}
	/* Proven when it was made, and this read agrees: every byte read at least twice. */
	memset(s->proven, 1, s->r->units);
	s->saved = 1;
	s->r->backup_crc = s->cfg->reuse_crc;
	s->r->backup_reused = 1;
	say(s->cfg, "the backup %s (crc32 %08x) holds what the drive's flash holds: it is the backup, "
	    "nothing overwritten, no second copy", s->cfg->backup, s->cfg->reuse_crc);
	return 0;
}

int session_flash(struct flash_dev *f, const struct session_cfg *cfg, struct session_result *r)
{
	uint32_t size = f->chip->size, unit = f->chip->sector ? f->chip->sector : size;
	struct run s = { .f = f, .cfg = cfg, .r = r, .size = size, .unit = unit };
	unsigned journal_crc = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	r->units = size / unit;
	provisional_name(cfg->backup, s.prov, sizeof(s.prov));	/* before the buffers: the analyzer forgets them */
	s.bk = malloc(size);
	s.cur = malloc(size);
	s.img = malloc(size);
	s.back = malloc(size);
	s.tmp = malloc(unit);
	s.proven = calloc(r->units, 1);
	if (!s.bk || !s.cur || !s.img || !s.back || !s.tmp || !s.proven) {
		ret = -ENOMEM;
		goto out;
	}
	if (!cfg->resume && !access(cfg->journal, F_OK)) {
		say(cfg, "journal %s exists: an earlier flash was interrupted; use --resume", cfg->journal);
		ret = -EEXIST;
		goto out;
	}

	phase(cfg, r, SP_READ);
	ret = session_read_all(f, s.cur, cfg->read_repeated, cfg->progress, cfg->arg, &r->disagreed);
	/* What the chip held before any write: now, or the backup the interrupted run made. */
	if (!ret && cfg->resume)
		ret = journal_check(cfg, f, s.bk, r, &journal_crc);
	if (!ret)
		ret = apply_keep(cfg, s.img, cfg->resume ? s.bk : s.cur, size, r);
	if (ret)
		goto out;
	r->image_crc = crc32(0, s.img, size);
	if (cfg->resume) {
		if (r->image_crc != journal_crc) {
			say(cfg, "journal %s belongs to another image (crc32 %08x, this one %08x); not resuming",
			    cfg->journal, journal_crc, r->image_crc);
			ret = -ECANCELED;
			goto out;
		}
		s.saved = 1;
		/* Proven before the interruption: all, or the units it was to write; now: where this read agrees. */
		for (uint32_t u = 0; u < r->units; u++)
			s.proven[u] = !r->provisional || memcmp(s.bk + u * unit, s.img + u * unit, unit) ||
				      !memcmp(s.bk + u * unit, s.cur + u * unit, unit);
	} else if (cfg->reuse) {
		ret = reuse_backup(&s);
		if (ret)
			goto out;
	} else {
		/* One read is the backup; --read-repeated 2 or more proved each byte already. */
		memcpy(s.bk, s.cur, size);
		memset(s.proven, cfg->read_repeated > 1, r->units);
	}
	ret = prove_writes(&s);
	if (!ret && cfg->check)
		ret = cfg->check(cfg->arg, cfg->resume ? s.bk : s.cur, size);
	if (ret)
		goto out;
	if (cfg->resume) {
		ret = finalize(&s);
		if (ret)
			goto out;
	} else if (!cfg->reuse) {
		phase(cfg, r, SP_BACKUP);
		r->backup_crc = crc32(0, s.bk, size);
		r->provisional = !all_proven(&s);
		if (r->provisional)
			say(cfg, "the backup is %s until every byte has been read twice (the units to write "
			    "now, the others in the verify)", s.prov);
		ret = write_backup(r->provisional ? s.prov : cfg->backup, s.bk, size);
		if (ret)
			goto out;
		s.saved = 1;
	}
	if (cfg->dry_run) {
		plan(s.img, s.cur, size, unit, r);
		phase(cfg, r, SP_DONE);
		goto out;
	}
	if (!cfg->resume) {
		ret = journal_create(cfg, f, r);
		if (ret) {
			r->journal_failed = 1;
			goto out;
		}
		s.journaled = 1;
	}
	/* A signal during the reads stops here, before the first erase: --resume goes on with this backup. */
	if (cfg->stop && *cfg->stop) {
		ret = -EINTR;
		goto out;
	}

	r->units_to_write = mark_plan(s.img, s.cur, size, unit, r);
	phase(cfg, r, SP_WRITE);
	for (uint32_t off = 0; off < size; off += unit) {
		if (!memcmp(s.cur + off, s.img + off, unit))
			continue;
		if (cfg->stop && *cfg->stop) {
			ret = -EINTR;
			goto out;
		}
		ret = write_one(&s, off);
		if (ret)
			goto out;
		if (cfg->progress)
			cfg->progress(cfg->arg, off + unit, size);
	}

	phase(cfg, r, SP_VERIFY);
	ret = verify(&s);
	if (ret)
		goto out;
	unlink(cfg->journal);
	phase(cfg, r, SP_DONE);
out:
	/* Nothing written: a backup read only once is no use, and would stop the next run. */
	if (ret && r->failed_in < SP_WRITE && r->provisional && !cfg->resume) {
		unlink(s.prov);
		r->provisional = 0;
		r->backup_dropped = 1;
		if (s.journaled)
			unlink(cfg->journal);	/* it named that backup */
	}
	free(s.bk);
	free(s.cur);
	free(s.img);
	free(s.back);
	free(s.tmp);
	free(s.proven);
	return ret;
}
