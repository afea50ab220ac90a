/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Record what odrescue puts on one channel and hold it against a table from the record (conform.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/conform.h"

void cf_add(struct cf_seq *s, const char *what, const struct cf_acc *t, size_t n,
	    const struct cf_args *a, unsigned min, unsigned max)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->it = realloc(s->it, s->cap * sizeof(*s->it));
		ck_assert_ptr_nonnull(s->it);
	}
	s->it[s->n++] = (struct cf_item){ what, t, n, a ? *a : (struct cf_args){ 0 }, min, max };
}

void cf_seq_free(struct cf_seq *s)
{
	free(s->it);
	memset(s, 0, sizeof(*s));
}

static void push(struct cf_rec *r, struct cf_got g)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->g = realloc(r->g, r->cap * sizeof(*r->g));
		ck_assert_ptr_nonnull(r->g);
	}
	r->g[r->n++] = g;
}

static void cf_trace(void *ctx, enum bus_op op, uint16_t port, uint32_t val, size_t count)
{
	static const uint8_t width[] = { [BUS_INB] = 8, [BUS_OUTB] = 8, [BUS_INW] = 16, [BUS_OUTW] = 16,
					 [BUS_INSW] = 16, [BUS_OUTSW] = 16, [BUS_INSL] = 32, [BUS_OUTSL] = 32 };
	struct cf_rec *r = ctx;
	int wr = op == BUS_OUTB || op == BUS_OUTW || op == BUS_OUTSW || op == BUS_OUTSL;
	uint8_t reg;

	if (port >= r->ch.cmd && port < r->ch.cmd + 8)
		reg = (uint8_t)(port - r->ch.cmd);
	else if (port == r->ch.ctl)
		reg = CF_REG_CTL;
	else
		return;		/* the other channel */
	push(r, (struct cf_got){ wr ? CF_WR : CF_RD, reg, width[op], val, count });
}

static void cf_delay(struct bus *b, uint64_t ns)
{
	struct cf_rec *r = b->ctx;

	push(r, (struct cf_got){ CF_WAIT, 0, 0, (uint32_t)(ns > UINT32_MAX ? UINT32_MAX : ns), 1 });
	r->inner->delay_ns(b, ns);
}

void cf_rec_start(struct cf_rec *r, struct bus *b, const struct ata_chan *ch)
{
	memset(r, 0, sizeof(*r));
	r->b = b;
	r->ch = *ch;
	r->inner = b->ops;
	r->ops = *b->ops;
	r->ops.delay_ns = cf_delay;
	r->trace = b->trace;
	r->ctx = b->ctx;
	b->ops = &r->ops;
	b->trace = cf_trace;
	b->ctx = r;
}

void cf_rec_stop(struct cf_rec *r)
{
	r->b->ops = r->inner;
	r->b->trace = r->trace;
	r->b->ctx = r->ctx;
}

void cf_rec_free(struct cf_rec *r)
{
	free(r->g);
	r->g = NULL;
	r->n = r->cap = 0;
}

static const char *reg_name(uint8_t reg, int wr)
{
	static const char *const rd[9] = { "data", "error", "nsect", "lbal", "lbam", "lbah", "device", "status",
					   "altstatus" };
	static const char *const wrn[9] = { "data", "feature", "nsect", "lbal", "lbam", "lbah", "device",
					    "command", "devctl" };

	return reg < 9 ? (wr ? wrn : rd)[reg] : "?";
}

static uint32_t resolve(uint32_t v, const struct cf_args *a)
{
	switch (v) {
	case CF_SEL: return a->sel;
	case CF_SEL_BANK: return a->sel | ((a->addr >> 16) & 0x0f);
	case CF_ADDR_LO: return a->addr & 0xff;
	case CF_ADDR_HI: return (a->addr >> 8) & 0xff;
	case CF_DATA: return a->data;
	}
	if (v >= CF_ARG0 && v < CF_ARG0 + CF_NARGS)
		return a->arg[v - CF_ARG0];
	return v;
}

static int got_str(char *buf, size_t len, const struct cf_got *g)
{
	if (g->dir == CF_WAIT)
		return snprintf(buf, len, "wait %.3f ms", g->val / 1e6);
	if (g->count > 1)
		return snprintf(buf, len, "%s %s x%zu (%u-bit)", g->dir == CF_WR ? "write" : "read",
				reg_name(g->reg, g->dir == CF_WR), g->count, g->width);
	return snprintf(buf, len, "%s %s=%02Xh%s", g->dir == CF_WR ? "write" : "read",
			reg_name(g->reg, g->dir == CF_WR), (unsigned)g->val, g->width != 8 ? " (16-bit)" : "");
}

static int want_str(char *buf, size_t len, const struct cf_acc *e, const struct cf_args *a)
{
	uint32_t v = resolve(e->val, a);

	switch (e->dir) {
	case CF_WAIT:
		return snprintf(buf, len, "a wait of at least %u ms", (unsigned)e->val);
	case CF_WR:
		return snprintf(buf, len, "write %s=%02Xh", reg_name(e->reg, 1), (unsigned)v);
	}
	if (v == CF_ANY)
		return snprintf(buf, len, "%s %s", e->dir == CF_POLL ? "poll" : "read", reg_name(e->reg, 0));
	return snprintf(buf, len, "%s %s until %02Xh", e->dir == CF_POLL ? "poll" : "read", reg_name(e->reg, 0),
			(unsigned)v);
}

struct matcher {
	const struct cf_rec *r;
	/* the first access that differs, and what the record has there */
	size_t at;
	const struct cf_acc *want;
	const struct cf_item *item;
	const char *extra;
};

static size_t skip_waits(const struct cf_rec *r, size_t p)
{
	while (p < r->n && r->g[p].dir == CF_WAIT)
		p++;
	return p;
}

static int is_read(const struct cf_rec *r, size_t p, uint8_t reg)
{
	return p < r->n && r->g[p].dir == CF_RD && r->g[p].reg == reg;
}

/* One table entry at p; the new position, or SIZE_MAX with m->at etc. set. */
static size_t match_one(struct matcher *m, const struct cf_item *it, const struct cf_acc *e, size_t p)
{
	const struct cf_rec *r = m->r;
	uint32_t v = resolve(e->val, &it->a);
	uint64_t ns = 0;
	size_t q;

	m->want = e;
	m->item = it;
	m->extra = NULL;
	if (e->dir == CF_WAIT) {
		for (q = p; q < r->n && r->g[q].dir == CF_WAIT; q++)
			ns += r->g[q].val;
		if (ns >= (uint64_t)e->val * 1000000u)
			return q;
		m->at = q;
		m->extra = ns ? "the wait before it is shorter" : "no wait before it";
		return SIZE_MAX;
	}
	p = skip_waits(r, p);
	m->at = p;
	if (p >= r->n)
		return SIZE_MAX;
	if (e->dir == CF_WR)
		return r->g[p].dir == CF_WR && r->g[p].reg == e->reg && r->g[p].val == v ? p + 1 : SIZE_MAX;
	if (!is_read(r, p, e->reg))
		return SIZE_MAX;
	if (e->dir == CF_POLL)
		for (q = skip_waits(r, p + 1); is_read(r, q, e->reg); q = skip_waits(r, q + 1))
			p = q;
	m->at = p;
	if (v != CF_ANY && (r->g[p].val & 0xff) != v) {
		m->extra = "the value differs";
		return SIZE_MAX;
	}
	return p + 1;
}

static size_t match_item_once(struct matcher *m, const struct cf_item *it, size_t p)
{
	for (size_t k = 0; k < it->n && p != SIZE_MAX; k++)
		p = match_one(m, it, &it->t[k], p);
	return p;
}

static void explain(const struct matcher *m, char *why, size_t len)
{
	const struct cf_rec *r = m->r;
	size_t n = 0, from;
	char s[96];
	int k;

	if (m->at < r->n) {
		got_str(s, sizeof(s), &r->g[m->at]);
		n += (size_t)snprintf(why + n, len - n, "access %zu differs: odrescue did %s", m->at, s);
	} else {
		n += (size_t)snprintf(why + n, len - n, "odrescue stopped after %zu accesses", r->n);
	}
	if (m->want) {
		want_str(s, sizeof(s), m->want, &m->item->a);
		n += (size_t)snprintf(why + n, len - n, "; the record has %s (%s, in %s)%s%s", s, m->want->src,
				      m->item->what, m->extra ? ": " : "", m->extra ? m->extra : "");
	} else {
		n += (size_t)snprintf(why + n, len - n, "; the record has nothing more");
	}
	/* a few accesses before it, for context */
	for (from = m->at, k = 0; from > 0 && k < 4; k++)
		from--;
	if (from < m->at && n < len)
		n += (size_t)snprintf(why + n, len - n, "\n  before it:");
	for (size_t i = from; i < m->at && i < r->n && n < len; i++) {
		got_str(s, sizeof(s), &r->g[i]);
		n += (size_t)snprintf(why + n, len - n, "%s %s", i > from ? "," : "", s);
	}
}

int cf_match(const struct cf_seq *s, const struct cf_rec *r, char *why, size_t len)
{
	struct matcher m = { .r = r };
	size_t p = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct cf_item *it = &s->it[i];
		unsigned min = it->min ? it->min : 1, max = it->max ? it->max : min;
		unsigned times = 0;

		while (times < max) {
			size_t q = match_item_once(&m, it, p);

			if (q == SIZE_MAX)
				break;
			p = q;
			times++;
		}
		if (times < min) {
			explain(&m, why, len);
			return -1;
		}
	}
	p = skip_waits(r, p);
	if (p < r->n) {
		m = (struct matcher){ .r = r, .at = p };
		explain(&m, why, len);
		return -1;
	}
	return 0;
}

void cf_check(const struct cf_seq *s, const struct cf_rec *r)
{
	char why[2048];

	if (cf_match(s, r, why, sizeof(why)))
		ck_abort_msg("not as the record: %s", why);
}
