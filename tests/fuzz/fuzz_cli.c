// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command line: the input, split at NUL or newline, is argv for
 * odrescue_main on the simulator, run in a scratch directory. Words that
 * would reach outside the process (another backend, device nodes,
 * --release, state= files) are dropped first; odrescue_main must return
 * an exit code for everything else.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int outside(const char *w)
{
	return strstr(w, "/dev") || strstr(w, "release") || strstr(w, "backend") || strstr(w, "state=") ||
	       strstr(w, "image=") || strstr(w, "ioport") || strstr(w, "qtest") || strstr(w, "sg") ||
	       strstr(w, "..") || w[0] == '/' || !strcmp(w, "-p") || !strncmp(w, "-p", 2) ||
	       strstr(w, "wait") || strstr(w, "rescue") || strstr(w, "timeout");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int inited;
	char *buf, *argv[34], *save, *w;
	int argc = 0, rc;

	if (!inited) {
		char dir[] = "/tmp/odrescue-fuzz-XXXXXX";

		if (!mkdtemp(dir) || chdir(dir))
			abort();
		inited = 1;
	}
	if (size > 1024)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	argv[argc++] = (char *)"odrescue";
	argv[argc++] = (char *)"-p";
	argv[argc++] = (char *)"sim";
	for (w = strtok_r(buf, "\n", &save); w && argc < 33; w = strtok_r(NULL, "\n", &save))
		if (!outside(w))
			argv[argc++] = w;
	argv[argc] = NULL;
	optind = 0;	/* GNU getopt: start afresh */
	fflush(stdout);
	rc = odrescue_main(argc, argv);
	if (rc < 0 || rc > 9)
		abort();	/* only the documented exit codes */
	free(buf);
	return 0;
}
