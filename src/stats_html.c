/*
 * stats_html.c: a period's figures as an HTML mail (stats.h): inline CSS
 * like the digest, small tables of two to four columns that fit a phone,
 * every value by its French label, durations to the minute.
 */
#include <string.h>
#include "labels.h"
#include "report.h"
#include "setup.h"
#include "stats.h"
#include "tally.h"
#include "timefig.h"
#include "viewfmt.h"

#define C_BLUE	"#1f5f99"
#define C_TEXT	"#1c2430"
#define C_MUTED	"#55626f"
#define C_LINE	"#dde3ea"

#define TOP	12	/* rows of a breakdown; the rest together */

static void
esc(GString *o, const char *s)
{
	report_esc(o, s);
}

static void
h2(GString *o, const char *title)
{
	g_string_append(o, "<h2 style=\"font-size:16px;margin:20px 0 6px;padding-bottom:3px;color:"
	    C_BLUE ";border-bottom:2px solid " C_BLUE ";\">");
	esc(o, title);
	g_string_append(o, "</h2>\n");
}

static void
table_open(GString *o, const char *const *head, int n)
{
	g_string_append(o, "<table role=\"presentation\" width=\"100%\" cellspacing=\"0\" "
	    "cellpadding=\"0\" style=\"border-collapse:collapse;font-size:14px;\">\n<tr>");
	for (int i = 0; i < n; i++) {
		g_string_append_printf(o, "<th style=\"text-align:%s;padding:4px 4px;"
		    "border-bottom:1px solid " C_LINE ";color:" C_MUTED ";font-size:12px;"
		    "font-weight:normal;\">", i == 0 ? "left" : "right");
		esc(o, head[i]);
		g_string_append(o, "</th>");
	}
	g_string_append(o, "</tr>\n");
}

static void
row(GString *o, const char *const *cell, int n, gboolean total)
{
	g_string_append(o, "<tr>");
	for (int i = 0; i < n; i++) {
		g_string_append_printf(o, "<td style=\"text-align:%s;padding:4px 4px;"
		    "border-bottom:1px solid " C_LINE ";%s%s\">", i == 0 ? "left" : "right",
		    i > 0 ? "white-space:nowrap;" : "overflow-wrap:anywhere;",
		    total ? "font-weight:bold;" : "");
		esc(o, cell[i]);
		g_string_append(o, "</td>");
	}
	g_string_append(o, "</tr>\n");
}

/* One breakdown: label, requests, share; the largest TOP, the rest as "Autres". */
static void
breakdown(GString *o, const struct setup *s, struct tally *t, int g, int field,
    const char *title, const char *head)
{
	g_autoptr(GPtrArray) rows = tally_rows(t, g, field != TF_MONTH);
	const char *hd[3] = { head, "demandes", "part" };
	gint64 rest = 0;

	if (rows->len == 0)
		return;
	h2(o, title);
	table_open(o, hd, 3);
	for (guint i = 0; i < rows->len; i++) {
		struct tally_row *r = g_ptr_array_index(rows, i);
		g_autofree char *name = NULL, *n = NULL, *pc = NULL;
		const char *cell[3];

		if (i >= TOP) {
			rest += r->requests;
			continue;
		}
		name = label_tally_value(s, field, r->values[0]);
		n = report_int(r->requests);
		pc = report_pct(r->requests, t->requests);
		cell[0] = name;
		cell[1] = n;
		cell[2] = pc;
		row(o, cell, 3, FALSE);
	}
	if (rest > 0) {
		g_autofree char *n = report_int(rest), *pc = report_pct(rest, t->requests);
		const char *cell[3] = { "Autres", n, pc };

		row(o, cell, 3, FALSE);
	}
	g_string_append(o, "</table>\n");
}

static void
time_tables(GString *o, const struct setup *s, struct timefig *tf)
{
	static const int dom[] = { TT_DOMAIN }, kind[] = { TT_KIND };
	g_autoptr(GPtrArray) d = timefig_rows(tf, dom, 1);
	g_autoptr(GPtrArray) k = timefig_rows(tf, kind, 1);
	const char *hd[4] = { "domaine", "entretiens", "durée des entretiens", "temps total" };
	const char *hk[3] = { "activité", "entrées", "durée" };

	h2(o, "Entretiens de conseil et temps de travail");
	if (d->len == 0) {
		g_string_append(o, "<p style=\"color:" C_MUTED ";\">Aucun temps noté dans le "
		    "journal pour cette période.</p>\n");
		return;
	}
	table_open(o, hd, 4);
	for (guint i = 0; i <= d->len; i++) {
		const struct time_row *r = i < d->len ? g_ptr_array_index(d, i) : &tf->total;
		g_autofree char *n = report_int(r->interviews);
		g_autofree char *im = report_duration(r->interview_minutes);
		g_autofree char *tm = report_duration(r->minutes);
		const char *cell[4] = { i < d->len ? label_domain(s, r->v[0]) : "Total", n, im, tm };

		row(o, cell, 4, i == d->len);
	}
	g_string_append(o, "</table>\n<div style=\"height:10px\"></div>\n");
	table_open(o, hk, 3);
	for (guint i = 0; i < k->len; i++) {
		const struct time_row *r = g_ptr_array_index(k, i);
		g_autofree char *n = report_int(r->entries);
		g_autofree char *tm = report_duration(r->minutes);
		const char *cell[3] = { label_kind(r->v[0]), n, tm };

		row(o, cell, 3, FALSE);
	}
	g_string_append(o, "</table>\n");
}

/* A key figure: the number big, its label small. */
static void
kpi(GString *o, const char *v, const char *label)
{
	g_string_append(o, "<td style=\"text-align:center;padding:6px 2px;width:33%;"
	    "vertical-align:top;\"><div style=\"font-size:22px;font-weight:bold;color:" C_BLUE
	    ";\">");
	esc(o, v);
	g_string_append(o, "</div><div style=\"font-size:11px;color:" C_MUTED
	    ";line-height:1.2;\">");
	esc(o, label);
	g_string_append(o, "</div></td>\n");
}

gboolean
stats_html(struct store *st, const struct setup *setup, gint64 from, gint64 to,
    const char *title, const char *intro, const char *footer, GString *o, GError **err)
{
	static const int f[] = { TF_DOMAIN, TF_TOPIC, TF_REQUESTER, TF_LANGUAGE, TF_COMMUNE };
	static const char *const titles[][2] = {
		{ "Demandes par domaine", "domaine" }, { "Thèmes", "thème" },
		{ "Demandeurs", "demandeur" }, { "Langues", "langue" },
		{ "Communes", "commune" },
	};
	g_autoptr(GTimeZone) tz = view_tz(setup != NULL ? setup->cfg : NULL);
	g_autofree char *d0 = view_time(from, tz, "%Y-%m-%d");
	g_autofree char *last = view_time(to - 1, tz, "%Y-%m-%d");
	g_autofree char *d1 = stats_next_day(last);
	struct tally *t = tally_new(tz, from, to);
	struct timefig *tf = NULL;
	int g[G_N_ELEMENTS(f)];
	const char *org = setup != NULL && setup->cfg->org_name ? setup->cfg->org_name : "";
	gboolean ok = TRUE;

	for (guint i = 0; i < G_N_ELEMENTS(f); i++)
		g[i] = tally_group(t, &f[i], 1, FALSE);
	if ((st != NULL && !tally_run(t, st, err)) ||
	    (tf = timefig_load(st, d0, d1, err)) == NULL) {
		tally_free(t);
		return FALSE;
	}
	g_string_append(o, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>");
	esc(o, title);
	g_string_append(o, "</title>\n</head>\n<body style=\"margin:0;padding:0;background:#eef2f6;\">\n"
	    "<div style=\"max-width:640px;margin:0 auto;padding:12px;font-family:Arial,Helvetica,"
	    "sans-serif;font-size:15px;line-height:1.45;color:" C_TEXT ";\">\n"
	    "<div style=\"background:" C_BLUE ";color:#ffffff;padding:14px 16px;"
	    "border-radius:6px 6px 0 0;\">\n<div style=\"font-size:12px;text-transform:uppercase;"
	    "letter-spacing:1px;\">Guichet intégration · ");
	esc(o, org);
	g_string_append(o, "</div>\n<div style=\"font-size:21px;font-weight:bold;margin-top:2px;\">");
	esc(o, title);
	g_string_append(o, "</div>\n</div>\n<div style=\"background:#ffffff;padding:12px 16px 16px;"
	    "border:1px solid " C_LINE ";border-top:none;border-radius:0 0 6px 6px;\">\n");
	if (intro != NULL) {
		g_string_append(o, "<p style=\"margin:6px 0 10px;\">");
		esc(o, intro);
		g_string_append(o, "</p>\n");
	}
	{
		g_autofree char *n = report_int(t->requests);
		g_autofree char *a = report_int(t->answered);
		gint64 m = tally_median(t->delays);
		g_autofree char *med = m < 0 ? g_strdup("–") : view_age(m);
		g_autofree char *u = report_int(t->urgent);
		g_autofree char *iv = report_int(tf->total.interviews);
		g_autofree char *tm = report_duration(tf->total.minutes);

		g_string_append(o, "<table role=\"presentation\" width=\"100%\" cellspacing=\"0\" "
		    "cellpadding=\"0\" style=\"border-collapse:collapse;\"><tr>\n");
		kpi(o, n, "demandes reçues");
		kpi(o, a, "avec une réponse personnelle");
		kpi(o, med, "délai médian de la première réponse");
		g_string_append(o, "</tr><tr>\n");
		kpi(o, u, "urgentes");
		kpi(o, iv, "entretiens de conseil");
		kpi(o, tm, "temps de travail noté");
		g_string_append(o, "</tr></table>\n");
	}
	for (guint i = 0; i < G_N_ELEMENTS(f); i++)
		breakdown(o, setup, t, g[i], f[i], titles[i][0], titles[i][1]);
	time_tables(o, setup, tf);
	if (footer != NULL) {
		g_string_append(o, "<p style=\"font-size:12px;color:" C_MUTED ";margin:18px 0 0;\">");
		esc(o, footer);
		g_string_append(o, "</p>\n");
	}
	g_string_append(o, "</div>\n</div>\n</body>\n</html>\n");
	tally_free(t);
	timefig_free(tf);
	return ok;
}
