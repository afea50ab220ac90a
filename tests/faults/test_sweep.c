/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The interruption sweep: flash, erase and rescue on a parallel and a
 * serial chip, with an image that changes the identity unit (a new
 * firmware revision, as every real update does) and one that does not,
 * interrupted once by a power cut, a pulled cable (the IDE bus floats; a
 * SATA port's link drops), a Ctrl-C or a SIGKILL
 * at seeded points spread over every phase (probe and vendor mode, the
 * reads, the writes, the verify). The simulator's state= is the drive, so
 * a killed run leaves what a real drive would hold. Each case then does
 * what the user is told: the command odrescue printed last, or the same
 * command again when it printed none (it was killed, or nothing was
 * written), until one ends with exit 0. A case is recovered when the drive
 * holds the image (erase: all FFh), the backup equals the flash before the
 * run, the image file is unchanged, no journal or stray file is left, no
 * run broke the protocol and every exit came with its line. The table is
 * printed. ODRESCUE_SWEEP_SEED picks other points, ODRESCUE_SWEEP_ONLY=TEXT
 * runs the configurations whose name holds TEXT (then it may run fewer than 300).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/sim/fwgen.h"
#include "tests/tst.h"

#define UNIT	4096u
#define RERUNS	4		/* commands a user follows after the interrupted one */
#define POINTS	8		/* interruption points per configuration and kind */

enum cmd { FLASH, ERASE, RESCUE };

struct config {
	const char *name;
	enum cmd cmd;
	const char *sim;	/* sim parameters, '+'-separated inside fault:inner= */
	uint32_t size;
	int ident;		/* the image changes the identity unit */
	int sata;		/* behind the modelled AHCI HBA (port p2): the faults hit its device side */
};

static const struct config configs[] = {
	{ "flash parallel, new revision", FLASH, "chip=SST39SF010A", 128 * 1024, 1, 0 },
	{ "flash parallel, same revision", FLASH, "chip=SST39SF010A", 128 * 1024, 0, 0 },
	{ "flash serial, new revision", FLASH, "scenario=spi+chip=MX25L2005", 256 * 1024, 1, 0 },
	{ "flash serial, same revision", FLASH, "scenario=spi+chip=MX25L2005", 256 * 1024, 0, 0 },
	{ "erase parallel", ERASE, "chip=SST39SF010A", 128 * 1024, 0, 0 },
	{ "erase serial", ERASE, "scenario=spi+chip=MX25L2005", 256 * 1024, 0, 0 },
	{ "rescue parallel, new revision", RESCUE, "scenario=bricked+chip=SST39SF010A", 128 * 1024, 1, 0 },
	{ "rescue parallel, same revision", RESCUE, "scenario=bricked+chip=SST39SF010A", 128 * 1024, 0, 0 },
	{ "rescue serial, new revision", RESCUE, "scenario=bricked+chip=MX25L2005", 256 * 1024, 1, 0 },
	{ "rescue serial, same revision", RESCUE, "scenario=bricked+chip=MX25L2005", 256 * 1024, 0, 0 },
	{ "flash parallel, SATA port", FLASH, "chip=SST39SF010A", 128 * 1024, 1, 1 },
	{ "rescue serial, SATA port", RESCUE, "scenario=bricked+chip=MX25L2005", 256 * 1024, 1, 1 },
};

static const char *const kinds[] = { "power_at", "unplug_at", "sigint_at", "kill_at" };
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

static char *dir;
static struct tst_run run;

#define path(name) tst_path(dir, name)

static uint64_t rng;

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A point in [lo, hi). */
static unsigned long long between(unsigned long long lo, unsigned long long hi)
{
	return hi > lo ? lo + next() % (hi - lo) : lo;
}

/* The case's command, with fault parameters (may be empty) and extra options. */
static int command(const struct config *k, const char *fault, const char *extra)
{
	char spec[1024];
	const char *pos = k->sata ? "p2" : "3";

	snprintf(spec, sizeof(spec), "fault:inner=sim:state=%s+%s%s%s%s", path("st.bin"), k->sim,
		 k->sata ? "+hba=ahci" : "", *fault ? "," : "", fault);
	tst_cli_expect_violation = 1;	/* counted as a loss below, with the others */
	switch (k->cmd) {
	case ERASE:
		return tst_cli(&run, "-p %s erase %s --yes --yes-i-know-what-i-am-doing --backup %s%s", spec, pos,
			       path("bk/b.bin"), extra);
	case RESCUE:
		return tst_cli(&run, "-p %s rescue %s %s --yes --backup %s%s", spec, pos, path("new.bin"),
			       path("bk/b.bin"), extra);
	default:
		return tst_cli(&run, "-p %s flash %s %s --yes --backup %s%s", spec, pos, path("new.bin"),
			       path("bk/b.bin"), extra);
	}
}

/* The fault layer's access count of a clean run (-v). */
static unsigned long long accesses(void)
{
	const char *p = strstr(run.err, "fault: ");

	return p ? strtoull(p + 7, NULL, 10) : 0;
}

/* Nothing but the backup (and its .info) in its directory at the end: no journal, no temporary file. */
static int leftovers(void)
{
	DIR *d = opendir(path("bk"));
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "b.bin") &&
		     strcmp(e->d_name, "b.bin.info");
	if (d)
		closedir(d);
	return n;
}

/* The images: before (a dead drive's has bank 1 erased) and the one to write. */
static void images(const struct config *k, uint8_t *old, uint8_t *img)
{
	static const uint32_t units[] = { 2, 9, 30 };

	fwgen_make(old, k->size, "ODRESCUE", "SWEEP DRIVE", "RV01", 3);
	fwgen_make(img, k->size, "ODRESCUE", "SWEEP DRIVE", k->ident ? "RV02" : "RV01", 3);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		memset(img + units[i] * UNIT + 0x200, 0x21 + (int)i, 0x400);
	if (k->cmd == RESCUE)
		memset(old + FWGEN_BANK, 0xff, FWGEN_BANK);	/* a flash that died in bank 1 */
	if (k->cmd == ERASE)
		memset(img, 0xff, k->size);
}

struct tally {
	unsigned cases, recovered, lost;
};

/* One case: the interrupted command, then what the user is told; 1 recovered (or not interrupted), 0 lost. */
static int one(const struct config *k, const char *kind, unsigned long long at, const uint8_t *old,
	       const uint8_t *img, char *why, size_t whylen)
{
	char fault[64], cmd[4096];
	int rc, rr = -1, n = 0, bad = 0;

	unlink(path("bk/b.bin"));
	unlink(path("bk/b.bin.info"));
	unlink(path("bk/b.bin.provisional"));	/* a lost case's, so the next one starts clean */
	unlink(path(k->sata ? "bk/odrescue-p2.journal" : "bk/odrescue-3.journal"));
	unlink(path("st.bin"));
	ck_assert_int_eq(tst_write_file(path("st.bin"), old, k->size), 0);	/* a flash image seeds the drive */
	snprintf(fault, sizeof(fault), "%s=%llu", kind, at);
	rc = command(k, fault, "");
	why[0] = '\0';
#define LOSE(...) do { if (!bad++) snprintf(why, whylen, __VA_ARGS__); } while (0)
	if (tst_violations(&run))
		LOSE("exit %d broke the protocol", rc);
	if (rc != 0 && rc != 128 + 9 && !strstr(run.err, "odrescue: "))
		LOSE("exit %d without a line", rc);
	if (rc == 9 && !strstr(run.err, "--resume"))
		LOSE("exit 9 without the command that finishes it");
	if (rc != 0 && rc != 2 && rc != 5 && rc != 7 && rc != 9 && rc != 128 + 9)
		LOSE("exit %d is not one a stop or a fault may end in", rc);
	/* What the user does: the printed command, else the same one again. */
	for (rr = rc; rr && n < RERUNS && !bad; n++) {
		if (!tst_printed(&run, cmd, sizeof(cmd))) {
			tst_cli_expect_violation = 1;
			rr = tst_cli(&run, "%s", cmd);
		} else {
			rr = command(k, "", "");
		}
		if (tst_violations(&run))
			LOSE("a rerun (exit %d) broke the protocol", rr);
		if (rr && !strstr(run.err, "odrescue: "))
			LOSE("a rerun ended with exit %d and no line", rr);
	}
	if (!bad && rr)
		LOSE("still exit %d after %d reruns: %.300s", rr, n, run.err);
	if (!bad && !tst_sim_flash_equals(path("st.bin"), img, k->size))
		LOSE("the drive does not hold the %s", k->cmd == ERASE ? "erased flash" : "image");
	if (!bad && !tst_file_equals(path("bk/b.bin"), old, k->size))
		LOSE("the backup is not the flash before the run");
	if (!bad && leftovers())
		LOSE("a journal or a temporary file was left");
	if (!bad && k->cmd != ERASE && !tst_file_equals(path("new.bin"), img, k->size))
		LOSE("the image file changed");
#undef LOSE
	return !bad;
}

START_TEST(test_sweep)
{
	const char *env = getenv("ODRESCUE_SWEEP_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : 14;
	struct tally all = { 0 };
	uint8_t *old = malloc(1024 * 1024), *img = malloc(1024 * 1024);
	char why[512];

	ck_assert(old && img);
	rng = seed;
	dir = tst_mkdtemp();
	ck_assert_ptr_nonnull(dir);
	tst_cli_cwd = dir;
	ck_assert_int_eq(mkdir(path("bk"), 0755), 0);
	printf("\ninterruption sweep, seed %llu: each case follows the command odrescue printed\n"
	       "  %-32s %-10s %5s %9s %4s\n", (unsigned long long)seed, "configuration", "fault", "cases",
	       "recovered", "lost");
	for (size_t c = 0; c < sizeof(configs) / sizeof(configs[0]); c++) {
		const struct config *k = &configs[c];
		unsigned long long t_reads, t_total, probe, verify;

		if (getenv("ODRESCUE_SWEEP_ONLY") && !strstr(k->name, getenv("ODRESCUE_SWEEP_ONLY")))
			continue;

		images(k, old, img);
		ck_assert_int_eq(tst_write_file(path("new.bin"), img, k->size), 0);
		/* The phases on a clean run: the reads end where the dry run ends. */
		unlink(path("bk/b.bin"));
		unlink(path("bk/b.bin.info"));
		unlink(path("st.bin"));
		ck_assert_int_eq(tst_write_file(path("st.bin"), old, k->size), 0);
		ck_assert_msg(command(k, "", " --dry-run -v") == 0, "%s: %s", k->name, run.err);
		t_reads = accesses();
		unlink(path("bk/b.bin"));
		unlink(path("bk/b.bin.info"));
		unlink(path("st.bin"));
		ck_assert_int_eq(tst_write_file(path("st.bin"), old, k->size), 0);
		ck_assert_msg(command(k, "", " -v") == 0, "%s: %s", k->name, run.err);
		t_total = accesses();
		ck_assert_msg(t_reads && t_total > t_reads, "%s: %llu, %llu", k->name, t_reads, t_total);
		probe = t_reads / 16;		/* the probe, the vendor intro, the chip id: the first accesses */
		verify = t_total - (t_total - t_reads) / 4;
		for (size_t f = 0; f < NKINDS; f++) {
			struct tally t = { 0 };

			for (unsigned i = 0; i < POINTS; i++) {
				/* 2 in the probe, 2 in the reads, 3 in the writes, 1 in the verify */
				unsigned long long at = i < 2 ? between(1, probe) : i < 4 ? between(probe, t_reads) :
							i < 7 ? between(t_reads, verify) : between(verify, t_total);

				t.cases++;
				if (one(k, kinds[f], at, old, img, why, sizeof(why))) {
					t.recovered++;
				} else {
					t.lost++;
					printf("  LOST: %s, %s=%llu: %s\n", k->name, kinds[f], at, why);
				}
			}
			printf("  %-32s %-10s %5u %9u %4u\n", k->name, kinds[f], t.cases, t.recovered, t.lost);
			all.cases += t.cases;
			all.recovered += t.recovered;
			all.lost += t.lost;
		}
	}
	printf("  %-32s %-10s %5u %9u %4u\n", "all", "", all.cases, all.recovered, all.lost);
	fflush(stdout);
	ck_assert_uint_ge(all.cases, getenv("ODRESCUE_SWEEP_ONLY") ? 1 : 380);
	ck_assert_uint_eq(all.lost, 0);
	tst_cli_cwd = NULL;
	tst_rmdir(dir);
	free(dir);
	free(old);
	free(img);
}
END_TEST

Suite *suite_sweep(void)
{
	Suite *s = suite_create("sweep");
	TCase *tc = tcase_create("interruptions");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_sweep);
	suite_add_tcase(s, tc);
	return s;
}
