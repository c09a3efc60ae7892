/*
 * store_query.c: the read models (see store_query.h).  Prepared
 * statements; every value travels in a bound parameter.
 */
#include "store_int.h"
#include "store_query.h"
#include "vocab.h"

/* A cursor over a new statement of sql, or NULL and err. */
static struct store_cursor *
open_query(struct store *s, const char *sql, sqlite3_stmt **st, GError **err)
{
	if ((*st = store_prepare(s, sql, err)) == NULL)
		return NULL;
	return store_cursor_new(s, *st, FALSE);
}

struct store_cursor *
store_view_requests(struct store *s, gint64 from, const char *status, const char *domain,
    gint64 lim, GError **err)
{
	sqlite3_stmt *st;
	struct store_cursor *c = open_query(s, "SELECT ref, created, status, domain, "
	    "requester, commune, language, subject, urgent FROM counted_requests WHERE created >= ?1 "
	    "AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR domain = ?3) "
	    "ORDER BY (urgent AND status <> 'closed') DESC, created, id LIMIT ?4", &st, err);

	if (c == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, from);
	store_bind_text(st, 2, status);
	store_bind_text(st, 3, domain);
	sqlite3_bind_int64(st, 4, lim);
	return c;
}

/* A cursor over sql with its one parameter bound to id. */
static struct store_cursor *
by_id(struct store *s, const char *sql, gint64 id, GError **err)
{
	sqlite3_stmt *st;
	struct store_cursor *c = open_query(s, sql, &st, err);

	if (c != NULL)
		sqlite3_bind_int64(st, 1, id);
	return c;
}

struct store_cursor *
store_view_request(struct store *s, gint64 id, GError **err)
{
	return by_id(s, "SELECT ref, status, created, answered, closed, requester, "
	    "domain, topic, commune, language, urgent, reply, reply_reason, tags, "
	    "sender_name, sender_addr, subject, "
	    "(SELECT coalesce(sum(minutes), 0) FROM time_log WHERE request_id = r.id), kind "
	    "FROM requests r WHERE id = ?", id, err);
}

struct store_cursor *
store_view_messages(struct store *s, gint64 id, GError **err)
{
	return by_id(s, "SELECT direction, status, received, "
	    "from_name, from_addr, subject, guichet_text(text, text_codec), reply, reply_reason, "
	    "rules, attachments, "
	    "language, reason, purged FROM messages WHERE request_id = ? "
	    "ORDER BY received, id", id, err);
}

struct store_cursor *
store_view_outbox(struct store *s, gint64 id, GError **err)
{
	return by_id(s, "SELECT created, kind, rcpt, status, "
	    "attempts, sent, last_answer FROM outbox WHERE request_id = ? ORDER BY id", id, err);
}

struct store_cursor *
store_view_events(struct store *s, gint64 id, GError **err)
{
	return by_id(s, "SELECT time, kind, detail FROM events "
	    "WHERE request_id = ? ORDER BY time, id", id, err);
}

struct store_cursor *
store_view_timelog(struct store *s, const char *from, const char *to, GError **err)
{
	sqlite3_stmt *st;
	struct store_cursor *c = open_query(s, "SELECT t.date, t.minutes, t.kind, r.ref, "
	    "t.note FROM time_log t LEFT JOIN requests r ON r.id = t.request_id "
	    "WHERE t.date >= coalesce(?1, '') AND t.date <= coalesce(?2, '9999') "
	    "ORDER BY t.date, t.id", &st, err);

	if (c == NULL)
		return NULL;
	store_bind_text(st, 1, from);
	store_bind_text(st, 2, to);
	return c;
}

gint64
store_newcomer_persons(struct store *s, gint64 from, gint64 to)
{
	/*
	 * The labels are written into the SQL (constants, not input) so the
	 * partial index requests_newcomers (schema step 13) answers alone.
	 */
	sqlite3_stmt *st = store_cached(s, "SELECT count(DISTINCT sender_key) FROM counted_requests "
	    "WHERE domain = '" VOCAB_NEWCOMER_DOMAIN "' AND requester = '"
	    VOCAB_NEWCOMER_REQUESTER "' AND created >= ? AND created < ?", NULL);
	gint64 n = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	store_reset(st);
	return n;
}

struct store_cursor *
store_reclassify_requests(struct store *s, gint64 since, GError **err)
{
	return by_id(s, "SELECT r.id, r.ref, r.domain, r.topic, "
	    "r.requester, r.commune, r.language, r.urgent, "
	    "(SELECT guichet_raw(m.raw, m.raw_codec) FROM messages m WHERE m.request_id = r.id AND "
	    "m.direction = 'in' AND m.raw IS NOT NULL ORDER BY m.id LIMIT 1), "
	    "EXISTS(SELECT 1 FROM events e WHERE e.request_id = r.id AND e.kind = 'label') "
	    "FROM requests r WHERE r.created >= ? ORDER BY r.id", since, err);
}

gboolean
store_history_before(struct store *s, gint64 t, const char *day)
{
	sqlite3_stmt *st = store_cached(s, "SELECT EXISTS(SELECT 1 FROM counted_requests WHERE "
	    "created < ?) OR EXISTS(SELECT 1 FROM time_log WHERE date < ?)", NULL);
	gboolean yes = FALSE;

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, t);
	store_bind_text(st, 2, day);
	if (sqlite3_step(st) == SQLITE_ROW)
		yes = sqlite3_column_int(st, 0) != 0;
	store_reset(st);
	return yes;
}

/* The digest's columns of a request (store_query.h: DIGEST_REQ). */
#define REQ_COLS "r.id, r.ref, r.created, r.requester, r.commune, r.language, r.domain, " \
	"r.topic, r.subject, r.urgent, r.reply, r.reply_reason, r.status"

/* A cursor over sql with ?1 = a, ?2 = b. */
static struct store_cursor *
by_two(struct store *s, const char *sql, gint64 a, gint64 b, GError **err)
{
	sqlite3_stmt *st;
	struct store_cursor *c = open_query(s, sql, &st, err);

	if (c != NULL) {
		sqlite3_bind_int64(st, 1, a);
		sqlite3_bind_int64(st, 2, b);
	}
	return c;
}

struct store_cursor *
store_digest_replies(struct store *s, gint64 id, GError **err)
{
	return by_id(s, "SELECT kind, status FROM outbox "
	    "WHERE request_id = ? AND kind <> 'digest' ORDER BY id", id, err);
}

struct store_cursor *
store_digest_excerpt(struct store *s, gint64 id, gboolean last, GError **err)
{
	return by_id(s, last ?
	    "SELECT guichet_text(text, text_codec) FROM messages WHERE request_id = ? "
	    "AND direction = 'in' "
	    "ORDER BY received DESC, id DESC LIMIT 1" :
	    "SELECT guichet_text(text, text_codec) FROM messages WHERE request_id = ? "
	    "AND direction = 'in' "
	    "ORDER BY received, id LIMIT 1", id, err);
}

struct store_cursor *
store_digest_new(struct store *s, gint64 since, gint64 until, GError **err)
{
	/* Urgent first, then grouped by domain, each group in time order. */
	return by_two(s, "SELECT " REQ_COLS " FROM counted_requests r "
	    "WHERE r.created >= ?1 AND r.created < ?2 "
	    "ORDER BY r.urgent DESC, CASE WHEN r.urgent THEN '' ELSE r.domain END, r.created, r.id",
	    since, until, err);
}

struct store_cursor *
store_digest_followups(struct store *s, gint64 since, gint64 until, GError **err)
{
	return by_two(s, "SELECT " REQ_COLS ", max(m.received) FROM counted_requests r "
	    "JOIN messages m ON m.request_id = r.id WHERE m.direction = 'in' "
	    "AND +m.status = 'stored' AND m.received >= ?1 AND m.received < ?2 "
	    "AND r.created < ?1 GROUP BY r.id ORDER BY r.urgent DESC, max(m.received)",
	    since, until, err);
}

gint64
store_count_open(struct store *s, GError **err)
{
	/* From the status index alone. */
	sqlite3_stmt *st = store_cached(s, "SELECT count(*) FROM counted_requests WHERE status = 'open'",
	    err);
	gint64 n = 0;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	store_reset(st);
	return n;
}

struct store_cursor *
store_digest_open_ids(struct store *s, gint64 until, GError **err)
{
	/* urgent ones first, then the oldest (urgent.h: nobody may miss one) */
	return by_id(s, "SELECT id FROM counted_requests WHERE +status = 'open' AND created < ?1 "
	    "ORDER BY urgent DESC, created, id", until, err);
}

struct store_cursor *
store_digest_request(struct store *s, gint64 id, GError **err)
{
	return by_id(s, "SELECT " REQ_COLS " FROM requests r WHERE r.id = ?", id, err);
}

struct store_cursor *
store_digest_failed(struct store *s, gint64 since, gint64 until, gint64 orphans_since,
    GError **err)
{
	/* A send fails when retries end: its event, or for mails of no request its age. */
	sqlite3_stmt *st;
	struct store_cursor *c = open_query(s, "SELECT o.kind, o.rcpt, o.last_answer, "
	    "o.created, r.ref, o.request_id FROM outbox o LEFT JOIN requests r ON "
	    "r.id = o.request_id WHERE o.status = 'failed' AND ((o.request_id IS NOT NULL "
	    "AND EXISTS (SELECT 1 FROM events e WHERE e.request_id = o.request_id AND "
	    "e.kind = 'failed' AND e.time >= ?1 AND e.time < ?2)) OR (o.request_id IS NULL "
	    "AND o.created >= ?3 AND o.created < ?2)) ORDER BY o.id", &st, err);

	if (c == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	sqlite3_bind_int64(st, 3, orphans_since);
	return c;
}

struct store_cursor *
store_digest_quarantined(struct store *s, gint64 since, gint64 until, GError **err)
{
	return by_two(s, "SELECT received, from_addr, subject, reason FROM messages "
	    "WHERE status = 'quarantined' AND received >= ?1 AND received < ?2 "
	    "ORDER BY received, id", since, until, err);
}

gboolean
store_request_span(struct store *s, gint64 *first, gint64 *last)
{
	/*
	 * Two subqueries: SQLite answers a lone min() or max() from the first
	 * column of an index (requests_stats) in one step, but min and max
	 * together made it scan the whole index (1,000,000 rows for report).
	 */
	sqlite3_stmt *st = store_cached(s, "SELECT (SELECT min(created) FROM counted_requests), "
	    "(SELECT max(created) FROM counted_requests)", NULL);
	gboolean ok = FALSE;

	if (st == NULL)
		return FALSE;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*first = sqlite3_column_int64(st, 0);
		*last = sqlite3_column_int64(st, 1);
		ok = TRUE;
	}
	store_reset(st);
	return ok;
}

struct store_cursor *
store_stats_requests(struct store *s, gint64 from, gint64 to, const char *const *cols,
    GError **err)
{
	static const char *const known[] = {
		"domain", "topic", "requester", "commune", "language", "status", "reply",
		"urgent", NULL
	};
	g_autoptr(GString) sql = g_string_new("SELECT created, answered");
	sqlite3_stmt *st;
	struct store_cursor *c;

	for (int i = 0; cols != NULL && cols[i] != NULL; i++) {
		if (!g_strv_contains(known, cols[i])) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
			    "statistics: no column %s", cols[i]);
			return NULL;
		}
		g_string_append_printf(sql, ", %s", cols[i]);
	}
	/* The planner takes requests_stats (partial on kind): every column read is in it. */
	g_string_append(sql, " FROM counted_requests WHERE created >= ?1 AND created < ?2");
	if ((c = open_query(s, sql->str, &st, err)) == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	return c;
}

struct store_cursor *
store_time_by_kind(struct store *s, const char *from, const char *to, GError **err)
{
	sqlite3_stmt *st;
	struct store_cursor *c = open_query(s, "SELECT kind, count(*), sum(minutes) "
	    "FROM time_log WHERE date >= ?1 AND date < ?2 GROUP BY kind ORDER BY kind",
	    &st, err);

	if (c == NULL)
		return NULL;
	store_bind_text(st, 1, from);
	store_bind_text(st, 2, to);
	return c;
}
