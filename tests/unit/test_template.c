/* test_template.c: template syntax, errors with file:line, rendering, and
 * the shipped templates/ folder (every acknowledgment renders). */
#include <string.h>
#include <glib/gstdio.h>
#include "tap.h"
#include "template.h"
#include "plural.h"
#include "config.h"

static char *tmpdir;

static void
put_file(const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(tmpdir, name, NULL);

	g_file_set_contents(path, text, -1, NULL);
}

static void
clear_dir(void)
{
	GDir *d = g_dir_open(tmpdir, 0, NULL);
	const char *e;

	while (d != NULL && (e = g_dir_read_name(d)) != NULL) {
		g_autofree char *p = g_build_filename(tmpdir, e, NULL);

		g_unlink(p);
	}
	if (d != NULL)
		g_dir_close(d);
}

static GHashTable *
vars_new(void)
{
	GHashTable *v = g_hash_table_new(g_str_hash, g_str_equal);

	g_hash_table_insert(v, "ref", "CHI-2026-0042");
	g_hash_table_insert(v, "sender_name", "Amina");
	g_hash_table_insert(v, "answer_days", "3");
	g_hash_table_insert(v, "office_hours", "mardi 14 h-17 h");
	g_hash_table_insert(v, "contact", "integration@chippis.ch");
	g_hash_table_insert(v, "org_name", "Commune de Chippis");
	g_hash_table_insert(v, "received", "27 novembre 2026, 21:16");
	g_hash_table_insert(v, "privacy_controller", "Commune de Chippis");
	g_hash_table_insert(v, "privacy_contact", "greffe@chippis.ch");
	g_hash_table_insert(v, "retention_days", "365");
	g_hash_table_insert(v, "delegate_name", "Marie Exemple");
	g_hash_table_insert(v, "subject", "Question");
	return v;
}

/* Load errors must name every file:line, all at once. */
static void
test_errors(void)
{
	g_autoptr(GError) e = NULL;
	struct templates *t;

	clear_dir();
	put_file("ack.fr.txt", "Bonjour {{nom}}\n{{#if ref}}x\n");
	put_file("ack.de.txt", "Subject: {{ref\n\nHallo\n{{/if}}\n{{else}}\n");
	put_file("notice.it.txt", "Ciao {{ref}}\n");
	put_file("bad-name.txt", "x\n");
	put_file("ack.fr.txt.orig", "ignored: not .txt\n");
	t = templates_load(tmpdir, &e);
	ok(t == NULL, "broken templates refused");
	ok(e != NULL && strstr(e->message, "ack.fr.txt:1: unknown variable "
	    "\"{{nom}}\"") != NULL, "unknown variable with file:line");
	ok(e != NULL && strstr(e->message, "ack.fr.txt:2: {{#if}} never "
	    "closed") != NULL, "unclosed #if with its line");
	ok(e != NULL && strstr(e->message, "ack.de.txt:1: \"{{\" without") !=
	    NULL, "unclosed tag in Subject line");
	ok(e != NULL && strstr(e->message, "ack.de.txt:4: {{/if}} without") !=
	    NULL, "stray /if on line 4 (after subject and blank line)");
	ok(e != NULL && strstr(e->message, "ack.de.txt:5: {{else}} outside") !=
	    NULL, "stray else");
	ok(e != NULL && strstr(e->message, "notice.it.txt:1: no French version "
	    "notice.fr.txt") != NULL, "French is mandatory");
	ok(e != NULL && strstr(e->message, "bad-name.txt:1: file name must be")
	    != NULL, "bad file name");
	if (e != NULL)
		printf("# %s\n", e->message);

	g_clear_error(&e);
	clear_dir();
	put_file("ack.fr.txt", "{{#each x}}{{/each}}\n"
	    "{{#if}}{{/if}}\n{{#if a}}{{else}}{{else}}{{/if}}\n");
	put_file("notice.fr.txt", "{{ref}}\n{{> missing}}\n");
	t = templates_load(tmpdir, &e);
	ok(t == NULL && e != NULL && strstr(e->message, "unknown block") !=
	    NULL, "unknown block");
	ok(e != NULL && strstr(e->message, "{{> missing}}: no template "
	    "missing.fr.txt") != NULL && strstr(e->message, "notice.fr.txt:2:")
	    != NULL, "missing partial with its line");
	ok(e != NULL && strstr(e->message, "ack.fr.txt:2: \"{{#if}}\"") != NULL,
	    "#if without variable");
	ok(e != NULL && strstr(e->message, "ack.fr.txt:3: unknown variable "
	    "\"a\"") != NULL && strstr(e->message, "ack.fr.txt:3: second "
	    "{{else}}") != NULL, "unknown #if variable, second else");
	templates_free(t);
}

static void
test_render(void)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(GHashTable) v = vars_new();
	g_autofree char *out = NULL, *subj = NULL, *out2 = NULL;
	struct templates *t;

	clear_dir();
	put_file("ack.fr.txt",
	    "Subject: Accusé de réception [{{ref}}]\n"
	    "\n"
	    "{{! a comment\n   on two lines }}\n"
	    "Bonjour{{#if sender_name}} {{sender_name}}{{/if}},\n"
	    "\n"
	    "{{#if phone}}\n"
	    "Tél. {{phone}}\n"
	    "{{else}}\n"
	    "Écrivez à {{contact}}.\n"
	    "{{/if}}\n"
	    "\n"
	    "\n"
	    "\n"
	    "Référence : {{ref}}\n"
	    "  {{#if partners}}\n"
	    "{{partners}}\n"
	    "  {{/if}}\n"
	    "{{> privacy}}\n"
	    "Fin.\n");
	put_file("privacy.fr.txt", "Données gardées {{retention_days}} jours.\n");
	put_file("ack.ti.txt", "ሰላም {{sender_name}} {{ref}}\r\n");
	t = templates_load(tmpdir, &e);
	ok(t != NULL, "good templates load%s%s", e ? ": " : "",
	    e ? e->message : "");
	if (t == NULL)
		return;
	ok(templates_has(t, "ack", "fr") && templates_has(t, "ack", "ti") &&
	    !templates_has(t, "ack", "de"), "templates_has");
	out = template_render(t, "ack", "fr", v, &subj, &e);
	is_str(subj, "Accusé de réception [CHI-2026-0042]", "subject line");
	is_str(out, "Bonjour Amina,\n\nÉcrivez à integration@chippis.ch.\n\n"
	    "Référence : CHI-2026-0042\nDonnées gardées 365 jours.\nFin.\n",
	    "render: comment, if/else, blank lines folded, block lines vanish,"
	    " partial");
	g_hash_table_insert(v, "phone", "027 000 00 00");
	g_hash_table_insert(v, "partners", "• SEM");
	g_hash_table_remove(v, "sender_name");
	out2 = template_render(t, "ack", "fr", v, NULL, &e);
	ok(out2 != NULL && strstr(out2, "Bonjour,\n") != NULL &&
	    strstr(out2, "Tél. 027 000 00 00\n") != NULL &&
	    strstr(out2, "• SEM\n") != NULL && strstr(out2, "Écrivez") == NULL,
	    "other branch, missing variable is empty");
	g_free(out2);
	out2 = template_render(t, "ack", "ti", v, NULL, &e);
	is_str(out2, "ሰላም  CHI-2026-0042\n", "Tigrinya, CRLF file");
	g_free(out2);
	out2 = template_render(t, "ack", "de", v, NULL, &e);
	ok(out2 == NULL && e != NULL, "missing language is an error");
	templates_free(t);
}

static void
test_dates(void)
{
	/* 2026-11-27 20:16 UTC = 21:16 in Zurich */
	gint64 when = 1795810560;
	g_autofree char *fr = template_date(when, "fr", "Europe/Zurich");
	g_autofree char *de = template_date(when, "de", "Europe/Zurich");
	g_autofree char *pt = template_date(when, "pt", "Europe/Zurich");
	g_autofree char *ti = template_date(when, "ti", "Europe/Zurich");
	g_autofree char *xx = template_date(when, "xx", "Europe/Zurich");
	g_autofree char *hr = template_day(2026, 11, 27, "hr");
	g_autofree char *ar = template_day(2026, 11, 27, "ar");

	is_str(fr, "27 novembre 2026, 21:16", "French date");
	is_str(de, "27. November 2026, 21:16", "German date");
	is_str(pt, "27 de novembro de 2026, 21:16", "Portuguese date");
	is_str(ti, "27 ሕዳር 2026፣ 21:16", "Tigrinya date");
	is_str(xx, "27.11.2026, 21:16", "numeric date for other languages");
	is_str(hr, "27. studenoga 2026.", "Croatian day alone");
	is_str(ar, "27 نوفمبر 2026", "Arabic day alone, no comma left");
}

/* The shipped templates load, and every language renders its ack. */
static void
test_shipped(void)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(GHashTable) v = vars_new();
	static const char *const langs[] = { "fr", "de", "it", "pt", "es", "en",
	    "sq", "hr", "sr", "bs", "tr", "uk", "ar", "fa", "ti", "ru", NULL };
	static const char *const topics[] = { "permis_sejour", "naturalisation",
	    "regroupement_familial", "logement", "assurance_maladie",
	    "cours_langue", "emploi", "reconnaissance_diplome", "creche",
	    "interprete", "discrimination_incident", NULL };
	static const char *const olangs[] = { "fr", "de", "it", "pt", "es", "en",
	    NULL };
	struct templates *t = templates_load("templates", &e);
	int bad = 0;

	ok(t != NULL, "shipped templates load%s%s", e ? ": " : "",
	    e ? e->message : "");
	if (t == NULL)
		return;
	for (int i = 0; langs[i] != NULL; i++) {
		g_autoptr(GError) e2 = NULL;
		g_autofree char *out = template_render(t, "ack", langs[i], v,
		    NULL, &e2);

		ok(out != NULL && strstr(out, "CHI-2026-0042") != NULL &&
		    strstr(out, "365") != NULL && strstr(out, "greffe@chippis.ch")
		    != NULL && strstr(out, "mardi 14 h-17 h") != NULL &&
		    strstr(out, " 3 ") != NULL,
		    "ack.%s: reference, days, office hours, privacy", langs[i]);
	}
	for (int i = 0; topics[i] != NULL; i++)
		for (int j = 0; olangs[j] != NULL; j++) {
			g_autofree char *name = g_strdup_printf("orientation-%s",
			    topics[i]);
			g_autofree char *out = template_render(t, name,
			    olangs[j], v, NULL, NULL);

			if (out == NULL || strstr(out, "CHI-2026-0042") == NULL) {
				printf("# %s.%s missing or without ref\n",
				    name, olangs[j]);
				bad++;
			}
		}
	ok(bad == 0, "orientation templates for 11 topics in 6 languages");
	ok(templates_has(t, "notice", "fr") && templates_has(t, "forward", "fr"),
	    "notice and forward exist");
	templates_free(t);
}

/* {{plural}}: the form each language wants. */
static void
test_plural(void)
{
	static const struct {
		const char *lang;
		long n;
		const char *want;
	} c[] = {
		{ "fr", 0, "0 jour" }, { "fr", 1, "1 jour" }, { "fr", 3, "3 jours" },
		{ "de", 1, "1 Tag" }, { "de", 0, "0 Tagen" },
		{ "ru", 1, "1 дня" }, { "ru", 3, "3 дней" }, { "ru", 21, "21 дня" },
		{ "hr", 2, "2 radna dana" }, { "hr", 5, "5 radnih dana" },
		{ "hr", 11, "11 radnih dana" }, { "hr", 22, "22 radna dana" },
		{ "ar", 2, "يومين" }, { "ar", 3, "3 أيام" }, { "ar", 11, "11 يومًا" },
	};
	static char *fr[] = { "# jour", "# jours", NULL };
	static char *de[] = { "# Tag", "# Tagen", NULL };
	static char *ru[] = { "# дня", "# дней", "# дней", NULL };
	static char *hr[] = { "# radnog dana", "# radna dana", "# radnih dana", NULL };
	static char *ar[] = { "# يوم", "يوم واحد", "يومين", "# أيام", "# يومًا",
	    "# يوم", NULL };

	for (gsize i = 0; i < G_N_ELEMENTS(c); i++) {
		char **f = strcmp(c[i].lang, "fr") == 0 ? fr :
		    strcmp(c[i].lang, "de") == 0 ? de :
		    strcmp(c[i].lang, "ru") == 0 ? ru :
		    strcmp(c[i].lang, "hr") == 0 ? hr : ar;
		g_autofree char *t = plural_text(c[i].lang, c[i].n, f);

		is_str(t, c[i].want, "plural %s %ld", c[i].lang, c[i].n);
	}
	{
		g_autofree char *a = plural_fr(1, "entretien", "entretiens");
		g_autofree char *b = plural_fr(2, "entretien", "entretiens");

		is_str(a, "1 entretien", "French count, one");
		is_str(b, "2 entretiens", "French count, more");
	}
}

int
main(void)
{
	test_plural();
	tmpdir = g_dir_make_tmp("tpl-XXXXXX", NULL);
	test_errors();
	test_render();
	test_dates();
	test_shipped();
	clear_dir();
	g_rmdir(tmpdir);
	g_free(tmpdir);
	return tap_done();
}
