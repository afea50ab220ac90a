/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kept apart from main.c so the test runner can link everything else. */
#include "src/cli.h"

int main(int argc, char **argv)
{
	return odrescue_main(argc, argv);
}
