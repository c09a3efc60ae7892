/*
 * guard.h: the daemon's guards.
 *
 * The instance lock: flock on "<store>.lock", so only one `guichet run`
 * works on a store; a second one is told and exits.
 *
 * The crash guard: before a message goes through the pipeline, the store's
 * meta table notes which message (folder, UIDVALIDITY, UID) and which
 * process.  When processes die on the same message GUARD_TRIES times in a
 * row (a parser crash, an out-of-memory kill), the next one quarantines it
 * unread instead of dying again, so one message never blocks the folder.
 */
#ifndef GUICHET_GUARD_H
#define GUICHET_GUARD_H

#include <glib.h>
#include "request.h"
#include "store.h"

#define GUARD_TRIES	3

/* Take "<store_path>.lock"; returns its fd, or -1 with err (exit 1). */
int		 guard_lock(const char *store_path, GError **err);

/*
 * Note that uid of folder is being processed; returns the attempt number
 * (1 for the first; a retry by the same process does not count).
 */
int		 guard_inflight(struct store *, const char *folder, guint32 uidvalidity,
		    guint32 uid);

/* Mark r quarantined unread after deaths processes died on it. */
void		 guard_quarantine_unread(struct request *r, int deaths);

#endif
