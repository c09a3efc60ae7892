/*
 * store_kind.c: mail kinds in the store (see store_kind.h).  Every
 * statement is prepared; user data only travels in bound parameters.
 */
#include <string.h>
#include "store_int.h"
#include "config.h"
#include "store_kind.h"

static void
done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static gboolean
fail(struct store *s, GError **err, const char *what)
{
	g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "%s: %s", what,
	    sqlite3_errmsg(store_db(s)));
	return FALSE;
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v != NULL ? g_strdup((const char *)v) : NULL;
}

/* Run a cached statement with no result row; ?1.. already bound. */
static gboolean
run(struct store *s, sqlite3_stmt *st, GError **err, const char *what)
{
	int rc = sqlite3_step(st);

	done(st);
	return rc == SQLITE_DONE ? TRUE : fail(s, err, what);
}

void
store_sender_facts(struct store *s, const char *from_addr, gint64 flood_since,
    gint64 recent_since, struct kind_facts *kf, char **open_ref, char **latest_ref)
{
	g_autofree char *key = store_sender_key(s, from_addr);
	sqlite3_stmt *st;

	*open_ref = *latest_ref = NULL;
	if (key == NULL)
		return;
	if ((st = store_cached(s, "SELECT count(*) FROM counted_requests "
	    "WHERE sender_key = ?1 AND created >= ?2", NULL)) != NULL) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, flood_since);
		if (sqlite3_step(st) == SQLITE_ROW)
			kf->sender_recent = sqlite3_column_int(st, 0);
		done(st);
	}
	if ((st = store_cached(s, "SELECT id, ref FROM counted_requests "
	    "WHERE sender_key = ?1 AND status = 'open' ORDER BY created DESC, id DESC "
	    "LIMIT 1", NULL)) != NULL) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			kf->latest_open_id = sqlite3_column_int64(st, 0);
			*open_ref = col_dup(st, 1);
		}
		done(st);
	}
	if ((st = store_cached(s, "SELECT id, ref FROM counted_requests "
	    "WHERE sender_key = ?1 AND created >= ?2 ORDER BY created DESC, id DESC "
	    "LIMIT 1", NULL)) != NULL) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, recent_since);
		if (sqlite3_step(st) == SQLITE_ROW) {
			kf->latest_id = sqlite3_column_int64(st, 0);
			*latest_ref = col_dup(st, 1);
		}
		done(st);
	}
	kf->latest_open_ref = *open_ref;
	kf->latest_ref = *latest_ref;
}

void
kind_row_free(gpointer p)
{
	struct kind_row *k = p;

	g_free(k->from);
	g_free(k->subject);
	g_free(k->reason);
	g_free(k->ref);
	g_free(k);
}

gboolean
store_kind_rows(struct store *s, gint64 since, gint64 until, GPtrArray *out, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "SELECT m.id, m.received, m.kind, m.from_addr, "
	    "m.subject, m.kind_reason, r.ref FROM messages m "
	    "LEFT JOIN requests r ON r.id = m.request_id "
	    "WHERE (m.kind IN ('robot', 'spam', 'own', 'command') OR "
	    "(m.kind = 'followup' AND m.request_id IS NULL)) AND m.direction = 'in' "
	    "AND m.received >= ?1 AND m.received < ?2 ORDER BY m.received, m.id", err);
	int rc;

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kind_row *k = g_new0(struct kind_row, 1);

		k->id = sqlite3_column_int64(st, 0);
		k->received = sqlite3_column_int64(st, 1);
		mail_kind_from_str((const char *)sqlite3_column_text(st, 2), &k->kind);
		k->from = col_dup(st, 3);
		k->subject = col_dup(st, 4);
		k->reason = col_dup(st, 5);
		k->ref = col_dup(st, 6);
		g_ptr_array_add(out, k);
	}
	done(st);
	return rc == SQLITE_DONE ? TRUE : fail(s, err, "mail not counted");
}

gint64
store_flood_count(struct store *s, gint64 request_id, gint64 since, gint64 until)
{
	sqlite3_stmt *st = store_cached(s, "SELECT count(*) FROM messages "
	    "WHERE request_id = ?1 AND flood = 1 AND received >= ?2 AND received < ?3", NULL);
	gint64 n = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, request_id);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, until);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	done(st);
	return n;
}

char *
store_kind_request_ref(struct store *s, gint64 id)
{
	sqlite3_stmt *st = store_cached(s, "SELECT ref FROM requests WHERE id = ?", NULL);
	char *ref = NULL;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		ref = col_dup(st, 0);
	done(st);
	return ref;
}

enum mail_kind
store_request_kind(struct store *s, gint64 id)
{
	sqlite3_stmt *st = store_cached(s, "SELECT kind FROM requests WHERE id = ?", NULL);
	enum mail_kind k = MAIL_KIND_N;

	if (st == NULL)
		return k;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    !mail_kind_from_str((const char *)sqlite3_column_text(st, 0), &k))
		k = MAIL_KIND_N;
	done(st);
	return k;
}

gboolean
store_set_request_kind(struct store *s, gint64 id, enum mail_kind k, const char *why,
    gint64 now, GError **err)
{
	enum mail_kind old = store_request_kind(s, id);
	g_autofree char *detail = g_strdup_printf("%s -> %s%s%s",
	    old < MAIL_KIND_N ? mail_kind_str(old) : "-", mail_kind_str(k),
	    why != NULL ? ": " : "", why != NULL ? why : "");
	sqlite3_stmt *st;

	if ((st = store_cached(s, "UPDATE requests SET kind = ?1, updated = ?2 "
	    "WHERE id = ?3", err)) == NULL)
		return FALSE;
	sqlite3_bind_text(st, 1, mail_kind_str(k), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	if (!run(s, st, err, "request kind"))
		return FALSE;
	/* The mail that opened it carries the same kind (digest, list). */
	if ((st = store_cached(s, "UPDATE messages SET kind = ?1, kind_reason = ?2 "
	    "WHERE id = (SELECT min(id) FROM messages WHERE request_id = ?3 "
	    "AND direction = 'in')", err)) == NULL)
		return FALSE;
	sqlite3_bind_text(st, 1, mail_kind_str(k), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, why, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, id);
	if (!run(s, st, err, "message kind"))
		return FALSE;
	if (k != MAIL_REQUEST) {
		/* Never answer what is not a request: drop what is still queued. */
		if ((st = store_cached(s, "UPDATE outbox SET status = 'failed', "
		    "last_answer = 'not a request: reply cancelled' WHERE request_id = ?1 "
		    "AND status = 'queued' AND kind IN ('ack', 'orientation')", err)) == NULL)
			return FALSE;
		sqlite3_bind_int64(st, 1, id);
		if (!run(s, st, err, "cancel replies"))
			return FALSE;
	}
	return store_event(s, id, k == MAIL_REQUEST ? "promoted" : "demoted", detail, now, err);
}

void
stored_mail_free(struct stored_mail *m)
{
	if (m == NULL)
		return;
	if (m->raw != NULL)
		g_bytes_unref(m->raw);
	g_free(m->from_addr);
	g_free(m->from_name);
	g_free(m->subject);
	g_free(m);
}

struct stored_mail *
store_stored_mail(struct store *s, gint64 id)
{
	sqlite3_stmt *st = store_cached(s, "SELECT id, request_id, received, kind, guichet_raw(raw, raw_codec), "
	    "from_addr, from_name, subject FROM messages WHERE id = ? AND direction = 'in' "
	    "AND status = 'stored'", NULL);
	struct stored_mail *m = NULL;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		m = g_new0(struct stored_mail, 1);
		m->id = sqlite3_column_int64(st, 0);
		m->request_id = sqlite3_column_int64(st, 1);
		m->received = sqlite3_column_int64(st, 2);
		if (!mail_kind_from_str((const char *)sqlite3_column_text(st, 3), &m->kind))
			m->kind = MAIL_REQUEST;
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			m->raw = g_bytes_new(sqlite3_column_blob(st, 4), sqlite3_column_bytes(st, 4));
		m->from_addr = col_dup(st, 5);
		m->from_name = col_dup(st, 6);
		m->subject = col_dup(st, 7);
	}
	done(st);
	return m;
}

gboolean
store_promote_message(struct store *s, gint64 id, struct request *r, gint64 received,
    const char *why, gint64 now, GError **err)
{
	g_autofree char *detail = NULL;
	sqlite3_stmt *st;

	if (!store_insert_request(s, r, received, err))
		return FALSE;
	if ((st = store_cached(s, "UPDATE messages SET request_id = ?1, kind = 'request', "
	    "kind_reason = ?2, flood = 0 WHERE id = ?3", err)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, r->request_id);
	sqlite3_bind_text(st, 2, why, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, id);
	if (!run(s, st, err, "promote"))
		return FALSE;
	detail = g_strdup_printf("%s -> request%s%s", r->kind_set ? mail_kind_str(r->kind) : "-",
	    why != NULL ? ": " : "", why != NULL ? why : "");
	return store_event(s, r->request_id, "promoted", detail, now, err);
}

gboolean
store_rekind_pending(struct store *s)
{
	sqlite3_stmt *st = store_cached(s, "SELECT 1 FROM meta WHERE key = 'rekind' "
	    "AND value = 'pending'", NULL);
	gboolean yes;

	if (st == NULL)
		return FALSE;
	yes = sqlite3_step(st) == SQLITE_ROW;
	done(st);
	return yes;
}

gboolean
store_rekind_done(struct store *s, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "DELETE FROM meta WHERE key = 'rekind'", err);

	return st != NULL && run(s, st, err, "rekind done");
}

gboolean
store_each_uncorrected(struct store *s, store_rekind_fn fn, gpointer data, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "SELECT r.id FROM requests r WHERE r.kind = 'request' "
	    "AND NOT EXISTS(SELECT 1 FROM events e WHERE e.request_id = r.id "
	    "AND e.kind IN ('promoted', 'demoted')) ORDER BY r.id", err);
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	int rc;

	if (st == NULL)
		return FALSE;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(st, 0);

		g_array_append_val(ids, id);
	}
	done(st);
	if (rc != SQLITE_DONE)
		return fail(s, err, "rekind");
	/* One request at a time: the callback may change the rows read. */
	for (guint i = 0; i < ids->len; i++) {
		gint64 id = g_array_index(ids, gint64, i);
		g_autofree char *ref = NULL;
		g_autoptr(GBytes) raw = NULL;

		if ((st = store_cached(s, "SELECT r.ref, (SELECT guichet_raw(m.raw, m.raw_codec) FROM messages m "
		    "WHERE m.request_id = r.id AND m.direction = 'in' ORDER BY m.id LIMIT 1) "
		    "FROM requests r WHERE r.id = ?", err)) == NULL)
			return FALSE;
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			ref = col_dup(st, 0);
			if (sqlite3_column_type(st, 1) != SQLITE_NULL)
				raw = g_bytes_new(sqlite3_column_blob(st, 1),
				    sqlite3_column_bytes(st, 1));
		}
		done(st);
		if (raw != NULL && !fn(id, ref, g_bytes_get_data(raw, NULL),
		    g_bytes_get_size(raw), data, err))
			return FALSE;
	}
	return TRUE;
}
