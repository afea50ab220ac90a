/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Before raw port access: is a kernel driver on the channel? Refuse (exit
 * 4) with what to do, or with --release take the channel for this run and
 * give it back at exit, also when a signal ends the run.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recovery/release.h"
#include "src/atapi_sysfs.h"
#include "src/cli.h"
#include "src/sysfs.h"

static struct chan_owner released;

static void giveback_on_signal(int sig)
{
	static const char msg[] = "odrescue: interrupted; the IDE controller was given back to its driver\n";

	/* NOLINTNEXTLINE(bugprone-signal-handler): once, then the default action ends the process */
	if (!release_giveback())
		(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

int ctx_claim_channels(struct ctx *c)
{
	char ioports[512];
	struct chan_owner o;

	if (!ctx_real_ports(c))
		return 0;	/* the simulator and QEMU's socket have no kernel driver */
	snprintf(ioports, sizeof(ioports), "%s/ioports", proc_root());
	for (int i = 0; i < c->bus.nchans; i++) {
		const struct ata_chan *ch = &c->bus.chans[i];
		int ret = release_owner(ioports, ch, &o);

		if (ret < 0) {
			warn_msg(c, "cannot read %s (%s): odrescue cannot tell whether a kernel driver owns "
				 "ports %03X-%03X", ioports, strerror(-ret), ch->cmd, ch->cmd + 7);
			continue;
		}
		if (!ret)
			continue;
		if (!c->o.release) {
			err_msg(c, "ports %03X-%03X are driven by the kernel's %s%s%s%s: odrescue would fight it "
				"for the drive. Add --release to detach it for this run (given back at exit), "
				"or boot with modprobe.blacklist=%s", ch->cmd, ch->cmd + 7, o.driver,
				o.pci[0] ? " (PCI " : "", o.pci, o.pci[0] ? ")" : "", o.driver);
			return -EBUSY;
		}
		ret = ctx_release_pci(c, &o);
		if (ret)
			return ret;
	}
	return 0;
}

int ctx_release_pci(struct ctx *c, const struct chan_owner *o)
{
	char mounts[512], why[512];
	int ret;

	snprintf(mounts, sizeof(mounts), "%s/mounts", proc_root());
	release_note_nodes(sg_sysfs_root(), o->pci);
	ret = release_detach(sg_sysfs_root(), mounts, o, why, sizeof(why));
	if (ret) {
		err_msg(c, "--release: %s; nothing was touched", why);
		return -EBUSY;
	}
	released = *o;
	signal(SIGINT, giveback_on_signal);
	signal(SIGTERM, giveback_on_signal);
	signal(SIGHUP, giveback_on_signal);
	info_msg(c, 0, "released: PCI %s unbound from %s for this run", o->pci, o->driver);
	return 0;
}

/* How long the kernel gets to probe the drives again after a giveback (an ATAPI probe with a disc spinning up). */
#define RELEASE_NODES_TMO_MS	15000u

void ctx_giveback(struct ctx *c)
{
	char missing[512];
	int ret;

	if (!released.pci[0])
		return;
	ret = release_giveback();
	if (ret)
		err_msg(c, "could not give PCI %s back to its driver (%s): run  echo %s > "
			"/sys/bus/pci/drivers/<driver>/bind", released.pci, strerror(-ret), released.pci);
	else
		info_msg(c, 0, "given back: PCI %s is bound to its driver again", released.pci);
	/* A script that uses /dev/sr0 next must find it: the kernel probes the drives again first. */
	if (!ret && release_wait_nodes("/dev", RELEASE_NODES_TMO_MS, missing, sizeof(missing)))
		warn_msg(c, "%s did not come back within %u s of the giveback; the kernel may still be "
			 "probing the drives", missing, RELEASE_NODES_TMO_MS / 1000);
	released.pci[0] = '\0';
}
