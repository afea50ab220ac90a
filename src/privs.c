// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "src/privs.h"

int privs_refuse_setuid(struct ctx *c)
{
	if (getuid() == geteuid() && getgid() == getegid())
		return 0;
	err_msg(c, "refused: odrescue is installed setuid or setgid; run it as root (or with sudo) instead");
	return -EPERM;
}

/* The user who ran sudo, if one did: 0 with uid and gid set, or -ENOENT. */
static int sudo_user(uid_t *uid, gid_t *gid)
{
	const char *u = getenv("SUDO_UID"), *g = getenv("SUDO_GID");
	char *end;
	unsigned long v;

	if (!u || !g || !*u || !*g)
		return -ENOENT;
	v = strtoul(u, &end, 10);
	if (*end || !v || v > 0x7fffffff)
		return -ENOENT;
	*uid = (uid_t)v;
	v = strtoul(g, &end, 10);
	if (*end || v > 0x7fffffff)
		return -ENOENT;
	*gid = (gid_t)v;
	return 0;
}

/* Every capability out of the bounding, effective, permitted and inheritable sets. */
static int drop_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	for (int cap = 0; cap <= 63; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL)
			return -errno;
	memset(data, 0, sizeof(data));
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

int privs_drop(struct ctx *c)
{
	static int dropped;
	uid_t uid;
	gid_t gid;
	int ret = 0;

	if (dropped)
		return 0;
	dropped = 1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		ret = -errno;
	else if (geteuid() != 0)
		return 0;	/* nothing more to give up */
	else if (!sudo_user(&uid, &gid)) {
		/* Files it writes from here on belong to the user who ran sudo. */
		if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
			ret = -errno;
		else
			info_msg(c, 1, "privileges: the ports are granted; now uid %u gid %u (from sudo), "
				 "no capabilities", (unsigned)uid, (unsigned)gid);
	} else {
		ret = drop_caps();
		if (!ret)
			info_msg(c, 1, "privileges: the ports are granted; all capabilities dropped");
	}
	if (ret)
		err_msg(c, "cannot drop privileges: %s", strerror(-ret));
	return ret;
}

int privs_open_user(const char *path, int flags, mode_t mode)
{
	uid_t uid;
	gid_t gid;
	int fd, err = 0;

	if (geteuid() != 0 || sudo_user(&uid, &gid)) {
		fd = open(path, flags, mode);
		return fd < 0 ? -errno : fd;
	}
	/* effective ids only, and back: the bus still needs root for ioperm */
	if (setegid(gid) || seteuid(uid)) {
		err = -errno;
		if (setegid(0))
			return -errno;
		return err;
	}
	fd = open(path, flags, mode);
	if (fd < 0)
		err = -errno;
	if (seteuid(0) || setegid(0)) {
		if (fd >= 0)
			close(fd);
		return -EPERM;	/* cannot happen as root; never go on half-changed */
	}
	return fd < 0 ? err : fd;
}
