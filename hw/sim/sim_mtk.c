/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MediaTek vendor engine as the public record shows it (docs/protocol.md;
 * JungleFlasher 0.1.96 decompiled, jungleflasher-with-extras @ 9ea5961,
 * Form1.cs), not as odrescue's driver sends it.
 */
#include <string.h>

#include "hw/ata.h"
#include "hw/sim/fwgen.h"
#include "hw/sim/sim.h"

#define MTK_INTRO_KEY	0x2a		/* Sector Number with command 80h */
#define SIM_POWER_OFF_NS	(500ull * 1000 * 1000)	/* how long the simulated user keeps it off */

/* Start the firmware from flash: a valid image runs, a broken one hangs with BSY. */
void sim_mtk_boot(struct sim *s, struct sim_dev *d)
{
	const uint8_t *mem = simflash_mem(&d->flash);
	size_t size = d->flash.chip->size;

	d->window_start = s->now;
	d->vendor_mode = 0;
	d->bricked = !fwgen_valid(mem, size);
	if (d->bricked) {
		sim_busy(s, d, SIM_NEVER, 0);
		return;
	}
	if (fwgen_identity(mem, size, d->vendor, d->product, d->rev)) {
		strcpy(d->vendor, "MTK");
		strcpy(d->product, "DVD WRITER");
		strcpy(d->rev, "????");
	}
	sim_atapi_identity(d);
	sim_busy(s, d, SIM_BOOT_NS, 0x00);
}

static uint32_t address(const struct sim_dev *d)
{
	return (uint32_t)d->lbam | (uint32_t)d->lbah << 8 | (uint32_t)(d->device & 0x0f) << 16;
}

/*
 * The serial buffer decodes only the address bits its size needs: JF uses
 * 0001h-0005h and 8800h+ for the same bytes (method_232/304/305), so a
 * small buffer wraps, and what lies past its end lands on its start.
 */
static size_t spibuf_index(const struct sim *s, uint32_t a)
{
	return a & (s->spibuf_len - 1);
}

/* What the chip logged as misuse (program without unlock, erase without WEL...) is the host's doing. */
static void flash_violations(struct sim *s, struct sim_dev *d, unsigned before)
{
	char last[SIMFLASH_MSG_LEN];

	if (simflash_violations(&d->flash, last, sizeof(last)) != before)
		sim_violation(s, "flash chip of position %d: %s", d->pos, last);
}

static void byte_read(struct sim *s, struct sim_dev *d)
{
	uint32_t a = address(d);

	if (d->flash.chip->spi) {
		d->lbal = d->spibuf[spibuf_index(s, a)];
	} else {
		d->lbal = simflash_read(&d->flash, a & (d->flash.chip->size - 1), s->now);
	}
}

static void byte_write(struct sim *s, struct sim_dev *d)
{
	uint32_t a = address(d);

	if (d->flash.chip->spi) {
		d->spibuf[spibuf_index(s, a)] = d->lbal;
	} else {
		unsigned before = simflash_violations(&d->flash, NULL, 0);

		simflash_write(&d->flash, a & (d->flash.chip->size - 1), d->lbal, s->now);
		flash_violations(s, d, before);
	}
}

/*
 * One SPI transaction: the bytes to send from the buffer's start, the reply
 * right after them, wrapping in a small buffer. Counts low byte first on
 * 72h (Features, Sector Count; LBA Mid, LBA High: JF method_304/308/326),
 * high byte first on 73h (JF method_298/302/232).
 */
static void spi_transaction(struct sim *s, struct sim_dev *d)
{
	int hi = d->vstatus == SIM_ST_SERIAL73;
	size_t ntx = hi ? (size_t)(d->feature << 8 | d->nsect) : (size_t)(d->feature | d->nsect << 8);
	size_t nrx = hi ? (size_t)(d->lbam << 8 | d->lbah) : (size_t)(d->lbam | d->lbah << 8);
	static uint8_t tx[0x10000], rx[0x10000];	/* counts are 16 bits */
	unsigned before;

	if (!d->flash.chip->spi || !ntx) {
		sim_violation(s, "SPI transaction tx %zu rx %zu on drive %d", ntx, nrx, d->pos);
		return;
	}
	for (size_t i = 0; i < ntx; i++)
		tx[i] = d->spibuf[spibuf_index(s, (uint32_t)i)];
	before = simflash_violations(&d->flash, NULL, 0);
	simflash_spi(&d->flash, tx, ntx, rx, nrx, s->now);
	flash_violations(s, d, before);
	for (size_t i = 0; i < nrx; i++)
		d->spibuf[spibuf_index(s, (uint32_t)(ntx + i))] = rx[i];
	d->spi_cs = 1;
}

/* Which role cmd has in the drive's serial command set: 'w', 'r', 's', 'e'; 'o' another set's; 0 none. */
static char serial_role(const struct sim *s, uint8_t cmd)
{
	static const uint8_t sets[3][4] = { { 0x01, 0x00, 0x04, 0x05 }, { 0x52, 0x1f, 0xc2, 0 },
					    { 0x68, 0x91, 0x1b, 0 } };
	static const char roles[4] = { 'w', 'r', 's', 'e' };

	for (int k = 0; k < 4; k++)
		if (sets[s->dialect][k] == cmd && (cmd || k == 1))
			return roles[k];
	for (int set = 0; set < 3; set++)
		for (int k = 0; k < 4; k++)
			if (sets[set][k] == cmd && (cmd || k == 1))
				return 'o';
	return 0;
}

/* The simulated user reacts to "power-cycle the drive now" a while after the first refusal. */
static void schedule_power_cycle(struct sim *s, struct sim_dev *d)
{
	if (!s->cycle_ns || d->intros_refused != 1 || s->nev + 2 > (int)(sizeof(s->ev) / sizeof(s->ev[0])))
		return;
	s->ev[s->nev++] = (struct sim_event){ s->now + s->cycle_ns, d->pos, EV_POWER_OFF, SIM_MTK, 1 };
	s->ev[s->nev++] = (struct sim_event){ s->now + s->cycle_ns + SIM_POWER_OFF_NS, d->pos,
					      EV_POWER_ON, SIM_MTK, 1 };
}

/* 1 if the engine took the command; 0 leaves it to the ATAPI firmware. */
int sim_mtk_command(struct sim *s, struct sim_dev *d, uint8_t cmd)
{
	if (!d->vendor_mode) {
		if (cmd != 0x80 || d->lbal != MTK_INTRO_KEY)
			return 0;
		/* The silicon answers a running firmware always, a hung one only near power-on. */
		if (d->bricked && s->window_ns &&
		    (d->window_start == SIM_NEVER || s->now - d->window_start > s->window_ns)) {
			d->intros_refused++;
			schedule_power_cycle(s, d);
			return 1;
		}
		d->vendor_mode = 1;
		d->busy_until = 0;
		d->vstatus = d->locked ? 0x52 : !d->flash.chip->spi ? 0x70 :
			     !strcmp(s->scenario, "spi73") ? SIM_ST_SERIAL73 : 0x72;
		return 1;
	}
	if (d->locked && cmd != 0x81 && cmd != 0x08 && cmd != 0x80) {
		sim_violation(s, "flash command %02Xh on drive %d after status 52h (flash locked)", cmd, d->pos);
		return 1;
	}
	if (cmd == 0x80)
		return 1;
	if (d->flash.chip->spi && cmd != 0x81 && cmd != 0x08) {
		switch (serial_role(s, cmd)) {
		case 'w':
			byte_write(s, d);
			return 1;
		case 'r':
			byte_read(s, d);
			return 1;
		case 's':
			spi_transaction(s, d);
			return 1;
		case 'e':
			if (!d->spi_cs)
				sim_violation(s, "SPI release (05h) without a transaction on drive %d", d->pos);
			d->spi_cs = 0;
			return 1;
		case 'o':
			return 1;	/* another command set's: JF tries all three (method_303); nothing happens */
		}
	}
	switch (cmd) {
	case 0x00:
		byte_read(s, d);
		break;
	case 0x01:
		byte_write(s, d);
		break;
	case 0x81:
		d->outro_armed = 1;
		break;
	case 0x08:
		if (!d->outro_armed) {
			sim_violation(s, "08h in vendor mode without 81h first on drive %d", d->pos);
			break;
		}
		d->outro_armed = 0;
		d->vendor_mode = 0;
		d->lbam = 0x14;
		d->lbah = 0xeb;
		sim_mtk_boot(s, d);
		break;
	default:
		sim_violation(s, "unknown vendor command %02Xh on drive %d", cmd, d->pos);
	}
	return 1;
}
