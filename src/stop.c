/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "src/stop.h"

volatile sig_atomic_t user_stop;

static const int held[3] = { SIGINT, SIGTERM, SIGHUP };

static void on_stop(int sig)
{
	(void)sig;
	user_stop = 1;
}

void user_stop_hold(struct sigaction old[3])
{
	struct sigaction sa = { .sa_handler = on_stop };

	user_stop = 0;
	for (int i = 0; i < 3; i++)
		sigaction(held[i], &sa, &old[i]);
}

void user_stop_release(const struct sigaction old[3])
{
	for (int i = 0; i < 3; i++)
		sigaction(held[i], &old[i], NULL);
}
