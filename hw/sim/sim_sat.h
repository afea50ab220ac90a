/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulator's drives behind a modelled kernel SG_IO device with
 * libata's ATA PASS-THROUGH rules (sim_sat.c): -p sim:hba=sat.
 */
#ifndef ODRESCUE_SIM_SAT_H
#define ODRESCUE_SIM_SAT_H

#include <stddef.h>

#include "hw/bus.h"
#include "hw/pt_sgio.h"

/*
 * Open the simulator (sim_spec as for -p, "sim:scenario=spi73") behind
 * the modelled kernel. sff: the host is an SFF controller (ata_piix),
 * where DF fails a command too; else ahci. One at a time.
 */
int sim_sat_open(const char *sim_spec, int sff, char *errmsg, size_t len);
/* The system calls sgio_open() takes: /dev/sgN is position N+1, /dev/srN the (N+1)th packet device. */
extern const struct sgio_sys sim_sat_sys;
/* 1 the node is a packet device, 0 a disk, -1 no such node (the kernel's class, as sysfs gives it). */
int sim_sat_node_packet(const char *path);
/* Its simulator's bus (the clock, sim_from_bus for tests); NULL when closed. */
struct bus *sim_sat_bus(void);
/* REQUEST SENSE commands the modelled error handler sent so far. */
unsigned sim_sat_eh_sense(void);
void sim_sat_close(void);

#endif
