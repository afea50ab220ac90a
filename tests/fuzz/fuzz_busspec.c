// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The -p backend spec parser and each simulator/fault parameter, on any
 * string. Specs that would reach outside the process (real ports, a QEMU
 * socket, the SG_IO node, files via state= or image=) are left out, and
 * ioperm/iopl abort should one get through.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ata.h"
#include "hw/bus.h"

#include "noports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ata_chan chans[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};
	static const char *const outside[] = { "ioport", "qtest", "sg", "state", "image", "/" };
	struct bus b;
	char *spec;

	if (size > 512)
		return 0;
	spec = malloc(size + 1);
	if (!spec)
		return 0;
	memcpy(spec, data, size);
	spec[size] = 0;
	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++)
		if (strstr(spec, outside[i]) || (strncmp(spec, "sim", 3) && strncmp(spec, "fault", 5))) {
			free(spec);
			return 0;
		}
	memset(&b, 0, sizeof(b));
	if (!bus_open(&b, spec, chans, 2)) {
		bus_inb(&b, ATA_SECONDARY_CMD + 7);	/* the opened bus answers */
		bus_close(&b);
	}
	free(spec);
	return 0;
}
