/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Start and stop QEMU for the qtest tier; see qemu.h. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/qtest/qemu.h"
#include "tests/tst.h"

#define QEMU_START_TMO_MS	10000	/* QEMU -S is up in ~100 ms; this is a broken install */

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int qemu_available(void)
{
	const char *path = getenv("PATH");
	char *dup, *save = NULL;
	int found = 0;

	if (!path)
		return 0;
	dup = strdup(path);
	for (char *d = strtok_r(dup, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char f[4096];

		snprintf(f, sizeof(f), "%s/%s", *d ? d : ".", QEMU_BIN);
		found = !access(f, X_OK);
	}
	free(dup);
	return found;
}

int qemu_skip(const char *test)
{
	const char *req = getenv("ODRESCUE_REQUIRE_QEMU");

	if (qemu_available())
		return 0;
	if (req && !strcmp(req, "1"))
		ck_abort_msg("%s: %s not found and ODRESCUE_REQUIRE_QEMU=1", test, QEMU_BIN);
	printf("qtest: SKIP %s: %s not found (make deps installs qemu-system-x86)\n", test, QEMU_BIN);
	fflush(stdout);
	return 1;
}

void qemu_cd_sector(uint32_t lba, uint8_t out[2048])
{
	char head[16];

	/* A header naming the LBA, then bytes that differ per offset and sector. */
	for (unsigned i = 0; i < 2048; i++)
		out[i] = (uint8_t)(i * 7 + lba * 13);
	snprintf(head, sizeof(head), "LBA=%08u", (unsigned)lba);
	memcpy(out, head, 12);
}

static int write_images(struct qemu *q)
{
	uint8_t *img = calloc(1, QEMU_DISK_BYTES);
	int ret;

	if (!img)
		return -ENOMEM;
	for (uint32_t lba = 0; lba < QEMU_CD_SECTORS; lba++)
		qemu_cd_sector(lba, img + 2048 * lba);
	ret = tst_write_file(q->cd, img, 2048u * QEMU_CD_SECTORS);
	if (!ret) {
		memset(img, 0, QEMU_DISK_BYTES);
		for (uint32_t s = 0; s < QEMU_DISK_BYTES / 512; s++)
			snprintf((char *)img + 512 * s, 32, "DISK LBA=%08u", (unsigned)s);
		ret = tst_write_file(q->disk, img, QEMU_DISK_BYTES);
	}
	free(img);
	return ret;
}

static int sock_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISSOCK(st.st_mode);
}

static void dump_log(const struct qemu *q)
{
	size_t len;
	char *log = tst_read_file(q->log, &len);

	if (log) {
		fprintf(stderr, "qemu log:\n%.*s\n", (int)len, log);
		free(log);
	}
}

int qemu_start(struct qemu *q, const enum qemu_slot slots[4])
{
	return qemu_start_n(q, slots, 4);
}

int qemu_start_n(struct qemu *q, const enum qemu_slot *slots, int nslots)
{
	char qt[192], drv[QEMU_MAX_SLOTS][256];
	const char *argv[32];
	int argc = 0, ret;

	q->pid = 0;
	snprintf(q->dir, sizeof(q->dir), "/tmp/odrqt-XXXXXX");	/* sun_path is 108 bytes: no $TMPDIR */
	if (!mkdtemp(q->dir))
		return -errno;
	snprintf(q->sock, sizeof(q->sock), "%s/qt.sock", q->dir);
	snprintf(q->disk, sizeof(q->disk), "%s/disk.img", q->dir);
	snprintf(q->cd, sizeof(q->cd), "%s/cd.iso", q->dir);
	snprintf(q->log, sizeof(q->log), "%s/qemu.log", q->dir);
	ret = write_images(q);
	if (ret)
		return ret;

	/* -S: no SeaBIOS run, so nothing but the test touches the IDE ports. */
	argv[argc++] = QEMU_BIN;
	argv[argc++] = "-machine";
	argv[argc++] = q->machine ? q->machine : "pc";
	argv[argc++] = "-S";
	argv[argc++] = "-display";
	argv[argc++] = "none";
	argv[argc++] = "-nodefaults";	/* no default CD-ROM at position 3 */
	argv[argc++] = "-qtest-log";
	argv[argc++] = "none";
	snprintf(qt, sizeof(qt), "unix:%s%s", q->sock, q->listen ? "" : ",server=on,wait=off");
	argv[argc++] = "-qtest";
	argv[argc++] = qt;
	for (int i = 0; i < nslots && i < QEMU_MAX_SLOTS; i++) {
		switch (slots[i]) {
		case QEMU_NONE:
			continue;
		case QEMU_DISK:
			snprintf(drv[i], sizeof(drv[i]), "file=%s,if=ide,index=%d,format=raw", q->disk, i);
			break;
		case QEMU_CD:
			snprintf(drv[i], sizeof(drv[i]), "file=%s,if=ide,index=%d,media=cdrom,format=raw",
				 q->cd, i);
			break;
		case QEMU_CD_EMPTY:
			snprintf(drv[i], sizeof(drv[i]), "if=ide,index=%d,media=cdrom", i);
			break;
		}
		argv[argc++] = "-drive";
		argv[argc++] = drv[i];
	}
	argv[argc] = NULL;

	fflush(NULL);
	q->pid = fork();
	if (q->pid < 0)
		return -errno;
	if (q->pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int log = open(q->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		/* Never outlive the test, even when Check kills it on a timeout. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(in, 0);
		dup2(log, 1);
		dup2(log, 2);
		/* libqtest style: QEMU connects, so the listener must be there first. */
		for (int ms = 0; q->listen && !sock_exists(q->sock) && ms < QEMU_START_TMO_MS; ms += 5)
			sleep_ms(5);
		execvp(QEMU_BIN, (char *const *)argv);
		_exit(127);
	}
	if (q->listen)
		return 0;
	for (int ms = 0; ms < QEMU_START_TMO_MS; ms += 5) {
		int st;

		if (sock_exists(q->sock))
			return 0;
		if (waitpid(q->pid, &st, WNOHANG) == q->pid) {
			q->pid = 0;
			dump_log(q);
			return -EIO;
		}
		sleep_ms(5);
	}
	dump_log(q);
	return -ETIMEDOUT;
}

int qemu_bus_open(struct qemu *q, struct bus *b, const char *extra)
{
	static const struct ata_chan chans[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL },
		{ ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};
	char spec[256];

	memset(b, 0, sizeof(*b));
	snprintf(spec, sizeof(spec), "qtest:socket=%s%s%s%s", q->sock, q->listen ? ",listen=1" : "",
		 extra ? "," : "", extra ? extra : "");
	return bus_open(b, spec, chans, 2);
}

void qemu_stop(struct qemu *q)
{
	if (q->pid > 0) {
		kill(q->pid, SIGCONT);	/* a test may have stopped it */
		kill(q->pid, SIGKILL);
		waitpid(q->pid, NULL, 0);
	}
	q->pid = 0;
	if (q->dir[0]) {
		unlink(q->sock);
		unlink(q->disk);
		unlink(q->cd);
		unlink(q->log);
		rmdir(q->dir);
	}
	q->dir[0] = '\0';
}
