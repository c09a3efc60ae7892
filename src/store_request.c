/*
 * store_request.c: requests, their messages, events and mailbox positions
 * in the store (see store_request.h).  Prepared statements only.
 */
#include <string.h>
#include "log.h"
#include "store_int.h"
#include "rawz.h"
#include "store_kind.h"
#include "store_setaside.h"
#include "vocab.h"

#define TEXT_PACK_MIN	512	/* bytes of text below which it stays plain */

gboolean
store_has_message(struct store *s, const char *key, GError **err)
{
	sqlite3_stmt *st;
	gboolean found;
	int rc;

	if (key == NULL)
		return FALSE;
	if ((st = store_cached(s, "SELECT 1 FROM messages WHERE dedup_key = ?", err)) == NULL)
		return FALSE;
	store_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	found = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		store_db_error(s, err, "look-up");
	store_reset(st);
	return found;
}

/* The ref of the request that holds the message with this dedup key, or NULL. */
char *
store_message_ref(struct store *s, const char *key)
{
	if (key == NULL)
		return NULL;
	return store_query_text(s, "SELECT r.ref FROM messages m "
	    "JOIN requests r ON r.id = m.request_id WHERE m.dedup_key = ?", key, 0);
}

gint64
store_request_by_ref(struct store *s, const char *ref)
{
	sqlite3_stmt *st;
	gint64 id = 0;

	if (ref == NULL)
		return 0;
	if ((st = store_cached(s, "SELECT id FROM requests WHERE ref = ?", NULL)) == NULL)
		return 0;
	store_bind_text(st, 1, ref);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	store_reset(st);
	return id;
}

char *
store_request_ref(struct store *s, gint64 id)
{
	return store_query_text(s, "SELECT ref FROM requests WHERE id = ?", NULL, id);
}

/* The request a Message-ID belongs to (inbound message or our outbox), or 0. */
static gint64
request_of_message_id(struct store *s, const char *mid)
{
	static const char *const q[] = {
		"SELECT request_id FROM outbox WHERE message_id = ? AND request_id IS NOT NULL",
		"SELECT request_id FROM messages WHERE message_id = ? AND request_id IS NOT NULL",
	};
	gint64 id = 0;

	for (guint i = 0; i < G_N_ELEMENTS(q) && id == 0; i++) {
		sqlite3_stmt *st = store_cached(s, q[i], NULL);

		if (st == NULL)
			continue;
		store_bind_text(st, 1, mid);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		store_reset(st);
	}
	return id;
}

gint64
store_find_followup(struct store *s, const struct request *r, char **ref)
{
	gint64 id = 0;

	/* A reference such as CHI-2026-0042 in the subject. */
	if (r->subject != NULL && s->ref_re == NULL && g_utf8_validate(s->prefix, -1, NULL)) {
		g_autofree char *q = g_regex_escape_string(s->prefix, -1);
		g_autofree char *pat = g_strdup_printf("\\b(%s-\\d{4}-\\d{4,})\\b", q);

		/* No G_REGEX_OPTIMIZE: PCRE's JIT upsets valgrind; subjects are short. */
		s->ref_re = g_regex_new(pat, 0, 0, NULL);
	}
	if (r->subject != NULL && s->ref_re != NULL) {
		g_autoptr(GMatchInfo) mi = NULL;

		if (g_regex_match(s->ref_re, r->subject, 0, &mi)) {
			while (id == 0 && g_match_info_matches(mi)) {
				g_autofree char *found = g_match_info_fetch(mi, 1);

				id = store_request_by_ref(s, found);
				g_match_info_next(mi, NULL);
			}
		}
	}
	if (id == 0 && r->in_reply_to != NULL)
		id = request_of_message_id(s, r->in_reply_to);
	for (guint i = r->references->len; id == 0 && i > 0; i--)
		id = request_of_message_id(s, g_ptr_array_index(r->references, i - 1));
	if (ref != NULL)
		*ref = id != 0 ? store_request_ref(s, id) : NULL;
	return id;
}

static char *
tags_join(const struct request *r)
{
	if (r->tags->len == 0)
		return NULL;
	g_ptr_array_add(r->tags, NULL);
	char *j = g_strjoinv(",", (char **)r->tags->pdata);
	g_ptr_array_remove_index(r->tags, r->tags->len - 1);
	return j;
}

gboolean
store_insert_request(struct store *s, struct request *r, gint64 now, GError **err)
{
	sqlite3_stmt *st;
	gint64 seq = 0;
	int year;
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(now);
	g_autofree char *counter = NULL, *key = NULL, *tags = NULL;

	year = g_date_time_get_year(dt);
	counter = g_strdup_printf("ref-%d", year);
	st = store_cached(s, "INSERT INTO counters(name, value) VALUES(?, 1) "
	    "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value", err);
	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, counter);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	store_reset(st);
	if (seq == 0)
		return store_db_error(s, err, "reference counter");
	g_free(r->ref);
	r->ref = g_strdup_printf("%s-%d-%04" G_GINT64_FORMAT, s->prefix, year, seq);

	key = store_sender_key(s, r->from_addr);
	tags = tags_join(r);
	st = store_cached(s, "INSERT INTO requests(ref, status, created, updated, "
	    "requester, domain, topic, commune, language, urgent, reply, reply_reason, "
	    "tags, sender_key, sender_addr, sender_name, subject) "
	    "VALUES(?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err);
	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, r->ref);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now);
	store_bind_text(st, 4, r->requester ? r->requester : VOCAB_REQUESTER_DEFAULT);
	store_bind_text(st, 5, r->domain ? r->domain : VOCAB_DOMAIN_DEFAULT);
	store_bind_text(st, 6, r->topic);
	store_bind_text(st, 7, r->commune);
	store_bind_text(st, 8, r->language ? r->language : VOCAB_LANGUAGE_UNKNOWN);
	sqlite3_bind_int(st, 9, r->urgent ? 1 : 0);
	store_bind_text(st, 10, reply_kind_str(r->reply));
	store_bind_text(st, 11, r->reply_reason);
	store_bind_text(st, 12, tags);
	store_bind_text(st, 13, key);
	store_bind_text(st, 14, r->from_addr);
	store_bind_text(st, 15, r->from_name);
	store_bind_text(st, 16, r->subject);
	if (!store_step_done(s, st, err, "insert request"))
		return FALSE;
	r->request_id = sqlite3_last_insert_rowid(s->db);
	return store_event(s, r->request_id, "created", NULL, now, err);
}

gboolean
store_set_reply(struct store *s, const struct request *r, GError **err)
{
	sqlite3_stmt *st = store_cached(s,
	    "UPDATE requests SET reply = ?, reply_reason = ? WHERE id = ?", err);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, reply_kind_str(r->reply));
	store_bind_text(st, 2, r->reply_reason);
	sqlite3_bind_int64(st, 3, r->request_id);
	return store_step_done(s, st, err, "update reply");
}

gint64
store_insert_message(struct store *s, struct request *r, const char *mailbox,
    gint64 uidvalidity, gint64 uid, gint64 now, GError **err)
{
	sqlite3_stmt *st;
	g_autoptr(GString) rules = g_string_new(NULL);
	const void *z;
	gsize zlen = 0;
	gint64 id;

	for (guint i = 0; i < r->hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(r->hits, i);

		g_string_append_printf(rules, "%s%s", i ? "," : "", h->rule);
	}
	st = store_cached(s, "INSERT INTO messages(request_id, direction, status, "
	    "reason, dedup_key, message_id, in_reply_to, mailbox, uidvalidity, uid, "
	    "source, date, received, from_addr, from_name, subject, text, raw, size, "
	    "attachments, language, reply, reply_reason, rules, raw_codec, kind, kind_reason, "
	    "flood, text_codec) VALUES(?, 'in', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err);
	if (st == NULL)
		return 0;
	if (r->request_id > 0)
		sqlite3_bind_int64(st, 1, r->request_id);
	else
		sqlite3_bind_null(st, 1);
	store_bind_text(st, 2, r->status == REQ_QUARANTINED ? "quarantined" : "stored");
	store_bind_text(st, 3, r->reason);
	store_bind_text(st, 4, r->dedup_key);
	store_bind_text(st, 5, r->message_id);
	store_bind_text(st, 6, r->in_reply_to);
	store_bind_text(st, 7, mailbox);
	if (mailbox != NULL) {
		sqlite3_bind_int64(st, 8, uidvalidity);
		sqlite3_bind_int64(st, 9, uid);
	} else {
		sqlite3_bind_null(st, 8);
		sqlite3_bind_null(st, 9);
	}
	store_bind_text(st, 10, r->source);
	if (r->date > 0)
		sqlite3_bind_int64(st, 11, r->date);
	else
		sqlite3_bind_null(st, 11);
	sqlite3_bind_int64(st, 12, now);
	store_bind_text(st, 13, r->from_addr);
	store_bind_text(st, 14, r->from_name);
	store_bind_text(st, 15, r->subject);
	/*
	 * The text compressed when that makes it smaller (a copy: the raw
	 * mail's frame below reuses the compressor's buffer); short texts,
	 * which gain little, stay plain.
	 */
	if (r->text != NULL && strlen(r->text) >= TEXT_PACK_MIN &&
	    (z = rawz_pack(s->rawz, r->text, strlen(r->text), &zlen)) != NULL &&
	    zlen < strlen(r->text) * 9 / 10) {
		sqlite3_bind_blob64(st, 16, z, zlen, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 28, RAWZ_ZSTD);
	} else {
		store_bind_text(st, 16, r->text);
		sqlite3_bind_int(st, 28, RAWZ_PLAIN);
	}
	/* The raw mail once, compressed; the plain bytes if that failed. */
	if (r->raw != NULL && (z = rawz_pack(s->rawz, r->raw, r->raw_len, &zlen)) != NULL) {
		sqlite3_bind_blob64(st, 17, z, zlen, SQLITE_STATIC);
		sqlite3_bind_int(st, 24, RAWZ_ZSTD);
	} else if (r->raw != NULL) {
		sqlite3_bind_blob64(st, 17, r->raw, r->raw_len, SQLITE_STATIC);
		sqlite3_bind_int(st, 24, RAWZ_PLAIN);
	} else {
		sqlite3_bind_null(st, 17);
		sqlite3_bind_int(st, 24, RAWZ_PLAIN);
	}
	sqlite3_bind_int64(st, 18, (gint64)r->size);
	sqlite3_bind_int(st, 19, (int)r->attachments->len);
	store_bind_text(st, 20, r->language);
	store_bind_text(st, 21, reply_kind_str(r->reply));
	store_bind_text(st, 22, r->reply_reason);
	store_bind_text(st, 23, rules->len ? rules->str : NULL);
	store_bind_text(st, 25, r->kind_set ? mail_kind_str(r->kind) : NULL);
	store_bind_text(st, 26, r->kind_reason);
	sqlite3_bind_int(st, 27, r->flood ? 1 : 0);
	if (!store_step_done(s, st, err, "insert message"))
		return 0;
	id = sqlite3_last_insert_rowid(s->db);
	/* kept whole until the delegate decides, tried again after an upgrade */
	if (r->set_aside_by != NULL &&
	    !store_set_aside_mark(s, r->dedup_key, r->set_aside_by, err))
		return 0;
	return id;
}

gboolean
store_mark_answered(struct store *s, gint64 id, gint64 when, gint64 now,
    gboolean *changed, GError **err)
{
	sqlite3_stmt *q = store_cached(s, "UPDATE requests SET "
	    "answered = COALESCE(answered, MAX(?1, created)), "
	    "status = CASE WHEN status = 'closed' THEN status ELSE 'answered' END, "
	    "updated = ?2 "
	    "WHERE id = ?3 AND (answered IS NULL OR status = 'open')", err);

	*changed = FALSE;
	if (q == NULL)
		return FALSE;
	sqlite3_bind_int64(q, 1, when);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_int64(q, 3, id);
	if (!store_step_done(s, q, err, "marking request answered"))
		return FALSE;
	*changed = sqlite3_changes(s->db) > 0;
	return TRUE;
}

/* A command mail keeps only its command lines: no raw bytes, no quoted text. */
gboolean
store_message_keep_text(struct store *s, gint64 id, const char *text, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "UPDATE messages SET raw = NULL, text = ?, "
	    "text_codec = 0 WHERE id = ?", err);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, text);
	sqlite3_bind_int64(st, 2, id);
	return store_step_done(s, st, err, "command mail");
}

gboolean
store_reopen(struct store *s, gint64 id, gint64 now, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "UPDATE requests SET status = 'open', "
	    "closed = NULL, updated = ? WHERE id = ?", err);

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	if (!store_step_done(s, st, err, "reopen"))
		return FALSE;
	return store_event(s, id, "followup", NULL, now, err);
}

gboolean
store_event(struct store *s, gint64 request_id, const char *kind,
    const char *detail, gint64 now, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "INSERT INTO events(request_id, time, "
	    "kind, detail) VALUES(?, ?, ?, ?)", err);

	if (st == NULL)
		return FALSE;
	if (request_id > 0)
		sqlite3_bind_int64(st, 1, request_id);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_int64(st, 2, now);
	store_bind_text(st, 3, kind);
	store_bind_text(st, 4, detail);
	return store_step_done(s, st, err, "event");
}

gboolean
store_mailbox_get(struct store *s, const char *name, gint64 *uidvalidity, gint64 *last_uid)
{
	sqlite3_stmt *st = store_cached(s,
	    "SELECT uidvalidity, last_uid FROM mailboxes WHERE name = ?", NULL);
	gboolean found = FALSE;

	*uidvalidity = *last_uid = 0;
	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, name);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*uidvalidity = sqlite3_column_int64(st, 0);
		*last_uid = sqlite3_column_int64(st, 1);
		found = TRUE;
	}
	store_reset(st);
	return found;
}

gboolean
store_mailbox_set(struct store *s, const char *name, gint64 uidvalidity,
    gint64 last_uid, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "INSERT INTO mailboxes(name, uidvalidity, "
	    "last_uid) VALUES(?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
	    "uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid", err);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, uidvalidity);
	sqlite3_bind_int64(st, 3, last_uid);
	return store_step_done(s, st, err, "mailbox position");
}

gboolean
store_message_quarantined(struct store *s, const char *mailbox, gint64 uidvalidity,
    gint64 uid)
{
	sqlite3_stmt *q = store_cached(s, "SELECT status FROM messages WHERE mailbox = ? "
	    "AND uidvalidity = ? AND uid = ? ORDER BY id DESC LIMIT 1", NULL);
	gboolean yes = FALSE;

	if (q == NULL)
		return FALSE;
	store_bind_text(q, 1, mailbox);
	sqlite3_bind_int64(q, 2, uidvalidity);
	sqlite3_bind_int64(q, 3, uid);
	if (sqlite3_step(q) == SQLITE_ROW)
		yes = g_strcmp0(store_col(q, 0), "quarantined") == 0;
	store_reset(q);
	return yes;
}

char *
store_request_status(struct store *s, gint64 id)
{
	return store_query_text(s, "SELECT status FROM requests WHERE id = ?", NULL, id);
}

gboolean
store_request_set_state(struct store *s, gint64 id, enum req_state state, gint64 now,
    GError **err)
{
	sqlite3_stmt *st;

	if (state == STATE_CLOSED)
		st = store_cached(s, "UPDATE requests SET status = 'closed', closed = ?1, "
		    "updated = ?1 WHERE id = ?2", err);
	else if (state == STATE_OPEN)
		st = store_cached(s, "UPDATE requests SET status = 'open', closed = NULL, "
		    "updated = ?1 WHERE id = ?2", err);
	else
		st = store_cached(s, "UPDATE requests SET status = 'answered', "
		    "updated = ?1 WHERE id = ?2", err);
	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	return store_step_done(s, st, err, "update");
}

gboolean
store_request_touch(struct store *s, gint64 id, gint64 now, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "UPDATE requests SET updated = ?1 WHERE id = ?2",
	    err);

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	return store_step_done(s, st, err, "update");
}

gboolean
store_request_labels(struct store *s, gint64 id, char *v[STORE_NLABELS], GError **err)
{
	sqlite3_stmt *st = store_cached(s, "SELECT domain, topic, requester, "
	    "commune, language, CASE urgent WHEN 0 THEN 'no' ELSE 'yes' END "
	    "FROM requests WHERE id = ?", err);

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		for (int i = 0; i < STORE_NLABELS; i++)
			v[i] = store_col_dup(st, i);
	store_reset(st);
	return TRUE;
}

gboolean
store_request_set_labels(struct store *s, gint64 id, char *const v[STORE_NLABELS],
    gint64 now, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "UPDATE requests SET domain = ?, topic = ?, "
	    "requester = ?, commune = ?, language = ?, urgent = ?, updated = ? WHERE id = ?",
	    err);

	if (st == NULL)
		return FALSE;
	for (int i = 0; i < 5; i++)
		store_bind_text(st, i + 1, v[i]);
	sqlite3_bind_int(st, 6, g_strcmp0(v[5], "yes") == 0 ? 1 : 0);
	sqlite3_bind_int64(st, 7, now);
	sqlite3_bind_int64(st, 8, id);
	return store_step_done(s, st, err, "label");
}

void
store_message_facts(struct store *s, const struct request *r, gint64 now,
    gint64 flood_window, struct message_facts *f)
{
	g_autofree char *key = store_sender_key(s, r->reply_addr);
	g_autofree char *dkey = store_domain_key(s, r->reply_addr);

	memset(f, 0, sizeof *f);
	f->followup = store_find_followup(s, r, &f->followup_ref);
	f->own_message = store_is_own_message(s, r->message_id);
	f->sender_24h = key != NULL ? store_count_replies(s, key, now - 86400) : 0;
	f->global_1h = store_count_replies(s, NULL, now - 3600);
	f->domain_24h = dkey != NULL ? store_count_domain_replies(s, dkey, now - 86400) : 0;
	f->kind.followup_id = f->followup;
	f->kind.own_message = f->own_message;
	store_sender_facts(s, r->from_addr, now - flood_window, now - 30 * 86400, &f->kind,
	    &f->open_ref, &f->latest_ref);
}

void
message_facts_clear(struct message_facts *f)
{
	g_free(f->followup_ref);
	g_free(f->open_ref);
	g_free(f->latest_ref);
	memset(f, 0, sizeof *f);
}
