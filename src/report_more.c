/*
 * report_more.c: the annual report's sections on what the canton asks
 * beyond the breakdowns of report.c: interviews and time by domain (exact
 * to the minute), topics, urgent requests, mail that counts as no request,
 * and the median time to the first answer month by month.
 */
#include <stdio.h>
#include <string.h>
#include "labels.h"
#include "report.h"
#include "timefig.h"
#include "viewfmt.h"
#include "vocab.h"

/* "4 h 30" with no-break spaces (a table cell never breaks inside). */
char *
report_duration(gint64 minutes)
{
	g_autofree char *d = timefig_duration(minutes);
	GString *o = g_string_new(NULL);

	for (const char *p = d; *p; p++)
		if (*p == ' ')
			g_string_append(o, "\u00a0");
		else
			g_string_append_c(o, *p);
	return g_string_free(o, FALSE);
}

static void
th(GString *o, const char *cls, const char *text)
{
	g_string_append_printf(o, "<th%s>", cls != NULL ? cls : "");
	report_esc(o, text);
	g_string_append(o, "</th>");
}

static void
td(GString *o, gboolean num, const char *text)
{
	g_string_append(o, num ? "<td class=\"n\">" : "<td>");
	report_esc(o, text);
	g_string_append(o, "</td>");
}

void
report_section_time_domain(GString *o, const struct setup *s, struct year_figures *c)
{
	static const int dom[] = { TT_DOMAIN };
	g_autoptr(GPtrArray) rows = timefig_rows(c->tf, dom, 1);

	g_string_append(o, "<section>\n<h2>Entretiens de conseil et temps par domaine</h2>\n");
	if (rows->len == 0) {
		g_string_append(o, "<p class=\"empty\">Aucun temps noté dans le journal cette "
		    "année.</p>\n</section>\n");
		return;
	}
	g_string_append(o, "<table><thead><tr>");
	th(o, NULL, "Domaine");
	th(o, " class=\"n\"", "Entretiens");
	th(o, " class=\"n\"", "Durée des entretiens");
	th(o, " class=\"n\"", "Temps de travail en tout");
	g_string_append(o, "</tr></thead>\n<tbody>\n");
	for (guint i = 0; i <= rows->len; i++) {
		const struct time_row *r = i < rows->len ? g_ptr_array_index(rows, i) : &c->tf->total;
		g_autofree char *n = report_int(r->interviews);
		g_autofree char *im = report_duration(r->interview_minutes);
		g_autofree char *tm = report_duration(r->minutes);

		if (i == rows->len)
			g_string_append(o, "</tbody><tfoot>");
		g_string_append(o, "<tr>");
		td(o, FALSE, i < rows->len ? label_domain(s, r->v[0]) : "Total");
		td(o, TRUE, n);
		td(o, TRUE, im);
		td(o, TRUE, tm);
		g_string_append(o, "</tr>\n");
	}
	g_string_append(o, "</tfoot></table>\n</section>\n");
}

void
report_section_topics(GString *o, const struct setup *s, struct year_figures *c)
{
	g_autoptr(GPtrArray) rows = tally_rows(c->t, c->g_topic, TRUE);
	guint shown = 0;

	g_string_append(o, "<section>\n<h2>Thèmes des demandes</h2>\n");
	if (c->t->requests == 0) {
		g_string_append(o, "<p class=\"empty\">Aucune demande cette année.</p>\n"
		    "</section>\n");
		return;
	}
	g_string_append(o, "<table><thead><tr>");
	th(o, NULL, "Thème");
	th(o, NULL, "Domaine");
	th(o, " class=\"n\"", "Demandes");
	th(o, " class=\"n\"", "Part");
	g_string_append(o, "</tr></thead>\n<tbody>\n");
	for (guint i = 0; i < rows->len && shown < 20; i++) {
		struct tally_row *r = g_ptr_array_index(rows, i);
		const struct topic_def *t = r->values[0] != NULL && s->rules != NULL ?
		    ruleset_topic(s->rules, r->values[0]) : NULL;
		g_autofree char *n = report_int(r->requests);
		g_autofree char *pc = report_pct(r->requests, c->t->requests);

		g_string_append(o, "<tr>");
		td(o, FALSE, r->values[0] != NULL ? label_topic(s, r->values[0]) :
		    "Sans thème précis");
		td(o, FALSE, t != NULL ? label_domain(s, t->domain) : "");
		td(o, TRUE, n);
		td(o, TRUE, pc);
		g_string_append(o, "</tr>\n");
		shown++;
	}
	g_string_append(o, "</tbody></table>\n</section>\n");
}

void
report_section_urgent(GString *o, const struct setup *s, struct year_figures *c)
{
	g_autoptr(GPtrArray) rows = tally_rows(c->t, c->g_urgent_dom, FALSE);
	g_autofree char *n = report_int(c->t->urgent);
	g_autofree char *pc = report_pct(c->t->urgent, c->t->requests);

	g_string_append(o, "<section>\n<h2>Demandes urgentes</h2>\n");
	if (c->t->urgent == 0) {
		g_string_append(o, "<p class=\"empty\">Aucune demande urgente cette année.</p>\n"
		    "</section>\n");
		return;
	}
	g_string_append_printf(o, "<p>%s demande%s urgente%s (%s des demandes), signalée%s à la "
	    "déléguée dès réception.</p>\n", n, c->t->urgent > 1 ? "s" : "",
	    c->t->urgent > 1 ? "s" : "", pc, c->t->urgent > 1 ? "s" : "");
	g_string_append(o, "<table><thead><tr>");
	th(o, NULL, "Domaine");
	th(o, " class=\"n\"", "Demandes urgentes");
	g_string_append(o, "</tr></thead>\n<tbody>\n");
	for (guint i = 0; i < rows->len; i++) {
		struct tally_row *r = g_ptr_array_index(rows, i);
		g_autofree char *k = NULL;

		if (g_strcmp0(r->values[0], "yes") != 0)
			continue;
		k = report_int(r->requests);
		g_string_append(o, "<tr>");
		td(o, FALSE, label_domain(s, r->values[1]));
		td(o, TRUE, k);
		g_string_append(o, "</tr>\n");
	}
	g_string_append(o, "</tbody></table>\n</section>\n");
}

void
report_section_uncounted(GString *o, struct year_figures *c)
{
	const struct uncounted *u = &c->uncounted;
	static const char *const what[6] = {
		"Messages automatiques (robots, avis de non-remise, listes)",
		"Messages indésirables",
		"Remerciements et réponses sans demande ouverte",
		"Commandes de la déléguée par courriel",
		"Messages du guichet lui-même revenus",
		"Courriels mis en quarantaine (trop grands, illisibles)",
	};
	const gint64 v[6] = { u->robots, u->spam, u->thanks, u->commands, u->own,
	    u->quarantined };
	gint64 all = 0;

	for (int i = 0; i < 6; i++)
		all += v[i];

	g_string_append(o, "<section>\n<h2>Courriels non comptés comme demandes</h2>\n");
	if (all == 0) {
		g_string_append(o, "<p class=\"empty\">Tous les courriels reçus cette année "
		    "étaient des demandes ou des relances.</p>\n</section>\n");
		return;
	}
	g_string_append(o, "<p>Ces courriels sont arrivés à l'adresse du guichet mais ne sont "
	    "pas des demandes : ils ne figurent dans aucun autre chiffre.</p>\n<table><thead><tr>");
	th(o, NULL, "Genre");
	th(o, " class=\"n\"", "Courriels");
	g_string_append(o, "</tr></thead>\n<tbody>\n");
	for (int i = 0; i < 6; i++) {
		g_autofree char *n = NULL;

		if (v[i] == 0)
			continue;
		n = report_int(v[i]);
		g_string_append(o, "<tr>");
		td(o, FALSE, what[i]);
		td(o, TRUE, n);
		g_string_append(o, "</tr>\n");
	}
	{
		g_autofree char *n = report_int(all);

		g_string_append(o, "</tbody><tfoot><tr>");
		td(o, FALSE, "Total");
		td(o, TRUE, n);
		g_string_append(o, "</tr></tfoot></table>\n</section>\n");
	}
}

void
report_section_delays(GString *o, struct year_figures *c, int year)
{
	g_autoptr(GPtrArray) rows = tally_rows(c->t, c->g_month_delays, FALSE);

	g_string_append(o, "<section>\n<h2>Délai de la première réponse, mois par mois</h2>\n");
	if (c->t->requests == 0) {
		g_string_append(o, "<p class=\"empty\">Aucune demande cette année.</p>\n"
		    "</section>\n");
		return;
	}
	g_string_append(o, "<table><thead><tr>");
	th(o, NULL, "Mois");
	th(o, " class=\"n\"", "Demandes");
	th(o, " class=\"n\"", "Avec réponse personnelle");
	th(o, " class=\"n\"", "Délai médian");
	g_string_append(o, "</tr></thead>\n<tbody>\n");
	for (guint i = 0; i < rows->len; i++) {
		struct tally_row *r = g_ptr_array_index(rows, i);
		g_autofree char *m = label_month(r->values[0]);
		g_autofree char *n = report_int(r->requests);
		g_autofree char *a = report_int(r->answered);
		gint64 med = tally_median(r->delays);
		g_autofree char *d = med < 0 ? g_strdup("–") : view_age(med);

		if (r->requests == 0)
			continue;
		g_string_append(o, "<tr>");
		td(o, FALSE, m);
		td(o, TRUE, n);
		td(o, TRUE, a);
		td(o, TRUE, d);
		g_string_append(o, "</tr>\n");
	}
	{
		gint64 med = tally_median(c->t->delays);
		g_autofree char *n = report_int(c->t->requests);
		g_autofree char *a = report_int(c->t->answered);
		g_autofree char *d = med < 0 ? g_strdup("–") : view_age(med);
		g_autofree char *y = g_strdup_printf("Année %d", year);

		g_string_append(o, "</tbody><tfoot><tr>");
		td(o, FALSE, y);
		td(o, TRUE, n);
		td(o, TRUE, a);
		td(o, TRUE, d);
		g_string_append(o, "</tr></tfoot></table>\n</section>\n");
	}
}
