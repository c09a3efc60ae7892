/*
 * privacy_int.h: helpers shared by privacy.c and privacy_access.c.
 */
#ifndef GUICHET_PRIVACY_INT_H
#define GUICHET_PRIVACY_INT_H

#include <glib.h>
#include "store.h"

/*
 * Run one statement; ?1 is bound to text when nparam is 1 and text is
 * set, else to value.  Returns the first column of the first row when
 * want_count, else the number of rows changed; -1 with err on failure.
 */
gint64		 privacy_run(struct store *, const char *sql, int nparam,
		    const char *text, gint64 value, gboolean want_count, GError **err);

/*
 * Fill temp.forget_req, temp.forget_msg and temp.forget_out with the ids
 * of the requests, messages and outbox rows of addr (lower case) or of
 * its sender key.
 */
gboolean	 privacy_select(struct store *, const char *addr, const char *key,
		    GError **err);

/* The address as matched (no <>, lower case), or NULL when not one. g_free. */
char		*privacy_address(const char *arg);

#endif
