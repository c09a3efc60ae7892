/*
 * lang_pick.h: private to lang.c, lang_text.c and lang_pick.c: the text
 * the identifier reads (lang_text.c) and telling apart the languages that
 * share a script, by tell-tale letters and marker words (lang_pick.c).
 * The pickers return a static language code, never NULL unless said.
 */
#ifndef GUICHET_LANG_PICK_H
#define GUICHET_LANG_PICK_H

#include <glib.h>

#define LANG_CAP	1500	/* bytes of text given to the identifier */
#define LANG_WORD	80	/* longer ASCII "words" are blobs */
#define LANG_MIN	20	/* fewer letters than this: too short to tell */

/* Scripts whose languages lang.c tells apart; S_OTHER: one language each. */
enum lscript {
	S_LATIN, S_CYRILLIC, S_ARABIC, S_ETHIOPIC, S_DEVANAGARI, S_HAN,
	S_OTHER, S_NSCRIPT
};

/* What one pass over the text found. */
struct scan {
	int		 letters;
	int		 script[S_NSCRIPT];
	int		 first;		/* script of the first letter + 1; 0: none */
	int		 formula;	/* letters of Arabic greeting formulas */
	int		 upper;		/* upper-case letters */
	const char	*other;		/* code for the S_OTHER script seen most */
	int		 other_n;
	GHashTable	*others;	/* code -> count, only when needed */
	/* tell-tale letters */
	int		 uk, ru, sr, mk, be, mn, bg;
	int		 fa, ar, ur, ps, ckb;
	int		 ti, am, kana;
	int		 tr;		/* ı ğ İ: Turkish alone here */
	int		 az;		/* ə: Azerbaijani */
};

/*
 * lang_text.c.  Append the words of s (no links, addresses, blobs) to buf
 * up to LANG_CAP bytes, counting letters into sc; FALSE when buf is full.
 * scan_reset() forgets them (and frees sc->others).
 */
gboolean	 scan_text(struct scan *sc, GString *buf, const char *s);
void		 scan_reset(struct scan *sc, GString *buf);
/* The script the text is written in; letters it needs to be told. */
enum lscript	 main_script(const struct scan *sc);
int		 script_min(enum lscript s);
gboolean	 enough(const struct scan *sc, enum lscript s);
/*
 * s without "Re:", "AW:", "RE :", "Fwd:"... prefixes (a pointer into s);
 * *reply says whether there was one.
 */
const char	*subject_core(const char *s, gboolean *reply);
/* A forward's own words (the caller frees). */
char		*forward_own(const char *text);
/*
 * A web form's message: what follows its "Message :" line when two
 * "Label : value" lines come before ("Nom : ...", "Téléphone : ...");
 * NULL when text is no form.  Points into text.
 */
const char	*form_message(const char *text);
/* g_utf8_strdown() of valid UTF-8, faster on ASCII (the caller frees). */
char		*strdown_runs(const char *text);
/* Words of Latin-script Arabic with a digit for a letter ("3andi"). */
int		 arabizi_words(const char *text);

/* The same with the runner-up and how clear the marker words were. */
struct bcms_guess {
	const char	*best, *second;	/* "sr", "hr" or "bs" */
	int		 best_score, second_score;
	int		 scores[3];	/* sr, hr, bs */
	gboolean	 sure;		/* two points ahead, or ahead with words only it uses */
};
void		 lang_bcms_guess(const char *text, const char *fallback,
		    struct bcms_guess *);

/* Among ar, fa, ur, ps, ku by letters and function words; NULL if unclear. */
const char	*lang_arabic_pick(const struct scan *, const char *text,
		    const char **second);

/*
 * Among sr, mk, be, ru, uk, bg by letters (ђ ћ ј / ѓ ќ ѕ / ў / ы э ё /
 * і ї є ґ / ъ) and function words; NULL if unclear, then *srmk says
 * whether the choice is between Serbian and Macedonian.
 */
const char	*lang_cyrillic_pick(const struct scan *, const char *text,
		    const char **second, gboolean *srmk);

/* "ti" unless clearly Amharic; tc is libexttextcat's pick or NULL. */
const char	*lang_ethiopic_pick(const struct scan *, const char *text,
		    const char *tc);

#endif
