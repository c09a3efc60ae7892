/* test_mailcmd.c: commands by mail: the detector (verbs in French and
 * German, quotes cut, hashtags of ordinary mail ignored, robots never
 * command), the #stats periods, and who may command (delegate address AND
 * the topmost Authentication-Results of the trusted id, or the secret). */
#include <string.h>
#include <gmime/gmime.h>
#include "tap.h"
#include "cmd.h"
#include "config.h"
#include "mailcmd.h"
#include "parse.h"

#define SECRET "s3cretTok3n42"

/* The renderers pulled in with mailcmd_run.c sit beside their commands. */
int
cmd_usage(const char *name)
{
	(void)name;
	return 2;
}

static struct config *
test_config(void)
{
	struct config *c = g_new0(struct config, 1);
	static char *delegates[] = { "marie.exemple@chippis.ch", "greffe@chippis.ch", NULL };

	c->contact_addr = "integration@chippis.ch";
	c->delegate_addr = "marie.exemple@chippis.ch";
	c->delegate_addrs = delegates;
	c->command_authserv_id = "mx.chippis.ch";
	return c;
}

/* A parsed message from header lines and a body. */
static struct request *
mk(const char *headers, const char *body)
{
	char *raw = g_strdup_printf("%sMessage-ID: <t%d@chippis.ch>\nDate: Fri, 27 Nov 2026 "
	    "10:00:00 +0100\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n%s", headers, g_random_int_range(0, 1 << 30), body);
	struct request *r = request_new("test", (guint8 *)raw, strlen(raw));
	g_autoptr(GError) e = NULL;

	if (!parse_request(r, 1 << 20, &e))
		printf("# parse: %s\n", e ? e->message : "?");
	return r;
}

static const char *DELEG = "From: Marie <marie.exemple@chippis.ch>\nTo: integration@chippis.ch\n"
    "Subject: commandes\n";

static struct mailcmd *
cmd(GPtrArray *a, guint i)
{
	return a != NULL && i < a->len ? g_ptr_array_index(a, i) : NULL;
}

static const char *
arg(GPtrArray *a, guint i, guint k)
{
	struct mailcmd *c = cmd(a, i);

	return c != NULL && k < c->args->len ? g_ptr_array_index(c->args, k) : NULL;
}

static void
test_detect(void)
{
	struct request *r;
	GPtrArray *a;

	r = mk(DELEG, "Bonjour,\nune question sans commande.\n");
	ok(mailcmd_detect(r) == NULL, "no command line: no command mail");
	request_free(r);

	r = mk(DELEG, "#fermer CHI-2026-0042\n#domaine CHI-2026-0042 langue\n"
	    "#temps 45 entretien CHI-2026-0042\n#note CHI-2026-0042 rappeler lundi\n"
	    "#rapport 2026\n#stats mars\n");
	a = mailcmd_detect(r);
	ok(a != NULL && a->len == 6, "six command lines");
	ok(cmd(a, 0) && cmd(a, 0)->verb && strcmp(cmd(a, 0)->verb->action, "close") == 0,
	    "#fermer is close");
	is_str(arg(a, 0, 0), "CHI-2026-0042", "#fermer REF");
	ok(cmd(a, 1) && cmd(a, 1)->verb && strcmp(cmd(a, 1)->verb->action, "domain") == 0 &&
	    cmd(a, 1)->args->len == 2, "#domaine REF CODE");
	ok(cmd(a, 2) && cmd(a, 2)->verb && strcmp(cmd(a, 2)->verb->action, "time") == 0 &&
	    cmd(a, 2)->args->len == 3, "#temps MIN KIND REF");
	ok(cmd(a, 3) && cmd(a, 3)->args->len == 3, "#note REF two words");
	ok(cmd(a, 4) && cmd(a, 4)->verb && cmd(a, 4)->verb->kind == MV_REPORT, "#rapport");
	ok(cmd(a, 5) && cmd(a, 5)->verb && cmd(a, 5)->verb->kind == MV_STATS, "#stats");
	is_str(cmd(a, 0) ? cmd(a, 0)->line : NULL, "#fermer CHI-2026-0042", "line kept as written");
	if (a)
		g_ptr_array_unref(a);
	request_free(r);

	r = mk(DELEG, "#Schliessen CHI-2026-0042.\n#BEREICH CHI-2026-0042 sprache\n"
	    "#thema CHI-2026-0042 logement\n#notiz CHI-2026-0042 zurückrufen\n"
	    "#zeit 30 telefon\n#Wiedereröffnen chi-2026-0042\n#bericht 2025\n"
	    "#statistik märz\n#hilfe\n");
	a = mailcmd_detect(r);
	ok(a != NULL && a->len == 9, "German verbs (9)");
	for (guint i = 0; a != NULL && i < a->len; i++)
		ok(cmd(a, i)->verb != NULL, "German verb %s known", cmd(a, i)->word);
	is_str(arg(a, 0, 0), "CHI-2026-0042", "trailing full stop dropped from a reference");
	ok(cmd(a, 2) && cmd(a, 2)->verb && cmd(a, 2)->verb->kind == MV_LABEL &&
	    strcmp(cmd(a, 2)->verb->field, "topic") == 0, "#thema: label topic");
	is_str(cmd(a, 5) ? cmd(a, 5)->verb->action : NULL, "reopen", "#wiedereröffnen: reopen");
	if (a)
		g_ptr_array_unref(a);
	request_free(r);

	/* Replying above a quoted digest: only the new lines count. */
	r = mk(DELEG, "#fermer CHI-2026-0001\n\nLe 27.11.2026, guichet a écrit :\n"
	    "> #fermer CHI-2026-0002\n> #note CHI-2026-0003 x\n");
	a = mailcmd_detect(r);
	ok(a != NULL && a->len == 1, "quoted command lines are not commands");
	is_str(arg(a, 0, 0), "CHI-2026-0001", "the command above the quote");
	if (a)
		g_ptr_array_unref(a);
	request_free(r);

	r = mk("From: x@example.org\nTo: integration@chippis.ch\nSubject: racisme\n",
	    "Bonjour,\n#racisme #stopracisme\nJe voudrais signaler...\n");
	ok(mailcmd_detect(r) == NULL, "hashtags of an ordinary mail are no commands");
	request_free(r);

	r = mk(DELEG, "#fermer CHI-2026-0001\n#fermé CHI-2026-0002\n  #note\u00a0CHI-2026-0001 "
	    "\"appeler l'école\" demain\n");
	a = mailcmd_detect(r);
	ok(a != NULL && a->len == 3, "unknown verbs are listed with the known ones");
	ok(cmd(a, 1) && cmd(a, 1)->verb == NULL, "#fermé is unknown");
	is_str(arg(a, 2, 0), "CHI-2026-0001", "no-break space separates words, indent allowed");
	is_str(arg(a, 2, 1), "appeler l'école", "double quotes group words, apostrophe kept");
	is_str(arg(a, 2, 2), "demain", "word after the quote");
	if (a)
		g_ptr_array_unref(a);
	request_free(r);

	r = mk("From: marie.exemple@chippis.ch\nTo: integration@chippis.ch\nSubject: Absent\n"
	    "Auto-Submitted: auto-replied\n", "#fermer CHI-2026-0001\n");
	ok(mailcmd_detect(r) == NULL, "an auto-reply never commands");
	request_free(r);
}

static void
period(const char *words, gint64 now, const char *want_stem, const char *what)
{
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) v = g_strsplit(words, " ", -1);
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/Zurich");
	g_autofree char *name = NULL, *stem = NULL;
	gint64 from = 0, to = 0;
	g_autoptr(GError) e = NULL;

	for (char **x = v; *x; x++)
		if (**x)
			g_ptr_array_add(w, g_strdup(*x));
	if (!mailcmd_period(w, tz, now, &from, &to, &name, &stem, &e))
		stem = NULL;
	is_str(stem, want_stem, "#stats %s: %s", words, what);
	if (stem != NULL)
		ok(to > from, "#stats %s: a span (%s)", words, name);
}

static void
test_period(void)
{
	gint64 now = 1795780800;	/* 2026-11-27 12:00 Europe/Zurich */

	period("mars", now, "2026-03", "a past month of this year");
	period("décembre", now, "2025-12", "a month still to come is last year's");
	period("novembre", now, "2026-11", "the current month");
	period("märz 2025", now, "2025-03", "German month and a year");
	period("2026 Mars", now, "2026-03", "year first");
	period("2026-03", now, "2026-03", "YYYY-MM");
	period("3.2026", now, "2026-03", "M.YYYY");
	period("2025", now, "2025", "a whole year");
	period("", now, "2026-11", "nothing: this month");
	period("janv.", now, "2026-01", "abbreviation");
	period("jui", now, NULL, "ambiguous (juin, juillet)");
	period("blah", now, NULL, "unknown word");
	period("2026-13", now, NULL, "month 13");
}

static void
refused(const struct config *cfg, const char *headers, const char *secret, gboolean want_ok,
    const char *what)
{
	struct request *r = mk(headers, "#fermer CHI-2026-0001\n");
	g_autofree char *why = mailcmd_refusal(cfg, r, secret);

	ok(want_ok ? why == NULL : why != NULL, "%s", what);
	if (why != NULL) {
		printf("#   reason: %s\n", why);
		ok(strstr(why, SECRET) == NULL, "%s: the reason does not hold the secret", what);
	}
	request_free(r);
}

static void
test_auth(void)
{
	struct config *cfg = test_config();
	const char *F = "From: Marie <marie.exemple@chippis.ch>\nTo: integration@chippis.ch\n"
	    "Subject: cmd\n";
	g_autofree char *h = NULL;

#define H(...) (g_free(h), h = g_strdup_printf(__VA_ARGS__))
	refused(cfg, H("Authentication-Results: mx.chippis.ch; dkim=pass header.d=chippis.ch\n%s",
	    F), NULL, TRUE, "dkim=pass for the delegate's domain from the trusted id");
	refused(cfg, H("Authentication-Results: MX.Chippis.CH 1 (Postfix); dkim=pass (2048-bit "
	    "key; unprotected) header.d=\"chippis.ch\" header.s=sel; dmarc=pass\n%s", F), NULL,
	    TRUE, "version, comments, quotes and case of the id");
	refused(cfg, H("Authentication-Results: mx.chippis.ch; dkim=none; spf=pass "
	    "smtp.mailfrom=marie.exemple@chippis.ch\n%s", F), NULL, TRUE, "spf=pass for the domain");
	refused(cfg, H("Authentication-Results: mx.chippis.ch; dkim=pass header.i=@chippis.ch\n%s",
	    F), NULL, TRUE, "dkim=pass by header.i");
	refused(cfg, H("Authentication-Results: mx.chippis.ch; auth=pass smtp.auth=marie.exemple\n%s",
	    F), NULL, TRUE, "auth=pass: SMTP AUTH as the delegate's user at the trusted server");
	refused(cfg, H("Authentication-Results: mx.chippis.ch; auth=pass "
	    "smtp.auth=Marie.Exemple@chippis.ch\n%s", F), NULL, TRUE, "auth=pass with the address");
	refused(cfg, H("Authentication-Results: mx.chippis.ch; auth=pass smtp.auth=alice\n%s", F),
	    NULL, FALSE, "auth=pass as another user: refused");
	refused(cfg, H("Authentication-Results: mx.chippis.ch; none\nAuthentication-Results: "
	    "mx.chippis.ch; auth=pass smtp.auth=marie.exemple\n%s", F), NULL, FALSE,
	    "none on top, a forged auth=pass below: refused");
	refused(cfg, F, NULL, FALSE, "no authentication at all: refused");
	refused(cfg, H("Authentication-Results: mx.evil.test; dkim=pass header.d=chippis.ch; "
	    "spf=pass smtp.mailfrom=chippis.ch\n%s", F), NULL, FALSE,
	    "forged header with another authserv-id: refused");
	refused(cfg, H("Authentication-Results: mx.chippis.ch; dkim=pass header.d=evil.test; "
	    "spf=pass smtp.mailfrom=x@evil.test\n%s", F), NULL, FALSE,
	    "pass for another domain: refused");
	refused(cfg, H("Authentication-Results: mx.chippis.ch; dkim=fail header.d=chippis.ch; "
	    "spf=softfail smtp.mailfrom=chippis.ch\nAuthentication-Results: mx.chippis.ch; "
	    "dkim=pass header.d=chippis.ch\n%s", F), NULL, FALSE,
	    "a forged lower header of the trusted id does not count, only the topmost");
	refused(cfg, H("Authentication-Results: mx.chippis.ch; dkim=pass header.d=chippis.ch\n"
	    "From: Alice <alice@example.org>\nTo: integration@chippis.ch\nSubject: x\n"), NULL,
	    FALSE, "authenticated, but not a delegate address: refused");
	refused(cfg, H("Authentication-Results: mx.chippis.ch; dkim=pass header.d=chippis.ch\n"
	    "From: GREFFE@Chippis.ch\nTo: integration@chippis.ch\nSubject: x\n"), NULL, TRUE,
	    "second delegate address, any case");
	refused(cfg, H("Authentication-Results: mx.chippis.ch; dkim=pass header.d=chippis.ch\n"
	    "%sFrom: other@evil.test\n", F), NULL, FALSE, "two From headers: refused");

	/* The secret */
	refused(cfg, "From: marie.exemple@chippis.ch\nTo: integration+" SECRET "@chippis.ch\n"
	    "Subject: x\n", SECRET, TRUE, "secret as plus address in To");
	refused(cfg, "From: marie.exemple@chippis.ch\nTo: integration@chippis.ch\nCc: "
	    "\"G\" <integration+" SECRET "@chippis.ch>\nSubject: x\n", SECRET, TRUE,
	    "secret as plus address in Cc");
	refused(cfg, "Delivered-To: integration+" SECRET "@chippis.ch\nFrom: "
	    "marie.exemple@chippis.ch\nTo: integration@chippis.ch\nSubject: x\n", SECRET, TRUE,
	    "secret in Delivered-To");
	refused(cfg, "From: marie.exemple@chippis.ch\nTo: integration@chippis.ch\nSubject: "
	    "Re: résumé [" SECRET "]\n", SECRET, TRUE, "secret token in the subject");
	refused(cfg, "From: marie.exemple@chippis.ch\nTo: integration+wrong@chippis.ch\n"
	    "Subject: [wrong] x\n", SECRET, FALSE, "a wrong secret: refused");
	refused(cfg, "From: marie.exemple@chippis.ch\nTo: integration+" SECRET "x@chippis.ch\n"
	    "Subject: [" SECRET "x]\n", SECRET, FALSE, "the secret with more after it: refused");
	refused(cfg, "From: alice@example.org\nTo: integration+" SECRET "@chippis.ch\n"
	    "Subject: x\n", SECRET, FALSE, "secret but not a delegate address: refused");
	refused(cfg, "From: marie.exemple@chippis.ch\nTo: integration+" SECRET "@chippis.ch\n"
	    "Subject: x\n", NULL, FALSE, "no secret configured: a plus address proves nothing");
#undef H
	g_free(cfg);
}

int
main(void)
{
	g_mime_init();
	test_detect();
	test_period();
	test_auth();
	return tap_done();
}
