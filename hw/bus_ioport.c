/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Real port I/O on x86 Linux. Permission is asked with ioperm() for exactly
 * the channel's 8 command-block ports and its control port (pciutils'
 * i386-io-linux habit); iopl(3) only when ioperm says EINVAL, since 5.5 it
 * grants all 64K ports (users-linux.md 1.1, 1.2).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "hw/bus.h"
#include "hw/bus_ioport.h"

#define IOPORT_SPIN_MAX_NS	20000u	/* shorter waits spin: a sleep and its wakeup cost microseconds */
#define CAP_SYS_RAWIO_BIT	17	/* linux/capability.h */

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void ioport_delay_ns(struct bus *b, uint64_t ns)
{
	uint64_t end = mono_ns() + ns;

	(void)b;
	if (ns > IOPORT_SPIN_MAX_NS) {
		struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		return;
	}
	while (mono_ns() < end)
		;
}

static uint64_t ioport_now_ns(struct bus *b)
{
	(void)b;
	return mono_ns();
}

/* Does the effective capability set hold CAP_SYS_RAWIO? -1 if unknown. */
static int have_rawio(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int ret = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long caps;

		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			ret = !!(caps & (1ull << CAP_SYS_RAWIO_BIT));
			break;
		}
	}
	fclose(f);
	return ret;
}

/* The bracketed word of /sys/kernel/security/lockdown ("none [integrity] ..."). */
static void read_lockdown(char *mode, size_t len)
{
	FILE *f = fopen("/sys/kernel/security/lockdown", "r");
	char line[128];
	const char *lb, *rb;

	mode[0] = '\0';
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) && (lb = strchr(line, '[')) && (rb = strchr(lb, ']')))
		snprintf(mode, len, "%.*s", (int)(rb - lb - 1), lb + 1);
	fclose(f);
}

void ioport_eperm_reason(char *buf, size_t len, unsigned euid, int rawio, const char *lockdown)
{
	if (lockdown && *lockdown && strcmp(lockdown, "none"))
		snprintf(buf, len, "kernel lockdown (%s) forbids raw port access even for root "
			 "(Secure Boot?); boot with Secure Boot off, or use ATAPI mode (/dev/srN)",
			 lockdown);
	else if (rawio == 0 || (rawio < 0 && euid != 0))
		snprintf(buf, len, "raw port access needs root (CAP_SYS_RAWIO): run odrescue as root");
	else
		snprintf(buf, len, "ioperm refused although the process has CAP_SYS_RAWIO: kernel "
			 "lockdown (see man kernel_lockdown.7) or a container's seccomp policy");
}

#if defined(__i386__) || defined(__x86_64__)
#include <sys/io.h>

struct ioport_priv {
	int use_iopl;
};

static struct ioport_priv ioport_state;

static int ask(struct bus *b, unsigned long from, unsigned long num)
{
	char why[200], mode[32];

	if (!ioperm(from, num, 1))
		return 0;
	switch (errno) {
	case EINVAL:
		/* Only an old or odd kernel says this for a valid range: iopl covers it. */
		bus_logf(b, BUS_LOG_WARN, "ioperm(0x%lx, %lu) said EINVAL; falling back to iopl(3)",
			 from, num);
		if (!iopl(3)) {
			ioport_state.use_iopl = 1;
			return 0;
		}
		bus_seterr(b, "neither ioperm nor iopl(3) grant port 0x%lx: %s", from, strerror(errno));
		return -errno;
	case EPERM:
		read_lockdown(mode, sizeof(mode));
		ioport_eperm_reason(why, sizeof(why), (unsigned)geteuid(), have_rawio(), mode);
		bus_seterr(b, "%s", why);
		return -EPERM;
	case ENOSYS:
		bus_seterr(b, "this kernel has no ioperm/iopl (CONFIG_X86_IOPL_IOPERM=n, or a sandbox): "
			   "use ATAPI mode (/dev/srN)");
		return -ENOSYS;
	default:
		bus_seterr(b, "ioperm(0x%lx, %lu): %s", from, num, strerror(errno));
		return -errno;
	}
}

static void release(const struct bus *b, int upto)
{
	if (ioport_state.use_iopl) {
		iopl(0);
		return;
	}
	for (int i = 0; i < upto; i++) {
		ioperm(b->chans[i].cmd, 8, 0);
		ioperm(b->chans[i].ctl, 1, 0);
	}
}

static int parse_port(struct bus *b, struct bus_params *p, const char *key, uint16_t *port)
{
	uint64_t v = 0;
	int ret = bus_param_u64(b, p, key, &v);

	if (ret)
		return ret;
	if (!bus_param_take(p, key))
		return 0;
	if (v == 0 || v > 0xfff8) {
		bus_seterr(b, "parameter %s=0x%llx is not an I/O port", key, (unsigned long long)v);
		return -EINVAL;
	}
	*port = (uint16_t)v;
	return 1;
}

static int ioport_init(struct bus *b, struct bus_params *p)
{
	uint16_t base = 0, ctl = 0;
	int has_base, has_ctl, ret = 0, i;

	has_base = parse_port(b, p, "base", &base);
	if (has_base < 0)
		return has_base;
	has_ctl = parse_port(b, p, "ctl", &ctl);
	if (has_ctl < 0)
		return has_ctl;
	ret = bus_param_pio32(b, p, -1);	/* -1: src/ asks sysfs whether a PCI controller holds the channel */
	if (ret)
		return ret;
	if (has_base != has_ctl) {
		bus_seterr(b, "a PCI native-mode channel needs both base= and ctl= (lspci -v lists them)");
		return -EINVAL;
	}
	if (has_base) {
		/* One native-mode channel: positions m and s. */
		b->chans[0].cmd = base;
		b->chans[0].ctl = ctl;
		b->nchans = 1;
	}
	memset(&ioport_state, 0, sizeof(ioport_state));
	for (i = 0; i < b->nchans && !ret; i++) {
		ret = ask(b, b->chans[i].cmd, 8);
		if (!ret && !ioport_state.use_iopl)
			ret = ask(b, b->chans[i].ctl, 1);
	}
	if (ret) {
		release(b, i);	/* turning off ports never granted is harmless */
		return ret;
	}
	b->priv = &ioport_state;
	/* Status polls sleep 50 us at first (ata_wait): the default 50 us timer slack would double that. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	return 0;
}

static void ioport_cleanup(struct bus *b)
{
	if (b->priv)
		release(b, b->nchans);
	b->priv = NULL;
}

static uint8_t ioport_inb(struct bus *b, uint16_t port)
{
	(void)b;
	return inb(port);
}

static void ioport_outb(struct bus *b, uint16_t port, uint8_t val)
{
	(void)b;
	outb(val, port);
}

static uint16_t ioport_inw(struct bus *b, uint16_t port)
{
	(void)b;
	return inw(port);
}

static void ioport_outw(struct bus *b, uint16_t port, uint16_t val)
{
	(void)b;
	outw(val, port);
}

/* rep insw/outsw: the string I/O libata's ata_sff_data_xfer uses. */
static void ioport_insw(struct bus *b, uint16_t port, uint16_t *buf, size_t count)
{
	(void)b;
	insw(port, buf, (unsigned long)count);
}

static void ioport_outsw(struct bus *b, uint16_t port, const uint16_t *buf, size_t count)
{
	(void)b;
	outsw(port, buf, (unsigned long)count);
}

/* rep insl/outsl: ata_sff_data_xfer32(); ioperm granted all 8 command-block ports. */
static void ioport_insl(struct bus *b, uint16_t port, uint16_t *buf, size_t count)
{
	(void)b;
	insl(port, buf, (unsigned long)count);
}

static void ioport_outsl(struct bus *b, uint16_t port, const uint16_t *buf, size_t count)
{
	(void)b;
	outsl(port, buf, (unsigned long)count);
}

#else /* not x86: the backend exists so -p help is the same everywhere */

static int ioport_init(struct bus *b, struct bus_params *p)
{
	bus_param_take(p, "base");
	bus_param_take(p, "ctl");
	bus_param_take(p, "pio32");
	bus_seterr(b, "port I/O exists only on x86: use ATAPI mode (/dev/srN)");
	return -ENOSYS;
}

static void ioport_cleanup(struct bus *b) { (void)b; }
static uint8_t ioport_inb(struct bus *b, uint16_t port) { (void)b; (void)port; return 0xff; }
static void ioport_outb(struct bus *b, uint16_t port, uint8_t v) { (void)b; (void)port; (void)v; }
static uint16_t ioport_inw(struct bus *b, uint16_t port) { (void)b; (void)port; return 0xffff; }
static void ioport_outw(struct bus *b, uint16_t port, uint16_t v) { (void)b; (void)port; (void)v; }
static void ioport_insw(struct bus *b, uint16_t port, uint16_t *buf, size_t n)
{
	(void)b; (void)port;
	memset(buf, 0xff, n * 2);
}
static void ioport_outsw(struct bus *b, uint16_t port, const uint16_t *buf, size_t n)
{
	(void)b; (void)port; (void)buf; (void)n;
}
static void ioport_insl(struct bus *b, uint16_t port, uint16_t *buf, size_t n)
{
	(void)b; (void)port;
	memset(buf, 0xff, n * 4);
}
static void ioport_outsl(struct bus *b, uint16_t port, const uint16_t *buf, size_t n)
{
	(void)b; (void)port; (void)buf; (void)n;
}
#endif

const struct bus_ops bus_ioport = {
	.name = "ioport",
	.help = "real IDE ports by ioperm() (needs root or CAP_SYS_RAWIO)\n"
		"base=PORT  command block of a PCI native-mode channel, e.g. 0xd000 (legacy 0x1f0/0x170)\n"
		"ctl=PORT   its control port, e.g. 0xd402 (legacy 0x3f6/0x376)\n"
		"pio32=0|1  data in 32-bit units (1 where libata does so too: ata_piix and three more PCI IDE drivers, else 0)\n",
	.init = ioport_init,
	.cleanup = ioport_cleanup,
	.inb = ioport_inb,
	.outb = ioport_outb,
	.inw = ioport_inw,
	.outw = ioport_outw,
	.insw = ioport_insw,
	.outsw = ioport_outsw,
	.insl = ioport_insl,
	.outsl = ioport_outsl,
	.delay_ns = ioport_delay_ns,
	.now_ns = ioport_now_ns,
};
