/*
 * store_privacy.h: retention and erasure in the store (store_privacy.c).
 * Personal columns are cleared; labels, times and row counts stay.
 */
#ifndef GUICHET_STORE_PRIVACY_H
#define GUICHET_STORE_PRIVACY_H

#include <glib.h>

struct store;

/* The cutoffs of the retention periods (unix times). */
enum store_cutoff {
	STORE_CUT_TEXT,		/* texts of requests closed before */
	STORE_CUT_PSEUDO,	/* sender of requests created before */
	STORE_CUT_QUARANTINE,	/* quarantined messages received before */
	STORE_CUT_N
};

/*
 * Remove what the cutoffs make due, in one durable transaction with a
 * 'purge' event, then compact the file; one line per kind of data
 * ("purged: N ...", or "would purge: " when dry_run, which changes
 * nothing) goes to report.  FALSE only on a store error.
 */
gboolean	 store_purge(struct store *, const gint64 cut[STORE_CUT_N], gint64 now,
		    gboolean dry_run, GString *report, GError **err);

/* VACUUM and truncate the WAL (GUICHET_ERROR_TEMP when a reader keeps it). */
gboolean	 store_compact(struct store *, GError **err);

/*
 * Erasure of one sender (addr lower case, key its sender key): begins a
 * transaction, selects what is theirs and counts it in n: requests,
 * messages, outgoing mails, events, time log entries.  Then either
 * store_rollback() or store_forget_erase(), which erases it with a new
 * random sender key, logs that it happened (not about whom) and commits.
 */
#define STORE_FORGET_N	5
gboolean	 store_forget_begin(struct store *, const char *addr, const char *key,
		    gint64 n[STORE_FORGET_N], GError **err);
/* The references of the selected requests, comma separated (g_free). */
char		*store_forget_refs(struct store *);
gboolean	 store_forget_erase(struct store *, const char *newkey, gint64 now,
		    gboolean had_requests, GError **err);

/*
 * The right of access: everything stored about one sender (addr lower
 * case, or its sender key), by set.  Each is a cursor over named columns
 * (store_column_name); REQUESTS starts with the request id, and the
 * per-request sets take it as id.
 */
enum store_access {
	STORE_ACCESS_REQUESTS,		/* their requests (id first) */
	STORE_ACCESS_MESSAGES,		/* messages of request id */
	STORE_ACCESS_MAIL_SENT,		/* outbox rows of request id */
	STORE_ACCESS_EVENTS,		/* events of request id */
	STORE_ACCESS_TIME_LOG,		/* time log entries of request id */
	STORE_ACCESS_OTHER_MESSAGES,	/* their messages outside their requests */
	STORE_ACCESS_OTHER_MAIL_SENT,	/* mail to them outside their requests */
	STORE_ACCESS_N
};
struct store_cursor *store_access_rows(struct store *, enum store_access, const char *addr,
		    const char *key, gint64 id, GError **err);

#endif
