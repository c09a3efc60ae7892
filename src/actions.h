/*
 * actions.h: the delegate's verbs on stored requests, as ONE table shared by
 * the command line (list, show, close, note, label, log) and by commands
 * sent by mail (#fermer REF, #domaine REF langue, #temps 45 entretien REF,
 * #note REF ...).  Each verb validates its arguments itself, so both ways
 * in obey the same rules, and writes in one store transaction with an
 * event in the request's audit trail.
 *
 * Arguments are words: positional ones, and KEY=VALUE for the keys a verb
 * names (anything else, "=" included, stays positional text).
 *   list     [status=S] [domain=D] [since=TIME] [limit=N]
 *   show     REF
 *   close    REF                         (#fermer)
 *   reopen   REF                         (#rouvrir)
 *   note     REF TEXT...                 (#note)
 *   seen     REF                         (#vu: the urgent alert was seen, no reminder)
 *   label    REF FIELD=VALUE...          (#etiquette) fields: domain topic
 *            requester commune language urgent (yes|no); "-" clears
 *   domain   REF CODE                    (#domaine)
 *   time     MINUTES KIND [REF] [date=YYYY-MM-DD] [note=TEXT] [request=REF]
 *                                        (#temps; the words in any order)
 *   timelog  [from=DATE] [to=DATE]       (#journal)
 * Output (French, for the delegate) is appended to out.
 */
#ifndef GUICHET_ACTIONS_H
#define GUICHET_ACTIONS_H

#include <glib.h>
#include "setup.h"
#include "store.h"

struct action {
	const char	*verb;		/* "close" */
	const char	*mail_verb;	/* "fermer" (#fermer), NULL: not by mail */
	const char	*usage;		/* "REF" */
	const char	*summary;	/* one line, French */
	int		 min_args;	/* positional words */
	int		 max_args;	/* -1: any number */
	const char	*options;	/* accepted KEY= names, space separated */
	gboolean	 writes;	/* changes the store */
};

/* The entry for verb or mail verb (case-insensitive), NULL when unknown. */
const struct action	*action_find(const char *verb);

/*
 * Run verb with argv[0..argc-1] (the words after the verb).  now is the
 * time recorded (0: the current time).  FALSE with err on failure: code
 * GUICHET_ERROR_USAGE for bad arguments, _NOTFOUND for an unknown
 * reference, _CONFIG for a value outside the taxonomy, _STORE otherwise;
 * nothing is changed then.  Called inside a transaction of the caller's
 * (a command mail stored with its reply), it works in a savepoint and
 * commits nothing itself; otherwise it commits its own transaction.
 */
gboolean	 action_run(struct store *, const struct setup *, const char *verb,
		    int argc, char **argv, GString *out, GError **err);


#endif
