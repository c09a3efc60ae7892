/*
 * decide.h: may guichet answer this message automatically?  RFC 3834 and
 * the caps.  No I/O: the caller passes what the store knows.
 */
#ifndef GUICHET_DECIDE_H
#define GUICHET_DECIDE_H

#include "config.h"
#include "request.h"

struct reply_facts {
	gboolean	 own_message;	/* In-Reply-To/References/Message-ID is one of ours */
	int		 sender_24h;	/* automatic replies to this sender in the last 24 h */
	int		 global_1h;	/* automatic replies to anyone in the last hour */
	int		 domain_24h;	/* automatic replies to the recipient's domain in 24 h */
};

/*
 * TRUE when r comes from a robot, a bounce, a list or ourselves and must
 * never get an automatic reply; *reason then names why ("auto-submitted",
 * "list", "bounce", ...). *reason is static.
 */
gboolean	 decide_is_robot(const struct config *, const struct request *r,
		    const char **reason);

/*
 * Why r is guichet's own mail (from the contact, envelope sender, digest
 * or a delegate address; one of our Message-IDs; our X-Loop), or NULL.
 * Static string.  kind.c tells "own" mail from robots with it.
 */
const char	*decide_own_reason(const struct config *, const struct request *r);

/*
 * Final reply decision on top of what the rules asked (r->reply):
 * sets r->reply to REPLY_ACK, REPLY_ORIENTATION or REPLY_NONE and r->reply_reason.
 * An urgent request gets REPLY_ACK (the urgent acknowledgment, urgent.h).
 */
void		 decide_reply(const struct config *, struct request *r,
		    const struct reply_facts *);

#endif
