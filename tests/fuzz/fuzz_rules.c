/*
 * fuzz_rules.c: any bytes as a rules file next to the shipped taxonomy;
 * when it loads, classify a fixed request with it.
 */
#include <gmime/gmime.h>
#include "rules.h"
#include "parse.h"
#include "fuzz_load.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

static const char msg[] = "From: Ana <ana@example.org>\nSubject: permis B et cours de français\n"
    "Message-ID: <x@y>\n\nBonjour, je cherche un cours de langue et un logement à Chippis.\n";

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	static char *dir;
	static struct config cfg;
	char *path;
	GError *e = NULL;
	struct ruleset *rs;

	if (dir == NULL) {
		gchar *tax = NULL;
		gsize tlen = 0;

		g_mime_init();
		dir = g_strdup(fuzz_dir());
		if (!g_file_get_contents(GUICHET_SRCDIR "/rules/00-taxonomy.conf", &tax, &tlen, NULL))
			abort();
		g_free(fuzz_write(dir, "00-taxonomy.conf", (unsigned char *)tax, tlen));
		g_free(tax);
	}
	path = fuzz_write(dir, "50-fuzz.conf", data, len);
	rs = ruleset_load(dir, &cfg, &e);
	if (rs != NULL) {
		struct request *r = request_new("fuzz", (guint8 *)g_strdup(msg), sizeof msg - 1);

		if (parse_request(r, 1 << 20, NULL)) {
			request_set(&r->language, "fr");
			ruleset_apply(rs, r);
		}
		request_free(r);
		ruleset_free(rs);
	}
	g_clear_error(&e);
	g_free(path);
	return 0;
}
