/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --json writer and small text helpers. */
#ifndef ODRESCUE_OUTPUT_H
#define ODRESCUE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	int count[JSON_MAX_DEPTH];	/* members written at each level */
	char kind[JSON_MAX_DEPTH];	/* '{' or '[' opened at each level */
	int head;			/* began with json_head's command and position */
};

/*
 * --json on f (stdout): every document begins with "command" and, once
 * set, "position" (a number 1-4, else the string as typed); a command's
 * own top-level "command"/"position" is then dropped. The last document is
 * closed by json_finish(), which adds "error" and "exit" when the run
 * failed, or prints {"command", "position", "error", "exit"} if there was
 * no document.
 */
void json_head(FILE *f, const char *command);	/* f NULL: forget everything (a new run) */
void json_head_position(const char *str, int number);
void json_finish(const char *error, int code);

/* Keys are NULL inside arrays. The document is one object: json_begin..json_end. */
void json_begin(struct json *j, FILE *f);
void json_end(struct json *j);
void json_obj(struct json *j, const char *key);
void json_arr(struct json *j, const char *key);
void json_close(struct json *j);			/* closes the innermost obj/arr */
void json_str(struct json *j, const char *key, const char *val);	/* NULL: null */
void json_int(struct json *j, const char *key, long long val);
void json_bool(struct json *j, const char *key, int val);
void json_hex(struct json *j, const char *key, unsigned val);	/* "0x50" string */

/* Hex dump of len bytes, 16 a line, with offsets and ASCII. */
void hexdump(FILE *f, const void *buf, size_t len, uint32_t base);

#endif
