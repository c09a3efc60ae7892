/*
 * model.c: training (LIBLINEAR, L2-regularised logistic regression, one
 * versus the rest), the model file and prediction (see model.h).
 *
 * The file is a few header lines then, per label, its weights: one row per
 * feature bucket of the label's space (textfeat.h: 2^17 rows for domain and
 * requester, 2^15 for topic and urgency), then the bias, one column per
 * class (one column for two classes, as LIBLINEAR keeps them).  Prediction
 * reads the mapped file directly: a dot product per class over the
 * request's few hundred features.  Every message touches most pages of the
 * file, so its size is resident memory (issue 20), and the weights are
 * kept small:
 *   - format 4 (written now) keeps only the rows that have a weight (a
 *     bucket no training example filled has none: half of the wide space,
 *     a sixth of the narrow one), found through a bitmap of the rows and
 *     the count of rows before each 64 (computed at load); urgency ("s16")
 *     as half-precision floats, so that its probabilities, and the
 *     thresholds read against them, are those of format 3; domain,
 *     requester and topic ("s8") as one byte per weight, an index into a
 *     table of 256 values per class (0, and 255 steps of a logarithmic
 *     scale: fit_book()).  Shipped examples: 5.4 MB in format 3, 2.6 MB
 *     with topic's 29 classes in s16 (1.6 MB of it), 1.9 MB with topic in
 *     s8 too; over the 4,368 .eml of rules/ and tests/ (not tests/heldout),
 *     explain gives the same decisions (domain, topic, requester, urgency,
 *     reply) with topic in s8 as in s16; the domain in s8 had changed one
 *     of 4,286 against s16 (a probability moves by 0.011 at most).
 *   - format 3: every row, half-precision floats (IEEE, rounded to nearest
 *     even; a probability moves by under 1e-3 against 32-bit weights);
 *     format 2 the same with every label at 2^15, format 1 with 32-bit
 *     floats (rounded to half at load).  Files of formats 1 and 2 are still
 *     read: their labels read the narrow space, which holds the features they
 *     were trained on; guichet retrains them since their signature is stale
 *     (learn.c).  A format 3 file is read and used as it is.
 * A trained model is encoded the same way before it is used, so that it
 * predicts what its file will.  A file that is short, long or inconsistent
 * (a count of rows that does not match its size, a table value that is not
 * a finite number) is refused whole with an error, never read past its end.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linear.h>
#include "config.h"
#include "textfeat.h"
#include "model.h"

#define MODEL_MAGIC	"guichet-model 4"	/* rows with a weight, per label encoding */
#define MODEL_MAGIC_V3	"guichet-model 3"	/* half precision, a space per label */
#define MODEL_MAGIC_F16	"guichet-model 2"	/* half precision, every label at 2^15 */
#define MODEL_MAGIC_F32	"guichet-model 1"	/* 32-bit weights, every label at 2^15 */
/*
 * Inverse regularisation, chosen by 5-fold cross-validation on the shipped
 * examples: little regularisation for domain, topic and requester (many
 * classes, many rare features); more for urgent, whose probability is a
 * recall-oriented safety net read against a low threshold: 32, chosen by
 * 5-fold cross-validation over the urgency folders of rules/training
 * (fresh*, urgent4) and by a model trained without tests/labelled*
 * scored on them: at the threshold that keeps every urgent request that
 * C 8 caught, 54 false alarms against 64 (C 128 loses one).
 */
#define MODEL_C		256.0
#define MODEL_C_URGENT	32.0

const char *const model_label_names[M_NLABELS] = { "domain", "topic", "requester", "urgent" };

/*
 * The feature space each label reads (textfeat.h).  Domain and requester
 * read the wide one: domain on the folders of rules/training that the
 * rules were not tuned on, each scored by a model trained without it,
 * 89.0% -> 89.9% combined, 88.7% -> 89.4% model alone.  Urgency stays in
 * the narrow space, so that its probabilities, and the thresholds chosen
 * on them, do not move.  Topic too: its 29 classes would take 7.6 MB at
 * 2^17 instead of 1.9 (the model's pages are resident memory, issue 20),
 * and topic is not what the wide space is for.
 */
static const enum feat_space label_space[M_NLABELS] = {
	FEAT_WIDE, FEAT_NARROW, FEAT_WIDE, FEAT_NARROW
};

/*
 * How a label's weights are stored (format 4 names them in its label line).
 * f16: (dim + 1) * nw halves, every row then the bias (formats 1 to 3).
 * s16, s8: the bias as nw floats (padded to 8 bytes), a bitmap of the dim
 * rows that have a weight (dim / 64 words), for s8 a table of 256 floats
 * per class, then per row kept nw halves (s16) or nw bytes (s8).
 */
enum wenc {
	ENC_F16,
	ENC_S16,
	ENC_S8,
	ENC_N,
};
static const char *const enc_names[ENC_N] = { "f16", "s16", "s8" };

/*
 * The encoding a label is trained into: urgency exactly as in format 3
 * (its thresholds); a file with topic in s16 (written before) is read as
 * it is.
 */
static const enum wenc label_enc[M_NLABELS] = { ENC_S8, ENC_S8, ENC_S8, ENC_S16 };

#define BOOK	256			/* values in an s8 table */
#define ALIGN8(n)	(((n) + 7) & ~(gsize)7)

struct lab {
	int		 nclass;	/* 0: no model for this label */
	int		 nw;		/* weight columns: 1 for two classes */
	enum feat_space	 space;		/* the features it reads */
	int		 dim;		/* features_dim(space) */
	char	       **classes;	/* LIBLINEAR's order */
	enum wenc	 enc;
	const guint8	*blob;		/* the weights as in the file, in map or own */
	gsize		 blob_len;
	guint8		*own;		/* trained in memory or widened file, else NULL */
	const guint16	*w;		/* f16: every row then the bias; s16: rows kept */
	const guint8	*q;		/* s8: rows kept, nw codes each */
	const float	*bias;		/* s16, s8: nw */
	const float	*book;		/* s8: BOOK values per class */
	const guint64	*bits;		/* s16, s8: the rows kept */
	guint32		*rank;		/* s16, s8: rows kept before each word of bits, owned */
	int		 n;
	double		 cv;
};

struct lmodel {
	GMappedFile	*map;
	char		*signature;
	int		 format;	/* of the file read: 1 to 4 (4 when trained) */
	struct lab	 lab[M_NLABELS];
};

struct example *
example_new(GArray *x, int weight, const char *origin)
{
	struct example *e = g_new0(struct example, 1);

	e->x = x;
	e->weight = weight;
	e->origin = g_strdup(origin);
	return e;
}

void
example_free(gpointer p)
{
	struct example *e = p;

	if (e == NULL)
		return;
	if (e->x != NULL)
		g_array_unref(e->x);
	for (int i = 0; i < M_NLABELS; i++)
		g_free(e->label[i]);
	g_free(e->origin);
	g_free(e);
}

void
model_free(struct lmodel *m)
{
	if (m == NULL)
		return;
	for (int i = 0; i < M_NLABELS; i++) {
		g_strfreev(m->lab[i].classes);
		g_free(m->lab[i].own);
		g_free(m->lab[i].rank);
	}
	if (m->map != NULL)
		g_mapped_file_unref(m->map);
	g_free(m->signature);
	g_free(m);
}

/* IEEE 754 half precision, rounded to nearest even. */
static guint16
half_of(float f)
{
	guint32 x, mant, sign, h;
	int e;

	memcpy(&x, &f, sizeof x);
	sign = (x >> 16) & 0x8000;
	mant = x & 0x7fffff;
	if (((x >> 23) & 0xff) == 0xff)
		return (guint16)(sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
	e = (int)((x >> 23) & 0xff) - 127 + 15;
	if (e >= 31)
		return (guint16)(sign | 0x7c00);
	if (e <= 0) {			/* a subnormal half, or zero */
		guint32 shift, rem, halfway;

		if (e < -10)
			return (guint16)sign;
		mant |= 0x800000;
		shift = (guint32)(14 - e);
		h = mant >> shift;
		rem = mant & ((1u << shift) - 1);
		halfway = 1u << (shift - 1);
		if (rem > halfway || (rem == halfway && (h & 1)))
			h++;
		return (guint16)(sign | h);
	}
	h = ((guint32)e << 10) | (mant >> 13);
	if ((mant & 0x1fff) > 0x1000 || ((mant & 0x1fff) == 0x1000 && (h & 1)))
		h++;			/* a carry into the exponent is right */
	return (guint16)(sign | h);
}

static inline float
float_of(guint16 h)
{
	guint32 e = (h >> 10) & 0x1f, m = h & 0x3ff, x;
	float f;

	if (e == 0) {			/* zero or subnormal: m * 2^-24, exact */
		f = (float)m * (1.0f / 16777216.0f);
		return (h & 0x8000) ? -f : f;
	}
	x = ((guint32)(h & 0x8000) << 16) |
	    (e == 31 ? 0x7f800000 | (m << 13) : ((e + 112) << 23) | (m << 13));
	memcpy(&f, &x, sizeof f);
	return f;
}

/*
 * Point lb's views into its blob of len bytes (lb->enc, dim, nw set) and
 * count the rows kept; FALSE when the blob does not hold what it says
 * (then lb->blob_len is unset).  Reads nothing past p + len.
 */
static gboolean
lab_attach(struct lab *lb, const guint8 *p, gsize len)
{
	gsize nwords = (gsize)lb->dim / 64, at, nkept = 0, vsize, need;

	lb->blob = p;
	if (lb->enc == ENC_F16) {
		need = (gsize)(lb->dim + 1) * lb->nw * sizeof(guint16);
		if (need > len)
			return FALSE;
		lb->w = (const guint16 *)(gconstpointer)p;
		lb->blob_len = need;
		return TRUE;
	}
	if (lb->dim % 64 != 0)
		return FALSE;
	at = ALIGN8((gsize)lb->nw * sizeof(float));
	if (at + nwords * 8 > len)
		return FALSE;
	lb->bias = (const float *)(gconstpointer)p;
	for (int c = 0; c < lb->nw; c++)
		if (!isfinite(lb->bias[c]))
			return FALSE;
	lb->bits = (const guint64 *)(gconstpointer)(p + at);
	at += nwords * 8;
	g_free(lb->rank);
	lb->rank = g_new(guint32, nwords);
	for (gsize i = 0; i < nwords; i++) {
		lb->rank[i] = (guint32)nkept;
		nkept += (gsize)__builtin_popcountll(lb->bits[i]);
	}
	if (lb->enc == ENC_S8) {
		gsize nb = (gsize)lb->nw * BOOK;

		if (at + nb * sizeof(float) > len)
			return FALSE;
		lb->book = (const float *)(gconstpointer)(p + at);
		for (gsize i = 0; i < nb; i++)
			if (!isfinite(lb->book[i]))
				return FALSE;
		at += nb * sizeof(float);
		vsize = 1;
	} else
		vsize = sizeof(guint16);
	need = at + nkept * (gsize)lb->nw * vsize;
	if (need > len)
		return FALSE;
	if (lb->enc == ENC_S8)
		lb->q = p + at;
	else
		lb->w = (const guint16 *)(gconstpointer)(p + at);
	lb->blob_len = need;
	return TRUE;
}

static int
cmp_float(gconstpointer a, gconstpointer b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return x < y ? -1 : x > y;
}

/*
 * The table of one class's s8 codes: book[0] = 0, book[1..k] for its n
 * sorted nonzero values v.  The codes cut the range of the values in k
 * equal steps on a logarithmic scale, g(x) = sign(x) log(1 + |x| / s) with
 * s a quarter of the median magnitude (mu-law), so that every weight keeps
 * its relative precision, the few large ones (the decisive features) as
 * the many small ones; each code then stands for the mean of its values.
 * q receives the scale, the lowest g and the step, for code_of().
 */
struct grid {
	double		 s, lo, step;
	gsize		 k;
};

static double
compand(double x, double s)
{
	return x < 0 ? -log1p(-x / s) : log1p(x / s);
}

/* The code of value x on grid q: 0 for 0, else 1 .. k. */
static guint8
code_of(const struct grid *q, float x)
{
	double i;

	if (x == 0.0f || q->k == 0)
		return 0;
	i = q->step > 0 ? floor((compand(x, q->s) - q->lo) / q->step + 0.5) : 0;
	return (guint8)(1 + CLAMP(i, 0, (double)q->k - 1));
}

static void
fit_book(const float *v, gsize n, float *book, struct grid *q)
{
	g_autofree double *sum = g_new0(double, BOOK);
	g_autofree gsize *cnt = g_new0(gsize, BOOK);
	g_autofree float *mag = g_new(float, MAX(n, 1));

	for (gsize i = 0; i < BOOK; i++)
		book[i] = 0.0f;
	q->k = MIN(n, (gsize)BOOK - 1);
	q->s = 1.0;
	q->lo = 0;
	q->step = 0;
	if (n == 0)
		return;
	for (gsize i = 0; i < n; i++)
		mag[i] = fabsf(v[i]);
	qsort(mag, n, sizeof *mag, cmp_float);
	q->s = MAX(mag[n / 2] / 4.0, 1e-12);
	q->lo = compand(v[0], q->s);
	if (q->k > 1)
		q->step = (compand(v[n - 1], q->s) - q->lo) / (double)(q->k - 1);
	for (gsize i = 0; i < n; i++) {
		guint8 c = code_of(q, v[i]);

		sum[c] += v[i];
		cnt[c]++;
	}
	for (gsize c = 1; c <= q->k; c++)
		if (cnt[c] > 0)
			book[c] = (float)(sum[c] / (double)cnt[c]);
}

/*
 * Encode LIBLINEAR's weights w ((dim + 1) * nw doubles, the bias last) as
 * lb->enc into lb->own and attach them.  Every weight goes through half
 * precision first, as format 3 kept it: a weight that rounds to 0 is none.
 */
static void
lab_encode(struct lab *lb, const double *w)
{
	gsize nw = (gsize)lb->nw, dim = (gsize)lb->dim, nwords = dim / 64, nkept = 0, at, len;
	g_autofree float *h = g_new(float, (dim + 1) * nw);
	guint64 *bits;
	gboolean ok;

	for (gsize i = 0; i < (dim + 1) * nw; i++)
		h[i] = float_of(half_of((float)w[i]));
	if (lb->enc == ENC_F16) {
		guint16 *o = g_new(guint16, (dim + 1) * nw);

		for (gsize i = 0; i < (dim + 1) * nw; i++)
			o[i] = half_of(h[i]);
		lb->own = (guint8 *)o;
		ok = lab_attach(lb, lb->own, (dim + 1) * nw * sizeof(guint16));
		g_assert(ok);
		return;
	}
	bits = g_new0(guint64, nwords);
	for (gsize r = 0; r < dim; r++)
		for (gsize c = 0; c < nw; c++)
			if (h[r * nw + c] != 0.0f) {
				bits[r / 64] |= (guint64)1 << (r % 64);
				nkept++;
				break;
			}
	at = ALIGN8(nw * sizeof(float)) + nwords * 8;
	len = at + (lb->enc == ENC_S8 ? nw * BOOK * sizeof(float) + nkept * nw :
	    nkept * nw * sizeof(guint16));
	lb->own = g_malloc0(len);
	for (gsize c = 0; c < nw; c++) {
		float b = h[dim * nw + c];

		memcpy(lb->own + c * sizeof(float), &b, sizeof b);
	}
	memcpy(lb->own + ALIGN8(nw * sizeof(float)), bits, nwords * 8);
	if (lb->enc == ENC_S8) {
		float *book = (float *)(gpointer)(lb->own + at);
		guint8 *q = lb->own + at + nw * BOOK * sizeof(float);
		g_autofree float *v = g_new(float, nkept);
		struct grid grid;

		for (gsize c = 0; c < nw; c++) {
			gsize n = 0;

			for (gsize r = 0; r < dim; r++)
				if ((bits[r / 64] >> (r % 64)) & 1 && h[r * nw + c] != 0.0f)
					v[n++] = h[r * nw + c];
			qsort(v, n, sizeof *v, cmp_float);
			fit_book(v, n, book + c * BOOK, &grid);
			for (gsize r = 0, j = 0; r < dim; r++)
				if ((bits[r / 64] >> (r % 64)) & 1)
					q[j++ * nw + c] = code_of(&grid, h[r * nw + c]);
		}
	} else {
		guint16 *o = (guint16 *)(gpointer)(lb->own + at);

		for (gsize r = 0, j = 0; r < dim; r++)
			if ((bits[r / 64] >> (r % 64)) & 1) {
				for (gsize c = 0; c < nw; c++)
					o[j * nw + c] = half_of(h[r * nw + c]);
				j++;
			}
	}
	g_free(bits);
	ok = lab_attach(lb, lb->own, len);
	g_assert(ok && lb->blob_len == len);
}

static void
quiet(const char *s)
{
	(void)s;
}

static int
cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The features of e that label reads (textfeat.h), numbered from 1 in its
 * space, with LIBLINEAR's bias node, g_malloc'ed.
 */
static struct feature_node *
with_bias(const struct example *e, int label)
{
	guint n = e->x->len, k = 0;	/* n includes the -1 end */
	struct feature_node *x = g_new(struct feature_node, n + 1);
	enum feat_space sp = label_space[label];

	for (guint i = 0; i + 1 < n; i++) {
		const struct feature_node *f = &g_array_index(e->x, struct feature_node, i);

		if (features_read(sp, label == M_URGENT, f->index)) {
			x[k] = *f;
			x[k++].index -= features_base(sp);
		}
	}
	x[k].index = features_dim(sp) + 1;
	x[k].value = 1.0;
	x[k + 1].index = -1;
	x[k + 1].value = 0.0;
	return x;
}

static void
train_label(struct lmodel *m, int label, const GPtrArray *ex, gboolean cv,
    struct model_stats *st)
{
	struct lab *lb = &m->lab[label];
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autoptr(GHashTable) idx = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) xs = g_ptr_array_new_with_free_func(g_free);
	g_autofree int *wlabel = NULL;
	g_autofree double *wclass = NULL;
	GArray *y = g_array_new(FALSE, FALSE, sizeof(double));
	GArray *once = g_array_new(FALSE, FALSE, sizeof(int));	/* first copy of each */
	struct parameter par = { L2R_LR, 0.01, label == M_URGENT ? MODEL_C_URGENT : MODEL_C,
	    0, NULL, NULL, 0.1, NULL };
	struct problem prob;
	struct model *lm;
	int nw;

	for (guint i = 0; i < ex->len; i++) {
		const struct example *e = g_ptr_array_index(ex, i);

		if (e->label[label] != NULL && !g_hash_table_contains(idx, e->label[label])) {
			g_hash_table_add(idx, e->label[label]);
			g_ptr_array_add(names, e->label[label]);
		}
	}
	g_ptr_array_sort(names, cmp_str);
	g_hash_table_remove_all(idx);
	for (guint i = 0; i < names->len; i++)
		g_hash_table_insert(idx, g_ptr_array_index(names, i), GINT_TO_POINTER(i + 1));
	if (st != NULL) {
		st->nclass[label] = (int)names->len;
		st->cv[label] = -1;
	}
	for (guint i = 0; i < ex->len; i++) {
		const struct example *e = g_ptr_array_index(ex, i);
		double c;

		if (e->label[label] == NULL)
			continue;
		c = GPOINTER_TO_INT(g_hash_table_lookup(idx, e->label[label])) - 1;
		g_array_append_val(once, xs->len);
		for (int k = 0; k < MAX(e->weight, 1); k++) {
			g_ptr_array_add(xs, with_bias(e, label));
			g_array_append_val(y, c);
		}
	}
	lb->n = (int)once->len;
	if (st != NULL)
		st->n[label] = lb->n;
	if (names->len < 2)
		goto done;
	if (label != M_URGENT) {
		/* classes weighted by the inverse of their share: "information" is half of
		 * the examples and would otherwise win every doubt */
		wlabel = g_new0(int, names->len);
		wclass = g_new0(double, names->len);
		for (guint i = 0; i < y->len; i++)
			wclass[(int)g_array_index(y, double, i)] += 1.0;
		for (guint c = 0; c < names->len; c++) {
			wlabel[c] = (int)c;
			wclass[c] = (double)y->len / (names->len * MAX(wclass[c], 1.0));
		}
		par.nr_weight = (int)names->len;
		par.weight_label = wlabel;
		par.weight = wclass;
	}
	lb->space = label_space[label];
	lb->dim = features_dim(lb->space);
	prob.n = lb->dim + 1;
	prob.bias = 1.0;
	if (cv && st != NULL) {
		/* every example once, so that copies never sit on both sides */
		g_autofree double *cy = g_new(double, once->len);
		g_autofree struct feature_node **cx = g_new(struct feature_node *, once->len);
		g_autofree double *target = g_new(double, once->len);
		int right = 0;

		for (guint i = 0; i < once->len; i++) {
			int j = g_array_index(once, int, i);

			cx[i] = g_ptr_array_index(xs, j);
			cy[i] = g_array_index(y, double, j);
		}
		prob.l = (int)once->len;
		prob.x = cx;
		prob.y = cy;
		srand(1);
		if (prob.l >= 10) {
			cross_validation(&prob, &par, 5, target);
			for (int i = 0; i < prob.l; i++)
				right += target[i] == cy[i];
			st->cv[label] = (double)right / prob.l;
		}
	}
	prob.l = (int)xs->len;
	prob.x = (struct feature_node **)xs->pdata;
	prob.y = (double *)y->data;
	srand(1);
	lm = train(&prob, &par);
	nw = lm->nr_class == 2 ? 1 : lm->nr_class;
	lb->nclass = lm->nr_class;
	lb->nw = nw;
	lb->classes = g_new0(char *, lm->nr_class + 1);
	for (int c = 0; c < lm->nr_class; c++)
		lb->classes[c] = g_strdup(g_ptr_array_index(names, lm->label[c]));
	lb->enc = label_enc[label];
	lab_encode(lb, lm->w);
	lb->cv = st != NULL ? st->cv[label] : -1;
	free_and_destroy_model(&lm);
done:
	g_array_unref(y);
	g_array_unref(once);
}

struct lmodel *
model_train(const GPtrArray *examples, const char *signature, gboolean cv,
    struct model_stats *st)
{
	struct lmodel *m = g_new0(struct lmodel, 1);

	set_print_string_function(quiet);
	m->signature = g_strdup(signature ? signature : "-");
	m->format = 4;
	if (st != NULL)
		memset(st, 0, sizeof(*st));
	for (int l = 0; l < M_NLABELS; l++)
		train_label(m, l, examples, cv, st);
	return m;
}

const char *
model_signature(const struct lmodel *m)
{
	return m->signature;
}

int
model_format(const struct lmodel *m)
{
	return m->format;
}

gboolean
model_has(const struct lmodel *m, int label)
{
	return m != NULL && m->lab[label].nclass >= 2;
}

int
model_nclass(const struct lmodel *m, int label)
{
	return model_has(m, label) ? m->lab[label].nclass : 0;
}

const char *
model_class(const struct lmodel *m, int label, int i)
{
	return m->lab[label].classes[i];
}

int
model_probs(const struct lmodel *m, int label, const GArray *x, double *probs)
{
	const struct lab *lb;
	double sum = 0.0;

	if (!model_has(m, label))
		return 0;
	lb = &m->lab[label];
	{
		double dec[lb->nw];
		int base = features_base(lb->space);

		for (int c = 0; c < lb->nw; c++)
			dec[c] = lb->enc == ENC_F16 ?
			    float_of(lb->w[(gsize)lb->dim * lb->nw + c]) : lb->bias[c];
		for (guint i = 0; i < x->len; i++) {
			const struct feature_node *f = &g_array_index(x, struct feature_node, i);
			guint32 r, k;
			guint64 word, bit;

			if (!features_read(lb->space, label == M_URGENT, f->index))
				continue;
			r = (guint32)(f->index - base - 1);	/* 0 .. dim - 1 */
			if (lb->enc == ENC_F16) {
				const guint16 *row = lb->w + (gsize)r * lb->nw;

				for (int c = 0; c < lb->nw; c++)
					dec[c] += float_of(row[c]) * f->value;
				continue;
			}
			word = lb->bits[r / 64];
			bit = (guint64)1 << (r % 64);
			if (!(word & bit))
				continue;	/* no weight: no training example had it */
			k = lb->rank[r / 64] + (guint32)__builtin_popcountll(word & (bit - 1));
			if (lb->enc == ENC_S16) {
				const guint16 *row = lb->w + (gsize)k * lb->nw;

				for (int c = 0; c < lb->nw; c++)
					dec[c] += float_of(row[c]) * f->value;
			} else {
				const guint8 *row = lb->q + (gsize)k * lb->nw;

				for (int c = 0; c < lb->nw; c++)
					dec[c] += lb->book[c * BOOK + row[c]] * f->value;
			}
		}
		if (lb->nclass == 2) {
			probs[0] = 1.0 / (1.0 + exp(-dec[0]));
			probs[1] = 1.0 - probs[0];
			return 2;
		}
		for (int c = 0; c < lb->nclass; c++) {
			probs[c] = 1.0 / (1.0 + exp(-dec[c]));
			sum += probs[c];
		}
		for (int c = 0; c < lb->nclass; c++)
			probs[c] /= sum;
	}
	return lb->nclass;
}

double
model_prob(const struct lmodel *m, int label, const GArray *x, const char *cls)
{
	int n = model_nclass(m, label);
	double probs[MAX(n, 1)];

	if (n == 0 || model_probs(m, label, x, probs) == 0)
		return 0.0;
	for (int c = 0; c < n; c++)
		if (strcmp(m->lab[label].classes[c], cls) == 0)
			return probs[c];
	return 0.0;
}

/* The best class and its probability; NULL when the label has no model. */
static const char *
model_best(const struct lmodel *m, int label, const GArray *x, double *p)
{
	int n = model_nclass(m, label), best = 0;
	double probs[MAX(n, 1)];

	*p = 0.0;
	if (n == 0 || model_probs(m, label, x, probs) == 0)
		return NULL;
	for (int c = 1; c < n; c++)
		if (probs[c] > probs[best])
			best = c;
	*p = probs[best];
	return m->lab[label].classes[best];
}

double
model_cv(const struct lmodel *m, int label)
{
	return model_has(m, label) ? m->lab[label].cv : -1;
}

double
model_accuracy(const struct lmodel *m, int label, const GPtrArray *ex)
{
	int n = 0, right = 0;

	if (!model_has(m, label))
		return -1;
	for (guint i = 0; i < ex->len; i++) {
		const struct example *e = g_ptr_array_index(ex, i);
		double p;
		const char *b;

		if (e->label[label] == NULL)
			continue;
		n++;
		b = model_best(m, label, e->x, &p);
		right += b != NULL && strcmp(b, e->label[label]) == 0;
	}
	return n ? (double)right / n : -1;
}

/* --- the file --- */

static gboolean
write_all(int fd, const void *p, gsize n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t k = write(fd, s, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return FALSE;
		s += k;
		n -= (gsize)k;
	}
	return TRUE;
}

gboolean
model_save(const struct lmodel *m, const char *path, GError **err)
{
	/* one temporary file per process: two trainings never share one */
	g_autofree char *tmp = g_strdup_printf("%s.tmp.%ld", path, (long)getpid());
	g_autoptr(GString) h = g_string_new(MODEL_MAGIC "\n");
	int fd;
	gboolean ok;

	g_string_append_printf(h, "signature %s\n", m->signature);
	for (int l = 0; l < M_NLABELS; l++) {
		const struct lab *lb = &m->lab[l];

		/* the space's buckets: 0 for a label without a model */
		g_string_append_printf(h, "label %s %d %d %.4f %d %s\n", model_label_names[l],
		    lb->nclass, lb->n, lb->cv, lb->nclass >= 2 ? lb->dim : 0,
		    enc_names[lb->nclass >= 2 ? lb->enc : ENC_F16]);
		for (int c = 0; c < lb->nclass; c++)
			g_string_append_printf(h, "class %s\n", lb->classes[c]);
	}
	g_string_append(h, "data\n");
	while (h->len % 8 != 0)
		g_string_append_c(h, '\n');
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s: %s", tmp,
		    g_strerror(errno));
		return FALSE;
	}
	ok = write_all(fd, h->str, h->len);
	for (int l = 0; ok && l < M_NLABELS; l++) {
		const struct lab *lb = &m->lab[l];

		static const guint8 zero[8];

		if (lb->nclass >= 2)	/* each label's weights padded to 8 bytes */
			ok = write_all(fd, lb->blob, lb->blob_len) &&
			    write_all(fd, zero, ALIGN8(lb->blob_len) - lb->blob_len);
	}
	ok = ok && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = FALSE;
	if (!ok || rename(tmp, path) != 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s: %s", path,
		    g_strerror(errno));
		unlink(tmp);
		return FALSE;
	}
	return TRUE;
}

struct lmodel *
model_load(const char *path, GError **err)
{
	struct lmodel *m = g_new0(struct lmodel, 1);
	const char *p, *end, *nl, *why = NULL;
	const guint8 *base;
	gsize off, flen;
	int label = -1, c = 0;
	gboolean magic = FALSE;

	if ((m->map = g_mapped_file_new(path, FALSE, err)) == NULL) {
		g_free(m);
		return NULL;
	}
	p = g_mapped_file_get_contents(m->map);
	flen = g_mapped_file_get_length(m->map);
	end = p + flen;
	for (nl = p; p < end; p = nl + 1) {
		g_autofree char *line = NULL;
		char name[64], enc[8];
		int k, n, dim, nf;
		double cv;

		if ((nl = memchr(p, '\n', (gsize)(end - p))) == NULL)
			goto bad;
		line = g_strndup(p, (gsize)(nl - p));
		if (!magic) {
			if (strcmp(line, MODEL_MAGIC_F32) == 0)
				m->format = 1;	/* 32-bit weights, rounded below */
			else if (strcmp(line, MODEL_MAGIC_F16) == 0)
				m->format = 2;
			else if (strcmp(line, MODEL_MAGIC_V3) == 0)
				m->format = 3;
			else if (strcmp(line, MODEL_MAGIC) == 0)
				m->format = 4;
			else
				goto bad;
			magic = TRUE;
		} else if (strcmp(line, "data") == 0) {
			break;
		} else if (m->format < 3 && sscanf(line, "dim %d", &dim) == 1) {
			if (dim != FEAT_NARROW_DIM)
				goto bad;
		} else if (g_str_has_prefix(line, "signature ") && m->signature == NULL) {
			m->signature = g_strdup(line + 10);
		} else if ((nf = sscanf(line, "label %63s %d %d %lf %d %7s", name, &k, &n, &cv,
		    &dim, enc)) >= 4) {
			enum feat_space sp = FEAT_NARROW;	/* formats 1 and 2 */
			enum wenc e = ENC_F16;			/* formats 1 to 3 */

			if (m->format >= 3) {
				if (nf != (m->format == 3 ? 5 : 6))
					goto bad;
				for (sp = 0; sp < FEAT_NSPACES; sp++)
					if (dim == features_dim(sp))
						break;
				if (sp == FEAT_NSPACES && (dim != 0 || k >= 2))
					goto bad;
				if (m->format >= 4) {
					for (e = 0; e < ENC_N; e++)
						if (strcmp(enc, enc_names[e]) == 0)
							break;
					if (e == ENC_N)
						goto bad;
				}
			} else if (nf != 4)
				goto bad;
			for (label = 0; label < M_NLABELS; label++)
				if (strcmp(name, model_label_names[label]) == 0)
					break;
			if (label == M_NLABELS || k < 0 || k > 1000 || m->lab[label].classes)
				goto bad;
			m->lab[label].space = sp < FEAT_NSPACES ? sp : FEAT_NARROW;
			m->lab[label].dim = features_dim(m->lab[label].space);
			m->lab[label].enc = e;
			m->lab[label].nclass = k;
			m->lab[label].nw = k == 2 ? 1 : k;
			m->lab[label].n = n;
			m->lab[label].cv = cv;
			m->lab[label].classes = g_new0(char *, k + 1);
			c = 0;
		} else if (g_str_has_prefix(line, "class ") && label >= 0 &&
		    c < m->lab[label].nclass) {
			m->lab[label].classes[c++] = g_strdup(line + 6);
		} else
			goto bad;
	}
	if (p >= end || m->signature == NULL)
		goto bad;
	base = (const guint8 *)g_mapped_file_get_contents(m->map);
	off = ALIGN8((gsize)(nl + 1 - (const char *)base));
	for (int l = 0; l < M_NLABELS; l++) {
		struct lab *lb = &m->lab[l];

		if (lb->classes == NULL || lb->nclass < 2)
			continue;
		for (int k = 0; k < lb->nclass; k++)
			if (lb->classes[k] == NULL)
				goto bad;
		if (off > flen)
			goto bad;
		if (m->format == 1) {
			/* A model of an earlier guichet: its weights rounded as a new one's. */
			gsize n = (gsize)(lb->dim + 1) * lb->nw;
			guint16 *h;

			if (n * sizeof(float) > flen - off)
				goto bad;
			h = g_new(guint16, n);
			for (gsize i = 0; i < n; i++) {
				float v;

				memcpy(&v, base + off + i * sizeof v, sizeof v);
				h[i] = half_of(v);
			}
			lb->own = (guint8 *)h;
			if (!lab_attach(lb, lb->own, n * sizeof(guint16)))
				goto bad;
			off += n * sizeof(float);
		} else {
			if (!lab_attach(lb, base + off, flen - off)) {
				why = "its weights are cut short or inconsistent";
				goto bad;
			}
			/* format 4 pads each label's weights to 8 bytes */
			off += m->format >= 4 ? ALIGN8(lb->blob_len) : lb->blob_len;
		}
	}
	if (off != flen) {
		why = off < flen ? "bytes after its weights" : "its weights are cut short";
		goto bad;
	}
	if (m->format == 1)		/* read whole: its pages need not stay */
		g_clear_pointer(&m->map, g_mapped_file_unref);
	return m;
bad:
	g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
	    "%s: not a guichet model%s%s (run guichet learn)", path,
	    why != NULL ? ": " : "", why != NULL ? why : "");
	model_free(m);
	return NULL;
}
