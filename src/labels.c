/*
 * labels.c: codes to words (labels.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "labels.h"
#include "rules.h"
#include "vocab.h"
#include "tally.h"

/* TRUE when the region speaks German (identity.default_language "de": Haut-Valais). */
static gboolean
labels_german(const struct setup *s)
{
	return s != NULL && s->cfg != NULL && s->cfg->default_language != NULL &&
	    strcmp(s->cfg->default_language, "de") == 0;
}

const char *
label_domain(const struct setup *s, const char *code)
{
	const struct domain_def *d;

	if (code == NULL)
		return "Non classé";
	d = s != NULL && s->rules != NULL ? ruleset_domain(s->rules, code) : NULL;
	if (d == NULL)
		return code;
	return labels_german(s) && d->label_de != NULL ? d->label_de : d->label_fr;
}

const char *
label_topic(const struct setup *s, const char *code)
{
	const struct topic_def *t;

	if (code == NULL)
		return "(sans thème)";
	t = s != NULL && s->rules != NULL ? ruleset_topic(s->rules, code) : NULL;
	if (t == NULL)
		return code;
	return labels_german(s) && t->label_de != NULL ? t->label_de : t->label_fr;
}

static const char *
lookup(const char *const (*names)[2], gsize n, const char *code, const char *dflt)
{
	if (code == NULL)
		return dflt;
	for (gsize i = 0; i < n; i++)
		if (strcmp(code, names[i][0]) == 0)
			return names[i][1];
	return code;
}

/* The declared kind of code (NULL: the default kind), else the usual one of that code. */
static const struct requester_def *
requester_of(const struct setup *s, const char *code)
{
	const struct requester_def *d;

	if (code == NULL)
		code = VOCAB_REQUESTER_DEFAULT;
	d = s != NULL && s->rules != NULL ? ruleset_requester(s->rules, code) : NULL;
	return d != NULL ? d : ruleset_requester(NULL, code);
}

/* A kind no rules file declares any more (older rows): its code, readable (g_free). */
static char *
readable_code(const char *code)
{
	return g_strdelimit(g_strdup(code), "_", ' ');
}

const char *
label_requester(const struct setup *s, const char *code)
{
	const struct requester_def *d = requester_of(s, code);
	g_autofree char *readable = NULL;

	if (d != NULL)
		return labels_german(s) && d->label_de != NULL ? d->label_de : d->label_fr;
	readable = readable_code(code);
	return g_intern_string(readable);
}

const char *
label_requesters(const struct setup *s, const char *code)
{
	const struct requester_def *d = requester_of(s, code);
	g_autofree char *readable = NULL;

	if (d != NULL)
		return d->label_fr_plural;
	readable = readable_code(code);
	if (*readable != '\0' && g_utf8_validate(readable, -1, NULL)) {
		g_autofree char *up = g_utf8_strup(readable, g_utf8_next_char(readable) - readable);
		g_autofree char *all = g_strconcat(up, g_utf8_next_char(readable), NULL);

		return g_intern_string(all);
	}
	return g_intern_string(readable);
}

const char *
label_language(const char *code)
{
	static const char *const names[][2] = {
		{ "fr", "français" }, { "de", "allemand" }, { "it", "italien" },
		{ "pt", "portugais" }, { "es", "espagnol" }, { "en", "anglais" },
		{ "ar", "arabe" }, { "ti", "tigrinya" }, { "uk", "ukrainien" },
		{ "ru", "russe" }, { "tr", "turc" }, { "sq", "albanais" },
		{ "fa", "persan" }, { "ta", "tamoul" }, { "so", "somali" },
		{ "am", "amharique" }, { "sr", "serbe" }, { "hr", "croate" },
		{ "bs", "bosnien" }, { "rm", "romanche" }, { "ku", "kurde" },
		{ "ps", "pachto" }, { "prs", "dari" }, { "pl", "polonais" },
		{ "ro", "roumain" }, { "mk", "macédonien" }, { "zh", "chinois" },
		{ "th", "thaï" }, { "vi", "vietnamien" }, { "und", "langue indéterminée" },
		{ "sh", "serbo-croate" }, { "ur", "ourdou" }, { "hu", "hongrois" },
		{ "nl", "néerlandais" }, { "bg", "bulgare" }, { "el", "grec" },
		/* every other code lang.h says langid_detect() reports */
		{ "az", "azéri" }, { "cs", "tchèque" }, { "sk", "slovaque" },
		{ "sl", "slovène" }, { "tl", "tagalog" }, { "sw", "swahili" },
		{ "om", "oromo" }, { "be", "biélorusse" }, { "mn", "mongol" },
		{ "hi", "hindi" }, { "ne", "népalais" }, { "mr", "marathi" },
		{ "ja", "japonais" }, { "ko", "coréen" }, { "si", "cingalais" },
		{ "bo", "tibétain" }, { "ka", "géorgien" }, { "hy", "arménien" },
		{ "he", "hébreu" }, { "bn", "bengali" }, { "pa", "pendjabi" },
		{ "gu", "gujarati" }, { "ml", "malayalam" }, { "kn", "kannada" },
		{ "te", "télougou" }, { "km", "khmer" }, { "lo", "lao" },
		{ "my", "birman" },
	};

	return lookup(names, G_N_ELEMENTS(names), code, "langue indéterminée");
}

const char *
label_status(const char *code)
{
	return vocab_fr(code);
}

static const char *
label_reply(const char *code)
{
	return code == NULL ? reply_kind_fr(REPLY_NONE) : vocab_fr(code);
}

const char *
label_kind(const char *code)
{
	static const char *const names[][2] = {
		{ "entretien", "entretien de conseil" }, { "permanence", "permanence" },
		{ "telephone", "téléphone" }, { "courriel", "courriel" },
		{ "seance", "séance" }, { "projet", "projet" }, { "formation", "formation" },
	};

	return lookup(names, G_N_ELEMENTS(names), code, "?");
}

static const char *
label_urgent(const char *code)
{
	if (code != NULL && (strcmp(code, "yes") == 0 || strcmp(code, "1") == 0))
		return "urgente";
	return "non urgente";
}

char *
label_month(const char *ym)
{
	int y, m;

	if (ym == NULL || sscanf(ym, "%d-%d", &y, &m) != 2 || m < 1 || m > 12)
		return g_strdup(ym != NULL ? ym : "?");
	return g_strdup_printf("%s %d", vocab_month_fr(m), y);
}

char *
label_tally_value(const struct setup *s, int f, const char *code)
{
	switch (f) {
	case TF_DOMAIN: return g_strdup(label_domain(s, code));
	case TF_TOPIC: return g_strdup(label_topic(s, code));
	case TF_REQUESTER: return g_strdup(label_requester(s, code));
	case TF_LANGUAGE: return g_strdup(label_language(code));
	case TF_STATUS: return g_strdup(label_status(code));
	case TF_REPLY: return g_strdup(label_reply(code));
	case TF_URGENT: return g_strdup(label_urgent(code));
	case TF_MONTH: return label_month(code);
	case TF_WEEK: return g_strdup_printf("semaine %s", code != NULL ? code : "?");
	case TF_COMMUNE: return g_strdup(code != NULL ? code : "commune inconnue");
	default: return g_strdup(code != NULL ? code : "-");
	}
}

const char *
label_reason(const char *r)
{
	static const char *const names[][2] = {
		{ "list mail", "courriel d'une liste de diffusion" },
		{ "precedence: bulk/junk/list", "envoi en nombre" },
		{ "x-autoreply header", "réponse automatique" },
		{ "x-auto-response-suppress", "réponse automatique" },
		{ "our own address", "notre propre adresse" },
		{ "our own message", "notre propre message" },
		{ "robot sender", "expéditeur automatique" },
		{ "automatic reply (subject)", "réponse automatique" },
		{ "auto-replied", "réponse automatique" },
		{ "auto-generated", "message automatique" },
		{ "bounce (multipart/report)", "avis de non-remise" },
		{ "bounce (delivery failure)", "avis de non-remise" },
		{ "bounce (empty Return-Path)", "avis de non-remise" },
		{ "follow-up", "relance" }, { "command mail", "commandes de la déléguée" },
		{ "duplicate", "déjà reçu" }, { "rule: no reply", "une règle dit de ne pas répondre" },
		{ "no sender address", "pas d'adresse d'expéditeur" },
		{ "acknowledgment", "accusé de réception" },
		{ "command mail from a delegate address", "commandes de la déléguée" },
	};

	if (r == NULL || *r == '\0')
		return NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		if (strcmp(r, names[i][0]) == 0)
			return names[i][1];
	if (g_str_has_prefix(r, "sender cap"))
		return "limite de réponses par expéditeur atteinte";
	if (g_str_has_prefix(r, "hourly cap"))
		return "limite de réponses par heure atteinte";
	if (g_str_has_prefix(r, "orientation"))
		return "réponse d'orientation";
	if (g_str_has_prefix(r, "auto-"))
		return "message automatique";
	if (g_str_has_prefix(r, "bounce"))
		return "avis de non-remise";
	return NULL;	/* unknown: better unsaid than in English */
}
