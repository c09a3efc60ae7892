/*
 * quote.h: quoted replies, signatures and disclaimers cut from a text
 * (quote.c).  No I/O.  Results belong to the caller (g_free).
 */
#ifndef GUICHET_QUOTE_H
#define GUICHET_QUOTE_H

#include <glib.h>

/* Cut quoted replies, signatures and disclaimers from text. */
char		*text_strip_quotes(const char *text);

/*
 * Like text_strip_quotes(); when forward is TRUE (the subject says "Fwd:",
 * "TR:", "WG:"...) the quoted message is the request itself: only
 * disclaimers are cut.
 */
char		*quote_strip(const char *text, gboolean forward);

/* Does this subject announce a forwarded message? */
gboolean	 quote_is_forward_subject(const char *subject);

#endif
