/*
 * store_report.c: the report's own queries (store_report.h).
 */
#include <string.h>
#include "config.h"
#include "store_int.h"
#include "store_report.h"

static char *
comment_key(int year)
{
	return g_strdup_printf("report-comment:%04d", year);
}

char *
store_comment_get(struct store *st, int year)
{
	g_autofree char *key = comment_key(year);
	sqlite3_stmt *s;
	char *v = NULL;

	if (st == NULL || (s = store_prepare(st, "SELECT value FROM meta WHERE key = ?",
	    NULL)) == NULL)
		return NULL;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL)
		v = g_strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return v;
}

gboolean
store_comment_set(struct store *st, int year, const char *text, GError **err)
{
	g_autofree char *key = comment_key(year);
	sqlite3_stmt *s = store_prepare(st, *text != '\0' ?
	    "INSERT INTO meta(key, value) VALUES(?1, ?2) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value" :
	    "DELETE FROM meta WHERE key = ?1", err);
	int rc;

	if (s == NULL)
		return FALSE;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (*text != '\0')
		sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "meta: %s",
		    sqlite3_errmsg(store_db(st)));
		return FALSE;
	}
	return TRUE;
}

gboolean
store_uncounted(struct store *st, gint64 from, gint64 to, struct uncounted *u, GError **err)
{
	sqlite3_stmt *s;
	int rc;

	memset(u, 0, sizeof *u);
	if (st == NULL)
		return TRUE;
	/* The kinds of the kind stage (kind.c) that are no request (store_kind.h). */
	s = store_prepare(st, "SELECT CASE WHEN status = 'quarantined' THEN 'quarantined' "
	    "ELSE kind END, count(*) FROM messages WHERE direction = 'in' "
	    "AND received >= ?1 AND received < ?2 AND (status = 'quarantined' OR "
	    "kind IN ('robot', 'spam', 'own', 'command') OR "
	    "(kind = 'followup' AND request_id IS NULL)) GROUP BY 1", err);
	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);
		gint64 n = sqlite3_column_int64(s, 1);

		if (g_strcmp0(k, "quarantined") == 0)
			u->quarantined += n;
		else if (g_strcmp0(k, "command") == 0)
			u->commands += n;
		else if (g_strcmp0(k, "robot") == 0)
			u->robots += n;
		else if (g_strcmp0(k, "spam") == 0)
			u->spam += n;
		else if (g_strcmp0(k, "own") == 0)
			u->own += n;
		else
			u->thanks += n;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "messages: %s",
		    sqlite3_errmsg(store_db(st)));
		return FALSE;
	}
	return TRUE;
}
