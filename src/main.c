/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Option parsing, backend selection, dispatch; the only place errors become exit codes. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw/ata.h"
#include "src/ahci_mode.h"
#include "src/atapi_sat.h"
#include "src/atapi_mode.h"
#include "src/atapi_sysfs.h"
#include "src/cli.h"
#include "src/drives.h"
#include "src/log.h"
#include "src/output.h"
#include "src/pci_ide.h"
#include "src/privs.h"
#include "src/progress.h"

static const struct command *const commands[] = {
	&cmd_scan,
	&cmd_identify,
	&cmd_regs,
	&cmd_reset,
	&cmd_wait,
	&cmd_chip,
	&cmd_dump,
	&cmd_flash,
	&cmd_verify,
	&cmd_erase,
	&cmd_rescue,
	&cmd_info,
	&cmd_rpc,
	&cmd_wbuf,
	NULL,
};

int exit_code_for(int err)
{
	switch (-err) {
	case 0: return EXIT_OK;
	case EINVAL: return EXIT_USAGE;
	case ENODEV: case ENXIO: return EXIT_NODEV;
	case EPERM: case EACCES: case ENOSYS: return EXIT_PERM;
	case EBUSY: return EXIT_OWNED;
	case E_REFUSED: case EEXIST: return EXIT_REFUSED;
	case E_BADFILE: case EFBIG: return EXIT_BADFILE;
	case E_MISMATCH: return EXIT_VERIFY;
	case E_WRITEFAIL: return EXIT_WRITEFAIL;
	}
	return EXIT_DEVERR;
}

static void vmsg(struct ctx *c, const char *prefix, const char *fmt, va_list ap)
{
	progress_clear();	/* the message takes the progress line's place; the next draw comes below */
	fflush(c->out);
	fprintf(c->err, "odrescue: %s", prefix);
	vfprintf(c->err, fmt, ap);
	fputc('\n', c->err);
}

void err_msg(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, "", fmt, ap);
	va_end(ap);
	if (!c->msg_printed) {	/* the first says why: --json's "error" */
		va_start(ap, fmt);
		vsnprintf(c->errtext, sizeof(c->errtext), fmt, ap);
		va_end(ap);
	}
	c->msg_printed = 1;
}

void warn_msg(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, "warning: ", fmt, ap);
	va_end(ap);
}

void info_msg(struct ctx *c, int level, const char *fmt, ...)
{
	va_list ap;

	if (c->o.verbose < level) {
		if (level > 1 || !log_active())
			return;
		char line[512];

		va_start(ap, fmt);	/* the -v detail goes to the log even without -v */
		vsnprintf(line, sizeof(line), fmt, ap);
		va_end(ap);
		log_line("odrescue: %s", line);
		return;
	}
	va_start(ap, fmt);
	vmsg(c, "", fmt, ap);
	va_end(ap);
}

int position_parse(const char *s, struct position *pos)
{
	static const struct { const char *name; int number; } names[] = {
		{ "1", 1 }, { "2", 2 }, { "3", 3 }, { "4", 4 },
		{ "pm", 1 }, { "ps", 2 }, { "sm", 3 }, { "ss", 4 },
		{ "m", 0 }, { "s", 0 },
	};

	memset(pos, 0, sizeof(*pos));
	if (!s)
		return -EINVAL;
	if (!strncmp(s, "/dev/", 5)) {
		pos->node = s;
		return 0;
	}
	if (!ahci_position_parse(s, pos))
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i].name))
			continue;
		pos->number = names[i].number;
		if (pos->number) {
			pos->chan = (pos->number - 1) / 2;
			pos->dev = (pos->number - 1) % 2;
		} else {
			pos->dev = (s[0] | 0x20) == 's';
		}
		return 0;
	}
	return -EINVAL;
}

const char *position_name(const struct position *pos)
{
	static const char *const names[] = {
		"primary master", "primary slave", "secondary master", "secondary slave",
	};

	if (pos->node)
		return pos->node;
	if (pos->ahci)
		return ahci_position_name(pos);
	if (!pos->number)
		return pos->dev ? "slave" : "master";
	return names[pos->number - 1];
}

const char *position_arg(const struct position *pos)
{
	static const char *const args[] = { "m", "1", "2", "3", "4" };

	if (pos->node)
		return pos->node;
	if (pos->ahci)
		return ahci_position_arg(pos);
	return pos->number ? args[pos->number] : pos->dev ? "s" : "m";
}

int cmd_args_pos(struct ctx *c, const struct command *cmd, int argc, char **argv, int want,
		 struct position *pos)
{
	if (argc != want) {
		err_msg(c, "usage: odrescue %s %s", cmd->name, cmd->args);
		return -EINVAL;
	}
	if (position_parse(argv[0], pos)) {
		err_msg(c, "bad position '%s': use 1-4 (1 primary master ... 4 secondary slave), "
			"pm/ps/sm/ss, m/s with -p ioport:base=,ctl=, or p0-p31 with -p ahci", argv[0]);
		return -EINVAL;
	}
	json_head_position(pos->number ? NULL : position_arg(pos), pos->number);
	if ((pos->ahci || ahci_mode_selected(c)) &&
	    (!(cmd->flags & CMD_AHCI) || pos->ahci != ahci_mode_selected(c)))
		return ahci_mode_refuse(c, cmd->name, pos);
	if (pos->node && (cmd->flags & CMD_SAT))
		return atapi_sat_node(c, cmd->name, pos);
	if (pos->node && !(cmd->flags & CMD_NODE))
		return atapi_mode_raw_node(c, cmd->name, pos);
	if (!pos->node && atapi_sat_selected(c)) {
		err_msg(c, "with -p sim:hba=sat the drives are nodes: /dev/srN (the Nth CD/DVD drive) or "
			"/dev/sgN (position N+1)");
		return -EINVAL;
	}
	return 0;
}

unsigned position_chan_mask(const struct position *pos)
{
	return pos->number ? 1u << pos->chan : 1u;
}

static void trace_cb(void *vctx, enum bus_op op, uint16_t port, uint32_t val, size_t count)
{
	static const char *const ops[] = { "inb", "outb", "inw", "outw", "insw", "outsw", "insl", "outsl" };
	struct ctx *c = vctx;
	int wr = op == BUS_OUTB || op == BUS_OUTW || op == BUS_OUTSW || op == BUS_OUTSL;
	const char *reg = bus_port_name(&c->bus, port, wr);
	char dec[64] = "";

	if (op == BUS_INB && (!strcmp(reg, "status") || !strcmp(reg, "altstatus")))
		snprintf(dec, sizeof(dec), "  [%s]", ata_status_str((uint8_t)val, (char[48]){ 0 }, 48));
	if (count > 1)
		fprintf(c->err, "trace: %-5s 0x%03x %-9s x%zu (first 0x%04x)\n", ops[op], port, reg, count, val);
	else
		fprintf(c->err, "trace: %-5s 0x%03x %-9s %s 0x%02x%s\n", ops[op], port, reg,
			wr ? "<-" : "->", val, dec);
}

static void log_cb(void *vctx, enum bus_log_level lvl, const char *msg)
{
	struct ctx *c = vctx;

	progress_clear();
	if (lvl == BUS_LOG_WARN)
		fprintf(c->err, "odrescue: warning: %s\n", msg);
	else if (lvl == BUS_LOG_ERR || c->o.verbose >= (lvl == BUS_LOG_INFO ? 1 : 2))
		fprintf(c->err, "odrescue: %s\n", msg);
	else if (lvl == BUS_LOG_INFO)
		log_line("odrescue: %s", msg);
}

void ctx_log_bus(struct ctx *c, struct bus *b)
{
	b->ctx = c;
	b->log = log_cb;
}

int ctx_open_bus(struct ctx *c, unsigned chan_mask)
{
	static const struct ata_chan legacy[2] = {
		{ ATA_PRIMARY_CMD, ATA_PRIMARY_CTL },
		{ ATA_SECONDARY_CMD, ATA_SECONDARY_CTL },
	};
	struct ata_chan chans[2];
	int n = 0, ret;

	for (int i = 0; i < 2; i++)
		if (chan_mask & (1u << i))
			chans[n++] = legacy[i];
	memset(&c->bus, 0, sizeof(c->bus));
	ctx_log_bus(c, &c->bus);
	ret = bus_open(&c->bus, c->o.backend ? c->o.backend : DEFAULT_BACKEND, chans, n);
	if (ret) {
		err_msg(c, "%s", c->bus.errmsg[0] ? c->bus.errmsg : strerror(-ret));
		return ret;
	}
	c->bus_open = 1;
	if (c->bus.pio32 < 0) {
		char why[160];

		c->bus.pio32 = pci_ide_pio32(sg_sysfs_root(), c->bus.chans, c->bus.nchans, why, sizeof(why));
		info_msg(c, 1, "data port: %s", why);
	}
	ret = ctx_lock_channels(c);
	if (!ret)
		ret = ctx_claim_channels(c);
	/* Giving a released controller back needs root at exit: --release keeps it. */
	if (!ret && !c->o.release)
		ret = privs_drop(c);
	if (ret) {
		ctx_close_bus(c);
		return ret;
	}
	if (c->o.trace)
		c->bus.trace = trace_cb;
	return 0;
}

/* Positions 1-4 name a legacy channel; m/s name the one channel given with base=/ctl=. */
void ctx_port(struct ctx *c, const struct position *pos, struct ata_port *ap)
{
	int i = 0;

	if (pos->number && c->bus.nchans > 1)
		i = pos->chan;
	else if (pos->number && c->bus.nchans == 1 && pos->chan == 1 &&
		 c->bus.chans[0].cmd == ATA_PRIMARY_CMD)
		i = 0;	/* only one channel open: it is the one asked for */
	ata_port_init(ap, &c->bus, &c->bus.chans[i]);
}

void ctx_close_bus(struct ctx *c)
{
	ahci_mode_close(c);
	atapi_sat_close();
	if (!c->bus_open)
		return;
	info_msg(c, 1, "bus: %llu reads, %llu writes, %llu bytes in, %llu bytes out",
		 (unsigned long long)c->bus.stats.reads, (unsigned long long)c->bus.stats.writes,
		 (unsigned long long)c->bus.stats.bytes_in, (unsigned long long)c->bus.stats.bytes_out);
	bus_close(&c->bus);
	c->bus_open = 0;
	ctx_giveback(c);
	ctx_unlock_channels();	/* after the driver is back: the next run finds the channel as it was */
}

static void print_backends(FILE *f)
{
	fprintf(f, "Backends (-p NAME[:key=value,...]):\n");
	for (int i = 0; bus_backends[i]; i++) {
		const char *h = bus_backends[i]->help;

		fprintf(f, "\n  %s%s\n", bus_backends[i]->name, i == 0 ? " (default)" : "");
		while (h && *h) {
			const char *nl = strchr(h, '\n');
			int len = nl ? (int)(nl - h) : (int)strlen(h);

			fprintf(f, "    %.*s\n", len, h);
			h += len + (nl ? 1 : 0);
		}
	}
	atapi_mode_help(f);
	ahci_mode_help(f);
}

static int parse_keep(struct opts *o, const char *arg)
{
	char *end;
	unsigned long a, b;

	if (o->nkeep == (int)(sizeof(o->keep) / sizeof(o->keep[0])))
		return -EINVAL;
	a = strtoul(arg, &end, 16);
	if (end == arg || *end != '-')
		return -EINVAL;
	b = strtoul(end + 1, &end, 16);
	if (*end || b < a || b > 0xffffffffUL)
		return -EINVAL;
	o->keep[o->nkeep].start = (uint32_t)a;
	o->keep[o->nkeep].end = (uint32_t)b;
	o->nkeep++;
	return 0;
}

static int parse_uint(const char *arg, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	if (!arg || !*arg || *arg == '-')
		return -EINVAL;
	*v = strtoul(arg, &end, 0);
	if (errno || *end || *v > max)
		return -EINVAL;
	return 0;
}

/*
 * The old syntax, "mtkfl 3 w fw.hex" / "MTKFLASH 4 R /B /M dump.bin":
 * becomes flash/dump. /B and /M chose binary and one merged file; odrescue
 * always handles one whole image and takes the format from the name.
 * Returns 0 with *cmd set, 0 with *cmd NULL when the words are not the old
 * syntax at all, or -EINVAL having said what is wrong with them.
 */
static int legacy_args(struct ctx *c, int *argc, char ***argv, const struct command **cmd)
{
	static char *args[4];	/* args[0] the command's name, as argv has it */
	static const char form[] = "the old MTKFLASH syntax is POS r FILE (dump) or POS w FILE (flash), "
				   "POS 1-4; odrescue --help lists the commands";
	struct position pos;
	const char *file = NULL;
	int write, n = *argc;
	char **v = *argv;

	*cmd = NULL;
	/* no command starts with a digit or is a position's name */
	if (!(v[0][0] >= '0' && v[0][0] <= '9') && position_parse(v[0], &pos))
		return 0;
	if (position_parse(v[0], &pos) || !pos.number) {
		err_msg(c, "'%s' is not a command, nor a position 1-4: %s", v[0], form);
		return -EINVAL;
	}
	if (n < 2 || strlen(v[1]) != 1 || !strchr("rRwW", v[1][0])) {
		err_msg(c, "'%s%s%s' is not a command: %s", v[0], n < 2 ? "" : " ", n < 2 ? "" : v[1], form);
		return -EINVAL;
	}
	write = v[1][0] == 'w' || v[1][0] == 'W';
	for (int i = 2; i < n; i++) {
		if (!strcasecmp(v[i], "/b") || !strcasecmp(v[i], "/m"))
			continue;
		if (file) {
			err_msg(c, "'%s %s' takes one FILE, not '%s' and '%s': %s", v[0], v[1], file, v[i], form);
			return -EINVAL;
		}
		file = v[i];
	}
	if (!file) {
		err_msg(c, "'%s %s' needs a FILE to %s: %s", v[0], v[1], write ? "write" : "read into", form);
		return -EINVAL;
	}
	for (int i = 2; i < n; i++)
		if (v[i] != file)
			info_msg(c, 1, "%s: MTKFLASH's %s switch; odrescue always uses one whole image and "
				 "takes .hex or .bin from the file name", v[i],
				 (v[i][1] | 0x20) == 'b' ? "binary-file" : "merge-banks");
	args[0] = write ? "flash" : "dump";
	args[1] = v[0];
	args[2] = (char *)file;
	args[3] = NULL;
	*argc = 2;
	*argv = args + 1;
	c->o.legacy = 1;
	*cmd = write ? &cmd_flash : &cmd_dump;
	return 0;
}

static int main_run(struct ctx *c, int argc, char **argv)
{
	const struct command *cmd = NULL;
	struct option long_opts[64];
	char shorts[32], seen[64] = { 0 };
	int opt, help = 0, list = 0, ret;
	unsigned long v;

	if (privs_refuse_setuid(c))
		return EXIT_PERM;
	opterr = 0;
	cli_getopt_table(long_opts, shorts, sizeof(shorts));
	while ((opt = getopt_long(argc, argv, shorts, long_opts, NULL)) != -1) {
		const struct cli_option *co = cli_option_by_id(opt);

		if (co)
			seen[co - cli_options] = 1;
		switch (opt) {
		case 'p': c->o.backend = optarg; break;
		case 'v': if (++c->o.verbose >= 3) c->o.trace = 1; break;
		case 'y': c->o.yes = 1; break;
		case 'q': c->o.quiet = 1; break;
		case 'h': help = 1; break;
		case 'V':
			printf("odrescue %s (built %s with %s, %s)\n", ODRESCUE_VERSION, __DATE__,
#ifdef __clang__
			       "clang",
#else
			       "gcc",
#endif
			       sizeof(void *) == 8 ? "64-bit" : "32-bit");
			return EXIT_OK;
		case OPT_JSON: c->o.json = 1; break;
		case OPT_TRACE: c->o.trace = 1; break;
		case OPT_HEX: c->o.hex = 1; break;
		case OPT_FORCE: c->o.force = 1; break;
		case OPT_DRY_RUN: c->o.dry_run = 1; break;
		case OPT_BACKUP:
			if (!*optarg) {	/* "" would be found only when the backup is written, after the reads */
				err_msg(c, "--backup wants a file name");
				return EXIT_USAGE;
			}
			c->o.backup = optarg;
			break;
		case OPT_CROSSFLASH: c->o.force_crossflash = 1; break;
		case OPT_I_KNOW: c->o.i_know = 1; break;
		case OPT_RESUME: c->o.resume = 1; break;
		case OPT_RELEASE: c->o.release = 1; break;
		case OPT_METHOD: c->o.method = optarg; break;
		case OPT_ATAPI: c->o.atapi = 1; break;
		case OPT_TIMEOUT: {
			char *end;

			c->o.timeout_s = strtod(optarg, &end);
			/* NaN, inf and 1e300 would overflow the commands' (uint64_t)(s * 1e9): wait forever */
			if (end == optarg || *end || !(c->o.timeout_s >= 0 && c->o.timeout_s <= 1e6)) {
				err_msg(c, "--timeout wants seconds from 0 to 1000000, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		}
		case OPT_READ_REPEATED:
			if (parse_uint(optarg, 15, &v) || v < 1) {
				err_msg(c, "--read-repeated wants a count from 1 to 15, not '%s'", optarg);
				return EXIT_USAGE;
			}
			c->o.read_repeated = (int)v;
			break;
		case OPT_CHUNK:
			if (parse_uint(optarg, 0xffffff, &v) || v == 0 || (v & 1)) {
				err_msg(c, "--chunk wants an even byte count up to 0xffffff, not '%s'", optarg);
				return EXIT_USAGE;
			}
			c->o.chunk = (uint32_t)v;
			break;
		case OPT_KEEP:
			if (parse_keep(&c->o, optarg)) {
				err_msg(c, "--keep wants START-END in hex (at most 8), not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_LIST_SUPPORTED: list = 1; break;
		case OPT_LOG: c->o.log = optarg; break;
		default:
			err_msg(c, "unknown option '%s' (odrescue --help lists them)", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	/* before anything reaches a drive: a log that cannot be written stops the run here */
	if (c->o.log && log_open(c, c->o.log, argc, argv))
		return EXIT_BADFILE;
	if (c->o.json)
		json_head(c->out, NULL);	/* the tee, so that the documents reach the log */
	if (c->o.backend && !strcmp(c->o.backend, "help")) {
		print_backends(c->out);
		return EXIT_OK;
	}
	if (optind < argc) {
		int ln = argc - optind;
		char **lv = argv + optind;

		if (legacy_args(c, &ln, &lv, &cmd))
			return EXIT_USAGE;
		if (cmd) {	/* "3 w fw.hex": flash 3 fw.hex */
			argc = ln + 1;
			argv = lv - 1;
		} else if (!strcmp(argv[optind], "help")) {	/* odrescue help rescue */
			if (argc - optind != 2 || guide_print(c->out, argv[optind + 1])) {
				err_msg(c, "odrescue help rescue prints the recovery steps; odrescue --help the rest");
				return EXIT_USAGE;
			}
			return EXIT_OK;
		} else {
			for (int i = 0; commands[i]; i++)
				if (!strcmp(commands[i]->name, argv[optind]))
					cmd = commands[i];
			if (!cmd) {
				err_msg(c, "unknown command '%s' (odrescue --help lists them)", argv[optind]);
				return EXIT_USAGE;
			}
			argc -= optind;
			argv += optind;
		}
	}
	for (int i = 0; (cmd || list) && i < cli_option_count(); i++) {
		if (!seen[i] || cli_option_takes(&cli_options[i], cmd ? cmd->name : NULL))
			continue;
		if (cmd)
			err_msg(c, "%s does not take --%s (odrescue %s --help lists its options)", cmd->name,
				cli_options[i].name, cmd->name);
		else
			err_msg(c, "--list-supported does not take --%s", cli_options[i].name);
		return EXIT_USAGE;
	}
	if (list) {
		if (cmd) {
			err_msg(c, "--list-supported takes no command");
			return EXIT_USAGE;
		}
		drive_table_print(c->out, c->o.json);
		return EXIT_OK;
	}
	if (!cmd) {
		cli_usage(help ? c->out : c->err, commands);
		return help ? EXIT_OK : EXIT_USAGE;
	}
	if (help) {
		cli_command_usage(c->out, cmd);
		return EXIT_OK;
	}
	if (c->o.json)
		json_head(c->out, cmd->name);
	argc--;
	argv++;
	ret = c->o.legacy ? 0 : atapi_mode_args(c, cmd, &argc, &argv);	/* -p sg:dev=NODE stands for POS */
	if (!ret)
		ret = cmd->run(c, argc, argv);
	ctx_close_bus(c);
	fflush(stdout);
	if (ret && !c->msg_printed)
		err_msg(c, "%s: %s", cmd->name, strerror(-ret));
	return exit_code_for(ret);
}

int odrescue_main(int argc, char **argv)
{
	static struct ctx ctx;
	int code;

	memset(&ctx, 0, sizeof(ctx));
	ctx.out = stdout;
	ctx.err = stderr;
	json_head(NULL, NULL);
	/* known before the options are parsed, so that their errors are JSON too */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			json_head(stdout, NULL);
	code = main_run(&ctx, argc, argv);
	progress_clear();
	json_finish(code ? ctx.errtext : NULL, code);
	log_close(&ctx);
	fflush(stdout);
	return code;
}
