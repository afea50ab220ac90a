/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qtest tier: the project's own layers (ata.c, atapi.c, mmc.c, probe.c,
 * flash.c, the CLI) against QEMU's real IDE emulation through -p qtest.
 * Expected values are the verified QEMU 7.2 behaviour in
 * reference/ata-register.md sections 3.4, 3.5 and 6.1.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hw/ata.h"
#include "hw/ata_id.h"
#include "hw/atapi.h"
#include "hw/bus.h"
#include "hw/flash.h"
#include "hw/mmc.h"
#include "hw/probe.h"
#include "src/exitcodes.h"
#include "tests/qtest/qemu.h"
#include "tests/tst.h"

#define QT_TEST_TMO_S	60	/* per test; a working test takes well under a second */

static struct qemu qm;
static struct bus bus;
static struct ata_port pri, sec;
static int skip;
static struct tst_run r;

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Start QEMU with slots (positions 1..4) and open the bus on both channels. */
static void start(const enum qemu_slot slots[4], int listen, int open_bus)
{
	int ret;

	const char *machine = qm.machine;

	memset(&qm, 0, sizeof(qm));
	memset(&bus, 0, sizeof(bus));
	qm.machine = machine;
	skip = !qemu_available();	/* reported (or failed) by NEED_QEMU in the test */
	if (skip)
		return;
	qm.listen = listen;
	ret = qemu_start(&qm, slots);
	ck_assert_msg(!ret, "qemu_start: %s", strerror(-ret));
	if (!open_bus)
		return;
	ret = qemu_bus_open(&qm, &bus, NULL);
	ck_assert_msg(!ret, "bus_open: %s", bus.errmsg);
	ata_port_init(&pri, &bus, &bus.chans[0]);
	ata_port_init(&sec, &bus, &bus.chans[1]);
}

/* Disk at 1, CD with a disc at 3, empty CD-ROM at 4, nothing at 2. */
static const enum qemu_slot std_slots[4] = { QEMU_DISK, QEMU_NONE, QEMU_CD, QEMU_CD_EMPTY };
/* Disk at 1, a CD-ROM without a disc at 3. */
static const enum qemu_slot nodisc_slots[4] = { QEMU_DISK, QEMU_NONE, QEMU_CD_EMPTY, QEMU_NONE };

/* Only the disk: the secondary channel has no drives. */
static const enum qemu_slot diskonly_slots[4] = { QEMU_DISK, QEMU_NONE, QEMU_NONE, QEMU_NONE };
static const enum qemu_slot no_slots[4] = { QEMU_NONE, QEMU_NONE, QEMU_NONE, QEMU_NONE };

static void setup_diskonly(void)
{
	start(diskonly_slots, 0, 1);
}

/* q35 has no legacy IDE decoder: the ports float at FFh. */
static void setup_q35(void)
{
	qm.machine = "q35";
	start(no_slots, 0, 1);
}

static void setup_std(void)
{
	start(std_slots, 0, 1);
}

static void setup_nodisc(void)
{
	start(nodisc_slots, 0, 1);
}

/* QEMU running, bus not opened: for CLI runs and failure injection. */
static void setup_cli(void)
{
	start(std_slots, 0, 0);
}

static void teardown(void)
{
	if (bus.ops)
		bus_close(&bus);
	qemu_stop(&qm);
}

#define NEED_QEMU() do { if (skip && qemu_skip(__func__)) return; } while (0)

/* SRST signatures (3.4): disk 00/00, ATAPI 14/EB, absent FF/FF; diagnostic 01h. */
START_TEST(test_signatures)
{
	struct ata_reset_info ri;

	NEED_QEMU();
	ck_assert_int_eq(ata_softreset(&pri, &ri), 0);
	ck_assert(!ri.floating && !ri.bsy_stuck);
	ck_assert_int_eq(ri.class[0], ATA_DEV_ATA);
	ck_assert_int_eq(ri.tf[0].command, 0x50);
	ck_assert_int_eq(ri.tf[0].feature, 0x01);
	ck_assert_int_eq(ri.tf[0].nsect, 0x01);
	ck_assert_int_eq(ri.tf[0].lbal, 0x01);
	ck_assert_int_eq(ri.tf[0].lbam, 0x00);
	ck_assert_int_eq(ri.tf[0].lbah, 0x00);
	/* Absent slave: status 00h (like an ATAPI device!), only FF/FF tells. */
	ck_assert_int_eq(ri.class[1], ATA_DEV_NONE);
	ck_assert_int_eq(ri.tf[1].command, 0x00);
	ck_assert_int_eq(ri.tf[1].lbam, 0xff);
	ck_assert_int_eq(ri.tf[1].lbah, 0xff);

	ck_assert_int_eq(ata_softreset(&sec, &ri), 0);
	for (int dev = 0; dev < 2; dev++) {
		ck_assert_int_eq(ri.class[dev], ATA_DEV_ATAPI);
		ck_assert_int_eq(ri.tf[dev].command, 0x00);	/* DRDY clear after SRST */
		ck_assert_int_eq(ri.tf[dev].feature, 0x01);
		ck_assert_int_eq(ri.tf[dev].lbam, 0x14);
		ck_assert_int_eq(ri.tf[dev].lbah, 0xeb);
	}
	ck_assert_int_eq(bus.error, 0);
}
END_TEST

/* A PIIX channel with no drives reads 00h everywhere: nobody there, no floating bus. */
START_TEST(test_empty_channel)
{
	struct ata_reset_info ri;
	struct chan_probe cp;

	NEED_QEMU();
	ck_assert_int_eq(ata_softreset(&sec, &ri), 0);
	ck_assert_int_eq(ri.class[0], ATA_DEV_NONE);
	ck_assert_int_eq(ri.class[1], ATA_DEV_NONE);
	ck_assert_int_eq(probe_channel(&sec, &cp), 0);
	ck_assert_int_eq(cp.dev[0].class, ATA_DEV_NONE);
	ck_assert_int_eq(cp.dev[1].class, ATA_DEV_NONE);
}
END_TEST

/* Nothing decodes the ports: FFh for ATA_TMO_FF_WAIT means nobody, not a busy drive. */
START_TEST(test_floating)
{
	struct ata_reset_info ri;

	NEED_QEMU();
	ck_assert_uint_eq(bus_inb(&bus, ATA_SECONDARY_CMD + ATA_REG_STATUS), 0xff);
	ck_assert_int_eq(ata_softreset(&sec, &ri), -ENODEV);
	ck_assert(ri.floating);
	ck_assert(!ri.bsy_stuck);
	ck_assert_int_eq(ri.class[0], ATA_DEV_NONE);
	ck_assert_int_eq(ri.class[1], ATA_DEV_NONE);
	ck_assert_int_eq(bus.error, 0);
}
END_TEST

START_TEST(test_identify_disk)
{
	uint16_t id[ATA_ID_WORDS];
	struct ata_id_info info;
	struct ata_reset_info ri;

	NEED_QEMU();
	ck_assert_int_eq(ata_softreset(&pri, &ri), 0);
	ck_assert_int_eq(ata_identify(&pri, 0, ATA_CMD_ID_ATA, id), 0);
	ck_assert_int_eq(ata_id_decode(id, &info), 0);
	ck_assert(!info.packet);
	ck_assert_str_eq(info.model, "QEMU HARDDISK");
	ck_assert_str_eq(info.serial, "QM00001");
	/* A disk aborts IDENTIFY PACKET DEVICE. */
	ck_assert_int_eq(ata_identify(&pri, 0, ATA_CMD_ID_ATAPI, id), -EIO);
	/* Nobody at the primary slave. */
	ck_assert_int_ne(ata_identify(&pri, 1, ATA_CMD_ID_ATA, id), 0);
	ck_assert_int_eq(bus.error, 0);
}
END_TEST

START_TEST(test_identify_packet)
{
	uint16_t id[ATA_ID_WORDS];
	struct ata_id_info info;
	struct ata_reset_info ri;

	NEED_QEMU();
	ck_assert_int_eq(ata_softreset(&sec, &ri), 0);
	ck_assert_int_eq(ata_identify(&sec, 0, ATA_CMD_ID_ATAPI, id), 0);
	ck_assert_uint_eq(id[0], 0x85c0);
	ck_assert_int_eq(ata_id_decode(id, &info), 0);
	ck_assert(info.packet);
	ck_assert_int_eq(info.devtype, 0x05);
	ck_assert(info.removable);
	ck_assert_int_eq(info.cdb_len, 12);
	ck_assert_str_eq(info.model, "QEMU DVD-ROM");
	ck_assert_str_eq(info.serial, "QM00003");
	ck_assert_str_eq(info.fw_rev, "2.5+");
	/* The empty CD-ROM at 4 identifies too (QM00004). */
	ck_assert_int_eq(ata_identify(&sec, 1, ATA_CMD_ID_ATAPI, id), 0);
	ck_assert_int_eq(ata_id_decode(id, &info), 0);
	ck_assert_str_eq(info.serial, "QM00004");
}
END_TEST

static void atapi_open(struct pt *pt, struct atapi_dev *ad, int dev)
{
	struct ata_reset_info ri;

	ck_assert_int_eq(ata_softreset(&sec, &ri), 0);
	atapi_pt_init(pt, ad, &sec, dev);
}

START_TEST(test_inquiry)
{
	struct atapi_dev ad;
	struct inquiry inq;
	struct pt pt;

	NEED_QEMU();
	atapi_open(&pt, &ad, 0);
	ck_assert_int_eq(mmc_inquiry(&pt, &inq), 0);
	ck_assert_int_eq(inq.pdt, 0x05);
	ck_assert(inq.removable);
	ck_assert_str_eq(inq.vendor, "QEMU    ");
	ck_assert_str_eq(inq.product, "QEMU DVD-ROM    ");
	ck_assert_str_eq(inq.revision, "2.5+");
}
END_TEST

/* Data-port units moved by 16- and 32-bit string reads. */
static size_t words_in, dwords_in;

static void count_in(void *ctx, enum bus_op op, uint16_t port, uint32_t val, size_t count)
{
	(void)ctx;
	(void)port;
	(void)val;
	if (op == BUS_INSW)
		words_in += count;
	else if (op == BUS_INSL)
		dwords_in += count;
}

/* QEMU's data port takes dwords as PIIX does; with pio32=0 the same sectors come in words. */
START_TEST(test_read10_pio16_pio32)
{
	static uint8_t buf[3 * 2048], want[2048];
	struct scsi_sense sense;
	struct atapi_dev ad;
	struct pt pt;

	NEED_QEMU();
	atapi_open(&pt, &ad, 0);
	ck_assert_int_eq(bus.pio32, 1);
	mmc_test_unit_ready(&pt, &sense);	/* the power-on UNIT ATTENTION */
	bus.trace = count_in;
	for (int pio32 = 1; pio32 >= 0; pio32--) {
		bus.pio32 = pio32;
		words_in = dwords_in = 0;
		memset(buf, 0, sizeof(buf));
		ck_assert_int_eq(mmc_read10(&pt, 40, 3, buf, sizeof(buf)), 0);
		for (uint32_t i = 0; i < 3; i++) {
			qemu_cd_sector(40 + i, want);
			ck_assert_mem_eq(buf + 2048 * i, want, 2048);
		}
		ck_assert_uint_eq(pio32 ? dwords_in : words_in, 3 * 2048 / (pio32 ? 4 : 2));
		ck_assert_uint_eq(pio32 ? words_in : dwords_in, 0);
	}
	bus.trace = NULL;
	/* 80 KiB: more than one byte count limit, so several DRQ blocks; each must start dword-aligned. */
	{
		static uint8_t big[40 * 2048];

		for (int pio32 = 1; pio32 >= 0; pio32--) {
			bus.pio32 = pio32;
			memset(big, 0, sizeof(big));
			ck_assert_int_eq(mmc_read10(&pt, 0, 40, big, sizeof(big)), 0);
			for (uint32_t i = 0; i < 40; i++) {
				qemu_cd_sector(i, want);
				ck_assert_msg(!memcmp(big + 2048 * i, want, 2048), "pio32=%d: sector %u differs", pio32, i);
			}
		}
	}
	ck_assert_int_eq(bus.error, 0);
}
END_TEST

/* With a disc: TUR good, READ(10) returns the image's bytes, one and several sectors. */
START_TEST(test_read10)
{
	static uint8_t buf[3 * 2048], want[2048];
	struct scsi_sense sense;
	uint32_t last = 0, blen = 0;
	struct atapi_dev ad;
	struct pt pt;

	NEED_QEMU();
	atapi_open(&pt, &ad, 0);
	ck_assert_int_eq(mmc_test_unit_ready(&pt, &sense), 0);
	ck_assert_int_eq(mmc_read_capacity(&pt, &last, &blen), 0);
	ck_assert_uint_eq(last, QEMU_CD_SECTORS - 1);
	ck_assert_uint_eq(blen, 2048);
	ck_assert_int_eq(mmc_read10(&pt, 5, 1, buf, 2048), 0);
	qemu_cd_sector(5, want);
	ck_assert_mem_eq(buf, want, 2048);
	/* Three sectors: QEMU uses several DRQ blocks, BSY between them. */
	ck_assert_int_eq(mmc_read10(&pt, 61, 3, buf, sizeof(buf)), 0);
	for (uint32_t i = 0; i < 3; i++) {
		qemu_cd_sector(61 + i, want);
		ck_assert_mem_eq(buf + 2048 * i, want, 2048);
	}
	/* Past the end: ILLEGAL REQUEST, and the channel still works after it. */
	ck_assert_int_eq(mmc_read10(&pt, QEMU_CD_SECTORS, 1, buf, 2048), -EIO);
	ck_assert_int_eq(mmc_read10(&pt, 0, 1, buf, 2048), 0);
	ck_assert_mem_eq(buf, "LBA=00000000", 12);
	ck_assert_int_eq(bus.error, 0);
}
END_TEST

/* No disc: TEST UNIT READY is CHECK CONDITION, NOT READY / MEDIUM NOT PRESENT (3.5). */
START_TEST(test_tur_no_medium)
{
	static uint8_t buf[2048];
	struct scsi_sense sense;
	struct media_state m;
	struct inquiry inq;
	struct atapi_dev ad;
	struct pt pt;

	NEED_QEMU();
	atapi_open(&pt, &ad, 0);
	memset(&sense, 0, sizeof(sense));
	ck_assert_int_eq(mmc_test_unit_ready(&pt, &sense), -EIO);
	ck_assert(sense.valid);
	ck_assert_int_eq(sense.key, 0x2);
	ck_assert_int_eq(sense.asc, 0x3a);
	ck_assert_int_eq(mmc_read10(&pt, 0, 1, buf, sizeof(buf)), -EIO);
	/* INQUIRY and GET EVENT STATUS NOTIFICATION work without a disc. */
	ck_assert_int_eq(mmc_inquiry(&pt, &inq), 0);
	ck_assert_int_eq(mmc_get_event_status(&pt, &m), 0);
	ck_assert(!m.present);
	ck_assert_int_eq(bus.error, 0);
}
END_TEST

/* probe_channel, what scan uses, on both channels. */
START_TEST(test_probe)
{
	struct chan_probe cp;

	NEED_QEMU();
	ck_assert_int_eq(probe_channel(&pri, &cp), 0);
	ck_assert_int_eq(cp.dev[0].class, ATA_DEV_ATA);
	ck_assert_int_eq(cp.dev[0].id_ret, 0);
	ck_assert_str_eq(cp.dev[0].info.model, "QEMU HARDDISK");
	ck_assert_int_eq(cp.dev[1].class, ATA_DEV_NONE);
	ck_assert_int_eq(probe_channel(&sec, &cp), 0);
	ck_assert_int_eq(cp.dev[0].class, ATA_DEV_ATAPI);
	ck_assert_str_eq(cp.dev[0].info.model, "QEMU DVD-ROM");
	ck_assert_int_eq(cp.dev[0].inq_ret, 0);
	ck_assert_int_eq(cp.dev[0].medium, 1);
	ck_assert_int_eq(cp.dev[1].class, ATA_DEV_ATAPI);
	ck_assert_int_eq(cp.dev[1].medium, 0);
	ck_assert_int_eq(cp.dev[1].tur_sense.asc, 0x3a);
}
END_TEST

/* Every command byte written to a Command register, to prove what was never sent. */
static uint8_t cmds[256];
static int ncmds;

static void trace_cmds(void *ctx, enum bus_op op, uint16_t port, uint32_t val, size_t count)
{
	(void)ctx;
	(void)count;
	if (op == BUS_OUTB && (port == ATA_PRIMARY_CMD + ATA_REG_CMD ||
			       port == ATA_SECONDARY_CMD + ATA_REG_CMD) && ncmds < 256)
		cmds[ncmds++] = (uint8_t)val;
}

/* The safety layer tells a disk from a packet drive with IDENTIFY only: no vendor 80h. */
START_TEST(test_disk_never_gets_vendor_cmd)
{
	struct ata_reset_info ri;

	NEED_QEMU();
	ck_assert_int_eq(ata_softreset(&pri, &ri), 0);
	ck_assert_int_eq(ata_softreset(&sec, &ri), 0);
	ncmds = 0;
	bus.trace = trace_cmds;
	ck_assert_int_eq(flash_is_packet(TF_RAW(&pri), 0), 0);
	ck_assert_int_eq(flash_is_packet(TF_RAW(&sec), 0), 1);
	bus.trace = NULL;
	ck_assert_int_gt(ncmds, 0);
	for (int i = 0; i < ncmds; i++)
		ck_assert_msg(cmds[i] == ATA_CMD_ID_ATAPI || cmds[i] == ATA_CMD_ID_ATA,
			      "unexpected command 0x%02x", cmds[i]);
}
END_TEST

/* Kill QEMU at the first status poll after IDENTIFY PACKET: mid-command. */
static int kill_armed;

static void trace_kill(void *ctx, enum bus_op op, uint16_t port, uint32_t val, size_t count)
{
	(void)ctx;
	(void)count;
	if (op == BUS_OUTB && port == ATA_SECONDARY_CMD + ATA_REG_CMD && val == ATA_CMD_ID_ATAPI)
		kill_armed = 1;
	else if (kill_armed && op == BUS_INB) {
		kill(qm.pid, SIGKILL);
		waitpid(qm.pid, NULL, 0);
		qm.pid = 0;
		kill_armed = 0;
	}
}

START_TEST(test_qemu_killed)
{
	uint16_t id[ATA_ID_WORDS];
	struct ata_reset_info ri;
	uint64_t t0;
	int ret;

	NEED_QEMU();
	ck_assert_int_eq(ata_softreset(&sec, &ri), 0);
	bus.trace = trace_kill;
	t0 = mono_ms();
	ret = ata_identify(&sec, 0, ATA_CMD_ID_ATAPI, id);
	bus.trace = NULL;
	ck_assert_int_eq(qm.pid, 0);	/* the kill happened */
	ck_assert_int_eq(ret, -EIO);
	ck_assert_int_eq(bus.error, -EIO);
	ck_assert_msg(strstr(bus.errmsg, "QEMU"), "errmsg: %s", bus.errmsg);
	/* Later accesses fail at once and read as a floating bus. */
	ck_assert_uint_eq(bus_inb(&bus, ATA_PRIMARY_CMD + ATA_REG_STATUS), 0xff);
	ck_assert_int_eq(ata_softreset(&pri, &ri), -EIO);
	ck_assert_uint_lt(mono_ms() - t0, 2000);
}
END_TEST

/* A stopped (hung) QEMU: the reply timeout turns it into -EIO, not a hang. */
START_TEST(test_qemu_stopped)
{
	struct chan_probe cp;
	uint64_t t0;

	NEED_QEMU();
	ck_assert_int_eq(qemu_bus_open(&qm, &bus, "timeout=1"), 0);
	ata_port_init(&sec, &bus, &bus.chans[1]);
	kill(qm.pid, SIGSTOP);
	t0 = mono_ms();
	ck_assert_int_eq(probe_channel(&sec, &cp), -EIO);
	ck_assert_msg(strstr(bus.errmsg, "did not answer"), "errmsg: %s", bus.errmsg);
	ck_assert_uint_lt(mono_ms() - t0, 5000);
}
END_TEST

/* libqtest style: odrescue listens, QEMU -qtest unix:PATH connects. */
START_TEST(test_listen_mode)
{
	uint16_t id[ATA_ID_WORDS];
	struct ata_id_info info;
	struct ata_reset_info ri;

	NEED_QEMU();
	ck_assert_msg(!qemu_bus_open(&qm, &bus, NULL), "bus_open: %s", bus.errmsg);
	ata_port_init(&pri, &bus, &bus.chans[0]);
	ck_assert_int_eq(ata_softreset(&pri, &ri), 0);
	ck_assert_int_eq(ata_identify(&pri, 0, ATA_CMD_ID_ATA, id), 0);
	ck_assert_int_eq(ata_id_decode(id, &info), 0);
	ck_assert_str_eq(info.model, "QEMU HARDDISK");
}
END_TEST

static void setup_listen(void)
{
	start(std_slots, 1, 0);
}

/* Parameter and peer checks that need no QEMU. */
START_TEST(test_params)
{
	static const struct ata_chan ch[1] = { { ATA_PRIMARY_CMD, ATA_PRIMARY_CTL } };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *dir = tst_mkdtemp(), spec[300];
	struct bus b;
	uint64_t t0;
	int lfd;

	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(bus_open(&b, "qtest", ch, 1), -EINVAL);
	ck_assert_ptr_nonnull(strstr(b.errmsg, "socket=PATH"));
	ck_assert_int_eq(bus_open(&b, "qtest:socket=/x,listen=2", ch, 1), -EINVAL);
	ck_assert_int_eq(bus_open(&b, "qtest:socket=/x,timeout=0", ch, 1), -EINVAL);
	ck_assert_int_eq(bus_open(&b, "qtest:socket=/x,bogus=1", ch, 1), -EINVAL);
	ck_assert_ptr_nonnull(strstr(b.errmsg, "unknown parameter"));

	/* Nobody listening: "cannot connect" after the timeout, with the QEMU option to use. */
	snprintf(spec, sizeof(spec), "qtest:socket=/tmp/odrqt-none-%d.sock,timeout=1", (int)getpid());
	t0 = mono_ms();
	ck_assert_int_lt(bus_open(&b, spec, ch, 1), 0);
	ck_assert_ptr_nonnull(strstr(b.errmsg, "cannot connect"));
	ck_assert_ptr_nonnull(strstr(b.errmsg, "server=on"));
	ck_assert_uint_lt(mono_ms() - t0, 3000);

	/* A socket that accepts but never speaks qtest: refused at init, no hang. */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/odrqt-mute-%d.sock", (int)getpid());
	unlink(sa.sun_path);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(lfd, 1), 0);
	snprintf(spec, sizeof(spec), "qtest:socket=%s,timeout=1", sa.sun_path);
	t0 = mono_ms();
	ck_assert_int_eq(bus_open(&b, spec, ch, 1), -EIO);
	ck_assert_ptr_nonnull(strstr(b.errmsg, "a QEMU -qtest socket"));
	ck_assert_ptr_null(b.ops);
	ck_assert_uint_lt(mono_ms() - t0, 3000);
	close(lfd);
	unlink(sa.sun_path);

	/* listen=1 never replaces a file that is not a socket. */
	snprintf(spec, sizeof(spec), "qtest:socket=%s/plain,listen=1,timeout=1", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/plain", dir);
	ck_assert_int_eq(tst_write_file(sa.sun_path, "x", 1), 0);
	ck_assert_int_eq(bus_open(&b, spec, ch, 1), -EEXIST);
	unlink(sa.sun_path);
	tst_rmdir(dir);
	free(dir);
}
END_TEST

/* The CLI: scan lists QEMU's drives at the right positions. */
START_TEST(test_cli_scan)
{
	NEED_QEMU();
	ck_assert_msg(tst_cli(&r, "-p qtest:socket=%s scan", qm.sock) == EXIT_OK, "%s", r.err);
	ck_assert_msg(strstr(r.out, "1 primary master   ATA disk 'QEMU HARDDISK'"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "2 primary slave    none"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "3 secondary master ATAPI CD/DVD 'QEMU DVD-ROM'"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "4 secondary slave  ATAPI CD/DVD 'QEMU DVD-ROM'"), "%s", r.out);
	ck_assert_ptr_nonnull(strstr(strstr(r.out, "3 secondary"), "medium present"));
	ck_assert_ptr_nonnull(strstr(strstr(r.out, "4 secondary"), "medium absent"));

	/* QEMU keeps listening: a second run (identify) on the same machine works. */
	ck_assert_msg(tst_cli(&r, "-p qtest:socket=%s identify 3", qm.sock) == EXIT_OK, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "QM00003"));
}
END_TEST

/* QEMU's CD-ROM rejects REPORT KEY: rpc says there is no RPC-2 state, which is not an error. */
START_TEST(test_cli_rpc_no_state)
{
	NEED_QEMU();
	ck_assert_msg(tst_cli(&r, "-p qtest:socket=%s rpc 3", qm.sock) == EXIT_OK, "%s", r.err);
	ck_assert_msg(strstr(r.out, "no RPC-2 state (RPC-1 firmware or not a DVD drive)"), "%s", r.out);
	ck_assert_msg(tst_cli(&r, "-p qtest:socket=%s --json rpc 3", qm.sock) == EXIT_OK, "%s", r.err);
	ck_assert_msg(strstr(r.out, "\"rpc_state\": false") || strstr(r.out, "\"rpc_state\": null"), "%s", r.out);
}
END_TEST

/* Vendor mode on the disk at 1 is refused before any vendor command is sent. */
START_TEST(test_cli_chip_disk_refused)
{
	char *line;

	NEED_QEMU();
	ck_assert_int_eq(tst_cli(&r, "-p qtest:socket=%s --trace chip 1", qm.sock), EXIT_REFUSED);
	ck_assert_ptr_nonnull(strstr(r.err, "never sends vendor commands to a disk"));
	ck_assert_ptr_nonnull(strstr(r.err, "<- 0xec"));	/* the trace is there */
	for (line = strtok(r.err, "\n"); line; line = strtok(NULL, "\n"))
		ck_assert_msg(!(strstr(line, " command ") && strstr(line, "<- 0x80")), "%s", line);
}
END_TEST

/*
 * QEMU's DVD-ROM runs its firmware and refuses the vendor command: chip and
 * dump say it is not a MediaTek drive (exit 7), not "no device" (exit 2)
 * nor "may need odrescue rescue", which would point a healthy drive at a
 * write command (issue 16).
 */
START_TEST(test_cli_not_mediatek)
{
	static const char *const args[] = { "chip 3", "dump 3 out.bin" };

	NEED_QEMU();
	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		ck_assert_msg(tst_cli(&r, "-p qtest:socket=%s %s", qm.sock, args[i]) == EXIT_DEVERR, "%s: %d %s",
			      args[i], r.status, r.err);
		ck_assert_msg(strstr(r.err, "not a MediaTek drive"), "%s: %s", args[i], r.err);
		ck_assert_msg(!strstr(r.err, "odrescue rescue"), "%s: %s", args[i], r.err);
	}
}
END_TEST

/* QEMU dies while `wait` polls an empty position: an error within a second, not a hang. */
START_TEST(test_cli_qemu_killed)
{
	uint64_t t0;
	pid_t killer;

	NEED_QEMU();
	fflush(NULL);
	killer = fork();
	if (killer == 0) {
		struct timespec ts = { 0, 500 * 1000000L };

		nanosleep(&ts, NULL);
		kill(qm.pid, SIGKILL);
		_exit(0);
	}
	t0 = mono_ms();
	ck_assert_int_eq(tst_cli(&r, "-p qtest:socket=%s wait 2 --timeout 30", qm.sock), EXIT_DEVERR);
	waitpid(killer, NULL, 0);
	ck_assert_msg(strstr(r.err, "QEMU"), "%s", r.err);
	ck_assert_uint_lt(mono_ms() - t0, 5000);

	/* QEMU gone before the start: a usage-free, prompt failure naming the socket. */
	ck_assert_int_ne(tst_cli(&r, "-p qtest:socket=%s,timeout=1 scan", qm.sock), EXIT_OK);
	ck_assert_ptr_nonnull(strstr(r.err, "qtest"));
}
END_TEST

static TCase *tc(const char *name, void (*setup)(void))
{
	TCase *t = tcase_create(name);

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, QT_TEST_TMO_S);
	return t;
}

Suite *suite_qtest(void)
{
	Suite *s = suite_create("qtest");
	TCase *t;

	t = tc("qtest-std", setup_std);
	tcase_add_test(t, test_signatures);
	tcase_add_test(t, test_identify_disk);
	tcase_add_test(t, test_identify_packet);
	tcase_add_test(t, test_inquiry);
	tcase_add_test(t, test_read10);
	tcase_add_test(t, test_read10_pio16_pio32);
	tcase_add_test(t, test_probe);
	tcase_add_test(t, test_disk_never_gets_vendor_cmd);
	tcase_add_test(t, test_qemu_killed);
	suite_add_tcase(s, t);

	t = tc("qtest-nodisc", setup_nodisc);
	tcase_add_test(t, test_tur_no_medium);
	suite_add_tcase(s, t);

	t = tc("qtest-diskonly", setup_diskonly);
	tcase_add_test(t, test_empty_channel);
	suite_add_tcase(s, t);

	t = tc("qtest-q35", setup_q35);
	tcase_add_test(t, test_floating);
	suite_add_tcase(s, t);

	t = tc("qtest-cli", setup_cli);
	tcase_add_test(t, test_cli_scan);
	tcase_add_test(t, test_cli_rpc_no_state);
	tcase_add_test(t, test_cli_chip_disk_refused);
	tcase_add_test(t, test_cli_not_mediatek);
	tcase_add_test(t, test_cli_qemu_killed);
	tcase_add_test(t, test_qemu_stopped);
	suite_add_tcase(s, t);

	t = tc("qtest-listen", setup_listen);
	tcase_add_test(t, test_listen_mode);
	suite_add_tcase(s, t);

	t = tcase_create("qtest-params");
	tcase_set_timeout(t, QT_TEST_TMO_S);
	tcase_add_test(t, test_params);
	suite_add_tcase(s, t);
	return s;
}
