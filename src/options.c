/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one table of options: getopt's list, which commands take each one,
 * and the help text (a one-line meaning and an example) are all made from
 * it, so an option cannot be parsed without being documented.
 */
#include <getopt.h>
#include <string.h>

#include "src/cli.h"

/* Commands that reach a drive: all but info, which reads a file. */
#define DRIVE_CMDS "scan identify regs reset wait chip dump flash verify erase rescue rpc wbuf"

const struct cli_option cli_options[] = {
	/* every command, so that one -p can stand in a script's alias; info reads a file only */
	{ "backend", 'p', "NAME[:k=v,...]", "*",
	  "the backend: ioport (real ports, default), sim, qtest, fault, sg; -p help lists them", "sim" },
	{ "json", OPT_JSON, NULL, "*", "machine-readable output on stdout, errors too", NULL },
	{ "verbose", 'v', NULL, "*", "more detail on stderr (-vv more; -vvv is --trace)", NULL },
	{ "log", OPT_LOG, "FILE", "*",
	  "also append what the run prints, the -v detail and the time of each line to FILE",
	  "/mnt/usb/odrescue.log" },
	{ "quiet", 'q', NULL, "dump verify flash erase rescue wbuf",
	  "no progress (on a terminal one line redrawn in place, else a line per 64 KiB)", NULL },
	{ "trace", OPT_TRACE, NULL, DRIVE_CMDS, "every port access with the register's name, on stderr", NULL },
	{ "release", OPT_RELEASE, NULL, DRIVE_CMDS,
	  "detach the kernel driver from the channel for this run, give it back after", NULL },
	{ "help", 'h', NULL, "*", "this help; COMMAND --help: that command's options", NULL },
	{ "version", 'V', NULL, NULL, "version, compiler and word size", NULL },
	{ "list-supported", OPT_LIST_SUPPORTED, NULL, NULL,
	  "the drive table: families, flash method, image size, per-drive ranges", NULL },
	{ "atapi", OPT_ATAPI, NULL, "scan", "the drives the kernel knows (/dev/srN), via sysfs and SG_IO", NULL },
	{ "hex", OPT_HEX, NULL, "identify", "also the raw IDENTIFY words and INQUIRY bytes", NULL },
	{ "timeout", OPT_TIMEOUT, "SECONDS", "wait rescue flash wbuf",
	  "how long to wait for the drive to appear or answer (0-1000000)", "120" },
	{ "force", OPT_FORCE, NULL, "dump", "replace an existing output FILE (regular files only)", NULL },
	{ "read-repeated", OPT_READ_REPEATED, "N", "dump verify flash erase rescue",
	  "read the flash N times (1-15), keep each byte's majority", "3" },
	{ "yes", 'y', NULL, "flash erase rescue wbuf", "answer yes to the confirmation (for scripts)", NULL },
	{ "dry-run", OPT_DRY_RUN, NULL, "flash erase rescue wbuf",
	  "every check and the backup, then what would change; writes nothing", NULL },
	{ "backup", OPT_BACKUP, "FILE", "flash erase rescue",
	  "the backup's name (default backup-VENDOR-PRODUCT-REV-DATE.bin here)", "/mnt/usb/old.bin" },
	{ "resume", OPT_RESUME, NULL, "flash erase rescue",
	  "finish an interrupted flash from its journal and backup", NULL },
	{ "keep", OPT_KEEP, "START-END", "flash rescue",
	  "carry this range (hex, inclusive) over from the drive; up to 8", "1E000-1FFFF" },
	{ "force-crossflash", OPT_CROSSFLASH, NULL, "flash rescue wbuf",
	  "allow an image made for another drive model", NULL },
	{ "method", OPT_METHOD, "METHOD", "flash",
	  "mtk (vendor mode) or wbuf (WRITE BUFFER) instead of the drive table's choice", "wbuf" },
	{ "chunk", OPT_CHUNK, "BYTES", "flash wbuf", "bytes per WRITE BUFFER command (even, to 0xffffff)",
	  "0x8000" },
	{ "yes-i-know-what-i-am-doing", OPT_I_KNOW, NULL, "erase",
	  "consent to leaving the drive without firmware until it is flashed", NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};

int cli_option_count(void)
{
	return (int)(sizeof(cli_options) / sizeof(cli_options[0])) - 1;
}

const struct cli_option *cli_option_by_id(int id)
{
	for (const struct cli_option *o = cli_options; o->name; o++)
		if (o->id == id)
			return o;
	return NULL;
}

int cli_option_takes(const struct cli_option *o, const char *cmd)
{
	size_t n;

	if (!o->cmds)
		return !cmd;
	if (!strcmp(o->cmds, "*") || !cmd)
		return !strcmp(o->cmds, "*");
	n = strlen(cmd);
	for (const char *p = o->cmds; (p = strstr(p, cmd)); p += n)
		if ((p == o->cmds || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

void cli_getopt_table(struct option *lo, char *shorts, size_t len)
{
	size_t k = 0;

	for (const struct cli_option *o = cli_options; o->name; o++, lo++) {
		lo->name = o->name;
		lo->has_arg = o->arg ? required_argument : no_argument;
		lo->flag = NULL;
		lo->val = o->id;
		if (o->id < 256 && k + 3 < len) {
			shorts[k++] = (char)o->id;
			if (o->arg)
				shorts[k++] = ':';
		}
	}
	memset(lo, 0, sizeof(*lo));
	shorts[k] = 0;
}

/* text from column col, wrapped at 80 with later lines at indent. */
static void wrap(FILE *f, int col, int indent, const char *text)
{
	while (*text) {
		int room = 80 - col, n = (int)strlen(text);

		if (n > room) {
			n = room;
			while (n > 0 && text[n] != ' ')
				n--;
			if (n == 0)
				n = room;
		}
		fprintf(f, "%.*s\n", n, text);
		text += n;
		while (*text == ' ')
			text++;
		if (*text)
			fprintf(f, "%*s", indent, "");
		col = indent;
	}
}

/* "odrescue -p sim flash 3 fw.bin", "odrescue flash 3 fw.bin --backup /mnt/usb/old.bin" */
static void example(char *buf, size_t len, const struct cli_option *o, const struct command *cmd)
{
	char words[64] = "";
	const char *name = cmd ? cmd->name : "";

	/* the command's arguments, as a user would give them */
	for (const char *a = cmd ? cmd->args : ""; *a; a++) {
		size_t n = strlen(words);

		if (!strncmp(a, "POS", 3))
			snprintf(words + n, sizeof(words) - n, " 3");
		else if (!strncmp(a, "FILE", 4))
			snprintf(words + n, sizeof(words) - n, " fw.bin");
	}
	if (o->id == 'h' || !cmd)
		words[0] = 0;
	if (o->id == 'p' || o->id == 'v' || o->id == 'q')	/* as they are mostly written: first */
		snprintf(buf, len, "odrescue -%c%s%s %s%s", o->id, o->arg ? " " : "", o->arg ? o->sample : "",
			 name, words);
	else
		snprintf(buf, len, "odrescue %s%s%s--%s%s%s", name, words, cmd ? " " : "", o->name,
			 o->arg ? " " : "", o->arg ? o->sample : "");
	/* no trailing blank when there is no command */
	len = strlen(buf);
	while (len && buf[len - 1] == ' ')
		buf[--len] = 0;
}

/* "  -p, --backend NAME[:k=v,...]" with its meaning and an example below. */
static void print_option(FILE *f, const struct cli_option *o, const struct command *cmd)
{
	char head[80], eg[160];
	int n;

	if (o->id < 256)
		n = snprintf(head, sizeof(head), "  -%c, --%s%s%s", o->id, o->name, o->arg ? " " : "",
			     o->arg ? o->arg : "");
	else
		n = snprintf(head, sizeof(head), "      --%s%s%s", o->name, o->arg ? " " : "",
			     o->arg ? o->arg : "");
	if (n <= 22)
		fprintf(f, "%-24s", head);
	else
		fprintf(f, "%s\n%24s", head, "");
	wrap(f, 24, 24, o->help);
	example(eg, sizeof(eg), o, o->cmds ? cmd : NULL);
	fprintf(f, "%24se.g. ", "");
	wrap(f, 29, 29, eg);
}

void cli_usage(FILE *f, const struct command *const *cmds)
{
	fprintf(f, "Usage: odrescue [options] COMMAND [ARGS]\n"
		"Read, flash and rescue the firmware of IDE/ATAPI optical drives (MediaTek\n"
		"chipsets).\n\nCommands:\n");
	for (int i = 0; cmds[i]; i++) {
		char head[64];

		snprintf(head, sizeof(head), "%s %s", cmds[i]->name, cmds[i]->args);
		fprintf(f, "  %-16s ", head);
		wrap(f, 19, 19, cmds[i]->summary);
	}
	fprintf(f, "\nPositions: 1 primary master, 2 primary slave, 3 secondary master,\n"
		"  4 secondary slave (also pm ps sm ss; m/s with -p ioport:base=,ctl=;\n"
		"  /dev/srN in ATAPI mode).\n\nOptions of every command (COMMAND --help lists its own):\n");
	for (const struct cli_option *o = cli_options; o->name; o++)
		if (!o->cmds || !strcmp(o->cmds, "*") || !strcmp(o->cmds, DRIVE_CMDS))	/* in order */
			print_option(f, o, &cmd_identify);
	fprintf(f, "\nExample: odrescue scan\n"
		"         odrescue -p sim identify 3   (rehearse on the built-in simulator)\n");
}

void cli_command_usage(FILE *f, const struct command *cmd)
{
	fprintf(f, "Usage: odrescue [options] %s%s%s\n", cmd->name, *cmd->args ? " " : "", cmd->args);
	wrap(f, 0, 0, cmd->summary);
	fprintf(f, "\nOptions:\n");
	for (const struct cli_option *o = cli_options; o->name; o++)
		if (o->cmds && cli_option_takes(o, cmd->name))
			print_option(f, o, cmd);
	fprintf(f, "\nExample: ");
	wrap(f, 9, 9, cmd->example);
}
