/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "src/log.h"
#include "src/progress.h"

static FILE *drawn;	/* the stream that holds a line now */

int progress_tty(const struct ctx *c)
{
	return !c->o.json && !c->o.quiet && isatty(fileno(log_real(c->err)));
}

/* The bus's clock when one is open (virtual on the simulator), else the monotonic one. */
static uint64_t now_ns(struct ctx *c)
{
	struct timespec ts;

	if (c->bus_open)
		return bus_now_ns(&c->bus);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void progress_phase(struct progress *p, const char *what, int passes)
{
	p->what = what;
	p->passes = passes;
	p->pass = 0;
	p->last_done = 0;
	p->base = 0;
	p->last_bank = 0;
}

void progress_draw(struct progress *p, uint64_t done, uint64_t total)
{
	uint64_t now = now_ns(p->c), left = 0;
	char label[32], rate[32] = "", eta[32] = "";
	double secs, bps = 0;
	int start = !p->pass || done < p->last_done;

	if (start) {
		p->pass++;
		p->t0_ns = now;
		p->done0 = done;
	}
	if (p->passes > 1)
		snprintf(label, sizeof(label), "%s %d/%d", p->what, p->pass, p->passes);
	else
		snprintf(label, sizeof(label), "%s", p->what);
	/* the log has no redraws: the start and the end of each phase */
	if (start)
		log_line("  %s: start, %llu KiB", label, (unsigned long long)(total / 1024));
	p->last_done = done;
	secs = (double)(now - p->t0_ns) / 1e9;
	if (done >= total) {	/* the phase is over: what follows starts on a clean line */
		log_line("  %s: done, %llu KiB in %.1f s", label, (unsigned long long)(total / 1024), secs);
		progress_clear();
		return;
	}
	if (secs > 0 && done > p->done0) {
		bps = (double)(done - p->done0) / secs;
		left = (uint64_t)((double)(total - done) / bps + 0.5);
		snprintf(rate, sizeof(rate), "  %.1f KiB/s", bps / 1024);
		snprintf(eta, sizeof(eta), "  %u:%02u left", (unsigned)(left / 60), (unsigned)(left % 60));
	}
	fprintf(p->c->err, "\r  %-13s %3u%%  %llu/%llu KiB%s%s\033[K", label, (unsigned)(done * 100 / total),
		(unsigned long long)(done / 1024), (unsigned long long)(total / 1024), rate, eta);
	fflush(p->c->err);
	drawn = p->c->err;
}

void progress_clear(void)
{
	if (!drawn)
		return;
	fputs("\r\033[K", drawn);
	fflush(drawn);
	drawn = NULL;
}
