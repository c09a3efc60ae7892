/*
 * actions_priv.h: what actions.c hands to the verbs of view.c (list, show,
 * timelog).  Private to those two files.
 */
#ifndef GUICHET_ACTIONS_PRIV_H
#define GUICHET_ACTIONS_PRIV_H

#include "actions.h"

struct actx {
	struct store		*st;
	const struct setup	*setup;
	GTimeZone		*tz;
	gint64			 now;
	GPtrArray		*pos;	/* char *: positional words */
	GHashTable		*opt;	/* KEY -> VALUE */
	GString			*out;
};

/* The id of request ref (any case); sets NOTFOUND when there is none. */
gint64		 actx_request(struct actx *, const char *ref, GError **err);

gboolean	 view_list(struct actx *, GError **err);
gboolean	 view_show(struct actx *, GError **err);
gboolean	 view_timelog(struct actx *, GError **err);
/* actions_kind.c: count a stored mail as a request, or a request as none. */
gboolean	 kind_promote(struct actx *, GError **err);
gboolean	 kind_demote(struct actx *, GError **err);

#endif
