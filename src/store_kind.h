/*
 * store_kind.h: the store's side of mail kinds (kind.h): what the kind
 * stage needs to know about a sender, the mail not counted as requests,
 * and the corrections (promote, demote) with their events.  The view
 * counted_requests (schema.sql.h) is the one definition of "a request of
 * the figures": kind 'request'.
 *
 * All memory returned belongs to the caller.
 */
#ifndef GUICHET_STORE_KIND_H
#define GUICHET_STORE_KIND_H

#include "kind.h"
#include "store.h"

/*
 * Fill the sender facts of kf for from_addr: requests opened since
 * flood_since, the latest open request and the latest one since
 * recent_since (refs in *open_ref and *latest_ref, g_free'd by the caller).
 */
void		 store_sender_facts(struct store *, const char *from_addr,
		    gint64 flood_since, gint64 recent_since, struct kind_facts *kf,
		    char **open_ref, char **latest_ref);

/* One inbound mail that is not a request (digest, list). */
struct kind_row {
	gint64		 id;		/* message number, as promote takes it */
	gint64		 received;
	enum mail_kind	 kind;
	char		*from, *subject, *reason, *ref;	/* ref: a demoted request's */
};
void		 kind_row_free(gpointer);

/*
 * Inbound mail of kinds robot, spam, own and command, and follow-ups that
 * joined no request (a thank-you), received in [since, until).
 */
gboolean	 store_kind_rows(struct store *, gint64 since, gint64 until,
		    GPtrArray *out, GError **err);

/* Messages that joined request_id under the flood rule in [since, until). */
gint64		 store_flood_count(struct store *, gint64 request_id, gint64 since,
		    gint64 until);

/*
 * Change the kind of stored request id (demote: robot, spam, own,
 * followup, command; promote: request), with its first inbound message,
 * and log event ("promoted" or "demoted", detail "old -> new: why").
 * Demoting cancels its automatic replies still queued.  Inside the
 * caller's transaction.
 */
gboolean	 store_set_request_kind(struct store *, gint64 id, enum mail_kind,
		    const char *why, gint64 now, GError **err);
/* The reference of request id, or NULL. */
char		*store_kind_request_ref(struct store *, gint64 id);
/* The kind of request id (MAIL_KIND_N when none). */
enum mail_kind	 store_request_kind(struct store *, gint64 id);

/* A stored inbound message, for promote. */
struct stored_mail {
	gint64		 id, request_id, received;
	enum mail_kind	 kind;
	GBytes		*raw;		/* NULL when purged */
	char		*from_addr, *from_name, *subject;
};
void		 stored_mail_free(struct stored_mail *);
/* Inbound message number id, or NULL. */
struct stored_mail *store_stored_mail(struct store *, gint64 id);

/*
 * Make stored message id a request: r holds its labels (from_addr,
 * subject, ...); the request is created at r's arrival time `received`
 * with a fresh reference (never one used before), then the message joins
 * it and a "promoted" event records why.  Sets r->ref and r->request_id.
 */
gboolean	 store_promote_message(struct store *, gint64 id, struct request *r,
		    gint64 received, const char *why, gint64 now, GError **err);

/* TRUE once after the schema step adding kinds, until store_rekind_done(). */
gboolean	 store_rekind_pending(struct store *);
gboolean	 store_rekind_done(struct store *, GError **err);

/* Each counted request no correction touched, with its first inbound raw mail. */
typedef gboolean (*store_rekind_fn)(gint64 id, const char *ref, const void *raw,
		    gsize len, gpointer data, GError **err);
gboolean	 store_each_uncorrected(struct store *, store_rekind_fn, gpointer data,
		    GError **err);

#endif
