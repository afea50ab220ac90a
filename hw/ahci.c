/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The AHCI port engine in user space, polled, one command slot: the
 * sequence of libahci (ahci_stop_engine, ahci_start_fis_rx,
 * ahci_start_engine, ahci_exec_polled_cmd) and QEMU's
 * tests/qtest/libqos/ahci.c, on the layouts of AHCI 1.3.1 section 4.
 * Interrupts stay off (GHC.IE and PxIE 0): nothing in user space takes them.
 */
#include <errno.h>
#include <string.h>

#include "hw/ahci.h"

#define CFIS_DWORDS	5	/* H2D Register FIS: 20 bytes */

static uint64_t now(struct ahci_port *p)
{
	return p->hba->io->ops->now_ns(p->hba->io);
}

static void delay(struct ahci_port *p, uint64_t ns)
{
	p->hba->io->ops->delay_ns(p->hba->io, ns);
}

static void put(struct ahci_port *p, uint32_t off, const void *buf, size_t len)
{
	p->hba->io->ops->put(p->hba->io, off, buf, len);
}

static void get(struct ahci_port *p, uint32_t off, void *buf, size_t len)
{
	p->hba->io->ops->get(p->hba->io, off, buf, len);
}

static uint64_t phys(struct ahci_port *p, uint32_t off)
{
	return p->hba->io->ops->phys(p->hba->io, off);
}

static void put_le32(uint8_t *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* Poll a port register until (v & mask) == val, sleeping as ata_wait() does. */
static int wait_reg(struct ahci_port *p, uint32_t reg, uint32_t mask, uint32_t val, uint64_t tmo,
		    uint32_t *out)
{
	struct ahci_io *io = p->hba->io;
	uint64_t t0 = now(p), nap = ATA_POLL_NAP_NS;
	uint32_t v;

	for (;;) {
		v = ahci_port_rd(p, reg);
		if (out)
			*out = v;
		if (io->error)
			return io->error;
		if ((v & mask) == val)
			return 0;
		if (p->stop && *p->stop)
			return -EINTR;
		if (now(p) - t0 >= tmo)
			return -ETIMEDOUT;
		delay(p, nap);
		nap = nap * 2 < ATA_POLL_SLEEP_NS ? nap * 2 : ATA_POLL_SLEEP_NS;
	}
}

int ahci_port_implemented(const struct ahci *a, int no)
{
	return no >= 0 && no < AHCI_MAX_PORTS && (a->pi >> no & 1);
}

int ahci_open(struct ahci *a, struct ahci_io *io)
{
	memset(a, 0, sizeof(*a));
	a->io = io;
	a->cap = ahci_rd(a, HOST_CAP);
	if (io->error)
		return io->error;
	if (a->cap == 0 || a->cap == 0xffffffffu)
		return -ENODEV;
	/* libahci ahci_enable_ahci(): AE first, before any other register is touched; IE stays off. */
	ahci_wr(a, HOST_CTL, HOST_CTL_AHCI_EN);
	a->pi = ahci_rd(a, HOST_PORTS_IMPL);
	a->vs = ahci_rd(a, HOST_VERSION);
	a->nports = (int)(a->cap & HOST_CAP_NP) + 1;
	for (int i = 0; i < AHCI_MAX_PORTS; i++) {
		struct ahci_port *p = &a->port[i];

		p->hba = a;
		p->no = i;
		p->clb = (uint32_t)i * AHCI_PAGE;	/* 1 KiB command list, 1 KiB aligned */
		p->fb = p->clb + 0x400;			/* 256-byte FIS area, 256 aligned */
		p->ctba = p->clb + 0x800;		/* slot 0's table, 128 aligned, PRDT at +0x80 */
	}
	return io->error;
}

/* libahci ahci_stop_engine() then ahci_stop_fis_rx(). */
int ahci_port_stop(struct ahci_port *p)
{
	uint32_t cmd = ahci_port_rd(p, PORT_CMD);
	int ret = 0;

	if (cmd & (PORT_CMD_START | PORT_CMD_LIST_ON)) {
		ahci_port_wr(p, PORT_CMD, cmd & ~PORT_CMD_START);
		ret = wait_reg(p, PORT_CMD, PORT_CMD_LIST_ON, 0, AHCI_TMO_ENGINE, NULL);
		cmd = ahci_port_rd(p, PORT_CMD);
	}
	if (!ret && (cmd & (PORT_CMD_FIS_RX | PORT_CMD_FIS_ON))) {
		ahci_port_wr(p, PORT_CMD, cmd & ~PORT_CMD_FIS_RX);
		ret = wait_reg(p, PORT_CMD, PORT_CMD_FIS_ON, 0, AHCI_TMO_FIS_RX, NULL);
	}
	p->started = 0;
	return ret;
}

/* PxCMD.CLO (CAP.SCLO): PxTFD's BSY and DRQ cleared, so a command goes out; libahci ahci_kick_engine(). */
static int clo(struct ahci_port *p)
{
	if (!(p->hba->cap & HOST_CAP_SCLO))
		return -EOPNOTSUPP;
	ahci_port_wr(p, PORT_CMD, ahci_port_rd(p, PORT_CMD) | PORT_CMD_CLO);
	return wait_reg(p, PORT_CMD, PORT_CMD_CLO, 0, AHCI_TMO_ENGINE, NULL);
}

/* ST on, once BSY and DRQ are clear (AHCI 1.3.1 10.3.1: software must not set ST otherwise). */
static int engine_on(struct ahci_port *p, uint64_t tmo)
{
	uint32_t tfd;
	int ret = wait_reg(p, PORT_TFDATA, ATA_BUSY | ATA_DRQ, 0, tmo, &tfd);

	if (ret == -ETIMEDOUT)
		return -EBUSY;
	if (ret)
		return ret;
	ahci_port_wr(p, PORT_CMD, ahci_port_rd(p, PORT_CMD) | PORT_CMD_START);
	p->started = 1;
	return p->hba->io->error;
}

/*
 * No link power management, as libahci's ahci_set_lpm(ATA_LPM_MAX_POWER):
 * ALPE and ASP off, the link woken (ICC active, 10 ms), and PxSCTL.IPM
 * forbidding partial and slumber (sata_link_scr_lpm). A power state
 * change drops PhyRdy, which ahci_exec takes for a pulled cable; the
 * kernel that had the port may have left it on (med_power_with_dipm).
 */
static void lpm_off(struct ahci_port *p)
{
	uint32_t cmd = ahci_port_rd(p, PORT_CMD), sctl;

	if ((p->hba->cap & HOST_CAP_ALPM) && (cmd & (PORT_CMD_ALPE | PORT_CMD_ASP))) {
		cmd = (cmd & ~(PORT_CMD_ALPE | PORT_CMD_ASP | PORT_CMD_ICC_MASK)) | PORT_CMD_ICC_ACTIVE;
		ahci_port_wr(p, PORT_CMD, cmd);
		(void)ahci_port_rd(p, PORT_CMD);
		delay(p, AHCI_TMO_LPM_WAKE);
	}
	sctl = ahci_port_rd(p, PORT_SCR_CTL);
	if ((sctl & SSTS_DET_MASK) == 0 && (sctl & SCTL_IPM_NONE) != SCTL_IPM_NONE)
		ahci_port_wr(p, PORT_SCR_CTL, sctl | SCTL_IPM_NONE);	/* DET 0: no reset */
}

/* Idle the port, point it at its command list and FIS area, clear PxSERR/PxIS, FRE on; -ENODEV: no link. */
static int setup(struct ahci_port *p)
{
	struct ahci *a = p->hba;
	uint8_t zero[0x400] = { 0 };
	uint64_t clb = phys(p, p->clb), fb = phys(p, p->fb);
	uint32_t cmd;
	int ret;

	if (!ahci_port_implemented(a, p->no))
		return -ENODEV;
	if (!(a->cap & HOST_CAP_64) && ((clb | fb | phys(p, p->ctba) | phys(p, AHCI_DATA_OFF)) >> 32))
		return -ENOMEM;	/* pages above 4 GiB for a 32-bit HBA; the io layer should not give them */
	p->ready = 0;
	ret = ahci_port_stop(p);
	if (ret)
		return ret;
	put(p, p->clb, zero, sizeof(zero));
	put(p, p->fb, zero, AHCI_RX_FIS_SZ);
	ahci_port_wr(p, PORT_LST_ADDR, (uint32_t)clb);
	ahci_port_wr(p, PORT_LST_ADDR_HI, (uint32_t)(clb >> 32));
	ahci_port_wr(p, PORT_FIS_ADDR, (uint32_t)fb);
	ahci_port_wr(p, PORT_FIS_ADDR_HI, (uint32_t)(fb >> 32));
	ahci_port_wr(p, PORT_IRQ_MASK, 0);
	lpm_off(p);
	ahci_port_wr(p, PORT_SCR_ERR, 0xffffffffu);
	ahci_port_wr(p, PORT_IRQ_STAT, 0xffffffffu);
	cmd = ahci_port_rd(p, PORT_CMD);
	if (a->cap & HOST_CAP_SSS)
		cmd |= PORT_CMD_SPIN_UP | PORT_CMD_POWER_ON;
	ahci_port_wr(p, PORT_CMD, cmd | PORT_CMD_FIS_RX);
	if ((ahci_port_rd(p, PORT_SCR_STAT) & SSTS_DET_MASK) != SSTS_DET_PRESENT)
		return a->io->error ? a->io->error : -ENODEV;
	p->ready = !a->io->error;
	return a->io->error;
}

int ahci_port_start(struct ahci_port *p)
{
	int ret = setup(p);

	return ret ? ret : engine_on(p, ATA_TMO_IDLE);
}

int ahci_port_override(struct ahci_port *p)
{
	int ret;

	if (!(p->hba->cap & HOST_CAP_SCLO))
		return -EOPNOTSUPP;
	ret = setup(p);
	if (!ret)
		ret = clo(p);
	return ret ? ret : engine_on(p, ATA_TMO_IDLE);
}

int ahci_comreset(struct ahci_port *p)
{
	uint32_t sctl;
	int ret = ahci_port_stop(p);

	if (ret)
		return ret;
	/* libata sata_link_hardreset(): DET=1 (keep SPD/IPM), hold 1 ms, DET=0, wait for the phy. */
	sctl = ahci_port_rd(p, PORT_SCR_CTL);
	ahci_port_wr(p, PORT_SCR_CTL, (sctl & ~0xfu) | 0x1);
	delay(p, AHCI_TMO_COMRESET_HOLD);
	ahci_port_wr(p, PORT_SCR_CTL, sctl & ~0xfu);
	ret = wait_reg(p, PORT_SCR_STAT, SSTS_DET_MASK, SSTS_DET_PRESENT, AHCI_TMO_LINK, NULL);
	if (ret)
		return ret == -ETIMEDOUT ? -ENODEV : ret;
	/* The device's first D2H FIS (its signature) clears PxTFD's BSY, as ahci_hardreset waits for. */
	ret = wait_reg(p, PORT_TFDATA, ATA_BUSY, 0, AHCI_TMO_READY, NULL);
	/* The link went down and up: DIAG.N/X (and PxIS.PRCS/PCS) cleared, as ata_std_postreset does. */
	ahci_port_wr(p, PORT_SCR_ERR, 0xffffffffu);
	return ret == -ETIMEDOUT ? -EBUSY : ret;
}


/*
 * After TFES or a timeout (AHCI 1.3.1 6.2.2.1): ST off, wait for the
 * engine, clear PxSERR and PxIS, ST on again once BSY and DRQ are clear.
 * A device that still holds them (it restarted: a power cut) leaves the
 * port stopped (-EBUSY): no command goes past its BSY but the intro, on
 * purpose (ahci_port_override).
 */
static int recover(struct ahci_port *p)
{
	int ret = ahci_port_stop(p);

	if (ret)
		return ret;
	ahci_port_wr(p, PORT_SCR_ERR, 0xffffffffu);
	ahci_port_wr(p, PORT_IRQ_STAT, 0xffffffffu);
	ahci_port_wr(p, PORT_CMD, ahci_port_rd(p, PORT_CMD) | PORT_CMD_FIS_RX);
	return engine_on(p, ATA_TMO_IDLE);
}

/*
 * The link went down (a pulled cable, the drive's power) or down and up
 * (the drive restarted) under a command: what the drive did with it is
 * unknown, and what it held (vendor mode) is gone. The port is restarted
 * as after an error; with no link it stays down (-ENOTCONN) until set up
 * again. -ENODEV either way.
 */
static int link_lost(struct ahci_port *p)
{
	int ret = recover(p);

	if ((ahci_port_rd(p, PORT_SCR_STAT) & SSTS_DET_MASK) != SSTS_DET_PRESENT) {
		ahci_port_stop(p);
		p->ready = 0;
	}
	return p->hba->io->error ? p->hba->io->error : ret && ret != -EBUSY ? ret : -ENODEV;
}

/* H2D Register FIS (Serial ATA 2.6 10.3.4), CDB and PRDT into slot 0's table. */
static unsigned build_table(struct ahci_port *p, const struct ahci_cmd *c)
{
	uint8_t t[AHCI_CMD_TBL_HDR_SZ + AHCI_DATA_PAGES * AHCI_PRD_SZ] = { 0 };
	unsigned nprd = 0;

	t[0] = FIS_TYPE_REG_H2D;
	t[1] = FIS_REG_H2D_C;
	t[2] = c->tf.command;
	t[3] = c->tf.feature;
	t[4] = c->tf.lbal;
	t[5] = c->tf.lbam;
	t[6] = c->tf.lbah;
	t[7] = c->tf.device;
	t[12] = c->tf.nsect;
	if (c->cdb)
		memcpy(t + AHCI_CMD_TBL_CDB, c->cdb, 16);
	for (size_t off = 0; off < c->len; off += AHCI_PAGE, nprd++) {
		uint8_t *prd = t + AHCI_CMD_TBL_HDR_SZ + nprd * AHCI_PRD_SZ;
		uint64_t a = phys(p, AHCI_DATA_OFF + (uint32_t)off);
		size_t n = c->len - off < AHCI_PAGE ? c->len - off : AHCI_PAGE;

		put_le32(prd, (uint32_t)a);
		put_le32(prd + 4, (uint32_t)(a >> 32));
		put_le32(prd + 12, (uint32_t)(((n + 1) & ~(size_t)1) - 1));	/* DBC: bytes - 1, even count */
	}
	put(p, p->ctba, t, AHCI_CMD_TBL_HDR_SZ + nprd * AHCI_PRD_SZ);
	return nprd;
}

static void read_result(struct ahci_port *p, struct ahci_cmd *c)
{
	uint8_t fis[20], hdr[8];
	uint32_t tfd = ahci_port_rd(p, PORT_TFDATA);

	get(p, p->fb + AHCI_RX_FIS_D2H_REG, fis, sizeof(fis));
	memset(&c->res, 0, sizeof(c->res));
	if (fis[0] == FIS_TYPE_REG_D2H) {
		c->res.lbal = fis[4];
		c->res.lbam = fis[5];
		c->res.lbah = fis[6];
		c->res.device = fis[7];
		c->res.nsect = fis[12];
	}
	/* PxTFD is the shadow Status and Error, whichever FIS set them last (AHCI 1.3.1 3.3.8). */
	c->res.command = (uint8_t)tfd;
	c->res.feature = (uint8_t)(tfd >> 8);
	c->res.altstatus = c->res.command;
	get(p, p->clb, hdr, sizeof(hdr));
	c->xfer = get_le32(hdr + 4);
	if (c->xfer > c->len)
		c->xfer = c->len;
}

int ahci_exec(struct ahci_port *p, struct ahci_cmd *c)
{
	struct ahci_io *io = p->hba->io;
	uint64_t tmo = c->timeout_ns ? c->timeout_ns : ATA_TMO_DATA;
	uint8_t hdr[16] = { 0 };
	uint64_t ct = phys(p, p->ctba);
	uint32_t is;
	unsigned nprd;
	int ret;

	c->xfer = 0;
	memset(&c->res, 0, sizeof(c->res));
	if (c->len > AHCI_XFER_MAX || (c->dir != PT_NONE && (!c->buf || !c->len)))
		return -EINVAL;
	if (c->dir == PT_NONE)
		c->len = 0;
	/* Stopped after an error while the device held BSY: started again once it has left BSY. */
	if (!p->started && (!p->ready || engine_on(p, ATA_TMO_IDLE)))
		return -ENOTCONN;
	if (c->dir == PT_OUT)
		put(p, AHCI_DATA_OFF, c->buf, c->len);
	nprd = build_table(p, c);
	put_le32(hdr, CFIS_DWORDS | (c->cdb ? AHCI_CMD_ATAPI : 0) | (c->dir == PT_OUT ? AHCI_CMD_WRITE : 0) |
		 (uint32_t)nprd << 16);
	put_le32(hdr + 8, (uint32_t)ct);
	put_le32(hdr + 12, (uint32_t)(ct >> 32));
	put(p, p->clb, hdr, sizeof(hdr));
	ahci_port_wr(p, PORT_IRQ_STAT, 0xffffffffu);
	ahci_port_wr(p, PORT_CMD_ISSUE, 1);

	/*
	 * Done when PxCI clears; an error (TFES) leaves the slot set until the
	 * port restarts. Polled without sleeping for ATA_POLL_SPIN_NS first, as
	 * ata_wait() does (a vendor byte takes microseconds: a 50 us sleep
	 * after the first look would be most of its cost); AHCI_SPIN_POLLS
	 * bounds it where the clock stands still between two reads.
	 */
	for (uint64_t t0 = now(p), nap = ATA_POLL_NAP_NS, polls = 0;; polls++) {
		is = ahci_port_rd(p, PORT_IRQ_STAT);
		if (io->error)
			return io->error;
		if (is & (PORT_IRQ_FATAL | PORT_IRQ_LINK))
			break;
		if (!(ahci_port_rd(p, PORT_CMD_ISSUE) & 1))
			break;
		if (p->stop && *p->stop) {
			recover(p);
			return -EINTR;
		}
		if (now(p) - t0 >= tmo) {
			read_result(p, c);
			recover(p);
			return -ETIMEDOUT;
		}
		if (polls >= AHCI_SPIN_POLLS || now(p) - t0 >= ATA_POLL_SPIN_NS) {
			delay(p, nap);
			nap = nap * 2 < ATA_POLL_SLEEP_NS ? nap * 2 : ATA_POLL_SLEEP_NS;
		}
	}
	read_result(p, c);
	if (c->dir == PT_IN && c->xfer)
		get(p, AHCI_DATA_OFF, c->buf, c->xfer);
	if (is & PORT_IRQ_LINK)
		return link_lost(p);
	if (!(is & PORT_IRQ_FATAL))
		return io->error;
	ret = recover(p);
	if (!(is & PORT_IRQ_TF_ERR))
		return ret ? ret : -EPROTO;	/* host bus or interface error: not the device's answer */
	return ret && ret != -EBUSY ? ret : -EIO;
}

void ahci_link(struct ahci_port *p, struct ahci_link *l)
{
	l->ssts = ahci_port_rd(p, PORT_SCR_STAT);
	l->serr = ahci_port_rd(p, PORT_SCR_ERR);
	l->sig = ahci_port_rd(p, PORT_SIG);
	l->tfd = ahci_port_rd(p, PORT_TFDATA);
	l->cmd = ahci_port_rd(p, PORT_CMD);
	l->det = (int)(l->ssts & SSTS_DET_MASK);
	l->gen = (int)(l->ssts >> 4 & 0xf);
}

/* PxSIG: Count in 7:0, LBA Low 15:8, LBA Mid 23:16, LBA High 31:24 (AHCI 1.3.1 3.3.9). */
void ahci_sig_tf(uint32_t sig, struct ata_tf *tf)
{
	memset(tf, 0, sizeof(*tf));
	tf->nsect = (uint8_t)sig;
	tf->lbal = (uint8_t)(sig >> 8);
	tf->lbam = (uint8_t)(sig >> 16);
	tf->lbah = (uint8_t)(sig >> 24);
}

const char *ahci_det_name(int det)
{
	switch (det) {
	case SSTS_DET_NONE: return "no device";
	case SSTS_DET_NOPHY: return "device, no link";
	case SSTS_DET_PRESENT: return "link up";
	case SSTS_DET_OFFLINE: return "offline";
	}
	return "unknown";
}

void ahci_close(struct ahci *a)
{
	if (!a->io)
		return;
	for (int i = 0; i < AHCI_MAX_PORTS; i++)
		if (a->port[i].started)
			ahci_port_stop(&a->port[i]);
	if (a->io->ops->close)
		a->io->ops->close(a->io);
	a->io = NULL;
}
