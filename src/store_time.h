/*
 * store_time.h: the time log in the store (store_time.c).  An entry linked
 * to a request counts under that request's domain and topic as they are
 * now, so a corrected label moves its time too; an entry without a request
 * carries its own domain (and topic), given when it was logged.
 * All memory returned belongs to the caller.
 */
#ifndef GUICHET_STORE_TIME_H
#define GUICHET_STORE_TIME_H

#include <glib.h>
#include "store.h"

/* One (kind, domain, topic, month) cell of the time log. */
struct time_cell {
	char		*kind;		/* entretien, permanence, ... */
	char		*domain;	/* NULL: not classified */
	char		*topic;		/* NULL: none */
	char		*month;		/* YYYY-MM */
	gint64		 entries;
	gint64		 minutes;
};

/*
 * The cells of the entries dated [from, to) (YYYY-MM-DD), struct time_cell *;
 * g_ptr_array_unref frees them all.  NULL with err on a store failure.
 */
GPtrArray	*store_time_cells(struct store *, const char *from, const char *to,
		    GError **err);

/*
 * Add one entry.  request_id 0: none, then domain and topic (may be NULL)
 * are the entry's own; with a request they are copied from it (kept should
 * the request be forgotten) and domain/topic are ignored.
 */
gboolean	 store_time_add(struct store *, const char *date, long minutes,
		    const char *kind, gint64 request_id, const char *domain,
		    const char *topic, const char *note, gint64 now, GError **err);

#endif
