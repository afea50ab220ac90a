/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault injection around another backend. Every decision comes from one
 * splitmix64 stream drawn in access order, so a seed and the same host code
 * give the same faults at the same accesses, run after run.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/bus.h"
#include "hw/ata.h"
#include "hw/bus_fault.h"

#define PPM		1000000u
#define BUSY_NS_DEF	1000000000ULL	/* 1 s: longer than a command, shorter than most timeouts */
#define ATA_STATUS_OFF	7
#define STUCK_STATUS	0x80		/* BSY; the other bits are not valid while it is set */
#define CHUNK		256		/* words per forwarded outsw piece */

struct fault {
	struct bus own;			/* the inner bus when we opened it */
	struct bus *in;
	int owned;
	struct bus_fault_cfg cfg;
	struct bus_fault_stats st;
	uint64_t rng;
	uint64_t busy_until;
	uint64_t sigint_next;		/* the access the next SIGINT is due at */
	uint64_t sigints_sent;
	int flipped_at;			/* flip_at has been spent */
	int dead;
};

static struct fault *F(struct bus *b)
{
	return b->priv;
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Draws only when the fault kind is on, so enabling one kind leaves the others' sequence alone. */
#define DEAD_CYCLE_NS	600	/* a PIO mode 0 register cycle on a bus nobody drives */

static int chance(struct fault *f, uint32_t ppm)
{
	return ppm && splitmix64(&f->rng) % PPM < ppm;
}

static void sync_err(struct bus *b)
{
	if (F(b)->in->error)
		b->error = F(b)->in->error;
}

static void power_cut(struct bus *b)
{
	struct fault *f = F(b);

	f->st.power_cuts++;
	if (f->in->ops->power_cut) {
		f->in->ops->power_cut(f->in, (uint32_t)f->cfg.seed);
		bus_logf(b, BUS_LOG_INFO, "fault: power cut at access %llu (%s models it)",
			 (unsigned long long)f->st.accesses, f->in->ops->name);
		return;
	}
	f->dead = 1;
	bus_logf(b, BUS_LOG_INFO, "fault: power cut at access %llu: bus floats at FFh from now on",
		 (unsigned long long)f->st.accesses);
}

/* Unlike a power cut the drive is not told: it goes on with what it was doing. */
static void unplug(struct bus *b)
{
	struct fault *f = F(b);

	if (f->in->ops->unplug && !f->in->ops->unplug(f->in)) {
		bus_logf(b, BUS_LOG_INFO, "fault: cable pulled at access %llu (%s models it)",
			 (unsigned long long)f->st.accesses, f->in->ops->name);
		return;
	}
	f->dead = 1;	/* nothing answers */
	bus_logf(b, BUS_LOG_INFO, "fault: cable pulled at access %llu: bus floats at FFh from now on",
		 (unsigned long long)f->st.accesses);
}

/* The user's Ctrl-Cs: one per due access, also when a bulk transfer went past it; and kill -9. */
static void sigint_check(struct fault *f)
{
	if (f->cfg.kill_at && f->st.accesses >= f->cfg.kill_at)
		raise(SIGKILL);
	while (f->cfg.sigint_at && f->sigints_sent < f->cfg.sigints && f->st.accesses >= f->sigint_next) {
		f->sigints_sent++;
		f->sigint_next += f->cfg.sigint_gap;
		raise(SIGINT);
	}
}

/* Count one access; the power goes just before access number power_at. */
static void tick(struct bus *b)
{
	struct fault *f = F(b);

	if (++f->st.accesses == f->cfg.power_at)
		power_cut(b);
	if (f->st.accesses == f->cfg.unplug_at && !f->dead)
		unplug(b);
	/* A floating bus still takes a bus cycle: time goes on, so timeouts end. */
	if (f->dead)
		bus_delay_ns(f->in, DEAD_CYCLE_NS);
	sigint_check(f);
}

/* Accesses that can pass before the next cut (power or cable), out of n. */
static size_t before_cut(const struct fault *f, size_t n)
{
	const uint64_t at[2] = { f->cfg.power_at, f->cfg.unplug_at };

	for (int i = 0; i < 2; i++)
		if (at[i] && f->st.accesses < at[i] && at[i] - f->st.accesses - 1 < n)
			n = (size_t)(at[i] - f->st.accesses - 1);
	return n;
}

static uint32_t flip(struct bus *b, uint32_t v, unsigned bits, uint16_t port)
{
	struct fault *f = F(b);
	unsigned bit;

	if (!chance(f, f->cfg.flip_ppm))
		return v;
	bit = (unsigned)(splitmix64(&f->rng) % bits);
	f->st.flips++;
	bus_logf(b, BUS_LOG_DBG, "fault: access %llu: bit %u flipped in %s read",
		 (unsigned long long)f->st.accesses, bit, bus_port_name(b, port, 0));
	return v ^ (1u << bit);
}

static int dropped(struct bus *b, uint16_t port)
{
	struct fault *f = F(b);

	if (f->dead) {
		f->st.dead_writes++;
		return 1;
	}
	if (!chance(f, f->cfg.drop_ppm))
		return 0;
	f->st.drops++;
	bus_logf(b, BUS_LOG_DBG, "fault: access %llu: %s write dropped",
		 (unsigned long long)f->st.accesses, bus_port_name(b, port, 1));
	return 1;
}

static int is_status(const struct bus *b, uint16_t port)
{
	for (int i = 0; i < b->nchans; i++)
		if (port == b->chans[i].cmd + ATA_STATUS_OFF || port == b->chans[i].ctl)
			return 1;
	return 0;
}

static int stuck(struct bus *b, uint16_t port)
{
	struct fault *f = F(b);
	uint64_t now;

	if (!is_status(b, port) || (!f->cfg.busy_ppm && !f->busy_until))
		return 0;
	now = bus_now_ns(f->in);
	if (now < f->busy_until) {
		f->st.busy_reads++;
		return 1;
	}
	if (!chance(f, f->cfg.busy_ppm))
		return 0;
	f->busy_until = now + f->cfg.busy_ns;
	f->st.busy_starts++;
	f->st.busy_reads++;
	bus_logf(b, BUS_LOG_DBG, "fault: access %llu: BSY stuck for %llu ns",
		 (unsigned long long)f->st.accesses, (unsigned long long)f->cfg.busy_ns);
	return 1;
}

static uint8_t fault_inb(struct bus *b, uint16_t port)
{
	struct fault *f = F(b);
	uint8_t v;

	tick(b);
	if (f->dead) {
		f->st.dead_reads++;
		return 0xff;
	}
	v = bus_inb(f->in, port);
	sync_err(b);
	if (stuck(b, port))
		v = STUCK_STATUS;
	else if (is_status(b, port) && chance(f, f->cfg.err_ppm)) {
		v |= ATA_ERR;
		f->st.errs++;
	}
	/* One chosen data byte wrong (a vendor-mode read returns its byte in a taskfile register). */
	if (f->cfg.flip_at && !f->flipped_at && f->st.accesses >= f->cfg.flip_at && !is_status(b, port)) {
		f->flipped_at = 1;
		f->st.flips++;
		bus_logf(b, BUS_LOG_DBG, "fault: access %llu: bit 0 flipped in %s read (flip_at)",
			 (unsigned long long)f->st.accesses, bus_port_name(b, port, 0));
		v ^= 1;
	}
	return (uint8_t)flip(b, v, 8, port);
}

static uint16_t fault_inw(struct bus *b, uint16_t port)
{
	struct fault *f = F(b);
	uint16_t v;

	tick(b);
	if (f->dead) {
		f->st.dead_reads++;
		return 0xffff;
	}
	v = bus_inw(f->in, port);
	sync_err(b);
	return (uint16_t)flip(b, v, 16, port);
}

static void fault_outb(struct bus *b, uint16_t port, uint8_t v)
{
	tick(b);
	if (!dropped(b, port)) {
		bus_outb(F(b)->in, port, v);
		sync_err(b);
	}
}

static void fault_outw(struct bus *b, uint16_t port, uint16_t v)
{
	tick(b);
	if (!dropped(b, port)) {
		bus_outw(F(b)->in, port, v);
		sync_err(b);
	}
}

/* Words before the cut go through in one inner insw; the cut word and dead words one by one. */
static void fault_insw(struct bus *b, uint16_t port, uint16_t *buf, size_t n)
{
	struct fault *f = F(b);
	size_t i = 0;

	while (i < n) {
		size_t k = f->dead ? 0 : before_cut(f, n - i);

		if (!k) {
			buf[i++] = fault_inw(b, port);
			continue;
		}
		bus_insw(f->in, port, buf + i, k);
		sync_err(b);
		for (size_t j = 0; j < k; j++) {
			f->st.accesses++;
			buf[i + j] = (uint16_t)flip(b, buf[i + j], 16, port);
		}
		sigint_check(f);
		i += k;
	}
}

static void fault_outsw(struct bus *b, uint16_t port, const uint16_t *buf, size_t n)
{
	struct fault *f = F(b);
	uint16_t keep[CHUNK];
	size_t nk = 0;

	for (size_t i = 0; i < n; i++) {
		/* a cut flushes what went before it to the powered drive */
		if (f->cfg.power_at && f->st.accesses + 1 == f->cfg.power_at && nk) {
			bus_outsw(f->in, port, keep, nk);
			nk = 0;
		}
		tick(b);
		if (dropped(b, port))
			continue;
		keep[nk++] = buf[i];
		if (nk == CHUNK) {
			bus_outsw(f->in, port, keep, nk);
			nk = 0;
		}
	}
	if (nk)
		bus_outsw(f->in, port, keep, nk);
	sync_err(b);
}

static void fault_delay_ns(struct bus *b, uint64_t ns)
{
	bus_delay_ns(F(b)->in, ns);
}

static uint64_t fault_now_ns(struct bus *b)
{
	return bus_now_ns(F(b)->in);
}

static void fault_cleanup(struct bus *b)
{
	struct fault *f = F(b);

	if (!f)
		return;
	bus_logf(b, BUS_LOG_INFO,
		 "fault: %llu accesses, %llu bits flipped, %llu writes dropped, %llu BSY stuck (%llu reads), %llu power cuts",
		 (unsigned long long)f->st.accesses, (unsigned long long)f->st.flips,
		 (unsigned long long)f->st.drops, (unsigned long long)f->st.busy_starts,
		 (unsigned long long)f->st.busy_reads, (unsigned long long)f->st.power_cuts);
	if (f->owned)
		bus_close(f->in);
	free(f);
	b->priv = NULL;
}

static int setup(struct bus *b, struct fault *f, struct bus *inner, const struct bus_fault_cfg *cfg)
{
	f->in = inner;
	f->cfg = *cfg;
	if (!f->cfg.busy_ns)
		f->cfg.busy_ns = BUSY_NS_DEF;
	f->rng = cfg->seed;
	f->sigint_next = cfg->sigint_at;
	b->priv = f;
	memcpy(b->chans, inner->chans, sizeof(b->chans));
	b->nchans = inner->nchans;
	return 0;
}

int bus_fault_attach(struct bus *b, struct bus *inner, const struct bus_fault_cfg *cfg)
{
	struct fault *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	b->ops = &bus_fault;
	return setup(b, f, inner, cfg);
}

const struct bus_fault_stats *bus_fault_stats(const struct bus *b)
{
	return &((const struct fault *)b->priv)->st;
}

struct bus *bus_fault_inner(struct bus *b)
{
	return F(b)->in;
}

static int ppm_param(struct bus *b, struct bus_params *p, const char *key, uint32_t *v)
{
	uint64_t x = *v;
	int ret = bus_param_u64(b, p, key, &x);

	if (ret)
		return ret;
	if (x > PPM) {
		bus_seterr(b, "parameter %s=%llu: at most %u (parts per million)", key,
			   (unsigned long long)x, PPM);
		return -EINVAL;
	}
	*v = (uint32_t)x;
	return 0;
}

void bus_spec_next_run(const char *spec, char *out, size_t len)
{
	static const char *const once[] = { "power_at=", "unplug_at=", "flip_at=", "sigint_at=", "sigints=",
					    "sigint_gap=", "kill_at=" };
	size_t n;

	if (strncmp(spec, "fault:", 6)) {
		snprintf(out, len, "%s", spec);
		return;
	}
	n = (size_t)snprintf(out, len, "fault:");
	/* the fault's own keys are split by ',' (the inner spec uses '+') */
	for (const char *t = spec + 6; *t && n < len; ) {
		size_t k = strcspn(t, ","), i;

		for (i = 0; i < sizeof(once) / sizeof(once[0]); i++)
			if (!strncmp(t, once[i], strlen(once[i])))
				break;
		if (i == sizeof(once) / sizeof(once[0]))
			n += (size_t)snprintf(out + n, len - n, "%s%.*s", out[n - 1] == ':' ? "" : ",", (int)k, t);
		t += k + (t[k] == ',');
	}
}

static int fault_init(struct bus *b, struct bus_params *p)
{
	struct bus_fault_cfg cfg = { .seed = 1, .busy_ns = BUSY_NS_DEF, .sigints = 1,
				      .sigint_gap = 100000 };
	const char *inner = bus_param_take(p, "inner");
	uint32_t rate = 0;
	uint64_t hw = 0;
	char *spec, name[16];
	struct fault *f;
	int ret;

	if ((ret = bus_param_u64(b, p, "seed", &cfg.seed)) ||
	    (ret = ppm_param(b, p, "rate", &rate)))
		return ret;
	cfg.flip_ppm = cfg.drop_ppm = cfg.busy_ppm = rate;
	if ((ret = ppm_param(b, p, "flip", &cfg.flip_ppm)) ||
	    (ret = ppm_param(b, p, "drop", &cfg.drop_ppm)) ||
	    (ret = ppm_param(b, p, "busy", &cfg.busy_ppm)) ||
	    (ret = bus_param_u64(b, p, "busy_ns", &cfg.busy_ns)) ||
	    (ret = bus_param_u64(b, p, "flip_at", &cfg.flip_at)) ||
	    (ret = bus_param_u64(b, p, "power_at", &cfg.power_at)) ||
	    (ret = bus_param_u64(b, p, "unplug_at", &cfg.unplug_at)) ||
	    (ret = ppm_param(b, p, "err", &cfg.err_ppm)) ||
	    (ret = bus_param_u64(b, p, "sigint_at", &cfg.sigint_at)) ||
	    (ret = bus_param_u64(b, p, "sigints", &cfg.sigints)) ||
	    (ret = bus_param_u64(b, p, "sigint_gap", &cfg.sigint_gap)) ||
	    (ret = bus_param_u64(b, p, "kill_at", &cfg.kill_at)) ||
	    (ret = bus_param_u64(b, p, "hw", &hw)))
		return ret;
	if (!cfg.sigint_gap) {
		bus_seterr(b, "sigint_gap=0: the gap between two SIGINTs is at least 1 access");
		return -EINVAL;
	}
	if (!inner || !*inner)
		inner = "sim";
	/* the inner spec is a -p spec with '+' where its commas would be */
	spec = strdup(inner);
	if (!spec)
		return -ENOMEM;
	for (char *s = spec; *s; s++)
		if (*s == '+')
			*s = ',';
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(spec, ":"), spec);
	if (!strcmp(name, "ioport") && !hw) {
		bus_seterr(b, "fault: refusing to inject faults into real ports (inner=ioport) without hw=1");
		free(spec);
		return -ECANCELED;	/* a safety check said no (exit 5) */
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		free(spec);
		return -ENOMEM;
	}
	f->own.log = b->log;
	f->own.ctx = b->ctx;
	ret = bus_open(&f->own, spec, b->chans, b->nchans);
	free(spec);
	if (ret) {
		bus_seterr(b, "fault: inner backend: %s", f->own.errmsg);
		free(f);
		return ret;
	}
	f->owned = 1;
	return setup(b, f, &f->own, &cfg);
}

const struct bus_ops bus_fault = {
	.name = "fault",
	.help =
		"inner=SPEC  backend to wrap, a -p spec with '+' between its own parameters (sim)\n"
		"seed=N  seed of the fault sequence (1)\n"
		"rate=PPM  default for flip=, drop= and busy=, in parts per million (0)\n"
		"flip=PPM  chance per value read (inb/inw, each insw word) of one flipped bit (rate)\n"
		"flip_at=N  bit 0 flipped in the first byte read at or after access N that is not a status (0: never)\n"
		"drop=PPM  chance per write (outb/outw, each outsw word) that it is lost (rate)\n"
		"busy=PPM  chance per status/altstatus read that BSY sticks (rate)\n"
		"busy_ns=NS  how long a stuck BSY lasts on the bus clock (1000000000)\n"
		"power_at=N  power cut before register access N: sim loses power, others float at FFh (0: never)\n"
		"unplug_at=N  the cable pulled before access N: the bus floats (behind hba=ahci the SATA link\n"
		"             drops), the drive is not told (0: never)\n"
		"err=PPM  chance per status/altstatus read of a spurious ERR bit (0)\n"
		"sigint_at=N  the user's Ctrl-C: SIGINT at register access N (0: never)\n"
		"sigints=K  K of them (1), sigint_gap=N accesses apart (100000)\n"
		"kill_at=N  SIGKILL at register access N, as kill -9 or a crash (0: never)\n"
		"hw=1  allow inner=ioport: faults on real hardware can brick a drive (0)\n",
	.init = fault_init,
	.cleanup = fault_cleanup,
	.inb = fault_inb,
	.outb = fault_outb,
	.inw = fault_inw,
	.outw = fault_outw,
	.insw = fault_insw,
	.outsw = fault_outsw,
	.delay_ns = fault_delay_ns,
	.now_ns = fault_now_ns,
};
