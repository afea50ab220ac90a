/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A user-space AHCI port: the HBA's registers (ABAR), a command list, a
 * received-FIS area and command tables in memory the HBA reaches by DMA.
 * Register and bit names follow Linux drivers/ata/ahci.h (PORT_CMD_*,
 * PORT_IRQ_*); layouts are AHCI 1.3.1 (Intel, 2011) sections 3 and 4.
 * How the registers and the DMA memory are reached is one const struct
 * ahci_io_ops per way: QEMU's qtest socket (ahci_qtest.c), a real
 * controller's BAR5 and pinned pages (ahci_pci.c), the simulator.
 */
#ifndef ODRESCUE_AHCI_H
#define ODRESCUE_AHCI_H

#include <stddef.h>
#include <stdint.h>

#include "hw/ata.h"
#include "hw/pt.h"
#include "hw/taskfile.h"

enum {
	/* generic host control (AHCI 1.3.1 3.1) */
	HOST_CAP		= 0x00,
	HOST_CTL		= 0x04,
	HOST_IRQ_STAT		= 0x08,
	HOST_PORTS_IMPL		= 0x0c,
	HOST_VERSION		= 0x10,
	HOST_CTL_RESET		= 1u << 0,
	HOST_CTL_IRQ_EN		= 1u << 1,
	HOST_CTL_AHCI_EN	= 1u << 31,
	HOST_CAP_NP		= 0x1f,		/* ports - 1 */
	HOST_CAP_NCS_SHIFT	= 8,		/* command slots - 1, 5 bits */
	HOST_CAP_SCLO		= 1u << 24,	/* PxCMD.CLO: a command past a device's BSY */
	HOST_CAP_ALPM		= 1u << 26,	/* SALP: PxCMD.ALPE/ASP, aggressive link power management */
	HOST_CAP_SSS		= 1u << 27,	/* staggered spin-up: PORT_CMD_SPIN_UP needed */
	HOST_CAP_64		= 1u << 31,

	/* port registers at 0x100 + 0x80 * port (3.3) */
	PORT_BASE		= 0x100,
	PORT_SIZE		= 0x80,
	PORT_LST_ADDR		= 0x00,
	PORT_LST_ADDR_HI	= 0x04,
	PORT_FIS_ADDR		= 0x08,
	PORT_FIS_ADDR_HI	= 0x0c,
	PORT_IRQ_STAT		= 0x10,
	PORT_IRQ_MASK		= 0x14,
	PORT_CMD		= 0x18,
	PORT_TFDATA		= 0x20,
	PORT_SIG		= 0x24,
	PORT_SCR_STAT		= 0x28,
	PORT_SCR_CTL		= 0x2c,
	PORT_SCR_ERR		= 0x30,
	PORT_SCR_ACT		= 0x34,
	PORT_CMD_ISSUE		= 0x38,

	PORT_CMD_START		= 1u << 0,
	PORT_CMD_SPIN_UP	= 1u << 1,
	PORT_CMD_POWER_ON	= 1u << 2,
	PORT_CMD_CLO		= 1u << 3,
	PORT_CMD_FIS_RX		= 1u << 4,
	PORT_CMD_FIS_ON		= 1u << 14,
	PORT_CMD_LIST_ON	= 1u << 15,
	PORT_CMD_ATAPI		= 1u << 24,
	PORT_CMD_ALPE		= 1u << 26,	/* aggressive link power management */
	PORT_CMD_ASP		= 1u << 27,	/* ... to slumber, not partial */
	PORT_CMD_ICC_MASK	= 0xfu << 28,
	PORT_CMD_ICC_ACTIVE	= 1u << 28,	/* interface communication control: wake the link */

	SCTL_IPM_NONE		= 0x7u << 8,	/* PxSCTL.IPM: no partial, slumber or DevSleep (libata) */

	PORT_IRQ_D2H_REG_FIS	= 1u << 0,
	PORT_IRQ_PIOS_FIS	= 1u << 1,
	PORT_IRQ_CONNECT	= 1u << 6,	/* PCS: PxSERR.DIAG.X set */
	PORT_IRQ_PHYRDY		= 1u << 22,	/* PRCS: PxSERR.DIAG.N set */
	PORT_IRQ_IF_ERR		= 1u << 27,
	PORT_IRQ_HBUS_ERR	= 1u << 29,
	PORT_IRQ_TF_ERR		= 1u << 30,	/* TFES: a D2H FIS with ERR in Status */
	PORT_IRQ_HBUS_DATA_ERR	= 1u << 28,
	PORT_IRQ_IF_NONFATAL	= 1u << 26,
	PORT_IRQ_OVERFLOW	= 1u << 24,
	PORT_IRQ_FATAL		= PORT_IRQ_TF_ERR | PORT_IRQ_HBUS_ERR | PORT_IRQ_HBUS_DATA_ERR |
				  PORT_IRQ_IF_ERR,
	/* The link changed (libahci's PORT_IRQ_FREEZE has both): read-only, cleared in PxSERR */
	PORT_IRQ_LINK		= PORT_IRQ_CONNECT | PORT_IRQ_PHYRDY,

	SERR_DIAG_N		= 1u << 16,	/* PhyRdy changed */
	SERR_DIAG_X		= 1u << 26,	/* exchanged: a device came or went (COMINIT) */

	/* PxSSTS.DET (Serial ATA 2.6 14.2.1) */
	SSTS_DET_MASK		= 0xf,
	SSTS_DET_NONE		= 0x0,
	SSTS_DET_NOPHY		= 0x1,	/* device seen, no communication */
	SSTS_DET_PRESENT	= 0x3,	/* device present, phy communication up */
	SSTS_DET_OFFLINE	= 0x4,

	/* command header (4.2.2), DW0 */
	AHCI_CMD_ATAPI		= 1u << 5,
	AHCI_CMD_WRITE		= 1u << 6,
	AHCI_CMD_PREFETCH	= 1u << 7,
	AHCI_CMD_RESET		= 1u << 8,
	AHCI_CMD_CLR_BUSY	= 1u << 10,

	/* received FIS area (4.2.1) */
	AHCI_RX_FIS_PIO_SETUP	= 0x20,
	AHCI_RX_FIS_D2H_REG	= 0x40,
	AHCI_RX_FIS_SZ		= 0x100,
	AHCI_CMD_SLOT_SZ	= 0x20,
	AHCI_CMD_TBL_CDB	= 0x40,
	AHCI_CMD_TBL_HDR_SZ	= 0x80,
	AHCI_PRD_SZ		= 0x10,

	/* FIS types (Serial ATA 2.6 10.3) */
	FIS_TYPE_REG_H2D	= 0x27,
	FIS_TYPE_REG_D2H	= 0x34,
	FIS_REG_H2D_C		= 0x80,	/* Command register update */

	AHCI_MAX_PORTS		= 32,
};

/* Memory odrescue owns for the HBA's DMA, in 4 KiB pages (pagemap gives them one by one). */
#define AHCI_PAGE		4096u
#define AHCI_DATA_PAGES		16u			/* one command moves at most 64 KiB */
#define AHCI_DATA_OFF		(AHCI_MAX_PORTS * AHCI_PAGE)	/* a page per port before it */
#define AHCI_DMA_LEN		(AHCI_DATA_OFF + AHCI_DATA_PAGES * AHCI_PAGE)
#define AHCI_XFER_MAX		(AHCI_DATA_PAGES * AHCI_PAGE)

/* Timeouts (ns) with their sources. */
/* libahci ahci_stop_engine(): PORT_CMD_LIST_ON clears within 500 ms (AHCI 1.3.1 10.1.2). */
#define AHCI_TMO_ENGINE		(500 * NSEC_PER_MSEC)
/* libahci ahci_stop_fis_rx(): PORT_CMD_FIS_ON within 1000 ms. */
#define AHCI_TMO_FIS_RX		(1000 * NSEC_PER_MSEC)
/* libahci ahci_set_lpm(): 10 ms for the link to come out of a power state after ICC active. */
#define AHCI_TMO_LPM_WAKE	(10 * NSEC_PER_MSEC)
/* Serial ATA 2.6 (and libata sata_link_resume): hold COMRESET >= 1 ms; libata waits 1 ms then debounces. */
#define AHCI_TMO_COMRESET_HOLD	(1 * NSEC_PER_MSEC)
/* libata sata_deb_timing_normal: the link settles within 2 s after COMRESET (debounce deadline). */
#define AHCI_TMO_LINK		(2000 * NSEC_PER_MSEC)
/* Looks at PxCI before the first sleep at most (about ATA_POLL_SPIN_NS of MMIO reads at 200 ns). */
#define AHCI_SPIN_POLLS		256
/* libata ata_eh_reset_timeouts[0]: the first reset's deadline for the device to be ready. */
#define AHCI_TMO_READY		(10 * NSEC_PER_SEC)

struct ahci_io;

struct ahci_io_ops {
	const char *name;
	uint32_t (*rd)(struct ahci_io *io, uint32_t off);		/* ABAR + off */
	void (*wr)(struct ahci_io *io, uint32_t off, uint32_t val);
	/* The DMA memory: AHCI_DMA_LEN bytes; phys() of an offset is valid to the end of its page. */
	uint64_t (*phys)(struct ahci_io *io, uint32_t off);
	void (*get)(struct ahci_io *io, uint32_t off, void *buf, size_t len);
	void (*put)(struct ahci_io *io, uint32_t off, const void *buf, size_t len);
	void (*delay_ns)(struct ahci_io *io, uint64_t ns);
	uint64_t (*now_ns)(struct ahci_io *io);
	void (*close)(struct ahci_io *io);
};

struct ahci_io {
	const struct ahci_io_ops *ops;
	void *priv;
	int error;		/* sticky transport failure (-EIO: QEMU gone) */
	char errmsg[256];
};

struct ahci_port {
	struct ahci *hba;
	int no;
	int started;		/* command list running (PxCMD.ST set by us) */
	int ready;		/* command list and FIS area set up, FRE on: ST may go on */
	uint32_t clb, fb, ctba;	/* offsets in the DMA memory */
	volatile sig_atomic_t *stop;	/* the user's Ctrl-C ends waits with -EINTR */
};

struct ahci {
	struct ahci_io *io;
	uint32_t cap, pi, vs;
	int nports;		/* CAP.NP + 1 */
	struct ahci_port port[AHCI_MAX_PORTS];
};

/* One command on a port: the H2D Register FIS, an optional CDB, data. */
struct ahci_cmd {
	struct ata_tf tf;	/* Features..Device, Command */
	const uint8_t *cdb;	/* ATAPI PACKET: 12 or 16 bytes, else NULL */
	enum pt_dir dir;
	void *buf;
	size_t len;		/* <= AHCI_XFER_MAX */
	uint64_t timeout_ns;
	struct ata_tf res;	/* PxTFD Status/Error, the rest from the D2H FIS */
	size_t xfer;		/* PRDBC: bytes moved */
};

static inline uint32_t ahci_rd(struct ahci *a, uint32_t off)
{
	return a->io->ops->rd(a->io, off);
}

static inline void ahci_wr(struct ahci *a, uint32_t off, uint32_t v)
{
	a->io->ops->wr(a->io, off, v);
}

static inline uint32_t ahci_port_rd(struct ahci_port *p, uint32_t reg)
{
	return ahci_rd(p->hba, PORT_BASE + PORT_SIZE * (uint32_t)p->no + reg);
}

static inline void ahci_port_wr(struct ahci_port *p, uint32_t reg, uint32_t v)
{
	ahci_wr(p->hba, PORT_BASE + PORT_SIZE * (uint32_t)p->no + reg, v);
}

/* Read CAP/PI/VS and set GHC.AE (interrupts stay off). -ENODEV: not an AHCI HBA. */
int ahci_open(struct ahci *a, struct ahci_io *io);
/* Stop every port we started, then close io. */
void ahci_close(struct ahci *a);
int ahci_port_implemented(const struct ahci *a, int no);
/*
 * Idle the port (ST, FRE off), point it at its command list and FIS area,
 * clear PxSERR/PxIS, FRE on, and if a device is there with BSY/DRQ clear,
 * ST on. -ENODEV: no device on the link; -EBUSY: the device holds BSY or
 * DRQ (a dead drive): COMRESET may help, the port stays stopped.
 */
int ahci_port_start(struct ahci_port *p);
int ahci_port_stop(struct ahci_port *p);
/*
 * ahci_port_start for a device that holds BSY: the command list override
 * (PxCMD.CLO) clears PxTFD's BSY and DRQ so the next command FIS goes out
 * (AHCI 1.3.1 3.3.7; libahci ahci_kick_engine). -EOPNOTSUPP: the HBA has
 * no CAP.SCLO (QEMU's has none); -ENODEV: no link.
 */
int ahci_port_override(struct ahci_port *p);
/*
 * COMRESET (PxSCTL.DET 1 then 0) with the engine stopped; waits for the
 * link, then for the device's signature. -ENODEV: no link; -EBUSY: the
 * device still holds BSY after AHCI_TMO_READY.
 */
int ahci_comreset(struct ahci_port *p);
/*
 * Issue one command in slot 0 and wait for it. 0 done; -EIO the device set
 * ERR (TFES): the port was stopped, cleared and restarted (AHCI 1.3.1
 * 6.2.2.1) and c->res holds what the drive said; -ETIMEDOUT (the port is
 * restarted too), -EINVAL, -EINTR, or the transport's error. A device
 * that holds BSY after either leaves the port stopped; it starts again
 * with the next command once BSY is gone, else that is -ENOTCONN.
 */
int ahci_exec(struct ahci_port *p, struct ahci_cmd *c);

/* Link and device as the port registers show them, no command sent. */
struct ahci_link {
	uint32_t ssts, serr, sig, tfd, cmd;
	int det;		/* PxSSTS.DET */
	int gen;		/* PxSSTS.SPD: 1 1.5 Gbps, 2 3 Gbps, 3 6 Gbps, 0 none */
};
void ahci_link(struct ahci_port *p, struct ahci_link *l);
/* PxSIG as a taskfile (count, LBA low/mid/high) for ata_classify(). */
void ahci_sig_tf(uint32_t sig, struct ata_tf *tf);
const char *ahci_det_name(int det);

/* taskfile.h and pt.h on a port (no I/O until exec). */
extern const struct taskfile_ops taskfile_ahci_ops;
void taskfile_ahci_init(struct taskfile *t, struct ahci_port *p);
extern const struct pt_ops ahci_pt_ops;
void ahci_pt_init(struct pt *pt, struct ahci_port *p);

#endif
