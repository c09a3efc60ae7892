/*
 * reply_int.h: what reply.c and reply_vars.c share.
 */
#ifndef GUICHET_REPLY_INT_H
#define GUICHET_REPLY_INT_H

#include "setup.h"
#include "request.h"

/*
 * The variables of every template for r in language lang (char * ->
 * char *, both owned by the table).  Unref it.
 */
GHashTable	*reply_vars(const struct setup *, const struct request *r,
		    const char *lang);

#endif
