/*
 * timefig.c: time and interviews summed by any of domain, topic, kind and
 * month (timefig.h), from the cells of store_time.c.
 */
#include <stdlib.h>
#include <string.h>
#include "store_time.h"
#include "timefig.h"
#include "vocab.h"

struct timefig *
timefig_load(struct store *st, const char *from, const char *to, GError **err)
{
	struct timefig *t = g_new0(struct timefig, 1);

	if (st == NULL)
		t->cells = g_ptr_array_new();
	else if ((t->cells = store_time_cells(st, from, to, err)) == NULL) {
		g_free(t);
		return NULL;
	}
	for (guint i = 0; i < t->cells->len; i++) {
		const struct time_cell *c = g_ptr_array_index(t->cells, i);

		t->total.entries += c->entries;
		t->total.minutes += c->minutes;
		if (strcmp(c->kind, TIMEFIG_INTERVIEW) == 0) {
			t->total.interviews += c->entries;
			t->total.interview_minutes += c->minutes;
		}
	}
	return t;
}

void
timefig_free(struct timefig *t)
{
	if (t == NULL)
		return;
	g_ptr_array_unref(t->cells);
	g_free(t);
}

static void
row_free(gpointer p)
{
	struct time_row *r = p;

	for (int i = 0; i < TT_NFIELDS; i++)
		g_free(r->v[i]);
	g_free(r);
}

static const char *
cell_value(const struct time_cell *c, int f)
{
	switch (f) {
	case TT_DOMAIN: return c->domain;
	case TT_TOPIC: return c->topic;
	case TT_KIND: return c->kind;
	default: return c->month;
	}
}

static int
kind_rank(const char *k)
{
	for (int i = 0; vocab_time_kinds[i] != NULL; i++)
		if (strcmp(vocab_time_kinds[i], k) == 0)
			return i;
	return 100;
}

struct sort_ctx {
	const int	*fields;
	int		 n;
};

static int
row_cmp(gconstpointer pa, gconstpointer pb, gpointer data)
{
	const struct time_row *a = *(struct time_row *const *)pa;
	const struct time_row *b = *(struct time_row *const *)pb;
	const struct sort_ctx *x = data;

	for (int k = 0; k < x->n; k++) {
		const char *va = a->v[k], *vb = b->v[k];
		int c;

		if (g_strcmp0(va, vb) == 0)
			continue;
		if (va == NULL || vb == NULL)
			return va == NULL ? 1 : -1;
		if (x->fields[k] == TT_KIND && (c = kind_rank(va) - kind_rank(vb)) != 0)
			return c;
		if (x->fields[k] == TT_MONTH || x->fields[k] == TT_KIND)
			return strcmp(va, vb);
		/* domains and topics: the first field by minutes, largest first */
		if (k == 0 && x->n == 1 && a->minutes != b->minutes)
			return a->minutes > b->minutes ? -1 : 1;
		return strcmp(va, vb);
	}
	return 0;
}

GPtrArray *
timefig_rows(const struct timefig *t, const int *fields, int n)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func(row_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	struct sort_ctx x = { fields, n };

	for (guint i = 0; i < t->cells->len; i++) {
		const struct time_cell *c = g_ptr_array_index(t->cells, i);
		GString *key = g_string_new(NULL);
		struct time_row *r;

		for (int k = 0; k < n; k++) {
			const char *v = cell_value(c, fields[k]);

			g_string_append_printf(key, "%c%s", v != NULL ? '+' : '-', v ? v : "");
			g_string_append_c(key, '\x1f');
		}
		if ((r = g_hash_table_lookup(seen, key->str)) == NULL) {
			r = g_new0(struct time_row, 1);
			for (int k = 0; k < n; k++)
				r->v[k] = g_strdup(cell_value(c, fields[k]));
			g_hash_table_insert(seen, g_string_free(key, FALSE), r);
			g_ptr_array_add(rows, r);
		} else
			g_string_free(key, TRUE);
		r->entries += c->entries;
		r->minutes += c->minutes;
		if (strcmp(c->kind, TIMEFIG_INTERVIEW) == 0) {
			r->interviews += c->entries;
			r->interview_minutes += c->minutes;
		}
	}
	g_ptr_array_sort_with_data(rows, row_cmp, &x);
	return rows;
}

int
timefig_field_parse(const char *name)
{
	static const char *const names[TT_NFIELDS] = {
		"domain domaine", "topic theme thème", "kind genre", "month mois"
	};

	for (int f = 0; f < TT_NFIELDS; f++) {
		g_auto(GStrv) v = g_strsplit(names[f], " ", -1);

		if (g_strv_contains((const char *const *)v, name))
			return f;
	}
	return -1;
}

char *
timefig_duration(gint64 m)
{
	if (m < 60)
		return g_strdup_printf("%ld min", (long)m);
	if (m % 60 == 0)
		return g_strdup_printf("%ld h", (long)(m / 60));
	return g_strdup_printf("%ld h %02ld", (long)(m / 60), (long)(m % 60));
}

/* Digits of s into *v; the end in *end; FALSE without any digit. */
static gboolean
digits(const char *s, long *v, const char **end)
{
	const char *p = s;

	*v = 0;
	while (g_ascii_isdigit(*p) && p - s < 6)
		*v = *v * 10 + (*p++ - '0');
	*end = p;
	return p > s && !g_ascii_isdigit(*p);
}

gboolean
timefig_parse_duration(const char *w, long *out)
{
	g_autofree char *s = g_ascii_strdown(w, -1);
	const char *p;
	long h, m = 0;

	if (!digits(s, &h, &p))
		return FALSE;
	if (*p == '\0' || strcmp(p, "min") == 0 || strcmp(p, "mn") == 0 ||
	    strcmp(p, "m") == 0 || strcmp(p, "minutes") == 0) {
		*out = h;
		return TRUE;
	}
	if ((*p == '.' || *p == ',') && g_ascii_isdigit(p[1])) {
		/* 1.5h, 1,25h: hours with a decimal part */
		long frac, scale = 1;
		const char *q = p + 1, *e;

		if (!digits(q, &frac, &e) || e - q > 2 || (strcmp(e, "h") != 0 &&
		    strcmp(e, "heure") != 0 && strcmp(e, "heures") != 0 && strcmp(e, "std") != 0))
			return FALSE;
		for (const char *c = q; c < e; c++)
			scale *= 10;
		*out = h * 60 + (frac * 60 + scale / 2) / scale;
		return TRUE;
	}
	if (*p == ':') {
		if (!digits(p + 1, &m, &p) || *p != '\0' || m >= 60)
			return FALSE;
		*out = h * 60 + m;
		return TRUE;
	}
	if (*p != 'h')
		return FALSE;
	p++;
	if (g_str_has_prefix(p, "eures"))
		p += 5;
	else if (g_str_has_prefix(p, "eure"))
		p += 4;
	if (*p != '\0') {
		if (!digits(p, &m, &p) || m >= 60 || (*p != '\0' && strcmp(p, "min") != 0 &&
		    strcmp(p, "mn") != 0 && strcmp(p, "m") != 0))
			return FALSE;
	}
	*out = h * 60 + m;
	return TRUE;
}
