/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Beyond the IDE ports: what -p ahci:qtest= needs from an open qtest bus
 * (PCI configuration through 0xCF8/0xCFC, the HBA's MMIO, guest memory
 * for its DMA). Each is one qtest request (softmmu/qtest.c); after the
 * transport failed, b->error is set and reads give all ones.
 */
#ifndef ODRESCUE_BUS_QTEST_H
#define ODRESCUE_BUS_QTEST_H

#include <stddef.h>
#include <stdint.h>

#include "hw/bus.h"

uint32_t qtest_inl(struct bus *b, uint16_t port);
void qtest_outl(struct bus *b, uint16_t port, uint32_t val);
uint32_t qtest_readl(struct bus *b, uint64_t addr);
void qtest_writel(struct bus *b, uint64_t addr, uint32_t val);
void qtest_memread(struct bus *b, uint64_t addr, void *buf, size_t len);
void qtest_memwrite(struct bus *b, uint64_t addr, const void *buf, size_t len);

#endif
