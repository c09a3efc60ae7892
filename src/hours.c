/*
 * hours.c: office hours as data, the next opening from a time, and the
 * hours written per language (day names, time format, "closed from ... to
 * ...").  No I/O and no clock: the caller gives the time.
 */
#include <stdlib.h>
#include <string.h>
#include "hours.h"
#include "template.h"
#include "vocab.h"
#include "translit.h"
#include "viewfmt.h"

enum tfmt {
	TF_COLON,	/* 8:30-11:30 */
	TF_FR,		/* 8h30-11h30 */
	TF_DE,		/* 8.30-11.30 Uhr */
};

/*
 * How a language writes the hours.  {a} and {b} stand for the two ends of
 * a range or period, {t} for a time.
 */
static const struct hours_lang {
	const char	*lang;
	const char	*and;		/* between the last two days */
	const char	*list;		/* between the others */
	const char	*range;		/* three days or more in a row */
	enum tfmt	 tf;
	const char	*closed;	/* closed from {a} to {b} */
	const char	*closed_until;	/* closed until {b} */
	const char	*open_now;	/* open now, until {t} */
	const char	*day_date;	/* weekday {a} and date {b} */
} langs[] = {
	{ "fr", " et ", ", ", "du {a} au {b}", TF_FR,
	    "fermé du {a} au {b}", "fermé jusqu'au {b}",
	    "ouvert maintenant, jusqu'à {t}", "{a} {b}" },
	{ "de", " und ", ", ", "{a} bis {b}", TF_DE,
	    "geschlossen vom {a} bis {b}", "geschlossen bis {b}",
	    "jetzt geöffnet, bis {t}", "{a}, {b}" },
	{ "it", " e ", ", ", "da {a} a {b}", TF_COLON,
	    "chiuso dal {a} al {b}", "chiuso fino al {b}",
	    "aperto ora, fino alle {t}", "{a} {b}" },
	{ "en", " and ", ", ", "{a} to {b}", TF_COLON,
	    "closed from {a} to {b}", "closed until {b}",
	    "open now, until {t}", "{a} {b}" },
	{ "es", " y ", ", ", "de {a} a {b}", TF_COLON,
	    "cerrado del {a} al {b}", "cerrado hasta el {b}",
	    "abierto ahora, hasta las {t}", "{a} {b}" },
	{ "pt", " e ", ", ",
	    "de {a} a {b}", TF_COLON, "fechado de {a} a {b}",
	    "fechado até {b}", "aberto agora, até às {t}", "{a}, {b}" },
	{ "sq", " dhe ", ", ", "{a} deri {b}", TF_COLON,
	    "mbyllur nga {a} deri më {b}", "mbyllur deri më {b}",
	    "hapur tani, deri në {t}", "{a}, {b}" },
	{ "ti", "ን ", "፣ ", "ካብ {a} ክሳብ {b}", TF_COLON,
	    "ካብ {a} ክሳብ {b} ዕጹው እዩ", "ክሳብ {b} ዕጹው እዩ",
	    "ሕጂ ክፉት እዩ፣ ክሳብ {t}", "{a}፣ {b}" },
	{ "ar", " و", "، ", "من {a} إلى {b}", TF_COLON,
	    "مغلق من {a} إلى {b}", "مغلق حتى {b}",
	    "مفتوح الآن حتى {t}", "{a} {b}" },
	{ "uk", " і ", ", ", "{a}–{b}", TF_COLON,
	    "зачинено з {a} до {b}", "зачинено до {b}",
	    "відчинено зараз, до {t}", "{a}, {b}" },
	{ "ru", " и ", ", ", "{a}–{b}", TF_COLON,
	    "закрыто с {a} по {b}", "закрыто до {b}",
	    "открыто сейчас, до {t}", "{a}, {b}" },
	{ "fa", " و ", "، ", "{a} تا {b}", TF_COLON,
	    "از {a} تا {b} بسته است", "تا {b} بسته است",
	    "اکنون باز است، تا {t}", "{a} {b}" },
	{ "ps", " او ", "، ", "له {a} تر {b}", TF_COLON,
	    "له {a} څخه تر {b} پورې تړلی دی", "تر {b} پورې تړلی دی",
	    "اوس خلاص دی، تر {t} پورې", "{a} {b}" },
	{ "tr", " ve ", ", ", "{a}–{b}", TF_COLON,
	    "{a} ile {b} tarihleri arasında kapalı",
	    "{b} tarihine kadar kapalı", "şu anda açık, kapanış saati {t}", "{b} {a}" },
	{ "sr", " i ", ", ", "{a}–{b}", TF_COLON,
	    "zatvoreno od {a} do {b}", "zatvoreno do {b}",
	    "sada otvoreno, do {t}", "{a}, {b}" },
	{ "hr", " i ", ", ", "{a}–{b}", TF_COLON,
	    "zatvoreno od {a} do {b}", "zatvoreno do {b}",
	    "sada otvoreno, do {t}", "{a}, {b}" },
	{ "bs", " i ", ", ", "{a}–{b}", TF_COLON,
	    "zatvoreno od {a} do {b}", "zatvoreno do {b}",
	    "sada otvoreno, do {t}", "{a}, {b}" },
	{ "so", " iyo ", ", ", "{a} ilaa {b}", TF_COLON,
	    "xiran laga bilaabo {a} ilaa {b}", "xiran ilaa {b}",
	    "hadda waa furan yahay, ilaa {t}", "{a}, {b}" },
	{ "ta", " மற்றும் ", ", ", "{a}–{b}", TF_COLON,
	    "{a} முதல் {b} வரை மூடப்பட்டிருக்கும்",
	    "{b} வரை மூடப்பட்டிருக்கும்",
	    "இப்போது திறந்துள்ளது, {t} வரை", "{a}, {b}" },
	{ "ku", " û ", ", ", "{a}–{b}", TF_COLON,
	    "ji {a} heta {b} girtî ye", "heta {b} girtî ye",
	    "niha vekirî ye, heta {t}", "{a}, {b}" },
};

static const char *const lang_codes[] = {
	"fr", "de", "it", "en", "es", "pt", "sq", "ti", "ar", "uk", "ru", "fa",
	"ps", "tr", "sr", "hr", "bs", "so", "ta", "ku", NULL
};

const char *const *
hours_languages(void)
{
	return lang_codes;
}

static gboolean	 is_cyrillic(const char *lang);

static const struct hours_lang *
find_lang(const char *lang)
{
	if (is_cyrillic(lang))
		lang = "sr";
	for (gsize i = 0; lang != NULL && i < G_N_ELEMENTS(langs); i++)
		if (strcmp(langs[i].lang, lang) == 0)
			return &langs[i];
	return NULL;
}

/* Serbian in Cyrillic: the Serbian table, its words transliterated. */
static gboolean
is_cyrillic(const char *lang)
{
	return lang != NULL && g_ascii_strcasecmp(lang, "sr-Cyrl") == 0;
}

/* Append the words of w, in Cyrillic when cyr. */
static void
put_words(GString *o, const char *w, gboolean cyr)
{
	if (cyr) {
		g_autofree char *c = translit_sr_cyrl(w);

		g_string_append(o, c);
	} else
		g_string_append(o, w);
}

const char *
hours_day_name(const char *lang, int wd)
{
	const struct hours_lang *l = find_lang(lang);

	return l != NULL ? vocab_weekday(lang, wd) : NULL;
}

static void
slot_free(gpointer p)
{
	struct hours_slot *s = p;

	g_free(s->place);
	g_free(s);
}

struct office_hours *
hours_new(void)
{
	struct office_hours *h = g_new0(struct office_hours, 1);

	h->slots = g_ptr_array_new_with_free_func(slot_free);
	h->closed = g_ptr_array_new_with_free_func(g_free);
	h->text = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	return h;
}

void
hours_free(struct office_hours *h)
{
	if (h == NULL)
		return;
	g_ptr_array_unref(h->slots);
	g_ptr_array_unref(h->closed);
	g_hash_table_unref(h->text);
	g_free(h);
}

/* Day names accepted in the configuration: English, then French. */
static const char *const day_keys[2][7] = {
	{ "mon", "tue", "wed", "thu", "fri", "sat", "sun" },
	{ "lun", "mar", "mer", "jeu", "ven", "sam", "dim" },
};

static int
day_index(const char *s, gsize n)
{
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 7; i++)
			if (n == 3 && g_ascii_strncasecmp(s, day_keys[k][i], 3) == 0)
				return i;
	return -1;
}

const char *
hours_parse_days(const char *s, guint *days)
{
	g_auto(GStrv) parts = NULL;
	guint mask = 0;

	if (s == NULL || *s == '\0')
		return "must name days, like \"tue,thu\" or \"mon-fri\"";
	parts = g_strsplit(s, ",", -1);
	for (char **p = parts; *p != NULL; p++) {
		char *item = g_strstrip(*p);
		const char *dash = strchr(item, '-');
		int a, b;

		if (dash == NULL) {
			if ((a = day_index(item, strlen(item))) < 0)
				return "has an unknown day (use mon tue wed thu fri sat sun)";
			mask |= 1u << a;
			continue;
		}
		a = day_index(item, dash - item);
		b = day_index(dash + 1, strlen(dash + 1));
		if (a < 0 || b < 0)
			return "has an unknown day (use mon tue wed thu fri sat sun)";
		if (b < a)
			return "has a range that runs backwards (write \"mon-fri\")";
		for (int i = a; i <= b; i++)
			mask |= 1u << i;
	}
	*days = mask;
	return NULL;
}

const char *
hours_parse_time(const char *s, int *minutes)
{
	int h, m;

	if (s == NULL || strlen(s) != 5 || !g_ascii_isdigit(s[0]) ||
	    !g_ascii_isdigit(s[1]) || s[2] != ':' || !g_ascii_isdigit(s[3]) ||
	    !g_ascii_isdigit(s[4]))
		return "must be a time like \"08:30\"";
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return "is not a time of day (00:00 to 24:00)";
	*minutes = h * 60 + m;
	return NULL;
}

const char *
hours_parse_date(const char *s, GDate *d)
{
	int y, mo, da;

	g_date_clear(d, 1);
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return "must be a date like \"2026-12-24\"";
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !g_ascii_isdigit(s[i]))
			return "must be a date like \"2026-12-24\"";
	y = atoi(s);
	mo = atoi(s + 5);
	da = atoi(s + 8);
	if (!g_date_valid_dmy(da, mo, y))
		return "is not a date of the calendar";
	g_date_set_dmy(d, da, mo, y);
	return NULL;
}

/* Is day d inside a closed period? */
static gboolean
closed_on(const struct office_hours *h, const GDate *d)
{
	for (guint i = 0; i < h->closed->len; i++) {
		const struct hours_closed *c = g_ptr_array_index(h->closed, i);

		if ((!g_date_valid(&c->from) || g_date_compare(&c->from, d) <= 0) &&
		    g_date_compare(d, &c->until) <= 0)
			return TRUE;
	}
	return FALSE;
}

/* Unix time of day dt at minutes m (24:00 is the next midnight). */
static gint64
at_minutes(GDateTime *day, GTimeZone *tz, int m)
{
	g_autoptr(GDateTime) t = g_date_time_new(tz,
	    g_date_time_get_year(day), g_date_time_get_month(day),
	    g_date_time_get_day_of_month(day), 0, 0, 0);
	g_autoptr(GDateTime) u = t != NULL ? g_date_time_add_minutes(t, m) : NULL;

	return u != NULL ? g_date_time_to_unix(u) : 0;
}

gboolean
hours_next_open(const struct office_hours *h, gint64 now, const char *tzid,
    gint64 *start, gint64 *end, const struct hours_slot **slot)
{
	g_autoptr(GTimeZone) tz = tzid != NULL ? view_tz_named(tzid) :
	    g_time_zone_new_utc();
	g_autoptr(GDateTime) t0 = g_date_time_new_from_unix_utc(now);
	g_autoptr(GDateTime) local = t0 != NULL ?
	    g_date_time_to_timezone(t0, tz) : NULL;

	if (h == NULL || h->slots->len == 0 || local == NULL)
		return FALSE;
	for (int i = 0; i < 400; i++) {
		g_autoptr(GDateTime) day = g_date_time_add_days(local, i);
		const struct hours_slot *best = NULL;
		gint64 bs = 0, be = 0;
		GDate d;
		int wd;

		if (day == NULL)
			return FALSE;
		g_date_clear(&d, 1);
		g_date_set_dmy(&d, g_date_time_get_day_of_month(day),
		    g_date_time_get_month(day), g_date_time_get_year(day));
		if (closed_on(h, &d))
			continue;
		wd = g_date_time_get_day_of_week(day);
		for (guint k = 0; k < h->slots->len; k++) {
			const struct hours_slot *s = g_ptr_array_index(h->slots, k);
			gint64 a, b;

			if (!(s->days & (1u << (wd - 1))))
				continue;
			a = at_minutes(day, tz, s->from);
			b = at_minutes(day, tz, s->to);
			if (b <= now)
				continue;
			if (best == NULL || a < bs) {
				best = s;
				bs = a;
				be = b;
			}
		}
		if (best != NULL) {
			if (start != NULL)
				*start = bs;
			if (end != NULL)
				*end = be;
			if (slot != NULL)
				*slot = best;
			return TRUE;
		}
	}
	return FALSE;
}

/* Replace {a}, {b}, {t} in fmt. */
static void
fill(GString *o, const char *fmt, const char *a, const char *b)
{
	for (const char *p = fmt; *p != '\0'; p++) {
		if (p[0] == '{' && p[1] != '\0' && p[2] == '}' &&
		    strchr("abt", p[1]) != NULL) {
			g_string_append(o, p[1] == 'b' ? b : a);
			p += 2;
		} else
			g_string_append_c(o, *p);
	}
}

static void
put_time(GString *o, enum tfmt tf, int m)
{
	int hh = m / 60, mm = m % 60;

	switch (tf) {
	case TF_FR:
		if (mm == 0)
			g_string_append_printf(o, "%dh", hh);
		else
			g_string_append_printf(o, "%dh%02d", hh, mm);
		break;
	case TF_DE:
		g_string_append_printf(o, "%d.%02d", hh, mm);
		break;
	default:
		g_string_append_printf(o, "%d:%02d", hh, mm);
	}
}

static void
put_span(GString *o, enum tfmt tf, int from, int to)
{
	put_time(o, tf, from);
	g_string_append(o, "–");
	put_time(o, tf, to);
	if (tf == TF_DE)
		g_string_append(o, " Uhr");
}

/* "Tuesday and Thursday", "Monday to Friday", "Monday, Wednesday and Friday". */
static void
put_days(GString *o, const struct hours_lang *l, guint mask)
{
	int runs[7][2], n = 0;

	for (int i = 0; i < 7; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (n > 0 && runs[n - 1][1] == i - 1)
			runs[n - 1][1] = i;
		else {
			runs[n][0] = runs[n][1] = i;
			n++;
		}
	}
	/* runs of two days are two items; of three or more, a range */
	{
		const char *items[14][2];
		int k = 0;

		for (int r = 0; r < n; r++) {
			int a = runs[r][0], b = runs[r][1];

			if (b - a >= 2) {
				items[k][0] = vocab_weekday(l->lang, a + 1);
				items[k++][1] = vocab_weekday(l->lang, b + 1);
			} else
				for (int i = a; i <= b; i++) {
					items[k][0] = vocab_weekday(l->lang, i + 1);
					items[k++][1] = NULL;
				}
		}
		for (int i = 0; i < k; i++) {
			if (i > 0)
				g_string_append(o, i == k - 1 ? l->and : l->list);
			if (items[i][1] != NULL)
				fill(o, l->range, items[i][0], items[i][1]);
			else
				g_string_append(o, items[i][0]);
		}
	}
}

static char *
gdate_text(const GDate *d, const char *lang)
{
	return template_day(g_date_get_year(d), g_date_get_month(d),
	    g_date_get_day(d), lang);
}

static GDate
today_in(gint64 now, const char *tzid)
{
	g_autoptr(GTimeZone) tz = tzid != NULL ? view_tz_named(tzid) :
	    g_time_zone_new_utc();
	g_autoptr(GDateTime) t0 = g_date_time_new_from_unix_utc(now);
	g_autoptr(GDateTime) local = t0 != NULL ?
	    g_date_time_to_timezone(t0, tz) : NULL;
	GDate d;

	g_date_clear(&d, 1);
	if (local != NULL)
		g_date_set_dmy(&d, g_date_time_get_day_of_month(local),
		    g_date_time_get_month(local), g_date_time_get_year(local));
	else
		g_date_set_dmy(&d, 1, 1, 1970);
	return d;
}

char *
hours_render(const struct office_hours *h, const char *lang, gint64 now,
    const char *tz)
{
	const struct hours_lang *l = find_lang(lang);
	GString *o = g_string_new(NULL);
	const char *text = h != NULL && lang != NULL ?
	    g_hash_table_lookup(h->text, lang) : NULL;
	GDate today = today_in(now, tz), horizon = today;
	gboolean cyr = is_cyrillic(lang);

	g_date_add_days(&horizon, 60);
	for (guint i = 0; h != NULL && l != NULL && i < h->slots->len; i++) {
		const struct hours_slot *s = g_ptr_array_index(h->slots, i);

		g_autoptr(GString) days = g_string_new(NULL);

		if (o->len > 0)
			g_string_append(o, "; ");
		put_days(days, l, s->days);
		put_words(o, days->str, cyr);
		g_string_append(o, l->list);
		put_span(o, l->tf, s->from, s->to);
		if (s->place != NULL && *s->place != '\0') {
			g_string_append(o, l->list);
			g_string_append(o, s->place);
		}
	}
	for (guint i = 0; h != NULL && l != NULL && h->slots->len > 0 &&
	    i < h->closed->len; i++) {
		const struct hours_closed *c = g_ptr_array_index(h->closed, i);
		g_autofree char *a = NULL, *b = NULL;
		g_autoptr(GString) t = g_string_new(NULL);

		if (g_date_compare(&c->until, &today) < 0 ||
		    (g_date_valid(&c->from) && g_date_compare(&c->from, &horizon) > 0))
			continue;
		b = gdate_text(&c->until, l->lang);
		g_string_append(o, o->len > 0 ? " (" : "(");
		if (!g_date_valid(&c->from) || g_date_compare(&c->from, &today) <= 0)
			fill(t, l->closed_until, "", b);
		else {
			a = gdate_text(&c->from, l->lang);
			fill(t, l->closed, a, b);
		}
		put_words(o, t->str, cyr);
		g_string_append(o, ")");
	}
	if (text != NULL && *text != '\0') {
		if (o->len > 0)
			g_string_append(o, l != NULL ? l->list : ", ");
		g_string_append(o, text);
	}
	if (o->len == 0) {
		g_string_free(o, TRUE);
		return NULL;
	}
	return g_string_free(o, FALSE);
}

char *
hours_render_next(const struct office_hours *h, const char *lang, gint64 now,
    const char *tzid)
{
	const struct hours_lang *l = find_lang(lang);
	const struct hours_slot *s = NULL;
	gint64 start, end;
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GDateTime) t0 = NULL, dt = NULL;
	GString *o;
	g_autoptr(GString) w = g_string_new(NULL);

	if (l == NULL || !hours_next_open(h, now, tzid, &start, &end, &s))
		return NULL;
	o = g_string_new(NULL);
	if (start <= now) {
		g_autoptr(GString) t = g_string_new(NULL);

		put_time(t, l->tf, s->to);
		if (l->tf == TF_DE)
			g_string_append(t, " Uhr");
		fill(w, l->open_now, t->str, t->str);
		put_words(o, w->str, is_cyrillic(lang));
	} else {
		g_autofree char *date = NULL;

		tz = tzid != NULL ? view_tz_named(tzid) : g_time_zone_new_utc();
		t0 = g_date_time_new_from_unix_utc(start);
		dt = g_date_time_to_timezone(t0, tz);
		date = template_day(g_date_time_get_year(dt),
		    g_date_time_get_month(dt), g_date_time_get_day_of_month(dt),
		    l->lang);
		fill(w, l->day_date, vocab_weekday(l->lang,
		    g_date_time_get_day_of_week(dt)), date);
		put_words(o, w->str, is_cyrillic(lang));
		g_string_append(o, l->list);
		put_span(o, l->tf, s->from, s->to);
	}
	if (s->place != NULL && *s->place != '\0') {
		g_string_append(o, l->list);
		g_string_append(o, s->place);
	}
	return g_string_free(o, FALSE);
}
