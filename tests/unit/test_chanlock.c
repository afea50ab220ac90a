/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One odrescue per channel: the lock file, its holder's pid, stale files, and the exit-4 refusal. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hw/bus_fault.h"
#include "recovery/chanlock.h"
#include "src/cli.h"
#include "tests/tst.h"

static char *dir;

#define path(name) tst_path(dir, name)

static void setup(void)
{
	dir = tst_mkdtemp();
	ck_assert_ptr_nonnull(dir);
}

static void teardown(void)
{
	unsetenv("ODRESCUE_LOCKDIR");
	tst_rmdir(dir);
	free(dir);
}

/* A lock is per open file description: a second one in this process conflicts like another process. */
START_TEST(test_same_base_conflicts)
{
	struct chanlock a, b;
	struct chanlock_holder h;
	char *text;
	size_t len;

	ck_assert_int_eq(chanlock_take(&a, path("odrescue-0x170.lock"), "odrescue flash 3 fw.hex", &h), 0);
	ck_assert_int_eq(chanlock_take(&b, path("odrescue-0x170.lock"), "odrescue scan", &h), -EBUSY);
	ck_assert_int_eq(b.fd, -1);
	ck_assert_int_eq(h.pid, getpid());
	ck_assert_str_eq(h.cmd, "odrescue flash 3 fw.hex");
	ck_assert_int_eq(strlen(h.since), 19);	/* 2026-11-25 07:23:13 */
	/* Another channel is another lock. */
	ck_assert_int_eq(chanlock_take(&b, path("odrescue-0x1f0.lock"), "odrescue scan", &h), 0);
	chanlock_drop(&b);
	/* Let go: the next one gets it, and the file names no stale holder meanwhile. */
	chanlock_drop(&a);
	text = tst_read_file(path("odrescue-0x170.lock"), &len);
	ck_assert_uint_eq(len, 0);
	free(text);
	ck_assert_int_eq(chanlock_take(&b, path("odrescue-0x170.lock"), "odrescue scan", &h), 0);
	chanlock_drop(&b);
	chanlock_drop(&b);	/* twice is harmless */
}
END_TEST

/* Another process holds it: its pid is reported; once it is gone (killed, no cleanup) the lock is free. */
START_TEST(test_other_process_then_stale)
{
	struct chanlock l;
	struct chanlock_holder h;
	int ready[2], status;
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe(ready), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct chanlock mine;

		if (chanlock_take(&mine, path("odrescue-0x170.lock"), "odrescue wait 3", &h))
			_exit(1);
		(void)!write(ready[1], "x", 1);
		pause();	/* killed below: no chanlock_drop, the file keeps our pid */
		_exit(0);
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(chanlock_take(&l, path("odrescue-0x170.lock"), "odrescue scan", &h), -EBUSY);
	ck_assert_int_eq(h.pid, pid);
	ck_assert_str_eq(h.cmd, "odrescue wait 3");
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(chanlock_take(&l, path("odrescue-0x170.lock"), "odrescue scan", &h), 0);
	chanlock_drop(&l);
	close(ready[0]);
}
END_TEST

/* A holder that could not write its pid leaves the file as it was: a dead pid there names nobody. */
START_TEST(test_stale_content_names_nobody)
{
	struct chanlock a, b;
	struct chanlock_holder h;
	const char stale[] = "pid 2147483000\nsince 2001-01-01 00:00:00\ncommand odrescue old\n";

	ck_assert_int_eq(tst_write_file(path("odrescue-0x170.lock"), stale, strlen(stale)), 0);
	ck_assert_int_eq(chanlock_take(&a, path("odrescue-0x170.lock"), "odrescue scan", &h), 0);
	ck_assert(a.wrote);
	/* Put the stale text back under the live lock, as a read-only holder would have left it. */
	ck_assert_int_eq(pwrite(a.fd, stale, strlen(stale), 0), (ssize_t)strlen(stale));
	ck_assert_int_eq(chanlock_take(&b, path("odrescue-0x170.lock"), "odrescue scan", &h), -EBUSY);
	ck_assert_int_eq(h.pid, 0);
	ck_assert_str_eq(h.cmd, "");
	chanlock_drop(&a);
}
END_TEST

/* Made 0644 whatever the umask; a symlink or a FIFO under the name is refused, not followed or waited on. */
START_TEST(test_file_mode_and_odd_names)
{
	struct chanlock l;
	struct chanlock_holder h;
	struct stat st;
	mode_t old = umask(077);
	int ret = chanlock_take(&l, path("odrescue-0x170.lock"), "x", &h);

	umask(old);
	ck_assert_int_eq(ret, 0);
	ck_assert_int_eq(stat(path("odrescue-0x170.lock"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	chanlock_drop(&l);
	ck_assert_int_eq(symlink(path("elsewhere"), path("odrescue-0x1f0.lock")), 0);
	ck_assert_int_eq(chanlock_take(&l, path("odrescue-0x1f0.lock"), "x", &h), -ELOOP);
	ck_assert_int_ne(access(path("elsewhere"), F_OK), 0);
	ck_assert_int_eq(mkfifo(path("odrescue-0xd000.lock"), 0644), 0);
	ck_assert_int_eq(chanlock_take(&l, path("odrescue-0xd000.lock"), "x", &h), -EINVAL);
	ck_assert_int_eq(chanlock_take(&l, path("no-such-dir/odrescue-0x170.lock"), "x", &h), -ENOENT);
}
END_TEST

/* A file that is not only ours (hard-linked, or another user's) is locked but never written or emptied. */
START_TEST(test_foreign_file_left_as_is)
{
	struct chanlock l;
	struct chanlock_holder h;
	char *text;
	size_t len;

	ck_assert_int_eq(tst_write_file(path("victim"), "keep me\n", 8), 0);
	ck_assert_int_eq(link(path("victim"), path("odrescue-0x170.lock")), 0);
	ck_assert_int_eq(chanlock_take(&l, path("odrescue-0x170.lock"), "x", &h), 0);
	ck_assert(!l.wrote);
	chanlock_drop(&l);
	text = tst_read_file(path("victim"), &len);
	ck_assert(len == 8 && !memcmp(text, "keep me\n", 8));
	free(text);
	if (geteuid() != 0)
		return;	/* chown needs root */
	ck_assert_int_eq(tst_write_file(path("odrescue-0x1f0.lock"), "pid 1\n", 6), 0);
	ck_assert_int_eq(chown(path("odrescue-0x1f0.lock"), 65534, 65534), 0);
	ck_assert_int_eq(chanlock_take(&l, path("odrescue-0x1f0.lock"), "x", &h), 0);
	ck_assert(!l.wrote);
	chanlock_drop(&l);
	text = tst_read_file(path("odrescue-0x1f0.lock"), &len);
	ck_assert(len == 6 && !memcmp(text, "pid 1\n", 6));
	free(text);
}
END_TEST

/*
 * root's lock file, then a user's run: the file opens read-only for the
 * user and the lock still holds (and still conflicts with root's next run).
 */
START_TEST(test_other_users_file)
{
	struct chanlock l;
	struct chanlock_holder h;
	int status;
	pid_t pid;

	if (geteuid() != 0)
		return;	/* needs a second user */
	ck_assert_int_eq(chmod(dir, 0755), 0);
	ck_assert_int_eq(chanlock_take(&l, path("odrescue-0x170.lock"), "root", &h), 0);
	chanlock_drop(&l);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct chanlock mine, again;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		if (chanlock_take(&mine, path("odrescue-0x170.lock"), "user", &h))
			_exit(3);
		if (mine.wrote)
			_exit(4);
		if (chanlock_take(&again, path("odrescue-0x170.lock"), "user", &h) != -EBUSY)
			_exit(5);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
}
END_TEST

/* What main() does with it: a held channel is -EBUSY (exit 4) and one line naming the holder. */
START_TEST(test_ctx_refuses_held_channel)
{
	struct chanlock other, primary;
	struct chanlock_holder h;
	struct ctx c;
	char *err = NULL, want[160];
	size_t errlen = 0;

	setenv("ODRESCUE_LOCKDIR", dir, 1);
	memset(&c, 0, sizeof(c));
	c.out = stdout;
	c.err = open_memstream(&err, &errlen);
	c.bus.ops = &bus_ioport;	/* never initialised: locking touches no port */
	c.bus.nchans = 2;
	c.bus.chans[0] = (struct ata_chan){ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL };
	c.bus.chans[1] = (struct ata_chan){ ATA_SECONDARY_CMD, ATA_SECONDARY_CTL };
	ck_assert_int_eq(chanlock_take(&other, path("odrescue-0x170.lock"), "odrescue flash 3 fw.hex", &h), 0);

	ck_assert_int_eq(ctx_lock_channels(&c), -EBUSY);
	ck_assert_int_eq(exit_code_for(-EBUSY), EXIT_OWNED);
	fflush(c.err);
	snprintf(want, sizeof(want), "odrescue: channel 0x170 is in use by odrescue pid %ld (odrescue flash "
		 "3 fw.hex, since ", (long)getpid());
	ck_assert_msg(!strncmp(err, want, strlen(want)), "%s", err);
	ck_assert_msg(strchr(err, '\n') == err + errlen - 1, "one line: %s", err);
	/* The primary channel it took on the way is given up again. */
	ctx_unlock_channels();
	ck_assert_int_eq(chanlock_take(&primary, path("odrescue-0x1f0.lock"), "x", &h), 0);
	chanlock_drop(&primary);
	chanlock_drop(&other);
	ck_assert_int_eq(ctx_lock_channels(&c), 0);
	ck_assert_int_eq(chanlock_take(&primary, path("odrescue-0x1f0.lock"), "x", &h), -EBUSY);
	ck_assert_int_eq(chanlock_take(&other, path("odrescue-0x170.lock"), "x", &h), -EBUSY);
	ctx_unlock_channels();
	ck_assert_int_eq(chanlock_take(&other, path("odrescue-0x170.lock"), "x", &h), 0);
	chanlock_drop(&other);

	/* No lock file can be made: refused (exit 3), not run unlocked. */
	setenv("ODRESCUE_LOCKDIR", path("missing"), 1);
	ck_assert_int_eq(ctx_lock_channels(&c), -EACCES);
	fflush(c.err);
	ck_assert_msg(strstr(err, "cannot take the lock file for channel 0x1f0"), "%s", err);
	fclose(c.err);
	free(err);
}
END_TEST

/* Only this machine's ports are locked: real ports also behind the fault layer, not the simulator. */
START_TEST(test_ctx_which_backends)
{
	struct chanlock other;
	struct chanlock_holder h;
	struct ctx c;
	struct bus inner;
	struct bus_fault_cfg cfg = { .seed = 1 };

	setenv("ODRESCUE_LOCKDIR", dir, 1);
	memset(&c, 0, sizeof(c));
	memset(&inner, 0, sizeof(inner));
	c.out = stdout;
	c.err = fopen("/dev/null", "w");
	inner.ops = &bus_ioport;
	inner.nchans = 1;
	inner.chans[0] = (struct ata_chan){ 0xd000, 0xd402 };
	ck_assert_int_eq(chanlock_take(&other, path("odrescue-0xd000.lock"), "x", &h), 0);
	c.bus = inner;
	c.bus.ops = &bus_sim;
	ck_assert_int_eq(ctx_lock_channels(&c), 0);
	ck_assert_int_eq(bus_fault_attach(&c.bus, &inner, &cfg), 0);
	ck_assert_int_eq(ctx_lock_channels(&c), -EBUSY);
	bus_close(&c.bus);
	chanlock_drop(&other);
	fclose(c.err);
}
END_TEST

Suite *suite_chanlock(void)
{
	Suite *s = suite_create("chanlock");
	TCase *tc = tcase_create("chanlock");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_same_base_conflicts);
	tcase_add_test(tc, test_other_process_then_stale);
	tcase_add_test(tc, test_stale_content_names_nobody);
	tcase_add_test(tc, test_file_mode_and_odd_names);
	tcase_add_test(tc, test_foreign_file_left_as_is);
	tcase_add_test(tc, test_other_users_file);
	tcase_add_test(tc, test_ctx_refuses_held_channel);
	tcase_add_test(tc, test_ctx_which_backends);
	suite_add_tcase(s, tc);
	return s;
}
