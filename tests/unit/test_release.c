/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Channel ownership from /proc/ioports, and --release against a fake sysfs tree. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/bus_fault.h"
#include "recovery/release.h"
#include "src/cli.h"
#include "tests/tst.h"

static char *dir;
static const struct ata_chan secondary = { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL };
static const struct ata_chan primary = { ATA_PRIMARY_CMD, ATA_PRIMARY_CTL };

#define path(name) tst_path(dir, name)

static void put(const char *name, const char *text)
{
	ck_assert_int_eq(tst_write_file(path(name), text, strlen(text)), 0);
}

static void mkdirs(const char *rel)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path(rel));
	ck_assert_int_eq(system(cmd), 0);
}

static void setup(void)
{
	dir = tst_mkdtemp();
	ck_assert_ptr_nonnull(dir);
}

static void teardown(void)
{
	tst_rmdir(dir);
	free(dir);
}

/* As measured in the VM (vm-notes.md): the driver nested under the PCI function. */
static const char bound[] =
	"0000-0cf7 : PCI Bus 0000:00\n"
	"  0000-001f : dma1\n"
	"  0170-0177 : 0000:00:01.1\n"
	"    0170-0177 : ata_piix\n"
	"  01f0-01f7 : 0000:00:01.1\n"
	"    01f0-01f7 : ata_piix\n"
	"  0376-0376 : 0000:00:01.1\n"
	"    0376-0376 : ata_piix\n";

static const char unbound[] =
	"0000-0cf7 : PCI Bus 0000:00\n"
	"  0170-0177 : 0000:00:01.1\n"
	"  01f0-01f7 : 0000:00:01.1\n"
	"  0376-0376 : 0000:00:01.1\n";

START_TEST(test_owner_found)
{
	struct chan_owner o;

	put("ioports", bound);
	ck_assert_int_eq(release_owner(path("ioports"), &secondary, &o), 1);
	ck_assert_str_eq(o.driver, "ata_piix");
	ck_assert_str_eq(o.pci, "0000:00:01.1");
	put("ioports", unbound);
	ck_assert_int_eq(release_owner(path("ioports"), &secondary, &o), 0);
	ck_assert_str_eq(o.driver, "");
	/* The old ide driver names the channel, with no PCI parent on some boards. */
	put("ioports", "0170-0177 : ide1\n0376-0376 : ide1\n");
	ck_assert_int_eq(release_owner(path("ioports"), &secondary, &o), 1);
	ck_assert_str_eq(o.driver, "ide1");
	ck_assert_str_eq(o.pci, "");
	ck_assert_int_eq(release_owner(path("ioports"), &primary, &o), 0);
	ck_assert_int_lt(release_owner(path("missing"), &primary, &o), 0);
}
END_TEST

static void fake_sysfs(void)
{
	mkdirs("sys/devices/pci0000:00/0000:00:01.1/ata1/host0/block/sda");
	mkdirs("sys/devices/pci0000:00/0000:00:04.0/virtio0/block/vda");
	mkdirs("sys/bus/pci/drivers/ata_piix");
	mkdirs("sys/bus/pci/devices");
	mkdirs("sys/class/block");
	ck_assert_int_eq(symlink("../../../devices/pci0000:00/0000:00:01.1", path("sys/bus/pci/devices/0000:00:01.1")), 0);
	ck_assert_int_eq(symlink("../../bus/pci/drivers/ata_piix", path("sys/devices/pci0000:00/0000:00:01.1/driver")), 0);
	ck_assert_int_eq(symlink("../../devices/pci0000:00/0000:00:01.1/ata1/host0/block/sda", path("sys/class/block/sda1")), 0);
	ck_assert_int_eq(symlink("../../devices/pci0000:00/0000:00:04.0/virtio0/block/vda", path("sys/class/block/vda1")), 0);
	put("sys/bus/pci/drivers/ata_piix/unbind", "");
	put("sys/bus/pci/drivers/ata_piix/bind", "");
}

START_TEST(test_release_and_give_back)
{
	struct chan_owner o;
	char why[256];
	size_t n;
	char *t;

	fake_sysfs();
	put("ioports", bound);
	put("mounts", "/dev/vda1 / ext4 rw 0 0\nproc /proc proc rw 0 0\n");
	ck_assert_int_eq(release_owner(path("ioports"), &secondary, &o), 1);
	ck_assert_int_eq(release_detach(path("sys"), path("mounts"), &o, why, sizeof(why)), 0);
	t = tst_read_file(path("sys/bus/pci/drivers/ata_piix/unbind"), &n);
	ck_assert(n == 12 && !memcmp(t, "0000:00:01.1", 12));
	free(t);
	ck_assert_int_eq(release_giveback(), 0);
	t = tst_read_file(path("sys/bus/pci/drivers/ata_piix/bind"), &n);
	ck_assert(n == 12 && !memcmp(t, "0000:00:01.1", 12));
	free(t);
	ck_assert_int_eq(release_giveback(), 0);	/* once only */
}
END_TEST

/*
 * After the giveback the block devices the kernel had behind the
 * controller must be back in /dev before odrescue returns (issue 16: a
 * script's dd if=/dev/sr0 right after --release found no node): noted at
 * the release, waited for (bounded), and named when they do not come.
 */
START_TEST(test_nodes_back_after_giveback)
{
	char missing[256];

	fake_sysfs();
	mkdirs("dev");
	release_note_nodes(path("sys"), "0000:00:01.1");
	/* sda1 is behind 00:01.1; vda1 (another controller) is not waited for */
	ck_assert_int_eq(release_wait_nodes(path("dev"), 0, missing, sizeof(missing)), -ETIMEDOUT);
	ck_assert_msg(strstr(missing, "/dev/sda1") && !strstr(missing, "vda1"), "%s", missing);
	put("dev/sda1", "");
	ck_assert_int_eq(release_wait_nodes(path("dev"), 0, missing, sizeof(missing)), 0);
	ck_assert_str_eq(missing, "");
}
END_TEST

START_TEST(test_root_on_the_controller_refused)
{
	struct chan_owner o;
	char why[256];
	size_t n;
	char *t;

	fake_sysfs();
	put("ioports", bound);
	put("mounts", "/dev/sda1 / ext4 rw 0 0\n");
	ck_assert_int_eq(release_owner(path("ioports"), &secondary, &o), 1);
	ck_assert_int_eq(release_detach(path("sys"), path("mounts"), &o, why, sizeof(why)), -EBUSY);
	ck_assert_msg(strstr(why, "/dev/sda1 is mounted"), "%s", why);
	t = tst_read_file(path("sys/bus/pci/drivers/ata_piix/unbind"), &n);
	ck_assert_uint_eq(n, 0);
	free(t);
}
END_TEST

/* Real ports behind the fault injector (fault:inner=ioport,hw=1) get the same check. */
START_TEST(test_claim_behind_fault)
{
	struct bus_fault_cfg cfg = { .seed = 1 };
	struct bus inner;
	struct ctx c;

	put("ioports", bound);
	setenv("ODRESCUE_PROC", dir, 1);
	memset(&c, 0, sizeof(c));
	memset(&inner, 0, sizeof(inner));
	c.out = stdout;
	c.err = fopen("/dev/null", "w");
	inner.ops = &bus_ioport;	/* never initialised: the check touches no port */
	inner.nchans = 1;
	inner.chans[0] = secondary;
	ck_assert_int_eq(bus_fault_attach(&c.bus, &inner, &cfg), 0);
	ck_assert_int_eq(ctx_claim_channels(&c), -EBUSY);
	bus_close(&c.bus);
	fclose(c.err);
	unsetenv("ODRESCUE_PROC");
}
END_TEST

/* A swap partition on the controller: refused as a mounted filesystem is (the old code unbound it). */
START_TEST(test_swap_on_the_controller_refused)
{
	struct chan_owner o;
	char why[256];
	size_t n;
	char *t;

	fake_sysfs();
	put("ioports", bound);
	put("mounts", "/dev/vda1 / ext4 rw 0 0\n");
	put("swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
	    "/dev/sda1                               partition\t1048572\t\t0\t\t-2\n");
	ck_assert_int_eq(release_owner(path("ioports"), &secondary, &o), 1);
	ck_assert_int_eq(release_detach(path("sys"), path("mounts"), &o, why, sizeof(why)), -EBUSY);
	ck_assert_msg(strstr(why, "/dev/sda1 is in use as swap"), "%s", why);
	t = tst_read_file(path("sys/bus/pci/drivers/ata_piix/unbind"), &n);
	ck_assert_uint_eq(n, 0);
	free(t);
}
END_TEST

/* Root on LVM (dm-0) whose physical volume is a partition on the controller: refused (the old code missed it). */
START_TEST(test_root_on_dm_refused)
{
	struct chan_owner o;
	char why[256];
	size_t n;
	char *t;

	fake_sysfs();
	mkdirs("sys/devices/pci0000:00/0000:00:01.1/ata1/host0/block/sda/sda2");
	mkdirs("sys/devices/virtual/block/dm-0/slaves");
	ck_assert_int_eq(symlink("../../../../pci0000:00/0000:00:01.1/ata1/host0/block/sda/sda2",
				 path("sys/devices/virtual/block/dm-0/slaves/sda2")), 0);
	ck_assert_int_eq(symlink("../../devices/virtual/block/dm-0", path("sys/class/block/dm-0")), 0);
	ck_assert_int_eq(symlink("../../devices/pci0000:00/0000:00:01.1/ata1/host0/block/sda/sda2",
				 path("sys/class/block/sda2")), 0);
	put("ioports", bound);
	put("mounts", "/dev/dm-0 / ext4 rw 0 0\n");
	ck_assert_int_eq(release_owner(path("ioports"), &secondary, &o), 1);
	ck_assert_int_eq(release_detach(path("sys"), path("mounts"), &o, why, sizeof(why)), -EBUSY);
	ck_assert_msg(strstr(why, "/dev/dm-0 is mounted"), "%s", why);
	t = tst_read_file(path("sys/bus/pci/drivers/ata_piix/unbind"), &n);
	ck_assert_uint_eq(n, 0);
	free(t);
	/* The same dm device on another controller's disk is no reason to refuse. */
	ck_assert_int_eq(unlink(path("sys/devices/virtual/block/dm-0/slaves/sda2")), 0);
	ck_assert_int_eq(symlink("../../../../pci0000:00/0000:00:04.0/virtio0/block/vda",
				 path("sys/devices/virtual/block/dm-0/slaves/vda")), 0);
	ck_assert_int_eq(release_detach(path("sys"), path("mounts"), &o, why, sizeof(why)), 0);
	ck_assert_int_eq(release_giveback(), 0);
}
END_TEST

Suite *suite_release(void)
{
	Suite *s = suite_create("release");
	TCase *tc = tcase_create("owner");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_owner_found);
	tcase_add_test(tc, test_release_and_give_back);
	tcase_add_test(tc, test_root_on_the_controller_refused);
	tcase_add_test(tc, test_nodes_back_after_giveback);
	tcase_add_test(tc, test_swap_on_the_controller_refused);
	tcase_add_test(tc, test_root_on_dm_refused);
	tcase_add_test(tc, test_claim_behind_fault);
	suite_add_tcase(s, tc);
	return s;
}
