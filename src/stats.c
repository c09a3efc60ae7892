/*
 * stats.c: guichet stats (figures for the delegate, table/CSV/JSON) and
 * guichet export (the canton's indicators for one year, no personal data).
 * Both read the store through tally.c: one scan per command.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include "cmd.h"
#include "setup.h"
#include "stats.h"
#include "store.h"
#include "tally.h"
#include "viewfmt.h"

/* The labels counted in every breakdown overview. */
static const int overview[] = {
	TF_DOMAIN, TF_TOPIC, TF_REQUESTER, TF_COMMUNE, TF_LANGUAGE, TF_STATUS, TF_REPLY
};

const char *
stats_field_fr(int f)
{
	static const char *const fr[TF_NFIELDS] = {
		"domaine", "thème", "demandeur", "commune", "langue", "état", "réponse",
		"urgente", "mois", "semaine"
	};

	return f >= 0 && f < TF_NFIELDS ? fr[f] : "?";
}

char *
stats_next_day(const char *date)
{
	int y, m, d;
	GDate g;

	if (sscanf(date, "%d-%d-%d", &y, &m, &d) != 3 ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return g_strdup("9999-12-31");
	g_date_clear(&g, 1);
	g_date_set_dmy(&g, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	g_date_add_days(&g, 1);
	return g_strdup_printf("%04d-%02d-%02d", g_date_get_year(&g),
	    g_date_get_month(&g), g_date_get_day(&g));
}

/* Hours with one decimal, empty when there is no delay (CSV). */
static char *
hours(gint64 s)
{
	return s < 0 ? g_strdup("") : g_strdup_printf("%.1f", s / 3600.0);
}

static char *
delay_fr(gint64 s)
{
	return s < 0 ? g_strdup("-") : view_age(s);
}

static void
json_delays(JsonBuilder *b, GArray *d)
{
	gint64 med = tally_median(d), p90 = tally_percentile(d, 0.9);

	json_builder_set_member_name(b, "response_median_s");
	if (med < 0)
		json_builder_add_null_value(b);
	else
		json_builder_add_int_value(b, med);
	json_builder_set_member_name(b, "response_p90_s");
	if (p90 < 0)
		json_builder_add_null_value(b);
	else
		json_builder_add_int_value(b, p90);
}

static void
json_int(JsonBuilder *b, const char *name, gint64 v)
{
	json_builder_set_member_name(b, name);
	json_builder_add_int_value(b, v);
}

static void
json_str(JsonBuilder *b, const char *name, const char *v)
{
	json_builder_set_member_name(b, name);
	if (v == NULL)
		json_builder_add_null_value(b);
	else
		json_builder_add_string_value(b, v);
}

static char *
json_finish(JsonBuilder *b)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = json_builder_get_root(b);

	json_generator_set_pretty(gen, TRUE);
	json_generator_set_root(gen, root);
	return json_generator_to_data(gen, NULL);
}

struct stats_opts {
	gint64		 from, to;
	char		*from_date, *to_date;	/* time_log range [from, to) */
	int		 by[TALLY_MAXF];
	int		 nby;
	const char	*format;
	char		 sep;
};

static void
time_json(JsonBuilder *b, GPtrArray *tl)
{
	gint64 entries = 0, minutes = 0, interviews = 0, imin = 0;

	json_builder_set_member_name(b, "time_log");
	json_builder_begin_array(b);
	for (guint i = 0; i < tl->len; i++) {
		struct tally_time *k = g_ptr_array_index(tl, i);

		json_builder_begin_object(b);
		json_str(b, "kind", k->kind);
		json_int(b, "entries", k->entries);
		json_int(b, "minutes", k->minutes);
		json_builder_end_object(b);
		entries += k->entries;
		minutes += k->minutes;
		if (strcmp(k->kind, "entretien") == 0) {
			interviews = k->entries;
			imin = k->minutes;
		}
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "interviews");
	json_builder_begin_object(b);
	json_int(b, "count", interviews);
	json_int(b, "minutes", imin);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "time_total");
	json_builder_begin_object(b);
	json_int(b, "entries", entries);
	json_int(b, "minutes", minutes);
	json_builder_end_object(b);
}

static void
stats_json(struct tally *t, int g, GPtrArray *tl, const struct stats_opts *o, GString *out)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree char *text = NULL;

	json_builder_begin_object(b);
	json_str(b, "from", o->from_date);
	json_str(b, "to", o->to_date);
	json_builder_set_member_name(b, "by");
	json_builder_begin_array(b);
	for (int k = 0; k < o->nby; k++)
		json_builder_add_string_value(b, tally_field_name(o->by[k]));
	json_builder_end_array(b);
	json_builder_set_member_name(b, "rows");
	json_builder_begin_array(b);
	if (g >= 0) {
		g_autoptr(GPtrArray) rows = tally_rows(t, g, FALSE);

		for (guint i = 0; i < rows->len; i++) {
			struct tally_row *r = g_ptr_array_index(rows, i);

			json_builder_begin_object(b);
			for (int k = 0; k < o->nby; k++)
				json_str(b, tally_field_name(o->by[k]), r->values[k]);
			json_int(b, "requests", r->requests);
			json_int(b, "answered", r->answered);
			json_int(b, "urgent_requests", r->urgent);
			json_delays(b, r->delays);
			json_builder_end_object(b);
		}
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "totals");
	json_builder_begin_object(b);
	json_int(b, "requests", t->requests);
	json_int(b, "answered", t->answered);
	json_int(b, "urgent_requests", t->urgent);
	json_delays(b, t->delays);
	json_builder_end_object(b);
	/* Each label alone: code -> requests (null labels under ""). */
	json_builder_set_member_name(b, "breakdowns");
	json_builder_begin_object(b);
	for (guint i = 0; i < G_N_ELEMENTS(overview); i++) {
		g_autoptr(GPtrArray) rows = tally_rows(t, (g >= 0) + (int)i, FALSE);

		json_builder_set_member_name(b, tally_field_name(overview[i]));
		json_builder_begin_object(b);
		for (guint j = 0; j < rows->len; j++) {
			struct tally_row *r = g_ptr_array_index(rows, j);

			json_int(b, r->values[0] ? r->values[0] : "", r->requests);
		}
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
	time_json(b, tl);
	json_builder_end_object(b);
	text = json_finish(b);
	g_string_append_printf(out, "%s\n", text);
}

static void
csv_end(GString *out)
{
	g_string_append(out, "\r\n");
}

static void
stats_csv(struct tally *t, int g, GPtrArray *tl, const struct stats_opts *o, GString *out)
{
	static const char *const hdr[] = { "demandes", "pourcentage", "répondues",
	    "urgentes", "délai médian (h)", "délai 90e centile (h)" };
	g_autoptr(GPtrArray) rows = NULL;
	int by[1] = { TF_DOMAIN }, nby = o->nby;
	const int *fields = o->by;
	gint64 tent = 0, tmin = 0;

	if (g < 0) {	/* no --by: the overview by domain */
		g = 0;
		fields = by;
		nby = 1;
	}
	rows = tally_rows(t, g, FALSE);
	g_string_append(out, "\xEF\xBB\xBF");	/* BOM: Excel then reads UTF-8 */
	for (int k = 0; k < nby; k++)
		csv_field(out, stats_field_fr(fields[k]), o->sep, k == 0);
	for (guint k = 0; k < G_N_ELEMENTS(hdr); k++)
		csv_field(out, hdr[k], o->sep, FALSE);
	csv_end(out);
	for (guint i = 0; i <= rows->len; i++) {
		struct tally_row *r = i < rows->len ? g_ptr_array_index(rows, i) : NULL;
		gint64 n = r ? r->requests : t->requests;
		g_autofree char *cnt = g_strdup_printf("%ld", (long)n);
		g_autofree char *pct = g_strdup_printf("%.1f",
		    t->requests ? 100.0 * n / t->requests : 0.0);
		g_autofree char *ans = g_strdup_printf("%ld", (long)(r ? r->answered : t->answered));
		g_autofree char *urg = g_strdup_printf("%ld", (long)(r ? r->urgent : t->urgent));
		GArray *d = r ? r->delays : t->delays;
		g_autofree char *med = hours(tally_median(d));
		g_autofree char *p90 = hours(tally_percentile(d, 0.9));

		for (int k = 0; k < nby; k++)
			csv_field(out, r ? r->values[k] : (k == 0 ? "Total" : ""), o->sep, k == 0);
		csv_field(out, cnt, o->sep, FALSE);
		csv_field(out, pct, o->sep, FALSE);
		csv_field(out, ans, o->sep, FALSE);
		csv_field(out, urg, o->sep, FALSE);
		csv_field(out, med, o->sep, FALSE);
		csv_field(out, p90, o->sep, FALSE);
		csv_end(out);
	}
	/* The time log as a second small table, after an empty line. */
	csv_end(out);
	csv_field(out, "genre de temps", o->sep, TRUE);
	csv_field(out, "entrées", o->sep, FALSE);
	csv_field(out, "minutes", o->sep, FALSE);
	csv_end(out);
	for (guint i = 0; i <= tl->len; i++) {
		struct tally_time *k = i < tl->len ? g_ptr_array_index(tl, i) : NULL;
		g_autofree char *e = g_strdup_printf("%ld", (long)(k ? k->entries : tent));
		g_autofree char *m = g_strdup_printf("%ld", (long)(k ? k->minutes : tmin));

		csv_field(out, k ? k->kind : "Total", o->sep, TRUE);
		csv_field(out, e, o->sep, FALSE);
		csv_field(out, m, o->sep, FALSE);
		csv_end(out);
		if (k != NULL) {
			tent += k->entries;
			tmin += k->minutes;
		}
	}
}

/* One aligned table of group g (fields of nby), with its totals row. */
static void
table_group(struct tally *t, int g, const int *fields, int nby, gboolean delays,
    GString *out)
{
	const char *hdr[TALLY_MAXF + 6];
	int nc = nby + (delays ? 5 : 2);
	g_autoptr(GPtrArray) rows = tally_rows(t, g, nby == 1 && fields[0] < TF_MONTH);
	struct vtable *vt;

	for (int k = 0; k < nby; k++)
		hdr[k] = stats_field_fr(fields[k]);
	hdr[nby] = "demandes";
	hdr[nby + 1] = "%";
	hdr[nby + 2] = "répondues";
	hdr[nby + 3] = "délai médian";
	hdr[nby + 4] = "90e centile";
	vt = vtable_new(nc, hdr);
	for (int c = nby; c < nc; c++)
		vtable_right(vt, c);
	for (guint i = 0; i <= rows->len; i++) {
		struct tally_row *r = i < rows->len ? g_ptr_array_index(rows, i) : NULL;
		gint64 n = r ? r->requests : t->requests;
		g_autofree char *cnt = g_strdup_printf("%ld", (long)n);
		g_autofree char *pct = g_strdup_printf("%.1f",
		    t->requests ? 100.0 * n / t->requests : 0.0);
		g_autofree char *ans = g_strdup_printf("%ld", (long)(r ? r->answered : t->answered));
		GArray *d = r ? r->delays : t->delays;
		g_autofree char *med = delays ? delay_fr(tally_median(d)) : NULL;
		g_autofree char *p90 = delays ? delay_fr(tally_percentile(d, 0.9)) : NULL;
		const char *cell[TALLY_MAXF + 6];

		if (r == NULL)
			vtable_rule(vt);
		for (int k = 0; k < nby; k++)
			cell[k] = r ? (r->values[k] ? r->values[k] : "(aucun)") :
			    (k == 0 ? "Total" : "");
		cell[nby] = cnt;
		cell[nby + 1] = pct;
		cell[nby + 2] = ans;
		cell[nby + 3] = med;
		cell[nby + 4] = p90;
		vtable_add(vt, cell);
	}
	vtable_print(vt, out);
	vtable_free(vt);
}

static void
stats_table(struct tally *t, int g, GPtrArray *tl, const struct stats_opts *o, GString *out)
{
	g_autofree char *med = delay_fr(tally_median(t->delays));
	g_autofree char *p90 = delay_fr(tally_percentile(t->delays, 0.9));
	gint64 tmin = 0;

	g_string_append_printf(out, "Demandes reçues du %s au %s : %ld\n", o->from_date,
	    o->to_date, (long)t->requests);
	g_string_append_printf(out, "  avec une réponse personnelle : %ld (délai médian %s, "
	    "90e centile %s)\n  urgentes : %ld\n\n", (long)t->answered, med, p90,
	    (long)t->urgent);
	if (g >= 0) {
		table_group(t, g, o->by, o->nby, TRUE, out);
	} else {
		for (guint i = 0; i < G_N_ELEMENTS(overview); i++) {
			int f = overview[i];

			table_group(t, (int)i, &f, 1, FALSE, out);
			g_string_append_c(out, '\n');
		}
	}
	if (tl->len > 0) {
		static const char *const hdr[] = { "temps de travail", "entrées", "minutes",
		    "heures" };
		struct vtable *vt = vtable_new(4, hdr);
		gint64 tent = 0;

		vtable_right(vt, 1);
		vtable_right(vt, 2);
		vtable_right(vt, 3);
		for (guint i = 0; i <= tl->len; i++) {
			struct tally_time *k = i < tl->len ? g_ptr_array_index(tl, i) : NULL;
			gint64 m = k ? k->minutes : tmin;
			g_autofree char *e = g_strdup_printf("%ld", (long)(k ? k->entries : tent));
			g_autofree char *mm = g_strdup_printf("%ld", (long)m);
			g_autofree char *h = g_strdup_printf("%ld h %02ld", (long)(m / 60),
			    (long)(m % 60));
			const char *cell[4] = { k ? k->kind : "Total", e, mm, h };

			if (k == NULL)
				vtable_rule(vt);
			vtable_add(vt, cell);
			if (k != NULL) {
				tent += k->entries;
				tmin += k->minutes;
			}
		}
		g_string_append_c(out, '\n');
		vtable_print(vt, out);
		vtable_free(vt);
	} else
		g_string_append(out, "\nAucun temps noté dans le journal pour cette période.\n");
}

gboolean
stats_parse_by(const char *s, int *by, int *nby, GError **err)
{
	g_auto(GStrv) v = g_strsplit(s, ",", -1);

	*nby = 0;
	for (char **f = v; *f != NULL; f++) {
		int k = tally_field_parse(g_strstrip(*f));

		if (k < 0 || *nby >= TALLY_MAXF) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE, k < 0 ?
			    "--by %s: fields are domain, topic, requester, commune, language, "
			    "month, week, status, reply, urgent" : "--by: at most 4 fields", *f);
			return FALSE;
		}
		by[(*nby)++] = k;
	}
	return *nby > 0;
}

int
cmd_stats(struct globals *gl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from",      required_argument, NULL, 'f' },
		{ "to",        required_argument, NULL, 't' },
		{ "by",        required_argument, NULL, 'b' },
		{ "format",    required_argument, NULL, 'F' },
		{ "separator", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *from = NULL, *to = NULL, *by = NULL;
	struct stats_opts o = { 0 };
	struct setup *setup = NULL;
	struct store *st = NULL;
	struct tally *t = NULL;
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GPtrArray) tl = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	GError *e = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	int ch, g = -1, rc;

	o.format = "table";
	o.sep = ',';
	while ((ch = getopt_long(argc, argv, "f:t:b:F:s:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'b': by = optarg; break;
		case 'F': o.format = optarg; break;
		case 's':
			if (strcmp(optarg, ",") != 0 && strcmp(optarg, ";") != 0)
				return cmd_usage("stats");
			o.sep = optarg[0];
			break;
		default: return cmd_usage("stats");
		}
	}
	if (optind != argc || (strcmp(o.format, "table") != 0 &&
	    strcmp(o.format, "csv") != 0 && strcmp(o.format, "json") != 0))
		return cmd_usage("stats");
	if (by != NULL && !stats_parse_by(by, o.by, &o.nby, &e))
		goto usage;
	if ((rc = cmd_open(gl, &setup, &st, STORE_READONLY)) != 0)
		return rc;
	tz = view_tz(setup->cfg);
	o.to = now + 1;
	if ((from != NULL && !view_parse_time(from, tz, FALSE, now, &o.from, &e)) ||
	    (to != NULL && !view_parse_time(to, tz, TRUE, now, &o.to, &e))) {
		store_close(st);
		setup_free(setup);
		goto usage;
	}
	/* Without dates: every stored request, even one dated after now. */
	if ((from == NULL || to == NULL) && st != NULL) {
		gint64 first, last;

		if (tally_span(st, &first, &last)) {
			if (from == NULL)
				o.from = first;
			if (to == NULL)
				o.to = MAX(o.to, last + 1);
		} else if (from == NULL)
			o.from = now;
	}
	o.from_date = view_time(o.from, tz, "%Y-%m-%d");
	o.to_date = view_time(o.to - 1, tz, "%Y-%m-%d");
	t = tally_new(tz, o.from, o.to);
	if (o.nby > 0)
		g = tally_group(t, o.by, o.nby, TRUE);
	/* The overview of each label: JSON always has it, the others without --by. */
	if (o.nby == 0 || strcmp(o.format, "json") == 0)
		for (guint i = 0; i < G_N_ELEMENTS(overview); i++)
			tally_group(t, &overview[i], 1, FALSE);
	rc = 0;
	if (st != NULL) {
		g_autofree char *end = stats_next_day(o.to_date);

		if (!tally_run(t, st, &e) ||
		    (tl = tally_time(st, o.from_date, end, &e)) == NULL) {
			g_printerr("guichet stats: %s\n", e->message);
			g_error_free(e);
			rc = 1;
		}
	} else
		tl = g_ptr_array_new();
	if (rc == 0) {
		if (strcmp(o.format, "json") == 0)
			stats_json(t, g, tl, &o, out);
		else if (strcmp(o.format, "csv") == 0)
			stats_csv(t, g, tl, &o, out);
		else
			stats_table(t, g, tl, &o, out);
		fwrite(out->str, 1, out->len, stdout);
	}
	tally_free(t);
	g_free(o.from_date);
	g_free(o.to_date);
	store_close(st);
	setup_free(setup);
	return rc;
usage:
	g_printerr("guichet stats: %s\n", e->message);
	g_error_free(e);
	return 2;
}

gboolean
stats_render(struct store *st, const struct setup *setup, gint64 from, gint64 to,
    const char *format, GString *out, GError **err)
{
	struct stats_opts o = { 0 };
	g_autoptr(GTimeZone) tz = view_tz(setup != NULL ? setup->cfg : NULL);
	g_autoptr(GPtrArray) tl = NULL;
	g_autofree char *end = NULL;
	struct tally *t;
	gboolean ok = TRUE;

	o.format = format;
	o.sep = ',';
	o.from = from;
	o.to = to;
	o.from_date = view_time(from, tz, "%Y-%m-%d");
	o.to_date = view_time(to - 1, tz, "%Y-%m-%d");
	end = stats_next_day(o.to_date);
	t = tally_new(tz, from, to);
	/* As `guichet stats` without --by: the overview of each label. */
	for (guint i = 0; i < G_N_ELEMENTS(overview); i++)
		tally_group(t, &overview[i], 1, FALSE);
	if (st != NULL && (!tally_run(t, st, err) ||
	    (tl = tally_time(st, o.from_date, end, err)) == NULL))
		ok = FALSE;
	else {
		if (tl == NULL)
			tl = g_ptr_array_new();
		if (strcmp(format, "csv") == 0)
			stats_csv(t, -1, tl, &o, out);
		else
			stats_table(t, -1, tl, &o, out);
	}
	tally_free(t);
	g_free(o.from_date);
	g_free(o.to_date);
	return ok;
}
