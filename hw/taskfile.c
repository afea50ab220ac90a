/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Commands written once against taskfile.h, for every transport. */
#include "hw/taskfile.h"

int tf_identify(struct taskfile *t, int dev, uint8_t cmd, uint16_t id[ATA_ID_WORDS])
{
	struct tf_cmd c = {
		.tf.command = cmd,
		.dev = dev,
		.proto = TF_PIO_IN,
		.buf = id,
		.len = 2 * ATA_ID_WORDS,
		.timeout_ns = ATA_TMO_CMD_DRQ,
	};

	return tf_exec(t, &c);
}
