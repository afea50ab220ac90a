/* SPDX-License-Identifier: GPL-2.0-or-later */
/* AHCI mode: the -p ahci parameters, pN positions, scan and identify on a port. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ahci.h"
#include "hw/ahci_io.h"
#include "recovery/release.h"
#include "src/ahci_mode.h"
#include "src/atapi_sysfs.h"
#include "src/show.h"
#include "src/sysfs.h"

#define AHCI_NAME	"ahci"

#define PCI_CLASS_AHCI	0x010601	/* mass storage, SATA, AHCI 1.0 (PCI Code and ID Assignment) */

struct ahci_session {
	struct ahci_io io;
	struct ahci hba;
};

/* Where and how: qtest= (QEMU) or pci= (this machine's controller). */
struct ahci_where {
	struct ahci_qtest_cfg qt;
	char pci[32];		/* "0000:00:1f.2" */
};

/*
 * "hba=ahci" as a parameter of a -p sim spec, or of the sim inside -p
 * fault:inner=sim:...+hba=ahci (the fault layer then sits between the
 * modelled HBA and the drives): where it starts, or NULL.
 */
static const char *hba_param(const char *b)
{
	size_t n = strlen("hba=ahci");

	if (!b || (strncmp(b, "sim:", 4) && strncmp(b, "fault:", 6)))
		return NULL;
	for (const char *p = strstr(b, "hba=ahci"); p; p = strstr(p + 1, "hba=ahci"))
		if (strchr(":,+", p[-1]) && (p[n] == '\0' || p[n] == ',' || p[n] == '+'))
			return p;
	return NULL;
}

static int sim_hba(const char *b)
{
	return hba_param(b) != NULL;
}

int ahci_mode_selected(const struct ctx *c)
{
	const char *b = c->o.backend;

	return (b && !strncmp(b, AHCI_NAME, 4) && (b[4] == '\0' || b[4] == ':')) || sim_hba(b);
}

/* The spec without hba=ahci, which is ours, not the simulator's; its log is odrescue's. */
static int sim_open(struct ctx *c, struct ahci_io *io)
{
	char spec[512], *p;
	size_t len = strlen("hba=ahci");
	int ret;

	if (snprintf(spec, sizeof(spec), "%s", c->o.backend) >= (int)sizeof(spec))
		return -EINVAL;
	p = spec + (hba_param(c->o.backend) - c->o.backend);
	if (p[-1] == ',' || p[-1] == '+') {
		p--;		/* with the separator before it */
		len++;
	} else if (p[len]) {
		len++;		/* "sim:hba=ahci,x": with the one after it */
	}
	memmove(p, p + len, strlen(p + len) + 1);
	if (spec[strlen(spec) - 1] == ':')
		spec[strlen(spec) - 1] = '\0';
	ret = ahci_sim_open(io, spec);
	if (ret)
		err_msg(c, "%s", io->errmsg[0] ? io->errmsg : strerror(-ret));
	else
		ctx_log_bus(c, ahci_sim_bus(io));
	return ret;
}

void ahci_mode_help(FILE *f)
{
	fputs("\n  ahci (positions p0..p31: the ports of an AHCI controller, driven from user space)\n"
	      "    pci=BDF       this machine's controller, e.g. 0000:00:1f.2 (root; --release detaches ahci,\n"
	      "                  refused while a mounted filesystem or swap is on it; every port goes away)\n"
	      "    qtest=PATH    QEMU -machine q35 -S -qtest unix:PATH,server=on,wait=off: its ICH9 AHCI\n"
	      "    bdf=BB:DD.F   with qtest=: the controller's PCI address (00:1f.2)\n"
	      "    bar=ADDR      where odrescue places its registers, no firmware having done it (0xe0000000)\n"
	      "    mem=ADDR      guest memory for the controller's DMA, 192 KiB (0x1000000)\n"
	      "    timeout=SEC   how long QEMU may take to answer (10)\n"
	      "  (-p sim:hba=ahci,... puts the simulator's drives behind a modelled AHCI HBA: position N is pN-1;\n"
	      "   sclo=0 there models an HBA without the command list override, as QEMU's; lpm=1 a port left\n"
	      "   with link power management on, which odrescue turns off as libahci's max_performance does)\n", f);
}

int ahci_position_parse(const char *s, struct position *pos)
{
	char *end;
	unsigned long n;

	if ((s[0] | 0x20) != 'p' || s[1] < '0' || s[1] > '9')
		return -EINVAL;
	n = strtoul(s + 1, &end, 10);
	if (*end || n >= AHCI_MAX_PORTS || (s[1] == '0' && s[2]))
		return -EINVAL;
	memset(pos, 0, sizeof(*pos));
	pos->ahci = 1;
	pos->port = (int)n;
	return 0;
}

const char *ahci_position_arg(const struct position *pos)
{
	static char buf[8];

	snprintf(buf, sizeof(buf), "p%d", pos->port);
	return buf;
}

const char *ahci_position_name(const struct position *pos)
{
	static char buf[16];

	snprintf(buf, sizeof(buf), "SATA port %d", pos->port);
	return buf;
}

int ahci_mode_refuse(struct ctx *c, const char *cmd, const struct position *pos)
{
	if (pos && pos->ahci && !ahci_mode_selected(c))
		err_msg(c, "%s names an AHCI port: give -p ahci:pci=BDF (or -p ahci:qtest=SOCKET, -p sim:hba=ahci)",
			ahci_position_arg(pos));
	else if (pos && !pos->ahci && ahci_mode_selected(c))
		err_msg(c, "with -p ahci, positions are the controller's ports p0..p31 "
			"(odrescue -p ahci:... scan lists them)");
	else
		err_msg(c, "%s does not run on an AHCI port yet: scan, identify, wait, chip, dump, verify, "
			"flash and erase do; for the others use an IDE port or a SATA port in IDE mode", cmd);
	return -EINVAL;
}

static int parse_u64(struct ctx *c, const char *key, const char *val, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(val, &end, 0);
	if (errno || end == val || *end) {
		err_msg(c, "-p ahci: %s=%s is not a number", key, val);
		return -EINVAL;
	}
	return 0;
}

/* "BB:DD.F" or "DDDD:BB:DD.F" (the sysfs form; domain 0 only) into bus << 8 | dev << 3 | fn. */
static int parse_bdf(struct ctx *c, const char *s, unsigned *bdf)
{
	unsigned dom = 0, bus, dev, fn;
	char tail;

	if (sscanf(s, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail) != 4 &&
	    (dom = 0, sscanf(s, "%x:%x.%x%c", &bus, &dev, &fn, &tail) != 3)) {
		err_msg(c, "-p ahci: %s is not a PCI address like 00:1f.2", s);
		return -EINVAL;
	}
	if (dom || bus > 0xff || dev > 0x1f || fn > 7) {
		err_msg(c, "-p ahci: %s is out of range (domain 0, bus 00-ff, device 00-1f, function 0-7)", s);
		return -EINVAL;
	}
	*bdf = bus << 8 | dev << 3 | fn;
	return 0;
}

/* Every parameter checked, leftovers refused, before anything is touched. */
static int parse_params(struct ctx *c, char *params, struct ahci_where *w)
{
	struct ahci_qtest_cfg *cfg = &w->qt;
	struct bus_params p;
	const char *v, *pci;
	unsigned bdf;
	uint64_t n;
	int ret;

	cfg->bdf = AHCI_QTEST_BDF;
	cfg->bar = AHCI_QTEST_BAR;
	cfg->mem = AHCI_QTEST_MEM;
	if (bus_params_parse(&p, params)) {
		err_msg(c, "-p ahci: bad parameter list (key=value,...)");
		return -EINVAL;
	}
	cfg->socket = bus_param_take(&p, "qtest");
	pci = bus_param_take(&p, "pci");
	if (pci && (ret = parse_bdf(c, pci, &bdf)))
		return ret;
	if (pci)
		snprintf(w->pci, sizeof(w->pci), "0000:%02x:%02x.%x", bdf >> 8, bdf >> 3 & 0x1f, bdf & 7);
	if ((v = bus_param_take(&p, "bdf")) && (ret = parse_bdf(c, v, &cfg->bdf)))
		return ret;
	if ((v = bus_param_take(&p, "bar")) && (ret = parse_u64(c, "bar", v, &cfg->bar)))
		return ret;
	if ((v = bus_param_take(&p, "mem")) && (ret = parse_u64(c, "mem", v, &cfg->mem)))
		return ret;
	if ((v = bus_param_take(&p, "timeout"))) {
		if ((ret = parse_u64(c, "timeout", v, &n)))
			return ret;
		if (!n || n > 3600) {
			err_msg(c, "-p ahci: timeout= takes 1..3600 seconds");
			return -EINVAL;
		}
		cfg->timeout_s = (unsigned)n;
	}
	for (int i = 0; i < p.n; i++) {
		if (!p.kv[i].used) {
			err_msg(c, "-p ahci: unknown parameter '%s' (-p help lists them)", p.kv[i].key);
			return -EINVAL;
		}
	}
	if (!!pci == !!(cfg->socket && *cfg->socket)) {
		err_msg(c, "-p ahci needs one of pci=BDF (this machine's controller, scan lists it) "
			"or qtest=SOCKET (QEMU q35)");
		return -EINVAL;
	}
	if ((cfg->bar & 0xfff) || cfg->bar >> 32 || (cfg->mem & (AHCI_PAGE - 1))) {
		err_msg(c, "-p ahci: bar= must be 4 KiB aligned below 4 GiB, mem= 4 KiB aligned");
		return -EINVAL;
	}
	return 0;
}

/*
 * This machine's controller: an AHCI function, and no kernel driver on it
 * unless --release may detach it (the same guard as for IDE channels).
 */
static int pci_open(struct ctx *c, const char *pci, struct ahci_io *io)
{
	char dir[256], pagemap[256], driver[64];
	struct ahci_pci_cfg cfg = { .sysfs = sg_sysfs_root(), .bdf = pci, .pagemap = pagemap };
	struct chan_owner o = { 0 };
	long class;
	int ret;

	snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s", sg_sysfs_root(), pci);
	snprintf(pagemap, sizeof(pagemap), "%s/self/pagemap", proc_root());
	ret = sysfs_read_num(dir, "class", 16, &class);
	if (ret) {
		err_msg(c, "-p ahci: no PCI function %s (%s)", pci, strerror(-ret));
		return -ENODEV;
	}
	if (class != PCI_CLASS_AHCI) {
		err_msg(c, "-p ahci: PCI %s is class %06lx, not an AHCI controller (010601)", pci, class);
		return -ENODEV;
	}
	sysfs_driver(dir, driver, sizeof(driver));
	if (driver[0] && !c->o.release) {
		err_msg(c, "PCI %s is driven by the kernel's %s: odrescue would fight it for the ports. "
			"Add --release to detach it for this run (every port of the controller goes away "
			"until it is given back at exit; refused while a mounted filesystem or swap is on it)",
			pci, driver);
		return -EBUSY;
	}
	if (driver[0]) {
		snprintf(o.pci, sizeof(o.pci), "%s", pci);
		snprintf(o.driver, sizeof(o.driver), "%s", driver);
		ret = ctx_release_pci(c, &o);
		if (ret)
			return ret;
	}
	ret = ahci_pci_open(io, &cfg);
	if (ret)
		err_msg(c, "%s", io->errmsg);
	return ret;
}

static int session_open(struct ctx *c, struct ahci_session *s)
{
	const char *spec = c->o.backend;
	struct ahci_where w = { 0 };
	char *params;
	int ret;

	if (sim_hba(spec)) {
		ret = sim_open(c, &s->io);
		if (!ret && (ret = ahci_open(&s->hba, &s->io)))
			s->io.ops->close(&s->io);
		return ret;
	}
	params = strdup(spec[4] == ':' ? spec + 5 : "");
	if (!params)
		return -ENOMEM;
	ret = parse_params(c, params, &w);
	if (!ret && w.pci[0]) {
		ret = pci_open(c, w.pci, &s->io);
	} else if (!ret) {
		ret = ahci_qtest_open(&s->io, &w.qt);
		if (ret)
			err_msg(c, "%s", s->io.errmsg[0] ? s->io.errmsg : strerror(-ret));
	}
	free(params);
	if (ret) {
		ctx_giveback(c);
		return ret;
	}
	ret = ahci_open(&s->hba, &s->io);
	if (ret) {
		err_msg(c, "ahci: %s", s->io.errmsg[0] ? s->io.errmsg : "no AHCI controller answers at that address");
		s->io.ops->close(&s->io);
		ctx_giveback(c);
		return ret == -ENODEV ? -ENODEV : ret;
	}
	return 0;
}

/* Ports stopped, the controller given back to its driver if --release took it. */
static void session_close(struct ctx *c, struct ahci_session *s)
{
	ahci_close(&s->hba);
	ctx_giveback(c);
}

/* Start the port and identify what the signature says is there. */
static void probe_port(struct ahci_port *p, struct ahci_link *l, struct dev_probe *dp)
{
	struct taskfile t;
	struct ata_tf sig;
	struct pt pt;
	int ret;

	memset(dp, 0, sizeof(*dp));
	dp->medium = -1;
	dp->id_ret = dp->inq_ret = -ENODEV;
	ret = ahci_port_start(p);
	ahci_link(p, l);
	if (ret == -ENODEV || l->det != SSTS_DET_PRESENT) {
		dp->class = ATA_DEV_NONE;
		return;
	}
	if (ret == -EBUSY) {
		dp->busy = 1;	/* BSY or DRQ held since the link came up: no working firmware? */
		return;
	}
	ahci_sig_tf(l->sig, &sig);
	dp->class = ata_classify(&sig);
	if (ret) {
		dp->id_ret = ret;
		return;
	}
	taskfile_ahci_init(&t, p);
	ahci_pt_init(&pt, p);
	probe_tf(&t, &pt, dp);
}

static void link_text(char *buf, size_t len, const struct ahci_link *l)
{
	static const char *const gen[] = { "", " 1.5 Gbps", " 3 Gbps", " 6 Gbps" };

	snprintf(buf, len, "%s%s", ahci_det_name(l->det), l->gen > 0 && l->gen < 4 ? gen[l->gen] : "");
}

static void port_json(struct json *j, const struct position *pos, const struct ahci_link *l)
{
	char buf[32];

	json_str(j, "position", ahci_position_arg(pos));
	json_str(j, "name", ahci_position_name(pos));
	json_str(j, "link", l->det == SSTS_DET_PRESENT ? "up" : l->det == SSTS_DET_NONE ? "none" :
		 ahci_det_name(l->det));
	link_text(buf, sizeof(buf), l);
	json_str(j, "link_state", buf);
	snprintf(buf, sizeof(buf), "0x%08x", l->sig);
	json_str(j, "signature", l->det == SSTS_DET_PRESENT ? buf : NULL);
}

int ahci_mode_scan(struct ctx *c, int argc, char **argv)
{
	struct ahci_session s;
	struct json j;
	int found = 0, ret;

	(void)argv;
	if (argc) {
		err_msg(c, "usage: odrescue -p ahci:... scan");
		return -EINVAL;
	}
	ret = session_open(c, &s);
	if (ret)
		return ret;
	if (c->o.json) {
		char buf[16];

		json_begin(&j, c->out);
		json_str(&j, "backend", AHCI_NAME);
		snprintf(buf, sizeof(buf), "0x%08x", s.hba.cap);
		json_str(&j, "cap", buf);
		json_arr(&j, "positions");
	}
	for (int i = 0; i < AHCI_MAX_PORTS && !s.io.error; i++) {
		struct position pos = { .ahci = 1, .port = i };
		struct ahci_link l;
		struct dev_probe dp;
		char buf[32];

		if (!ahci_port_implemented(&s.hba, i))
			continue;
		probe_port(&s.hba.port[i], &l, &dp);
		found += dp.class != ATA_DEV_NONE || dp.busy;
		if (c->o.json) {
			json_obj(&j, NULL);
			port_json(&j, &pos, &l);
			show_dev_json(&j, &dp);
			json_close(&j);
			continue;
		}
		link_text(buf, sizeof(buf), &l);
		fprintf(c->out, "%-4s %-17s ", ahci_position_arg(&pos), buf);
		show_dev_line(c->out, &dp);
	}
	if (c->o.json) {
		json_close(&j);
		json_int(&j, "found", found);
		json_end(&j);
	}
	ret = s.io.error;
	if (ret)
		err_msg(c, "scan: %s", s.io.errmsg[0] ? s.io.errmsg : "transport failed");
	session_close(c, &s);
	return ret;
}

/* The vendor commands' session: open from ahci_mode_taskfile until ctx_close_bus. */
static struct ahci_session vs;
static struct pt vs_pt;
static int vs_open;

/* The vendor session's port pos: the controller opened once, the port checked. NULL: said why in *ret. */
static struct ahci_port *vs_port(struct ctx *c, const struct position *pos, int *ret)
{
	if (!vs_open) {
		*ret = session_open(c, &vs);
		if (*ret)
			return NULL;
		vs_open = 1;
	}
	if (!ahci_port_implemented(&vs.hba, pos->port)) {
		err_msg(c, "%s: the controller has no such port (ports implemented: 0x%08x)",
			ahci_position_arg(pos), vs.hba.pi);
		*ret = -ENODEV;
		return NULL;
	}
	return &vs.hba.port[pos->port];
}

int ahci_mode_io_failed(struct ctx *c)
{
	if (!vs_open || !vs.io.error)
		return 0;
	err_msg(c, "ahci: %s", vs.io.errmsg[0] ? vs.io.errmsg : "the transport failed");
	return vs.io.error;
}

/* The transport's error, said once; else ret. */
static int io_failed_or(struct ctx *c, int ret)
{
	int e = ahci_mode_io_failed(c);

	return e ? e : ret;
}

int ahci_mode_taskfile(struct ctx *c, const struct position *pos, struct taskfile *t, struct pt **pt)
{
	struct ahci_link l;
	struct ata_tf sig;
	int ret = 0, cls;
	struct ahci_port *p = vs_port(c, pos, &ret);

	if (!p)
		return ret;
	ret = ahci_port_start(p);
	if (ret && ret != -ENODEV && ret != -EBUSY)
		return io_failed_or(c, ret);
	if (ret == -ENODEV)
		err_msg(c, "%s: no device on this port", ahci_position_arg(pos));
	if (ret == -EBUSY)
		err_msg(c, "%s: the drive holds BSY since the link came up (no working firmware?); nothing "
			"was sent: odrescue rescue %s FILE gets it into vendor mode with a power cycle",
			ahci_position_arg(pos), ahci_position_arg(pos));
	if (ret)
		return -ENODEV;
	taskfile_ahci_init(t, p);
	ahci_link(p, &l);
	ahci_sig_tf(l.sig, &sig);
	cls = ata_classify(&sig);
	t->packet = cls == ATA_DEV_ATAPI ? 1 : cls == ATA_DEV_ATA ? 0 : -1;
	ahci_pt_init(&vs_pt, p);
	if (pt)
		*pt = &vs_pt;
	return 0;
}

int ahci_mode_wait(struct ctx *c, const struct position *pos, uint64_t tmo_ns, volatile sig_atomic_t *stop,
		   struct ahci_wait *w)
{
	struct ahci_port *p;
	struct ahci_link l;
	int ret;

	p = vs_port(c, pos, &ret);
	if (!p)
		return ret;
	ret = hotplug_wait_ahci(p, tmo_ns, stop, w);
	if (ret == -EINTR || ret == -ETIMEDOUT)
		return ret;
	if (ret)
		return io_failed_or(c, ret);
	memset(&w->probe, 0, sizeof(w->probe));
	probe_port(p, &l, &w->probe);
	return vs.hba.io->error ? ahci_mode_io_failed(c) : 0;
}

int ahci_mode_look(struct ctx *c, const struct position *pos, struct dev_probe *dp, uint8_t *vendor_status)
{
	struct ahci_port *p;
	struct ahci_link l;
	int ret;

	*vendor_status = 0;
	p = vs_port(c, pos, &ret);
	if (!p)
		return ret;
	ahci_link(p, &l);
	/* An engine a killed run left in vendor mode gets no IDENTIFY: mtk_found confirms it later. */
	if (l.det == SSTS_DET_PRESENT && mtk_vendor_status((uint8_t)l.tfd)) {
		memset(dp, 0, sizeof(*dp));
		dp->class = ATA_DEV_ATAPI;
		*vendor_status = (uint8_t)l.tfd;
		return 0;
	}
	probe_port(p, &l, dp);
	return ahci_mode_io_failed(c);
}

int ahci_mode_intro(struct ctx *c, const struct position *pos, struct mtk *m, uint64_t tmo_ns,
		    volatile sig_atomic_t *stop, unsigned *tries)
{
	int ret = 0;
	struct ahci_port *p = vs_port(c, pos, &ret);

	if (!p)
		return ret;
	ret = hotplug_intro_loop_ahci(p, m, tmo_ns, stop, tries);
	return io_failed_or(c, ret);
}

void ahci_mode_close(struct ctx *c)
{
	if (!vs_open)
		return;
	session_close(c, &vs);
	vs_open = 0;
}

int ahci_mode_probe(struct ctx *c, const struct position *pos, struct dev_probe *dp)
{
	struct ahci_session s;
	struct ahci_link l;
	int ret;

	if (!ahci_mode_selected(c))
		return ahci_mode_refuse(c, "identify", pos);
	ret = session_open(c, &s);
	if (ret)
		return ret;
	if (!ahci_port_implemented(&s.hba, pos->port)) {
		err_msg(c, "%s: the controller has no such port (ports implemented: 0x%08x)",
			ahci_position_arg(pos), s.hba.pi);
		session_close(c, &s);
		return -ENODEV;
	}
	probe_port(&s.hba.port[pos->port], &l, dp);
	ret = s.io.error;
	if (ret)
		err_msg(c, "%s: %s", ahci_position_arg(pos), s.io.errmsg);
	else if (dp->class == ATA_DEV_NONE)
		err_msg(c, "%s: no device on this port (PxSSTS.DET %d: %s)", ahci_position_arg(pos), l.det,
			ahci_det_name(l.det));
	else if (dp->busy)
		err_msg(c, "%s: the drive holds BSY since the link came up (no working firmware?)",
			ahci_position_arg(pos));
	else if (dp->id_ret)
		err_msg(c, "%s: IDENTIFY failed: %s", ahci_position_arg(pos), strerror(-dp->id_ret));
	if (!ret && (dp->class == ATA_DEV_NONE || dp->busy || dp->id_ret))
		ret = -ENODEV;
	session_close(c, &s);
	return ret;
}
