/*
 * mailcmd_refused.c: a command mail from a delegate address that could not
 * be authenticated (mailcmd.h).  Nothing of it is run; it is recorded for
 * the digest's warning, and the delegate address gets, once a day at most,
 * a mail saying why and how to send commands.  The explanation goes only to
 * the configured delegate address written in From, never to a Reply-To or
 * to anyone else, so a forger learns nothing and can trigger at most one
 * mail a day to the real delegate.
 */
#include <string.h>
#include "mailcmd.h"
#include "reply.h"
#include "store_refused.h"
#include "viewfmt.h"
#include "vocab.h"

/* TRUE when addr is one of the delegate addresses (any case). */
static gboolean
mailcmd_is_delegate(const struct config *cfg, const char *addr)
{
	if (cfg == NULL || addr == NULL)
		return FALSE;
	for (char **d = cfg->delegate_addrs; d != NULL && *d != NULL; d++)
		if (g_ascii_strcasecmp(*d, addr) == 0)
			return TRUE;
	return cfg->delegate_addr != NULL && g_ascii_strcasecmp(cfg->delegate_addr, addr) == 0;
}

/* The explanation to the delegate (plain text, French). */
static char *
explanation(const struct setup *setup, const struct request *r, const char *when)
{
	const struct config *cfg = setup->cfg;
	GString *o = g_string_new(NULL);
	const char *at = cfg->contact_addr != NULL ? strrchr(cfg->contact_addr, '@') : NULL;
	g_autofree char *local = at != NULL ? g_strndup(cfg->contact_addr,
	    at - cfg->contact_addr) : NULL;

	g_string_append_printf(o, "Bonjour,\n\n"
	    "Le guichet a reçu le %s un message écrit au nom de votre adresse (%s) "
	    "qui contient des commandes (lignes commençant par #). Il n'a pas pu vérifier "
	    "que ce message vient bien de vous : votre serveur de messagerie n'a pas "
	    "confirmé qu'il a été envoyé depuis votre compte, et il ne contient pas le mot "
	    "secret de l'installation.\n\n"
	    "Aucune commande de ce message n'a été exécutée. Il figure dans le prochain "
	    "résumé quotidien, sous « Commandes refusées ».\n\n", when, r->from_addr);
	g_string_append(o, "Pour que vos commandes soient exécutées, au choix :\n"
	    "- envoyez-les depuis votre compte de messagerie habituel, celui qui se "
	    "connecte avec votre mot de passe au serveur de la commune (pas depuis un "
	    "autre service de messagerie ni un transfert automatique) ;\n");
	if (cfg->command_secret_file != NULL && local != NULL)
		g_string_append_printf(o, "- ou ajoutez le mot secret de l'installation entre "
		    "crochets dans le sujet, par exemple « [mot-secret] commandes », ou écrivez "
		    "à l'adresse %s+mot-secret%s (le mot secret vous est remis par la personne "
		    "qui s'occupe de l'informatique de la commune).\n", local, at);
	g_string_append(o, "\nSi vous n'avez pas envoyé ce message, quelqu'un a écrit en votre "
	    "nom : rien n'a été fait, vous n'avez rien à faire.\n\n"
	    "Ce message n'est envoyé qu'une fois par jour, même si d'autres commandes sont "
	    "refusées aujourd'hui.\n");
	g_string_append_printf(o, "\n-- \nLe guichet, %s\n",
	    cfg->org_name != NULL ? cfg->org_name : "");
	return g_string_free(o, FALSE);
}

gboolean
mailcmd_refused(struct store *st, const struct setup *setup, const struct request *r,
    gint64 request_id, gint64 now, GError **err)
{
	g_autoptr(GTimeZone) tz = NULL;
	g_autofree char *day = NULL, *when = NULL, *text = NULL;
	struct outmail *m;
	gboolean first, ok;

	if (r->command_refused == NULL || setup == NULL ||
	    !mailcmd_is_delegate(setup->cfg, r->from_addr))
		return TRUE;
	if (!store_refused_add(st, request_id, r->command_refused, now, err))
		return FALSE;
	tz = view_tz(setup->cfg);
	day = view_time(now, tz, "%Y-%m-%d");
	if (!store_period_claim(st, REFUSED_PERIOD, day, now, &first, err))
		return FALSE;
	if (!first)
		return TRUE;
	when = view_time(r->date > 0 ? r->date : now, tz, "%d.%m.%Y à %H:%M");
	text = explanation(setup, r, when);
	/* To the delegate address of the configuration, spelled as configured. */
	m = mail_build(setup->cfg, REPLY_NOTICE, r->from_addr,
	    "Guichet : commande non exécutée, expéditeur non authentifié", text, NULL, NULL,
	    r->message_id, err);
	if (m == NULL)
		return FALSE;
	ok = store_outbox_add(st, request_id, m, now, err);
	outmail_free(m);
	return ok;
}
