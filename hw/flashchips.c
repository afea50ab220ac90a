/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Flash parts found in MediaTek-era optical drives. Ids from the JEDEC
 * tables as flashrom's flashchips.h lists them; timings are datasheet
 * maxima where known, otherwise 10x the typical value. tested_hw is
 * empty: nobody has reported a part working with odrescue on a drive yet.
 */
#include "hw/flash.h"

#define SIM (FT_PROBE | FT_READ | FT_ERASE | FT_WRITE)
#define KB 1024u

#define PAR(v, n, m, d, sz, sec, prog, er, chip, t) \
	{ .vendor = v, .name = n, .bus = FLASH_PARALLEL, .mfr = m, .dev = d, .size = sz, \
	  .sector = sec, .page = 1, .t_prog_us = prog, .t_erase_ms = er, .t_chip_ms = chip, \
	  .tested_sim = t }
#define SPI(v, n, m, d, sz, sec, op, pg, unp, prog, er, chip, t) \
	{ .vendor = v, .name = n, .bus = FLASH_SPI, .mfr = m, .dev = d, .size = sz, \
	  .sector = sec, .erase_op = op, .page = pg, .unprotect = unp, .t_prog_us = prog, \
	  .t_erase_ms = er, .t_chip_ms = chip, .tested_sim = t }

const struct flashchip flashchips[] = {
	/* SST SuperFlash: 4 KiB sectors, 20 us byte program, 25 ms sector, 100 ms chip (max). */
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

	/* SPI parts of MT1339-era drives. */
	SPI("Macronix", "MX25L2005", 0xc2, 0x2012, 256 * KB, 4 * KB, 0x20, 256, 0, 5000, 300, 4000, SIM),
	SPI("Macronix", "MX25L4005", 0xc2, 0x2013, 512 * KB, 4 * KB, 0x20, 256, 0, 5000, 300, 8000, 0),
	SPI("Macronix", "MX25L8005", 0xc2, 0x2014, 1024 * KB, 4 * KB, 0x20, 256, 0, 5000, 300, 16000, SIM),
	SPI("Macronix", "MX25L1605", 0xc2, 0x2015, 2048 * KB, 4 * KB, 0x20, 256, 0, 5000, 300, 32000, 0),
	SPI("Winbond", "W25X10", 0xef, 0x3011, 128 * KB, 4 * KB, 0x20, 256, 0, 3000, 400, 2000, 0),
	SPI("Winbond", "W25X20", 0xef, 0x3012, 256 * KB, 4 * KB, 0x20, 256, 0, 3000, 400, 4000, 0),
	SPI("Winbond", "W25X40", 0xef, 0x3013, 512 * KB, 4 * KB, 0x20, 256, 0, 3000, 400, 8000, SIM),
	SPI("Winbond", "W25X80", 0xef, 0x3014, 1024 * KB, 4 * KB, 0x20, 256, 0, 3000, 400, 10000, 0),
	SPI("Winbond", "W25X16", 0xef, 0x3015, 2048 * KB, 4 * KB, 0x20, 256, 0, 3000, 400, 40000, 0),
	SPI("SST", "SST25VF020B", 0xbf, 0x258c, 256 * KB, 4 * KB, 0x20, 1, 1, 10, 25, 50, 0),
	SPI("SST", "SST25VF040B", 0xbf, 0x258d, 512 * KB, 4 * KB, 0x20, 1, 1, 10, 25, 50, SIM),
	SPI("SST", "SST25VF080B", 0xbf, 0x258e, 1024 * KB, 4 * KB, 0x20, 1, 1, 10, 25, 50, 0),
	/* PMC parts answer RDID as 9Dh, device, 7Fh (flashrom probes them by RES): dev = bytes 2-3. */
	SPI("PMC", "Pm25LV010", 0x9d, 0x7c7f, 128 * KB, 4 * KB, 0xd7, 256, 0, 5000, 300, 8000, 0),
	SPI("PMC", "Pm25LV020", 0x9d, 0x7d7f, 256 * KB, 4 * KB, 0xd7, 256, 0, 5000, 300, 8000, 0),
	SPI("PMC", "Pm25LV040", 0x9d, 0x7e7f, 512 * KB, 4 * KB, 0xd7, 256, 0, 5000, 300, 8000, 0),
	SPI("EON", "EN25F40", 0x1c, 0x3113, 512 * KB, 4 * KB, 0x20, 256, 0, 5000, 300, 10000, 0),
	SPI("EON", "EN25F80", 0x1c, 0x3114, 1024 * KB, 4 * KB, 0x20, 256, 0, 5000, 300, 20000, 0),
	SPI("EON", "EN25F16", 0x1c, 0x3115, 2048 * KB, 4 * KB, 0x20, 256, 0, 5000, 300, 40000, SIM),
	{ .name = 0 },
};

const struct flashchip *flashchip_find(enum flash_bus bus, uint8_t mfr, uint16_t dev)
{
	for (const struct flashchip *c = flashchips; c->name; c++)
		if (c->bus == bus && c->mfr == mfr && c->dev == dev)
			return c;
	return 0;
}
