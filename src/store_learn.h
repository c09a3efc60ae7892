/*
 * store_learn.h: what the learned model reads from the store
 * (store_learn.c): the requests whose labels the delegate corrected.
 */
#ifndef GUICHET_STORE_LEARN_H
#define GUICHET_STORE_LEARN_H

#include <glib.h>
#include "store.h"

/* One corrected request; every pointer is valid during the callback only. */
struct correction {
	const char	*ref;
	const char	*domain, *topic, *requester;	/* current labels */
	gboolean	 urgent;
	const char	*fields;	/* the 'label' events' details, ", " joined */
	const void	*raw;		/* first inbound message, NULL once purged */
	gsize		 raw_len;
};

/*
 * Call fn for every request with at least one 'label' event (command
 * line or mail) whose first message is still stored; forgotten requests
 * are gone and purged ones have no text, so neither is returned.
 */
gboolean	 store_each_correction(struct store *,
		    void (*fn)(const struct correction *, gpointer), gpointer data,
		    GError **err);
/* Number of 'label' events, and the id of the last one (0 when none). */
gint64		 store_label_events(struct store *, gint64 *last_id);

#endif
