/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A modelled AHCI HBA in front of the simulated drives (ahci_io "sim"):
 * port N is simulator position N + 1. Registers and memory layouts follow
 * AHCI 1.3.1 (3.1, 3.3, 4.2); the link side follows a SATA bridge to a
 * parallel device (Serial ATA 2.6 10.3.4/10.3.5): a Register H2D FIS with
 * C set becomes the register writes Features..Device then Command; the
 * PIO data phases move through the data port into the PRDT's buffers;
 * when the device leaves BSY without DRQ its taskfile becomes a D2H FIS
 * at FB+40h and PxTFD, and ERR in it sets PxIS.TFES and leaves the slot
 * issued until software restarts the port (6.2.2.1). A device that
 * comes, goes or powers off, or loses its cable, sets PxSERR.DIAG.X/N
 * (PxIS.PCS/PRCS reflect them) and sends no more of the command list
 * until ST is cleared (a host restarts the port first: libahci freezes
 * it on either bit); after COMINIT or COMRESET PxTFD shows BSY and PxSIG
 * FFFFFFFFh until the device's first D2H FIS (3.3.8, 3.3.9). The HBA
 * sends no command FIS while PxTFD has BSY or DRQ (5.3.2, P:Idle);
 * PxCMD.CLO clears them (CAP.SCLO, 3.3.7). The device works while the
 * host polls: its answer is looked for at each register read. Time is
 * the simulator's clock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ahci_io.h"
#include "hw/sim/sim.h"

#define SIM_HBA_PORTS	4
#define SIM_HBA_BASE	0x100000u	/* bus address of the DMA memory's first byte */
#define SIM_HBA_CAP	(HOST_CAP_64 | HOST_CAP_SCLO | 31u << HOST_CAP_NCS_SHIFT | (SIM_HBA_PORTS - 1))
#define SIM_HBA_VS	0x00010301u	/* AHCI 1.3.1 */

struct sim_port {
	uint32_t clb, fb, is, ie, cmd, tfd, sig, sctl, serr, ci;
	int present;		/* the link as last seen: device there and powered */
	unsigned gen;		/* its power_gen then: a power cycle between two looks is COMINIT too */
	int sig_due;		/* COMINIT or COMRESET seen: the next D2H FIS sets PxSIG */
	int past_bsy;		/* CLO cleared a BSY the device still holds: the next command goes past it */
	int halted;		/* the link changed: the command list waits for software to clear ST */
	/* slot 0's command FIS went to the device; it answers when it leaves BSY */
	int running, atapi, cdb_sent;
	uint32_t dw0, ct;
	unsigned nprd;
	size_t done;
};

struct sim_hba {
	struct bus bus;
	uint32_t cap;
	int lpm;		/* ports start with ALPE and ASP on, IPM unrestricted */
	uint32_t ghc;
	struct sim_port p[SIM_HBA_PORTS];
	uint8_t mem[AHCI_DMA_LEN];
};

static struct sim_hba *H(struct ahci_io *io)
{
	return io->priv;
}

static uint16_t cmdbase(int port)
{
	return port < 2 ? ATA_PRIMARY_CMD : ATA_SECONDARY_CMD;
}

static int dev_present(struct sim_hba *h, int port)
{
	struct sim_dev *d = sim_dev_at(sim_from_bus(&h->bus), port + 1);

	return d && d->kind != SIM_NONE && !d->powered_off && !d->cable_out;
}

/* The link follows the device: plug, unplug and power are COMINIT/exchanged events. */
static void link_update(struct sim_hba *h, int port)
{
	struct sim_port *p = &h->p[port];
	unsigned gen;
	int now;

	sim_tick(sim_from_bus(&h->bus));	/* a plug or power event due by now happens first */
	now = dev_present(h, port);
	gen = now ? sim_dev_at(sim_from_bus(&h->bus), port + 1)->power_gen : 0;
	if (now == p->present && gen == p->gen)
		return;
	p->present = now;
	p->gen = gen;
	p->serr |= SERR_DIAG_X | SERR_DIAG_N;	/* PxIS.PCS and PRCS with them (port_rd) */
	p->running = 0;		/* a command the link lost stays issued, unanswered */
	p->halted = 1;
	p->past_bsy = 0;
	p->sig = 0xffffffffu;
	p->tfd = now ? ATA_BUSY : 0x7f;
	p->sig_due = now;
}

static uint8_t reg(struct sim_hba *h, int port, unsigned r)
{
	return bus_inb(&h->bus, (uint16_t)(cmdbase(port) + r));
}

static void set_reg(struct sim_hba *h, int port, unsigned r, uint8_t v)
{
	bus_outb(&h->bus, (uint16_t)(cmdbase(port) + r), v);
}

static void select_dev(struct sim_hba *h, int port)
{
	set_reg(h, port, ATA_REG_DEVICE, (uint8_t)(ATA_DEVICE_OBS | (port & 1 ? ATA_DEV1 : 0)));
}

/*
 * The device's registers as a D2H FIS at FB+40h, Status and Error into
 * PxTFD. The first after a reset is its signature (Serial ATA 2.6 11.2):
 * PxSIG; a drive in vendor mode sent its packet signature then (ATA8-ACS
 * 9.12), whatever its registers hold now.
 */
static void d2h(struct sim_hba *h, int port)
{
	struct sim_port *p = &h->p[port];
	uint8_t fis[20] = { FIS_TYPE_REG_D2H, 0x40 };

	fis[3] = reg(h, port, ATA_REG_ERR);
	fis[4] = reg(h, port, ATA_REG_LBAL);
	fis[5] = reg(h, port, ATA_REG_LBAM);
	fis[6] = reg(h, port, ATA_REG_LBAH);
	fis[7] = reg(h, port, ATA_REG_DEVICE);
	fis[12] = reg(h, port, ATA_REG_NSECT);
	fis[2] = reg(h, port, ATA_REG_STATUS);
	p->tfd = (uint32_t)fis[3] << 8 | fis[2];
	p->past_bsy = 0;
	if (p->sig_due) {
		p->sig_due = 0;
		p->sig = sim_dev_at(sim_from_bus(&h->bus), port + 1)->vendor_mode ? 0xeb140101u :
			 fis[12] | (uint32_t)fis[4] << 8 | (uint32_t)fis[5] << 16 | (uint32_t)fis[6] << 24;
	}
	if ((p->cmd & PORT_CMD_FIS_RX) && p->fb - SIM_HBA_BASE + sizeof(fis) <= AHCI_DMA_LEN)
		memcpy(h->mem + AHCI_RX_FIS_D2H_REG + (p->fb - SIM_HBA_BASE), fis, sizeof(fis));
	p->is |= PORT_IRQ_D2H_REG_FIS;
	if (fis[2] & ATA_ERR)
		p->is |= PORT_IRQ_TF_ERR;
}

static uint8_t altstatus(struct sim_hba *h, int port)
{
	return bus_inb(&h->bus, (uint16_t)(port < 2 ? ATA_PRIMARY_CTL : ATA_SECONDARY_CTL));
}

/* Byte off of the PRDT's buffers: its place in mem, and how many bytes follow there (0: outside). */
static uint8_t *prd_at(struct sim_hba *h, uint32_t ct, unsigned nprd, size_t off, size_t *room)
{
	for (unsigned i = 0; i < nprd; i++) {
		const uint8_t *e = h->mem + ct + AHCI_CMD_TBL_HDR_SZ + i * AHCI_PRD_SZ;
		uint32_t dba = (uint32_t)(e[0] | e[1] << 8 | e[2] << 16 | (uint32_t)e[3] << 24);
		size_t dbc = ((size_t)(e[12] | e[13] << 8 | (e[14] & 0x3f) << 16)) + 1;

		if (off < dbc) {
			if (dba < SIM_HBA_BASE || dba - SIM_HBA_BASE + dbc > AHCI_DMA_LEN)
				return NULL;
			*room = dbc - off;
			return h->mem + (dba - SIM_HBA_BASE) + off;
		}
		off -= dbc;
	}
	return NULL;
}

/* One DRQ block of n bytes between the data port and the PRDT; 0, or -EFAULT past the PRDT. */
static int pio_block(struct sim_hba *h, int port, uint32_t ct, unsigned nprd, size_t *done, size_t n, int in)
{
	uint16_t data = (uint16_t)cmdbase(port);

	for (size_t i = 0; i < n; i += 2) {
		size_t room;
		uint8_t *b = prd_at(h, ct, nprd, *done, &room);
		uint16_t w;

		if (!b || room < 2)
			return -EFAULT;
		if (in) {
			w = bus_inw(&h->bus, data);
			b[0] = (uint8_t)w;
			b[1] = (uint8_t)(w >> 8);
		} else {
			bus_outw(&h->bus, data, (uint16_t)(b[0] | b[1] << 8));
		}
		*done += 2;
	}
	return 0;
}

/* Slot 0's command FIS to the device: the shadow registers, then Command (Serial ATA 2.6 10.3.4). */
static void issue(struct sim_hba *h, int port)
{
	struct sim_port *p = &h->p[port];
	struct sim *s = sim_from_bus(&h->bus);
	const uint8_t *hdr, *cfis;

	if (p->clb - SIM_HBA_BASE + AHCI_CMD_SLOT_SZ > AHCI_DMA_LEN)
		return;
	hdr = h->mem + (p->clb - SIM_HBA_BASE);
	p->dw0 = (uint32_t)(hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24);
	p->ct = (uint32_t)(hdr[8] | hdr[9] << 8 | hdr[10] << 16 | (uint32_t)hdr[11] << 24) - SIM_HBA_BASE;
	p->nprd = p->dw0 >> 16;
	p->atapi = !!(p->dw0 & AHCI_CMD_ATAPI);
	if (p->ct + AHCI_CMD_TBL_HDR_SZ + p->nprd * AHCI_PRD_SZ > AHCI_DMA_LEN)
		return;
	cfis = h->mem + p->ct;
	if (cfis[0] != FIS_TYPE_REG_H2D || !(cfis[1] & FIS_REG_H2D_C))
		return;
	/* Past a BSY device (CLO) only the intro has a reason to go: the IDE tools wrote it into a hung drive. */
	if (p->past_bsy && !(cfis[2] == 0x80 && cfis[4] == 0x2a))
		sim_violation(s, "command FIS %02Xh sent past BSY (PxCMD.CLO) to port %d", cfis[2], port);
	p->past_bsy = 0;
	select_dev(h, port);
	s->fis_delivery = 1;
	set_reg(h, port, ATA_REG_FEATURE, cfis[3]);
	set_reg(h, port, ATA_REG_NSECT, cfis[12]);
	set_reg(h, port, ATA_REG_LBAL, cfis[4]);
	set_reg(h, port, ATA_REG_LBAM, cfis[5]);
	set_reg(h, port, ATA_REG_LBAH, cfis[6]);
	set_reg(h, port, ATA_REG_DEVICE, (uint8_t)((cfis[7] & ~ATA_DEV1) | (port & 1 ? ATA_DEV1 : 0)));
	set_reg(h, port, ATA_REG_CMD, cfis[2]);
	s->fis_delivery = 0;
	p->tfd = ATA_BUSY;
	p->running = 1;
	p->cdb_sent = 0;
	p->done = 0;
}

/* The running command as far as the device has got: data phases, then its D2H FIS. */
static void step(struct sim_hba *h, int port)
{
	struct sim_port *p = &h->p[port];
	const uint8_t *cfis = h->mem + p->ct;

	for (;;) {
		uint8_t st = altstatus(h, port);

		if (st & ATA_BUSY)
			return;		/* not yet (or never: the slot stays issued, PxTFD BSY) */
		if (!(st & ATA_DRQ) || (st & ATA_ERR))
			break;
		if (p->atapi && !p->cdb_sent) {
			for (int i = 0; i < 12; i += 2)
				bus_outw(&h->bus, cmdbase(port), (uint16_t)(cfis[AHCI_CMD_TBL_CDB + i] |
									   cfis[AHCI_CMD_TBL_CDB + i + 1] << 8));
			p->cdb_sent = 1;
			continue;
		}
		{
			size_t n = p->atapi ? (size_t)(reg(h, port, ATA_REG_BYTEL) | reg(h, port, ATA_REG_BYTEH) << 8)
					    : 512;
			int in = p->atapi ? !!(reg(h, port, ATA_REG_IRR) & ATAPI_IO) : !(p->dw0 & AHCI_CMD_WRITE);

			if (!n || pio_block(h, port, p->ct, p->nprd, &p->done, n, in)) {
				p->is |= PORT_IRQ_HBUS_DATA_ERR;	/* more data than the PRDT holds */
				p->running = 0;
				return;
			}
		}
	}
	p->running = 0;
	for (int i = 0; i < 4; i++)	/* PRDBC: bytes moved, little endian */
		h->mem[(p->clb - SIM_HBA_BASE) + 4 + (uint32_t)i] = (uint8_t)(p->done >> (8 * i));
	d2h(h, port);
	if (!(p->is & PORT_IRQ_TF_ERR))
		p->ci &= ~1u;
}

/*
 * What the link brought since the host last looked: the signature FIS of
 * a device that left BSY after its reset, the running command's progress,
 * an issued one the HBA may now send.
 */
static void advance(struct sim_hba *h, int port)
{
	struct sim_port *p = &h->p[port];

	link_update(h, port);
	if (!p->present)
		return;
	if (p->running) {
		step(h, port);
	} else if (p->sig_due || (p->tfd & ATA_BUSY)) {
		/* its signature, or the end of a command the host stopped waiting for: FRE takes it */
		select_dev(h, port);
		if (!(altstatus(h, port) & ATA_BUSY))
			d2h(h, port);
	}
	if (!p->running && (p->ci & 1) && (p->cmd & PORT_CMD_START) && !(p->tfd & (ATA_BUSY | ATA_DRQ)) &&
	    !(p->is & PORT_IRQ_FATAL) && !p->halted) {
		issue(h, port);
		if (p->running)
			step(h, port);
	}
}

static uint32_t port_rd(struct sim_hba *h, int port, uint32_t r)
{
	struct sim_port *p = &h->p[port];

	advance(h, port);
	switch (r) {
	case PORT_LST_ADDR: return p->clb;
	case PORT_FIS_ADDR: return p->fb;
	/* PCS and PRCS reflect PxSERR.DIAG.X and .N (AHCI 1.3.1 3.3.5): cleared there, as libahci does */
	case PORT_IRQ_STAT: return p->is | (p->serr & SERR_DIAG_X ? PORT_IRQ_CONNECT : 0) |
				   (p->serr & SERR_DIAG_N ? PORT_IRQ_PHYRDY : 0);
	case PORT_IRQ_MASK: return p->ie;
	case PORT_CMD: return p->cmd;
	case PORT_TFDATA: return p->tfd;
	case PORT_SIG: return p->sig;
	case PORT_SCR_STAT: return p->present ? 0x113u : 0;	/* DET 3, Gen1, IPM active */
	case PORT_SCR_CTL: return p->sctl;
	case PORT_SCR_ERR: return p->serr;
	case PORT_CMD_ISSUE: return p->ci;
	}
	return 0;
}

static void port_wr(struct sim_hba *h, int port, uint32_t r, uint32_t v)
{
	struct sim_port *p = &h->p[port];

	switch (r) {
	case PORT_LST_ADDR: p->clb = v & ~0x3ffu; break;
	case PORT_FIS_ADDR: p->fb = v & ~0xffu; break;
	case PORT_IRQ_STAT: p->is &= ~v; break;
	case PORT_IRQ_MASK: p->ie = v; break;
	case PORT_SCR_ERR: p->serr &= ~v; break;
	case PORT_SCR_CTL:
		/* COMRESET ends when DET goes from 1 to 0: the device resets, its signature follows. */
		if ((p->sctl & 0xf) == 1 && (v & 0xf) == 0 && dev_present(h, port)) {
			uint16_t ctl = port < 2 ? ATA_PRIMARY_CTL : ATA_SECONDARY_CTL;

			select_dev(h, port);
			bus_outb(&h->bus, ctl, ATA_DEVCTL_OBS | ATA_NIEN | ATA_SRST);
			bus_delay_ns(&h->bus, 20000);
			bus_outb(&h->bus, ctl, ATA_DEVCTL_OBS | ATA_NIEN);
			p->running = 0;
			p->sig = 0xffffffffu;
			p->tfd = ATA_BUSY;
			p->sig_due = 1;
			p->serr |= SERR_DIAG_X | SERR_DIAG_N;	/* the link went down and up */
		}
		p->sctl = v;
		break;
	case PORT_CMD:
		p->cmd = (v & ~(PORT_CMD_FIS_ON | PORT_CMD_LIST_ON | PORT_CMD_CLO | PORT_CMD_ICC_MASK)) |
			 (v & PORT_CMD_FIS_RX ? PORT_CMD_FIS_ON : 0) | (v & PORT_CMD_START ? PORT_CMD_LIST_ON : 0);
		if (!(v & PORT_CMD_START)) {
			p->ci = 0;	/* ST cleared: PxCI cleared (AHCI 1.3.1 3.3.14) */
			p->running = 0;
			p->halted = 0;
		}
		if (v & PORT_CMD_CLO) {
			p->past_bsy = !!(p->tfd & (ATA_BUSY | ATA_DRQ));
			p->tfd &= ~(uint32_t)(ATA_BUSY | ATA_DRQ);
		}
		break;
	case PORT_CMD_ISSUE:
		if (!(p->cmd & PORT_CMD_START))
			break;
		/* ALPM: the idle link was in partial or slumber, PhyRdy down (why libahci ignores PRCS under LPM) */
		if ((p->cmd & PORT_CMD_ALPE) && (p->sctl & SCTL_IPM_NONE) != SCTL_IPM_NONE && p->present)
			p->serr |= SERR_DIAG_N;
		p->ci |= v & 1;
		advance(h, port);
		break;
	}
}

static uint32_t sh_rd(struct ahci_io *io, uint32_t off)
{
	struct sim_hba *h = H(io);

	if (off >= PORT_BASE && off < PORT_BASE + SIM_HBA_PORTS * PORT_SIZE)
		return port_rd(h, (int)((off - PORT_BASE) / PORT_SIZE), (off - PORT_BASE) % PORT_SIZE);
	switch (off) {
	case HOST_CAP: return h->cap;
	case HOST_CTL: return h->ghc;
	case HOST_PORTS_IMPL: return (1u << SIM_HBA_PORTS) - 1;
	case HOST_VERSION: return SIM_HBA_VS;
	}
	return 0;
}

static void sh_wr(struct ahci_io *io, uint32_t off, uint32_t v)
{
	struct sim_hba *h = H(io);

	if (off >= PORT_BASE && off < PORT_BASE + SIM_HBA_PORTS * PORT_SIZE)
		port_wr(h, (int)((off - PORT_BASE) / PORT_SIZE), (off - PORT_BASE) % PORT_SIZE, v);
	else if (off == HOST_CTL)
		h->ghc = (v & HOST_CTL_IRQ_EN) | HOST_CTL_AHCI_EN;
}

static uint64_t sh_phys(struct ahci_io *io, uint32_t off)
{
	(void)io;
	return SIM_HBA_BASE + (uint64_t)off;
}

static void sh_get(struct ahci_io *io, uint32_t off, void *buf, size_t len)
{
	memcpy(buf, H(io)->mem + off, len);
}

static void sh_put(struct ahci_io *io, uint32_t off, const void *buf, size_t len)
{
	memcpy(H(io)->mem + off, buf, len);
}

static void sh_delay(struct ahci_io *io, uint64_t ns)
{
	bus_delay_ns(&H(io)->bus, ns);
}

static uint64_t sh_now(struct ahci_io *io)
{
	return bus_now_ns(&H(io)->bus);
}

static void sh_close(struct ahci_io *io)
{
	struct sim_hba *h = io->priv;

	if (!h)
		return;
	bus_close(&h->bus);
	free(h);
	io->priv = NULL;
}

static const struct ahci_io_ops ahci_sim_ops = {
	.name = "sim",
	.rd = sh_rd,
	.wr = sh_wr,
	.phys = sh_phys,
	.get = sh_get,
	.put = sh_put,
	.delay_ns = sh_delay,
	.now_ns = sh_now,
	.close = sh_close,
};

/* Take the HBA's own NAME=0|1 out of spec (the rest is the simulator's): 0 or 1, -1 if absent. */
static int take_bool(char *spec, const char *name)
{
	size_t n = strlen(name);
	char *k;
	int v;

	for (k = strstr(spec, name); k; k = strstr(k + 1, name))
		if (k > spec && strchr(":,+", k[-1]) && k[n] == '=' && (k[n + 1] == '0' || k[n + 1] == '1') &&
		    (!k[n + 2] || k[n + 2] == ',' || k[n + 2] == '+'))
			break;
	if (!k)
		return -1;
	v = k[n + 1] - '0';
	if (k[-1] == ':' && k[n + 2])
		memmove(k, k + n + 3, strlen(k + n + 3) + 1);		/* "sim:sclo=0,x" -> "sim:x" */
	else
		memmove(k - 1, k + n + 2, strlen(k + n + 2) + 1);	/* with the separator before it */
	return v;
}

int ahci_sim_open(struct ahci_io *io, const char *sim_spec)
{
	static const struct ata_chan chans[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL }, { ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};
	struct sim_hba *h = calloc(1, sizeof(*h));
	char spec[512];
	int ret;

	memset(io, 0, sizeof(*io));
	if (!h)
		return -ENOMEM;
	h->cap = SIM_HBA_CAP;
	snprintf(spec, sizeof(spec), "%s", sim_spec);
	/* sclo=0: an HBA without the command list override, as QEMU's (CAP c0141f05) */
	if (take_bool(spec, "sclo") == 0)
		h->cap &= ~(uint32_t)HOST_CAP_SCLO;
	/* lpm=1: link power management on, as a kernel's med_power_with_dipm policy leaves a port */
	if (take_bool(spec, "lpm") == 1) {
		h->cap |= HOST_CAP_ALPM;
		h->lpm = 1;
	}
	ret = bus_open(&h->bus, spec, chans, 2);
	if (ret) {
		snprintf(io->errmsg, sizeof(io->errmsg), "%s", h->bus.errmsg);
		free(h);
		return ret;
	}
	sim_from_bus(&h->bus)->behind_hba = 1;
	for (int i = 0; i < SIM_HBA_PORTS; i++) {
		struct sim_port *p = &h->p[i];

		p->present = dev_present(h, i);
		p->gen = p->present ? sim_dev_at(sim_from_bus(&h->bus), i + 1)->power_gen : 0;
		p->sig = 0xffffffffu;
		p->tfd = p->present ? ATA_BUSY : 0x7f;
		p->sig_due = p->present;
		if (h->lpm)
			p->cmd = PORT_CMD_ALPE | PORT_CMD_ASP;
	}
	io->ops = &ahci_sim_ops;
	io->priv = h;
	return 0;
}

struct bus *ahci_sim_bus(struct ahci_io *io)
{
	return io->ops == &ahci_sim_ops ? &H(io)->bus : NULL;
}
