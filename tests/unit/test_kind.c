/* test_kind.c: the kind stage (kind.c).  Every .eml of
 * tests/fixtures/kinds/KIND/ gets that kind with no store; the robots of
 * tests/fixtures/loops/robot are robots or our own mail, its people
 * requests; the configured spam header is off by default; follow-ups,
 * thanks and the flood rule with the facts a store would give. */
#include <string.h>
#include <gmime/gmime.h>
#include "tap.h"
#include "kind.h"
#include "parse.h"
#include "config.h"

static struct config *
test_config(void)
{
	struct config *c = g_new0(struct config, 1);
	static char *delegates[] = { "marie.exemple@chippis.ch", "greffe@chippis.ch", NULL };

	c->contact_addr = "integration@chippis.ch";
	c->delegate_addr = "marie.exemple@chippis.ch";
	c->delegate_addrs = delegates;
	c->envelope_sender = "";
	c->reply_cap_per_sender = 3;
	c->reply_cap_per_hour = 60;
	c->flood_cap = 5;
	c->flood_window_hours = 1;
	return c;
}

static struct request *
load(const char *path)
{
	guint8 *raw = NULL;
	gsize len = 0;
	struct request *r;

	if (!g_file_get_contents(path, (char **)&raw, &len, NULL))
		return NULL;
	r = request_new(path, raw, len);
	if (!parse_request(r, 10 * 1024 * 1024, NULL)) {
		request_free(r);
		return NULL;
	}
	return r;
}

/* Every .eml of dir must get kind want (or own, when own_ok). */
static void
corpus(const struct config *cfg, const char *dir, enum mail_kind want, gboolean own_ok)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *n;

	while (d != NULL && (n = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(n, ".eml"))
			g_ptr_array_add(names, g_strdup(n));
	if (d != NULL)
		g_dir_close(d);
	ok(names->len > 0, "%s has messages", dir);
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_build_filename(dir, (char *)g_ptr_array_index(names, i), NULL);
		struct request *r = load(path);

		if (r == NULL) {
			ok(0, "%s parses", path);
			continue;
		}
		kind_decide(cfg, r, NULL);
		ok(r->kind_set && (r->kind == want || (own_ok && r->kind == MAIL_OWN)),
		    "%s: %s (%s)", path, mail_kind_str(r->kind), r->kind_reason);
		request_free(r);
	}
}

static struct request *
mail(const char *headers, const char *body)
{
	g_autofree char *s = g_strdup_printf("From: Lea Kunz <lea.kunz@example.org>\n"
	    "To: integration@chippis.ch\nMessage-ID: <t-%p@example.org>\n%s\n%s",
	    (void *)headers, headers, body);
	struct request *r = request_new("test", (guint8 *)g_strdup(s), strlen(s));

	parse_request(r, 1 << 20, NULL);
	return r;
}

int
main(void)
{
	struct config *cfg = test_config();
	struct request *r;
	struct kind_facts f = { 0 };

	g_mime_init();
	corpus(cfg, "tests/fixtures/kinds/request", MAIL_REQUEST, FALSE);
	corpus(cfg, "tests/fixtures/kinds/robot", MAIL_ROBOT, FALSE);
	corpus(cfg, "tests/fixtures/kinds/spam", MAIL_SPAM, FALSE);
	corpus(cfg, "tests/fixtures/kinds/own", MAIL_OWN, FALSE);
	corpus(cfg, "tests/fixtures/kinds/followup", MAIL_FOLLOWUP, FALSE);
	corpus(cfg, "tests/fixtures/loops/robot", MAIL_ROBOT, TRUE);
	corpus(cfg, "tests/fixtures/loops/human", MAIL_REQUEST, FALSE);

	/* The configured header: off by default, then on. */
	r = mail("Subject: Offre\nX-Junk-Verdict: junk (score 12)\n", "Bonjour\n");
	kind_decide(cfg, r, NULL);
	ok((r->kind) == (MAIL_REQUEST), "a spam header nobody configured decides nothing");
	cfg->spam_header = "X-Junk-Verdict";
	cfg->spam_value = "junk";
	kind_decide(cfg, r, NULL);
	ok((r->kind) == (MAIL_SPAM), "the configured spam header and value: spam");
	request_free(r);
	r = mail("Subject: Offre\nX-Junk-Verdict: clean\n", "Bonjour\n");
	kind_decide(cfg, r, NULL);
	ok((r->kind) == (MAIL_REQUEST), "the configured header with another value: a request");
	request_free(r);
	cfg->spam_header = NULL;
	r = mail("Subject: question\nX-Spam-Status: No, score=0.3 required=5.0\n", "Bonjour\n");
	kind_decide(cfg, r, NULL);
	ok((r->kind) == (MAIL_REQUEST), "X-Spam-Status: No is no verdict");
	request_free(r);

	/* A refused command mail: a command from a delegate address only. */
	r = mail("Subject: logement\n", "#aide je cherche un logement à Sierre\n");
	r->command_refused = g_strdup("non authentifié");
	kind_decide(cfg, r, NULL);
	ok(r->kind == MAIL_REQUEST, "a person's hashtag line stays a request");
	request_free(r);
	{
		const char *raw = "From: Marie <marie.exemple@chippis.ch>\nTo: integration@chippis.ch\n"
		    "Subject: cmd\nMessage-ID: <c1@chippis.ch>\n\n#fermer CHI-2026-0001\n";

		r = request_new("test", (guint8 *)g_strdup(raw), strlen(raw));
		parse_request(r, 1 << 20, NULL);
		r->command_refused = g_strdup("non authentifié");
		kind_decide(cfg, r, NULL);
		ok(r->kind == MAIL_COMMAND, "a refused command of a delegate address is a command");
		request_free(r);
	}

	/* A receipt's subject start is whole words: "lütfen" is not "Lu :". */
	r = mail("Subject: lütfen\n", "Eşim beni öldüreceğini söyledi, şimdi eve geliyor.\n");
	kind_decide(cfg, r, NULL);
	ok((r->kind) == (MAIL_REQUEST), "a subject starting with the letters of a receipt word is a request");
	request_free(r);
	r = mail("Subject: Lu : votre message\n", "Votre message a été lu.\n");
	kind_decide(cfg, r, NULL);
	ok((r->kind) == (MAIL_ROBOT), "\"Lu : ...\" is a read receipt");
	request_free(r);

	/* One word never decides. */
	r = mail("Subject: unsubscribe\n", "Please unsubscribe me from the French course, I moved.\n");
	kind_decide(cfg, r, NULL);
	ok((r->kind) == (MAIL_REQUEST), "a person who writes unsubscribe is a request");
	request_free(r);
	r = mail("Subject: loterie\n", "J'ai reçu un courriel « vous avez gagné », que faire ?\n");
	kind_decide(cfg, r, NULL);
	ok((r->kind) == (MAIL_REQUEST), "a person who quotes a spam phrase is a request");
	request_free(r);

	/* Follow-ups with what a store would say. */
	r = mail("Subject: Re: Votre demande CHI-2026-0042\n", "Merci beaucoup !\n");
	f.followup_id = 42;
	kind_decide(cfg, r, &f);
	ok((r->kind) == (MAIL_FOLLOWUP), "a reply naming a request is a follow-up");
	ok(r->thanks, "a thank-you asks nothing: no reopening");
	ok((r->request_id) == (42), "it joins that request");
	request_free(r);
	r = mail("Subject: Re: Votre demande CHI-2026-0042\n", "Merci, mais le cours est-il gratuit ?\n");
	kind_decide(cfg, r, &f);
	ok(r->kind == MAIL_FOLLOWUP && !r->thanks, "a reply that asks again is a follow-up, not thanks");
	request_free(r);
	memset(&f, 0, sizeof f);
	f.latest_id = 7;
	f.latest_ref = "CHI-2026-0007";
	r = mail("Subject: Re: cours\n", "Merci beaucoup pour votre aide, bonne journée.\n");
	kind_decide(cfg, r, &f);
	ok(r->kind == MAIL_FOLLOWUP && r->request_id == 7, "a thank-you without In-Reply-To "
	    "joins the sender's recent request");
	request_free(r);
	r = mail("Subject: Merci\n", "Merci de m'envoyer le formulaire.\n");
	kind_decide(cfg, r, &f);
	ok((r->kind) == (MAIL_REQUEST), "\"merci de\" asks: a request");
	request_free(r);

	/* The flood rule. */
	memset(&f, 0, sizeof f);
	f.sender_recent = 5;
	f.latest_open_id = 9;
	f.latest_open_ref = "CHI-2026-0009";
	r = mail("Subject: encore\n", "Une autre question sur le permis.\n");
	kind_decide(cfg, r, &f);
	ok(r->kind == MAIL_FOLLOWUP && r->flood && r->request_id == 9,
	    "past the cap within the window: a follow-up of the latest open request");
	request_free(r);
	f.sender_recent = 4;
	r = mail("Subject: encore\n", "Une autre question sur le permis.\n");
	kind_decide(cfg, r, &f);
	ok((r->kind) == (MAIL_REQUEST), "under the cap: a request");
	request_free(r);
	cfg->flood_cap = 0;
	f.sender_recent = 500;
	r = mail("Subject: encore\n", "Une autre question.\n");
	kind_decide(cfg, r, &f);
	ok((r->kind) == (MAIL_REQUEST), "flood_requests = 0: no flood rule");
	request_free(r);

	ok(kind_is_thanks("Merci beaucoup !"), "thanks: merci beaucoup");
	ok(kind_is_thanks("Vielen Dank, alles klar."), "thanks: vielen Dank");
	ok(!kind_is_thanks("Merci d'avance pour votre réponse"), "thanks in advance asks");
	ok(!kind_is_thanks("Thanks. Where is the office?"), "a question is no thanks");
	g_free(cfg);
	return tap_done();
}
