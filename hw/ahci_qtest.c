/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ahci_io over QEMU's qtest socket (-p ahci:qtest=SOCKET): the ICH9 AHCI
 * of "-machine q35" (00:1f.2, 8086:2922, class 010601), started with -S so
 * no firmware ran: odrescue assigns BAR5 (ABAR) and enables memory and bus
 * mastering itself, as QEMU's tests/qtest/libqos/ahci.c does. The DMA
 * memory is guest RAM at mem= (nothing else runs in the guest).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ahci_io.h"
#include "hw/bus_qtest.h"

/* PCI configuration mechanism #1 (PCI Local Bus 3.0 3.2.2.3.2): 0xCF8 address, 0xCFC data. */
#define PCI_CONF_ADDR		0xcf8
#define PCI_CONF_DATA		0xcfc
#define PCI_CLASS_REVISION	0x08
#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x2
#define PCI_COMMAND_MASTER	0x4
#define PCI_BAR5		0x24
#define PCI_CLASS_SATA_AHCI	0x010601	/* mass storage, SATA, AHCI 1.0 */

struct qt_ahci {
	struct bus bus;
	unsigned bdf;
	uint64_t abar, mem;
};

static struct bus *B(struct ahci_io *io)
{
	return &((struct qt_ahci *)io->priv)->bus;
}

static void sync_err(struct ahci_io *io)
{
	if (B(io)->error && !io->error) {
		io->error = B(io)->error;
		snprintf(io->errmsg, sizeof(io->errmsg), "%s", B(io)->errmsg);
	}
}

static uint32_t cfg_addr(unsigned bdf, unsigned reg)
{
	return 0x80000000u | (uint32_t)bdf << 8 | (reg & 0xfc);
}

static uint32_t cfg_rd(struct ahci_io *io, unsigned reg)
{
	struct qt_ahci *q = io->priv;

	qtest_outl(&q->bus, PCI_CONF_ADDR, cfg_addr(q->bdf, reg));
	return qtest_inl(&q->bus, PCI_CONF_DATA);
}

static void cfg_wr(struct ahci_io *io, unsigned reg, uint32_t v)
{
	struct qt_ahci *q = io->priv;

	qtest_outl(&q->bus, PCI_CONF_ADDR, cfg_addr(q->bdf, reg));
	qtest_outl(&q->bus, PCI_CONF_DATA, v);
}

static uint32_t qa_rd(struct ahci_io *io, uint32_t off)
{
	uint32_t v = qtest_readl(B(io), ((struct qt_ahci *)io->priv)->abar + off);

	sync_err(io);
	return v;
}

static void qa_wr(struct ahci_io *io, uint32_t off, uint32_t val)
{
	qtest_writel(B(io), ((struct qt_ahci *)io->priv)->abar + off, val);
	sync_err(io);
}

static uint64_t qa_phys(struct ahci_io *io, uint32_t off)
{
	return ((struct qt_ahci *)io->priv)->mem + off;
}

static void qa_get(struct ahci_io *io, uint32_t off, void *buf, size_t len)
{
	qtest_memread(B(io), qa_phys(io, off), buf, len);
	sync_err(io);
}

static void qa_put(struct ahci_io *io, uint32_t off, const void *buf, size_t len)
{
	qtest_memwrite(B(io), qa_phys(io, off), buf, len);
	sync_err(io);
}

static void qa_delay(struct ahci_io *io, uint64_t ns)
{
	bus_delay_ns(B(io), ns);
}

static uint64_t qa_now(struct ahci_io *io)
{
	return bus_now_ns(B(io));
}

static void qa_close(struct ahci_io *io)
{
	struct qt_ahci *q = io->priv;

	if (!q)
		return;
	bus_close(&q->bus);
	free(q);
	io->priv = NULL;
}

static const struct ahci_io_ops ahci_qtest_ops = {
	.name = "qtest",
	.rd = qa_rd,
	.wr = qa_wr,
	.phys = qa_phys,
	.get = qa_get,
	.put = qa_put,
	.delay_ns = qa_delay,
	.now_ns = qa_now,
	.close = qa_close,
};

int ahci_qtest_open(struct ahci_io *io, const struct ahci_qtest_cfg *cfg)
{
	static const struct ata_chan no_chans[1];
	struct qt_ahci *q = calloc(1, sizeof(*q));
	char spec[160];
	uint32_t class;
	int ret;

	memset(io, 0, sizeof(*io));
	if (!q)
		return -ENOMEM;
	if (snprintf(spec, sizeof(spec), "qtest:socket=%s,timeout=%u", cfg->socket,
		     cfg->timeout_s ? cfg->timeout_s : 10) >= (int)sizeof(spec)) {
		free(q);
		snprintf(io->errmsg, sizeof(io->errmsg), "ahci: qtest socket path too long");
		return -EINVAL;
	}
	ret = bus_open(&q->bus, spec, no_chans, 0);
	if (ret) {
		snprintf(io->errmsg, sizeof(io->errmsg), "%s", q->bus.errmsg);
		free(q);
		return ret;
	}
	q->bdf = cfg->bdf;
	q->abar = cfg->bar;
	q->mem = cfg->mem;
	io->ops = &ahci_qtest_ops;
	io->priv = q;
	class = cfg_rd(io, PCI_CLASS_REVISION) >> 8;
	sync_err(io);
	if (!io->error && class != PCI_CLASS_SATA_AHCI) {
		snprintf(io->errmsg, sizeof(io->errmsg),
			 "ahci: PCI %02x:%02x.%x is class %06x, not an AHCI controller (010601); "
			 "QEMU needs -machine q35", cfg->bdf >> 8, cfg->bdf >> 3 & 0x1f, cfg->bdf & 7, class);
		qa_close(io);
		return -ENODEV;
	}
	/* No firmware ran (-S): place ABAR, then let the HBA decode it and master DMA. */
	cfg_wr(io, PCI_BAR5, (uint32_t)cfg->bar);
	cfg_wr(io, PCI_COMMAND, cfg_rd(io, PCI_COMMAND) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	sync_err(io);
	ret = io->error;
	if (ret)
		qa_close(io);
	return ret;
}
