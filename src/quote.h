/*
 * quote.h: text_strip_quotes() with knowledge of the subject.  Private to
 * parse.c and quote.c.  The result belongs to the caller (g_free).
 */
#ifndef GUICHET_QUOTE_H
#define GUICHET_QUOTE_H

#include <glib.h>

/*
 * Like text_strip_quotes(); when forward is TRUE (the subject says "Fwd:",
 * "TR:", "WG:"...) the quoted message is the request itself: only
 * disclaimers are cut.
 */
char		*quote_strip(const char *text, gboolean forward);

/* Does this subject announce a forwarded message? */
gboolean	 quote_is_forward_subject(const char *subject);

#endif
