/*
 * kind.c: what an inbound mail is (see kind.h and guichet-kinds(7)).
 *
 * Order of the decision, first match wins:
 *   command   mailcmd.c took it for a delegate's command (obeyed or refused)
 *   own       from guichet, the contact, digest or a delegate address
 *   spam      the receiving server's verdict (SpamAssassin, rspamd, the
 *             configured header), or several spam signals together
 *   robot     every RFC 3834 signal of decide.c, plus delivery and read
 *             receipts without report headers, calendar invitations, and
 *             newsletters without List-* headers (several signals together)
 *   followup  names an open request (reference, In-Reply-To, References),
 *             a thank-you answering our acknowledgment, or the flood rule
 *   request   everything else: when in doubt, a person.
 * Content signals never decide alone: a person who writes "unsubscribe"
 * or "lottery" stays a person.
 *
 * This file decides; the signals are read beside it: kind_spam.c (spam),
 * kind_robot.c (receipts, invitations, newsletters), kind_thanks.c
 * (a thank-you that asks nothing).
 */
#include <string.h>
#include "decide.h"
#include "fold.h"
#include "kind.h"
#include "kind_int.h"

const char *
kind_reason_fr(const char *why)
{
	static const char *const fr[][2] = {
		{ "auto-submitted", "réponse ou message automatique (Auto-Submitted)" },
		{ "bounce", "avis de non-remise" },
		{ "list mail", "liste de diffusion" },
		{ "precedence", "envoi en nombre (Precedence)" },
		{ "x-autoreply", "réponse automatique" },
		{ "x-auto-response", "réponse automatique" },
		{ "robot sender", "adresse d'un robot (noreply, mailer-daemon...)" },
		{ "automatic reply", "réponse automatique (sujet)" },
		{ "our own", "envoyé par la délégation ou par le guichet" },
		{ "calendar", "invitation d'agenda" },
		{ "delivery or read", "accusé de lecture ou de remise" },
		{ "newsletter", "lettre d'information" },
		{ "spam signals", "signes de pourriel" },
		{ "server verdict", "pourriel selon le serveur de messagerie" },
		{ "command mail refused", "commande refusée" },
		{ "command mail", "commande exécutée" },
	};

	for (gsize i = 0; why != NULL && i < G_N_ELEMENTS(fr); i++)
		if (g_str_has_prefix(why, fr[i][0]))
			return fr[i][1];
	return why != NULL ? why : "";
}

/*
 * A folded phrase list, built once: " w1 w2 " strings, found in folded
 * text (" w1 w2 w3 ", fold.h).  Such a phrase can only occur where a
 * space of the text is followed by its first word and a space, so the
 * text's words are read once and each is looked up among the first words
 * (first), instead of one strstr() over the whole text per phrase: that
 * was a fifth of ingest's time with the spam and newsletter lists.  A
 * phrase of another form (no word) is still looked for with strstr().
 * The result is the same as strstr() for every phrase.
 */
#define FIRST_MAX	64	/* longer first words: strstr() */

struct kind_phrases {
	GPtrArray	*all;		/* char *, in list order */
	GHashTable	*first;		/* first word (owned) -> GArray of guint indexes */
	GArray		*other;		/* indexes looked for with strstr() */
	gsize		 first_max;	/* the longest first word */
};

struct kind_phrases *
kind_phrases(const char *const *list)
{
	struct kind_phrases *pl = g_new0(struct kind_phrases, 1);

	pl->all = g_ptr_array_new();
	pl->first = g_hash_table_new(g_str_hash, g_str_equal);
	pl->other = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint i = 0; list[i] != NULL; i++) {
		GString *f = g_string_new(NULL);
		const char *w, *e;

		fold_text(f, list[i], -1);
		g_ptr_array_add(pl->all, g_string_free(f, FALSE));
		w = (const char *)g_ptr_array_index(pl->all, i) + 1;
		e = strchr(w, ' ');
		if (w[-1] != ' ' || e == NULL || e == w || (gsize)(e - w) > FIRST_MAX) {
			g_array_append_val(pl->other, i);
		} else {
			char *key = g_strndup(w, e - w);
			GArray *at = g_hash_table_lookup(pl->first, key);

			if (at == NULL) {
				at = g_array_new(FALSE, FALSE, sizeof(guint));
				g_hash_table_insert(pl->first, key, at);
			} else
				g_free(key);
			g_array_append_val(at, i);
			pl->first_max = MAX(pl->first_max, (gsize)(e - w));
		}
	}
	return pl;
}

guint
kind_phrases_len(const struct kind_phrases *pl)
{
	return pl->all->len;
}

const char *
kind_phrase(const struct kind_phrases *pl, guint i)
{
	return g_ptr_array_index(pl->all, i);
}

/* How many phrases of list occur in folded text f (each counted once). */
int
kind_count_phrases(const struct kind_phrases *pl, const char *f, const char **first)
{
	guint8 seen_here[512];
	guint8 *seen = pl->all->len <= sizeof seen_here ? seen_here : g_malloc(pl->all->len);
	char word[FIRST_MAX + 1];
	int n = 0;

	memset(seen, 0, pl->all->len);
	for (guint i = 0; i < pl->other->len; i++) {
		guint k = g_array_index(pl->other, guint, i);

		if (strstr(f, g_ptr_array_index(pl->all, k)) != NULL)
			seen[k] = 1;
	}
	for (const char *p = strchr(f, ' '); p != NULL; p = strchr(p + 1, ' ')) {
		const char *w = p + 1, *e = strchr(w, ' ');
		GArray *at;

		if (e == NULL)
			break;
		if (e == w || (gsize)(e - w) > pl->first_max)
			continue;
		memcpy(word, w, e - w);
		word[e - w] = '\0';
		if ((at = g_hash_table_lookup(pl->first, word)) == NULL)
			continue;
		for (guint i = 0; i < at->len; i++) {
			guint k = g_array_index(at, guint, i);
			const char *ph = g_ptr_array_index(pl->all, k);

			if (!seen[k] && strncmp(p, ph, strlen(ph)) == 0)
				seen[k] = 1;
		}
	}
	for (guint k = 0; k < pl->all->len; k++)
		if (seen[k] && n++ == 0 && first != NULL)
			*first = g_ptr_array_index(pl->all, k);
	if (seen != seen_here)
		g_free(seen);
	return n;
}

/* "Re:", "AW:", "Antw:", "R:", "RE :", "Odg:", "YNT:": an answer. */
static gboolean
answer_subject(const char *s)
{
	static const char *const pre[] = { "re:", "re :", "aw:", "antw:", "r:",
	    "odg:", "ynt:", "sv:", "vs:", "res:", "rif:", "ha:", NULL };

	if (s == NULL)
		return FALSE;
	while (*s == ' ')
		s++;
	for (int i = 0; pre[i] != NULL; i++)
		if (g_ascii_strncasecmp(s, pre[i], strlen(pre[i])) == 0)
			return TRUE;
	return FALSE;
}

/* An answer to an earlier mail: "Re:" subject, In-Reply-To or References. */
static gboolean
is_answer(const struct request *r)
{
	return answer_subject(r->subject) || (r->in_reply_to != NULL && *r->in_reply_to) ||
	    (r->references != NULL && r->references->len > 0);
}

static void
set_kind(struct request *r, enum mail_kind k, const char *why)
{
	r->kind_set = TRUE;
	r->kind = k;
	request_set(&r->kind_reason, why);
}

gboolean
kind_joins_request(const struct request *r)
{
	return r->kind_set && (r->kind == MAIL_REQUEST ||
	    (r->kind == MAIL_FOLLOWUP && r->request_id > 0));
}

void
kind_decide(const struct config *cfg, struct request *r, const struct kind_facts *facts)
{
	static const struct kind_facts none;
	const char *why;
	enum mail_kind k;
	const char *clean = r->text_clean != NULL ? r->text_clean : r->text;

	r->flood = r->thanks = FALSE;
	if (facts == NULL)
		facts = &none;
	/*
	 * A refused command mail is a command when it comes from one of our
	 * addresses (a forged or unauthenticated delegate); a person whose mail
	 * has a line such as "#aide logement" stays a person.
	 */
	if (r->is_command || (r->command_refused != NULL && decide_own_reason(cfg, r) != NULL)) {
		g_autofree char *s = r->is_command ? NULL :
		    g_strdup_printf("command mail refused: %s", r->command_refused);

		set_kind(r, MAIL_COMMAND, s != NULL ? s : "command mail of a delegate");
		return;
	}
	if ((why = decide_own_reason(cfg, r)) != NULL ||
	    (facts != NULL && facts->own_message && (why = "our own message"))) {
		set_kind(r, MAIL_OWN, why);
		return;
	}
	if ((why = kind_robot_reason(cfg, r, &k)) != NULL) {
		g_autofree char *s = facts->followup_id != 0 && r->ref != NULL ?
		    g_strdup_printf("%s, about %s", why, r->ref) : NULL;

		g_clear_pointer(&r->ref, g_free);	/* it joins no request */
		r->request_id = -1;
		set_kind(r, k, s != NULL ? s : why);
		return;
	}
	if (facts->followup_id != 0) {
		r->request_id = facts->followup_id;
		r->thanks = kind_is_thanks(clean);
		set_kind(r, MAIL_FOLLOWUP, r->thanks ?
		    "thanks or closing, answers our mail" : "names an earlier request");
		return;
	}
	/*
	 * A thank-you that answers (Re:, In-Reply-To) and asks nothing: it joins
	 * the sender's recent request, or no request at all.  A thank-you that
	 * starts a new thread stays a request (it may ask in other words).
	 */
	if (is_answer(r) && kind_is_thanks(clean)) {
		r->thanks = TRUE;
		if (facts->latest_id != 0) {
			r->request_id = facts->latest_id;
			request_set(&r->ref, facts->latest_ref);
			set_kind(r, MAIL_FOLLOWUP, "thanks or closing after the sender's request");
		} else {
			r->request_id = -1;
			set_kind(r, MAIL_FOLLOWUP, "thanks or closing, no request to join");
		}
		return;
	}
	if (cfg != NULL && cfg->flood_cap > 0 && facts->sender_recent >= cfg->flood_cap &&
	    facts->latest_open_id != 0) {
		g_autofree char *s = g_strdup_printf("flood: %d requests of this sender "
		    "within %d h", facts->sender_recent, cfg->flood_window_hours);

		r->request_id = facts->latest_open_id;
		request_set(&r->ref, facts->latest_open_ref);
		r->flood = TRUE;
		set_kind(r, MAIL_FOLLOWUP, s);
		return;
	}
	set_kind(r, MAIL_REQUEST, "a person's mail");
}
