/*
 * test_model.c: the model file (model.c): a model trained on made-up
 * examples predicts the same after save and load (format 4: s8 and s16
 * labels); a file cut short at any length, with bytes after it, or with
 * bytes changed in its header, tables or bitmaps is refused with an error
 * or read without reading past its end (the suite runs under ASan too),
 * never a crash.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "config.h"
#include "textfeat.h"
#include "model.h"
#include "tap.h"

#define diag(...) (printf("# "), printf(__VA_ARGS__), printf("\n"))

/* A made-up request of class cls (0..2): features in both spaces. */
static GArray *
vec(int cls, int i)
{
	GArray *x = g_array_new(FALSE, FALSE, sizeof(struct feature_node));
	int idx[] = {
		1 + (cls * 97 + i % 5) % 20000,
		20001 + (i * 31) % 5000,
		FEAT_NARROW_DIM + 1 + (cls * 1013 + i % 7) % 100000,
		FEAT_NARROW_DIM + 100001 + (i * 17) % 20000,
	};
	struct feature_node end = { -1, 0.0 };

	for (guint k = 0; k < G_N_ELEMENTS(idx); k++) {
		struct feature_node f = { idx[k], 0.5 };

		g_array_append_val(x, f);
	}
	g_array_append_val(x, end);
	return x;
}

static const char *const dom[] = { "langue", "information", "formation_emploi" };

static GPtrArray *
examples(void)
{
	GPtrArray *ex = g_ptr_array_new_with_free_func(example_free);

	for (int i = 0; i < 60; i++) {
		struct example *e = example_new(vec(i % 3, i), 1, "made-up");

		for (int l = 0; l < M_NLABELS; l++)
			e->label[l] = g_strdup(l == M_URGENT ? (i % 3 == 0 ? "1" : "0") : dom[i % 3]);
		g_ptr_array_add(ex, e);
	}
	return ex;
}

static gboolean
write_bytes(const char *path, const char *data, gsize len)
{
	return g_file_set_contents(path, data, (gssize)len, NULL);
}

int
main(void)
{
	g_autofree char *dir = g_dir_make_tmp("guichet-model-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "guichet.model", NULL);
	g_autofree char *bad = g_build_filename(dir, "bad.model", NULL);
	g_autoptr(GPtrArray) ex = examples();
	g_autofree char *data = NULL;
	gsize len = 0;
	struct lmodel *m, *l;
	GError *e = NULL;
	int same = 1, refused = 0, cut = 0, loaded = 0;

	m = model_train(ex, "test-signature", FALSE, NULL);
	ok(m != NULL && model_has(m, M_DOMAIN) && model_has(m, M_URGENT), "trained");
	ok(model_save(m, path, &e), "saved");
	g_clear_error(&e);
	l = model_load(path, &e);
	ok(l != NULL && model_format(l) == 4, "loaded, format 4");
	if (l == NULL) {
		diag("%s", e->message);
		return tap_done();
	}
	for (int i = 0; i < 60; i++) {
		g_autoptr(GArray) x = vec(i % 3, i + 100);

		for (int lab = 0; lab < M_NLABELS; lab++) {
			int n = model_nclass(m, lab);
			double p1[8], p2[8];

			if (n != model_nclass(l, lab) || n > 8) {
				same = 0;
				continue;
			}
			model_probs(m, lab, x, p1);
			model_probs(l, lab, x, p2);
			for (int c = 0; c < n; c++)
				same &= p1[c] == p2[c];
		}
	}
	ok(same, "the loaded model predicts what the trained one did");
	{
		g_autoptr(GArray) x = vec(1, 3);

		ok(model_prob(l, M_DOMAIN, x, "information") > 0.5, "a request of class 1 is information");
	}
	model_free(l);
	model_free(m);
	ok(g_file_get_contents(path, &data, &len, NULL) && len > 0, "read the file back");

	/* every length short of the whole, and one byte more */
	for (gsize n = 0; n <= len; n += n < 4096 ? 1 : 509) {
		g_clear_error(&e);
		if (!write_bytes(bad, data, n))
			break;
		l = model_load(bad, &e);
		cut += l == NULL && e != NULL && strstr(e->message, "not a guichet model") != NULL;
		if (l != NULL)
			diag("cut to %zu bytes of %zu: loaded", n, len);
		model_free(l);
	}
	ok(cut > 0, "a file cut short is refused with an error (%d lengths)", cut);
	{
		g_autofree char *longer = g_malloc(len + 8);

		memcpy(longer, data, len);
		memset(longer + len, 0, 8);
		write_bytes(bad, longer, len + 8);
		g_clear_error(&e);
		l = model_load(bad, &e);
		ok(l == NULL && e != NULL, "bytes after the weights: refused (%s)",
		    e != NULL ? e->message : "loaded");
		model_free(l);
	}
	/* bytes changed all over the file: refused or loaded, never a crash */
	{
		g_autofree char *copy = g_malloc(len);
		GRand *r = g_rand_new_with_seed(7);

		for (int t = 0; t < 400; t++) {
			gsize at = t < 200 ? (gsize)g_rand_int_range(r, 0, (gint32)MIN(len, 2000)) :
			    (gsize)g_rand_int_range(r, 0, (gint32)len);

			memcpy(copy, data, len);
			copy[at] = (char)g_rand_int_range(r, 0, 256);
			write_bytes(bad, copy, len);
			g_clear_error(&e);
			l = model_load(bad, &e);
			if (l == NULL)
				refused++;
			else {
				g_autoptr(GArray) x = vec(t % 3, t);
				double p[8];

				loaded++;
				for (int lab = 0; lab < M_NLABELS; lab++)
					if (model_nclass(l, lab) <= 8)
						model_probs(l, lab, x, p);
			}
			model_free(l);
		}
		g_rand_free(r);
		ok(refused + loaded == 400, "400 files with a byte changed: %d refused, %d loaded and read",
		    refused, loaded);
	}
	g_clear_error(&e);
	g_unlink(bad);
	g_unlink(path);
	g_rmdir(dir);
	return tap_done();
}
