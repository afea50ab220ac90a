/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "hw/mtk.h"
#include "recovery/hotplug.h"
#include "recovery/session.h"
#include "src/ahci_mode.h"
#include "src/atapi_sat.h"
#include "src/stop.h"
#include "src/vendor.h"

int vendor_open(struct ctx *c, const struct position *pos, struct ata_port *ap, struct flash_dev *f)
{
	const char *where = position_name(pos);
	int dev = pos->ahci ? 0 : pos->dev;	/* a SATA port has device 0 only */
	struct taskfile t;
	int ret;

	if (pos->ahci) {
		ret = ahci_mode_taskfile(c, pos, &t, NULL);
	} else if (pos->node) {
		ret = atapi_sat_taskfile(c, pos, &t, NULL);
	} else {
		ret = c->bus_open ? 0 : ctx_open_bus(c, position_chan_mask(pos));
		if (!ret) {
			ctx_port(c, pos, ap);
			taskfile_raw_init(&t, ap);
		}
	}
	if (ret)
		return ret;
	if (c->o.legacy)
		info_msg(c, 0, "Identifying flash type");
	ret = flash_open(f, &t, dev);
	if (c->bus.error) {
		err_msg(c, "%s: %s", where, c->bus.errmsg);
		return c->bus.error;
	}
	if (pos->ahci && ahci_mode_io_failed(c))
		return ahci_mode_io_failed(c);
	if (!ret && pos->node && (ret = atapi_sat_check(c, pos, f)))
		return ret;
	/* A drive whose firmware answers IDENTIFY PACKET is no case for rescue. */
	if (ret == -EAGAIN && flash_is_packet(&t, dev) == 1) {
		err_msg(c, "the drive at %s runs its firmware but refuses the MediaTek vendor command "
			"(status %02Xh): it is not a MediaTek drive, or not one whose vendor mode odrescue "
			"knows (odrescue --list-supported); nothing was changed", where, f->m.status);
		return -EIO;
	}
	if (!ret && f->m.found)
		info_msg(c, 0, "%s was already in vendor mode (status %02Xh), as an earlier run or another tool "
			 "left it: used as it is", where, f->m.status);
	return ret ? vendor_explain(c, where, f, ret) : 0;
}

int vendor_read_all(struct ctx *c, struct flash_dev *f, uint8_t *buf, struct progress *p, uint32_t *disagreed)
{
	int ret;

	f->stop = &user_stop;
	p->passes = c->o.read_repeated;
	ret = user_stop ? -EINTR : session_read_all(f, buf, c->o.read_repeated ? c->o.read_repeated : 1,
						      c->o.json ? NULL : vendor_progress, p, disagreed);
	f->stop = NULL;
	return ret;
}

static void say(struct ctx *c, const char *prefix, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(struct ctx *c, const char *prefix, const char *fmt, ...)
{
	va_list ap;

	if (c->o.json)
		return;
	fputs(prefix, c->out);
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
	fflush(c->out);
}

/*
 * On a SATA port (a drive holding BSY there) the intro goes past BSY
 * through the command list override and the power cycle is a link event.
 * The record has MediaTek's intro window on IDE only (mtk-protocol.md 2.3,
 * 6); that a SATA drive's boot code answers it the same way is inferred.
 */
int vendor_open_cycle(struct ctx *c, const struct position *pos, struct ata_port *ap, struct flash_dev *f,
		      volatile sig_atomic_t *stop, const char *prefix, const char *again)
{
	const char *where = position_name(pos);
	uint64_t tmo = c->o.timeout_s > 0 ? (uint64_t)(c->o.timeout_s * 1e9) : HOTPLUG_INTRO_TMO_NS;
	unsigned tries = 0, first = 0;
	struct taskfile t;
	int ret;

	memset(f, 0, sizeof(*f));
	if (pos->ahci) {
		ret = ahci_mode_intro(c, pos, &f->m, 0, stop, &first);
	} else if (!mtk_found(&f->m, TF_RAW(ap), pos->dev)) {
		say(c, prefix, "Vendor mode: status %02Xh (%s), as an earlier run or another tool left it",
		    f->m.status, mtk_status_str(f->m.status));
		goto identify;
	} else {
		/* Never the vendor command to a disk: only a device that is not provably one goes on. */
		ret = flash_is_packet(TF_RAW(ap), pos->dev);
		if (ret == 0 || ret == -ENODEV)
			return vendor_explain(c, where, NULL, ret == 0 ? -EPERM : -ENODEV);
		ret = mtk_intro(&f->m, TF_RAW(ap), pos->dev);
		if (ret == -EAGAIN || ret == -ENODEV)
			ret = -ETIMEDOUT;
	}
	if (ret == -ETIMEDOUT) {
		say(c, prefix, "The drive does not take the vendor command (status %02Xh). Switch its POWER off "
		    "and on now (%s); odrescue resends the command every %u ms%s for up to %.0f s", f->m.status,
		    pos->ahci ? "pull its power plug, put it back; the data cable stays in" :
		    "pull the power cord, put it back", (unsigned)(HOTPLUG_INTRO_PERIOD_NS / NSEC_PER_MSEC),
		    pos->ahci ? " once the link is up," : "", (double)tmo / 1e9);
		ret = pos->ahci ? ahci_mode_intro(c, pos, &f->m, tmo, stop, &tries) :
			hotplug_intro_loop(ap, pos->dev, &f->m, tmo, stop, &tries);
	}
	tries += first;
	switch (ret) {
	case 0:
		break;
	case -ETIMEDOUT:
		err_msg(c, "the drive at %s never took the vendor command in %.0f s (%u tries); nothing was "
			"written. Check its power and cable, then %s", where, (double)tmo / 1e9, tries, again);
		return -ENODEV;
	case -EINTR:
		err_msg(c, "stopped while waiting for the power cycle; nothing was written");
		return -EINTR;
	case -EOPNOTSUPP:	/* an AHCI port */
		err_msg(c, "the drive at %s holds BSY and this AHCI controller has no command list override "
			"(CAP.SCLO), so no command can reach it here; nothing was written: connect it to an IDE "
			"port or a SATA port in IDE mode and use odrescue rescue there", where);
		return -ENODEV;
	default:	/* locked (52h), a disk after all, the transport */
		return vendor_explain(c, where, f, ret);
	}
	say(c, prefix, "Vendor mode: status %02Xh (%s)%s", f->m.status, mtk_status_str(f->m.status),
	    tries > 1 ? " after the power cycle" : "");
	if (pos->ahci) {
		/* The port restarted for the flash's commands: the taskfile the rest of the run uses. */
		ret = ahci_mode_taskfile(c, pos, &t, NULL);
		if (ret)
			return ret;
		ret = flash_open(f, &t, 0);
		return ret ? vendor_explain(c, where, f, ret) : 0;
	}
identify:
	ret = flash_identify(f);
	if (ret) {
		flash_close(f);
		ret = vendor_explain(c, where, f, ret);
	}
	return ret;
}

int vendor_explain(struct ctx *c, const char *where, const struct flash_dev *f, int ret)
{
	switch (ret) {
	case -EPERM:
		err_msg(c, "refused: %s holds an ATA disk, not a packet (optical) drive; "
			"odrescue never sends vendor commands to a disk", where);
		return -E_REFUSED;
	case -ENODEV:
		err_msg(c, "no device answers at %s", where);
		return -ENODEV;
	case -EACCES:
		err_msg(c, "refused: the drive at %s entered vendor mode but its flash is locked "
			"(status 52h); odrescue will not write to it", where);
		return -E_REFUSED;
	case -EAGAIN:
		err_msg(c, "the drive at %s did not enter vendor mode (status %02Xh: %s); "
			"a drive without working firmware may need odrescue rescue", where,
			f->m.status, mtk_status_str(f->m.status));
		return -ENODEV;
	case -ENOENT: {
		char id[16];

		vendor_id_str(f, id, sizeof(id));
		err_msg(c, "refused: unknown flash chip id %s%s%s%s at %s (%s); nothing was written", id,
			f->m.serial && f->id_kind ? " (" : "", f->m.serial && f->id_kind ? f->id_kind : "",
			f->m.serial && f->id_kind ? ")" : "", where, f->m.serial ? "serial" : "parallel");
		return -E_REFUSED;
	}
	}
	err_msg(c, "vendor mode at %s: %s", where, c->bus.error ? c->bus.errmsg : strerror(-ret));
	return ret;
}

void vendor_progress(void *arg, uint32_t done, uint32_t total)
{
	struct progress *p = arg;
	uint32_t end = p->base + done, last = (p->base + total - 1) >> 16;

	if (p->c->o.quiet)
		return;
	if (progress_tty(p->c)) {
		progress_draw(p, done, total);
		return;
	}

	/* One line per finished 64 KiB bank, as mtkflash printed "Bank0 ...". */
	while (!p->c->o.json && p->last_bank <= last &&
	       ((p->last_bank + 1) << 16 <= end || done == total)) {
		if (p->c->o.legacy)
			info_msg(p->c, 0, "Bank%u", p->last_bank);	/* what mtkfl printed */
		else
			info_msg(p->c, 0, "%s bank %u: done", p->what, p->last_bank);
		p->last_bank++;
	}
}

void vendor_id_str(const struct flash_dev *f, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < f->id_len && i < sizeof(f->id) && n + 4 <= len; i++)
		n += (size_t)snprintf(buf + n, len - n, i ? " %02X" : "%02X", f->id[i]);
}

void vendor_chip_line(struct ctx *c, const struct flash_dev *f)
{
	const struct flashchip *k = f->chip;

	char id[16], unit[16] = "whole chip";

	if (k->sector)
		snprintf(unit, sizeof(unit), "%u KiB", k->sector / 1024);
	vendor_id_str(f, id, sizeof(id));
	if (k->no_write) {
		fprintf(c->out, "Flash: %s %s, not identified (the record has no 73h ID layout), %u KiB read as "
			"JungleFlasher reads it, never written\n", k->vendor, k->name, k->size / 1024);
		return;
	}
	fprintf(c->out, "Flash: %s %s, %u KiB, %s, id %s%s%s%s, erase unit %s, tested: %s\n",
		k->vendor, k->name, k->size / 1024, f->m.serial ? "serial (SPI)" : "parallel", id,
		f->m.serial && f->id_kind ? " (" : "", f->m.serial && f->id_kind ? f->id_kind : "",
		f->m.serial && f->id_kind ? ")" : "", unit,
		k->tested_hw ? "on drives" : k->tested_sim ? "simulator only" : "untested");
	if (f->m.serial && !k->no_write)
		fprintf(c->out, "Serial commands: %s (%s); status register %02Xh%s\n",
			mtk_dialects[f->m.dialect].name, mtk_dialects[f->m.dialect].jf, f->sr,
			flash_sr_protected(f->sr) ? " (write-protected: flash clears it first, as JungleFlasher does)" : "");
}
