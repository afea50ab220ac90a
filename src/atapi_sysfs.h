/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The optical drives the kernel knows, from sysfs: node names, INQUIRY
 * strings, and where they sit (PCI function, driver, ata port, master or
 * slave), so ATAPI mode can tell the user the drive's raw position.
 */
#ifndef ODRESCUE_ATAPI_SYSFS_H
#define ODRESCUE_ATAPI_SYSFS_H

#include <stdint.h>

#define SG_DRIVES_MAX	32
#define SCSI_TYPE_ROM	5	/* SPC peripheral device type: CD/DVD */

struct sg_drive {
	int host, channel, target, lun;	/* SCSI address H:C:T:L */
	char sr[16];			/* "sr0", "" if sr_mod has not claimed it */
	char sg[16];			/* "sg1", "" if the sg module is not loaded */
	int type;			/* peripheral device type from sysfs */
	char vendor[9], model[17], rev[5];	/* the kernel's copy of INQUIRY, trailing blanks cut */
	int usb;			/* behind a USB bridge */
	int ata_port;			/* N of ataN, -1 if not libata */
	int port_no;			/* libata local port number: 1 first channel, -1 unknown */
	char pci[16];			/* "0000:00:01.1", "" if none */
	char driver[32];		/* "ata_piix" */
	unsigned pci_class;		/* 0x01018a; 0 unknown */
	int chan;			/* 0 primary, 1 secondary, -1 unknown */
	int dev;			/* 0 master, 1 slave, -1 unknown */
	int legacy;			/* 1 channel decodes the legacy ports, 0 native, -1 unknown */
	uint16_t cmd, ctl;		/* the channel's ports: legacy or from the BARs; 0 unknown */
	int position;			/* raw position 1..4 (legacy) or 0 */
};

/* "/sys" unless $ODRESCUE_SYSFS names another root (tests build fake trees). */
const char *sg_sysfs_root(void);
/* "/dev" unless $ODRESCUE_DEVDIR says otherwise. */
const char *sg_dev_root(void);

/*
 * Every SCSI device of the given type (SCSI_TYPE_ROM, or -1 for all)
 * under root/bus/scsi/devices, sorted by address. Returns the count, or
 * -errno if the tree cannot be read (-ENOENT: no SCSI subsystem).
 */
int sg_sysfs_list(const char *root, int type, struct sg_drive *out, int max);

/* The drive behind "/dev/sr0", "sr0", "/dev/sg1": 0, or -ENOENT. */
int sg_sysfs_find(const char *root, const char *node, struct sg_drive *out);

/* "ata2 (secondary channel), master, 0000:00:01.1 ata_piix" or "USB bridge" into buf. */
const char *sg_drive_where(const struct sg_drive *d, char *buf, unsigned len);

#endif
