/*
 * guard.h: the daemon's guards.
 *
 * The instance lock: flock on "<store>.lock", so only one `guichet run`
 * works on a store; a second one is told and exits.
 *
 * The crash guard: before a message goes through the pipeline, the store's
 * meta table notes which message (folder, UIDVALIDITY, UID) and which
 * process.  It tells guichet's own crashes from deaths that come from
 * outside:
 *
 *   - a crash inside guichet (SIGSEGV, SIGBUS, SIGILL, SIGFPE, or SIGABRT
 *     from abort() or from systemd's watchdog after a hang) runs a handler,
 *     on its own stack, that appends "UIDVALIDITY:UID" of the message in
 *     flight to "<store>.crash" and fsyncs it before dying with the signal;
 *   - a SIGTERM (systemctl stop, ExecStop) only asks the daemon to stop
 *     after the message in flight; a SIGKILL, the OOM killer or a power cut
 *     leave no mark.
 *
 * A message on which guichet crashed GUARD_TRIES times is set aside unread
 * (quarantined, raw bytes kept) so one message never blocks the folder.
 * Deaths without a mark do not count toward that; only GUARD_KILLS of them
 * in a row on one message (a message that makes the machine kill guichet
 * each time, say for its memory) set it aside too.
 */
#ifndef GUICHET_GUARD_H
#define GUICHET_GUARD_H

#include <glib.h>
#include "request.h"
#include "store.h"

#define GUARD_TRIES	3	/* own crashes on one message */
#define GUARD_KILLS	10	/* deaths without a crash mark on one message */

/* Take "<store_path>.lock"; returns its fd, or -1 with err (exit 1). */
int		 guard_lock(const char *store_path, GError **err);

/*
 * Open "<store_path>.crash" and install the crash handlers; FALSE with
 * err when the file cannot be opened.  Once per process.
 */
gboolean	 guard_arm(const char *store_path, GError **err);

struct guard_verdict {
	int		 crashes;	/* own crashes on this message so far */
	int		 kills;		/* deaths without a crash mark */
	gboolean	 set_aside;	/* crashes >= GUARD_TRIES or kills >= GUARD_KILLS */
};

/*
 * Note that uid of folder is being processed (a retry by the same process
 * counts nothing) and arm the crash mark for it; fills *v.
 */
void		 guard_inflight(struct store *, const char *folder, guint32 uidvalidity,
		    guint32 uid, struct guard_verdict *v);

/*
 * Batches (daemon.c): guard_inflight notes the first message of a batch;
 * guard_arm_uid arms the crash mark for each message in turn, without
 * writing to the store.  guard_died_at returns the UID noted when another
 * process stopped while processing messages of folder above last_uid (not
 * committed), else 0: up to that UID the daemon goes one message at a time,
 * so that the counts above fall on the message that was in flight.
 */
void		 guard_arm_uid(guint32 uidvalidity, guint32 uid);
guint32		 guard_died_at(struct store *, const char *folder, guint32 uidvalidity,
		    guint32 last_uid);

/* The message in flight is done (stored, or given up): a crash now is not its fault. */
void		 guard_done(void);

/* Mark r quarantined unread, as the verdict says why. */
void		 guard_quarantine_unread(struct request *r, const struct guard_verdict *v);

#endif
