/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --log FILE: a record of the run for others to read. Everything the run
 * prints on stdout and stderr, and the -v detail even without -v, goes to
 * FILE too, a line at a time with the wall-clock time in front. The tty
 * progress line is left out; progress.c logs its phases instead.
 */
#ifndef ODRESCUE_LOG_H
#define ODRESCUE_LOG_H

#include <stdio.h>

#include "src/cli.h"

/*
 * Open FILE for appending (as the user who ran sudo, if one did) and tee
 * c->out and c->err into it; 0, or -errno with one line printed.
 */
int log_open(struct ctx *c, const char *path, int argc, char **argv);
/* Flush and give c->out and c->err back their real streams. */
void log_close(struct ctx *c);
/* A log is open. */
int log_active(void);
/* One timestamped line in the log only. */
void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The stream under a tee (for isatty), else f. */
FILE *log_real(FILE *f);

#endif
