/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The whole simulated machine in one file (state=), mapped shared: a text
 * head that says what the file is, then struct sim as the simulator holds
 * it, then the store (the image a hot-plugged drive carries, and the flash
 * of positions 1..4). Every change the simulator makes is a store to the
 * mapping, so it is in the file as it happens: a SIGKILL leaves exactly
 * what a real drive would hold (partial writes, vendor mode, an erase in
 * progress). A field added to struct sim comes along with no work here;
 * only pointers are set again when a run maps the file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hw/sim/sim.h"

#define MAGIC	"odrescue-sim-state 2\n"
#define HEAD	4096u		/* the text head; struct sim starts after it */
#define ERR(...)	(snprintf(err, errlen, __VA_ARGS__), -EINVAL)

static size_t page_up(size_t n)
{
	return (n + HEAD - 1) / HEAD * HEAD;
}

static size_t store_at(void)
{
	return HEAD + page_up(sizeof(struct sim));
}

int sim_state_is_machine(const void *buf, size_t len)
{
	static const char any[] = "odrescue-sim-state ";

	return len >= sizeof(any) - 1 && !memcmp(buf, any, sizeof(any) - 1);
}

/* Where position pos keeps its flash (0: the image for drives plugged in later). */
static uint8_t *area(const struct sim *s, int pos)
{
	return s->store + (size_t)pos * s->chip->size;
}

int sim_state_create(struct sim *heap, int fd, struct sim **out, void **map, size_t *maplen)
{
	size_t size = heap->chip->size, len = store_at() + 5 * size;
	char head[256];
	struct sim *s;
	uint8_t *m;

	if (ftruncate(fd, 0) || ftruncate(fd, (off_t)len))
		return -errno;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	s = (struct sim *)(m + HEAD);
	memcpy(s, heap, sizeof(*s));
	s->store = m + store_at();
	memcpy(area(s, 0), heap->image, heap->image_len < size ? heap->image_len : size);
	free(heap->image);
	s->image = area(s, 0);
	s->image_len = size;
	for (int pos = 1; pos <= 4; pos++) {
		struct sim_dev *d = sim_dev_at(s, pos);

		if (!d->has_flash)
			continue;
		memcpy(area(s, pos), d->flash.mem, size);
		simflash_free(&d->flash);
		d->flash.mem = area(s, pos);
		d->flash.mem_lent = 1;
	}
	/* The magic last: a file cut short before here is no machine. */
	snprintf(head, sizeof(head), "scenario %s\nchip %s\nlayout %zu\nstore %zu %u\n", s->scenario,
		 s->chip->name, sizeof(struct sim), store_at(), s->chip->size);
	memcpy(m + sizeof(MAGIC) - 1, head, strlen(head) + 1);
	memcpy(m, MAGIC, sizeof(MAGIC) - 1);
	*out = s;
	*map = m;
	*maplen = len;
	return 0;
}

/* The events the simulated user scheduled belong to the run that saw them: a power cycle already
 * begun is finished (the drive is not left switched off), the rest never happen. */
static void drop_user_events(struct sim *s)
{
	int n = 0;

	for (int i = 0; i < s->nev; i++) {
		struct sim_event e = s->ev[i];
		struct sim_dev *d = sim_dev_at(s, e.pos);

		if (!e.by_user)
			s->ev[n++] = e;
		else if (e.what == EV_POWER_ON && d && d->powered_off)
			sim_power_cycle(s, e.pos);
	}
	s->nev = n;
}

/* The pointers and what belongs to a run (counters, violations), set for this one. */
static void ready(struct sim *s, uint8_t *m, const struct simflash_chip *chip)
{
	s->chip = chip;
	s->store = m + store_at();
	s->image = area(s, 0);
	s->image_len = chip->size;
	for (int pos = 1; pos <= 4; pos++) {
		struct sim_dev *d = sim_dev_at(s, pos);

		d->wbuf_buf = NULL;	/* the drive's RAM held it; this process's heap did not survive */
		d->wbuf_hi = 0;
		d->activate_pending = 0;
		d->intros_refused = 0;	/* what the simulated user reacts to, in this run */
		d->cable_out = 0;	/* a pulled cable is back in for the next run */
		/* A CDB cut short was the gone host's doing; this one finds the drive still waiting. */
		if (d->phase == PH_CDB && d->off)
			d->cdb_short = 1;
		if (!d->has_flash)
			continue;
		d->flash.chip = chip;
		d->flash.mem = area(s, pos);
		d->flash.mem_lent = 1;
		simflash_host_gone(&d->flash);
	}
	memset(s->reg_reads, 0, sizeof(s->reg_reads));
	memset(s->reg_writes, 0, sizeof(s->reg_writes));
	memset(s->alt_reads, 0, sizeof(s->alt_reads));
	memset(s->devctl_writes, 0, sizeof(s->devctl_writes));
	s->nviol = 0;
	s->behind_hba = 0;	/* this run's HBA (if any) says so again */
	drop_user_events(s);
}

int sim_state_map(int fd, size_t len, struct sim **out, void **map, size_t *maplen, char *err, size_t errlen)
{
	char head[HEAD + 1], chip[32];
	const struct simflash_chip *c;
	size_t layout, store;
	unsigned size;
	const char *p;
	uint8_t *m;

	if (len < HEAD || pread(fd, head, HEAD, 0) != HEAD)
		return ERR("cut short (%zu bytes)", len);
	head[HEAD] = '\0';
	if (memcmp(head, MAGIC, sizeof(MAGIC) - 1))
		return ERR("made by an older odrescue (remove the file to start anew)");
	p = strstr(head, "\nchip ");
	if (!p || sscanf(p, "\nchip %31s", chip) != 1 || !(c = simflash_chip_find(chip)))
		return ERR("no simulated chip named in its head");
	p = strstr(head, "\nlayout ");
	if (!p || sscanf(p, "\nlayout %zu", &layout) != 1 || layout != sizeof(struct sim))
		return ERR("made by another build of the simulator (remove the file to start anew)");
	p = strstr(head, "\nstore ");
	if (!p || sscanf(p, "\nstore %zu %u", &store, &size) != 2 || store != store_at() || size != c->size)
		return ERR("its head does not match its chip");
	if (len < store + 5 * (size_t)size)
		return ERR("cut short (%zu bytes, the machine takes %zu)", len, store + 5 * (size_t)size);
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	ready((struct sim *)(m + HEAD), m, c);
	*out = (struct sim *)(m + HEAD);
	*map = m;
	*maplen = len;
	return 0;
}

void sim_state_unmap(struct sim *s, void *map, size_t maplen)
{
	for (int pos = 1; pos <= 4; pos++) {
		struct sim_dev *d = sim_dev_at(s, pos);

		free(d->wbuf_buf);
		d->wbuf_buf = NULL;
	}
	munmap(map, maplen);
}
