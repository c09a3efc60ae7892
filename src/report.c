/*
 * report.c: guichet report --year YYYY -o FILE.html [--comment FILE]: the
 * annual activity report, one self-contained French HTML page (well-formed
 * XML too, so any XML parser can check it), printable to PDF from a
 * browser, with tables and inline SVG charts, last year for comparison,
 * and the delegate's commentary.  The figures are export_year()'s: the
 * same numbers the canton receives.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "report.h"
#include "setup.h"
#include "stats.h"
#include "store.h"
#include "viewfmt.h"
#include "vocab.h"

static const char css[] =
"@page{size:A4;margin:15mm 14mm}\n"
"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
"body{font-family:\"Source Sans 3\",\"Segoe UI\",\"Helvetica Neue\",Arial,\"DejaVu Sans\",sans-serif;"
"color:#1c2430;max-width:186mm;margin:0 auto;padding:28px 24px;line-height:1.45;font-size:10.5pt;background:#fff}\n"
"header{border-bottom:3px solid " REPORT_BLUE ";padding-bottom:12px;margin-bottom:18px}\n"
".org{text-transform:uppercase;letter-spacing:.08em;color:" REPORT_BLUE ";font-weight:600;font-size:9pt;margin:0}\n"
"h1{font-size:24pt;margin:6px 0 2px;line-height:1.15}\n"
".sub{margin:0;color:#4a5868}\n"
".lead{font-size:11pt;margin:14px 0 0}\n"
"h2{font-size:13.5pt;color:" REPORT_BLUE ";border-bottom:1px solid #d5dde6;padding-bottom:3px;margin:26px 0 8px;break-after:avoid}\n"
".kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:10px;margin:6px 0 4px}\n"
".kpi{border:1px solid #d5dde6;border-left:4px solid " REPORT_BLUE ";border-radius:4px;padding:9px 11px;background:#f5f8fb}\n"
".kpi .v{font-size:19pt;font-weight:700;color:" REPORT_BLUE ";line-height:1.1}\n"
".kpi .l{font-size:9pt;color:#33404f;margin-top:2px}\n"
".kpi .c{font-size:8.5pt;color:#6b7785}\n"
"table{border-collapse:collapse;width:100%;font-size:9.5pt;margin:6px 0 4px}\n"
"th,td{padding:3px 8px;border-bottom:1px solid #e3e8ee;text-align:left;vertical-align:top}\n"
"th{background:#eef3f8;font-weight:600}\n"
"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
"tfoot td{font-weight:700;border-top:2px solid " REPORT_BLUE ";border-bottom:none}\n"
"td.prev{color:#6b7785}\n"
"svg.chart{width:100%;height:auto;display:block;margin:4px 0}\n"
"svg text{font-family:inherit;font-size:11px;fill:#1c2430}\n"
"svg .axis{fill:#6b7785;font-size:10px}\n"
"svg .grid{stroke:#e3e8ee;stroke-width:1}\n"
"svg .base{stroke:#6b7785;stroke-width:1}\n"
".legend{font-size:8.5pt;color:#4a5868;margin:0}\n"
".sw{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:-1px}\n"
"section{break-inside:avoid;page-break-inside:avoid}\n"
".two{display:grid;grid-template-columns:1fr 1fr;gap:18px}\n"
".comment{border-left:3px solid #d5dde6;padding:2px 14px}\n"
".comment p{margin:0 0 8px}\n"
".empty{color:#6b7785;font-style:italic}\n"
"footer{margin-top:28px;font-size:8pt;color:#6b7785;border-top:1px solid #d5dde6;padding-top:6px}\n"
"@media print{body{padding:0;max-width:none}}\n"
/* On a phone: two key figures a row, one column, tables that wrap. */
"@media screen and (max-width:640px){body{padding:14px 10px;font-size:11pt}"
".kpis{grid-template-columns:1fr 1fr}.two{display:block}h1{font-size:19pt}"
"table{font-size:9pt;table-layout:auto}th,td{padding:3px 4px;overflow-wrap:anywhere}"
"td.n,th.n{white-space:normal}}\n";

/* The 12 monthly counts of y ("YYYY-MM" rows). */
static void
months_of(struct year_figures *y, gint64 out[12])
{
	g_autoptr(GPtrArray) rows = tally_rows(y->t, y->g_month, FALSE);

	memset(out, 0, 12 * sizeof(gint64));
	for (guint i = 0; i < rows->len; i++) {
		struct tally_row *r = g_ptr_array_index(rows, i);
		int m = r->values[0] && strlen(r->values[0]) == 7 ? atoi(r->values[0] + 5) : 0;

		if (m >= 1 && m <= 12)
			out[m - 1] += r->requests;
	}
}

/* Minutes (or entries) of the time log of y, of one kind or all (NULL). */
static gint64
time_sum(struct year_figures *y, const char *kind, gboolean entries)
{
	gint64 m = 0;

	for (guint i = 0; i < y->time->len; i++) {
		struct tally_time *k = g_ptr_array_index(y->time, i);

		if (kind == NULL || strcmp(k->kind, kind) == 0)
			m += entries ? k->entries : k->minutes;
	}
	return m;
}

static gint64
interviews_of(struct year_figures *y)
{
	for (guint i = 0; i < y->time->len; i++) {
		struct tally_time *k = g_ptr_array_index(y->time, i);

		if (strcmp(k->kind, "entretien") == 0)
			return k->entries;
	}
	return 0;
}

static void
item_free(gpointer p)
{
	struct item *it = p;

	g_free(it->label);
	g_free(it);
}

static void
kpi(GString *o, const char *value, const char *label, const char *note)
{
	g_string_append(o, "<div class=\"kpi\"><div class=\"v\">");
	report_esc(o, value);
	g_string_append(o, "</div><div class=\"l\">");
	report_esc(o, label);
	g_string_append(o, "</div>");
	if (note != NULL && *note) {
		g_string_append(o, "<div class=\"c\">");
		report_esc(o, note);
		g_string_append(o, "</div>");
	}
	g_string_append(o, "</div>\n");
}

/* Exact to the minute: "4 h 30", "45 min". */
static char *
hours_fr(gint64 minutes)
{
	return report_duration(minutes);
}

static void
section_kpis(GString *o, struct year_figures *c, struct year_figures *p, int year)
{
	gboolean hp = p != NULL;
	g_autofree char *n = report_int(c->t->requests);
	g_autofree char *ch = hp ? report_change(c->t->requests, p->t->requests) : NULL;
	g_autofree char *nc = hp && *ch ? g_strdup_printf("%s par rapport à %d",
	    strcmp(ch, "=") == 0 ? "stable" : ch, year - 1) : NULL;
	g_autofree char *fi = report_int(c->newcomer_requests);
	g_autofree char *fin = g_strdup_printf("%ld personne%s différente%s",
	    (long)c->newcomer_persons, c->newcomer_persons > 1 ? "s" : "",
	    c->newcomer_persons > 1 ? "s" : "");
	g_autofree char *iv = report_int(interviews_of(c));
	g_autofree char *ivh = hours_fr(time_sum(c, "entretien", FALSE));
	g_autofree char *ivn = g_strdup_printf("%s d'entretien", ivh);
	g_autofree char *med = tally_median(c->t->delays) < 0 ? g_strdup("–") :
	    view_age(tally_median(c->t->delays));
	g_autofree char *ans = report_pct(c->t->answered, c->t->requests);
	g_autofree char *ansn = g_strdup_printf("%s des demandes ont reçu une réponse "
	    "personnelle", ans);

	g_string_append(o, "<section class=\"kpis\">\n");
	kpi(o, n, "demandes reçues par courriel", nc);
	kpi(o, fi, "primo-informations à des personnes migrantes", fin);
	kpi(o, iv, "entretiens de conseil", ivn);
	kpi(o, med, "délai médian de la première réponse", ansn);
	g_string_append(o, "</section>\n");
}

/* "En bref": the year in a few sentences a council member reads first. */
static void
section_summary(GString *o, const struct setup *s, struct year_figures *c,
    struct year_figures *p, int year)
{
	g_autoptr(GPtrArray) doms = report_items(s, c, NULL, 0, report_name_domain, 100);
	g_autoptr(GPtrArray) langs = tally_rows(c->t, c->g_lang, TRUE);
	g_autofree char *n = report_int(c->t->requests);
	gint64 med = tally_median(c->t->delays), nlang = 0;
	GString *t = g_string_new(NULL);

	if (c->t->requests == 0) {
		g_string_free(t, TRUE);
		return;
	}
	g_string_append_printf(t, "En %d, le guichet a reçu %s demande%s par courriel", year, n,
	    c->t->requests > 1 ? "s" : "");
	if (p != NULL && p->t->requests > 0) {
		g_autofree char *ch = report_change(c->t->requests, p->t->requests);

		if (strcmp(ch, "=") == 0)
			g_string_append_printf(t, ", autant qu'en %d", year - 1);
		else
			g_string_append_printf(t, " (%s par rapport à %d)", ch, year - 1);
	}
	g_string_append(t, ". ");
	if (doms->len > 0) {
		struct item *top = g_ptr_array_index(doms, 0);
		g_autofree char *pc = report_pct(top->n, c->t->requests);

		g_string_append_printf(t, "Le domaine le plus demandé est « %s » (%s). ", top->label, pc);
	}
	for (guint i = 0; i < langs->len; i++) {
		struct tally_row *r = g_ptr_array_index(langs, i);

		if (r->values[0] != NULL && strcmp(r->values[0], VOCAB_LANGUAGE_UNKNOWN) != 0)
			nlang++;
	}
	if (nlang > 1) {
		g_autofree char *fr = report_pct(tally_count(c->t, c->g_lang, "fr"), c->t->requests);

		g_string_append_printf(t, "Les demandes sont arrivées en %ld langues, dont %s en "
		    "français. ", (long)nlang, fr);
	}
	if (c->newcomer_requests > 0)
		g_string_append_printf(t, "%ld demande%s de primo-information venai%s de "
		    "personnes migrantes. ", (long)c->newcomer_requests,
		    c->newcomer_requests > 1 ? "s" : "", c->newcomer_requests > 1 ? "ent" : "t");
	if (c->time->len > 0) {
		g_autofree char *h = hours_fr(time_sum(c, NULL, FALSE));

		g_string_append_printf(t, "La déléguée a mené %ld entretien%s de conseil et noté %s "
		    "de travail. ", (long)interviews_of(c), interviews_of(c) > 1 ? "s" : "", h);
	}
	if (med >= 0) {
		g_autofree char *age = view_age(med);

		g_string_append_printf(t, "La moitié des demandes ayant reçu une réponse personnelle "
		    "l'ont eue en moins de %s.", age);
	}
	g_string_append(o, "<p class=\"lead\">");
	report_esc(o, g_strstrip(t->str));
	g_string_append(o, "</p>\n");
	g_string_free(t, TRUE);
}

static void
section_breakdown(GString *o, const struct setup *s, struct year_figures *c,
    struct year_figures *p, int year, int which, const char *title, const char *head,
    report_namer name, guint max)
{
	g_autoptr(GPtrArray) items = report_items(s, c, p, which, name, max);

	g_string_append(o, "<section>\n<h2>");
	report_esc(o, title);
	g_string_append(o, "</h2>\n");
	if (items->len == 0) {
		g_string_append(o, "<p class=\"empty\">Aucune demande cette année.</p>\n</section>\n");
		return;
	}
	report_svg_hbars(o, items, title, p != NULL, NULL);
	if (p != NULL)
		g_string_append_printf(o, "<p class=\"legend\"><span class=\"sw\" style=\"background:"
		    REPORT_BLUE "\"></span>%d<span class=\"sw\" style=\"background:" REPORT_GREY
		    "\"></span>%d</p>\n", year, year - 1);
	report_table_items(o, items, head, c->t->requests, p != NULL, year - 1);
	g_string_append(o, "</section>\n");
}

static void
section_months(GString *o, struct year_figures *c, struct year_figures *p, int year)
{
	gint64 cm[12], pm[12];

	months_of(c, cm);
	if (p != NULL)
		months_of(p, pm);
	g_string_append(o, "<section>\n<h2>Demandes par mois</h2>\n");
	report_svg_months(o, cm, p != NULL ? pm : NULL, year);
	if (p != NULL)
		g_string_append_printf(o, "<p class=\"legend\"><span class=\"sw\" style=\"background:"
		    REPORT_BLUE "\"></span>%d<span class=\"sw\" style=\"background:" REPORT_GREY
		    "\"></span>%d</p>\n", year, year - 1);
	g_string_append(o, "</section>\n");
}

static void
section_time(GString *o, struct year_figures *c, struct year_figures *p, int year)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(item_free);
	gint64 total = time_sum(c, NULL, FALSE);

	g_string_append(o, "<section>\n<h2>Temps de travail et entretiens</h2>\n");
	if (c->time->len == 0) {
		g_string_append(o, "<p class=\"empty\">Aucun temps noté dans le journal "
		    "cette année.</p>\n</section>\n");
		return;
	}
	for (guint i = 0; i < c->time->len; i++) {
		struct tally_time *k = g_ptr_array_index(c->time, i);
		struct item *it = g_new0(struct item, 1);

		it->label = g_strdup(report_kind_fr(k->kind));
		it->n = k->minutes;
		it->prev = p != NULL ? time_sum(p, k->kind, FALSE) : 0;
		g_ptr_array_add(items, it);
	}
	report_svg_hbars(o, items, "Minutes par genre de travail", p != NULL, "\u00a0min");
	if (p != NULL)
		g_string_append_printf(o, "<p class=\"legend\"><span class=\"sw\" style=\"background:"
		    REPORT_BLUE "\"></span>%d<span class=\"sw\" style=\"background:" REPORT_GREY
		    "\"></span>%d</p>\n", year, year - 1);
	g_string_append(o, "<table><thead><tr><th>Genre</th><th class=\"n\">Entrées</th>"
	    "<th class=\"n\">Durée</th><th class=\"n\">Part</th>");
	if (p != NULL)
		g_string_append_printf(o, "<th class=\"n\">Durée %d</th>", year - 1);
	g_string_append(o, "</tr></thead>\n<tbody>\n");
	for (guint i = 0; i < c->time->len; i++) {
		struct tally_time *k = g_ptr_array_index(c->time, i);
		g_autofree char *e = report_int(k->entries), *h = hours_fr(k->minutes);
		g_autofree char *pc = report_pct(k->minutes, total);

		g_string_append(o, "<tr><td>");
		report_esc(o, report_kind_fr(k->kind));
		g_string_append_printf(o, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
		    "<td class=\"n\">%s</td>", e, h, pc);
		if (p != NULL) {
			g_autofree char *ph = hours_fr(time_sum(p, k->kind, FALSE));

			g_string_append_printf(o, "<td class=\"n prev\">%s</td>", ph);
		}
		g_string_append(o, "</tr>\n");
	}
	{
		g_autofree char *e = report_int(time_sum(c, NULL, TRUE));
		g_autofree char *h = hours_fr(total);

		g_string_append_printf(o, "</tbody><tfoot><tr><td>Total</td><td class=\"n\">%s</td>"
		    "<td class=\"n\">%s</td><td class=\"n\">100\u00a0%%</td>", e, h);
		if (p != NULL) {
			g_autofree char *ph = hours_fr(time_sum(p, NULL, FALSE));

			g_string_append_printf(o, "<td class=\"n prev\">%s</td>", ph);
		}
		g_string_append(o, "</tr></tfoot></table>\n</section>\n");
	}
}

/* One row of the comparison table. */
static void
compare_row(GString *o, const char *label, const char *before, const char *now,
    const char *delta)
{
	g_string_append(o, "<tr><td>");
	report_esc(o, label);
	g_string_append_printf(o, "</td><td class=\"n prev\">%s</td><td class=\"n\">%s</td>"
	    "<td class=\"n\">%s</td></tr>\n", before, now, delta);
}

static void
compare_int(GString *o, const char *label, gint64 before, gint64 now)
{
	g_autofree char *b = report_int(before), *n = report_int(now);
	g_autofree char *d = report_change(now, before);

	compare_row(o, label, b, n, d);
}

static void
section_compare(GString *o, struct year_figures *c, struct year_figures *p, int year)
{
	gint64 mc = tally_median(c->t->delays), mp = tally_median(p->t->delays);
	g_autofree char *mcs = mc < 0 ? g_strdup("–") : view_age(mc);
	g_autofree char *mps = mp < 0 ? g_strdup("–") : view_age(mp);
	g_autofree char *hc = hours_fr(time_sum(c, NULL, FALSE));
	g_autofree char *hp = hours_fr(time_sum(p, NULL, FALSE));
	g_autofree char *dh = report_change(time_sum(c, NULL, FALSE), time_sum(p, NULL, FALSE));

	g_string_append_printf(o, "<section>\n<h2>Comparaison avec %d</h2>\n<table><thead><tr>"
	    "<th>Indicateur</th><th class=\"n\">%d</th><th class=\"n\">%d</th>"
	    "<th class=\"n\">Évolution</th></tr></thead>\n<tbody>\n", year - 1, year - 1, year);
	compare_int(o, "Demandes reçues", p->t->requests, c->t->requests);
	compare_int(o, "dont urgentes", p->t->urgent, c->t->urgent);
	compare_int(o, "Primo-informations (personnes migrantes)", p->newcomer_requests,
	    c->newcomer_requests);
	compare_int(o, "Personnes différentes en primo-information", p->newcomer_persons,
	    c->newcomer_persons);
	compare_int(o, "Entretiens de conseil", interviews_of(p), interviews_of(c));
	compare_row(o, "Temps de travail noté", hp, hc, dh);
	compare_row(o, "Délai médian de la première réponse", mps, mcs, "");
	g_string_append(o, "</tbody></table>\n</section>\n");
}

/* The delegate's text: paragraphs at blank lines, line breaks kept. */
static void
section_comment(GString *o, const char *text, int year)
{
	g_auto(GStrv) paras = NULL;
	int n = 0;

	g_string_append(o, "<section>\n<h2>Commentaire de la déléguée</h2>\n<div class=\"comment\">\n");
	if (text != NULL) {
		g_autofree char *v = g_utf8_make_valid(text, -1);
		GString *norm = g_string_new(NULL);

		for (const char *p = v; *p; p++)	/* CRLF files from Windows */
			if (*p != '\r')
				g_string_append_c(norm, *p);
		paras = g_regex_split_simple("\\n[ \\t]*\\n", norm->str, 0, 0);
		g_string_free(norm, TRUE);
		for (char **p = paras; *p != NULL; p++) {
			g_autofree char *t = g_strstrip(g_strdup(*p));
			g_auto(GStrv) lines = NULL;

			if (*t == '\0')
				continue;
			lines = g_strsplit(t, "\n", -1);
			g_string_append(o, "<p>");
			for (char **l = lines; *l != NULL; l++) {
				if (l != lines)
					g_string_append(o, "<br/>\n");
				report_esc(o, g_strstrip(*l));
			}
			g_string_append(o, "</p>\n");
			n++;
		}
	}
	if (n == 0)
		g_string_append_printf(o, "<p class=\"empty\">Pas de commentaire pour %d. Pour "
		    "en ajouter un, écrivez au guichet un courriel commençant par la ligne "
		    "« #commentaire %d » suivie du texte ; un nouveau commentaire remplace "
		    "l'ancien.</p>\n", year, year);
	g_string_append(o, "</div>\n</section>\n");
}

/* The whole page. */
static void
page(GString *o, const struct setup *s, struct year_figures *c, struct year_figures *p,
    int year, const char *comment, gint64 now, GTimeZone *tz)
{
	const struct config *cfg = s->cfg;
	g_autofree char *day = view_time(now, tz, "%d");
	g_autofree char *mon = view_time(now, tz, "%m");
	g_autofree char *yr = view_time(now, tz, "%Y");
	g_autofree char *today = g_strdup_printf("%d %s %s", atoi(day),
	    vocab_month_fr(CLAMP(atoi(mon), 1, 12)), yr);
	g_autofree char *end = now < c->t->to ? g_strdup_printf("%s (année en cours)", today) :
	    g_strdup_printf("31 décembre %d", year);

	g_string_append(o, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	    "lang=\"fr\" xml:lang=\"fr\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>");
	g_string_append_printf(o, "Rapport d'activité %d – ", year);
	report_esc(o, cfg->org_name);
	g_string_append_printf(o, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n"
	    "<p class=\"org\">", css);
	report_esc(o, cfg->org_name);
	if (cfg->delegate_name != NULL) {
		g_string_append(o, " · ");
		report_esc(o, cfg->delegate_name);
	}
	g_string_append_printf(o, "</p>\n<h1>Rapport d'activité %d</h1>\n<p class=\"sub\">"
	    "Intégration : demandes reçues au guichet, entretiens et temps de travail, "
	    "du 1<sup>er</sup> janvier au %s.</p>\n</header>\n", year, end);
	section_kpis(o, c, p, year);
	section_summary(o, s, c, p, year);
	if (comment != NULL)		/* the delegate's words first, then the figures */
		section_comment(o, comment, year);
	section_months(o, c, p, year);
	section_breakdown(o, s, c, p, year, 0, "Demandes par domaine", "Domaine",
	    report_name_domain, 12);
	section_breakdown(o, s, c, p, year, 1, "Demandes par type de demandeur", "Demandeur",
	    report_name_requester, 8);
	section_breakdown(o, s, c, p, year, 2, "Langues des demandes", "Langue",
	    report_name_language, 12);
	section_breakdown(o, s, c, p, year, 3, "Demandes par commune", "Commune",
	    report_name_commune, 12);
	report_section_topics(o, s, c);
	report_section_urgent(o, s, c);
	section_time(o, c, p, year);
	report_section_time_domain(o, s, c);
	report_section_delays(o, c, year);
	report_section_uncounted(o, c);
	if (p != NULL)
		section_compare(o, c, p, year);
	if (comment == NULL)
		section_comment(o, NULL, year);
	g_string_append_printf(o, "<footer>Établi le %s par le guichet (version %s) à partir du registre "
	    "des demandes. Les chiffres ne contiennent aucune donnée personnelle : ni nom, ni "
	    "adresse, ni contenu des messages.</footer>\n</body>\n</html>\n", today,
	    GUICHET_VERSION);
}

/*
 * Last year's figures, counted in a second thread on a connection of its
 * own (an SQLite connection serves one thread at a time) while the first
 * counts this year's: the two scans of the index, each half of the rows,
 * run on both cores.
 */
struct prev_year {
	const char		*path;
	GTimeZone		*tz;
	int			 year;
	gboolean		 opened, ok;
	struct year_figures	 y;
};

static gpointer
prev_year_run(gpointer data)
{
	struct prev_year *p = data;
	struct store *st = store_open(p->path, STORE_READONLY, NULL);

	if ((p->opened = st != NULL))
		p->ok = export_year(st, p->tz, p->year, &p->y, NULL);
	store_close(st);
	return NULL;
}

int
cmd_report(struct globals *gl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "year",    required_argument, NULL, 'y' },
		{ "output",  required_argument, NULL, 'o' },
		{ "comment", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	const char *output = NULL, *comment_file = NULL;
	g_autofree char *comment = NULL;
	struct setup *setup = NULL;
	struct store *st = NULL;
	struct year_figures cur;
	struct prev_year prev = { 0 };
	GThread *other = NULL;
	gboolean have_prev = FALSE;
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	GError *e = NULL;
	int ch, year = 0, rc;
	char *end;

	while ((ch = getopt_long(argc, argv, "y:o:c:", opts, NULL)) != -1) {
		switch (ch) {
		case 'y':
			year = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || year < 2000 || year > 2999)
				return cmd_usage("report");
			break;
		case 'o': output = optarg; break;
		case 'c': comment_file = optarg; break;
		default: return cmd_usage("report");
		}
	}
	if (optind != argc || year == 0 || output == NULL)
		return cmd_usage("report");
	if (comment_file != NULL && !g_file_get_contents(comment_file, &comment, NULL, &e)) {
		g_printerr("guichet report: %s\n", e->message);
		g_error_free(e);
		return 1;
	}
	if ((rc = cmd_open(gl, &setup, &st, STORE_READONLY)) != 0)
		return rc;
	tz = view_tz(setup->cfg);
	prev.tz = tz;
	prev.year = year - 1;
	if (st != NULL) {
		prev.path = gl->db_path != NULL ? gl->db_path : setup->cfg->store_path;
		other = g_thread_new("report-prev", prev_year_run, &prev);
	}
	if (!export_year(st, tz, year, &cur, &e)) {
		g_printerr("guichet report: %s\n", e->message);
		g_error_free(e);
		if (other != NULL)
			g_thread_join(other);
		export_year_clear(&prev.y);
		export_year_clear(&cur);
		store_close(st);
		setup_free(setup);
		return 1;
	}
	/* The comment sent by mail (#commentaire) unless a file is given. */
	if (comment == NULL)
		comment = store_comment_get(st, year);
	if (other != NULL)
		g_thread_join(other);
	if (!prev.opened) {		/* no second connection (or no store): this one */
		export_year_clear(&prev.y);
		prev.ok = export_year(st, tz, year - 1, &prev.y, NULL);
	}
	/* Last year only where there is one. */
	if (prev.ok && (prev.y.t->requests > 0 || prev.y.time->len > 0))
		have_prev = TRUE;
	page(out, setup, &cur, have_prev ? &prev.y : NULL, year, comment,
	    g_get_real_time() / G_USEC_PER_SEC, tz);
	if (strcmp(output, "-") == 0)
		fwrite(out->str, 1, out->len, stdout);
	else if (!g_file_set_contents(output, out->str, (gssize)out->len, &e)) {
		g_printerr("guichet report: %s\n", e->message);
		g_error_free(e);
		rc = 1;
	}
	export_year_clear(&cur);
	export_year_clear(&prev.y);
	store_close(st);
	setup_free(setup);
	return rc;
}

/* The key figures of section_kpis as plain text lines, for a mail body. */
static void
kpis_text(GString *o, struct year_figures *c, struct year_figures *p, int year)
{
	g_autofree char *n = report_int(c->t->requests);
	g_autofree char *ch = p != NULL ? report_change(c->t->requests, p->t->requests) : NULL;
	g_autofree char *fi = report_int(c->newcomer_requests);
	g_autofree char *iv = report_int(interviews_of(c));
	g_autofree char *ivh = hours_fr(time_sum(c, "entretien", FALSE));
	g_autofree char *all = hours_fr(time_sum(c, NULL, FALSE));
	g_autofree char *med = tally_median(c->t->delays) < 0 ? g_strdup("–") :
	    view_age(tally_median(c->t->delays));
	g_autofree char *ans = report_pct(c->t->answered, c->t->requests);

	g_string_append_printf(o, "Chiffres clés %d\n\n", year);
	g_string_append_printf(o, "- Demandes reçues par courriel : %s", n);
	if (ch != NULL && *ch)
		g_string_append_printf(o, " (%s par rapport à %d)",
		    strcmp(ch, "=") == 0 ? "stable" : ch, year - 1);
	g_string_append_printf(o, "\n- Primo-informations à des personnes migrantes : %s "
	    "(%ld personne%s différente%s)\n", fi, (long)c->newcomer_persons,
	    c->newcomer_persons > 1 ? "s" : "", c->newcomer_persons > 1 ? "s" : "");
	g_string_append_printf(o, "- Entretiens de conseil : %s (%s d'entretien)\n", iv, ivh);
	g_string_append_printf(o, "- Délai médian de la première réponse : %s ; %s des "
	    "demandes ont reçu une réponse personnelle\n", med, ans);
	g_string_append_printf(o, "- Urgentes : %ld ; temps de travail noté : %s\n",
	    (long)c->t->urgent, all);
}

gboolean
report_render(struct store *st, const struct setup *setup, int year, gint64 now,
    GString *html, GString *text, GError **err)
{
	g_autoptr(GTimeZone) tz = view_tz(setup->cfg);
	struct year_figures cur, prev;
	gboolean have_prev = FALSE;

	if (!export_year(st, tz, year, &cur, err)) {
		export_year_clear(&cur);
		return FALSE;
	}
	if (export_year(st, tz, year - 1, &prev, NULL) &&
	    (prev.t->requests > 0 || prev.time->len > 0))
		have_prev = TRUE;
	if (html != NULL) {
		g_autofree char *comment = store_comment_get(st, year);

		page(html, setup, &cur, have_prev ? &prev : NULL, year, comment, now, tz);
	}
	if (text != NULL)
		kpis_text(text, &cur, have_prev ? &prev : NULL, year);
	export_year_clear(&cur);
	export_year_clear(&prev);
	return TRUE;
}
