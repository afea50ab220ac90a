/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * odrescue help rescue: the recovery steps (docs/recovery.md, in short)
 * inside the binary, for a rescue stick that carries nothing else.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "src/cli.h"

static const char guide[] =
	"Rescuing a drive a bad flash left dead (the whole guide: docs/recovery.md,\n"
	"installed as share/doc/odrescue/recovery.md).\n"
	"\n"
	"Before you start: a firmware image for exactly this model; the backup and\n"
	"logs on a USB stick or disk, not in a live system's RAM; as root.\n"
	"IDE data and Molex power connectors are not made to be plugged while\n"
	"powered: move only the IDE cable, straight, touching the case first, with\n"
	"pin 1 (the red stripe) on the drive's pin 1, next to its power socket.\n"
	"\n"
	"Case 1: the machine boots with the dead drive attached.\n"
	"  1. Put the drive at a known position (secondary master, 3).\n"
	"  2. odrescue scan: a drive without working firmware holds BSY.\n"
	"  3. odrescue rescue 3 FIRMWARE --backup /mnt/usb/backup.bin\n"
	"     If asked, switch the drive's POWER off and on (pull its power plug,\n"
	"     push it back); the IDE cable stays on. odrescue resends the vendor\n"
	"     command until the drive answers, then backs up, flashes, verifies.\n"
	"\n"
	"Case 2: the BIOS hangs at POST with the dead drive attached.\n"
	"  1. Power off. Jumper both drives as master.\n"
	"  2. Connect a working optical drive at 3; leave the dead drive's IDE\n"
	"     cable off, its power cord in.\n"
	"  3. Boot the rescue system; odrescue scan shows the working drive at 3.\n"
	"  4. odrescue rescue 3 FIRMWARE --release --backup /mnt/usb/backup.bin\n"
	"     When it says so, move the IDE cable from the working drive to the\n"
	"     dead one, without powering anything off.\n"
	"  5. odrescue sees the swap and goes on as in Case 1.\n"
	"  No second drive: boot with the dead drive's IDE cable off and plug it in\n"
	"  when odrescue asks.\n"
	"\n"
	"SATA drive on an AHCI controller (most PCs since 2010; no disk you need on\n"
	"that controller, and boot from USB: --release takes all of it for the run):\n"
	"  1. lspci -D names the controller (class 0106), e.g. 0000:00:1f.2.\n"
	"  2. odrescue -p ahci:pci=0000:00:1f.2 --release scan: the ports p0, p1, ...\n"
	"  3. odrescue -p ahci:pci=0000:00:1f.2 --release rescue p2 FIRMWARE\n"
	"     --backup /mnt/usb/backup.bin\n"
	"     Case 2 there: plug the dead drive's SATA data cable in when asked\n"
	"     (its power connected first; SATA is made for it). A drive holding\n"
	"     BSY gets the vendor command past BSY: switch its power off and on\n"
	"     when asked.\n"
	"\n"
	"If a write fails halfway: do not power off or reboot; run the --resume\n"
	"command odrescue printed (it skips what is done).\n";

int guide_print(FILE *f, const char *topic)
{
	if (topic && strcmp(topic, "rescue"))
		return -EINVAL;
	fputs(guide, f);
	return 0;
}
