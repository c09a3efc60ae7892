/*
 * kind.h: what an inbound mail is, decided before anything else by one
 * stage: a request (a person asks something), a follow-up of an open
 * request, a robot (bounce, delivery or read receipt, auto-reply, list or
 * newsletter mail, calendar invitation, machine notice), spam, guichet's
 * own mail, or a delegate's command mail.  Only a request gets a
 * reference, an acknowledgment and a place in the figures
 * (guichet-kinds(7)).
 *
 * No I/O: the caller passes what the store knows in struct kind_facts.
 * Strings set in the request belong to it; every other string returned
 * is static.  The kinds, their stored and French names: vocab.h.
 */
#ifndef GUICHET_KIND_H
#define GUICHET_KIND_H

#include "config.h"
#include "request.h"
#include "vocab.h"

struct kind_facts {
	gboolean	 own_message;	/* the Message-ID is one guichet sent */
	gint64		 followup_id;	/* request named by reference or In-Reply-To, 0 none */
	int		 sender_recent;	/* requests this sender opened within the flood window */
	gint64		 latest_open_id; /* the sender's latest open request, 0 none */
	const char	*latest_open_ref;
	gint64		 latest_id;	/* the sender's latest request of the last 30 days */
	const char	*latest_ref;
};

/*
 * Decide r->kind and r->kind_reason (and r->flood, r->thanks, and for a
 * follow-up r->request_id and r->ref) from r's headers, text and facts.
 * facts may be NULL (no store: no follow-ups, no flood rule).  A mail
 * of the delegate that mailcmd.c took for a command (r->is_command or
 * r->command_refused) is a command.  When in doubt, a request: a
 * person's mail must never be lost to a figure.
 */
void		 kind_decide(const struct config *, struct request *r,
		    const struct kind_facts *facts);

/*
 * TRUE when r opens a request or joins one (a follow-up with a request);
 * every other mail is stored alone, never answered, in no figure.
 */
gboolean	 kind_joins_request(const struct request *r);

/* The reason of a kind (kind_reason as stored) in French, for the digest. */
const char	*kind_reason_fr(const char *reason);

/* TRUE when text (without quotes) only thanks or closes and asks nothing. */
gboolean	 kind_is_thanks(const char *text);

#endif
