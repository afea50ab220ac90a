// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * make bench: what dump and flash cost on the simulator's virtual clock,
 * next to the floor the same model allows. Runs the real binary (-v
 * prints the simulator's counters) on a state file per case:
 *   dump    read the whole chip once
 *   full    every erase unit differs from the image
 *   patch   the image differs from the drive in 3 erase units
 * The floor: 8 register accesses per byte read and 4 x 8 + 8 per byte
 * programmed (mtk-protocol.md 2.5/2.6: six writes, a status poll and a
 * data read per byte; four write cycles and one data#-poll read per
 * program), one read of the chip for the backup, one read of each
 * changed unit for the verify, plus the chip's own erase and program
 * times; each access costs SIM_REG_NS.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hw/sim/fwgen.h"
#include "hw/sim/sim.h"
#include "hw/sim/simflash.h"

#define KIB 1024u
#define ACC_READ	8	/* register accesses per byte read in vendor mode */
#define ACC_PROG	(4 * 8 + 8)	/* four write cycles, one data#-poll read */
#define ACC_ERASE	(6 * 8 + 8)	/* six write cycles, one poll */

struct cost {
	uint64_t acc, ns;
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

/* Run odrescue -v on the simulator; the counters come from its "sim:" line. */
static int run(struct cost *c, const char *chip, const char *args)
{
	char cmd[2048], line[512];
	unsigned long long r, w, ns;
	int found = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s -v -p sim:chip=%s,state=%s %s 2>&1 >/dev/null", bin, chip,
		 p("st.bin"), args);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "odrescue: sim: %llu reads, %llu writes, %*u bytes in, %*u bytes out, %llu "
			   "virtual ns", &r, &w, &ns) == 3) {
			c->acc = r + w;
			c->ns = ns;
			found = 1;
		}
	if (pclose(f) != 0 || !found) {
		fprintf(stderr, "bench: '%s' failed\n", cmd);
		return -1;
	}
	return 0;
}

/*
 * The floor for a flash from old to img. safe = 0: one backup read and a
 * verify of the changed units, the least any flash that backs up and
 * verifies can do. safe = 1: the reads odrescue promises on top (the
 * backup read a second time to prove it, the whole chip verified).
 */
static struct cost floor_flash(const struct simflash_chip *k, const uint8_t *old, const uint8_t *img,
			       int safe)
{
	struct cost f = { .acc = (uint64_t)k->size * ACC_READ * (safe ? 3 : 1) };

	for (uint32_t u = 0; u < k->size; u += k->sector) {
		if (!memcmp(old + u, img + u, k->sector))
			continue;
		f.acc += ACC_ERASE + (safe ? 0 : (uint64_t)k->sector * ACC_READ);
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

static void row(const char *what, uint32_t size, const struct cost *m, const struct cost *lo,
		const struct cost *safe)
{
	printf("  %-6s %7.2f %7.2f %7.2f %9.2f %9.2f %9.2f %6.2fx %6.2fx\n", what, (double)m->acc / size,
	       (double)lo->acc / size, (double)safe->acc / size, m->ns / 1e9, lo->ns / 1e9, safe->ns / 1e9,
	       (double)m->ns / (double)lo->ns, (double)m->ns / (double)safe->ns);
}

static int bench_chip(const char *name, uint32_t kib)
{
	const struct simflash_chip *k = simflash_chip_find(name);
	uint32_t size = kib * KIB;
	uint8_t *old = malloc(size), *img = malloc(size), *patch = malloc(size);
	struct cost dump, full, part, lim, lo, safe, plo, psafe;
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
	printf("  %-6s %7s %7s %7s %9s %9s %9s %7s %7s\n", "case", "acc/B", "floor", "safe", "seconds",
	       "floor s", "safe s", "/floor", "/safe");
	lim = (struct cost){ (uint64_t)size * ACC_READ, (uint64_t)size * ACC_READ * SIM_REG_NS };
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
	printf("  patch/full: %.1f%% of the time (target < 5%%); floor %.1f%%, safe floor %.1f%%\n",
	       100.0 * part.ns / full.ns, 100.0 * plo.ns / lo.ns, 100.0 * psafe.ns / safe.ns);
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "bench: %s failed\n", name);
	free(old);
	free(img);
	free(patch);
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

int main(int argc, char **argv)
{
	int ret = 0;

	if (argc > 1)
		bin = argv[1];
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	printf("odrescue bench on the simulator (virtual clock, %d ns per register access)\n", SIM_REG_NS);
	ret |= bench_chip("SST39SF040", 512);
	ret |= bench_chip("SST39VF080", 1024);
	if (bench_wait()) {
		fprintf(stderr, "bench: wait failed\n");
		ret = 1;
	}
	for (const char *f = "st.bin\0img.bin\0d.bin\0b1.bin\0b2.bin\0"; *f; f += strlen(f) + 1)
		unlink(p(f));
	rmdir(dir);
	return ret ? 1 : 0;
}
