/*
 * urgent.h: the urgent path once a request is urgent (detection is the
 * rules' and the model's business): which situation it is (the urgency
 * families, from the tags the rules set), what the sender is told to do
 * now (the partner directory's entries of that kind), when the desk opens
 * again, and when an unanswered alert is repeated.  No I/O.
 *
 * All memory returned belongs to the caller unless stated otherwise.
 */
#ifndef GUICHET_URGENT_H
#define GUICHET_URGENT_H

#include <glib.h>
#include "config.h"
#include "request.h"
#include "rules.h"

/*
 * The situations, most specific first: the first one present is the
 * request's main situation.  "general" when no family is known.
 */
enum urgency {
	URG_VIOLENCE	= 1 << 0,	/* violence, threats: 117/144/112, LAVI */
	URG_CHILD	= 1 << 1,	/* a child in danger: 117/144/112, 147 */
	URG_HEALTH	= 1 << 2,	/* medical emergency: 144/112 */
	URG_DISTRESS	= 1 << 3,	/* suicidal thoughts, despair: 143, 147 */
	URG_SHELTER	= 1 << 4,	/* no roof tonight, eviction */
	URG_DANGER	= 1 << 5,	/* danger, fear, someone missing: 117/112 */
	URG_DEADLINE	= 1 << 6,	/* a time limit within days */
	URG_GENERAL	= 1 << 7,	/* urgent, situation not known */
};
#define URG_N	8

/* The bit of a code, 0 when unknown. */
guint		 urgency_bit(const char *name);
/*
 * The families of a request from its tags ("urgent:violence" from the
 * urgency rules, "urgency:shelter" from the family rules); URG_GENERAL
 * when none is known.  0 when not urgent.
 */
guint		 urgency_of_request(const struct request *);
/* The same from the comma-separated tags column of the store. */
guint		 urgency_of_tagstr(gboolean urgent, const char *tags);
/* "violence,child": the families, most specific first ("" for 0). */
char		*urgency_label(guint set);
/* The families in French for the delegate ("violence ; enfant en danger"). */
char		*urgency_label_fr(guint set);

/*
 * The directory entries for what to do now in situations `set`: entries
 * whose `urgency` list names one of them, never a to_fill one, each once,
 * phone number first, then what the service is in lang (its `about`).
 * "" when none.
 */
char		*urgent_partners(const struct ruleset *, guint set, const char *lang);

/*
 * The office hours as the urgent path needs them.  TRUE when the desk's
 * next opening is known: *open_now says whether it is open at `now`,
 * *next its next opening (or now).  FALSE when the hours are only free text.
 */
gboolean	 urgent_next_open(const struct config *, gint64 now,
		    gboolean *open_now, gint64 *next);
/*
 * When an alert sent at `alerted` becomes due for its one reminder:
 * escalate_after seconds later when the desk is open then (or its hours
 * are not known), else that long after the next opening.
 */
gint64		 urgent_reminder_due(const struct config *, gint64 alerted);

struct store;
struct setup;
/*
 * Queue the reminders that are due at `now` (urgent_remind.c, the one
 * part of the urgent path that touches the store).  Returns when the next
 * one falls due (Unix seconds), 0 when none is pending, -1 with err on a
 * store failure.
 */
gint64		 urgent_remind(struct store *, const struct setup *, gint64 now,
		    GError **err);

#endif
