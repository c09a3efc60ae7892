/*
 * store_setaside.c: the crash guard's set-aside messages (store_setaside.h).
 */
#include "store_int.h"
#include "config.h"
#include "store_setaside.h"

static void
set_aside_free(struct set_aside *a)
{
	if (a == NULL)
		return;
	g_free(a->raw);
	g_free(a->by);
	g_free(a);
}

/* Run one prepared statement to its end; FALSE with err. */
static gboolean
run(struct store *st, sqlite3_stmt *s, const char *what, GError **err)
{
	int rc = sqlite3_step(s);

	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "%s: %s", what,
		    sqlite3_errmsg(store_db(st)));
		return FALSE;
	}
	return TRUE;
}

gboolean
store_set_aside_mark(struct store *st, const char *dedup_key, const char *version,
    GError **err)
{
	sqlite3_stmt *s = store_prepare(st, "UPDATE messages SET set_aside_by = ? "
	    "WHERE dedup_key = ? AND status = 'quarantined'", err);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_text(s, 1, version, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, dedup_key, -1, SQLITE_STATIC);
	return run(st, s, "set aside", err);
}

GPtrArray *
store_set_aside_due(struct store *st, const char *version, GError **err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, guichet_raw(raw, raw_codec), set_aside_by FROM messages "
	    "WHERE set_aside_by IS NOT NULL AND set_aside_by <> ?1 AND retried_by IS NULL "
	    "AND status = 'quarantined' AND raw IS NOT NULL ORDER BY id", err);
	GPtrArray *out;
	int rc;

	if (s == NULL)
		return NULL;
	sqlite3_bind_text(s, 1, version, -1, SQLITE_STATIC);
	out = g_ptr_array_new_with_free_func((GDestroyNotify)set_aside_free);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct set_aside *a = g_new0(struct set_aside, 1);

		a->id = sqlite3_column_int64(s, 0);
		a->len = (gsize)sqlite3_column_bytes(s, 1);
		a->raw = g_memdup2(sqlite3_column_blob(s, 1), a->len);
		a->by = g_strdup((const char *)sqlite3_column_text(s, 2));
		g_ptr_array_add(out, a);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "set aside: %s",
		    sqlite3_errmsg(store_db(st)));
		g_ptr_array_free(out, TRUE);
		return NULL;
	}
	return out;
}

gboolean
store_set_aside_retried(struct store *st, gint64 id, const char *version, GError **err)
{
	sqlite3_stmt *s = store_prepare(st, "UPDATE messages SET retried_by = ? WHERE id = ?",
	    err);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_text(s, 1, version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, id);
	return run(st, s, "set aside retried", err);
}

gboolean
store_set_aside_drop(struct store *st, gint64 id, GError **err)
{
	sqlite3_stmt *s = store_prepare(st, "DELETE FROM messages WHERE id = ? "
	    "AND status = 'quarantined' AND request_id IS NULL", err);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	return run(st, s, "set aside drop", err);
}
