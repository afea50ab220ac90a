/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -p qtest: port I/O through QEMU's qtest socket (softmmu/qtest.c text
 * protocol), so the whole stack runs against QEMU's real IDE emulation
 * (hw/ide/core.c, atapi.c) without a guest kernel. One request line, one
 * "OK [0x..]" reply; "IRQ raise/lower N" notices may come before any reply.
 * Every wait on the socket has a deadline: a dead or stopped QEMU becomes
 * b->error = -EIO and reads of 0xFF, never a hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "hw/bus.h"
#include "hw/bus_qtest.h"

#define QT_TMO_DEFAULT_S	10	/* QEMU answers in ~60 us; 10 s means it is gone */
#define QT_RETRY_NS		10000000ull	/* connect retry while QEMU starts up */
#define QT_BATCH		256	/* insw/outsw lines per write(): ~15 us each pipelined */
#define QT_LINE_MAX		256
#define QT_MEM_CHUNK		1024	/* bytes per read/write request: 2 KiB of hex a line */

struct qt_priv {
	int fd;
	uint64_t tmo_ns;
	char rbuf[8192];
	size_t rlen;
	uint64_t irq_raised;	/* "IRQ raise N" notices seen (nIEN is set; only counted) */
	char wbuf[QT_BATCH * 32];
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct qt_priv *Q(struct bus *b)
{
	return b->priv;
}

/* The transport is gone: remember why once, every later access is a no-op. */
static void qt_fail(struct bus *b, const char *what, int err)
{
	if (b->error)
		return;
	b->error = -EIO;
	if (err)
		bus_seterr(b, "qtest: %s: %s (did QEMU exit?)", what, strerror(err));
	else
		bus_seterr(b, "qtest: %s", what);
}

/* Wait for fd to be ready for events until deadline; 0, or -ETIMEDOUT/-errno. */
static int qt_poll(int fd, short events, uint64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		uint64_t now = mono_ns();
		int ms, n;

		if (now >= deadline)
			return -ETIMEDOUT;
		ms = (int)((deadline - now + 999999) / 1000000);
		n = poll(&pfd, 1, ms);
		if (n > 0)
			return 0;	/* POLLHUP/POLLERR: the read/write says what */
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

static int qt_send(struct bus *b, const char *buf, size_t len)
{
	struct qt_priv *q = Q(b);
	uint64_t deadline = mono_ns() + q->tmo_ns;

	if (b->error)
		return b->error;
	while (len) {
		ssize_t n = send(q->fd, buf, len, MSG_NOSIGNAL);

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int ret = qt_poll(q->fd, POLLOUT, deadline);

			if (ret == -ETIMEDOUT) {
				qt_fail(b, "QEMU stopped reading the qtest socket", 0);
				return b->error;
			}
			if (ret) {
				qt_fail(b, "poll", -ret);
				return b->error;
			}
			continue;
		}
		qt_fail(b, "write to QEMU", n < 0 ? errno : EPIPE);
		return b->error;
	}
	return 0;
}

/* One line without its newline into line[size]. */
static int qt_readline(struct bus *b, char *line, size_t size, uint64_t deadline)
{
	struct qt_priv *q = Q(b);

	for (;;) {
		char *nl = memchr(q->rbuf, '\n', q->rlen);
		ssize_t n;
		int ret;

		if (nl) {
			size_t len = (size_t)(nl - q->rbuf);

			snprintf(line, size, "%.*s", (int)len, q->rbuf);
			q->rlen -= len + 1;
			memmove(q->rbuf, nl + 1, q->rlen);
			return 0;
		}
		if (q->rlen == sizeof(q->rbuf)) {
			qt_fail(b, "QEMU sent a line longer than the buffer", 0);
			return b->error;
		}
		ret = qt_poll(q->fd, POLLIN, deadline);
		if (ret == -ETIMEDOUT) {
			qt_fail(b, "QEMU did not answer within the timeout (stopped or hung?)", 0);
			return b->error;
		}
		if (ret) {
			qt_fail(b, "poll", -ret);
			return b->error;
		}
		n = recv(q->fd, q->rbuf + q->rlen, sizeof(q->rbuf) - q->rlen, 0);
		if (n > 0) {
			q->rlen += (size_t)n;
		} else if (n == 0) {
			qt_fail(b, "QEMU closed the qtest socket (QEMU exited?)", 0);
			return b->error;
		} else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
			qt_fail(b, "read from QEMU", errno);
			return b->error;
		}
	}
}

/* The reply line to one request, "OK" or "OK 0x..", skipping async IRQ notices. */
static int qt_reply_line(struct bus *b, char *line, size_t size, uint64_t deadline)
{
	struct qt_priv *q = Q(b);

	for (;;) {
		int ret = qt_readline(b, line, size, deadline);

		if (ret)
			return ret;
		if (!strncmp(line, "IRQ ", 4)) {
			if (!strncmp(line + 4, "raise", 5))
				q->irq_raised++;
			continue;
		}
		if (!strcmp(line, "OK") || !strncmp(line, "OK ", 3))
			return 0;
		qt_fail(b, "QEMU refused a request", 0);
		snprintf(b->errmsg, sizeof(b->errmsg), "qtest: QEMU answered '%.200s'", line);
		return b->error;
	}
}

static int qt_reply(struct bus *b, uint32_t *val, uint64_t deadline)
{
	char line[QT_LINE_MAX] = "";
	int ret = qt_reply_line(b, line, sizeof(line), deadline);

	if (!ret && val)
		*val = line[2] ? (uint32_t)strtoull(line + 3, NULL, 0) : 0;
	return ret;
}

/* Send n request lines (already in buf) in one go, then collect n replies. */
static int qt_transact(struct bus *b, const char *buf, size_t len, size_t n, uint32_t *vals)
{
	uint64_t deadline;
	int ret = qt_send(b, buf, len);

	if (ret)
		return ret;
	deadline = mono_ns() + Q(b)->tmo_ns;
	for (size_t i = 0; i < n; i++) {
		ret = qt_reply(b, vals ? &vals[i] : NULL, deadline);
		if (ret)
			return ret;
	}
	return 0;
}

static uint32_t qt_in(struct bus *b, const char *op, uint16_t port, uint32_t dead)
{
	char line[64];
	uint32_t v;
	int len = snprintf(line, sizeof(line), "%s 0x%x\n", op, port);

	if (b->error || qt_transact(b, line, (size_t)len, 1, &v))
		return dead;
	return v;
}

static void qt_out(struct bus *b, const char *op, uint16_t port, uint32_t val)
{
	char line[64];
	int len = snprintf(line, sizeof(line), "%s 0x%x 0x%x\n", op, port, val);

	if (!b->error)
		qt_transact(b, line, (size_t)len, 1, NULL);
}

static uint8_t qt_inb(struct bus *b, uint16_t port)
{
	return (uint8_t)qt_in(b, "inb", port, 0xff);
}

static void qt_outb(struct bus *b, uint16_t port, uint8_t val)
{
	qt_out(b, "outb", port, val);
}

static uint16_t qt_inw(struct bus *b, uint16_t port)
{
	return (uint16_t)qt_in(b, "inw", port, 0xffff);
}

static void qt_outw(struct bus *b, uint16_t port, uint16_t val)
{
	qt_out(b, "outw", port, val);
}

/*
 * Pipelined string I/O: one round trip per QT_BATCH values instead of per
 * value. Each value is words (1: inw/outw, 2: inl/outl, which QEMU's IDE
 * data port decodes too) words of buf, the low one first.
 */
static void qt_ins(struct bus *b, uint16_t port, unsigned words, uint16_t *buf, size_t count)
{
	struct qt_priv *q = Q(b);
	uint32_t vals[QT_BATCH];

	while (count) {
		size_t n = count < QT_BATCH ? count : QT_BATCH, len = 0;

		if (b->error) {
			memset(buf, 0xff, count * words * 2);
			return;
		}
		for (size_t i = 0; i < n; i++)
			len += (size_t)snprintf(q->wbuf + len, sizeof(q->wbuf) - len, "in%c 0x%x\n",
						words == 2 ? 'l' : 'w', port);
		if (qt_transact(b, q->wbuf, len, n, vals))
			continue;	/* fills the rest with 0xFF */
		for (size_t i = 0; i < n; i++)
			for (unsigned w = 0; w < words; w++)
				*buf++ = (uint16_t)(vals[i] >> (16 * w));
		count -= n;
	}
}

static void qt_outs(struct bus *b, uint16_t port, unsigned words, const uint16_t *buf, size_t count)
{
	struct qt_priv *q = Q(b);

	while (count && !b->error) {
		size_t n = count < QT_BATCH ? count : QT_BATCH, len = 0;

		for (size_t i = 0; i < n; i++, buf += words)
			len += (size_t)snprintf(q->wbuf + len, sizeof(q->wbuf) - len, "out%c 0x%x 0x%x\n",
						words == 2 ? 'l' : 'w', port,
						buf[0] | (words == 2 ? (unsigned)buf[1] << 16 : 0u));
		qt_transact(b, q->wbuf, len, n, NULL);
		count -= n;
	}
}

static void qt_insw(struct bus *b, uint16_t port, uint16_t *buf, size_t count)
{
	qt_ins(b, port, 1, buf, count);
}

static void qt_outsw(struct bus *b, uint16_t port, const uint16_t *buf, size_t count)
{
	qt_outs(b, port, 1, buf, count);
}

static void qt_insl(struct bus *b, uint16_t port, uint16_t *buf, size_t count)
{
	qt_ins(b, port, 2, buf, count);
}

static void qt_outsl(struct bus *b, uint16_t port, const uint16_t *buf, size_t count)
{
	qt_outs(b, port, 2, buf, count);
}

/*
 * PCI configuration, MMIO and guest memory (qtest "inl/outl", "readl/
 * writel", "read/write ADDR SIZE 0xHEX"), for -p ahci:qtest=. A request
 * after the transport failed does nothing; reads then give all ones.
 */
uint32_t qtest_inl(struct bus *b, uint16_t port)
{
	return qt_in(b, "inl", port, 0xffffffffu);
}

void qtest_outl(struct bus *b, uint16_t port, uint32_t val)
{
	qt_out(b, "outl", port, val);
}

uint32_t qtest_readl(struct bus *b, uint64_t addr)
{
	char line[64];
	uint32_t v;
	int len = snprintf(line, sizeof(line), "readl 0x%llx\n", (unsigned long long)addr);

	if (b->error || qt_transact(b, line, (size_t)len, 1, &v))
		return 0xffffffffu;
	return v;
}

void qtest_writel(struct bus *b, uint64_t addr, uint32_t val)
{
	char line[64];
	int len = snprintf(line, sizeof(line), "writel 0x%llx 0x%x\n", (unsigned long long)addr, val);

	if (!b->error)
		qt_transact(b, line, (size_t)len, 1, NULL);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

void qtest_memread(struct bus *b, uint64_t addr, void *buf, size_t len)
{
	char line[2 * QT_MEM_CHUNK + 16];
	uint8_t *p = buf;

	while (len) {
		size_t n = len < QT_MEM_CHUNK ? len : QT_MEM_CHUNK;
		int w = snprintf(line, sizeof(line), "read 0x%llx %zu\n", (unsigned long long)addr, n);

		if (b->error || qt_send(b, line, (size_t)w) ||
		    qt_reply_line(b, line, sizeof(line), mono_ns() + Q(b)->tmo_ns)) {
			memset(p, 0xff, len);
			return;
		}
		if (strncmp(line, "OK 0x", 5) || strlen(line + 5) != 2 * n) {
			qt_fail(b, "QEMU answered a memory read with the wrong length", 0);
			memset(p, 0xff, len);
			return;
		}
		for (size_t i = 0; i < n; i++) {
			int hi = hexval(line[5 + 2 * i]), lo = hexval(line[6 + 2 * i]);

			if (hi < 0 || lo < 0) {
				qt_fail(b, "QEMU answered a memory read with a non-hex digit", 0);
				memset(p, 0xff, len);
				return;
			}
			p[i] = (uint8_t)(hi << 4 | lo);
		}
		p += n;
		addr += n;
		len -= n;
	}
}

void qtest_memwrite(struct bus *b, uint64_t addr, const void *buf, size_t len)
{
	struct qt_priv *q = Q(b);
	const uint8_t *p = buf;

	while (len && !b->error) {
		size_t n = len < QT_MEM_CHUNK ? len : QT_MEM_CHUNK;
		int w = snprintf(q->wbuf, sizeof(q->wbuf), "write 0x%llx %zu 0x", (unsigned long long)addr, n);

		for (size_t i = 0; i < n; i++)
			w += snprintf(q->wbuf + w, sizeof(q->wbuf) - (size_t)w, "%02x", p[i]);
		q->wbuf[w++] = '\n';
		qt_transact(b, q->wbuf, (size_t)w, 1, NULL);
		p += n;
		addr += n;
		len -= n;
	}
}

static void qt_delay_ns(struct bus *b, uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };

	(void)b;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static uint64_t qt_now_ns(struct bus *b)
{
	(void)b;
	return mono_ns();
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -errno : 0;
}

/* QEMU listens (-qtest unix:PATH,server=on,wait=off): retry while it starts. */
static int qt_connect(struct bus *b, const struct sockaddr_un *sa, uint64_t tmo_ns)
{
	uint64_t deadline = mono_ns() + tmo_ns;

	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), err;

		if (fd < 0) {
			bus_seterr(b, "qtest: socket: %s", strerror(errno));
			return -errno;
		}
		if (!connect(fd, (const struct sockaddr *)sa, sizeof(*sa)))
			return fd;
		err = errno;
		close(fd);
		if ((err != ENOENT && err != ECONNREFUSED && err != EAGAIN) || mono_ns() >= deadline) {
			bus_seterr(b, "qtest: cannot connect to %s: %s (start QEMU with "
				   "-qtest unix:%s,server=on,wait=off, or use listen=1)",
				   sa->sun_path, strerror(err), sa->sun_path);
			return -err;
		}
		qt_delay_ns(b, QT_RETRY_NS);
	}
}

/* libqtest style (QEMU -qtest unix:PATH connects to us): bind, wait, unlink. */
static int qt_accept(struct bus *b, const struct sockaddr_un *sa, uint64_t tmo_ns)
{
	struct stat st;
	int lfd, fd, ret;

	/* Only a stale socket is replaced, never a file the user cares about. */
	if (!lstat(sa->sun_path, &st)) {
		if (!S_ISSOCK(st.st_mode)) {
			bus_seterr(b, "qtest: %s exists and is not a socket", sa->sun_path);
			return -EEXIST;
		}
		unlink(sa->sun_path);
	}
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		bus_seterr(b, "qtest: socket: %s", strerror(errno));
		return -errno;
	}
	if (bind(lfd, (const struct sockaddr *)sa, sizeof(*sa)) || listen(lfd, 1)) {
		ret = -errno;
		bus_seterr(b, "qtest: cannot listen on %s: %s", sa->sun_path, strerror(errno));
		close(lfd);
		return ret;
	}
	bus_logf(b, BUS_LOG_INFO, "qtest: waiting for QEMU -qtest unix:%s", sa->sun_path);
	ret = qt_poll(lfd, POLLIN, mono_ns() + tmo_ns);
	fd = ret ? -1 : accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0) {
		ret = ret ? ret : -errno;
		bus_seterr(b, "qtest: QEMU did not connect to %s: %s", sa->sun_path, strerror(-ret));
	}
	close(lfd);
	unlink(sa->sun_path);
	return fd < 0 ? ret : fd;
}

static int qt_init(struct bus *b, struct bus_params *p)
{
	const char *path = bus_param_take(p, "socket");
	uint64_t listen_mode = 0, tmo_s = QT_TMO_DEFAULT_S;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct qt_priv *q;
	uint32_t v;
	int ret, fd;

	if ((ret = bus_param_u64(b, p, "listen", &listen_mode)) ||
	    (ret = bus_param_u64(b, p, "timeout", &tmo_s)) ||
	    (ret = bus_param_pio32(b, p, 1)))	/* QEMU's PIIX decodes 32-bit data accesses */
		return ret;
	if (!path || !*path) {
		bus_seterr(b, "qtest needs socket=PATH (QEMU: -qtest unix:PATH,server=on,wait=off)");
		return -EINVAL;
	}
	if (strlen(path) >= sizeof(sa.sun_path)) {
		bus_seterr(b, "qtest: socket path longer than %zu bytes", sizeof(sa.sun_path) - 1);
		return -EINVAL;
	}
	if (listen_mode > 1 || tmo_s == 0 || tmo_s > 3600) {
		bus_seterr(b, "qtest: listen= takes 0 or 1, timeout= 1..3600 seconds");
		return -EINVAL;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);

	fd = listen_mode ? qt_accept(b, &sa, tmo_s * 1000000000ull)
			 : qt_connect(b, &sa, tmo_s * 1000000000ull);
	if (fd < 0)
		return fd;
	ret = set_nonblock(fd);
	q = calloc(1, sizeof(*q));
	if (ret || !q) {
		bus_seterr(b, "qtest: %s", strerror(ret ? -ret : ENOMEM));
		free(q);
		close(fd);
		return ret ? ret : -ENOMEM;
	}
	q->fd = fd;
	q->tmo_ns = tmo_s * 1000000000ull;
	b->priv = q;
	b->error = 0;
	/* Make sure the peer speaks qtest before anyone trusts its port reads. */
	if (qt_transact(b, "endianness\n", 11, 1, &v)) {
		ret = b->error;
		snprintf(b->errmsg + strlen(b->errmsg), sizeof(b->errmsg) - strlen(b->errmsg),
			 " (is %s a QEMU -qtest socket?)", path);
		b->error = 0;
		close(fd);
		free(q);
		b->priv = NULL;
		return ret;
	}
	bus_logf(b, BUS_LOG_DBG, "qtest: connected to QEMU at %s", path);
	return 0;
}

static void qt_cleanup(struct bus *b)
{
	struct qt_priv *q = b->priv;

	if (!q)
		return;
	close(q->fd);
	free(q);
	b->priv = NULL;
}

const struct bus_ops bus_qtest = {
	.name = "qtest",
	.help = "QEMU's IDE emulation through its qtest socket (for tests; QEMU started with -S)\n"
		"socket=PATH   unix socket of QEMU -qtest unix:PATH,server=on,wait=off (required)\n"
		"listen=0|1    1: odrescue listens on PATH and QEMU -qtest unix:PATH connects (0)\n"
		"timeout=SEC   how long to wait for QEMU to connect or answer before giving up (10)\n"
		"pio32=0|1     data in 32-bit units, as on QEMU's PIIX (1)\n",
	.init = qt_init,
	.cleanup = qt_cleanup,
	.inb = qt_inb,
	.outb = qt_outb,
	.inw = qt_inw,
	.outw = qt_outw,
	.insw = qt_insw,
	.outsw = qt_outsw,
	.insl = qt_insl,
	.outsl = qt_outsl,
	.delay_ns = qt_delay_ns,
	.now_ns = qt_now_ns,
};
