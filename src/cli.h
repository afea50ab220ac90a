/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every command sees: options, the open bus, positions, output. */
#ifndef ODRESCUE_CLI_H
#define ODRESCUE_CLI_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "hw/ata.h"
#include "hw/bus.h"
#include "recovery/session.h"
#include "src/exitcodes.h"

#define ODRESCUE_VERSION "0.1.0"
#define DEFAULT_BACKEND "ioport"

/*
 * Errno values with a fixed meaning for main()'s exit-code map, beyond
 * the plain ones (-ENODEV, -EPERM, -EBUSY, -EINVAL, -EIO, -ETIMEDOUT).
 */
#define E_REFUSED	ECANCELED	/* a safety check said no: exit 5 */
#define E_BADFILE	ENOEXEC		/* firmware file unusable: exit 6 */
#define E_MISMATCH	EBADMSG		/* verify found a difference: exit 8 */
#define E_WRITEFAIL	ENOTRECOVERABLE	/* failed after the first change: exit 9 */

/* A drive position: 1..4 on the legacy channels, or m/s on base=/ctl=. */
struct position {
	int number;		/* 1..4; 0 for m/s on a native channel */
	int chan;		/* 0 primary, 1 secondary */
	int dev;		/* 0 master, 1 slave */
	const char *node;	/* /dev/srN or /dev/sgN in ATAPI mode, else NULL */
	int ahci;		/* pN: a port of an AHCI controller (-p ahci) */
	int port;		/* its number, 0..31 */
};

struct opts {
	const char *backend;	/* -p spec; NULL: default */
	int json;
	int trace;		/* --trace or -vvv */
	int verbose;		/* -v count */
	int quiet;		/* -q: no progress */
	int hex;		/* identify --hex */
	int yes;		/* answer confirmations */
	int force;		/* overwrite output files */
	int dry_run;
	double timeout_s;	/* --timeout, 0: command default */
	const char *backup;	/* --backup FILE */
	int read_repeated;	/* --read-repeated N */
	int force_crossflash;
	int i_know;		/* --yes-i-know-what-i-am-doing */
	int resume;
	int release;
	const char *method;	/* --method parallel|spi|wbuf */
	uint32_t chunk;		/* --chunk SIZE */
	struct session_keep keep[8];	/* --keep START-END, inclusive */
	int nkeep;
	int atapi;		/* scan --atapi: the drives the kernel knows, via sysfs and SG_IO */
	const char *log;	/* --log FILE */
	int legacy;		/* invoked as "odrescue 3 w fw.hex": MTKFLASH's messages */
};

struct ctx {
	struct opts o;
	struct bus bus;
	int bus_open;
	int msg_printed;	/* a command already said why it failed */
	char errtext[512];	/* the first thing it said: --json's "error" */
	FILE *out;		/* stdout */
	FILE *err;		/* stderr */
};

struct command {
	const char *name;
	const char *args;	/* "POS", "POS FILE", "" */
	const char *summary;	/* one line for --help */
	const char *example;
	int (*run)(struct ctx *c, int argc, char **argv);
	unsigned flags;		/* CMD_* */
};

/* Options without a short letter (getopt values). */
enum {
	OPT_JSON = 256, OPT_TRACE, OPT_HEX, OPT_FORCE, OPT_DRY_RUN, OPT_TIMEOUT, OPT_BACKUP,
	OPT_READ_REPEATED, OPT_CROSSFLASH, OPT_I_KNOW, OPT_RESUME, OPT_RELEASE,
	OPT_METHOD, OPT_CHUNK, OPT_KEEP, OPT_LIST_SUPPORTED, OPT_ATAPI, OPT_LOG,
};

/* One option: getopt's entry, the commands that take it and its help (src/options.c). */
struct cli_option {
	const char *name;	/* the long name, without "--" */
	int id;			/* its short letter, or OPT_* */
	const char *arg;	/* "FILE"; NULL: takes no argument */
	const char *cmds;	/* commands that take it, space-separated; "*" all; NULL: no command */
	const char *help;	/* what it does, one line */
	const char *sample;	/* an argument for the examples in --help */
};

extern const struct cli_option cli_options[];	/* ends with a NULL name */
int cli_option_count(void);
const struct cli_option *cli_option_by_id(int id);
/* The command (NULL: none, as in odrescue --version) takes the option. */
int cli_option_takes(const struct cli_option *o, const char *cmd);
/* getopt_long's table (cli_option_count() + 1 entries) and short-option string. */
struct option;
void cli_getopt_table(struct option *lo, char *shorts, size_t len);
/* odrescue help rescue: the recovery steps from the binary; -EINVAL for another topic. */
int guide_print(FILE *f, const char *topic);
/* odrescue --help and odrescue COMMAND --help: every line within 80 columns. */
void cli_usage(FILE *f, const struct command *const *cmds);
void cli_command_usage(FILE *f, const struct command *cmd);

/* The command accepts a device node as POS and handles ATAPI mode (SG_IO) itself. */
#define CMD_NODE	0x1

/* The command table lives in main.c; each cmd_*.c exports one of these. */
extern const struct command cmd_scan, cmd_identify, cmd_regs, cmd_reset;
extern const struct command cmd_rpc, cmd_wbuf;
extern const struct command cmd_wait, cmd_chip, cmd_dump, cmd_flash, cmd_erase, cmd_verify,
	cmd_rescue, cmd_info;

int odrescue_main(int argc, char **argv);

/* "1".."4", "pm", "ps", "sm", "ss", "m", "s", "/dev/srN": 0 or -EINVAL. */
int position_parse(const char *s, struct position *pos);
const char *position_name(const struct position *pos);
/* The position as typed on a command line: "3", "m", "/dev/sr0". */
const char *position_arg(const struct position *pos);
/* Check the argument count (exactly want) and parse argv[0] as a position; prints why not. */
int cmd_args_pos(struct ctx *c, const struct command *cmd, int argc, char **argv, int want,
		 struct position *pos);
/* Channel bitmask (1 primary, 2 secondary) for a position. */
unsigned position_chan_mask(const struct position *pos);

/*
 * Open the selected backend for the channels in chans (bitmask: 1 primary,
 * 2 secondary). Prints why on failure.
 */
int ctx_open_bus(struct ctx *c, unsigned chan_mask);
/* A bus opened elsewhere (the modelled HBA's) logs as c->bus does: -v, --log, trace. */
void ctx_log_bus(struct ctx *c, struct bus *b);
/* Taskfile port for a position on the open bus. */
void ctx_port(struct ctx *c, const struct position *pos, struct ata_port *ap);
void ctx_close_bus(struct ctx *c);
/* The open bus reaches this machine's ports (ioport, also under the fault injector). */
int ctx_real_ports(struct ctx *c);
/*
 * Another odrescue on an open raw channel: -EBUSY (exit 4) naming its pid;
 * else the channels are ours until ctx_unlock_channels() (at ctx_close_bus).
 */
int ctx_lock_channels(struct ctx *c);
void ctx_unlock_channels(void);
/* A kernel driver on an open raw channel: -EBUSY (exit 4), or detach it with --release. */
int ctx_claim_channels(struct ctx *c);
/*
 * --release of one PCI function (o->pci from o->driver): refused (-EBUSY,
 * printed) when a mounted filesystem or swap lives on it; given back by
 * ctx_giveback(), also when a signal ends the run.
 */
struct chan_owner;
int ctx_release_pci(struct ctx *c, const struct chan_owner *o);
/* Give a released controller back to its driver (at ctx_close_bus). */
void ctx_giveback(struct ctx *c);

/* One clear line on stderr: "odrescue: ...". Marks the failure as explained. */
void err_msg(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void warn_msg(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void info_msg(struct ctx *c, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int exit_code_for(int err);

#endif
