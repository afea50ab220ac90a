/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Flash parts found in MediaTek-era optical drives. Parallel ids, sizes and
 * 30h erase units from FR (flashrom/flashrom @ b946ca13 include/flashchips.h
 * and flashchips/{sst,amd,macronix,winbond,pmc,eon,atmel}.c; AT49F010 is
 * "AT49(H)F010" there); MX29F080 and Pm39F020/040 from flashchips.h alone
 * (no chip entry). Timings: datasheet maxima where a row says so, otherwise
 * our inference (about 10x a typical value); docs/protocol.md says which.
 * EON parallel parts answer 7Fh first (FR EON_ID 7F1Ch): their rows never
 * match. tested_hw is empty: nobody has reported a part working with
 * odrescue on a drive yet.
 */
#include <string.h>

#include "hw/flash.h"

#define SIM (FT_PROBE | FT_READ | FT_ERASE | FT_WRITE)
#define KB 1024u

#define PAR(v, n, m, d, sz, sec, prog, er, chip, t) \
	{ .vendor = v, .name = n, .bus = FLASH_PARALLEL, .mfr = m, .dev = d, .size = sz, \
	  .sector = sec, .page = 1, .t_prog_us = prog, .t_erase_ms = er, .t_chip_ms = chip, \
	  .tested_sim = t }
/* SPI rows: r = RDID bytes, e = REMS bytes (see the note above the SPI rows). */
#define SPI(v, n, r0, r1, r2, e0, e1, sz, sec, op, cop, pg, ew, prog, er, chip, t) \
	{ .vendor = v, .name = n, .bus = FLASH_SPI, .rdid = { r0, r1, r2 }, .rems = { e0, e1 }, \
	  .size = sz, .sector = sec, .erase_op = op, .chip_op = cop, .page = pg, .ewsr = ew, \
	  .t_prog_us = prog, .t_erase_ms = er, .t_chip_ms = chip, .tested_sim = t }

const struct flashchip flashchips[] = {
	/*
	 * SST SuperFlash: ids and 4 KiB sectors from FR flashchips/sst.c; byte program
	 * 20 us max (DS20005022C, DS25023); 25 ms sector and 100 ms chip erase are the
	 * typical 18/70 ms with a margin (inference).
	 */
	PAR("SST", "SST39SF512", 0xbf, 0xb4, 64 * KB, 4 * KB, 20, 25, 100, 0),
	PAR("SST", "SST39SF010A", 0xbf, 0xb5, 128 * KB, 4 * KB, 20, 25, 100, SIM),
	PAR("SST", "SST39SF020A", 0xbf, 0xb6, 256 * KB, 4 * KB, 20, 25, 100, SIM),
	PAR("SST", "SST39SF040", 0xbf, 0xb7, 512 * KB, 4 * KB, 20, 25, 100, SIM),
	PAR("SST", "SST39VF010", 0xbf, 0xd5, 128 * KB, 4 * KB, 20, 25, 100, 0),
	PAR("SST", "SST39VF020", 0xbf, 0xd6, 256 * KB, 4 * KB, 20, 25, 100, 0),
	PAR("SST", "SST39VF040", 0xbf, 0xd7, 512 * KB, 4 * KB, 20, 25, 100, 0),
	PAR("SST", "SST39VF080", 0xbf, 0xd8, 1024 * KB, 4 * KB, 20, 25, 100, SIM),
	/* AMD/Spansion: 64 KiB sectors (Am29F010: 16 KiB), 300 us byte, 8 s sector, 64 s chip. */
	PAR("AMD", "Am29F010", 0x01, 0x20, 128 * KB, 16 * KB, 300, 8000, 64000, 0),
	PAR("AMD", "Am29F040B", 0x01, 0xa4, 512 * KB, 64 * KB, 300, 8000, 64000, SIM),
	PAR("AMD", "Am29F080B", 0x01, 0xd5, 1024 * KB, 64 * KB, 300, 8000, 128000, 0),
	PAR("AMD", "Am29LV040B", 0x01, 0x4f, 512 * KB, 64 * KB, 300, 8000, 64000, 0),
	/* Macronix. */
	PAR("Macronix", "MX29F040", 0xc2, 0xa4, 512 * KB, 64 * KB, 300, 15000, 32000, SIM),
	PAR("Macronix", "MX29F080", 0xc2, 0xd5, 1024 * KB, 64 * KB, 300, 15000, 64000, 0),
	PAR("Macronix", "MX29LV040", 0xc2, 0x4f, 512 * KB, 64 * KB, 300, 15000, 32000, 0),
	/* Winbond. */
	PAR("Winbond", "W39L040", 0xda, 0xb6, 512 * KB, 64 * KB, 200, 1000, 2000, 0),
	PAR("Winbond", "W39V040A", 0xda, 0x3d, 512 * KB, 64 * KB, 200, 1000, 2000, 0),
	/* W29C040(/P): 256-byte page write, chip erase only (flashrom winbond.c); never written, see flash.h. */
	{ .vendor = "Winbond", .name = "W29C040", .bus = FLASH_PARALLEL, .mfr = 0xda, .dev = 0x46,
	  .size = 512 * KB, .sector = 0, .page = 256 },
	/* PMC: 4 KiB sectors. */
	PAR("PMC", "Pm39LV010", 0x9d, 0x1c, 128 * KB, 4 * KB, 200, 1000, 1000, 0),
	PAR("PMC", "Pm39LV020", 0x9d, 0x3d, 256 * KB, 4 * KB, 200, 1000, 1000, 0),
	PAR("PMC", "Pm39LV040", 0x9d, 0x3e, 512 * KB, 4 * KB, 200, 1000, 1000, 0),
	PAR("PMC", "Pm39F020", 0x9d, 0x4d, 256 * KB, 4 * KB, 200, 1000, 1000, 0),
	PAR("PMC", "Pm39F040", 0x9d, 0x4e, 512 * KB, 4 * KB, 200, 1000, 1000, 0),
	/* EON. */
	PAR("EON", "EN29F010", 0x1c, 0x20, 128 * KB, 16 * KB, 300, 8000, 64000, 0),
	PAR("EON", "EN29LV040", 0x1c, 0x4f, 512 * KB, 64 * KB, 300, 8000, 64000, 0),
	/* Atmel AT49F0x0: no sector erase, chip erase only. */
	PAR("Atmel", "AT49F010", 0x1f, 0x17, 128 * KB, 0, 50, 0, 10000, 0),
	PAR("Atmel", "AT49F020", 0x1f, 0x0b, 256 * KB, 0, 50, 0, 10000, 0),
	PAR("Atmel", "AT49F040", 0x1f, 0x13, 512 * KB, 0, 50, 0, 10000, 0),

	/*
	 * SPI parts of MT1339-era drives. RDID bytes: flashrom @ b946ca13
	 * include/flashchips.h (MACRONIX_MX25L*, WINBOND_NEX_W25X*, SST_SST25VF0*0B,
	 * PMC_ID 7F9Dh + PMC_PM25LV0*0: RDID answers 7F 9D 7E, spi25.c
	 * rdid_get_ids, EON_EN25F*). REMS bytes (odrescue asks REMS first, as JF
	 * method_303/304 does): MX25L2005 C2 11 and W25P20 EF 11 from user logs
	 * (mtk-protocol.md 2.7, team-xecuter 55990/58039); SST25VF020 BF 43 from
	 * flashrom SST_SST25VF020_REMS. Every other REMS pair is our inference
	 * (the family's RES signature), unconfirmed: RDID, where a chip answers
	 * it, decides over REMS. Chip erase: JF method_311 sends 60h to
	 * manufacturer BFh, C7h to the rest. Erase units, page sizes and
	 * EWSR: flashrom's rows of the same names.
	 */
	SPI("Macronix", "MX25L2005", 0xc2, 0x20, 0x12, 0xc2, 0x11, 256 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 5000, 300, 4000, SIM),
	SPI("Macronix", "MX25L4005", 0xc2, 0x20, 0x13, 0xc2, 0x12, 512 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 5000, 300, 8000, 0),
	SPI("Macronix", "MX25L8005", 0xc2, 0x20, 0x14, 0xc2, 0x13, 1024 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 5000, 300, 16000, SIM),
	SPI("Macronix", "MX25L1605", 0xc2, 0x20, 0x15, 0xc2, 0x14, 2048 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 5000, 300, 32000, 0),
	SPI("Winbond", "W25X10", 0xef, 0x30, 0x11, 0xef, 0x10, 128 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 3000, 400, 2000, 0),
	SPI("Winbond", "W25X20", 0xef, 0x30, 0x12, 0xef, 0x11, 256 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 3000, 400, 4000, 0),
	SPI("Winbond", "W25X40", 0xef, 0x30, 0x13, 0xef, 0x12, 512 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 3000, 400, 8000, SIM),
	SPI("Winbond", "W25X80", 0xef, 0x30, 0x14, 0xef, 0x13, 1024 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 3000, 400, 10000, 0),
	SPI("Winbond", "W25X16", 0xef, 0x30, 0x15, 0xef, 0x14, 2048 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 3000, 400, 40000, 0),
	/*
	 * W25P20 (seen on DG-16D2S, REMS EF 11): not in flashrom; its W25P80/16/32
	 * rows erase 64 KiB blocks with D8h and the whole chip with C7h, nothing
	 * smaller, and answer RDID EF 20 14..16, so EF 20 12 here is our
	 * inference. Times: est., 10x the W25X typical.
	 */
	SPI("Winbond", "W25P20", 0xef, 0x20, 0x12, 0xef, 0x11, 256 * KB, 64 * KB, 0xd8, 0xc7, 256, 0, 3000, 3000, 8000, SIM),
	/* SST25VF020, not B: no RDID (flashrom probes it by REMS), byte program, EWSR; times est. from the B part. */
	SPI("SST", "SST25VF020", 0, 0, 0, 0xbf, 0x43, 256 * KB, 4 * KB, 0x20, 0x60, 1, 1, 20, 25, 100, SIM),
	SPI("SST", "SST25VF020B", 0xbf, 0x25, 0x8c, 0xbf, 0x8c, 256 * KB, 4 * KB, 0x20, 0x60, 1, 1, 10, 25, 50, 0),
	SPI("SST", "SST25VF040B", 0xbf, 0x25, 0x8d, 0xbf, 0x8d, 512 * KB, 4 * KB, 0x20, 0x60, 1, 1, 10, 25, 50, SIM),
	SPI("SST", "SST25VF080B", 0xbf, 0x25, 0x8e, 0xbf, 0x8e, 1024 * KB, 4 * KB, 0x20, 0x60, 1, 1, 10, 25, 50, 0),
	/* PMC: RDID 7F 9D xx (the 7Fh continuation byte first); REMS not known. */
	SPI("PMC", "Pm25LV010", 0x7f, 0x9d, 0x7c, 0, 0, 128 * KB, 4 * KB, 0xd7, 0xc7, 256, 0, 5000, 300, 8000, 0),
	SPI("PMC", "Pm25LV020", 0x7f, 0x9d, 0x7d, 0, 0, 256 * KB, 4 * KB, 0xd7, 0xc7, 256, 0, 5000, 300, 8000, 0),
	SPI("PMC", "Pm25LV040", 0x7f, 0x9d, 0x7e, 0, 0, 512 * KB, 4 * KB, 0xd7, 0xc7, 256, 0, 5000, 300, 8000, SIM),
	SPI("EON", "EN25F40", 0x1c, 0x31, 0x13, 0x1c, 0x12, 512 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 5000, 300, 10000, 0),
	SPI("EON", "EN25F80", 0x1c, 0x31, 0x14, 0x1c, 0x13, 1024 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 5000, 300, 20000, 0),
	SPI("EON", "EN25F16", 0x1c, 0x31, 0x15, 0x1c, 0x14, 2048 * KB, 4 * KB, 0x20, 0xc7, 256, 0, 5000, 300, 40000, SIM),
	{ .name = 0 },
};

const struct flashchip flashchip_73h = {
	.vendor = "unidentified", .name = "73h serial flash", .bus = FLASH_SPI, .size = 256 * KB,
	.page = 256, .no_write = 1,
};

const struct flashchip *flashchip_find(enum flash_bus bus, uint8_t mfr, uint16_t dev)
{
	for (const struct flashchip *c = flashchips; c->name; c++)
		if (bus == FLASH_PARALLEL && c->bus == bus && c->mfr == mfr && c->dev == dev)
			return c;
	return 0;
}

const struct flashchip *flashchip_find_spi(const uint8_t *id, size_t len, unsigned *n)
{
	const struct flashchip *first = NULL;

	*n = 0;
	for (const struct flashchip *c = flashchips; c->name; c++) {
		const uint8_t *want = len == 3 ? c->rdid : c->rems;

		if (c->bus != FLASH_SPI || !(want[0] | want[1]) || memcmp(want, id, len))
			continue;
		if (!(*n)++)
			first = c;
	}
	return first;
}
