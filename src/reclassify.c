/*
 * reclassify.c: `guichet reclassify --since DATE [--dry-run]`: applies the
 * current rules to requests already stored.  Stored labels are history:
 * nothing changes them unless this command is run.  A request whose labels
 * the delegate corrected by hand (a 'label' event) keeps them; one whose
 * text was purged cannot be read again and is left as it is.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "classify.h"
#include "lang.h"
#include "learn.h"
#include "parse.h"
#include "setup.h"
#include "store.h"
#include "viewfmt.h"
#include "vocab.h"

enum { L_DOMAIN, L_TOPIC, L_REQUESTER, L_COMMUNE, L_LANGUAGE, L_URGENT, L_N };
static const char *const lab_cols[L_N] = {
	"domain", "topic", "requester", "commune", "language", "urgent"
};

struct reclass {
	struct store	*st;
	struct setup	*setup;
	struct langid	*lang;
	struct lmodel	*model;		/* NULL: the rules alone */
	gboolean	 dry_run;
	gint64		 now;
	int		 seen, changed, manual, purged;
};

/* Classify the raw bytes of a request's first message into new[]. */
static gboolean
classify_raw(struct reclass *rc, const void *raw, int len, char *nw[L_N])
{
	struct request *r = request_new("reclassify", g_memdup2(raw, len), len);
	gboolean ok = parse_request(r, rc->setup->cfg->max_message_size, NULL);

	if (ok) {
		langid_detect(rc->lang, r, rc->setup->cfg->default_language);
		classify_request(rc->setup->rules, rc->model, rc->setup->cfg, r);
		nw[L_DOMAIN] = g_strdup(r->domain ? r->domain : VOCAB_DOMAIN_DEFAULT);
		nw[L_TOPIC] = g_strdup(r->topic);
		nw[L_REQUESTER] = g_strdup(r->requester ? r->requester : VOCAB_REQUESTER_DEFAULT);
		nw[L_COMMUNE] = g_strdup(r->commune);
		nw[L_LANGUAGE] = g_strdup(r->language ? r->language : VOCAB_LANGUAGE_UNKNOWN);
		nw[L_URGENT] = g_strdup(r->urgent ? "1" : "0");
	}
	request_free(r);
	return ok;
}

static gboolean
update(struct reclass *rc, gint64 id, char *nw[L_N], const char *detail, GError **err)
{
	sqlite3_stmt *s = store_prepare(rc->st, "UPDATE requests SET domain = ?, "
	    "topic = ?, requester = ?, commune = ?, language = ?, urgent = ?, "
	    "updated = ? WHERE id = ?", err);

	if (s == NULL)
		return FALSE;
	for (int i = 0; i < L_URGENT; i++)
		if (nw[i] != NULL)
			sqlite3_bind_text(s, i + 1, nw[i], -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(s, i + 1);
	sqlite3_bind_int(s, 6, strcmp(nw[L_URGENT], "1") == 0 ? 1 : 0);
	sqlite3_bind_int64(s, 7, rc->now);
	sqlite3_bind_int64(s, 8, id);
	if (sqlite3_step(s) != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "reclassify: %s",
		    sqlite3_errmsg(store_db(rc->st)));
		sqlite3_finalize(s);
		return FALSE;
	}
	sqlite3_finalize(s);
	return store_event(rc->st, id, "reclassify", detail, rc->now, err);
}

static gboolean
reclassify(struct reclass *rc, gint64 since, GError **err)
{
	sqlite3_stmt *s = store_prepare(rc->st, "SELECT r.id, r.ref, r.domain, r.topic, "
	    "r.requester, r.commune, r.language, r.urgent, "
	    "(SELECT guichet_raw(m.raw, m.raw_codec) FROM messages m WHERE m.request_id = r.id AND "
	    "m.direction = 'in' AND m.raw IS NOT NULL ORDER BY m.id LIMIT 1), "
	    "EXISTS(SELECT 1 FROM events e WHERE e.request_id = r.id AND e.kind = 'label') "
	    "FROM requests r WHERE r.created >= ? ORDER BY r.id", err);
	gboolean ok = TRUE;

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, since);
	while (ok && sqlite3_step(s) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		const char *ref = (const char *)sqlite3_column_text(s, 1);
		char *old[L_N], *nw[L_N] = { NULL };
		g_autoptr(GString) detail = g_string_new(NULL);

		rc->seen++;
		if (sqlite3_column_int(s, 9)) {
			rc->manual++;
			continue;
		}
		if (sqlite3_column_type(s, 8) == SQLITE_NULL) {
			rc->purged++;
			continue;
		}
		for (int i = 0; i < L_N; i++)
			old[i] = g_strdup((const char *)sqlite3_column_text(s, 2 + i));
		if (classify_raw(rc, sqlite3_column_blob(s, 8), sqlite3_column_bytes(s, 8), nw)) {
			for (int i = 0; i < L_N; i++)
				if (g_strcmp0(old[i], nw[i]) != 0)
					g_string_append_printf(detail, "%s%s: %s -> %s",
					    detail->len ? ", " : "", lab_cols[i],
					    old[i] ? old[i] : "-", nw[i] ? nw[i] : "-");
			if (detail->len > 0) {
				rc->changed++;
				printf("%s  %s\n", ref, detail->str);
				if (!rc->dry_run)
					ok = update(rc, id, nw, detail->str, err);
			}
		}
		for (int i = 0; i < L_N; i++) {
			g_free(old[i]);
			g_free(nw[i]);
		}
	}
	sqlite3_finalize(s);
	return ok;
}

int
cmd_reclassify(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct reclass rc = { 0 };
	const char *since = NULL;
	gint64 from = 0;
	GError *e = NULL;
	GTimeZone *tz;
	int ch, ret;

	while ((ch = getopt_long(argc, argv, "s:n", opts, NULL)) != -1) {
		switch (ch) {
		case 's': since = optarg; break;
		case 'n': rc.dry_run = TRUE; break;
		default: return cmd_usage(argv[0]);
		}
	}
	if (since == NULL || optind != argc)
		return cmd_usage(argv[0]);
	if ((ret = cmd_open(g, &rc.setup, &rc.st, 0)) != 0)
		return ret;
	rc.now = g_get_real_time() / G_USEC_PER_SEC;
	tz = view_tz(rc.setup->cfg);
	if (!view_parse_time(since, tz, FALSE, rc.now, &from, &e) ||
	    (rc.lang = langid_new(&e)) == NULL) {
		g_printerr("guichet: reclassify: %s\n", e->message);
		g_error_free(e);
		g_time_zone_unref(tz);
		store_close(rc.st);
		setup_free(rc.setup);
		return 1;
	}
	g_time_zone_unref(tz);
	rc.model = learn_model_for(rc.setup, g->db_path, rc.st);
	ret = 0;
	if (store_begin(rc.st, &e) && reclassify(&rc, from, &e)) {
		if (rc.dry_run)
			store_rollback(rc.st);
		else if (!store_commit(rc.st, TRUE, &e))
			ret = 1;
	} else {
		store_rollback(rc.st);
		ret = 1;
	}
	if (ret != 0) {
		g_printerr("guichet: reclassify: %s\n", e ? e->message : "failed");
		g_clear_error(&e);
	}
	if (ret == 0)
		printf("%d requests read, %d relabelled%s, %d kept (labels corrected by hand), "
		    "%d left (text purged)\n", rc.seen, rc.changed,
		    rc.dry_run ? " (dry run: nothing changed)" : "", rc.manual, rc.purged);
	langid_free(rc.lang);
	model_free(rc.model);
	store_close(rc.st);
	setup_free(rc.setup);
	return ret;
}
