/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The whole simulated machine in one file (state=): a text header a person
 * can read and edit (scenario, chip, each device with its tray, medium and
 * RPC bytes, the events still to come) and the flash contents as raw bytes
 * after it. Written to a temporary name and renamed, so a run that dies
 * leaves the old machine or the new one, never half of each.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/sim/sim.h"
#include "recovery/outfile.h"	/* temporary, fsync, rename: as odrescue writes its own files */

#define MAGIC	"odrescue-sim-state 1\n"
#define ERR(...)	(snprintf(err, errlen, __VA_ARGS__), -EINVAL)

static const char *const kinds[] = { "none", "disk", "cdrom", "mtk" };
static const char *const whats[] = { "plug", "unplug", "power_off", "power_on" };

static int lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

int sim_state_is_machine(const void *buf, size_t len)
{
	return len >= strlen(MAGIC) && !memcmp(buf, MAGIC, strlen(MAGIC));
}

/* A pending hot-plug of a MediaTek drive needs the image it will carry. */
static int image_pending(const struct sim *s)
{
	for (int i = 0; i < s->nev; i++)
		if (s->ev[i].what == EV_PLUG && s->ev[i].kind == SIM_MTK)
			return 1;
	return 0;
}

static int save_to(struct outfile *o, struct sim *s)
{
	char line[256];
	int ret;

	sim_tick(s);	/* events already due happen before the machine is written down */
#define PUT(...) do { snprintf(line, sizeof(line), __VA_ARGS__); \
		      if ((ret = outfile_write(o, line, strlen(line)))) return ret; } while (0)
	PUT(MAGIC);
	PUT("scenario %s\nchip %s\nseed %u\n", s->scenario, s->chip->name, s->seed);
	for (int pos = 1; pos <= 4; pos++) {
		struct sim_dev *d = sim_dev_at(s, pos);

		if (d->kind == SIM_NONE)
			continue;
		PUT("dev %d %s off=%d medium=%d tray=%d locked=%d rpc=%02x%02x%02x%02x wbuf=%d\n", pos,
		    kinds[d->kind], d->powered_off, d->medium, d->tray_open, d->locked, d->rpc[0], d->rpc[1],
		    d->rpc[2], d->rpc[3], d->wbuf);
	}
	/* Events to come, from now: the next run's clock starts at 0. */
	for (int i = 0; i < s->nev; i++)
		PUT("event %llu %d %s %s\n", (unsigned long long)(s->ev[i].at - s->now), s->ev[i].pos,
		    whats[s->ev[i].what], kinds[s->ev[i].kind]);
	if (image_pending(s)) {
		PUT("image %zu\n", s->image_len);
		if ((ret = outfile_write(o, s->image, s->image_len)))
			return ret;
	}
	for (int pos = 1; pos <= 4; pos++) {
		struct sim_dev *d = sim_dev_at(s, pos);

		if (!d->has_flash)
			continue;
		PUT("flash %d %u\n", pos, d->flash.chip->size);
		if ((ret = outfile_write(o, simflash_mem(&d->flash), d->flash.chip->size)))
			return ret;
	}
	PUT("end\n");
#undef PUT
	return 0;
}

int sim_state_save(struct sim *s, const char *path)
{
	struct outfile o;
	int ret = outfile_open(&o, path, 1);	/* force: each run's state replaces the last one */

	if (ret)
		return ret;
	ret = save_to(&o, s);
	if (ret) {
		outfile_abort(&o);
		return ret;
	}
	return outfile_commit(&o);
}

/* The next line of buf from *pos, NUL-terminated in place; NULL at the end. */
static char *next_line(char *buf, size_t len, size_t *pos)
{
	char *start = buf + *pos, *nl;

	if (*pos >= len)
		return NULL;
	nl = memchr(start, '\n', len - *pos);
	if (!nl)
		return NULL;
	*nl = '\0';
	*pos = (size_t)(nl - buf) + 1;
	return start;
}

/* A blob of n bytes at *pos. */
static const uint8_t *blob(const char *buf, size_t len, size_t *pos, size_t n)
{
	const uint8_t *p = (const uint8_t *)buf + *pos;

	if (len - *pos < n)
		return NULL;
	*pos += n;
	return p;
}

static int restore_dev(struct sim *s, const char *line, char *err, size_t errlen)
{
	char kind[16], rpc[9];
	int pos, off, medium, tray, locked, wbuf = 0, k, ret;
	unsigned long r;
	struct sim_dev *d;

	if (sscanf(line, "dev %d %15s off=%d medium=%d tray=%d locked=%d rpc=%8s wbuf=%d", &pos, kind, &off,
		   &medium, &tray, &locked, rpc, &wbuf) < 7 || pos < 1 || pos > 4 || (k = lookup(kinds, 4, kind)) <= 0 ||
	    strlen(rpc) != 8)
		return ERR("bad line '%s'", line);
	ret = sim_attach(s, pos, (enum sim_kind)k);
	if (ret)
		return ERR("position %d: %s", pos, strerror(-ret));
	d = sim_dev_at(s, pos);
	d->powered_off = off != 0;
	d->medium = medium != 0;
	d->tray_open = tray != 0;
	d->locked = locked != 0;
	d->wbuf = wbuf != 0;
	r = strtoul(rpc, NULL, 16);
	for (int i = 0; i < 4; i++)
		d->rpc[i] = (uint8_t)(r >> (24 - 8 * i));
	return 0;
}

static int restore_event(struct sim *s, const char *line, char *err, size_t errlen)
{
	char what[16], kind[16];
	unsigned long long at;
	int pos, w, k;

	if (sscanf(line, "event %llu %d %15s %15s", &at, &pos, what, kind) != 4 || pos < 1 || pos > 4 ||
	    (w = lookup(whats, 4, what)) < 0 || (k = lookup(kinds, 4, kind)) < 0)
		return ERR("bad line '%s'", line);
	if (s->nev >= (int)(sizeof(s->ev) / sizeof(s->ev[0])))
		return ERR("too many events");
	s->ev[s->nev].at = at;
	s->ev[s->nev].pos = pos;
	s->ev[s->nev].what = w;
	s->ev[s->nev].kind = (enum sim_kind)k;
	s->nev++;
	return 0;
}

static int restore_flash(struct sim *s, const char *line, const char *buf, size_t len, size_t *at,
			 char *err, size_t errlen)
{
	struct sim_dev *d;
	const uint8_t *p;
	unsigned size;
	int pos;

	if (sscanf(line, "flash %d %u", &pos, &size) != 2 || pos < 1 || pos > 4)
		return ERR("bad line '%s'", line);
	d = sim_dev_at(s, pos);
	if (!d->has_flash || size != d->flash.chip->size)
		return ERR("flash of position %d: no %u-byte chip there", pos, size);
	p = blob(buf, len, at, size);
	if (!p)
		return ERR("flash of position %d is cut short", pos);
	memcpy(simflash_mem(&d->flash), p, size);
	/* It has been running from this flash since before the run began. */
	sim_mtk_boot(s, d);
	return 0;
}

int sim_state_load(struct sim *s, char *buf, size_t len, char *err, size_t errlen)
{
	size_t at = strlen(MAGIC);
	char *line, name[32];
	const uint8_t *p;
	int ret;

	while ((line = next_line(buf, len, &at))) {
		if (!strcmp(line, "end"))
			return 0;
		if (sscanf(line, "scenario %15s", s->scenario) == 1)
			continue;
		if (sscanf(line, "chip %31s", name) == 1) {
			s->chip = simflash_chip_find(name);
			if (!s->chip)
				return ERR("chip %s is not a simulated part", name);
			/* What a drive plugged in later carries, unless an image section follows. */
			free(s->image);
			s->image_len = s->chip->size;
			s->image = malloc(s->image_len);
			if (!s->image)
				return -ENOMEM;
			memset(s->image, 0xff, s->image_len);
			continue;
		}
		if (sscanf(line, "seed %u", &s->seed) == 1)
			continue;
		if (!s->chip)
			return ERR("no chip line before '%s'", line);
		if (!strncmp(line, "dev ", 4))
			ret = restore_dev(s, line, err, errlen);
		else if (!strncmp(line, "event ", 6))
			ret = restore_event(s, line, err, errlen);
		else if (!strncmp(line, "image ", 6)) {
			size_t n;

			if (!s->image || sscanf(line, "image %zu", &n) != 1 || n != s->image_len ||
			    !(p = blob(buf, len, &at, n)))
				return ERR("bad image section");
			memcpy(s->image, p, s->image_len);
			ret = 0;
		} else if (!strncmp(line, "flash ", 6))
			ret = restore_flash(s, line, buf, len, &at, err, errlen);
		else
			return ERR("unknown line '%s'", line);
		if (ret)
			return ret;
	}
	return ERR("no end line: the file is cut short");
}
