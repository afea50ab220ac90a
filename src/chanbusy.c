/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Another odrescue on the channel: before the first port access, take each
 * raw channel's lock file, keyed by its command-block base so that the
 * legacy position 3 and -p ioport:base=0x170,... meet on one file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/bus_fault.h"
#include "recovery/chanlock.h"
#include "src/cli.h"

static struct chanlock held[BUS_MAX_CHANS];
static int nheld;

int ctx_real_ports(struct ctx *c)
{
	struct bus *b = &c->bus;

	while (b->ops == &bus_fault)
		b = bus_fault_inner(b);
	return b->ops == &bus_ioport;
}

/* Our command line, for the message a second run prints. */
static void own_cmdline(char *out, size_t len)
{
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, out, len - 1);

	if (fd >= 0)
		close(fd);
	if (n < 0)
		n = 0;
	out[n] = '\0';
	while (n > 0 && out[n - 1] == '\0')
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (out[i] == '\0' || out[i] == '\n')
			out[i] = ' ';
}

/*
 * Errors that mean "no lock file can be made in this directory", where
 * /tmp stands in for /run/lock (busybox rescue systems have no /run).
 * Anything else (a symlink or a FIFO under the name) is not passed over:
 * a holder in /run/lock would go unseen.
 */
static int dir_unusable(int err)
{
	return err == -ENOENT || err == -ENOTDIR || err == -EROFS || err == -EACCES || err == -EPERM;
}

static int lock_one(struct ctx *c, uint16_t base, const char *cmd)
{
	const char *env = getenv("ODRESCUE_LOCKDIR");
	const char *dirs[2] = { env && *env ? env : "/run/lock", env && *env ? NULL : "/tmp" };
	struct chanlock_holder h;
	char path[PATH_MAX];
	int ret = -ENOENT;

	for (int d = 0; d < 2 && dirs[d] && dir_unusable(ret); d++) {
		snprintf(path, sizeof(path), "%s/odrescue-0x%x.lock", dirs[d], base);
		ret = chanlock_take(&held[nheld], path, cmd, &h);
	}
	if (!ret) {
		nheld++;
		return 0;
	}
	if (ret == -EBUSY && h.pid)
		err_msg(c, "channel 0x%x is in use by odrescue pid %ld (%s%s%s): two runs on one channel "
			"would corrupt each other's commands; wait until it ends", base, h.pid,
			h.cmd[0] ? h.cmd : "command unknown", h.since[0] ? ", since " : "", h.since);
	else if (ret == -EBUSY)
		err_msg(c, "channel 0x%x is in use by another odrescue (it holds %s): two runs on one "
			"channel would corrupt each other's commands; wait until it ends", base, path);
	else
		err_msg(c, "cannot take the lock file for channel 0x%x (%s: %s), so another odrescue could "
			"drive it at the same time: set ODRESCUE_LOCKDIR to a directory of your own", base,
			path, strerror(-ret));
	return ret == -EBUSY ? -EBUSY : -EACCES;
}

int ctx_lock_channels(struct ctx *c)
{
	char cmd[200];

	if (!ctx_real_ports(c))
		return 0;	/* the simulator's and QEMU's channels are not this machine's */
	own_cmdline(cmd, sizeof(cmd));
	for (int i = 0; i < c->bus.nchans; i++) {
		int ret = lock_one(c, c->bus.chans[i].cmd, cmd);

		if (ret)
			return ret;
	}
	return 0;
}

void ctx_unlock_channels(void)
{
	while (nheld > 0)
		chanlock_drop(&held[--nheld]);
}
