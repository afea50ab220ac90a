/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Flash chips behind the vendor engine: JEDEC sequences (parallel) and SPI opcodes (serial). */
#include <errno.h>
#include <string.h>

#include "hw/ata_id.h"
#include "hw/flash.h"

#define JEDEC_ADDR1	0x5555u
#define JEDEC_ADDR2	0x2aaau
#define SPI_RDID	0x9f
#define SPI_RDSR	0x05
#define SPI_WREN	0x06
#define SPI_EWSR	0x50
#define SPI_WRSR	0x01
#define SPI_READ	0x03
#define SPI_PP		0x02
#define SPI_CHIP_ERASE	0xc7
#define SPI_READ_MAX	(MTK_SPIBUF_LEN - 4)
#define PROGRESS_STEP	4096u

int flash_is_packet(struct ata_port *ap, int dev)
{
	uint16_t id[ATA_ID_WORDS];
	struct ata_id_info info;
	int ret = ata_identify(ap, dev, ATA_CMD_ID_ATAPI, id);

	if (!ret)
		return ata_id_decode(id, &info) ? -EIO : info.packet;
	if (ret != -EIO)
		return ret;	/* BSY (-ETIMEDOUT) or nobody (-ENODEV): not provably a disk */
	/* A1h aborted: a device that identifies with ECh as non-packet is a disk. */
	if (!ata_identify(ap, dev, ATA_CMD_ID_ATA, id) && !ata_id_decode(id, &info) && !info.packet)
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

static int spi_cmd(struct flash_dev *f, uint8_t op)
{
	return mtk_spi(&f->m, &op, 1, NULL, 0);
}

static int spi_addr_cmd(struct flash_dev *f, uint8_t op, uint32_t addr, const uint8_t *data,
			size_t n, uint8_t *rx, size_t nrx)
{
	uint8_t tx[4 + 256] = { op, (uint8_t)(addr >> 16), (uint8_t)(addr >> 8), (uint8_t)addr };

	if (n > 256)
		return -EINVAL;
	if (n)
		memcpy(tx + 4, data, n);
	return mtk_spi(&f->m, tx, 4 + n, rx, nrx);
}

/*
 * Erases take milliseconds: between polls the bus sleeps this fraction of
 * the chip's maximum, so an erase costs tens of polls, not thousands, and
 * ends at most 1/32 of that maximum after the chip is done.
 */
#define ERASE_POLL_DIV	32

/* RDSR until WIP clears, within the chip's maximum time. */
static int spi_wait(struct flash_dev *f, uint64_t tmo_ns, uint64_t interval_ns)
{
	struct bus *b = f->m.ap->bus;
	uint64_t t0 = bus_now_ns(b);
	uint8_t op = SPI_RDSR, sr;
	int ret;

	for (;;) {
		ret = mtk_spi(&f->m, &op, 1, &sr, 1);
		f->polls++;
		if (ret)
			return ret;
		if (!(sr & 1))
			return 0;
		if (bus_now_ns(b) - t0 > tmo_ns)
			return -ETIMEDOUT;
		if (interval_ns)
			bus_delay_ns(b, interval_ns);
	}
}

/*
 * Data#-polling with the toggle bit as the judge: while the chip works,
 * DQ6 toggles on every read, so two reads in a row that agree mean it
 * stopped; they must then show the value written. One read per poll
 * while busy; the final value is always read twice.
 */
static int par_wait(struct flash_dev *f, uint32_t addr, uint8_t want, uint64_t tmo_ns,
		    uint64_t interval_ns)
{
	struct bus *b = f->m.ap->bus;
	uint64_t t0 = bus_now_ns(b);
	uint8_t v, prev = 0;
	int have_prev = 0, ret;

	for (;;) {
		ret = mtk_read_byte(&f->m, addr, &v);
		f->polls++;
		if (ret)
			return ret;
		if (have_prev && v == prev)
			return v == want ? 0 : -EIO;	/* stable but wrong: the program or erase failed */
		prev = v;
		have_prev = 1;
		if (v == want)
			continue;	/* confirm at once */
		if (bus_now_ns(b) - t0 > tmo_ns)
			return -ETIMEDOUT;
		if (interval_ns)
			bus_delay_ns(b, interval_ns);
	}
}

int flash_identify(struct flash_dev *f)
{
	int ret;

	memset(f->id, 0, sizeof(f->id));
	f->chip = NULL;
	if (f->m.serial) {
		uint8_t op = SPI_RDID;

		ret = mtk_spi(&f->m, &op, 1, f->id, 3);
		if (ret)
			return ret;
		f->chip = flashchip_find(FLASH_SPI, f->id[0], (uint16_t)(f->id[1] << 8 | f->id[2]));
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
		f->chip = flashchip_find(FLASH_PARALLEL, f->id[0], f->id[1]);
	}
	if (!f->chip)
		return -ENOENT;
	if (f->chip->unprotect) {
		/* SST25VF powers up with every block protected: EWSR, then WRSR 00h. */
		uint8_t wrsr[2] = { SPI_WRSR, 0x00 };

		ret = spi_cmd(f, SPI_EWSR);
		if (!ret)
			ret = mtk_spi(&f->m, wrsr, 2, NULL, 0);
	}
	return ret;
}

int flash_open(struct flash_dev *f, struct ata_port *ap, int dev)
{
	int ret;

	memset(f, 0, sizeof(*f));
	ret = flash_is_packet(ap, dev);
	if (ret == 0)
		return -EPERM;
	if (ret == -ENODEV)
		return ret;
	ret = mtk_intro(&f->m, ap, dev);
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
		ret = spi_cmd(f, SPI_WREN);
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
	return ret ? ret : par_wait(f, addr, 0xff, tmo, tmo / ERASE_POLL_DIV);
}

int flash_erase(struct flash_dev *f, uint32_t off, uint32_t len)
{
	const struct flashchip *c = f->chip;
	int ret = 0;

	if (!c)
		return -ENOENT;
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

	if (f->m.serial) {
		ret = spi_cmd(f, SPI_WREN);
		if (!ret)
			ret = spi_cmd(f, SPI_CHIP_ERASE);
		return ret ? ret : spi_wait(f, tmo, tmo / ERASE_POLL_DIV);
	}
	ret = jedec(f, 0x80);
	if (!ret)
		ret = jedec(f, 0x10);
	return ret ? ret : par_wait(f, 0, 0xff, tmo, tmo / ERASE_POLL_DIV);
}

static int program_run(struct flash_dev *f, uint32_t addr, const uint8_t *data, uint32_t n)
{
	uint64_t tmo = (uint64_t)f->chip->t_prog_us * NSEC_PER_USEC;
	int ret;

	if (f->m.serial) {
		ret = spi_cmd(f, SPI_WREN);
		if (!ret)
			ret = spi_addr_cmd(f, SPI_PP, addr, data, n, NULL, 0);
		return ret ? ret : spi_wait(f, tmo, 0);
	}
	ret = jedec(f, 0xa0);
	if (!ret)
		ret = mtk_write_byte(&f->m, addr, data[0]);
	return ret ? ret : par_wait(f, addr, data[0], tmo, 0);
}

int flash_program(struct flash_dev *f, uint32_t off, const uint8_t *buf, uint32_t len,
		  const uint8_t *old, flash_progress_fn cb, void *arg)
{
	uint32_t unit = f->chip ? (f->m.serial ? f->chip->page : 1) : 0, i = 0;
	int ret = 0;

	if (!f->chip)
		return -ENOENT;
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
	if (f->m.ap)
		mtk_outro(&f->m);
}
