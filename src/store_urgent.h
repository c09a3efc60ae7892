/*
 * store_urgent.h: what the store keeps of the urgent path, as events of
 * the request: "urgent-alert" (the alert was queued), "urgent-reminder"
 * (the one reminder was queued), "seen" (a delegate saw the alert: #vu /
 * guichet seen).  The caller holds the transaction that also queues the
 * mails, so an event and its mails are committed together, once.
 *
 * All memory returned belongs to the caller.
 */
#ifndef GUICHET_STORE_URGENT_H
#define GUICHET_STORE_URGENT_H

#include "store.h"

/* When the alert of request id was queued (Unix seconds), 0 if never. */
gint64		 store_urgent_alerted(struct store *, gint64 request_id);
/*
 * Mark request id urgent (a follow-up said so) and add tags (char *, may
 * be NULL) to its tags, each once.
 */
gboolean	 store_urgent_mark(struct store *, gint64 request_id, GPtrArray *tags,
		    gint64 now, GError **err);

struct urgent_due {
	gint64		 request_id;
	gint64		 alerted;	/* time of the "urgent-alert" event */
};
/*
 * Urgent requests still open, alerted, with neither a reminder nor a
 * "seen" event: candidates for the one reminder (struct urgent_due).
 */
GArray		*store_urgent_waiting(struct store *, GError **err);
/*
 * Fill r (a fresh request_new) from request id for the reminder: ref,
 * labels, tags, sender, subject, the text and rules of its first message.
 */
gboolean	 store_urgent_load(struct store *, gint64 request_id, struct request *r,
		    GError **err);

#endif
