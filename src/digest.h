/*
 * digest.h: the delegate's digest.  digest.c collects what happened in a
 * period from the store into struct digest; digest_render.c writes it as
 * plain text and as HTML (inline CSS, readable on a phone), in French.
 * Every request of the period appears exactly once, urgent ones first.
 * All memory belongs to the struct digest (digest_free).
 */
#ifndef GUICHET_DIGEST_H
#define GUICHET_DIGEST_H

#include <glib.h>
#include "setup.h"
#include "store.h"

struct digest_req {
	char		*ref;
	gint64		 created;
	char		*requester, *commune, *language, *domain, *topic;
	char		*subject;
	char		*excerpt;	/* first lines of the text, NULL when purged */
	char		*reply;		/* "accusé de réception envoyé", ... */
	gboolean	 urgent;
	char		*status;
	int		 more;		/* follow-ups received in the period (new requests) */
	gint64		 more_last;	/* when the last of them came */
	char		*more_excerpt;	/* its first lines, NULL when purged */
	gint64		 further;	/* messages joined under the flood rule in the period */
};

struct digest_fail {
	char		*kind, *rcpt, *answer, *ref;	/* ref NULL: listed above or none */
	gint64		 created;
};

struct digest_quar {
	gint64		 received;
	char		*from, *subject, *reason;
};

struct digest {
	gint64		 since, until;
	GTimeZone	*tz;
	const struct setup *setup;
	GPtrArray	*fresh;		/* struct digest_req *: urgent first, then by domain, time */
	GPtrArray	*followups;	/* struct digest_req *: older requests written to again */
	GPtrArray	*waiting;	/* struct digest_req *: open, oldest first */
	gint64		 waiting_total;	/* all open requests, also those not listed */
	GPtrArray	*failed;	/* struct digest_fail * */
	GPtrArray	*quarantined;	/* struct digest_quar * */
	GPtrArray	*refused;	/* struct refused * (store_refused.h): forged or unauthenticated commands */
	GPtrArray	*not_counted;	/* struct kind_row * (store_kind.h): robots, spam, own, commands */
	gint64		 urgent;
};

/*
 * Collect since the last digest and queue it for `day` (YYYY-MM-DD) with
 * its period, in one durable transaction; a day already sent is a no-op.
 * What was done is appended to log (French, one line).
 */
gboolean	 digest_queue_day(struct store *, const struct setup *, gint64 now,
		    const char *day, GString *log, GError **err);
/*
 * What digest_more.c adds to a collected digest: the follow-ups of the
 * period's new requests, the refused command mails, urgent requests first
 * among those still waiting.
 */
gboolean	 digest_collect_more(struct store *, struct digest *, GError **err);
/* The refused command mails as a warning block (text or HTML) appended to o. */
void		 digest_refused_text(const struct digest *, GString *o);
void		 digest_refused_html(const struct digest *, GString *o);
/* The follow-ups of a new request, appended under it (text or HTML). */
void		 digest_more_text(const struct digest *, const struct digest_req *, GString *o);
void		 digest_more_html(const struct digest *, const struct digest_req *, GString *o);
/* Follow-ups received in the period, whether their request is new or older. */
gint64		 digest_followups_count(const struct digest *);

/* TRUE when nothing new happened (no request, follow-up, failure, quarantine, other mail). */
gboolean	 digest_empty(const struct digest *);

/* The subject, the plain text and the HTML (g_free'd by the caller). */
char		*digest_subject(const struct digest *);
char		*digest_text(const struct digest *);
char		*digest_html(const struct digest *);

#endif
