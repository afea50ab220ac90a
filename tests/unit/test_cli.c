/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Positions, options, backend parameters and exit codes, through the functions and the binary. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/bus.h"
#include "hw/sim/fwgen.h"
#include "src/cli.h"
#include "src/ramfs.h"
#include "tests/tst.h"

static struct tst_run r;

START_TEST(test_positions)
{
	static const struct { const char *s; int ok, number, chan, dev; } t[] = {
		{ "1", 1, 1, 0, 0 }, { "2", 1, 2, 0, 1 }, { "3", 1, 3, 1, 0 }, { "4", 1, 4, 1, 1 },
		{ "pm", 1, 1, 0, 0 }, { "SS", 1, 4, 1, 1 }, { "m", 1, 0, 0, 0 }, { "s", 1, 0, 0, 1 },
		{ "0", 0, 0, 0, 0 }, { "5", 0, 0, 0, 0 }, { "-1", 0, 0, 0, 0 }, { "99999999999", 0, 0, 0, 0 },
		{ "3x", 0, 0, 0, 0 }, { "", 0, 0, 0, 0 },
		{ " 3", 0, 0, 0, 0 }, { "0x3", 0, 0, 0, 0 },
	};
	struct position p;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ret = position_parse(t[i].s, &p);

		ck_assert_msg(t[i].ok ? ret == 0 : ret == -EINVAL, "position '%s' gave %d", t[i].s, ret);
		if (!t[i].ok)
			continue;
		ck_assert_int_eq(p.number, t[i].number);
		ck_assert_int_eq(p.chan, t[i].chan);
		ck_assert_int_eq(p.dev, t[i].dev);
	}
	ck_assert_int_eq(position_parse("/dev/sr0", &p), 0);
	ck_assert_str_eq(p.node, "/dev/sr0");
	ck_assert_int_eq(position_parse(NULL, &p), -EINVAL);
}
END_TEST

START_TEST(test_exit_codes)
{
	ck_assert_int_eq(exit_code_for(0), EXIT_OK);
	ck_assert_int_eq(exit_code_for(-EINVAL), EXIT_USAGE);
	ck_assert_int_eq(exit_code_for(-ENODEV), EXIT_NODEV);
	ck_assert_int_eq(exit_code_for(-EPERM), EXIT_PERM);
	ck_assert_int_eq(exit_code_for(-EBUSY), EXIT_OWNED);
	ck_assert_int_eq(exit_code_for(-E_REFUSED), EXIT_REFUSED);
	ck_assert_int_eq(exit_code_for(-E_BADFILE), EXIT_BADFILE);
	ck_assert_int_eq(exit_code_for(-EIO), EXIT_DEVERR);
	ck_assert_int_eq(exit_code_for(-ETIMEDOUT), EXIT_DEVERR);
	ck_assert_int_eq(exit_code_for(-E_MISMATCH), EXIT_VERIFY);
	ck_assert_int_eq(exit_code_for(-E_WRITEFAIL), EXIT_WRITEFAIL);
}
END_TEST

START_TEST(test_params_parse)
{
	char s[] = "scenario=spi,seed=7,flag,seed=9";
	struct bus_params p;
	struct bus b = { 0 };
	uint64_t v = 0;

	ck_assert_int_eq(bus_params_parse(&p, s), 0);
	ck_assert_int_eq(p.n, 4);
	ck_assert_str_eq(bus_param_take(&p, "scenario"), "spi");
	ck_assert_str_eq(bus_param_take(&p, "seed"), "9");	/* last one wins */
	ck_assert_str_eq(bus_param_take(&p, "flag"), "");
	ck_assert_ptr_null(bus_param_take(&p, "missing"));
	for (int i = 0; i < p.n; i++)
		ck_assert(p.kv[i].used);

	char bad[] = "n=12x,m=-1,k=0x10";
	ck_assert_int_eq(bus_params_parse(&p, bad), 0);
	ck_assert_int_eq(bus_param_u64(&b, &p, "n", &v), -EINVAL);
	ck_assert_ptr_nonnull(strstr(b.errmsg, "n=12x"));
	ck_assert_int_eq(bus_param_u64(&b, &p, "m", &v), -EINVAL);
	ck_assert_int_eq(bus_param_u64(&b, &p, "k", &v), 0);
	ck_assert_int_eq(v, 16);
}
END_TEST

/* Usage errors exit 1 with one line naming the problem, before any backend is opened. */
START_TEST(test_cli_usage_errors)
{
	ck_assert_int_eq(tst_cli(&r, "identify 5"), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "bad position '5'"));
	ck_assert_int_eq(tst_cli(&r, "identify 3x"), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "identify"), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "identify 1 2"), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "frobnicate"), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown command 'frobnicate'"));
	ck_assert_int_eq(tst_cli(&r, "--bogus scan"), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "--read-repeated 0 scan"), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "--keep zz scan"), EXIT_USAGE);
	/* NaN, inf and 1e300 passed the old check and made wait's (uint64_t)(s * 1e9) undefined: no end */
	static const char *const bad_timeouts[] = { "nan", "inf", "-inf", "1e300", "1000001", "-1", "5s" };
	for (size_t i = 0; i < sizeof(bad_timeouts) / sizeof(bad_timeouts[0]); i++) {
		ck_assert_int_eq(tst_cli(&r, "-p sim --timeout %s wait 3", bad_timeouts[i]), EXIT_USAGE);
		ck_assert_ptr_nonnull(strstr(r.err, "--timeout wants seconds from 0 to 1000000"));
	}
	ck_assert_int_eq(tst_cliv(&r, (const char *const[]){ "-p", "sim", "--timeout", "", "wait", "3", NULL }),
			 EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "-p sim --timeout 0.5 wait 2"), EXIT_NODEV);	/* nothing plugged in */
	/* no limit on the virtual clock would spin for ever (0 is no limit too) */
	ck_assert_int_eq(tst_cli(&r, "-p sim wait 2"), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "give --timeout, or -p sim:clock=real"));
	ck_assert_int_eq(tst_cli(&r, "-p sim --timeout 0 wait 2"), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "%s", ""), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "Usage: odrescue"));
}
END_TEST

/* An unknown backend or parameter is refused before init can touch a port. */
START_TEST(test_cli_backend_errors)
{
	ck_assert_int_eq(tst_cli(&r, "-p nosuch scan"), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown backend 'nosuch'"));
	ck_assert_int_eq(tst_cli(&r, "-p sim:bogus=1 scan"), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown parameter 'bogus'"));
	ck_assert_int_eq(tst_cli(&r, "-p ioport:frob=2 scan"), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown parameter 'frob'"));
	ck_assert_int_eq(tst_cli(&r, "-p help"), EXIT_OK);
	for (int i = 0; bus_backends[i]; i++)
		ck_assert_ptr_nonnull(strstr(r.out, bus_backends[i]->name));
}
END_TEST

START_TEST(test_cli_help_version)
{
	ck_assert_int_eq(tst_cli(&r, "--help"), EXIT_OK);
	ck_assert_ptr_nonnull(strstr(r.out, "scan"));
	ck_assert_ptr_nonnull(strstr(r.out, "Example:"));
	ck_assert_int_eq(tst_cli(&r, "identify --help"), EXIT_OK);
	ck_assert_ptr_nonnull(strstr(r.out, "Usage: odrescue [options] identify POS"));
	ck_assert_ptr_nonnull(strstr(r.out, "Example: "));
	ck_assert_int_eq(tst_cli(&r, "--version"), EXIT_OK);
	ck_assert_ptr_nonnull(strstr(r.out, ODRESCUE_VERSION));
}
END_TEST

/* Lines of s wider than 80 columns: 0, or the first such line in why. */
static int too_wide(const char *s, char *why, size_t len)
{
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, "\n");

		if (n > 80) {
			snprintf(why, len, "%.*s", (int)n, p);
			return 1;
		}
		p += n + (p[n] == '\n');
	}
	return 0;
}

/* "--name" as a whole word in the help text s. */
static int listed(const char *s, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = s; (p = strstr(p, "--")); p += 2)
		if (p > s && p[-1] == ' ' && !strncmp(p + 2, name, n) && (p[2 + n] == ' ' || p[2 + n] == '\n'))
			return 1;
	return 0;
}

/*
 * Every command's --help lists every option the command takes (from the
 * option table, so options added later are covered) with a meaning and an
 * example, within 80 columns; an option the command does not take is a
 * usage error naming it (issue 16: flash --help had one line, scan --hex
 * was ignored). The commands are the ones odrescue --help lists.
 */
START_TEST(test_cli_help_lists_every_option)
{
	static struct tst_run top;
	char why[512], *line, *save;
	int ncmds = 0, in_cmds = 0;

	ck_assert_int_eq(tst_cli(&top, "--help"), EXIT_OK);
	ck_assert_msg(!too_wide(top.out, why, sizeof(why)), "odrescue --help: wider than 80: %s", why);
	for (line = strtok_r(top.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char cmd[32];
		int taken = 0, examples = 0;

		if (!strcmp(line, "Commands:")) {
			in_cmds = 1;
			continue;
		}
		if (!strncmp(line, "Positions", 9))
			break;
		if (!in_cmds || strncmp(line, "  ", 2) || line[2] == ' ')
			continue;
		ck_assert_int_eq(sscanf(line, " %31s", cmd), 1);
		ncmds++;
		ck_assert_msg(tst_cli(&r, "%s --help", cmd) == EXIT_OK, "%s --help: %s", cmd, r.err);
		ck_assert_msg(!too_wide(r.out, why, sizeof(why)), "%s --help: wider than 80: %s", cmd, why);
		for (const char *p = r.out; (p = strstr(p, "e.g. odrescue")); p++)
			examples++;
		for (const struct cli_option *o = cli_options; o->name; o++) {
			char want[64];

			if (cli_option_takes(o, cmd)) {
				taken++;
				ck_assert_msg(listed(r.out, o->name), "%s --help does not list --%s:\n%s", cmd,
					      o->name, r.out);
				continue;
			}
			if (!o->cmds)
				continue;	/* --version, --list-supported: no command */
			ck_assert_msg(tst_cli(&r, "%s%s --%s%s%s", cli_option_takes(cli_option_by_id('p'), cmd) ?
					      "-p sim " : "", cmd, o->name, o->arg ? " " : "",
					      o->arg ? o->sample : "") == EXIT_USAGE, "%s --%s: exit %d", cmd,
				      o->name, r.status);
			snprintf(want, sizeof(want), "%s does not take --%s", cmd, o->name);
			ck_assert_msg(strstr(r.err, want), "%s --%s: %s", cmd, o->name, r.err);
			ck_assert_int_eq(tst_cli(&r, "%s --help", cmd), EXIT_OK);
		}
		ck_assert_msg(examples == taken, "%s --help: %d options, %d examples", cmd, taken, examples);
	}
	ck_assert_int_ge(ncmds, 14);
	/* flash rereads every write: there is no --no-verify to offer */
	ck_assert_int_eq(tst_cli(&r, "-p sim flash 3 fw.bin --no-verify"), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown option '--no-verify'"));
}
END_TEST

/*
 * Exit codes as the table says (issue 16): the old MTKFLASH syntax with a
 * typo is a usage error that shows the old syntax, not "unknown command
 * '3'"; verify with an image of the wrong size is a bad file (6), not a
 * verify mismatch (8).
 */
START_TEST(test_cli_exit_codes_as_documented)
{
	static const struct { const char *args, *says; } old[] = {
		{ "3 x fw.bin", "'3 x' is not a command: the old MTKFLASH syntax is POS r FILE" },
		{ "3 w", "'3 w' needs a FILE to write" },
		{ "5 r x.bin", "'5' is not a command, nor a position 1-4" },
		{ "3 r a.bin b.bin", "takes one FILE" },
	};
	char *dir = tst_mkdtemp();
	uint8_t *img = malloc(256 * 1024);

	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
		ck_assert_msg(tst_cli(&r, "-p sim %s", old[i].args) == EXIT_USAGE, "%s: %d", old[i].args, r.status);
		ck_assert_msg(strstr(r.err, old[i].says), "%s: %s", old[i].args, r.err);
	}
	fwgen_make(img, 256 * 1024, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 1);
	ck_assert_int_eq(tst_write_file(tst_path(dir, "small.bin"), img, 256 * 1024), 0);
	ck_assert_int_eq(tst_cli(&r, "-p sim verify 3 %s", tst_path(dir, "small.bin")), EXIT_BADFILE);
	ck_assert_msg(strstr(r.err, "they cannot match"), "%s", r.err);
	free(img);
	tst_rmdir(dir);
	free(dir);
}
END_TEST

/*
 * A run writes relative names where it starts: a test that names no
 * directory gets one of its own, not the checkout (issue 16 found a
 * backup-*.bin left in the repository root after make check).
 */
START_TEST(test_cli_own_directory)
{
	const char *name = "odrescue-cwd-test.bin";
	int in_checkout;

	ck_assert_int_eq(tst_cli(&r, "-p sim dump 3 %s", name), EXIT_OK);
	in_checkout = !access(name, F_OK);
	unlink(name);
	ck_assert_msg(!in_checkout, "the dump landed in the test's own working directory (the checkout)");
}
END_TEST

/*
 * A dump or backup headed for RAM (a live system's tmpfs or overlay) is
 * gone at reboot: one warning naming a better place (issue 16: nothing
 * said so). /dev/shm is tmpfs on Linux; the test directory usually is not.
 */
START_TEST(test_cli_ram_warning)
{
	char shm[] = "/dev/shm/odrescue-test-XXXXXX", *dir = tst_mkdtemp();

	if (!mkdtemp(shm) || !ramfs_name(shm)) {
		printf("test_cli_ram_warning: skipped, /dev/shm is not tmpfs here\n");
		return;
	}
	ck_assert_int_eq(tst_cli(&r, "-p sim dump 3 %s/d.bin", shm), 0);
	ck_assert_msg(strstr(r.err, "warning: the dump ") && strstr(r.err, "is on tmpfs") &&
		      strstr(r.err, "USB stick"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p sim flash 3 %s/d.bin --yes --dry-run --backup %s/b.bin", shm, shm), 0);
	ck_assert_msg(strstr(r.err, "warning: the backup ") && strstr(r.err, "is on tmpfs"), "%s",
		      r.err);
	if (!ramfs_name(dir)) {
		ck_assert_int_eq(tst_cli(&r, "-p sim dump 3 %s/d.bin", dir), 0);
		ck_assert_msg(!strstr(r.err, "warning"), "%s", r.err);
	}
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", shm);	/* the backup's journal and sidecar too */
		ck_assert_int_eq(system(cmd), 0);
	}
	tst_rmdir(dir);
	free(dir);
}
END_TEST

/*
 * Consent and --dry-run name the position and the firmware the drive runs
 * now (issue 16: they showed only the image and the backup).
 */
START_TEST(test_cli_consent_names_the_drive)
{
	char *dir = tst_mkdtemp();
	const char *want = "the drive at secondary master (3), which runs [LITE-ON ][DVDRW SOHW-1653S][CS0P]";

	ck_assert_int_eq(tst_cli(&r, "-p sim:state=%s dump 3 %s", tst_path(dir, "st.bin"), tst_path(dir, "a.bin")),
			 0);
	ck_assert_int_eq(tst_cli(&r, "-p sim:state=%s flash 3 %s --dry-run --backup %s", tst_path(dir, "st.bin"),
				 tst_path(dir, "a.bin"), tst_path(dir, "b.bin")), 0);
	ck_assert_msg(strstr(r.out, "Drive: secondary master (3), which runs [LITE-ON ][DVDRW SOHW-1653S][CS0P]"),
		      "%s", r.out);
	ck_assert_int_eq(tst_cli(&r, "-p sim:state=%s flash 3 %s --backup %s", tst_path(dir, "st.bin"),
				 tst_path(dir, "a.bin"), tst_path(dir, "c.bin")), EXIT_REFUSED);
	ck_assert_msg(strstr(r.err, want) && strstr(r.err, "needs consent"), "%s", r.err);
	tst_rmdir(dir);
	free(dir);
}
END_TEST

Suite *suite_cli(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_add_test(tc, test_positions);
	tcase_add_test(tc, test_exit_codes);
	tcase_add_test(tc, test_params_parse);
	tcase_add_test(tc, test_cli_usage_errors);
	tcase_add_test(tc, test_cli_backend_errors);
	tcase_add_test(tc, test_cli_help_version);
	tcase_add_test(tc, test_cli_own_directory);
	tcase_add_test(tc, test_cli_ram_warning);
	tcase_add_test(tc, test_cli_consent_names_the_drive);
	tcase_add_test(tc, test_cli_help_lists_every_option);
	tcase_add_test(tc, test_cli_exit_codes_as_documented);
	/* the help test runs odrescue some 700 times: seconds, a minute under ASan on a busy machine */
	tcase_set_timeout(tc, 240);
	suite_add_tcase(s, tc);
	return s;
}
