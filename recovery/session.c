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
		ret = flash_read(f, 0, all + (size_t)i * size, size, i ? NULL : cb, arg);
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
	char head[4600];
	int fd, ret;

	fd = open(cfg->journal, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	snprintf(head, sizeof(head), JOURNAL_MAGIC "\nchip %s\nsize %u\nimage_crc %08x\nbackup %s\n"
		 "backup_crc %08x\n", f->chip->name, f->chip->size, r->image_crc, cfg->backup, r->backup_crc);
	ret = write_full(fd, head, strlen(head));
	if (!ret && fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

struct journal {
	char chip[64], backup[4096];
	unsigned size, image_crc, backup_crc;
};

/* The header of a journal: 0, -ENOENT (none), -EINVAL (not a journal or no backup named). */
static int journal_read(const char *path, struct journal *jh)
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
	}
	fclose(j);
	return ok && jh->backup[0] ? 0 : -EINVAL;
}

int session_journal_backup(const char *journal, char *backup, size_t len)
{
	struct journal jh;
	int ret = journal_read(journal, &jh);

	if (!ret)
		snprintf(backup, len, "%s", jh.backup);
	return ret;
}

/* --resume: the journal must describe this chip and image, and its backup must be intact. */
static int journal_check(const struct session_cfg *cfg, const struct flash_dev *f,
			 struct session_result *r)
{
	struct journal jh;
	uint8_t *buf;
	FILE *b;
	int ret = journal_read(cfg->journal, &jh), ok;

	if (ret == -ENOENT) {
		say(cfg, "no journal %s to resume from", cfg->journal);
		return -ENOENT;
	}
	if (ret || strcmp(jh.chip, f->chip->name) || jh.size != f->chip->size ||
	    jh.image_crc != r->image_crc) {
		say(cfg, "journal %s belongs to another chip or image; not resuming", cfg->journal);
		return -ECANCELED;
	}
	buf = malloc(jh.size);
	b = buf ? fopen(jh.backup, "rb") : NULL;
	ok = b && fread(buf, 1, jh.size, b) == jh.size && crc32(0, buf, jh.size) == jh.backup_crc;
	if (b)
		fclose(b);
	free(buf);
	if (!ok) {
		say(cfg, "the backup %s named in the journal is missing or damaged; not resuming", jh.backup);
		return -ECANCELED;
	}
	r->backup_crc = jh.backup_crc;
	r->backup_reused = 1;
	say(cfg, "resuming: backup %s (crc32 %08x) made before the interruption is kept", jh.backup,
	    jh.backup_crc);
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

/* The image as it will be written: the user's, with the --keep ranges taken from the chip. */
static int apply_keep(const struct session_cfg *cfg, uint8_t *img, const uint8_t *cur, uint32_t size,
		      struct session_result *r)
{
	for (int i = 0; i < cfg->nkeep; i++) {
		const struct session_keep *k = &cfg->keep[i];

		if (k->start > k->end || k->end >= size)
			return -ERANGE;
		memcpy(img + k->start, cur + k->start, k->end - k->start + 1);
		r->kept += k->end - k->start + 1;
	}
	return 0;
}

/* What writing img over cur costs, unit by unit (dry run, and the summary). */
static void plan(const uint8_t *img, const uint8_t *cur, uint32_t size, uint32_t unit,
		 struct session_result *r)
{
	for (uint32_t off = 0; off < size; off += unit) {
		if (memcmp(img + off, cur + off, unit)) {
			r->units_changed++;
			r->units_erased += unit_cost(img + off, cur + off, unit, &r->bytes_programmed);
		}
	}
}

int session_flash(struct flash_dev *f, const struct session_cfg *cfg, struct session_result *r)
{
	uint32_t size = f->chip->size, unit = f->chip->sector ? f->chip->sector : size;
	uint8_t *cur = malloc(size), *back = malloc(size), *img = malloc(size);
	char line[64];
	int ret;

	memset(r, 0, sizeof(*r));
	r->units = size / unit;
	if (!cur || !back || !img) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(img, cfg->image, size);
	if (!cfg->resume && !access(cfg->journal, F_OK)) {
		say(cfg, "journal %s exists: an earlier flash was interrupted; use --resume", cfg->journal);
		ret = -EEXIST;
		goto out;
	}

	phase(cfg, r, SP_READ);
	ret = session_read_all(f, cur, cfg->read_repeated, cfg->progress, cfg->arg, &r->disagreed);
	if (!ret)
		ret = apply_keep(cfg, img, cur, size, r);
	if (!ret && cfg->check)
		ret = cfg->check(cfg->arg, cur, size);
	if (ret)
		goto out;
	r->image_crc = crc32(0, img, size);
	if (cfg->resume) {
		ret = journal_check(cfg, f, r);
		if (ret)
			goto out;
	} else {
		phase(cfg, r, SP_BACKUP);
		r->backup_crc = crc32(0, cur, size);
		ret = write_backup(cfg->backup, cur, size);
		if (ret)
			goto out;
	}
	if (cfg->dry_run) {
		plan(img, cur, size, unit, r);
		phase(cfg, r, SP_DONE);
		goto out;
	}
	/* A signal during the reads stops here, before the journal and the first erase. */
	if (cfg->stop && *cfg->stop) {
		ret = -EINTR;
		goto out;
	}
	if (!cfg->resume) {
		ret = journal_create(cfg, f, r);
		if (ret)
			goto out;
	}

	phase(cfg, r, SP_WRITE);
	for (uint32_t off = 0; off < size; off += unit) {
		if (!memcmp(cur + off, img + off, unit))
			continue;
		if (cfg->stop && *cfg->stop) {
			ret = -EINTR;
			goto out;
		}
		r->units_changed++;
		ret = write_unit(f, off, unit, img + off, cur + off, r);
		if (ret)
			goto out;
		snprintf(line, sizeof(line), "unit %06x %08x\n", off, crc32(0, img + off, unit));
		ret = journal_append(cfg->journal, line);
		if (ret)
			goto out;
		if (cfg->progress)
			cfg->progress(cfg->arg, off + unit, size);
	}

	phase(cfg, r, SP_VERIFY);
	ret = flash_read(f, 0, back, size, cfg->progress, cfg->arg);
	if (ret)
		goto out;
	for (r->first_bad = 0; r->first_bad < size; r->first_bad++)
		if (back[r->first_bad] != img[r->first_bad])
			break;
	if (r->first_bad < size) {
		ret = -EBADMSG;
		goto out;
	}
	unlink(cfg->journal);
	phase(cfg, r, SP_DONE);
out:
	free(cur);
	free(back);
	free(img);
	return ret;
}
