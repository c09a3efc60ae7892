/*
 * claim.h: one installation per mailbox.  The lock on "<store>.lock"
 * (guard.h) keeps two daemons off one store; two installations with their
 * own stores on one mailbox would split its messages and answer twice.
 * So each daemon claims the mailbox on the server itself: a marker
 * message in a folder of its own (imap.claim_folder, "Guichet/Instance")
 * naming the installation (an instance id kept in its store, the host,
 * the process, the store) and a heartbeat, renewed every CLAIM_BEAT
 * seconds by appending a fresh marker and removing the old one.
 *
 * A claim whose heartbeat is older than claim_stale_after() is stale (its
 * daemon was killed, the machine lost) and is taken over; so is one made on
 * this host by a process that no longer exists.  A live claim of
 * another instance id makes the daemon refuse the mailbox, saying which;
 * the same instance id (the same store, restarted) takes its claim back at
 * once.  Two daemons starting together both append: the older marker
 * (lower UID) wins, the other removes its own and refuses.
 *
 * IMAP METADATA (RFC 5464) would hold the claim without a message, but
 * libetpan 1.9 has no METADATA command; a marker message works on every
 * server.  Each call selects the claim folder: the caller selects its own
 * folder again afterwards.  All memory returned belongs to the caller.
 */
#ifndef GUICHET_CLAIM_H
#define GUICHET_CLAIM_H

#include <glib.h>
#include "config.h"
#include "imap.h"

#define CLAIM_BEAT	60	/* seconds between heartbeats */

struct claim_holder {
	char		*instance;	/* instance id */
	char		*host;
	char		*store;
	long		 pid;
	gint64		 heartbeat;	/* unix seconds */
	guint32		 uid;		/* of the marker */
};

void		 claim_holder_free(struct claim_holder *);
typedef struct claim_holder ClaimHolder;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ClaimHolder, claim_holder_free)

/*
 * The live claim of another instance than instance (NULL: of anyone), or
 * NULL when there is none; FALSE with err on an IMAP failure.  Changes
 * nothing on the server (EXAMINE; a missing folder is no claim).
 */
gboolean	 claim_read(struct imap *, const struct config *, const char *instance,
		    struct claim_holder **holder, GError **err);

/*
 * Claim the mailbox for instance (or renew the claim: the heartbeat).
 * FALSE with err GUICHET_ERROR_CLAIMED "the mailbox is held by ..." when
 * another live instance holds it; other errors are IMAP failures.
 */
gboolean	 claim_take(struct imap *, const struct config *, const char *instance,
		    const char *store_path, GError **err);

/* Remove instance's markers (a clean stop).  Errors are only logged. */
void		 claim_release(struct imap *, const struct config *, const char *instance);

/* "instance 3f2a… on host mail1, pid 812, store /var/lib/guichet/guichet.db, heartbeat 12 s ago" */
char		*claim_describe(const struct claim_holder *, gint64 now);

#endif
