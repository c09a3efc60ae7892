/*
 * authres.h: what the receiving server's Authentication-Results header
 * (RFC 8601) proves about a sender.  Only the topmost header of the
 * trusted authserv-id counts (commands.authserv_id): the receiving server
 * adds its header on top and removes forged copies of its own id, so a
 * header further down, or of another id, is the sender's word only.
 *
 * Used for commands by mail (mailcmd.c) and for the recipient of
 * automatic replies (recipient.c).  Pure: no I/O.
 */
#ifndef GUICHET_AUTHRES_H
#define GUICHET_AUTHRES_H

#include <glib.h>
#include "request.h"

/*
 * Does the topmost Authentication-Results header of authserv_id in r show
 * a pass for domain: dkim (header.d equal to domain, or header.i in it),
 * spf (smtp.mailfrom in domain), dmarc (header.from equal to domain), or
 * auth (smtp.auth equal to addr, or to its local part: a user of the
 * trusted server itself)?  *found (may be NULL) tells whether such a
 * header exists; seen (may be NULL) gets what it held ("dkim=fail spf=none
 * de x.test"); *method (may be NULL) the method that passed ("dkim").
 */
gboolean	 authres_passes(const struct request *r, const char *authserv_id,
		    const char *addr, const char *domain, gboolean *found,
		    GString *seen, const char **method);

#endif
