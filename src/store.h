/*
 * store.h: the SQLite store, source of every statistic.  WAL, foreign keys,
 * prepared statements only; schema versioned with PRAGMA user_version and
 * migrated at open; the file and its WAL are created 0600.
 *
 * Modules with queries of their own (stats, digest, privacy) use
 * store_db() and prepared statements; only store.c changes the schema.
 */
#ifndef GUICHET_STORE_H
#define GUICHET_STORE_H

#include <sqlite3.h>
#include <glib.h>
#include "request.h"
#include "outmail.h"

struct store;

#define STORE_READONLY	0x1

/*
 * messages.raw holds the raw mail compressed (rawz.h, column raw_codec):
 * read it in SQL as guichet_raw(raw, raw_codec), never as raw itself.
 */
struct store	*store_open(const char *path, int flags, GError **err);
/* The schema version after open; *was (if not NULL) the one found. */
int		 store_schema_version(const struct store *, int *was);
/* TRUE when the store at path has an older schema or kinds still to decide. */
gboolean	 store_needs_upgrade(const char *path);
void		 store_close(struct store *);
sqlite3		*store_db(struct store *);

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

/* TRUE when a message with this dedup key is already stored. */
gboolean	 store_has_message(struct store *, const char *dedup_key, GError **err);
/* TRUE when message_id is one guichet sent (outbox). */
gboolean	 store_is_own_message(struct store *, const char *message_id);

/*
 * The request r follows up, by reference in subject or by In-Reply-To /
 * References naming a stored message; 0 when none. Sets r->ref.
 */
gint64		 store_find_followup(struct store *, struct request *r);

/* New request row from r's labels; assigns r->ref and r->request_id. */
gboolean	 store_insert_request(struct store *, struct request *r, gint64 now, GError **err);
/* The inbound message row (stored or quarantined); mailbox/uid may be NULL/0. */
gboolean	 store_insert_message(struct store *, struct request *r,
		    const char *mailbox, gint64 uidvalidity, gint64 uid, gint64 now, GError **err);
/* Follow-up: status back to open, event logged. */
gboolean	 store_reopen(struct store *, gint64 request_id, gint64 now, GError **err);

gboolean	 store_outbox_add(struct store *, gint64 request_id, const struct outmail *,
		    gint64 now, GError **err);
gboolean	 store_event(struct store *, gint64 request_id, const char *kind,
		    const char *detail, gint64 now, GError **err);

/* Automatic replies (ack/orientation) queued to sender_key since t. */
int		 store_count_replies(struct store *, const char *sender_key, gint64 since);
/* Automatic replies queued to any address of the domain with domain_key since t. */
int		 store_count_domain_replies(struct store *, const char *domain_key, gint64 since);

/* A value of the meta table (g_free), or NULL. */
char		*store_meta_get(struct store *, const char *key);
/* Set (insert or replace) a value of the meta table. */
gboolean	 store_meta_set(struct store *, const char *key, const char *value,
		    GError **err);

/* Mailbox position. FALSE with no row: *uidvalidity = *last_uid = 0. */
gboolean	 store_mailbox_get(struct store *, const char *name, gint64 *uidvalidity, gint64 *last_uid);
gboolean	 store_mailbox_set(struct store *, const char *name, gint64 uidvalidity, gint64 last_uid, GError **err);

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
/* The ref of the request holding the message with this dedup key, or NULL (g_free). */
char		*store_message_ref(struct store *, const char *dedup_key);
/* Update requests.reply/reply_reason from r (after a failed reply build). */
gboolean	 store_set_reply(struct store *, const struct request *r, GError **err);

/* Look up a request id by reference; 0 when none. */
gint64		 store_request_by_ref(struct store *, const char *ref);

/* Helpers for prepared statements: prepare or set err. */
sqlite3_stmt	*store_prepare(struct store *, const char *sql, GError **err);
gboolean	 store_exec(struct store *, const char *sql, GError **err);
/*
 * PRAGMA name = value, then read back: FALSE with err when the value is not
 * in force afterwards (an unknown pragma, one refused in a transaction).
 */
gboolean	 store_pragma(struct store *, const char *name, gint64 value, GError **err);
/*
 * A statement prepared once per store (sql must be a string literal) and
 * kept by it: reset it (sqlite3_reset, sqlite3_clear_bindings) after use,
 * never finalize it.
 */
sqlite3_stmt	*store_cached(struct store *, const char *sql, GError **err);

#endif
