/*
 * pipeline.h: the one path every message takes, from the files of
 * `ingest` and from IMAP alike: parse, detect language, classify, decide
 * the reply, then store the message, its request and the outbox rows in
 * one transaction.  The JSON line of ingest/explain prints its result.
 */
#ifndef GUICHET_PIPELINE_H
#define GUICHET_PIPELINE_H

#include <stdio.h>
#include <json-glib/json-glib.h>
#include "setup.h"
#include "store.h"
#include "lang.h"
#include "model.h"

/*
 * Runs the commands of an authorised command mail r inside the open
 * store transaction and builds the one answer (*answer, the caller's).
 * FALSE with err only for a store failure.  The daemon and ingest install
 * mailcmd_run (mailcmd.h); the pipeline itself knows no command.
 */
typedef gboolean (*pipeline_command_fn)(struct store *, const struct setup *,
    const struct request *r, gint64 now, struct outmail **answer, GError **err);

struct pipeline {
	struct setup	*setup;		/* not owned */
	struct store	*store;		/* not owned; NULL for explain without a store */
	struct langid	*lang;		/* not owned */
	pipeline_command_fn run_commands; /* NULL: command mails are kept, not run */
	const struct lmodel *model;	/* not owned; NULL: the rules alone */
};

#define PIPE_DRY_RUN	0x1	/* compute everything, store nothing */
#define PIPE_DURABLE	0x2	/* commit with synchronous=FULL */

struct origin {
	const char	*mailbox;	/* NULL for files */
	gint64		 uidvalidity;
	gint64		 uid;
};

/*
 * Classify r (parse, language, rules, reply decision) without storing.
 * Quarantine reasons end up in r->status/r->reason.  When p->store is
 * set, what the store knows (follow-up, own message, reply counts) is
 * read in one call (store_message_facts) before the stages that compute.
 */
void		 pipeline_classify(struct pipeline *, struct request *r);

/*
 * The labels of r alone: parse (unless done), language, rules; no store,
 * no reply decision, no command.  FALSE when r cannot be parsed (then
 * r->status is REQ_QUARANTINED).  pipeline_classify runs the same stages.
 */
gboolean	 pipeline_label(struct pipeline *, struct request *r);

/*
 * The stages of pipeline_classify that need no store, ahead of it: parse,
 * command detection, language, rules, model.  pipeline_classify and
 * pipeline_process then skip them for r; their result is the same.  Safe
 * to run in another thread than the one that stores, one request at a
 * time per pipeline (ingest reads and labels the next files while the
 * previous ones are stored).
 */
void		 pipeline_prelabel(struct pipeline *, struct request *r);

/*
 * Classify and store r in one transaction (with mailbox position when
 * origin->mailbox is set).  Returns FALSE only on a fatal store error.
 * Called inside a transaction of the caller (a group commit), it adds to
 * it, and a store error rolls the caller's whole transaction back.
 */
gboolean	 pipeline_process(struct pipeline *, struct request *r,
		    const struct origin *, int flags, GError **err);

/* The result as JSON (keys of ingest --json; explain adds "explain"). */
JsonNode	*pipeline_to_json(const struct request *r, gboolean explain);
/* Time per stage when GUICHET_PROFILE is set (make bench). */
void		 pipeline_profile_report(FILE *);

#endif
