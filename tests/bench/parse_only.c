/*
 * parse_only.c: the parsing ceiling for `make bench`: reads every file
 * named on stdin (one path a line), runs parse_request on it, and prints
 * messages/s over the parse alone (files read beforehand are not counted).
 * Prints: messages, wall seconds, MB, CPU seconds (the process's, which a
 * busy shared machine does not inflate).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <gmime/gmime.h>
#include "parse.h"

int
main(void)
{
	char line[4096];
	gint64 spent = 0;
	double cpu = 0;
	int n = 0;
	gsize bytes = 0;

	g_mime_init();
	while (fgets(line, sizeof line, stdin) != NULL) {
		gchar *data = NULL;
		gsize len = 0;
		struct request *r;
		gint64 t0;
		struct timespec c0, c1;

		line[strcspn(line, "\n")] = '\0';
		if (!g_file_get_contents(line, &data, &len, NULL))
			continue;
		r = request_new(line, (guint8 *)data, len);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
		t0 = g_get_monotonic_time();
		parse_request(r, 64 << 20, NULL);
		spent += g_get_monotonic_time() - t0;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
		cpu += (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) / 1e9;
		bytes += len;
		n++;
		request_free(r);
	}
	printf("%d %.3f %.1f %.3f\n", n, spent / 1e6, bytes / 1e6, cpu);
	return 0;
}
