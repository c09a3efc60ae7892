/*
 * store_int.h: what the store modules (store.c, store_*.c) share and no
 * other file sees: the struct, the connection, the statement helpers.
 * Only files named store*.c include it; they alone speak SQL.
 */
#ifndef GUICHET_STORE_INT_H
#define GUICHET_STORE_INT_H

#include <sqlite3.h>
#include "config.h"
#include "store.h"

struct store {
	sqlite3		*db;
	char		*path;
	char		*secret;	/* HMAC key for sender keys */
	char		*prefix;	/* reference prefix, "CHI" */
	gboolean	 in_tx;
	gboolean	 lazy;		/* this transaction commits at synchronous = NORMAL */
	GHashTable	*stmts;		/* SQL literal -> prepared statement, reused */
	GRegex		*ref_re;	/* a reference of this prefix in a subject */
	int		 version_was;	/* schema version found at open */
	int		 version;	/* schema version after open */
	struct rawz	*rawz;		/* compressor of the raw mail */
};

/* The connection (owned by the store). */
sqlite3		*store_db(struct store *);

/* A new prepared statement (sqlite3_finalize by the caller), or NULL and err. */
sqlite3_stmt	*store_prepare(struct store *, const char *sql, GError **err);
/* Run sql (no parameters, no rows). */
gboolean	 store_exec(struct store *, const char *sql, GError **err);
/*
 * PRAGMA name = value, then read back: FALSE with err when the value is not
 * in force afterwards (an unknown pragma, one refused in a transaction).
 */
gboolean	 store_pragma(struct store *, const char *name, gint64 value, GError **err);

/*
 * The cached statement of sql, prepared once per store and reused (owned
 * by the store).  sql must be a string literal: the cache is keyed by its
 * address.  Every use ends with store_reset() or store_step_done(), so
 * that it holds no read transaction open.
 */
sqlite3_stmt	*store_cached(struct store *, const char *sql, GError **err);
/* Reset a statement and clear its bindings. */
void		 store_reset(sqlite3_stmt *);
/* Run a cached statement that returns no row, then reset it; what names it in err. */
gboolean	 store_step_done(struct store *, sqlite3_stmt *, GError **err, const char *what);
/* Bind v as text (a copy), or NULL when v is NULL. */
void		 store_bind_text(sqlite3_stmt *, int i, const char *v);
/* Set err to "path: what: SQLite's message"; returns FALSE. */
gboolean	 store_db_error(struct store *, GError **err, const char *what);
/*
 * The text in the first column of the first row of a cached one-parameter
 * query (a text key when key is not NULL, else the integer id), or NULL
 * (g_free).
 */
char		*store_query_text(struct store *, const char *sql, const char *key, gint64 id);
/* A cursor over st, whose parameters are bound; cached: st is a store_cached one. */
struct store_cursor *store_cursor_new(struct store *, sqlite3_stmt *st, gboolean cached);

/* The text of column i of the current row, or NULL; not a copy. */
const char	*store_col(sqlite3_stmt *, int i);
/* A copy of the text of column i, or NULL (g_free). */
char		*store_col_dup(sqlite3_stmt *, int i);

#endif
