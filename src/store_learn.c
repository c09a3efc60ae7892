/*
 * store_learn.c: the corrections query of the learned model (see
 * store_learn.h).  Read-only; prepared statements.
 */
#include <string.h>
#include "store_int.h"
#include "config.h"
#include "store_learn.h"

gboolean
store_each_correction(struct store *st, void (*fn)(const struct correction *, gpointer),
    gpointer data, GError **err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT r.ref, r.domain, r.topic, r.requester, r.urgent,"
	    " (SELECT group_concat(e.detail, ', ') FROM events e"
	    "   WHERE e.request_id = r.id AND e.kind = 'label'),"
	    " (SELECT guichet_raw(m.raw, m.raw_codec) FROM messages m WHERE m.request_id = r.id"
	    "   AND m.direction = 'in' AND m.raw IS NOT NULL ORDER BY m.id LIMIT 1)"
	    " FROM requests r"
	    " WHERE r.id IN (SELECT request_id FROM events WHERE kind = 'label')"
	    " AND r.purged = 0 ORDER BY r.id", err);
	int rc;

	if (s == NULL)
		return FALSE;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct correction c = {
			(const char *)sqlite3_column_text(s, 0),
			(const char *)sqlite3_column_text(s, 1),
			(const char *)sqlite3_column_text(s, 2),
			(const char *)sqlite3_column_text(s, 3),
			sqlite3_column_int(s, 4) != 0,
			(const char *)sqlite3_column_text(s, 5),
			sqlite3_column_blob(s, 6),
			(gsize)sqlite3_column_bytes(s, 6),
		};

		if (c.raw != NULL && c.fields != NULL)
			fn(&c, data);
	}
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "corrections: %s",
		    sqlite3_errmsg(store_db(st)));
		sqlite3_finalize(s);
		return FALSE;
	}
	sqlite3_finalize(s);
	return TRUE;
}

gint64
store_label_events(struct store *st, gint64 *last_id)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*), coalesce(max(id), 0)"
	    " FROM events WHERE kind = 'label'", NULL);
	gint64 n = 0;

	*last_id = 0;
	if (s == NULL)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		n = sqlite3_column_int64(s, 0);
		*last_id = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return n;
}
