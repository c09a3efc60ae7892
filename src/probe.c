/*
 * probe.c: the authserv-id the mail server vouches with, read from the
 * newest messages of the contact mailbox (probe.h).
 */
#include <string.h>
#include "imap.h"
#include "probe.h"

#define SAMPLE_MESSAGES	20	/* newest messages looked at */

/* The authserv-id of the topmost Authentication-Results of a header, or NULL. */
static char *
probe_authserv_of(const char *hdr, gsize len)
{
	static const char name[] = "authentication-results:";
	const char *p = hdr, *end = hdr + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((eol != NULL ? eol : end) - p);

		if (n == 0 || (n == 1 && *p == '\r'))
			break;		/* end of the header */
		if (n > sizeof name - 1 && g_ascii_strncasecmp(p, name, sizeof name - 1) == 0) {
			const char *v = p + sizeof name - 1;
			const char *semi = memchr(v, ';', (size_t)(end - v));
			g_autofree char *id = NULL;
			char *sp;

			if (semi == NULL)
				return NULL;
			id = g_strstrip(g_strndup(v, (gsize)(semi - v)));
			if ((sp = strpbrk(id, " \t\r\n")) != NULL)
				*sp = '\0';	/* an optional version follows */
			return *id != '\0' ? g_steal_pointer(&id) : NULL;
		}
		p = eol != NULL ? eol + 1 : end;
	}
	return NULL;
}

gboolean
probe_authserv_id(const struct config *cfg, struct authserv_sample *a, GError **err)
{
	struct imap *im;
	GArray *uids;
	guint32 uv;
	GHashTableIter it;
	gpointer k, v;

	memset(a, 0, sizeof *a);
	a->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	a->folder = g_strdup(cfg->imap_folder);
	if ((im = imap_open(cfg, err)) == NULL)
		return FALSE;
	if (!imap_select(im, cfg->imap_folder, TRUE, &uv, err) ||
	    (uids = imap_list_uids(im, 1, 0, NULL, err)) == NULL) {
		imap_close(im);
		return FALSE;
	}
	for (guint i = uids->len; i > 0 && a->looked < SAMPLE_MESSAGES; i--) {
		guint8 *raw = NULL;
		gsize len = 0;
		gint64 when;
		char *id;

		if (!imap_fetch(im, g_array_index(uids, guint32, i - 1), TRUE, 64 * 1024,
		    &raw, &len, &when, NULL))
			continue;
		a->looked++;
		if ((id = probe_authserv_of((const char *)raw, len)) != NULL) {
			guint n = GPOINTER_TO_UINT(g_hash_table_lookup(a->seen, id)) + 1;

			g_hash_table_replace(a->seen, id, GUINT_TO_POINTER(n));
		}
		g_free(raw);
	}
	g_array_unref(uids);
	imap_close(im);
	g_hash_table_iter_init(&it, a->seen);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (GPOINTER_TO_UINT(v) > a->best_n) {
			a->best_n = GPOINTER_TO_UINT(v);
			g_free(a->best);
			a->best = g_strdup(k);
		}
	return TRUE;
}

void
probe_authserv_print(const struct authserv_sample *a, FILE *f)
{
	GHashTableIter it;
	gpointer k, v;

	fprintf(f, "Looked at the %u newest messages of %s:\n", a->looked, a->folder);
	g_hash_table_iter_init(&it, a->seen);
	while (g_hash_table_iter_next(&it, &k, &v))
		fprintf(f, "  Authentication-Results from \"%s\" on top of %u\n", (char *)k,
		    GPOINTER_TO_UINT(v));
	if (a->best == NULL)
		fprintf(f, "  none carries an Authentication-Results header: commands by mail\n"
		    "  will need commands.secret_file (see guichet.conf(5)).\n");
}

void
probe_authserv_clear(struct authserv_sample *a)
{
	if (a->seen != NULL)
		g_hash_table_unref(a->seen);
	g_free(a->best);
	g_free(a->folder);
	memset(a, 0, sizeof *a);
}
