// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tfbench: the wall time of one non-data command through each of
 * odrescue's taskfile transports (hw/taskfile.h) on a real kernel, the
 * VM tier's answer to "what does a vendor byte cost". The MediaTek
 * protocol reads a parallel flash one byte per non-data command, so a
 * command's round trip is a dump's cost per byte.
 *
 *   tfbench raw POS [N [NERR]]        taskfile_raw.c on real ports (-p ioport),
 *                                     POS 1-4; no driver may own the channel
 *   tfbench sat /dev/srN [N [NERR]]   taskfile_sat.c: SG_IO ATA PASS-THROUGH(16)
 *   tfbench ahci BDF PORT [N [NERR]]  ahci_tf.c on -p ahci:pci=BDF, port PORT;
 *                                     the ahci driver unbound
 *
 * N (default 2000) commands the drive completes (SET FEATURES 66h), each
 * timed alone after a few untimed ones; NERR (default N/10) commands it
 * aborts (CHECK POWER MODE on QEMU's CD: status 41h, error 04h), the cost
 * of an answer with ERR, which every exchange with a 73h drive has; then N
 * bare round trips that send no command: one inb of Status on the raw
 * path, one PxTFD read on an AHCI port, one SG_GET_VERSION_NUM ioctl on
 * the node (a system call that reaches no device). Bare accesses are timed
 * BARE_BATCH at a time, the per-access figure being the batch's time
 * divided by BARE_BATCH, so the clock's own cost (printed too) does not
 * swamp them. Prints median and p90 in ns and what one command costs in
 * the transport's own currency (port accesses, HBA register accesses and
 * sleeps, ioctls).
 *
 * Exit 0 when every command of a series answered the same registers, the
 * completed ones with DRDY set and BSY/DF/DRQ/ERR clear, the aborted ones
 * with ERR; 7 otherwise; 1 usage; 2 no device; 3 the transport could not
 * be opened. Not installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <scsi/sg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "hw/ahci.h"
#include "hw/ahci_io.h"
#include "hw/ata.h"
#include "hw/bus.h"
#include "hw/pt_sgio.h"
#include "hw/taskfile.h"
#include "bench/hbacount.h"

#define N_DEFAULT	2000u
#define N_MAX		1000000u
#define WARMUP		16u	/* untimed commands first: page faults, caches, the first SG_IO's setup */
#define BARE_BATCH	64u

static uint64_t *samples;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median and p90 (nearest rank) of v[0..n), sorted in place. */
static void quantiles(uint64_t *v, unsigned n, uint64_t *med, uint64_t *p90)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	*p90 = v[(n * 9 + 9) / 10 - 1];
}

/* What two back-to-back clock reads cost: part of every figure below. */
static void clock_cost(unsigned n)
{
	uint64_t med, p90;

	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		samples[i] = now_ns() - t0;
	}
	quantiles(samples, n, &med, &p90);
	printf("tfbench: clock: clock_gettime(CLOCK_MONOTONIC) pair median %llu ns, p90 %llu ns\n",
	       (unsigned long long)med, (unsigned long long)p90);
}

/* The transport's own count of what one command costs (port accesses, HBA accesses, ioctls). */
struct meter {
	const char *what;
	uint64_t (*read)(void);
	const char *what2;	/* a second count, or NULL */
	uint64_t (*read2)(void);
};

/*
 * What is timed: a command the drive completes, and one it aborts (ERR:
 * what every exchange with a 73h serial-flash drive ends in, which costs a
 * port restart on AHCI and libata's error handler through SG_IO).
 */
struct series {
	const char *name;
	struct ata_tf tf;
	unsigned regs;
	int err;		/* expected: 1 ERR (-EIO), 0 done */
};

/*
 * SET FEATURES 66h (keep the settings over a reset) is a non-data command
 * that QEMU's CD completes (50h) and changes nothing there; QEMU 7.2 aborts
 * CHECK POWER MODE (E5h) on a CD (ide_cmd_table: HD_CFA_OK only).
 */
static const struct series done_cmd = {
	"SET FEATURES 66h", { .feature = 0x66, .device = ATA_DEVICE_OBS, .command = 0xef }, TF_FEATURE | TF_DEVICE, 0,
};
static const struct series err_cmd = {
	"CHECK POWER MODE", { .device = ATA_DEVICE_OBS, .command = 0xe5 }, TF_DEVICE, 1,
};

static int good(const struct series *s, int ret, const struct tf_cmd *c)
{
	uint8_t st = c->res.command;

	if (s->err)
		return ret == -EIO && (st & ATA_ERR) && !(st & (ATA_BUSY | ATA_DRQ));
	return !ret && (st & ATA_DRDY) && !(st & (ATA_BUSY | ATA_DF | ATA_DRQ | ATA_ERR));
}

/*
 * n commands of series s on t, each timed (after WARMUP untimed). 0 when
 * every one was good() and answered the same registers as the first; else
 * how many were not (the first of them is printed).
 */
static unsigned commands(const char *label, const struct series *s, struct taskfile *t, int dev, unsigned n,
			 const struct meter *m)
{
	struct tf_cmd first = { 0 };
	uint64_t med, p90, c0 = 0, c2 = 0, lo = UINT64_MAX;
	unsigned bad = 0, warm = n < WARMUP ? n : WARMUP;
	int have = 0;

	for (unsigned i = 0; i < warm + n; i++) {
		struct tf_cmd c = { .regs = s->regs, .tf = s->tf, .dev = dev, .proto = TF_NODATA };
		uint64_t t0, t1;
		int ret;

		if (i == warm) {
			c0 = m->read();
			c2 = m->read2 ? m->read2() : 0;
		}
		t0 = now_ns();
		ret = tf_exec(t, &c);
		t1 = now_ns();
		if (i >= warm) {
			samples[i - warm] = t1 - t0;
			lo = t1 - t0 < lo ? t1 - t0 : lo;
		}
		if (!have && good(s, ret, &c)) {
			first = c;
			have = 1;
		}
		if (!good(s, ret, &c) || !have || memcmp(&c.res, &first.res, sizeof(c.res))) {
			if (!bad++)
				printf("tfbench: %s: %s %u of %u: %s, status %02Xh error %02Xh nsect %02Xh lbal %02Xh "
				       "lbam %02Xh lbah %02Xh device %02Xh\n", label, s->name, i + 1, warm + n,
				       ret == -EIO ? "ERR" : ret ? strerror(-ret) : "done", c.res.command, c.res.feature,
				       c.res.nsect, c.res.lbal, c.res.lbam, c.res.lbah, c.res.device);
		}
	}
	c0 = m->read() - c0;
	c2 = m->read2 ? m->read2() - c2 : 0;
	quantiles(samples, n, &med, &p90);
	printf("tfbench: %s: %u x %s (%s): median %llu ns, p90 %llu ns, min %llu ns; %.2f %s", label, n, s->name,
	       s->err ? "ERR" : "done", (unsigned long long)med, (unsigned long long)p90, (unsigned long long)lo,
	       (double)c0 / n, m->what);
	if (m->read2)
		printf(", %.2f %s", (double)c2 / n, m->what2);
	printf(" per command\n");
	if (have && !bad)
		printf("tfbench: %s: every %s answered status %02Xh error %02Xh\n", label, s->name, first.res.command,
		       first.res.feature);
	else if (have)
		printf("tfbench: %s: %u of %u %s answered otherwise than status %02Xh error %02Xh\n", label, bad,
		       warm + n, s->name, first.res.command, first.res.feature);
	else
		printf("tfbench: %s: no %s answered as expected (%s)\n", label, s->name, s->err ? "ERR" : "done");
	return bad;
}

/* Both series: 0 when both were clean. */
static unsigned both(const char *label, struct taskfile *t, int dev, unsigned n, unsigned nerr,
		     const struct meter *m)
{
	unsigned bad = commands(label, &done_cmd, t, dev, n, m);

	return bad + commands(label, &err_cmd, t, dev, nerr, m);
}

/* n batches of BARE_BATCH calls of one(); the per-access time of each batch. */
static void bare(const char *label, unsigned n, void (*one)(void))
{
	uint64_t med, p90;

	for (unsigned i = 0; i < WARMUP; i++)
		one();
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		for (unsigned j = 0; j < BARE_BATCH; j++)
			one();
		samples[i] = (now_ns() - t0) / BARE_BATCH;
	}
	quantiles(samples, n, &med, &p90);
	printf("tfbench: %s: %u x %u: median %llu ns, p90 %llu ns per access\n", label, n, BARE_BATCH,
	       (unsigned long long)med, (unsigned long long)p90);
}

/* ---- raw IDE registers ------------------------------------------------- */
static struct bus rb;
static struct ata_port rap;

static uint64_t raw_accesses(void)
{
	return rb.stats.reads + rb.stats.writes;
}

static void raw_status(void)
{
	(void)bus_inb(&rb, (uint16_t)(rap.cmd + ATA_REG_STATUS));
}

static int run_raw(int pos, unsigned n, unsigned nerr)
{
	static const struct ata_chan chan[2] = { { ATA_PRIMARY_CMD, ATA_PRIMARY_CTL },
						 { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL } };
	const struct meter m = { "port accesses", raw_accesses, NULL, NULL };
	struct ata_reset_info ri;
	struct taskfile t;
	unsigned bad;

	if (bus_open(&rb, "ioport", &chan[(pos - 1) / 2], 1)) {
		fprintf(stderr, "tfbench: %s\n", rb.errmsg);
		return 3;
	}
	ata_port_init(&rap, &rb, &rb.chans[0]);
	if (ata_softreset(&rap, &ri)) {
		fprintf(stderr, "tfbench: soft reset of the channel failed\n");
		bus_close(&rb);
		return 2;
	}
	if (ri.class[(pos - 1) % 2] == ATA_DEV_NONE || ri.class[(pos - 1) % 2] == ATA_DEV_UNKNOWN) {
		fprintf(stderr, "tfbench: no device at position %d\n", pos);
		bus_close(&rb);
		return 2;
	}
	taskfile_raw_init(&t, &rap);
	printf("tfbench: raw IDE registers (taskfile_raw.c over -p ioport), position %d at 0x%x\n", pos, rap.cmd);
	bad = both("raw", &t, (pos - 1) % 2, n, nerr, &m);
	bare("raw bare inb of Status", n, raw_status);
	bus_close(&rb);
	return bad ? 7 : 0;
}

/* ---- SG_IO ATA PASS-THROUGH(16) ----------------------------------------- */
static uint64_t ioctls;
static int sg_fd = -1;

static int count_open(const char *path, int flags)
{
	int fd = sgio_sys_linux.open(path, flags);

	if (fd >= 0)
		sg_fd = fd;
	return fd;
}

static int count_ioctl(int fd, unsigned long req, void *arg)
{
	ioctls++;
	return sgio_sys_linux.ioctl(fd, req, arg);
}

static uint64_t sat_ioctls(void)
{
	return ioctls;
}

static void sat_version(void)
{
	int v;

	(void)ioctl(sg_fd, SG_GET_VERSION_NUM, &v);
}

static int run_sat(const char *node, unsigned n, unsigned nerr)
{
	const struct sgio_sys sys = { count_open, count_ioctl, sgio_sys_linux.close };
	const struct meter m = { "ioctls", sat_ioctls, NULL, NULL };
	struct taskfile_sat ts;
	struct taskfile t;
	struct pt pt;
	unsigned bad;
	int ret;

	if ((ret = sgio_open(&pt, node, SGIO_EXCL, &sys))) {
		fprintf(stderr, "tfbench: %s\n", pt.errmsg);
		return ret == -ENODEV ? 2 : 3;
	}
	ts.pt = &pt;
	ts.clock = NULL;
	taskfile_sat_init(&t, &ts);
	printf("tfbench: SG_IO ATA PASS-THROUGH(16) (taskfile_sat.c) on %s, SG driver %d\n", node,
	       sgio_version(&pt));
	bad = both("sat", &t, 0, n, nerr, &m);
	bare("sat bare ioctl SG_GET_VERSION_NUM (no command)", n, sat_version);
	pt.ops->close(&pt);
	return bad ? 7 : 0;
}

/* ---- a user-space AHCI port --------------------------------------------- */
static struct ahci_port *hport;

static uint64_t ahci_accesses(void)
{
	return hba_count.accesses;
}

static uint64_t ahci_naps(void)
{
	return hba_count.naps;
}

static void ahci_tfd(void)
{
	(void)ahci_port_rd(hport, PORT_TFDATA);
}

static int run_ahci(const char *bdf, int port, unsigned n, unsigned nerr)
{
	const struct ahci_pci_cfg cfg = { "/sys", bdf, "/proc/self/pagemap" };
	const struct meter m = { "HBA register accesses", ahci_accesses, "sleeps", ahci_naps };
	struct ahci_io io;
	struct ahci hba;
	struct taskfile t;
	unsigned bad;
	int ret;

	memset(&io, 0, sizeof(io));
	if ((ret = ahci_pci_open(&io, &cfg))) {
		fprintf(stderr, "tfbench: %s\n", io.errmsg[0] ? io.errmsg : strerror(-ret));
		return 3;
	}
	hba_count_wrap(&io);
	if ((ret = ahci_open(&hba, &io))) {
		fprintf(stderr, "tfbench: %s: not an AHCI HBA (%s)\n", bdf, strerror(-ret));
		io.ops->close(&io);
		return 3;
	}
	if (port < 0 || port >= hba.nports || !ahci_port_implemented(&hba, port) ||
	    (ret = ahci_port_start(&hba.port[port]))) {
		fprintf(stderr, "tfbench: port %d: %s\n", port, port < 0 || port >= hba.nports ||
			!ahci_port_implemented(&hba, port) ? "not implemented" : strerror(-ret));
		ahci_close(&hba);
		return 2;
	}
	hport = &hba.port[port];
	taskfile_ahci_init(&t, hport);
	printf("tfbench: AHCI port %d (ahci_tf.c over -p ahci:pci=%s), Register FIS\n", port, bdf);
	bad = both("ahci", &t, 0, n, nerr, &m);
	bare("ahci bare PxTFD read", n, ahci_tfd);
	ahci_close(&hba);
	return bad ? 7 : 0;
}

static unsigned count_arg(const char *s, unsigned dflt)
{
	char *end;
	unsigned long v;

	if (!s)
		return dflt;
	v = strtoul(s, &end, 10);
	return *end || !v || v > N_MAX ? 0 : (unsigned)v;
}

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "";
	int first = !strcmp(how, "raw") || !strcmp(how, "sat") ? 3 : !strcmp(how, "ahci") ? 4 : 0;
	unsigned n = 0, nerr = 0;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (first && argc >= first && argc <= first + 2 &&
	    (strcmp(how, "raw") || (atoi(argv[2]) >= 1 && atoi(argv[2]) <= 4))) {
		n = count_arg(argc > first ? argv[first] : NULL, N_DEFAULT);
		nerr = count_arg(argc > first + 1 ? argv[first + 1] : NULL, n / 10 ? n / 10 : 1);
	}
	if (!n || !nerr) {
		fprintf(stderr, "usage: tfbench raw POS(1-4) [N [NERR]] | tfbench sat /dev/srN [N [NERR]] |\n"
				"       tfbench ahci BDF PORT [N [NERR]]   (N commands completed, NERR aborted; "
				"N default %u, NERR N/10)\n", N_DEFAULT);
		return 1;
	}
	samples = calloc(n > nerr ? n : nerr, sizeof(*samples));
	if (!samples) {
		perror("tfbench");
		return 3;
	}
	clock_cost(n);
	if (!strcmp(how, "raw"))
		ret = run_raw(atoi(argv[2]), n, nerr);
	else if (!strcmp(how, "sat"))
		ret = run_sat(argv[2], n, nerr);
	else
		ret = run_ahci(argv[2], atoi(argv[3]), n, nerr);
	free(samples);
	return ret;
}
