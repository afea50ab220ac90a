/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Taskfile level of the polled PIO protocol, named as in Linux's
 * include/linux/ata.h and drivers/ata/libata-sff.c.
 */
#ifndef ODRESCUE_ATA_H
#define ODRESCUE_ATA_H

#include <signal.h>
#include <stdint.h>

#include "hw/bus.h"

enum {
	/* register offsets from the command block base */
	ATA_REG_DATA	= 0x00,
	ATA_REG_ERR	= 0x01,
	ATA_REG_NSECT	= 0x02,
	ATA_REG_LBAL	= 0x03,
	ATA_REG_LBAM	= 0x04,
	ATA_REG_LBAH	= 0x05,
	ATA_REG_DEVICE	= 0x06,
	ATA_REG_STATUS	= 0x07,
	ATA_REG_FEATURE	= ATA_REG_ERR,		/* write side of Error */
	ATA_REG_CMD	= ATA_REG_STATUS,	/* write side of Status */
	ATA_REG_BYTEL	= ATA_REG_LBAM,		/* ATAPI byte count */
	ATA_REG_BYTEH	= ATA_REG_LBAH,
	ATA_REG_IRR	= ATA_REG_NSECT,	/* ATAPI interrupt reason */

	/* status bits */
	ATA_BUSY	= (1 << 7),
	ATA_DRDY	= (1 << 6),
	ATA_DF		= (1 << 5),
	ATA_DSC		= (1 << 4),
	ATA_DRQ		= (1 << 3),
	ATA_CORR	= (1 << 2),
	ATA_IDX		= (1 << 1),
	ATA_ERR		= (1 << 0),

	/* error bits */
	ATA_ICRC	= (1 << 7),
	ATA_UNC		= (1 << 6),
	ATA_MC		= (1 << 5),
	ATA_IDNF	= (1 << 4),
	ATA_MCR		= (1 << 3),
	ATA_ABORTED	= (1 << 2),
	ATA_TRK0NF	= (1 << 1),
	ATA_AMNF	= (1 << 0),
	ATAPI_SENSE_KEY	= 0xf0,		/* ATAPI: error bits 7:4 */
	ATAPI_EOM	= (1 << 1),
	ATAPI_ILI	= (1 << 0),

	/* device register */
	ATA_DEVICE_OBS	= (1 << 7) | (1 << 5),	/* 0xA0 */
	ATA_LBA		= (1 << 6),
	ATA_DEV1	= (1 << 4),

	/* device control register */
	ATA_HOB		= (1 << 7),
	ATA_DEVCTL_OBS	= (1 << 3),	/* "always 1" in older specs */
	ATA_SRST	= (1 << 2),
	ATA_NIEN	= (1 << 1),

	/* ATAPI interrupt reason */
	ATAPI_COD	= (1 << 0),
	ATAPI_IO	= (1 << 1),

	/* commands */
	ATA_CMD_DEV_RESET	= 0x08,
	ATA_CMD_READ_SECTORS	= 0x20,
	ATA_CMD_EDD		= 0x90,
	ATA_CMD_PACKET		= 0xA0,
	ATA_CMD_ID_ATAPI	= 0xA1,
	ATA_CMD_ID_ATA		= 0xEC,

	/* IDENTIFY words */
	ATA_ID_WORDS		= 256,
	ATA_ID_CONFIG		= 0,
	ATA_ID_SERNO		= 10,
	ATA_ID_SERNO_LEN	= 20,
	ATA_ID_FW_REV		= 23,
	ATA_ID_FW_REV_LEN	= 8,
	ATA_ID_PROD		= 27,
	ATA_ID_PROD_LEN		= 40,
	ATA_ID_CAPABILITY	= 49,
	ATA_ID_FIELD_VALID	= 53,
	ATA_ID_MWDMA_MODES	= 63,
	ATA_ID_PIO_MODES	= 64,
	ATA_ID_EIDE_PIO		= 67,
	ATA_ID_EIDE_PIO_IORDY	= 68,
	ATA_ID_MAJOR_VER	= 80,
	ATA_ID_MINOR_VER	= 81,
	ATA_ID_UDMA_MODES	= 88,
	ATA_ID_HW_CONFIG	= 93,
	ATA_ID_BCL_DEFAULT	= 125,
};

/* Device class from the signature, as libata's ata_dev_classify(). */
enum ata_class {
	ATA_DEV_NONE,
	ATA_DEV_ATA,
	ATA_DEV_ATAPI,
	ATA_DEV_PMP,
	ATA_DEV_SEMB,
	ATA_DEV_ZAC,
	ATA_DEV_UNKNOWN,
};

/*
 * Timeouts, in ns, with their sources. Every wait takes one of these so
 * the simulator's virtual clock can run a timeout path instantly.
 */
#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL
/* ATA/ATAPI-7: hold SRST >= 5 us; libata's ata_bus_softreset uses 20 us. */
#define ATA_TMO_SRST_HOLD	(20 * NSEC_PER_USEC)
/* ATA/ATAPI-7 >= 2 ms after SRST before polling (SeaBIOS msleep(2)). */
#define ATA_TMO_AFTER_SRST	(2 * NSEC_PER_MSEC)
/* Device 0 may hold BSY up to 31 s after reset (ATA/ATAPI-7 9.2). */
#define ATA_TMO_RESET		(31 * NSEC_PER_SEC)
/* libata ata_sff_busy_sleep "port is slow to respond" after 5 s. */
#define ATA_TMO_IMPATIENT	(5 * NSEC_PER_SEC)
/* libata ata_wait_idle(): 1000 x 10 us before and after device select. */
#define ATA_TMO_IDLE		(10 * NSEC_PER_MSEC)
/* IDENTIFY / CDB phase: DRQ within 3 ms by spec; allow 1 s for slow drives. */
#define ATA_TMO_CMD_DRQ		(1 * NSEC_PER_SEC)
/* A data phase may include a spin-up: libata ATA_TMOUT_INTERNAL 30 s. */
#define ATA_TMO_DATA		(30 * NSEC_PER_SEC)
/* libata ATA_TMOUT_FF_WAIT: how long 0xFF may persist before "no device". */
#define ATA_TMO_FF_WAIT		(800 * NSEC_PER_MSEC)
/*
 * A wait spins for ATA_POLL_SPIN_NS (libata spins 5 x 10 us in
 * ata_sff_busy_wait() before it defers a polled transfer), then sleeps
 * between polls, from ATA_POLL_NAP_NS doubling to ATA_POLL_SLEEP_NS: a
 * drive that answers in a few hundred microseconds is seen at once, one
 * that takes seconds costs a poll a millisecond.
 */
#define ATA_POLL_SPIN_NS	(50 * NSEC_PER_USEC)
#define ATA_POLL_NAP_NS		(50 * NSEC_PER_USEC)
#define ATA_POLL_SLEEP_NS	(1 * NSEC_PER_MSEC)

/* A channel as seen by the taskfile layer. */
struct ata_port {
	struct bus *bus;
	uint16_t cmd;		/* command block base */
	uint16_t ctl;		/* device control / alternate status */
	uint8_t devctl;		/* value kept in Device Control: nIEN always set */
	uint64_t tmo_scale;	/* 0 or 1: full timeouts; tests may shorten */
	volatile sig_atomic_t *stop;	/* when set and *stop: the user's Ctrl-C ends waits with -EINTR */
};

/* Shadow of the taskfile: what was read back after a command or reset. */
struct ata_tf {
	uint8_t feature;	/* write: Features; read: Error */
	uint8_t nsect;
	uint8_t lbal;
	uint8_t lbam;
	uint8_t lbah;
	uint8_t device;
	uint8_t command;	/* write: Command; read: Status */
	uint8_t altstatus;	/* read only */
};

struct ata_reset_info {
	uint64_t bsy_ns;		/* SRST release until BSY cleared on device 0 */
	int bsy_stuck;			/* BSY never cleared on device 0 */
	int busy[2];			/* BSY still set when each device was read */
	int floating;			/* channel reads 0xFF/0x7F: no devices, no decoding */
	struct ata_tf tf[2];		/* registers of each device after reset */
	enum ata_class class[2];
};

void ata_port_init(struct ata_port *ap, struct bus *bus, const struct ata_chan *ch);

uint8_t ata_rd(struct ata_port *ap, unsigned reg);
void ata_wr(struct ata_port *ap, unsigned reg, uint8_t val);
uint8_t ata_altstatus(struct ata_port *ap);
uint8_t ata_status(struct ata_port *ap);		/* acks INTRQ */
void ata_pause(struct ata_port *ap);			/* the 400 ns rule */
void ata_tf_read(struct ata_port *ap, struct ata_tf *tf);
void ata_tf_load(struct ata_port *ap, const struct ata_tf *tf);
void ata_exec_command(struct ata_port *ap, uint8_t cmd);

int ata_wait(struct ata_port *ap, uint8_t mask, uint8_t val, uint64_t tmo_ns, uint8_t *status);
int ata_wait_not_busy(struct ata_port *ap, uint64_t tmo_ns, uint8_t *status);
int ata_wait_drq(struct ata_port *ap, uint64_t tmo_ns, uint8_t *status);
int ata_dev_select(struct ata_port *ap, int dev);
int ata_softreset(struct ata_port *ap, struct ata_reset_info *ri);
enum ata_class ata_classify(const struct ata_tf *tf);
enum ata_class ata_dev_classify(const struct ata_tf *tf, int dev, int present);
int ata_identify(struct ata_port *ap, int dev, uint8_t cmd, uint16_t id[ATA_ID_WORDS]);
void ata_data_in(struct ata_port *ap, uint16_t *buf, size_t words);	/* dwords if bus->pio32 */
void ata_data_out(struct ata_port *ap, const uint16_t *buf, size_t words);
int ata_pio_in(struct ata_port *ap, uint16_t *buf, size_t words, uint64_t tmo_ns);
void ata_drain(struct ata_port *ap);

const char *ata_class_name(enum ata_class c);
/* "BSY DRDY DRQ..." into buf. */
const char *ata_status_str(uint8_t st, char *buf, size_t len);
const char *ata_error_str(uint8_t err, int atapi, char *buf, size_t len);
const char *ata_diag_str(uint8_t err);

#endif
