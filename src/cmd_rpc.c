/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * odrescue rpc POS: the drive's DVD region state (REPORT KEY, key format
 * 08h; mtk-protocol.md section 7). Read-only. A drive that rejects the
 * command keeps no RPC-2 state, which is an answer, not an error.
 */
#include <errno.h>
#include <string.h>

#include "hw/scsi.h"
#include "src/atapi_mode.h"
#include "src/output.h"

#define RPC_NO_STATE	"no RPC-2 state (RPC-1 firmware or not a DVD drive)"

static const char *const type_names[4] = {
	"no region set",
	"region set",
	"region set, last chance: the next change is permanent",
	"region set permanently: only a vendor reset can change it",
};

/* "2", "1,2,4", "none", "all (region free)": bit n clear = region n+1 playable. */
static const char *regions_str(uint8_t mask, char *buf, size_t len)
{
	size_t o = 0;

	if (mask == 0xff || mask == 0x00) {
		snprintf(buf, len, "%s", mask ? "none" : "all (region free)");
		return buf;
	}
	buf[0] = '\0';
	for (int n = 0; n < 8 && o < len; n++)
		if (!(mask & (1u << n)))
			o += (size_t)snprintf(buf + o, len - o, "%s%d", o ? "," : "", n + 1);
	return buf;
}

static void rpc_text(struct ctx *c, const struct atapi_target *t, const struct rpc_state *r)
{
	char name[64], regions[32];
	FILE *f = c->out;

	fprintf(f, "%s: [%s][%s][%s]\n", atapi_target_name(t, name, sizeof(name)), t->inq.vendor,
		t->inq.product, t->inq.revision);
	if (r->scheme)
		fprintf(f, "  RPC phase        RPC-2 (the drive enforces its region)\n");
	else
		fprintf(f, "  RPC phase        none (RPC scheme 00h: the drive does not enforce regions, RPC-1)\n");
	fprintf(f, "  region           %s\n", r->type == 0 ? "not set" : "set");
	fprintf(f, "  playable regions %s (mask %02Xh)\n", regions_str(r->region_mask, regions, sizeof(regions)),
		r->region_mask);
	fprintf(f, "  type code        %d: %s\n", r->type, type_names[r->type & 3]);
	fprintf(f, "  user changes     %d left\n", r->user_changes);
	fprintf(f, "  vendor resets    %d left\n", r->vendor_resets);
}

static void drive_json(struct json *j, const struct atapi_target *t)
{
	if (t->pos.node) {
		json_str(j, "node", t->pos.node);
		json_str(j, "position", NULL);
	} else {
		json_str(j, "node", NULL);
		json_int(j, "position", t->pos.number);
	}
	json_str(j, "path", t->sg ? "sg_io" : "raw");
	json_obj(j, "inquiry");
	json_str(j, "vendor", t->inq.vendor);
	json_str(j, "product", t->inq.product);
	json_str(j, "revision", t->inq.revision);
	json_close(j);
}

static void rpc_json(struct ctx *c, const struct atapi_target *t, const struct rpc_state *r, const char *sense)
{
	char regions[32];
	struct json j;

	json_begin(&j, c->out);
	drive_json(&j, t);
	json_bool(&j, "rpc_state", r != NULL);
	if (!r) {
		json_str(&j, "phase", "none");
		json_str(&j, "reason", RPC_NO_STATE);
		json_str(&j, "sense", sense);
		json_end(&j);
		return;
	}
	json_str(&j, "phase", r->scheme ? "RPC-2" : "none");
	json_int(&j, "scheme", r->scheme);
	json_bool(&j, "region_set", r->type != 0);
	json_hex(&j, "region_mask", r->region_mask);
	json_arr(&j, "regions");
	for (int n = 0; n < 8; n++)
		if (!(r->region_mask & (1u << n)))
			json_int(&j, NULL, n + 1);
	json_close(&j);
	json_bool(&j, "region_free", r->region_mask == 0);
	json_str(&j, "regions_text", regions_str(r->region_mask, regions, sizeof(regions)));
	json_int(&j, "type_code", r->type);
	json_str(&j, "type", type_names[r->type & 3]);
	json_int(&j, "user_changes_left", r->user_changes);
	json_int(&j, "vendor_resets_left", r->vendor_resets);
	json_end(&j);
}

static int rpc_run(struct ctx *c, int argc, char **argv)
{
	struct atapi_target t;
	struct position pos;
	struct rpc_state r;
	char why[200], name[64];
	int ret;

	ret = cmd_args_pos(c, &cmd_rpc, argc, argv, 1, &pos);
	if (ret)
		return ret;
	ret = atapi_target_open(c, &pos, 0, &t);
	if (ret)
		return ret;
	ret = mmc_report_rpc(&t.pt, &r);
	if (ret == -EIO && t.last.sense.key == ILLEGAL_REQUEST) {
		/* Binflash's reading: a drive that does not know key format 08h is RPC-1. */
		scsi_sense_str(&t.last.sense, why, sizeof(why));
		if (c->o.json) {
			rpc_json(c, &t, NULL, why);
		} else {
			fprintf(c->out, "%s: [%s][%s][%s]\n  %s\n  (REPORT KEY rejected: %s)\n",
				atapi_target_name(&t, name, sizeof(name)), t.inq.vendor, t.inq.product,
				t.inq.revision, RPC_NO_STATE, why);
		}
		ret = 0;
	} else if (ret) {
		err_msg(c, "REPORT KEY (RPC state) on %s failed: %s", atapi_target_name(&t, name, sizeof(name)),
			atapi_target_err(c, &t, ret, why, sizeof(why)));
	} else if (c->o.json) {
		rpc_json(c, &t, &r, NULL);
	} else {
		rpc_text(c, &t, &r);
	}
	atapi_target_close(&t);
	return ret;
}

const struct command cmd_rpc = {
	.name = "rpc",
	.args = "POS",
	.summary = "show the DVD region state (RPC phase, region, changes left); read-only",
	.example = "odrescue rpc /dev/sr0 --json",
	.run = rpc_run,
	.flags = CMD_NODE,
};
