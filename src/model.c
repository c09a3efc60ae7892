/*
 * model.c: training (LIBLINEAR, L2-regularised logistic regression, one
 * versus the rest), the model file and prediction (see model.h).
 *
 * The file is a few header lines then, per label, the weights as 16-bit
 * floats (IEEE half precision; "guichet-model 1" files, still read, hold
 * 32-bit floats), one row per feature bucket of the label's space
 * (textfeat.h: 2^17 rows for domain and requester, 2^15 for topic and urgency;
 * then the bias), one column per class (one column for two classes, as
 * LIBLINEAR keeps them).  Files of format 1 and 2 (every label at 2^15) are
 * still read: their labels read the narrow space, which holds the features
 * they were trained on; guichet retrains them since their signature is
 * stale (learn.c).  Prediction reads the mapped file directly: a dot product
 * per class over the request's few hundred features.  Every message
 * touches most pages of the file, so its size is resident memory: half
 * precision halves it (2.8 MB instead of 5.6 for the shipped examples),
 * and changes a probability by under 1e-3 (8e-4 at most on the test
 * mail, whose labels stay the same).  A trained model is rounded the same way before it is used.
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

#define MODEL_MAGIC	"guichet-model 3"	/* half precision, a space per label */
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

struct lab {
	int		 nclass;	/* 0: no model for this label */
	int		 nw;		/* weight columns: 1 for two classes */
	enum feat_space	 space;		/* the features it reads */
	int		 dim;		/* features_dim(space) */
	char	       **classes;	/* LIBLINEAR's order */
	const guint16	*w;		/* (dim + 1) * nw halves, in map or owned */
	guint16		*own;		/* trained in memory or widened file, else NULL */
	int		 n;
	double		 cv;
};

struct lmodel {
	GMappedFile	*map;
	char		*signature;
	int		 format;	/* of the file read: 1, 2 or 3 (3 when trained) */
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
	lb->own = g_new(guint16, (gsize)(lb->dim + 1) * nw);
	for (gsize i = 0; i < (gsize)(lb->dim + 1) * nw; i++)
		lb->own[i] = half_of((float)lm->w[i]);
	lb->w = lb->own;
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
	m->format = 3;
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
		const guint16 *bias = lb->w + (gsize)lb->dim * lb->nw;
		int base = features_base(lb->space);

		for (int c = 0; c < lb->nw; c++)
			dec[c] = float_of(bias[c]);
		for (guint i = 0; i < x->len; i++) {
			const struct feature_node *f = &g_array_index(x, struct feature_node, i);
			const guint16 *row;

			if (!features_read(lb->space, label == M_URGENT, f->index))
				continue;
			row = lb->w + (gsize)(f->index - base - 1) * lb->nw;
			for (int c = 0; c < lb->nw; c++)
				dec[c] += float_of(row[c]) * f->value;
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
		g_string_append_printf(h, "label %s %d %d %.4f %d\n", model_label_names[l],
		    lb->nclass, lb->n, lb->cv, lb->nclass >= 2 ? lb->dim : 0);
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

		if (lb->nclass >= 2)
			ok = write_all(fd, lb->w, (gsize)(lb->dim + 1) * lb->nw * sizeof(guint16));
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
	const char *p, *end, *nl;
	gsize off, need = 0, wsize = sizeof(guint16);
	int label = -1, c = 0;
	gboolean magic = FALSE;

	if ((m->map = g_mapped_file_new(path, FALSE, err)) == NULL) {
		g_free(m);
		return NULL;
	}
	p = g_mapped_file_get_contents(m->map);
	end = p + g_mapped_file_get_length(m->map);
	for (nl = p; p < end; p = nl + 1) {
		g_autofree char *line = NULL;
		char name[64];
		int k, n, dim, nf;
		double cv;

		if ((nl = memchr(p, '\n', (gsize)(end - p))) == NULL)
			goto bad;
		line = g_strndup(p, (gsize)(nl - p));
		if (!magic) {
			if (strcmp(line, MODEL_MAGIC_F32) == 0) {
				wsize = sizeof(float);	/* rounded below */
				m->format = 1;
			} else if (strcmp(line, MODEL_MAGIC_F16) == 0)
				m->format = 2;
			else if (strcmp(line, MODEL_MAGIC) == 0)
				m->format = 3;
			else
				goto bad;
			magic = TRUE;
		} else if (strcmp(line, "data") == 0) {
			break;
		} else if (m->format < 3 && sscanf(line, "dim %d", &dim) == 1) {
			if (dim != FEAT_NARROW_DIM)
				goto bad;
		} else if (g_str_has_prefix(line, "signature ")) {
			m->signature = g_strdup(line + 10);
		} else if ((nf = sscanf(line, "label %63s %d %d %lf %d", name, &k, &n, &cv,
		    &dim)) >= 4) {
			enum feat_space sp = FEAT_NARROW;	/* formats 1 and 2 */

			if (m->format >= 3) {
				if (nf != 5)
					goto bad;
				for (sp = 0; sp < FEAT_NSPACES; sp++)
					if (dim == features_dim(sp))
						break;
				if (sp == FEAT_NSPACES && (dim != 0 || k >= 2))
					goto bad;
			} else if (nf != 4)
				goto bad;
			for (label = 0; label < M_NLABELS; label++)
				if (strcmp(name, model_label_names[label]) == 0)
					break;
			if (label == M_NLABELS || k < 0 || k > 1000 || m->lab[label].classes)
				goto bad;
			m->lab[label].space = sp < FEAT_NSPACES ? sp : FEAT_NARROW;
			m->lab[label].dim = features_dim(m->lab[label].space);
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
	off = (gsize)(nl + 1 - g_mapped_file_get_contents(m->map));
	while (off % 8 != 0)
		off++;
	for (int l = 0; l < M_NLABELS; l++) {
		struct lab *lb = &m->lab[l];

		if (lb->classes == NULL || lb->nclass < 2)
			continue;
		for (int k = 0; k < lb->nclass; k++)
			if (lb->classes[k] == NULL)
				goto bad;
		lb->w = (const guint16 *)(gconstpointer)(g_mapped_file_get_contents(m->map) +
		    off + need);
		need += (gsize)(lb->dim + 1) * lb->nw * wsize;
	}
	if (off + need != g_mapped_file_get_length(m->map))
		goto bad;
	for (int l = 0; wsize == sizeof(float) && l < M_NLABELS; l++) {
		/* A model of an earlier guichet: its weights rounded as a new one's. */
		struct lab *lb = &m->lab[l];
		const float *w32 = (const float *)(gconstpointer)lb->w;
		gsize n = (gsize)(lb->dim + 1) * lb->nw;

		if (lb->w == NULL)
			continue;
		lb->own = g_new(guint16, n);
		for (gsize i = 0; i < n; i++) {
			float v;

			memcpy(&v, w32 + i, sizeof v);
			lb->own[i] = half_of(v);
		}
		lb->w = lb->own;
	}
	if (wsize == sizeof(float))		/* read whole: its pages need not stay */
		g_clear_pointer(&m->map, g_mapped_file_unref);
	return m;
bad:
	g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
	    "%s: not a guichet model (run guichet learn)", path);
	model_free(m);
	return NULL;
}
