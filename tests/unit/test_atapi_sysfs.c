/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ATAPI mode's sysfs walk on a fake tree: legacy, native, AHCI and USB drives; scan --atapi; refusals. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/atapi_sysfs.h"
#include "src/exitcodes.h"
#include "tests/tst.h"

static char *root;
static struct tst_run r;

/* content into a file of the fake tree, its directories made on the way. */
#define put(content, ...) ck_assert_int_eq(tst_putf(content, __VA_ARGS__), 0)

static void link_to(const char *target, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void link_to(const char *target, const char *fmt, ...)
{
	char path[PATH_MAX], dir[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	ck_assert_int_eq(tst_mkdirs(dir), 0);
	ck_assert_int_eq(symlink(target, path), 0);
}

/* A SCSI device dir under devpath, linked from bus/scsi/devices/hctl. */
static void scsi_dev(const char *devpath, const char *hctl, const char *type, const char *vendor,
		     const char *model, const char *rev, const char *sr, const char *sg, int old_layout)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/devices/%s/%s", root, devpath, hctl);
	put(type, "%s/type", dir);
	put(vendor, "%s/vendor", dir);
	put(model, "%s/model", dir);
	put(rev, "%s/rev", dir);
	if (old_layout) {
		put("", "%s/block:%s/dev", dir, sr);
		put("", "%s/scsi_generic:%s/dev", dir, sg);
	} else {
		put("", "%s/block/%s/dev", dir, sr);
		put("", "%s/scsi_generic/%s/dev", dir, sg);
	}
	link_to(dir, "%s/bus/scsi/devices/%s", root, hctl);
}

#define PIIX "pci0000:00/0000:00:01.1"
#define VIA "pci0000:00/0000:00:02.0"
#define AHCI "pci0000:00/0000:00:1f.2"

static void setup(void)
{
	root = tst_mkdtemp();
	ck_assert_ptr_nonnull(root);
	/* ata_piix, both channels legacy (prog-if 8Ah); a disk at primary master, a DVD at secondary slave. */
	put("0x01018a\n", "%s/devices/" PIIX "/class", root);
	put("", "%s/bus/pci/drivers/ata_piix/bind", root);
	link_to("../../../bus/pci/drivers/ata_piix", "%s/devices/" PIIX "/driver", root);
	put("1\n", "%s/devices/" PIIX "/ata1/ata_port/ata1/port_no", root);
	put("2\n", "%s/devices/" PIIX "/ata2/ata_port/ata2/port_no", root);
	scsi_dev(PIIX "/ata1/host0/target0:0:0", "0:0:0:0", "0\n", "ATA     \n", "ST380011A       \n",
		 "3.06\n", "sda", "sg0", 0);
	scsi_dev(PIIX "/ata2/host1/target1:0:1", "1:0:1:0", "5\n", "HL-DT-ST\n", "DVDRAM GSA-4163B\n",
		 "A105\n", "sr0", "sg1", 0);
	/* A native-mode VIA channel (prog-if 85h), old sysfs layout (block:sr1). */
	put("0x010185\n", "%s/devices/" VIA "/class", root);
	link_to("../../../bus/pci/drivers/pata_via", "%s/devices/" VIA "/driver", root);
	put("0x000000000000d000 0x000000000000d007 0x0000000000040101\n"
	    "0x000000000000d400 0x000000000000d403 0x0000000000040101\n"
	    "0x000000000000d800 0x000000000000d807 0x0000000000040101\n"
	    "0x000000000000dc00 0x000000000000dc03 0x0000000000040101\n",
	    "%s/devices/" VIA "/resource", root);
	put("1\n", "%s/devices/" VIA "/ata3/ata_port/ata3/port_no", root);
	scsi_dev(VIA "/ata3/host2/target2:0:0", "2:0:0:0", "5\n", "BTC     \n", "DVD-ROM BDV316E \n",
		 "0059\n", "sr1", "sg2", 1);
	/* SATA on AHCI: no raw position. */
	put("0x010601\n", "%s/devices/" AHCI "/class", root);
	link_to("../../../bus/pci/drivers/ahci", "%s/devices/" AHCI "/driver", root);
	put("1\n", "%s/devices/" AHCI "/ata5/ata_port/ata5/port_no", root);
	scsi_dev(AHCI "/ata5/host4/target4:0:0", "4:0:0:0", "5\n", "TSSTcorp\n", "CDDVDW SH-224DB \n",
		 "SB00\n", "sr2", "sg3", 0);
	/* A USB bridge. */
	scsi_dev("pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0", "6:0:0:0", "5\n",
		 "ASUS    \n", "SDRW-08D2S-U    \n", "B901\n", "sr3", "sg4", 0);
	/* Entries that are not SCSI devices. */
	link_to(root, "%s/bus/scsi/devices/host0", root);
	link_to(root, "%s/bus/scsi/devices/target1:0:1", root);
	setenv("ODRESCUE_SYSFS", root, 1);
	setenv("ODRESCUE_DEVDIR", root, 1);	/* no nodes there: scan falls back to the kernel's strings */
}

static void teardown(void)
{
	unsetenv("ODRESCUE_SYSFS");
	unsetenv("ODRESCUE_DEVDIR");
	tst_rmdir(root);
	free(root);
}

START_TEST(test_list)
{
	struct sg_drive d[SG_DRIVES_MAX];
	int n = sg_sysfs_list(root, SCSI_TYPE_ROM, d, SG_DRIVES_MAX);

	ck_assert_int_eq(n, 4);
	/* Legacy secondary slave */
	ck_assert_int_eq(d[0].host, 1);
	ck_assert_int_eq(d[0].target, 1);
	ck_assert_str_eq(d[0].sr, "sr0");
	ck_assert_str_eq(d[0].sg, "sg1");
	ck_assert_str_eq(d[0].vendor, "HL-DT-ST");
	ck_assert_str_eq(d[0].model, "DVDRAM GSA-4163B");
	ck_assert_str_eq(d[0].rev, "A105");
	ck_assert_int_eq(d[0].ata_port, 2);
	ck_assert_int_eq(d[0].port_no, 2);
	ck_assert_str_eq(d[0].pci, "0000:00:01.1");
	ck_assert_str_eq(d[0].driver, "ata_piix");
	ck_assert_uint_eq(d[0].pci_class, 0x01018a);
	ck_assert_int_eq(d[0].chan, 1);
	ck_assert_int_eq(d[0].dev, 1);
	ck_assert_int_eq(d[0].legacy, 1);
	ck_assert_uint_eq(d[0].cmd, 0x170);
	ck_assert_uint_eq(d[0].ctl, 0x376);
	ck_assert_int_eq(d[0].position, 4);
	ck_assert(!d[0].usb);
	/* Native primary master: ports from BAR0 and BAR1 + 2, no numbered position. */
	ck_assert_str_eq(d[1].sr, "sr1");
	ck_assert_str_eq(d[1].sg, "sg2");
	ck_assert_str_eq(d[1].driver, "pata_via");
	ck_assert_int_eq(d[1].chan, 0);
	ck_assert_int_eq(d[1].dev, 0);
	ck_assert_int_eq(d[1].legacy, 0);
	ck_assert_uint_eq(d[1].cmd, 0xd000);
	ck_assert_uint_eq(d[1].ctl, 0xd402);
	ck_assert_int_eq(d[1].position, 0);
	/* AHCI */
	ck_assert_str_eq(d[2].driver, "ahci");
	ck_assert_int_eq(d[2].ata_port, 5);
	ck_assert_int_eq(d[2].legacy, -1);
	ck_assert_uint_eq(d[2].cmd, 0);
	ck_assert_int_eq(d[2].position, 0);
	/* USB */
	ck_assert(d[3].usb);
	ck_assert_int_eq(d[3].ata_port, -1);
	ck_assert_str_eq(d[3].pci, "");
	ck_assert_int_eq(d[3].position, 0);

	ck_assert_int_eq(sg_sysfs_list(root, -1, d, SG_DRIVES_MAX), 5);
	ck_assert_int_eq(d[0].type, 0);
	ck_assert_str_eq(d[0].sr, "sda");
	ck_assert_int_eq(sg_sysfs_list(root, -1, d, 2), 2);
}
END_TEST

START_TEST(test_find_and_where)
{
	struct sg_drive d;
	char buf[160];

	ck_assert_int_eq(sg_sysfs_find(root, "/dev/sg2", &d), 0);
	ck_assert_str_eq(d.sr, "sr1");
	ck_assert_int_eq(sg_sysfs_find(root, "sr0", &d), 0);
	ck_assert_int_eq(d.position, 4);
	ck_assert_str_eq(sg_drive_where(&d, buf, sizeof(buf)),
			 "ata2 (secondary channel), slave, PCI 0000:00:01.1 ata_piix");
	ck_assert_int_eq(sg_sysfs_find(root, "/dev/sr3", &d), 0);
	ck_assert_str_eq(sg_drive_where(&d, buf, sizeof(buf)), "USB bridge");
	ck_assert_int_eq(sg_sysfs_find(root, "/dev/sr9", &d), -ENOENT);
	ck_assert_int_eq(sg_sysfs_list("/nonexistent-odrescue", 5, &d, 1), -ENOENT);
}
END_TEST

START_TEST(test_scan_atapi_cli)
{
	ck_assert_int_eq(tst_cli(&r, "scan --atapi"), EXIT_OK);
	ck_assert_msg(strstr(r.out, "[HL-DT-ST][DVDRAM GSA-4163B][A105] (sysfs;"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "raw position 4 (secondary slave)"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "raw position m with -p ioport:base=0xd000,ctl=0xd402"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "PCI class 010601h is not an IDE controller"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "USB bridge; raw position none"), "%s", r.out);
	ck_assert_msg(!strstr(r.out, "ST380011A"), "a disk is not listed: %s", r.out);

	ck_assert_int_eq(tst_cli(&r, "-p sg scan --json"), EXIT_OK);
	ck_assert_msg(strstr(r.out, "\"found\": 4"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "\"position\": 4"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "\"source\": \"sysfs\""), "%s", r.out);
	ck_assert_msg(strstr(r.out, "\"cmd\": \"0xd000\""), "%s", r.out);
	ck_assert_msg(strstr(r.out, "\"bus\": \"usb\""), "%s", r.out);
}
END_TEST

/*
 * A raw command given a node goes to the node's raw position: a legacy
 * channel's number, or a native channel's ports as the ioport backend.
 */
START_TEST(test_node_to_raw_position)
{
	char ioports[600];
	int rc;

	ck_assert_int_eq(tst_cli(&r, "-p sim regs /dev/sr0"), EXIT_OK);
	ck_assert_msg(strstr(r.err, "/dev/sr0 is raw position 4 (ata2 (secondary channel), slave, PCI "
				    "0000:00:01.1 ata_piix): regs goes to its IDE registers directly"), "%s", r.err);
	ck_assert_msg(strstr(r.out, "Position 4 (secondary slave), command block 0x170"), "%s", r.out);

	/* pata_via owns the native channel (a fake /proc): refused before any port access. */
	snprintf(ioports, sizeof(ioports), "%s/ioports", root);
	ck_assert_int_eq(tst_write_file(ioports, "d000-d007 : pata_via\nd400-d403 : pata_via\n", 42), 0);
	setenv("ODRESCUE_PROC", root, 1);
	rc = tst_cli(&r, "reset /dev/sg2");
	unsetenv("ODRESCUE_PROC");
	ck_assert_msg(rc == EXIT_PERM || rc == EXIT_OWNED, "exit %d: %s", rc, r.err);
	ck_assert_msg(strstr(r.err, "/dev/sg2 is the master on the native channel at 0xd000 (ata"), "%s", r.err);
	ck_assert_msg(strstr(r.err, "reset uses -p ioport:base=0xd000,ctl=0xd402"), "%s", r.err);
	ck_assert_msg(rc == EXIT_PERM || strstr(r.err, "pata_via"), "%s", r.err);
}
END_TEST

START_TEST(test_refusals_name_raw_position)
{
	ck_assert_int_eq(tst_cli(&r, "-p sim reset /dev/sg2"), EXIT_USAGE);
	ck_assert_msg(strstr(r.err, "-p ioport:base=0xd000,ctl=0xd402 (position m), not on the backend"),
		      "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "regs /dev/sr3"), EXIT_USAGE);
	ck_assert_msg(strstr(r.err, "has no raw position (USB bridge"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "regs /dev/sr7"), EXIT_USAGE);
	ck_assert_msg(strstr(r.err, "sysfs does not say where /dev/sr7 sits"), "%s", r.err);
	/* -p sg takes nodes only, and only its own parameter. */
	ck_assert_int_eq(tst_cli(&r, "-p sg identify 3"), EXIT_USAGE);
	ck_assert_msg(strstr(r.err, "raw position"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p sg identify"), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "-p sg:dev=/dev/sr0,bogus=1 identify"), EXIT_USAGE);
	ck_assert_msg(strstr(r.err, "bogus"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p sg:dev=/dev/sr0 identify /dev/sr1"), EXIT_USAGE);
	/* A node that is not there, through -p sg:dev= and as POS. */
	ck_assert_int_eq(tst_cli(&r, "-p sg:dev=/dev/odrescue-none rpc"), EXIT_NODEV);
	ck_assert_msg(strstr(r.err, "/dev/odrescue-none: no such device"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "identify /dev/null"), EXIT_NODEV);
	ck_assert_msg(strstr(r.err, "not a SCSI generic device"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p help"), EXIT_OK);
	ck_assert_msg(strstr(r.out, "dev=NODE"), "%s", r.out);
}
END_TEST


Suite *suite_atapi_sysfs(void)
{
	Suite *s = suite_create("atapi_sysfs");
	TCase *tc = tcase_create("fake_tree");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_find_and_where);
	tcase_add_test(tc, test_scan_atapi_cli);
	tcase_add_test(tc, test_refusals_name_raw_position);
	tcase_add_test(tc, test_node_to_raw_position);
	suite_add_tcase(s, tc);
	return s;
}
