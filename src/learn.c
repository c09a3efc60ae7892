/*
 * learn.c: the examples of the learned model, the model file, and
 * `guichet learn` (see learn.h).
 *
 * A shipped example is an .eml file of a training folder with its labels
 * in labels.tsv (the layout of tests/labelled: file, language, domain,
 * topic, requester, commune, urgent).  A correction is a stored request
 * with a 'label' event: its first message is parsed again from the raw
 * bytes, and only the fields the delegate corrected or confirmed (a
 * 'label' giving the value guichet had) are learnt from it, each copied
 * correction_weight times.  Every example goes through the
 * labelling stages of the pipeline (language, rules) as a new request
 * does, so that the model sees the same rules fire; the model is stale
 * when the shipped examples, the features or the rules change.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "textfeat.h"
#include "learn.h"
#include "log.h"
#include "parse.h"
#include "pipeline.h"
#include "sha256.h"
#include "store_learn.h"

char *
learn_model_path(const struct config *cfg, const char *db_path)
{
	g_autofree char *dir = NULL;

	if (cfg->model_path != NULL)
		return g_strdup(cfg->model_path);
	dir = g_path_get_dirname(db_path != NULL ? db_path : cfg->store_path);
	return g_build_filename(dir, "guichet.model", NULL);
}

static char *
training_dir(const struct config *cfg)
{
	return cfg->training_dir != NULL ? g_strdup(cfg->training_dir) :
	    g_build_filename(cfg->rules_dir, "training", NULL);
}

/*
 * Features of raw mail bytes labelled by p's stages (language, rules; p has
 * no model), or NULL when unreadable.
 */
static GArray *
features_of_raw(struct pipeline *p, const void *raw, gsize len)
{
	struct request *r = request_new("learn", g_memdup2(raw, len), len);
	GArray *x = NULL;

	if (pipeline_label(p, r))
		x = features_extract(r->subject, r->text_clean ? r->text_clean : r->text,
		    r->from_domain, r->hits);
	request_free(r);
	return x;
}

static char *
label_value(const char *v)
{
	return v == NULL || *v == '\0' || strcmp(v, "-") == 0 ? NULL : g_strdup(v);
}

/* One labels.tsv and its .eml files (with p); the file's bytes go into sum. */
static void
load_set(struct pipeline *p, const char *dir, GPtrArray *ex, struct sha256 *sum)
{
	g_autofree char *tsv = g_build_filename(dir, "labels.tsv", NULL);
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	int col[M_NLABELS] = { -1, -1, -1, -1 }, fcol = -1;
	gsize len;

	if (!g_file_get_contents(tsv, &text, &len, NULL))
		return;
	sha256_update(sum, text, len);
	if (ex == NULL)
		return;
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) f = g_strsplit(g_strchomp(lines[i]), "\t", -1);
		guint nf = g_strv_length(f);

		if (nf < 2)
			continue;
		if (i == 0) {
			for (guint k = 0; k < nf; k++) {
				if (strcmp(f[k], "file") == 0)
					fcol = (int)k;
				for (int l = 0; l < M_NLABELS; l++)
					if (strcmp(f[k], model_label_names[l]) == 0)
						col[l] = (int)k;
			}
			if (fcol < 0) {
				log_warnx("%s:1: no \"file\" column", tsv);
				return;
			}
			continue;
		}
		if ((guint)fcol >= nf)
			continue;
		{
			g_autofree char *path = g_build_filename(dir, f[fcol], NULL);
			g_autofree char *raw = NULL;
			struct example *e;
			GArray *x;

			if (!g_file_get_contents(path, &raw, &len, NULL)) {
				log_warnx("%s:%u: %s: cannot read", tsv, i + 1, f[fcol]);
				continue;
			}
			if ((x = features_of_raw(p, raw, len)) == NULL)
				continue;
			e = example_new(x, 1, path);
			for (int l = 0; l < M_NLABELS; l++)
				if (col[l] >= 0 && (guint)col[l] < nf)
					e->label[l] = label_value(f[col[l]]);
			g_ptr_array_add(ex, e);
		}
	}
}

static int
cmp_path(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The training folder, then each of its sub-folders, in name order. */
static GPtrArray *
list_sets(const struct config *cfg)
{
	GPtrArray *sets = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) subs = g_ptr_array_new_with_free_func(NULL);
	char *dir = training_dir(cfg);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	g_ptr_array_add(sets, dir);
	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(dir, name, NULL);

		if (name[0] != '.' && g_file_test(p, G_FILE_TEST_IS_DIR))
			g_ptr_array_add(subs, p);
		else
			g_free(p);
	}
	g_ptr_array_sort(subs, cmp_path);
	for (guint i = 0; i < subs->len; i++)
		g_ptr_array_add(sets, g_ptr_array_index(subs, i));
	return sets;
}

/* The rules files (*.conf of the rules folder, name order) into sum. */
static void
hash_rules(const struct config *cfg, struct sha256 *sum)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) d = g_dir_open(cfg->rules_dir, 0, NULL);
	const char *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(name, ".conf"))
			g_ptr_array_add(names, g_build_filename(cfg->rules_dir, name, NULL));
	g_ptr_array_sort(names, cmp_path);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *text = NULL;
		gsize len;

		if (g_file_get_contents(g_ptr_array_index(names, i), &text, &len, NULL))
			sha256_update(sum, text, len);
	}
}

/*
 * What the shipped examples are now: a hash of the feature version, of the
 * rules and of every labels.tsv, g_free.  With ex, also load the examples
 * (labelled by p).
 */
static char *
load_shipped(const struct config *cfg, struct pipeline *p, GPtrArray *ex)
{
	g_autoptr(GPtrArray) sets = list_sets(cfg);
	struct sha256 *sum = sha256_new();
	char *hex;

	sha256_update(sum, FEATURES_VERSION, strlen(FEATURES_VERSION));
	hash_rules(cfg, sum);
	for (guint i = 0; i < sets->len; i++)
		load_set(p, g_ptr_array_index(sets, i), ex, sum);
	hex = sha256_finish(sum);
	hex[16] = '\0';
	return hex;
}

struct corr_ctx {
	const struct config *cfg;
	struct pipeline	*p;
	GPtrArray	*ex;
	int		 n;
};

/* Was field corrected (named in the events' "field: old -> new" details)? */
static gboolean
corrected(const char *fields, const char *field)
{
	gsize n = strlen(field);

	for (const char *p = fields; (p = strstr(p, field)) != NULL; p += n)
		if ((p == fields || (p >= fields + 2 && p[-2] == ',' && p[-1] == ' ')) &&
		    p[n] == ':')
			return TRUE;
	return FALSE;
}

static void
add_correction(const struct correction *c, gpointer data)
{
	struct corr_ctx *cc = data;
	g_autofree char *origin = g_strconcat("correction ", c->ref, NULL);
	GArray *x = features_of_raw(cc->p, c->raw, c->raw_len);
	struct example *e;
	gboolean any = FALSE;

	if (x == NULL)
		return;
	e = example_new(x, cc->cfg->model_correction_weight, origin);
	if (corrected(c->fields, "domain") || corrected(c->fields, "topic")) {
		e->label[M_DOMAIN] = g_strdup(c->domain);
		e->label[M_TOPIC] = g_strdup(c->topic);
		any = TRUE;
	}
	if (corrected(c->fields, "requester")) {
		e->label[M_REQUESTER] = g_strdup(c->requester);
		any = TRUE;
	}
	if (corrected(c->fields, "urgent")) {
		e->label[M_URGENT] = g_strdup(c->urgent ? "1" : "0");
		any = TRUE;
	}
	if (!any) {
		example_free(e);
		return;
	}
	g_ptr_array_add(cc->ex, e);
	cc->n++;
}

static struct lmodel *
train_all(const struct setup *s, struct store *st, gboolean cv, struct model_stats *stats,
    int *nshipped, int *ncorr, GPtrArray **kept, GError **err)
{
	GPtrArray *ex = g_ptr_array_new_with_free_func(example_free);
	struct pipeline p = { (struct setup *)s, NULL, NULL, NULL, NULL };
	g_autofree char *sig = NULL;
	g_autofree char *full = NULL;
	struct corr_ctx cc = { s->cfg, &p, ex, 0 };
	gint64 last = 0;
	struct lmodel *m;
	gboolean ok = TRUE;

	if ((p.lang = langid_new(err)) == NULL) {
		g_ptr_array_unref(ex);
		return NULL;
	}
	sig = load_shipped(s->cfg, &p, ex);
	*nshipped = (int)ex->len;
	if (st != NULL) {
		store_label_events(st, &last);
		ok = store_each_correction(st, add_correction, &cc, err);
	}
	langid_free(p.lang);
	if (!ok) {
		g_ptr_array_unref(ex);
		return NULL;
	}
	*ncorr = cc.n;
	if (ex->len == 0) {
		g_autofree char *dir = training_dir(s->cfg);

		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s: no labelled example to learn from", dir);
		g_ptr_array_unref(ex);
		return NULL;
	}
	full = g_strdup_printf("%s corrections=%d upto=%" G_GINT64_FORMAT, sig, cc.n, last);
	m = model_train(ex, full, cv, stats);
	if (kept != NULL)
		*kept = ex;
	else
		g_ptr_array_unref(ex);
	return m;
}

/* The shipped part of a signature: what comes before the first space. */
static gboolean
same_shipped(const char *a, const char *b)
{
	gsize n = strcspn(a, " ");

	return strncmp(a, b, n) == 0 && (b[n] == ' ' || b[n] == '\0') &&
	    (a[n] == ' ' || a[n] == '\0');
}

struct lmodel *
learn_model_current(const struct setup *s, const char *db_path)
{
	g_autofree char *path = NULL;
	g_autofree char *sig = NULL;
	struct lmodel *m;
	GError *e = NULL;

	if (!s->cfg->model_enabled)
		return NULL;
	path = learn_model_path(s->cfg, db_path);
	if (access(path, R_OK) != 0)
		return NULL;
	sig = load_shipped(s->cfg, NULL, NULL);
	if ((m = model_load(path, &e)) != NULL && same_shipped(model_signature(m), sig))
		return m;
	if (m != NULL && model_format(m) < 3)
		log_warnx("%s: a model of an earlier guichet (file format %d, every label "
		    "at 2^15 features): retrained", path, model_format(m));
	if (m == NULL) {
		log_warnx("%s", e->message);
		g_clear_error(&e);
	}
	model_free(m);
	return NULL;
}

struct lmodel *
learn_model_for(const struct setup *s, const char *db_path, struct store *st)
{
	g_autofree char *path = NULL;
	struct lmodel *m;
	GError *e = NULL;
	int ns, nc;

	if (!s->cfg->model_enabled)
		return NULL;
	if ((m = learn_model_current(s, db_path)) != NULL)
		return m;
	path = learn_model_path(s->cfg, db_path);
	if ((m = train_all(s, st, FALSE, NULL, &ns, &nc, NULL, &e)) == NULL) {
		log_warnx("model: %s; the rules classify alone", e->message);
		g_error_free(e);
		return NULL;
	}
	if (!model_save(m, path, &e)) {
		log_debug("model not saved: %s", e->message);
		g_clear_error(&e);
	}
	return m;
}

static void
pct(FILE *out, double v)
{
	if (v < 0)
		fprintf(out, "%8s", "-");
	else
		fprintf(out, "%7.1f%%", 100.0 * v);
}

struct lmodel *
learn_retrain(const struct setup *s, struct store *st, const char *path, FILE *out,
    GError **err)
{
	struct lmodel *old = NULL, *m;
	struct model_stats stats;
	GPtrArray *ex = NULL;
	int ns = 0, nc = 0;

	if (access(path, R_OK) == 0)
		old = model_load(path, NULL);
	if ((m = train_all(s, st, TRUE, &stats, &ns, &nc, &ex, err)) == NULL) {
		model_free(old);
		return NULL;
	}
	if (!model_save(m, path, err)) {
		model_free(old);
		model_free(m);
		g_ptr_array_unref(ex);
		return NULL;
	}
	if (out != NULL) {
		fprintf(out, "%d shipped examples, %d corrected requests (each counted %d times)\n",
		    ns, nc, s->cfg->model_correction_weight);
		fprintf(out, "%-10s %8s %8s %8s %8s   (5-fold cross-validated accuracy)\n",
		    "label", "examples", "classes", "before", "after");
		for (int l = 0; l < M_NLABELS; l++) {
			fprintf(out, "%-10s %8d %8d ", model_label_names[l], stats.n[l],
			    stats.nclass[l]);
			pct(out, old != NULL ? model_cv(old, l) : -1);
			fputc(' ', out);
			pct(out, stats.cv[l]);
			fputc('\n', out);
		}
		if (old != NULL && nc > 0) {
			g_autoptr(GPtrArray) corr = g_ptr_array_new();

			for (guint i = 0; i < ex->len; i++) {
				struct example *x = g_ptr_array_index(ex, i);

				if (g_str_has_prefix(x->origin, "correction "))
					g_ptr_array_add(corr, x);
			}
			fprintf(out, "the model in place agreed with the delegate on:");
			for (int l = 0; l < M_NLABELS; l++) {
				double a = model_accuracy(old, l, corr);

				if (a >= 0)
					fprintf(out, " %s %.0f%%", model_label_names[l], 100.0 * a);
			}
			fprintf(out, " of the corrected requests\n");
		}
		fprintf(out, "model written to %s\n", path);
	}
	model_free(old);
	g_ptr_array_unref(ex);
	return m;
}

int
cmd_learn(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct setup *setup = NULL;
	struct store *store = NULL;
	g_autofree char *path = NULL;
	struct lmodel *m;
	GError *e = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		return cmd_usage(argv[0]);
	if (optind != argc)
		return cmd_usage(argv[0]);
	if ((rc = cmd_open(g, &setup, &store, STORE_READONLY)) != 0)
		return rc;
	path = learn_model_path(setup->cfg, g->db_path);
	m = learn_retrain(setup, store, path, stdout, &e);
	if (m == NULL) {
		g_printerr("guichet: learn: %s\n", e->message);
		g_error_free(e);
	}
	model_free(m);
	store_close(store);
	setup_free(setup);
	return m != NULL ? 0 : 1;
}
