/*
 * store_setaside.h: messages the crash guard set aside (guard.h).  Such a
 * message is quarantined unread with its raw bytes, marked with the
 * version of guichet that set it aside; the bytes are kept (retention
 * does not purge them) until the delegate decides.  After an upgrade the
 * daemon tries each of them once more (retried_by marks the try before it
 * starts, so a crash during the try never loops).
 * All memory returned belongs to the caller.
 */
#ifndef GUICHET_STORE_SETASIDE_H
#define GUICHET_STORE_SETASIDE_H

#include <glib.h>
#include "store.h"

struct set_aside {
	gint64		 id;		/* messages.id */
	guint8		*raw;		/* g_free */
	gsize		 len;
	char		*by;		/* version that set it aside */
};

/* Mark the message row with dedup_key as set aside by version (inside the caller's transaction). */
gboolean	 store_set_aside_mark(struct store *, const char *dedup_key, const char *version,
		    GError **err);

/*
 * The set-aside messages not yet retried, set aside by another version
 * than version: struct set_aside *, oldest first; NULL with err.
 */
GPtrArray	*store_set_aside_due(struct store *, const char *version, GError **err);

/* Note that version is retrying id (committed before the try). */
gboolean	 store_set_aside_retried(struct store *, gint64 id, const char *version,
		    GError **err);

/* The try stored the message anew: the set-aside row goes. */
gboolean	 store_set_aside_drop(struct store *, gint64 id, GError **err);

#endif
