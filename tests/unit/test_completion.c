/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * completion/odrescue.bash, run by bash: it offers every command that
 * --help lists (so the two cannot drift apart), positions after a
 * command, the --method values, and images for info.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * COMPREPLY for a command line typed up to the cursor, as bash hands it
 * over: COMP_LINE and COMP_POINT, and COMP_WORDS split at COMP_WORDBREAKS
 * (so "sim:scenario=x" is five words there). "odrescue" at the start runs
 * the binary under test.
 */
static char *complete(const char *line)
{
	static char out[8192];
	char cmd[2048], bin[1024], full[1024];
	size_t n;
	FILE *f;

	if (!realpath(getenv("ODRESCUE") ? getenv("ODRESCUE") : "./odrescue", bin))
		ck_abort_msg("no odrescue binary");
	snprintf(full, sizeof(full), "%s%s", bin, line + strlen("odrescue"));
	snprintf(cmd, sizeof(cmd),
		 "bash -c 'source completion/odrescue.bash; COMP_LINE=\"%s\"; COMP_POINT=${#COMP_LINE}; "
		 "COMP_WORDS=(); w=; for ((i = 0; i < ${#COMP_LINE}; i++)); do c=${COMP_LINE:i:1}; "
		 "case $c in \" \") [[ -n $w ]] && COMP_WORDS+=(\"$w\"); w= ;; [:=]) [[ -n $w ]] && COMP_WORDS+=(\"$w\"); "
		 "COMP_WORDS+=(\"$c\"); w= ;; *) w+=$c ;; esac; done; COMP_WORDS+=(\"$w\"); "
		 "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _odrescue; echo \"${COMPREPLY[*]}\"' 2>&1", full);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = 0;
	pclose(f);
	return out;
}

START_TEST(test_commands_match_help)
{
	char line[512], *words;
	size_t n = 0;
	FILE *f;

	if (access("/bin/bash", X_OK)) {
		printf("test_completion: skipped, no bash\n");
		return;
	}
	words = strdup(complete("odrescue "));
	f = popen("${ODRESCUE:-./odrescue} --help", "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		char name[32];

		/* "  flash POS FILE   write ..." lines between "Commands:" and the blank line */
		if (!strncmp(line, "Commands:", 9)) {
			n = 1;
			continue;
		}
		if (n && line[0] == '\n')
			break;
		if (n && line[2] != ' ' && sscanf(line, " %31s", name) == 1) {	/* not a wrapped summary */
			char tok[40], all[8200];

			/* whole words: "scan" must not pass because "rescan" is there */
			snprintf(tok, sizeof(tok), " %s ", name);
			snprintf(all, sizeof(all), " %s ", words);
			for (char *p = all; *p; p++)
				if (*p == '\n')
					*p = ' ';
			ck_assert_msg(strstr(all, tok), "completion lacks '%s': %s", name, words);
			n++;
		}
	}
	pclose(f);
	ck_assert_uint_gt(n, 10);
	ck_assert_msg(strstr(words, "sm") && strstr(words, "4"), "%s", words);
	free(words);
}
END_TEST

START_TEST(test_arguments)
{
	if (access("/bin/bash", X_OK))
		return;
	ck_assert_str_eq(complete("odrescue flash --met"), "--method\n");
	ck_assert_str_eq(complete("odrescue flash 3 x.bin --method "), "mtk wbuf\n");
	ck_assert_msg(strstr(complete("odrescue -v flash "), "1 2 3 4 pm ps sm ss m s"), "%s",
		      complete("odrescue -v flash "));
	ck_assert_str_eq(complete("odrescue --backup x.bin flash s"), "sm ss s\n");
	ck_assert_str_eq(complete("odrescue 3 "), "w r\n");
}
END_TEST

/*
 * After a backend with parameters (issue 16: the ':' and '=' split the word
 * and nothing was offered): the command, the backend's parameter names (only
 * the part after the last ':' or '=', which is what bash replaces), and
 * each command's own options only.
 */
START_TEST(test_backend_parameters_and_options)
{
	char *s;

	if (access("/bin/bash", X_OK))
		return;
	ck_assert_str_eq(complete("odrescue -p sim:scenario=hotplug res"), "reset rescue\n");
	ck_assert_str_eq(complete("odrescue -p sim:sc"), "scenario=\n");
	ck_assert_str_eq(complete("odrescue -p sim:scenario=hotplug,sw"), "hotplug,swap=\n");
	ck_assert_str_eq(complete("odrescue -p sim:scenario=hotplug,swap=1 rescue "),
			 "1 2 3 4 pm ps sm ss m s\n");
	s = complete("odrescue -p fa");
	ck_assert_str_eq(s, "fault\n");
	/* scan takes --atapi, not --hex; flash --dry-run, never --no-verify */
	ck_assert_str_eq(complete("odrescue scan --a"), "--atapi\n");
	ck_assert_str_eq(complete("odrescue scan --he"), "--help\n");
	ck_assert_str_eq(complete("odrescue flash --dr"), "--dry-run\n");
	ck_assert_str_eq(complete("odrescue flash --no"), "\n");
}
END_TEST

Suite *suite_completion(void)
{
	Suite *s = suite_create("completion");
	TCase *tc = tcase_create("bash");

	tcase_add_test(tc, test_commands_match_help);
	tcase_add_test(tc, test_arguments);
	tcase_add_test(tc, test_backend_parameters_and_options);
	suite_add_tcase(s, tc);
	return s;
}
