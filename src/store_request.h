/*
 * store_request.h: requests, their messages, events and mailbox positions
 * (store_request.c).  Functions that write run inside the caller's
 * transaction.  Strings returned are the caller's (g_free).
 */
#ifndef GUICHET_STORE_REQUEST_H
#define GUICHET_STORE_REQUEST_H

#include <glib.h>
#include "kind.h"
#include "request.h"
#include "vocab.h"

struct store;

/* TRUE when a message with this dedup key is already stored. */
gboolean	 store_has_message(struct store *, const char *dedup_key, GError **err);

/*
 * The request r follows up, by reference in subject or by In-Reply-To /
 * References naming a stored message; 0 when none.  *ref (when not NULL)
 * gets its reference (g_free), NULL when none.
 */
gint64		 store_find_followup(struct store *, const struct request *r, char **ref);

/*
 * What the store knows about an incoming message r (parsed, its reply
 * address chosen: recipient_choose), gathered in one call before the
 * stages that compute, so that these need no store.
 */
struct message_facts {
	struct kind_facts kind;		/* for kind_decide (kind.h); its refs point below */
	char		*open_ref, *latest_ref;	/* the sender's latest (open) request */
	gint64		 followup;	/* the request it follows up, 0 none */
	char		*followup_ref;	/* its reference (owned), NULL none */
	gboolean	 own_message;	/* its Message-ID is one guichet sent */
	int		 sender_24h;	/* automatic replies to its sender in 24 h */
	int		 global_1h;	/* automatic replies to anyone in the last hour */
	int		 domain_24h;	/* automatic replies to its domain in 24 h */
};
void		 store_message_facts(struct store *, const struct request *r, gint64 now,
		    gint64 flood_window, struct message_facts *out);
void		 message_facts_clear(struct message_facts *);

/* New request row from r's labels; assigns r->ref and r->request_id. */
gboolean	 store_insert_request(struct store *, struct request *r, gint64 now, GError **err);
/*
 * The inbound message row (stored or quarantined); mailbox/uid may be
 * NULL/0.  Returns the new row's id, 0 on error (err set).
 */
gint64		 store_insert_message(struct store *, struct request *r,
		    const char *mailbox, gint64 uidvalidity, gint64 uid, gint64 now, GError **err);
/* Message id keeps text only: raw bytes cleared (command mails). */
gboolean	 store_message_keep_text(struct store *, gint64 id, const char *text, GError **err);
/* Follow-up: status back to open, event logged. */
gboolean	 store_reopen(struct store *, gint64 request_id, gint64 now, GError **err);

/* An event of request_id (0: of no request). */
gboolean	 store_event(struct store *, gint64 request_id, const char *kind,
		    const char *detail, gint64 now, GError **err);

/* Mailbox position. FALSE with no row: *uidvalidity = *last_uid = 0. */
gboolean	 store_mailbox_get(struct store *, const char *name, gint64 *uidvalidity, gint64 *last_uid);
gboolean	 store_mailbox_set(struct store *, const char *name, gint64 uidvalidity, gint64 last_uid, GError **err);

/* TRUE when the last message stored from (mailbox, uidvalidity, uid) was quarantined. */
gboolean	 store_message_quarantined(struct store *, const char *mailbox,
		    gint64 uidvalidity, gint64 uid);

/* The ref of the request holding the message with this dedup key, or NULL. */
char		*store_message_ref(struct store *, const char *dedup_key);
/* Update requests.reply/reply_reason from r (after a failed reply build). */
gboolean	 store_set_reply(struct store *, const struct request *r, GError **err);

/* The reference of request id, or NULL. */
char		*store_request_ref(struct store *, gint64 id);
/*
 * Request id answered at when (not before its creation): open -> answered,
 * closed stays closed; *changed says whether the row changed (then the
 * caller logs the event).
 */
gboolean	 store_mark_answered(struct store *, gint64 id, gint64 when, gint64 now,
		    gboolean *changed, GError **err);

/* The stored status of request id ("open", ...), or NULL when there is none. */
char		*store_request_status(struct store *, gint64 id);
/*
 * Request id to state at now: closed sets closed = now, open clears it;
 * updated = now.  No event (the caller writes it).
 */
gboolean	 store_request_set_state(struct store *, gint64 id, enum req_state,
		    gint64 now, GError **err);
/* Request id's updated = now. */
gboolean	 store_request_touch(struct store *, gint64 id, gint64 now, GError **err);

/*
 * A request's labels as stored, in this order: domain, topic, requester,
 * commune, language, urgent ("yes"/"no"); NULL for an empty one.
 */
enum store_label {
	SL_DOMAIN, SL_TOPIC, SL_REQUESTER, SL_COMMUNE, SL_LANGUAGE, SL_URGENT,
	STORE_NLABELS
};
/* Fills v (g_free each) when request id exists; FALSE only on a store error. */
gboolean	 store_request_labels(struct store *, gint64 id, char *v[STORE_NLABELS],
		    GError **err);
/* Sets all six (updated = now). */
gboolean	 store_request_set_labels(struct store *, gint64 id,
		    char *const v[STORE_NLABELS], gint64 now, GError **err);

/* Look up a request id by reference; 0 when none. */
gint64		 store_request_by_ref(struct store *, const char *ref);

#endif
