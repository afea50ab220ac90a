/* SPDX-License-Identifier: GPL-2.0-or-later */
/* scan's PCI IDE controller list on a fake sysfs and /proc: legacy, native, no driver, unassigned BARs. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/pci_ide.h"
#include "src/scan_pci.h"
#include "tests/tst.h"

static char *root;
static struct ctx c;
static char *out;
static size_t outlen;

/* content into a file of the fake tree, its directories made on the way. */
#define put(content, ...) ck_assert_int_eq(tst_putf(content, __VA_ARGS__), 0)

/* A PCI function under devices/pci0000:00, linked from bus/pci/devices as the kernel does. */
static void pci_fn(const char *addr, const char *class, const char *vendor, const char *device,
		   const char *driver, const char *resource)
{
	char target[PATH_MAX], link[PATH_MAX];

	put(class, "%s/devices/pci0000:00/%s/class", root, addr);
	put(vendor, "%s/devices/pci0000:00/%s/vendor", root, addr);
	put(device, "%s/devices/pci0000:00/%s/device", root, addr);
	if (resource)
		put(resource, "%s/devices/pci0000:00/%s/resource", root, addr);
	if (driver) {
		snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", driver);
		snprintf(link, sizeof(link), "%s/devices/pci0000:00/%s/driver", root, addr);
		ck_assert_int_eq(symlink(target, link), 0);
	}
	snprintf(target, sizeof(target), "../../../devices/pci0000:00/%s", addr);
	snprintf(link, sizeof(link), "%s/bus/pci/devices", root);
	ck_assert_int_eq(tst_mkdirs(link), 0);
	snprintf(link, sizeof(link), "%s/bus/pci/devices/%s", root, addr);
	ck_assert_int_eq(symlink(target, link), 0);
}

#define BAR(start, end) "0x000000000000" start " 0x000000000000" end " 0x0000000000040101\n"
#define NOBAR "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"

static void setup(void)
{
	root = tst_mkdtemp();
	ck_assert_ptr_nonnull(root);
	/* PIIX4, both channels legacy (prog-if 8Ah), ata_piix bound. */
	pci_fn("0000:00:01.1", "0x01018a\n", "0x8086\n", "0x7111\n", "ata_piix",
	       NOBAR NOBAR NOBAR NOBAR BAR("c000", "c00f"));
	/* VIA in native mode on both channels (prog-if 8Fh); pata_via holds the primary only. */
	pci_fn("0000:00:0f.1", "0x01018f\n", "0x1106\n", "0x0571\n", "pata_via",
	       BAR("d000", "d007") BAR("d400", "d403") BAR("d800", "d807") BAR("dc00", "dc03"));
	/* A Silicon Image card with no driver: primary native, its secondary's BARs never assigned. */
	pci_fn("0000:02:00.0", "0x010185\n", "0x1095\n", "0x0680\n", NULL,
	       BAR("e000", "e007") BAR("e400", "e403") NOBAR NOBAR);
	/* Not IDE: AHCI and a VGA card. */
	pci_fn("0000:00:1f.2", "0x010601\n", "0x8086\n", "0x2922\n", "ahci", NULL);
	pci_fn("0000:00:02.0", "0x030000\n", "0x1234\n", "0x1111\n", NULL, NULL);
	put("0000-0cf7 : PCI Bus 0000:00\n"
	    "  0170-0177 : 0000:00:01.1\n"
	    "    0170-0177 : ata_piix\n"
	    "  01f0-01f7 : 0000:00:01.1\n"
	    "    01f0-01f7 : ata_piix\n"
	    "  0376-0376 : 0000:00:01.1\n"
	    "    0376-0376 : ata_piix\n"
	    "  03f6-03f6 : 0000:00:01.1\n"
	    "    03f6-03f6 : ata_piix\n"
	    "0d00-ffff : PCI Bus 0000:00\n"
	    "  c000-c00f : 0000:00:01.1\n"
	    "  d000-d007 : 0000:00:0f.1\n"
	    "    d000-d007 : pata_via\n"
	    "  d400-d403 : 0000:00:0f.1\n"
	    "    d400-d403 : pata_via\n"
	    "  d800-d807 : 0000:00:0f.1\n"
	    "  dc00-dc03 : 0000:00:0f.1\n"
	    "  e000-e007 : 0000:02:00.0\n"
	    "  e400-e403 : 0000:02:00.0\n", "%s/proc/ioports", root);
	setenv("ODRESCUE_SYSFS", root, 1);
	setenv("ODRESCUE_PROC", tst_path(root, "proc"), 1);
	memset(&c, 0, sizeof(c));
	c.out = open_memstream(&out, &outlen);
	c.err = stderr;
}

static void teardown(void)
{
	unsetenv("ODRESCUE_SYSFS");
	unsetenv("ODRESCUE_PROC");
	fclose(c.out);
	free(out);
	tst_rmdir(root);
	free(root);
}

static const char *printed(void)
{
	fflush(c.out);
	return out;
}

static int count(const char *text)
{
	int n = 0;

	for (const char *p = strstr(printed(), text); p; p = strstr(p + 1, text))
		n++;
	return n;
}

#define has(text) ck_assert_msg(strstr(printed(), text), "no \"%s\" in:\n%s", text, printed())

START_TEST(test_list)
{
	struct pci_ide p[PCI_IDE_MAX];

	ck_assert_int_eq(pci_ide_list(root, p, PCI_IDE_MAX), 3);
	ck_assert_str_eq(p[0].addr, "0000:00:01.1");
	ck_assert_uint_eq(p[0].vendor, 0x8086);
	ck_assert_uint_eq(p[0].device, 0x7111);
	ck_assert_uint_eq(p[0].pci_class, 0x01018a);
	ck_assert_str_eq(p[0].driver, "ata_piix");
	ck_assert_int_eq(p[0].chan[0].legacy, 1);
	ck_assert_uint_eq(p[0].chan[0].cmd, 0x1f0);
	ck_assert_uint_eq(p[0].chan[0].ctl, 0x3f6);
	ck_assert_uint_eq(p[0].chan[1].cmd, 0x170);
	ck_assert_uint_eq(p[0].chan[1].ctl, 0x376);
	ck_assert_str_eq(p[1].addr, "0000:00:0f.1");
	ck_assert_int_eq(p[1].chan[0].legacy, 0);
	ck_assert_uint_eq(p[1].chan[0].cmd, 0xd000);
	ck_assert_uint_eq(p[1].chan[0].ctl, 0xd402);
	ck_assert_uint_eq(p[1].chan[1].cmd, 0xd800);
	ck_assert_uint_eq(p[1].chan[1].ctl, 0xdc02);
	ck_assert_str_eq(p[2].addr, "0000:02:00.0");
	ck_assert_str_eq(p[2].driver, "");
	ck_assert_uint_eq(p[2].chan[0].cmd, 0xe000);
	ck_assert_int_eq(p[2].chan[1].legacy, 0);
	ck_assert_uint_eq(p[2].chan[1].cmd, 0);
	ck_assert_int_eq(pci_ide_list(root, p, 1), 1);
	ck_assert_int_eq(pci_ide_list(tst_path(root, "proc"), p, PCI_IDE_MAX), -ENOENT);
}
END_TEST

START_TEST(test_text)
{
	scan_pci_ide(&c, NULL);
	has("\nPCI IDE controllers (sysfs):\n"
	    "  0000:00:01.1 8086:7111 class 01018a driver ata_piix; data 32-bit\n"
	    "    primary   legacy 0x1f0/0x3f6   owner ata_piix   positions 1, 2\n"
	    "    secondary legacy 0x170/0x376   owner ata_piix   positions 3, 4\n"
	    "  0000:00:0f.1 1106:0571 class 01018f driver pata_via; data 16-bit\n"
	    "    primary   native 0xd000/0xd402 owner pata_via   -p ioport:base=0xd000,ctl=0xd402 (positions m, s)\n"
	    "    secondary native 0xd800/0xdc02 owner none       -p ioport:base=0xd800,ctl=0xdc02 (positions m, s)\n"
	    "  0000:02:00.0 1095:0680 class 010185 no driver; data 32-bit (ids of pata_sil680)\n"
	    "    primary   native 0xe000/0xe402 owner none       -p ioport:base=0xe000,ctl=0xe402 (positions m, s)\n"
	    "    secondary native no ports (BARs not assigned)\n");
	ck_assert_msg(!strstr(printed(), "0000:00:1f.2") && !strstr(printed(), "0000:00:02.0"), "%s", printed());
}
END_TEST

START_TEST(test_json)
{
	struct json j;

	json_begin(&j, c.out);
	scan_pci_ide(&c, &j);
	json_end(&j);
	has("\"pci\": \"0000:00:01.1\"");
	has("\"vendor\": \"0x8086\"");
	has("\"class\": \"0x01018a\"");
	has("\"device\": \"0x0571\"");
	has("\"driver\": \"ata_piix\"");
	has("\"channel\": \"secondary\"");
	has("\"mode\": \"legacy\"");
	has("\"cmd\": \"0x170\"");
	has("\"owner\": \"pata_via\"");
	has("\"backend\": \"ioport:base=0xd800,ctl=0xdc02\"");
	has("\"driver\": null");
	has("\"cmd\": null");
	has("\"owner\": null");
	/* Three controllers, six channels, positions only on the two legacy ones. */
	ck_assert_int_eq(count("\"pci\":"), 3);
	ck_assert_int_eq(count("\"channel\":"), 6);
	ck_assert_int_eq(count("\"positions\":"), 2);
	ck_assert_int_eq(count("\"backend\":"), 3);
	/* ata_piix and the driverless SiI680 take dwords, pata_via words */
	ck_assert_int_eq(count("\"pio32\": true"), 2);
	ck_assert_int_eq(count("\"pio32\": false"), 1);
}
END_TEST

/* No PCI bus (or no /proc/ioports): one honest line, owners unknown. */
START_TEST(test_no_pci_no_ioports)
{
	setenv("ODRESCUE_PROC", tst_path(root, "nowhere"), 1);
	scan_pci_ide(&c, NULL);
	has("    primary   legacy 0x1f0/0x3f6   owner unknown    positions 1, 2\n");
	setenv("ODRESCUE_SYSFS", tst_path(root, "proc"), 1);
	scan_pci_ide(&c, NULL);
	has("\nPCI IDE controllers: none (no PCI bus in ");
}
END_TEST

/* The list is about this machine's ports: scan on the simulator does not print it. */
START_TEST(test_not_on_sim)
{
	struct tst_run *r = malloc(sizeof(*r));

	ck_assert_int_eq(tst_cli(r, "-p sim scan"), 0);
	ck_assert_msg(strstr(r->out, "3 secondary master"), "%s", r->out);
	ck_assert_msg(!strstr(r->out, "PCI IDE"), "%s", r->out);
	ck_assert_int_eq(tst_cli(r, "-p sim --json scan"), 0);
	ck_assert_msg(!strstr(r->out, "controllers"), "%s", r->out);
	free(r);
}
END_TEST

/* pci_ide_pio32() on the legacy primary of a tree holding only one driverless legacy controller with these ids. */
static int lone(const char *vendor, const char *device, char *why, size_t len)
{
	const struct ata_chan primary = { 0x1f0, 0x3f6 };
	char *saved = root;
	int ret;

	root = tst_mkdtemp();
	pci_fn("0000:00:07.1", "0x010180\n", vendor, device, NULL, NULL);
	ret = pci_ide_pio32(root, &primary, 1, why, len);
	tst_rmdir(root);
	free(root);
	root = saved;
	return ret;
}

/* 32-bit data transfers only where libata uses them itself (ata_sff_data_xfer32's drivers), by driver or ids. */
START_TEST(test_pio32)
{
	const struct ata_chan legacy[2] = { { 0x1f0, 0x3f6 }, { 0x170, 0x376 } };
	const struct ata_chan via2 = { 0xd800, 0xdc02 }, isa[2] = { { 0x1f0, 0x3f6 }, { 0x1e8, 0x3ee } };
	const struct ata_chan sii1 = { 0xe000, 0xe402 }, sii2 = { 0xe800, 0xec02 };
	char why[200];

	ck_assert_int_eq(pci_ide_pio32(root, legacy, 2, why, sizeof(why)), 1);
	ck_assert_str_eq(why, "32-bit: PCI IDE controller 0000:00:01.1 (8086:7111, ata_piix) decodes ports 170-177, "
			      "and libata moves its data 32 bits at a time");
	/* pata_via is bound: libata moves its data in words */
	ck_assert_int_eq(pci_ide_pio32(root, &via2, 1, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "16-bit: PCI IDE controller 0000:00:0f.1 (1106:0571, pata_via) is one libata moves "
			      "16 bits at a time");
	/* no driver bound: the SiI680's ids name pata_sil680, a 32-bit one */
	ck_assert_int_eq(pci_ide_pio32(root, &sii1, 1, why, sizeof(why)), 1);
	ck_assert_msg(strstr(why, "(1095:0680, pata_sil680) decodes ports e000-e007"), "%s", why);
	/* a third, ISA channel beside a PCI one; a native channel whose BARs were never assigned */
	ck_assert_int_eq(pci_ide_pio32(root, isa, 2, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "16-bit: no PCI IDE controller decodes ports 1e8-1ef");
	ck_assert_int_eq(pci_ide_pio32(root, &sii2, 1, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "16-bit: no PCI IDE controller decodes ports e800-e807");
	ck_assert_int_eq(pci_ide_pio32(tst_path(root, "nowhere"), legacy, 2, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "16-bit: no PCI IDE controller list in "), "%s", why);

	/* Intel, no driver: ata_piix's except the MPIIX (pata_mpiix, 16-bit); an unknown vendor stays 16-bit */
	ck_assert_int_eq(lone("0x8086\n", "0x7010\n", why, sizeof(why)), 1);	/* QEMU's PIIX3 */
	ck_assert_msg(strstr(why, "(8086:7010, ata_piix) decodes ports 1f0-1f7"), "%s", why);
	ck_assert_int_eq(lone("0x8086\n", "0x1234\n", why, sizeof(why)), 0);
	ck_assert_str_eq(why, "16-bit: PCI IDE controller 0000:00:07.1 (8086:1234, pata_mpiix) is one libata moves "
			      "16 bits at a time");
	ck_assert_int_eq(lone("0x1283\n", "0x8211\n", why, sizeof(why)), 0);
	ck_assert_str_eq(why, "16-bit: PCI IDE controller 0000:00:07.1 (1283:8211) is one libata moves 16 bits at "
			      "a time");
}
END_TEST

Suite *suite_pci_ide(void)
{
	Suite *s = suite_create("pci_ide");
	TCase *tc = tcase_create("fake_tree");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_no_pci_no_ioports);
	tcase_add_test(tc, test_not_on_sim);
	tcase_add_test(tc, test_pio32);
	suite_add_tcase(s, tc);
	return s;
}
