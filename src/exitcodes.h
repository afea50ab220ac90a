/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one table of exit codes: README.md and docs/odrescue.8 repeat it. */
#ifndef ODRESCUE_EXITCODES_H
#define ODRESCUE_EXITCODES_H

enum exit_code {
	EXIT_OK		= 0,	/* success */
	EXIT_USAGE	= 1,	/* bad option, position or parameter */
	EXIT_NODEV	= 2,	/* no device at that position, or it does not answer */
	EXIT_PERM	= 3,	/* not root, ioperm refused, kernel lockdown */
	EXIT_OWNED	= 4,	/* channel owned by a kernel driver, or in use by another odrescue */
	EXIT_REFUSED	= 5,	/* refused by a safety check */
	EXIT_BADFILE	= 6,	/* bad firmware file, or a dump file that cannot be written */
	EXIT_DEVERR	= 7,	/* device error or timeout during a read-only operation */
	EXIT_VERIFY	= 8,	/* verify mismatch */
	EXIT_WRITEFAIL	= 9,	/* failure while writing: see the emergency advice */
};

#endif
