/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Backend registry, -p parameter handling and trace names. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/bus.h"

const struct bus_ops *const bus_backends[] = {
	/* Each backend's owner adds its line here. */
	&bus_ioport,
	&bus_qtest,
	&bus_sim,
	&bus_fault,
	NULL,
};

const struct bus_ops *bus_find(const char *name)
{
	for (int i = 0; bus_backends[i]; i++)
		if (!strcmp(bus_backends[i]->name, name))
			return bus_backends[i];
	return NULL;
}

void bus_seterr(struct bus *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->errmsg, sizeof(b->errmsg), fmt, ap);
	va_end(ap);
}

void bus_logf(struct bus *b, enum bus_log_level lvl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!b->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	b->log(b->ctx, lvl, msg);
}

int bus_params_parse(struct bus_params *p, char *s)
{
	memset(p, 0, sizeof(*p));
	if (!s || !*s)
		return 0;
	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		char *eq = strchr(tok, '=');

		if (p->n == BUS_MAX_PARAMS)
			return -E2BIG;
		if (eq)
			*eq = '\0';
		p->kv[p->n].key = tok;
		p->kv[p->n].val = eq ? eq + 1 : tok + strlen(tok);
		p->n++;
	}
	return 0;
}

const char *bus_param_take(struct bus_params *p, const char *key)
{
	const char *val = NULL;

	/* The last occurrence wins, but every occurrence counts as consumed. */
	for (int i = 0; i < p->n; i++) {
		if (!strcmp(p->kv[i].key, key)) {
			p->kv[i].used = 1;
			val = p->kv[i].val;
		}
	}
	return val;
}

int bus_param_u64(struct bus *b, struct bus_params *p, const char *key, uint64_t *v)
{
	const char *s = bus_param_take(p, key);
	char *end;
	unsigned long long x;

	if (!s)
		return 0;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (!*s || *end || errno || *s == '-') {
		bus_seterr(b, "parameter %s=%s is not a number", key, s);
		return -EINVAL;
	}
	*v = x;
	return 0;
}

int bus_param_pio32(struct bus *b, struct bus_params *p, int def)
{
	const char *s = bus_param_take(p, "pio32");

	if (s && strcmp(s, "0") && strcmp(s, "1")) {
		bus_seterr(b, "pio32=%s: 1 moves data in 32-bit units, 0 in 16-bit ones", s);
		return -EINVAL;
	}
	b->pio32 = s ? *s == '1' : def;
	return 0;
}

int bus_open(struct bus *b, const char *spec, const struct ata_chan *chans, int nchans)
{
	char name[64], *params = NULL;
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	struct bus_params p;
	int ret;

	b->errmsg[0] = '\0';
	if (len >= sizeof(name)) {
		bus_seterr(b, "backend name too long");
		return -EINVAL;
	}
	memcpy(name, spec, len);
	name[len] = '\0';
	b->ops = bus_find(name);
	if (!b->ops) {
		bus_seterr(b, "unknown backend '%s' (-p help lists them)", name);
		return -EINVAL;
	}
	if (nchans > BUS_MAX_CHANS)
		nchans = BUS_MAX_CHANS;
	memcpy(b->chans, chans, sizeof(*chans) * (size_t)nchans);
	b->nchans = nchans;
	b->pio32 = 0;
	b->virtual_clock = 0;

	params = strdup(colon ? colon + 1 : "");
	if (!params)
		return -ENOMEM;
	ret = bus_params_parse(&p, params);
	if (ret) {
		bus_seterr(b, "too many parameters for backend %s", name);
		goto out;
	}
	/*
	 * Leftover parameters are checked before init, which is the first
	 * thing allowed to touch hardware: so each backend declares its keys
	 * by taking them in a dry pass through its help text.
	 */
	for (int i = 0; i < p.n; i++) {
		char pat[80];

		snprintf(pat, sizeof(pat), "%s=", p.kv[i].key);
		if (!b->ops->help || !strstr(b->ops->help, pat)) {
			bus_seterr(b, "unknown parameter '%s' for backend %s (-p help lists them)",
				   p.kv[i].key, name);
			ret = -EINVAL;
			goto out;
		}
	}
	ret = b->ops->init(b, &p);
	if (ret)
		goto out;
	if (!b->ops->insl || !b->ops->outsl)
		b->pio32 = 0;
	for (int i = 0; i < p.n; i++) {
		if (!p.kv[i].used) {
			bus_seterr(b, "unhandled parameter '%s' for backend %s", p.kv[i].key, name);
			b->ops->cleanup(b);
			ret = -EINVAL;
			goto out;
		}
	}
out:
	free(params);
	if (ret)
		b->ops = NULL;
	return ret;
}

void bus_close(struct bus *b)
{
	if (b->ops && b->ops->cleanup)
		b->ops->cleanup(b);
	b->ops = NULL;
}

const char *bus_port_name(const struct bus *b, uint16_t port, int is_write)
{
	static const char *const rd[8] = { "data", "error", "nsect", "lbal", "lbam", "lbah", "device", "status" };
	static const char *const wr[8] = { "data", "feature", "nsect", "lbal", "lbam", "lbah", "device", "command" };

	for (int i = 0; i < b->nchans; i++) {
		if (port >= b->chans[i].cmd && port < b->chans[i].cmd + 8)
			return (is_write ? wr : rd)[port - b->chans[i].cmd];
		if (port == b->chans[i].ctl)
			return is_write ? "devctl" : "altstatus";
	}
	return "?";
}
