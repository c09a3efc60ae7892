/*
 * store_time.c: the time log's queries (store_time.h).
 */
#include <string.h>
#include "config.h"
#include "store_int.h"
#include "store_time.h"

static void
cell_free(gpointer p)
{
	struct time_cell *c = p;

	g_free(c->kind);
	g_free(c->domain);
	g_free(c->topic);
	g_free(c->month);
	g_free(c);
}

static char *
col(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);

	return v != NULL ? g_strdup(v) : NULL;
}

GPtrArray *
store_time_cells(struct store *st, const char *from, const char *to, GError **err)
{
	/* The request's labels when it still exists, else the entry's copy. */
	sqlite3_stmt *s = store_prepare(st, "SELECT t.kind, "
	    "CASE WHEN r.id IS NOT NULL THEN r.domain ELSE t.domain END, "
	    "CASE WHEN r.id IS NOT NULL THEN r.topic ELSE t.topic END, "
	    "substr(t.date, 1, 7), count(*), sum(t.minutes) "
	    "FROM time_log t LEFT JOIN requests r ON r.id = t.request_id "
	    "WHERE t.date >= ?1 AND t.date < ?2 GROUP BY 1, 2, 3, 4", err);
	GPtrArray *a;
	int rc;

	if (s == NULL)
		return NULL;
	a = g_ptr_array_new_with_free_func(cell_free);
	sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct time_cell *c = g_new0(struct time_cell, 1);

		c->kind = col(s, 0);
		c->domain = col(s, 1);
		c->topic = col(s, 2);
		c->month = col(s, 3);
		c->entries = sqlite3_column_int64(s, 4);
		c->minutes = sqlite3_column_int64(s, 5);
		if (c->kind == NULL)
			c->kind = g_strdup("");
		g_ptr_array_add(a, c);
	}
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "time_log: %s",
		    sqlite3_errmsg(store_db(st)));
		g_ptr_array_unref(a);
		a = NULL;
	}
	sqlite3_finalize(s);
	return a;
}

gboolean
store_time_add(struct store *st, const char *date, long minutes, const char *kind,
    gint64 request_id, const char *domain, const char *topic, const char *note,
    gint64 now, GError **err)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO time_log(date, minutes, kind, "
	    "request_id, domain, topic, note, created) VALUES(?1, ?2, ?3, ?4, "
	    "CASE WHEN ?4 IS NULL THEN ?5 ELSE (SELECT domain FROM requests WHERE id = ?4) END, "
	    "CASE WHEN ?4 IS NULL THEN ?6 ELSE (SELECT topic FROM requests WHERE id = ?4) END, "
	    "?7, ?8)", err);
	int rc;

	if (s == NULL)
		return FALSE;
	sqlite3_bind_text(s, 1, date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, minutes);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	if (request_id > 0)
		sqlite3_bind_int64(s, 4, request_id);
	else
		sqlite3_bind_null(s, 4);
	sqlite3_bind_text(s, 5, domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, topic, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, now);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "time_log: %s",
		    sqlite3_errmsg(store_db(st)));
		return FALSE;
	}
	return TRUE;
}
