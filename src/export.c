/*
 * export.c: guichet export --year YYYY: the indicators the cantonal
 * integration office (BCI) collects, as CSV or JSON.  Only labels, months
 * and counts leave: no name, address, subject, text or sender key.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include "store.h"
#include "cmd.h"
#include "setup.h"
#include "stats.h"
#include "store.h"
#include "tally.h"
#include "labels.h"
#include "timefig.h"
#include "viewfmt.h"
#include "vocab.h"
#include "jsonw.h"

/* First information to newcomers; also the condition of index requests_newcomers. */
#define NEWCOMER_DOMAIN		VOCAB_NEWCOMER_DOMAIN
#define NEWCOMER_REQUESTER	VOCAB_NEWCOMER_REQUESTER

/* The JSON's schema (guichet(8), EXPORT): a new version when a field changes meaning. */
#define EXPORT_SCHEMA		"guichet-export-canton"
#define EXPORT_SCHEMA_VERSION	2

/* Distinct senders of first-information requests by migrants in [from, to). */
static gint64
newcomer_persons(struct store *st, gint64 from, gint64 to)
{
	return store_newcomer_persons(st, from, to);
}

gboolean
export_year(struct store *st, GTimeZone *tz, int year, struct year_figures *y,
    GError **err)
{
	static const int drm[] = { TF_DOMAIN, TF_REQUESTER, TF_MONTH };
	static const int lang[] = { TF_LANGUAGE }, dom[] = { TF_DOMAIN }, req[] = { TF_REQUESTER };
	static const int month[] = { TF_MONTH }, commune[] = { TF_COMMUNE };
	g_autoptr(GDateTime) a = g_date_time_new(tz, year, 1, 1, 0, 0, 0);
	g_autoptr(GDateTime) b = g_date_time_new(tz, year + 1, 1, 1, 0, 0, 0);
	g_autofree char *d0 = g_strdup_printf("%04d-01-01", year);
	g_autofree char *d1 = g_strdup_printf("%04d-01-01", year + 1);

	memset(y, 0, sizeof *y);
	y->t = tally_new(tz, g_date_time_to_unix(a), g_date_time_to_unix(b));
	y->g_dom_req_month = tally_group(y->t, drm, 3, FALSE);
	y->g_lang = tally_group(y->t, lang, 1, FALSE);
	y->g_dom = tally_group(y->t, dom, 1, FALSE);
	y->g_req = tally_group(y->t, req, 1, FALSE);
	y->g_month = tally_group(y->t, month, 1, FALSE);
	y->g_commune = tally_group(y->t, commune, 1, FALSE);
	{
		static const int topic[] = { TF_TOPIC }, ud[] = { TF_URGENT, TF_DOMAIN };

		y->g_topic = tally_group(y->t, topic, 1, FALSE);
		y->g_month_delays = tally_group(y->t, month, 1, TRUE);
		y->g_urgent_dom = tally_group(y->t, ud, 2, FALSE);
	}
	if (st == NULL) {
		y->time = g_ptr_array_new();
		y->tf = timefig_load(NULL, NULL, NULL, NULL);
		return TRUE;
	}
	if (!tally_run(y->t, st, err) || (y->time = tally_time(st, d0, d1, err)) == NULL ||
	    (y->tf = timefig_load(st, d0, d1, err)) == NULL ||
	    !store_uncounted(st, y->t->from, y->t->to, &y->uncounted, err))
		return FALSE;
	{
		g_autoptr(GPtrArray) rows = tally_rows(y->t, y->g_dom_req_month, FALSE);

		for (guint i = 0; i < rows->len; i++) {
			struct tally_row *r = g_ptr_array_index(rows, i);

			if (g_strcmp0(r->values[0], NEWCOMER_DOMAIN) == 0 &&
			    g_strcmp0(r->values[1], NEWCOMER_REQUESTER) == 0)
				y->newcomer_requests += r->requests;
		}
	}
	y->newcomer_persons = newcomer_persons(st, y->t->from, y->t->to);
	return TRUE;
}

void
export_year_clear(struct year_figures *y)
{
	tally_free(y->t);
	if (y->time != NULL)
		g_ptr_array_unref(y->time);
	timefig_free(y->tf);
}

static void
export_json(const struct setup *setup, int year, struct year_figures *y, GString *out)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree char *text = NULL;
	g_autoptr(GPtrArray) rows = tally_rows(y->t, y->g_dom_req_month, FALSE);
	g_autoptr(GPtrArray) doms = tally_rows(y->t, y->g_dom, TRUE);
	g_autoptr(GPtrArray) reqs = tally_rows(y->t, y->g_req, TRUE);
	g_autoptr(GPtrArray) langs = tally_rows(y->t, y->g_lang, TRUE);
	static const int dom[] = { TT_DOMAIN }, kind[] = { TT_KIND };
	g_autoptr(GPtrArray) tdom = timefig_rows(y->tf, dom, 1);
	g_autoptr(GPtrArray) tkind = timefig_rows(y->tf, kind, 1);
	gint64 imin = 0, icount = 0;

	json_builder_begin_object(b);
	jsonw_str(b, "schema", EXPORT_SCHEMA);
	jsonw_int(b, "schema_version", EXPORT_SCHEMA_VERSION);
	jsonw_int(b, "year", year);
	jsonw_str(b, "organisation", setup->cfg->org_name);
	jsonw_str(b, "region", setup->cfg->region_code);
	jsonw_int(b, "requests_total", y->t->requests);
	json_builder_set_member_name(b, "requests");
	json_builder_begin_array(b);
	for (guint i = 0; i < rows->len; i++) {
		struct tally_row *r = g_ptr_array_index(rows, i);

		json_builder_begin_object(b);
		jsonw_str(b, "domain", r->values[0]);
		jsonw_str(b, "requester", r->values[1]);
		jsonw_str(b, "month", r->values[2]);
		jsonw_int(b, "count", r->requests);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "requests_by_domain");
	json_builder_begin_array(b);
	for (guint i = 0; i < doms->len; i++) {
		struct tally_row *r = g_ptr_array_index(doms, i);
		const struct domain_def *d = r->values[0] ?
		    ruleset_domain(setup->rules, r->values[0]) : NULL;

		json_builder_begin_object(b);
		jsonw_str(b, "domain", r->values[0]);
		jsonw_str(b, "label", d ? d->label_fr : NULL);
		jsonw_str(b, "pic2018", d ? d->pic2018 : NULL);
		jsonw_int(b, "count", r->requests);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "requests_by_requester");
	json_builder_begin_object(b);
	for (guint i = 0; i < reqs->len; i++) {
		struct tally_row *r = g_ptr_array_index(reqs, i);

		jsonw_int(b, r->values[0] ? r->values[0] : "", r->requests);
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "requests_by_target_group");
	json_builder_begin_array(b);
	for (guint i = 0; i < reqs->len; i++) {
		struct tally_row *r = g_ptr_array_index(reqs, i);

		json_builder_begin_object(b);
		jsonw_str(b, "requester", r->values[0]);
		jsonw_str(b, "label", label_requester(setup, r->values[0]));
		jsonw_int(b, "count", r->requests);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "newcomers_first_information");
	json_builder_begin_object(b);
	jsonw_int(b, "requests", y->newcomer_requests);
	jsonw_int(b, "persons", y->newcomer_persons);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "minutes_by_kind");
	json_builder_begin_object(b);
	for (guint i = 0; i < y->time->len; i++) {
		struct tally_time *k = g_ptr_array_index(y->time, i);

		jsonw_int(b, k->kind, k->minutes);
		if (strcmp(k->kind, "entretien") == 0) {
			icount = k->entries;
			imin = k->minutes;
		}
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "counselling_interviews");
	json_builder_begin_object(b);
	jsonw_int(b, "count", icount);
	jsonw_int(b, "minutes", imin);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "time_by_domain");
	json_builder_begin_array(b);
	for (guint i = 0; i < tdom->len; i++) {
		const struct time_row *r = g_ptr_array_index(tdom, i);

		json_builder_begin_object(b);
		jsonw_str(b, "domain", r->v[0]);
		jsonw_str(b, "label", label_domain(setup, r->v[0]));
		jsonw_int(b, "interviews", r->interviews);
		jsonw_int(b, "interview_minutes", r->interview_minutes);
		jsonw_int(b, "entries", r->entries);
		jsonw_int(b, "minutes", r->minutes);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "time_by_kind");
	json_builder_begin_array(b);
	for (guint i = 0; i < tkind->len; i++) {
		const struct time_row *r = g_ptr_array_index(tkind, i);

		json_builder_begin_object(b);
		jsonw_str(b, "kind", r->v[0]);
		jsonw_str(b, "label", label_kind(r->v[0]));
		jsonw_int(b, "entries", r->entries);
		jsonw_int(b, "minutes", r->minutes);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "time_total");
	json_builder_begin_object(b);
	jsonw_int(b, "entries", y->tf->total.entries);
	jsonw_int(b, "minutes", y->tf->total.minutes);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "languages");
	json_builder_begin_object(b);
	for (guint i = 0; i < langs->len; i++) {
		struct tally_row *r = g_ptr_array_index(langs, i);

		jsonw_int(b, r->values[0] ? r->values[0] : VOCAB_LANGUAGE_UNKNOWN, r->requests);
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "requests_by_language");
	json_builder_begin_array(b);
	for (guint i = 0; i < langs->len; i++) {
		struct tally_row *r = g_ptr_array_index(langs, i);

		json_builder_begin_object(b);
		jsonw_str(b, "language", r->values[0] ? r->values[0] : VOCAB_LANGUAGE_UNKNOWN);
		jsonw_str(b, "label", label_language(r->values[0]));
		jsonw_int(b, "count", r->requests);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	text = jsonw_finish(b);
	g_string_append_printf(out, "%s\n", text);
}

/*
 * The CSV: one indicator value a line, each code with its French label
 * beside it, so a spreadsheet reads without the taxonomy at hand.
 */
struct csvx {
	GString			*out;
	char			 sep;
	const struct setup	*setup;
};

static const char *const csv_head[] = {
	"indicateur", "libellé de l'indicateur", "domaine", "libellé du domaine",
	"demandeur", "libellé du demandeur", "mois", "langue", "libellé de la langue",
	"activité", "libellé de l'activité", "valeur", "unité"
};

/* One line: indicator code, its label, domain, requester, month, language, kind, value, unit. */
static void
line(struct csvx *x, const char *ind, const char *label, const char *dom, const char *req,
    const char *month, const char *lang, const char *kind, gint64 v, const char *unit)
{
	char num[32];

	g_snprintf(num, sizeof num, "%ld", (long)v);
	csv_field(x->out, ind, x->sep, TRUE);
	csv_field(x->out, label, x->sep, FALSE);
	csv_field(x->out, dom, x->sep, FALSE);
	csv_field(x->out, dom != NULL ? label_domain(x->setup, dom) : NULL, x->sep, FALSE);
	csv_field(x->out, req, x->sep, FALSE);
	csv_field(x->out, req != NULL ? label_requester(x->setup, req) : NULL, x->sep, FALSE);
	csv_field(x->out, month, x->sep, FALSE);
	csv_field(x->out, lang, x->sep, FALSE);
	csv_field(x->out, lang != NULL ? label_language(lang) : NULL, x->sep, FALSE);
	csv_field(x->out, kind, x->sep, FALSE);
	csv_field(x->out, kind != NULL ? label_kind(kind) : NULL, x->sep, FALSE);
	csv_field(x->out, num, x->sep, FALSE);
	csv_field(x->out, unit, x->sep, FALSE);
	g_string_append(x->out, "\r\n");
}

static void
export_csv(const struct setup *setup, int year, struct year_figures *y, char sep,
    GString *out)
{
	static const int dom[] = { TT_DOMAIN }, kind[] = { TT_KIND };
	g_autoptr(GPtrArray) rows = tally_rows(y->t, y->g_dom_req_month, FALSE);
	g_autoptr(GPtrArray) doms = tally_rows(y->t, y->g_dom, TRUE);
	g_autoptr(GPtrArray) reqs = tally_rows(y->t, y->g_req, TRUE);
	g_autoptr(GPtrArray) langs = tally_rows(y->t, y->g_lang, TRUE);
	g_autoptr(GPtrArray) tdom = timefig_rows(y->tf, dom, 1);
	g_autoptr(GPtrArray) tkind = timefig_rows(y->tf, kind, 1);
	g_autofree char *yr = g_strdup_printf("%d", year);
	struct csvx x = { out, sep, setup };

	g_string_append(out, "\xEF\xBB\xBF");
	for (guint i = 0; i < G_N_ELEMENTS(csv_head); i++)
		csv_field(out, csv_head[i], sep, i == 0);
	g_string_append(out, "\r\n");
	line(&x, "demandes_total", "Demandes reçues", NULL, NULL, yr, NULL, NULL,
	    y->t->requests, "demandes");
	for (guint i = 0; i < doms->len; i++) {
		struct tally_row *r = g_ptr_array_index(doms, i);

		line(&x, "demandes_domaine", "Demandes par domaine", r->values[0], NULL, yr,
		    NULL, NULL, r->requests, "demandes");
	}
	for (guint i = 0; i < reqs->len; i++) {
		struct tally_row *r = g_ptr_array_index(reqs, i);

		line(&x, "demandes_demandeur", "Demandes par groupe cible (type de demandeur)",
		    NULL, r->values[0], yr, NULL, NULL, r->requests, "demandes");
	}
	for (guint i = 0; i < rows->len; i++) {
		struct tally_row *r = g_ptr_array_index(rows, i);

		line(&x, "demandes", "Demandes par domaine, demandeur et mois", r->values[0],
		    r->values[1], r->values[2], NULL, NULL, r->requests, "demandes");
	}
	line(&x, "primo_information_demandes", "Primo-information : demandes de personnes "
	    "migrantes", NEWCOMER_DOMAIN, NEWCOMER_REQUESTER, yr, NULL, NULL,
	    y->newcomer_requests, "demandes");
	line(&x, "primo_information_personnes", "Primo-information : personnes atteintes",
	    NEWCOMER_DOMAIN, NEWCOMER_REQUESTER, yr, NULL, NULL, y->newcomer_persons,
	    "personnes");
	line(&x, "entretiens_conseil", "Entretiens de conseil menés", NULL, NULL, yr, NULL,
	    TIMEFIG_INTERVIEW, y->tf->total.interviews, "entretiens");
	line(&x, "entretiens_conseil_minutes", "Durée des entretiens de conseil", NULL, NULL,
	    yr, NULL, TIMEFIG_INTERVIEW, y->tf->total.interview_minutes, "minutes");
	for (guint i = 0; i < tdom->len; i++) {
		const struct time_row *r = g_ptr_array_index(tdom, i);

		line(&x, "entretiens_conseil_domaine", "Entretiens de conseil par domaine",
		    r->v[0], NULL, yr, NULL, TIMEFIG_INTERVIEW, r->interviews, "entretiens");
		line(&x, "entretiens_conseil_domaine_minutes", "Durée des entretiens de conseil "
		    "par domaine", r->v[0], NULL, yr, NULL, TIMEFIG_INTERVIEW,
		    r->interview_minutes, "minutes");
		line(&x, "temps_domaine_minutes", "Temps de travail par domaine (toutes "
		    "activités)", r->v[0], NULL, yr, NULL, NULL, r->minutes, "minutes");
	}
	for (guint i = 0; i < tkind->len; i++) {
		const struct time_row *r = g_ptr_array_index(tkind, i);

		line(&x, "temps_activite_minutes", "Temps de travail par activité", NULL, NULL,
		    yr, NULL, r->v[0], r->minutes, "minutes");
	}
	line(&x, "temps_total_minutes", "Temps de travail en tout", NULL, NULL, yr, NULL, NULL,
	    y->tf->total.minutes, "minutes");
	for (guint i = 0; i < langs->len; i++) {
		struct tally_row *r = g_ptr_array_index(langs, i);

		line(&x, "langues", "Demandes par langue", NULL, NULL, yr,
		    r->values[0] ? r->values[0] : VOCAB_LANGUAGE_UNKNOWN, NULL, r->requests, "demandes");
	}
}

int
cmd_export(struct globals *gl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "year",   required_argument, NULL, 'y' },
		{ "format", required_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "separator", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = "csv", *output = NULL;
	struct setup *setup = NULL;
	struct store *st = NULL;
	struct year_figures y;
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	GError *e = NULL;
	int ch, year = 0, rc;
	char *end, sep = ',';

	while ((ch = getopt_long(argc, argv, "y:F:o:s:", opts, NULL)) != -1) {
		switch (ch) {
		case 'y':
			year = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || year < 2000 || year > 2999)
				return cmd_usage("export");
			break;
		case 'F': format = optarg; break;
		case 'o': output = optarg; break;
		case 's':
			if (strcmp(optarg, ",") != 0 && strcmp(optarg, ";") != 0)
				return cmd_usage("export");
			sep = optarg[0];
			break;
		default: return cmd_usage("export");
		}
	}
	if (optind != argc || year == 0 ||
	    (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))
		return cmd_usage("export");
	if ((rc = cmd_open(gl, &setup, &st, STORE_READONLY)) != 0)
		return rc;
	tz = view_tz(setup->cfg);
	if (!export_year(st, tz, year, &y, &e)) {
		g_printerr("guichet export: %s\n", e->message);
		g_error_free(e);
		rc = 1;
	} else {
		if (strcmp(format, "json") == 0)
			export_json(setup, year, &y, out);
		else
			export_csv(setup, year, &y, sep, out);
		if (output != NULL) {
			if (!g_file_set_contents(output, out->str, (gssize)out->len, &e)) {
				g_printerr("guichet export: %s\n", e->message);
				g_error_free(e);
				rc = 1;
			}
		} else
			fwrite(out->str, 1, out->len, stdout);
	}
	export_year_clear(&y);
	store_close(st);
	setup_free(setup);
	return rc;
}

gboolean
export_render(struct store *st, const struct setup *setup, int year, const char *format,
    GString *out, GError **err)
{
	g_autoptr(GTimeZone) tz = view_tz(setup != NULL ? setup->cfg : NULL);
	struct year_figures y;
	gboolean ok = export_year(st, tz, year, &y, err);

	if (ok && strcmp(format, "json") == 0)
		export_json(setup, year, &y, out);
	else if (ok)
		export_csv(setup, year, &y, ';', out);	/* for mails: Swiss French Excel */
	export_year_clear(&y);
	return ok;
}
