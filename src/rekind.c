/*
 * rekind.c: after the upgrade to mail kinds (the schema step adding them), the kind
 * stage runs once over the requests already stored, so that an upgraded
 * installation's figures become right too: each request whose first mail
 * is a robot, spam, guichet's own mail or a command leaves the figures
 * with a "demoted" event ("request -> robot: upgrade: ..."), which
 * `guichet promote REF` reverses.  Requests the delegate corrected are
 * left alone.  The outcome is logged (stderr for a command, the journal
 * for the daemon).
 */
#include "kind.h"
#include "log.h"
#include "mailcmd.h"
#include "parse.h"
#include "rekind.h"
#include "store_kind.h"

struct rekind {
	struct store		*st;
	const struct setup	*setup;
	gint64			 now;
	int			 seen, moved[MAIL_KIND_N];
	GString			*refs;
};

static gboolean
one(gint64 id, const char *ref, const void *raw, gsize len, gpointer data, GError **err)
{
	struct rekind *rk = data;
	struct request *r = request_new("rekind", g_memdup2(raw, len), len);
	enum mail_kind k = MAIL_REQUEST;
	const char *why = NULL;
	gboolean ok = TRUE;

	rk->seen++;
	if (parse_request(r, rk->setup->cfg->max_message_size, NULL)) {
		mailcmd_classify(rk->setup, r);
		kind_decide(rk->setup->cfg, r, NULL);
		k = r->kind;
		why = r->kind_reason;
	}
	if (k != MAIL_REQUEST && k != MAIL_FOLLOWUP) {
		g_autofree char *detail = g_strdup_printf("upgrade: %s", why ? why : "-");

		ok = store_set_request_kind(rk->st, id, k, detail, rk->now, err);
		rk->moved[k]++;
		if (ok && rk->refs->len < 2000)
			g_string_append_printf(rk->refs, "%s%s (%s)", rk->refs->len ? ", " : "",
			    ref, mail_kind_str(k));
	}
	request_free(r);
	return ok;
}

gboolean
rekind_pending(struct store *st, const struct setup *setup, GError **err)
{
	struct rekind rk = { .st = st, .setup = setup };
	int total = 0;

	if (!store_rekind_pending(st))
		return TRUE;
	rk.now = g_get_real_time() / G_USEC_PER_SEC;
	rk.refs = g_string_new(NULL);
	if (!store_begin(st, err)) {
		g_string_free(rk.refs, TRUE);
		return FALSE;
	}
	if (!store_each_uncorrected(st, one, &rk, err) || !store_rekind_done(st, err) ||
	    !store_commit(st, TRUE, err)) {
		store_rollback(st);
		g_string_free(rk.refs, TRUE);
		return FALSE;
	}
	for (int k = 0; k < MAIL_KIND_N; k++)
		total += rk.moved[k];
	/* log_info reaches stderr from a command and the journal from the daemon. */
	log_info("store upgraded to mail kinds: %d of %d stored requests are no longer "
	    "counted (robot %d, spam %d, own %d, command %d)%s%s%s", total, rk.seen,
	    rk.moved[MAIL_ROBOT], rk.moved[MAIL_SPAM], rk.moved[MAIL_OWN],
	    rk.moved[MAIL_COMMAND], total ? "; guichet promote REF counts one again: " : "",
	    rk.refs->str, rk.refs->len >= 2000 ? ", ..." : "");
	g_string_free(rk.refs, TRUE);
	return TRUE;
}
