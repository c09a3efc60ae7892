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

/*
 * Mark request id urgent (a follow-up said so) and add tags (char *, may
 * be NULL) to its tags, each once.
 */
gboolean	 store_urgent_mark(struct store *, gint64 request_id, GPtrArray *tags,
		    gint64 now, GError **err);

/*
 * Does an urgent message joining request id call for an alert?  TRUE when
 * the request was never alerted, or its last alert was already handled
 * (seen, reminded) or the request was answered or closed; FALSE while an
 * alert is still waiting (its reminder covers the new message).  Ask
 * before the follow-up reopens the request.
 */
gboolean	 store_urgent_needs_alert(struct store *, gint64 request_id);

struct urgent_due {
	gint64		 request_id;
	gint64		 alerted;	/* time of the "urgent-alert" event */
};
/*
 * Urgent requests still open whose last alert has neither a reminder nor a
 * "seen" event after it: candidates for its one reminder (struct
 * urgent_due, the time of that alert).
 */
GArray		*store_urgent_waiting(struct store *, GError **err);
/*
 * Fill r (a fresh request_new) from request id for the reminder: ref,
 * labels, tags, sender, subject, the text and rules of its first message.
 */
gboolean	 store_urgent_load(struct store *, gint64 request_id, struct request *r,
		    GError **err);

#endif
