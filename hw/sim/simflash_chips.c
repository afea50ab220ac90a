/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulated parts: JEDEC ids, sizes and erase units as flashrom lists
 * them (flashchips/{sst,amd,macronix,winbond,eon}.c), typical times from the
 * vendors' datasheets (named per row). Where the datasheet of the exact part
 * was not at hand, the row names the sibling that gave the number, and
 * "est." marks a time that no datasheet text confirmed; only the order of
 * magnitude matters to the tests (polling loops and timeouts).
 */
#include <strings.h>

#include "hw/sim/simflash.h"

#define US	1000ULL
#define MS	1000000ULL
#define S	1000000000ULL
#define K	1024u

const struct simflash_chip simflash_chips[] = {
	/* SST DS25022B: 4 KiB sectors, 14 us byte, 18 ms sector, 70 ms chip */
	{ .name = "SST39SF010A", .id = { 0xbf, 0xb5 }, .size = 128 * K, .sector = 4 * K,
	  .t_prog_ns = 14 * US, .t_sector_erase_ns = 18 * MS, .t_chip_erase_ns = 70 * MS },
	{ .name = "SST39SF020A", .id = { 0xbf, 0xb6 }, .size = 256 * K, .sector = 4 * K,
	  .t_prog_ns = 14 * US, .t_sector_erase_ns = 18 * MS, .t_chip_erase_ns = 70 * MS },
	{ .name = "SST39SF040", .id = { 0xbf, 0xb7 }, .size = 512 * K, .sector = 4 * K,
	  .t_prog_ns = 14 * US, .t_sector_erase_ns = 18 * MS, .t_chip_erase_ns = 70 * MS },
	/* SST39VF080 (3 V, 1 MiB): SST39xF0x0 SuperFlash timings; chip erase 40 ms est. */
	{ .name = "SST39VF080", .id = { 0xbf, 0xd8 }, .size = 1024 * K, .sector = 4 * K,
	  .t_prog_ns = 14 * US, .t_sector_erase_ns = 18 * MS, .t_chip_erase_ns = 40 * MS },
	/*
	 * Winbond W29C040: flashrom winbond.c (512 KiB, 256-byte pages, chip erase
	 * only). Its page write is not modelled: A0h is recorded as misuse, the
	 * byte-program path is never right for it. Times est. (10 ms page, 100 ms chip).
	 */
	{ .name = "W29C040", .id = { 0xda, 0x46 }, .size = 512 * K, .sector = 512 * K, .page = 256,
	  .t_prog_ns = 10 * MS, .t_sector_erase_ns = 50 * MS, .t_chip_erase_ns = 100 * MS },
	/* AMD 21445: 64 KiB sectors, 7 us byte, 1 s sector, 8 s chip; decodes A10..A0 */
	{ .name = "Am29F040B", .id = { 0x01, 0xa4 }, .size = 512 * K, .sector = 64 * K,
	  .t_prog_ns = 7 * US, .t_sector_erase_ns = 1 * S, .t_chip_erase_ns = 8 * S,
	  .cmd_mask = 0x7ff },
	/* Macronix PM1201 (MX29F040C): 9 us byte, 0.7 s sector, 4 s chip */
	{ .name = "MX29F040", .id = { 0xc2, 0xa4 }, .size = 512 * K, .sector = 64 * K,
	  .t_prog_ns = 9 * US, .t_sector_erase_ns = 700 * MS, .t_chip_erase_ns = 4 * S,
	  .cmd_mask = 0x7ff },

	/* Macronix MX25Lxx05 family (PM1307): 1.4 ms page, 60 ms 4K, 1 s 64K; chip est. */
	{ .name = "MX25L2005", .spi = 1, .id = { 0xc2, 0x20, 0x12 }, .rems = { 0xc2, 0x11 },
	  .size = 256 * K, .sector = 4 * K, .page = 256, .t_prog_ns = 1400 * US,
	  .t_sector_erase_ns = 60 * MS, .t_block_erase_ns = 1 * S, .t_chip_erase_ns = 2 * S },
	{ .name = "MX25L8005", .spi = 1, .id = { 0xc2, 0x20, 0x14 }, .rems = { 0xc2, 0x13 },
	  .size = 1024 * K, .sector = 4 * K, .page = 256, .t_prog_ns = 1400 * US,
	  .t_sector_erase_ns = 60 * MS, .t_block_erase_ns = 1 * S, .t_chip_erase_ns = 8 * S },
	/* Winbond W25X10/20/40/80 (est.; Eon EN25F20 of that era: 1.5 ms, 150 ms, 800 ms) */
	{ .name = "W25X40", .spi = 1, .id = { 0xef, 0x30, 0x13 }, .rems = { 0xef, 0x12 },
	  .size = 512 * K, .sector = 4 * K, .page = 256, .t_prog_ns = 1500 * US,
	  .t_sector_erase_ns = 150 * MS, .t_block_erase_ns = 1 * S, .t_chip_erase_ns = 4 * S },
	/* Eon EN25x16 (EN25D16 rev B): 1.5 ms page, 150 ms 4K, 800 ms 64K, 18 s chip */
	{ .name = "EN25F16", .spi = 1, .id = { 0x1c, 0x31, 0x15 }, .rems = { 0x1c, 0x14 },
	  .size = 2048 * K, .sector = 4 * K, .page = 256, .t_prog_ns = 1500 * US,
	  .t_sector_erase_ns = 150 * MS, .t_block_erase_ns = 800 * MS, .t_chip_erase_ns = 18 * S },
	/* SST25VF040B: 02h programs one byte (AAI aside); 7 us, 18 ms erase, 35 ms chip (est.) */
	{ .name = "SST25VF040B", .spi = 1, .id = { 0xbf, 0x25, 0x8d }, .rems = { 0xbf, 0x8d },
	  .size = 512 * K, .sector = 4 * K, .page = 1, .t_prog_ns = 7 * US,
	  .t_sector_erase_ns = 18 * MS, .t_block_erase_ns = 18 * MS, .t_chip_erase_ns = 35 * MS,
	  .sr_init = 0x1c },
	/*
	 * SST25VF020, not B (flashrom sst.c: probed by REMS BF 43 only, byte
	 * program, EWSR): no RDID; BP bits set at power-on like the B part;
	 * times est. from SST25VF040B.
	 */
	{ .name = "SST25VF020", .spi = 1, .id = { 0 }, .rems = { 0xbf, 0x43 },
	  .size = 256 * K, .sector = 4 * K, .page = 1, .t_prog_ns = 14 * US,
	  .t_sector_erase_ns = 18 * MS, .t_block_erase_ns = 18 * MS, .t_chip_erase_ns = 70 * MS,
	  .sr_init = 0x0c },
	/*
	 * W25P20 (user logs: REMS EF 11): flashrom's W25P80/16/32 erase only 64 KiB
	 * blocks (D8h) or the chip; RDID EF 20 12 by that family's pattern (est.).
	 * Times est. as W25X40.
	 */
	{ .name = "W25P20", .spi = 1, .id = { 0xef, 0x20, 0x12 }, .rems = { 0xef, 0x11 },
	  .size = 256 * K, .sector = 64 * K, .page = 256, .t_prog_ns = 1500 * US,
	  .t_sector_erase_ns = 1 * S, .t_block_erase_ns = 1 * S, .t_chip_erase_ns = 4 * S,
	  .block_only = 1 },
	/* Pm25LV040 (flashrom pmc.c): RDID 7F 9D 7E, 4 KiB D7h erase; no REMS known. Times est. */
	{ .name = "Pm25LV040", .spi = 1, .id = { 0x7f, 0x9d, 0x7e }, .size = 512 * K, .sector = 4 * K,
	  .page = 256, .t_prog_ns = 1500 * US, .t_sector_erase_ns = 150 * MS,
	  .t_block_erase_ns = 1 * S, .t_chip_erase_ns = 4 * S },
	{ .name = NULL },
};

const struct simflash_chip *simflash_chip_find(const char *name)
{
	if (!name)
		return NULL;
	for (const struct simflash_chip *c = simflash_chips; c->name; c++)
		if (!strcasecmp(c->name, name))
			return c;
	return NULL;
}
