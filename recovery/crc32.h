/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ODRESCUE_CRC32_H
#define ODRESCUE_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, as zlib and cksum -a crc32b): crc32(0, buf, len). */
uint32_t crc32(uint32_t crc, const void *buf, size_t len);

#endif
