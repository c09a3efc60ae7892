/*
 * test_urgent.c: the urgent path's computations: the urgency families from
 * the rules' tags, the {{#if name=value}} condition of the templates, the
 * urgent acknowledgment per situation in every language (numbers from the
 * directory, no routine promise), the next opening and the reminder's due
 * time with office hours as data.
 */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "config.h"
#include "hours.h"
#include "rules.h"
#include "template.h"
#include "urgent.h"
#include "tap.h"

#define diag(...) (printf("# "), printf(__VA_ARGS__), printf("\n"))

#define TZ "Europe/Zurich"

static guint
fam(gboolean urgent, const char *tags)
{
	return urgency_of_tagstr(urgent, tags);
}

static void
test_families(void)
{
	g_autofree char *l = NULL, *fr = NULL;

	ok(fam(FALSE, "urgent:violence") == 0, "not urgent: no family");
	ok(fam(TRUE, NULL) == URG_GENERAL, "urgent without tags: general");
	ok(fam(TRUE, "urgent:plea,urgent:combined") == URG_GENERAL,
	    "plea and combined say nothing of the situation: general");
	ok(fam(TRUE, "urgent:violence") == URG_VIOLENCE, "urgent:violence");
	ok(fam(TRUE, "urgent:violence,urgent:fear") == URG_VIOLENCE,
	    "violence says more than fear (danger)");
	ok(fam(TRUE, "urgent:distress") == URG_DISTRESS, "urgent:distress alone: distress");
	ok(fam(TRUE, "urgent:distress,urgency:shelter") == URG_SHELTER,
	    "distress rule on sleeping outside: shelter, not distress");
	ok(fam(TRUE, "urgent:distress,urgency:health") == URG_HEALTH,
	    "distress rule on a high fever: health");
	ok(fam(TRUE, "urgent:eviction") == URG_SHELTER, "eviction: shelter");
	ok(fam(TRUE, "urgent:deadline") == URG_DEADLINE, "deadline");
	ok(fam(TRUE, "urgent:eviction,urgency:child") == URG_SHELTER,
	    "children named in an eviction: no child block");
	ok(fam(TRUE, "urgent:violence,urgency:child") == (URG_VIOLENCE | URG_CHILD),
	    "a child and violence: child block too");
	ok(fam(TRUE, "urgent:distress,urgency:child") == URG_CHILD,
	    "children alone at home: child");
	ok(fam(TRUE, "urgency:nonsense,urgent:unknown") == URG_GENERAL, "unknown tags: general");
	ok(fam(TRUE, "urgent:strong") == URG_VIOLENCE, "strong words alone: violence");
	ok(fam(TRUE, "urgent:strong,urgent:distress,urgency:distress") == URG_DISTRESS,
	    "strong words that are suicide: distress, no violence block");
	l = urgency_label(URG_VIOLENCE | URG_CHILD);
	is_str(l, "violence,child", "label, most specific first");
	fr = urgency_label_fr(URG_SHELTER);
	is_str(fr, "sans toit, expulsion", "French label for the delegate");
	ok(urgency_bit("distress") == URG_DISTRESS && urgency_bit("x") == 0, "codes");
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	g_autofree char *p = g_build_filename(dir, name, NULL);

	g_file_set_contents(p, text, -1, NULL);
}

static void
test_condition(void)
{
	g_autofree char *dir = g_dir_make_tmp("guichet-urgent-XXXXXX", NULL);
	g_autoptr(GError) e = NULL;
	g_autoptr(GHashTable) v = g_hash_table_new(g_str_hash, g_str_equal);
	struct templates *t;
	g_autofree char *a = NULL, *b = NULL;

	write_file(dir, "ack.fr.txt", "ack\n");
	write_file(dir, "notice.fr.txt", "n\n");
	write_file(dir, "forward.fr.txt", "f\n");
	write_file(dir, "t.fr.txt", "{{#if urgency=violence}}V{{/if}}"
	    "{{#if urgency=child}}C{{/if}}{{#if urgency=health}}H{{else}}-{{/if}}\n");
	t = templates_load(dir, &e);
	ok(t != NULL, "templates with {{#if name=value}} load%s%s", e ? ": " : "",
	    e ? e->message : "");
	if (t == NULL)
		return;
	g_hash_table_insert(v, "urgency", "violence,child");
	a = template_render(t, "t", "fr", v, NULL, NULL);
	is_str(a, "VC-\n", "each family of the list is true, others false");
	g_hash_table_remove(v, "urgency");
	b = template_render(t, "t", "fr", v, NULL, NULL);
	is_str(b, "-\n", "no value: every condition false");
	templates_free(t);
	write_file(dir, "t.fr.txt", "{{#if urgency=Bad Value}}x{{/if}}\n");
	g_clear_error(&e);
	t = templates_load(dir, &e);
	ok(t == NULL && e != NULL && strstr(e->message, "t.fr.txt:1") != NULL,
	    "a bad value is an error with file:line (%s)", e ? e->message : "");
	templates_free(t);
	for (const char *const *f = (const char *const[]){ "ack.fr.txt", "notice.fr.txt",
	    "forward.fr.txt", "t.fr.txt", NULL }; *f != NULL; f++) {
		g_autofree char *p = g_build_filename(dir, *f, NULL);

		g_unlink(p);
	}
	g_rmdir(dir);
}

/* Unix time of a local time in Zurich. */
static gint64
at(int y, int mo, int d, int h, int mi)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(TZ);
	g_autoptr(GDateTime) t = g_date_time_new(tz, y, mo, d, h, mi, 0);

	return g_date_time_to_unix(t);
}

static void
test_hours(void)
{
	struct config cfg = { 0 };
	struct hours_slot *s = g_new0(struct hours_slot, 1);
	gboolean open_now;
	gint64 next;

	cfg.timezone = TZ;
	cfg.escalate_after = 7200;
	ok(!urgent_next_open(&cfg, at(2026, 12, 8, 9, 0), &open_now, &next),
	    "no structured hours: next opening unknown");
	ok(urgent_reminder_due(&cfg, 1000) == 1000 + 7200,
	    "hours unknown: the reminder after the delay");
	cfg.hours = hours_new();
	hours_parse_days("tue,thu", &s->days);
	hours_parse_time("08:30", &s->from);
	hours_parse_time("11:30", &s->to);
	g_ptr_array_add(cfg.hours->slots, s);
	/* Tuesday 8 December 2026, 9:00: open */
	ok(urgent_next_open(&cfg, at(2026, 12, 8, 9, 0), &open_now, &next) && open_now,
	    "Tuesday 9:00: open");
	ok(urgent_reminder_due(&cfg, at(2026, 12, 8, 9, 0)) == at(2026, 12, 8, 11, 0),
	    "alert in office hours: reminder 2 hours later");
	/* Sunday night: closed, opens Tuesday 8:30 */
	ok(urgent_next_open(&cfg, at(2026, 12, 6, 23, 0), &open_now, &next) && !open_now &&
	    next == at(2026, 12, 8, 8, 30), "Sunday 23:00: closed, opens Tuesday 8:30");
	ok(urgent_reminder_due(&cfg, at(2026, 12, 6, 23, 0)) == at(2026, 12, 8, 8, 30),
	    "alert out of hours: the reminder at the next opening");
	hours_free(cfg.hours);
}


/*
 * The shipped urgent acknowledgment in every language that has one, for
 * each situation: the numbers of the directory for it (117/144/112 for
 * danger, 143 for distress, LAVI for violence), never the routine promise
 * of the acknowledgment, nothing left unfilled.
 */
static void
test_shipped(void)
{
	static const struct {
		guint		 set;
		const char	*need[5];
	} cases[] = {
		{ URG_VIOLENCE, { "117", "144", "112", "LAVI", NULL } },
		{ URG_CHILD, { "117", "147", NULL } },
		{ URG_HEALTH, { "144", "112", NULL } },
		{ URG_DISTRESS, { "143", "147", NULL } },
		{ URG_SHELTER, { "117", "112", NULL } },
		{ URG_DANGER, { "117", "112", NULL } },
		{ URG_DEADLINE, { NULL } },
		{ URG_GENERAL, { "117", "144", "112", "143", NULL } },
	};
	g_autoptr(GError) e = NULL;
	struct templates *t = templates_load("templates", &e);
	struct ruleset *rs = ruleset_load("rules", NULL, &e);
	g_autoptr(GDir) d = g_dir_open("templates", 0, NULL);
	const char *name;
	int langs = 0, bad = 0;

	ok(t != NULL && rs != NULL, "shipped templates and rules load%s%s", e ? ": " : "",
	    e ? e->message : "");
	if (t == NULL || rs == NULL || d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *lang = NULL, *ackp = NULL, *ack = NULL, *promise = NULL;

		if (!g_str_has_prefix(name, "ack.") || !g_str_has_suffix(name, ".txt"))
			continue;
		lang = g_strndup(name + 4, strlen(name) - 8);
		langs++;
		if (!templates_has(t, "urgent", lang)) {
			bad++;
			diag("no urgent acknowledgment in %s", lang);
			continue;
		}
		/* the acknowledgment's line with the delay, as it reads rendered */
		ackp = g_build_filename("templates", name, NULL);
		if (g_file_get_contents(ackp, &ack, NULL, NULL)) {
			g_auto(GStrv) lines = g_strsplit(ack, "\n", -1);

			/* its longest literal part: the promise as any rendering says it */
			for (int i = 0; lines[i] != NULL && promise == NULL; i++) {
				const char *p = lines[i];

				if (strstr(p, "answer_days") == NULL)
					continue;
				while (*p != '\0') {
					const char *open = strstr(p, "{{");
					gsize n = open != NULL ? (gsize)(open - p) : strlen(p);

					if (promise == NULL || n > strlen(promise)) {
						g_free(promise);
						promise = g_strstrip(g_strndup(p, n));
					}
					if (open == NULL || (p = strstr(open, "}}")) == NULL)
						break;
					p += 2;
				}
			}
		}
		if (promise == NULL || strlen(promise) < 8) {
			bad++;
			diag("ack.%s: no promise sentence found", lang);
		}
		for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
			g_autoptr(GHashTable) v = g_hash_table_new_full(g_str_hash, g_str_equal,
			    NULL, g_free);
			g_autofree char *label = urgency_label(cases[c].set);
			g_autofree char *text = NULL;

			g_hash_table_insert(v, "ref", g_strdup("CHI-2026-0042"));
			g_hash_table_insert(v, "urgency", g_strdup(label));
			g_hash_table_insert(v, "urgent_partners",
			    urgent_partners(rs, cases[c].set, lang));
			g_hash_table_insert(v, "org_name", g_strdup("Commune de Chippis"));
			g_hash_table_insert(v, "contact", g_strdup("contact@chippis.ch"));
			g_hash_table_insert(v, "retention_days", g_strdup("180"));
			text = template_render(t, "urgent", lang, v, NULL, NULL);
			if (text == NULL) {
				bad++;
				diag("urgent.%s does not render", lang);
				continue;
			}
			for (int k = 0; cases[c].need[k] != NULL; k++)
				if (strstr(text, cases[c].need[k]) == NULL) {
					bad++;
					diag("urgent.%s, %s: no %s", lang, label, cases[c].need[k]);
				}
			if ((promise != NULL && strstr(text, promise) != NULL) ||
			    strstr(text, "{{") != NULL || strstr(text, "À COMPLÉTER") != NULL) {
				bad++;
				diag("urgent.%s, %s: a promise, a placeholder or a tag left", lang,
				    label);
			}
			if (strstr(text, "CHI-2026-0042") == NULL) {
				bad++;
				diag("urgent.%s: no reference", lang);
			}
			/* out of office hours: when the desk opens again */
			g_free(text);
			g_hash_table_insert(v, "closed_now", g_strdup("closed"));
			g_hash_table_insert(v, "next_opening", g_strdup("OPENING-8:30"));
			text = template_render(t, "urgent", lang, v, NULL, NULL);
			if (text == NULL || strstr(text, "OPENING-8:30") == NULL) {
				bad++;
				diag("urgent.%s: closed now, the next opening not said", lang);
			}
		}
	}
	ok(langs >= 18 && bad == 0, "the urgent acknowledgment in all %d reply languages, "
	    "8 situations each: numbers of the situation, no promise (%d problems)", langs, bad);
	templates_free(t);
	ruleset_free(rs);
}

int
main(void)
{
	test_shipped();
	test_families();
	test_condition();
	test_hours();
	return tap_done();
}
