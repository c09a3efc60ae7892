/*
 * store_outbox.h: the outbox (store_outbox.c).  Mail is queued inside the
 * caller's transaction, with the change that causes it.
 */
#ifndef GUICHET_STORE_OUTBOX_H
#define GUICHET_STORE_OUTBOX_H

#include <glib.h>
#include "outmail.h"

struct store;

/* Queue m (for request_id, 0 for none) at now: the new row's id, 0 on error. */
gint64		 store_outbox_add(struct store *, gint64 request_id, const struct outmail *,
		    gint64 now, GError **err);

/* One queued outbox row as the sender takes it. */
struct outbox_row {
	gint64		 id, request_id, attempts, created;
	char		*kind, *mail_from, *rcpt;
	guint8		*data;		/* the whole message, wiped when cleared */
	gsize		 len;
};

/*
 * Up to limit queued rows with id > after, due at now (all: due or not),
 * in id order: a GArray of struct outbox_row that clears them (caller's),
 * or NULL and err.
 */
GArray		*store_outbox_due(struct store *, gint64 after, gint64 now, gboolean all,
		    int limit, GError **err);
/*
 * Row id, still queued, gets status ("queued", "sent", "failed"), one more
 * attempt, its next attempt and the server's answer (sent time for "sent").
 * Inside the caller's transaction.
 */
gboolean	 store_outbox_mark(struct store *, gint64 id, const char *status, gint64 next,
		    const char *answer, gint64 now, GError **err);
/*
 * One durable commit (a time in meta) after lazy marks (store_begin_lazy):
 * its fdatasync() of the WAL puts them on the disk too.  Outside a transaction.
 */
gboolean	 store_outbox_sync(struct store *, gint64 now, GError **err);
/* Rows still queued, -1 on a store error. */
int		 store_outbox_queued(struct store *);
/* The earliest next attempt of a queued row, -1 when none. */
gint64		 store_outbox_next_attempt(struct store *);
/* TRUE when a queued row is due at now. */
gboolean	 store_outbox_due_now(struct store *, gint64 now);

/* TRUE when message_id is one guichet sent (outbox). */
gboolean	 store_is_own_message(struct store *, const char *message_id);

/* Automatic replies (ack/orientation) queued to sender_key since t (all senders for NULL). */
int		 store_count_replies(struct store *, const char *sender_key, gint64 since);
/* Automatic replies queued to any address of the domain with domain_key since t. */
int		 store_count_domain_replies(struct store *, const char *domain_key, gint64 since);

/*
 * Periods already mailed (digest, monthly figures, annual report): 1 when
 * (kind, period) is recorded, 0 when not, -1 on a store error; record one
 * (sent time, the outbox row); the latest sent time of kind (-1: none).
 */
int		 store_period_sent(struct store *, const char *kind, const char *period,
		    GError **err);
gboolean	 store_period_add(struct store *, const char *kind, const char *period,
		    gint64 sent, gint64 outbox_id, GError **err);
gint64		 store_period_last(struct store *, const char *kind);

#endif
