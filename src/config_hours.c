/*
 * config_hours.c: the structured keys of guichet.conf: office hours
 * (days, times, place), closed periods, and texts per language (titles,
 * names, free text), checked with "file:line: what is wrong" like every
 * other key (config.c).
 */
#include <string.h>
#include "config_int.h"
#include "hours.h"

/*
 * A group of language = "text": every name a language code, every value
 * a string without control characters.  Returns a new table (lang ->
 * text), or NULL after reporting what is wrong.
 */
static GHashTable *
load_langtext(struct loader *l, const struct key *k, const config_setting_t *s)
{
	GHashTable *t;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		SERR(l, s, "%s.%s must be a group of languages, like "
		    "{ fr = \"...\"; de = \"...\"; }", k->section, k->name);
		return NULL;
	}
	t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		const char *lang = config_setting_name(e), *v;
		size_t n = strlen(lang);
		gboolean code = n >= 2 && n <= 3;

		for (const char *p = lang; *p != '\0'; p++)
			if (!g_ascii_islower(*p))
				code = FALSE;
		if (!code) {
			SERR(l, e, "%s.%s: '%s' is not a language code (2 or 3 "
			    "lower-case letters, like fr)", k->section, k->name, lang);
			continue;
		}
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			SERR(l, e, "%s.%s.%s must be a string in double quotes",
			    k->section, k->name, lang);
			continue;
		}
		v = config_setting_get_string(e);
		if (has_control(v, k->type != T_LANGTEXT)) {
			SERR(l, e, "%s.%s.%s must not contain control characters",
			    k->section, k->name, lang);
			continue;
		}
		g_hash_table_replace(t, g_strdup(lang), g_strdup(v));
	}
	return t;
}

/* A string member `name` of group g, checked by parse; NULL when absent. */
static const char *
member(struct loader *l, const struct key *k, const config_setting_t *g,
    const char *name, gboolean required, int item)
{
	config_setting_t *m = config_setting_get_member((config_setting_t *)g, name);

	if (m == NULL) {
		if (required)
			SERR(l, g, "%s.%s: item %d has no %s", k->section,
			    k->name, item, name);
		return NULL;
	}
	if (config_setting_type(m) != CONFIG_TYPE_STRING) {
		SERR(l, m, "%s.%s: item %d: %s must be a string in double quotes",
		    k->section, k->name, item, name);
		return NULL;
	}
	return config_setting_get_string(m);
}

/* Only the names in allowed[] inside an item of a list. */
static gboolean
check_members(struct loader *l, const struct key *k, const config_setting_t *g,
    int item, const char *const *allowed)
{
	gboolean good = TRUE;

	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *m = config_setting_get_elem(g, i);
		const char *name = config_setting_name(m);
		gboolean known = FALSE;

		for (const char *const *a = allowed; *a != NULL; a++)
			if (name != NULL && strcmp(*a, name) == 0)
				known = TRUE;
		if (!known) {
			SERR(l, m, "%s.%s: item %d: unknown key '%s'",
			    k->section, k->name, item, name != NULL ? name : "");
			good = FALSE;
		}
	}
	return good;
}

#define MEMBER_LINE(g, name) config_setting_source_line( \
	config_setting_get_member((config_setting_t *)(g), (name)) != NULL ? \
	config_setting_get_member((config_setting_t *)(g), (name)) : (g))

/* office_hours = ( { days = "tue,thu"; from = "08:30"; to = "11:30"; place = "..." } ) */
static void
load_slots(struct loader *l, const struct key *k, const config_setting_t *s,
    struct office_hours *h)
{
	static const char *const allowed[] = { "days", "from", "to", "place", NULL };

	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *g = config_setting_get_elem(s, i);
		const char *days, *from, *to, *place, *why;
		struct hours_slot slot = { 0 };
		gboolean good = TRUE;

		if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
			SERR(l, g, "%s.%s: item %d must be a group like { days = "
			    "\"tue,thu\"; from = \"08:30\"; to = \"11:30\"; }",
			    k->section, k->name, i + 1);
			continue;
		}
		good = check_members(l, k, g, i + 1, allowed);
		days = member(l, k, g, "days", TRUE, i + 1);
		from = member(l, k, g, "from", TRUE, i + 1);
		to = member(l, k, g, "to", TRUE, i + 1);
		place = member(l, k, g, "place", FALSE, i + 1);
		if (days == NULL || from == NULL || to == NULL)
			continue;
		if ((why = hours_parse_days(days, &slot.days)) != NULL) {
			add_error(l, setting_file(l, g), MEMBER_LINE(g, "days"),
			    "%s.%s: item %d: days \"%s\" %s", k->section, k->name,
			    i + 1, days, why);
			good = FALSE;
		}
		if ((why = hours_parse_time(from, &slot.from)) != NULL) {
			add_error(l, setting_file(l, g), MEMBER_LINE(g, "from"),
			    "%s.%s: item %d: from \"%s\" %s", k->section, k->name,
			    i + 1, from, why);
			good = FALSE;
		}
		if ((why = hours_parse_time(to, &slot.to)) != NULL) {
			add_error(l, setting_file(l, g), MEMBER_LINE(g, "to"),
			    "%s.%s: item %d: to \"%s\" %s", k->section, k->name,
			    i + 1, to, why);
			good = FALSE;
		}
		if (good && slot.from >= slot.to) {
			add_error(l, setting_file(l, g), MEMBER_LINE(g, "to"),
			    "%s.%s: item %d: to (%s) must come after from (%s)",
			    k->section, k->name, i + 1, to, from);
			good = FALSE;
		}
		if (place != NULL && has_control(place, FALSE)) {
			add_error(l, setting_file(l, g), MEMBER_LINE(g, "place"),
			    "%s.%s: item %d: place must not contain control "
			    "characters", k->section, k->name, i + 1);
			good = FALSE;
		}
		if (!good)
			continue;
		{
			struct hours_slot *n = g_new0(struct hours_slot, 1);

			*n = slot;
			n->place = place != NULL && *place != '\0' ?
			    g_strdup(place) : NULL;
			g_ptr_array_add(h->slots, n);
		}
	}
}

/* office_closed = ( { from = "2026-12-24"; until = "2027-01-04"; } ) */
static void
load_closed(struct loader *l, const struct key *k, const config_setting_t *s,
    struct office_hours *h)
{
	static const char *const allowed[] = { "from", "until", NULL };

	if (config_setting_type(s) != CONFIG_TYPE_LIST &&
	    config_setting_type(s) != CONFIG_TYPE_ARRAY) {
		SERR(l, s, "%s.%s must be a list like ( { from = \"2026-12-24\"; "
		    "until = \"2027-01-04\"; } )", k->section, k->name);
		return;
	}
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *g = config_setting_get_elem(s, i);
		const char *from, *until, *why;
		struct hours_closed c;
		gboolean good;

		if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
			SERR(l, g, "%s.%s: item %d must be a group like { from = "
			    "\"2026-12-24\"; until = \"2027-01-04\"; }",
			    k->section, k->name, i + 1);
			continue;
		}
		good = check_members(l, k, g, i + 1, allowed);
		from = member(l, k, g, "from", FALSE, i + 1);
		until = member(l, k, g, "until", TRUE, i + 1);
		g_date_clear(&c.from, 1);
		if (until == NULL)
			continue;
		if (from != NULL && (why = hours_parse_date(from, &c.from)) != NULL) {
			add_error(l, setting_file(l, g), MEMBER_LINE(g, "from"),
			    "%s.%s: item %d: from \"%s\" %s", k->section, k->name,
			    i + 1, from, why);
			good = FALSE;
		}
		if ((why = hours_parse_date(until, &c.until)) != NULL) {
			add_error(l, setting_file(l, g), MEMBER_LINE(g, "until"),
			    "%s.%s: item %d: until \"%s\" %s", k->section, k->name,
			    i + 1, until, why);
			good = FALSE;
		}
		if (good && g_date_valid(&c.from) &&
		    g_date_compare(&c.from, &c.until) > 0) {
			add_error(l, setting_file(l, g), MEMBER_LINE(g, "until"),
			    "%s.%s: item %d: until (%s) comes before from (%s)",
			    k->section, k->name, i + 1, until, from);
			good = FALSE;
		}
		if (good)
			g_ptr_array_add(h->closed, g_memdup2(&c, sizeof c));
	}
}

/* The keys that are groups or lists rather than one value. */
void
config_load_structured(struct loader *l, const struct key *k,
    const config_setting_t *s)
{
	char *base = (char *)loader_config(l);
	struct office_hours *h;
	GHashTable *t;

	if (k->type == T_LANGTEXT) {
		if ((t = load_langtext(l, k, s)) == NULL)
			return;
		if (*(GHashTable **)(base + k->off) != NULL)
			g_hash_table_unref(*(GHashTable **)(base + k->off));
		*(GHashTable **)(base + k->off) = t;
		return;
	}
	if (loader_config(l)->hours == NULL)
		loader_config(l)->hours = hours_new();
	h = loader_config(l)->hours;
	switch (k->type) {
	case T_HOURS:
		if (config_setting_type(s) == CONFIG_TYPE_STRING) {
			const char *v = config_setting_get_string(s);

			/* free text is French; office_hours_text.fr wins */
			if (has_control(v, TRUE))
				SERR(l, s, "%s.%s must not contain control "
				    "characters", k->section, k->name);
			else if (*v != '\0' && !g_hash_table_contains(h->text, "fr"))
				g_hash_table_insert(h->text, g_strdup("fr"),
				    g_strdup(v));
		} else if (config_setting_type(s) == CONFIG_TYPE_LIST ||
		    config_setting_type(s) == CONFIG_TYPE_ARRAY)
			load_slots(l, k, s, h);
		else
			SERR(l, s, "%s.%s must be a list like ( { days = \"tue,thu\"; "
			    "from = \"08:30\"; to = \"11:30\"; place = \"...\"; } ) "
			    "or a text in double quotes", k->section, k->name);
		return;
	case T_HOURS_TEXT:
		if ((t = load_langtext(l, k, s)) != NULL) {
			GHashTableIter it;
			gpointer key, val;

			g_hash_table_iter_init(&it, t);
			while (g_hash_table_iter_next(&it, &key, &val))
				if (*(char *)val != '\0')
					g_hash_table_replace(h->text,
					    g_strdup(key), g_strdup(val));
			g_hash_table_unref(t);
		}
		return;
	case T_CLOSED:
		load_closed(l, k, s, h);
		return;
	default:
		return;
	}
}

