/*
 * fold.h: text folding and one-pass keyword matching for the rules.
 *
 * fold_text() turns any UTF-8 text into " w1 w2 ... wn ": lower case
 * (Unicode case folding for the scripts that have case), combining marks
 * removed after canonical decomposition (é -> e, Arabic tashkeel), Cyrillic
 * written in Latin letters as Serbian does (квартира -> kvartira, so that
 * Serbian Cyrillic meets Serbian Latin), a few letters mapped by hand (ß -> ss,
 * œ -> oe, ø -> o, ı -> i, Arabic/Persian yeh and kaf unified, ...),
 * every character that is neither a letter nor a digit turned into a
 * single space (Ethiopic ፡ and ። included), and every word made only of
 * digits replaced by "#".  Keywords are folded the same way, so matching
 * is a byte comparison on word boundaries.
 *
 * struct kwtrie holds every keyword of a rule set in one byte trie
 * anchored at word starts; kwtrie_scan() finds all of them in one pass
 * over a folded text.  Not thread-safe while being built; immutable
 * (and shareable) after kwtrie_freeze().
 */
#ifndef GUICHET_FOLD_H
#define GUICHET_FOLD_H

#include <glib.h>

/* Append the folded form of s (len bytes, or -1 for NUL-terminated) to out. */
void		 fold_text(GString *out, const char *s, gssize len);
/*
 * The same, but the vowel signs and viramas of the Indic scripts (U+0900 to
 * U+0DFF: Tamil, Devanagari, Bengali, Sinhala...) are kept: they are
 * letters there, not accents (fold_text() turns Tamil வணக்கம் into வணககம
 * and தமிழ் into தமழ).  For the learned model's words (textfeat.c); the
 * rules keep fold_text().
 */
void		 fold_text_marks(GString *out, const char *s, gssize len);

/*
 * Fold a keyword as written in a rule: a trailing '*' makes it a prefix,
 * a lone "#" (like any word of digits) stands for any number.
 * Returns the folded bytes without the surrounding spaces (g_malloc'ed),
 * or NULL when nothing is left to match.
 */
char		*fold_keyword(const char *kw, gboolean *prefix);

struct kwtrie;

struct kwtrie	*kwtrie_new(void);
void		 kwtrie_free(struct kwtrie *);
/* Add a folded keyword; returns its id (the same id for the same keyword). */
guint		 kwtrie_add(struct kwtrie *, const char *folded, gboolean prefix);
/* Build the matching automaton; no kwtrie_add() after this. */
void		 kwtrie_freeze(struct kwtrie *);
guint		 kwtrie_count(const struct kwtrie *);
/* Set bit id in bits (kwtrie_count() bits) for every keyword found in the folded text. */
void		 kwtrie_scan(const struct kwtrie *, const char *folded, gsize len,
		    guint64 *bits);

#define KW_TEST(bits, id)	(((bits)[(id) >> 6] >> ((id) & 63)) & 1)

#endif
