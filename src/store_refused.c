/*
 * store_refused.c: what the digest adds about a period (store_refused.h):
 * refused command mails, follow-ups of the period's new requests.
 */
#include "config.h"
#include "store_int.h"
#include "store_refused.h"

gboolean
store_refused_add(struct store *st, gint64 request_id, const char *detail, gint64 now,
    GError **err)
{
	return store_event(st, request_id, REFUSED_EVENT, detail, now, err);
}

gboolean
store_period_claim(struct store *st, const char *kind, const char *period, gint64 now,
    gboolean *first, GError **err)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT OR IGNORE INTO periods(kind, period, sent) "
	    "VALUES(?, ?, ?)", err);
	int rc;

	*first = FALSE;
	if (s == NULL)
		return FALSE;
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, period, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "periods: %s",
		    sqlite3_errmsg(store_db(st)));
		return FALSE;
	}
	*first = sqlite3_changes(store_db(st)) == 1;
	return TRUE;
}

static void
refused_free(gpointer p)
{
	struct refused *r = p;

	g_free(r->ref);
	g_free(r->subject);
	g_free(r->detail);
	g_free(r);
}

static char *
col(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);

	return v != NULL ? g_utf8_make_valid(v, -1) : NULL;
}

GPtrArray *
store_refused_list(struct store *st, gint64 since, gint64 until, GError **err)
{
	/*
	 * A refused mail kept as no request has no request to name it: its
	 * message row is the one stored in the same transaction (same time).
	 */
	sqlite3_stmt *s = store_prepare(st, "SELECT e.time, r.ref, coalesce(r.subject, "
	    "(SELECT m.subject FROM messages m WHERE e.request_id IS NULL AND "
	    "m.received = e.time AND m.direction = 'in' AND m.request_id IS NULL "
	    "ORDER BY m.id LIMIT 1)), e.detail "
	    "FROM events e LEFT JOIN requests r ON r.id = e.request_id "
	    "WHERE e.kind = '" REFUSED_EVENT "' AND e.time >= ? AND e.time < ? "
	    "ORDER BY e.time, e.id", err);
	GPtrArray *a;
	int rc;

	if (s == NULL)
		return NULL;
	a = g_ptr_array_new_with_free_func(refused_free);
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct refused *r = g_new0(struct refused, 1);

		r->time = sqlite3_column_int64(s, 0);
		r->ref = col(s, 1);
		r->subject = col(s, 2);
		r->detail = col(s, 3);
		g_ptr_array_add(a, r);
	}
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "events: %s",
		    sqlite3_errmsg(store_db(st)));
		g_ptr_array_unref(a);
		a = NULL;
	}
	sqlite3_finalize(s);
	return a;
}

gboolean
store_followups_in(struct store *st, const char *ref, gint64 since, gint64 until, int *n,
    gint64 *last, char **last_text, GError **err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT m.received, "
	    "guichet_text(m.text, m.text_codec) FROM messages m "
	    "JOIN requests r ON r.id = m.request_id WHERE r.ref = ?1 AND m.direction = 'in' "
	    "AND +m.status = 'stored' AND m.received >= ?2 AND m.received < ?3 "
	    "AND m.id <> (SELECT min(id) FROM messages WHERE request_id = r.id "
	    "AND direction = 'in') ORDER BY m.received, m.id", err);
	int rc;

	*n = 0;
	*last = 0;
	*last_text = NULL;
	if (s == NULL)
		return FALSE;
	sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int64(s, 3, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		(*n)++;
		*last = sqlite3_column_int64(s, 0);
		g_free(*last_text);
		*last_text = col(s, 1);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		g_clear_pointer(last_text, g_free);
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "messages: %s",
		    sqlite3_errmsg(store_db(st)));
		return FALSE;
	}
	return TRUE;
}
