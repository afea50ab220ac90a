/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "src/output.h"

/*
 * Under --json every document on stdout names its command and position
 * first (set by main), and the last one stays open until main knows the
 * exit code: an error joins it as "error" and "exit", or is a document of
 * its own when the command printed none.
 */
static struct {
	FILE *f;		/* stdout; NULL: no --json run */
	const char *command;
	const char *pos_str;	/* "/dev/sr0", "m", "p2" */
	long long pos_num;	/* 1-4 when pos_str is NULL */
	int has_pos;
	int open;		/* a document awaits its closing brace */
	int members;		/* at its top level */
} head;

static void json_sep(struct json *j, const char *key)
{
	if (j->count[j->depth]++)
		fputc(',', j->f);
	fputc('\n', j->f);
	for (int i = 0; i <= j->depth; i++)
		fputs("  ", j->f);
	if (key)
		fprintf(j->f, "\"%s\": ", key);
}

static void json_quote(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

void json_head(FILE *f, const char *command)
{
	if (!f)
		memset(&head, 0, sizeof(head));	/* a new run */
	head.f = f;
	head.command = command;
}

void json_head_position(const char *str, int number)
{
	head.pos_str = str;
	head.pos_num = number;
	head.has_pos = 1;
}

/* A key the head already wrote at the top level: the command's own copy is dropped. */
static int in_head(const struct json *j, const char *key)
{
	return j->head && j->depth == 0 && key &&
	       ((!strcmp(key, "command") && head.command) || (!strcmp(key, "position") && head.has_pos));
}

static void close_pending(void)
{
	if (head.open)
		fputs("\n}\n", head.f);
	head.open = 0;
}

void json_begin(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->count[0] = 0;
	j->head = 0;
	if (f == head.f)
		close_pending();
	fputc('{', f);
	if (f != head.f)
		return;
	if (head.command)
		json_str(j, "command", head.command);
	if (head.has_pos && head.pos_str)
		json_str(j, "position", head.pos_str);
	else if (head.has_pos)
		json_int(j, "position", head.pos_num);
	j->head = 1;
}

void json_end(struct json *j)
{
	while (j->depth > 0)
		json_close(j);
	if (j->f == head.f && j->head) {	/* main closes it, with the error if there is one */
		head.open = 1;
		head.members = j->count[0];
		return;
	}
	fputs("\n}\n", j->f);
}

void json_finish(const char *error, int code)
{
	struct json j;

	if (!head.f || (!head.open && !error))
		return;
	if (!head.open) {
		json_begin(&j, head.f);
		head.members = j.count[0];
	}
	if (error) {
		fprintf(head.f, "%s\n  \"error\": ", head.members ? "," : "");
		json_quote(head.f, error);
		fprintf(head.f, ",\n  \"exit\": %d", code);
	}
	head.open = 1;
	close_pending();
}

static void json_open(struct json *j, const char *key, char ch)
{
	json_sep(j, key);
	fputc(ch, j->f);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->count[j->depth] = 0;
	j->kind[j->depth] = ch;
}

void json_obj(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_arr(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void json_close(struct json *j)
{
	char open = j->kind[j->depth];
	int empty = j->count[j->depth] == 0;

	j->depth--;
	if (!empty) {
		fputc('\n', j->f);
		for (int i = 0; i <= j->depth; i++)
			fputs("  ", j->f);
	}
	fputc(open == '[' ? ']' : '}', j->f);
}

void json_str(struct json *j, const char *key, const char *val)
{
	if (in_head(j, key))
		return;
	json_sep(j, key);
	if (val)
		json_quote(j->f, val);
	else
		fputs("null", j->f);
}

void json_int(struct json *j, const char *key, long long val)
{
	if (in_head(j, key))
		return;
	json_sep(j, key);
	fprintf(j->f, "%lld", val);
}

void json_bool(struct json *j, const char *key, int val)
{
	if (in_head(j, key))
		return;
	json_sep(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_hex(struct json *j, const char *key, unsigned val)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%02x", val);
	json_str(j, key, buf);
}

void hexdump(FILE *f, const void *buf, size_t len, uint32_t base)
{
	const unsigned char *p = buf;

	for (size_t off = 0; off < len; off += 16) {
		fprintf(f, "%08x ", (unsigned)(base + off));
		for (size_t i = 0; i < 16; i++) {
			if (off + i < len)
				fprintf(f, " %02x", p[off + i]);
			else
				fputs("   ", f);
		}
		fputs("  |", f);
		for (size_t i = 0; i < 16 && off + i < len; i++)
			fputc(isprint(p[off + i]) ? p[off + i] : '.', f);
		fputs("|\n", f);
	}
}
