/*
 * lang.c: language identification with libexttextcat.
 *
 * Two steps, both cheap:
 *  1. One pass over at most LANG_CAP bytes of subject + cleaned body counts
 *     letters per script and a few tell-tale letters.  A script used by one
 *     plausible language decides at once (Tamil, Greek, Thai, Tibetan...);
 *     Cyrillic, Arabic and Ge'ez letters mostly decide between their
 *     languages (i/ї/є/ґ Ukrainian, ы/э Russian, ђ/ћ Serbian; پ/چ/ژ/گ
 *     Persian, ے/ٹ Urdu; ቐ/ኸ Tigrinya).
 *  2. Latin text: frequent short words of each language (lang_words.h)
 *     vote; when they are overwhelming they decide alone (fast path),
 *     else the n-gram fingerprints of the languages of that script (about
 *     40 plausible in Swiss migration, not libexttextcat's 160) are
 *     compared with the text; the vote wins when its language scores
 *     within 6% of the best (neighbours such as es/pt, hr/sl, tr/es are
 *     that close on two sentences); other close calls (1.5%) go to the
 *     language more common here.  Serbian/Croatian/Bosnian, Arabic/
 *     Persian/Urdu and Tigrinya/Amharic are then told apart by marker
 *     words (lang_pick.c).
 *
 * We load the fingerprints with libexttextcat's public fingerprint API
 * (fingerprint.h: fp_Read, fp_Create, fp_Compare) rather than through
 * textcat_Init and an fpdb.conf: textcat_Init needs a file on disk (a
 * temporary file or a /proc/self/fd path to a memfd, both awkward under a
 * read-only sandbox), and textcat_Classify only returns the candidates
 * within 3% of the best, with no scores, so there would be no runner-up.
 * Comparing ourselves gives every score, per-script subsets and no file.
 *
 * Serbian, Croatian and Bosnian get their own codes (sr, hr, bs): a
 * delegate answers a Serb in Serbian and a Croat in Croatian, and the
 * statistics keep them apart; Latin-script text without any marker word
 * takes libexttextcat's pick among the three.  Dari is reported as "fa",
 * Sorani and Kurmanji as "ku" (ISO 639-1 has one code for each family).
 */
#include <stdio.h>
#include <string.h>
#include <libexttextcat/textcat.h>
#include <libexttextcat/fingerprint.h>
#include "lang.h"
#include "config.h"
#include "lang_words.h"
#include "lang_pick.h"
#include "quote.h"
#include "vocab.h"

#ifndef LANG_DATADIR
#define LANG_DATADIR	"/usr/share/libexttextcat"
#endif
#define LANG_CAP	1500	/* bytes of text given to the identifier */
#define LANG_WORD	80	/* longer ASCII "words" are blobs */
#define LANG_MIN	20	/* fewer letters than this: too short to tell */
#define LANG_NGRAMS	400
#define LANG_CLOSE	1.015	/* a close call */
#define LANG_VOTE	1.05	/* stop words win within this, and more */
#define LANG_CUTOFF	1.10	/* stop scoring beyond best * this */
#define LANG_RARE	1.08	/* a rare language without its words loses */

struct lm {
	const char	*file;		/* fingerprint file in LANG_DATADIR */
	const char	*code;		/* what we report */
	enum lscript	 script;
	int		 tier;		/* 1 common here ... 3 rare: wins close calls */
};

/* Ordered by how common they are here: the best score is found early. */
static const struct lm lms[] = {
	{ "fr.lm", "fr", S_LATIN, 1 },
	{ "de.lm", "de", S_LATIN, 1 },
	{ "it.lm", "it", S_LATIN, 1 },
	{ "pt.lm", "pt", S_LATIN, 1 },
	{ "es.lm", "es", S_LATIN, 1 },
	{ "en.lm", "en", S_LATIN, 1 },
	{ "sq.lm", "sq", S_LATIN, 2 },
	{ "hr.lm", "hr", S_LATIN, 2 },
	{ "sr-Latn.lm", "sr", S_LATIN, 2 },
	{ "bs.lm", "bs", S_LATIN, 2 },
	{ "tr.lm", "tr", S_LATIN, 2 },
	{ "so.lm", "so", S_LATIN, 2 },
	{ "rm.lm", "rm", S_LATIN, 3 },
	{ "nl.lm", "nl", S_LATIN, 3 },
	{ "pl.lm", "pl", S_LATIN, 3 },
	{ "ro.lm", "ro", S_LATIN, 3 },
	{ "hu.lm", "hu", S_LATIN, 3 },
	{ "cs.lm", "cs", S_LATIN, 3 },
	{ "sk.lm", "sk", S_LATIN, 3 },
	{ "sl.lm", "sl", S_LATIN, 3 },
	{ "tl.lm", "tl", S_LATIN, 3 },
	{ "vi.lm", "vi", S_LATIN, 3 },
	{ "sw.lm", "sw", S_LATIN, 3 },
	{ "om.lm", "om", S_LATIN, 3 },
	{ "ru.lm", "ru", S_CYRILLIC, 2 },
	{ "uk.lm", "uk", S_CYRILLIC, 2 },
	{ "sr-Cyrl.lm", "sr", S_CYRILLIC, 2 },
	{ "mk.lm", "mk", S_CYRILLIC, 3 },
	{ "bg.lm", "bg", S_CYRILLIC, 3 },
	{ "be.lm", "be", S_CYRILLIC, 3 },
	{ "mn.lm", "mn", S_CYRILLIC, 3 },
	{ "ar.lm", "ar", S_ARABIC, 2 },
	{ "fa.lm", "fa", S_ARABIC, 2 },
	{ "ur.lm", "ur", S_ARABIC, 3 },
	{ "ckb.lm", "ku", S_ARABIC, 3 },
	{ "ti.lm", "ti", S_ETHIOPIC, 2 },
	{ "am.lm", "am", S_ETHIOPIC, 3 },
	{ "hi.lm", "hi", S_DEVANAGARI, 3 },
	{ "ne.lm", "ne", S_DEVANAGARI, 3 },
	{ "mr.lm", "mr", S_DEVANAGARI, 3 },
	{ "zh-Hans.lm", "zh", S_HAN, 3 },
	{ "zh-Hant.lm", "zh", S_HAN, 3 },
};
#define NLMS	G_N_ELEMENTS(lms)

struct langid {
	void		*fp[NLMS];	/* NULL when the file is missing */
	GHashTable	*stop;		/* word -> bit set of stopwords[] + 1 */
	int		 arabizi;	/* index of "ar" in stopwords[], or -1 */
};

struct langid *
langid_new(GError **err)
{
	struct langid *l = g_new0(struct langid, 1);
	guint i, n = 0;

	for (i = 0; i < NLMS; i++) {
		g_autofree char *path = g_build_filename(LANG_DATADIR,
		    lms[i].file, NULL);

		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
			continue;
		l->fp[i] = fp_Init(lms[i].code);
		if (fp_Read(l->fp[i], path, LANG_NGRAMS) == 0) {
			fp_Done(l->fp[i]);
			l->fp[i] = NULL;
			continue;
		}
		n++;
	}
	l->stop = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	l->arabizi = -1;
	for (i = 0; i < NSTOP; i++) {
		char **w = g_strsplit(stopwords[i].words, " ", -1);

		if (g_str_equal(stopwords[i].code, "ar"))
			l->arabizi = i;
		for (int k = 0; w[k] != NULL; k++) {
			guint bits;

			if (*w[k] == '\0')
				continue;
			bits = GPOINTER_TO_UINT(g_hash_table_lookup(l->stop, w[k]));
			g_hash_table_replace(l->stop, g_strdup(w[k]),
			    GUINT_TO_POINTER(bits | (1u << i)));
		}
		g_strfreev(w);
	}
	if (n == 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "no language fingerprints in %s (install libexttextcat-data)",
		    LANG_DATADIR);
		langid_free(l);
		return NULL;
	}
	return l;
}

void
langid_free(struct langid *l)
{
	guint i;

	if (l == NULL)
		return;
	for (i = 0; i < NLMS; i++)
		if (l->fp[i] != NULL)
			fp_Done(l->fp[i]);
	if (l->stop != NULL)
		g_hash_table_destroy(l->stop);
	g_free(l);
}

/* Language of a script only one plausible language writes, or NULL. */
static const char *
script_language(GUnicodeScript s)
{
	switch (s) {
	case G_UNICODE_SCRIPT_TAMIL:		return "ta";
	case G_UNICODE_SCRIPT_SINHALA:		return "si";
	case G_UNICODE_SCRIPT_THAI:		return "th";
	case G_UNICODE_SCRIPT_GREEK:		return "el";
	case G_UNICODE_SCRIPT_TIBETAN:		return "bo";
	case G_UNICODE_SCRIPT_GEORGIAN:		return "ka";
	case G_UNICODE_SCRIPT_ARMENIAN:		return "hy";
	case G_UNICODE_SCRIPT_HEBREW:		return "he";
	case G_UNICODE_SCRIPT_BENGALI:		return "bn";
	case G_UNICODE_SCRIPT_GURMUKHI:		return "pa";
	case G_UNICODE_SCRIPT_GUJARATI:		return "gu";
	case G_UNICODE_SCRIPT_MALAYALAM:	return "ml";
	case G_UNICODE_SCRIPT_KANNADA:		return "kn";
	case G_UNICODE_SCRIPT_TELUGU:		return "te";
	case G_UNICODE_SCRIPT_KHMER:		return "km";
	case G_UNICODE_SCRIPT_LAO:		return "lo";
	case G_UNICODE_SCRIPT_MYANMAR:		return "my";
	case G_UNICODE_SCRIPT_MONGOLIAN:	return "mn";
	case G_UNICODE_SCRIPT_HANGUL:		return "ko";
	case G_UNICODE_SCRIPT_HIRAGANA:
	case G_UNICODE_SCRIPT_KATAKANA:		return "ja";
	default:				return NULL;
	}
}

/* Count one letter c into sc. */
static void
scan_letter(struct scan *sc, gunichar c)
{
	GUnicodeScript s;
	const char *code;

	sc->letters++;
	if (c < 0x250 || (c >= 0x1E00 && c < 0x1F00)) {
		sc->script[S_LATIN]++;
		if (c == 0x131 || c == 0x11F || c == 0x130)
			sc->tr++;
		return;
	}
	if (c >= 0x400 && c < 0x530) {
		sc->script[S_CYRILLIC]++;
		switch (c) {
		case 0x456: case 0x457: case 0x454: case 0x491:	/* і ї є ґ */
			sc->uk++; break;
		case 0x44B: case 0x44D: case 0x451:		/* ы э ё */
			sc->ru++; break;
		case 0x44A:					/* ъ */
			sc->bg++; break;
		case 0x452: case 0x45B:				/* ђ ћ */
			sc->sr += 3; break;
		case 0x458: case 0x459: case 0x45A: case 0x45F:	/* ј љ њ џ */
			sc->sr++; sc->mk++; break;
		case 0x453: case 0x45C: case 0x455:		/* ѓ ќ ѕ */
			sc->mk += 3; break;
		case 0x45E:					/* ў */
			sc->be += 3; break;
		case 0x4E9: case 0x4AF:				/* ө ү */
			sc->mn++; break;
		}
		return;
	}
	if ((c >= 0x600 && c < 0x700) || (c >= 0x750 && c < 0x780) ||
	    (c >= 0xFB50 && c < 0xFE00) || (c >= 0xFE70 && c < 0xFF00)) {
		sc->script[S_ARABIC]++;
		switch (c) {
		case 0x67E: case 0x686: case 0x698: case 0x6AF:	/* پ چ ژ گ */
			sc->fa += 3; break;
		case 0x6CC: case 0x6A9:				/* ی ک */
			sc->fa++; break;
		case 0x629: case 0x649: case 0x623: case 0x625:	/* ة ى أ إ */
			sc->ar += 2; break;
		case 0x64A: case 0x643:				/* ي ك */
			sc->ar++; break;
		case 0x679: case 0x688: case 0x691: case 0x6BA:	/* ٹ ڈ ڑ ں */
		case 0x6D2: case 0x6BE: case 0x6C1: case 0x6C3:	/* ے ھ ہ ۃ */
			sc->ur += 3; break;
		case 0x67C: case 0x689: case 0x693: case 0x696:	/* ټ ډ ړ ږ */
		case 0x69A: case 0x6AB: case 0x6BC: case 0x6D0:	/* ښ ګ ڼ ې */
		case 0x6CD: case 0x681: case 0x685:		/* ۍ ځ څ */
			sc->ps += 3; break;
		case 0x6B5: case 0x695: case 0x6C6: case 0x6CE:	/* ڵ ڕ ۆ ێ */
		case 0x6D5:					/* ە */
			sc->ckb += 3; break;
		}
		return;
	}
	if ((c >= 0x1200 && c < 0x13A0) || (c >= 0x2D80 && c < 0x2DE0) ||
	    (c >= 0xAB00 && c < 0xAB30)) {
		sc->script[S_ETHIOPIC]++;
		if ((c >= 0x1250 && c < 0x1260) || (c >= 0x12B8 && c < 0x12C6))
			sc->ti += 3;		/* ቐ.. ኸ.. series: Tigrinya */
		else if (c == 0x12A3 || c == 0x1213)
			sc->ti++;		/* ኣ ሓ */
		else if (c == 0x12A0)
			sc->am++;		/* አ */
		else if ((c >= 0x1220 && c < 0x1228) || (c >= 0x1280 &&
		    c < 0x128E) || (c >= 0x1340 && c < 0x1348))
			sc->am += 2;		/* ሠ ኀ ፀ series: Amharic */
		return;
	}
	if (c >= 0x900 && c < 0x980) {
		sc->script[S_DEVANAGARI]++;
		return;
	}
	if ((c >= 0x4E00 && c < 0xA000) || (c >= 0x3400 && c < 0x4DC0)) {
		sc->script[S_HAN]++;
		return;
	}
	s = g_unichar_get_script(c);
	if (s == G_UNICODE_SCRIPT_LATIN) {
		sc->script[S_LATIN]++;
		return;
	}
	if ((code = script_language(s)) == NULL) {
		sc->letters--;		/* a script we cannot name */
		return;
	}
	if (s == G_UNICODE_SCRIPT_HIRAGANA || s == G_UNICODE_SCRIPT_KATAKANA)
		sc->kana++;
	sc->script[S_OTHER]++;
	if (sc->others == NULL)
		sc->others = g_hash_table_new(g_str_hash, g_str_equal);
	{
		int n = GPOINTER_TO_INT(g_hash_table_lookup(sc->others, code)) + 1;

		g_hash_table_insert(sc->others, (gpointer)code, GINT_TO_POINTER(n));
		if (n > sc->other_n) {
			sc->other_n = n;
			sc->other = code;
		}
	}
}

/* Does the word [w, w+len) look like a link or an address? */
static gboolean
noise_word(const char *w, gsize len)
{
	if (memchr(w, '@', len) != NULL)
		return TRUE;
	if (len >= 4 && (((w[0] | 0x20) == 'h' && g_ascii_strncasecmp(w, "http", 4) == 0) ||
	    ((w[0] | 0x20) == 'w' && g_ascii_strncasecmp(w, "www.", 4) == 0)))
		return TRUE;
	return FALSE;
}

/* A long run of ASCII without a space: base64, a hash, a path. */
static gboolean
ascii_blob(const char *w, gsize len)
{
	if (len <= LANG_WORD)
		return FALSE;
	for (gsize i = 0; i < len; i++)
		if ((guchar)w[i] >= 0x80)
			return FALSE;
	return TRUE;
}

/*
 * Append the words of s (without links and addresses) to buf up to
 * LANG_CAP bytes, counting letters into sc.  Returns FALSE when full.
 */
static gboolean
scan_text(struct scan *sc, GString *buf, const char *s)
{
	const char *p = s, *end;
	gboolean full = FALSE;

	if (s == NULL)
		return TRUE;
	end = s + strlen(s);
	while (p < end) {
		const char *w;
		gsize len;
		guint8 high = 0;

		while (p < end && g_ascii_isspace(*p))
			p++;
		w = p;
		while (p < end && !g_ascii_isspace(*p))
			high |= (guint8)*p++;
		len = p - w;
		/* Links, addresses, blobs and broken bytes are not language. */
		if (len == 0 || noise_word(w, len) || ascii_blob(w, len) ||
		    ((high & 0x80) != 0 && !g_utf8_validate(w, len, NULL)))
			continue;
		if (buf->len + len + 1 > LANG_CAP) {
			/* Scripts without spaces (Thai, Chinese): take a prefix. */
			const char *cut = w + (LANG_CAP - 1 - buf->len);

			if (buf->len > LANG_CAP / 2 || len <= LANG_WORD)
				return FALSE;
			while (cut > w && (*cut & 0xC0) == 0x80)
				cut--;
			p = cut;
			len = p - w;
			full = TRUE;
		}
		for (const char *q = w; q < p; q = g_utf8_next_char(q)) {
			gunichar c = (guint8)*q;

			if (c < 0x80) {
				if (g_ascii_isalpha(c)) {	/* scan_letter(), Latin */
					sc->letters++;
					sc->script[S_LATIN]++;
				}
				continue;
			}
			c = g_utf8_get_char(q);
			if (g_unichar_isalpha(c))
				scan_letter(sc, c);
		}
		/* the script the writer starts in: one count is not zero yet */
		for (int i = 0; sc->first == 0 && i < S_NSCRIPT; i++)
			if (sc->script[i] > 0)
				sc->first = i + 1;
		g_string_append_len(buf, w, len);
		g_string_append_c(buf, ' ');
		if (full)
			return FALSE;
	}
	return TRUE;
}

/* The subject without "Re:", "AW:", "Fwd:" ... prefixes. */
static const char *
subject_core(const char *s)
{
	static const char *const pfx[] = { "re", "aw", "wg", "fw", "fwd",
	    "tr", "sv", "r", "rif", "enc", "rv", "odp", "antw", NULL };
	gboolean again = TRUE;

	while (s != NULL && again) {
		again = FALSE;
		while (*s == ' ' || *s == '\t')
			s++;
		for (int i = 0; pfx[i] != NULL; i++) {
			gsize n = strlen(pfx[i]);

			if (g_ascii_strncasecmp(s, pfx[i], n) == 0 &&
			    s[n] == ':') {
				s += n + 1;
				again = TRUE;
				break;
			}
		}
	}
	return s;
}

struct score {
	int		 idx;
	int		 score;
};

static int
score_cmp(const void *a, const void *b)
{
	const struct score *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->idx - y->idx;
}

/*
 * g_utf8_strdown(text, -1) of valid UTF-8, with ASCII lower-cased here and
 * only the runs of other characters given to GLib.  The same outside
 * Turkic and Lithuanian locales (main() sets C.UTF-8); a capital sigma,
 * whose lower case depends on what follows, sends the whole text to GLib.
 */
static char *
strdown_runs(const char *text)
{
	GString *out;
	const char *p = text;

	if (strstr(text, "\xCE\xA3") != NULL)
		return g_utf8_strdown(text, -1);
	out = g_string_sized_new(strlen(text) + 16);
	while (*p != '\0') {
		const char *q = p;

		while ((guint8)*q != 0 && (guint8)*q < 0x80)
			q++;
		if (q > p) {
			gsize at = out->len;

			g_string_append_len(out, p, q - p);
			for (char *c = out->str + at; *c != '\0'; c++)
				if (*c >= 'A' && *c <= 'Z')
					*c += 'a' - 'A';
			p = q;
		}
		while ((guint8)*q >= 0x80)
			q++;
		if (q > p) {
			g_autofree char *low = g_utf8_strdown(p, q - p);

			g_string_append(out, low);
			p = q;
		}
	}
	return g_string_free(out, FALSE);
}

/* What the stop words of a text said. */
struct vote {
	int		 n[NSTOP];	/* words of each list */
	int		 best;		/* index of the clear winner, or -1 */
	int		 hits;		/* words of the most voted list */
	int		 runner, rhits;	/* the next one */
};

/*
 * Latin-script Arabic ("na3ref", "3andi", "sba7"): a digit standing for
 * a letter inside a word.  Counts words of letters with one 2, 3, 5, 7
 * or 9 in them and at least three letters (not "A2", "mp3", "B1").
 */
static int
arabizi_words(const char *text)
{
	static const char *const ordinal[] = { "e", "eme", "er", "nd", "rd",
	    "th", "ieme", "ten", "te", "de", "x", NULL };
	int n = 0;

	for (const char *p = text; *p != '\0'; ) {
		const char *w = p, *digit = NULL;
		int letters = 0, digits = 0, other = 0;

		while (*p != '\0' && *p != ' ')
			p++;
		for (const char *q = w; q < p; q++) {
			if (g_ascii_isalpha(*q))
				letters++;
			else if (g_ascii_isdigit(*q)) {
				digits++;
				digit = q;
			} else if (strchr(".,;:!?", *q) == NULL || q + 1 < p)
				other++;	/* punctuation only at the end */
		}
		if (digits == 1 && letters >= 3 && other == 0 &&
		    strchr("23579", *digit) != NULL) {
			g_autofree char *rest = g_strndup(digit + 1, p - digit - 1);

			g_strchomp(rest);
			if (rest[0] != '\0' && strchr(".,;:!?", rest[strlen(rest) - 1]))
				rest[strlen(rest) - 1] = '\0';
			if (digit != w || !g_strv_contains(ordinal, rest))
				n++;
		}
		while (*p == ' ')
			p++;
	}
	return n;
}

/*
 * Count the stop words of each language in text into vt.  Returns the
 * index in stopwords[] of the clear winner (at least 2 words and more
 * than any other language), or -1.
 */
static int
stopword_vote(const struct langid *l, const char *text, struct vote *vt)
{
	g_autofree char *low = strdown_runs(text);
	int *n = vt->n, best = -1, second = -1;
	char *p = low;

	memset(vt, 0, sizeof(*vt));
	while (*p != '\0') {
		char *w = p;
		gunichar c;

		/* Words are runs of letters; an apostrophe ends one (j'ai). */
		while (*p != '\0' && ((guint8)*p < 0x80 ? g_ascii_isalpha(*p) :
		    g_unichar_isalpha(g_utf8_get_char(p))))
			p = g_utf8_next_char(p);
		if (p > w) {
			char save = *p;
			guint bits;

			*p = '\0';
			bits = GPOINTER_TO_UINT(g_hash_table_lookup(l->stop, w));
			*p = save;
			for (guint i = 0; bits != 0; i++, bits >>= 1)
				if (bits & 1)
					n[i]++;
		}
		if (*p == '\0')
			break;
		c = g_utf8_get_char(p);
		if (!g_unichar_isalpha(c))
			p = g_utf8_next_char(p);
	}
	if (l->arabizi >= 0)
		n[l->arabizi] += arabizi_words(low);
	for (guint i = 0; i < NSTOP; i++) {
		if (best < 0 || n[i] > n[best]) {
			second = best;
			best = i;
		} else if (second < 0 || n[i] > n[second])
			second = i;
	}
	vt->hits = best >= 0 ? n[best] : 0;
	vt->runner = second;
	vt->rhits = second >= 0 ? n[second] : 0;
	if (best < 0 || n[best] < 2 || (second >= 0 && n[second] >= n[best]))
		best = -1;
	vt->best = best;
	return best;
}

/*
 * Compare text with the fingerprints of script (or of the languages in
 * only, when not NULL).  Fills sc (best first) and returns how many
 * scored; 0 when nothing matched.
 */
static int
classify(const struct langid *l, const char *text, gsize len,
    enum lscript script, const char *const *only, struct score *sc)
{
	void *u;
	int n = 0, cutoff = G_MAXINT, min = G_MAXINT;
	guint i;

	u = fp_Init(NULL);
	if (fp_Create(u, text, len, LANG_NGRAMS) == 0) {
		fp_Done(u);
		return 0;
	}
	for (i = 0; i < NLMS; i++) {
		int s;

		if (l->fp[i] == NULL || lms[i].script != script)
			continue;
		if (only != NULL && !g_strv_contains(only, lms[i].code))
			continue;
		s = fp_Compare(l->fp[i], u, cutoff);
#ifdef LANG_DEBUG
		fprintf(stderr, " %s=%d", lms[i].file, s);
#endif
		if (s >= G_MAXINT)
			continue;
		sc[n].idx = i;
		sc[n].score = s;
		n++;
		if (s < min) {
			min = s;
			cutoff = (int)(min * LANG_CUTOFF);
		}
	}
	fp_Done(u);
	qsort(sc, n, sizeof(sc[0]), score_cmp);
	return n;
}

/* Does the fingerprint code belong to the stop-word language sw? */
static gboolean
same_language(const char *code, const char *sw)
{
	if (strcmp(sw, "hbs") == 0)
		return strcmp(code, "hr") == 0 || strcmp(code, "sr") == 0 ||
		    strcmp(code, "bs") == 0;
	return strcmp(code, sw) == 0;
}

/* Index in stopwords[] of the word list of fingerprint code, or -1. */
static int
stop_index(const char *code)
{
	for (guint i = 0; i < NSTOP; i++)
		if (same_language(code, stopwords[i].code))
			return i;
	return -1;
}

/*
 * Decide among the scored fingerprints sc[0..n) of text: the stop-word
 * winner when its score is near the best, else the best, a close call
 * going to the language more common here.  A rare language with a word
 * list needs one of its words to beat a common one scoring near it that
 * has two (Slovenian n-grams win many short Croatian texts).  Returns
 * an index in sc.
 */
static int
decide(const struct langid *l, const struct vote *vt, const struct score *sc,
    int n, const char **nofp)
{
	/* The clearer the vote, the farther from the best score it may win. */
	double margin = LANG_VOTE + 0.015 * MIN(vt->hits - vt->rhits, 6);
	int best = 0, v = vt->best, own;

	/* ... and farther still from a language rarely written here. */
	if (lms[sc[0].idx].tier >= 3)
		margin += 0.05;

	*nofp = NULL;
	if (v >= 0) {
		for (int k = 0; k < n; k++)
			if (same_language(lms[sc[k].idx].code, stopwords[v].code)) {
				if (sc[k].score <= sc[0].score * margin)
					return k;
				break;
			}
		/* A language without a Latin fingerprint (Kurmanji): words. */
		if (vt->hits >= 3 && !g_str_equal(stopwords[v].code, "hbs")) {
			gboolean has = FALSE;

			for (guint i = 0; i < NLMS; i++)
				if (l->fp[i] != NULL && lms[i].script == S_LATIN &&
				    same_language(lms[i].code, stopwords[v].code))
					has = TRUE;
			if (!has) {
				*nofp = stopwords[v].code;
				return 0;
			}
		}
	}
	for (int k = 1; k < n && sc[k].score <= sc[0].score * LANG_CLOSE; k++)
		if (lms[sc[k].idx].tier < lms[sc[best].idx].tier)
			best = k;
	own = stop_index(lms[sc[best].idx].code);
	if (lms[sc[best].idx].tier >= 3 && own >= 0 && vt->n[own] == 0)
		for (int k = 0; k < n && sc[k].score <= sc[0].score * LANG_RARE;
		    k++) {
			int w = stop_index(lms[sc[k].idx].code);

			if (lms[sc[k].idx].tier < 3 && w >= 0 && vt->n[w] >= 2)
				return k;
		}
	return best;
}

static gboolean
is_bcms(const char *code)
{
	return strcmp(code, "hr") == 0 || strcmp(code, "sr") == 0 ||
	    strcmp(code, "bs") == 0;
}

/* Normalise a Content-Language value ("de-CH, en") to a primary subtag. */
static char *
content_lang(const char *v)
{
	gsize n;

	if (v == NULL)
		return NULL;
	while (*v == ' ' || *v == '\t')
		v++;
	n = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
	if (n < 2 || n > 3)
		return NULL;
	return g_ascii_strdown(v, n);
}

/*
 * What explain says of a Bosnian, Croatian or Serbian pick, and the
 * neutral variant when the marker words do not say it surely.
 */
static void
bcms_note(struct request *r, const struct bcms_guess *g)
{
	g_autofree char *note = g_strdup_printf("%s %d, %s %d (marker-word "
	    "points: sr %d, hr %d, bs %d): %s", g->best, g->best_score,
	    g->second, g->second_score, g->scores[0], g->scores[1],
	    g->scores[2], g->sure ? "sure" : "unsure, answered in the neutral "
	    "variant (sh)");

	request_set(&r->language_note, note);
	request_set(&r->language_variant, g->sure ? NULL : "sh");
}

/* Fewer letters than this in script s: too short to tell. */
static int
script_min(enum lscript s)
{
	return s == S_LATIN || s == S_DEVANAGARI ? LANG_MIN :
	    s == S_CYRILLIC || s == S_ARABIC ? 6 : 4;
}

/*
 * The script the text is written in.  Latin letters inside a text of
 * another script are mostly what the writer did not write: a French
 * address or disclaimer, a pasted letter, "permis B", a phone's
 * signature.  So another script wins with a third of the Latin letters,
 * or when the writer starts in it and writes enough of it; not when two
 * other scripts are there (a notice translated for its readers).
 */
static enum lscript
main_script(const struct scan *sc)
{
	enum lscript script = S_LATIN, o = S_LATIN;
	int several = 0;

	for (int i = 0; i < S_NSCRIPT; i++)
		if (sc->script[i] > sc->script[script])
			script = i;
	if (script != S_LATIN)
		return script;
	for (int i = 0; i < S_NSCRIPT; i++) {
		if (i == S_LATIN || sc->script[i] == 0)
			continue;
		several += sc->script[i] >= 2 * script_min(i);
		if (o == S_LATIN || sc->script[i] > sc->script[o])
			o = i;
	}
	/* a notice translated into several scripts is the Latin text's */
	if (several >= 2 || (sc->others != NULL &&
	    g_hash_table_size(sc->others) >= 2 && sc->other_n >= 8))
		return S_LATIN;
	if (o != S_LATIN && (sc->script[o] * 3 >= sc->script[S_LATIN] ||
	    (sc->first == (int)o + 1 && sc->script[o] >= 2 * script_min(o))))
		return o;
	return S_LATIN;
}

/* Enough letters in script s to tell the language? */
static gboolean
enough(const struct scan *sc, enum lscript s)
{
	return sc->letters >= script_min(s);
}

/* Forget what scan_text() counted. */
static void
scan_reset(struct scan *sc, GString *buf)
{
	if (sc->others != NULL)
		g_hash_table_destroy(sc->others);
	memset(sc, 0, sizeof(*sc));
	g_string_truncate(buf, 0);
}

/*
 * The forwarder's own words of a forwarded mail: the text without quotes
 * and signature, above the first line that starts the forwarded message.
 */
static char *
forward_own(const char *text)
{
	static const char *const sep[] = {
		"forwarded message", "message transféré", "message transfere",
		"weitergeleitete nachricht", "messaggio inoltrato",
		"mensaje reenviado", "mensagem encaminhada",
		"mensagem reencaminhada", "doorgestuurd bericht",
		"пересылаемое сообщение", "переслане повідомлення",
		"الرسالة المعاد توجيهها", "début du message",
		"anfang der weitergeleiteten", "begin forwarded",
	};
	char *own = text_strip_quotes(text);

	for (char *line = own; line != NULL && *line != '\0'; ) {
		char *nl = strchr(line, '\n');
		gsize len = nl != NULL ? (gsize)(nl - line) : strlen(line);

		if (len < 200 && g_utf8_validate(line, len, NULL)) {
			g_autofree char *low = g_utf8_strdown(line, len);

			for (gsize i = 0; i < G_N_ELEMENTS(sep); i++)
				if (strstr(low, sep[i]) != NULL) {
					*line = '\0';
					return own;
				}
		}
		line = nl != NULL ? nl + 1 : NULL;
	}
	return own;
}

void
langid_detect(struct langid *l, struct request *r, const char *deflt)
{
	static const char *const srmk[] = { "sr", "mk", NULL };
	static const char *const bcms[] = { "hr", "sr", "bs", NULL };
	struct scan sc = { 0 };
	struct score scores[NLMS];
	g_autoptr(GString) buf = g_string_sized_new(LANG_CAP);
	g_autofree char *cl = content_lang(r->content_language);
	g_autofree char *own = NULL;
	const char *body, *subject, *lang = NULL, *second = NULL, *nofp = NULL;
	const char *const *only = NULL;
	enum lscript script;
	struct vote vt = { .best = -1, .runner = -1 };
	int n, min, v = -1;

	request_set(&r->language_variant, NULL);
	request_set(&r->language_note, NULL);
	body = r->text_clean != NULL && *r->text_clean != '\0' ?
	    r->text_clean : r->text;
	/* A forward: the forwarder's own words above it, when there are some. */
	if (quote_is_forward_subject(r->subject) && r->text != NULL) {
		own = forward_own(r->text);
		scan_text(&sc, buf, own);
		if (!enough(&sc, main_script(&sc))) {
			scan_reset(&sc, buf);
			scan_text(&sc, buf, body);
		}
	} else
		scan_text(&sc, buf, body);
	/*
	 * The subject of a reply ("Re: Accusé de réception") was written by
	 * the other side: it counts only when the text is too short alone.
	 */
	subject = subject_core(r->subject);
	if (subject == r->subject || !enough(&sc, main_script(&sc)))
		scan_text(&sc, buf, subject);

	script = main_script(&sc);
	/*
	 * Too short to tell: a syllable or an ideogram says more than a
	 * letter, and a short Latin text still counts when two of its words
	 * belong to one language only ("Thank you very much").
	 */
	min = script_min(script);
	if (script == S_LATIN && sc.letters >= LANG_MIN / 2 &&
	    sc.letters < LANG_MIN && cl == NULL) {
		v = stopword_vote(l, buf->str, &vt);
		if (v >= 0 && !g_str_equal(stopwords[v].code, "hbs"))
			min = 0;
	}
	if (sc.letters < min) {
		request_set(&r->language, cl != NULL ? cl : VOCAB_LANGUAGE_UNKNOWN);
		request_set(&r->language_runner_up, NULL);
		if (sc.others != NULL)
			g_hash_table_destroy(sc.others);
		return;
	}

	switch (script) {
	case S_OTHER:
		lang = sc.kana > 0 ? "ja" : sc.other;
		break;
	case S_CYRILLIC:
		if (sc.uk > 0 && sc.ru == 0 && sc.be == 0)
			lang = "uk", second = "ru";
		else if (sc.ru > 0 && sc.uk == 0 && sc.sr == 0 && sc.mk == 0)
			lang = "ru", second = sc.bg > 0 ? "bg" : "uk";
		else if (sc.sr > sc.mk)
			lang = "sr", second = "mk";
		else if (sc.mk > sc.sr)
			lang = "mk", second = "sr";
		else if (sc.sr > 0)
			only = srmk;
		else if (sc.bg > 0 && sc.ru == 0)
			lang = "bg", second = "ru";
		else if (sc.be > 0)
			lang = "be", second = "ru";
		else if (sc.mn > 2)
			lang = "mn";
		break;
	case S_ARABIC:
		lang = lang_arabic_pick(&sc, buf->str, &second);
		break;
	case S_HAN:
		lang = sc.kana > 0 ? "ja" : "zh";
		break;
	default:
		break;
	}

	if (script == S_LATIN) {
		v = stopword_vote(l, buf->str, &vt);
		/* Dotless i and soft g: Turkish, unless the words say other. */
		if (sc.tr >= 2 && sc.tr * 40 >= sc.script[S_LATIN] &&
		    (v < 0 || g_str_equal(stopwords[v].code, "tr")))
			lang = "tr";
	}
	if (script == S_LATIN && lang == NULL) {
		/* Overwhelming evidence: no need for n-grams (speed). */
		if (v >= 0 && vt.hits >= 6 && vt.rhits * 4 <= vt.hits) {
			if (g_str_equal(stopwords[v].code, "hbs"))
				only = bcms;
			else {
				lang = stopwords[v].code;
				second = vt.runner >= 0 && vt.rhits > 0 &&
				    !g_str_equal(stopwords[vt.runner].code, "hbs") ?
				    stopwords[vt.runner].code : NULL;
			}
		}
	}
	if (lang == NULL && (n = classify(l, buf->str, buf->len, script, only,
	    scores)) > 0) {
		int k = script == S_LATIN ?
		    decide(l, &vt, scores, n, &nofp) : 0;

		lang = nofp != NULL ? nofp : lms[scores[k].idx].code;
		for (int j = 0; j < n; j++)
			if (!g_str_equal(lms[scores[j].idx].code, lang) &&
			    !(is_bcms(lang) && is_bcms(lms[scores[j].idx].code))) {
				second = lms[scores[j].idx].code;
				break;
			}
		if (script == S_LATIN && is_bcms(lang)) {
			struct bcms_guess g;

			lang_bcms_guess(buf->str, lang, &g);
			lang = g.best;
			if (g.second_score > 0 || !g.sure)
				second = g.second;
			bcms_note(r, &g);
		}
	}
	if (script == S_ETHIOPIC) {
		lang = lang_ethiopic_pick(&sc, buf->str, lang);
		second = g_str_equal(lang, "ti") ? "am" : "ti";
	}
	if (lang == NULL)
		lang = cl != NULL ? cl : deflt != NULL ? deflt : VOCAB_LANGUAGE_UNKNOWN;
	if (second != NULL && strcmp(second, lang) == 0)
		second = NULL;
	if (script == S_CYRILLIC && strcmp(lang, "sr") == 0) {
		request_set(&r->language_variant, "sr-Cyrl");
		request_set(&r->language_note, "Serbian in Cyrillic script: "
		    "answered in Cyrillic");
	}
	request_set(&r->language, lang);
	request_set(&r->language_runner_up, second);
	if (sc.others != NULL)
		g_hash_table_destroy(sc.others);
}
