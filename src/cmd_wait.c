/* SPDX-License-Identifier: GPL-2.0-or-later */
/* odrescue wait POS: wait for a drive to be plugged in (or swapped) at POS, reset and identify it. */
#include <errno.h>
#include <string.h>

#include "recovery/hotplug.h"
#include "src/ahci_mode.h"
#include "src/cli.h"
#include "src/show.h"
#include "src/stop.h"

static void wait_event(void *arg, enum hp_event ev, const struct hotplug_result *r)
{
	struct ctx *c = arg;

	switch (ev) {
	case HP_EV_START:
		if (r->initial == HP_READY)
			info_msg(c, 0, "%s now holds %s: waiting for it to be replaced (Ctrl-C stops)",
				 "the position", r->initial_model[0] ? r->initial_model : "a device");
		else if (r->initial == HP_BUSY)
			info_msg(c, 0, "a device holds BSY at the position: resetting it");
		else
			info_msg(c, 0, "nothing at the position: plug the drive's IDE cable in now "
				 "(its power cord already connected; Ctrl-C stops)");
		break;
	case HP_EV_GONE:
		info_msg(c, 0, "the drive went away: plug the other drive in");
		break;
	case HP_EV_SEEN:
		info_msg(c, 0, "a device appeared; letting it settle");
		break;
	case HP_EV_RESET:
		info_msg(c, 1, "soft reset");
		break;
	}
}

struct ahci_say {
	struct ctx *c;
	const char *port;
};

static void ahci_event(void *arg, enum hp_event ev, const struct ahci_wait *w)
{
	const struct ahci_say *a = arg;

	if (ev == HP_EV_START)
		info_msg(a->c, 0, w->initial ? "%s has a device: waiting for it to be replaced (unplug its data "
			 "cable, plug the other drive's in; Ctrl-C stops)" : "nothing on %s: connect the drive's "
			 "SATA data cable now (its power already connected; Ctrl-C stops)", a->port);
	else if (ev == HP_EV_GONE)
		info_msg(a->c, 0, "the drive went away: plug the other drive in");
	else if (ev == HP_EV_SEEN)
		info_msg(a->c, 0, "a device appeared on %s after %.1f s; letting it settle", a->port,
			 w->waited_ns / 1e9);
}

/* wait pN: the port's link instead of the IDE registers. */
static int wait_ahci(struct ctx *c, const struct position *pos, uint64_t tmo_ns)
{
	struct ahci_say say = { c, ahci_position_arg(pos) };
	struct sigaction old[3];
	struct ahci_wait w = { .event = ahci_event, .arg = &say };
	int ret;

	if (!tmo_ns && !strncmp(c->o.backend, "sim:", 4) && !strstr(c->o.backend, "clock=real")) {
		err_msg(c, "wait: the simulator's clock is virtual, so waiting without a limit would spin "
			"forever: give --timeout, or -p sim:clock=real");
		return -EINVAL;
	}
	user_stop_hold(old);
	ret = ahci_mode_wait(c, pos, tmo_ns, &user_stop, &w);
	user_stop_release(old);
	if (ret == -EINTR) {
		err_msg(c, "wait: stopped by a signal; nothing was sent to any drive");
		return ret;
	}
	if (ret == -ETIMEDOUT) {
		err_msg(c, "wait: no drive appeared on %s within %g s", ahci_position_arg(pos), c->o.timeout_s);
		return -ENODEV;
	}
	if (ret)
		return ret;
	if (c->o.json) {
		struct json j;

		json_begin(&j, c->out);
		show_position_json(&j, c, pos);
		json_str(&j, "initial", w.initial ? "ready" : "absent");
		json_bool(&j, "swapped", w.swapped);
		json_bool(&j, "busy", w.probe.busy);
		json_int(&j, "waited_ns", (long long)w.waited_ns);
		if (!w.probe.busy) {
			json_obj(&j, "device");
			show_dev_json(&j, &w.probe);
			json_close(&j);
		}
		json_end(&j);
	} else if (!w.probe.busy) {
		fprintf(c->out, "%s on %s after %.3f s:\n", w.swapped ? "A different drive is" : "A drive is",
			ahci_position_arg(pos), w.waited_ns / 1e9);
		show_dev_line(c->out, &w.probe);
	}
	if (w.probe.busy) {
		err_msg(c, "the drive on %s holds BSY since its link came up: it does not answer the standard "
			"protocol - it looks like a drive without working firmware (odrescue rescue %s FILE)",
			ahci_position_arg(pos), ahci_position_arg(pos));
		return -ETIMEDOUT;
	}
	return 0;
}

static int wait_run(struct ctx *c, int argc, char **argv)
{
	struct sigaction old[3];
	struct hotplug_result r;
	struct hotplug_cfg cfg = {
		.timeout_ns = (uint64_t)(c->o.timeout_s * 1e9),
		.stop = &user_stop,
		.event = wait_event,
		.arg = c,
	};
	struct position pos;
	struct ata_port ap;
	int ret;

	ret = cmd_args_pos(c, &cmd_wait, argc, argv, 1, &pos);
	if (!ret && pos.ahci)
		return wait_ahci(c, &pos, cfg.timeout_ns);
	if (!ret)
		ret = ctx_open_bus(c, position_chan_mask(&pos));
	if (ret)
		return ret;
	if (!cfg.timeout_ns && c->bus.virtual_clock) {
		/* no Ctrl-C would come in time: virtual seconds pass as fast as the CPU spins */
		err_msg(c, "wait: the simulator's clock is virtual, so waiting without a limit would spin "
			"forever: give --timeout, or -p sim:clock=real");
		return -EINVAL;
	}
	ctx_port(c, &pos, &ap);
	user_stop_hold(old);
	ret = hotplug_wait(&ap, pos.dev, &cfg, &r);
	user_stop_release(old);

	if (ret == -EINTR) {
		err_msg(c, "wait: stopped by a signal; nothing was sent to any drive but resets");
		return ret;
	}
	if (ret == -ETIMEDOUT) {
		err_msg(c, "wait: no drive appeared at %s within %g s", argv[0], c->o.timeout_s);
		return -ENODEV;
	}
	if (ret) {
		err_msg(c, "wait: %s", c->bus.error ? c->bus.errmsg : strerror(-ret));
		return ret;
	}
	if (c->o.json) {
		struct json j;

		json_begin(&j, c->out);
		show_position_json(&j, c, &pos);
		json_str(&j, "initial", hotplug_presence_name(r.initial));
		json_bool(&j, "swapped", r.swapped);
		json_bool(&j, "busy", r.busy);
		json_int(&j, "waited_ns", (long long)r.waited_ns);
		json_int(&j, "bsy_ns", (long long)r.bsy_ns);
		if (!r.busy) {
			json_obj(&j, "device");
			show_dev_json(&j, &r.probe);
			json_close(&j);
		}
		json_end(&j);
	} else if (!r.busy) {
		fprintf(c->out, "%s %s after %.3f s (BSY cleared %.3f ms after reset):\n",
			r.swapped ? "A different drive is" : "A drive is", "at the position",
			r.waited_ns / 1e9, r.bsy_ns / 1e6);
		show_dev_line(c->out, &r.probe);
	}
	if (r.busy) {
		err_msg(c, "the drive at %s holds BSY after reset: it does not answer the standard "
			"protocol - it looks like a drive without working firmware (odrescue rescue %s FILE)",
			argv[0], argv[0]);
		return -ETIMEDOUT;
	}
	return 0;
}

const struct command cmd_wait = {
	.name = "wait",
	.args = "POS",
	.summary = "wait for a drive to be plugged in or swapped at POS, reset and identify it",
	.example = "odrescue wait 3 --timeout 120",
	.run = wait_run,
	.flags = CMD_AHCI,
};
