/*
 * reply.c: the mails guichet sends, built with GMime as complete RFC 5322
 * texts: the acknowledgment or orientation reply (sender's language first,
 * French below), forwards with the original attached, the urgent notice to
 * the delegate, and generic mails for digests, reports and command answers.
 * No I/O.  No header ever carries a CR, LF or control character from input.
 */
#include <string.h>
#include <gmime/gmime.h>
#include "labels.h"
#include "reply.h"
#include "reply_int.h"
#include "translit.h"
#include "viewfmt.h"
#include "urgent.h"
#include "log.h"
#include "vocab.h"

/* GMime 3.2 declares no autoptr cleanups; these stay private to this file. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeDataWrapper, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeContentType, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeObject, g_object_unref)

#define SEPARATOR "\n\n────────────────────────────────────────\n" \
		  "Version française\n\n"

/* Languages that stand in for others when a template is missing. */
static const struct {
	const char	*lang;
	const char	*use;
} lang_alias[] = {
	{ "gsw", "de" }, { "rm", "de" }, { "lb", "de" }, { "roh", "de" },
	{ "ca", "es" }, { "gl", "es" }, { "co", "it" }, { "fur", "it" },
	{ "sc", "it" }, { "oc", "fr" }, { "frp", "fr" }, { "wa", "fr" },
	{ "sh", "bs" }, { "hbs", "bs" }, { "sl", "hr" }, { "cnr", "sr" },
	{ "me", "sr" }, { "prs", "fa" }, { "az", "tr" },
};

char *
header_sanitize(const char *s)
{
	g_autofree char *dec = NULL, *valid = NULL;
	GString *o;
	gboolean space = TRUE;
	glong n = 0;

	if (s == NULL)
		return g_strdup("");
	valid = g_utf8_make_valid(s, -1);
	/* An encoded word may hide a CR or LF: decode, then strip. */
	if (strstr(valid, "=?") != NULL) {
		dec = g_mime_utils_header_decode_text(NULL, valid);
		if (dec != NULL && !g_utf8_validate(dec, -1, NULL)) {
			char *v = g_utf8_make_valid(dec, -1);

			g_free(dec);
			dec = v;
		}
	}
	o = g_string_new(NULL);
	for (const char *p = dec != NULL ? dec : valid; *p != '\0';
	    p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
		    c == 0x2028 || c == 0x2029 || g_unichar_isspace(c) ||
		    c == 0xfeff || (c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069)) {
			/* controls, line separators, bidi overrides */
			if (!space && !(c >= 0x202a && c <= 0x202e) &&
			    !(c >= 0x2066 && c <= 0x2069) && c != 0xfeff) {
				g_string_append_c(o, ' ');
				space = TRUE;
			}
			continue;
		}
		/* a header line stays readable: cut very long values */
		if (++n > 400)
			break;
		g_string_append_unichar(o, c);
		space = FALSE;
	}
	while (o->len > 0 && o->str[o->len - 1] == ' ')
		g_string_truncate(o, o->len - 1);
	return g_string_free(o, FALSE);
}

/* Does the word w (no blanks) look like a link or an address a mail program would make clickable? */
static gboolean
linkish(const char *w)
{
	const char *dot, *end, *p;
	gsize tld = 0;

	if (strchr(w, '@') != NULL || strstr(w, "://") != NULL ||
	    g_ascii_strncasecmp(w, "www.", 4) == 0 ||
	    g_ascii_strncasecmp(w, "mailto:", 7) == 0 ||
	    g_ascii_strncasecmp(w, "http", 4) == 0)
		return TRUE;
	/* a host name: "phish.example/login", "evil.com", "xn--80ak6aa92e.com" */
	end = w + strcspn(w, "/?#:");
	while (end > w && strchr(".,;!)]}>\"'", end[-1]) != NULL)
		end--;
	for (p = w; p < end; p++)
		if (!g_ascii_isalnum(*p) && *p != '.' && *p != '-' && (guint8)*p < 0x80)
			return FALSE;
	dot = g_strrstr_len(w, end - w, ".");
	if (dot == NULL || dot == w || dot[-1] == '.')
		return FALSE;
	for (p = dot + 1; p < end; p++, tld++)
		if (!g_ascii_isalpha(*p))
			return FALSE;
	return tld >= 2 && tld <= 24;
}

char *
reply_safe_subject(const char *subject, gsize max_chars)
{
	g_autofree char *clean = header_sanitize(subject);
	g_auto(GStrv) words = g_strsplit(clean, " ", -1);
	GString *o = g_string_new(NULL);
	gsize n = 0;
	gboolean cut = FALSE;

	for (char **w = words; *w != NULL; w++) {
		const char *word = linkish(*w) ? "[…]" : *w;
		glong len = g_utf8_strlen(word, -1);

		if (**w == '\0')
			continue;
		if (n + len + (o->len > 0) > max_chars) {
			cut = TRUE;
			if (o->len == 0) {	/* one long word: its start */
				const char *e = g_utf8_offset_to_pointer(word, max_chars);

				g_string_append_len(o, word, e - word);
			}
			break;
		}
		if (o->len > 0)
			g_string_append_c(o, ' ');
		/* never two "[…]" in a row */
		if (strcmp(word, "[…]") == 0 && g_str_has_suffix(o->str, "[…] "))
			g_string_truncate(o, o->len - 1);
		else
			g_string_append(o, word);
		n = g_utf8_strlen(o->str, -1);
	}
	if (cut)
		g_string_append(o, " …");
	return g_string_free(o, FALSE);
}

char *
reply_safe_name(const char *name)
{
	g_autofree char *clean = header_sanitize(name);
	g_auto(GStrv) words = NULL;
	int n = 0;

	if (*clean == '\0' || g_utf8_strlen(clean, -1) > 40)
		return NULL;
	/* no punctuation that builds links, addresses or markup */
	if (strpbrk(clean, "@:/\\<>[]{}|=?#%&*$;\"") != NULL)
		return NULL;
	words = g_strsplit(clean, " ", -1);
	for (char **w = words; *w != NULL; w++) {
		if (**w == '\0')
			continue;
		if (linkish(*w) || ++n > 4)
			return NULL;
	}
	return n > 0 ? g_steal_pointer(&clean) : NULL;
}

/* An addr-spec we can put in a header as is, or NULL. */
static char *
clean_addr(const char *a)
{
	const char *at;

	if (a == NULL || *a == '\0' || strlen(a) > 254)
		return NULL;
	for (const char *p = a; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f ||
		    strchr("<>()[],;:\"\\", *p) != NULL)
			return NULL;
	at = strrchr(a, '@');
	if (at == NULL || at == a || at[1] == '\0')
		return NULL;
	return g_strdup(a);
}

/* A Message-ID from input, usable between brackets, or NULL. */
static char *
clean_msgid(const char *id)
{
	g_autofree char *s = NULL;

	if (id == NULL)
		return NULL;
	s = g_strstrip(g_strdup(id));
	if (*s == '<')
		memmove(s, s + 1, strlen(s));
	if (*s != '\0' && s[strlen(s) - 1] == '>')
		s[strlen(s) - 1] = '\0';
	if (*s == '\0' || strlen(s) > 250)
		return NULL;
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    *p == '<' || *p == '>')
			return NULL;
	return g_steal_pointer(&s);
}

static const char *
contact_domain(const struct config *cfg)
{
	const char *at = cfg != NULL && cfg->contact_addr != NULL ?
	    strrchr(cfg->contact_addr, '@') : NULL;

	return at != NULL && at[1] != '\0' ? at + 1 : "localhost";
}

char *
reply_message_id(const struct config *cfg)
{
	static guint counter;
	GString *dom = g_string_new(NULL);
	char *id;

	for (const char *p = contact_domain(cfg); *p != '\0'; p++)
		if (g_ascii_isalnum(*p) || *p == '.' || *p == '-')
			g_string_append_c(dom, g_ascii_tolower(*p));
	if (dom->len == 0)
		g_string_assign(dom, "localhost");
	id = g_strdup_printf("guichet.%" G_GINT64_MODIFIER "x.%x.%08x%08x@%s",
	    g_get_real_time(), ++counter, g_random_int(), g_random_int(),
	    dom->str);
	g_string_free(dom, TRUE);
	return id;
}

static GDateTime *
now_in(const struct config *cfg)
{
	g_autoptr(GTimeZone) tz = view_tz(cfg);

	return g_date_time_new_now(tz);
}

/* A UTF-8 text/plain (or html) part, quoted-printable. */
static GMimeObject *
text_part(const char *subtype, const char *text)
{
	GMimeTextPart *part = g_mime_text_part_new_with_subtype(subtype);
	g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer(text,
	    strlen(text));
	g_autoptr(GMimeDataWrapper) content = g_mime_data_wrapper_new_with_stream(
	    stream, GMIME_CONTENT_ENCODING_DEFAULT);

	g_mime_part_set_content(GMIME_PART(part), content);
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset",
	    "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(part),
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	return GMIME_OBJECT(part);
}

/* Give every leaf part of an attached original a 7-bit encoding. */
static void
seven_bit(GMimeObject *parent, GMimeObject *part, gpointer unused)
{
	GMimeContentEncoding enc;

	if (!GMIME_IS_PART(part))
		return;
	enc = g_mime_part_get_content_encoding(GMIME_PART(part));
	if (enc == GMIME_CONTENT_ENCODING_BASE64 ||
	    enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
	    enc == GMIME_CONTENT_ENCODING_UUENCODE)
		return;
	enc = g_mime_part_get_best_content_encoding(GMIME_PART(part),
	    GMIME_ENCODING_CONSTRAINT_7BIT);
	g_mime_part_set_content_encoding(GMIME_PART(part), enc);
}

/* An attachment: message/rfc822 stays a message, the rest goes base64. */
static GMimeObject *
attachment_part(const struct mail_part *mp)
{
	GMimePart *part;
	g_autoptr(GMimeStream) stream = NULL;
	g_autoptr(GMimeDataWrapper) content = NULL;
	g_autoptr(GMimeContentType) ct = NULL;

	if (mp->content_type != NULL &&
	    g_ascii_strncasecmp(mp->content_type, "message/rfc822", 14) == 0) {
		g_autoptr(GMimeStream) s = g_mime_stream_mem_new_with_buffer(
		    (const char *)mp->data, mp->len);
		g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream(s);
		g_autoptr(GMimeMessage) m = g_mime_parser_construct_message(
		    parser, NULL);

		if (m != NULL) {
			GMimeMessagePart *p;

			g_mime_message_foreach(m, seven_bit, NULL);
			p = g_mime_message_part_new_with_message("rfc822", m);

			g_mime_object_set_content_disposition_parameter(
			    GMIME_OBJECT(p), "filename", mp->filename != NULL ?
			    mp->filename : "message.eml");
			g_mime_object_set_disposition(GMIME_OBJECT(p),
			    "attachment");
			return GMIME_OBJECT(p);
		}
	}
	ct = g_mime_content_type_parse(NULL, mp->content_type != NULL ?
	    mp->content_type : "application/octet-stream");
	part = g_mime_part_new_with_type(g_mime_content_type_get_media_type(ct),
	    g_mime_content_type_get_media_subtype(ct));
	for (guint i = 0; i < (guint)g_mime_param_list_length(
	    g_mime_content_type_get_parameters(ct)); i++) {
		GMimeParam *prm = g_mime_param_list_get_parameter_at(
		    g_mime_content_type_get_parameters(ct), i);

		g_mime_object_set_content_type_parameter(GMIME_OBJECT(part),
		    g_mime_param_get_name(prm), g_mime_param_get_value(prm));
	}
	stream = g_mime_stream_mem_new_with_buffer((const char *)mp->data,
	    mp->len);
	content = g_mime_data_wrapper_new_with_stream(stream,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, content);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	if (mp->filename != NULL)
		g_mime_part_set_filename(part, mp->filename);
	else
		g_mime_object_set_disposition(GMIME_OBJECT(part), "inline");
	return GMIME_OBJECT(part);
}

struct envelope {
	enum reply_kind	 kind;
	const char	*mail_from;	/* envelope sender, "" for <> */
	const char	*to;		/* clean addr-spec */
	const char	*to_name;	/* may be NULL */
	const char	*subject;	/* will be sanitised */
	const char	*in_reply_to;	/* without brackets, may be NULL */
	GPtrArray	*references;	/* char *, may be NULL */
	const char	*language;	/* Content-Language, may be NULL */
	const char	*ref;		/* request reference, may be NULL */
	const char	*reply_to;	/* clean addr-spec for Reply-To, may be NULL */
	gboolean	 auto_reply;	/* auto-replied, else auto-generated */
};

/* Put the headers on msg and serialise it into an outmail. */
static struct outmail *
finish(const struct config *cfg, const struct envelope *env, GMimeMessage *msg,
    GMimeObject *body)
{
	g_autofree char *subj = header_sanitize(env->subject);
	g_autofree char *id = reply_message_id(cfg);
	g_autofree char *org = header_sanitize(cfg->org_name);
	g_autofree char *to_name = env->to_name != NULL ?
	    header_sanitize(env->to_name) : NULL;
	g_autoptr(GDateTime) now = now_in(cfg);
	g_autoptr(GString) refs = g_string_new(NULL);
	g_autofree char *irt = clean_msgid(env->in_reply_to);
	GMimeObject *o = GMIME_OBJECT(msg);
	GMimeFormatOptions *fo;
	char *data;

	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM,
	    *org != '\0' ? org : NULL, cfg->contact_addr);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO,
	    to_name != NULL && *to_name != '\0' ? to_name : NULL, env->to);
	if (env->reply_to != NULL)
		g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_REPLY_TO, NULL,
		    env->reply_to);
	g_mime_message_set_subject(msg, subj, "utf-8");
	g_mime_message_set_date(msg, now);
	g_mime_message_set_message_id(msg, id);
	if (irt != NULL) {
		g_autofree char *v = g_strdup_printf("<%s>", irt);

		g_mime_object_set_header(o, "In-Reply-To", v, NULL);
		/* References: the parent's, then the parent (RFC 5322 3.6.4) */
		for (guint i = 0; env->references != NULL &&
		    i < env->references->len; i++) {
			g_autofree char *c = clean_msgid(
			    g_ptr_array_index(env->references, i));

			/* keep the header bounded on very long threads */
			if (c != NULL && strcmp(c, irt) != 0 &&
			    (i < 2 || i + 8 >= env->references->len))
				g_string_append_printf(refs, "<%s> ", c);
		}
		g_string_append(refs, v);
		g_mime_object_set_header(o, "References", refs->str, NULL);
	}
	g_mime_object_set_header(o, "Auto-Submitted", env->auto_reply ?
	    "auto-replied" : "auto-generated", NULL);
	g_mime_object_set_header(o, "X-Auto-Response-Suppress", "All", NULL);
	if (cfg->contact_addr != NULL)
		g_mime_object_set_header(o, "X-Loop", cfg->contact_addr, NULL);
	if (env->ref != NULL) {
		g_autofree char *ref = header_sanitize(env->ref);

		g_mime_object_set_header(o, "X-Guichet-Ref", ref, NULL);
	}
	/* a Content-* header belongs to the part GMime writes it with */
	if (env->language != NULL)
		g_mime_object_set_header(body, "Content-Language",
		    env->language, NULL);
	g_mime_message_set_mime_part(msg, body);

	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_UNIX);
	data = g_mime_object_to_string(o, fo);
	g_mime_format_options_free(fo);
	return outmail_new(reply_kind_str(env->kind), env->mail_from, env->to, id, data,
	    strlen(data));
}

struct outmail *
mail_build(const struct config *cfg, enum reply_kind kind, const char *to,
    const char *subject, const char *text, const char *html,
    GPtrArray *attachments, const char *in_reply_to, GError **err)
{
	g_autofree char *addr = clean_addr(to);
	g_autoptr(GMimeMessage) msg = NULL;
	g_autoptr(GMimeObject) body = NULL;
	struct envelope env = { 0 };

	if (addr == NULL || cfg == NULL || cfg->contact_addr == NULL) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_INPUT,
		    "cannot send to \"%s\": not a plain mail address",
		    to != NULL ? to : "");
		return NULL;
	}
	body = text_part("plain", text != NULL ? text : "");
	if (html != NULL) {
		GMimeMultipart *alt = g_mime_multipart_new_with_subtype(
		    "alternative");
		g_autoptr(GMimeObject) h = text_part("html", html);

		g_mime_multipart_add(alt, body);
		g_mime_multipart_add(alt, h);
		g_object_unref(body);
		body = GMIME_OBJECT(alt);
	}
	if (attachments != NULL && attachments->len > 0) {
		GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");

		g_mime_multipart_add(mixed, body);
		for (guint i = 0; i < attachments->len; i++) {
			g_autoptr(GMimeObject) a = attachment_part(
			    g_ptr_array_index(attachments, i));

			g_mime_multipart_add(mixed, a);
		}
		g_object_unref(body);
		body = GMIME_OBJECT(mixed);
	}
	msg = g_mime_message_new(TRUE);
	env.kind = kind;
	env.mail_from = cfg->contact_addr;
	env.to = addr;
	env.subject = subject;
	env.in_reply_to = in_reply_to;
	/* replies to a sender follow RFC 3834; the rest is auto-generated */
	env.auto_reply = reply_kind_is_auto(kind);
	if (env.auto_reply)
		env.mail_from = cfg->envelope_sender != NULL ?
		    cfg->envelope_sender : "";
	return finish(cfg, &env, msg, body);
}

/*
 * The language NAME can be written in for a sender writing lang: lang
 * itself or a close language standing in for it; NULL when neither exists.
 */
static const char *
match_lang(const struct templates *tpl, const char *name, const char *lang)
{
	if (templates_has(tpl, name, lang))
		return lang;
	for (gsize i = 0; i < G_N_ELEMENTS(lang_alias); i++)
		if (strcmp(lang_alias[i].lang, lang) == 0 &&
		    templates_has(tpl, name, lang_alias[i].use))
			return lang_alias[i].use;
	return NULL;
}

/*
 * What goes above the French text (guichet-templates(5), LANGUAGES):
 * *first_name in *first_lang, or *first_lang "fr" for French alone.  An
 * orientation reply missing in the sender's language gives way to the
 * acknowledgment in that language, with the French orientation below;
 * failing both, English.
 */
static void
pick_lang(const struct templates *tpl, const char *name, gboolean orientation,
    const char *language, const char **first_name, char **first_lang)
{
	g_autofree char *lang = NULL;
	const char *l;

	*first_name = name;
	*first_lang = g_strdup("fr");
	if (language == NULL)
		return;
	/* "pt-BR", "PT" -> "pt" */
	lang = g_ascii_strdown(language, strcspn(language, "-_"));
	if (*lang == '\0' || strcmp(lang, VOCAB_LANGUAGE_UNKNOWN) == 0 || strcmp(lang, "fr") == 0)
		return;
	if ((l = match_lang(tpl, name, lang)) == NULL && orientation &&
	    (l = match_lang(tpl, "ack", lang)) != NULL)
		*first_name = "ack";
	if (l == NULL && templates_has(tpl, name, "en"))
		l = "en";
	if (l != NULL) {
		g_free(*first_lang);
		*first_lang = g_strdup(l);
	}
}

/* Render name in lang with r's variables; subject may be NULL. */
static char *
render(const struct setup *s, const struct request *r, const char *name,
    const char *lang, char **subject, GError **err)
{
	gboolean to_sender = strcmp(name, "ack") == 0 ||
	    g_str_has_prefix(name, "orient");
	g_autoptr(GHashTable) vars = reply_vars(s, r, lang, to_sender);

	return template_render(s->tpl, name, lang, vars, subject, err);
}

/* The same in Cyrillic: the template's Serbian words, not the variables. */
static char *
render_cyrillic(const struct setup *s, const struct request *r,
    const char *name, char **subject, GError **err)
{
	g_autoptr(GHashTable) vars = reply_vars(s, r, "sr-Cyrl", TRUE);

	return template_render_filtered(s->tpl, name, "sr", vars, subject,
	    translit_sr_cyrl, err);
}

/* "Re: <original> [REF]", without piling up "Re:" or the reference. */
static char *
reply_subject(const struct request *r, const char *fallback)
{
	g_autofree char *orig = reply_safe_subject(r->subject, REPLY_SUBJECT_MAX);
	const char *ref = r->ref != NULL ? r->ref : "";
	gboolean has_re = g_ascii_strncasecmp(orig, "re:", 3) == 0 ||
	    g_ascii_strncasecmp(orig, "re :", 4) == 0;
	gboolean has_ref = *ref != '\0' && strstr(orig, ref) != NULL;

	if (*orig == '\0')
		return g_strdup_printf("%s%s%s%s", fallback != NULL ? fallback :
		    "Votre message", *ref != '\0' ? " [" : "", ref,
		    *ref != '\0' ? "]" : "");
	return g_strdup_printf("%s%s%s%s%s", has_re ? "" : "Re: ", orig,
	    has_ref || *ref == '\0' ? "" : " [", has_ref ? "" : ref,
	    has_ref || *ref == '\0' ? "" : "]");
}

/* The acknowledgment or orientation reply to the sender. */
static gboolean
build_reply(const struct setup *s, const struct request *r, GPtrArray *out,
    GError **err)
{
	const struct config *cfg = s->cfg;
	const char *name = "ack", *first_name;
	enum reply_kind kind = REPLY_ACK;
	g_autofree char *lang = NULL;
	g_autofree char *to = clean_addr(r->reply_addr);
	g_autofree char *to_name = r->from_name != NULL && r->reply_addr != NULL &&
	    r->from_addr != NULL && strcmp(r->reply_addr, r->from_addr) == 0 ?
	    reply_safe_name(r->from_name) : NULL;
	g_autofree char *first = NULL, *french = NULL, *text = NULL;
	g_autofree char *subj_tpl = NULL, *subject = NULL, *content_lang = NULL;
	g_autoptr(GMimeMessage) msg = NULL;
	g_autoptr(GMimeObject) body = NULL;
	struct envelope env = { 0 };
	gboolean cyrillic;

	if (to == NULL) {
		log_warnx("%s: no usable reply address, no reply",
		    r->ref != NULL ? r->ref : "request");
		return TRUE;
	}
	if (r->reply == REPLY_ORIENTATION && r->reply_template != NULL) {
		if (templates_has(s->tpl, r->reply_template, "fr")) {
			name = r->reply_template;
			kind = REPLY_ORIENTATION;
		} else
			log_warnx("%s: template %s missing, acknowledgment "
			    "sent instead", r->ref != NULL ? r->ref : "request",
			    r->reply_template);
	}
	/* urgent: what to do now, in place of the routine promise */
	if (r->urgent && templates_has(s->tpl, "urgent", "fr")) {
		name = "urgent";
		kind = REPLY_ACK;
	}
	/* the variant when it is not the language: sr-Cyrl, sh (neutral) */
	pick_lang(s->tpl, name, kind == REPLY_ORIENTATION,
	    r->language_variant != NULL ? r->language_variant : r->language,
	    &first_name, &lang);
	cyrillic = strcmp(lang, "sr") == 0 && r->language_variant != NULL &&
	    g_ascii_strcasecmp(r->language_variant, "sr-Cyrl") == 0;
	first = cyrillic ? render_cyrillic(s, r, first_name, &subj_tpl, err) :
	    render(s, r, first_name, lang, &subj_tpl, err);
	if (first == NULL)
		return FALSE;
	if (strcmp(lang, "fr") != 0) {
		if ((french = render(s, r, name, "fr", NULL, err)) == NULL)
			return FALSE;
		text = g_strconcat(first, SEPARATOR, french, NULL);
		content_lang = g_strdup_printf("%s, fr", cyrillic ? "sr-Cyrl" :
		    lang);
	} else {
		text = g_strdup(first);
		content_lang = g_strdup("fr");
	}
	subject = reply_subject(r, subj_tpl);
	body = text_part("plain", text);
	msg = g_mime_message_new(TRUE);
	env.kind = kind;
	env.mail_from = cfg->envelope_sender != NULL ? cfg->envelope_sender : "";
	env.to = to;
	env.to_name = to_name;
	env.subject = subject;
	env.in_reply_to = r->message_id;
	env.references = r->references;
	env.language = content_lang;
	env.ref = r->ref;
	env.auto_reply = TRUE;
	g_ptr_array_add(out, finish(cfg, &env, msg, body));
	return TRUE;
}

/* The delegate's language for internal mails: the configured default. */
static const char *
staff_lang(const struct setup *s, const char *name)
{
	const char *l = s->cfg->default_language;

	return l != NULL && templates_has(s->tpl, name, l) ? l : "fr";
}

/* The original, attached as message/rfc822 with a one-line cover note. */
static gboolean
build_forwards(const struct setup *s, const struct request *r, GPtrArray *out,
    GError **err)
{
	const char *lang = staff_lang(s, "forward");
	g_autofree char *subj = NULL, *cover = NULL, *subject = NULL;
	struct mail_part part = { "message.eml", "message/rfc822", r->raw,
	    r->raw_len };
	g_autoptr(GPtrArray) parts = g_ptr_array_new();

	if (r->forwards == NULL || r->forwards->len == 0)
		return TRUE;
	if ((cover = render(s, r, "forward", lang, &subj, err)) == NULL)
		return FALSE;
	if (subj == NULL || *subj == '\0') {
		g_autofree char *o = header_sanitize(r->subject);

		subject = g_strdup_printf("Fwd: %s [%s]", o,
		    r->ref != NULL ? r->ref : "");
	} else
		subject = g_steal_pointer(&subj);
	if (r->raw != NULL && r->raw_len > 0)
		g_ptr_array_add(parts, &part);
	for (guint i = 0; i < r->forwards->len; i++) {
		const char *to = g_ptr_array_index(r->forwards, i);
		g_autoptr(GError) e = NULL;
		struct outmail *m = mail_build(s->cfg, REPLY_FORWARD, to, subject,
		    cover, NULL, parts, NULL, &e);

		if (m == NULL) {
			g_autofree char *safe = header_sanitize(to);

			log_warnx("%s: forward to \"%s\" skipped: not a plain "
			    "mail address", r->ref != NULL ? r->ref : "request",
			    safe);
			continue;
		}
		g_ptr_array_add(out, m);
	}
	return TRUE;
}

static void
put(GHashTable *vars, const char *name, const char *value)
{
	if (value != NULL)
		g_hash_table_replace(vars, g_strdup(name), g_strdup(value));
}

/* What the alert tells the delegate: the whole text, the labels, why. */
static void
add_alert_vars(GHashTable *v, const struct setup *s, const struct request *r)
{
	const struct topic_def *t = r->topic != NULL && s->rules != NULL ?
	    ruleset_topic(s->rules, r->topic) : NULL;
	const struct domain_def *d = r->domain != NULL && s->rules != NULL ?
	    ruleset_domain(s->rules, r->domain) : NULL;
	g_autoptr(GString) labels = g_string_new(NULL);
	g_autoptr(GString) hits = g_string_new(NULL);
	g_autofree char *to = clean_addr(r->reply_to != NULL ? r->reply_to :
	    r->from_addr);
	const char *txt = r->text != NULL ? r->text : r->text_clean;

	if (t != NULL || r->topic != NULL)
		g_string_append_printf(labels, "Thème : %s\n", label_topic(s, t != NULL ?
		    t->code : r->topic));
	if (d != NULL || r->domain != NULL)
		g_string_append_printf(labels, "Domaine : %s\n", label_domain(s, d != NULL ?
		    d->code : r->domain));
	if (r->language != NULL)
		g_string_append_printf(labels, "Langue : %s\n", label_language(r->language));
	if (r->commune != NULL)
		g_string_append_printf(labels, "Commune : %s\n", r->commune);
	if (r->requester != NULL)
		g_string_append_printf(labels, "Demandeur : %s\n", label_requester(s, r->requester));
	put(v, "labels", labels->str);
	for (guint i = 0; r->hits != NULL && i < r->hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(r->hits, i);

		if (!g_str_has_prefix(h->rule, "urgent") &&
		    !g_str_has_prefix(h->rule, "family-"))
			continue;
		g_string_append_printf(hits, "- %s%s%s\n", h->rule,
		    h->words != NULL ? " : " : "", h->words != NULL ? h->words : "");
	}
	/* the learned model's safety net (classify.c) */
	if (r->urgent && r->why[WHY_URGENT].by != NULL &&
	    strstr(r->why[WHY_URGENT].by, "model") != NULL)
		g_string_append_printf(hits, "- le modèle appris la juge urgente "
		    "(probabilité %.0f %%)\n", 100.0 * r->why[WHY_URGENT].model_p[0]);
	if (hits->len == 0 && r->urgent)
		g_string_append(hits, "- marquée urgente (sans règle nommée)\n");
	put(v, "hits", hits->str);
	put(v, "reply_addr", to);
	if (txt != NULL) {
		g_autofree char *valid = g_utf8_make_valid(txt, -1);

		put(v, "text", valid);
	}
}

gboolean
reply_build_alerts(const struct setup *s, const struct request *r,
    gint64 reminder_of, GPtrArray *out, GError **err)
{
	const char *lang = staff_lang(s, "notice");
	g_autoptr(GHashTable) vars = reply_vars(s, r, lang, FALSE);
	g_autofree char *subj = NULL, *text = NULL;
	g_autofree char *reply_to = clean_addr(r->reply_to != NULL ? r->reply_to :
	    r->from_addr);
	char **to = s->cfg->notify_urgent;

	add_alert_vars(vars, s, r);
	if (reminder_of > 0) {
		g_autofree char *when = template_date(reminder_of, lang,
		    s->cfg->timezone);

		put(vars, "reminder", "reminder");
		put(vars, "alerted", when);
	}
	if ((text = template_render(s->tpl, "notice", lang, vars, &subj, err)) == NULL)
		return FALSE;
	if (subj == NULL || *subj == '\0') {
		g_free(subj);
		subj = g_strdup_printf("[URGENT] %s", r->ref != NULL ? r->ref : "");
	}
	for (; to != NULL && *to != NULL; to++) {
		g_autofree char *addr = clean_addr(*to);
		g_autoptr(GMimeMessage) msg = g_mime_message_new(TRUE);
		g_autoptr(GMimeObject) body = text_part("plain", text);
		struct envelope env = { 0 };

		if (addr == NULL)
			continue;
		env.kind = REPLY_NOTICE;
		env.mail_from = s->cfg->contact_addr;
		env.to = addr;
		env.subject = subj;
		env.ref = r->ref;
		/* answering the alert answers the person (guichet-templates(5)) */
		env.reply_to = reply_to;
		env.language = lang;
		g_ptr_array_add(out, finish(s->cfg, &env, msg, body));
	}
	return TRUE;
}

gboolean
reply_build_all(const struct setup *s, const struct request *r,
    GPtrArray *out, GError **err)
{
	if (s == NULL || s->cfg == NULL || s->tpl == NULL) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "replies need the configuration and the templates");
		return FALSE;
	}
	if (reply_kind_is_auto(r->reply) && !r->followup && !r->is_command &&
	    !build_reply(s, r, out, err))
		return FALSE;
	if (!build_forwards(s, r, out, err))
		return FALSE;
	if (r->urgent && !r->followup && !reply_build_alerts(s, r, 0, out, err))
		return FALSE;
	return TRUE;
}
/* The first text/plain part of a parsed message, decoded. */
static char *
first_text(GMimeObject *o)
{
	if (GMIME_IS_MULTIPART(o)) {
		for (int i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(o)); i++) {
			char *t = first_text(g_mime_multipart_get_part(GMIME_MULTIPART(o), i));

			if (t != NULL)
				return t;
		}
		return NULL;
	}
	if (GMIME_IS_TEXT_PART(o)) {
		GMimeContentType *ct = g_mime_object_get_content_type(o);

		if (g_mime_content_type_is_type(ct, "text", "plain"))
			return g_mime_text_part_get_text(GMIME_TEXT_PART(o));
	}
	return NULL;
}

gboolean
reply_mail_view(const struct outmail *m, char **to, char **subject, char **headers,
    char **text)
{
	g_autoptr(GMimeStream) st = g_mime_stream_mem_new_with_buffer(m->data, m->len);
	g_autoptr(GMimeParser) p = g_mime_parser_new_with_stream(st);
	g_autoptr(GMimeMessage) msg = g_mime_parser_construct_message(p, NULL);
	GString *h;
	const char *const names[] = { "From", "To", "Reply-To", "Subject",
	    "Auto-Submitted", "Content-Language", "X-Guichet-Ref" };

	if (msg == NULL)
		return FALSE;
	h = g_string_new(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), names[i]);
		g_autofree char *dec = NULL;

		if (v == NULL && strcmp(names[i], "Content-Language") == 0 &&
		    g_mime_message_get_mime_part(msg) != NULL)
			v = g_mime_object_get_header(g_mime_message_get_mime_part(msg),
			    names[i]);
		if (v == NULL)
			continue;
		dec = g_mime_utils_header_decode_text(NULL, v);
		g_string_append_printf(h, "%s: %s\n", names[i], dec != NULL ? dec : v);
	}
	*headers = g_string_free(h, FALSE);
	*to = g_strdup(m->rcpt);
	*subject = g_strdup(g_mime_message_get_subject(msg) != NULL ?
	    g_mime_message_get_subject(msg) : "");
	*text = msg != NULL && g_mime_message_get_mime_part(msg) != NULL ?
	    first_text(g_mime_message_get_mime_part(msg)) : NULL;
	if (*text == NULL)
		*text = g_strdup("");
	return TRUE;
}
