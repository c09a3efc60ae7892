/*
 * kind_int.h: what the files of the kind stage share (kind.c decides;
 * kind_spam.c, kind_robot.c, kind_thanks.c read the signals).  Private to
 * them.  Strings returned are static.
 */
#ifndef GUICHET_KIND_INT_H
#define GUICHET_KIND_INT_H

#include "config.h"
#include "kind.h"
#include "request.h"

/* kind.c: a folded phrase list, built once (" w1 w2 " strings, indexed by
 * their first words), and how many of its phrases occur in folded text
 * (each counted once, as strstr() would find it; *first, may be NULL, gets
 * the first found in list order); its length and its i-th folded phrase. */
struct kind_phrases;
struct kind_phrases *kind_phrases(const char *const *list);
int		 kind_count_phrases(const struct kind_phrases *, const char *folded,
		    const char **first);
guint		 kind_phrases_len(const struct kind_phrases *);
const char	*kind_phrase(const struct kind_phrases *, guint i);

/* kind_spam.c: the receiving server's own verdict, or NULL. */
const char	*kind_spam_verdict(const struct config *, const struct request *r);
/* kind_spam.c: several spam signals together in r and its folded text, or NULL. */
const char	*kind_spam_signals(const struct config *, const struct request *r,
		    const char *folded);

/* kind_robot.c: a mass-mail sender's local part (newsletter@, marketing-...). */
gboolean	 kind_bulk_sender(const char *addr);
/* kind_robot.c: the robot or spam signals alone (no store, no follow-up):
 * NULL when none; *kind MAIL_ROBOT or MAIL_SPAM. */
const char	*kind_robot_reason(const struct config *, const struct request *r,
		    enum mail_kind *kind);

#endif
