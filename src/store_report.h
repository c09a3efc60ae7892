/*
 * store_report.h: what the annual report reads from the store beyond the
 * requests (store_report.c): the delegate's comment of a year, kept in
 * `meta` and replaced by each new one, and the mail that counts as no
 * request.  All memory returned belongs to the caller.
 */
#ifndef GUICHET_STORE_REPORT_H
#define GUICHET_STORE_REPORT_H

#include <glib.h>
#include "store.h"

/* The comment of year, NULL when none (or st NULL). */
char		*store_comment_get(struct store *, int year);
/* Set (replace) the comment of year; text "" removes it. */
gboolean	 store_comment_set(struct store *, int year, const char *text, GError **err);

/* Mail received in [from, to) that is no request, by what it is. */
struct uncounted {
	gint64		 commands;	/* the delegate's command mails (kind command) */
	gint64		 robots;	/* automatic mail, bounces, lists (kind robot) */
	gint64		 spam;		/* kind spam */
	gint64		 own;		/* guichet's own mail come back (kind own) */
	gint64		 thanks;	/* follow-ups that joined no request */
	gint64		 quarantined;	/* too large, unreadable, ... */
};
gboolean	 store_uncounted(struct store *, gint64 from, gint64 to, struct uncounted *,
		    GError **err);

#endif
