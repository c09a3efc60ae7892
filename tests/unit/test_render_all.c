/*
 * test_render_all.c: every reply template (acknowledgment and every
 * orientation topic) in every reply language, with ordinary and hostile
 * values, built as a complete mail and parsed back with GMime.  Asserts:
 * valid MIME (text/plain; charset=utf-8, Content-Language, no header
 * injection), no line over 998 bytes, no template tag left, no French
 * weekday or month name inside the text of another language, the name
 * and the title once per language, the French version below.
 */
#include <string.h>
#include <gmime/gmime.h>
#include "tap.h"
#include "reply.h"
#include "parse.h"
#include "recipient.h"

/* A hostile sender: CR/LF and bidi overrides in the name, a tag, length. */
static const char *hostile =
    "From: =?UTF-8?Q?=E2=80=AEEvil_=7B=7Bref=7D=7D_=D8=B9=D9=84=D9=8A?= <evil@example.org>\n"
    "To: integration@chippis.ch\n"
    "Subject: =?UTF-8?Q?=7B=7Boffice=5Fhours=7D=7D_mardi=0D=0AX-Evil:_1?=\n"
    "Message-ID: <hostile-1@example.org>\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "MIME-Version: 1.0\n"
    "\n"
    "{{ref}} {{#if urgent}}x{{/if}} text\n";

static const char *ordinary =
    "From: Amina Haile <amina@example.org>\n"
    "To: integration@chippis.ch\n"
    "Subject: Question\n"
    "Message-ID: <ordinary-1@example.org>\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "MIME-Version: 1.0\n"
    "\n"
    "Bonjour, j'ai une question.\n";

static const char *const french_words[] = {
	"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
	"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre", NULL
};

/* The reply languages, and the two variants a detection can ask for. */
static const char *const langs[] = {
	"de", "it", "en", "es", "pt", "sq", "ti", "ar", "uk", "ru", "fa", "ps",
	"tr", "sr", "hr", "bs", "so", "ta", "ku", "sr-Cyrl", "sh", "fr", NULL
};

static struct config *
test_config(void)
{
	struct config *c = g_new0(struct config, 1);
	struct hours_slot *sl = g_new0(struct hours_slot, 1);
	struct hours_closed *cl = g_new0(struct hours_closed, 1);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autoptr(GDateTime) a = g_date_time_add_days(now, 5);
	g_autoptr(GDateTime) b = g_date_time_add_days(now, 20);

	c->org_name = "Commune de Chippis";
	c->contact_addr = "integration@chippis.ch";
	c->delegate_addr = "anne@chippis.ch";
	c->delegate_name = "Anne Délèze";
	c->delegate_title = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_insert(c->delegate_title, "fr",
	    "Déléguée régionale à l'intégration");
	g_hash_table_insert(c->delegate_title, "de",
	    "Regionale Integrationsdelegierte");
	c->hours = hours_new();
	hours_parse_days("tue,thu", &sl->days);
	sl->from = 8 * 60 + 30;
	sl->to = 11 * 60 + 30;
	sl->place = g_strdup("Rue Centrale 1, Chippis");
	g_ptr_array_add(c->hours->slots, sl);
	/* a closed period soon: its dates are written in every language */
	g_date_clear(&cl->from, 1);
	g_date_set_dmy(&cl->from, g_date_time_get_day_of_month(a),
	    g_date_time_get_month(a), g_date_time_get_year(a));
	g_date_clear(&cl->until, 1);
	g_date_set_dmy(&cl->until, g_date_time_get_day_of_month(b),
	    g_date_time_get_month(b), g_date_time_get_year(b));
	g_ptr_array_add(c->hours->closed, cl);
	c->phone = "027 000 00 00";
	c->default_language = "fr";
	c->timezone = "Europe/Zurich";
	c->envelope_sender = "";
	c->answer_within_days = 3;
	c->retention_text_days = 365;
	c->privacy_controller = "Commune de Chippis";
	c->privacy_contact = "greffe@chippis.ch";
	return c;
}

/* Whole-word search, letters as GLib sees them, case-insensitive. */
static const char *
find_word(const char *text, const char *const *words)
{
	g_autofree char *low = g_utf8_strdown(text, -1);

	for (int i = 0; words[i] != NULL; i++) {
		const char *p = low;
		gsize n = strlen(words[i]);

		while ((p = strstr(p, words[i])) != NULL) {
			gboolean start = p == low ||
			    !g_unichar_isalpha(g_utf8_get_char(
			    g_utf8_prev_char(p)));
			gboolean end = !g_unichar_isalpha(g_utf8_get_char(p + n));

			if (start && end)
				return words[i];
			p += n;
		}
	}
	return NULL;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* The orientation topics of the shipped templates (from the French files). */
static GPtrArray *
topics(void)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open("templates", 0, NULL);
	const char *e;

	g_ptr_array_add(a, g_strdup("ack"));
	while (d != NULL && (e = g_dir_read_name(d)) != NULL)
		if (g_str_has_prefix(e, "orientation-") &&
		    g_str_has_suffix(e, ".fr.txt"))
			g_ptr_array_add(a, g_strndup(e, strlen(e) - 7));
	if (d != NULL)
		g_dir_close(d);
	return a;
}

/* Build one reply and check it; returns FALSE when something failed. */
static int failures;	/* printed in this language: at most 3 */
#undef ok
#define ok(cond, ...) do { if (failures++ < 3) { tap_n++; tap_failed++; \
	printf("not ok %d - ", tap_n); printf(__VA_ARGS__); printf("\n"); } \
	else tap_failed++; } while (0)

static gboolean
check_one(struct setup *s, const char *lang, const char *tpl, gboolean bad)
{
	struct request *r = request_new("test", (guint8 *)g_strdup(bad ?
	    hostile : ordinary), strlen(bad ? hostile : ordinary));
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)outmail_free);
	g_autoptr(GError) e = NULL;
	g_auto(GStrv) lines = NULL;
	g_autofree char *text = NULL, *first = NULL, *data = NULL;
	const struct outmail *om;
	GMimeStream *st;
	GMimeParser *p;
	GMimeMessage *m;
	GMimeObject *body;
	const char *sep, *w, *ct, *cl, *to;
	gboolean good = TRUE, orient = strcmp(tpl, "ack") != 0;
	gboolean french = strcmp(lang, "fr") == 0;
	gsize longest = 0;

	parse_request(r, 1 << 20, NULL);
	request_set(&r->ref, "CHI-2026-0042");
	request_set(&r->language, strcmp(lang, "sr-Cyrl") == 0 ? "sr" :
	    strcmp(lang, "sh") == 0 ? "hr" : lang);
	if (strcmp(lang, "sr-Cyrl") == 0 || strcmp(lang, "sh") == 0)
		request_set(&r->language_variant, lang);
	r->reply = reply_kind_from_str(orient ? "orientation" : "ack");
	recipient_choose(NULL, r);	/* decide.c does it in the pipeline */
	if (orient) {
		request_set(&r->reply_template, tpl);
		request_set(&r->topic, tpl + strlen("orientation-"));
	}
	if (!reply_build_all(s, r, out, &e) || out->len < 1) {
		ok(0, "%s %s: built: %s", lang, tpl, e ? e->message : "no mail");
		request_free(r);
		return FALSE;
	}
	om = g_ptr_array_index(out, 0);
	data = g_strndup(om->data, om->len);
	lines = g_strsplit(data, "\n", -1);
	for (char **l = lines; *l != NULL; l++)
		longest = MAX(longest, strlen(*l));
	if (longest > 998 || strchr(data, '\r') != NULL) {
		ok(0, "%s %s%s: lines of at most 998 bytes, LF only (longest %zu)",
		    lang, tpl, bad ? " hostile" : "", longest);
		good = FALSE;
	}
	st = g_mime_stream_mem_new_with_buffer(om->data, om->len);
	p = g_mime_parser_new_with_stream(st);
	m = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(st);
	if (m == NULL) {
		ok(0, "%s %s: parses back as a message", lang, tpl);
		request_free(r);
		return FALSE;
	}
	body = g_mime_message_get_body(m);
	ct = body != NULL ? g_mime_object_get_header(body, "Content-Type") : NULL;
	cl = body != NULL ? g_mime_object_get_header(body, "Content-Language") :
	    NULL;
	to = g_mime_object_get_header(GMIME_OBJECT(m), "To");
	if (body == NULL || !GMIME_IS_TEXT_PART(body) || ct == NULL ||
	    strstr(ct, "text/plain") == NULL || strstr(ct, "utf-8") == NULL ||
	    cl == NULL || !g_str_has_prefix(cl, strcmp(lang, "sh") == 0 ? "bs" :
	    lang) || g_mime_object_get_header(GMIME_OBJECT(m), "X-Evil") != NULL ||
	    g_mime_object_get_header(GMIME_OBJECT(m), "Bcc") != NULL ||
	    (to != NULL && strpbrk(to, "\r\n") != NULL) ||
	    g_mime_message_get_message_id(m) == NULL) {
		ok(0, "%s %s%s: valid MIME (Content-Type %s, Content-Language %s)",
		    lang, tpl, bad ? " hostile" : "", ct ? ct : "-", cl ? cl : "-");
		good = FALSE;
	}
	text = body != NULL && GMIME_IS_TEXT_PART(body) ?
	    g_mime_text_part_get_text(GMIME_TEXT_PART(body)) : g_strdup("");
	/*
	 * A tag left is a variable nobody filled; the hostile name and
	 * subject carry tags that must stay out (or stay text).
	 */
	if (strstr(text, "{{office_hours}}") != NULL ||
	    (!bad && (strstr(text, "{{") != NULL || strstr(text, "}}") != NULL)) ||
	    (bad && count(text, "{{ref}}") > (french ? 1 : 2))) {
		ok(0, "%s %s%s: no template tag left", lang, tpl,
		    bad ? " hostile" : "");
		good = FALSE;
	}
	sep = strstr(text, "Version française");
	if (!french && sep == NULL) {
		ok(0, "%s %s: the French version below", lang, tpl);
		good = FALSE;
	}
	first = sep != NULL ? g_strndup(text, sep - text) : g_strdup(text);
	/* Albanian writes March "mars" too */
	if (!french && (w = find_word(first, french_words)) != NULL &&
	    !(strcmp(w, "mars") == 0 && strcmp(lang, "sq") == 0)) {
		ok(0, "%s %s: French word \"%s\" in the %s text", lang, tpl, w,
		    lang);
		good = FALSE;
	}
	if (!bad && (count(first, "Anne Délèze") != 1 ||
	    count(text, "Déléguée régionale à l'intégration") != 1 ||
	    (sep != NULL && count(sep, "Anne Délèze") != 1))) {
		ok(0, "%s %s: the name and the title once per language", lang,
		    tpl);
		good = FALSE;
	}
	if (!french && orient && strstr(first, "fr") == first) {
		ok(0, "%s %s: the reader's language first", lang, tpl);
		good = FALSE;
	}
	g_object_unref(m);
	request_free(r);
	return good;
}

#undef ok
#define ok(cond, ...) do {						\
	int _c = (cond) ? 1 : 0;					\
	tap_n++;							\
	if (!_c) tap_failed++;						\
	printf("%s %d - ", _c ? "ok" : "not ok", tap_n);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

int
main(void)
{
	struct config *cfg = test_config();
	struct setup s = { cfg, NULL, NULL };
	g_autoptr(GError) e = NULL;
	g_autoptr(GPtrArray) names = topics();

	g_mime_init();
	s.tpl = templates_load("templates", &e);
	ok(s.tpl != NULL, "templates load%s%s", e ? ": " : "", e ? e->message : "");
	s.rules = ruleset_load("rules", cfg, &e);
	ok(s.rules != NULL, "rules load%s%s", e ? ": " : "", e ? e->message : "");
	ok(names->len >= 12, "%u templates to render", names->len);
	for (int i = 0; s.tpl != NULL && langs[i] != NULL; i++) {
		int good = 0, n = 0;

		failures = 0;
		for (guint k = 0; k < names->len; k++)
			for (int bad = 0; bad < 2; bad++) {
				n++;
				good += check_one(&s, langs[i],
				    g_ptr_array_index(names, k), bad);
			}
		ok(good == n, "%s: %d of %d mails (ordinary and hostile) pass",
		    langs[i], good, n);
	}
	ruleset_free(s.rules);
	templates_free(s.tpl);
	hours_free(cfg->hours);
	g_hash_table_unref(cfg->delegate_title);
	g_free(cfg);
	g_mime_shutdown();
	return tap_done();
}
