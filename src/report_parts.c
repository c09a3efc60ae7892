/*
 * report_parts.c: the pieces of the annual report (report.c): French names
 * and numbers, inline SVG charts and the tables beside them.  Output is
 * well-formed XML: every text goes through g_markup_escape_text.
 */
#include <stdio.h>
#include <string.h>
#include "labels.h"
#include "report.h"
#include "viewfmt.h"
#include "vocab.h"

#define BLUE	REPORT_BLUE
#define GREY	REPORT_GREY

const char *
report_kind_fr(const char *kind)
{
	static const char *const names[][2] = {
		{ "entretien", "Entretiens de conseil" }, { "permanence", "Permanences" },
		{ "telephone", "Téléphone" }, { "courriel", "Courriels" },
		{ "seance", "Séances" }, { "projet", "Projets" }, { "formation", "Formation" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_strcmp0(kind, names[i][0]) == 0)
			return names[i][1];
	return kind;
}

/* 12345 -> "12 345" with a narrow no-break space, as in French. */
char *
report_int(gint64 v)
{
	g_autofree char *digits = g_strdup_printf("%ld", (long)(v < 0 ? -v : v));
	GString *o = g_string_new(v < 0 ? "−" : "");
	gsize n = strlen(digits);

	for (gsize i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			g_string_append(o, "\u202f");
		g_string_append_c(o, digits[i]);
	}
	return g_string_free(o, FALSE);
}

/* "12,5 %" */
char *
report_pct(gint64 part, gint64 whole)
{
	g_autofree char *s = g_strdup_printf("%.1f", whole ? 100.0 * part / whole : 0.0);

	for (char *p = s; *p; p++)
		if (*p == '.')
			*p = ',';
	return g_strdup_printf("%s\u00a0%%", s);
}

/* "+12 %", "−3 %", "=" between last year and this one; "" without last year. */
char *
report_change(gint64 now, gint64 before)
{
	double d;

	if (before <= 0)
		return g_strdup("");
	d = 100.0 * (double)(now - before) / (double)before;
	if (d > -0.5 && d < 0.5)
		return g_strdup("=");
	return g_strdup_printf("%s%.0f\u00a0%%", d > 0 ? "+" : "−", d > 0 ? d : -d);
}

void
report_esc(GString *o, const char *s)
{
	g_autofree char *v = g_utf8_make_valid(s != NULL ? s : "", -1);
	g_autofree char *e = g_markup_escape_text(v, -1);

	g_string_append(o, e);
}

static void
item_free(gpointer p)
{
	struct item *it = p;

	g_free(it->label);
	g_free(it);
}

static int
item_cmp(gconstpointer a, gconstpointer b)
{
	const struct item *x = *(struct item *const *)a, *y = *(struct item *const *)b;
	int c;

	if (!x->last != !y->last)
		return x->last ? 1 : -1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	if ((c = g_utf8_collate(x->label, y->label)) != 0)
		return c;
	return strcmp(x->label, y->label);	/* distinct labels that collate alike */
}

const char *
report_name_domain(const struct setup *s, const char *code)
{
	const struct domain_def *d = code ? ruleset_domain(s->rules, code) : NULL;

	return d != NULL ? d->label_fr : code != NULL ? code : "Non classé";
}

const char *
report_name_requester(const struct setup *s, const char *code)
{
	return label_requesters(s, code);
}

const char *
report_name_language(const struct setup *s, const char *code)
{
	/* the report's column is "Langue": "indéterminée" alone reads best */
	if (code == NULL || strcmp(code, VOCAB_LANGUAGE_UNKNOWN) == 0)
		return "indéterminée";
	return label_language(code);
}

const char *
report_name_commune(const struct setup *s, const char *code)
{
	return code != NULL ? code : "Non déterminée";
}

GPtrArray *
report_items(const struct setup *s, struct year_figures *cur, struct year_figures *prev,
    int which, report_namer name, guint max)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(item_free);
	g_autoptr(GHashTable) by = g_hash_table_new(g_str_hash, g_str_equal);
	struct year_figures *y[2] = { cur, prev };

	for (int k = 0; k < 2; k++) {
		int g;
		g_autoptr(GPtrArray) rows = NULL;

		if (y[k] == NULL)
			continue;
		g = which == 0 ? y[k]->g_dom : which == 1 ? y[k]->g_req :
		    which == 2 ? y[k]->g_lang : y[k]->g_commune;
		rows = tally_rows(y[k]->t, g, TRUE);
		for (guint i = 0; i < rows->len; i++) {
			struct tally_row *r = g_ptr_array_index(rows, i);
			const char *label = name(s, r->values[0]);
			struct item *it = g_hash_table_lookup(by, label);

			if (it == NULL) {
				it = g_new0(struct item, 1);
				it->label = g_strdup(label);
				/* "Unknown" and "other" read best at the end. */
				it->last = r->values[0] == NULL ||
				    strcmp(r->values[0], VOCAB_REQUESTER_DEFAULT) == 0 ||
				    strcmp(r->values[0], VOCAB_LANGUAGE_UNKNOWN) == 0 ||
				    strcmp(r->values[0], VOCAB_DOMAIN_DEFAULT) == 0;
				g_ptr_array_add(a, it);
				g_hash_table_insert(by, it->label, it);
			}
			if (k == 0)
				it->n += r->requests;
			else
				it->prev += r->requests;
		}
	}
	g_ptr_array_sort(a, item_cmp);
	if (a->len > max) {
		GPtrArray *b = g_ptr_array_new_with_free_func(item_free);
		struct item *rest = g_new0(struct item, 1);
		gsize n = 0;
		struct item **all = (struct item **)g_ptr_array_steal(a, &n);

		/* Keep the max - 1 largest named ones; lump the rest with the unknown. */
		rest->label = g_strdup("Autres");
		rest->last = TRUE;
		for (gsize i = 0; i < n; i++) {
			if (!all[i]->last && b->len < max - 1) {
				g_ptr_array_add(b, all[i]);
				continue;
			}
			rest->n += all[i]->n;
			rest->prev += all[i]->prev;
			item_free(all[i]);
		}
		g_free(all);
		g_ptr_array_unref(a);
		a = b;
		g_ptr_array_add(a, rest);
	}
	return a;
}

/* A round step for an axis up to v: 1, 2 or 5 x 10^k, five steps at most. */
static gint64
nice_step(gint64 v)
{
	for (gint64 p = 1;; p *= 10) {
		if (v <= 5 * p)
			return p;
		if (v <= 10 * p)
			return 2 * p;
		if (v <= 25 * p)
			return 5 * p;
	}
}

void
report_svg_months(GString *o, const gint64 cur[12], const gint64 *prev, int year)
{
	const int W = 680, H = 240, L = 44, B = 28, T = 18;
	gint64 max = 1;
	double slot = (W - L - 8) / 12.0, ph = H - B - T;

	gint64 step;
	int ticks;

	for (int m = 0; m < 12; m++)
		max = MAX(max, MAX(cur[m], prev ? prev[m] : 0));
	step = nice_step(max);
	ticks = (int)((max + step - 1) / step);
	max = step * ticks;
	g_string_append_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Demandes par mois %d\">\n",
	    W, H, year);
	for (int k = 0; k <= ticks; k++) {
		double y = T + ph - ph * k / (double)ticks;
		g_autofree char *lab = report_int(step * k);

		g_string_append_printf(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		    "class=\"grid\"/><text x=\"%d\" y=\"%.1f\" class=\"axis\" "
		    "text-anchor=\"end\">%s</text>\n", L, y, W - 4, y, L - 6, y + 4, lab);
	}
	for (int m = 0; m < 12; m++) {
		double x = L + slot * m, bw = slot * (prev ? 0.5 : 0.66);
		double h = ph * cur[m] / (double)max;
		g_autofree char *v = report_int(cur[m]);

		if (prev != NULL) {
			double hp = ph * prev[m] / (double)max;

			g_string_append_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"" GREY "\"/>\n", x + slot * 0.12 + bw,
			    T + ph - hp, slot * 0.22, hp);
		}
		g_string_append_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"" BLUE "\"/>\n", x + slot * 0.12, T + ph - h, bw, h);
		if (cur[m] > 0)
			g_string_append_printf(o, "<text x=\"%.1f\" y=\"%.1f\" class=\"val\" "
			    "text-anchor=\"middle\">%s</text>\n", x + slot * 0.12 + bw / 2,
			    T + ph - h - 4, v);
		g_string_append_printf(o, "<text x=\"%.1f\" y=\"%d\" class=\"axis\" "
		    "text-anchor=\"middle\">%s</text>\n", x + slot / 2, H - 10, vocab_month_fr_short(m + 1));
	}
	g_string_append_printf(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
	    "class=\"base\"/>\n</svg>\n", L, T + ph, W - 4, T + ph);
}

void
report_svg_hbars(GString *o, GPtrArray *a, const char *aria, gboolean with_prev,
    const char *unit)
{
	const int W = 680, L = 250, R = 70, RH = 24;
	int H = (int)a->len * RH + 8;
	gint64 max = 1;

	for (guint i = 0; i < a->len; i++) {
		struct item *it = g_ptr_array_index(a, i);

		max = MAX(max, MAX(it->n, with_prev ? it->prev : 0));
	}
	g_string_append_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", W, H);
	report_esc(o, aria);
	g_string_append(o, "\">\n");
	for (guint i = 0; i < a->len; i++) {
		struct item *it = g_ptr_array_index(a, i);
		double y = 4 + i * RH, w = (W - L - R) * it->n / (double)max;
		g_autofree char *v = report_int(it->n);
		g_autofree char *label = view_cut(it->label, 40);

		g_string_append_printf(o, "<text x=\"%d\" y=\"%.1f\" class=\"lab\" "
		    "text-anchor=\"end\">", L - 8, y + 15);
		report_esc(o, label);
		g_string_append(o, "</text>\n");
		g_string_append_printf(o, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"14\" "
		    "fill=\"" BLUE "\"/>\n", L, y + 3, MAX(w, it->n > 0 ? 1.5 : 0));
		if (with_prev && it->prev > 0)
			g_string_append_printf(o, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"4\" fill=\"" GREY "\"/>\n", L, y + 18,
			    (W - L - R) * it->prev / (double)max);
		g_string_append_printf(o, "<text x=\"%.1f\" y=\"%.1f\" class=\"val\">%s%s</text>\n",
		    L + w + 6, y + 15, v, unit != NULL ? unit : "");
	}
	g_string_append(o, "</svg>\n");
}

void
report_table_items(GString *o, GPtrArray *a, const char *head, gint64 total, gboolean with_prev,
    int prev_year)
{
	gint64 prev_total = 0;

	g_string_append(o, "<table><thead><tr><th>");
	report_esc(o, head);
	g_string_append(o, "</th><th class=\"n\">Demandes</th><th class=\"n\">Part</th>");
	if (with_prev)
		g_string_append_printf(o, "<th class=\"n\">%d</th><th class=\"n\">Évolution</th>",
		    prev_year);
	g_string_append(o, "</tr></thead>\n<tbody>\n");
	for (guint i = 0; i < a->len; i++) {
		struct item *it = g_ptr_array_index(a, i);
		g_autofree char *n = report_int(it->n), *p = report_pct(it->n, total);

		prev_total += it->prev;
		g_string_append(o, "<tr><td>");
		report_esc(o, it->label);
		g_string_append_printf(o, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td>", n, p);
		if (with_prev) {
			g_autofree char *pv = report_int(it->prev), *c = report_change(it->n, it->prev);

			g_string_append_printf(o, "<td class=\"n prev\">%s</td><td class=\"n\">%s</td>",
			    pv, c);
		}
		g_string_append(o, "</tr>\n");
	}
	{
		g_autofree char *n = report_int(total), *p = report_pct(total, total);

		g_string_append_printf(o, "</tbody><tfoot><tr><td>Total</td><td class=\"n\">%s</td>"
		    "<td class=\"n\">%s</td>", n, p);
		if (with_prev) {
			g_autofree char *pv = report_int(prev_total), *c = report_change(total, prev_total);

			g_string_append_printf(o, "<td class=\"n prev\">%s</td><td class=\"n\">%s</td>",
			    pv, c);
		}
		g_string_append(o, "</tr></tfoot></table>\n");
	}
}
