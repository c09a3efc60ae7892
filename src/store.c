/*
 * store.c: the SQLite store (see store.h).  Every statement is prepared;
 * user data only ever travels in bound parameters.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "config.h"
#include "kind.h"
#include "log.h"
#include "store.h"
#include "recipient.h"
#include "store_setaside.h"
#include "schema.sql.h"
#include "rawz.h"
#include "vocab.h"

struct store {
	sqlite3		*db;
	char		*path;
	char		*secret;	/* HMAC key for sender keys */
	char		*prefix;	/* reference prefix, "CHI" */
	gboolean	 in_tx;
	GHashTable	*stmts;		/* SQL literal -> prepared statement, reused */
	GRegex		*ref_re;	/* a reference of this prefix in a subject */
	int		 version_was;	/* schema version found at open */
	int		 version;	/* schema version after open */
	struct rawz	*rawz;		/* compressor of the raw mail */
};

static gboolean
db_error(struct store *s, GError **err, const char *what)
{
	g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "%s: %s: %s",
	    s->path, what, sqlite3_errmsg(s->db));
	return FALSE;
}

sqlite3_stmt *
store_prepare(struct store *s, const char *sql, GError **err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(s, err, "prepare");
		return NULL;
	}
	return st;
}

/*
 * The statements of the per-message path are prepared once per store and
 * reused (prepare costs more than most of them take to run).  sql must be
 * a string literal: the cache is keyed by its address.  Every use ends
 * with stmt_done() (or step_done()), which resets the statement so that
 * it holds no read transaction open.
 */
static sqlite3_stmt *
cached(struct store *s, const char *sql, GError **err)
{
	sqlite3_stmt *st = g_hash_table_lookup(s->stmts, sql);

	if (st == NULL && (st = store_prepare(s, sql, err)) != NULL)
		g_hash_table_insert(s->stmts, (gpointer)sql, st);
	return st;
}

sqlite3_stmt *
store_cached(struct store *s, const char *sql, GError **err)
{
	return cached(s, sql, err);
}

static void
stmt_free(gpointer st)
{
	sqlite3_finalize(st);
}

static void
stmt_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

gboolean
store_exec(struct store *s, const char *sql, GError **err)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "%s: %s",
		    s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return FALSE;
	}
	return TRUE;
}

sqlite3 *
store_db(struct store *s)
{
	return s->db;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/*
 * The text in the first column of the first row of a cached one-parameter
 * query (a text key when key is not NULL, else the integer id), or NULL.
 */
static char *
query_text(struct store *s, const char *sql, const char *key, gint64 id)
{
	sqlite3_stmt *st = cached(s, sql, NULL);
	char *v = NULL;

	if (st == NULL)
		return NULL;
	if (key != NULL)
		bind_text(st, 1, key);
	else
		sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		v = g_strdup((const char *)sqlite3_column_text(st, 0));
	stmt_done(st);
	return v;
}

/* Run a cached statement that returns no row; resets it. */
static gboolean
step_done(struct store *s, sqlite3_stmt *st, GError **err, const char *what)
{
	int rc = sqlite3_step(st);

	stmt_done(st);
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "%s: %s: %s",
		    s->path, what, sqlite3_errmsg(s->db));
		return FALSE;
	}
	return TRUE;
}

static char *
meta_get(struct store *s, const char *key)
{
	return query_text(s, "SELECT value FROM meta WHERE key = ?", key, 0);
}

static gboolean
migrate(struct store *s, GError **err)
{
	sqlite3_stmt *st;
	int version = 0, last = G_N_ELEMENTS(schema_steps);

	if ((st = store_prepare(s, "PRAGMA user_version", err)) == NULL)
		return FALSE;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	s->version_was = s->version = version;
	if (version > last) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
		    "%s: schema version %d is newer than this guichet (%d)",
		    s->path, version, last);
		return FALSE;
	}
	if (version == last)
		return TRUE;
	log_info("%s: schema version %d -> %d", s->path, version, last);
	if (!store_exec(s, "BEGIN IMMEDIATE", err))
		return FALSE;
	for (int v = version; v < last; v++) {
		g_autofree char *pragma = g_strdup_printf("PRAGMA user_version = %d", v + 1);

		if (!store_exec(s, schema_steps[v], err) ||
		    !store_exec(s, pragma, err)) {
			store_exec(s, "ROLLBACK", NULL);
			return FALSE;
		}
	}
	if (version == 0) {
		guint8 rnd[32];
		g_autofree char *hex = NULL;
		GRand *gr = g_rand_new();	/* seeded from /dev/urandom */
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		for (guint i = 0; i < sizeof rnd; i++)
			rnd[i] = (guint8)g_rand_int(gr);
		if (fd >= 0) {
			if (read(fd, rnd, sizeof rnd) != (ssize_t)sizeof rnd)
				log_warnx("%s: short read from /dev/urandom", s->path);
			close(fd);
		}
		g_rand_free(gr);
		hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, rnd, sizeof rnd);
		st = cached(s, "INSERT INTO meta(key, value) VALUES('secret', ?)", err);
		if (st == NULL) {
			store_exec(s, "ROLLBACK", NULL);
			return FALSE;
		}
		bind_text(st, 1, hex);
		if (!step_done(s, st, err, "meta")) {
			store_exec(s, "ROLLBACK", NULL);
			return FALSE;
		}
	}
	if (!store_exec(s, "COMMIT", err))
		return FALSE;
	s->version = last;
	return TRUE;
}

/*
 * Set an integer pragma and read it back.  SQLite ignores an unknown
 * pragma and refuses some settings inside a transaction; a setting that
 * did not take is an error here, never silence.
 */
gboolean
store_pragma(struct store *s, const char *name, gint64 value, GError **err)
{
	g_autofree char *set = g_strdup_printf("PRAGMA %s = %" G_GINT64_FORMAT, name, value);
	g_autofree char *get = g_strdup_printf("PRAGMA %s", name);
	sqlite3_stmt *st;
	gint64 now = G_MININT64;

	if (!store_exec(s, set, err))
		return FALSE;
	if ((st = store_prepare(s, get, err)) == NULL)
		return FALSE;
	if (sqlite3_step(st) == SQLITE_ROW)
		now = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (now != value) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
		    "%s: PRAGMA %s = %" G_GINT64_FORMAT " did not take (it is %" G_GINT64_FORMAT ")%s",
		    s->path, name, value, now,
		    sqlite3_get_autocommit(s->db) ? "" : " (inside a transaction)");
		return FALSE;
	}
	return TRUE;
}

/* WAL mode; the pragma answers with the mode now in force. */
static gboolean
journal_wal(struct store *s, GError **err)
{
	sqlite3_stmt *st = store_prepare(s, "PRAGMA journal_mode = WAL", err);
	gboolean ok;

	if (st == NULL)
		return FALSE;
	ok = sqlite3_step(st) == SQLITE_ROW &&
	    g_ascii_strcasecmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
	if (!ok)
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
		    "%s: cannot switch to WAL mode: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return ok;
}

/*
 * guichet_raw(raw, raw_codec): the raw mail's bytes whatever its codec
 * (rawz.h), for the commands that read it (access, forget, reclassify).
 */
static void
sql_raw(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	g_autoptr(GError) e = NULL;
	guint8 *out;
	gsize len;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if (sqlite3_value_int(argv[1]) == RAWZ_PLAIN) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	out = rawz_unpack(sqlite3_value_int(argv[1]), sqlite3_value_blob(argv[0]),
	    (gsize)sqlite3_value_bytes(argv[0]), &len, &e);
	if (out == NULL)
		sqlite3_result_error(ctx, e->message, -1);
	else
		sqlite3_result_blob64(ctx, out, len, g_free);
}

struct store *
store_open(const char *path, int flags, GError **err)
{
	struct store *s = g_new0(struct store, 1);
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

	s->path = g_strdup(path);
	s->prefix = g_strdup("REQ");
	s->stmts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, stmt_free);
	s->rawz = rawz_new();
	if (flags & STORE_READONLY)
		oflags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
	else if (access(path, F_OK) != 0) {
		/* Create it 0600 ourselves: SQLite gives the WAL the same mode. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

		if (fd < 0 && errno != EEXIST) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
			    "%s: cannot create: %s", path, g_strerror(errno));
			store_close(s);
			return NULL;
		}
		if (fd >= 0)
			close(fd);
	}
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		db_error(s, err, "open");
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_create_function_v2(s->db, "guichet_raw", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    NULL, sql_raw, NULL, NULL, NULL);
	sqlite3_extended_result_codes(s->db, 1);
	/*
	 * synchronous = FULL for the whole connection: in WAL mode each
	 * COMMIT then fdatasync()s the WAL before it returns, so whatever a
	 * caller does after a commit (move the message on the server, send
	 * its reply, print "stored") comes after the data is on disk.  The
	 * level cannot be changed inside a transaction (SQLite refuses, and
	 * the refusal once went unseen), so it is set once, here.
	 * temp_store = MEMORY: statement journals and the temporary tables of
	 * `forget` stay in memory instead of temporary files written to disk.
	 */
	if (!(flags & STORE_READONLY)) {
		if (!journal_wal(s, err) ||
		    !store_pragma(s, "synchronous", 2, err) ||
		    !store_pragma(s, "foreign_keys", 1, err) ||
		    !store_pragma(s, "temp_store", 2, err) ||
		    !migrate(s, err)) {
			store_close(s);
			return NULL;
		}
	} else if (!store_pragma(s, "query_only", 1, err)) {
		store_close(s);
		return NULL;
	}
	s->secret = meta_get(s, "secret");
	if (s->secret == NULL)
		s->secret = g_strdup("guichet");
	return s;
}

int
store_schema_version(const struct store *s, int *was)
{
	if (was != NULL)
		*was = s->version_was;
	return s->version;
}

gboolean
store_needs_upgrade(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	gboolean old = FALSE;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return FALSE;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		old = sqlite3_column_int(st, 0) < (int)G_N_ELEMENTS(schema_steps);
	sqlite3_finalize(st);
	st = NULL;
	if (!old && sqlite3_prepare_v2(db, "SELECT 1 FROM meta WHERE key = 'rekind'",
	    -1, &st, NULL) == SQLITE_OK)
		old = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return old;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	g_hash_table_destroy(s->stmts);		/* finalized before the close */
	if (s->ref_re != NULL)
		g_regex_unref(s->ref_re);
	if (s->db != NULL)
		sqlite3_close_v2(s->db);
	g_free(s->path);
	g_free(s->secret);
	g_free(s->prefix);
	rawz_free(s->rawz);
	g_free(s);
}

void
store_set_ref_prefix(struct store *s, const char *prefix)
{
	g_free(s->prefix);
	s->prefix = g_strdup(prefix != NULL && *prefix ? prefix : "REQ");
	if (s->ref_re != NULL)
		g_regex_unref(s->ref_re);
	s->ref_re = NULL;
}

gboolean
store_begin(struct store *s, GError **err)
{
	if (!store_exec(s, "BEGIN IMMEDIATE", err))
		return FALSE;
	s->in_tx = TRUE;
	return TRUE;
}

/*
 * The connection is at synchronous = FULL since store_open (the level
 * cannot change inside a transaction): every COMMIT is fsync'ed.  A durable
 * commit checks that this still holds, so a change elsewhere cannot
 * silently make it a commit that a power cut would undo.
 */
gboolean
store_commit(struct store *s, gboolean durable, GError **err)
{
	gboolean ok = TRUE;

	if (durable) {
		sqlite3_stmt *st = cached(s, "PRAGMA synchronous", err);

		if (st == NULL)
			ok = FALSE;
		else if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) < 2) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
			    "%s: durable commit refused: the connection is not at "
			    "synchronous = FULL", s->path);
			ok = FALSE;
		}
		if (st != NULL)
			stmt_done(st);
	}
	if (ok)
		ok = store_exec(s, "COMMIT", err);
	if (!ok)
		store_rollback(s);
	s->in_tx = FALSE;
	return ok;
}

void
store_rollback(struct store *s)
{
	g_autoptr(GError) e = NULL;

	/* A failed ROLLBACK leaves SQLite to roll back at the next open. */
	if (sqlite3_get_autocommit(s->db) == 0 && !store_exec(s, "ROLLBACK", &e))
		log_warnx("%s", e->message);
	s->in_tx = FALSE;
}

char *
store_sender_key(struct store *s, const char *addr)
{
	g_autofree char *low = NULL;

	if (addr == NULL || *addr == '\0')
		return NULL;
	if ((low = addr_normalise(addr)) == NULL)
		low = g_utf8_strdown(addr, -1);
	return g_compute_hmac_for_string(G_CHECKSUM_SHA256,
	    (const guchar *)s->secret, strlen(s->secret), low, -1);
}

char *
store_domain_key(struct store *s, const char *addr)
{
	g_autofree char *dom = addr_domain(addr);
	g_autofree char *v = NULL;

	if (dom == NULL)
		return NULL;
	v = g_strconcat("domain:", dom, NULL);
	return g_compute_hmac_for_string(G_CHECKSUM_SHA256,
	    (const guchar *)s->secret, strlen(s->secret), v, -1);
}

gboolean
store_has_message(struct store *s, const char *key, GError **err)
{
	sqlite3_stmt *st;
	gboolean found;
	int rc;

	if (key == NULL)
		return FALSE;
	if ((st = cached(s, "SELECT 1 FROM messages WHERE dedup_key = ?", err)) == NULL)
		return FALSE;
	bind_text(st, 1, key);
	rc = sqlite3_step(st);
	found = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_error(s, err, "look-up");
	stmt_done(st);
	return found;
}

/* The ref of the request that holds the message with this dedup key, or NULL. */
char *
store_message_ref(struct store *s, const char *key)
{
	if (key == NULL)
		return NULL;
	return query_text(s, "SELECT r.ref FROM messages m "
	    "JOIN requests r ON r.id = m.request_id WHERE m.dedup_key = ?", key, 0);
}

gboolean
store_is_own_message(struct store *s, const char *message_id)
{
	sqlite3_stmt *st;
	gboolean found;

	if (message_id == NULL)
		return FALSE;
	if ((st = cached(s, "SELECT 1 FROM outbox WHERE message_id = ?", NULL)) == NULL)
		return FALSE;
	bind_text(st, 1, message_id);
	found = sqlite3_step(st) == SQLITE_ROW;
	stmt_done(st);
	return found;
}

gint64
store_request_by_ref(struct store *s, const char *ref)
{
	sqlite3_stmt *st;
	gint64 id = 0;

	if (ref == NULL)
		return 0;
	if ((st = cached(s, "SELECT id FROM requests WHERE ref = ?", NULL)) == NULL)
		return 0;
	bind_text(st, 1, ref);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	stmt_done(st);
	return id;
}

static char *
request_ref(struct store *s, gint64 id)
{
	return query_text(s, "SELECT ref FROM requests WHERE id = ?", NULL, id);
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
		sqlite3_stmt *st = cached(s, q[i], NULL);

		if (st == NULL)
			continue;
		bind_text(st, 1, mid);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		stmt_done(st);
	}
	return id;
}

gint64
store_find_followup(struct store *s, struct request *r)
{
	gint64 id = 0;

	/* A reference such as CHI-2026-0042 in the subject. */
	if (r->subject != NULL && s->ref_re == NULL) {
		g_autofree char *q = g_regex_escape_string(s->prefix, -1);
		g_autofree char *pat = g_strdup_printf("\\b(%s-\\d{4}-\\d{4,})\\b", q);

		/* No G_REGEX_OPTIMIZE: PCRE's JIT upsets valgrind; subjects are short. */
		s->ref_re = g_regex_new(pat, 0, 0, NULL);
	}
	if (r->subject != NULL && s->ref_re != NULL) {
		g_autoptr(GMatchInfo) mi = NULL;

		if (g_regex_match(s->ref_re, r->subject, 0, &mi)) {
			while (id == 0 && g_match_info_matches(mi)) {
				g_autofree char *ref = g_match_info_fetch(mi, 1);

				id = store_request_by_ref(s, ref);
				g_match_info_next(mi, NULL);
			}
		}
	}
	if (id == 0 && r->in_reply_to != NULL)
		id = request_of_message_id(s, r->in_reply_to);
	for (guint i = r->references->len; id == 0 && i > 0; i--)
		id = request_of_message_id(s, g_ptr_array_index(r->references, i - 1));
	if (id != 0) {
		g_free(r->ref);
		r->ref = request_ref(s, id);
	}
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
	st = cached(s, "INSERT INTO counters(name, value) VALUES(?, 1) "
	    "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value", err);
	if (st == NULL)
		return FALSE;
	bind_text(st, 1, counter);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	stmt_done(st);
	if (seq == 0)
		return db_error(s, err, "reference counter");
	g_free(r->ref);
	r->ref = g_strdup_printf("%s-%d-%04" G_GINT64_FORMAT, s->prefix, year, seq);

	key = store_sender_key(s, r->from_addr);
	tags = tags_join(r);
	st = cached(s, "INSERT INTO requests(ref, status, created, updated, "
	    "requester, domain, topic, commune, language, urgent, reply, reply_reason, "
	    "tags, sender_key, sender_addr, sender_name, subject) "
	    "VALUES(?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err);
	if (st == NULL)
		return FALSE;
	bind_text(st, 1, r->ref);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now);
	bind_text(st, 4, r->requester ? r->requester : VOCAB_REQUESTER_DEFAULT);
	bind_text(st, 5, r->domain ? r->domain : VOCAB_DOMAIN_DEFAULT);
	bind_text(st, 6, r->topic);
	bind_text(st, 7, r->commune);
	bind_text(st, 8, r->language ? r->language : VOCAB_LANGUAGE_UNKNOWN);
	sqlite3_bind_int(st, 9, r->urgent ? 1 : 0);
	bind_text(st, 10, reply_kind_str(r->reply));
	bind_text(st, 11, r->reply_reason);
	bind_text(st, 12, tags);
	bind_text(st, 13, key);
	bind_text(st, 14, r->from_addr);
	bind_text(st, 15, r->from_name);
	bind_text(st, 16, r->subject);
	if (!step_done(s, st, err, "insert request"))
		return FALSE;
	r->request_id = sqlite3_last_insert_rowid(s->db);
	return store_event(s, r->request_id, "created", NULL, now, err);
}

gboolean
store_set_reply(struct store *s, const struct request *r, GError **err)
{
	sqlite3_stmt *st = cached(s,
	    "UPDATE requests SET reply = ?, reply_reason = ? WHERE id = ?", err);

	if (st == NULL)
		return FALSE;
	bind_text(st, 1, reply_kind_str(r->reply));
	bind_text(st, 2, r->reply_reason);
	sqlite3_bind_int64(st, 3, r->request_id);
	return step_done(s, st, err, "update reply");
}

gboolean
store_insert_message(struct store *s, struct request *r, const char *mailbox,
    gint64 uidvalidity, gint64 uid, gint64 now, GError **err)
{
	sqlite3_stmt *st;
	g_autoptr(GString) rules = g_string_new(NULL);
	const void *z;
	gsize zlen = 0;

	for (guint i = 0; i < r->hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(r->hits, i);

		g_string_append_printf(rules, "%s%s", i ? "," : "", h->rule);
	}
	st = cached(s, "INSERT INTO messages(request_id, direction, status, "
	    "reason, dedup_key, message_id, in_reply_to, mailbox, uidvalidity, uid, "
	    "source, date, received, from_addr, from_name, subject, text, raw, size, "
	    "attachments, language, reply, reply_reason, rules, raw_codec, kind, kind_reason, "
	    "flood) VALUES(?, 'in', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?)", err);
	if (st == NULL)
		return FALSE;
	if (r->request_id > 0)
		sqlite3_bind_int64(st, 1, r->request_id);
	else
		sqlite3_bind_null(st, 1);
	bind_text(st, 2, r->status == REQ_QUARANTINED ? "quarantined" : "stored");
	bind_text(st, 3, r->reason);
	bind_text(st, 4, r->dedup_key);
	bind_text(st, 5, r->message_id);
	bind_text(st, 6, r->in_reply_to);
	bind_text(st, 7, mailbox);
	if (mailbox != NULL) {
		sqlite3_bind_int64(st, 8, uidvalidity);
		sqlite3_bind_int64(st, 9, uid);
	} else {
		sqlite3_bind_null(st, 8);
		sqlite3_bind_null(st, 9);
	}
	bind_text(st, 10, r->source);
	if (r->date > 0)
		sqlite3_bind_int64(st, 11, r->date);
	else
		sqlite3_bind_null(st, 11);
	sqlite3_bind_int64(st, 12, now);
	bind_text(st, 13, r->from_addr);
	bind_text(st, 14, r->from_name);
	bind_text(st, 15, r->subject);
	bind_text(st, 16, r->text);
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
	bind_text(st, 20, r->language);
	bind_text(st, 21, reply_kind_str(r->reply));
	bind_text(st, 22, r->reply_reason);
	bind_text(st, 23, rules->len ? rules->str : NULL);
	bind_text(st, 25, r->kind_set ? mail_kind_str(r->kind) : NULL);
	bind_text(st, 26, r->kind_reason);
	sqlite3_bind_int(st, 27, r->flood ? 1 : 0);
	if (!step_done(s, st, err, "insert message"))
		return FALSE;
	/* kept whole until the delegate decides, tried again after an upgrade */
	return r->set_aside_by == NULL ||
	    store_set_aside_mark(s, r->dedup_key, r->set_aside_by, err);
}

gboolean
store_reopen(struct store *s, gint64 id, gint64 now, GError **err)
{
	sqlite3_stmt *st = cached(s, "UPDATE requests SET status = 'open', "
	    "closed = NULL, updated = ? WHERE id = ?", err);

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	if (!step_done(s, st, err, "reopen"))
		return FALSE;
	return store_event(s, id, "followup", NULL, now, err);
}

gboolean
store_outbox_add(struct store *s, gint64 request_id, const struct outmail *m,
    gint64 now, GError **err)
{
	g_autofree char *key = store_sender_key(s, m->rcpt);
	g_autofree char *dkey = store_domain_key(s, m->rcpt);
	sqlite3_stmt *st = cached(s, "INSERT INTO outbox(request_id, kind, "
	    "message_id, mail_from, rcpt, rcpt_key, data, created, next_attempt, "
	    "rcpt_domain_key) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err);

	if (st == NULL)
		return FALSE;
	if (request_id > 0)
		sqlite3_bind_int64(st, 1, request_id);
	else
		sqlite3_bind_null(st, 1);
	bind_text(st, 2, m->kind);
	bind_text(st, 3, m->message_id);
	bind_text(st, 4, m->mail_from ? m->mail_from : "");
	bind_text(st, 5, m->rcpt);
	bind_text(st, 6, key);
	sqlite3_bind_blob64(st, 7, m->data, m->len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, now);
	bind_text(st, 10, dkey);
	return step_done(s, st, err, "queue mail");
}

gboolean
store_event(struct store *s, gint64 request_id, const char *kind,
    const char *detail, gint64 now, GError **err)
{
	sqlite3_stmt *st = cached(s, "INSERT INTO events(request_id, time, "
	    "kind, detail) VALUES(?, ?, ?, ?)", err);

	if (st == NULL)
		return FALSE;
	if (request_id > 0)
		sqlite3_bind_int64(st, 1, request_id);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_int64(st, 2, now);
	bind_text(st, 3, kind);
	bind_text(st, 4, detail);
	return step_done(s, st, err, "event");
}

int
store_count_replies(struct store *s, const char *sender_key, gint64 since)
{
	sqlite3_stmt *st;
	int n = 0;

	st = cached(s, sender_key != NULL ?
	    "SELECT count(*) FROM outbox WHERE kind IN ('ack','orientation') "
	    "AND created >= ? AND rcpt_key = ?" :
	    "SELECT count(*) FROM outbox WHERE kind IN ('ack','orientation') "
	    "AND created >= ?", NULL);
	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, since);
	if (sender_key != NULL)
		bind_text(st, 2, sender_key);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	stmt_done(st);
	return n;
}

char *
store_meta_get(struct store *s, const char *key)
{
	return meta_get(s, key);
}

gboolean
store_meta_set(struct store *s, const char *key, const char *value, GError **err)
{
	sqlite3_stmt *st = cached(s, "INSERT INTO meta(key, value) VALUES(?, ?) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", err);

	if (st == NULL)
		return FALSE;
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return step_done(s, st, err, "meta");
}

int
store_count_domain_replies(struct store *s, const char *domain_key, gint64 since)
{
	sqlite3_stmt *st;
	int n = 0;

	if (domain_key == NULL)
		return 0;
	st = cached(s, "SELECT count(*) FROM outbox WHERE rcpt_domain_key = ? "
	    "AND created >= ? AND kind IN ('ack','orientation')", NULL);
	if (st == NULL)
		return 0;
	bind_text(st, 1, domain_key);
	sqlite3_bind_int64(st, 2, since);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	stmt_done(st);
	return n;
}

gboolean
store_mailbox_get(struct store *s, const char *name, gint64 *uidvalidity, gint64 *last_uid)
{
	sqlite3_stmt *st = cached(s,
	    "SELECT uidvalidity, last_uid FROM mailboxes WHERE name = ?", NULL);
	gboolean found = FALSE;

	*uidvalidity = *last_uid = 0;
	if (st == NULL)
		return FALSE;
	bind_text(st, 1, name);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*uidvalidity = sqlite3_column_int64(st, 0);
		*last_uid = sqlite3_column_int64(st, 1);
		found = TRUE;
	}
	stmt_done(st);
	return found;
}

gboolean
store_mailbox_set(struct store *s, const char *name, gint64 uidvalidity,
    gint64 last_uid, GError **err)
{
	sqlite3_stmt *st = cached(s, "INSERT INTO mailboxes(name, uidvalidity, "
	    "last_uid) VALUES(?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
	    "uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid", err);

	if (st == NULL)
		return FALSE;
	bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, uidvalidity);
	sqlite3_bind_int64(st, 3, last_uid);
	return step_done(s, st, err, "mailbox position");
}
