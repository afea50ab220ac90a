// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Included once by a fuzz target whose filter must keep every input away
 * from real ports: these replace glibc's ioperm/iopl, the real-port
 * backend's only way to the hardware, so one that gets through is a crash,
 * not port I/O.
 */
#ifndef ODRESCUE_FUZZ_NOPORTS_H
#define ODRESCUE_FUZZ_NOPORTS_H

#include <stdlib.h>

int ioperm(unsigned long from, unsigned long num, int turn_on);
int iopl(int level);

int ioperm(unsigned long from, unsigned long num, int turn_on)
{
	(void)from, (void)num, (void)turn_on;
	abort();
}

int iopl(int level)
{
	(void)level;
	abort();
}

#endif
