/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user's Ctrl-C while a command holds a drive: SIGINT, SIGTERM and
 * SIGHUP set user_stop instead of killing odrescue, so the command ends
 * at its next safe point, leaves vendor mode, removes its files and says
 * so in one line. A flash session holds them itself (src/cmd_flash.c).
 */
#ifndef ODRESCUE_STOP_H
#define ODRESCUE_STOP_H

#include <signal.h>

extern volatile sig_atomic_t user_stop;

/* Clears user_stop and takes the three signals; old keeps what was there. */
void user_stop_hold(struct sigaction old[3]);
void user_stop_release(const struct sigaction old[3]);

#endif
