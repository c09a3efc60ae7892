/*
 * store_urgent.c: the urgent path's part of the store (store_urgent.h):
 * alert, reminder and "seen" events, and what a reminder needs to know of
 * a stored request.  Prepared statements only.
 */
#include <string.h>
#include "store_int.h"
#include "config.h"
#include "store_urgent.h"

static gboolean
fail(struct store *s, GError **err, const char *what)
{
	g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "%s: %s", what,
	    sqlite3_errmsg(store_db(s)));
	return FALSE;
}

static char *
col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	return v != NULL ? g_utf8_make_valid(v, -1) : NULL;
}

gboolean
store_urgent_mark(struct store *s, gint64 request_id, GPtrArray *tags, gint64 now,
    GError **err)
{
	sqlite3_stmt *st;
	g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *joined = NULL;
	int rc;

	if ((st = store_prepare(s, "SELECT tags FROM requests WHERE id = ?", err)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, request_id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL) {
		g_auto(GStrv) old = g_strsplit((const char *)sqlite3_column_text(st, 0), ",", -1);

		for (int i = 0; old[i] != NULL; i++)
			if (*old[i] != '\0')
				g_ptr_array_add(all, g_strdup(old[i]));
	}
	sqlite3_finalize(st);
	for (guint i = 0; tags != NULL && i < tags->len; i++) {
		const char *t = g_ptr_array_index(tags, i);
		gboolean have = FALSE;

		for (guint k = 0; k < all->len; k++)
			have |= strcmp(g_ptr_array_index(all, k), t) == 0;
		if (!have)
			g_ptr_array_add(all, g_strdup(t));
	}
	g_ptr_array_add(all, NULL);
	joined = g_strjoinv(",", (char **)all->pdata);
	if ((st = store_prepare(s, "UPDATE requests SET urgent = 1, tags = ?, updated = ? "
	    "WHERE id = ?", err)) == NULL)
		return FALSE;
	if (*joined != '\0')
		sqlite3_bind_text(st, 1, joined, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, request_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? TRUE : fail(s, err, "mark urgent");
}

/* The last alert of each request, and nothing since that stops its reminder. */
#define LAST_ALERT "(SELECT max(a.id) FROM events a WHERE a.request_id = r.id " \
	"AND a.kind = 'urgent-alert')"
#define HANDLED_SINCE(alert) "EXISTS (SELECT 1 FROM events x WHERE x.request_id = r.id " \
	"AND x.kind IN ('urgent-reminder', 'seen') AND x.id > " alert ")"

GArray *
store_urgent_waiting(struct store *s, GError **err)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT r.id, e.time FROM requests r "
	    "JOIN events e ON e.id = " LAST_ALERT " "
	    "WHERE r.urgent = 1 AND r.status = 'open' AND NOT " HANDLED_SINCE("e.id") " "
	    "ORDER BY e.time", err);
	GArray *a;
	int rc;

	if (st == NULL)
		return NULL;
	a = g_array_new(FALSE, TRUE, sizeof(struct urgent_due));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct urgent_due d = { sqlite3_column_int64(st, 0),
		    sqlite3_column_int64(st, 1) };

		g_array_append_val(a, d);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		g_array_free(a, TRUE);
		fail(s, err, "urgent requests waiting");
		return NULL;
	}
	return a;
}

gboolean
store_urgent_needs_alert(struct store *s, gint64 request_id)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT " LAST_ALERT " IS NULL OR r.status <> 'open' "
	    "OR " HANDLED_SINCE(LAST_ALERT) " FROM requests r WHERE r.id = ?", NULL);
	gboolean yes = TRUE;

	if (st == NULL)
		return TRUE;	/* in doubt, alert */
	sqlite3_bind_int64(st, 1, request_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		yes = sqlite3_column_int(st, 0) != 0;
	sqlite3_finalize(st);
	return yes;
}

gboolean
store_urgent_load(struct store *s, gint64 request_id, struct request *r, GError **err)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT r.ref, r.requester, r.domain, r.topic, "
	    "r.commune, r.language, r.urgent, r.tags, r.sender_addr, r.sender_name, r.subject, "
	    "(SELECT guichet_text(m.text, m.text_codec) FROM messages m WHERE m.request_id = r.id AND m.direction = 'in' "
	    " ORDER BY m.received, m.id LIMIT 1), "
	    "(SELECT m.rules FROM messages m WHERE m.request_id = r.id AND m.direction = 'in' "
	    " ORDER BY m.received, m.id LIMIT 1) FROM requests r WHERE r.id = ?", err);
	int rc;

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, request_id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_INPUT,
			    "no request %" G_GINT64_FORMAT, request_id);
			return FALSE;
		}
		return fail(s, err, "load request");
	}
	r->request_id = request_id;
	r->ref = col(st, 0);
	r->requester = col(st, 1);
	r->domain = col(st, 2);
	r->topic = col(st, 3);
	r->commune = col(st, 4);
	r->language = col(st, 5);
	r->urgent = sqlite3_column_int(st, 6) != 0;
	if (sqlite3_column_text(st, 7) != NULL) {
		g_auto(GStrv) t = g_strsplit((const char *)sqlite3_column_text(st, 7), ",", -1);

		for (int i = 0; t[i] != NULL; i++)
			if (*t[i] != '\0')
				g_ptr_array_add(r->tags, g_strdup(t[i]));
	}
	r->from_addr = col(st, 8);
	r->from_name = col(st, 9);
	r->subject = col(st, 10);
	r->text = col(st, 11);
	if (sqlite3_column_text(st, 12) != NULL) {
		g_auto(GStrv) rules = g_strsplit((const char *)sqlite3_column_text(st, 12), ",", -1);

		for (int i = 0; rules[i] != NULL; i++) {
			g_strstrip(rules[i]);
			if (*rules[i] != '\0')
				request_add_hit(r, rules[i], NULL, NULL);
		}
	}
	sqlite3_finalize(st);
	return TRUE;
}
