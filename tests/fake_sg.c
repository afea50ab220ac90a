/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scsi/sg.h>

#include "hw/scsi.h"
#include "src/atapi_mode.h"
#include "src/cli.h"
#include "tests/fake_sg.h"

#define FAKE_SG_FD	9

struct fake_sg fake_sg;

static int fk_open(const char *path, int flags)
{
	snprintf(fake_sg.opened, sizeof(fake_sg.opened), "%s", path);
	fake_sg.open_flags = flags;
	return fake_sg.open_ret;
}

static void fk_sense(struct sg_io_hdr *h, uint8_t key, uint8_t asc, uint8_t ascq)
{
	uint8_t s[18] = { 0x70, 0, key, 0, 0, 0, 0, 10, 0, 0, 0, 0, asc, ascq };

	h->status = SAM_STAT_CHECK_CONDITION;
	h->masked_status = SAM_STAT_CHECK_CONDITION >> 1;
	h->driver_status = 0x08;	/* DRIVER_SENSE */
	h->sb_len_wr = (uint8_t)(h->mx_sb_len < sizeof(s) ? h->mx_sb_len : sizeof(s));
	memcpy(h->sbp, s, h->sb_len_wr);
	h->resid = (int)h->dxfer_len;
}

static void fk_data(struct sg_io_hdr *h, const void *src, unsigned len)
{
	unsigned n = len < h->dxfer_len ? len : h->dxfer_len;

	memcpy(h->dxferp, src, n);
	h->resid = (int)(h->dxfer_len - n);
}

static int fk_ioctl(int fd, unsigned long req, void *arg)
{
	struct sg_io_hdr *h = arg;
	const uint8_t *cdb;

	if (fd != FAKE_SG_FD)
		return -EBADF;
	if (req == SG_GET_VERSION_NUM) {
		*(int *)arg = 30536;
		return 0;
	}
	if (req != SG_IO || h->interface_id != 'S')
		return -EINVAL;
	cdb = h->cmdp;
	fake_sg.cmds++;
	memcpy(fake_sg.last_cdb, cdb, h->cmd_len < 16 ? h->cmd_len : 16);
	h->status = 0;
	h->host_status = 0;
	h->driver_status = 0;
	h->sb_len_wr = 0;
	h->resid = 0;
	switch (cdb[0]) {
	case INQUIRY:
		fk_data(h, fake_sg.inquiry, sizeof(fake_sg.inquiry));
		break;
	case TEST_UNIT_READY:
		if (!fake_sg.medium)
			fk_sense(h, NOT_READY, 0x3a, 0x00);
		break;
	case REPORT_KEY:
		if (fake_sg.rpc_reject || (cdb[10] & 0x3f) != 0x08)
			fk_sense(h, ILLEGAL_REQUEST, 0x24, 0x00);
		else
			fk_data(h, fake_sg.rpc, sizeof(fake_sg.rpc));
		break;
	case 0x85:
		if (!fake_sg.ata16) {
			fk_sense(h, ILLEGAL_REQUEST, 0x20, 0x00);
		} else {
			uint8_t b[512];

			for (int i = 0; i < 256; i++) {
				b[2 * i] = (uint8_t)fake_sg.id[i];
				b[2 * i + 1] = (uint8_t)(fake_sg.id[i] >> 8);
			}
			fk_data(h, b, sizeof(b));
		}
		break;
	case WRITE_BUFFER:
		fake_sg.write_buffers++;
		fk_sense(h, ILLEGAL_REQUEST, 0x24, 0x00);
		break;
	default:
		fk_sense(h, ILLEGAL_REQUEST, 0x20, 0x00);
	}
	return 0;
}

static int fk_close(int fd)
{
	return fd == FAKE_SG_FD ? 0 : -EBADF;
}

const struct sgio_sys fake_sg_sys = { fk_open, fk_ioctl, fk_close };

void fake_sg_rpc(int type, int vra, int ucca, uint8_t mask, uint8_t scheme)
{
	memset(fake_sg.rpc, 0, sizeof(fake_sg.rpc));
	fake_sg.rpc[1] = 6;
	fake_sg.rpc[4] = (uint8_t)(type << 6 | (vra & 7) << 3 | (ucca & 7));
	fake_sg.rpc[5] = mask;
	fake_sg.rpc[6] = scheme;
}

void fake_sg_reset(void)
{
	memset(&fake_sg, 0, sizeof(fake_sg));
	fake_sg.open_ret = FAKE_SG_FD;
	memset(fake_sg.inquiry, ' ', sizeof(fake_sg.inquiry));
	fake_sg.inquiry[0] = 0x05;
	fake_sg.inquiry[1] = 0x80;
	fake_sg.inquiry[2] = 0x05;
	fake_sg.inquiry[3] = 0x32;
	fake_sg.inquiry[4] = 91;
	memcpy(fake_sg.inquiry + 8, "HL-DT-STDVDRAM GH22NP20 1.02", 28);
	fake_sg_rpc(1, 4, 4, 0xfd, 1);
}

int fake_sg_main(struct tst_run *r, const char *fmt, ...)
{
	char line[4096], *argv[64];
	char outp[] = "/tmp/odr-fout-XXXXXX", errp[] = "/tmp/odr-ferr-XXXXXX";
	int argc = 0, ofd, efd, save_out, save_err;
	va_list ap;
	FILE *f;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	argv[argc++] = "odrescue";
	for (char *t = strtok(line, " "); t && argc < 63; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	ofd = mkstemp(outp);
	efd = mkstemp(errp);
	fflush(NULL);
	save_out = dup(1);
	save_err = dup(2);
	dup2(ofd, 1);
	dup2(efd, 2);
	atapi_sgio_sys = &fake_sg_sys;
	optind = 0;		/* GNU getopt: start over */
	r->status = odrescue_main(argc, argv);
	atapi_sgio_sys = NULL;
	fflush(NULL);
	dup2(save_out, 1);
	dup2(save_err, 2);
	close(save_out);
	close(save_err);
	close(ofd);
	close(efd);
	f = fopen(outp, "r");
	n = f ? fread(r->out, 1, sizeof(r->out) - 1, f) : 0;
	r->out[n] = '\0';
	if (f)
		fclose(f);
	f = fopen(errp, "r");
	n = f ? fread(r->err, 1, sizeof(r->err) - 1, f) : 0;
	r->err[n] = '\0';
	if (f)
		fclose(f);
	unlink(outp);
	unlink(errp);
	return r->status;
}
