/*
 * store_privacy.c: what the retention periods and the right to erasure
 * remove from the store (see store_privacy.h).  Both clear personal
 * columns in one transaction and keep labels, times and row counts, so
 * every statistic is unchanged; then VACUUM and a truncated WAL.
 */
#include <string.h>
#include "sha256.h"
#include "store_int.h"
#include "store_privacy.h"

/*
 * One kind of data the retention periods remove.  count says how many
 * rows are due (?1 = the cutoff time); updates clear them, the last one
 * flipping the flag the others' selection depends on.
 */
struct purge_step {
	const char	*what;
	enum store_cutoff cut;
	const char	*count;
	const char *const *updates;
};

#define CLOSED_DUE "SELECT id FROM requests WHERE status = 'closed' " \
	"AND closed IS NOT NULL AND closed <= ?1 AND purged = 0"
#define OLD_DUE "SELECT id FROM requests WHERE created <= ?1 AND pseudonymised = 0"

static const char *const text_updates[] = {
	"UPDATE messages SET text = NULL, raw = NULL, subject = NULL, purged = 1 "
	    "WHERE request_id IN (" CLOSED_DUE ")",
	"UPDATE events SET detail = NULL WHERE kind = 'note' AND request_id IN (" CLOSED_DUE ")",
	"UPDATE time_log SET note = NULL WHERE request_id IN (" CLOSED_DUE ")",
	"UPDATE outbox SET data = NULL WHERE status <> 'queued' AND request_id IN (" CLOSED_DUE ")",
	"UPDATE requests SET subject = NULL, purged = 1 WHERE id IN (" CLOSED_DUE ")",
	NULL
};

/*
 * The raw mail holds the From header: it goes with the address.  The
 * texts kept (open requests) lose the sender's name and address where
 * they are written out in full, as in a signature.
 */
#define SENDER_OF(col) "(SELECT " col " FROM requests r WHERE r.id = messages.request_id)"
#define SCRUB(col, field, mark) \
	"UPDATE messages SET " col " = guichet_ireplace(" col ", " SENDER_OF(field) ", '" mark "') " \
	"WHERE " col " IS NOT NULL AND request_id IN (" OLD_DUE ") AND " \
	"length(" SENDER_OF(field) ") >= 3"

#define HASH_ID(col) \
	"UPDATE messages SET " col " = guichet_sha256(" col ") WHERE request_id IN (" \
	OLD_DUE ") AND instr(lower(" col "), " SENDER_OF("lower(sender_addr)") ") > 0"

/* The same for a message's text, which may be compressed: it is stored plain after. */
#define SCRUB_TEXT(field, mark) \
	"UPDATE messages SET text = guichet_ireplace(guichet_text(text, text_codec), " \
	SENDER_OF(field) ", '" mark "'), text_codec = 0 " \
	"WHERE text IS NOT NULL AND request_id IN (" OLD_DUE ") AND " \
	"length(" SENDER_OF(field) ") >= 3"

static const char *const pseudo_updates[] = {
	SCRUB_TEXT("sender_name", "[nom]"),
	SCRUB_TEXT("sender_addr", "[adresse]"),
	SCRUB("subject", "sender_name", "[nom]"),
	"UPDATE requests SET subject = guichet_ireplace(subject, sender_name, '[nom]') "
	    "WHERE subject IS NOT NULL AND length(sender_name) >= 3 AND id IN (" OLD_DUE ")",
	"UPDATE events SET detail = NULL WHERE detail IS NOT NULL AND request_id IN ("
	    OLD_DUE ") AND instr(lower(detail), (SELECT lower(sender_addr) FROM requests r "
	    "WHERE r.id = events.request_id)) > 0",
	"UPDATE messages SET from_addr = NULL, from_name = NULL, raw = NULL "
	    "WHERE request_id IN (" OLD_DUE ")",
	"UPDATE outbox SET status = 'failed', last_answer = 'retention: address removed "
	    "before sending' WHERE status = 'queued' AND request_id IN (" OLD_DUE ")",
	"UPDATE outbox SET rcpt = NULL, data = NULL, last_answer = CASE WHEN "
	    "instr(lower(last_answer), lower(rcpt)) > 0 THEN NULL ELSE last_answer END "
	    "WHERE request_id IN (" OLD_DUE ")",
	/* Some mailers build Message-IDs from the address: keep them, hashed. */
	HASH_ID("message_id"),
	HASH_ID("in_reply_to"),
	HASH_ID("dedup_key"),
	"UPDATE requests SET sender_addr = NULL, sender_name = NULL, pseudonymised = 1 "
	    "WHERE id IN (" OLD_DUE ")",
	NULL
};

static const char *const quarantine_updates[] = {
	"UPDATE messages SET raw = NULL, text = NULL, subject = NULL, from_addr = NULL, "
	    "from_name = NULL, purged = 1 WHERE status = 'quarantined' AND purged = 0 "
	    "AND received <= ?1 AND set_aside_by IS NULL",
	NULL
};

/* Mail that is no request (robots, spam, own and command mail, kind.c) goes like quarantine. */
#define NOT_COUNTED_DUE "direction = 'in' AND status = 'stored' AND request_id IS NULL " \
	"AND purged = 0 AND received <= ?1 AND set_aside_by IS NULL"
static const char *const not_counted_updates[] = {
	"UPDATE messages SET raw = NULL, text = NULL, subject = NULL, from_addr = NULL, "
	    "from_name = NULL, purged = 1 WHERE " NOT_COUNTED_DUE,
	NULL
};

static const char *const outbox_updates[] = {
	"UPDATE outbox SET data = NULL WHERE status IN ('sent', 'failed') "
	    "AND data IS NOT NULL AND coalesce(sent, created) <= ?1",
	NULL
};

static const struct purge_step purge_steps[] = {
	{ "closed requests: texts, subjects and raw mail removed", STORE_CUT_TEXT,
	    "SELECT count(*) FROM (" CLOSED_DUE ")", text_updates },
	{ "requests: sender address and name removed (pseudonymised)", STORE_CUT_PSEUDO,
	    "SELECT count(*) FROM (" OLD_DUE ")", pseudo_updates },
	{ "quarantined messages removed", STORE_CUT_QUARANTINE,
	    "SELECT count(*) FROM messages WHERE status = 'quarantined' AND purged = 0 "
	    "AND received <= ?1 AND set_aside_by IS NULL", quarantine_updates },
	{ "mail not counted as requests removed (robots, spam, own mail)", STORE_CUT_QUARANTINE,
	    "SELECT count(*) FROM messages WHERE " NOT_COUNTED_DUE, not_counted_updates },
	{ "copies of sent mail removed", STORE_CUT_TEXT,
	    "SELECT count(*) FROM outbox WHERE status IN ('sent', 'failed') "
	    "AND data IS NOT NULL AND coalesce(sent, created) <= ?1", outbox_updates },
};

/* Run sql with ?1 = value (when the statement has a parameter); -1 on error. */
static gint64
privacy_run(struct store *st, const char *sql, int nparam, const char *text,
    gint64 value, gboolean want_count, GError **err)
{
	sqlite3_stmt *s = store_prepare(st, sql, err);
	gint64 n = 0;
	int rc;

	if (s == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(s) >= 1) {
		if (nparam == 1 && text != NULL)
			sqlite3_bind_text(s, 1, text, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(s, 1, value);
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && want_count)
		n = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_DONE)
		n = sqlite3_changes(st->db);
	else if (rc != SQLITE_ROW) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "store: %s",
		    sqlite3_errmsg(st->db));
		n = -1;
	}
	sqlite3_finalize(s);
	return n;
}

/* SQL guichet_sha256(x): "sha256:" and the hex digest of x, NULL for NULL. */
static void
sql_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *v = sqlite3_value_text(argv[0]);
	char *hex, *out;

	if (v == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, v,
	    (gsize)sqlite3_value_bytes(argv[0]));
	out = g_strconcat("sha256:", hex, NULL);
	sqlite3_result_text(ctx, out, -1, g_free);	/* SQLite frees out */
	g_free(hex);
	/* cppcheck-suppress memleak ; out belongs to SQLite now */
}

/* SQL guichet_ireplace(text, what, by): replace() ignoring case (UTF-8). */
static void
sql_ireplace(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	const char *what = (const char *)sqlite3_value_text(argv[1]);
	const char *by = (const char *)sqlite3_value_text(argv[2]);
	g_autofree char *pat = NULL;
	char *out = NULL;
	GRegex *re;

	if (text == NULL || what == NULL || by == NULL || strlen(what) < 3 ||
	    !g_utf8_validate(text, -1, NULL) || !g_utf8_validate(what, -1, NULL)) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	pat = g_regex_escape_string(what, -1);
	if ((re = g_regex_new(pat, G_REGEX_CASELESS, 0, NULL)) != NULL) {
		out = g_regex_replace_literal(re, text, -1, 0, by, 0, NULL);
		g_regex_unref(re);
	}
	if (out != NULL)
		sqlite3_result_text(ctx, out, -1, g_free);
	else
		sqlite3_result_value(ctx, argv[0]);
}

gboolean
store_compact(struct store *st, GError **err)
{
	sqlite3_stmt *s;
	gboolean ok = TRUE;

	if (!store_exec(st, "VACUUM", err))
		return FALSE;
	/* TRUNCATE leaves a zero-length WAL: no old frame survives. */
	if ((s = store_prepare(st, "PRAGMA wal_checkpoint(TRUNCATE)", err)) == NULL)
		return FALSE;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) != 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP,
		    "store busy: the WAL could not be truncated (is the daemon "
		    "reading?); it will be at the next checkpoint");
		ok = FALSE;
	}
	sqlite3_finalize(s);
	return ok;
}

gboolean
store_purge(struct store *st, const gint64 cut[STORE_CUT_N], gint64 now,
    gboolean dry_run, GString *report, GError **err)
{
	gint64 total = 0;
	GError *cerr = NULL;
	g_autoptr(GString) detail = g_string_new(NULL);

	/* Freed pages are zeroed too, before VACUUM rewrites the file. */
	if (!store_pragma(st, "secure_delete", 1, err))
		return FALSE;
	sqlite3_create_function_v2(st->db, "guichet_sha256", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_sha256, NULL, NULL, NULL);
	sqlite3_create_function_v2(st->db, "guichet_ireplace", 3,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_ireplace, NULL, NULL, NULL);
	if (!store_begin(st, err))
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS(purge_steps); i++) {
		const struct purge_step *p = &purge_steps[i];
		gint64 n = privacy_run(st, p->count, 0, NULL, cut[p->cut], TRUE, err);

		if (n < 0)
			goto fail;
		g_string_append_printf(report, "%s%" G_GINT64_FORMAT " %s\n",
		    dry_run ? "would purge: " : "purged: ", n, p->what);
		g_string_append_printf(detail, "%s%" G_GINT64_FORMAT, i ? "/" : "", n);
		total += n;
		if (dry_run || n == 0)
			continue;
		for (const char *const *u = p->updates; *u != NULL; u++)
			if (privacy_run(st, *u, 0, NULL, cut[p->cut], FALSE, err) < 0)
				goto fail;
	}
	if (dry_run || total == 0) {
		store_rollback(st);
		return TRUE;
	}
	if (!store_event(st, 0, "purge", detail->str, now, err))
		goto fail;
	if (!store_commit(st, TRUE, err))
		return FALSE;
	if (!store_compact(st, &cerr)) {
		/* Purged all the same; a busy WAL is truncated at a later checkpoint. */
		g_string_append_printf(report, "warning: %s\n", cerr->message);
		g_error_free(cerr);
	}
	return TRUE;
fail:
	store_rollback(st);
	return FALSE;
}

/*
 * What forget touches.  The sender's requests are fixed first in a
 * temporary table, since their sender_key changes on the way.
 */
static const char *const forget_select[] = {
	"DROP TABLE IF EXISTS temp.forget_req",
	"CREATE TEMP TABLE forget_req(id INTEGER PRIMARY KEY)",
	"DROP TABLE IF EXISTS temp.forget_msg",
	"CREATE TEMP TABLE forget_msg(id INTEGER PRIMARY KEY)",
	"DROP TABLE IF EXISTS temp.forget_out",
	"CREATE TEMP TABLE forget_out(id INTEGER PRIMARY KEY)",
	NULL
};

static const char *const forget_counts[STORE_FORGET_N] = {
	"SELECT count(*) FROM temp.forget_req",
	"SELECT count(*) FROM temp.forget_msg",
	"SELECT count(*) FROM temp.forget_out",
	"SELECT count(*) FROM events WHERE request_id IN "
	    "(SELECT id FROM temp.forget_req)",
	"SELECT count(*) FROM time_log WHERE request_id IN "
	    "(SELECT id FROM temp.forget_req)",
};

/* ?1 = the new random sender key. */
static const char *const forget_updates[] = {
	"UPDATE events SET detail = NULL WHERE request_id IN (SELECT id FROM temp.forget_req)",
	"UPDATE time_log SET note = NULL WHERE request_id IN (SELECT id FROM temp.forget_req)",
	"UPDATE messages SET from_addr = NULL, from_name = NULL, subject = NULL, "
	    "text = NULL, raw = NULL, message_id = NULL, in_reply_to = NULL, "
	    "dedup_key = NULL, source = NULL, purged = 1 "
	    "WHERE id IN (SELECT id FROM temp.forget_msg)",
	"UPDATE outbox SET status = 'failed' WHERE status = 'queued' "
	    "AND id IN (SELECT id FROM temp.forget_out)",
	"UPDATE outbox SET rcpt = NULL, data = NULL, last_answer = 'erased on request', "
	    "rcpt_key = ?1 WHERE id IN (SELECT id FROM temp.forget_out)",
	/* Digests and notices name senders; their copies are dropped once sent. */
	"UPDATE outbox SET data = NULL WHERE request_id IS NULL AND status <> 'queued'",
	"UPDATE requests SET sender_addr = NULL, sender_name = NULL, subject = NULL, "
	    "sender_key = ?1, pseudonymised = 1, purged = 1 "
	    "WHERE id IN (SELECT id FROM temp.forget_req)",
	NULL
};

/* Fill the temporary tables with what belongs to addr; FALSE on error. */
static gboolean
privacy_select(struct store *st, const char *addr, const char *key, GError **err)
{
	sqlite3_stmt *s;
	gboolean ok;

	/* The temporary tables live in memory: temp_store = MEMORY since store_open. */
	for (const char *const *q = forget_select; *q != NULL; q++)
		if (!store_exec(st, *q, err))
			return FALSE;
	s = store_prepare(st, "INSERT INTO temp.forget_req SELECT id FROM requests "
	    "WHERE sender_key = ?2 OR lower(sender_addr) = ?1", err);
	if (s == NULL)
		return FALSE;
	sqlite3_bind_text(s, 1, addr, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_TRANSIENT);
	ok = sqlite3_step(s) == SQLITE_DONE;
	sqlite3_finalize(s);
	if (ok && (s = store_prepare(st, "INSERT INTO temp.forget_msg SELECT id FROM messages "
	    "WHERE request_id IN (SELECT id FROM temp.forget_req) OR lower(from_addr) = ?1 "
	    /* unreadable mail kept raw (quarantine): found by its bytes */
	    "OR (from_addr IS NULL AND raw IS NOT NULL AND "
	    "instr(lower(CAST(guichet_raw(raw, raw_codec) AS TEXT)), ?1) > 0)", err)) != NULL) {
		sqlite3_bind_text(s, 1, addr, -1, SQLITE_TRANSIENT);
		ok = sqlite3_step(s) == SQLITE_DONE;
		sqlite3_finalize(s);
	} else
		ok = FALSE;
	if (ok && (s = store_prepare(st, "INSERT INTO temp.forget_out SELECT id FROM outbox "
	    "WHERE request_id IN (SELECT id FROM temp.forget_req) OR rcpt_key = ?2 "
	    "OR lower(rcpt) = ?1", err)) != NULL) {
		sqlite3_bind_text(s, 1, addr, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, key, -1, SQLITE_TRANSIENT);
		ok = sqlite3_step(s) == SQLITE_DONE;
		sqlite3_finalize(s);
	} else
		ok = FALSE;
	if (!ok && err != NULL && *err == NULL)
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "store: %s",
		    sqlite3_errmsg(st->db));
	return ok;
}

/* The references of the selected requests, comma separated. */
char *
store_forget_refs(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT ref FROM requests WHERE id IN "
	    "(SELECT id FROM temp.forget_req) ORDER BY id", NULL);
	GString *refs = g_string_new(NULL);

	while (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		g_string_append_printf(refs, "%s%s", refs->len ? ", " : "",
		    (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return g_string_free(refs, FALSE);
}

gboolean
store_forget_begin(struct store *st, const char *addr, const char *key,
    gint64 n[STORE_FORGET_N], GError **err)
{
	if (!store_pragma(st, "secure_delete", 1, err) || !store_begin(st, err))
		return FALSE;
	if (!privacy_select(st, addr, key, err))
		return FALSE;
	for (gsize i = 0; i < STORE_FORGET_N; i++)
		if ((n[i] = privacy_run(st, forget_counts[i], 0, NULL, 0, TRUE, err)) < 0)
			return FALSE;
	return TRUE;
}

gboolean
store_forget_erase(struct store *st, const char *newkey, gint64 now, gboolean had_requests,
    GError **err)
{
	for (const char *const *u = forget_updates; *u != NULL; u++)
		if (privacy_run(st, *u, 1, newkey, 0, FALSE, err) < 0)
			return FALSE;
	/* The audit trail says that it happened, never about whom. */
	if (privacy_run(st, "INSERT INTO events(request_id, time, kind, detail) "
	    "SELECT id, ?1, 'forget', 'personal data erased on request' "
	    "FROM temp.forget_req", 0, NULL, now, FALSE, err) < 0)
		return FALSE;
	if (!had_requests && !store_event(st, 0, "forget",
	    "personal data erased on request", now, err))
		return FALSE;
	return store_exec(st, "DROP TABLE temp.forget_req", err) &&
	    store_exec(st, "DROP TABLE temp.forget_msg", err) &&
	    store_exec(st, "DROP TABLE temp.forget_out", err) &&
	    store_commit(st, TRUE, err);
}

/* ?1 = address (lower case), ?2 = sender key */
#define SENDER_REQS "SELECT id FROM requests WHERE sender_key = ?2 OR lower(sender_addr) = ?1"

static const char *const access_sql[STORE_ACCESS_N] = {
	[STORE_ACCESS_REQUESTS] = "SELECT id, ref, status, created, answered, closed, "
	    "updated, requester, domain, topic, commune, language, urgent, reply, "
	    "reply_reason, tags, sender_addr, sender_name, subject, pseudonymised, purged "
	    "FROM requests WHERE id IN (" SENDER_REQS ") ORDER BY created, id",
	[STORE_ACCESS_MESSAGES] = "SELECT direction, status, reason, message_id, "
	    "in_reply_to, mailbox, date, received, from_addr, from_name, subject, "
	    "guichet_text(text, text_codec) AS text, size, "
	    "attachments, language, reply, reply_reason, rules, purged, "
	    "guichet_raw(raw, raw_codec) AS raw FROM messages "
	    "WHERE request_id = ?3 ORDER BY received, id",
	[STORE_ACCESS_MAIL_SENT] = "SELECT kind, status, created, sent, attempts, rcpt, "
	    "message_id, last_answer, data FROM outbox WHERE request_id = ?3 ORDER BY id",
	[STORE_ACCESS_EVENTS] = "SELECT time, kind, detail FROM events "
	    "WHERE request_id = ?3 ORDER BY time, id",
	[STORE_ACCESS_TIME_LOG] = "SELECT date, minutes, kind, note FROM time_log "
	    "WHERE request_id = ?3 ORDER BY date, id",
	[STORE_ACCESS_OTHER_MESSAGES] = "SELECT direction, status, reason, "
	    "message_id, mailbox, date, received, from_addr, from_name, subject, "
	    "guichet_text(text, text_codec) AS text, size, attachments, purged, "
	    "guichet_raw(raw, raw_codec) AS raw "
	    "FROM messages WHERE (lower(from_addr) = ?1 OR (from_addr IS NULL AND "
	    "raw IS NOT NULL AND instr(lower(CAST(guichet_raw(raw, raw_codec) AS TEXT)), "
	    "?1) > 0)) AND (request_id IS NULL "
	    "OR request_id NOT IN (" SENDER_REQS ")) ORDER BY received, id",
	[STORE_ACCESS_OTHER_MAIL_SENT] = "SELECT kind, status, created, sent, rcpt, "
	    "message_id, last_answer, data FROM outbox WHERE (rcpt_key = ?2 OR "
	    "lower(rcpt) = ?1) AND (request_id IS NULL OR request_id NOT IN ("
	    SENDER_REQS ")) ORDER BY id",
};

struct store_cursor *
store_access_rows(struct store *st, enum store_access set, const char *addr,
    const char *key, gint64 id, GError **err)
{
	sqlite3_stmt *s;

	if ((unsigned)set >= STORE_ACCESS_N)
		return NULL;
	if ((s = store_prepare(st, access_sql[set], err)) == NULL)
		return NULL;
	for (int i = 1; i <= sqlite3_bind_parameter_count(s); i++) {
		if (i == 1)
			store_bind_text(s, 1, addr);
		else if (i == 2)
			store_bind_text(s, 2, key);
		else
			sqlite3_bind_int64(s, 3, id);
	}
	return store_cursor_new(st, s, FALSE);
}
