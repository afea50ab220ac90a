/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ahci_io on a real controller (-p ahci:pci=BDF), the way HDDSuperTool's
 * direct AHCI mode reaches one (io.c: the BAR mapped; common.c: buffer
 * addresses from /proc/PID/pagemap), with sysfs instead of /dev/mem:
 * resource5 is ABAR (AHCI 1.3.1 2.1.11), config is the PCI configuration.
 * The DMA memory is mlock()ed anonymous pages; consecutive pages are not
 * physically contiguous (measured in a Debian 6.1 guest, sata-ahci.md),
 * so every page is looked up and the PRDT has an entry per page. Locked
 * pages are not swapped out; the kernel may still migrate them
 * (compaction), a hazard HDDSuperTool accepts too: one run is short.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hw/ahci_io.h"

#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x2
#define PCI_COMMAND_MASTER	0x4
#define PAGEMAP_PRESENT		(1ull << 63)
#define PAGEMAP_PFN		((1ull << 55) - 1)
#define AHCI_PCI_PAGES		(AHCI_DMA_LEN / AHCI_PAGE)

struct pci_ahci {
	volatile uint32_t *abar;
	size_t abar_len;
	uint8_t *dma;
	uint64_t pa[AHCI_PCI_PAGES];
};

static uint32_t pa_rd(struct ahci_io *io, uint32_t off)
{
	struct pci_ahci *h = io->priv;

	return off + 4 <= h->abar_len ? h->abar[off / 4] : 0xffffffffu;
}

static void pa_wr(struct ahci_io *io, uint32_t off, uint32_t val)
{
	struct pci_ahci *h = io->priv;

	if (off + 4 <= h->abar_len)
		h->abar[off / 4] = val;
}

static uint64_t pa_phys(struct ahci_io *io, uint32_t off)
{
	struct pci_ahci *h = io->priv;

	return h->pa[off / AHCI_PAGE] + off % AHCI_PAGE;
}

/* The HBA writes this memory behind the compiler's back: copy through volatile, after a fence. */
static void pa_get(struct ahci_io *io, uint32_t off, void *buf, size_t len)
{
	struct pci_ahci *h = io->priv;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = ((volatile uint8_t *)h->dma)[off + i];
}

static void pa_put(struct ahci_io *io, uint32_t off, const void *buf, size_t len)
{
	struct pci_ahci *h = io->priv;

	for (size_t i = 0; i < len; i++)
		((volatile uint8_t *)h->dma)[off + i] = ((const uint8_t *)buf)[i];
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static uint64_t pa_now(struct ahci_io *io)
{
	struct timespec ts;

	(void)io;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void pa_delay(struct ahci_io *io, uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };

	(void)io;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void pa_close(struct ahci_io *io)
{
	struct pci_ahci *h = io->priv;

	if (!h)
		return;
	if (h->abar)
		munmap((void *)(uintptr_t)h->abar, h->abar_len);
	if (h->dma)
		munmap(h->dma, AHCI_DMA_LEN);
	free(h);
	io->priv = NULL;
}

static const struct ahci_io_ops ahci_pci_ops = {
	.name = "pci",
	.rd = pa_rd,
	.wr = pa_wr,
	.phys = pa_phys,
	.get = pa_get,
	.put = pa_put,
	.delay_ns = pa_delay,
	.now_ns = pa_now,
	.close = pa_close,
};

int ahci_pagemap_phys(int fd, const void *va, size_t n, uint64_t *pa)
{
	uint64_t page = (uint64_t)(uintptr_t)va / AHCI_PAGE;

	for (size_t i = 0; i < n; i++) {
		uint64_t e;
		ssize_t r = pread(fd, &e, sizeof(e), (off_t)((page + i) * sizeof(e)));

		if (r != (ssize_t)sizeof(e))
			return r < 0 ? -errno : -EIO;
		if (!(e & PAGEMAP_PRESENT))
			return -EFAULT;
		if (!(e & PAGEMAP_PFN))
			return -EPERM;
		pa[i] = (e & PAGEMAP_PFN) * AHCI_PAGE;
	}
	return 0;
}

/* "ahci: WHAT: strerror HINT", the whole state undone. */
static int fail(struct ahci_io *io, int ret, const char *what, const char *hint)
{
	snprintf(io->errmsg, sizeof(io->errmsg), "ahci: %.120s: %s%.100s", what, strerror(-ret), hint);
	pa_close(io);
	return ret;
}

/* Memory decoding and bus mastering on: unbinding ahci disabled the function (pci_disable_device). */
static int enable(const char *dir)
{
	char path[512];
	uint8_t cmd[2];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/config", dir);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, cmd, 2, PCI_COMMAND) != 2)
		ret = -EIO;
	cmd[0] |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	if (!ret && pwrite(fd, cmd, 2, PCI_COMMAND) != 2)
		ret = -EIO;
	close(fd);
	return ret;
}

int ahci_pci_open(struct ahci_io *io, const struct ahci_pci_cfg *cfg)
{
	struct pci_ahci *h = calloc(1, sizeof(*h));
	char dir[256], path[320];
	struct stat st;
	void *m;
	int fd, ret;

	memset(io, 0, sizeof(*io));
	if (!h)
		return -ENOMEM;
	io->ops = &ahci_pci_ops;
	io->priv = h;
	snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s", cfg->sysfs, cfg->bdf);
	snprintf(path, sizeof(path), "%s/resource5", dir);
	fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0)
		return fail(io, -errno, path, "");
	if (fstat(fd, &st) || st.st_size < PORT_BASE + PORT_SIZE) {
		close(fd);
		return fail(io, -ENODEV, path, " (too small for AHCI registers)");
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ret = m == MAP_FAILED ? -errno : 0;
	close(fd);
	if (ret)	/* EINVAL while a driver holds the BAR (CONFIG_IO_STRICT_DEVMEM) */
		return fail(io, ret, path, " (is ahci still bound to it? --release detaches it)");
	h->abar = m;
	h->abar_len = (size_t)st.st_size;
	ret = enable(dir);
	if (ret)
		return fail(io, ret, "the PCI config file", "");
	h->dma = mmap(NULL, AHCI_DMA_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		      -1, 0);
	if (h->dma == MAP_FAILED) {
		h->dma = NULL;
		return fail(io, -errno, "DMA memory", "");
	}
	if (mlock(h->dma, AHCI_DMA_LEN))
		return fail(io, -errno, "mlock of the DMA memory", "");
	memset(h->dma, 0, AHCI_DMA_LEN);
	fd = open(cfg->pagemap, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(io, -errno, cfg->pagemap, "");
	ret = ahci_pagemap_phys(fd, h->dma, AHCI_PCI_PAGES, h->pa);
	close(fd);
	if (ret == -EPERM)
		return fail(io, ret, cfg->pagemap, " (physical addresses hidden: needs CAP_SYS_ADMIN, run as root)");
	if (ret)
		return fail(io, ret, cfg->pagemap, "");
	return 0;
}
