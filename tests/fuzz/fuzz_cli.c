// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command line: the input, split at newlines and NULs (empty words
 * kept), is argv for odrescue_main on the simulator, run in a scratch
 * directory that is emptied after every input, so an input does the same
 * thing every time it runs. Each run finds there fw.bin and
 * fw.hex, the simulated drive's own image with a new revision string (one
 * sector differs, so a flash stays short), for flash, verify, rescue and
 * info to work on. The drive has a 128 KiB chip, the smallest the
 * simulator has, for the same reason. A first word "@NAME" picks the
 * simulator's scenario (with its own chip for spi, locked and wbuf).
 *
 * Nothing may reach outside the process: words that would pick another
 * backend (-p in any short-option cluster, --backend or an abbreviation of
 * it), name a path (any '/': device nodes, files outside the scratch
 * directory), detach a kernel driver (--release) or talk to the kernel's
 * drives (--atapi) are dropped, and ioperm/iopl abort: a filter that let
 * real ports through shows up as a crash, not as port I/O.
 *
 * Waits end: "--timeout=120" (virtual seconds) is appended twice, after
 * the input's words (the first copy may be taken as the argument of a
 * last option), and "--" is dropped so it stays an option.
 *
 * What must hold for every input: an exit code from the documented table;
 * a failure says why on a line starting "odrescue: " (or the usage); the
 * simulated drive never sees a protocol violation.
 */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/sim/fwgen.h"
#include "src/cli.h"
#include "src/fwimage.h"

#include "noports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "--NAME[=...]" where NAME is an abbreviation getopt_long would take for full (at least min chars). */
static int long_abbrev(const char *w, const char *full, size_t min)
{
	size_t n;

	if (strncmp(w, "--", 2))
		return 0;
	w += 2;
	n = strcspn(w, "=");
	return n >= min && n <= strlen(full) && !strncmp(w, full, n);
}

static int outside(const char *w)
{
	return strchr(w, '/') || !strcmp(w, "--") ||
	       (w[0] == '-' && w[1] != '-' && strchr(w, 'p')) ||	/* -p, -vp, -ypsim */
	       long_abbrev(w, "backend", 3) || long_abbrev(w, "release", 3) || long_abbrev(w, "atapi", 1) ||
	       strstr(w, "ioport") || strstr(w, "qtest") || strstr(w, "state=") || strstr(w, "image=");
}

#define IMG_SIZE (128 * 1024)	/* the simulated SST39SF010A */
#define SIM_SMALL "sim:chip=SST39SF010A"

static char dir[64];
static int errfd = -1, quietfd = -1;
static uint8_t *img;
static char *img_hex;
static size_t img_hex_len;

struct kept {
	const char *name;
	struct stat st;		/* as written: odrescue replaces files, it never writes into them */
};

static struct kept kept[2] = { { .name = "fw.bin" }, { .name = "fw.hex" } };

/* (Re)write name unless it is still the file written last time. */
static void put(struct kept *k, const void *buf, size_t len)
{
	struct stat st;
	FILE *f;

	if (!lstat(k->name, &st) && st.st_ino == k->st.st_ino && st.st_size == (off_t)len &&
	    st.st_mtim.tv_sec == k->st.st_mtim.tv_sec && st.st_mtim.tv_nsec == k->st.st_mtim.tv_nsec)
		return;
	unlink(k->name);
	f = fopen(k->name, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) || lstat(k->name, &k->st))
		abort();
}

static int is_kept(const char *name)
{
	return !strcmp(name, kept[0].name) || !strcmp(name, kept[1].name);
}

static void empty_dir(void)
{
	DIR *d = opendir(".");
	struct dirent *e;

	if (!d)
		abort();
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && !is_kept(e->d_name) &&
		    unlinkat(dirfd(d), e->d_name, 0))
			unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);	/* odrescue makes no nested ones */
	closedir(d);
}

static void cleanup(void)
{
	if (dir[0] && !chdir(dir)) {
		empty_dir();
		unlink(kept[0].name);
		unlink(kept[1].name);
		if (!chdir("/"))
			rmdir(dir);
	}
}

static void init(void)
{
	/* odrescue gives a sudo user's files back to him: the scratch directory would become his. */
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	unsetenv("SUDO_USER");
	/* A confirmation prompt on a terminal would wait for a person. */
	if (!freopen("/dev/null", "r", stdin))
		abort();
	strcpy(dir, "/tmp/odrescue-fuzz-XXXXXX");
	if (!mkdtemp(dir) || chdir(dir))
		abort();
	atexit(cleanup);
	img = malloc(IMG_SIZE);
	if (!img)
		abort();
	/* bus_sim.c's drive image (seed 1, CS0P) with a newer revision: what a user would flash. */
	fwgen_make(img, IMG_SIZE, "LITE-ON", "DVDRW SOHW-1653S", "CS0Q", 1);
	img_hex = fwimage_to_hex(img, IMG_SIZE, &img_hex_len);
	if (!img_hex)
		abort();
	errfd = memfd_create("odrescue-stderr", MFD_CLOEXEC);
	quietfd = dup(2);	/* whatever libFuzzer left on 2 (/dev/null with -close_fd_mask) */
	if (errfd < 0 || quietfd < 0)
		abort();
}

/* stderr of the last run, NUL-terminated (the first 64 KiB). */
static const char *read_err(void)
{
	static char buf[65536];
	ssize_t n = pread(errfd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* A line of err starts with one of the prefixes (words echoed inside a message do not count). */
static int has_line(const char *err, const char *a, const char *b)
{
	for (const char *l = err; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "")
		if (!strncmp(l, a, strlen(a)) || (b && !strncmp(l, b, strlen(b))))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[40], backend[80] = SIM_SMALL;
	const char *err;
	int argc = 0, rc;
	size_t at = 0;

	if (errfd < 0)
		init();
	if (size > 1024)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	argv[argc++] = (char *)"odrescue";
	argv[argc++] = (char *)"-p";
	argv[argc++] = backend;
	for (int first = 1; at <= size && argc < 36; first = 0) {
		char *w = buf + at;
		size_t n = strcspn(w, "\n");

		at += n + 1;
		w[n] = '\0';
		if (first && w[0] == '@') {
			int own_chip = !strcmp(w + 1, "spi") || !strcmp(w + 1, "locked") || !strcmp(w + 1, "wbuf");

			if (!strpbrk(w + 1, ",=/") && n < 40)
				snprintf(backend, sizeof(backend), "sim:scenario=%s%s", w + 1,
					 own_chip ? "" : ",chip=SST39SF010A");
			continue;
		}
		if (!outside(w))
			argv[argc++] = w;
	}
	argv[argc++] = (char *)"--timeout=120";
	argv[argc++] = (char *)"--timeout=120";
	argv[argc] = NULL;

	put(&kept[0], img, IMG_SIZE);
	put(&kept[1], img_hex, img_hex_len);
	optind = 0;	/* GNU getopt: start afresh */
	fflush(stdout);
	fflush(stderr);
	if (ftruncate(errfd, 0) || lseek(errfd, 0, SEEK_SET) || dup2(errfd, 2) < 0)
		abort();
	rc = odrescue_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(quietfd, 2);
	err = read_err();
	if (rc < 0 || rc > 9)
		abort();	/* only the documented exit codes */
	if (rc && !has_line(err, "odrescue: ", "Usage: odrescue"))
		abort();	/* a failure without a word */
	if (has_line(err, "odrescue: sim: protocol violation", NULL))
		abort();	/* the simulated drive was misused */
	empty_dir();
	free(buf);
	return 0;
}
