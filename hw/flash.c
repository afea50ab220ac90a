/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Flash chips behind the vendor engine: JEDEC sequences (parallel) and SPI opcodes (serial). */
#include <errno.h>
#include <string.h>

#include "hw/ata_id.h"
#include "hw/flash.h"

#define JEDEC_ADDR1	0x5555u
#define JEDEC_ADDR2	0x2aaau
/* SPI opcodes: JEDEC's, as JF sends them (Form1.cs methods named per use below). */
#define SPI_RDID	0x9f	/* not in JF: our refinement of REMS, see serial_identify */
#define SPI_REMS	0x90	/* JF method_304/305/306 */
#define SPI_RDSR	0x05	/* JF method_232/314/317 */
#define SPI_WREN	0x06	/* JF method_300/319 */
#define SPI_EWSR	0x50	/* JF method_301/316 (SST, REMS BF 43) */
#define SPI_WRSR	0x01	/* JF method_315 (00h: unlock), method_314 (8Ch: lock) */
#define SPI_READ	0x03	/* JF method_298/308 */
#define SPI_PP		0x02	/* JF method_302/326 */
#define SPI_READ_MAX	256u	/* JF method_298/308: 4 out, 256 in */
#define SPI_SR_WIP	0x01
#define SPI_SR_WEL	0x02
#define PROGRESS_STEP	4096u

/* Waits of JF's serial ID (Form1.cs around L37454 and method_304). */
#define SPI_ID_WAIT_NS		(1000 * NSEC_PER_MSEC)	/* Sleep(1000) after the intro, again before a retry */
#define SPI_REMS_WAIT_NS	(200 * NSEC_PER_MSEC)	/* Sleep(200) between the REMS command and its reply */
/* After write status, JF method_315 reads the status, sleeps 500 ms (L46884) and reads it again. */
#define SPI_WRSR_WAIT_NS	(500 * NSEC_PER_MSEC)
/* ... and odrescue reads on while it still shows WIP, this long (inference: 15 ms is the datasheet maximum). */
#define SPI_WRSR_TMO_NS		(100 * NSEC_PER_MSEC)
/* After WREN, JF method_232 reads the status until it shows the latch; the chip sets it at once. */
#define SPI_WREN_TMO_NS		(10 * NSEC_PER_MSEC)

int flash_is_packet(const struct taskfile *tp, int dev)
{
	uint16_t id[ATA_ID_WORDS];
	struct ata_id_info info;
	struct taskfile t = *tp;
	int ret = tf_identify(&t, dev, ATA_CMD_ID_ATAPI, id);

	if (!ret)
		return ata_id_decode(id, &info) ? -EIO : info.packet;
	if (ret != -EIO)
		return ret;	/* BSY (-ETIMEDOUT) or nobody (-ENODEV): not provably a disk */
	/* A1h aborted: a device that identifies with ECh as non-packet is a disk. */
	if (!tf_identify(&t, dev, ATA_CMD_ID_ATA, id) && !ata_id_decode(id, &info) && !info.packet)
		return 0;
	return -EIO;
}

static void progress(flash_progress_fn cb, void *arg, uint32_t done, uint32_t total)
{
	if (cb)
		cb(arg, done, total);
}

static int jedec(struct flash_dev *f, uint8_t cmd)
{
	int ret = mtk_write_byte(&f->m, JEDEC_ADDR1, 0xaa);

	if (!ret)
		ret = mtk_write_byte(&f->m, JEDEC_ADDR2, 0x55);
	if (!ret)
		ret = mtk_write_byte(&f->m, JEDEC_ADDR1, cmd);
	return ret;
}

/* The buffer: 0000h on 73h drives, 8800h on 72h ones (mtk.h). */
static uint16_t spibuf(const struct flash_dev *f)
{
	return f->m.status == MTK_ST_SERIAL2 ? MTK_SPIBUF73 : MTK_SPIBUF;
}

/* One transaction, the reply read right after what was sent (JF method_298/304/308). */
static int spi_xfer(struct flash_dev *f, const uint8_t *tx, size_t ntx, uint8_t *rx, size_t nrx)
{
	return mtk_spi(&f->m, spibuf(f), tx, ntx, (uint16_t)(spibuf(f) + ntx), rx, nrx);
}

static int spi_cmd(struct flash_dev *f, uint8_t op)
{
	return spi_xfer(f, &op, 1, NULL, 0);
}

static int spi_addr_cmd(struct flash_dev *f, uint8_t op, uint32_t addr, const uint8_t *data,
			size_t n, uint8_t *rx, size_t nrx)
{
	uint8_t tx[4 + 256] = { op, (uint8_t)(addr >> 16), (uint8_t)(addr >> 8), (uint8_t)addr };

	if (n > 256)
		return -EINVAL;
	if (n)
		memcpy(tx + 4, data, n);
	return spi_xfer(f, tx, 4 + n, rx, nrx);
}

/* RDSR, its reply read at 0001h as JF does on 72h and 73h drives (method_232/314/317). */
static int spi_rdsr(struct flash_dev *f, uint8_t *sr)
{
	uint8_t op = SPI_RDSR;
	int ret = mtk_spi(&f->m, spibuf(f), &op, 1, MTK_SPI_SR_REPLY, sr, 1);

	f->polls++;
	if (!ret)
		f->sr = *sr;
	return ret;
}

/* Read the status until (sr & mask) == want, within tmo. */
static int spi_status_wait(struct flash_dev *f, uint8_t mask, uint8_t want, uint64_t tmo_ns,
			   uint64_t interval_ns)
{
	uint64_t t0 = mtk_now_ns(&f->m);
	uint8_t sr;
	int ret, late;

	for (;;) {
		late = mtk_now_ns(&f->m) - t0 > tmo_ns;	/* measured before the read that decides */
		ret = spi_rdsr(f, &sr);
		if (ret || (sr & mask) == want)
			return ret;
		if (late)
			return -ETIMEDOUT;
		if (interval_ns)
			mtk_delay_ns(&f->m, interval_ns);
	}
}

/*
 * Write enable before a program or erase, then the status until it reads
 * exactly 02h, as JF method_232 waits after every 06h (method_299/302/311/326):
 * WEL set, not busy, and no protection bit.
 */
static int spi_wren(struct flash_dev *f)
{
	int ret;

	if (!f->writable && (ret = flash_unprotect(f)))
		return ret;	/* callers ask flash_unprotect first; this only makes sure */
	ret = spi_cmd(f, SPI_WREN);
	if (!ret)
		ret = spi_status_wait(f, 0xff, SPI_SR_WEL, SPI_WREN_TMO_NS, 0);
	if (ret == -ETIMEDOUT && (f->sr & FLASH_SR_PROTECT))
		ret = -EROFS;	/* protected again since the unlock: not ours to fight */
	return ret;
}

/*
 * Erases take milliseconds: between polls the bus sleeps this fraction of
 * the chip's maximum, so an erase costs tens of polls, not thousands, and
 * ends at most 1/32 of that maximum after the chip is done.
 */
#define ERASE_POLL_DIV	32

/*
 * After a program or erase: the status until it reads 00h (JF method_232
 * waits for exactly that after 02h, C7h, 60h): WIP and WEL clear.
 */
static int spi_wait(struct flash_dev *f, uint64_t tmo_ns, uint64_t interval_ns)
{
	int ret = spi_status_wait(f, SPI_SR_WIP | SPI_SR_WEL, 0, tmo_ns, interval_ns);

	return ret == -ETIMEDOUT && !(f->sr & SPI_SR_WIP) ? -EIO : ret;	/* done, but WEL still set: refused */
}

/*
 * The parallel program loop of the record (JF method_296 L45950-45963):
 * after the byte, read it back up to 3 times; when all differ, send the
 * byte again; the 17th failure in a row ends it ("num2 > 16").
 */
#define PAR_PROG_READS		3
#define PAR_PROG_RESENDS	16

enum { PAR_DONE, PAR_BUSY, PAR_WRONG };

/*
 * Data#-polling: read addr until it shows want (while the chip works, DQ7
 * reads inverted and DQ6 toggles on every read, so a busy read never
 * equals want). The clock is read before each read and only a read that
 * began after the deadline can end the wait, so a process that stalled
 * past the deadline always reads once more: no false timeout. At least
 * min_reads reads. PAR_DONE, PAR_BUSY (still toggling at the end),
 * PAR_WRONG (settled on another value; with settle_ends as soon as two
 * reads agree), or -errno from the vendor engine.
 */
static int par_poll(struct flash_dev *f, uint32_t addr, uint8_t want, uint64_t tmo_ns,
		    uint64_t interval_ns, unsigned min_reads, int settle_ends)
{
	uint64_t t0 = mtk_now_ns(&f->m);
	uint8_t v, prev = 0;
	int ret;

	for (unsigned n = 1;; n++) {
		int late = mtk_now_ns(&f->m) - t0 > tmo_ns;

		ret = mtk_read_byte(&f->m, addr, &v);
		f->polls++;
		if (ret)
			return ret;
		if (v == want)
			return PAR_DONE;
		if (n > 1 && v == prev && settle_ends)
			return PAR_WRONG;
		if (late && n >= min_reads)
			return n > 1 && v == prev ? PAR_WRONG : PAR_BUSY;
		prev = v;
		if (interval_ns)
			mtk_delay_ns(&f->m, interval_ns);
	}
}

/* An erase is done when its address reads FFh; a stable other value means it failed. */
static int par_erase_wait(struct flash_dev *f, uint32_t addr, uint64_t tmo_ns)
{
	int ret = par_poll(f, addr, 0xff, tmo_ns, tmo_ns / ERASE_POLL_DIV, 1, 1);

	return ret == PAR_DONE ? 0 : ret == PAR_BUSY ? -ETIMEDOUT : ret == PAR_WRONG ? -EIO : ret;
}

/* One byte by the record's loop, within the chip's maximum per try. */
static int par_program(struct flash_dev *f, uint32_t addr, uint8_t val)
{
	uint64_t tmo = (uint64_t)f->chip->t_prog_us * NSEC_PER_USEC;
	int ret = PAR_BUSY;

	for (unsigned tries = 0; tries <= PAR_PROG_RESENDS; tries++) {
		if (tries)
			f->resends++;
		ret = jedec(f, 0xa0);
		if (!ret)
			ret = mtk_write_byte(&f->m, addr, val);
		if (!ret)
			ret = par_poll(f, addr, val, tmo, 0, PAR_PROG_READS, 0);
		if (ret <= 0)
			return ret;
	}
	return ret == PAR_WRONG ? -EIO : -ETIMEDOUT;
}

/*
 * REMS in one command set, JF method_304 (01/00/04: buffer 8800h) or
 * method_305/306 (the others: 0000h): 90 00 00 00, 4 out and 2 in, 200 ms,
 * then the two reply bytes after the four sent.
 */
static int spi_rems(struct flash_dev *f, enum mtk_dialect d, uint8_t id[2])
{
	static const uint8_t rems[4] = { SPI_REMS, 0, 0, 0 };
	uint16_t at = d == MTK_DIALECT_01 ? MTK_SPIBUF : 0;
	int ret = 0;

	f->m.dialect = d;
	for (size_t i = 0; i < sizeof(rems) && !ret; i++)
		ret = mtk_buf_write(&f->m, (uint16_t)(at + i), rems[i]);
	if (!ret)
		ret = mtk_spi_run(&f->m, sizeof(rems), 2);
	if (ret)
		return ret;
	mtk_delay_ns(&f->m, SPI_REMS_WAIT_NS);
	ret = mtk_buf_read(&f->m, (uint16_t)(at + 4), &id[0]);
	return ret ? ret : mtk_buf_read(&f->m, (uint16_t)(at + 5), &id[1]);
}

/*
 * JF's serial ID (Form1.cs near L37454, method_303): 1 s after the intro,
 * REMS in each command set until one answers other than 0000; the set that
 * answered is the drive's. 0000 from all, or FFFF: 1 s, once more.
 */
static int spi_detect(struct flash_dev *f, uint8_t id[2])
{
	static const enum mtk_dialect order[MTK_DIALECTS] = { MTK_DIALECT_01, MTK_DIALECT_52, MTK_DIALECT_68 };
	int ret = 0;

	for (int attempt = 0; attempt < 2; attempt++) {
		enum mtk_dialect found = MTK_DIALECT_01;

		mtk_delay_ns(&f->m, SPI_ID_WAIT_NS);
		for (int k = 0; k < MTK_DIALECTS; k++) {
			ret = spi_rems(f, order[k], id);
			if (ret)
				return ret;
			if (id[0] | id[1]) {
				found = order[k];
				break;
			}
		}
		f->m.dialect = found;
		if ((id[0] | id[1]) && (id[0] & id[1]) != 0xff)
			break;
	}
	return 0;
}

/*
 * Which serial chip: REMS as JF asks it (spi_detect), then RDID (9Fh, 1 out
 * and 3 in, our inference: JF never sends it) where the part answers it,
 * since RDID tells apart parts that share a REMS pair (W25X20 and W25P20:
 * EF 11). RDID decides where it answers; REMS where RDID gives nothing.
 */
static int serial_identify(struct flash_dev *f)
{
	uint8_t rems[2], rdid[3], op = SPI_RDID;
	unsigned n_rems, n_rdid;
	const struct flashchip *by_rems, *by_rdid;
	int ret;

	if (f->m.status == MTK_ST_SERIAL2) {
		/* JF method_297 sends 73h's ID with counts 01 00 03 00: not the 73h layout. */
		f->chip = &flashchip_73h;
		return 0;
	}
	ret = spi_detect(f, rems);
	if (!ret)
		ret = spi_xfer(f, &op, 1, rdid, sizeof(rdid));
	if (ret)
		return ret;
	/* The status, shown as JF shows it right after the ID (method_239/240/241, L37456-37461). */
	ret = spi_rdsr(f, &f->sr);
	if (ret)
		return ret;
	by_rems = flashchip_find_spi(rems, 2, &n_rems);
	by_rdid = flashchip_find_spi(rdid, 3, &n_rdid);
	if ((rdid[0] | rdid[1] | rdid[2]) && (rdid[0] & rdid[1] & rdid[2]) != 0xff) {
		memcpy(f->id, rdid, 3);
		f->id_len = 3;
		f->id_kind = "RDID";
		f->chip = by_rdid;
	} else {
		memcpy(f->id, rems, 2);
		f->id_len = 2;
		f->id_kind = "REMS";
		f->chip = n_rems == 1 ? by_rems : NULL;
	}
	return 0;
}

#define SETTLE_SCAN	0x10000u	/* bytes searched for one that F0h leaves unchanged */

/* The longest chip erase in the table: what a chip left working by another run may still need. */
static uint64_t settle_tmo_ns(void)
{
	uint64_t ms = 0;

	for (const struct flashchip *k = flashchips; k->name; k++)
		ms = k->t_chip_ms > ms ? k->t_chip_ms : ms;
	return ms * NSEC_PER_MSEC;
}

/* No operation runs: DQ6 reads the same twice (parallel), or WIP is clear (serial). */
static int settle_wait(struct flash_dev *f)
{
	uint64_t t0 = mtk_now_ns(&f->m), tmo = settle_tmo_ns();
	uint8_t v, prev;
	int ret;

	if (f->m.serial)	/* WIP only: a WREN the gone run sent may have left WEL set */
		return spi_status_wait(f, SPI_SR_WIP, 0, tmo, NSEC_PER_MSEC);
	ret = mtk_read_byte(&f->m, 0, &prev);
	while (!ret && !(ret = mtk_read_byte(&f->m, 0, &v)) && ((v ^ prev) & 0x40)) {
		if (mtk_now_ns(&f->m) - t0 > tmo)
			return -ETIMEDOUT;
		prev = v;
		mtk_delay_ns(&f->m, NSEC_PER_MSEC);
	}
	return ret;
}

/*
 * A drive found in vendor mode (mtk_found): the run that left it may have
 * died inside a command sequence or during an erase. Wait for the chip,
 * then F0h: a reset between the cycles of a sequence before it starts
 * working, and in read mode the single-cycle reset at any address
 * (Am29F040B datasheet, Reset Command; SST39SF040 datasheet, Software ID
 * Exit: F0h written at any address). A program left waiting for its data byte takes the
 * first F0h as that byte (the second is then the reset): it is written
 * where the chip holds a byte whose low nibble is 0, which F0h ANDed in
 * leaves as it is, so the flash is not changed either way (a chip erased
 * from the start has none: there a pending program's byte would change,
 * in a unit --resume compares and rewrites).
 */
static int settle(struct flash_dev *f)
{
	uint32_t at = 0;
	uint8_t v = 0xff;
	int ret = settle_wait(f);

	if (f->m.serial)
		return ret;
	for (; !ret && at < SETTLE_SCAN && (ret = mtk_read_byte(&f->m, at, &v)) == 0 && (v & 0x0f); at++)
		;
	if (at == SETTLE_SCAN)
		at = 0;	/* all erased there: only a program left pending would set this one byte */
	for (int i = 0; i < 2 && !ret; i++) {
		ret = mtk_write_byte(&f->m, at, 0xf0);
		if (!ret)
			ret = settle_wait(f);
	}
	return ret;
}

int flash_identify(struct flash_dev *f)
{
	int ret;

	memset(f->id, 0, sizeof(f->id));
	f->id_len = 0;
	f->id_kind = NULL;
	f->chip = NULL;
	f->writable = 0;
	/* 73h drives are read only, and their status is not read before the chip is known */
	if (f->m.found && f->m.status != MTK_ST_SERIAL2 && (ret = settle(f)))
		return ret;
	if (f->m.serial) {
		ret = serial_identify(f);
		if (ret)
			return ret;
	} else {
		ret = jedec(f, 0x90);
		if (!ret)
			ret = mtk_read_byte(&f->m, 0, &f->id[0]);
		if (!ret)
			ret = mtk_read_byte(&f->m, 1, &f->id[1]);
		if (!ret)
			ret = jedec(f, 0xf0);	/* back to read mode */
		if (ret)
			return ret;
		f->id_len = 2;
		f->id_kind = "JEDEC";
		f->chip = flashchip_find(FLASH_PARALLEL, f->id[0], f->id[1]);
	}
	return f->chip ? 0 : -ENOENT;
}

int flash_unprotect(struct flash_dev *f)
{
	uint8_t wrsr[2] = { SPI_WRSR, 0x00 }, sr;
	int ret;

	if (!f->chip)
		return -ENOENT;
	if (!f->m.serial || f->writable)
		return 0;
	if (f->chip->no_write)
		return -EOPNOTSUPP;
	ret = spi_rdsr(f, &sr);
	if (ret || !(sr & FLASH_SR_PROTECT)) {
		f->writable = !ret;
		return ret;
	}
	/*
	 * JF method_315: WREN, WRSR 00h, RDSR (SST, REMS BF 43: EWSR instead of
	 * WREN, method_301/316). The latch is awaited, not assumed; the BP bits
	 * are still set then, so only WEL is compared (JF does not wait here).
	 */
	if (f->chip->ewsr) {
		ret = spi_cmd(f, SPI_EWSR);
	} else {
		ret = spi_cmd(f, SPI_WREN);
		if (!ret)
			ret = spi_status_wait(f, SPI_SR_WEL | SPI_SR_WIP, SPI_SR_WEL, SPI_WREN_TMO_NS, 0);
	}
	if (!ret)
		ret = spi_xfer(f, wrsr, sizeof(wrsr), NULL, 0);
	/* JF method_315 L46876-46887: the status at once, 500 ms, then again */
	if (!ret)
		ret = spi_rdsr(f, &sr);
	if (!ret) {
		mtk_delay_ns(&f->m, SPI_WRSR_WAIT_NS);
		ret = spi_status_wait(f, SPI_SR_WIP, 0, SPI_WRSR_TMO_NS, 0);
	}
	if (ret == -ETIMEDOUT)
		return -EROFS;
	if (ret)
		return ret;
	if (f->sr & FLASH_SR_PROTECT)
		return -EROFS;
	f->writable = 1;
	return 0;
}

int flash_open(struct flash_dev *f, const struct taskfile *t, int dev)
{
	int ret;

	memset(f, 0, sizeof(*f));
	/* Already in vendor mode: neither IDENTIFY nor the intro, both unknown to its engine. */
	ret = mtk_found(&f->m, t, dev);
	/*
	 * On a FIS transport no Status is read without a command; the port's
	 * signature or the kernel's class says what is there, so no IDENTIFY
	 * goes to an engine a killed run may have left in vendor mode.
	 */
	if (ret == -EAGAIN || ret == -EOPNOTSUPP) {
		ret = ret == -EOPNOTSUPP && t->packet >= 0 ? t->packet : flash_is_packet(t, dev);
		if (ret == 0)
			return -EPERM;
		if (ret == -ENODEV)
			return ret;
		ret = mtk_intro(&f->m, t, dev);
	}
	if (ret)
		return ret;
	ret = flash_identify(f);
	if (ret)
		flash_close(f);
	return ret;
}

int flash_read(struct flash_dev *f, uint32_t off, uint8_t *buf, uint32_t len,
	       flash_progress_fn cb, void *arg)
{
	uint32_t done = 0;
	int ret = 0;

	while (done < len && !ret) {
		if (f->m.serial) {
			uint32_t n = len - done < SPI_READ_MAX ? len - done : SPI_READ_MAX;

			ret = spi_addr_cmd(f, SPI_READ, off + done, NULL, 0, buf + done, n);
			done += n;
		} else {
			ret = mtk_read_byte(&f->m, off + done, &buf[done]);
			done++;
		}
		if (done % PROGRESS_STEP == 0 || done == len) {
			progress(cb, arg, done, len);
			if (!ret && done < len && f->stop && *f->stop)
				ret = -EINTR;
		}
	}
	return ret;
}

static int erase_unit(struct flash_dev *f, uint32_t addr)
{
	const struct flashchip *c = f->chip;
	uint64_t tmo = (uint64_t)c->t_erase_ms * NSEC_PER_MSEC;
	int ret;

	if (f->m.serial) {
		ret = spi_wren(f);
		if (!ret)
			ret = spi_addr_cmd(f, c->erase_op, addr, NULL, 0, NULL, 0);
		return ret ? ret : spi_wait(f, tmo, tmo / ERASE_POLL_DIV);
	}
	ret = jedec(f, 0x80);
	if (!ret)
		ret = mtk_write_byte(&f->m, JEDEC_ADDR1, 0xaa);
	if (!ret)
		ret = mtk_write_byte(&f->m, JEDEC_ADDR2, 0x55);
	if (!ret)
		ret = mtk_write_byte(&f->m, addr, 0x30);
	return ret ? ret : par_erase_wait(f, addr, tmo);
}

int flash_erase(struct flash_dev *f, uint32_t off, uint32_t len)
{
	const struct flashchip *c = f->chip;
	int ret = 0;

	if (!c)
		return -ENOENT;
	if (flash_page_write_part(c))
		return -EOPNOTSUPP;
	if (!c->sector)
		return off == 0 && len == c->size ? flash_erase_chip(f) : -EOPNOTSUPP;
	if (off % c->sector || len % c->sector || off + len > c->size)
		return -EINVAL;
	for (uint32_t a = off; a < off + len && !ret; a += c->sector)
		ret = erase_unit(f, a);
	return ret;
}

int flash_erase_chip(struct flash_dev *f)
{
	uint64_t tmo = (uint64_t)f->chip->t_chip_ms * NSEC_PER_MSEC;
	int ret;

	if (flash_page_write_part(f->chip))
		return -EOPNOTSUPP;
	if (f->m.serial) {
		ret = spi_wren(f);
		if (!ret)
			ret = spi_cmd(f, f->chip->chip_op);	/* JF method_299/311 */
		return ret ? ret : spi_wait(f, tmo, tmo / ERASE_POLL_DIV);
	}
	ret = jedec(f, 0x80);
	if (!ret)
		ret = jedec(f, 0x10);
	return ret ? ret : par_erase_wait(f, 0, tmo);
}

static int program_run(struct flash_dev *f, uint32_t addr, const uint8_t *data, uint32_t n)
{
	uint64_t tmo = (uint64_t)f->chip->t_prog_us * NSEC_PER_USEC;
	int ret;

	if (f->m.serial) {
		ret = spi_wren(f);
		if (!ret)
			ret = spi_addr_cmd(f, SPI_PP, addr, data, n, NULL, 0);
		return ret ? ret : spi_wait(f, tmo, 0);
	}
	return par_program(f, addr, data[0]);
}

int flash_program(struct flash_dev *f, uint32_t off, const uint8_t *buf, uint32_t len,
		  const uint8_t *old, flash_progress_fn cb, void *arg)
{
	uint32_t unit = f->chip ? (f->m.serial ? f->chip->page : 1) : 0, i = 0;
	int ret = 0;

	if (!f->chip)
		return -ENOENT;
	if (flash_page_write_part(f->chip))
		return -EOPNOTSUPP;
	if (off + len > f->chip->size)
		return -EINVAL;
	/* Programming only clears bits: check every byte before the first write. */
	for (uint32_t k = 0; k < len; k++)
		if ((old[k] & buf[k]) != buf[k])
			return -EINVAL;
	while (i < len && !ret) {
		uint32_t a = off + i, end, first, last;

		/* One program unit (SPI page or one byte), only the span that changes. */
		end = (a / unit + 1) * unit - off;
		if (end > len)
			end = len;
		for (first = i; first < end && buf[first] == old[first]; first++)
			;
		for (last = end; last > first && buf[last - 1] == old[last - 1]; last--)
			;
		if (first < last)
			ret = program_run(f, off + first, buf + first, last - first);
		i = end;
		if (i % PROGRESS_STEP == 0 || i == len)
			progress(cb, arg, i, len);
	}
	return ret;
}

void flash_close(struct flash_dev *f)
{
	if (f->m.t.ops)
		mtk_outro(&f->m);
}
