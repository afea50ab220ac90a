/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Register-level backends: one const struct bus_ops per file, selected with
 * -p NAME[:key=value,...] (the shape of pciutils' pci_methods and flashrom's
 * programmers). Everything above this layer (ata.c, atapi.c, mtk.c) only
 * calls the bus_* wrappers below, so the simulator, QEMU's qtest socket and
 * real ports are interchangeable.
 */
#ifndef ODRESCUE_BUS_H
#define ODRESCUE_BUS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define BUS_MAX_PARAMS	16
#define BUS_MAX_CHANS	2
#define BUS_ERRLEN	256

/* Legacy ISA channel bases (ATA/ATAPI-7 vol. 2, PC/AT convention). */
#define ATA_PRIMARY_CMD		0x1f0
#define ATA_PRIMARY_CTL		0x3f6
#define ATA_SECONDARY_CMD	0x170
#define ATA_SECONDARY_CTL	0x376

/* One IDE channel: 8 command-block ports at cmd, Device Control at ctl. */
struct ata_chan {
	uint16_t cmd;
	uint16_t ctl;
};

/* -p NAME:k=v,... parameters; a backend takes what it knows, leftovers are fatal. */
struct bus_params {
	int n;
	struct {
		char *key;
		char *val;
		int used;
	} kv[BUS_MAX_PARAMS];
};

enum bus_log_level { BUS_LOG_ERR, BUS_LOG_WARN, BUS_LOG_INFO, BUS_LOG_DBG };

enum bus_op { BUS_INB, BUS_OUTB, BUS_INW, BUS_OUTW, BUS_INSW, BUS_OUTSW, BUS_INSL, BUS_OUTSL };

struct bus;

struct bus_ops {
	const char *name;
	const char *help;	/* one line per parameter: "key=VAL  meaning (default)" */
	/*
	 * Consume own parameters with bus_param_take(), then get access to
	 * b->chans[0..nchans-1] (a backend may replace them, e.g. base=/ctl=).
	 * On failure fill b->errmsg and return -errno; nothing was touched.
	 */
	int (*init)(struct bus *b, struct bus_params *p);
	void (*cleanup)(struct bus *b);
	uint8_t (*inb)(struct bus *b, uint16_t port);
	void (*outb)(struct bus *b, uint16_t port, uint8_t val);
	uint16_t (*inw)(struct bus *b, uint16_t port);
	void (*outw)(struct bus *b, uint16_t port, uint16_t val);
	void (*insw)(struct bus *b, uint16_t port, uint16_t *buf, size_t count);
	void (*outsw)(struct bus *b, uint16_t port, const uint16_t *buf, size_t count);
	/*
	 * Optional: 32-bit string I/O on the data port, which a PCI IDE
	 * controller splits into two 16-bit drive cycles (ata_sff_data_xfer32).
	 * count is in dwords, two words of buf each, the low one first. A
	 * backend with these takes pio32= and sets b->pio32.
	 */
	void (*insl)(struct bus *b, uint16_t port, uint16_t *buf, size_t count);
	void (*outsl)(struct bus *b, uint16_t port, const uint16_t *buf, size_t count);
	void (*delay_ns)(struct bus *b, uint64_t ns);	/* sleep or spin; virtual on sim */
	uint64_t (*now_ns)(struct bus *b);		/* monotonic; virtual on sim */
	/* Optional: lose power now (sim: flash work left half done); fault's power_at= */
	void (*power_cut)(struct bus *b, uint32_t seed);
	/*
	 * Optional: the cable pulled now, the drive not told; fault's
	 * unplug_at=. 0: the backend models it (a SATA link drops);
	 * -EOPNOTSUPP: the bus floats, as a parallel cable leaves it.
	 */
	int (*unplug)(struct bus *b);
};

struct bus_stats {
	uint64_t reads;		/* register reads (inb/inw, each word of insw, dword of insl) */
	uint64_t writes;	/* register writes */
	uint64_t bytes_in;	/* bytes moved through the data port */
	uint64_t bytes_out;
};

struct bus {
	const struct bus_ops *ops;
	void *priv;
	struct ata_chan chans[BUS_MAX_CHANS];	/* channels the caller will use */
	int nchans;
	int error;			/* sticky transport error (-EIO: QEMU died) */
	char errmsg[BUS_ERRLEN];	/* why init or the transport failed */
	struct bus_stats stats;
	int pio32;			/* data port in dwords: 1 yes, 0 no, -1 the caller decides */
	int virtual_clock;		/* time moves only when delay_ns is called (sim clock=virtual) */
	/* Set by src/: hw/ never prints. */
	void (*trace)(void *ctx, enum bus_op op, uint16_t port, uint32_t val, size_t count);
	void (*log)(void *ctx, enum bus_log_level lvl, const char *msg);
	void *ctx;
};

extern const struct bus_ops bus_ioport;
extern const struct bus_ops bus_qtest;
extern const struct bus_ops bus_sim;
extern const struct bus_ops bus_fault;
extern const struct bus_ops *const bus_backends[];	/* NULL-terminated */

const struct bus_ops *bus_find(const char *name);

/* Split "k=v,k=v" into p (the string is modified and must outlive p). */
int bus_params_parse(struct bus_params *p, char *s);
/* Value of key, marking it used; NULL if absent. */
const char *bus_param_take(struct bus_params *p, const char *key);
/* Parse helpers for backends: return 0 or -EINVAL with b->errmsg set. */
int bus_param_u64(struct bus *b, struct bus_params *p, const char *key, uint64_t *v);
/* pio32=0|1 into b->pio32, def when absent. */
int bus_param_pio32(struct bus *b, struct bus_params *p, int def);

/*
 * Open backend "name:params" for the given channels. On failure b->errmsg
 * says why (unknown backend, bad or leftover parameter, permission).
 */
int bus_open(struct bus *b, const char *spec, const struct ata_chan *chans, int nchans);
void bus_close(struct bus *b);

void bus_seterr(struct bus *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void bus_logf(struct bus *b, enum bus_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Register names for traces: "status", "lbam", "devctl"... of the channel holding port. */
const char *bus_port_name(const struct bus *b, uint16_t port, int is_write);

static inline uint8_t bus_inb(struct bus *b, uint16_t port)
{
	uint8_t v = b->ops->inb(b, port);

	b->stats.reads++;
	if (b->trace)
		b->trace(b->ctx, BUS_INB, port, v, 1);
	return v;
}

static inline void bus_outb(struct bus *b, uint16_t port, uint8_t v)
{
	if (b->trace)
		b->trace(b->ctx, BUS_OUTB, port, v, 1);
	b->stats.writes++;
	b->ops->outb(b, port, v);
}

static inline uint16_t bus_inw(struct bus *b, uint16_t port)
{
	uint16_t v = b->ops->inw(b, port);

	b->stats.reads++;
	b->stats.bytes_in += 2;
	if (b->trace)
		b->trace(b->ctx, BUS_INW, port, v, 1);
	return v;
}

static inline void bus_outw(struct bus *b, uint16_t port, uint16_t v)
{
	if (b->trace)
		b->trace(b->ctx, BUS_OUTW, port, v, 1);
	b->stats.writes++;
	b->stats.bytes_out += 2;
	b->ops->outw(b, port, v);
}

static inline void bus_insw(struct bus *b, uint16_t port, uint16_t *buf, size_t n)
{
	b->ops->insw(b, port, buf, n);
	b->stats.reads += n;
	b->stats.bytes_in += 2 * n;
	if (b->trace)
		b->trace(b->ctx, BUS_INSW, port, n ? buf[0] : 0, n);
}

static inline void bus_outsw(struct bus *b, uint16_t port, const uint16_t *buf, size_t n)
{
	if (b->trace)
		b->trace(b->ctx, BUS_OUTSW, port, n ? buf[0] : 0, n);
	b->stats.writes += n;
	b->stats.bytes_out += 2 * n;
	b->ops->outsw(b, port, buf, n);
}

static inline void bus_insl(struct bus *b, uint16_t port, uint16_t *buf, size_t n)
{
	b->ops->insl(b, port, buf, n);
	b->stats.reads += n;
	b->stats.bytes_in += 4 * n;
	if (b->trace)
		b->trace(b->ctx, BUS_INSL, port, n ? (uint32_t)buf[0] | (uint32_t)buf[1] << 16 : 0, n);
}

static inline void bus_outsl(struct bus *b, uint16_t port, const uint16_t *buf, size_t n)
{
	if (b->trace)
		b->trace(b->ctx, BUS_OUTSL, port, n ? (uint32_t)buf[0] | (uint32_t)buf[1] << 16 : 0, n);
	b->stats.writes += n;
	b->stats.bytes_out += 4 * n;
	b->ops->outsl(b, port, buf, n);
}

static inline void bus_delay_ns(struct bus *b, uint64_t ns)
{
	b->ops->delay_ns(b, ns);
}

static inline uint64_t bus_now_ns(struct bus *b)
{
	return b->ops->now_ns(b);
}

#endif
