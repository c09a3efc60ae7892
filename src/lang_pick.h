/*
 * lang_pick.h: private to lang.c and lang_pick.c: telling apart the
 * languages that share a script, by tell-tale letters and marker words.
 * Every function returns a static language code, never NULL unless said.
 */
#ifndef GUICHET_LANG_PICK_H
#define GUICHET_LANG_PICK_H

#include <glib.h>

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
	const char	*other;		/* code for the S_OTHER script seen most */
	int		 other_n;
	GHashTable	*others;	/* code -> count, only when needed */
	/* tell-tale letters */
	int		 uk, ru, sr, mk, be, mn, bg;
	int		 fa, ar, ur, ps, ckb;
	int		 ti, am, kana;
	int		 tr;		/* ı ğ İ: Turkish alone here */
};

/* "sr", "hr" or "bs" for Latin-script text; fallback when no marker word. */
const char	*lang_bcms_pick(const char *text, const char *fallback);

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

/* "ti" unless clearly Amharic; tc is libexttextcat's pick or NULL. */
const char	*lang_ethiopic_pick(const struct scan *, const char *text,
		    const char *tc);

#endif
