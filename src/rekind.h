/*
 * rekind.h: the kind stage run once over the requests stored before mail
 * kinds existed (the schema step adding them); see rekind.c.
 */
#ifndef GUICHET_REKIND_H
#define GUICHET_REKIND_H

#include "setup.h"
#include "store.h"

/*
 * When the store asks for it (once, after the upgrade), give each stored
 * request the kind of its first mail, in one durable transaction, and
 * report how many left the figures.  TRUE when nothing was pending.
 */
gboolean	 rekind_pending(struct store *, const struct setup *, GError **err);

#endif
