/* test_recipient.c: where an automatic reply may go (recipient.h), what
 * of the sender's text it may repeat (reply_safe_subject/name), the
 * address a person controls (addr_normalise), and address headers that
 * must never name a recipient (groups, encoded words hiding ':' '@'). */
#include <string.h>
#include <gmime/gmime.h>
#include "tap.h"
#include "parse.h"
#include "recipient.h"
#include "reply.h"

static struct request *
mail(const char *text, const char *source)
{
	struct request *r = request_new(source, (guint8 *)g_strdup(text), strlen(text));
	g_autoptr(GError) e = NULL;

	if (!parse_request(r, 1 << 20, &e))
		printf("# parse: %s\n", e ? e->message : "?");
	return r;
}

static void
check_choice(const struct config *cfg, const char *headers, const char *source,
    const char *want, const char *what)
{
	g_autofree char *text = g_strconcat(headers, "To: integration@chippis.ch\n"
	    "Subject: Permis B\nMessage-ID: <x@y>\n\nBonjour\n", NULL);
	struct request *r = mail(text, source);

	recipient_choose(cfg, r);
	if (want == NULL)
		ok(r->reply_addr == NULL && r->reply_addr_why != NULL, "%s: nowhere (%s)",
		    what, r->reply_addr_why ? r->reply_addr_why : "no reason!");
	else
		ok(g_strcmp0(r->reply_addr, want) == 0, "%s: %s (got %s)", what, want,
		    r->reply_addr ? r->reply_addr : r->reply_addr_why);
	request_free(r);
}

int
main(void)
{
	struct config cfg = { 0 };
	const char *imap = "imap:INBOX:1:1";
	char *s;

	g_mime_init();
	cfg.command_authserv_id = "mx.chippis.ch";

	/* normalised addresses */
	s = addr_normalise("Plus+7@H6.Test.");
	is_str(s, "plus@h6.test", "+tag, case and trailing dot removed");
	g_free(s);
	s = addr_normalise("+x@h6.test");
	is_str(s, "+x@h6.test", "a local part that starts with + keeps it");
	g_free(s);
	s = addr_domain("a+b@Mail.Example.COM.");
	is_str(s, "mail.example.com", "domain normalised");
	g_free(s);
	ok(addr_spec_valid("amina.haddad@gmail.com"), "plain address valid");
	ok(!addr_spec_valid("_evil1@x.test\r\nx-inj1"), "CR LF: invalid");
	ok(!addr_spec_valid("a@b"), "one-label domain: invalid");
	ok(!addr_spec_valid("a..b@c.ch") && !addr_spec_valid(".a@c.ch"), "dots checked");
	ok(!addr_spec_valid("a b@c.ch") && !addr_spec_valid("a@c..ch") &&
	    !addr_spec_valid("a@-c.ch"), "blanks and bad labels invalid");
	ok(recipient_domain_exempt(&cfg, "gmail.com") &&
	    !recipient_domain_exempt(&cfg, "h6.test"), "big providers exempt by default");

	/* who gets the reply */
	check_choice(&cfg, "Return-Path: <alice@example.test>\nFrom: Alice <alice@example.test>\n",
	    imap, "alice@example.test", "From agrees with the envelope");
	check_choice(&cfg, "Return-Path: <bounce-77@mail.example.test>\nFrom: <alice@example.test>\n",
	    imap, "alice@example.test", "envelope in a sub-domain of From's");
	check_choice(&cfg, "Return-Path: <attacker@evil.test>\nFrom: <alice@example.test>\n",
	    imap, NULL, "From of another domain than the envelope");
	check_choice(&cfg, "Return-Path: <a@abc.test>\nFrom: <alice@xyz.test>\n",
	    imap, NULL, "domains of the same length");
	check_choice(&cfg, "Return-Path: <a@mail.example.test>\nFrom: <alice@badexample.test>\n",
	    imap, NULL, "a suffix that is no sub-domain");
	check_choice(&cfg, "From: <alice@example.test>\n", imap, "alice@example.test",
	    "APPENDed without an envelope: From as given");
	check_choice(&cfg, "From: <alice@example.test>\nReply-To: <bob@other.test>\n",
	    imap, "alice@example.test", "without an envelope, a Reply-To elsewhere unproven");
	check_choice(&cfg, "From: <alice@example.test>\nReply-To: <bob@example.test>\n",
	    imap, "bob@example.test", "without an envelope, a Reply-To in From's domain");
	check_choice(&cfg, "From: <alice@example.test>\n", "file:x.eml", "alice@example.test",
	    "a file without an envelope: From as given");
	check_choice(&cfg, "Return-Path: <attacker@evil.test>\n"
	    "Authentication-Results: mx.chippis.ch; dkim=pass header.d=example.test; spf=fail\n"
	    "From: <alice@example.test>\n", imap, "alice@example.test",
	    "DKIM pass for From's domain");
	check_choice(&cfg, "Return-Path: <attacker@evil.test>\n"
	    "Authentication-Results: mx.chippis.ch; dmarc=pass header.from=example.test\n"
	    "From: <alice@example.test>\n", imap, "alice@example.test", "DMARC pass");
	check_choice(&cfg, "Return-Path: <attacker@evil.test>\n"
	    "Authentication-Results: mx.chippis.ch; dkim=fail header.d=example.test\n"
	    "Authentication-Results: mx.chippis.ch; dkim=pass header.d=example.test\n"
	    "From: <alice@example.test>\n", imap, NULL, "only the topmost header counts");
	check_choice(&cfg, "Return-Path: <attacker@evil.test>\n"
	    "Authentication-Results: other.example; dkim=pass header.d=example.test\n"
	    "From: <alice@example.test>\n", imap, NULL, "another authserv-id proves nothing");
	check_choice(&cfg, "Return-Path: <attacker@h.test>\nFrom: <attacker@h.test>\n"
	    "Reply-To: <target@victim.test>\n", imap, "attacker@h.test",
	    "forged Reply-To of a third party: From answered");
	check_choice(&cfg, "Return-Path: <alice@example.test>\nFrom: <alice@example.test>\n"
	    "Reply-To: <famille@example.test>\n", imap, "famille@example.test",
	    "Reply-To in the envelope's domain");
	check_choice(&cfg, "Return-Path: <alice@example.test>\n"
	    "Authentication-Results: mx.chippis.ch; spf=pass smtp.mailfrom=alice@example.test;"
	    " dkim=pass header.d=other.test\n"
	    "From: <alice@example.test>\nReply-To: <bob@other.test>\n", imap, "bob@other.test",
	    "Reply-To of another domain with DKIM pass for it");

	/* address headers that name nobody */
	check_choice(&cfg, "Return-Path: <x@x.test>\nFrom: undisclosed:;\n", imap, NULL,
	    "empty group From");
	check_choice(&cfg, "Return-Path: <real@x.test>\n"
	    "From: =?utf-8?Q?Bcc:_evil@x.test?= <real@x.test>\n", imap, NULL,
	    "encoded word hiding a header and an address");
	check_choice(&cfg, "Return-Path: <real@x.test>\n"
	    "From: =?utf-8?Q?_evil1@x.test=0D=0Ax-inj1?= <real@x.test>\n", imap, NULL,
	    "encoded word hiding CR LF");
	check_choice(&cfg, "Return-Path: <real@x.test>\n"
	    "From: friends: real@x.test, other@x.test;\n", imap, NULL, "group with members");
	check_choice(&cfg, "Return-Path: <real@x.test>\n"
	    "From: =?utf-8?Q?Jos=C3=A9_Garc=C3=ADa?= <real@x.test>\n", imap, "real@x.test",
	    "an ordinary encoded name is fine");

	/* what a reply repeats */
	s = reply_safe_subject("WINNER! Claim your prize at http://phish.example/login now", 60);
	ok(strstr(s, "phish") == NULL && strstr(s, "http") == NULL, "URL neutralised: %s", s);
	g_free(s);
	s = reply_safe_subject("Write to target@victim.test or visit evil.com/x", 60);
	ok(strchr(s, '@') == NULL && strstr(s, "evil.com") == NULL, "address and host: %s", s);
	g_free(s);
	s = reply_safe_subject("Question sur le permis de séjour B pour mon épouse et mes deux enfants "
	    "qui arrivent en janvier", 60);
	ok(g_utf8_strlen(s, -1) <= 62 && g_str_has_suffix(s, "…"), "cut to 60: %s", s);
	g_free(s);
	s = reply_safe_subject("Cours de français", 60);
	is_str(s, "Cours de français", "an ordinary subject unchanged");
	g_free(s);
	s = reply_safe_name("Amina Haddad");
	is_str(s, "Amina Haddad", "ordinary name kept");
	g_free(s);
	ok((s = reply_safe_name("WINNER! Claim your prize at http://phish.example/login")) == NULL,
	    "name with a URL refused");
	g_free(s);
	ok((s = reply_safe_name("support@bank.example")) == NULL, "name with an address refused");
	g_free(s);
	ok((s = reply_safe_name("Go to evil.com")) == NULL, "name with a host refused");
	g_free(s);
	ok((s = reply_safe_name("one two three four five")) == NULL, "five words refused");
	g_free(s);
	return tap_done();
}
