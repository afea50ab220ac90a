/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Waiting for a drive to appear at a position: polls with sleeps, never a spin. */
#include <errno.h>
#include <string.h>

#include "hw/ahci.h"
#include "hw/flash.h"
#include "hw/mtk.h"
#include "recovery/hotplug.h"

static const char *const presence_names[] = {
	[HP_ABSENT] = "absent",
	[HP_BUSY] = "busy",
	[HP_READY] = "ready",
};

const char *hotplug_presence_name(enum hp_presence p)
{
	return presence_names[p];
}

enum hp_presence hotplug_presence(struct ata_port *ap, int dev)
{
	uint8_t st, nsect, lbal;

	ata_wr(ap, ATA_REG_DEVICE, (uint8_t)(ATA_DEVICE_OBS | (dev ? ATA_DEV1 : 0)));
	ata_pause(ap);
	st = ata_altstatus(ap);
	/* 0xFF: nothing drives the bus; 0x7F: ICH SATA legacy port without a device. */
	if (st == 0xff || st == 0x7f)
		return HP_ABSENT;
	if (st & ATA_BUSY)
		return HP_BUSY;
	/* libata ata_devchk(): only a device holds what is written to its registers. */
	ata_wr(ap, ATA_REG_NSECT, 0x55);
	ata_wr(ap, ATA_REG_LBAL, 0xaa);
	ata_wr(ap, ATA_REG_NSECT, 0xaa);
	ata_wr(ap, ATA_REG_LBAL, 0x55);
	ata_wr(ap, ATA_REG_NSECT, 0x55);
	ata_wr(ap, ATA_REG_LBAL, 0xaa);
	nsect = ata_rd(ap, ATA_REG_NSECT);
	lbal = ata_rd(ap, ATA_REG_LBAL);
	return nsect == 0x55 && lbal == 0xaa ? HP_READY : HP_ABSENT;
}

/* IDENTIFY only (no packet commands): enough to tell one drive from another. */
static int identity(struct ata_port *ap, int dev, struct ata_id_info *info)
{
	uint16_t id[ATA_ID_WORDS];
	int ret = ata_identify(ap, dev, ATA_CMD_ID_ATAPI, id);

	if (ret == -EIO)	/* an ATA device aborts A1h */
		ret = ata_identify(ap, dev, ATA_CMD_ID_ATA, id);
	return ret ? ret : ata_id_decode(id, info);
}

static int same_drive(const struct ata_id_info *a, const struct ata_id_info *b)
{
	return !strcmp(a->model, b->model) && !strcmp(a->serial, b->serial) &&
	       !strcmp(a->fw_rev, b->fw_rev);
}

static void event(const struct hotplug_cfg *cfg, enum hp_event ev, const struct hotplug_result *r)
{
	if (cfg->event)
		cfg->event(cfg->arg, ev, r);
}

/* Settled: soft reset, then see whether firmware answers. 1 if it is the same drive as before. */
static int settle_and_reset(struct ata_port *ap, int dev, const struct hotplug_cfg *cfg,
			    struct hotplug_result *r, const struct ata_id_info *before, uint64_t t0)
{
	struct ata_reset_info ri;
	int ret;

	event(cfg, HP_EV_RESET, r);
	r->appeared_ns = bus_now_ns(ap->bus) - t0 - HOTPLUG_SETTLE_NS;
	ret = ata_softreset(ap, &ri);
	r->bsy_ns = ri.bsy_ns;
	r->waited_ns = bus_now_ns(ap->bus) - t0;
	if (ap->bus->error)
		return ap->bus->error;
	if (ret == -ENODEV || ret == -EINTR)
		return ret;		/* pulled out again, or the user stopped */
	if (ri.busy[dev] || ri.bsy_stuck) {
		r->busy = 1;
		return 0;
	}
	memset(&r->probe, 0, sizeof(r->probe));
	r->probe.class = ri.class[dev];
	if (r->probe.class == ATA_DEV_NONE)
		return -ENODEV;
	probe_device(ap, dev, &r->probe);
	if (ap->stop && *ap->stop)
		return -EINTR;		/* the probe's commands were cut short */
	r->waited_ns = bus_now_ns(ap->bus) - t0;
	if (before && !r->probe.id_ret && same_drive(before, &r->probe.info))
		return 1;
	return 0;
}

static int wait_loop(struct ata_port *ap, int dev, const struct hotplug_cfg *cfg,
		     struct hotplug_result *r)
{
	struct bus *b = ap->bus;
	uint64_t t0 = bus_now_ns(b), last_ident = t0, now;
	struct ata_id_info first, cur;
	int have_first = 0, gone, ret;
	enum hp_presence prev, p;

	memset(r, 0, sizeof(*r));
	r->initial = prev = hotplug_presence(ap, dev);
	if (r->initial == HP_READY && !identity(ap, dev, &first)) {
		have_first = 1;
		memcpy(r->initial_model, first.model, sizeof(r->initial_model));
	}
	/* A drive already holding BSY is examined at once (Case 1: it was there at boot). */
	gone = r->initial != HP_READY;
	event(cfg, HP_EV_START, r);

	for (;;) {
		if (b->error)
			return b->error;
		if (cfg->stop && *cfg->stop)
			return -EINTR;
		now = bus_now_ns(b);
		if (cfg->timeout_ns && now - t0 >= cfg->timeout_ns)
			return -ETIMEDOUT;

		p = hotplug_presence(ap, dev);
		if (p == HP_ABSENT) {
			if (!gone)
				event(cfg, HP_EV_GONE, r);
			gone = 1;
		} else if (gone || (prev == HP_READY && p == HP_BUSY)) {
			/* Something is there: it must still be there a settle time later. */
			event(cfg, HP_EV_SEEN, r);
			bus_delay_ns(b, HOTPLUG_SETTLE_NS);
			if (hotplug_presence(ap, dev) != HP_ABSENT) {
				ret = settle_and_reset(ap, dev, cfg, r, have_first ? &first : NULL, t0);
				if (ret < 0 && ret != -ENODEV)
					return ret;
				if (ret == 0) {
					r->swapped = have_first;
					return 0;
				}
				/* The same drive came back (reset or power-cycled): keep waiting. */
				gone = ret == -ENODEV;
				last_ident = bus_now_ns(b);
			}
		} else if (have_first && p == HP_READY && now - last_ident >= HOTPLUG_REIDENT_NS) {
			/* A swap faster than one poll never looks absent: compare identities. */
			last_ident = now;
			if (!identity(ap, dev, &cur) && !same_drive(&first, &cur)) {
				event(cfg, HP_EV_SEEN, r);
				ret = settle_and_reset(ap, dev, cfg, r, &first, t0);
				if (ret < 0 && ret != -ENODEV)
					return ret;
				if (ret == 0) {
					r->swapped = 1;
					return 0;
				}
			}
		}
		prev = p;
		bus_delay_ns(b, HOTPLUG_POLL_NS);
	}
}

int hotplug_wait(struct ata_port *ap, int dev, const struct hotplug_cfg *cfg,
		 struct hotplug_result *r)
{
	volatile sig_atomic_t *outer = ap->stop;
	int ret;

	/* Ctrl-C also ends a reset's wait for BSY (up to 31 s for a drive without firmware). */
	ap->stop = cfg->stop;
	ret = wait_loop(ap, dev, cfg, r);
	ap->stop = outer;
	return ret;
}

int hotplug_intro_loop(struct ata_port *ap, int dev, struct mtk *m, uint64_t tmo_ns,
		       volatile sig_atomic_t *stop, unsigned *tries)
{
	struct bus *b = ap->bus;
	uint64_t t0 = bus_now_ns(b);
	int ret, checked = 0;

	for (*tries = 0;; ) {
		(*tries)++;
		ret = mtk_intro_fast(m, TF_RAW(ap), dev);
		if (ret == 0 || ret == -EACCES || b->error)
			return b->error ? b->error : ret;
		/* A device that answers but refused: it must not be a disk (never two 80h to one). */
		if (!(m->status & ATA_BUSY) && ret == -EAGAIN && !checked) {
			int pk = flash_is_packet(TF_RAW(ap), dev);

			if (pk == 0)
				return -EPERM;
			checked = pk == 1;
		}
		if (m->status & ATA_BUSY || ret == -ENODEV)
			checked = 0;	/* powered off or rebooting: it may come back as anything */
		if (stop && *stop)
			return -EINTR;
		if (bus_now_ns(b) - t0 >= tmo_ns)
			return -ETIMEDOUT;
		bus_delay_ns(b, HOTPLUG_INTRO_PERIOD_NS);
	}
}

int hotplug_intro_loop_ahci(struct ahci_port *p, struct mtk *m, uint64_t tmo_ns,
			    volatile sig_atomic_t *stop, unsigned *tries)
{
	struct ahci_io *io = p->hba->io;
	uint64_t t0 = io->ops->now_ns(io);
	struct ahci_link l;
	struct taskfile t;
	struct ata_tf sig;
	int ret;

	for (*tries = 0;; ) {
		ahci_link(p, &l);
		if (io->error)
			return io->error;
		ahci_sig_tf(l.sig, &sig);
		if (l.det == SSTS_DET_PRESENT && ata_classify(&sig) == ATA_DEV_ATA)
			return -EPERM;	/* never the vendor command to a disk */
		if (l.det == SSTS_DET_PRESENT) {
			ret = ahci_port_start(p);
			if (ret == -EBUSY)
				ret = ahci_port_override(p);
			if (ret && ret != -ENODEV && ret != -EBUSY)
				return io->error ? io->error : ret;
			if (!ret) {
				(*tries)++;
				taskfile_ahci_init(&t, p);
				ret = mtk_intro_fast(m, &t, 0);
				if (ret == 0 || ret == -EACCES || io->error)
					return io->error ? io->error : ret;
			}
		}
		if (stop && *stop)
			return -EINTR;
		if (io->ops->now_ns(io) - t0 >= tmo_ns)
			return -ETIMEDOUT;
		io->ops->delay_ns(io, HOTPLUG_INTRO_PERIOD_NS);
	}
}

int hotplug_wait_ahci(struct ahci_port *p, uint64_t tmo_ns, volatile sig_atomic_t *stop, struct ahci_wait *w)
{
	struct ahci_io *io = p->hba->io;
	struct ahci_link l;
	uint64_t t0;
	int gone;

	w->swapped = 0;
	w->waited_ns = 0;
	ahci_link(p, &l);
	w->initial = l.det == SSTS_DET_PRESENT;
	ahci_port_wr(p, PORT_SCR_ERR, SERR_DIAG_X | SERR_DIAG_N);	/* from now on an exchange shows */
	if (w->event)
		w->event(w->arg, HP_EV_START, w);
	t0 = io->ops->now_ns(io);
	gone = !w->initial;
	for (;;) {
		if (stop && *stop)
			return -EINTR;
		if (io->error)
			return io->error;
		ahci_link(p, &l);
		if (l.det != SSTS_DET_PRESENT && !gone) {
			gone = 1;
			if (w->event)
				w->event(w->arg, HP_EV_GONE, w);
		}
		if (l.det == SSTS_DET_PRESENT && (gone || (l.serr & SERR_DIAG_X)))
			break;
		if (tmo_ns && io->ops->now_ns(io) - t0 >= tmo_ns)
			return -ETIMEDOUT;
		io->ops->delay_ns(io, HOTPLUG_POLL_NS);
	}
	w->swapped = w->initial;
	w->waited_ns = io->ops->now_ns(io) - t0;
	if (w->event)
		w->event(w->arg, HP_EV_SEEN, w);
	io->ops->delay_ns(io, HOTPLUG_LINK_SETTLE_NS);
	return io->error;
}
