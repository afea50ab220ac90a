/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Commands on a device node through SG_IO (fake kernel): identify, refusals, wbuf checks before any data. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/atapi_mode.h"
#include "src/exitcodes.h"
#include "tests/fake_sg.h"

static struct tst_run r;
static char *dir;

#define OUT_HAS(s) ck_assert_msg(strstr(r.out, s), "missing '%s' in:\n%s", s, r.out)
#define ERR_HAS(s) ck_assert_msg(strstr(r.err, s), "missing '%s' in:\n%s", s, r.err)

static void setup(void)
{
	fake_sg_reset();
	dir = tst_mkdtemp();
	ck_assert_ptr_nonnull(dir);
}

static void teardown(void)
{
	tst_rmdir(dir);
	free(dir);
}

/* IDENTIFY strings go in byte-swapped words (ATA string convention). */
static void id_string(unsigned word, const char *s, unsigned words)
{
	for (unsigned i = 0; i < words; i++) {
		char a = s[0] ? *s++ : ' ';
		char b = s[0] ? *s++ : ' ';

		fake_sg.id[word + i] = (uint16_t)((uint8_t)a << 8 | (uint8_t)b);
	}
}

START_TEST(test_identify_without_ata16)
{
	ck_assert_int_eq(fake_sg_main(&r, "identify /dev/sr0"), EXIT_OK);
	OUT_HAS("/dev/sr0: INQUIRY [HL-DT-ST][DVDRAM GH22NP20 ][1.02] medium absent");
	OUT_HAS("vendor 'HL-DT-ST' product 'DVDRAM GH22NP20 ' revision '1.02'");
	OUT_HAS("IDENTIFY         unavailable through SG_IO: the path rejects ATA PASS-THROUGH(16)");
	ck_assert_uint_eq(fake_sg.last_cdb[0], 0x85);
	ck_assert_uint_eq(fake_sg.last_cdb[14], 0xa1);		/* IDENTIFY PACKET DEVICE */
	ck_assert_int_eq(fake_sg.open_flags & O_ACCMODE, O_RDONLY);	/* identify never writes */
	ck_assert_int_eq(fake_sg_main(&r, "identify /dev/sr0 --json"), EXIT_OK);
	OUT_HAS("\"identify\": null");
	OUT_HAS("\"identify_error\": \"the path rejects ATA PASS-THROUGH(16)");
	OUT_HAS("\"path\": \"sg_io\"");
}
END_TEST

START_TEST(test_identify_with_ata16)
{
	fake_sg.ata16 = 1;
	fake_sg.medium = 1;
	fake_sg.id[0] = 0x85c0;		/* ATAPI, CD/DVD, removable, 12-byte packets, DRQ in 50 us */
	id_string(10, "K1234567", 10);
	id_string(23, "1.02", 4);
	id_string(27, "HL-DT-ST DVDRAM GH22NP20", 20);
	fake_sg.id[49] = 0x0f00;
	fake_sg.id[53] = 0x0006;
	fake_sg.id[63] = 0x0007;
	fake_sg.id[64] = 0x0003;
	fake_sg.id[80] = 0x007e;
	fake_sg.id[88] = 0x003f;
	ck_assert_int_eq(fake_sg_main(&r, "identify /dev/sr0"), EXIT_OK);
	OUT_HAS("medium present");
	OUT_HAS("IDENTIFY PACKET DEVICE (through ATA PASS-THROUGH(16)):");
	OUT_HAS("model            'HL-DT-ST DVDRAM GH22NP20'");
	OUT_HAS("firmware         '1.02'");
	OUT_HAS("serial           'K1234567'");
	OUT_HAS("packet size      12 bytes, DRQ within 50 us");
	OUT_HAS("Ultra DMA        0-5");
	ck_assert_int_eq(fake_sg_main(&r, "identify /dev/sr0 --json --hex"), EXIT_OK);
	OUT_HAS("\"model\": \"HL-DT-ST DVDRAM GH22NP20\"");
	OUT_HAS("\"serial\": \"K1234567\"");
	OUT_HAS("\"identify_words\": [\n      34240,");		/* 85C0h */
}
END_TEST

START_TEST(test_refuse_vendor)
{
	struct ctx c;
	char *buf = NULL;
	size_t len = 0;

	memset(&c, 0, sizeof(c));
	c.out = stdout;
	c.err = open_memstream(&buf, &len);
	ck_assert_int_eq(atapi_mode_refuse_vendor(&c, "dump"), -EINVAL);
	fclose(c.err);
	ck_assert_msg(strstr(buf, "dump needs the MediaTek vendor mode (ATA command 80h)"), "%s", buf);
	ck_assert_msg(strstr(buf, "cannot travel through SG_IO"), "%s", buf);
	ck_assert_msg(strstr(buf, "raw position"), "%s", buf);
	ck_assert_msg(strstr(buf, "--release"), "%s", buf);
	ck_assert(c.msg_printed);
	free(buf);
}
END_TEST

/* A 1 MiB MediaTek image whose INQUIRY template names vendor/product/revision. */
static void write_image(const char *name, const char *vpr, int bad_bank)
{
	static const uint8_t tmpl[8] = { 0x05, 0x80, 0x00, 0x32, 0x5b, 0x00, 0x00, 0x00 };
	size_t len = 0x100000;
	uint8_t *img = malloc(len);
	char path[512];

	memset(img, 0xff, len);
	for (size_t b = 0; b < len; b += 0x10000)
		img[b] = 0x02;
	if (bad_bank)
		img[0x30000] = 0x00;
	memcpy(img + 0x40b4, tmpl, 8);
	memcpy(img + 0x40bc, vpr, 28);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_int_eq(tst_write_file(path, img, len), 0);
	free(img);
}

START_TEST(test_wbuf_checks_before_data)
{
	write_image("btc.bin", "BTC     DVD1008IM       0059", 0);
	write_image("lg.bin", "HL-DT-STDVDRAM GH22NP20 1.03", 0);
	write_image("broken.bin", "HL-DT-STDVDRAM GH22NP20 1.03", 1);

	ck_assert_int_eq(fake_sg_main(&r, "wbuf /dev/sr0 %s/broken.bin --yes", dir), EXIT_BADFILE);
	ERR_HAS("bank 3 (at 030000h) starts with 00h");
	ck_assert_uint_eq(fake_sg.cmds, 0);		/* the drive was not even opened */

	ck_assert_int_eq(fake_sg_main(&r, "wbuf /dev/sr0 %s/btc.bin --yes", dir), EXIT_REFUSED);
	ERR_HAS("is [HL-DT-ST][DVDRAM GH22NP20 ] but the image is for [BTC     ][DVD1008IM       ]");
	ck_assert_int_eq(fake_sg.open_flags & (O_ACCMODE | O_EXCL), O_RDWR | O_EXCL);

	fake_sg.medium = 1;
	ck_assert_int_eq(fake_sg_main(&r, "wbuf /dev/sr0 %s/lg.bin --yes", dir), EXIT_REFUSED);
	ERR_HAS("has a disc in it");
	fake_sg.medium = 0;

	ck_assert_int_eq(fake_sg_main(&r, "wbuf /dev/sr0 %s/lg.bin", dir), EXIT_REFUSED);
	ERR_HAS("add --yes");

	ck_assert_int_eq(fake_sg_main(&r, "wbuf /dev/sr0 %s/lg.bin --dry-run", dir), EXIT_OK);
	OUT_HAS("-> image");
	OUT_HAS("revision 1.03");
	OUT_HAS("dry run: all checks passed, nothing was sent");

	ck_assert_int_eq(fake_sg_main(&r, "wbuf /dev/sr0 %s/btc.bin --dry-run --force-crossflash", dir), EXIT_OK);
	ERR_HAS("crossflash");
	ck_assert_uint_eq(fake_sg.write_buffers, 0);
}
END_TEST

START_TEST(test_wbuf_drive_refuses_first_chunk)
{
	write_image("lg.bin", "HL-DT-STDVDRAM GH22NP20 1.03", 0);
	/* The fake rejects WRITE BUFFER: the flash stops at once, nothing asked to be saved. */
	ck_assert_int_eq(fake_sg_main(&r, "wbuf /dev/sr0 %s/lg.bin --yes", dir), EXIT_DEVERR);
	ck_assert_uint_eq(fake_sg.write_buffers, 1);
	ERR_HAS("image chunks (mode 6) after 0 bytes");
	ERR_HAS("ILLEGAL REQUEST");
	ERR_HAS("not asked to save");
}
END_TEST


Suite *suite_atapi_node(void)
{
	Suite *s = suite_create("atapi_node");
	TCase *tc = tcase_create("sg_fake");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_identify_without_ata16);
	tcase_add_test(tc, test_identify_with_ata16);
	tcase_add_test(tc, test_refuse_vendor);
	tcase_add_test(tc, test_wbuf_checks_before_data);
	tcase_add_test(tc, test_wbuf_drive_refuses_first_chunk);
	suite_add_tcase(s, tc);
	return s;
}
