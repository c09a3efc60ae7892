/*
 * lang.c: language identification with libexttextcat.
 *
 * The writer's own words only: the cleaned body (quotes, signature and
 * disclaimer cut by quote.c), for a forward the forwarder's lines above
 * the forwarded message, and the subject unless it answers ours ("Re:
 * Accusé de réception") and the body says enough alone (lang_text.c).
 *
 * Two steps, both cheap:
 *  1. One pass over at most LANG_CAP bytes of body + subject counts
 *     letters per script and a few tell-tale letters.  A script used by one
 *     plausible language decides at once (Tamil, Greek, Thai, Tibetan...);
 *     Cyrillic, Arabic and Ge'ez letters mostly decide between their
 *     languages (i/ї/є/ґ Ukrainian, ы/э Russian, ђ/ћ Serbian; پ/چ/ژ/گ
 *     Persian, ے/ٹ Urdu; ቐ/ኸ Tigrinya).  Latin letters in a text of
 *     another script are mostly boilerplate: that script wins with a
 *     third of the Latin letters, or when the writer starts in it.
 *  2. Latin text: frequent short words of each language (lang_words.h)
 *     vote; when they are overwhelming they decide alone (fast path),
 *     else the n-gram fingerprints of the languages of that script (about
 *     40 plausible in Swiss migration, not libexttextcat's 160) are
 *     compared with the text; the vote wins when its language scores
 *     within 6% of the best (neighbours such as es/pt, hr/sl, tr/es are
 *     that close on two sentences); other close calls (1.5%) go to the
 *     language more common here, and a rare one (Slovenian, Romansh)
 *     without any of its words loses to a common one that has two.
 *     Arabic, Persian, Russian, Ukrainian and Tigrinya in Latin letters
 *     have word lists only ("3andi", "mikhaham", "spasibo").
 *     Serbian/Croatian/Bosnian, Arabic/Persian/Urdu/Pashto/Sorani and
 *     Tigrinya/Amharic are then told apart by letters and marker words
 *     (lang_pick.c).
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
	int		 turkish;	/* index of "tr", or -1 */
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
	l->turkish = -1;
	for (i = 0; i < NSTOP; i++) {
		char **w = g_strsplit(stopwords[i].words, " ", -1);

		if (g_str_equal(stopwords[i].code, "ar"))
			l->arabizi = i;
		else if (g_str_equal(stopwords[i].code, "tr"))
			l->turkish = i;
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

/* What the stop words of a text said. */
struct vote {
	int		 n[NSTOP];	/* words of each list */
	int		 best;		/* index of the clear winner, or -1 */
	int		 hits;		/* words of the most voted list */
	int		 runner, rhits;	/* the next one */
};

/*
 * A Turkish verb by its ending: -iyor(um), -abilir(im), -mısınız...
 * ("arıyorum", "bulabilirim", "yardım eder misiniz"), not Spanish mayor.
 */
static gboolean
turkish_verb(const char *w, gsize len)
{
	static const char *const end[] = { "iyor", "ıyor", "uyor", "üyor",
	    "iyorum", "ıyorum", "uyorum", "üyorum", "iyoruz", "ıyoruz",
	    "uyoruz", "üyoruz", "abilir", "ebilir", "abilirim", "ebilirim",
	    "misiniz", "mısınız", "musunuz", "müsünüz",
	    "iyorsunuz", "ıyorsunuz", "mıyım", "miyim", "yorlar", NULL };

	if (len < 6)
		return FALSE;
	for (int i = 0; end[i] != NULL; i++) {
		gsize n = strlen(end[i]);

		if (len > n && memcmp(w + len - n, end[i], n) == 0)
			return TRUE;
	}
	return FALSE;
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
			if (bits == 0 && l->turkish >= 0 && turkish_verb(w, p - w))
				bits = 1u << l->turkish;
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
	const char *body, *subject, *form = NULL;
	const char *lang = NULL, *second = NULL, *nofp = NULL;
	const char *const *only = NULL;
	enum lscript script;
	gboolean reply;
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
	} else if (body != NULL && (form = form_message(body)) != NULL) {
		/* A web form: the message field, not the form's French labels. */
		scan_text(&sc, buf, form);
		if (!enough(&sc, main_script(&sc))) {
			scan_reset(&sc, buf);
			scan_text(&sc, buf, body);
			form = NULL;
		}
	} else
		scan_text(&sc, buf, body);
	/*
	 * The subject of a reply ("Re: Accusé de réception") was written by
	 * the other side, a form's by the form: it counts only when the text
	 * is too short alone.
	 */
	subject = subject_core(r->subject, &reply);
	if ((!reply && form == NULL) ||
	    !enough(&sc, main_script(&sc)))
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
		if (v >= 0)
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
	case S_CYRILLIC: {
		gboolean srmk_only;

		lang = lang_cyrillic_pick(&sc, buf->str, &second, &srmk_only);
		if (srmk_only)
			only = srmk;
		break;
	}
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
		/* ... and with schwa, Azerbaijani (answered in Turkish) */
		if (sc.az >= 2 && sc.az * 40 >= sc.script[S_LATIN] &&
		    (v < 0 || g_str_equal(stopwords[v].code, "tr")))
			lang = "az", second = "tr";
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
	/* TEXT WRITTEN IN CAPITALS: the fingerprints know lower case */
	if (lang == NULL && sc.upper * 2 > sc.letters) {
		char *low = strdown_runs(buf->str);

		g_string_assign(buf, low);
		g_free(low);
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
