/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared test helpers (prefix tst_). */
#ifndef ODRESCUE_TST_H
#define ODRESCUE_TST_H

#include <stddef.h>
#include <stdint.h>

struct sim;

#define TST_OUT_MAX (1 << 20)

struct tst_run {
	int status;		/* exit code, or 128+signal */
	char out[TST_OUT_MAX];	/* stdout */
	char err[65536];	/* stderr */
};

/*
 * Run the built binary ($ODRESCUE, default ./odrescue) with a shell-style
 * argument string (split on spaces, no quoting), stdin from /dev/null.
 * Returns the exit code; r->out and r->err hold the output.
 */
int tst_cli(struct tst_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A run on the simulator must not break the protocol: tst_cli fails the
 * test when stderr reports a "sim: protocol violation", unless this is set
 * (a test that causes one on purpose; it is cleared after each tst_cli).
 */
extern int tst_cli_expect_violation;
/*
 * The last command odrescue printed for the user to run (its stderr holds
 * "odrescue -p SPEC ..."), word for word, as tst_cli arguments in cmd
 * (odrescue itself leaves out the fault backend's one-off events). 0, or -1
 * if none was printed.
 */
int tst_printed(const struct tst_run *r, char *cmd, size_t len);
/* Lines of r->err that report a simulator protocol violation. */
unsigned tst_violations(const struct tst_run *r);
/* The same with the arguments as given (NULL-terminated): empty ones, spaces. */
int tst_cliv(struct tst_run *r, const char *const *args);
/* When >= 0, tst_cli runs the binary as this uid/gid with no groups (needs root). */
extern long tst_cli_uid;
/* When > 0, the next tst_cli's process gets tst_cli_kill_sig (SIGKILL) once, this many ms after it started (both reset after). */
extern long tst_cli_kill_ms;
extern int tst_cli_kill_sig;
/* When set, tst_cli runs the binary in this directory (files it creates land there). */
extern const char *tst_cli_cwd;

/* A fresh directory under $TMPDIR, removed by tst_rmdir(). */
char *tst_mkdtemp(void);
void tst_rmdir(const char *dir);
/*
 * The checked fixture of the CLI suites: tst_dir is a fresh directory and
 * tst_cli runs the binary there, so nothing a run writes reaches the checkout.
 */
extern char *tst_dir;
void tst_dir_setup(void);
void tst_dir_teardown(void);

/* dir/name in one of 8 rotating buffers: several may appear in one call. */
char *tst_path(const char *dir, const char *name);

/* A generated firmware image (fwgen_make) written to path; the caller frees it. */
uint8_t *tst_fw_image(const char *path, uint32_t size, const char *vendor, const char *product, const char *rev,
		      uint32_t seed);
/*
 * On spec (a -p sim:... with hba=), at pos: chip, flash a new image with
 * --backup, verify, erase; the backup equals the old flash, the state=
 * flash the image and then FFh, the drive restarted on the new revision.
 * In tst_dir (the CLI fixture).
 */
void tst_flash_erase_cli(const char *spec, const char *pos);
/* Write/read a whole file; 0 or -errno. */
int tst_write_file(const char *path, const void *buf, size_t len);
void *tst_read_file(const char *path, size_t *len);
/* The file holds exactly len bytes equal to want. */
int tst_file_equals(const char *path, const void *want, size_t len);
/* mkdir -p; 0 or -errno. */
int tst_mkdirs(const char *path);
/* Write text to the file named by fmt, making its directories first (fake sysfs trees); 0 or -errno. */
int tst_putf(const char *text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * The flash of the MediaTek drive (position 3) in a -p sim state= file;
 * a file that is not a saved machine (a flash image seeding one) whole.
 * NULL if missing or without that flash.
 */
void *tst_sim_flash(const char *path, size_t *len);
int tst_sim_flash_equals(const char *path, const void *want, size_t len);
/* The machine a state= file holds, mapped for a test to read or change (munmap(map, len) after). */
struct sim *tst_sim_state(const char *path, void **map, size_t *len);

#endif
