/*
 * vocab.h: the words guichet stores and shows, in one place.  Each enum
 * has its stored form (what the store, the rules and the JSON lines
 * write) and its French form (what the delegate reads) in one table in
 * vocab.c.  Every string returned is static: never freed, never NULL
 * unless stated.
 */
#ifndef GUICHET_VOCAB_H
#define GUICHET_VOCAB_H

#include <glib.h>

/* Labels a message gets when no rule decided. */
#define VOCAB_DOMAIN_DEFAULT	"autre"
#define VOCAB_REQUESTER_DEFAULT	"inconnu"
#define VOCAB_LANGUAGE_UNKNOWN	"und"
/* The canton's "primo-information": information requests of migrants. */
#define VOCAB_NEWCOMER_DOMAIN	"information"
#define VOCAB_NEWCOMER_REQUESTER "migrant"

/* The kinds of time log entries, in their usual order, NULL-terminated. */
extern const char *const vocab_time_kinds[];

/*
 * What guichet sends (or decided not to send): the reply decision of a
 * message (none, ack, orientation, command) and the kind of each outbox
 * row (all but none).
 */
enum reply_kind {
	REPLY_UNSET = 0,	/* not decided yet; stored form NULL */
	REPLY_NONE,		/* "none": no automatic reply */
	REPLY_ACK,		/* "ack": acknowledgment */
	REPLY_ORIENTATION,	/* "orientation": acknowledgment with an orientation */
	REPLY_COMMAND,		/* "command": answer to a delegate's command mail */
	REPLY_FORWARD,		/* "forward": a copy to a partner service */
	REPLY_NOTICE,		/* "notice": the urgent notice to the delegate */
	REPLY_DIGEST,		/* "digest": the daily digest */
	REPLY_REPORT,		/* "report": the monthly figures, the annual report */
	REPLY_KIND_N
};
/* Stored form ("ack"); NULL for REPLY_UNSET. */
const char	*reply_kind_str(enum reply_kind);
/* French form ("accusé de réception"). */
const char	*reply_kind_fr(enum reply_kind);
/* Is its French form feminine ("réponse d'orientation envoyée")? */
gboolean	 reply_kind_fr_feminine(enum reply_kind);
/* The kind of a stored form; REPLY_UNSET for NULL or an unknown word. */
enum reply_kind	 reply_kind_from_str(const char *);
/* TRUE for the automatic replies to a sender (ack, orientation): RFC 3834. */
gboolean	 reply_kind_is_auto(enum reply_kind);

/* Where a request stands (requests.status). */
enum req_state {
	STATE_OPEN = 0,		/* "open" */
	STATE_ANSWERED,		/* "answered" */
	STATE_CLOSED,		/* "closed" */
	STATE_N
};
const char	*req_state_str(enum req_state);

/* What an incoming mail is. */
enum mail_kind {
	MAIL_REQUEST = 0,	/* "request": a new request */
	MAIL_FOLLOWUP,		/* "followup": joins an existing request */
	MAIL_ROBOT,		/* "robot": automatic mail (RFC 3834, bounces, lists) */
	MAIL_SPAM,		/* "spam" */
	MAIL_OWN,		/* "own": guichet's own mail come back */
	MAIL_COMMAND,		/* "command": a command mail of the delegate */
	MAIL_KIND_N
};
const char	*mail_kind_str(enum mail_kind);
const char	*mail_kind_fr(enum mail_kind);
gboolean	 mail_kind_from_str(const char *, enum mail_kind *out);

/*
 * French form of any stored word above (reply kind, state, mail kind):
 * word itself when it is none of them, "-" for NULL.
 */
const char	*vocab_fr(const char *word);

/*
 * Month m (1..12) as a date in lang writes it (genitive where the language
 * wants it: "14 siječnja"); NULL when lang has no names here or m is out
 * of range.
 */
const char	*vocab_month(const char *lang, int m);
/* How a date with a month name reads in lang: %d day, %s month, %y year,
 * %t time ("%d. %s %y, %t"); NULL when lang has no names here. */
const char	*vocab_date_format(const char *lang);
/* French month m (1..12), "janvier"; short: "janv."; "?" out of range. */
const char	*vocab_month_fr(int m);
const char	*vocab_month_fr_short(int m);
/* Weekday d (1 Monday .. 7 Sunday, as GDateTime counts) in lang; NULL
 * when lang has no names here or d is out of range. */
const char	*vocab_weekday(const char *lang, int d);

/*
 * "languages: French, German": the languages a partner service speaks
 * (ISO 639-1 codes) written in the reader's language (French when the
 * reader's language has no names here; an unknown code as is).  NULL for
 * no codes.  The one function here whose result is g_malloc'ed: g_free it.
 */
char		*vocab_languages_spoken(const char *reader, char **codes);

#endif
