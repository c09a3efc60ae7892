/*
 * daemon_int.h: what daemon.c (the loop) and daemon_fetch.c (the contact
 * folder's new messages) share.  Private to the daemon.
 */
#ifndef GUICHET_DAEMON_INT_H
#define GUICHET_DAEMON_INT_H

#include <signal.h>
#include "cmd.h"
#include "imap.h"
#include "lang.h"
#include "pipeline.h"
#include "setup.h"
#include "smtp.h"

struct daemon {
	struct globals	*g;
	struct setup	*setup;
	struct store	*store;
	char		*store_path;
	gint64		 next_schedule;	/* next look at the scheduled reports */
	struct langid	*lang;
	struct pipeline	 pipe;
	struct imap	*imap;
	gboolean	 once;
	int		 backoff;	/* seconds of the next wait after a failure */
	char		*last_message;	/* "INBOX UID 42 CHI-2026-0042", for STATUS */
	char		*instance;	/* this installation's id (claim.h), from the store */
	gint64		 claim_beat;	/* last heartbeat of the claim */
	gboolean	 claimed;	/* the mailbox claim is ours */
	gboolean	 claim_refused;	/* another installation holds it: stop */
	gboolean	 retried;	/* set-aside messages tried again (once per process) */
	gint64		 last_uid;	/* position of the contact folder */
	gint64		 next_purge;
	gint64		 next_remind;	/* next urgent reminder due, 0 none */
	struct lmodel	*model;		/* NULL: the rules alone */
	gboolean	 model_tried;	/* loaded or trained once since start */
	gint64		 next_learn;	/* the nightly retraining */
	gint64		 learned_labels; /* 'label' events when the model was trained */
	gint64		 learning_labels; /* the same for the training under way */
	pid_t		 learner;	/* the training child, 0 none */
	const char	*learner_why;	/* static */
	int		 lock_fd;	/* the store's lock (guard.h), closed in the child */
	gboolean	 idle_refused;	/* the server refused IDLE on this connection */
	gboolean	 sent_more;	/* the Sent folder has more to read: no waiting */
	struct smtp_session *smtp;	/* kept across drains while busy */
	int		 smtp_backoff;	/* seconds, after a failed connection to the SMTP server */
	gint64		 smtp_next;	/* no connection attempt before */
	guint64		 watchdog_usec;
	gint64		 last_watchdog;
};

extern volatile sig_atomic_t got_term;	/* SIGTERM/SIGINT: stop after the message in flight */

/* Send what the outbox holds that is due; logs failures, never fatal. */
void		 drain_outbox(struct daemon *);
/* STATUS= line for systemd. */
void		 notify_status(struct daemon *);

/* Move or flag uid as done (quarantined: to the quarantine folder). */
gboolean	 daemon_dispose(struct daemon *, guint32 uid, gboolean quarantined, GError **err);

/*
 * Fetch, store and dispose of the new messages uids (ascending) of the
 * selected contact folder, in batches: one UID FETCH, one durable commit,
 * one UID MOVE per batch.  FALSE with err when the connection or the store
 * failed (then nothing of the batch was moved).
 */
gboolean	 daemon_process_new(struct daemon *, const char *folder, guint32 uidvalidity,
		    GArray *uids, GError **err);

#endif
