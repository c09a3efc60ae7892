/*
 * store.h: the SQLite store, source of every statistic.  WAL, foreign keys,
 * prepared statements only; schema versioned with PRAGMA user_version and
 * migrated at open; the file and its WAL are created 0600.
 *
 * The store is the only module that speaks SQL: store.c opens, migrates
 * and runs transactions; store_*.c hold the statements by what they store,
 * each behind named functions declared in its own header (included here).
 * All memory returned belongs to the caller unless stated otherwise.
 */
#ifndef GUICHET_STORE_H
#define GUICHET_STORE_H

#include <glib.h>
#include "request.h"
#include "outmail.h"

struct store;

#define STORE_READONLY	0x1

/*
 * messages.raw holds the raw mail compressed (rawz.h, column raw_codec):
 * read it in SQL as guichet_raw(raw, raw_codec), never as raw itself.
 * messages.text likewise when long (column text_codec): read it as
 * guichet_text(text, text_codec).
 */
/* Open (creating and migrating when writable), or NULL and err. */
struct store	*store_open(const char *path, int flags, GError **err);
/* The schema version after open; *was (if not NULL) the one found. */
int		 store_schema_version(const struct store *, int *was);
/* TRUE when the store at path has an older schema or kinds still to decide. */
gboolean	 store_needs_upgrade(const char *path);
void		 store_close(struct store *);

/*
 * Transactions.  A read-write store runs at synchronous = FULL: every
 * COMMIT has fdatasync()ed the WAL when store_commit returns, so what the
 * caller does next (move the message on the server, send, print "stored")
 * survives a power cut.  durable: the caller relies on that; the commit
 * then checks the level and refuses (err) when it is not FULL.
 */
gboolean	 store_begin(struct store *, GError **err);
gboolean	 store_commit(struct store *, gboolean durable, GError **err);
void		 store_rollback(struct store *);
/*
 * A transaction whose COMMIT reaches the operating system but not the disk
 * (synchronous = NORMAL for it alone, FULL again once it ends): it survives
 * the death of the process (kill -9, a crash: the WAL write is in the
 * kernel) but not a power cut, until the next durable commit of the store,
 * whose fdatasync() of the WAL carries every earlier frame with it.  Ends
 * with store_commit(s, FALSE, ...) (a durable one is refused) or
 * store_rollback.  For the outbox's "sent" marks only (smtp.c says why).
 */
gboolean	 store_begin_lazy(struct store *, GError **err);
/* TRUE inside a transaction (begun here or by the caller). */
gboolean	 store_in_transaction(struct store *);
/*
 * Savepoints, for one message inside the caller's transaction (ingest's
 * group commit): begin, then release (keep) or rollback (undo) it.
 */
gboolean	 store_savepoint(struct store *, GError **err);
gboolean	 store_savepoint_release(struct store *, GError **err);
void		 store_savepoint_rollback(struct store *);

/* The file's absolute path ("" for an in-memory store); not a copy. */
const char	*store_file(struct store *);

/* The store's own settings (table meta): the value of key or NULL (g_free); set. */
char		*store_meta_get(struct store *, const char *key);
gboolean	 store_meta_set(struct store *, const char *key, const char *value, GError **err);

/*
 * Pseudonymous key of an address: hex HMAC-SHA256 with the store's own
 * secret, over the address a person controls (addr_normalise: case
 * folded, "+tag" and trailing dot removed), so caps count them as one.
 */
char		*store_sender_key(struct store *, const char *addr);
/* The same for the domain of addr (per-domain cap), or NULL. */
char		*store_domain_key(struct store *, const char *addr);

/* Prefix of new references ("CHI" gives CHI-2026-0042). */
void		 store_set_ref_prefix(struct store *, const char *prefix);

/*
 * The rows of one read query, in order, as the store_* function that
 * opened it describes them (columns by index).  Read with
 *	while (store_next(c)) ... store_int(c, 0) ... store_text(c, 1) ...
 * then store_cursor_end() says whether the rows ended on an error.
 * Values are valid until the next store_next(); store_cursor_free ends it.
 */
struct store_cursor;
gboolean	 store_next(struct store_cursor *);
int		 store_int(struct store_cursor *, int col);
gint64		 store_int64(struct store_cursor *, int col);
double		 store_double(struct store_cursor *, int col);
const char	*store_text(struct store_cursor *, int col);	/* NULL for NULL */
gboolean	 store_null(struct store_cursor *, int col);
gsize		 store_bytes(struct store_cursor *, int col);	/* of the text or blob */
/* The columns of the rows: how many, their names (not copies), a value's type. */
enum store_type { STORE_NULL, STORE_INTEGER, STORE_FLOAT, STORE_TEXT, STORE_BLOB };
int		 store_columns(struct store_cursor *);
const char	*store_column_name(struct store_cursor *, int col);
enum store_type	 store_type(struct store_cursor *, int col);
const void	*store_blob(struct store_cursor *, int col, gsize *len);
void		 store_cursor_free(struct store_cursor *);
/* Ends the cursor (store_cursor_free): FALSE when the rows ended on an error. */
gboolean	 store_cursor_end(struct store_cursor *, GError **err);
typedef struct store_cursor StoreCursor;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreCursor, store_cursor_free)

#include "store_request.h"
#include "store_outbox.h"
#include "store_privacy.h"
#include "store_query.h"

#endif
