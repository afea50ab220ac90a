/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ODRESCUE_BUS_IOPORT_H
#define ODRESCUE_BUS_IOPORT_H

#include <stddef.h>

/*
 * Why ioperm said EPERM, in one line: not root / no CAP_SYS_RAWIO versus
 * kernel lockdown (both give EPERM: arch/x86/kernel/ioport.c). rawio is 1, 0
 * or -1 (unknown); lockdown is the bracketed mode of
 * /sys/kernel/security/lockdown, or "" if unreadable.
 */
void ioport_eperm_reason(char *buf, size_t len, unsigned euid, int rawio, const char *lockdown);

#endif
