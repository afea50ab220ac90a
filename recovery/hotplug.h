/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "Case 2" trick: wait for a drive to appear at a position while the
 * machine runs (an empty position filling, or one drive swapped for
 * another), then reset it and say whether its firmware answers.
 */
#ifndef ODRESCUE_HOTPLUG_H
#define ODRESCUE_HOTPLUG_H

#include <signal.h>

#include "hw/ata.h"
#include "hw/probe.h"

/* Poll period while waiting: a drive is seen within this, at ~0.1% of a CPU. */
#define HOTPLUG_POLL_NS		(10 * NSEC_PER_MSEC)
/* A connector bounces while it goes in: present on two polls this far apart. */
#define HOTPLUG_SETTLE_NS	(20 * NSEC_PER_MSEC)
/* A drive already present is re-identified this often to notice a quick swap. */
#define HOTPLUG_REIDENT_NS	(1 * NSEC_PER_SEC)

/* What a position looks like from its registers, without sending a command. */
enum hp_presence {
	HP_ABSENT,	/* floating bus, or registers that do not hold a value */
	HP_BUSY,	/* BSY: powering up, resetting, or firmware that never starts */
	HP_READY,	/* registers hold what is written: a device answers */
};

enum hp_event {
	HP_EV_START,	/* waiting began; st->initial says what was there */
	HP_EV_GONE,	/* the drive that was there went away */
	HP_EV_SEEN,	/* something appeared; settling */
	HP_EV_RESET,	/* settled; soft reset sent */
};

struct hotplug_result {
	enum hp_presence initial;
	char initial_model[41];		/* "" if nothing identified at start */
	int swapped;			/* a different drive replaced one that was there */
	int busy;			/* held BSY after reset: no working firmware */
	uint64_t waited_ns;		/* from the start until the drive was ready or declared busy */
	uint64_t appeared_ns;		/* from the start until something showed up on the cable */
	uint64_t bsy_ns;		/* reset until BSY cleared */
	struct dev_probe probe;		/* what answers now (class, IDENTIFY, INQUIRY) */
};

struct hotplug_cfg {
	uint64_t timeout_ns;		/* 0: wait until *stop (BSY after reset gets ATA_TMO_RESET) */
	volatile sig_atomic_t *stop;	/* set from a signal handler: ends the wait with -EINTR */
	void (*event)(void *arg, enum hp_event ev, const struct hotplug_result *r);
	void *arg;
};

/* Registers only: Device select and a write/read-back (libata's ata_devchk). */
enum hp_presence hotplug_presence(struct ata_port *ap, int dev);

/*
 * Wait until a drive appears at dev (empty -> present, or a drive replaced
 * by another), settle, soft reset, identify. 0 when a drive answers or holds
 * BSY (r->busy), -ETIMEDOUT, -EINTR on *stop, or a transport error.
 */
int hotplug_wait(struct ata_port *ap, int dev, const struct hotplug_cfg *cfg,
		 struct hotplug_result *r);

const char *hotplug_presence_name(enum hp_presence p);

/* The intro loop (mtk-protocol.md 2.3): resend this often while the user power-cycles the drive. */
#define HOTPLUG_INTRO_PERIOD_NS	(5 * NSEC_PER_MSEC)
#define HOTPLUG_INTRO_TMO_NS	(200 * NSEC_PER_SEC)

struct mtk;

/*
 * Send the MediaTek intro every HOTPLUG_INTRO_PERIOD_NS until the drive
 * takes it (a dead drive's boot code answers only just after power-on).
 * Whenever the device stops holding BSY without taking it, it must prove
 * to be a packet device before the next intro. 0 in vendor mode, -EACCES
 * locked (52h), -EPERM an ATA disk, -ETIMEDOUT, -EINTR on *stop.
 */
int hotplug_intro_loop(struct ata_port *ap, int dev, struct mtk *m, uint64_t tmo_ns,
		       volatile sig_atomic_t *stop, unsigned *tries);

struct ahci_port;

/*
 * The same on a SATA port. The power cycle is a link event (PxSSTS.DET
 * down, then up); nothing is sent while the link is down. A drive that
 * holds BSY gets the intro past it through the command list override
 * (ahci_port_override) - the IDE loop writes into a busy drive the same
 * way. A port whose signature says ATA disk gets nothing (-EPERM); an HBA
 * without CAP.SCLO cannot reach a drive holding BSY (-EOPNOTSUPP).
 * tmo_ns 0: one try (-ETIMEDOUT if it was not taken).
 */
int hotplug_intro_loop_ahci(struct ahci_port *p, struct mtk *m, uint64_t tmo_ns,
			    volatile sig_atomic_t *stop, unsigned *tries);

/* SATA: a new link is left alone this long before the port starts (libata's sata_deb_timing_hotplug). */
#define HOTPLUG_LINK_SETTLE_NS	(500 * NSEC_PER_MSEC)

struct ahci_wait {
	/* in: told when the wait begins (HP_EV_START), the drive goes (GONE), one comes (SEEN) */
	void (*event)(void *arg, enum hp_event ev, const struct ahci_wait *w);
	void *arg;
	/* out */
	int initial;		/* a device was on the link when the wait began */
	int swapped;		/* it was replaced (the link went down, or PxSERR.DIAG.X) */
	uint64_t waited_ns;
	struct dev_probe probe;	/* IDENTIFY (PACKET), INQUIRY, TEST UNIT READY */
};

/*
 * The SATA form of the wait on an AHCI port: the link (PxSSTS.DET) goes
 * down and comes up, and the HBA records the exchange in PxSERR.DIAG.X
 * (COMINIT received). Looked at every HOTPLUG_POLL_NS until a device
 * comes (or, if one was there, until it is replaced), then left alone for
 * HOTPLUG_LINK_SETTLE_NS; nothing is sent (w->probe is the caller's). 0, -ETIMEDOUT (tmo_ns, 0: none), -EINTR (*stop), or the
 * transport's error.
 */
int hotplug_wait_ahci(struct ahci_port *p, uint64_t tmo_ns, volatile sig_atomic_t *stop, struct ahci_wait *w);

#endif
