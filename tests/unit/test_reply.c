/* test_reply.c: build replies with the shipped templates, parse them back
 * with GMime and check headers, threading, encoding, languages, and that
 * no CR/LF from the input (even RFC 2047-encoded) reaches a header. */
#include <string.h>
#include <gmime/gmime.h>
#include "tap.h"
#include "reply.h"
#include "parse.h"
#include "recipient.h"
#include "translit.h"

static struct config *
test_config(void)
{
	struct config *c = g_new0(struct config, 1);

	c->org_name = "Commune de Chippis";
	c->contact_addr = "integration@chippis.ch";
	c->delegate_addr = "marie.exemple@chippis.ch";
	c->delegate_name = "Marie Exemple";
	c->hours = hours_new();
	{
		struct hours_slot *sl = g_new0(struct hours_slot, 1);

		sl->days = 1u << 1;	/* Tuesday */
		sl->from = 14 * 60;
		sl->to = 17 * 60;
		sl->place = g_strdup("Rue Centrale 1, Chippis");
		g_ptr_array_add(c->hours->slots, sl);
	}
	c->phone = "027 000 00 00";
	c->default_language = "fr";
	c->timezone = "Europe/Zurich";
	c->envelope_sender = "";
	c->answer_within_days = 3;
	c->retention_text_days = 365;
	c->privacy_controller = "Commune de Chippis";
	c->privacy_contact = "greffe@chippis.ch";
	{
		static char *urgent_to[] = { "marie.exemple@chippis.ch",
		    "social@chippis.ch", NULL };

		c->notify_urgent = urgent_to;
	}
	return c;
}

static struct request *
request_from(const char *text)
{
	struct request *r = request_new("test", (guint8 *)g_strdup(text),
	    strlen(text));
	g_autoptr(GError) e = NULL;

	if (!parse_request(r, 1 << 20, &e))
		printf("# parse: %s\n", e ? e->message : "?");
	request_set(&r->ref, "CHI-2026-0042");
	r->reply = reply_kind_from_str("ack");
	recipient_choose(NULL, r);	/* decide.c does it in the pipeline */
	return r;
}

static GMimeMessage *
parse_back(const struct outmail *m)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(m->data, m->len);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);

	g_object_unref(p);
	g_object_unref(s);
	return msg;
}

/* A header of the message, or of its top MIME part (Content-*). */
static const char *
hdr(GMimeMessage *m, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(m), name);
	GMimeObject *part = g_mime_message_get_mime_part(m);

	if (v == NULL && part != NULL)
		v = g_mime_object_get_header(part, name);
	return v;
}

static char *
body_text(GMimeMessage *m)
{
	GMimeObject *part = g_mime_message_get_body(m);

	if (part == NULL || !GMIME_IS_TEXT_PART(part))
		return g_strdup("");
	return g_mime_text_part_get_text(GMIME_TEXT_PART(part));
}

static gboolean
all_ascii(const char *s, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if ((unsigned char)s[i] > 0x7e)
			return FALSE;
	return TRUE;
}

static const char *injected =
    "From: Tesfay Ghebre <tesfay.ghebre@example.com>\n"
    "To: integration@chippis.ch\n"
    "Subject: =?UTF-8?Q?Permis_=E1=88=B0=E1=88=8B=E1=88=9D=0D=0ABcc:_evil@example.org?=\n"
    "Message-ID: <orig-1@example.com>\n"
    "References: <older-0@example.com>\n"
    "In-Reply-To: <older-0@example.com>\n"
    "Date: Fri, 27 Nov 2026 13:08:00 +0100\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "MIME-Version: 1.0\n"
    "\n"
    "ሰላም፡ ብዛዕባ ፍቓድ መንበሪ ሕቶ ኣለኒ።\n";

static void
test_ack(struct setup *s)
{
	struct request *r = request_from(injected);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)outmail_free);
	g_autoptr(GError) e = NULL;
	GMimeMessage *m;
	const struct outmail *om;
	g_autofree char *text = NULL;
	const char *subj, *v;

	request_set(&r->language, "ti");
	ok(reply_build_all(s, r, out, &e), "ack built%s%s", e ? ": " : "",
	    e ? e->message : "");
	ok(out->len == 1, "one mail for a plain ack");
	if (out->len < 1)
		return;
	om = g_ptr_array_index(out, 0);
	is_str(om->kind, "ack", "kind ack");
	is_str(om->mail_from, "", "envelope sender <> (RFC 3834)");
	is_str(om->rcpt, "tesfay.ghebre@example.com", "envelope recipient");
	ok(g_str_has_suffix(om->message_id, "@chippis.ch") &&
	    strchr(om->message_id, '<') == NULL, "Message-ID without brackets "
	    "in the contact domain: %s", om->message_id);
	ok(all_ascii(om->data, om->len), "7-bit message (QP body, encoded "
	    "headers)");
	ok(strstr(om->data, "\nBcc:") == NULL && strstr(om->data, "\rBcc:") ==
	    NULL, "no injected Bcc header line");
	ok(strstr(om->data, "Content-Transfer-Encoding: quoted-printable") !=
	    NULL, "quoted-printable");

	m = parse_back(om);
	ok(m != NULL, "reply parses back");
	if (m == NULL)
		return;
	subj = g_mime_message_get_subject(m);
	ok(subj != NULL && strchr(subj, '\r') == NULL && strchr(subj, '\n') ==
	    NULL, "decoded subject has no CR/LF: %s", subj ? subj : "");
	ok(subj != NULL && g_str_has_prefix(subj, "Re: Permis ሰላም") &&
	    g_str_has_suffix(subj, " [CHI-2026-0042]"), "Re: <original> [REF]");
	ok(hdr(m, "Bcc") == NULL, "no Bcc after parsing");
	v = hdr(m, "In-Reply-To");
	is_str(v, "<orig-1@example.com>", "In-Reply-To");
	v = hdr(m, "References");
	ok(v != NULL && strstr(v, "<older-0@example.com>") != NULL &&
	    g_str_has_suffix(v, "<orig-1@example.com>"), "References: %s",
	    v ? v : "");
	is_str(hdr(m, "Auto-Submitted"), "auto-replied", "Auto-Submitted");
	is_str(hdr(m, "X-Auto-Response-Suppress"), "All",
	    "X-Auto-Response-Suppress");
	is_str(hdr(m, "Content-Language"), "ti, fr", "Content-Language");
	ok(hdr(m, "Date") != NULL && g_mime_message_get_date(m) != NULL, "Date");
	is_str(g_mime_message_get_message_id(m), om->message_id,
	    "Message-ID header matches");
	v = hdr(m, "From");
	ok(v != NULL && strstr(v, "<integration@chippis.ch>") != NULL,
	    "From the contact address: %s", v ? v : "");
	v = hdr(m, "Content-Type");
	ok(v != NULL && strstr(v, "text/plain") != NULL &&
	    strstr(v, "utf-8") != NULL, "text/plain; charset=utf-8");
	text = body_text(m);
	ok(strstr(text, "ብዕለት") != NULL && strstr(text, "Ceci est une réponse "
	    "automatique") != NULL && strstr(text, "ብዕለት") < strstr(text,
	    "Ceci est une"), "Tigrinya first, French below");
	ok(strstr(text, "Version française") != NULL, "separator");
	ok(strstr(text, "CHI-2026-0042") != NULL && strstr(text,
	    "greffe@chippis.ch") != NULL && strstr(text, "mardi, 14h–17h, "
	    "Rue Centrale 1, Chippis") != NULL, "reference, privacy contact, "
	    "office hours in French");
	ok(strstr(text, "ሰሉስ፣ 14:00–17:00") != NULL &&
	    strstr(text, "mardi") > strstr(text, "Version française"),
	    "office hours in Tigrinya, no French day above the French text");
	ok(strstr(text, "{{") == NULL, "no template tag left");
	g_object_unref(m);
	request_free(r);
}

/* Serbian Latin to Cyrillic keeps references, addresses and acronyms. */
static void
test_translit(void)
{
	g_autofree char *a = translit_sr_cyrl("Ljubazno molimo: dozvola C, "
	    "Služba (SPM), www.ch.ch, CHI-2026-0042, fide, džep, Njen.");

	is_str(a, "Љубазно молимо: дозвола C, Служба (SPM), www.ch.ch, "
	    "CHI-2026-0042, fide, џеп, Њен.", "Serbian in Cyrillic");
}

/* Partners in the reader's language: what they do, the languages spoken. */
static void
test_partners(struct setup *s)
{
	static const struct {
		const char *lang, *about, *spoken;
	} cases[] = {
		{ "de", "Kantonales Amt für Migration", "(Sprachen: Französisch, Deutsch)" },
		{ "ar", "مكتب الهجرة في الكانتون", "(اللغات: الفرنسية، الألمانية)" },
		{ "ti", "ናይ ካንቶን ቤት ጽሕፈት ስደት", "(ቋንቋታት: ፈረንሳይኛ፣ ጀርመንኛ)" },
	};
	g_autoptr(GError) e = NULL;

	s->rules = ruleset_load("rules", s->cfg, &e);
	ok(s->rules != NULL, "rules load%s%s", e ? ": " : "", e ? e->message : "");
	if (s->rules == NULL)
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct request *r = request_from(injected);
		g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(
		    (GDestroyNotify)outmail_free);
		g_autofree char *text = NULL;
		const char *fr;
		GMimeMessage *m;

		request_set(&r->language, cases[i].lang);
		r->reply = reply_kind_from_str("orientation");
		request_set(&r->reply_template, "orientation-permis_sejour");
		request_set(&r->topic, "permis_sejour");
		if (!reply_build_all(s, r, out, NULL) || out->len < 1) {
			ok(0, "%s: built", cases[i].lang);
			request_free(r);
			continue;
		}
		m = parse_back(g_ptr_array_index(out, 0));
		text = body_text(m);
		fr = strstr(text, "Version française");
		ok(fr != NULL && strstr(text, cases[i].about) != NULL &&
		    strstr(text, cases[i].about) < fr, "%s: what the service does",
		    cases[i].lang);
		ok(fr != NULL && strstr(text, cases[i].spoken) != NULL &&
		    strstr(text, cases[i].spoken) < fr, "%s: languages in words: %s",
		    cases[i].lang, cases[i].spoken);
		ok(fr != NULL && strstr(fr, "(langues : français, allemand)") != NULL,
		    "%s: the French text in French", cases[i].lang);
		ok(strstr(text, "(fr, de)") == NULL, "%s: no bare codes", cases[i].lang);
		g_object_unref(m);
		request_free(r);
	}
	ruleset_free(s->rules);
	s->rules = NULL;
}

static void
test_languages(struct setup *s)
{
	static const struct {
		const char *lang, *reply, *tpl, *want_lang, *needle, *french;
	} cases[] = {
		{ "pt", "orientation", "orientation-logement", "pt, fr",
		    "30 dias", "30 jours" },
		{ "PT-br", "orientation", "orientation-logement", "pt, fr",
		    "30 dias", "30 jours" },
		/* every reply language has every orientation */
		{ "fa", "orientation", "orientation-logement", "fa, fr",
		    "30 روز برای اعتراض", "30 jours" },
		{ "ti", "orientation", "orientation-logement", "ti, fr",
		    "30 መዓልቲ", "30 jours" },
		{ "ku", "orientation", "orientation-logement", "ku, fr",
		    "30 rojên we hene", "30 jours" },
		{ "ps", "ack", NULL, "ps, fr", "دا یو اتومات ځواب دی", NULL },
		/* Bosnian, Croatian or Serbian unsure: the neutral variant */
		{ "sh", "orientation", "orientation-logement", "bs, fr",
		    "imate 30 dana", "30 jours" },
		/* Serbian written in Cyrillic: answered in Cyrillic */
		{ "sr-Cyrl", "orientation", "orientation-logement",
		    "sr-Cyrl, fr", "имате 30 дана", "30 jours" },
		{ "am", "orientation", "orientation-logement", "en, fr",
		    "30 days", "30 jours" },
		{ "sl", "ack", NULL, "hr, fr", "automatski odgovor", NULL },
		{ "und", "ack", NULL, "fr", "Ceci est une réponse", NULL },
		{ "fr", "ack", NULL, "fr", "Ceci est une réponse", NULL },
		{ "oc", "ack", NULL, "fr", "Ceci est une réponse", NULL },
		{ "gsw", "ack", NULL, "de, fr", "automatische Antwort", NULL },
		{ "am", "ack", NULL, "en, fr", "This is an automatic reply", NULL },
		{ "ar", "ack", NULL, "ar, fr", "هذا ردّ آلي", NULL },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct request *r = request_from(injected);
		g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(
		    (GDestroyNotify)outmail_free);
		g_autofree char *text = NULL;
		GMimeMessage *m;

		request_set(&r->language, strcmp(cases[i].lang, "sr-Cyrl") == 0 ?
		    "sr" : strcmp(cases[i].lang, "sh") == 0 ? "hr" : cases[i].lang);
		if (strcmp(cases[i].lang, "sr-Cyrl") == 0 ||
		    strcmp(cases[i].lang, "sh") == 0)
			request_set(&r->language_variant, cases[i].lang);
		r->reply = reply_kind_from_str(cases[i].reply);
		request_set(&r->reply_template, cases[i].tpl);
		request_set(&r->topic, "logement");
		if (!reply_build_all(s, r, out, NULL) || out->len != 1) {
			ok(0, "%s: built", cases[i].lang);
			request_free(r);
			continue;
		}
		m = parse_back(g_ptr_array_index(out, 0));
		text = body_text(m);
		is_str(hdr(m, "Content-Language"), cases[i].want_lang,
		    "%s %s: Content-Language", cases[i].lang, cases[i].reply);
		ok(strstr(text, cases[i].needle) != NULL, "%s: text in %s",
		    cases[i].lang, cases[i].want_lang);
		if (cases[i].french != NULL)
			ok(strstr(text, cases[i].french) != NULL &&
			    strstr(text, cases[i].french) > strstr(text,
			    cases[i].needle), "%s: French orientation below",
			    cases[i].lang);
		ok(strcmp(cases[i].want_lang, "fr") == 0 ||
		    strstr(text, "Version française") != NULL,
		    "%s: separator before the French text", cases[i].lang);
		if (strcmp(cases[i].reply, "orientation") == 0)
			is_str(((struct outmail *)g_ptr_array_index(out, 0))->kind,
			    "orientation", "kind orientation");
		g_object_unref(m);
		request_free(r);
	}
}

static void
test_forward_notice(struct setup *s)
{
	struct request *r = request_from(injected);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)outmail_free);
	const struct outmail *fw = NULL, *no = NULL;

	request_set(&r->language, "ti");
	r->reply = reply_kind_from_str("none");
	r->urgent = TRUE;
	g_ptr_array_add(r->forwards, g_strdup("partenaire@example.ch"));
	g_ptr_array_add(r->forwards, g_strdup("bad\naddress"));
	ok(reply_build_all(s, r, out, NULL), "forward and notice built");
	for (guint i = 0; i < out->len; i++) {
		const struct outmail *m = g_ptr_array_index(out, i);

		if (strcmp(m->kind, "forward") == 0)
			fw = m;
		if (strcmp(m->kind, "notice") == 0 && no == NULL)
			no = m;
	}
	ok(out->len == 3, "reply none: one forward (bad address skipped) and "
	    "one alert to each of the two urgent recipients");
	ok(fw != NULL && strcmp(fw->rcpt, "partenaire@example.ch") == 0 &&
	    strcmp(fw->mail_from, "integration@chippis.ch") == 0,
	    "forward to the partner from the contact address");
	if (fw != NULL) {
		GMimeMessage *m = parse_back(fw);
		GMimeObject *b = g_mime_message_get_mime_part(m);

		ok(GMIME_IS_MULTIPART(b) && g_mime_multipart_get_count(
		    GMIME_MULTIPART(b)) == 2 && GMIME_IS_MESSAGE_PART(
		    g_mime_multipart_get_part(GMIME_MULTIPART(b), 1)),
		    "original attached as message/rfc822");
		ok(strstr(fw->data, "orig-1@example.com") != NULL,
		    "the original is inside");
		ok(all_ascii(fw->data, fw->len), "forward is 7-bit");
		g_object_unref(m);
	}
	ok(no != NULL && strcmp(no->rcpt, "marie.exemple@chippis.ch") == 0 &&
	    strcmp(no->mail_from, "integration@chippis.ch") == 0,
	    "urgent notice to the delegate");
	if (no != NULL) {
		GMimeMessage *m = parse_back(no);
		g_autofree char *text = body_text(m);
		const char *subj = g_mime_message_get_subject(m);

		ok(subj != NULL && g_str_has_prefix(subj, "[URGENT] CHI-2026-0042"),
		    "notice subject: %s", subj ? subj : "");
		is_str(hdr(m, "Auto-Submitted"), "auto-generated",
		    "notice is auto-generated");
		ok(strstr(text, "tesfay.ghebre@example.com") != NULL &&
		    strstr(text, "#vu CHI-2026-0042") != NULL,
		    "notice names sender and reference, and #vu");
		ok(strstr(text, "guichet ") == NULL, "no terminal command in the alert");
		is_str(hdr(m, "Reply-To"), "tesfay.ghebre@example.com",
		    "answering the alert answers the sender");
		g_object_unref(m);
	}
	request_free(r);
}

static void
test_misc(const struct config *cfg, struct setup *s)
{
	g_autofree char *a = header_sanitize("a\r\nBcc: x\t\x01y\x7f");
	g_autofree char *b = header_sanitize("=?utf-8?q?x=0D=0AInjected:_1?=");
	g_autofree char *c = header_sanitize("\xe2\x80\xae" "evil\xe2\x80\xac ok");
	g_autofree char *d = header_sanitize(NULL);
	g_autofree char *id1 = reply_message_id(cfg);
	g_autofree char *id2 = reply_message_id(cfg);
	g_autoptr(GPtrArray) parts = g_ptr_array_new();
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)outmail_free);
	struct mail_part csv = { "stats.csv", "text/csv; charset=utf-8",
	    (const guint8 *)"a;b\n1;2\n", 8 };
	struct outmail *m;
	struct request *r;

	is_str(a, "a Bcc: x y", "CR, LF, tab, controls become one space");
	is_str(b, "x Injected: 1", "encoded CR/LF stripped too");
	is_str(c, "evil ok", "bidi overrides removed");
	is_str(d, "", "NULL gives an empty string");
	ok(strcmp(id1, id2) != 0, "Message-IDs are unique");

	g_ptr_array_add(parts, &csv);
	m = mail_build(cfg, REPLY_REPORT, "marie.exemple@chippis.ch",
	    "Rapport\r\nX-Evil: 1", "Voici le rapport.\n", "<p>Voici</p>",
	    parts, NULL, NULL);
	ok(m != NULL && strstr(m->data, "\nX-Evil") == NULL &&
	    strstr(m->data, "Auto-Submitted: auto-generated") != NULL &&
	    strstr(m->data, "multipart/alternative") != NULL &&
	    strstr(m->data, "filename=stats.csv") != NULL,
	    "mail_build: alternative + attachment, no injection");
	ok(m != NULL && strcmp(m->mail_from, "integration@chippis.ch") == 0,
	    "mail_build: envelope sender is the contact address");
	outmail_free(m);
	ok(mail_build(cfg, REPLY_REPORT, "x@y.ch>\nBcc: z@w.ch", "s", "t", NULL,
	    NULL, NULL, NULL) == NULL, "mail_build refuses a bad address");

	r = request_from(injected);
	request_set(&r->reply_to, "target@victim.test");
	request_set(&r->language, "fr");
	r->reply_addr_done = FALSE;
	recipient_choose(cfg, r);
	reply_build_all(s, r, out, NULL);
	ok(out->len == 1 && strcmp(((struct outmail *)g_ptr_array_index(out,
	    0))->rcpt, "tesfay.ghebre@example.com") == 0 && r->reply_addr_note != NULL,
	    "a file: Reply-To not proven, From answered (%s)", r->reply_addr_note);
	g_ptr_array_set_size(out, 0);

	/* delivered: the envelope sender proves the domain */
	request_set(&r->return_path, "tesfay.ghebre@example.com");
	r->has_return_path = TRUE;
	request_set(&r->reply_to, "famille@example.com");
	r->reply_addr_done = FALSE;
	recipient_choose(cfg, r);
	reply_build_all(s, r, out, NULL);
	ok(out->len == 1 && strcmp(((struct outmail *)g_ptr_array_index(out,
	    0))->rcpt, "famille@example.com") == 0, "Reply-To in the envelope's domain preferred");
	g_ptr_array_set_size(out, 0);

	request_set(&r->reply_to, "target@victim.test");
	r->reply_addr_done = FALSE;
	recipient_choose(cfg, r);
	reply_build_all(s, r, out, NULL);
	ok(out->len == 1 && strcmp(((struct outmail *)g_ptr_array_index(out,
	    0))->rcpt, "tesfay.ghebre@example.com") == 0,
	    "Reply-To of another domain, unproven: From answered");
	g_ptr_array_set_size(out, 0);

	request_set(&r->return_path, "bulk@spammer.test");
	r->reply_addr_done = FALSE;
	recipient_choose(cfg, r);
	reply_build_all(s, r, out, NULL);
	ok(out->len == 0 && r->reply_addr == NULL && r->reply_addr_why != NULL,
	    "From not of the envelope's domain: nowhere (%s)", r->reply_addr_why);
	g_ptr_array_set_size(out, 0);
	request_set(&r->return_path, "tesfay.ghebre@example.com");
	r->reply_addr_done = FALSE;
	recipient_choose(cfg, r);
	r->followup = TRUE;
	reply_build_all(s, r, out, NULL);
	ok(out->len == 0, "no ack for a follow-up");
	request_free(r);
}

int
main(void)
{
	struct config *cfg = test_config();
	struct setup s = { cfg, NULL, NULL };
	g_autoptr(GError) e = NULL;

	g_mime_init();
	test_translit();
	s.tpl = templates_load("templates", &e);
	ok(s.tpl != NULL, "templates load%s%s", e ? ": " : "",
	    e ? e->message : "");
	if (s.tpl != NULL) {
		test_ack(&s);
		test_languages(&s);
		test_forward_notice(&s);
		test_misc(cfg, &s);
		test_partners(&s);
	}
	templates_free(s.tpl);
	hours_free(cfg->hours);
	g_free(cfg);
	g_mime_shutdown();
	return tap_done();
}
