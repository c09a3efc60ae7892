/*
 * fuzz_support.c: linked into every harness.  The command renderers that
 * the pipeline pulls in (mail commands run stats/export/report) call
 * cmd_usage(), which lives in main.c beside main(); libFuzzer brings its
 * own main(), so the harnesses get this one-line equivalent.
 */
#include <stdio.h>
#include "cmd.h"

int
cmd_usage(const char *name)
{
	fprintf(stderr, "usage: guichet %s\n", name);
	return 2;
}
