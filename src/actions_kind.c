/*
 * actions_kind.c: the delegate's corrections of a mail's kind (kind.h),
 * verbs of the action table (actions.c), by command line and by mail:
 *   promote N|REF [accuser]   (#demande)     count a stored mail as a request
 *   demote  REF [GENRE]       (#pasdemande)  a request that is not one
 * Both are events in the request's history; `reclassify` and the kind
 * stage of an upgrade never undo them.  A promoted mail gets a fresh
 * reference with the time it arrived and is acknowledged only when asked
 * ("accuser"); a demoted request leaves every figure at once and its
 * reference is never given again.
 */
#include <stdlib.h>
#include <string.h>
#include "actions_priv.h"
#include "kind.h"
#include "lang.h"
#include "parse.h"
#include "reply.h"
#include "store_kind.h"
#include "viewfmt.h"

#define CORRECTED	"corrected by the delegate"

/* "123", "n°123", "#123", "no123" as a message number; 0 when not one. */
static gint64
mail_number(const char *w)
{
	char *end;
	gint64 n;

	if (g_str_has_prefix(w, "n°"))
		w += strlen("n°");
	else if (*w == '#' || g_ascii_strncasecmp(w, "no", 2) == 0)
		w += *w == '#' ? 1 : 2;
	if (!g_ascii_isdigit(*w))
		return 0;
	n = g_ascii_strtoll(w, &end, 10);
	return *end == '\0' && n > 0 ? n : 0;
}

static gboolean
wants_ack(struct actx *x)
{
	static const char *const yes[] = { "accuser", "ack", "accusé", "accuse",
	    "bestätigen", "bestaetigen", NULL };

	for (guint i = 1; i < x->pos->len; i++)
		if (g_strv_contains(yes, g_ptr_array_index(x->pos, i)))
			return TRUE;
	return FALSE;
}

/* Labels, language and addresses of a stored mail, read again from its bytes. */
static struct request *
classify_stored(const struct setup *setup, const struct stored_mail *m)
{
	gsize len = m->raw != NULL ? g_bytes_get_size(m->raw) : 0;
	guint8 *raw = len > 0 ? g_memdup2(g_bytes_get_data(m->raw, NULL), len) : NULL;
	struct request *r = request_new("promote", raw, len);
	struct langid *lang;

	if (raw != NULL && parse_request(r, setup->cfg->max_message_size, NULL)) {
		if ((lang = langid_new(NULL)) != NULL) {
			langid_detect(lang, r, setup->cfg->default_language);
			langid_free(lang);
		}
		if (setup->rules != NULL)
			ruleset_apply(setup->rules, r);
	} else {
		/* Purged: what the row still says. */
		request_set(&r->from_addr, m->from_addr);
		request_set(&r->from_name, m->from_name);
		request_set(&r->subject, m->subject);
	}
	if (r->language == NULL)
		request_set(&r->language, "und");
	r->kind = m->kind;
	r->kind_set = TRUE;
	return r;
}

/* Queue the acknowledgment (and what else a request causes) of r. */
static gboolean
queue_ack(struct actx *x, struct request *r, GError **err)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)outmail_free);

	r->reply = REPLY_ACK;
	request_set(&r->reply_reason, "acknowledgment asked by the delegate");
	if (r->from_addr == NULL || !reply_build_all(x->setup, r, out, err))
		return r->from_addr == NULL ? TRUE : FALSE;
	for (guint i = 0; i < out->len; i++)
		if (!store_outbox_add(x->st, r->request_id, g_ptr_array_index(out, i), x->now, err))
			return FALSE;
	return store_set_reply(x->st, r, err);
}

static gboolean
promote_request(struct actx *x, const char *ref, gint64 id, GError **err)
{
	if (store_request_kind(x->st, id) == MAIL_REQUEST) {
		g_string_append_printf(x->out, "%s est déjà comptée comme demande.\n", ref);
		return TRUE;
	}
	if (!store_set_request_kind(x->st, id, MAIL_REQUEST, CORRECTED, x->now, err))
		return FALSE;
	g_string_append_printf(x->out, "%s est de nouveau comptée comme demande.\n", ref);
	return TRUE;
}

gboolean
kind_promote(struct actx *x, GError **err)
{
	const char *w = g_ptr_array_index(x->pos, 0);
	gint64 n = mail_number(w), id;
	struct stored_mail *m;
	struct request *r;
	g_autofree char *when = NULL;
	gboolean ok;

	if (n == 0) {
		if ((id = actx_request(x, w, err)) <= 0)
			return FALSE;
		return promote_request(x, w, id, err);
	}
	if ((m = store_stored_mail(x->st, n)) == NULL) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_NOTFOUND,
		    "pas de courriel reçu n° %ld", (long)n);
		return FALSE;
	}
	if (m->request_id > 0) {
		/* Part of a request already: count that request again if it was not. */
		g_autofree char *ref = store_kind_request_ref(x->st, m->request_id);

		id = m->request_id;
		stored_mail_free(m);
		if (ref == NULL) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
			    "courriel n° %ld : demande introuvable", (long)n);
			return FALSE;
		}
		return promote_request(x, ref, id, err);
	}
	if (m->kind == MAIL_COMMAND && m->raw == NULL) {
		stored_mail_free(m);
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
		    "le courriel n° %ld est une commande exécutée, pas une demande", (long)n);
		return FALSE;
	}
	r = classify_stored(x->setup, m);
	r->reply = REPLY_NONE;
	request_set(&r->reply_reason, "promoted by the delegate, no acknowledgment asked");
	ok = store_promote_message(x->st, n, r, m->received, CORRECTED, x->now, err) &&
	    (!wants_ack(x) || queue_ack(x, r, err));
	when = view_time(m->received, x->tz, "%d.%m.%Y %H:%M");
	if (ok)
		g_string_append_printf(x->out, "Courriel n° %ld (reçu le %s) compté comme "
		    "demande : %s%s.\n", (long)n, when, r->ref,
		    wants_ack(x) ? ", accusé de réception en attente d'envoi" : "");
	request_free(r);
	stored_mail_free(m);
	return ok;
}

gboolean
kind_demote(struct actx *x, GError **err)
{
	const char *ref = g_ptr_array_index(x->pos, 0);
	const char *word = x->pos->len > 1 ? g_ptr_array_index(x->pos, 1) : "robot";
	static const char *const names[][2] = {
		{ "robot", "robot" }, { "automatique", "robot" }, { "spam", "spam" },
		{ "pourriel", "spam" }, { "own", "own" }, { "delegation", "own" },
		{ "délégation", "own" }, { "suite", "followup" }, { "followup", "followup" },
	};
	enum mail_kind k = MAIL_KIND_N;
	gint64 id;

	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_ascii_strcasecmp(word, names[i][0]) == 0)
			mail_kind_from_str(names[i][1], &k);
	if (k == MAIL_KIND_N) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
		    "genre inconnu : %s (robot, pourriel, delegation ou suite)", word);
		return FALSE;
	}
	if ((id = actx_request(x, ref, err)) <= 0)
		return FALSE;
	if (store_request_kind(x->st, id) != MAIL_REQUEST) {
		g_string_append_printf(x->out, "%s n'est déjà pas comptée comme demande.\n", ref);
		return TRUE;
	}
	if (!store_set_request_kind(x->st, id, k, CORRECTED, x->now, err))
		return FALSE;
	g_string_append_printf(x->out, "%s n'est plus comptée comme demande (%s) ; sa "
	    "référence ne sera pas réutilisée.\n", ref, mail_kind_fr(k));
	return TRUE;
}
