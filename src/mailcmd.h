/*
 * mailcmd.h: commands by mail (guichet(8), COMMANDS BY MAIL).  The
 * delegate writes lines such as `#fermer CHI-2026-0042` or `#stats mars`
 * above whatever they reply to; each verb (French or German) maps onto the
 * action table (actions.h) or onto a report (#rapport, #stats, #aide).
 *
 * A command is obeyed only when the From address is one of the delegate
 * addresses AND the message is authenticated: the topmost
 * Authentication-Results header of the trusted authserv-id shows dkim=pass
 * (header.d or header.i in the sender's domain), spf=pass (smtp.mailfrom
 * in that domain) or auth=pass (smtp.auth the sender's address, or its
 * local part: SMTP AUTH at the trusted server itself), or the
 * per-installation secret appears as a plus
 * address (contact+SECRET@...) in To/Cc/Delivered-To or as [SECRET] in the
 * subject.  Anything else gets a "command-refused" event: from a delegate
 * address it is mail of kind command, refused (kind.h), no request; from
 * any other address an ordinary request.
 *
 * mailcmd_detect and mailcmd_refusal are pure (no I/O).  All memory
 * returned belongs to the caller.
 */
#ifndef GUICHET_MAILCMD_H
#define GUICHET_MAILCMD_H

#include <glib.h>
#include "config.h"
#include "outmail.h"
#include "request.h"
#include "setup.h"
#include "store.h"

enum mailverb_kind {
	MV_ACTION,	/* an action of the table, words as they are */
	MV_LABEL,	/* "label REF field=VALUE" from "#theme REF VALUE" */
	MV_REPORT,	/* #rapport YYYY: the annual report and the canton export */
	MV_STATS,	/* #stats [MONTH [YEAR] | YYYY-MM | YYYY] */
	MV_HELP,	/* #aide */
	MV_COMMENT,	/* #commentaire YYYY, then the text: the annual report's comment */
};

struct mailverb {
	const char	*fr;		/* the French verb, as shown in forms */
	const char	*names;		/* every accepted spelling, lower case, space separated */
	enum mailverb_kind kind;
	const char	*action;	/* action verb (MV_ACTION, MV_LABEL), else NULL */
	const char	*field;		/* label field (MV_LABEL), else NULL */
	const char	*form;		/* the words after the verb, French ("REF DOMAINE") */
	const char	*help;		/* one line, French */
};

struct mailcmd {
	char		*line;		/* the line as written, trimmed */
	char		*word;		/* the verb as written, lower case, without '#' */
	const struct mailverb *verb;	/* NULL: unknown verb */
	GPtrArray	*args;		/* char *: the words after the verb */
};

/* The verb table, ended by a NULL fr; the entry for word (any case) or NULL. */
const struct mailverb	*mailverb_table(void);
const struct mailverb	*mailverb_find(const char *word);

/*
 * The command lines of r's text without quotes (text_clean, else text):
 * lines starting with '#' and a word.  Returns a struct mailcmd * array
 * (unknown verbs included, verb NULL) when at least one verb is known,
 * otherwise NULL: r is then no command mail.
 */
GPtrArray	*mailcmd_detect(const struct request *r);

/*
 * Why r may not command (g_free'd by the caller), or NULL when it may:
 * sender is a delegate address and the message is authenticated as above.
 * secret may be NULL (none configured).  The reason never holds the secret.
 */
char		*mailcmd_refusal(const struct config *, const struct request *r,
		    const char *secret);

/* The command lines of r, one per line (what is kept of a command mail). */
char		*mailcmd_lines(const struct request *r);

/*
 * Detect and authorise r (reads the secret file): sets r->is_command, or
 * r->command_refused for a command mail that may not command.
 */
void		 mailcmd_classify(const struct setup *, struct request *r);

/*
 * Run the commands of r (an authorised command mail) with action_run,
 * inside the caller's open transaction, and build the answer to the
 * sender: one paragraph per command line, what was done or why not with
 * the correct form; #rapport and #stats attach their files.  FALSE with
 * err only for a store failure (the caller rolls back).
 */
gboolean	 mailcmd_run(struct store *, const struct setup *, const struct request *r,
		    gint64 now, struct outmail **answer, GError **err);

/*
 * [from, to) of a #stats period in tz (words as after the verb: none for
 * the current month, "mars", "märz 2026", "2026-03", "03.2026", "2026"),
 * its name ("mars 2026") and a file stem ("2026-03").  now decides the
 * year of a bare month (the last one begun).  FALSE with a French err.
 */
gboolean	 mailcmd_period(GPtrArray *words, GTimeZone *tz, gint64 now,
		    gint64 *from, gint64 *to, char **name, char **stem, GError **err);

/*
 * r is a command mail refused (r->command_refused) from a delegate
 * address: record it for the digest's warning (on request_id, 0: none) and
 * queue, the first time that day, the explanation to that address.  Does
 * nothing for other senders.  Inside the caller's transaction; FALSE with
 * err on a store failure.
 */
gboolean	 mailcmd_refused(struct store *, const struct setup *, const struct request *r,
		    gint64 request_id, gint64 now, GError **err);

#endif
