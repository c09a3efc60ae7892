/*
 * floor.c: the memory floor for `make bench` (issue 20): a process linked
 * with guichet's link line (the same libraries, loaded and relocated the
 * same way), that initialises what every guichet command initialises
 * (the locale, GMime, SQLite, GnuTLS, libxml2's parser) and exits.
 * Prints its peak RSS (VmHWM) and, from /proc/self/smaps, its resident
 * memory apart from the libraries' files (anonymous: heap, stacks, the
 * libraries' relocated data) and in them, in kB:
 *   floor: peak RSS N kB; anonymous N kB, library files N kB
 * With an argument (any), one line per mapped file, most resident first.
 * Calls one function of each library guichet links directly, so that
 * none is dropped by the linker (it is not, with guichet's link line).
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gmime/gmime.h>
#include <gnutls/gnutls.h>
#include <libxml/parser.h>
#include <sqlite3.h>
#include <libconfig.h>
#include <libetpan/libetpan.h>
#include <libexttextcat/textcat.h>
#include <json-glib/json-glib.h>
#include <zstd.h>
#include <linear.h>

static long
status_kb(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

int
main(int argc, char **argv)
{
	volatile gboolean never = argc < 0;
	GHashTable *files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	char line[1024], cur[1024] = "";
	long anon = 0, lib = 0;
	FILE *f;

	setlocale(LC_ALL, "C.UTF-8");
	g_mime_init();
	sqlite3_initialize();
	gnutls_global_init();
	xmlInitParser();
	if (never) {	/* referenced, never run */
		config_t c;

		config_init(&c);
		mailimap_free(mailimap_new(0, NULL));
		textcat_Done(NULL);
		g_object_unref(json_parser_new());
		ZSTD_freeCCtx(ZSTD_createCCtx());
		set_print_string_function(NULL);
	}
	if ((f = fopen("/proc/self/smaps", "r")) == NULL)
		return 1;
	while (fgets(line, sizeof line, f) != NULL) {
		unsigned long a, b;
		char perm[8], path[1024] = "";
		long kb;

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %1023[^\n]", &a, &b, perm, path) >= 3) {
			g_strlcpy(cur, g_strstrip(path), sizeof cur);
			continue;
		}
		if (sscanf(line, "Rss: %ld kB", &kb) != 1)
			continue;
		/* a library's private dirty pages (relocations) are anonymous in
		 * RssAnon; smaps counts them under the file: keep smaps' view */
		if (cur[0] == '/') {
			lib += kb;
			g_hash_table_insert(files, g_strdup(cur),
			    GSIZE_TO_POINTER(GPOINTER_TO_SIZE(g_hash_table_lookup(files, cur)) + (gsize)kb));
		} else
			anon += kb;
	}
	fclose(f);
	printf("floor: peak RSS %ld kB; anonymous %ld kB, library files %ld kB\n",
	    status_kb("VmHWM:"), anon, lib);
	if (argc > 1) {
		GList *keys = g_hash_table_get_keys(files);

		for (GList *k = keys; k != NULL; k = k->next)
			printf("%6zu kB %s\n", GPOINTER_TO_SIZE(g_hash_table_lookup(files, k->data)),
			    (const char *)k->data);
		g_list_free(keys);
	}
	g_hash_table_destroy(files);
	return 0;
}
