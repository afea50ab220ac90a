/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The simulated channels: register file, BSY, resets, timed events, the ATA disk. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ata.h"
#include "hw/sim/fwgen.h"
#include "hw/sim/sim.h"

void sim_violation(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (s->nviol < SIM_MAX_VIOL) {
		va_start(ap, fmt);
		vsnprintf(s->viol[s->nviol], sizeof(s->viol[0]), fmt, ap);
		va_end(ap);
	}
	s->nviol++;
}

unsigned sim_violation_count(const struct sim *s)
{
	return s->nviol;
}

const char *sim_violation_msg(const struct sim *s, unsigned i)
{
	return i < s->nviol && i < SIM_MAX_VIOL ? s->viol[i] : NULL;
}

struct sim_dev *sim_dev_at(struct sim *s, int pos)
{
	return pos >= 1 && pos <= 4 ? &s->dev[pos - 1] : NULL;
}

static struct sim_dev *selected(struct sim *s, int chan)
{
	return &s->dev[2 * chan + s->sel[chan]];
}

static int present(const struct sim_dev *d)
{
	return d->kind != SIM_NONE && !d->powered_off;
}

void sim_busy(struct sim *s, struct sim_dev *d, uint64_t ns, uint8_t status_after)
{
	d->status_after = status_after;
	d->busy_until = ns == SIM_NEVER ? SIM_NEVER : s->now + ns;
	d->status = ATA_BUSY;
}

static int is_busy(const struct sim *s, const struct sim_dev *d)
{
	return d->busy_until && s->now < d->busy_until;
}

/* Reset signature (ATA/ATAPI-7 9.12): ATA 00/00, packet device 14h/EBh. */
static void signature(struct sim_dev *d)
{
	int packet = d->kind == SIM_CDROM || d->kind == SIM_MTK;

	d->nsect = 1;
	d->lbal = 1;
	d->lbam = packet ? 0x14 : 0x00;
	d->lbah = packet ? 0xeb : 0x00;
	d->error = 0x01;	/* diagnostic passed */
	d->device &= ATA_DEV1;
	d->phase = PH_IDLE;
}

/* Reset or power-on: what the device's firmware does when it starts. */
static void dev_restart(struct sim *s, struct sim_dev *d, uint64_t ns)
{
	d->vendor_mode = 0;
	d->outro_armed = 0;
	d->spi_cs = 0;
	signature(d);
	if (d->kind == SIM_MTK) {
		sim_mtk_boot(s, d);
		return;
	}
	sim_busy(s, d, ns, d->kind == SIM_DISK ? ATA_DRDY | ATA_DSC : 0x00);
}

int sim_attach(struct sim *s, int pos, enum sim_kind kind)
{
	struct sim_dev *d = sim_dev_at(s, pos);

	if (!d)
		return -EINVAL;
	sim_detach(s, pos);
	d->kind = kind;
	d->pos = pos;
	d->device = (pos - 1) % 2 ? ATA_DEV1 : 0;
	d->medium = 0;
	d->rpc[0] = 0x65;	/* region set (type 1), 4 vendor resets, 5 user changes left */
	d->rpc[1] = 0xfe;	/* region 1 */
	d->rpc[2] = 0x01;
	switch (kind) {
	case SIM_DISK:
		snprintf(d->model, sizeof(d->model), "SIM HARDDISK");
		snprintf(d->rev, sizeof(d->rev), "1.0");
		snprintf(d->serial, sizeof(d->serial), "SIM000%d", pos);
		break;
	case SIM_CDROM:
		snprintf(d->vendor, sizeof(d->vendor), "SIM");
		snprintf(d->product, sizeof(d->product), "CD-ROM");
		snprintf(d->rev, sizeof(d->rev), "1.0");
		snprintf(d->serial, sizeof(d->serial), "SIMCD%d", pos);
		sim_atapi_identity(d);
		d->medium = 1;
		break;
	case SIM_MTK:
		if (!s->chip || simflash_init_at(&d->flash, s->chip,
						 s->store ? s->store + (size_t)pos * s->chip->size : NULL))
			return -ENOMEM;
		d->has_flash = 1;
		if (s->image)
			memcpy(simflash_mem(&d->flash), s->image,
			       s->image_len < s->chip->size ? s->image_len : s->chip->size);
		snprintf(d->serial, sizeof(d->serial), "MTK%08X", s->seed);
		break;
	case SIM_NONE:
		return 0;
	}
	dev_restart(s, d, SIM_BOOT_NS);
	d->power_unseen = 1;	/* plugged in: the host cannot know until it reads Status */
	return 0;
}

void sim_detach(struct sim *s, int pos)
{
	struct sim_dev *d = sim_dev_at(s, pos);

	if (!d)
		return;
	if (d->has_flash)
		simflash_free(&d->flash);	/* its violations were recorded as they happened */
	free(d->wbuf_buf);
	memset(d, 0, sizeof(*d));
}

void sim_power_cycle(struct sim *s, int pos)
{
	struct sim_dev *d = sim_dev_at(s, pos);

	if (d && d->kind != SIM_NONE) {
		/* a chip that lost power forgets its command cycle (and an operation it was in) */
		if (d->has_flash)
			simflash_power_cut(&d->flash, s->now, s->seed);
		d->powered_off = 0;
		d->power_gen++;
		dev_restart(s, d, SIM_BOOT_NS);
		d->power_unseen = 1;	/* a transfer the power cut broke is not the host's fault */
	}
}

static void run_event(struct sim *s, const struct sim_event *e)
{
	struct sim_dev *d = sim_dev_at(s, e->pos);

	switch (e->what) {
	case EV_PLUG:
		sim_attach(s, e->pos, e->kind);
		break;
	case EV_UNPLUG:
		sim_detach(s, e->pos);
		break;
	case EV_POWER_OFF:
		d->powered_off = 1;
		if (d->has_flash)
			simflash_power_cut(&d->flash, s->now, s->seed);
		break;
	case EV_POWER_ON:
		sim_power_cycle(s, e->pos);
		break;
	}
}

void sim_tick(struct sim *s)
{
	uint64_t now = s->now;

	/* Due events in time order, each at its own time: what it starts is timed from then. */
	for (;;) {
		struct sim_event e;
		int k = -1;

		for (int i = 0; i < s->nev; i++)
			if (s->ev[i].at <= now && (k < 0 || s->ev[i].at < s->ev[k].at))
				k = i;
		if (k < 0)
			break;
		e = s->ev[k];
		memmove(&s->ev[k], &s->ev[k + 1], sizeof(e) * (size_t)(s->nev - k - 1));
		s->nev--;
		s->now = e.at;
		run_event(s, &e);
	}
	s->now = now;
	for (int i = 0; i < 4; i++) {
		struct sim_dev *d = &s->dev[i];

		if (d->busy_until && d->busy_until != SIM_NEVER && s->now >= d->busy_until) {
			d->busy_until = 0;
			d->status = d->status_after;
		}
	}
}

static uint8_t status_of(struct sim *s, struct sim_dev *d)
{
	if (d->vendor_mode)
		return d->vstatus;
	return is_busy(s, d) ? ATA_BUSY : d->status;
}

/*
 * Any register access but a data-port write ends what the host sends as a
 * CDB: fewer than the 12 bytes IDENTIFY PACKET DEVICE asked for (word 0
 * bits 1:0 = 00) is a short CDB. The drive keeps waiting for the rest.
 */
static void end_of_cdb(struct sim *s, int chan)
{
	struct sim_dev *d = selected(s, chan);

	d->cdb_sent = 0;
	if (present(d) && d->phase == PH_CDB && d->off && !d->cdb_short) {
		d->cdb_short = 1;
		sim_violation(s, "CDB of %zu bytes to position %d, which takes 12", d->off, d->pos);
	}
}

/*
 * ATA/ATAPI-7 5.2: the host writes no command-block register while BSY or
 * DRQ is set, the Device register (a selection) and DEVICE RESET aside. The
 * MediaTek intro (2Ah, then 80h) is written into a hung drive on purpose,
 * and a restart (power-on, plug-in) is unknown to the host until it reads
 * Status.
 */
static void check_write(struct sim *s, struct sim_dev *d, unsigned reg, uint8_t val)
{
	static const char *const names[8] = { "data", "features", "sector count", "lba low", "lba mid",
					      "lba high", "device", "command" };
	int busy = is_busy(s, d);
	int drq = !busy && d->phase != PH_IDLE;

	if (!present(d) || d->vendor_mode || d->power_unseen || (!busy && !drq) || reg == ATA_REG_DEVICE ||
	    s->fis_delivery)
		return;
	if ((reg == ATA_REG_LBAL && val == 0x2a) || (reg == ATA_REG_CMD && (val == 0x80 || val == ATA_CMD_DEV_RESET)))
		return;
	if (d->phase == PH_CDB && d->off)
		return;		/* reported as a short CDB */
	sim_violation(s, "%s register written (%02Xh) at position %d while %s", names[reg], val, d->pos,
		      busy ? "BSY" : "DRQ");
}

/* Reads: 0xFF with nobody on the channel; 00h for an absent device beside a present one. */
uint8_t sim_inb(struct sim *s, int chan, unsigned reg)
{
	struct sim_dev *d = selected(s, chan), *other = &s->dev[2 * chan + !s->sel[chan]];

	sim_tick(s);
	end_of_cdb(s, chan);
	s->reg_reads[chan][reg]++;
	if (!present(d))
		return present(other) ? 0x00 : 0xff;
	if (reg == ATA_REG_STATUS) {
		uint8_t st = status_of(s, d);

		d->power_unseen = 0;
		/* Status ends the command: a saved firmware update restarts the drive now. */
		if (d->activate_pending && !(st & (ATA_BUSY | ATA_DRQ))) {
			d->activate_pending = 0;
			sim_wbuf_activate(s, d);
		}
		return st;
	}
	if (is_busy(s, d) && !d->vendor_mode)
		return ATA_BUSY;	/* while BSY the other registers read as Status */
	switch (reg) {
	case ATA_REG_ERR: return d->error;
	case ATA_REG_NSECT: return d->nsect;
	case ATA_REG_LBAL: return d->lbal;
	case ATA_REG_LBAM: return d->lbam;
	case ATA_REG_LBAH: return d->lbah;
	case ATA_REG_DEVICE: return d->device;
	}
	return 0xff;
}

uint8_t sim_alt(struct sim *s, int chan)
{
	struct sim_dev *d = selected(s, chan), *other = &s->dev[2 * chan + !s->sel[chan]];

	sim_tick(s);
	s->alt_reads[chan]++;
	end_of_cdb(s, chan);
	if (!present(d))
		return present(other) ? 0x00 : 0xff;
	d->power_unseen = 0;
	return status_of(s, d);
}

static void ata_abort(struct sim *s, struct sim_dev *d)
{
	d->error = ATA_ABORTED;
	d->phase = PH_IDLE;
	sim_busy(s, d, SIM_CMD_NS, ATA_DRDY | ATA_ERR);
}

static void put_string(uint16_t *id, unsigned word, unsigned len, const char *s)
{
	char buf[64];

	memset(buf, ' ', sizeof(buf));
	/* NOLINTNEXTLINE(bugprone-not-null-terminated-result): a blank-padded ATA string field */
	memcpy(buf, s, strlen(s) < len ? strlen(s) : len);
	for (unsigned i = 0; i < len; i += 2)
		id[word + i / 2] = (uint16_t)((uint8_t)buf[i] << 8 | (uint8_t)buf[i + 1]);
}

static void start_in(struct sim *s, struct sim_dev *d, size_t len)
{
	d->phase = PH_IN;
	d->len = len;
	d->off = 0;
	d->block_end = len;
	sim_busy(s, d, SIM_CMD_NS, ATA_DRDY | ATA_DSC | ATA_DRQ);
}

static void disk_identify(struct sim *s, struct sim_dev *d)
{
	uint16_t id[256] = { 0 };
	uint32_t lba = 1024 * 16 * 63;

	id[0] = 0x0040;
	id[1] = 1024;
	id[3] = 16;
	id[6] = 63;
	put_string(id, 10, 20, d->serial);
	put_string(id, 23, 8, d->rev);
	put_string(id, 27, 40, d->model);
	id[47] = 0x8010;
	id[49] = 0x0200;
	id[53] = 0x0007;
	id[60] = (uint16_t)lba;
	id[61] = (uint16_t)(lba >> 16);
	id[64] = 0x0003;
	id[80] = 0x00f0;
	id[88] = 0x003f;
	for (int i = 0; i < 256; i++) {
		d->data[2 * i] = (uint8_t)id[i];
		d->data[2 * i + 1] = (uint8_t)(id[i] >> 8);
	}
	start_in(s, d, 512);
}

/* An ATA disk: IDENTIFY and READ SECTORS; everything else aborts and is remembered. */
static void disk_command(struct sim *s, struct sim_dev *d, uint8_t cmd)
{
	size_t n;

	switch (cmd) {
	case ATA_CMD_ID_ATA:
		disk_identify(s, d);
		return;
	case ATA_CMD_READ_SECTORS:
		n = d->nsect ? d->nsect : 256;
		if (n * 512 > SIM_DATA_MAX) {
			ata_abort(s, d);
			return;
		}
		for (size_t i = 0; i < n * 512; i++)
			d->data[i] = (uint8_t)(i * 31 + d->lbal);
		start_in(s, d, n * 512);
		return;
	case ATA_CMD_ID_ATAPI:	/* a disk aborts A1h and keeps its ATA signature */
	case ATA_CMD_PACKET:
	case ATA_CMD_DEV_RESET:
	case 0xe5:		/* CHECK POWER MODE */
	case 0x00:		/* NOP */
		ata_abort(s, d);
		return;
	}
	d->rejected++;
	d->last_rejected = cmd;
	sim_violation(s, "command %02Xh sent to the ATA disk at position %d", cmd, d->pos);
	ata_abort(s, d);
}

/* EXECUTE DEVICE DIAGNOSTIC: both devices restart and post their signatures. */
static void diagnostic(struct sim *s, int chan)
{
	for (int i = 0; i < 2; i++) {
		struct sim_dev *d = &s->dev[2 * chan + i];

		if (present(d))
			dev_restart(s, d, SIM_RESET_NS);
	}
}

/* The next ATAPI DRQ block, either direction: byte count up to the host's limit. */
static void next_block(struct sim *s, struct sim_dev *d)
{
	size_t chunk = d->len - d->off < d->bcl ? d->len - d->off : d->bcl;

	d->block_end = d->off + chunk;
	d->lbam = (uint8_t)chunk;
	d->lbah = (uint8_t)(chunk >> 8);
	sim_busy(s, d, SIM_DATA_NS, ATA_DRDY | ATA_DSC | ATA_DRQ);
}

void sim_outb(struct sim *s, int chan, unsigned reg, uint8_t val)
{
	struct sim_dev *d;

	sim_tick(s);
	s->reg_writes[chan][reg]++;
	end_of_cdb(s, chan);
	check_write(s, selected(s, chan), reg, val);
	if (reg == ATA_REG_CMD) {
		d = selected(s, chan);
		if (!present(d))
			return;
		if (d->kind == SIM_MTK && sim_mtk_command(s, d, val))
			return;
		if (is_busy(s, d))
			return;		/* ATA/ATAPI-7: the command register is ignored while BSY */
		if (val == ATA_CMD_EDD) {
			diagnostic(s, chan);
			return;
		}
		if (d->kind == SIM_DISK)
			disk_command(s, d, val);
		else
			sim_atapi_command(s, d, val);
		return;
	}
	if (reg == ATA_REG_DEVICE)
		s->sel[chan] = !!(val & ATA_DEV1);
	/* Both devices latch the command block; a busy one ignores it, the vendor engine does not. */
	for (int i = 0; i < 2; i++) {
		d = &s->dev[2 * chan + i];
		if (!present(d) || (is_busy(s, d) && d->kind != SIM_MTK))
			continue;
		switch (reg) {
		case ATA_REG_FEATURE: d->feature = val; break;
		case ATA_REG_NSECT: d->nsect = val; break;
		case ATA_REG_LBAL: d->lbal = val; break;
		case ATA_REG_LBAM: d->lbam = val; break;
		case ATA_REG_LBAH: d->lbah = val; break;
		case ATA_REG_DEVICE: d->device = val; break;
		}
	}
}

void sim_devctl(struct sim *s, int chan, uint8_t val)
{
	uint8_t was = s->devctl[chan];

	sim_tick(s);
	s->devctl_writes[chan]++;
	end_of_cdb(s, chan);
	s->devctl[chan] = val;
	/* SRST takes effect when it is released (ATA/ATAPI-7 9.2). */
	if ((was & ATA_SRST) && !(val & ATA_SRST)) {
		s->sel[chan] = 0;
		for (int i = 0; i < 2; i++) {
			struct sim_dev *d = &s->dev[2 * chan + i];

			if (present(d))
				dev_restart(s, d, SIM_RESET_NS);
		}
	}
}

/* Data port: one word of the current DRQ block. */
uint16_t sim_inw(struct sim *s, int chan)
{
	struct sim_dev *d = selected(s, chan);
	uint16_t w;

	sim_tick(s);
	s->reg_reads[chan][ATA_REG_DATA]++;
	d->cdb_sent = 0;
	if (!present(d))
		return 0xffff;
	if (d->phase != PH_IN || is_busy(s, d) || d->off >= d->block_end) {
		if (d->power_unseen)
			;	/* a transfer the power cut broke is not the host's fault */
		else if (!is_busy(s, d) && (d->phase == PH_CDB || d->phase == PH_OUT))
			sim_violation(s, "data port read at position %d while it waits for data out", d->pos);
		else
			sim_violation(s, "data port read at position %d without DRQ", d->pos);
		return 0xffff;
	}
	w = (uint16_t)(d->data[d->off] | (d->off + 1 < d->len ? d->data[d->off + 1] << 8 : 0));
	d->off += 2;
	if (d->off >= d->block_end) {
		if (d->off >= d->len) {
			d->phase = PH_IDLE;
			d->status = ATA_DRDY | ATA_DSC;
			if (d->kind != SIM_DISK)
				d->nsect = ATAPI_COD | ATAPI_IO;	/* ATAPI: the status phase follows */
		} else {
			next_block(s, d);
		}
	}
	return w;
}

/* One word of an ATAPI data-out phase; a DRQ block per byte count, like data in. */
static void data_out_word(struct sim *s, struct sim_dev *d, uint16_t w)
{
	d->data[d->off] = (uint8_t)w;
	if (d->off + 1 < d->len)
		d->data[d->off + 1] = (uint8_t)(w >> 8);
	d->off += 2;
	if (d->off < d->block_end)
		return;
	if (d->off >= d->len) {
		d->phase = PH_IDLE;
		sim_atapi_data_done(s, d);
	} else {
		next_block(s, d);
	}
}

void sim_outw(struct sim *s, int chan, uint16_t w)
{
	struct sim_dev *d = selected(s, chan);

	sim_tick(s);
	s->reg_writes[chan][ATA_REG_DATA]++;
	if (!present(d))
		return;
	if (d->phase == PH_OUT && !is_busy(s, d) && d->off < d->block_end) {
		data_out_word(s, d, w);
		return;
	}
	if (d->phase != PH_CDB || is_busy(s, d)) {
		if (d->cdb_sent)
			sim_violation(s, "CDB longer than 12 bytes to position %d", d->pos);
		else if (!d->power_unseen)
			sim_violation(s, "data port write at position %d without DRQ", d->pos);
		d->cdb_sent = 0;
		return;
	}
	d->cdb[d->off] = (uint8_t)w;
	d->cdb[d->off + 1] = (uint8_t)(w >> 8);
	d->off += 2;
	if (d->off >= sizeof(d->cdb)) {
		d->off = 0;
		d->cdb_sent = 1;
		sim_atapi_cdb(s, d);
	}
}

void sim_init(struct sim *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 4; i++)
		s->dev[i].pos = i + 1;
	s->devctl[0] = s->devctl[1] = ATA_NIEN;
	s->wbuf_flip = -1;
}

void sim_free(struct sim *s)
{
	for (int pos = 1; pos <= 4; pos++)
		sim_detach(s, pos);
	if (!s->store)
		free(s->image);
	s->image = NULL;
}
