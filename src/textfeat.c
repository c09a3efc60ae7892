/*
 * textfeat.c: hashed features of a request for the learned model (see
 * textfeat.h).  Each feature is a namespace letter plus a string, hashed
 * (FNV-1a) into FEAT_DIM buckets; counts are weighted by where the words
 * stand, damped (log), and the vector is scaled to unit length so a long
 * mail weighs no more than a short one.
 */
#include <math.h>
#include <string.h>
#include "textfeat.h"
#include "fold.h"
#include "request.h"

#define BODY_MAX	4000	/* bytes of cleaned text read: requests are short */
#define EARLY_WORDS	40	/* the first sentences, more or less */
#define WORD_MAX	48	/* code points of a word used for n-grams */
#define RULE_WEIGHT	8.0f	/* a rule that fired: chosen by cross-validation */

/* Weights summed per bucket (dense: scanning it in order sorts for free). */
struct acc {
	float		*w;		/* FEAT_DIM + 1 */
	guint		 n;		/* buckets touched */
};

static guint32
fnv(char ns, const char *s, gsize n)
{
	guint32 h = 2166136261u;

	h = (h ^ (guint8)ns) * 16777619u;
	for (gsize i = 0; i < n; i++)
		h = (h ^ (guint8)s[i]) * 16777619u;
	return h;
}

static void
add(struct acc *a, char ns, const char *s, gsize n, float w)
{
	guint32 h = fnv(ns, s, n);
	guint32 i = ns == 'R' ? FEAT_TEXT + 1 + h % (FEAT_RULES - FEAT_TEXT) :
	    ns == 'U' ? FEAT_RULES + 1 + h % (FEAT_URULES - FEAT_RULES) :
	    ns == 'Q' ? FEAT_URULES + 1 + h % (FEAT_DIM - FEAT_URULES) : h % FEAT_TEXT + 1;

	if (a->w[i] == 0.0f)
		a->n++;
	a->w[i] += w;
}

/* Character n-grams (3 to 5 code points) of " word ". */
static void
add_ngrams(struct acc *a, const char *w, gsize n, float weight)
{
	char buf[WORD_MAX * 6 + 3];
	guint off[WORD_MAX + 3], k = 0;
	gsize len = 0;
	const char *p = w, *end = w + n;

	buf[len++] = ' ';
	off[k++] = 0;
	while (p < end && k < WORD_MAX + 1) {
		const char *q = g_utf8_next_char(p);

		if (q > end)
			q = end;
		off[k++] = (guint)len;
		memcpy(buf + len, p, (gsize)(q - p));
		len += (gsize)(q - p);
		p = q;
	}
	off[k++] = (guint)len;
	buf[len++] = ' ';
	off[k] = (guint)len;	/* end of the last code point */
	for (guint g = 3; g <= 5; g++)
		for (guint i = 0; i + g <= k; i++)
			add(a, 'C', buf + off[i], off[i + g] - off[i], weight);
}

/*
 * Words and n-grams of a folded text " w1 w2 ... ".  No word pairs: they
 * lowered the cross-validated accuracy (too rare to learn from).
 */
static void
add_text(struct acc *a, const GString *f, gboolean subject)
{
	const char *p = f->str, *end = f->str + f->len;
	guint nword = 0;

	while (p < end) {
		const char *w, *e;
		float weight;

		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		w = p;
		e = memchr(w, ' ', (gsize)(end - w));
		if (e == NULL)
			e = end;
		p = e;
		weight = subject ? 2.0f : nword < EARLY_WORDS ? 1.5f : 1.0f;
		nword++;
		if (subject)
			add(a, 'S', w, (gsize)(e - w), 1.0f);
		add(a, 'W', w, (gsize)(e - w), weight);
		add_ngrams(a, w, (gsize)(e - w), weight * 0.5f);
	}
}

gboolean
features_read(gboolean urgent, int i)
{
	if (i < 1 || i > FEAT_DIM)
		return FALSE;
	if (i <= FEAT_RULES)
		return TRUE;
	return i <= FEAT_URULES ? !urgent : urgent;
}

GArray *
features_extract(const char *subject, const char *body, const char *from_domain,
    const GPtrArray *hits)
{
	struct acc a = { g_new0(float, FEAT_DIM + 1), 0 };
	struct acc *ap = &a;
	GArray *out;
	GString *f = g_string_sized_new(BODY_MAX + 64);
	struct feature_node end = { -1, 0.0 };
	double norm = 0.0;

	if (subject != NULL) {
		fold_text(f, subject, (gssize)strnlen(subject, 512));
		add_text(ap, f, TRUE);
	}
	if (body != NULL) {
		gsize n = strnlen(body, BODY_MAX);

		/* do not cut a UTF-8 sequence in two */
		while (n > 0 && body[n] != '\0' && ((guint8)body[n] & 0xC0) == 0x80)
			n--;
		g_string_truncate(f, 0);
		fold_text(f, body, (gssize)n);
		add_text(ap, f, FALSE);
	}
	for (const char *d = from_domain; d != NULL && *d; ) {
		add(ap, 'D', d, strlen(d), 1.0f);
		if ((d = strchr(d, '.')) != NULL)
			d++;
	}
	for (guint i = 0; hits != NULL && i < hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(hits, i);

		char ns = g_str_has_prefix(h->rule, "urgent-") ? 'U' :
		    g_str_has_prefix(h->rule, "cue-") ? 'Q' : 'R';

		add(ap, ns, h->rule, strlen(h->rule), RULE_WEIGHT);
	}
	g_string_free(f, TRUE);

	out = g_array_sized_new(FALSE, FALSE, sizeof(struct feature_node), a.n + 1);
	for (int i = 1; i <= FEAT_DIM; i++) {
		struct feature_node fn = { i, 0.0 };

		if (a.w[i] <= 0.0f)
			continue;
		fn.value = log1p(a.w[i]);
		norm += fn.value * fn.value;
		g_array_append_val(out, fn);
	}
	g_free(a.w);
	norm = norm > 0 ? sqrt(norm) : 1.0;
	for (guint i = 0; i < out->len; i++)
		g_array_index(out, struct feature_node, i).value /= norm;
	g_array_append_val(out, end);
	return out;
}
