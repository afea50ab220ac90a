// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * make bench: what dump and flash cost on the simulator's virtual clock,
 * next to the floor the same model allows. Runs the real binary (-v
 * prints the simulator's counters) on a state file per case:
 *   dump    read the whole chip once
 *   full    every erase unit differs from the image
 *   patch   the image differs from the drive in 3 erase units
 *   blind   the old tools' way (MtkFlash): chip erase, program every byte
 *           (but FFh, a no-op), no backup, no verify; hw/flash.c driven
 *           in-process on the same simulator, intro to outro
 * Accesses are the simulator's own register counts (hw/sim, independent
 * of odrescue's bus layer), next to what the bus layer counted.
 * The floor: 8 register accesses per byte read and 4 x 8 + 8 per byte
 * programmed (mtk-protocol.md 2.5/2.6: six writes, a status poll and a
 * data read per byte; four write cycles and one data#-poll read per
 * program), one read of the chip for the backup, one read of each
 * changed unit for the verify, plus the chip's own erase and program
 * times; each access costs SIM_REG_NS. The safe floor adds odrescue's
 * own reads: each changed unit read a second time before its erase, and
 * the whole chip verified (the second read of the units left alone).
 * Then the same dump through each transport (in-process, on one
 * simulator each): the raw IDE registers, the modelled AHCI HBA (one
 * Register FIS a vendor command) and the modelled kernel's SG_IO (one
 * ATA PASS-THROUGH a command), counting commands, the drive's register
 * accesses, HBA register accesses or ioctls, and virtual time.
 * Then clock=real flashes (every access spinning its model cost): make
 * demo's command and each chip's full and patch flash, REAL_RUNS times
 * (20), each counted when the drive then holds the image.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hw/ahci.h"
#include "hw/ahci_io.h"
#include "hw/ata.h"
#include "hw/flash.h"
#include "hw/pt_sgio.h"
#include "hw/sim/sim_sat.h"
#include "hw/taskfile.h"
#include "hw/sim/fwgen.h"
#include "hw/sim/sim.h"
#include "hw/sim/simflash.h"
#include "bench/hbacount.h"

#define KIB 1024u
#define ACC_READ	8	/* register accesses per byte read in vendor mode */
#define ACC_PROG	(4 * 8 + 8)	/* four write cycles, one data#-poll read */
#define ACC_ERASE	(6 * 8 + 8)	/* six write cycles, one poll */

struct cost {
	uint64_t acc, ns;
	uint64_t bus_acc;	/* what odrescue's bus layer counted (0: a model) */
};

static const char *bin = "./odrescue";
static char dir[] = "/tmp/odrescue-bench-XXXXXX";

static char *p(const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static int write_file(const char *path, const uint8_t *d, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(d, 1, n, f) == n;

	return (f && fclose(f)) || !ok ? -1 : 0;
}

/* The sum of the counts on a "sim: reads/writes by register: data N, ..., altstatus N" line. */
static uint64_t register_sum(const char *list)
{
	uint64_t sum = 0;

	for (const char *p = list; (p = strpbrk(p, "0123456789")); ) {
		char *end;

		sum += strtoull(p, &end, 10);
		p = end;
	}
	return sum;
}

/*
 * Run odrescue -v on the simulator; the accesses are the simulator's own
 * per-register counts, the time its virtual clock, the bus layer's count
 * from its "sim:" summary line.
 */
static int run(struct cost *c, const char *chip, const char *args)
{
	char cmd[2048], line[512];
	unsigned long long r, w, ns;
	int found = 0, regs = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s -v -p sim:chip=%s,state=%s %s 2>&1 >/dev/null", bin, chip,
		 p("st.bin"), args);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "odrescue: sim: %llu reads, %llu writes, %*u bytes in, %*u bytes out, %llu "
			   "virtual ns", &r, &w, &ns) == 3) {
			c->bus_acc = r + w;
			c->ns = ns;
			found = 1;
		} else if (!strncmp(line, "odrescue: sim: reads by register:", 33) ||
			   !strncmp(line, "odrescue: sim: writes by register:", 34)) {
			c->acc = (regs++ ? c->acc : 0) + register_sum(strchr(line, ':') + 30);
		}
	if (pclose(f) != 0 || !found || regs != 2) {
		fprintf(stderr, "bench: '%s' failed\n", cmd);
		return -1;
	}
	return 0;
}

/*
 * The floor for a flash from old to img. safe = 0: one backup read and a
 * verify of the changed units, the least any flash that backs up and
 * verifies can do. safe = 1: the reads odrescue promises on top (each
 * changed unit read a second time before its erase, the whole chip
 * verified: the second read of the units left alone).
 */
static struct cost floor_flash(const struct simflash_chip *k, const uint8_t *old, const uint8_t *img,
			       int safe)
{
	struct cost f = { .acc = (uint64_t)k->size * ACC_READ * (safe ? 2 : 1) };

	for (uint32_t u = 0; u < k->size; u += k->sector) {
		if (!memcmp(old + u, img + u, k->sector))
			continue;
		f.acc += ACC_ERASE + (uint64_t)k->sector * ACC_READ;
		f.ns += k->t_sector_erase_ns;
		for (uint32_t i = u; i < u + k->sector; i++)
			if (img[i] != 0xff) {
				f.acc += ACC_PROG;
				f.ns += k->t_prog_ns;
			}
	}
	f.ns += f.acc * SIM_REG_NS;
	return f;
}

/* The floor of the blind rewrite: chip erase, then every byte but FFh programmed. */
static struct cost floor_blind(const struct simflash_chip *k, const uint8_t *img)
{
	struct cost f = { .acc = ACC_ERASE, .ns = k->t_chip_erase_ns };

	for (uint32_t i = 0; i < k->size; i++)
		if (img[i] != 0xff) {
			f.acc += ACC_PROG;
			f.ns += k->t_prog_ns;
		}
	f.ns += f.acc * SIM_REG_NS;
	return f;
}

static uint64_t sim_accesses(const struct sim *s)
{
	uint64_t n = 0;

	for (int c = 0; c < 2; c++) {
		for (int r = 0; r < 8; r++)
			n += s->reg_reads[c][r] + s->reg_writes[c][r];
		n += s->alt_reads[c] + s->devctl_writes[c];
	}
	return n;
}

/*
 * MtkFlash's way on the drive holding old: vendor intro, chip erase,
 * program the image, outro; nothing read back. hw/flash.c's documented
 * sequences, in-process on the same simulator; read back afterwards
 * (not counted) to show it wrote the image.
 */
static int blind_rewrite(struct cost *c, const char *chip, const uint8_t *img, uint32_t size)
{
	static const struct ata_chan ch[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};
	uint8_t *ff = malloc(size), *back = malloc(size);
	char spec[1024];
	struct ata_port ap;
	struct flash_dev f;
	struct bus b;
	struct sim *s;
	int ret;

	memset(&b, 0, sizeof(b));
	snprintf(spec, sizeof(spec), "sim:chip=%s,image=%s", chip, p("st.bin"));
	if (!ff || !back || bus_open(&b, spec, ch, 2)) {
		free(ff);
		free(back);
		return -1;
	}
	memset(ff, 0xff, size);
	s = sim_from_bus(&b);
	ata_port_init(&ap, &b, &b.chans[1]);
	ret = flash_open(&f, TF_RAW(&ap), 0);
	if (!ret)
		ret = flash_erase_chip(&f);
	if (!ret)
		ret = flash_program(&f, 0, img, size, ff, NULL, NULL);
	if (!ret) {
		flash_close(&f);
		*c = (struct cost){ sim_accesses(s), s->now, b.stats.reads + b.stats.writes };
		ret = flash_open(&f, TF_RAW(&ap), 0);
	}
	if (!ret)
		ret = flash_read(&f, 0, back, size, NULL, NULL);
	if (!ret)
		flash_close(&f);
	if (!ret && (memcmp(back, img, size) || sim_violation_count(s)))
		ret = -1;
	bus_close(&b);
	free(ff);
	free(back);
	return ret;
}

static void row(const char *what, uint32_t size, const struct cost *m, const struct cost *lo,
		const struct cost *safe)
{
	printf("  %-6s %7.2f %7.2f %7.2f %7.2f %9.2f %9.2f %9.2f %6.2fx %6.2fx\n", what, (double)m->acc / size,
	       (double)m->bus_acc / size, (double)lo->acc / size, (double)safe->acc / size, m->ns / 1e9,
	       lo->ns / 1e9, safe->ns / 1e9, (double)m->ns / (double)lo->ns, (double)m->ns / (double)safe->ns);
}

static int bench_chip(const char *name, uint32_t kib)
{
	const struct simflash_chip *k = simflash_chip_find(name);
	uint32_t size = kib * KIB;
	uint8_t *old = malloc(size), *img = malloc(size), *patch = malloc(size);
	struct cost dump, full, part, lim, lo, safe, plo, psafe, blind, blo;
	char args[1024];
	int ret = -1;

	if (!k || k->size != size || !old || !img || !patch)
		goto out;
	fwgen_make(img, size, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 2);
	/* The drive's firmware differs in every erase unit (but boots: bank starts and identity kept). */
	fwgen_make(old, size, "LITE-ON", "DVDRW SOHW-1653S", "CS0P", 1);
	for (uint32_t u = 0; u < size; u += k->sector)
		if (!memcmp(old + u, img + u, k->sector))
			old[u + k->sector / 2] ^= 0x01;
	/* The patch: three units apart, a few bytes each (a region byte, a string, a table). */
	memcpy(patch, img, size);
	for (int i = 1; i <= 3; i++)
		patch[i * (size / 4) + 0x123] ^= 0x5a;

	if (write_file(p("img.bin"), img, size) || write_file(p("st.bin"), old, size))
		goto out;
	unlink(p("d.bin"));
	if (run(&dump, name, (snprintf(args, sizeof(args), "dump 3 %s", p("d.bin")), args)))
		goto out;
	unlink(p("b1.bin"));
	if (run(&full, name, (snprintf(args, sizeof(args), "flash 3 %s --yes --backup %s", p("img.bin"),
				       p("b1.bin")), args)))
		goto out;
	printf("%s, %u KiB (sector %u KiB, byte program %.0f us, sector erase %.0f ms)\n", k->name, kib,
	       k->sector / KIB, k->t_prog_ns / 1e3, k->t_sector_erase_ns / 1e6);
	printf("  %-6s %7s %7s %7s %7s %9s %9s %9s %7s %7s\n", "case", "acc/B", "(bus)", "floor", "safe",
	       "seconds", "floor s", "safe s", "/floor", "/safe");
	lim = (struct cost){ (uint64_t)size * ACC_READ, (uint64_t)size * ACC_READ * SIM_REG_NS, 0 };
	row("dump", size, &dump, &lim, &lim);
	lo = floor_flash(k, old, img, 0);
	safe = floor_flash(k, old, img, 1);
	row("full", size, &full, &lo, &safe);
	/* The drive now holds img; the patch changes three units of it. */
	if (write_file(p("img.bin"), patch, size))
		goto out;
	unlink(p("b2.bin"));
	if (run(&part, name, (snprintf(args, sizeof(args), "flash 3 %s --yes --backup %s", p("img.bin"),
				       p("b2.bin")), args)))
		goto out;
	plo = floor_flash(k, img, patch, 0);
	psafe = floor_flash(k, img, patch, 1);
	row("patch", size, &part, &plo, &psafe);
	/* The drive holds patch now; the old tools rewrite it all to get img back. */
	if (write_file(p("st.bin"), patch, size) || blind_rewrite(&blind, name, img, size))
		goto out;
	blo = floor_blind(k, img);
	row("blind", size, &blind, &blo, &blo);
	printf("  patch/full: %.1f%% of the time; floor %.1f%%, safe floor %.1f%%\n", 100.0 * part.ns / full.ns,
	       100.0 * plo.ns / lo.ns, 100.0 * psafe.ns / safe.ns);
	printf("  patch/blind: %.1f%%, full/blind: %.1f%% (backup and verify included; blind has neither)\n",
	       100.0 * part.ns / blind.ns, 100.0 * full.ns / blind.ns);
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "bench: %s failed\n", name);
	free(old);
	free(img);
	free(patch);
	return ret;
}

/* The transports' own counts: HBA register accesses, SG_IO ioctls, taskfile commands. */
static uint64_t sg_ioctls, tf_cmds;
static const struct taskfile_ops *tf_inner;

static int sg_ioctl(int fd, unsigned long req, void *arg)
{
	sg_ioctls++;
	return sim_sat_sys.ioctl(fd, req, arg);
}

static int tf_count(struct taskfile *t, struct tf_cmd *c)
{
	tf_cmds++;
	return tf_inner->exec(t, c);
}

/* flash_open and a whole read of the chip on t; the clock and the drive's counts from b. */
static int transport_dump(const char *what, struct taskfile *t, struct bus *b, uint32_t size, uint8_t *buf,
			  const uint64_t *ops, const char *ops_name, const uint8_t *want)
{
	static struct taskfile_ops counted;
	struct flash_dev f;
	uint64_t t0, acc0, ops0 = ops ? *ops : 0;
	char cmds[32];
	int ret;

	if (t->ops != &taskfile_raw_ops) {	/* the raw path's accesses are the bus's own count */
		tf_inner = t->ops;
		counted = *t->ops;
		counted.exec = tf_count;
		t->ops = &counted;
	}
	tf_cmds = 0;
	t0 = bus_now_ns(b);
	acc0 = b->stats.reads + b->stats.writes;
	ret = flash_open(&f, t, 0);
	if (!ret)
		ret = flash_read(&f, 0, buf, size, NULL, NULL);
	if (!ret)
		flash_close(&f);
	if (ret || memcmp(buf, want, size)) {
		fprintf(stderr, "bench: dump through %s failed (%d)\n", what, ret);
		return -1;
	}
	/* The raw path sends no commands to count: its register accesses are its cost. */
	if (t->ops == &taskfile_raw_ops)
		snprintf(cmds, sizeof(cmds), "%10s", "-");
	else
		snprintf(cmds, sizeof(cmds), "%10.2f", (double)tf_cmds / size);
	printf("  %-22s %s %12.2f %14.2f %-12s %8.2f\n", what, cmds,
	       (double)(b->stats.reads + b->stats.writes - acc0) / size, ops ? (double)(*ops - ops0) / size : 0.0,
	       ops_name, (bus_now_ns(b) - t0) / 1e9);
	return 0;
}

static int bench_transports(void)
{
	static const struct ata_chan ch[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};
	const uint32_t size = 512 * KIB;
	uint8_t *buf = malloc(size), *want = malloc(size);
	struct sgio_sys counted_sg = sim_sat_sys;
	struct taskfile_sat ts;
	struct ahci_io io;
	struct ahci hba;
	struct ata_port ap;
	struct taskfile t;
	struct bus b, *hb;
	struct pt pt;
	char spec[4200], err[256];
	int ret = -1;

	if (!buf || !want)
		goto out;
	fwgen_make(want, size, "LITE-ON", "DVDRW SOHW-1653S", "CS0P", 1);
	if (write_file(p("img.bin"), want, size))
		goto out;
	snprintf(spec, sizeof(spec), "sim:chip=SST39SF040,image=%s", p("img.bin"));
	printf("dump of SST39SF040 (512 KiB) by transport, in-process (commands and accesses per byte)\n");
	printf("  %-22s %10s %12s %14s %-12s %8s\n", "transport", "commands", "drive regs", "transport ops",
	       "", "seconds");
	memset(&b, 0, sizeof(b));
	if (bus_open(&b, spec, ch, 2))
		goto out;
	ata_port_init(&ap, &b, &b.chans[1]);
	taskfile_raw_init(&t, &ap);
	ret = transport_dump("raw IDE registers", &t, &b, size, buf, NULL, "", want);
	bus_close(&b);
	if (ret)
		goto out;
	ret = -1;
	if (ahci_sim_open(&io, spec) || !(hb = ahci_sim_bus(&io)))
		goto out;
	hba_count_wrap(&io);
	if (ahci_open(&hba, &io) || ahci_port_start(&hba.port[2])) {
		io.ops = hba_count.inner;
		io.ops->close(&io);
		goto out;
	}
	taskfile_ahci_init(&t, &hba.port[2]);
	t.packet = 1;
	ret = transport_dump("AHCI (Register FIS)", &t, hb, size, buf, &hba_count.accesses, "hba mmio", want);
	ahci_close(&hba);
	if (ret)
		goto out;
	ret = -1;
	counted_sg.ioctl = sg_ioctl;
	if (sim_sat_open(spec, 0, err, sizeof(err)) || sgio_open(&pt, "/dev/sr0", SGIO_EXCL, &counted_sg)) {
		sim_sat_close();
		goto out;
	}
	ts.pt = &pt;
	ts.clock = sim_sat_bus();
	taskfile_sat_init(&t, &ts);
	t.packet = 1;
	ret = transport_dump("SG_IO ATA PASS-THROUGH", &t, sim_sat_bus(), size, buf, &sg_ioctls, "ioctls", want);
	pt.ops->close(&pt);
	sim_sat_close();
	printf("  (a FIS or an SG_IO call carries one vendor command: one byte of a parallel chip; the\n"
	       "   raw path's cost is its register accesses)\n");
out:
	free(buf);
	free(want);
	return ret;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * odrescue wait on the simulator with clock=real, as a user runs it:
 * seconds until the line that says the drive appeared (after the
 * simulated plug at plug_ms, or never), and the CPU it used meanwhile.
 * Ctrl-C (SIGINT) ends it once the line came.
 */
static int wait_case(const char *spec, double *appeared, double *cpu, double *wall)
{
	char sim[256], line[512];
	int fds[2], status;
	struct rusage ru;
	double t0 = mono();
	pid_t pid;
	FILE *f;

	snprintf(sim, sizeof(sim), "sim:clock=real,%s", spec);
	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execl(bin, bin, "-p", sim, "wait", "3", "--timeout", "3", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	*appeared = -1;
	while (f && fgets(line, sizeof(line), f))
		if (*appeared < 0 && strstr(line, "a device appeared")) {
			*appeared = mono() - t0;
			kill(pid, SIGINT);
		}
	if (f)
		fclose(f);
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	*wall = mono() - t0;
	*cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	return 0;
}

static int bench_wait(void)
{
	double app, cpu, wall, lat_max = 0, lat_sum = 0;
	const int plug_ms = 300, runs = 5;

	printf("wait 3 on the simulator, clock=real (target: report within 50 ms, under 5%% of a CPU)\n");
	if (wait_case("scenario=empty", &app, &cpu, &wall) || app >= 0)
		return -1;
	printf("  nothing plugged, --timeout 3: %.2f s wall, %.3f s CPU = %.2f%% of a CPU\n", wall, cpu,
	       100 * cpu / wall);
	for (int i = 0; i < runs; i++) {
		char spec[64];
		double lat;

		snprintf(spec, sizeof(spec), "scenario=hotplug,plug_after=%d", plug_ms);
		if (wait_case(spec, &app, &cpu, &wall) || app < 0)
			return -1;
		lat = app - plug_ms / 1e3;	/* includes odrescue's own start-up */
		lat_sum += lat;
		if (lat > lat_max)
			lat_max = lat;
	}
	printf("  drive plugged at %d ms, %d runs: reported %.1f ms after it on average, %.1f ms at worst\n",
	       plug_ms, runs, 1e3 * lat_sum / runs, 1e3 * lat_max);
	return 0;
}

/*
 * clock=real flashes, as a user rehearses them: every access costs its
 * model time, the process is preempted as the machine decides. The demo's
 * command (a fresh default drive, the demo image) and the full and patch
 * flashes of each bench chip, REAL_RUNS times each (20); a run counts when
 * odrescue exits 0 and the drive holds the image.
 */
static int real_case(const char *what, const char *spec, const uint8_t *old, const uint8_t *img, uint32_t size,
		     int runs)
{
	char cmd[2048];
	double t0, sum = 0;
	int ok = 0;

	if (write_file(p("img.bin"), img, size))
		return -1;
	for (int i = 0; i < runs; i++) {
		FILE *f;
		uint8_t *got = malloc(size);
		int good;

		unlink(p("b1.bin"));
		unlink(p("st.bin"));
		if (!got || (old && write_file(p("st.bin"), old, size))) {
			free(got);
			return -1;
		}
		snprintf(cmd, sizeof(cmd), "cd %s && %s -p sim:clock=real,%sstate=%s flash 3 %s --yes --backup %s "
			 ">/dev/null 2>&1", dir, bin, spec, p("st.bin"), p("img.bin"), p("b1.bin"));
		t0 = mono();
		good = system(cmd) == 0;
		sum += mono() - t0;
		/* the state file holds the whole machine: dump the drive to compare */
		snprintf(cmd, sizeof(cmd), "%s -p sim:%sstate=%s dump 3 %s >/dev/null 2>&1", bin, spec, p("st.bin"),
			 p("d.bin"));
		unlink(p("d.bin"));
		f = good && system(cmd) == 0 ? fopen(p("d.bin"), "rb") : NULL;
		good = f && fread(got, 1, size, f) == size && !memcmp(got, img, size);
		if (f)
			fclose(f);
		free(got);
		ok += good;
	}
	printf("  %-24s %2d of %2d succeeded, %.1f s each on average\n", what, ok, runs, sum / runs);
	return ok == runs ? 0 : -1;
}

static int bench_real(void)
{
	const char *env = getenv("REAL_RUNS");
	int runs = env ? atoi(env) : 20, ret = 0;
	static const struct { const char *chip; uint32_t kib; } chips[] = { { "SST39SF040", 512 }, { "SST39VF080", 1024 } };
	uint8_t *old = malloc(1024 * KIB), *img = malloc(1024 * KIB), *patch = malloc(1024 * KIB);
	char spec[64], what[64];

	if (!old || !img || !patch || runs < 1)
		ret = -1;
	if (!ret)
		printf("clock=real flashes (%d ns per register access, the machine's own preemption)\n", SIM_REG_NS);
	/* make demo's image over the default drive */
	if (!ret) {
		fwgen_make(img, 512 * KIB, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 1);
		ret |= real_case("demo image", "", NULL, img, 512 * KIB, runs);
	}
	for (size_t c = 0; !ret && c < sizeof(chips) / sizeof(chips[0]); c++) {
		const struct simflash_chip *k = simflash_chip_find(chips[c].chip);
		uint32_t size = chips[c].kib * KIB;

		/* the images bench_chip flashes */
		fwgen_make(img, size, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 2);
		fwgen_make(old, size, "LITE-ON", "DVDRW SOHW-1653S", "CS0P", 1);
		for (uint32_t u = 0; u < size; u += k->sector)
			if (!memcmp(old + u, img + u, k->sector))
				old[u + k->sector / 2] ^= 0x01;
		memcpy(patch, img, size);
		for (int i = 1; i <= 3; i++)
			patch[i * (size / 4) + 0x123] ^= 0x5a;
		snprintf(spec, sizeof(spec), "chip=%s,", k->name);
		snprintf(what, sizeof(what), "%s full", k->name);
		ret |= real_case(what, spec, old, img, size, runs);
		snprintf(what, sizeof(what), "%s patch", k->name);
		ret |= real_case(what, spec, img, patch, size, runs);
	}
	free(old);
	free(img);
	free(patch);
	return ret;
}

int main(int argc, char **argv)
{
	static char abs_bin[PATH_MAX];
	int ret = 0;

	/* real_case runs it from its own directory: a relative name would not be found there */
	if (argc > 1)
		bin = argv[1];
	if (!realpath(bin, abs_bin)) {
		fprintf(stderr, "bench: %s: %s\n", bin, strerror(errno));
		return 1;
	}
	bin = abs_bin;
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	printf("odrescue bench on the simulator (virtual clock, %d ns per register access)\n", SIM_REG_NS);
	if (bench_transports()) {
		fprintf(stderr, "bench: the transport comparison failed\n");
		ret = 1;
	}
	if (argc > 2 && !strcmp(argv[2], "transports"))
		goto out;	/* odrescue-bench BIN transports: that table alone */
	ret |= bench_chip("SST39SF040", 512);
	ret |= bench_chip("SST39VF080", 1024);
	if (bench_wait()) {
		fprintf(stderr, "bench: wait failed\n");
		ret = 1;
	}
	if (bench_real()) {
		fprintf(stderr, "bench: a clock=real flash failed\n");
		ret = 1;
	}
out:
	for (const char *f = "st.bin\0img.bin\0d.bin\0b1.bin\0b2.bin\0"; *f; f += strlen(f) + 1)
		unlink(p(f));
	rmdir(dir);
	return ret ? 1 : 0;
}
