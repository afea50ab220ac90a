/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * flash, verify, erase and dump through the CLI against the simulator,
 * with the drive's flash kept in a state file between runs: round trips
 * on every simulated chip, every refusal leaving the flash untouched, a
 * power cut followed by --resume, a flaky cable outvoted.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/sim/simflash.h"
#include "tests/tst.h"

#define KIB 1024u
#define MODEL "DVDRW SOHW-1653S"

static struct tst_run run;

#define path(name) tst_path(tst_dir, name)

#define image(name, size, product, rev, seed) tst_fw_image(path(name), size, "LITE-ON", product, rev, seed)

/* A file, or the drive's flash when it is the simulator's saved machine (st.bin). */
static uint8_t *slurp(const char *name, size_t *len)
{
	uint8_t *b = tst_sim_flash(path(name), len);

	ck_assert_msg(b != NULL, "%s missing", name);
	return b;
}

#define same(name, want, len) tst_sim_flash_equals(path(name), want, len)

static int exists(const char *name)
{
	return !access(path(name), F_OK);
}

/* MTK .hex as btcflash reads it: ":00000155AA" before each next bank, no lines for erased runs. */
static void write_hex(const char *name, const uint8_t *d, uint32_t len)
{
	FILE *f = fopen(path(name), "w");

	ck_assert_ptr_nonnull(f);
	for (uint32_t off = 0; off < len; off += 16) {
		unsigned sum;
		int ff = 1;

		if (off && !(off & 0xffff))
			fputs(":00000155AA\n", f);
		for (int i = 0; i < 16; i++)
			ff &= d[off + i] == 0xff;
		if (ff)
			continue;
		sum = 16 + ((off >> 8) & 0xff) + (off & 0xff);
		fprintf(f, ":10%04X00", off & 0xffff);
		for (int i = 0; i < 16; i++) {
			fprintf(f, "%02X", d[off + i]);
			sum += d[off + i];
		}
		fprintf(f, "%02X\n", (unsigned)(-sum) & 0xff);
	}
	fputs(":00000001FF\n", f);
	fclose(f);
}

/* Run odrescue on the simulator with the drive's flash in dir/st.bin. */
#define SIM(extra, fmt, ...) \
	tst_cli(&run, "-p sim:state=%s%s " fmt, path("st.bin"), extra, ##__VA_ARGS__)

START_TEST(test_round_trip_every_chip)
{
	for (const struct simflash_chip *k = simflash_chips; k->name; k++) {
		char spec[64];
		uint8_t *old, *img;

		if (!k->spi && k->page > 1)
			continue;	/* a page-write part is never written (test_parflash) */
		snprintf(spec, sizeof(spec), ",chip=%s", k->name);
		unlink(path("st.bin"));
		unlink(path("b.bin"));
		old = image("old.bin", k->size, MODEL, "CS0P", 1);
		ck_assert_int_eq(tst_write_file(path("st.bin"), old, k->size), 0);
		img = image("new.bin", k->size, MODEL, "CS0Q", 99);
		ck_assert_msg(SIM(spec, "flash 3 %s --yes --backup %s", path("new.bin"), path("b.bin")) == 0,
			      "%s: %s", k->name, run.err);
		ck_assert_msg(strstr(run.out, "Drive now reports [LITE-ON ][" MODEL "][CS0Q]"), "%s: %s",
			      k->name, run.out);
		ck_assert_msg(same("b.bin", old, k->size), "%s: backup is not the old flash", k->name);
		ck_assert_msg(same("st.bin", img, k->size), "%s: flash does not hold the image", k->name);
		ck_assert_int_eq(SIM(spec, "verify 3 %s", path("new.bin")), 0);
		ck_assert_int_eq(SIM(spec, "verify 3 %s", path("old.bin")), 8);
		ck_assert_ptr_nonnull(strstr(run.err, "first at"));
		free(old);
		free(img);
	}
}
END_TEST

/*
 * The verify is the only check of a serial page program's data (the chip
 * reports a program done, not what it stored): a cell that never takes one
 * must end the flash with the verify's failure and its address, never
 * "verified".
 */
START_TEST(test_verify_catches_a_cell_that_did_not_take)
{
	const uint32_t size = 1024 * KIB, weak = 0x23456;
	uint8_t *old = image("old.bin", size, MODEL, "CS0P", 1), *img = malloc(size);
	size_t n;
	uint8_t *flash;

	ck_assert_ptr_nonnull(img);
	memcpy(img, old, size);
	img[weak] = old[weak] == 0x12 ? 0x34 : 0x12;	/* not FFh: the erased cell must be programmed */
	ck_assert_int_eq(tst_write_file(path("new.bin"), img, size), 0);
	ck_assert_int_eq(tst_write_file(path("st.bin"), old, size), 0);
	ck_assert_int_eq(SIM(",chip=MX25L8005,weak=0x23456", "flash 3 %s --yes --backup %s", path("new.bin"),
			     path("b.bin")), 9);
	ck_assert_msg(strstr(run.err, "verify failed: the flash differs from the image at 023456h"), "%s", run.err);
	ck_assert_ptr_null(strstr(run.out, "verified"));
	flash = slurp("st.bin", &n);
	ck_assert_uint_eq(flash[weak], 0xff);	/* erased, and the program did not take */
	flash[weak] = img[weak];
	ck_assert(!memcmp(flash, img, size));	/* everything else was written */
	free(flash);
	free(old);
	free(img);
}
END_TEST

START_TEST(test_dump_after_flash_is_the_image)
{
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);

	ck_assert_int_eq(SIM("", "flash 3 %s --yes --backup %s", path("new.bin"), path("b.bin")), 0);
	ck_assert_int_eq(SIM("", "dump 3 %s", path("again.bin")), 0);
	ck_assert(same("again.bin", img, 512 * KIB));
	free(img);
}
END_TEST

START_TEST(test_hex_and_bin_flash_the_same)
{
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);
	size_t n1, n2;
	uint8_t *a, *b;

	write_hex("new.hex", img, 512 * KIB);
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --backup %s", path("new.hex"), path("b1.bin")), 0);
	rename(path("st.bin"), path("st-hex.bin"));
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --backup %s", path("new.bin"), path("b2.bin")), 0);
	a = slurp("st-hex.bin", &n1);
	b = slurp("st.bin", &n2);
	ck_assert_uint_eq(n1, n2);
	ck_assert(!memcmp(a, b, n1));
	ck_assert(!memcmp(a, img, n1));
	free(a);
	free(b);
	free(img);
}
END_TEST

/* A refusal: the documented exit code, one line naming why, the flash and the files untouched. */
static void refused(const char *extra, const char *args, int code, const char *why)
{
	size_t n;
	uint8_t *before;

	unlink(path("st.bin"));
	ck_assert_int_eq(SIM(extra, "identify 3"), 0);	/* the sim saves its flash: st.bin */
	before = slurp("st.bin", &n);
	ck_assert_msg(SIM(extra, "%s", args) == code, "%s: exit %d, want %d: %s", args, run.status, code,
		      run.err);
	ck_assert_msg(strstr(run.err, why), "%s: '%s' not in: %s", args, why, run.err);
	ck_assert_msg(!strstr(run.err, "protocol violation"), "%s: %s", args, run.err);
	ck_assert_msg(same("st.bin", before, n), "%s: the flash changed", args);
	ck_assert_msg(!exists("b.bin") && !exists("odrescue-3.journal"), "%s: files left", args);
	free(before);
}

START_TEST(test_refusals_touch_nothing)
{
	char a[1024];
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);

	free(image("other.bin", 512 * KIB, "DVD+RW SOHW-832S", "CS0Q", 5));
	free(image("big.bin", 1024 * KIB, MODEL, "CS0Q", 5));
	ck_assert_int_eq(tst_write_file(path("odd.bin"), img, 300 * KIB), 0);
	snprintf(a, sizeof(a), "flash 3 %s --yes --backup %s", path("new.bin"), path("old/b.bin"));
	refused("", a, 5, "cannot create the backup");
	snprintf(a, sizeof(a), "flash 1 %s --yes --backup %s", path("new.bin"), path("b.bin"));
	refused("", a, 5, "ATA disk");
	snprintf(a, sizeof(a), "flash 3 %s --yes --backup %s", path("other.bin"), path("b.bin"));
	refused("", a, 5, "--force-crossflash");
	snprintf(a, sizeof(a), "flash 3 %s --yes --backup %s", path("big.bin"), path("b.bin"));
	refused("", a, 5, "holds 512 KiB");
	snprintf(a, sizeof(a), "flash 3 %s --yes --backup %s", path("odd.bin"), path("b.bin"));
	refused("", a, 6, "odd.bin");
	snprintf(a, sizeof(a), "flash 3 %s --backup %s", path("new.bin"), path("b.bin"));
	refused("", a, 5, "--yes");
	snprintf(a, sizeof(a), "flash 3 %s --yes --backup %s", path("new.bin"), path("b.bin"));
	refused(",disc=1", a, 5, "disc");
	refused(",scenario=locked", a, 5, "locked");
	snprintf(a, sizeof(a), "flash 3 %s --yes --backup %s", path("missing.bin"), path("b.bin"));
	refused("", a, 6, "missing.bin");
	snprintf(a, sizeof(a), "erase 3 --yes --backup %s", path("b.bin"));
	refused("", a, 5, "--yes-i-know-what-i-am-doing");
	snprintf(a, sizeof(a), "erase 1 --yes --yes-i-know-what-i-am-doing --backup %s", path("b.bin"));
	refused("", a, 5, "ATA disk");
	snprintf(a, sizeof(a), "flash 3 %s --yes --no-verify --backup %s", path("new.bin"), path("b.bin"));
	refused("", a, 1, "--no-verify");

	/* An existing backup file is never overwritten. */
	tst_write_file(path("b.bin"), "x", 1);
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --backup %s", path("new.bin"), path("b.bin")), 5);
	ck_assert_ptr_nonnull(strstr(run.err, "exists"));
	ck_assert(same("b.bin", (const uint8_t *)"x", 1));
	free(img);
}
END_TEST

START_TEST(test_crossflash_needs_the_flag)
{
	uint8_t *img = image("other.bin", 512 * KIB, "DVD+RW SOHW-832S", "CS0Q", 5);

	ck_assert_int_eq(SIM("", "flash 3 %s --yes --force-crossflash --backup %s", path("other.bin"),
			     path("b.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.err, "crossflash"));
	ck_assert_ptr_nonnull(strstr(run.out, "[DVD+RW SOHW-832S][CS0Q]"));
	ck_assert(same("st.bin", img, 512 * KIB));
	free(img);
}
END_TEST

START_TEST(test_dry_run_backs_up_and_writes_nothing)
{
	size_t n;
	uint8_t *before, *img = malloc(512 * KIB);

	ck_assert_int_eq(SIM("", "dump 3 %s", path("cur.bin")), 0);
	before = slurp("cur.bin", &n);
	memcpy(img, before, n);
	img[0x12345] ^= 0x5a;	/* three erase units differ */
	img[0x23456] ^= 0x01;
	img[0x7ff00] ^= 0x80;
	ck_assert_int_eq(tst_write_file(path("patch.bin"), img, n), 0);
	ck_assert_int_eq(SIM("", "flash 3 %s --dry-run --backup %s", path("patch.bin"), path("b.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "would change 3 of 128 erase units"));
	ck_assert(same("b.bin", before, n));
	ck_assert(same("st.bin", before, n));
	ck_assert(!exists("odrescue-3.journal"));
	/* The real thing changes only those three units. */
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --backup %s", path("patch.bin"), path("b2.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.out, "3 of 128 erase units changed"));
	ck_assert(same("st.bin", img, n));
	free(before);
	free(img);
}
END_TEST

START_TEST(test_default_backup_name_and_journal_in_cwd)
{
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);
	char *p;

	ck_assert_int_eq(SIM("", "flash 3 %s --yes", path("new.bin")), 0);
	p = strstr(run.out, "Backup: backup-LITE-ON-DVDRW-SOHW-1653S-CS0P-");
	ck_assert_msg(p != NULL, "%s", run.out);
	p += strlen("Backup: ");
	*strchr(p, '\n') = '\0';
	ck_assert_msg(exists(p), "%s not in the working directory", p);
	ck_assert(!exists("odrescue-3.journal"));
	free(img);
}
END_TEST

START_TEST(test_power_cut_then_resume)
{
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);
	size_t n;
	uint8_t *orig;

	ck_assert_int_eq(SIM("", "dump 3 %s", path("orig.bin")), 0);
	orig = slurp("orig.bin", &n);
	/*
	 * The backup read and the second read of the units to write take about
	 * 7M accesses; the cut lands in the erase/program phase. The units left
	 * alone were read once: the backup is still provisional, and says so.
	 */
	ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:state=%s,power_at=12000000 flash 3 %s --yes "
				 "--backup %s", path("st.bin"), path("new.bin"), path("b.bin")), 9);
	ck_assert_ptr_nonnull(strstr(run.err, "DO NOT power off"));
	ck_assert_ptr_nonnull(strstr(run.err, "--resume"));
	ck_assert_msg(!strstr(run.err, "power_at="), "the printed command would cut the power again: %s", run.err);
	ck_assert_ptr_nonnull(strstr(run.err, "b.bin.provisional (journal "));
	ck_assert(same("b.bin.provisional", orig, n));
	ck_assert(!exists("b.bin"));
	ck_assert(exists("odrescue-3.journal"));
	ck_assert(!same("st.bin", img, n));
	/* Without --resume the journal stops a fresh start. */
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --backup %s", path("new.bin"), path("b3.bin")), 5);
	ck_assert_ptr_nonnull(strstr(run.err, "interrupted"));
	/* The journal is for new.bin: --resume with another image is refused, the flash left as it is. */
	{
		uint8_t *other = image("other.bin", 512 * KIB, MODEL, "CS0R", 7);
		size_t m;
		uint8_t *cut = slurp("st.bin", &m);

		ck_assert_int_eq(SIM("", "flash 3 %s --yes --resume --backup %s", path("other.bin"), path("b.bin")),
				 5);
		ck_assert_msg(strstr(run.err, "belongs to another image"), "%s", run.err);
		ck_assert(same("st.bin", cut, m));
		free(cut);
		free(other);
	}
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --resume --backup %s", path("new.bin"), path("b.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.err, "resuming"));
	ck_assert(same("st.bin", img, n));
	ck_assert(same("b.bin", orig, n));	/* the resume read the rest again: proven, named */
	ck_assert(!exists("b.bin.provisional"));
	ck_assert(!exists("odrescue-3.journal"));
	free(orig);
	free(img);
}
END_TEST

/*
 * Ctrl-C while writing is held until the erase unit in progress is done;
 * the session stops there, and another Ctrl-C while odrescue reads back
 * what the flash holds says the state and the resume command instead of
 * killing it. --resume then finishes. Ctrl-C while reading the flash
 * stops before the first erase: nothing written, and neither the backup
 * read once nor a journal naming it is left.
 */
START_TEST(test_ctrl_c)
{
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);
	size_t n;
	uint8_t *orig;

	ck_assert_int_eq(SIM("", "dump 3 %s", path("orig.bin")), 0);
	orig = slurp("orig.bin", &n);
	ck_assert_int_ne(tst_cli(&run, "-p fault:inner=sim:state=%s,sigint_at=1000 flash 3 %s --yes --backup %s",
				 path("st.bin"), path("new.bin"), path("b0.bin")), 9);
	ck_assert_ptr_nonnull(strstr(run.err, "stopping when the flash has been read; nothing has been written"));
	/* The units left alone were read once: that backup is dropped, and the name stays free. */
	ck_assert_ptr_nonnull(strstr(run.err, "stopped by a signal before anything was written to the drive"));
	ck_assert(!strstr(run.err, "the backup is complete"));
	ck_assert(!exists("b0.bin") && !exists("b0.bin.provisional"));
	ck_assert(same("st.bin", orig, n));
	ck_assert(!exists("odrescue-3.journal"));	/* it named that backup */

	ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:state=%s,sigint_at=12000000,sigints=2,"
				 "sigint_gap=400000 flash 3 %s --yes --backup %s", path("st.bin"),
				 path("new.bin"), path("b.bin")), 9);
	ck_assert_ptr_nonnull(strstr(run.err, "stopping after the erase unit in progress, never inside one"));
	ck_assert_ptr_nonnull(strstr(run.err, "reading back what the flash holds, then the advice"));
	ck_assert_ptr_nonnull(strstr(run.err, "The flash now holds:"));
	ck_assert_ptr_nonnull(strstr(run.err, "0 mixed"));	/* no unit left half done */
	ck_assert(exists("odrescue-3.journal"));
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --resume --backup %s", path("new.bin"), path("b.bin")), 0);
	ck_assert(same("st.bin", img, n));
	ck_assert(same("b.bin", orig, n));
	free(orig);
	free(img);
}
END_TEST

/*
 * A drive without working firmware: one Ctrl-C anywhere from the wait for
 * its power cycle to the backup read (accesses 500 to 6000) stops flash
 * with one line and nothing written (after the backup, a journal keeps it); it used to kill odrescue silently
 * while it waited for the power cycle.
 */
START_TEST(test_ctrl_c_dead_drive)
{
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);

	for (unsigned at = 500; at <= 6000; at += 250) {
		remove(path("st.bin"));
		remove(path("b.bin"));
		ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:state=%s+scenario=bricked,sigint_at=%u flash 3 %s "
					 "--yes --backup %s", path("st.bin"), at, path("new.bin"), path("b.bin")), 7);
		ck_assert_msg(strstr(run.err, "stop") && (strstr(run.err, "nothing was written") ||
							 strstr(run.err, "nothing has been written")), "at %u: %s", at, run.err);
		ck_assert_msg(!same("st.bin", img, 512 * KIB), "at %u: the image was written", at);
		/* stopped after the backup: its journal says how to go on with it */
		ck_assert(!exists("odrescue-3.journal") || strstr(run.err, "go on with: "));
		remove(path("odrescue-3.journal"));
	}
	free(img);
}
END_TEST

/* A working drive: one Ctrl-C from the first access to the session's (10 to 900) stops with nothing written. */
START_TEST(test_ctrl_c_before_session)
{
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);
	uint8_t *orig;
	size_t n;

	ck_assert_int_eq(SIM("", "dump 3 %s", path("orig.bin")), 0);
	orig = slurp("orig.bin", &n);
	for (unsigned at = 10; at <= 900; at += 89) {
		remove(path("b.bin"));
		ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:state=%s,sigint_at=%u flash 3 %s --yes --backup %s",
					 path("st.bin"), at, path("new.bin"), path("b.bin")), 7);
		ck_assert_msg(strstr(run.err, "stop") && (strstr(run.err, "nothing was written") ||
							 strstr(run.err, "nothing has been written")), "at %u: %s", at, run.err);
		ck_assert_msg(same("st.bin", orig, n), "at %u: the flash changed", at);
	}
	free(orig);
	free(img);
}
END_TEST

/* Entries of dir other than st.bin (the simulated drive): a leftover temporary shows up here. */
static unsigned stray_files(void)
{
	DIR *d = opendir(tst_dir);
	struct dirent *e;
	unsigned n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "st.bin") &&
		     strcmp(e->d_name, "new.bin");
	closedir(d);
	return n;
}

/*
 * dump and verify, one Ctrl-C from the intro to the last bank: they stop
 * with one line, exit 7, and dump leaves no file behind (its temporary
 * stayed, killed with the process, before).
 */
START_TEST(test_ctrl_c_read_only)
{
	static const unsigned at[] = { 5, 60, 300, 2000, 100000, 3000000 };
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:state=%s,sigint_at=%u dump 3 %s", path("st.bin"),
					 at[i], path("out.bin")), 7);
		ck_assert_msg(strstr(run.err, "stopped by a signal; ") && strstr(run.err, "out.bin was not written"),
			      "at %u: %s", at[i], run.err);
		ck_assert_msg(stray_files() == 0, "at %u: a file was left", at[i]);
		ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:state=%s,sigint_at=%u verify 3 %s", path("st.bin"),
					 at[i], path("new.bin")), 7);
		ck_assert_msg(strstr(run.err, "stopped by a signal; nothing was compared"), "at %u: %s", at[i],
			      run.err);
	}
	free(img);
}
END_TEST

START_TEST(test_flaky_cable_outvoted)
{
	size_t n;
	uint8_t *orig, *got, *img;
	int rc;

	ck_assert_int_eq(SIM("", "dump 3 %s", path("orig.bin")), 0);
	orig = slurp("orig.bin", &n);
	ck_assert_int_eq(tst_cli(&run, "-p fault:inner=sim:state=%s,seed=3,flip=200 dump 3 %s "
				 "--read-repeated 3", path("st.bin"), path("flaky.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.err, "majority"));
	got = slurp("flaky.bin", &n);
	ck_assert(!memcmp(got, orig, n));
	/*
	 * Where the backup read and a second read disagree, a third decides
	 * (the flaky cable may still fail a write: --resume finishes); in the
	 * end the backup is the drive's old flash, read at least twice.
	 */
	img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);
	rc = tst_cli(&run, "-p fault:inner=sim:state=%s,seed=3,flip=200 flash 3 %s --yes --backup %s",
		     path("st.bin"), path("new.bin"), path("b.bin"));
	ck_assert_msg(rc == 0 || rc == 9, "%s", run.err);
	ck_assert_ptr_nonnull(strstr(run.err, "a third read decided"));
	if (rc == 9)
		ck_assert_int_eq(SIM("", "flash 3 %s --yes --resume --backup %s", path("new.bin"), path("b.bin")),
				 0);
	ck_assert(same("st.bin", img, n));
	ck_assert(same("b.bin", orig, n));
	ck_assert(!exists("b.bin.provisional"));
	free(orig);
	free(got);
	free(img);
}
END_TEST

/*
 * --backup naming a finished backup (it has a sidecar, FILE.info): used
 * again when the sidecar names this drive and chip and one fresh read
 * equals the file; nothing is overwritten. Otherwise refused as before,
 * nothing written. (Before: any existing file was refused.)
 */
START_TEST(test_existing_backup_used)
{
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5), *orig, *info;
	size_t n, ni;

	ck_assert_int_eq(SIM("", "dump 3 %s", path("orig.bin")), 0);
	orig = slurp("orig.bin", &n);
	ck_assert_int_eq(SIM("", "flash 3 %s --dry-run --backup %s", path("new.bin"), path("b.bin")), 0);
	ck_assert(exists("b.bin.info"));
	info = tst_read_file(path("b.bin.info"), &ni);
	ck_assert_ptr_nonnull(info);
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --backup %s", path("new.bin"), path("b.bin")), 0);
	ck_assert_msg(strstr(run.err, "it is the backup, nothing overwritten"), "%s", run.err);
	ck_assert(!strstr(run.err, "Saving the current flash"));
	ck_assert(same("st.bin", img, n));
	ck_assert(same("b.bin", orig, n));
	ck_assert(tst_file_equals(path("b.bin.info"), info, ni));
	ck_assert(!exists("b.bin.provisional"));
	/* The drive holds the image now: the file is not its backup any more. */
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --backup %s", path("orig.bin"), path("b.bin")), 5);
	ck_assert_msg(strstr(run.err, "is not a backup of what the drive's flash holds now; nothing was written"),
		      "%s", run.err);
	ck_assert(same("st.bin", img, n));
	ck_assert(same("b.bin", orig, n));
	/* A sidecar of another chip, and a file with none: refused before the drive is read. */
	ck_assert_int_eq(tst_write_file(path("c.bin"), img, n), 0);
	ck_assert_int_eq(tst_putf("odrescue-backup 1\ndrive [LITE-ON][DVDRW SOHW-1653S]\nchip SST39VF080\n"
				  "chip_id bf d8 00\nsize 1048576\ncrc32 00000000\n", "%s", path("c.bin.info")), 0);
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --backup %s", path("orig.bin"), path("c.bin")), 5);
	ck_assert_msg(strstr(run.err, "records another drive or chip"), "%s", run.err);
	unlink(path("c.bin.info"));
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --backup %s", path("orig.bin"), path("c.bin")), 5);
	ck_assert_msg(strstr(run.err, "exists; odrescue does not overwrite files"), "%s", run.err);
	ck_assert(same("st.bin", img, n));
	ck_assert(same("c.bin", img, n));
	free(orig);
	free(info);
	free(img);
}
END_TEST

START_TEST(test_erase_then_flash_back)
{
	uint8_t ff[4096];
	size_t n;
	uint8_t *orig, *st;

	ck_assert_int_eq(SIM("", "dump 3 %s", path("orig.bin")), 0);
	orig = slurp("orig.bin", &n);
	ck_assert_int_eq(SIM("", "erase 3 --yes --yes-i-know-what-i-am-doing --backup %s", path("b.bin")), 0);
	st = slurp("st.bin", &n);
	memset(ff, 0xff, sizeof(ff));
	for (size_t off = 0; off < n; off += sizeof(ff))
		ck_assert(!memcmp(st + off, ff, sizeof(ff)));
	ck_assert(same("b.bin", orig, n));
	/* An erased drive has no firmware: only the flash's (empty) identity is there to check. */
	ck_assert_int_eq(SIM(",window=0", "flash 3 %s --yes --backup %s", path("b.bin"), path("b2.bin")), 0);
	ck_assert(same("st.bin", orig, n));
	free(orig);
	free(st);
}
END_TEST

START_TEST(test_keep_carries_ranges)
{
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);
	size_t n;
	uint8_t *orig, *st;

	ck_assert_int_eq(SIM("", "dump 3 %s", path("orig.bin")), 0);
	orig = slurp("orig.bin", &n);
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --keep 7E000-7EFFF --backup %s", path("new.bin"),
			     path("b.bin")), 0);
	st = slurp("st.bin", &n);
	ck_assert(!memcmp(st + 0x7e000, orig + 0x7e000, 0x1000));
	ck_assert(!memcmp(st, img, 0x7e000));
	ck_assert(!memcmp(st + 0x7f000, img + 0x7f000, 0x1000));
	ck_assert_int_eq(SIM("", "flash 3 %s --yes --keep 7E000-80000 --backup %s", path("new.bin"),
			     path("b2.bin")), 1);
	ck_assert_msg(strstr(run.err, "--keep 7E000-80000 reaches past the end of the 512 KiB chip"), "%s", run.err);
	free(orig);
	free(st);
	free(img);
}
END_TEST

/* "mtkfl 3 w fw.hex" as the old guides typed it, and a .hex dump that verifies. */
START_TEST(test_old_syntax_and_hex_dump)
{
	uint8_t *img = image("new.bin", 512 * KIB, MODEL, "CS0Q", 5);
	size_t n;
	char *text;

	write_hex("fw.hex", img, 512 * KIB);
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s 3 w /b %s --yes --backup %s", path("st.bin"),
				 path("fw.hex"), path("b.bin")), 0);
	ck_assert_ptr_nonnull(strstr(run.err, "Identifying flash type"));
	ck_assert_ptr_nonnull(strstr(run.err, "Updating...."));
	ck_assert_ptr_nonnull(strstr(run.err, "Bank0\n"));
	ck_assert_ptr_nonnull(strstr(run.err, "Bank7\n"));
	ck_assert(same("st.bin", img, 512 * KIB));
	ck_assert_int_eq(tst_cli(&run, "-p sim:state=%s 3 R /B /M %s", path("st.bin"), path("out.hex")), 0);
	text = (char *)slurp("out.hex", &n);
	ck_assert(!strncmp(text, ":1000000002", 11));	/* a data record first: no 04h records */
	ck_assert(!strcmp(text + n - 12, ":00000001FF\n"));
	ck_assert_int_eq(SIM("", "verify 3 %s", path("out.hex")), 0);
	/* Not the old syntax: a stray word is a usage error, not a guess. */
	ck_assert_int_eq(tst_cli(&run, "-p sim 3 w a.bin b.bin"), 1);
	free(text);
	free(img);
}
END_TEST

Suite *suite_flash(void)
{
	Suite *s = suite_create("flash");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, tst_dir_setup, tst_dir_teardown);
	tcase_add_test(tc, test_round_trip_every_chip);
	tcase_add_test(tc, test_verify_catches_a_cell_that_did_not_take);
	tcase_add_test(tc, test_dump_after_flash_is_the_image);
	tcase_add_test(tc, test_hex_and_bin_flash_the_same);
	tcase_add_test(tc, test_refusals_touch_nothing);
	tcase_add_test(tc, test_crossflash_needs_the_flag);
	tcase_add_test(tc, test_dry_run_backs_up_and_writes_nothing);
	tcase_add_test(tc, test_default_backup_name_and_journal_in_cwd);
	tcase_add_test(tc, test_power_cut_then_resume);
	tcase_add_test(tc, test_ctrl_c);
	tcase_add_test(tc, test_ctrl_c_dead_drive);
	tcase_add_test(tc, test_ctrl_c_before_session);
	tcase_add_test(tc, test_ctrl_c_read_only);
	tcase_add_test(tc, test_flaky_cable_outvoted);
	tcase_add_test(tc, test_existing_backup_used);
	tcase_add_test(tc, test_erase_then_flash_back);
	tcase_add_test(tc, test_keep_carries_ranges);
	tcase_add_test(tc, test_old_syntax_and_hex_dump);
	suite_add_tcase(s, tc);
	return s;
}
