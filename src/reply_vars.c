/*
 * reply_vars.c: the variables of the reply templates for one request in
 * one language: dates, office hours, titles and names in that language,
 * the partner directory for the topic.  No I/O.
 */
#include <string.h>
#include "reply.h"
#include "reply_int.h"
#include "translit.h"
#include "vocab.h"
#include "urgent.h"

/*
 * The partners for r's topic (or domain), one block each, for a reader of
 * lang: the official name, what the service does in lang when the
 * directory says it, how to reach it, the languages spoken there in lang's
 * words.  "" if none.
 */
static char *
render_partners(const struct ruleset *rs, const struct request *r,
    const char *lang)
{
	GPtrArray *ps = rs != NULL ? ruleset_partners(rs) : NULL;
	GString *o = g_string_new(NULL);
	gboolean cyr = lang != NULL && g_ascii_strcasecmp(lang, "sr-Cyrl") == 0;

	if (cyr)
		lang = "sr";
	for (guint i = 0; ps != NULL && i < ps->len; i++) {
		const struct partner *p = g_ptr_array_index(ps, i);
		const char *about = p->about != NULL && lang != NULL ?
		    g_hash_table_lookup(p->about, lang) : NULL;
		g_autofree char *spoken = NULL, *about_c = NULL;
		gboolean match = FALSE;

		/* placeholders the commune has not filled never go out */
		if (p->to_fill || p->name == NULL)
			continue;
		for (char **t = p->topics; t != NULL && *t != NULL; t++)
			if ((r->topic != NULL && strcmp(*t, r->topic) == 0) ||
			    (r->domain != NULL && strcmp(*t, r->domain) == 0))
				match = TRUE;
		if (!match)
			continue;
		if (cyr && about != NULL)
			about = about_c = translit_sr_cyrl(about);
		g_string_append_printf(o, "• %s\n", p->name);
		if (about != NULL && *about != '\0')
			g_string_append_printf(o, "  %s\n", about);
		if (p->address != NULL)
			g_string_append_printf(o, "  %s\n", p->address);
		if (p->phone != NULL)
			g_string_append_printf(o, "  Tel. %s\n", p->phone);
		if (p->email != NULL)
			g_string_append_printf(o, "  %s\n", p->email);
		if (p->web != NULL)
			g_string_append_printf(o, "  %s\n", p->web);
		if ((spoken = vocab_languages_spoken(lang, p->languages)) != NULL &&
		    cyr) {
			char *c = translit_sr_cyrl(spoken);

			g_free(spoken);
			spoken = c;
		}
		if (spoken != NULL)
			g_string_append_printf(o, "  (%s)\n", spoken);
		g_string_append_c(o, '\n');
	}
	return g_string_free(o, FALSE);
}

/* Does the configured delegate_name read as a title rather than a name? */
static gboolean
name_is_title(const char *name)
{
	static const char *const words[] = { "délégu", "delegu", "intégration",
	    "integration", "responsable", NULL };
	g_autofree char *low = name != NULL ? g_utf8_strdown(name, -1) : NULL;

	for (int i = 0; low != NULL && words[i] != NULL; i++)
		if (strstr(low, words[i]) != NULL)
			return TRUE;
	return FALSE;
}

/* First word of s, lower-cased, for the article rules. */
static char *
first_word(const char *s)
{
	gsize n = strcspn(s, " '’-");

	return g_utf8_strdown(s, n);
}

static gboolean
in_list(const char *w, const char *const *list)
{
	for (int i = 0; list[i] != NULL; i++)
		if (strcmp(w, list[i]) == 0)
			return TRUE;
	return FALSE;
}

/*
 * The organisation's name as the reply's sentence needs it: French "à la
 * Commune de Chippis", "au Bureau ...", "à l'Office ..."; German dative
 * "der Gemeinde Chippis" (after "bei"); else the name as it is.
 */
static char *
org_name_to(const char *name, const char *lang)
{
	static const char *const fr_fem[] = { "commune", "ville", "municipalité",
	    "administration", "délégation", "permanence", "direction",
	    "association", "fondation", "paroisse", "bourgeoisie", "région",
	    "préfecture", "maison", "antenne", "cellule", "coordination",
	    "agence", "organisation", "unité", NULL };
	static const char *const fr_masc[] = { "bureau", "service", "centre",
	    "secrétariat", "département", "canton", "conseil", "guichet",
	    "point", "espace", "office", "institut", "hôtel", NULL };
	static const char *const de_fem[] = { "gemeinde", "stadt", "stelle",
	    "fachstelle", "integrationsstelle", "beratungsstelle", "verwaltung",
	    "einwohnergemeinde", "gemeindeverwaltung", "koordinationsstelle",
	    "anlaufstelle", NULL };
	static const char *const de_masc[] = { "amt", "büro", "sekretariat",
	    "dienst", "verein", "kanton", "integrationsbüro", "zentrum", NULL };
	g_autofree char *w = NULL;

	if (name == NULL || *name == '\0')
		return NULL;
	w = first_word(name);
	if (lang != NULL && strcmp(lang, "fr") == 0) {
		gboolean noun = in_list(w, fr_fem) || in_list(w, fr_masc);

		/* "à l'Office", "à l'Association"; a place name alone: "à Ayent" */
		if (strchr("aeiouyh", *w) != NULL || g_str_has_prefix(w, "é") ||
		    g_str_has_prefix(w, "è") || g_str_has_prefix(w, "ê"))
			return g_strconcat(noun ? "à l'" : "à ", name, NULL);
		if (in_list(w, fr_fem))
			return g_strconcat("à la ", name, NULL);
		if (in_list(w, fr_masc))
			return g_strconcat("au ", name, NULL);
		return g_strconcat("à ", name, NULL);
	}
	if (lang != NULL && strcmp(lang, "de") == 0) {
		if (in_list(w, de_fem))
			return g_strconcat("der ", name, NULL);
		if (in_list(w, de_masc))
			return g_strconcat("dem ", name, NULL);
	}
	return g_strdup(name);
}

static void
put(GHashTable *vars, const char *name, const char *value)
{
	if (value != NULL)
		g_hash_table_replace(vars, g_strdup(name), g_strdup(value));
}

/* The variables of every template for r, in language lang. */
GHashTable *
reply_vars(const struct setup *s, const struct request *r, const char *lang,
    gboolean to_sender)
{
	const struct config *cfg = s->cfg;
	GHashTable *v = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	const struct domain_def *d = r->domain != NULL && s->rules != NULL ?
	    ruleset_domain(s->rules, r->domain) : NULL;
	const struct topic_def *t = r->topic != NULL && s->rules != NULL ?
	    ruleset_topic(s->rules, r->topic) : NULL;
	gboolean de = lang != NULL && strcmp(lang, "de") == 0;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gboolean cyr = lang != NULL && g_ascii_strcasecmp(lang, "sr-Cyrl") == 0;
	g_autofree char *date = template_date(now, cyr ? "sr" : lang,
	    cfg->timezone);
	g_autofree char *received = cyr ? translit_sr_cyrl(date) :
	    g_strdup(date);
	g_autofree char *hours = hours_render(cfg->hours, lang, now,
	    cfg->timezone);
	g_autofree char *next_open = hours_render_next(cfg->hours, lang, now,
	    cfg->timezone);
	/* to the sender: nothing of theirs beyond what recognises the message */
	g_autofree char *name = r->from_name == NULL ? NULL : to_sender ?
	    reply_safe_name(r->from_name) : header_sanitize(r->from_name);
	g_autofree char *subj = to_sender ? reply_safe_subject(r->subject,
	    REPLY_SUBJECT_MAX) : header_sanitize(r->subject);
	g_autofree char *days = g_strdup_printf("%d", cfg->answer_within_days);
	g_autofree char *ret = g_strdup_printf("%d", cfg->retention_text_days);
	g_autofree char *partners = render_partners(s->rules, r, lang);
	g_autoptr(GString) rules = g_string_new(NULL);
	g_autofree char *tags = NULL;
	const char *org = cfg->org_names != NULL &&
	    g_hash_table_lookup(cfg->org_names, lang != NULL ? lang : "fr") != NULL ?
	    g_hash_table_lookup(cfg->org_names, lang != NULL ? lang : "fr") :
	    cfg->org_name;
	g_autofree char *org_to = org_name_to(org, lang);
	const char *title;
	g_autofree char *excerpt = NULL;

	put(v, "ref", r->ref);
	if (name != NULL && *name != '\0')
		put(v, "sender_name", name);
	put(v, "sender_addr", to_sender && r->reply_addr != NULL ? r->reply_addr :
	    r->from_addr);
	put(v, "received", received);
	put(v, "subject", subj);
	put(v, "domain", d != NULL ? (de && d->label_de != NULL ? d->label_de :
	    d->label_fr) : r->domain);
	put(v, "topic", t != NULL ? (de && t->label_de != NULL ? t->label_de :
	    t->label_fr) : r->topic);
	/*
	 * The signature says the name once, then the title once: the title
	 * given for this language, else the template's own words.  A
	 * delegate_name that is itself a title stands in for the French one.
	 */
	title = config_lang_text(cfg->delegate_title, lang);
	if (title != NULL && lang != NULL && strcmp(lang, "fr") != 0 &&
	    cfg->delegate_title != NULL &&
	    !g_hash_table_contains(cfg->delegate_title, lang))
		title = NULL;	/* French is no title for another language */
	if (name_is_title(cfg->delegate_name)) {
		if (title == NULL && lang != NULL && strcmp(lang, "fr") == 0)
			title = cfg->delegate_name;
	} else
		put(v, "delegate_name", cfg->delegate_name);
	put(v, "delegate_title", title);
	put(v, "org_name", org);
	put(v, "org_name_to", org_to);
	put(v, "office_hours", hours);
	put(v, "next_opening", next_open);
	put(v, "contact", cfg->contact_addr);
	put(v, "phone", cfg->phone);
	put(v, "answer_days", days);
	put(v, "privacy_controller", cfg->privacy_controller);
	put(v, "privacy_contact", cfg->privacy_contact != NULL ?
	    cfg->privacy_contact : cfg->contact_addr);
	put(v, "retention_days", ret);
	put(v, "partners", partners);
	put(v, "language", r->language);
	put(v, "commune", r->commune);
	put(v, "requester", r->requester);
	if (r->urgent) {
		guint set = urgency_of_request(r);
		g_autofree char *label = urgency_label(set);
		g_autofree char *label_fr = urgency_label_fr(set);
		g_autofree char *now_do = urgent_partners(s->rules, set,
		    lang != NULL && g_ascii_strcasecmp(lang, "sr-Cyrl") == 0 ? "sr" : lang);
		gint64 next = 0;
		gboolean open_now = TRUE;

		put(v, "urgent", "urgent");
		put(v, "urgency", label);
		put(v, "urgency_fr", label_fr);
		put(v, "urgent_partners", now_do);
		/* closed now: the urgent reply says when it opens and what to do until then */
		if (urgent_next_open(cfg, now, &open_now, &next) && !open_now)
			put(v, "closed_now", "closed");
	}
	for (guint i = 0; r->hits != NULL && i < r->hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(r->hits, i);

		g_string_append_printf(rules, "%s%s", i > 0 ? ", " : "",
		    h->rule);
	}
	put(v, "rules", rules->str);
	if (r->tags != NULL && r->tags->len > 0) {
		g_ptr_array_add(r->tags, NULL);
		tags = g_strjoinv(", ", (char **)r->tags->pdata);
		g_ptr_array_remove_index(r->tags, r->tags->len - 1);
		put(v, "tags", tags);
	}
	if (!to_sender && (r->text_clean != NULL || r->text != NULL)) {
		const char *txt = r->text_clean != NULL ? r->text_clean : r->text;
		const char *end = txt;

		/* at most 600 characters, cut at a character boundary */
		for (int i = 0; i < 600 && *end != '\0'; i++)
			end = g_utf8_next_char(end);
		excerpt = g_strndup(txt, end - txt);
		if (*end != '\0') {
			char *e = g_strconcat(excerpt, " […]", NULL);

			g_free(excerpt);
			excerpt = e;
		}
		put(v, "excerpt", excerpt);
	}
	return v;
}

