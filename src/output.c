/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <stdio.h>

#include "src/output.h"

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

void json_begin(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->count[0] = 0;
	fputc('{', f);
}

void json_end(struct json *j)
{
	while (j->depth > 0)
		json_close(j);
	fputs("\n}\n", j->f);
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
	json_sep(j, key);
	if (val)
		json_quote(j->f, val);
	else
		fputs("null", j->f);
}

void json_int(struct json *j, const char *key, long long val)
{
	json_sep(j, key);
	fprintf(j->f, "%lld", val);
}

void json_bool(struct json *j, const char *key, int val)
{
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
