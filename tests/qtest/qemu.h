/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU for the qtest tier (prefix qemu_): a paused "-machine pc" whose IDE
 * ports odrescue drives through -p qtest. Images are small temp files with
 * known contents; QEMU dies with the test process (PR_SET_PDEATHSIG).
 */
#ifndef ODRESCUE_TESTS_QEMU_H
#define ODRESCUE_TESTS_QEMU_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hw/bus.h"

#define QEMU_BIN		"qemu-system-x86_64"
#define QEMU_CD_SECTORS		64	/* 2048-byte sectors, each starting "LBA=%08d" */
#define QEMU_DISK_BYTES		(1u << 20)

/* What sits at each position (index 0..3 = positions 1..4). */
enum qemu_slot {
	QEMU_NONE,		/* no drive */
	QEMU_DISK,		/* ide-hd on the temp disk image */
	QEMU_CD,		/* ide-cd with the temp CD image */
	QEMU_CD_EMPTY,		/* ide-cd without a medium */
};

struct qemu {
	pid_t pid;
	char dir[64];		/* temp directory, removed by qemu_stop() */
	char sock[128];		/* qtest socket */
	char disk[128], cd[128], log[128];
	const char *machine;	/* -machine, default "pc" (PIIX3 IDE) */
	int listen;		/* QEMU connects to us (libqtest style) instead of listening */
};

/* Is qemu-system-x86_64 on PATH? */
int qemu_available(void);
/*
 * Skip (return 1 after printing why) when QEMU is missing, unless
 * ODRESCUE_REQUIRE_QEMU=1 makes that a failure (then abort the test).
 */
int qemu_skip(const char *test);

/*
 * Write the images and start QEMU with slots[4]. With q->listen = 0 QEMU
 * listens on q->sock and this returns once the socket exists; with 1
 * QEMU is started only after q->sock appears (the caller listens on it via
 * bus_open(...listen=1)), so this returns at once. 0 or -errno.
 */
int qemu_start(struct qemu *q, const enum qemu_slot slots[4]);
/*
 * The same for nslots drives: on "-machine q35" -drive if=ide,index=N is
 * AHCI port N (q35 has one unit per bus), so slots[N] is port pN.
 */
#define QEMU_MAX_SLOTS	6
int qemu_start_n(struct qemu *q, const enum qemu_slot *slots, int nslots);
/* bus_open(b, "qtest:socket=...[,extra]") on both legacy channels. */
int qemu_bus_open(struct qemu *q, struct bus *b, const char *extra);
/* The bytes of CD image sector lba. */
void qemu_cd_sector(uint32_t lba, uint8_t out[2048]);
/* SIGKILL and reap QEMU (if running), remove the temp files. */
void qemu_stop(struct qemu *q);

#endif
