/*
 * decide.c: may guichet answer this message automatically?  RFC 3834
 * (Auto-Submitted, Precedence, lists), delivery and read reports, the
 * auto-replies of the common mail programs, our own mail coming back, and
 * the per-sender and hourly caps.  No I/O.
 */
#include <string.h>
#include "decide.h"
#include "recipient.h"
#include "vocab.h"

/* Local parts (lower case) that only robots use, compared whole. */
static const char *const robot_locals[] = {
	"mailer-daemon", "mailer_daemon", "mailerdaemon", "mail-daemon",
	"maildaemon", "postmaster", "post_master", "post-master", "noreply",
	"no-reply", "no_reply", "no.reply", "donotreply", "do-not-reply",
	"do_not_reply", "do.not.reply", "dontreply", "nepasrepondre",
	"ne-pas-repondre", "ne_pas_repondre", "nicht-antworten",
	"nichtantworten", "keine-antwort", "noanswer", "no-answer", "bounce",
	"bounces", "listserv", "majordomo", "mailman", "sympa", "autoreply",
	"auto-reply", "autoresponder", "daemon", "mdaemon", NULL
};

/*
 * Prefixes of local parts that only robots use; the prefix must be followed
 * by the end or one of "-+._=" so "norbert" or "bouncer" stay people.
 */
static const char *const robot_prefixes[] = {
	"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply",
	"do_not_reply", "bounce", "bounces", "mailer-daemon", "owner",
	"ne-pas-repondre", "nepasrepondre", "autoreply", "auto-reply", NULL
};

/* Suffixes of local parts used by list managers. */
static const char *const robot_suffixes[] = {
	"-request", "-owner", "-bounces", "-bounce", "-admin", "-noreply",
	".noreply", "_noreply", "-no-reply", ".no-reply", "_no-reply",
	"-donotreply", ".donotreply", "-notifications", "-notification", NULL
};

/*
 * Subjects of automatic replies, matched anywhere in the subject, both
 * sides casefolded and without accents.  Only phrases a person would not
 * write.
 */
static const char *const ooo_anywhere[] = {
	/* auto-replies, English and the region's languages */
	"automatic reply", "auto reply", "autoreply", "auto-reply",
	"automated reply", "automatic response", "auto response",
	"auto-response", "autoresponse", "out of office", "out of the office",
	"out-of-office", "reponse automatique", "message d'absence",
	"absent du bureau", "absente du bureau", "absent(e) du bureau",
	"abwesenheitsnotiz", "automatische antwort", "abwesenheitsmeldung",
	"abwesenheits-notiz", "nicht im buro", "risposta automatica",
	"messaggio di assenza", "resposta automatica", "mensagem de ausencia",
	"fora do escritorio", "respuesta automatica", "fuera de la oficina",
	"mensaje de ausencia", "absent jusqu", "absente jusqu",
	"abwesend bis", "im urlaub bis", "fuori sede fino", "fuori ufficio",
	"assente fino", "in ferie fino", "ausente hasta", "ausente ate",
	"en vacances jusqu", "on vacation until",
	/* the languages of the people who write here */
	"otomatik yanit", "otomatik yanıt", "otomatik cevap", "ofis disinda",
	"ofis dışında", "automatski odgovor", "аутоматски одговор",
	"automatska poruka", "pergjigje automatike", "pergjigjja automatike",
	"автоматический ответ", "автоматична відповідь", "پاسخ خودکار",
	"رد تلقائي", "الرد التلقائي", "رد آلي",
	/* other mail programs' languages */
	"automatisch antwoord", "automatische antwoord", "automatisk svar",
	"autosvar", "automaattinen vastaus", "automatyczna odpowiedz",
	"automaticka odpoved", "automatikus valasz", "raspuns automat",
	"αυτοματη απαντηση", "自动回复", "自動回覆", "自動返信", "自動応答",
	"vacation reply", "vacation auto", "vacation response",
	/* delivery failures */
	"undeliverable:", "undeliverable mail", "undelivered mail",
	"mail delivery failed", "delivery status notification",
	"delivery notification", "returned mail:", "returned mail -",
	"delivery failure", "failure notice", "mail delivery subsystem",
	"mail delivery system", "non-delivery", "nondeliverable",
	"non delivery report", "could not send message for past",
	"delivery delayed", "mail system error",
	"unzustellbar", "nicht zustellbar", "zustellung fehlgeschlagen",
	"non recapitabile", "non recapitato", "echec de la remise",
	"echec de remise", "non distribuable", "rapport de non-remise",
	"nao foi possivel entregar", "no se puede entregar",
	"message not delivered", "delivery has failed",
	"complaint about message from", NULL
};

/*
 * Subjects of automatic replies, delivery and read reports: matched only at
 * the start.  "Auto:", "Absence :", "Abwesend:" or "Ferie:" are left out on
 * purpose: "Auto: Führerausweis umschreiben" or "Absence : cours du 3
 * décembre" are questions people send here.
 */
static const char *const ooo_start[] = {
	"automatic:", "ooo:", "ooo -", "afwezig:", "read:", "lu :", "lu:",
	"gelesen:", "letto:", "lido:", "leido:", "gelezen:", "not read:",
	"non lu :", "ungelesen:", "nicht gelesen:", "read receipt",
	"accuse de lecture", "lesebestatigung", "conferma di lettura",
	"non remis :", "non remis:", "delivery failure:", "returned mail",
	"warning: message", "warning: could not send", NULL
};

/* Lower case, accents removed (NFD, combining marks dropped). */
static char *
fold(const char *s)
{
	g_autofree char *cf = NULL, *nfd = NULL;
	GString *o;

	if (s == NULL)
		return g_strdup("");
	if (!g_utf8_validate(s, -1, NULL))
		return g_ascii_strdown(s, -1);
	cf = g_utf8_casefold(s, -1);
	nfd = g_utf8_normalize(cf, -1, G_NORMALIZE_NFD);
	if (nfd == NULL)
		return g_steal_pointer(&cf);
	o = g_string_sized_new(strlen(nfd));
	for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_type(c) == G_UNICODE_NON_SPACING_MARK)
			continue;
		if (c == 0xa0 || c == '\t')	/* NBSP: "Auto :" in French */
			c = ' ';
		g_string_append_unichar(o, c);
	}
	return g_string_free(o, FALSE);
}

static gboolean
same_addr(const char *a, const char *b)
{
	return a != NULL && b != NULL && *a != '\0' &&
	    g_ascii_strcasecmp(a, b) == 0;
}

/* Is addr one of ours (contact, delegates, envelope sender)? */
static gboolean
own_address(const struct config *cfg, const char *addr)
{
	if (addr == NULL || cfg == NULL)
		return FALSE;
	if (same_addr(addr, cfg->contact_addr) ||
	    same_addr(addr, cfg->delegate_addr) ||
	    same_addr(addr, cfg->envelope_sender) ||
	    same_addr(addr, cfg->digest_to))
		return TRUE;
	for (char **d = cfg->delegate_addrs; d != NULL && *d != NULL; d++)
		if (same_addr(addr, *d))
			return TRUE;
	return FALSE;
}

/* Does the local part of addr belong to a robot? */
static gboolean
robot_address(const char *addr)
{
	g_autofree char *local = NULL;
	const char *at;
	gsize n;

	if (addr == NULL || *addr == '\0')
		return FALSE;
	at = strrchr(addr, '@');
	local = g_ascii_strdown(addr, at != NULL ? at - addr : -1);
	/* SRS-rewritten bounces keep the original local part at the end */
	n = strlen(local);
	for (int i = 0; robot_locals[i] != NULL; i++)
		if (strcmp(local, robot_locals[i]) == 0)
			return TRUE;
	for (int i = 0; robot_prefixes[i] != NULL; i++) {
		gsize k = strlen(robot_prefixes[i]);

		if (strncmp(local, robot_prefixes[i], k) == 0 &&
		    strchr("-+._=", local[k]) != NULL && local[k] != '\0')
			return TRUE;
	}
	for (int i = 0; robot_suffixes[i] != NULL; i++) {
		gsize k = strlen(robot_suffixes[i]);

		if (n > k && strcmp(local + n - k, robot_suffixes[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Does a header value hold one of the comma-separated tokens? */
static gboolean
has_token(const char *value, const char *const *tokens)
{
	g_auto(GStrv) parts = NULL;

	if (value == NULL)
		return FALSE;
	parts = g_strsplit_set(value, ",; \t", -1);
	for (int i = 0; parts[i] != NULL; i++)
		for (int j = 0; tokens[j] != NULL; j++)
			if (g_ascii_strcasecmp(parts[i], tokens[j]) == 0)
				return TRUE;
	return FALSE;
}

/* The subject patterns, folded once. */
static GPtrArray *
folded(const char *const *list)
{
	GPtrArray *a = g_ptr_array_new();

	for (int i = 0; list[i] != NULL; i++)
		g_ptr_array_add(a, fold(list[i]));
	return a;
}

/* Subject of an automatic reply, a bounce or a read receipt? */
static gboolean
robot_subject(const char *subject)
{
	static GPtrArray *anywhere, *start;
	g_autofree char *f = fold(subject);
	const char *s = f;

	if (g_once_init_enter(&anywhere)) {
		start = folded(ooo_start);
		/* cppcheck-suppress leakNoVarFunctionCall ; kept for the life of the process */
		g_once_init_leave(&anywhere, folded(ooo_anywhere));
	}
	for (guint i = 0; i < anywhere->len; i++)
		if (strstr(f, g_ptr_array_index(anywhere, i)) != NULL)
			return TRUE;
	while (*s == ' ')
		s++;
	for (guint i = 0; i < start->len; i++)
		if (g_str_has_prefix(s, g_ptr_array_index(start, i)))
			return TRUE;
	return FALSE;
}

/* Any header whose name starts with prefix (case-insensitive)? */
static gboolean
header_with_prefix(const struct request *r, const char *prefix)
{
	gsize k = strlen(prefix);

	for (guint i = 0; r->headers != NULL && i < r->headers->len; i++) {
		const struct header *h = g_ptr_array_index(r->headers, i);

		if (h->name != NULL && g_ascii_strncasecmp(h->name, prefix, k) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Does a Message-ID look like one reply_message_id() made for us? */
static gboolean
own_message_id(const struct config *cfg, const char *mid)
{
	const char *at, *cat;

	if (mid == NULL || cfg == NULL || cfg->contact_addr == NULL ||
	    !g_str_has_prefix(mid, "guichet."))
		return FALSE;
	at = strrchr(mid, '@');
	cat = strrchr(cfg->contact_addr, '@');
	return at != NULL && cat != NULL && g_ascii_strcasecmp(at, cat) == 0;
}

gboolean
decide_is_robot(const struct config *cfg, const struct request *r,
    const char **reason)
{
	static const char *const suppress[] = { "OOF", "All", "AutoReply", NULL };
	static const char *const bulk[] = { "bulk", "junk", "list",
	    "auto_reply", "auto-reply", "autoreply", NULL };
	const char *why = NULL, *v;

	if (r->auto_submitted != NULL) {
		g_autofree char *a = g_ascii_strdown(r->auto_submitted, -1);

		g_strstrip(a);
		if (!g_str_has_prefix(a, "no") || (a[2] != '\0' &&
		    a[2] != ';' && a[2] != ' ' && a[2] != '('))
			why = g_str_has_prefix(a, "auto-replied") ?
			    "auto-submitted: auto-replied" :
			    g_str_has_prefix(a, "auto-generated") ?
			    "auto-submitted: auto-generated" :
			    g_str_has_prefix(a, "auto-notified") ?
			    "auto-submitted: auto-notified" : "auto-submitted";
	}
	if (why == NULL && (r->is_report ||
	    ((v = request_header(r, "Content-Type")) != NULL &&
	    (strstr(v, "multipart/report") != NULL ||
	    strstr(v, "message/delivery-status") != NULL ||
	    strstr(v, "message/disposition-notification") != NULL))))
		why = "bounce (multipart/report)";
	if (why == NULL && (request_header(r, "X-Failed-Recipients") != NULL ||
	    request_header(r, "X-MS-Exchange-Message-Is-Ndr") != NULL))
		why = "bounce (delivery failure)";
	if (why == NULL && r->has_return_path && r->return_path != NULL &&
	    *r->return_path == '\0')
		why = "bounce (empty Return-Path)";
	if (why == NULL && (r->has_list_header || header_with_prefix(r, "List-") ||
	    request_header(r, "X-Mailing-List") != NULL ||
	    request_header(r, "Mailing-List") != NULL ||
	    request_header(r, "X-Mailman-Version") != NULL ||
	    request_header(r, "X-BeenThere") != NULL ||
	    request_header(r, "X-Google-Group-Id") != NULL ||
	    request_header(r, "X-Listprocessor-Version") != NULL ||
	    request_header(r, "X-Ecartis-Version") != NULL ||
	    request_header(r, "X-List") != NULL))
		why = "list mail";
	if (why == NULL && (has_token(r->precedence, bulk) ||
	    has_token(request_header(r, "X-Precedence"), bulk)))
		why = "precedence: bulk/junk/list";
	if (why == NULL && (r->x_autoreply ||
	    request_header(r, "X-Autoreply") != NULL ||
	    request_header(r, "X-Autorespond") != NULL ||
	    request_header(r, "X-Autogenerated") != NULL ||
	    request_header(r, "X-AutoReply-From") != NULL ||
	    request_header(r, "X-Mail-Autoreply") != NULL ||
	    request_header(r, "X-Auto-Reply") != NULL ||
	    request_header(r, "X-Auto-Response") != NULL ||
	    request_header(r, "X-FC-MachineGenerated") != NULL ||
	    request_header(r, "X-Cron-Env") != NULL ||
	    ((v = request_header(r, "X-POST-MessageClass")) != NULL &&
	    g_ascii_strncasecmp(v, "9", 1) == 0) ||
	    ((v = request_header(r, "Delivered-To")) != NULL &&
	    g_ascii_strcasecmp(v, "Autoresponder") == 0) ||
	    request_header(r, "X-MS-Exchange-Generated-Message-Source") != NULL))
		why = "x-autoreply header";
	if (why == NULL && has_token(r->x_auto_response_suppress != NULL ?
	    r->x_auto_response_suppress :
	    request_header(r, "X-Auto-Response-Suppress"), suppress))
		why = "x-auto-response-suppress";
	if (why == NULL && (own_address(cfg, r->from_addr) ||
	    own_address(cfg, r->reply_to) ||
	    own_address(cfg, r->return_path)))
		why = "our own address";
	if (why == NULL && (own_message_id(cfg, r->message_id) ||
	    ((v = request_header(r, "X-Loop")) != NULL && cfg != NULL &&
	    cfg->contact_addr != NULL &&
	    strstr(v, cfg->contact_addr) != NULL)))
		why = "our own message";
	if (why == NULL && (robot_address(r->from_addr) ||
	    robot_address(r->reply_to) || robot_address(r->return_path)))
		why = "robot sender";
	if (why == NULL && robot_subject(r->subject))
		why = "automatic reply (subject)";

	if (reason != NULL)
		*reason = why;
	return why != NULL;
}

const char *
decide_own_reason(const struct config *cfg, const struct request *r)
{
	const char *v;

	if (own_address(cfg, r->from_addr) || own_address(cfg, r->reply_to) ||
	    own_address(cfg, r->return_path))
		return "our own address";
	if (own_message_id(cfg, r->message_id) ||
	    ((v = request_header(r, "X-Loop")) != NULL && cfg != NULL &&
	    cfg->contact_addr != NULL && strstr(v, cfg->contact_addr) != NULL))
		return "our own message";
	return NULL;
}

static void
refuse(struct request *r, const char *why)
{
	r->reply = REPLY_NONE;
	request_set(&r->reply_reason, why);
}

static void
decide_routine(const struct config *cfg, struct request *r,
    const struct reply_facts *facts)
{
	const char *why = NULL;

	if (r->followup) {
		refuse(r, "follow-up");
		return;
	}
	if (r->is_command) {
		refuse(r, "command mail");
		return;
	}
	if (r->status == REQ_QUARANTINED || r->status == REQ_DUPLICATE) {
		refuse(r, r->status == REQ_DUPLICATE ? "duplicate" :
		    "quarantined");
		return;
	}
	if (decide_is_robot(cfg, r, &why)) {
		refuse(r, why);
		return;
	}
	if (facts != NULL && facts->own_message) {
		refuse(r, "our own message");
		return;
	}
	if (r->reply == REPLY_NONE) {
		if (r->reply_reason == NULL)
			request_set(&r->reply_reason, "rule: no reply");
		return;
	}
	/* only where the sender is shown to be (recipient.h) */
	recipient_choose(cfg, r);
	if (r->reply_addr == NULL) {
		g_autofree char *s = g_strdup_printf("no reply address: %s",
		    r->reply_addr_why != NULL ? r->reply_addr_why : "none");

		refuse(r, s);
		return;
	}
	if (facts != NULL && cfg != NULL && cfg->reply_cap_per_sender > 0 &&
	    facts->sender_24h >= cfg->reply_cap_per_sender) {
		g_autofree char *s = g_strdup_printf("sender cap: %d replies "
		    "in 24 h", facts->sender_24h);

		refuse(r, s);
		return;
	}
	if (facts != NULL && cfg != NULL && cfg->reply_cap_per_domain > 0 &&
	    facts->domain_24h >= cfg->reply_cap_per_domain) {
		g_autofree char *dom = addr_domain(r->reply_addr);

		if (!recipient_domain_exempt(cfg, dom)) {
			g_autofree char *s = g_strdup_printf("domain cap: %d replies "
			    "to %s in 24 h", facts->domain_24h, dom != NULL ? dom : "?");

			refuse(r, s);
			return;
		}
	}
	if (facts != NULL && cfg != NULL && cfg->reply_cap_per_hour > 0 &&
	    facts->global_1h >= cfg->reply_cap_per_hour) {
		g_autofree char *s = g_strdup_printf("hourly cap: %d replies "
		    "in the last hour", facts->global_1h);

		refuse(r, s);
		return;
	}
	if (r->reply == REPLY_ORIENTATION &&
	    r->reply_template != NULL) {
		if (r->reply_reason == NULL) {
			g_autofree char *s = g_strdup_printf("orientation: %s",
			    r->reply_template);

			request_set(&r->reply_reason, s);
		}
	} else {
		r->reply = REPLY_ACK;
		if (r->reply_reason == NULL)
			request_set(&r->reply_reason, "acknowledgment");
	}
	if (r->reply_addr_note != NULL) {
		g_autofree char *s = g_strdup_printf("%s (%s)", r->reply_reason,
		    r->reply_addr_note);

		request_set(&r->reply_reason, s);
	}
}

void
decide_reply(const struct config *cfg, struct request *r,
    const struct reply_facts *facts)
{
	decide_routine(cfg, r, facts);
	/* An urgent request gets what to do now, never a routine promise. */
	if (r->urgent && !r->followup &&
	    (r->reply == REPLY_ACK || r->reply == REPLY_ORIENTATION)) {
		r->reply = REPLY_ACK;
		request_set(&r->reply_reason, "urgent acknowledgment");
	}
}
