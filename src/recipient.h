/*
 * recipient.h: where an automatic reply may go (guichet(8), WHO GETS AN
 * AUTOMATIC REPLY).  The contact address is public: anyone can write any
 * From and Reply-To, so a reply goes only to an address the sender is
 * shown to hold:
 *
 *   - From, when it agrees with the envelope sender (the Return-Path the
 *     receiving server wrote: same domain, or one inside the other) or the
 *     trusted Authentication-Results (commands.authserv_id) shows dkim, spf
 *     or dmarc passing for its domain (authres.h);
 *   - a Reply-To that differs from From, only under the same proof for the
 *     Reply-To's domain (a Reply-To in From's own domain shares From's
 *     proof); otherwise the reply goes to From;
 *   - nowhere when From is not proven, with the reason stored.
 *
 * A message without any Return-Path (a file given to guichet ingest, a
 * message put in the folder with IMAP APPEND by someone holding the
 * mailbox's password) has no envelope to compare: its From is taken as
 * given, its Reply-To is not.  A server that delivers by SMTP writes the
 * Return-Path on top of every message, so an attacker cannot remove it;
 * where a server writes none, a Return-Path in the message is the
 * sender's own word and proves as little as its absence.
 *
 * An address that parse.c marked unsafe (r->from_unsafe, a group or an
 * encoded word hiding ':' '@' CR LF) never names a recipient, and every
 * recipient is a syntactically valid addr-spec.
 *
 * Pure: no I/O.  All memory returned belongs to the caller.
 */
#ifndef GUICHET_RECIPIENT_H
#define GUICHET_RECIPIENT_H

#include <glib.h>
#include "config.h"
#include "request.h"

/*
 * Choose r's reply recipient: sets r->reply_addr (NULL: nowhere, then
 * r->reply_addr_why says why) and r->reply_addr_note (a Reply-To left
 * aside, and why).  Runs once; later calls do nothing.
 */
void		 recipient_choose(const struct config *, struct request *r);

/* Is addr a syntactically valid addr-spec (RFC 5322 dot-atom@domain, or a quoted local part)? */
gboolean	 addr_spec_valid(const char *addr);

/*
 * The address a person controls, for caps: lower case, the sub-address
 * ("+tag") of the local part removed, the domain's trailing dot removed.
 * NULL when addr is no address.
 */
char		*addr_normalise(const char *addr);

/* The normalised domain of addr (lower case, no trailing dot), or NULL. */
char		*addr_domain(const char *addr);

/*
 * Is domain exempt from the per-domain cap (limits.domain_cap_exempt, or
 * the built-in list of big mail providers when that key is absent)?
 */
gboolean	 recipient_domain_exempt(const struct config *, const char *domain);

#endif
