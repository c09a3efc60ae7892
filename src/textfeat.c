/*
 * textfeat.c: hashed features of a request for the learned model (see
 * textfeat.h).  Each feature is a namespace letter plus a string, hashed
 * (FNV-1a) into the buckets of each space; counts are weighted by where
 * the words stand, damped (log), and each space is scaled to unit length so
 * a long mail weighs no more than a short one.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "textfeat.h"
#include "fold.h"
#include "request.h"

#define BODY_MAX	4000	/* bytes of cleaned text read: requests are short */
#define EARLY_WORDS	40	/* the first sentences, more or less */
#define WORD_MAX	48	/* code points of a word used for n-grams */
#define RULE_WEIGHT	8.0f	/* a rule that fired: chosen by cross-validation */

/*
 * Weights summed per bucket of each space, in a small open-addressing
 * table per space (bucket 0 never occurs: it marks a free slot): a request
 * fills a few hundred to a few thousand buckets of 2^15 + 2^17, and dense
 * arrays of both spaces were 640 kB written and scanned whole per request
 * (resident memory of the read-ahead thread, issue 20).  Each bucket's sum
 * is made in the same order as before, and the buckets are sorted by index
 * before they are damped and scaled, so the vector is the same to the bit.
 */
struct sacc {
	guint32		*key;
	float		*w;
	guint		 cap;		/* a power of two */
	guint		 n;		/* buckets touched */
};

struct acc {
	struct sacc	 s[FEAT_NSPACES];
};

static void sacc_add(struct sacc *, guint32, float);

static void
sacc_grow(struct sacc *t)
{
	struct sacc old = *t;

	t->cap = old.cap ? old.cap * 2 : 1024;
	t->key = g_new0(guint32, t->cap);
	t->w = g_new(float, t->cap);
	t->n = 0;
	for (guint j = 0; j < old.cap; j++)
		if (old.key[j] != 0)
			sacc_add(t, old.key[j], old.w[j]);
	g_free(old.key);
	g_free(old.w);
}

static void
sacc_add(struct sacc *t, guint32 i, float w)
{
	guint m, j;

	if ((t->n + 1) * 2 > t->cap)
		sacc_grow(t);
	m = t->cap - 1;
	j = (i * 2654435761u) & m;
	while (t->key[j] != 0 && t->key[j] != i)
		j = (j + 1) & m;
	if (t->key[j] == 0) {
		t->key[j] = i;
		t->w[j] = 0.0f;
		t->n++;
	}
	t->w[j] += w;
}

struct bucket {
	guint32		 i;
	float		 w;
};

static int
cmp_bucket(gconstpointer a, gconstpointer b)
{
	guint32 x = ((const struct bucket *)a)->i, y = ((const struct bucket *)b)->i;

	return x < y ? -1 : x > y;
}

int
features_dim(enum feat_space sp)
{
	return sp == FEAT_NARROW ? FEAT_NARROW_DIM : FEAT_WIDE_DIM;
}

int
features_base(enum feat_space sp)
{
	return sp == FEAT_NARROW ? 0 : FEAT_NARROW_DIM;
}

/* The ranges of a space of dim buckets (textfeat.h): text, rules, urgency rules, cues. */
#define S_TEXT(dim)	((dim) - (1 << 12))
#define S_RULES(dim)	(S_TEXT(dim) + (1 << 11))
#define S_URULES(dim)	(S_RULES(dim) + (1 << 10))

static guint32
fnv(char ns, const char *s, gsize n)
{
	guint32 h = 2166136261u;

	h = (h ^ (guint8)ns) * 16777619u;
	for (gsize i = 0; i < n; i++)
		h = (h ^ (guint8)s[i]) * 16777619u;
	return h;
}

#define ALL_SPACES	((1u << FEAT_NSPACES) - 1)

/* Feature ns:s of weight w into the spaces of mask (bit 1 << space). */
static void
add(struct acc *a, guint mask, char ns, const char *s, gsize n, float w)
{
	guint32 h = fnv(ns, s, n);

	for (int sp = 0; sp < FEAT_NSPACES; sp++) {
		if (!(mask & (1u << sp)))
			continue;
		guint32 d = (guint32)features_dim(sp);
		guint32 i = ns == 'R' ? S_TEXT(d) + 1 + h % (S_RULES(d) - S_TEXT(d)) :
		    ns == 'U' ? S_RULES(d) + 1 + h % (S_URULES(d) - S_RULES(d)) :
		    ns == 'Q' ? S_URULES(d) + 1 + h % (d - S_URULES(d)) : h % S_TEXT(d) + 1;

		sacc_add(&a->s[sp], i, w);
	}
}

/* Character n-grams (3 to 5 code points) of " word ". */
static void
add_ngrams(struct acc *a, guint mask, const char *w, gsize n, float weight)
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
			add(a, mask, 'C', buf + off[i], off[i + g] - off[i], weight);
}

/*
 * Words and n-grams of a folded text " w1 w2 ... ".  No word pairs: they
 * lowered the cross-validated accuracy (too rare to learn from).
 */
static void
add_text(struct acc *a, guint mask, const GString *f, gboolean subject)
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
			add(a, mask, 'S', w, (gsize)(e - w), 1.0f);
		add(a, mask, 'W', w, (gsize)(e - w), weight);
		add_ngrams(a, mask, w, (gsize)(e - w), weight * 0.5f);
	}
}

/*
 * A text folded as the rules fold it (f) into the narrow space, as
 * fold_text_marks() folds it (g: Tamil keeps its vowel signs) into the wide
 * one: urgency's features stay those its thresholds were chosen on.
 */
static void
add_folded(struct acc *a, const GString *f, const GString *g, gboolean subject)
{
	if (g_string_equal(f, g)) {
		add_text(a, ALL_SPACES, f, subject);
		return;
	}
	add_text(a, 1u << FEAT_NARROW, f, subject);
	add_text(a, 1u << FEAT_WIDE, g, subject);
}

gboolean
features_read(enum feat_space sp, gboolean urgent, int i)
{
	int d = features_dim(sp);

	i -= features_base(sp);
	if (i < 1 || i > d)
		return FALSE;
	if (i <= S_RULES(d))
		return TRUE;
	return i <= S_URULES(d) ? !urgent : urgent;
}

GArray *
features_extract(const char *subject, const char *body, const char *from_domain,
    const GPtrArray *hits)
{
	struct acc a = { { { NULL, NULL, 0, 0 }, { NULL, NULL, 0, 0 } } };
	struct acc *ap = &a;
	GArray *out;
	GString *f = g_string_sized_new(BODY_MAX + 64), *g = g_string_sized_new(BODY_MAX + 64);
	struct feature_node end = { -1, 0.0 };

	if (subject != NULL) {
		fold_text(f, subject, (gssize)strnlen(subject, 512));
		fold_text_marks(g, subject, (gssize)strnlen(subject, 512));
		add_folded(ap, f, g, TRUE);
	}
	if (body != NULL) {
		gsize n = strnlen(body, BODY_MAX);

		/* do not cut a UTF-8 sequence in two */
		while (n > 0 && body[n] != '\0' && ((guint8)body[n] & 0xC0) == 0x80)
			n--;
		g_string_truncate(f, 0);
		g_string_truncate(g, 0);
		fold_text(f, body, (gssize)n);
		fold_text_marks(g, body, (gssize)n);
		add_folded(ap, f, g, FALSE);
	}
	for (const char *d = from_domain; d != NULL && *d; ) {
		add(ap, ALL_SPACES, 'D', d, strlen(d), 1.0f);
		if ((d = strchr(d, '.')) != NULL)
			d++;
	}
	for (guint i = 0; hits != NULL && i < hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(hits, i);

		char ns = g_str_has_prefix(h->rule, "urgent-") ? 'U' :
		    g_str_has_prefix(h->rule, "cue-") ? 'Q' : 'R';

		add(ap, ALL_SPACES, ns, h->rule, strlen(h->rule), RULE_WEIGHT);
	}
	g_string_free(f, TRUE);
	g_string_free(g, TRUE);

	out = g_array_sized_new(FALSE, FALSE, sizeof(struct feature_node),
	    a.s[0].n + a.s[1].n + 1);
	for (int sp = 0; sp < FEAT_NSPACES; sp++) {
		struct sacc *t = &a.s[sp];
		g_autofree struct bucket *b = g_new(struct bucket, MAX(t->n, 1));
		guint from = out->len, nb = 0;
		int base = features_base(sp);
		double norm = 0.0;

		for (guint j = 0; j < t->cap; j++)
			if (t->key[j] != 0) {
				b[nb].i = t->key[j];
				b[nb++].w = t->w[j];
			}
		qsort(b, nb, sizeof *b, cmp_bucket);
		for (guint k = 0; k < nb; k++) {
			struct feature_node fn = { base + (int)b[k].i, 0.0 };

			if (b[k].w <= 0.0f)
				continue;
			fn.value = log1p(b[k].w);
			norm += fn.value * fn.value;
			g_array_append_val(out, fn);
		}
		g_free(t->key);
		g_free(t->w);
		norm = norm > 0 ? sqrt(norm) : 1.0;
		for (guint i = from; i < out->len; i++)
			g_array_index(out, struct feature_node, i).value /= norm;
	}
	g_array_append_val(out, end);
	return out;
}
