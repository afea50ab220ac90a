/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Polled PIO taskfile protocol (libata-sff's shape, ATA/ATAPI-7 timing).
 * nIEN stays set for the whole session: there is no interrupt handler in
 * user space, and a pending INTRQ would reach a kernel driver if one is
 * still bound (ata-register.md 2.7).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hw/ata.h"

void ata_port_init(struct ata_port *ap, struct bus *bus, const struct ata_chan *ch)
{
	memset(ap, 0, sizeof(*ap));
	ap->bus = bus;
	ap->cmd = ch->cmd;
	ap->ctl = ch->ctl;
	ap->devctl = ATA_DEVCTL_OBS | ATA_NIEN;
}

uint8_t ata_rd(struct ata_port *ap, unsigned reg)
{
	return bus_inb(ap->bus, (uint16_t)(ap->cmd + reg));
}

void ata_wr(struct ata_port *ap, unsigned reg, uint8_t val)
{
	bus_outb(ap->bus, (uint16_t)(ap->cmd + reg), val);
}

uint8_t ata_altstatus(struct ata_port *ap)
{
	return bus_inb(ap->bus, ap->ctl);
}

uint8_t ata_status(struct ata_port *ap)
{
	return ata_rd(ap, ATA_REG_STATUS);
}

/* ata_sff_pause(): one alternate-status read flushes posted writes and takes >= 400 ns on a real bus. */
void ata_pause(struct ata_port *ap)
{
	ata_altstatus(ap);
	bus_delay_ns(ap->bus, 400);
}

void ata_tf_read(struct ata_port *ap, struct ata_tf *tf)
{
	tf->feature = ata_rd(ap, ATA_REG_ERR);
	tf->nsect = ata_rd(ap, ATA_REG_NSECT);
	tf->lbal = ata_rd(ap, ATA_REG_LBAL);
	tf->lbam = ata_rd(ap, ATA_REG_LBAM);
	tf->lbah = ata_rd(ap, ATA_REG_LBAH);
	tf->device = ata_rd(ap, ATA_REG_DEVICE);
	tf->altstatus = ata_altstatus(ap);
	tf->command = ata_altstatus(ap);	/* Status without acking INTRQ */
}

void ata_tf_load(struct ata_port *ap, const struct ata_tf *tf)
{
	ata_wr(ap, ATA_REG_FEATURE, tf->feature);
	ata_wr(ap, ATA_REG_NSECT, tf->nsect);
	ata_wr(ap, ATA_REG_LBAL, tf->lbal);
	ata_wr(ap, ATA_REG_LBAM, tf->lbam);
	ata_wr(ap, ATA_REG_LBAH, tf->lbah);
	ata_wr(ap, ATA_REG_DEVICE, tf->device);
}

void ata_exec_command(struct ata_port *ap, uint8_t cmd)
{
	ata_wr(ap, ATA_REG_CMD, cmd);
	ata_pause(ap);
}

/*
 * Poll Alternate Status until (status & mask) == val. Spins first, then
 * sleeps between polls like ata_sff_busy_sleep(), warns once after
 * ATA_TMO_IMPATIENT. Returns 0, -ETIMEDOUT, -ENODEV (0xFF for longer than
 * ATA_TMO_FF_WAIT: nothing drives the bus) or the bus's sticky error.
 */
int ata_wait(struct ata_port *ap, uint8_t mask, uint8_t val, uint64_t tmo_ns, uint8_t *status)
{
	struct bus *b = ap->bus;
	uint64_t start = bus_now_ns(b), now = start, ff_since = 0, nap = ATA_POLL_NAP_NS;
	int warned = 0;
	uint8_t st;

	for (;;) {
		st = ata_altstatus(ap);
		if (status)
			*status = st;
		if (b->error)
			return b->error;
		if (ap->stop && *ap->stop)
			return -EINTR;
		if (st == 0xff) {
			if (!ff_since)
				ff_since = now ? now : 1;
			else if (now - ff_since >= ATA_TMO_FF_WAIT)
				return -ENODEV;
		} else {
			ff_since = 0;
			if ((st & mask) == val)
				return 0;
		}
		now = bus_now_ns(b);
		if (now - start >= tmo_ns)
			return -ETIMEDOUT;
		if (!warned && tmo_ns > ATA_TMO_IMPATIENT && now - start >= ATA_TMO_IMPATIENT) {
			bus_logf(b, BUS_LOG_WARN, "port 0x%x is slow to respond (status 0x%02x), please be patient",
				 ap->cmd, st);
			warned = 1;
		}
		if (now - start >= ATA_POLL_SPIN_NS) {
			bus_delay_ns(b, nap);
			nap = nap * 2 < ATA_POLL_SLEEP_NS ? nap * 2 : ATA_POLL_SLEEP_NS;
		}
	}
}

int ata_wait_not_busy(struct ata_port *ap, uint64_t tmo_ns, uint8_t *status)
{
	return ata_wait(ap, ATA_BUSY, 0, tmo_ns, status);
}

/*
 * ata_dev_select(): wait idle, write Device, 400 ns, wait idle again.
 * A device holding DRQ from an aborted transfer is drained first; one that
 * waits for bytes from the host (Interrupt Reason I/O clear: a CDB or data
 * out of a command an earlier host left half done, a killed run or a pulled
 * cable) is reset instead, DEVICE RESET being taken with DRQ set
 * (ata-register.md 2.3 and its recovery order).
 */
int ata_dev_select(struct ata_port *ap, int dev)
{
	uint8_t st;
	int ret;

	ret = ata_wait_not_busy(ap, ATA_TMO_IDLE, &st);
	if (ret == 0 && (st & ATA_DRQ) && !(ata_rd(ap, ATA_REG_NSECT) & ATAPI_IO)) {
		ata_exec_command(ap, ATA_CMD_DEV_RESET);
		ata_pause(ap);
		ret = ata_wait_not_busy(ap, ATA_TMO_RESET, &st);
	}
	if (ret == 0 && (st & ATA_DRQ))
		ata_drain(ap);
	ata_wr(ap, ATA_REG_DEVICE, (uint8_t)(ATA_DEVICE_OBS | (dev ? ATA_DEV1 : 0)));
	ata_pause(ap);
	return ata_wait_not_busy(ap, ATA_TMO_IDLE, NULL);
}

/* ata_sff_drain_fifo(): some devices lock solid if the data port is touched after reset. */
void ata_drain(struct ata_port *ap)
{
	for (int i = 0; i < 32768 && (ata_altstatus(ap) & ATA_DRQ); i++)
		bus_inw(ap->bus, (uint16_t)(ap->cmd + ATA_REG_DATA));
}

/* libata ata_dev_classify(): the signature left in LBA Mid/High. */
enum ata_class ata_classify(const struct ata_tf *tf)
{
	if (tf->lbam == 0x00 && tf->lbah == 0x00)
		return ATA_DEV_ATA;
	if (tf->lbam == 0x14 && tf->lbah == 0xeb)
		return ATA_DEV_ATAPI;
	if (tf->lbam == 0x69 && tf->lbah == 0x96)
		return ATA_DEV_PMP;
	if (tf->lbam == 0x3c && tf->lbah == 0xc3)
		return ATA_DEV_SEMB;
	if (tf->lbam == 0xcd && tf->lbah == 0xab)
		return ATA_DEV_ZAC;
	return ATA_DEV_UNKNOWN;
}

/*
 * libata ata_sff_dev_classify() plus the QEMU findings of ata-register.md
 * 2.4: FF/FF or a diagnostic code of 00h with no signature means nothing is
 * there; status 00h alone does not (an ATAPI device reads 00h after reset).
 */
enum ata_class ata_dev_classify(const struct ata_tf *tf, int dev, int present)
{
	uint8_t err = tf->feature;
	enum ata_class class;

	if (tf->command == 0xff || tf->command == 0x7f)
		return ATA_DEV_NONE;
	if (tf->lbam == 0xff && tf->lbah == 0xff)
		return ATA_DEV_NONE;
	if (err != 0x01 && !(dev == 0 && err == 0x81) && err != 0x00)
		return ATA_DEV_NONE;	/* diagnostic failed: libata treats it as absent */
	class = ata_classify(tf);
	if (class == ATA_DEV_UNKNOWN)
		return (present && err == 0) ? ATA_DEV_ATA : ATA_DEV_UNKNOWN;
	/* An "ATA" signature with status 00h is an empty shadow (libata: ATA with Status==0 -> NONE). */
	if (class == ATA_DEV_ATA && tf->command == 0x00)
		return ATA_DEV_NONE;
	return class;
}

/*
 * SRST both devices (ata_bus_softreset + ata_sff_wait_after_reset), then
 * read each device's signature. Device 0 may hold BSY for up to 31 s.
 */
int ata_softreset(struct ata_port *ap, struct ata_reset_info *ri)
{
	struct bus *b = ap->bus;
	uint64_t t0;
	uint8_t st;
	int ret;

	memset(ri, 0, sizeof(*ri));
	bus_outb(b, ap->ctl, ap->devctl);
	bus_delay_ns(b, ATA_TMO_SRST_HOLD);
	bus_outb(b, ap->ctl, (uint8_t)(ap->devctl | ATA_SRST));
	bus_delay_ns(b, ATA_TMO_SRST_HOLD);
	bus_outb(b, ap->ctl, ap->devctl);
	t0 = bus_now_ns(b);
	bus_delay_ns(b, ATA_TMO_AFTER_SRST);

	/* QEMU (and some real controllers) keep the old DEV bit: select 0 again. */
	ata_wr(ap, ATA_REG_DEVICE, ATA_DEVICE_OBS);
	ata_pause(ap);
	ret = ata_wait_not_busy(ap, ATA_TMO_RESET, &st);
	ri->bsy_ns = bus_now_ns(b) - t0;
	if (b->error)
		return b->error;
	if (ret == -EINTR)
		return ret;
	if (ret == -ETIMEDOUT)
		ri->bsy_stuck = 1;
	/* 0xFF for ATA_TMO_FF_WAIT, or 0x7F (ICH SATA legacy ports): nobody home. */
	if (ret == -ENODEV || st == 0x7f)
		ri->floating = 1;

	for (int dev = 0; dev < 2; dev++) {
		ata_wr(ap, ATA_REG_DEVICE, (uint8_t)(ATA_DEVICE_OBS | (dev ? ATA_DEV1 : 0)));
		ata_pause(ap);
		/* Device 1 gets the same 31 s as device 0 (ata_sff_wait_after_reset). */
		if (dev == 1 && !ri->bsy_stuck && !ri->floating &&
		    ata_wait_not_busy(ap, ATA_TMO_RESET, NULL) == -EINTR)
			return -EINTR;
		ata_tf_read(ap, &ri->tf[dev]);
		/* With device 0 stuck, device 1 cannot even be selected: its state is unknown, not busy. */
		ri->busy[dev] = dev == 0 ? ri->bsy_stuck :
			!ri->bsy_stuck && !ri->floating && (ri->tf[dev].command & ATA_BUSY);
		if (ri->floating)
			ri->class[dev] = ATA_DEV_NONE;
		else if (ri->busy[dev] || ri->bsy_stuck)
			ri->class[dev] = ATA_DEV_UNKNOWN;
		else
			ri->class[dev] = ata_dev_classify(&ri->tf[dev], dev, 1);
	}
	ata_wr(ap, ATA_REG_DEVICE, ATA_DEVICE_OBS);
	ata_pause(ap);
	if (ri->floating)
		return -ENODEV;
	return ri->bsy_stuck ? -ETIMEDOUT : 0;
}

/*
 * After a command: wait until BSY clears with DRQ (data due: 0) or ERR
 * (-EIO). A device that shows neither is given until tmo_ns: an absent
 * QEMU slave ignores the command and stays at 00h (-ETIMEDOUT).
 */
int ata_wait_drq(struct ata_port *ap, uint64_t tmo_ns, uint8_t *status)
{
	uint64_t start = bus_now_ns(ap->bus);
	int ret;

	for (;;) {
		ret = ata_wait_not_busy(ap, tmo_ns, status);
		if (ret)
			return ret;
		if (*status & ATA_ERR)
			return -EIO;
		if (*status & ATA_DRQ)
			return 0;
		if (bus_now_ns(ap->bus) - start >= tmo_ns)
			return -ETIMEDOUT;
		bus_delay_ns(ap->bus, ATA_POLL_SLEEP_NS);
	}
}

/*
 * Words of a PIO data block through the data port, as libata's
 * ata_sff_data_xfer32(): in dwords when the bus takes them, an odd last
 * word 16-bit.
 */
void ata_data_in(struct ata_port *ap, uint16_t *buf, size_t words)
{
	uint16_t port = (uint16_t)(ap->cmd + ATA_REG_DATA);
	size_t dw = ap->bus->pio32 > 0 ? words / 2 : 0;

	if (dw)
		bus_insl(ap->bus, port, buf, dw);
	if (words > 2 * dw)
		bus_insw(ap->bus, port, buf + 2 * dw, words - 2 * dw);
}

void ata_data_out(struct ata_port *ap, const uint16_t *buf, size_t words)
{
	uint16_t port = (uint16_t)(ap->cmd + ATA_REG_DATA);
	size_t dw = ap->bus->pio32 > 0 ? words / 2 : 0;

	if (dw)
		bus_outsl(ap->bus, port, buf, dw);
	if (words > 2 * dw)
		bus_outsw(ap->bus, port, buf + 2 * dw, words - 2 * dw);
}

/* Read words of one DRQ block after BSY clears; the caller checked DRQ. */
int ata_pio_in(struct ata_port *ap, uint16_t *buf, size_t words, uint64_t tmo_ns)
{
	uint8_t st;
	int ret = ata_wait_not_busy(ap, tmo_ns, &st);

	if (ret)
		return ret;
	if (!(st & ATA_DRQ))
		return (st & (ATA_ERR | ATA_DF)) ? -EIO : -EPROTO;
	ata_data_in(ap, buf, words);
	return ap->bus->error;
}

/*
 * IDENTIFY DEVICE (ECh) or IDENTIFY PACKET DEVICE (A1h): one 512-byte PIO
 * data-in block. -EIO with the taskfile aborted (wrong command for the
 * class), -ETIMEDOUT if DRQ never comes (absent QEMU slave: status stays 0).
 */
int ata_identify(struct ata_port *ap, int dev, uint8_t cmd, uint16_t id[ATA_ID_WORDS])
{
	uint8_t st;
	int ret;

	ret = ata_dev_select(ap, dev);
	if (ret)
		return ret;
	ata_exec_command(ap, cmd);
	ret = ata_wait_drq(ap, ATA_TMO_CMD_DRQ, &st);
	if (ret)
		return ret;
	ata_data_in(ap, id, ATA_ID_WORDS);
	if (ap->bus->error)
		return ap->bus->error;
	/* Read Status (not alt) to end the command and ack INTRQ. */
	ret = ata_wait_not_busy(ap, ATA_TMO_IDLE, &st);
	ata_status(ap);
	if (ret == 0 && (st & ATA_DRQ)) {
		ata_drain(ap);
		return -EPROTO;
	}
	return ret;
}

const char *ata_class_name(enum ata_class c)
{
	switch (c) {
	case ATA_DEV_NONE: return "none";
	case ATA_DEV_ATA: return "ata";
	case ATA_DEV_ATAPI: return "atapi";
	case ATA_DEV_PMP: return "sata-pmp";
	case ATA_DEV_SEMB: return "sata-semb";
	case ATA_DEV_ZAC: return "zac";
	case ATA_DEV_UNKNOWN: break;
	}
	return "unknown";
}

static const char *bits_str(uint8_t v, const char *const names[8], char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 7; i >= 0; i--) {
		if ((v & (1u << i)) && names[7 - i]) {
			int w = snprintf(buf + n, len - n, "%s%s", n ? " " : "", names[7 - i]);

			if (w < 0 || (size_t)w >= len - n)
				break;
			n += (size_t)w;
		}
	}
	return buf;
}

const char *ata_status_str(uint8_t st, char *buf, size_t len)
{
	static const char *const names[8] = { "BSY", "DRDY", "DF", "DSC", "DRQ", "CORR", "IDX", "ERR" };

	if (st == 0xff) {
		snprintf(buf, len, "floating (no device drives the bus)");
		return buf;
	}
	if (st & ATA_BUSY) {
		snprintf(buf, len, "BSY (other bits invalid)");
		return buf;
	}
	return bits_str(st, names, buf, len);
}

const char *ata_error_str(uint8_t err, int atapi, char *buf, size_t len)
{
	static const char *const ata_names[8] = { "ICRC", "UNC", "MC", "IDNF", "MCR", "ABRT", "TK0NF", "AMNF" };
	static const char *const atapi_names[8] = { NULL, NULL, NULL, NULL, "MCR", "ABRT", "EOM", "ILI" };
	char bits[64];

	if (!atapi)
		return bits_str(err, ata_names, buf, len);
	bits_str(err, atapi_names, bits, sizeof(bits));
	snprintf(buf, len, "sense key %x%s%s", err >> 4, bits[0] ? " " : "", bits);
	return buf;
}

/* Diagnostic code in Error after reset/EDD (ATA/ATAPI-7 table 27). */
const char *ata_diag_str(uint8_t err)
{
	if (err == 0x01)
		return "device 0 passed, device 1 passed or not present";
	if (err == 0x81)
		return "device 0 passed, device 1 failed";
	if (err == 0x00)
		return "no diagnostic code (absent device or failed)";
	if (err & 0x80)
		return "device 0 failed, device 1 failed";
	return "device 0 failed";
}
