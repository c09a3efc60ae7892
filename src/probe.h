/*
 * probe.h: what the contact mailbox tells about the installation, for
 * `guichet setup` and `guichet check --connect`: the authserv-id of the
 * Authentication-Results header the receiving server puts on top of real
 * messages, which commands by mail must trust (commands.authserv_id).
 * Read-only: the folder is examined, nothing is flagged or moved.
 */
#ifndef GUICHET_PROBE_H
#define GUICHET_PROBE_H

#include <stdio.h>
#include <glib.h>
#include "config.h"

struct authserv_sample {
	guint		 looked;	/* newest messages examined */
	GHashTable	*seen;		/* authserv-id -> count (owned) */
	char		*best;		/* most frequent, or NULL (owned) */
	guint		 best_n;
	char		*folder;	/* the folder examined (owned) */
};

/* Looks at the newest messages of imap.folder; FALSE with err on a server error. */
gboolean	 probe_authserv_id(const struct config *, struct authserv_sample *, GError **err);
/* "Looked at N messages: Authentication-Results from "X" on top of M" lines. */
void		 probe_authserv_print(const struct authserv_sample *, FILE *);
void		 probe_authserv_clear(struct authserv_sample *);

#endif
