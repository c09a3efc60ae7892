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
#include "store_int.h"
#include "recipient.h"
#include "schema.sql.h"
#include "rawz.h"
#include "vocab.h"

gboolean
store_db_error(struct store *s, GError **err, const char *what)
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
		store_db_error(s, err, "prepare");
		return NULL;
	}
	return st;
}

/*
 * The statements of the per-message path are prepared once per store and
 * reused (prepare costs more than most of them take to run).  sql must be
 * a string literal: the cache is keyed by its address.  Every use ends
 * with store_reset() (or store_step_done()), which resets the statement so that
 * it holds no read transaction open.
 */
sqlite3_stmt *
store_cached(struct store *s, const char *sql, GError **err)
{
	sqlite3_stmt *st = g_hash_table_lookup(s->stmts, sql);

	if (st == NULL && (st = store_prepare(s, sql, err)) != NULL)
		g_hash_table_insert(s->stmts, (gpointer)sql, st);
	return st;
}


static void
stmt_free(gpointer st)
{
	sqlite3_finalize(st);
}

void
store_reset(sqlite3_stmt *st)
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

void
store_bind_text(sqlite3_stmt *st, int i, const char *v)
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
char *
store_query_text(struct store *s, const char *sql, const char *key, gint64 id)
{
	sqlite3_stmt *st = store_cached(s, sql, NULL);
	char *v = NULL;

	if (st == NULL)
		return NULL;
	if (key != NULL)
		store_bind_text(st, 1, key);
	else
		sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		v = g_strdup((const char *)sqlite3_column_text(st, 0));
	store_reset(st);
	return v;
}

/* Run a cached statement that returns no row; resets it. */
gboolean
store_step_done(struct store *s, sqlite3_stmt *st, GError **err, const char *what)
{
	int rc = sqlite3_step(st);

	store_reset(st);
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
	return store_query_text(s, "SELECT value FROM meta WHERE key = ?", key, 0);
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
		st = store_cached(s, "INSERT INTO meta(key, value) VALUES('secret', ?)", err);
		if (st == NULL) {
			store_exec(s, "ROLLBACK", NULL);
			return FALSE;
		}
		store_bind_text(st, 1, hex);
		if (!store_step_done(s, st, err, "meta")) {
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

/*
 * The page cache of a connection that writes (ingest, the daemon, the
 * commands that change the store), in KiB: 512 instead of SQLite's 2,000.
 * A message's transaction touches a few pages of each table and index (the
 * last leaves of the tables, one leaf of each hashed index, their parents);
 * pages not in the cache are read again from the operating system's file
 * cache, not the disk.  The cache is resident memory (issue 20): on 5,000
 * bench messages 512 KiB lowers ingest's peak RSS by 1.3 MB (27.3 -> 26.0
 * MB, medians of 3), with the same bytes written (176 to 182 MB either way,
 * 1.45x the mail) and durable against --dry-run 1.32x against 1.38x (wall,
 * medians of 3 interleaved pairs at load 5 to 6: inside the noise).
 */
#define STORE_CACHE_KB	512

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
 * The value argv[0] stored with codec argv[1] (rawz.h), unpacked: as TEXT
 * when as_text, else as a BLOB.  NULL and plain values pass unchanged.
 */
static void
sql_unpack(sqlite3_context *ctx, sqlite3_value **argv, int as_text)
{
	g_autoptr(GError) e = NULL;
	guint8 *out;
	gsize len;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
	    sqlite3_value_int(argv[1]) == RAWZ_PLAIN) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	out = rawz_unpack(sqlite3_value_int(argv[1]), sqlite3_value_blob(argv[0]),
	    (gsize)sqlite3_value_bytes(argv[0]), &len, &e);
	if (out == NULL)
		sqlite3_result_error(ctx, e->message, -1);
	else if (as_text)
		sqlite3_result_text64(ctx, (const char *)out, len, g_free, SQLITE_UTF8);
	else
		sqlite3_result_blob64(ctx, out, len, g_free);
}

/* guichet_text(text, text_codec): a message's text whatever its codec. */
static void
sql_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sql_unpack(ctx, argv, 1);
}

/*
 * guichet_raw(raw, raw_codec): the raw mail's bytes whatever its codec,
 * for the commands that read it (access, forget, reclassify).
 */
static void
sql_raw(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sql_unpack(ctx, argv, 0);
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
		store_db_error(s, err, "open");
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_create_function_v2(s->db, "guichet_raw", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    NULL, sql_raw, NULL, NULL, NULL);
	sqlite3_create_function_v2(s->db, "guichet_text", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    NULL, sql_text, NULL, NULL, NULL);
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
	 * cache_size: see STORE_CACHE_KB.
	 */
	if (!(flags & STORE_READONLY)) {
		if (!journal_wal(s, err) ||
		    !store_pragma(s, "synchronous", 2, err) ||
		    !store_pragma(s, "foreign_keys", 1, err) ||
		    !store_pragma(s, "temp_store", 2, err) ||
		    !store_pragma(s, "cache_size", -STORE_CACHE_KB, err) ||
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
 * Back to synchronous = FULL after a lazy transaction (outside any
 * transaction).  Not read back: every durable commit checks the level.
 */
static gboolean
lazy_end(struct store *s, GError **err)
{
	if (!s->lazy)
		return TRUE;
	s->lazy = FALSE;
	return store_exec(s, "PRAGMA synchronous = FULL", err);
}

gboolean
store_begin_lazy(struct store *s, GError **err)
{
	if (s->lazy || store_in_transaction(s)) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
		    "%s: a lazy transaction must be the outermost one", s->path);
		return FALSE;
	}
	/* Not read back either: a level that did not drop only costs an fsync. */
	if (!store_exec(s, "PRAGMA synchronous = NORMAL", err))
		return FALSE;
	s->lazy = TRUE;
	if (!store_begin(s, err)) {
		lazy_end(s, NULL);
		return FALSE;
	}
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
		sqlite3_stmt *st = store_cached(s, "PRAGMA synchronous", err);

		if (st == NULL)
			ok = FALSE;
		else if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) < 2) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
			    "%s: durable commit refused: the connection is not at "
			    "synchronous = FULL", s->path);
			ok = FALSE;
		}
		if (st != NULL)
			store_reset(st);
	}
	if (ok)
		ok = store_exec(s, "COMMIT", err);
	if (!ok)
		store_rollback(s);
	s->in_tx = FALSE;
	/*
	 * A failed return to FULL fails the commit's caller (its rows are
	 * committed); later durable commits would refuse anyway.
	 */
	if (ok && !lazy_end(s, err))
		ok = FALSE;
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
	g_clear_error(&e);
	if (!lazy_end(s, &e))
		log_warnx("%s", e->message);
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

char *
store_meta_get(struct store *s, const char *key)
{
	return meta_get(s, key);
}

gboolean
store_meta_set(struct store *s, const char *key, const char *value, GError **err)
{
	sqlite3_stmt *st = store_cached(s, "INSERT INTO meta(key, value) VALUES(?, ?) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", err);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, value);
	return store_step_done(s, st, err, "meta");
}

const char *
store_file(struct store *s)
{
	return sqlite3_db_filename(s->db, "main");
}

gboolean
store_in_transaction(struct store *s)
{
	return sqlite3_get_autocommit(s->db) == 0;
}

gboolean
store_savepoint(struct store *s, GError **err)
{
	return store_exec(s, "SAVEPOINT message", err);
}

gboolean
store_savepoint_release(struct store *s, GError **err)
{
	return store_exec(s, "RELEASE message", err);
}

void
store_savepoint_rollback(struct store *s)
{
	store_exec(s, "ROLLBACK TO message", NULL);
	store_exec(s, "RELEASE message", NULL);
}

const char *
store_col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

char *
store_col_dup(sqlite3_stmt *st, int i)
{
	return g_strdup((const char *)sqlite3_column_text(st, i));
}

struct store_cursor {
	struct store	*s;
	sqlite3_stmt	*st;
	int		 rc;
	gboolean	 cached;	/* reset, not finalized, at the end */
};

struct store_cursor *
store_cursor_new(struct store *s, sqlite3_stmt *st, gboolean cached)
{
	struct store_cursor *c = g_new0(struct store_cursor, 1);

	c->s = s;
	c->st = st;
	c->cached = cached;
	c->rc = SQLITE_OK;
	return c;
}

gboolean
store_next(struct store_cursor *c)
{
	if (c->rc != SQLITE_OK && c->rc != SQLITE_ROW)
		return FALSE;
	c->rc = sqlite3_step(c->st);
	return c->rc == SQLITE_ROW;
}

static gboolean
store_cursor_ok(struct store_cursor *c, GError **err)
{
	if (c->rc == SQLITE_DONE || c->rc == SQLITE_ROW || c->rc == SQLITE_OK)
		return TRUE;
	return store_db_error(c->s, err, "query");
}

int
store_int(struct store_cursor *c, int col)
{
	return sqlite3_column_int(c->st, col);
}

gint64
store_int64(struct store_cursor *c, int col)
{
	return sqlite3_column_int64(c->st, col);
}

double
store_double(struct store_cursor *c, int col)
{
	return sqlite3_column_double(c->st, col);
}

const char *
store_text(struct store_cursor *c, int col)
{
	return (const char *)sqlite3_column_text(c->st, col);
}

gboolean
store_null(struct store_cursor *c, int col)
{
	return sqlite3_column_type(c->st, col) == SQLITE_NULL;
}

int
store_columns(struct store_cursor *c)
{
	return sqlite3_column_count(c->st);
}

const char *
store_column_name(struct store_cursor *c, int col)
{
	return sqlite3_column_name(c->st, col);
}

enum store_type
store_type(struct store_cursor *c, int col)
{
	switch (sqlite3_column_type(c->st, col)) {
	case SQLITE_NULL: return STORE_NULL;
	case SQLITE_INTEGER: return STORE_INTEGER;
	case SQLITE_FLOAT: return STORE_FLOAT;
	case SQLITE_BLOB: return STORE_BLOB;
	default: return STORE_TEXT;
	}
}

gsize
store_bytes(struct store_cursor *c, int col)
{
	return (gsize)sqlite3_column_bytes(c->st, col);
}

const void *
store_blob(struct store_cursor *c, int col, gsize *len)
{
	const void *b = sqlite3_column_blob(c->st, col);

	*len = (gsize)sqlite3_column_bytes(c->st, col);
	return b;
}

gboolean
store_cursor_end(struct store_cursor *c, GError **err)
{
	gboolean ok = store_cursor_ok(c, err);

	store_cursor_free(c);
	return ok;
}

void
store_cursor_free(struct store_cursor *c)
{
	if (c == NULL)
		return;
	if (c->cached)
		store_reset(c->st);
	else
		sqlite3_finalize(c->st);
	g_free(c);
}
