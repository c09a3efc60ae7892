/*
 * store_refused.h: command mails refused for authentication in the store
 * (store_refused.c): their event, the once-a-day explanation, and the list
 * the digest warns about.  All memory returned belongs to the caller.
 */
#ifndef GUICHET_STORE_REFUSED_H
#define GUICHET_STORE_REFUSED_H

#include <glib.h>
#include "store.h"

#define REFUSED_EVENT	"command-unauthenticated"	/* events.kind */
#define REFUSED_PERIOD	"refusal-notice"		/* periods.kind, one a day */

/* One refused command mail of a period. */
struct refused {
	gint64		 time;
	char		*ref;		/* the request it was kept as, NULL: none */
	char		*subject;	/* NULL when none or purged */
	char		*detail;	/* why (technical, for the log and `show`) */
};

/* The event of a refused command mail (request_id 0: kept as no request). */
gboolean	 store_refused_add(struct store *, gint64 request_id, const char *detail,
		    gint64 now, GError **err);
/*
 * Claim kind/period in `periods` (once ever): *first TRUE when this call
 * claimed it, FALSE when it was already taken.
 */
gboolean	 store_period_claim(struct store *, const char *kind, const char *period,
		    gint64 now, gboolean *first, GError **err);
/* The refused command mails of [since, until), oldest first; struct refused *. */
GPtrArray	*store_refused_list(struct store *, gint64 since, gint64 until, GError **err);

/*
 * Follow-ups of request ref received in [since, until) (its first message
 * not counted): how many, when the last came and its text (NULL: purged).
 */
gboolean	 store_followups_in(struct store *, const char *ref, gint64 since, gint64 until,
		    int *n, gint64 *last, char **last_text, GError **err);

#endif
