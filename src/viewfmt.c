/*
 * viewfmt.c: dates, durations, aligned tables and CSV fields for the
 * delegate's view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "viewfmt.h"

/*
 * GLib reads and parses the zoneinfo file at every
 * g_time_zone_new_identifier (2 M instructions): keep the last one.
 */
GTimeZone *
view_tz_named(const char *id)
{
	static GTimeZone *cached;
	static char *cached_id;
	GTimeZone *tz;

	if (id == NULL || *id == '\0')
		return g_time_zone_new_local();
	if (cached != NULL && strcmp(cached_id, id) == 0)
		return g_time_zone_ref(cached);
	if ((tz = g_time_zone_new_identifier(id)) == NULL)
		return g_time_zone_new_local();
	if (cached != NULL)
		g_time_zone_unref(cached);
	g_free(cached_id);
	cached = g_time_zone_ref(tz);
	cached_id = g_strdup(id);
	return tz;
}

GTimeZone *
view_tz(const struct config *cfg)
{
	return view_tz_named(cfg != NULL ? cfg->timezone : NULL);
}

static gboolean
bad_time(const char *s, GError **err)
{
	g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
	    "« %s » n'est pas une date : AAAA-MM-JJ, AAAA-MM-JJ HH:MM, ou 3d, 12h pour "
	    "3 jours, 12 heures (exemple : depuis=2026-01-01)", s);
	return FALSE;
}

gboolean
view_valid_date(const char *s)
{
	int y, m, d, n = 0;

	if (s == NULL || strlen(s) != 10 ||
	    sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return FALSE;
	return g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

gboolean
view_parse_time(const char *s, GTimeZone *tz, gboolean end_of_day, gint64 now,
    gint64 *out, GError **err)
{
	int y, m, d, hh = 0, mm = 0, ss = 0, n = 0;
	char unit;
	long long v;
	g_autoptr(GDateTime) dt = NULL;

	if (s == NULL || *s == '\0')
		return bad_time("", err);
	if (s[0] == '@') {
		char *end;

		v = strtoll(s + 1, &end, 10);
		if (*end != '\0' || end == s + 1)
			return bad_time(s, err);
		*out = v;
		return TRUE;
	}
	if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
		g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(now);
		g_autoptr(GDateTime) l = g_date_time_to_timezone(t, tz);

		dt = g_date_time_new(tz, g_date_time_get_year(l),
		    g_date_time_get_month(l), g_date_time_get_day_of_month(l), 0, 0, 0);
		*out = g_date_time_to_unix(dt) - (s[0] == 'y' ? 86400 : 0);
		if (end_of_day)
			*out += 86400;
		return TRUE;
	}
	if (sscanf(s, "%lld%c%n", &v, &unit, &n) == 2 && s[n] == '\0' && v >= 0) {
		switch (unit) {
		case 'd': *out = now - v * 86400; return TRUE;
		case 'h': *out = now - v * 3600; return TRUE;
		case 'm': *out = now - v * 60; return TRUE;
		default: return bad_time(s, err);
		}
	}
	n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return bad_time(s, err);
	if (s[10] != '\0') {
		int k = 0;

		if ((s[10] != ' ' && s[10] != 'T') ||
		    (sscanf(s + 11, "%2d:%2d%n", &hh, &mm, &k) != 2) ||
		    (s[11 + k] != '\0' && (sscanf(s + 11 + k, ":%2d", &ss) != 1 ||
		    strlen(s + 11 + k) != 3)))
			return bad_time(s, err);
		end_of_day = FALSE;
	}
	if (!g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y) ||
	    hh > 23 || mm > 59 || ss > 59)
		return bad_time(s, err);
	dt = g_date_time_new(tz, y, m, d, hh, mm, ss);
	if (dt == NULL)
		return bad_time(s, err);
	if (end_of_day) {
		GDateTime *next = g_date_time_add_days(dt, 1);

		g_date_time_unref(dt);
		dt = next;
	}
	*out = g_date_time_to_unix(dt);
	return TRUE;
}

char *
view_time(gint64 t, GTimeZone *tz, const char *fmt)
{
	g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc(t);
	g_autoptr(GDateTime) l = NULL;

	if (u == NULL)
		return g_strdup("?");
	l = g_date_time_to_timezone(u, tz);
	return g_date_time_format(l, fmt);
}

char *
view_age(gint64 s)
{
	if (s < 0)
		s = 0;
	if (s < 3600)
		return g_strdup_printf("%d min", (int)(s / 60));
	if (s < 86400)
		return g_strdup_printf("%d h %02d", (int)(s / 3600), (int)(s % 3600 / 60));
	if (s < 14 * 86400)
		return g_strdup_printf("%d j %d h", (int)(s / 86400), (int)(s % 86400 / 3600));
	return g_strdup_printf("%d j", (int)(s / 86400));
}

static int
uwidth(gunichar c)
{
	if (g_unichar_iszerowidth(c))
		return 0;
	if (g_unichar_iswide(c))
		return 2;
	return 1;
}

gsize
view_width(const char *s)
{
	gsize w = 0;

	if (s == NULL)
		return 1;
	if (!g_utf8_validate(s, -1, NULL))
		return strlen(s);
	for (; *s != '\0'; s = g_utf8_next_char(s))
		w += uwidth(g_utf8_get_char(s));
	return w;
}

char *
view_cut(const char *s, gsize n)
{
	GString *o;
	gsize w = 0;

	if (s == NULL)
		return g_strdup("");
	if (!g_utf8_validate(s, -1, NULL))
		return g_utf8_make_valid(s, -1);
	if (view_width(s) <= n)
		return g_strdup(s);
	o = g_string_new(NULL);
	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s);

		if (w + uwidth(c) + 1 > n)
			break;
		w += uwidth(c);
		g_string_append_unichar(o, c);
	}
	g_string_append(o, "…");
	return g_string_free(o, FALSE);
}

char *
view_cut_words(const char *s, gsize n)
{
	char *c = view_cut(s, n);
	gsize len = strlen(c);
	char *end, *sp;

	/* Cut: back to the last blank before the ellipsis, unless that loses too much. */
	if (len < 3 || strcmp(c + len - 3, "…") != 0)
		return c;
	end = c + len - 3;
	*end = '\0';
	sp = strrchr(c, ' ');
	if (sp != NULL && g_utf8_strlen(c, sp - c) >= (glong)(n / 2)) {
		while (sp > c && (sp[-1] == ' ' || sp[-1] == ',' || sp[-1] == ';' ||
		    sp[-1] == ':'))
			sp--;
		*sp = '\0';
	}
	{
		char *w = g_strconcat(c, " …", NULL);

		g_free(c);
		return w;
	}
}

char *
view_first_lines(const char *text, int lines, gsize width)
{
	GString *o = g_string_new(NULL);
	g_auto(GStrv) v = NULL;
	int n = 0;

	if (text == NULL)
		return g_string_free(o, FALSE);
	v = g_strsplit(text, "\n", -1);
	for (char **l = v; *l != NULL && n < lines; l++) {
		g_autofree char *t = g_strstrip(g_strdup(*l));
		g_autofree char *c = NULL;

		if (*t == '\0' || *t == '>')
			continue;
		/* Control characters never reach a terminal or a mail. */
		for (char *p = t; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		c = view_cut_words(t, width);
		if (n++ > 0)
			g_string_append_c(o, '\n');
		g_string_append(o, c);
	}
	return g_string_free(o, FALSE);
}

struct vtable {
	int		 ncols;
	GPtrArray	*rows;		/* char ** of ncols; NULL = rule */
	gboolean	*right;
};

struct vtable *
vtable_new(int ncols, const char *const *headers)
{
	struct vtable *t = g_new0(struct vtable, 1);

	t->ncols = ncols;
	t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	t->right = g_new0(gboolean, ncols);
	if (headers != NULL) {
		vtable_add(t, headers);
		vtable_rule(t);
	}
	return t;
}

void
vtable_free(struct vtable *t)
{
	if (t == NULL)
		return;
	g_ptr_array_free(t->rows, TRUE);
	g_free(t->right);
	g_free(t);
}

void
vtable_right(struct vtable *t, int col)
{
	if (col >= 0 && col < t->ncols)
		t->right[col] = TRUE;
}

void
vtable_add(struct vtable *t, const char *const *cells)
{
	char **row = g_new0(char *, t->ncols + 1);

	for (int i = 0; i < t->ncols; i++) {
		const char *c = cells[i] != NULL ? cells[i] : "-";
		char *s = g_utf8_make_valid(c, -1);

		for (char *p = s; *p; p++)	/* one line per row */
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		row[i] = s;
	}
	g_ptr_array_add(t->rows, row);
}

void
vtable_rule(struct vtable *t)
{
	g_ptr_array_add(t->rows, NULL);
}

static void
pad(GString *out, gsize n)
{
	while (n-- > 0)
		g_string_append_c(out, ' ');
}

void
vtable_print(const struct vtable *t, GString *out)
{
	g_autofree gsize *w = g_new0(gsize, t->ncols);
	gsize total = 0;

	for (guint r = 0; r < t->rows->len; r++) {
		char **row = g_ptr_array_index(t->rows, r);

		for (int i = 0; row != NULL && i < t->ncols; i++)
			w[i] = MAX(w[i], view_width(row[i]));
	}
	for (int i = 0; i < t->ncols; i++)
		total += w[i] + (i > 0 ? 2 : 0);
	for (guint r = 0; r < t->rows->len; r++) {
		char **row = g_ptr_array_index(t->rows, r);

		if (row == NULL) {
			for (gsize i = 0; i < total; i++)
				g_string_append(out, "─");
			g_string_append_c(out, '\n');
			continue;
		}
		for (int i = 0; i < t->ncols; i++) {
			gsize cw = view_width(row[i]);

			if (i > 0)
				g_string_append(out, "  ");
			if (t->right[i])
				pad(out, w[i] - cw);
			g_string_append(out, row[i]);
			if (!t->right[i] && i < t->ncols - 1)
				pad(out, w[i] - cw);
		}
		g_string_append_c(out, '\n');
	}
}

void
csv_field(GString *out, const char *v, char sep, gboolean first)
{
	if (!first)
		g_string_append_c(out, sep);
	if (v == NULL)
		return;
	/* Quote what a spreadsheet could misread, and neutralise formulas. */
	if (strpbrk(v, "\",;\r\n") != NULL ||
	    (v[0] != '\0' && strchr("=+-@", v[0]) != NULL)) {
		gboolean formula = v[0] != '\0' && strchr("=+-@", v[0]) != NULL &&
		    !g_ascii_isdigit(v[1]);

		g_string_append_c(out, '"');
		if (formula)
			g_string_append_c(out, '\'');
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				g_string_append_c(out, '"');
			g_string_append_c(out, *p);
		}
		g_string_append_c(out, '"');
	} else
		g_string_append(out, v);
}
