/*
 * mailcmd.c: which mails are commands, and who may command (mailcmd.h).
 * The verbs table, the detector and the authorisation are pure; only
 * mailcmd_classify reads the secret file.  Running them: mailcmd_run.c.
 */
#include <string.h>
#include "authres.h"
#include "log.h"
#include "mailcmd.h"

#define MAX_COMMANDS	100	/* lines looked at in one mail */

/* The French verb first (shown in forms), the German one last (shown by #aide). */
static const struct mailverb verbs[] = {
	{ "fermer", "fermer schließen schliessen", MV_ACTION, "close", NULL,
	    "REF", "fermer une demande" },
	{ "rouvrir", "rouvrir öffnen oeffnen wiedereroeffnen wiedereroffnen wiedereröffnen",
	    MV_ACTION, "reopen", NULL, "REF", "rouvrir une demande" },
	{ "note", "note notiz", MV_ACTION, "note", NULL, "REF TEXTE",
	    "ajouter une note à une demande" },
	{ "vu", "vu gesehen", MV_ACTION, "seen", NULL, "REF",
	    "dire que vous avez vu une alerte urgente (plus de rappel)" },
	{ "domaine", "domaine bereich", MV_ACTION, "domain", NULL, "REF DOMAINE",
	    "corriger le domaine" },
	{ "theme", "theme thème thema", MV_LABEL, "label", "topic", "REF THÈME",
	    "corriger le thème" },
	{ "commune", "commune gemeinde", MV_LABEL, "label", "commune", "REF COMMUNE",
	    "corriger la commune" },
	{ "demandeur", "demandeur absender antragsteller", MV_LABEL, "label", "requester",
	    "REF migrant|association|commune|institution|inconnu",
	    "corriger le type de demandeur" },
	{ "langue", "langue sprache", MV_LABEL, "label", "language", "REF CODE",
	    "corriger la langue (fr, de, ti...)" },
	{ "urgent", "urgent urgente dringend", MV_LABEL, "label", "urgent", "REF oui|non",
	    "marquer urgente ou non" },
	{ "etiquette", "etiquette étiquette label etikett", MV_ACTION, "label", NULL,
	    "REF CHAMP=VALEUR...",
	    "corriger plusieurs étiquettes (domaine=, theme=, demandeur=, commune=, langue=, "
	    "urgente=)" },
	{ "temps", "temps zeit", MV_ACTION, "time", NULL,
	    "DURÉE GENRE [REF] [date=AAAA-MM-JJ] [domaine=D] [note=TEXTE]",
	    "noter du temps de travail : durée 45, 45min, 1h30 ou 1:30 ; genre entretien, "
	    "permanence, telephone, courriel, seance, projet ou formation ; sans référence, "
	    "domaine= dit le domaine" },
	{ "demande", "demande anfrage", MV_ACTION, "promote", NULL, "N|REF [accuser]",
	    "compter comme demande un courriel non compté (son n° dans le résumé)" },
	{ "pasdemande", "pasdemande nondemande keineanfrage", MV_ACTION, "demote", NULL,
	    "REF [robot|pourriel|delegation|suite]", "ne plus compter une demande" },
	{ "voir", "voir anzeigen zeigen", MV_ACTION, "show", NULL, "REF",
	    "une demande, ses messages et son historique" },
	{ "liste", "liste", MV_ACTION, "list", NULL,
	    "[statut=ouverte|répondue|fermée] [domaine=D] [depuis=AAAA-MM-JJ] [limite=N]",
	    "la liste des demandes" },
	{ "journal", "journal zeitjournal", MV_ACTION, "timelog", NULL,
	    "[du=AAAA-MM-JJ] [au=AAAA-MM-JJ]", "le journal du temps" },
	{ "rapport", "rapport jahresbericht bericht", MV_REPORT, NULL, NULL, "AAAA",
	    "le rapport annuel (HTML) et l'export pour le canton (CSV), en pièces jointes" },
	{ "stats", "stats statistiques statistique statistik", MV_STATS, NULL, NULL,
	    "[MOIS [AAAA] | AAAA-MM | AAAA]",
	    "les chiffres d'un mois ou d'une année, tableau CSV joint" },
	{ "commentaire", "commentaire kommentar", MV_COMMENT, NULL, NULL,
	    "AAAA, puis le texte sur les lignes suivantes",
	    "le commentaire du rapport annuel (un nouveau remplace l'ancien ; "
	    "« #commentaire AAAA » seul l'efface)" },
	{ "aide", "aide help hilfe", MV_HELP, NULL, NULL, "", "cette liste" },
	{ NULL, NULL, 0, NULL, NULL, NULL, NULL }
};

const struct mailverb *
mailverb_table(void)
{
	return verbs;
}

const struct mailverb *
mailverb_find(const char *word)
{
	g_autofree char *w = NULL;

	if (word == NULL || *word == '\0')
		return NULL;
	w = g_utf8_strdown(word, -1);
	for (const struct mailverb *v = verbs; v->fr != NULL; v++) {
		g_auto(GStrv) names = g_strsplit(v->names, " ", -1);

		if (g_strv_contains((const char *const *)names, w))
			return v;
	}
	return NULL;
}

static void
mailcmd_free(struct mailcmd *c)
{
	if (c == NULL)
		return;
	g_free(c->line);
	g_free(c->word);
	if (c->args != NULL)
		g_ptr_array_unref(c->args);
	g_free(c);
}

/* Spaces of mail programs: ASCII blanks, no-break and thin spaces. */
static gboolean
is_blank(gunichar c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == 0xA0 || c == 0x202F ||
	    c == 0x2009 || c == 0x2007 || c == 0x3000;
}

/* A reference followed by punctuation ("CHI-2026-0042.") loses the punctuation. */
static void
trim_ref(char *w)
{
	gsize n = strlen(w);
	const char *p = w;
	int letters = 0;

	while (n > 0 && strchr(".,;:!?)", w[n - 1]) != NULL)
		n--;
	if (n == strlen(w))
		return;
	while (g_ascii_isalpha(*p) && letters < 6) {
		p++;
		letters++;
	}
	if (letters < 2 || *p != '-' || !g_ascii_isdigit(p[1]))
		return;
	for (p++; p < w + n; p++)
		if (!g_ascii_isdigit(*p) && *p != '-')
			return;
	w[n] = '\0';
}

/*
 * The words of s: split on blanks, a "double-quoted" or «guillemeted»
 * stretch is one word (apostrophes are letters: "l'école").
 */
static GPtrArray *
split_words(const char *s)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	GString *w = NULL;
	gunichar close = 0;

	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (close != 0) {
			if (c == close)
				close = 0;
			else
				g_string_append_unichar(w, c);
			continue;
		}
		if (is_blank(c)) {
			if (w != NULL)
				g_ptr_array_add(a, g_string_free(w, FALSE));
			w = NULL;
			continue;
		}
		if (w == NULL)
			w = g_string_new(NULL);
		if (c == '"' || c == 0xAB || c == 0x201C)
			close = c == '"' ? '"' : c == 0xAB ? 0xBB : 0x201D;
		else
			g_string_append_unichar(w, c);
	}
	if (w != NULL)
		g_ptr_array_add(a, g_string_free(w, FALSE));
	for (guint i = 0; i < a->len; i++)
		trim_ref(g_ptr_array_index(a, i));
	return a;
}

/* One '#verb words' line, or NULL when line is none. */
static struct mailcmd *
parse_line(const char *line)
{
	const char *p = line, *end;
	struct mailcmd *c;
	g_autofree char *trimmed = NULL;
	g_autoptr(GPtrArray) words = NULL;

	while (*p != '\0' && is_blank(g_utf8_get_char(p)))
		p = g_utf8_next_char(p);
	if (*p != '#' || !g_unichar_isalpha(g_utf8_get_char(p + 1)))
		return NULL;
	trimmed = g_strdup(p);
	end = trimmed + strlen(trimmed);
	while (end > trimmed && g_ascii_isspace(end[-1]))
		end--;
	trimmed[end - trimmed] = '\0';
	words = split_words(trimmed + 1);
	if (words->len == 0)
		return NULL;
	c = g_new0(struct mailcmd, 1);
	c->line = g_steal_pointer(&trimmed);
	c->word = g_utf8_strdown(g_ptr_array_index(words, 0), -1);
	c->verb = mailverb_find(c->word);
	g_ptr_array_remove_index(words, 0);
	c->args = g_steal_pointer(&words);
	return c;
}

GPtrArray *
mailcmd_detect(const struct request *r)
{
	const char *text = r->text_clean != NULL && *r->text_clean != '\0' ?
	    r->text_clean : r->text;
	g_autoptr(GPtrArray) cmds = NULL;
	g_auto(GStrv) lines = NULL;
	guint known = 0;

	if (text == NULL || strchr(text, '#') == NULL)
		return NULL;
	/* Robots do not command (our own answers come back auto-generated). */
	if (r->auto_submitted != NULL && g_ascii_strncasecmp(r->auto_submitted, "no", 2) != 0)
		return NULL;
	cmds = g_ptr_array_new_with_free_func((GDestroyNotify)mailcmd_free);
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l != NULL && cmds->len < MAX_COMMANDS; l++) {
		struct mailcmd *c;

		if (!g_utf8_validate(*l, -1, NULL) || (c = parse_line(*l)) == NULL)
			continue;
		if (c->verb != NULL)
			known++;
		g_ptr_array_add(cmds, c);
	}
	return known > 0 ? g_steal_pointer(&cmds) : NULL;
}

char *
mailcmd_lines(const struct request *r)
{
	g_autoptr(GPtrArray) cmds = mailcmd_detect(r);
	GString *o = g_string_new(NULL);

	for (guint i = 0; cmds != NULL && i < cmds->len; i++) {
		const struct mailcmd *c = g_ptr_array_index(cmds, i);

		g_string_append_printf(o, "%s\n", c->line);
	}
	return g_string_free(o, FALSE);
}

/* The part of addr after its last '@', lower case; NULL without one. */
static char *
domain_of(const char *addr)
{
	const char *at = addr != NULL ? strrchr(addr, '@') : NULL;

	return at != NULL && at[1] != '\0' ? g_ascii_strdown(at + 1, -1) : NULL;
}

/* Is the secret in a plus address of To/Cc/Delivered-To or as [secret] in the subject? */
static gboolean
has_secret(const struct request *r, const char *secret)
{
	g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func(g_free);
	const char *lists[2] = { r->to, r->cc };
	g_autofree char *token = NULL;

	if (secret == NULL || *secret == '\0')
		return FALSE;
	for (int k = 0; k < 2; k++) {
		g_auto(GStrv) v = lists[k] != NULL ? g_strsplit(lists[k], ",", -1) : NULL;

		for (char **a = v; a != NULL && *a != NULL; a++)
			g_ptr_array_add(addrs, g_strdup(g_strstrip(*a)));
	}
	for (guint i = 0; i < r->headers->len; i++) {
		const struct header *h = g_ptr_array_index(r->headers, i);

		if (g_ascii_strcasecmp(h->name, "Delivered-To") == 0 ||
		    g_ascii_strcasecmp(h->name, "X-Original-To") == 0)
			g_ptr_array_add(addrs, g_strstrip(g_strdup(h->value)));
	}
	for (guint i = 0; i < addrs->len; i++) {
		char *a = g_ptr_array_index(addrs, i), *plus, *at;

		if (*a == '<')
			a++;
		plus = strchr(a, '+');
		at = strrchr(a, '@');
		if (plus != NULL && at != NULL && plus < at &&
		    (gsize)(at - plus - 1) == strlen(secret) &&
		    g_ascii_strncasecmp(plus + 1, secret, at - plus - 1) == 0)
			return TRUE;
	}
	if (r->subject == NULL)
		return FALSE;
	token = g_strdup_printf("[%s]", secret);
	{
		g_autofree char *s = g_ascii_strdown(r->subject, -1);
		g_autofree char *t = g_ascii_strdown(token, -1);

		return strstr(s, t) != NULL;
	}
}

char *
mailcmd_refusal(const struct config *cfg, const struct request *r, const char *secret)
{
	g_autofree char *domain = NULL;
	g_autoptr(GString) seen = g_string_new(NULL);
	gboolean delegate = FALSE, trusted_seen = FALSE;
	int froms = 0;

	if (cfg == NULL || r->from_addr == NULL)
		return g_strdup("pas d'adresse d'expéditeur");
	for (char **d = cfg->delegate_addrs; d != NULL && *d != NULL; d++)
		if (g_ascii_strcasecmp(*d, r->from_addr) == 0)
			delegate = TRUE;
	if (cfg->delegate_addr != NULL && g_ascii_strcasecmp(cfg->delegate_addr, r->from_addr) == 0)
		delegate = TRUE;
	if (!delegate)
		return g_strdup("l'expéditeur n'est pas une adresse de délégué·e "
		    "(identity.delegate_addresses)");
	for (guint i = 0; i < r->headers->len; i++) {
		const struct header *h = g_ptr_array_index(r->headers, i);

		if (g_ascii_strcasecmp(h->name, "From") == 0)
			froms++;
	}
	if (froms > 1)
		return g_strdup("plusieurs en-têtes From");
	if (has_secret(r, secret))
		return NULL;
	domain = domain_of(r->from_addr);
	if (domain != NULL && cfg->command_authserv_id != NULL &&
	    authres_passes(r, cfg->command_authserv_id, r->from_addr, domain,
	    &trusted_seen, seen, NULL))
		return NULL;
	if (cfg->command_authserv_id == NULL && secret == NULL)
		return g_strdup("aucune authentification configurée (commands.authserv_id, "
		    "commands.secret_file)");
	if (!trusted_seen)
		return g_strdup_printf("non authentifié : pas d'en-tête Authentication-Results "
		    "de %s ni de secret", cfg->command_authserv_id != NULL ?
		    cfg->command_authserv_id : "(aucun serveur de confiance configuré)");
	return g_strdup_printf("non authentifié : Authentication-Results de %s sans dkim, "
	    "spf ni auth « pass » pour %s (%s) et pas de secret", cfg->command_authserv_id,
	    r->from_addr, seen->len ? seen->str : "aucun résultat dkim, spf ni auth");
}

void
mailcmd_classify(const struct setup *setup, struct request *r)
{
	g_autoptr(GPtrArray) cmds = NULL;
	g_autoptr(GError) e = NULL;
	char *secret = NULL, *why;

	r->is_command = FALSE;
	g_clear_pointer(&r->command_refused, g_free);
	if (setup == NULL || setup->cfg == NULL || (cmds = mailcmd_detect(r)) == NULL)
		return;
	if (setup->cfg->command_secret_file != NULL &&
	    (secret = config_read_command_secret(setup->cfg, &e)) == NULL)
		log_warnx("commands: %s (the secret is not checked)", e->message);
	why = mailcmd_refusal(setup->cfg, r, secret);
	if (secret != NULL) {
		memset(secret, 0, strlen(secret));
		g_free(secret);
	}
	if (why == NULL)
		r->is_command = TRUE;
	else
		r->command_refused = why;
}
