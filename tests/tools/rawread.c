// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rawread POS MIB [PARAMS]: read MIB MiB from the disc at a raw position
 * with PIO READ(10) through odrescue's own ATAPI layer on real ports
 * (-p ioport:PARAMS, e.g. pio32=0), timed.
 * rawread /dev/srN MIB: the same bytes through the kernel, read(2) in
 * 32 KiB blocks as dd bs=32k does, timed the same way (no process start
 * in either figure). The VM tier compares the two with libata.dma=0.
 * Not installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hw/ata.h"
#include "hw/atapi.h"
#include "hw/bus.h"
#include "hw/mmc.h"
#include "src/atapi_sysfs.h"
#include "src/pci_ide.h"

#define CHUNK_SECTORS	64	/* 128 KiB a command: the kernel's requests for dd bs=32k (readahead, max_sectors_kb 128) */

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t buf[CHUNK_SECTORS * 2048];

static int kernel_read(const char *dev, int mib)
{
	long long left = (long long)mib << 20;
	int fd = open(dev, O_RDONLY);
	double t0, t;

	if (fd < 0) {
		perror(dev);
		return 2;
	}
	t0 = mono();
	while (left > 0) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0) {
			fprintf(stderr, "rawread: %s: %s\n", dev, n ? strerror(errno) : "end of medium");
			close(fd);
			return 7;
		}
		left -= n;
	}
	t = mono() - t0;
	close(fd);
	printf("rawread: %d bytes in %.3f s = %.2f MB/s through %s\n", mib << 20, t, (mib << 20) / t / 1e6, dev);
	return 0;
}

int main(int argc, char **argv)
{
	char spec[128];
	const struct ata_chan chan[2] = { { ATA_PRIMARY_CMD, ATA_PRIMARY_CTL },
					  { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL } };
	int pos = argc > 1 ? atoi(argv[1]) : 0, mib = argc > 2 ? atoi(argv[2]) : 0;
	struct ata_reset_info ri;
	struct scsi_sense sense;
	struct atapi_dev ad;
	struct ata_port ap;
	struct bus b;
	struct pt pt;
	uint32_t sectors;
	double t0, t;

	if (argc > 2 && argv[1][0] == '/' && mib >= 1 && mib <= 64)
		return kernel_read(argv[1], mib);
	if (pos < 1 || pos > 4 || mib < 1 || mib > 64) {
		fprintf(stderr, "usage: rawread POS(1-4) MIB(1-64) [ioport params] | rawread /dev/srN MIB\n");
		return 1;
	}
	snprintf(spec, sizeof(spec), "ioport%s%s", argc > 3 ? ":" : "", argc > 3 ? argv[3] : "");
	memset(&b, 0, sizeof(b));
	if (bus_open(&b, spec, &chan[(pos - 1) / 2], 1)) {
		fprintf(stderr, "rawread: %s\n", b.errmsg);
		return 3;
	}
	if (b.pio32 < 0) {	/* as odrescue decides it */
		char why[160];

		b.pio32 = pci_ide_pio32(sg_sysfs_root(), b.chans, b.nchans, why, sizeof(why));
		printf("rawread: data port %s\n", why);
	} else {
		printf("rawread: data port %d-bit (pio32=%d given)\n", b.pio32 ? 32 : 16, b.pio32);
	}
	ata_port_init(&ap, &b, &b.chans[0]);
	if (ata_softreset(&ap, &ri)) {
		fprintf(stderr, "rawread: reset failed\n");
		return 7;
	}
	atapi_pt_init(&pt, &ad, &ap, (pos - 1) % 2);
	for (int i = 0; i < 3 && mmc_test_unit_ready(&pt, &sense); i++)
		;	/* the reset's UNIT ATTENTION */
	sectors = (uint32_t)mib * 512;
	t0 = mono();
	for (uint32_t lba = 0; lba < sectors; lba += CHUNK_SECTORS)
		if (mmc_read10(&pt, lba, CHUNK_SECTORS, buf, sizeof(buf))) {
			fprintf(stderr, "rawread: READ(10) at %u failed\n", lba);
			return 7;
		}
	t = mono() - t0;
	printf("rawread: %u bytes in %.3f s = %.2f MB/s, %u commands, %llu port reads, %llu port writes\n",
	       sectors * 2048, t, sectors * 2048 / t / 1e6, sectors / CHUNK_SECTORS, (unsigned long long)b.stats.reads,
	       (unsigned long long)b.stats.writes);
	bus_close(&b);
	return 0;
}
