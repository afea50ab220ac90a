/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/output.h"

START_TEST(test_json_nesting_and_escapes)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_begin(&j, f);
	json_str(&j, "a", "q\"b\\\n");
	json_arr(&j, "list");
	json_int(&j, NULL, 1);
	json_obj(&j, NULL);
	json_bool(&j, "t", 1);
	json_close(&j);
	json_close(&j);
	json_arr(&j, "empty");
	json_close(&j);
	json_str(&j, "n", NULL);
	json_hex(&j, "h", 0x50);
	json_end(&j);
	fclose(f);
	ck_assert_str_eq(buf, "{\n  \"a\": \"q\\\"b\\\\\\u000a\",\n  \"list\": [\n    1,\n    {\n      \"t\": true\n    }\n  ],"
			 "\n  \"empty\": [],\n  \"n\": null,\n  \"h\": \"0x50\"\n}\n");
	free(buf);
}
END_TEST

Suite *suite_output(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, test_json_nesting_and_escapes);
	suite_add_tcase(s, tc);
	return s;
}
