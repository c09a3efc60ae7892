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
#include "labels.h"
#include "timefig.h"
#include "viewfmt.h"
#include "jsonw.h"

/* The labels counted in every breakdown overview. */
static const int overview[] = {
	TF_DOMAIN, TF_TOPIC, TF_REQUESTER, TF_COMMUNE, TF_LANGUAGE, TF_STATUS, TF_REPLY
};

/* French column name of a tally field ("domaine"). */
static const char *
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

/* One decimal; a decimal comma when comma (French tables, ';' CSV). */
static char *
dec1(double v, gboolean comma)
{
	char *s = g_strdup_printf("%.1f", v);

	if (comma)
		for (char *p = s; *p; p++)
			if (*p == '.')
				*p = ',';
	return s;
}

/* Hours with one decimal, empty when there is no delay (CSV). */
static char *
hours(gint64 s, gboolean comma)
{
	return s < 0 ? g_strdup("") : dec1(s / 3600.0, comma);
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
csv_end(GString *out)
{
	g_string_append(out, "\r\n");
}

struct stats_opts {
	gint64		 from, to;
	char		*from_date, *to_date;	/* time_log range [from, to) */
	int		 by[TALLY_MAXF];
	int		 nby;
	int		 tby[TT_NFIELDS];	/* the time table's fields (timefig.h) */
	int		 ntby;
	gboolean	 time_only;		/* --by kind alone: no request table */
	const char	*format;
	char		 sep;
	const struct setup *setup;
	struct timefig	*tf;
};

/* French name of a time field. */
static const char *
time_field_fr(int f)
{
	static const char *const fr[TT_NFIELDS] = { "domaine", "thème", "activité", "mois" };

	return f >= 0 && f < TT_NFIELDS ? fr[f] : "?";
}

static const char *const time_field_en[TT_NFIELDS] = { "domain", "topic", "kind", "month" };

/* A time field's value as read (g_free). */
static char *
time_value_fr(const struct setup *setup, int f, const char *v)
{
	switch (f) {
	case TT_DOMAIN: return g_strdup(label_domain(setup, v));
	case TT_TOPIC: return g_strdup(label_topic(setup, v));
	case TT_KIND: return g_strdup(label_kind(v));
	default: return label_month(v);
	}
}

/* The time table by fields: interviews, their time, all time (table format). */
static void
time_table(const struct stats_opts *o, const int *fields, int n, GString *out)
{
	const char *hdr[TT_NFIELDS + 4];
	g_autoptr(GPtrArray) rows = timefig_rows(o->tf, fields, n);
	struct vtable *vt;

	for (int k = 0; k < n; k++)
		hdr[k] = time_field_fr(fields[k]);
	hdr[n] = "entretiens";
	hdr[n + 1] = "durée des entretiens";
	hdr[n + 2] = "temps total";
	hdr[n + 3] = "minutes";
	vt = vtable_new(n + 4, hdr);
	for (int c = n; c < n + 4; c++)
		vtable_right(vt, c);
	for (guint i = 0; i <= rows->len; i++) {
		const struct time_row *r = i < rows->len ? g_ptr_array_index(rows, i) : &o->tf->total;
		g_autofree char *iv = g_strdup_printf("%ld", (long)r->interviews);
		g_autofree char *im = timefig_duration(r->interview_minutes);
		g_autofree char *tm = timefig_duration(r->minutes);
		g_autofree char *mm = g_strdup_printf("%ld", (long)r->minutes);
		char *names[TT_NFIELDS] = { NULL };
		const char *cell[TT_NFIELDS + 4];

		if (i == rows->len)
			vtable_rule(vt);
		for (int k = 0; k < n; k++) {
			names[k] = i < rows->len ? time_value_fr(o->setup, fields[k], r->v[k]) :
			    g_strdup(k == 0 ? "Total" : "");
			cell[k] = names[k];
		}
		cell[n] = iv;
		cell[n + 1] = im;
		cell[n + 2] = tm;
		cell[n + 3] = mm;
		vtable_add(vt, cell);
		for (int k = 0; k < n; k++)
			g_free(names[k]);
	}
	vtable_print(vt, out);
	vtable_free(vt);
}

/* The same as CSV, codes beside the labels. */
static void
time_csv(const struct stats_opts *o, const int *fields, int n, GString *out)
{
	g_autoptr(GPtrArray) rows = timefig_rows(o->tf, fields, n);

	for (int k = 0; k < n; k++) {
		g_autofree char *code = g_strdup_printf("code %s", time_field_fr(fields[k]));

		csv_field(out, time_field_fr(fields[k]), o->sep, k == 0);
		csv_field(out, code, o->sep, FALSE);
	}
	csv_field(out, "entretiens", o->sep, FALSE);
	csv_field(out, "minutes d'entretien", o->sep, FALSE);
	csv_field(out, "entrées", o->sep, FALSE);
	csv_field(out, "minutes en tout", o->sep, FALSE);
	csv_field(out, "durée en tout", o->sep, FALSE);
	csv_end(out);
	for (guint i = 0; i <= rows->len; i++) {
		const struct time_row *r = i < rows->len ? g_ptr_array_index(rows, i) : &o->tf->total;
		g_autofree char *iv = g_strdup_printf("%ld", (long)r->interviews);
		g_autofree char *im = g_strdup_printf("%ld", (long)r->interview_minutes);
		g_autofree char *en = g_strdup_printf("%ld", (long)r->entries);
		g_autofree char *mm = g_strdup_printf("%ld", (long)r->minutes);
		g_autofree char *tm = timefig_duration(r->minutes);

		for (int k = 0; k < n; k++) {
			g_autofree char *name = i < rows->len ?
			    time_value_fr(o->setup, fields[k], r->v[k]) :
			    g_strdup(k == 0 ? "Total" : "");

			csv_field(out, name, o->sep, k == 0);
			csv_field(out, i < rows->len ? r->v[k] : NULL, o->sep, FALSE);
		}
		csv_field(out, iv, o->sep, FALSE);
		csv_field(out, im, o->sep, FALSE);
		csv_field(out, en, o->sep, FALSE);
		csv_field(out, mm, o->sep, FALSE);
		csv_field(out, tm, o->sep, FALSE);
		csv_end(out);
	}
}

static void
time_json_by(JsonBuilder *b, const struct stats_opts *o, const int *fields, int n)
{
	g_autoptr(GPtrArray) rows = timefig_rows(o->tf, fields, n);

	json_builder_begin_array(b);
	for (guint i = 0; i < rows->len; i++) {
		const struct time_row *r = g_ptr_array_index(rows, i);

		json_builder_begin_object(b);
		for (int k = 0; k < n; k++) {
			g_autofree char *lbl = time_value_fr(o->setup, fields[k], r->v[k]);
			g_autofree char *lk = g_strdup_printf("%s_label", time_field_en[fields[k]]);

			json_builder_set_member_name(b, time_field_en[fields[k]]);
			if (r->v[k] != NULL)
				json_builder_add_string_value(b, r->v[k]);
			else
				json_builder_add_null_value(b);
			json_builder_set_member_name(b, lk);
			json_builder_add_string_value(b, lbl);
		}
		json_builder_set_member_name(b, "interviews");
		json_builder_add_int_value(b, r->interviews);
		json_builder_set_member_name(b, "interview_minutes");
		json_builder_add_int_value(b, r->interview_minutes);
		json_builder_set_member_name(b, "entries");
		json_builder_add_int_value(b, r->entries);
		json_builder_set_member_name(b, "minutes");
		json_builder_add_int_value(b, r->minutes);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static void
time_json(JsonBuilder *b, GPtrArray *tl)
{
	gint64 entries = 0, minutes = 0, interviews = 0, imin = 0;

	json_builder_set_member_name(b, "time_log");
	json_builder_begin_array(b);
	for (guint i = 0; i < tl->len; i++) {
		struct tally_time *k = g_ptr_array_index(tl, i);

		json_builder_begin_object(b);
		jsonw_str(b, "kind", k->kind);
		jsonw_int(b, "entries", k->entries);
		jsonw_int(b, "minutes", k->minutes);
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
	jsonw_int(b, "count", interviews);
	jsonw_int(b, "minutes", imin);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "time_total");
	json_builder_begin_object(b);
	jsonw_int(b, "entries", entries);
	jsonw_int(b, "minutes", minutes);
	json_builder_end_object(b);
}

static void
stats_json(struct tally *t, int g, GPtrArray *tl, const struct stats_opts *o, GString *out)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree char *text = NULL;

	json_builder_begin_object(b);
	jsonw_str(b, "from", o->from_date);
	jsonw_str(b, "to", o->to_date);
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
				jsonw_str(b, tally_field_name(o->by[k]), r->values[k]);
			jsonw_int(b, "requests", r->requests);
			jsonw_int(b, "answered", r->answered);
			jsonw_int(b, "urgent_requests", r->urgent);
			json_delays(b, r->delays);
			json_builder_end_object(b);
		}
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "totals");
	json_builder_begin_object(b);
	jsonw_int(b, "requests", t->requests);
	jsonw_int(b, "answered", t->answered);
	jsonw_int(b, "urgent_requests", t->urgent);
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

			jsonw_int(b, r->values[0] ? r->values[0] : "", r->requests);
		}
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
	time_json(b, tl);
	{
		static const int dom[] = { TT_DOMAIN };

		json_builder_set_member_name(b, "time_by_domain");
		time_json_by(b, o, dom, 1);
		if (o->ntby > 0) {
			json_builder_set_member_name(b, "time_by");
			json_builder_begin_array(b);
			for (int k = 0; k < o->ntby; k++)
				json_builder_add_string_value(b, time_field_en[o->tby[k]]);
			json_builder_end_array(b);
			json_builder_set_member_name(b, "time_rows");
			time_json_by(b, o, o->tby, o->ntby);
		}
	}
	json_builder_end_object(b);
	text = jsonw_finish(b);
	g_string_append_printf(out, "%s\n", text);
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
	for (int k = 0; k < nby; k++) {
		g_autofree char *code = g_strdup_printf("code %s", stats_field_fr(fields[k]));

		csv_field(out, stats_field_fr(fields[k]), o->sep, k == 0);
		csv_field(out, code, o->sep, FALSE);
	}
	for (guint k = 0; k < G_N_ELEMENTS(hdr); k++)
		csv_field(out, hdr[k], o->sep, FALSE);
	csv_end(out);
	for (guint i = 0; i <= rows->len; i++) {
		struct tally_row *r = i < rows->len ? g_ptr_array_index(rows, i) : NULL;
		gint64 n = r ? r->requests : t->requests;
		g_autofree char *cnt = g_strdup_printf("%ld", (long)n);
		g_autofree char *pct = dec1(t->requests ? 100.0 * n / t->requests : 0.0,
		    o->sep == ';');
		g_autofree char *ans = g_strdup_printf("%ld", (long)(r ? r->answered : t->answered));
		g_autofree char *urg = g_strdup_printf("%ld", (long)(r ? r->urgent : t->urgent));
		GArray *d = r ? r->delays : t->delays;
		g_autofree char *med = hours(tally_median(d), o->sep == ';');
		g_autofree char *p90 = hours(tally_percentile(d, 0.9), o->sep == ';');

		for (int k = 0; k < nby; k++) {
			g_autofree char *lbl = r ? label_tally_value(o->setup, fields[k],
			    r->values[k]) : g_strdup(k == 0 ? "Total" : "");

			csv_field(out, lbl, o->sep, k == 0);
			csv_field(out, r ? r->values[k] : NULL, o->sep, FALSE);
		}
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
	csv_field(out, "activité", o->sep, TRUE);
	csv_field(out, "code activité", o->sep, FALSE);
	csv_field(out, "entrées", o->sep, FALSE);
	csv_field(out, "minutes", o->sep, FALSE);
	csv_end(out);
	for (guint i = 0; i <= tl->len; i++) {
		struct tally_time *k = i < tl->len ? g_ptr_array_index(tl, i) : NULL;
		g_autofree char *e = g_strdup_printf("%ld", (long)(k ? k->entries : tent));
		g_autofree char *m = g_strdup_printf("%ld", (long)(k ? k->minutes : tmin));

		csv_field(out, k ? label_kind(k->kind) : "Total", o->sep, TRUE);
		csv_field(out, k ? k->kind : NULL, o->sep, FALSE);
		csv_field(out, e, o->sep, FALSE);
		csv_field(out, m, o->sep, FALSE);
		csv_end(out);
		if (k != NULL) {
			tent += k->entries;
			tmin += k->minutes;
		}
	}
	/* Interviews and time by domain (or by the --by fields of the time log). */
	{
		static const int dom[] = { TT_DOMAIN };

		csv_end(out);
		if (o->ntby > 0)
			time_csv(o, o->tby, o->ntby, out);
		else
			time_csv(o, dom, 1, out);
	}
}

/* One aligned table of group g (fields of nby), with its totals row. */
static void
table_group(const struct stats_opts *o, struct tally *t, int g, const int *fields, int nby,
    gboolean delays, GString *out)
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
		g_autofree char *pct = dec1(t->requests ? 100.0 * n / t->requests : 0.0, TRUE);
		g_autofree char *ans = g_strdup_printf("%ld", (long)(r ? r->answered : t->answered));
		GArray *d = r ? r->delays : t->delays;
		g_autofree char *med = delays ? delay_fr(tally_median(d)) : NULL;
		g_autofree char *p90 = delays ? delay_fr(tally_percentile(d, 0.9)) : NULL;
		const char *cell[TALLY_MAXF + 6];
		char *names[TALLY_MAXF] = { NULL };

		if (r == NULL)
			vtable_rule(vt);
		for (int k = 0; k < nby; k++) {
			names[k] = r ? label_tally_value(o->setup, fields[k], r->values[k]) :
			    g_strdup(k == 0 ? "Total" : "");
			cell[k] = names[k];
		}
		cell[nby] = cnt;
		cell[nby + 1] = pct;
		cell[nby + 2] = ans;
		cell[nby + 3] = med;
		cell[nby + 4] = p90;
		vtable_add(vt, cell);
		for (int k = 0; k < nby; k++)
			g_free(names[k]);
	}
	vtable_print(vt, out);
	vtable_free(vt);
}

static void
stats_table(struct tally *t, int g, GPtrArray *tl, const struct stats_opts *o, GString *out)
{
	g_autofree char *med = delay_fr(tally_median(t->delays));
	g_autofree char *p90 = delay_fr(tally_percentile(t->delays, 0.9));

	g_string_append_printf(out, "Demandes reçues du %s au %s : %ld\n", o->from_date,
	    o->to_date, (long)t->requests);
	g_string_append_printf(out, "  avec une réponse personnelle : %ld (délai médian %s, "
	    "90e centile %s)\n  urgentes : %ld\n\n", (long)t->answered, med, p90,
	    (long)t->urgent);
	if (o->time_only) {
		/* --by kind (or other time fields only): the time table alone */
	} else if (g >= 0) {
		table_group(o, t, g, o->by, o->nby, TRUE, out);
	} else {
		for (guint i = 0; i < G_N_ELEMENTS(overview); i++) {
			int f = overview[i];

			table_group(o, t, (int)i, &f, 1, FALSE, out);
			g_string_append_c(out, '\n');
		}
	}
	if (tl->len > 0) {
		static const int dom[] = { TT_DOMAIN }, kind[] = { TT_KIND };

		g_string_append(out, "\nTemps de travail et entretiens\n\n");
		if (o->ntby > 0)
			time_table(o, o->tby, o->ntby, out);
		else {
			time_table(o, dom, 1, out);
			g_string_append_c(out, '\n');
			time_table(o, kind, 1, out);
		}
	} else
		g_string_append(out, "\nAucun temps noté dans le journal pour cette période.\n");
}

/* A stats field written in French ("domaine") -> the English one, or name itself. */
static const char *
field_english(const char *name)
{
	static const char *const alias[][2] = {
		{ "domaine", "domain" }, { "theme", "topic" }, { "thème", "topic" },
		{ "demandeur", "requester" }, { "langue", "language" }, { "etat", "status" },
		{ "état", "status" }, { "statut", "status" }, { "reponse", "reply" },
		{ "réponse", "reply" }, { "urgente", "urgent" }, { "mois", "month" },
		{ "semaine", "week" }, { "genre", "kind" }, { "activite", "kind" },
		{ "activité", "kind" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(alias); i++)
		if (strcmp(name, alias[i][0]) == 0)
			return alias[i][1];
	return name;
}

/*
 * --by: request fields into o->by, time log fields (domain topic kind
 * month) into o->tby; kind counts only time.  FALSE with err when a name
 * is unknown.
 */
static gboolean
parse_by(const char *s, struct stats_opts *o, GError **err)
{
	g_auto(GStrv) v = g_strsplit(s, ",", -1);

	o->nby = o->ntby = 0;
	for (char **f = v; *f != NULL; f++) {
		const char *name = field_english(g_strstrip(*f));
		int k = tally_field_parse(name), tk = timefig_field_parse(name);

		if ((k < 0 && tk < 0) || o->nby >= TALLY_MAXF || o->ntby >= TT_NFIELDS) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE, k < 0 && tk < 0 ?
			    "--by %s: fields are domain, topic, requester, commune, language, "
			    "month, week, status, reply, urgent, kind" : "--by: at most 4 fields", *f);
			return FALSE;
		}
		if (k >= 0)
			o->by[o->nby++] = k;
		if (tk >= 0)
			o->tby[o->ntby++] = tk;
	}
	o->time_only = o->nby == 0 && o->ntby > 0;
	return o->nby > 0 || o->ntby > 0;
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
	if (by != NULL && !parse_by(by, &o, &e))
		goto usage;
	if ((rc = cmd_open(gl, &setup, &st, STORE_READONLY)) != 0)
		return rc;
	o.setup = setup;
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
		    (tl = tally_time(st, o.from_date, end, &e)) == NULL ||
		    (o.tf = timefig_load(st, o.from_date, end, &e)) == NULL) {
			g_printerr("guichet stats: %s\n", e->message);
			g_error_free(e);
			rc = 1;
		}
	} else {
		tl = g_ptr_array_new();
		o.tf = timefig_load(NULL, NULL, NULL, NULL);
	}
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
	timefig_free(o.tf);
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
	o.sep = ';';		/* for mails: what a Swiss French spreadsheet opens */
	o.from = from;
	o.to = to;
	o.from_date = view_time(from, tz, "%Y-%m-%d");
	o.to_date = view_time(to - 1, tz, "%Y-%m-%d");
	end = stats_next_day(o.to_date);
	t = tally_new(tz, from, to);
	/* As `guichet stats` without --by: the overview of each label. */
	for (guint i = 0; i < G_N_ELEMENTS(overview); i++)
		tally_group(t, &overview[i], 1, FALSE);
	o.setup = setup;
	if ((o.tf = timefig_load(st, o.from_date, end, err)) == NULL ||
	    (st != NULL && (!tally_run(t, st, err) ||
	    (tl = tally_time(st, o.from_date, end, err)) == NULL)))
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
	timefig_free(o.tf);
	g_free(o.from_date);
	g_free(o.to_date);
	return ok;
}
