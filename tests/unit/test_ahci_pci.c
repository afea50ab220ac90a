/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -p ahci:pci=BDF without hardware: pagemap decoding on a fake pagemap
 * file; ahci_pci_open on a fake sysfs function (a regular file stands for
 * BAR5: the HBA's registers land in it, the config file gets memory and
 * bus mastering); the CLI's guard against a kernel driver (exit 4 without
 * --release; --release refused while root is on that controller;
 * otherwise unbound and bound back at exit even when the open fails).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hw/ahci.h"
#include "hw/ahci_io.h"
#include "src/exitcodes.h"
#include "tests/tst.h"

#define BDF	"0000:00:1f.2"
#define PCI_COMMAND_OFF	0x04	/* PCI Local Bus 3.0 6.2.2 */

static char *dir;
static struct tst_run r;

#define path(name) tst_path(dir, name)

static void setup(void)
{
	dir = tst_mkdtemp();
	ck_assert_ptr_nonnull(dir);
}

static void teardown(void)
{
	unsetenv("ODRESCUE_SYSFS");
	unsetenv("ODRESCUE_PROC");
	tst_rmdir(dir);
	free(dir);
}

static void put_entry(int fd, const void *va, uint64_t e)
{
	off_t off = (off_t)((uintptr_t)va / AHCI_PAGE * 8);

	ck_assert_int_eq(pwrite(fd, &e, 8, off), 8);
}

/* Bit 63 present, PFN in bits 0-54 (pagemap.rst); PFN 0 means hidden, an absent page is refused. */
START_TEST(test_pagemap)
{
	uint8_t *va = mmap(NULL, 3 * AHCI_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t pa[3];
	int fd;

	ck_assert_ptr_ne(va, MAP_FAILED);
	fd = open(path("pagemap"), O_RDWR | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	put_entry(fd, va, 1ull << 63 | 1ull << 55 | 0x1234);	/* bit 55 (soft-dirty) is no part of the PFN */
	put_entry(fd, va + AHCI_PAGE, 1ull << 63 | 0x42);
	put_entry(fd, va + 2 * AHCI_PAGE, 1ull << 63 | 0x7fffffffffffffull);
	ck_assert_int_eq(ahci_pagemap_phys(fd, va, 3, pa), 0);
	ck_assert_uint_eq(pa[0], 0x1234ull * AHCI_PAGE);
	ck_assert_uint_eq(pa[1], 0x42ull * AHCI_PAGE);
	ck_assert_uint_eq(pa[2], ((1ull << 55) - 1) * AHCI_PAGE);
	put_entry(fd, va + AHCI_PAGE, 1ull << 63);
	ck_assert_int_eq(ahci_pagemap_phys(fd, va, 3, pa), -EPERM);
	put_entry(fd, va + AHCI_PAGE, 0x42);
	ck_assert_int_eq(ahci_pagemap_phys(fd, va, 3, pa), -EFAULT);
	ck_assert_int_eq(ahci_pagemap_phys(fd, va + 3 * AHCI_PAGE, 1, pa), -EIO);	/* past the end */
	close(fd);
	munmap(va, 3 * AHCI_PAGE);
}
END_TEST

/* A PCI function in the fake tree: class, a 8 KiB "BAR5" holding CAP and PI, a config space. */
static void fake_function(const char *driver, long cap)
{
	uint32_t bar[2048] = { 0 };
	uint8_t config[256] = { 0 };
	char link[512];

	bar[HOST_CAP / 4] = (uint32_t)cap;
	bar[HOST_PORTS_IMPL / 4] = 0x3f;
	config[PCI_COMMAND_OFF] = 0;
	ck_assert_int_eq(tst_putf("0x010601\n", "%s/sys/devices/pci0000:00/" BDF "/class", dir), 0);
	ck_assert_int_eq(tst_write_file(path("sys/devices/pci0000:00/" BDF "/resource5"), bar, sizeof(bar)), 0);
	ck_assert_int_eq(tst_write_file(path("sys/devices/pci0000:00/" BDF "/config"), config, sizeof(config)), 0);
	ck_assert_int_eq(tst_mkdirs(path("sys/bus/pci/devices")), 0);
	ck_assert_int_eq(symlink("../../../devices/pci0000:00/" BDF, path("sys/bus/pci/devices/" BDF)), 0);
	if (driver) {
		snprintf(link, sizeof(link), "../../../bus/pci/drivers/%s", driver);
		ck_assert_int_eq(tst_putf("", "%s/sys/bus/pci/drivers/%s/unbind", dir, driver), 0);
		ck_assert_int_eq(tst_putf("", "%s/sys/bus/pci/drivers/%s/bind", dir, driver), 0);
		ck_assert_int_eq(symlink(link, path("sys/devices/pci0000:00/" BDF "/driver")), 0);
	}
}

/* Can this process see PFNs? The kernel decides (CAP_SYS_ADMIN); the test expects what it says. */
static int pfns_visible(void)
{
	volatile uint8_t page[1] = { 1 };
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, 8, (off_t)((uintptr_t)page / AHCI_PAGE * 8)) != 8)
		e = 0;
	close(fd);
	return (e >> 63) && (e & ((1ull << 55) - 1));
}

/* Open on the fake function: GHC.AE lands in the "BAR", memory and bus mastering in config. */
START_TEST(test_open_fake_function)
{
	struct ahci_pci_cfg cfg = { .bdf = BDF, .pagemap = "/proc/self/pagemap" };
	struct ahci_io io;
	struct ahci a;
	uint32_t *bar;
	uint8_t *config;
	size_t n;
	int ret;

	fake_function(NULL, 0xc0141f05);
	cfg.sysfs = path("sys");
	ret = ahci_pci_open(&io, &cfg);
	if (!pfns_visible()) {
		ck_assert_int_eq(ret, -EPERM);
		ck_assert_msg(strstr(io.errmsg, "CAP_SYS_ADMIN"), "%s", io.errmsg);
		return;
	}
	ck_assert_msg(ret == 0, "%s", io.errmsg);
	ck_assert_int_eq(ahci_open(&a, &io), 0);
	ck_assert_uint_eq(a.nports, 6);
	ck_assert_uint_eq(a.pi, 0x3f);
	/* Every DMA page has its own physical address, none zero. */
	for (uint32_t off = 0; off < AHCI_DMA_LEN; off += AHCI_PAGE)
		ck_assert_uint_ne(io.ops->phys(&io, off), 0);
	ck_assert_uint_eq(io.ops->phys(&io, AHCI_PAGE + 0x123) - io.ops->phys(&io, AHCI_PAGE), 0x123);
	ahci_close(&a);
	bar = tst_read_file(path("sys/devices/pci0000:00/" BDF "/resource5"), &n);
	ck_assert_uint_eq(bar[HOST_CTL / 4], HOST_CTL_AHCI_EN);
	free(bar);
	config = tst_read_file(path("sys/devices/pci0000:00/" BDF "/config"), &n);
	ck_assert_uint_eq(config[PCI_COMMAND_OFF] & 6, 6);
	free(config);
}
END_TEST

START_TEST(test_open_missing)
{
	struct ahci_pci_cfg cfg = { .bdf = BDF, .pagemap = "/proc/self/pagemap" };
	struct ahci_io io;

	cfg.sysfs = path("sys");
	ck_assert_int_eq(ahci_pci_open(&io, &cfg), -ENOENT);
	ck_assert_msg(strstr(io.errmsg, "resource5"), "%s", io.errmsg);
}
END_TEST

static void fake_env(void)
{
	setenv("ODRESCUE_SYSFS", path("sys"), 1);
	setenv("ODRESCUE_PROC", path("proc"), 1);
	ck_assert_int_eq(tst_putf("/dev/vda1 / ext4 rw 0 0\n", "%s/proc/mounts", dir), 0);
	ck_assert_int_eq(tst_putf("Filename Type Size Used Priority\n", "%s/proc/swaps", dir), 0);
}

static char *file(const char *name)
{
	size_t n;
	char *t = tst_read_file(path(name), &n);

	ck_assert_ptr_nonnull(t);
	t = realloc(t, n + 1);
	t[n] = '\0';
	return t;
}

/* ahci bound and no --release: exit 4 naming the driver and --release; nothing unbound. */
START_TEST(test_cli_driver_bound)
{
	char *t;

	fake_function("ahci", 0xc0141f05);
	fake_env();
	ck_assert_int_eq(tst_cli(&r, "-p ahci:pci=00:1f.2 scan"), EXIT_OWNED);
	ck_assert_msg(strstr(r.err, "driven by the kernel's ahci") && strstr(r.err, "--release"), "%s", r.err);
	t = file("sys/bus/pci/drivers/ahci/unbind");
	ck_assert_str_eq(t, "");
	free(t);
}
END_TEST

/* --release with the root filesystem on a disk behind the controller: refused, nothing unbound. */
START_TEST(test_cli_release_refused_root)
{
	char *t;

	fake_function("ahci", 0xc0141f05);
	fake_env();
	ck_assert_int_eq(tst_mkdirs(path("sys/devices/pci0000:00/" BDF "/ata1/host0/block/sda/sda1")), 0);
	ck_assert_int_eq(tst_mkdirs(path("sys/class/block")), 0);
	ck_assert_int_eq(symlink("../../devices/pci0000:00/" BDF "/ata1/host0/block/sda/sda1",
				 path("sys/class/block/sda1")), 0);
	ck_assert_int_eq(tst_putf("/dev/sda1 / ext4 rw 0 0\n", "%s/proc/mounts", dir), 0);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:pci=00:1f.2 scan --release"), EXIT_OWNED);
	ck_assert_msg(strstr(r.err, "/dev/sda1 is mounted"), "%s", r.err);
	t = file("sys/bus/pci/drivers/ahci/unbind");
	ck_assert_str_eq(t, "");
	free(t);
}
END_TEST

/* --release with nothing of ours on it: unbound, and bound back at exit though the open then failed. */
START_TEST(test_cli_release_given_back)
{
	char *t;

	fake_function("ahci", 0xc0141f05);
	fake_env();	/* the fake proc has no self/pagemap: the open fails after the release */
	ck_assert_int_ne(tst_cli(&r, "-p ahci:pci=00:1f.2 scan --release"), EXIT_OK);
	ck_assert_msg(strstr(r.err, "pagemap"), "%s", r.err);
	t = file("sys/bus/pci/drivers/ahci/unbind");
	ck_assert_str_eq(t, BDF);
	free(t);
	t = file("sys/bus/pci/drivers/ahci/bind");
	ck_assert_str_eq(t, BDF);
	free(t);
}
END_TEST

/* Not AHCI, absent, or both ways given: refused before anything is touched. */
START_TEST(test_cli_refusals)
{
	fake_function(NULL, 0xc0141f05);
	fake_env();
	ck_assert_int_eq(tst_putf("0x010180\n", "%s/sys/devices/pci0000:00/" BDF "/class", dir), 0);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:pci=00:1f.2 scan"), EXIT_NODEV);
	ck_assert_msg(strstr(r.err, "not an AHCI controller"), "%s", r.err);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:pci=00:1f.3 scan"), EXIT_NODEV);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:pci=00:1f.2,qtest=/x scan"), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "-p ahci:pci=00:3f.2 scan"), EXIT_USAGE);
	ck_assert_int_eq(tst_cli(&r, "-p ahci scan"), EXIT_USAGE);
}
END_TEST

Suite *suite_ahci_pci(void)
{
	Suite *s = suite_create("ahci_pci");
	TCase *tc = tcase_create("pci");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pagemap);
	tcase_add_test(tc, test_open_fake_function);
	tcase_add_test(tc, test_open_missing);
	tcase_add_test(tc, test_cli_driver_bound);
	tcase_add_test(tc, test_cli_release_refused_root);
	tcase_add_test(tc, test_cli_release_given_back);
	tcase_add_test(tc, test_cli_refusals);
	suite_add_tcase(s, tc);
	return s;
}
