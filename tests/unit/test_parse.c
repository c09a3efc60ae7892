/* test_parse.c: parse_request() on tests/fixtures/parse, html_to_text, text_strip_quotes. */
#include <gmime/gmime.h>
#include "tap.h"
#include "parse.h"
#include "config.h"
#include "charset.h"

static struct request *
load(const char *name, gboolean want_ok)
{
	g_autofree char *path = g_build_filename("tests/fixtures/parse", name, NULL);
	g_autoptr(GError) err = NULL;
	struct request *r;
	gchar *buf;
	gsize len;
	gboolean ok;

	if (!g_file_get_contents(path, &buf, &len, NULL)) {
		ok(0, "read %s", path);
		return request_new(path, NULL, 0);
	}
	r = request_new(path, (guint8 *)buf, len);
	ok = parse_request(r, 10 * 1024 * 1024, &err);
	ok(ok == want_ok, "%s parses%s%s", name, err ? ": " : "", err ? err->message : "");
	return r;
}

static struct request *
from_string(const char *s, gsize max, gboolean *res, char **why)
{
	g_autoptr(GError) err = NULL;
	struct request *r = request_new("test", (guint8 *)g_strdup(s), strlen(s));

	*res = parse_request(r, max, &err);
	*why = err != NULL ? g_strdup(err->message) : NULL;
	return r;
}

static char *
html_str(const char *html)
{
	return html_to_text(html, strlen(html));
}

static const struct attachment *
att(const struct request *r, guint i)
{
	return i < r->attachments->len ? g_ptr_array_index(r->attachments, i) : NULL;
}

static void
test_charsets(void)
{
	struct request *r;

	r = load("utf8-8bit.eml", TRUE);
	is_str(r->subject, "Demande d'aide — logement à Sion", "raw UTF-8 subject");
	is_str(r->from_name, "José Müller", "from name");
	is_str(r->from_addr, "jose.muller@example.ch", "from address lower-cased");
	is_str(r->from_domain, "example.ch", "from domain");
	is_str(r->to, "guichet@integration-vs.ch", "to");
	is_str(r->message_id, "utf8-1@example.ch", "message-id without brackets");
	is_str(r->dedup_key, "utf8-1@example.ch", "dedup key is the message-id");
	ok(r->date == 1748938500, "date in unix seconds");
	is_str(r->text, "Bonjour,\nje cherche un logement à Sion pour ma famille.\nMerci d'avance — José", "utf-8 body");
	ok(!r->html_only, "not html");
	ok(r->raw_sha256 != NULL && strlen(r->raw_sha256) == 64, "sha256 hex");
	request_free(r);

	r = load("latin1-qp.eml", TRUE);
	is_str(r->subject, "Recherche d'appartement à Sion", "Q-encoded latin-1 subject");
	is_str(r->from_name, "Frédéric Clément", "Q-encoded name");
	is_str(r->text, "Bonjour,\nje cherche un appartement à Sion près de la gare.\nMerci beaucoup. Frédéric", "latin-1 QP body");
	is_str(r->body_charset, "ISO-8859-1", "declared charset kept");
	request_free(r);

	r = load("cp1252-8bit.eml", TRUE);
	is_str(r->text, "Le loyer est de 1200 € par mois ; c’est trop cher – aidez-moi.", "cp1252 alias: euro, quote, dash");
	request_free(r);

	r = load("latin1-base64.eml", TRUE);
	is_str(r->text, "Grüezi, ich möchte einen Deutschkurs in Brig besuchen. Grüsse, Jürg", "latin1 alias, base64");
	is_str(r->subject, "Deutschkurs in Brig - Anfrage", "B-encoded latin-1 subject");
	request_free(r);

	r = load("mislabeled-ascii.eml", TRUE);
	is_str(r->text, "Je suis à Genève depuis 2019 et j’ai perdu mon permis.", "us-ascii declared, cp1252 bytes");
	request_free(r);

	r = load("mislabeled-utf8.eml", TRUE);
	is_str(r->text, "Café crème à Sierre", "utf-8 declared, latin-1 bytes");
	request_free(r);

	r = load("no-charset.eml", TRUE);
	is_str(r->text, "Où puis-je suivre un cours de français à Monthey ?", "no charset, UTF-8 bytes");
	is_str(r->subject, "Cours de français", "raw UTF-8 subject without MIME");
	ok(r->from_name == NULL, "no display name");
	is_str(r->from_addr, "sara@example.net", "bare address");
	request_free(r);

	r = load("unknown-charset.eml", TRUE);
	is_str(r->text, "Ceci est un test à Sion, été 2025.", "unknown charset x-foo falls back");
	is_str(r->subject, "Inconnu", "encoded word in unknown charset");
	request_free(r);

	r = load("utf7.eml", TRUE);
	is_str(r->text, "Café à Sion", "unicode-1-1-utf-7");
	request_free(r);

	r = load("crlf-mbox.eml", TRUE);
	is_str(r->text, "line one\nline two", "CRLF to LF, mbox From line skipped");
	is_str(r->subject, "CRLF line ends", "subject after mbox line");
	request_free(r);
}

static void
test_subjects(void)
{
	struct request *r;

	r = load("subject-arabic.eml", TRUE);
	is_str(r->subject, "طلب مساعدة بخصوص الإقامة في سيون", "Arabic B subject");
	is_str(r->from_name, "أحمد", "Arabic name");
	is_str(r->text, "مرحبا، أحتاج إلى مساعدة.", "Arabic base64 body");
	request_free(r);

	r = load("subject-ukrainian.eml", TRUE);
	is_str(r->subject, "Запит щодо дозволу на проживання", "Ukrainian Q subject split inside a character");
	is_str(r->text, "Доброго дня! Я шукаю роботу.", "koi8-u body");
	request_free(r);

	r = load("subject-tigrinya.eml", TRUE);
	is_str(r->subject, "ሕቶ ብዛዕባ መንበሪ ፍቓድ", "Tigrinya B subject");
	request_free(r);

	r = load("subject-mixed.eml", TRUE);
	is_str(r->subject, "Re: Anfrage  wegen Aufenthaltsbewilligung für Familiennachzug (dringend)",
	    "mixed words, folded encoded words, double space kept");
	is_str(r->from_name, "Jürgen Müller", "encoded word in quoted string");
	request_free(r);

	r = load("subject-b-padded.eml", TRUE);
	is_str(r->subject, "Захтев за помоћ у вези са дозволом боравка", "B words each padded (GMime 3.2 cuts these)");
	is_str(r->from_name, "Олена Коваленко", "name in padded B words");
	request_free(r);

	r = load("subject-raw-latin1.eml", TRUE);
	is_str(r->subject, "Problème de permis à Martigny", "raw 8-bit latin-1 subject");
	is_str(r->from_name, "André", "raw 8-bit latin-1 name");
	request_free(r);

	r = load("subject-raw-iso2022jp.eml", TRUE);
	is_str(r->subject, "テスト件名", "raw ISO-2022-JP subject");
	is_str(r->text, "本文です。", "ISO-2022-JP body");
	request_free(r);

	r = load("subject-raw-cp1251.eml", TRUE);
	is_str(r->subject, "Вопрос о визе", "raw 8-bit subject in the body's charset");
	request_free(r);
}

static void
test_structure(void)
{
	struct request *r;

	r = load("html-only.eml", TRUE);
	ok(r->html_only, "html only");
	is_str(r->text, "Demande\n\nBonjour Madame,\nje voudrais savoir… été & hiver <2025>\n\n"
	    "- permis B\n- logement\n1. un\n2. deux\nNom Ana\nMerci\nAna\n> ancien message\n> cité",
	    "html converted");
	ok(strstr(r->text_clean, "ancien") == NULL, "blockquote cut from text_clean");
	request_free(r);

	r = load("alt-empty-plain.eml", TRUE);
	ok(r->html_only, "empty text/plain: html alternative used");
	is_str(r->text, "Texte en HTML seulement.", "html alternative text");
	request_free(r);

	r = load("nested.eml", TRUE);
	is_str(r->text, "Buongiorno, allego i documenti richiesti.", "plain alternative preferred");
	ok(!r->html_only, "not html only");
	ok(r->attachments->len == 4, "4 attachments (%u)", r->attachments->len);
	if (r->attachments->len == 4) {
		is_str(att(r, 0)->content_type, "image/png", "inline image");
		ok(att(r, 0)->size == 8, "image decoded size");
		is_str(att(r, 1)->filename, "Décision permis B.pdf", "RFC 2231 filename");
		ok(att(r, 1)->size == 9 + 1024, "pdf decoded size (%zu)", att(r, 1)->size);
		is_str(att(r, 2)->filename, "attestation dépôt.docx", "RFC 2047 filename");
		is_str(att(r, 3)->content_type, "message/rfc822", "attached message");
	}
	request_free(r);

	r = load("attach-b-padded.eml", TRUE);
	ok(r->attachments->len == 1, "one attachment");
	if (r->attachments->len == 1) {
		is_str(att(r, 0)->filename, "Décision du Service de la population – permis B.pdf",
		    "filename in padded B words");
		ok(att(r, 0)->size == 9, "pdf size");
	}
	is_str(r->text, "Voir la pièce jointe.", "text before the attachment");
	request_free(r);

	r = load("uuencode.eml", TRUE);
	is_str(r->text, "Voici le fichier.\n\nMerci.", "uuencoded block cut from the text");
	ok(r->attachments->len == 1 && strcmp(att(r, 0)->filename, "rapport final.bin") == 0 &&
	    att(r, 0)->size == 200, "uuencoded block is an attachment");
	request_free(r);

	r = load("broken-boundary.eml", TRUE);
	is_str(r->text, "Hello world", "bad base64 and missing end boundary");
	ok(r->attachments->len == 1, "attachment after broken part");
	request_free(r);

	r = load("no-msgid.eml", TRUE);
	ok(r->message_id == NULL, "no message-id");
	ok(r->dedup_key != NULL && g_str_has_prefix(r->dedup_key, "sha256:") &&
	    strcmp(r->dedup_key + 7, r->raw_sha256) == 0, "dedup key is the content hash");
	request_free(r);

	r = load("flowed.eml", TRUE);
	is_str(r->text, "This is a long paragraph that was wrapped.\n> quoted text\nFrom the start\n-- \nsig",
	    "format=flowed delsp=yes");
	is_str(r->return_path, "Bounce@Example.com", "return-path without brackets");
	request_free(r);
}

static void
test_robots(void)
{
	struct request *r;

	r = load("bounce.eml", TRUE);
	ok(r->is_report, "multipart/report");
	is_str(r->report_type, "delivery-status", "report type");
	ok(r->has_return_path && r->return_path != NULL && *r->return_path == '\0', "Return-Path <>");
	is_str(r->auto_submitted, "auto-replied", "auto-submitted");
	is_str(r->text, "This is the mail system at host mx.example.com.\n"
	    "I'm sorry to have to inform you that your message could not be delivered.", "bounce text");
	request_free(r);

	r = load("autoreply.eml", TRUE);
	ok(parse_request(r, 0, NULL), "parsed a second time");
	ok(r->references->len == 2 && r->headers->len == 15, "second parse does not add (%u refs, %u headers)",
	    r->references->len, r->headers->len);
	is_str(r->precedence, "auto_reply", "precedence");
	is_str(r->x_auto_response_suppress, "All", "x-auto-response-suppress");
	ok(r->x_autoreply, "x-autoreply");
	ok(r->has_list_header, "list-unsubscribe");
	ok(!r->is_report, "not a report");
	is_str(r->reply_to, "secretariat@example.com", "first reply-to");
	is_str(r->cc, "a@example.com, b@example.com", "cc addr-specs");
	is_str(r->in_reply_to, "orig-1@integration-vs.ch", "in-reply-to without comment");
	ok(r->references->len == 2 && strcmp(g_ptr_array_index(r->references, 1),
	    "orig-1@integration-vs.ch") == 0, "references");
	is_str(r->content_language, "fr-CH", "content-language");
	is_str(request_header(r, "list-unsubscribe"), "<mailto:unsub@example.com>", "header lookup");
	ok(!r->has_return_path, "no return-path");
	request_free(r);

	r = load("utf8-8bit.eml", TRUE);
	ok(!r->x_autoreply && !r->has_list_header && !r->is_report && r->auto_submitted == NULL,
	    "a person's mail has no robot facts");
	is_str(request_header(r, "content-type"), "text/plain; charset=utf-8", "Content-Type among headers");
	request_free(r);
}

static void
test_quotes(void)
{
	struct request *r;
	char *s;

	r = load("reply-fr.eml", TRUE);
	is_str(r->text_clean, "Merci pour votre réponse.\nJe viendrai mardi à 14h.\n\nFatima", "French reply");
	request_free(r);
	r = load("reply-de.eml", TRUE);
	is_str(r->text_clean, "Guten Tag\n\nVielen Dank, ich komme am Montag.\n\nFreundliche Grüsse\nHans Meier",
	    "German reply, Outlook header block, disclaimer");
	request_free(r);
	r = load("reply-en.eml", TRUE);
	is_str(r->text_clean, "Thank you, I will come on Tuesday.", "English reply, wrapped attribution");
	request_free(r);
	r = load("reply-interleaved.eml", TRUE);
	is_str(r->text_clean, "Permis F.\nDepuis 2021.\n\nEva", "interleaved answers kept");
	request_free(r);
	r = load("outlook-fr.eml", TRUE);
	is_str(r->text_clean, "D'accord pour jeudi.", "Outlook French header block");
	request_free(r);

	r = load("forward-outlook.eml", TRUE);
	ok(r->text_clean != NULL && strstr(r->text_clean, "appartement pour ma famille") != NULL,
	    "subject TR: keeps the forwarded request");
	request_free(r);
	s = text_strip_quotes("Voici.\n\n---------- Forwarded message ---------\nDe : A <a@b.c>\nDate: lun. 2 juin 2025\nSubject: Aide\n\nJ'ai besoin d'aide.");
	ok(strstr(s, "besoin d'aide") != NULL, "forward separator: the header block after it is kept");
	g_free(s);

	{
		static const char *const html[][2] = {
			{ "<div dir=\"ltr\">Merci beaucoup, je viendrai jeudi.<div><br></div><div>Amina</div></div><br>"
			  "<div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">Le&nbsp;lun. 2 juin 2025 "
			  "à 09:12, Guichet Intégration &lt;<a href=\"mailto:g@x.ch\">g@x.ch</a>&gt; a écrit&nbsp;:<br>"
			  "</div><blockquote class=\"gmail_quote\"><div dir=\"ltr\">Bonjour,<div>votre demande est "
			  "reçue.</div></div></blockquote></div>", "Merci beaucoup, je viendrai jeudi.\n\nAmina" },
			{ "<html><body><div>Ja, ich komme am Montag.</div><div><br></div><div>Gruss Hans</div>"
			  "<hr style=\"display:inline-block;width:98%\"><div id=\"divRplyFwdMsg\" dir=\"ltr\">"
			  "<font face=\"Calibri\"><b>Von:</b> Guichet &lt;g@x.ch&gt;<br><b>Gesendet:</b> Montag, "
			  "2. Juni 2025 09:12<br><b>An:</b> Hans<br><b>Betreff:</b> Termin</font></div>"
			  "<div>Guten Tag, wir schlagen Montag vor.</div></body></html>",
			  "Ja, ich komme am Montag.\n\nGruss Hans" },
			{ "<html><body dir=\"auto\">Oui merci<br><br><div dir=\"ltr\">Envoyé de mon iPhone</div>"
			  "<div dir=\"ltr\"><br><blockquote type=\"cite\">Le 2 juin 2025 à 09:12, Guichet "
			  "&lt;g@x.ch&gt; a écrit&nbsp;:<br><br></blockquote></div><blockquote type=\"cite\">"
			  "<div dir=\"ltr\">Bonjour</div></blockquote></body></html>", "Oui merci" },
		};
		static const char *const what[] = { "Gmail HTML reply", "Outlook HTML reply", "Apple Mail HTML reply" };

		for (gsize i = 0; i < G_N_ELEMENTS(html); i++) {
			char *t = html_str(html[i][0]);

			s = text_strip_quotes(t);
			is_str(s, html[i][1], "%s", what[i]);
			g_free(s);
			g_free(t);
		}
	}

	s = text_strip_quotes("Bonjour\n\nVon meinem iPhone gesendet\n\n> alt");
	is_str(s, "Bonjour", "German mobile signature");
	g_free(s);
	s = text_strip_quotes("Il giorno lun 2 giu 2025 alle 09:12 Guichet <g@x.ch> ha scritto:\n> ciao");
	is_str(s, "Il giorno lun 2 giu 2025 alle 09:12 Guichet <g@x.ch> ha scritto:\n> ciao",
	    "only a quote: text kept whole");
	g_free(s);
	s = text_strip_quotes("Sí.\n\nEl lun, 2 jun 2025 a las 9:12, Guichet (<g@x.ch>) escribió:\n> hola");
	is_str(s, "Sí.", "Spanish attribution");
	g_free(s);
	s = text_strip_quotes("Ok\n\nEm seg., 2 de jun. de 2025 às 09:12, Guichet <g@x.ch> escreveu:\n> olá");
	is_str(s, "Ok", "Portuguese attribution");
	g_free(s);
	s = text_strip_quotes("Danke.\n\nAm 02.06.25 um 09:12 schrieb Guichet Intégration\n<guichet@integration-vs.ch>:\n> Guten Tag");
	is_str(s, "Danke.", "German Thunderbird attribution, wrapped");
	g_free(s);
	s = text_strip_quotes("Bedankt.\n\nOp 2 jun. 2025 om 09:12 schreef Guichet <g@x.ch>:\n\n> Hallo");
	is_str(s, "Bedankt.", "Dutch attribution");
	g_free(s);
	s = text_strip_quotes("Die Gemeinde schrieb mir am 3. Mai 2025:\nSie müssen bis Juni ausziehen.");
	is_str(s, "Die Gemeinde schrieb mir am 3. Mai 2025:\nSie müssen bis Juni ausziehen.", "a sentence with 'schrieb' is kept");
	g_free(s);
	s = text_strip_quotes("Text\n-----Original Message-----\nFrom: x\nold");
	is_str(s, "Text", "Original Message separator");
	g_free(s);
	s = text_strip_quotes("Please see below.\n\n---------- Forwarded message ---------\nFrom: A <a@b.c>\nDate: Mon, 2 Jun 2025\nSubject: Fwd: help\n\nI need help");
	ok(strstr(s, "I need help") != NULL, "forward kept");
	g_free(s);
	s = text_strip_quotes("Von meinem Vermieter habe ich eine Kündigung bekommen.");
	is_str(s, "Von meinem Vermieter habe ich eine Kündigung bekommen.", "'Von meinem' sentence is not a signature");
	g_free(s);
}

static void
test_words(void)
{
	static const struct { const char *in, *want, *what; } t[] = {
		{ "=?utf-8?q?a?= =?utf-8?q?b?=", "ab", "space between encoded words dropped" },
		{ "=?utf-8?q?a?=\t =?UTF-8?B?Yg==?=", "ab", "tab and space between words dropped" },
		{ "=?utf-8?q?a?=  b", "a  b", "space before text kept" },
		{ "a  =?utf-8?q?b?=", "a  b", "space after text kept" },
		{ "=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9t=C3=A9?=", "été", "character split across Q words" },
		{ "=?utf-8?b?w6k=?= =?utf-8?b?w6k=?=", "éé", "padded B words" },
		{ "=?utf-8?b?w6k?=", "é", "B without padding" },
		{ "=?iso-8859-1?q?caf=E9?= =?utf-8?q?_cr=C3=A8me?=", "café crème", "two charsets" },
		{ "\"=?utf-8?q?Jos=C3=A9?=\" <j@x>", "\"José\" <j@x>", "encoded word in quotes" },
		{ "=?utf-8*fr?q?bonjour?=", "bonjour", "RFC 2231 language" },
		{ "=?utf-8?q?caf=E9?=", "café", "mislabeled latin-1 in a utf-8 word" },
		{ "=?x-unknown?q?caf=E9?=", "café", "unknown charset" },
		{ "=?windows-1251?b?z/Do4uXy?=", "Привет", "windows-1251" },
		{ "=?koi8-r?q?=F0=D2=C9=D7=C5=D4?=", "Привет", "koi8-r" },
		{ "=?iso-2022-jp?b?GyRCJUYlOSVIGyhC?=", "テスト", "iso-2022-jp" },
		{ "foo=?utf-8?q?bar?=baz", "foobarbaz", "encoded word inside a word" },
		{ "What =? is ?= this", "What =? is ?= this", "not an encoded word" },
		{ "=?utf-8?q?unterminated", "=?utf-8?q?unterminated", "unterminated" },
		{ "=?utf-8?x?abc?=", "=?utf-8?x?abc?=", "unknown encoding" },
		{ "=?utf-8?q?broken word?= ok", "broken word ok", "space inside a Q word" },
		{ "=?utf-8?q?" "?=", "", "empty payload" },
		{ "Re: =?utf-8?q?=F0=9F=99=8F?= merci", "Re: 🙏 merci", "emoji" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(t); i++) {
		char *got = charset_decode_words(t[i].in);
		is_str(got, t[i].want, "rfc2047: %s", t[i].what);
		g_free(got);
	}
}

static void
test_html(void)
{
	char *s;
	GString *deep = g_string_new("<html><body>");

	s = html_str("<p>a</p><p>b<br>c</p>");
	is_str(s, "a\n\nb\nc", "paragraphs and br");
	g_free(s);
	s = html_str("<div>x &amp; y&nbsp;z</div><script>var a = '<p>';</script><style>p{}</style>");
	is_str(s, "x & y z", "entities, script and style skipped");
	g_free(s);
	s = html_str("<div style=\"display: none\">preheader</div><p hidden>x</p><p>shown</p>");
	is_str(s, "shown", "hidden elements skipped");
	g_free(s);
	s = html_str("<ul><li>one<li>two</ul>");
	is_str(s, "- one\n- two", "unclosed li");
	g_free(s);
	s = html_str("<pre>a  b\n  c</pre>");
	is_str(s, "a  b\n  c", "pre keeps spaces");
	g_free(s);
	for (int i = 0; i < 20000; i++)
		g_string_append(deep, "<div><span>");
	g_string_append(deep, "deep text");
	s = html_to_text(deep->str, deep->len);
	ok(s != NULL && strstr(s, "deep text") != NULL, "20000 nested elements (libxml2 may cap depth)");
	g_free(s);
	g_string_free(deep, TRUE);
	s = html_str("");
	is_str(s, "", "empty html");
	g_free(s);
}

static void
test_bad_input(void)
{
	struct request *r;
	gboolean res;
	char *why;
	GString *s;

	r = load("bad-empty.eml", FALSE);
	request_free(r);
	r = load("bad-not-mail.eml", FALSE);
	request_free(r);
	r = load("bad-no-header.eml", FALSE);
	request_free(r);

	r = from_string("", 1000, &res, &why);
	ok(!res, "empty message refused");
	is_str(why, "empty message", "empty reason");
	ok(r->raw_sha256 != NULL && r->dedup_key != NULL, "empty message still hashed");
	g_free(why);
	request_free(r);

	/* Two From headers (the fuzzer's find): nothing leaks, and neither
	 * address is answered. */
	r = from_string("From: Jos\xc3\xa9 <jose@example.org>\nTo: c@x.ch\n"
	    "From: Flo <flo@example.com>\nSubject: two\n\nbody\n", 1000, &res, &why);
	ok(res, "two From headers parse");
	is_str(r->from_addr, "jose@example.org", "the first From is kept");
	is_str(r->from_unsafe, "more than one From header", "two From headers: not answerable");
	g_free(why);
	request_free(r);

	r = from_string("From: a@b.c\nSubject: big\n\n0123456789012345678901234567890123456789", 40, &res, &why);
	ok(!res, "too large refused");
	is_str(why, "message too large (66 bytes > limit 40)", "too large reason");
	ok(r->subject == NULL, "too large not parsed");
	ok(r->dedup_key != NULL && g_str_has_prefix(r->dedup_key, "sha256:"), "too large has a dedup key");
	g_free(why);
	request_free(r);

	r = from_string("%PDF-1.4 binary junk\n\x01\x02\x03", 1000, &res, &why);
	ok(!res, "not a message refused");
	is_str(why, "not a mail message", "not a message reason");
	g_free(why);
	request_free(r);

	r = from_string("Foo: bar\n\nhello\n", 1000, &res, &why);
	ok(!res, "no mail header refused");
	g_free(why);
	request_free(r);

	/* 1 MB header */
	s = g_string_new("From: big@example.com\nSubject: huge header\nX-Big: ");
	for (int i = 0; i < 1024 * 1024 / 64; i++)
		g_string_append(s, "0123456789012345678901234567890123456789012345678901234567890\n ");
	g_string_append(s, "end\n\nbody\n");
	r = from_string(s->str, 0, &res, &why);
	ok(res, "1 MB header parses");
	is_str(r->subject, "huge header", "subject after a 1 MB header");
	is_str(r->text, "body", "body after a 1 MB header");
	g_free(why);
	request_free(r);
	g_string_free(s, TRUE);

	/* multiparts nested 100 and 3000 levels deep */
	for (int depth = 100; depth <= 3000; depth += 2900) {
		s = g_string_new("From: deep@example.com\nSubject: deep\nMIME-Version: 1.0\n");
		for (int i = 0; i < depth; i++)
			g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
		g_string_append(s, "Content-Type: text/plain\n\ndeep body\n");
		for (int i = depth - 1; i >= 0; i--)
			g_string_append_printf(s, "--b%d--\n", i);
		r = from_string(s->str, 0, &res, &why);
		ok(res, "multipart nested %d levels parses", depth);
		if (depth == 100)
			is_str(r->text, "deep body", "text 100 levels down");
		g_free(why);
		request_free(r);
		g_string_free(s, TRUE);
	}

	/* a byte-order mark and blank lines before the headers */
	r = from_string("\xEF\xBB\xBF\r\n\r\nFrom: bom@example.com\r\nSubject: BOM\r\n\r\nText\r\n", 0, &res, &why);
	ok(res, "BOM and blank lines before the headers");
	is_str(r->subject, "BOM", "subject after a BOM");
	g_free(why);
	request_free(r);

	/* subject white space as written: leading dropped, inner and trailing kept */
	r = from_string("From: a@b.c\r\nSubject:   two  spaces\r\n\tand a tab \r\n\r\nx", 0, &res, &why);
	is_str(r->subject, "two  spaces\tand a tab ", "subject spacing kept, folding removed");
	g_free(why);
	request_free(r);

	r = from_string("From: Big Bug bb@Bug.com\nSubject: x\n\ny", 0, &res, &why);
	is_str(r->from_addr, "bb@bug.com", "address guessed from an unparseable From");
	is_str(r->from_domain, "bug.com", "its domain");
	g_free(why);
	request_free(r);

	/* raw bytes not NUL-terminated (as fetched over IMAP) */
	{
		static const char m[] = "From: n@example.com\nSubject: no NUL\n\nbody";
		guint8 *raw = g_malloc(sizeof(m) - 1);

		memcpy(raw, m, sizeof(m) - 1);
		r = request_new("imap:INBOX:1:1", raw, sizeof(m) - 1);
		ok(parse_request(r, 0, NULL), "raw without a final NUL");
		is_str(r->text, "body", "body of a raw without NUL");
		request_free(r);
	}

	/* headers only, no body */
	r = from_string("From: a@b.c\nSubject: only headers", 0, &res, &why);
	ok(res, "headers without body");
	is_str(r->text, "", "empty text");
	g_free(why);
	request_free(r);
}

/* NUL bytes in a UTF-8 body, and text nested deeper than the structured search. */
static void
test_nul_and_depth(void)
{
	static const char head[] = "From: Zoe <zoe@example.test>\nSubject: t\n"
	    "MIME-Version: 1.0\n";
	GString *m = g_string_new(head);
	struct request *r;
	g_autofree char *why = NULL;
	gboolean res;

	g_string_append(m, "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\nfran");
	g_string_append_len(m, "\0\303\0\247ais \0\303\240 Sion", 17);
	g_string_append_c(m, '\n');
	r = request_new("test", g_memdup2(m->str, m->len), m->len);
	res = parse_request(r, 1 << 20, NULL);
	ok(res && g_strcmp0(r->text, "français à Sion") == 0,
	    "NUL bytes dropped before the UTF-8 is read: %s", r->text);
	request_free(r);

	for (int depth = 150; depth <= 600; depth += 450) {
		g_autoptr(GString) body = g_string_new("Content-Type: text/plain; charset=utf-8\n\n"
		    "Bonjour, je cherche un cours.\n");

		for (int i = 0; i < depth; i++) {
			g_autofree char *b = g_strdup_printf("Content-Type: multipart/mixed; "
			    "boundary=\"b%d\"\n\n--b%d\n%s\n--b%d--\n", i, i, body->str, i);

			g_string_assign(body, b);
		}
		g_string_assign(m, head);
		g_string_append(m, body->str);
		r = from_string(m->str, 1 << 24, &res, &why);
		ok(res && g_strcmp0(r->text, "Bonjour, je cherche un cours.") == 0,
		    "text %d multiparts deep is found", depth);
		request_free(r);
		g_clear_pointer(&why, g_free);
	}
	g_string_free(m, TRUE);
}

int
main(void)
{
	g_mime_init();
	test_charsets();
	test_subjects();
	test_structure();
	test_robots();
	test_quotes();
	test_words();
	test_html();
	test_bad_input();
	test_nul_and_depth();
	g_mime_shutdown();
	return tap_done();
}
