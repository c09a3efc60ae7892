/*
 * lang.h: language identification with libexttextcat.
 */
#ifndef GUICHET_LANG_H
#define GUICHET_LANG_H

#include <glib.h>
#include "request.h"

struct langid;

/* Open the identifier (fingerprints restricted to the languages plausible here). */
struct langid	*langid_new(GError **err);
void		 langid_free(struct langid *);

/*
 * Detect the language of r (subject + text_clean); sets r->language and
 * r->language_runner_up (ISO 639-1 where one exists, else 639-3; "und"
 * when too short).  Falls back to r->content_language, then deflt.
 * Precisely: fewer than 20 letters (6 Cyrillic or Arabic, 4 ideograms or
 * Ge'ez syllables; 10 Latin letters with two words of one language) give
 * the declared Content-Language or "und"; longer text in a script no
 * plausible language here writes gives Content-Language, deflt, "und".
 * Codes reported: fr de it pt es en sq sr hr bs tr az so rm nl pl ro hu cs sk
 * sl tl vi sw om ku ru uk mk bg be mn ar fa ur ps ti am hi ne mr zh ja ko
 * ta si th el bo ka hy he bn pa gu ml kn te km lo my, and und (Dari is
 * fa, Sorani and Kurmanji ku, Serbian in either script sr).
 */
void		 langid_detect(struct langid *, struct request *r, const char *deflt);

#endif
