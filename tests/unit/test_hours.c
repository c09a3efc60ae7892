/* test_hours.c: office hours: parsing, the next opening, rendering per language. */
#include <string.h>
#include <glib.h>
#include "hours.h"
#include "tap.h"

#define TZ "Europe/Zurich"

/* Unix time of a local time in Zurich. */
static gint64
at(int y, int mo, int d, int h, int mi)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(TZ);
	g_autoptr(GDateTime) t = g_date_time_new(tz, y, mo, d, h, mi, 0);

	return g_date_time_to_unix(t);
}

static struct office_hours *
sample(void)
{
	struct office_hours *h = hours_new();
	struct hours_slot *s = g_new0(struct hours_slot, 1);
	struct hours_closed *c = g_new0(struct hours_closed, 1);

	hours_parse_days("tue,thu", &s->days);
	hours_parse_time("08:30", &s->from);
	hours_parse_time("11:30", &s->to);
	s->place = g_strdup("Rue Centrale 1");
	g_ptr_array_add(h->slots, s);
	hours_parse_date("2026-12-22", &c->from);
	hours_parse_date("2027-01-04", &c->until);
	g_ptr_array_add(h->closed, c);
	return h;
}

static void
test_parse(void)
{
	guint d;
	int m;
	GDate date;

	ok(hours_parse_days("tue,thu", &d) == NULL && d == 0x0a, "tue,thu");
	ok(hours_parse_days("mon-fri", &d) == NULL && d == 0x1f, "mon-fri");
	ok(hours_parse_days("Lun-mer, ven", &d) == NULL && d == 0x17,
	    "French names, spaces, case");
	ok(hours_parse_days("fri-mon", &d) != NULL, "backwards range refused");
	ok(hours_parse_days("tuesday", &d) != NULL, "long name refused");
	ok(hours_parse_days("", &d) != NULL, "empty refused");
	ok(hours_parse_time("08:30", &m) == NULL && m == 510, "08:30");
	ok(hours_parse_time("24:00", &m) == NULL && m == 1440, "24:00");
	ok(hours_parse_time("8:30", &m) != NULL && hours_parse_time("25:00", &m) != NULL &&
	    hours_parse_time("12:60", &m) != NULL, "bad times refused");
	ok(hours_parse_date("2026-12-24", &date) == NULL &&
	    g_date_get_month(&date) == 12, "date");
	ok(hours_parse_date("2026-02-29", &date) != NULL, "no 29 February 2026");
}

static void
test_next(void)
{
	struct office_hours *h = sample();
	gint64 start, end;
	const struct hours_slot *s;

	/* Monday 7 December 2026, 10:00: next is Tuesday 8, 08:30 */
	ok(hours_next_open(h, at(2026, 12, 7, 10, 0), TZ, &start, &end, &s) &&
	    start == at(2026, 12, 8, 8, 30) && end == at(2026, 12, 8, 11, 30),
	    "Monday: next Tuesday 08:30");
	/* Tuesday 9:00: open now */
	ok(hours_next_open(h, at(2026, 12, 8, 9, 0), TZ, &start, &end, NULL) &&
	    start == at(2026, 12, 8, 8, 30), "Tuesday 9:00: the opening under way");
	/* Tuesday 11:30 sharp: over, next Thursday */
	ok(hours_next_open(h, at(2026, 12, 8, 11, 30), TZ, &start, NULL, NULL) &&
	    start == at(2026, 12, 10, 8, 30), "Tuesday 11:30: Thursday");
	/* Thursday 17 December after hours: closed 22 Dec - 4 Jan -> Tue 5 Jan */
	ok(hours_next_open(h, at(2026, 12, 17, 12, 0), TZ, &start, NULL, NULL) &&
	    start == at(2027, 1, 5, 8, 30), "holidays skipped: Tuesday 5 January");
	/* across the change to summer time (29 March 2026) */
	ok(hours_next_open(h, at(2026, 3, 28, 12, 0), TZ, &start, NULL, NULL) &&
	    start == at(2026, 3, 31, 8, 30), "summer time: Tuesday 31 March 08:30");
	hours_free(h);
	h = hours_new();
	ok(!hours_next_open(h, at(2026, 12, 7, 10, 0), TZ, &start, NULL, NULL),
	    "no slots: no opening");
	hours_free(h);
}

static void
test_render(void)
{
	struct office_hours *h = sample();
	gint64 mon = at(2026, 12, 7, 10, 0), tue = at(2026, 12, 8, 9, 0);
	const char *const *langs = hours_languages();
	char *t;

	t = hours_render(h, "fr", mon, TZ);
	is_str(t, "mardi et jeudi, 8h30–11h30, Rue Centrale 1 (fermé du "
	    "22 décembre 2026 au 4 janvier 2027)", "French");
	g_free(t);
	t = hours_render(h, "de", mon, TZ);
	is_str(t, "Dienstag und Donnerstag, 8.30–11.30 Uhr, Rue Centrale 1 "
	    "(geschlossen vom 22. Dezember 2026 bis 4. Januar 2027)", "German");
	g_free(t);
	t = hours_render(h, "ar", mon, TZ);
	is_str(t, "الثلاثاء والخميس، 8:30–11:30، Rue Centrale 1 (مغلق من "
	    "22 ديسمبر 2026 إلى 4 يناير 2027)", "Arabic");
	g_free(t);
	/* a closed period far ahead is not mentioned yet */
	t = hours_render(h, "en", at(2026, 9, 1, 10, 0), TZ);
	is_str(t, "Tuesday and Thursday, 8:30–11:30, Rue Centrale 1",
	    "English, holidays months ahead not said");
	g_free(t);
	/* during the period: "closed until" */
	t = hours_render(h, "en", at(2026, 12, 28, 10, 0), TZ);
	ok(t != NULL && strstr(t, "(closed until 4 January 2027)") != NULL,
	    "closed until: %s", t);
	g_free(t);
	t = hours_render_next(h, "fr", mon, TZ);
	is_str(t, "mardi 8 décembre 2026, 8h30–11h30, Rue Centrale 1",
	    "next opening, French");
	g_free(t);
	t = hours_render_next(h, "de", tue, TZ);
	is_str(t, "jetzt geöffnet, bis 11.30 Uhr, Rue Centrale 1",
	    "open now, German");
	g_free(t);
	t = hours_render_next(h, "ti", mon, TZ);
	is_str(t, "ሰሉስ፣ 8 ታሕሳስ 2026፣ 8:30–11:30፣ Rue Centrale 1",
	    "next opening, Tigrinya");
	g_free(t);
	/* no French day or month in any other language */
	for (const char *const *l = langs; *l != NULL; l++) {
		static const char *const fr[] = { "lundi", "mardi", "mercredi",
		    "jeudi", "vendredi", "décembre", "janvier", "fermé", NULL };
		g_autofree char *a = hours_render(h, *l, mon, TZ);
		g_autofree char *b = hours_render_next(h, *l, mon, TZ);
		gboolean clean = a != NULL && b != NULL;

		if (strcmp(*l, "fr") == 0)
			continue;
		for (int i = 0; clean && fr[i] != NULL; i++)
			if (strstr(a, fr[i]) != NULL || strstr(b, fr[i]) != NULL)
				clean = FALSE;
		ok(clean, "%s: no French word: %s / %s", *l, a ? a : "(null)",
		    b ? b : "(null)");
	}
	/* free text only in its own language */
	g_hash_table_insert(h->text, g_strdup("fr"), g_strdup("ou sur rendez-vous"));
	t = hours_render(h, "fr", at(2026, 9, 1, 10, 0), TZ);
	is_str(t, "mardi et jeudi, 8h30–11h30, Rue Centrale 1, ou sur rendez-vous",
	    "French free text added");
	g_free(t);
	t = hours_render(h, "it", at(2026, 9, 1, 10, 0), TZ);
	ok(t != NULL && strstr(t, "rendez-vous") == NULL, "not in Italian");
	g_free(t);
	hours_free(h);
	h = hours_new();
	g_hash_table_insert(h->text, g_strdup("fr"), g_strdup("mardi 8h30"));
	t = hours_render(h, "ar", mon, TZ);
	ok(t == NULL, "French free text alone: nothing in Arabic");
	g_free(t);
	t = hours_render(h, "xx", mon, TZ);
	ok(t == NULL, "unknown language");
	g_free(t);
	hours_free(h);
	ok(hours_day_name("fa", 2) != NULL && hours_day_name("zz", 2) == NULL &&
	    hours_day_name("fr", 8) == NULL, "day names");
}

/* Five days in a row read as a range. */
static void
test_range(void)
{
	struct office_hours *h = hours_new();
	struct hours_slot *s = g_new0(struct hours_slot, 1);
	char *t;

	hours_parse_days("mon-fri", &s->days);
	s->from = 9 * 60;
	s->to = 12 * 60;
	g_ptr_array_add(h->slots, s);
	t = hours_render(h, "fr", at(2026, 9, 1, 10, 0), TZ);
	is_str(t, "du lundi au vendredi, 9h–12h", "French range");
	g_free(t);
	t = hours_render(h, "ru", at(2026, 9, 1, 10, 0), TZ);
	is_str(t, "понедельник–пятница, 9:00–12:00", "Russian range");
	g_free(t);
	hours_free(h);
}

int
main(void)
{
	test_parse();
	test_next();
	test_render();
	test_range();
	return tap_done();
}
