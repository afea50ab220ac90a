/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -p sim: the simulated channels as a register backend (hw/sim/), the way
 * flashrom ships its dummy programmer. Scenarios set up the drives; state=
 * is the machine itself, a mapped file (sim_state.c) locked for the run.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hw/ata.h"
#include "hw/bus.h"
#include "hw/bus_fault.h"
#include "hw/sim/fwgen.h"
#include "hw/sim/sim.h"

#define MS	(1000ull * 1000)
#define SIM_MTK_POS	3
/*
 * A dead drive's boot code takes the intro this long after power-on or a
 * reset. Long enough for a host that resets the drive it just saw plugged
 * in and waits out the 31 s BSY limit (Case 2); a drive powered before
 * odrescue started is outside it anyway (Case 1: power-cycle it).
 */
#define SIM_WINDOW_MS	60000

struct sim_priv {
	struct sim heap;	/* the machine without state=, and while one is set up */
	struct sim *sim;	/* the machine: heap, or the mapped state= file */
	int fd;			/* state=, locked for the run (-1: none) */
	void *map;
	size_t maplen;
	uint64_t t0;		/* the clock when this run began (a saved machine's goes on) */
};

struct sim *sim_from_bus(struct bus *b)
{
	if (b->ops == &bus_fault)	/* -p fault:inner=sim...: the simulator it wraps */
		return sim_from_bus(bus_fault_inner(b));
	return b->ops == &bus_sim ? ((struct sim_priv *)b->priv)->sim : NULL;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct sim *S(struct bus *b)
{
	struct sim *s = ((struct sim_priv *)b->priv)->sim;

	if (s->real_clock)
		s->now = mono_ns() - s->real_t0;
	return s;
}

/*
 * One access costs ns of the timing model. clock=real spends them too: it
 * spins (a port access holds the CPU) until the access's end, counted
 * from the end of the one before or from now if the process was away, so
 * a rehearsal takes as long as the model says (issue 16 item 13).
 */
static void cost(struct sim *s, uint64_t ns)
{
	uint64_t due;

	if (!s->real_clock) {
		s->now += ns;
		return;
	}
	due = (s->real_due > s->now ? s->real_due : s->now) + ns;
	while ((s->now = mono_ns() - s->real_t0) < due)
		;
	s->real_due = due;
}

/*
 * After an access the process may lose the CPU for a while (stall=,
 * stall_us=), as a preempted one does on real ports: whatever it measured
 * before is then late. Which accesses stall follows seed=.
 */
static void stall(struct sim *s)
{
	uint32_t x = s->stall_rng;

	if (!s->stall_ppm)
		return;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	s->stall_rng = x;
	if (x % 1000000u >= s->stall_ppm)
		return;
	s->stalls++;
	if (s->real_clock) {
		struct timespec ts = { (time_t)(s->stall_ns / 1000000000u), (long)(s->stall_ns % 1000000000u) };

		nanosleep(&ts, NULL);
	} else {
		s->now += s->stall_ns;
	}
}

/* Port -> channel and register; -1 for ports the simulator does not decode. */
static int decode(uint16_t port, unsigned *reg, int *ctl)
{
	static const uint16_t cmd[2] = { ATA_PRIMARY_CMD, ATA_SECONDARY_CMD };
	static const uint16_t ctlp[2] = { ATA_PRIMARY_CTL, ATA_SECONDARY_CTL };

	for (int c = 0; c < 2; c++) {
		if (port >= cmd[c] && port < cmd[c] + 8) {
			*reg = port - cmd[c];
			*ctl = 0;
			return c;
		}
		if (port == ctlp[c]) {
			*ctl = 1;
			return c;
		}
	}
	return -1;
}

static uint8_t sim_bus_inb(struct bus *b, uint16_t port)
{
	struct sim *s = S(b);
	unsigned reg = 0;
	int ctl, c = decode(port, &reg, &ctl);

	uint8_t v;

	cost(s, s->reg_ns);
	if (c < 0) {
		sim_violation(s, "read of port 0x%x outside the IDE channels", port);
		return 0xff;
	}
	v = ctl ? sim_alt(s, c) : sim_inb(s, c, reg);
	stall(s);
	return v;
}

static void sim_bus_outb(struct bus *b, uint16_t port, uint8_t val)
{
	struct sim *s = S(b);
	unsigned reg = 0;
	int ctl, c = decode(port, &reg, &ctl);

	cost(s, s->reg_ns);
	if (c < 0)
		sim_violation(s, "write of port 0x%x outside the IDE channels", port);
	else if (ctl)
		sim_devctl(s, c, val);
	else
		sim_outb(s, c, reg, val);
	stall(s);
}

static uint16_t sim_bus_inw(struct bus *b, uint16_t port)
{
	struct sim *s = S(b);
	unsigned reg = 0;
	int ctl, c = decode(port, &reg, &ctl);

	uint16_t v;

	cost(s, SIM_DATA_NS);
	if (c < 0 || ctl || reg != ATA_REG_DATA) {
		sim_violation(s, "16-bit read of port 0x%x", port);
		return 0xffff;
	}
	v = sim_inw(s, c);
	stall(s);
	return v;
}

static void sim_bus_outw(struct bus *b, uint16_t port, uint16_t val)
{
	struct sim *s = S(b);
	unsigned reg = 0;
	int ctl, c = decode(port, &reg, &ctl);

	cost(s, SIM_DATA_NS);
	if (c < 0 || ctl || reg != ATA_REG_DATA)
		sim_violation(s, "16-bit write of port 0x%x", port);
	else
		sim_outw(s, c, val);
	stall(s);
}

static void sim_bus_insw(struct bus *b, uint16_t port, uint16_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = sim_bus_inw(b, port);
}

static void sim_bus_outsw(struct bus *b, uint16_t port, const uint16_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sim_bus_outw(b, port, buf[i]);
}

/* The simulated PCI controller splits each dword into two drive cycles, low word first. */
static void sim_bus_insl(struct bus *b, uint16_t port, uint16_t *buf, size_t n)
{
	sim_bus_insw(b, port, buf, 2 * n);
}

static void sim_bus_outsl(struct bus *b, uint16_t port, const uint16_t *buf, size_t n)
{
	sim_bus_outsw(b, port, buf, 2 * n);
}

static void sim_bus_delay(struct bus *b, uint64_t ns)
{
	struct sim *s = S(b);

	if (s->real_clock) {
		struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };

		nanosleep(&ts, NULL);
	} else {
		s->now += ns;
	}
}

static uint64_t sim_bus_now(struct bus *b)
{
	return S(b)->now;
}

static void sim_bus_power_cut(struct bus *b, uint32_t seed)
{
	struct sim *s = S(b);

	for (int pos = 1; pos <= 4; pos++) {
		struct sim_dev *d = sim_dev_at(s, pos);

		if (d->has_flash)
			simflash_power_cut(&d->flash, s->now, seed);
		sim_power_cycle(s, pos);
	}
}

/* Behind a modelled HBA every drive has its own link, and the pulled cable drops them all; else -EOPNOTSUPP. */
static int sim_bus_unplug(struct bus *b)
{
	struct sim *s = S(b);

	if (!s->behind_hba)
		return -EOPNOTSUPP;
	for (int pos = 1; pos <= 4; pos++)
		sim_dev_at(s, pos)->cable_out = 1;
	return 0;
}

static int load_image(struct bus *b, struct sim *s, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		bus_seterr(b, "image=%s: %s", path, strerror(errno));
		return -errno;
	}
	memset(s->image, 0xff, s->chip->size);
	n = fread(s->image, 1, s->chip->size, f);
	fclose(f);
	return n ? 0 : (bus_seterr(b, "image=%s is empty", path), -EINVAL);
}

static int scenario(struct bus *b, struct sim *s, const char *name, uint64_t plug_ms, int swap)
{
	struct sim_dev *d;
	int ret;

	if (!strcmp(name, "default") || !strcmp(name, "spi") || !strcmp(name, "spi73") || !strcmp(name, "locked")) {
		sim_attach(s, 1, SIM_DISK);
		sim_attach(s, SIM_MTK_POS, SIM_MTK);
		d = sim_dev_at(s, SIM_MTK_POS);
		d->locked = !strcmp(name, "locked");
		return 0;
	}
	if (!strcmp(name, "bricked")) {
		sim_attach(s, 1, SIM_DISK);
		return sim_attach(s, SIM_MTK_POS, SIM_MTK);
	}
	if (!strcmp(name, "hotplug")) {
		/* Case 2: boot with a working drive (swap=1) or nothing at 3, then the dead drive. */
		uint64_t at = plug_ms * MS;

		sim_attach(s, 1, SIM_DISK);
		if (swap) {
			sim_attach(s, SIM_MTK_POS, SIM_CDROM);
			s->ev[s->nev++] = (struct sim_event){ at, SIM_MTK_POS, EV_UNPLUG, SIM_NONE, 0 };
			at += 1000 * MS;	/* the cable moves from one drive to the other */
		}
		s->ev[s->nev++] = (struct sim_event){ at, SIM_MTK_POS, EV_PLUG, SIM_MTK, 0 };
		return 0;
	}
	if (!strcmp(name, "wbuf")) {
		/* A BTC drive: its updater downloads with WRITE BUFFER (mtk-protocol.md 3.2). */
		sim_attach(s, 1, SIM_DISK);
		ret = sim_attach(s, SIM_MTK_POS, SIM_MTK);
		sim_dev_at(s, SIM_MTK_POS)->wbuf = 1;
		return ret;
	}
	if (!strcmp(name, "empty"))
		return 0;
	bus_seterr(b, "unknown scenario '%s' (default, bricked, hotplug, spi, spi73, locked, wbuf, empty)", name);
	return -EINVAL;
}

/* A machine as a scenario starts it; a state= file that holds only a flash image seeds the flash. */
static int machine_new(struct bus *b, struct sim *s, const char *name, const char *chip, const char *image,
		       const char *raw, size_t raw_len, uint64_t plug, uint64_t swap)
{
	int ret;

	name = name ? name : "default";
	if (!chip)
		chip = !strcmp(name, "spi") || !strcmp(name, "locked") ? "MX25L8005" :
		       !strcmp(name, "spi73") ? "MX25L2005" :	/* a BenQ VAD6038 answering 73h had one (d-k 86979) */
		       !strcmp(name, "wbuf") ? "SST39VF080" : "SST39SF040";
	s->chip = simflash_chip_find(chip);
	if (!s->chip) {
		bus_seterr(b, "chip=%s is not a simulated part", chip);
		return -EINVAL;
	}
	s->image_len = s->chip->size;
	s->image = malloc(s->image_len);
	if (!s->image)
		return -ENOMEM;
	if (!strcmp(name, "wbuf"))
		fwgen_make_layout(s->image, s->image_len, "BTC", "DRW1008IM", "0058", s->seed,
				  &(struct fwgen_layout){ .inq_at = FWGEN_INQ_BTC });
	else
		fwgen_make(s->image, s->image_len, "LITE-ON", "DVDRW SOHW-1653S", "CS0P", s->seed);
	if (!strcmp(name, "bricked") || !strcmp(name, "hotplug"))
		memset(s->image + FWGEN_BANK, 0xff, FWGEN_BANK);	/* a flash that died in bank 1 */
	if (image && (ret = load_image(b, s, image)))
		return ret;
	if (raw) {
		if (raw_len != s->chip->size) {
			bus_seterr(b, "state= file is neither a saved machine nor a %u-byte %s image",
				   s->chip->size, s->chip->name);
			return -EINVAL;
		}
		memcpy(s->image, raw, raw_len);
	}
	snprintf(s->scenario, sizeof(s->scenario), "%s", name);
	return scenario(b, s, name, plug, (int)swap);
}

/*
 * state=: the file, locked for this run as a channel is by its driver (a
 * second odrescue on the same drive is refused), and what it holds now.
 */
static int state_open(struct bus *b, struct sim_priv *p, const char *path, char **buf, size_t *len)
{
	struct stat st;
	ssize_t n;

	*buf = NULL;
	*len = 0;
	p->fd = open(path, O_RDWR | O_CLOEXEC);
	if (p->fd < 0)
		return errno == ENOENT ? 0 : (bus_seterr(b, "state=%s: %s", path, strerror(errno)), -errno);
	if (flock(p->fd, LOCK_EX | LOCK_NB)) {
		bus_seterr(b, "state=%s is in use by another process: one drive, one odrescue at a time", path);
		return -EBUSY;
	}
	if (fstat(p->fd, &st))
		return -errno;
	*len = (size_t)st.st_size;
	/* A machine is mapped, not read; a flash image alone (the seed) is small. */
	if (!(*buf = malloc(*len < 64 ? 64 : *len)))
		return -ENOMEM;
	n = pread(p->fd, *buf, *len, 0);
	if (n != (ssize_t)*len) {
		bus_seterr(b, "state=%s: short read", path);
		return -EIO;
	}
	return 0;
}

/* The machine a state= file holds, with the parameters that would contradict it refused. */
static int machine_load(struct bus *b, struct sim_priv *p, const char *path, size_t len, const char *name,
			const char *chip, const char *image)
{
	char why[200];
	struct sim *s;
	int ret;

	if (image) {
		bus_seterr(b, "image= seeds a new machine, and state=%s already holds one", path);
		return -EINVAL;
	}
	ret = sim_state_map(p->fd, len, &p->sim, &p->map, &p->maplen, why, sizeof(why));
	if (ret) {
		bus_seterr(b, "state=%s: %s", path, ret == -EINVAL ? why : strerror(-ret));
		return ret;
	}
	s = p->sim;
	if (name && strcmp(name, s->scenario)) {
		bus_seterr(b, "state=%s holds scenario %s, not %s (remove the file to start anew)", path,
			   s->scenario, name);
		return -EINVAL;
	}
	if (chip && strcasecmp(chip, s->chip->name)) {
		bus_seterr(b, "state=%s holds a %s, not a %s", path, s->chip->name, chip);
		return -EINVAL;
	}
	return 0;
}

/* A new machine into state=: from now on the file is the machine. */
static int machine_store(struct bus *b, struct sim_priv *p, const char *path)
{
	int ret;

	if (p->fd < 0) {
		p->fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (p->fd < 0 || flock(p->fd, LOCK_EX | LOCK_NB)) {
			bus_seterr(b, "state=%s: %s", path, strerror(errno));
			return -errno;
		}
	}
	ret = sim_state_create(&p->heap, p->fd, &p->sim, &p->map, &p->maplen);
	if (ret)
		bus_seterr(b, "state=%s: %s", path, strerror(-ret));
	return ret;
}

/* The machine stays in its file (state=) or goes with the heap; the lock goes with the fd. */
static void sim_bus_release(struct sim_priv *p)
{
	if (p->map)
		sim_state_unmap(p->sim, p->map, p->maplen);
	else
		sim_free(&p->heap);
	if (p->fd >= 0)
		close(p->fd);
	free(p);
}

static int sim_bus_init(struct bus *b, struct bus_params *p)
{
	const char *name = bus_param_take(p, "scenario");
	const char *state = bus_param_take(p, "state");
	const char *clock = bus_param_take(p, "clock");
	const char *chip = bus_param_take(p, "chip");
	const char *image = bus_param_take(p, "image");
	/* Given or not matters with a saved machine: the values are parsed below. */
	const char *disc_set = bus_param_take(p, "disc");
	const char *seed_set = bus_param_take(p, "seed");
	const char *flip_set = bus_param_take(p, "wbuf_flip");
	const char *serial = bus_param_take(p, "serial");
	uint64_t spibuf = SIM_SPIBUF_DEFAULT, protect = 0, wp = 0, weak = UINT64_MAX;
	uint64_t seed = 1, window = SIM_WINDOW_MS, plug = 2000, swap = 0, cycle = 3000, disc = 0, hang = 0;
	uint64_t flip = 0, reg_ns = SIM_REG_NS, stall_ppm = 0, stall_us = 1000, pcycle = 0;
	struct sim_priv *priv;
	struct sim *s;
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if ((ret = bus_param_u64(b, p, "seed", &seed)) || (ret = bus_param_u64(b, p, "window", &window)) ||
	    (ret = bus_param_u64(b, p, "plug_after", &plug)) || (ret = bus_param_u64(b, p, "swap", &swap)) ||
	    (ret = bus_param_u64(b, p, "cycle", &cycle)) || (ret = bus_param_u64(b, p, "disc", &disc)) ||
	    (ret = bus_param_u64(b, p, "wbuf_hang", &hang)) || (ret = bus_param_u64(b, p, "wbuf_flip", &flip)) ||
	    (ret = bus_param_u64(b, p, "spibuf", &spibuf)) || (ret = bus_param_u64(b, p, "protect", &protect)) ||
	    (ret = bus_param_u64(b, p, "wp", &wp)) || (ret = bus_param_u64(b, p, "weak", &weak)) || (ret = bus_param_u64(b, p, "reg_ns", &reg_ns)) ||
	    (ret = bus_param_u64(b, p, "stall", &stall_ppm)) || (ret = bus_param_u64(b, p, "stall_us", &stall_us)) ||
	    (ret = bus_param_u64(b, p, "power_cycle", &pcycle)) ||
	    (ret = bus_param_pio32(b, p, 1)))
		return ret;
	if (reg_ns > 1000000 || stall_ppm > 1000000 || stall_us > 10000000) {
		bus_seterr(b, "reg_ns= at most 1000000, stall= at most 1000000 (per million), stall_us= at most 10 s");
		return -EINVAL;
	}
	if (spibuf < 16 || spibuf > SIM_SPIBUF_MAX || (spibuf & (spibuf - 1))) {
		bus_seterr(b, "spibuf=%llu: a power of two from 16 to %d", (unsigned long long)spibuf, SIM_SPIBUF_MAX);
		return -EINVAL;
	}
	if (serial && strcmp(serial, "01") && strcmp(serial, "52") && strcmp(serial, "68")) {
		bus_seterr(b, "serial=%s: 01, 52 or 68", serial);
		return -EINVAL;
	}
	if (clock && strcmp(clock, "virtual") && strcmp(clock, "real")) {
		bus_seterr(b, "clock=%s: virtual or real", clock);
		return -EINVAL;
	}
	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return -ENOMEM;
	priv->fd = -1;
	priv->sim = &priv->heap;
	b->priv = priv;
	sim_init(&priv->heap);
	if (state && (ret = state_open(b, priv, state, &buf, &len)))
		goto fail;
	if (buf && sim_state_is_machine(buf, len)) {
		ret = machine_load(b, priv, state, len, name, chip, image);
	} else {
		priv->heap.seed = (uint32_t)seed;
		priv->heap.spibuf_len = (unsigned)spibuf;
		ret = machine_new(b, &priv->heap, name, chip, image, buf, len, plug, swap);
		for (int pos = 1; !ret && pos <= 4; pos++) {
			struct sim_dev *d = sim_dev_at(&priv->heap, pos);

			if (d->has_flash && d->flash.chip->spi) {
				if (protect)	/* what JF users met: "Spi Status: 0x8C" (team-xecuter 55990) */
					d->flash.sr = 0x8c;
				d->flash.wp = wp != 0;
			}
			/* a cell that never takes a program: what only a read-back after the write can find */
			if (d->has_flash && weak != UINT64_MAX) {
				d->flash.weak_addr = (uint32_t)(weak & (d->flash.chip->size - 1));
				d->flash.weak_left = UINT_MAX;
			}
		}
		if (!ret && state)
			ret = machine_store(b, priv, state);
		disc_set = "";
		seed_set = "";
	}
	free(buf);
	buf = NULL;
	if (ret)
		goto fail;
	s = priv->sim;
	if (seed_set)
		s->seed = (uint32_t)seed;	/* from now on: power-cut outcomes */
	s->real_clock = clock && !strcmp(clock, "real");
	b->virtual_clock = !s->real_clock;
	s->real_t0 = mono_ns() - s->now;	/* a saved machine's clock goes on from where it was */
	priv->t0 = s->now;
	s->window_ns = window * MS;
	s->cycle_ns = cycle * MS;
	s->wbuf_hang = hang != 0;
	s->wbuf_flip = flip_set ? (int64_t)(flip & 0xffffff) : -1;
	s->reg_ns = reg_ns;
	s->stall_ppm = (uint32_t)stall_ppm;
	s->stall_ns = stall_us * 1000;
	s->stall_rng = (uint32_t)seed * 2654435761u | 1;
	s->stalls = 0;
	s->spibuf_len = (unsigned)spibuf;
	s->dialect = !serial || !strcmp(serial, "01") ? 0 : !strcmp(serial, "52") ? 1 : 2;
	/* The drives were powered on long before odrescue started: their boot is over. */
	for (int pos = 1; pos <= 4; pos++) {
		struct sim_dev *d = sim_dev_at(s, pos);

		if (d->busy_until != SIM_NEVER && d->busy_until) {
			d->busy_until = 0;
			d->status = d->status_after;
		}
		d->window_start = SIM_NEVER;	/* its power-on window closed long ago */
		if (d->kind == SIM_MTK && disc_set)
			d->medium = disc != 0;
	}
	/* The user switched the drive off and on before this run (a saved machine's drive left vendor mode). */
	if (pcycle >= 1 && pcycle <= 4) {
		struct sim_dev *d = sim_dev_at(s, (int)pcycle);

		sim_power_cycle(s, (int)pcycle);
		if (d->busy_until != SIM_NEVER && d->busy_until) {
			d->busy_until = 0;	/* and waited for it to boot */
			d->status = d->status_after;
		}
	}
	return 0;
fail:
	free(buf);
	sim_bus_release(priv);
	b->priv = NULL;
	return ret;
}

/* -v: where the accesses went, both channels together (the cost model is per access). */
static void log_registers(struct bus *b, const struct sim *s)
{
	static const char *const rd[8] = { "data", "error", "nsect", "lbal", "lbam", "lbah", "device", "status" };
	static const char *const wr[8] = { "data", "feature", "nsect", "lbal", "lbam", "lbah", "device", "command" };
	char line[512];
	size_t n;

	for (int w = 0; w < 2; w++) {
		n = (size_t)snprintf(line, sizeof(line), "sim: %s by register:", w ? "writes" : "reads");
		for (int r = 0; r < 8; r++) {
			uint64_t v = w ? s->reg_writes[0][r] + s->reg_writes[1][r] : s->reg_reads[0][r] + s->reg_reads[1][r];

			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s %llu,", w ? wr[r] : rd[r],
					      (unsigned long long)v);
		}
		snprintf(line + n, sizeof(line) - n, " %s %llu", w ? "devctl" : "altstatus",
			 (unsigned long long)(w ? s->devctl_writes[0] + s->devctl_writes[1] :
					      s->alt_reads[0] + s->alt_reads[1]));
		bus_logf(b, BUS_LOG_INFO, "%s", line);
	}
}

static void sim_bus_cleanup(struct bus *b)
{
	struct sim_priv *p = b->priv;
	struct sim *s;

	if (!p)
		return;
	s = p->sim;
	/* A bus nobody logs (the simulator behind a modelled HBA or kernel) still reports these. */
	for (unsigned i = 0; sim_violation_msg(s, i); i++)
		if (b->log)
			bus_logf(b, BUS_LOG_ERR, "sim: protocol violation: %s", sim_violation_msg(s, i));
		else
			fprintf(stderr, "odrescue: sim: protocol violation: %s\n", sim_violation_msg(s, i));
	if (s->nviol > SIM_MAX_VIOL)
		bus_logf(b, BUS_LOG_ERR, "sim: protocol violation: ... and %u more", s->nviol - SIM_MAX_VIOL);
	bus_logf(b, BUS_LOG_INFO, "sim: %llu reads, %llu writes, %llu bytes in, %llu bytes out, %llu virtual ns",
		 (unsigned long long)b->stats.reads, (unsigned long long)b->stats.writes,
		 (unsigned long long)b->stats.bytes_in, (unsigned long long)b->stats.bytes_out,
		 (unsigned long long)(s->now - p->t0));
	log_registers(b, s);
	if (s->stall_ppm)
		bus_logf(b, BUS_LOG_INFO, "sim: %llu stalls of %llu us", (unsigned long long)s->stalls,
			 (unsigned long long)(s->stall_ns / 1000));
	sim_bus_release(p);
	b->priv = NULL;
}

const struct bus_ops bus_sim = {
	.name = "sim",
	.help = "the built-in simulator: an ATA disk at 1 and a MediaTek DVD writer at 3\n"
		"scenario=NAME  default, bricked, hotplug, spi, spi73, locked, wbuf, empty (default)\n"
		"state=FILE     the whole machine lives in FILE, written as it changes (flash, vendor mode,\n"
		"               tray, disc, RPC, events); one run at a time;\n"
		"               a FILE that holds only a flash image seeds the flash; missing: start anew\n"
		"image=FILE     the drive's flash starts with FILE (instead of a generated image)\n"
		"chip=NAME      flash part, e.g. SST39SF040, Am29F040B, MX25L8005, SST25VF020, W25P20, Pm25LV040\n"
		"               (SST39SF040; spi: MX25L8005; spi73: MX25L2005)\n"
		"spibuf=N       serial buffer size in bytes, a power of two; it wraps past its end (512)\n"
		"serial=SET     the serial command set the drive takes: 01 (01/00/04), 52 (52/1F/C2), 68 (68/91/1B) (01)\n"
		"protect=0|1    the serial chip starts write-protected, status 8Ch (0)\n"
		"wp=0|1         the serial chip's WP# pin is held low: with SRWD set it stays protected (0)\n"
		"weak=ADDR      the flash cell at ADDR ignores every program, parallel or serial (none)\n"
		"power_cycle=N  the drive at position N was switched off and on before this run (none)\n"
		"seed=N         generated image and power-cut outcomes (1)\n"
		"clock=MODE     virtual (instant timeouts) or real: accesses take their time (virtual)\n"
		"reg_ns=NS      cost of one register access, either clock (600, PIO mode 0)\n"
		"stall=PPM      per million accesses, the process stalls after one (0)\n"
		"stall_us=US    length of such a stall (1000)\n"
		"window=MS      dead drive: intro taken only MS after power-on, plug-in or reset, 0 always (60000)\n"
		"cycle=MS       the simulated user power-cycles a refusing drive MS later, 0 never (3000)\n"
		"plug_after=MS  hotplug: the dead drive is connected at MS (2000)\n"
		"swap=0|1       hotplug: a working CD-ROM sits at 3 until then (0)\n"
		"disc=0|1       a disc is in the MediaTek drive (0)\n"
		"wbuf_hang=0|1  wbuf: after a WRITE BUFFER update the drive never answers again (0)\n"
		"wbuf_flip=OFS  wbuf: image byte OFS of a download arrives with a bit flipped (none)\n"
		"pio32=0|1      the controller takes 32-bit data accesses, as PCI ones do (1)\n",
	.init = sim_bus_init,
	.cleanup = sim_bus_cleanup,
	.inb = sim_bus_inb,
	.outb = sim_bus_outb,
	.inw = sim_bus_inw,
	.outw = sim_bus_outw,
	.insw = sim_bus_insw,
	.outsw = sim_bus_outsw,
	.insl = sim_bus_insl,
	.outsl = sim_bus_outsl,
	.delay_ns = sim_bus_delay,
	.now_ns = sim_bus_now,
	.power_cut = sim_bus_power_cut,
	.unplug = sim_bus_unplug,
};
