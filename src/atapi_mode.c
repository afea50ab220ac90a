/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ATAPI mode: choosing SG_IO or raw PACKET for a position, and refusing what SG_IO cannot carry. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw/pt_sgio.h"
#include "hw/scsi.h"
#include "src/atapi_mode.h"
#include "src/atapi_sysfs.h"

#define ARGV_MAX	64

const struct sgio_sys *atapi_sgio_sys;

static int backend_is_sg(const char *b)
{
	return b && !strncmp(b, "sg", 2) && (b[2] == '\0' || b[2] == ':');
}

int atapi_mode_selected(const struct ctx *c)
{
	return c->o.atapi || backend_is_sg(c->o.backend);
}

void atapi_mode_help(FILE *f)
{
	fprintf(f, "\n  sg (ATAPI mode: the kernel's SG_IO on /dev/srN or /dev/sgN; POS is the node)\n"
		"    dev=NODE  the drive, e.g. /dev/sr0; then POS may be left out\n"
		"    (scan --atapi lists the drives the kernel knows and their raw positions)\n"
		"  (-p sim:hba=sat[,host=ata_piix],... puts the simulator's drives behind a modelled kernel\n"
		"   SG_IO device: /dev/sgN is position N+1, /dev/srN the (N+1)th CD/DVD drive)\n");
}

int atapi_mode_args(struct ctx *c, const struct command *cmd, int *argc, char ***argv)
{
	static char *nargv[ARGV_MAX + 1];
	static char spec[512];
	const char *dev;
	struct bus_params p;
	struct position pos;

	if (!backend_is_sg(c->o.backend))
		return 0;
	if (strlen(c->o.backend) >= sizeof(spec)) {
		err_msg(c, "-p sg: parameters too long");
		return -EINVAL;
	}
	strcpy(spec, c->o.backend[2] == ':' ? c->o.backend + 3 : "");
	if (bus_params_parse(&p, spec)) {
		err_msg(c, "-p sg: too many parameters");
		return -EINVAL;
	}
	dev = bus_param_take(&p, "dev");
	for (int i = 0; i < p.n; i++) {
		if (!p.kv[i].used) {
			err_msg(c, "unknown parameter '%s' for -p sg (it takes dev=NODE)", p.kv[i].key);
			return -EINVAL;
		}
	}
	if (dev && strncmp(dev, "/dev/", 5)) {
		err_msg(c, "-p sg:dev=%s: name a device node such as /dev/sr0", dev);
		return -EINVAL;
	}
	if (strncmp(cmd->args, "POS", 3))
		return 0;
	if (*argc > 0 && !strncmp((*argv)[0], "/dev/", 5)) {
		if (dev && strcmp(dev, (*argv)[0])) {
			err_msg(c, "-p sg:dev=%s and position %s name two drives", dev, (*argv)[0]);
			return -EINVAL;
		}
		return 0;
	}
	if (*argc > 0 && !position_parse((*argv)[0], &pos)) {
		err_msg(c, "position '%s' is a raw position; with -p sg the drive is a node (/dev/srN)%s",
			(*argv)[0], dev ? ", given by dev= already" : "");
		return -EINVAL;
	}
	if (!dev) {
		err_msg(c, "with -p sg, name the drive: odrescue -p sg:dev=/dev/srN %s, or odrescue %s /dev/srN "
			"(odrescue scan --atapi lists them)", cmd->name, cmd->name);
		return -EINVAL;
	}
	if (*argc + 1 > ARGV_MAX) {
		err_msg(c, "too many arguments");
		return -EINVAL;
	}
	nargv[0] = (char *)(uintptr_t)dev;
	for (int i = 0; i < *argc; i++)
		nargv[i + 1] = (*argv)[i];
	nargv[*argc + 1] = NULL;
	*argc += 1;
	*argv = nargv;
	return 0;
}

/* The outer pt: forward, and keep the command (its sense) for messages and RPC decisions. */
static int rec_exec(struct pt *pt, struct pt_cmd *cmd)
{
	struct atapi_target *t = pt->priv;
	int ret;

	t->lower.errmsg[0] = '\0';
	ret = pt_exec(&t->lower, cmd);
	t->last = *cmd;
	memcpy(pt->errmsg, t->lower.errmsg, sizeof(pt->errmsg));
	return ret;
}

static void rec_close(struct pt *pt)
{
	struct atapi_target *t = pt->priv;

	if (t->lower.ops)
		t->lower.ops->close(&t->lower);
	t->lower.ops = NULL;
}

static const struct pt_ops rec_ops = {
	.name = "recorded",
	.exec = rec_exec,
	.close = rec_close,
};

static int open_sg(struct ctx *c, const struct position *pos, unsigned flags, struct atapi_target *t)
{
	int ret = sgio_open(&t->lower, pos->node, flags & SGIO_EXCL, atapi_sgio_sys);

	if (ret) {
		err_msg(c, "%s", t->lower.errmsg);
		return ret;
	}
	t->sg = 1;
	t->node = pos->node;
	return 0;
}

static int open_raw(struct ctx *c, const struct position *pos, struct atapi_target *t)
{
	char name[64];
	int ret = c->bus_open ? 0 : ctx_open_bus(c, position_chan_mask(pos));

	if (ret)
		return ret;
	ctx_port(c, pos, &t->ap);
	t->dp.class = ATA_DEV_ATA;	/* IDENTIFY DEVICE first, as identify does */
	probe_device(&t->ap, pos->dev, &t->dp);
	atapi_target_name(t, name, sizeof(name));
	if (c->bus.error) {
		err_msg(c, "%s: %s", name, c->bus.errmsg);
		return c->bus.error;
	}
	if (t->dp.id_ret) {
		err_msg(c, "no device answers IDENTIFY at %s: %s", name, strerror(-t->dp.id_ret));
		return t->dp.id_ret == -ETIMEDOUT || t->dp.id_ret == -EIO ? -ENODEV : t->dp.id_ret;
	}
	if (t->dp.class != ATA_DEV_ATAPI) {
		err_msg(c, "%s holds an ATA disk ('%s'), not an ATAPI drive", name, t->dp.info.model);
		return -ENODEV;
	}
	atapi_pt_init(&t->lower, &t->ad, &t->ap, pos->dev);
	t->ad.cdb_len = t->dp.info.cdb_len;
	t->clock = &c->bus;
	return 0;
}

int atapi_target_open(struct ctx *c, const struct position *pos, unsigned sg_flags,
		      struct atapi_target *t)
{
	char name[64], why[160];
	int ret;

	memset(t, 0, sizeof(*t));
	t->pos = *pos;
	ret = pos->node ? open_sg(c, pos, sg_flags, t) : open_raw(c, pos, t);
	if (ret) {
		t->lower.ops = NULL;
		return ret;
	}
	t->pt.ops = &rec_ops;
	t->pt.priv = t;
	ret = mmc_inquiry(&t->pt, &t->inq);
	atapi_target_name(t, name, sizeof(name));
	if (ret) {
		err_msg(c, "INQUIRY on %s failed: %s", name, atapi_target_err(c, t, ret, why, sizeof(why)));
		atapi_target_close(t);
		return ret == -EIO || ret == -EPROTO ? -ENODEV : ret;
	}
	if (!(sg_flags & ATGT_ANY_TYPE) && t->inq.pdt != SCSI_TYPE_ROM) {
		err_msg(c, "%s is not a CD/DVD drive (INQUIRY peripheral type %02xh)", name, t->inq.pdt);
		atapi_target_close(t);
		return -ENODEV;
	}
	return 0;
}

void atapi_target_close(struct atapi_target *t)
{
	if (t->pt.ops)
		t->pt.ops->close(&t->pt);
	else if (t->lower.ops)
		t->lower.ops->close(&t->lower);
	t->pt.ops = NULL;
	t->lower.ops = NULL;
}

const char *atapi_target_name(const struct atapi_target *t, char *buf, size_t len)
{
	if (t->pos.node)
		snprintf(buf, len, "%s", t->pos.node);
	else if (t->pos.number)
		snprintf(buf, len, "position %d (%s)", t->pos.number, position_name(&t->pos));
	else
		snprintf(buf, len, "the %s", position_name(&t->pos));
	return buf;
}

const char *atapi_target_err(struct ctx *c, const struct atapi_target *t, int ret, char *buf, size_t len)
{
	if (ret == -EIO) {
		if (t->last.sense.valid)
			return scsi_sense_str(&t->last.sense, buf, len);
		if (!t->sg && t->last.sense.key) {
			snprintf(buf, len, "%s (sense key from the error register)",
				 scsi_sense_key_name(t->last.sense.key));
			return buf;
		}
		snprintf(buf, len, "CHECK CONDITION without sense data");
		return buf;
	}
	if (t->pt.errmsg[0])
		snprintf(buf, len, "%s", t->pt.errmsg);
	else if (!t->sg && c->bus.error && c->bus.errmsg[0])
		snprintf(buf, len, "%s", c->bus.errmsg);
	else
		snprintf(buf, len, "%s", strerror(-ret));
	return buf;
}

uint64_t atapi_target_now(const struct atapi_target *t)
{
	struct timespec ts;

	if (t->clock)
		return bus_now_ns(t->clock);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

void atapi_target_sleep(const struct atapi_target *t, uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / NSEC_PER_SEC), .tv_nsec = (long)(ns % NSEC_PER_SEC) };

	if (t->clock) {
		bus_delay_ns(t->clock, ns);
		return;
	}
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int atapi_mode_refuse_vendor(struct ctx *c, const char *cmd)
{
	err_msg(c, "%s needs the MediaTek vendor mode (ATA command 80h), which cannot travel through SG_IO: "
		"name the drive by its raw position (odrescue scan --atapi shows where each /dev/srN sits) "
		"and add --release to take the channel from the kernel's driver", cmd);
	return -EINVAL;
}

int atapi_mode_raw_node(struct ctx *c, const char *cmd, struct position *pos)
{
	static char spec[64];
	const char *node = pos->node;
	struct sg_drive d;
	char where[160];

	if (sg_sysfs_find(sg_sysfs_root(), node, &d)) {
		err_msg(c, "%s drives the IDE registers directly, which SG_IO cannot carry, and sysfs does "
			"not say where %s sits: name the drive by its raw position 1-4 (odrescue scan "
			"--atapi shows where each /dev/srN sits)", cmd, node);
		return -EINVAL;
	}
	sg_drive_where(&d, where, sizeof(where));
	if (d.position) {
		char num[2] = { (char)('0' + d.position), 0 };

		position_parse(num, pos);
		info_msg(c, 0, "%s is raw position %d (%s): %s goes to its IDE registers directly", node,
			 d.position, where, cmd);
		return 0;
	}
	/* A native-mode channel: its ports are the position, unless another backend was chosen. */
	if (d.cmd && (!c->o.backend || !strcmp(c->o.backend, "ioport"))) {
		snprintf(spec, sizeof(spec), "ioport:base=0x%x,ctl=0x%x", d.cmd, d.ctl);
		c->o.backend = spec;
		position_parse(d.dev ? "s" : "m", pos);
		info_msg(c, 0, "%s is the %s on the native channel at 0x%x (%s): %s uses -p %s", node,
			 d.dev ? "slave" : "master", d.cmd, where, cmd, spec);
		return 0;
	}
	if (d.cmd)
		err_msg(c, "%s is the %s on -p ioport:base=0x%x,ctl=0x%x (position %s), not on the backend "
			"given with -p", node, d.dev ? "slave" : "master", d.cmd, d.ctl, d.dev ? "s" : "m");
	else
		err_msg(c, "%s drives the IDE registers directly, which SG_IO cannot carry, and %s has no "
			"raw position (%s, not on an IDE channel)", cmd, node, where);
	return -EINVAL;
}
