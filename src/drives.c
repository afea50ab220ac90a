// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Known drive families. None has been run on a real drive here yet, and
 * the table says so; "sim" means the simulator's model of the family
 * went through the operation in the test suite. More specific patterns
 * come first: drive_find() takes the first match.
 */
#include <fnmatch.h>
#include <string.h>

#include "src/drives.h"
#include "src/output.h"

#define KIB 1024u
#define MIB (1024u * 1024u)
#define UNTESTED { DT_UNTESTED, DT_UNTESTED, DT_UNTESTED, DT_UNTESTED }
#define SIMULATED { DT_SIM, DT_SIM, DT_SIM, DT_SIM }

const struct drive_model drive_table[] = {
	{
		.vendor = "PLDS", .product = "DG-16D2S*",
		.family = "Lite-On DG-16D2S (Xbox 360, \"Phat\" firmware)",
		.method = DM_VENDOR, .flash = "serial", .image_size = 256 * KIB,
		.keep = { { 0xA030, 0xA03F, "drive key" } },
		.tested = UNTESTED,
		.note = "the DVD key and the identity strings belong to this one drive: flash its own "
			"dump, or carry the key with --keep A030-A03F",
		.source = "mtk-protocol.md 2.7, 5.1, 5.5 (JF logs, P-TX1)",
	},
	{
		.vendor = "TSSTcorp", .product = "*TS-H943*",
		.family = "Samsung TS-H943 (Xbox 360)",
		.method = DM_VENDOR, .flash = "serial", .image_size = 512 * KIB,
		.tested = UNTESTED,
		.note = "SST25VF040 serial flash",
		.source = "mtk-protocol.md 2.7 (P-SATA)",
	},
	{
		.vendor = "TSSTcorp", .product = "*SE-506CB*",
		.family = "Samsung/TSST SE-506CB (MT1939, USB)",
		.method = DM_NONE, .flash = "-", .image_size = 2 * MIB,
		.tested = UNTESTED,
		.note = "updated with vendor CDB FF 00 01 over USB, which odrescue does not implement",
		.source = "mtk-protocol.md 4 (CM)",
	},
	{
		.vendor = "HL-DT-ST", .product = "*WH16NS40*",
		.family = "LG WH16NS40 (MT1959)",
		.method = DM_NONE, .flash = "-", .image_size = 2 * MIB,
		.keep = { { 0x1E8000, 0x1E84FF, "signature" }, { 0x1E9000, 0x1FFFFF, "calibration" } },
		.tested = UNTESTED,
		.note = "the only known flasher is closed source; its commands are not public",
		.source = "mtk-protocol.md 4, 5.5 (P-LG)",
	},
	{
		.vendor = "SAMSUNG", .product = "*SM-352F*",
		.family = "Samsung SM-352F combo",
		.method = DM_VENDOR, .flash = "parallel", .image_size = 0,
		.tested = UNTESTED,
		.note = "its calibration lives in the flash: flash only this drive's own backup",
		.source = "mtk-protocol.md 5.5 (ARC)",
	},
	{
		.vendor = "BTC", .product = "*1008*",
		.family = "BTC DRW1008 DVD writers",
		.method = DM_WBUF, .flash = "-", .image_size = 1 * MIB,
		.tested = { DT_SIM, DT_SIM, DT_SIM, DT_UNTESTED },	/* the sim's wbuf scenario */
		.note = "WRITE BUFFER mode 6 in 4 KiB chunks at offset 20h, checksum header, mode 7",
		.source = "mtk-protocol.md 3.2 (btcflash)",
	},
	{
		.vendor = "BTC", .product = "*1004*|*1108*",
		.family = "BTC DRW1004 / DRW1108 DVD writers",
		.method = DM_WBUF, .flash = "-", .image_size = 1 * MIB,
		.tested = UNTESTED,
		.note = "btcflash says it \"may also work\" with these",
		.source = "mtk-protocol.md 3.2 (btcflash)",
	},
	{
		.vendor = "LITE-ON", .product = "*SOHW-*",
		.family = "Lite-On DVD writers (MTK 8032)",
		.method = DM_VENDOR, .flash = "parallel", .image_size = 0,
		.tested = SIMULATED,
		.note = "learned calibration lives in a separate EEPROM, not in the flash",
		.source = "mtk-protocol.md 2.5, 2.6, 5.1, 5.5 (JF, OmniPatcher); flashing-guide-thread.txt",
	},
	{
		.vendor = "LITE-ON", .product = "*",
		.family = "Lite-On MTK CD/DVD drives and combos",
		.method = DM_VENDOR, .flash = "parallel", .image_size = 0,
		.tested = UNTESTED,
		.source = "mtk-protocol.md 2, 5.1 (OmniPatcher accepts 128 KiB to 1 MiB)",
	},
	{
		.vendor = "SONY", .product = "*",
		.family = "Sony drives rebadged from Lite-On (DRU-, CRX)",
		.method = DM_VENDOR, .flash = "parallel", .image_size = 0,
		.tested = UNTESTED,
		.note = "only Sony models built by Lite-On on MediaTek chips; others fail the vendor intro",
		.source = "flashing-guide-thread.txt (Sony CRX 300E, DRU-720A)",
	},
};

const unsigned drive_table_len = sizeof(drive_table) / sizeof(drive_table[0]);

/*
 * INQUIRY fields come blank-padded; patterns are written without the
 * padding. A pattern may list alternatives: "*1004*|*1108*".
 */
static int field_match(const char *pats, const char *s)
{
	char t[32], pat[32];
	size_t n = strlen(s);

	while (n && s[n - 1] == ' ')
		n--;
	if (n >= sizeof(t))
		n = sizeof(t) - 1;
	memcpy(t, s, n);
	t[n] = 0;
	while (*pats) {
		size_t len = strcspn(pats, "|");

		snprintf(pat, sizeof(pat), "%.*s", (int)len, pats);
		if (!fnmatch(pat, t, 0))
			return 1;
		pats += len + (pats[len] == '|');
	}
	return 0;
}

const struct drive_model *drive_find(const char *vendor, const char *product)
{
	if (!vendor || !product)
		return NULL;
	for (unsigned i = 0; i < drive_table_len; i++)
		if (field_match(drive_table[i].vendor, vendor) && field_match(drive_table[i].product, product))
			return &drive_table[i];
	return NULL;
}

const char *drive_method_name(enum drive_method m)
{
	static const char *const names[] = { "mtk", "wbuf", "none" };

	return names[m];
}

const char *drive_tested_name(enum drive_tested t)
{
	static const char *const names[] = { "untested", "sim", "ok", "bad" };

	return names[t];
}

static const char *const op_names[DOP_COUNT] = { "probe", "read", "write", "erase" };

static void print_json(FILE *f)
{
	struct json j;

	json_begin(&j, f);
	json_arr(&j, "drives");
	for (unsigned i = 0; i < drive_table_len; i++) {
		const struct drive_model *d = &drive_table[i];

		json_obj(&j, NULL);
		json_str(&j, "vendor", d->vendor);
		json_str(&j, "product", d->product);
		json_str(&j, "family", d->family);
		json_str(&j, "method", drive_method_name(d->method));
		json_str(&j, "flash", d->flash);
		json_int(&j, "image_size", d->image_size);
		json_arr(&j, "keep");
		for (int k = 0; k < DRIVE_RANGES_MAX && d->keep[k].what; k++) {
			json_obj(&j, NULL);
			json_hex(&j, "start", d->keep[k].start);
			json_hex(&j, "end", d->keep[k].end);
			json_str(&j, "what", d->keep[k].what);
			json_close(&j);
		}
		json_close(&j);
		json_obj(&j, "tested");
		for (int o = 0; o < DOP_COUNT; o++)
			json_str(&j, op_names[o], drive_tested_name(d->tested[o]));
		json_close(&j);
		json_str(&j, "note", d->note);
		json_str(&j, "source", d->source);
		json_close(&j);
	}
	json_close(&j);
	json_end(&j);
}

void drive_table_print(FILE *f, int json)
{
	if (json) {
		print_json(f);
		return;
	}
	fprintf(f, "Drive families odrescue knows. None has been tried on a real drive yet: \"sim\" means\n"
		"the simulator's model of the family passed the operation, \"untested\" that nothing has.\n"
		"Drives not listed are flashed in vendor mode only when they answer its intro.\n\n");
	fprintf(f, "%-9s %-14s %-6s %-9s %-8s %-8s %-8s %-8s %s\n", "Vendor", "Product", "Method", "Flash",
		"Image", "Probe", "Read", "Write", "Erase");
	for (unsigned i = 0; i < drive_table_len; i++) {
		const struct drive_model *d = &drive_table[i];
		char size[16] = "any";

		if (d->image_size)
			snprintf(size, sizeof(size), "%u KiB", d->image_size / KIB);
		fprintf(f, "%-9s %-14s %-6s %-9s %-8s %-8s %-8s %-8s %s\n", d->vendor, d->product,
			drive_method_name(d->method), d->flash, size, drive_tested_name(d->tested[DOP_PROBE]),
			drive_tested_name(d->tested[DOP_READ]), drive_tested_name(d->tested[DOP_WRITE]),
			drive_tested_name(d->tested[DOP_ERASE]));
		fprintf(f, "  %s; source: %s\n", d->family, d->source);
		for (int k = 0; k < DRIVE_RANGES_MAX && d->keep[k].what; k++)
			fprintf(f, "  per-drive data: %06X-%06X %s\n", d->keep[k].start, d->keep[k].end,
				d->keep[k].what);
		if (d->note)
			fprintf(f, "  note: %s\n", d->note);
	}
}
