/*
 * store_outbox.c: the outbox in the store (see store_outbox.h): mail
 * queued in the caller's transaction, taken by the sender, marked sent.
 */
#include <string.h>
#include "log.h"
#include "store_int.h"
#include "vocab.h"

gboolean
store_is_own_message(struct store *s, const char *message_id)
{
	sqlite3_stmt *st;
	gboolean found;

	if (message_id == NULL)
		return FALSE;
	if ((st = store_cached(s, "SELECT 1 FROM outbox WHERE message_id = ?", NULL)) == NULL)
		return FALSE;
	store_bind_text(st, 1, message_id);
	found = sqlite3_step(st) == SQLITE_ROW;
	store_reset(st);
	return found;
}

gint64
store_outbox_add(struct store *s, gint64 request_id, const struct outmail *m,
    gint64 now, GError **err)
{
	g_autofree char *key = store_sender_key(s, m->rcpt);
	g_autofree char *dkey = store_domain_key(s, m->rcpt);
	sqlite3_stmt *st = store_cached(s, "INSERT INTO outbox(request_id, kind, "
	    "message_id, mail_from, rcpt, rcpt_key, data, created, next_attempt, "
	    "rcpt_domain_key) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err);

	if (st == NULL)
		return 0;
	if (request_id > 0)
		sqlite3_bind_int64(st, 1, request_id);
	else
		sqlite3_bind_null(st, 1);
	store_bind_text(st, 2, m->kind);
	store_bind_text(st, 3, m->message_id);
	store_bind_text(st, 4, m->mail_from ? m->mail_from : "");
	store_bind_text(st, 5, m->rcpt);
	store_bind_text(st, 6, key);
	sqlite3_bind_blob64(st, 7, m->data, m->len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, now);
	store_bind_text(st, 10, dkey);
	if (!store_step_done(s, st, err, "queue mail"))
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int
store_count_replies(struct store *s, const char *sender_key, gint64 since)
{
	sqlite3_stmt *st;
	int n = 0;

	st = store_cached(s, sender_key != NULL ?
	    "SELECT count(*) FROM outbox WHERE kind IN ('ack','orientation') "
	    "AND created >= ? AND rcpt_key = ?" :
	    "SELECT count(*) FROM outbox WHERE kind IN ('ack','orientation') "
	    "AND created >= ?", NULL);
	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, since);
	if (sender_key != NULL)
		store_bind_text(st, 2, sender_key);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	store_reset(st);
	return n;
}

static void
outbox_row_clear(struct outbox_row *r)
{
	g_free(r->kind);
	g_free(r->mail_from);
	g_free(r->rcpt);
	if (r->data != NULL)
		explicit_bzero(r->data, r->len);
	g_free(r->data);
	memset(r, 0, sizeof *r);
}

GArray *
store_outbox_due(struct store *s, gint64 after, gint64 now, gboolean all, int limit,
    GError **err)
{
	sqlite3_stmt *st;
	GArray *rows;
	int rc;

	st = store_cached(s,
	    "SELECT id, request_id, kind, mail_from, rcpt, data, attempts, created"
	    " FROM outbox WHERE status = 'queued' AND id > ?1 AND (?2 OR next_attempt <= ?3)"
	    " ORDER BY id LIMIT ?4", err);
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, all ? 1 : 0);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int(st, 4, limit);
	rows = g_array_new(FALSE, TRUE, sizeof(struct outbox_row));
	g_array_set_clear_func(rows, (GDestroyNotify)outbox_row_clear);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct outbox_row r = { 0 };
		const void *blob;

		r.id = sqlite3_column_int64(st, 0);
		r.request_id = sqlite3_column_int64(st, 1);
		r.kind = store_col_dup(st, 2);
		r.mail_from = store_col_dup(st, 3);
		r.rcpt = store_col_dup(st, 4);
		blob = sqlite3_column_blob(st, 5);
		r.len = (gsize)sqlite3_column_bytes(st, 5);
		r.data = blob != NULL ? g_memdup2(blob, r.len) : NULL;
		r.attempts = sqlite3_column_int64(st, 6);
		r.created = sqlite3_column_int64(st, 7);
		g_array_append_val(rows, r);
	}
	if (rc != SQLITE_DONE) {
		store_db_error(s, err, "outbox");
		g_array_free(rows, TRUE);
		rows = NULL;
	}
	store_reset(st);
	return rows;
}

gboolean
store_outbox_mark(struct store *s, gint64 id, const char *status, gint64 next,
    const char *answer, gint64 now, GError **err)
{
	sqlite3_stmt *st = store_cached(s,
	    "UPDATE outbox SET status = ?1, attempts = attempts + 1, next_attempt = ?2,"
	    " last_answer = ?3, sent = CASE WHEN ?1 = 'sent' THEN ?4 ELSE sent END"
	    " WHERE id = ?5 AND status = 'queued'", err);
	g_autofree char *what = g_strdup_printf("outbox %" G_GINT64_FORMAT, id);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, status);
	sqlite3_bind_int64(st, 2, next);
	store_bind_text(st, 3, answer);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, id);
	return store_step_done(s, st, err, what);
}

gboolean
store_outbox_sync(struct store *s, gint64 now, GError **err)
{
	g_autofree char *v = g_strdup_printf("%" G_GINT64_FORMAT, now);

	if (!store_begin(s, err))
		return FALSE;
	if (!store_meta_set(s, "outbox_synced", v, err)) {
		store_rollback(s);
		return FALSE;
	}
	return store_commit(s, TRUE, err);
}

int
store_outbox_queued(struct store *s)
{
	sqlite3_stmt *st = store_cached(s,
	    "SELECT count(*) FROM outbox WHERE status = 'queued'", NULL);
	int n = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	store_reset(st);
	return n;
}

gint64
store_outbox_next_attempt(struct store *s)
{
	sqlite3_stmt *st = store_cached(s, "SELECT MIN(next_attempt) FROM outbox "
	    "WHERE status = 'queued'", NULL);
	gint64 v = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	store_reset(st);
	return v;
}

gboolean
store_outbox_due_now(struct store *s, gint64 now)
{
	sqlite3_stmt *st = store_cached(s, "SELECT 1 FROM outbox WHERE status = 'queued' "
	    "AND next_attempt <= ? LIMIT 1", NULL);
	gboolean due;

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, now);
	due = sqlite3_step(st) == SQLITE_ROW;
	store_reset(st);
	return due;
}

int
store_period_sent(struct store *s, const char *kind, const char *period, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "SELECT 1 FROM periods WHERE kind = ? AND "
	    "period = ?", err);
	int rc;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, kind);
	store_bind_text(st, 2, period);
	rc = sqlite3_step(st);
	store_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_db_error(s, err, "periods");
		return -1;
	}
	return rc == SQLITE_ROW;
}

gboolean
store_period_add(struct store *s, const char *kind, const char *period, gint64 sent,
    gint64 outbox_id, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "INSERT INTO periods(kind, period, sent, outbox_id) "
	    "VALUES(?, ?, ?, ?)", err);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, kind);
	store_bind_text(st, 2, period);
	sqlite3_bind_int64(st, 3, sent);
	sqlite3_bind_int64(st, 4, outbox_id);
	return store_step_done(s, st, err, "periods");
}

gint64
store_period_last(struct store *s, const char *kind)
{
	sqlite3_stmt *st = store_cached(s, "SELECT max(sent) FROM periods WHERE kind = ?",
	    NULL);
	gint64 v = -1;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, kind);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	store_reset(st);
	return v;
}

int
store_count_domain_replies(struct store *s, const char *domain_key, gint64 since)
{
	sqlite3_stmt *st;
	int n = 0;

	if (domain_key == NULL)
		return 0;
	st = store_cached(s, "SELECT count(*) FROM outbox WHERE rcpt_domain_key = ? "
	    "AND created >= ? AND kind IN ('ack','orientation')", NULL);
	if (st == NULL)
		return 0;
	store_bind_text(st, 1, domain_key);
	sqlite3_bind_int64(st, 2, since);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	store_reset(st);
	return n;
}
