/*
 * reply_int.h: what reply.c and reply_vars.c share.
 */
#ifndef GUICHET_REPLY_INT_H
#define GUICHET_REPLY_INT_H

#include "setup.h"
#include "request.h"

/*
 * The variables of every template for r in language lang (char * ->
 * char *, both owned by the table).  Unref it.  to_sender: for a reply to
 * the sender, who gets back nothing of theirs beyond what recognises the
 * message (reply_safe_subject, reply_safe_name, no excerpt).
 */
GHashTable	*reply_vars(const struct setup *, const struct request *r,
		    const char *lang, gboolean to_sender);

#endif
