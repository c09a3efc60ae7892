/*
 * digest.c: guichet digest [--since TIME] [--stdout | --send].  Collects
 * the period since the last digest from the store; --send queues the mail
 * in the outbox and records the period in `periods` in the same durable
 * transaction, so one day's digest is queued once, restarts included.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "store.h"
#include "cmd.h"
#include "digest.h"
#include "reply.h"
#include "labels.h"
#include "store_kind.h"
#include "viewfmt.h"
#include "vocab.h"

#define WAITING_MAX	40	/* open requests listed; the rest are counted */

static void
req_free(gpointer p)
{
	struct digest_req *r = p;

	g_free(r->ref);
	g_free(r->requester);
	g_free(r->commune);
	g_free(r->language);
	g_free(r->domain);
	g_free(r->topic);
	g_free(r->subject);
	g_free(r->excerpt);
	g_free(r->reply);
	g_free(r->status);
	g_free(r->more_excerpt);
	g_free(r);
}

static void
fail_free(gpointer p)
{
	struct digest_fail *f = p;

	g_free(f->kind);
	g_free(f->rcpt);
	g_free(f->answer);
	g_free(f->ref);
	g_free(f);
}

static void
quar_free(gpointer p)
{
	struct digest_quar *q = p;

	g_free(q->from);
	g_free(q->subject);
	g_free(q->reason);
	g_free(q);
}

static void
digest_free(struct digest *d)
{
	if (d == NULL)
		return;
	g_ptr_array_unref(d->fresh);
	g_ptr_array_unref(d->followups);
	g_ptr_array_unref(d->waiting);
	g_ptr_array_unref(d->failed);
	g_ptr_array_unref(d->quarantined);
	if (d->refused != NULL)
		g_ptr_array_unref(d->refused);
	g_ptr_array_unref(d->not_counted);
	g_time_zone_unref(d->tz);
	g_free(d);
}

gboolean
digest_empty(const struct digest *d)
{
	return d->fresh->len == 0 && d->followups->len == 0 && d->failed->len == 0 &&
	    d->quarantined->len == 0 && (d->refused == NULL || d->refused->len == 0) &&
	    d->not_counted->len == 0;
}

static char *
dup_col(struct store_cursor *s, int i)
{
	const char *v = store_text(s, i);

	return v != NULL ? g_utf8_make_valid(v, -1) : NULL;
}

/* What guichet sent for request id: "accusé de réception envoyé, transmission en attente". */
static char *
replies_of(struct store *st, gint64 id, const char *reply, const char *reason)
{
	struct store_cursor *s = store_digest_replies(st, id, NULL);
	GString *o = g_string_new(NULL);

	if (s != NULL) {
		while (store_next(s)) {
			const char *kind = store_text(s, 0);
			const char *status = store_text(s, 1);

			gboolean fem = reply_kind_fr_feminine(reply_kind_from_str(kind));

			g_string_append_printf(o, "%s%s %s", o->len ? ", " : "", vocab_fr(kind),
			    g_strcmp0(status, "sent") == 0 ? (fem ? "envoyée" : "envoyé") :
			    g_strcmp0(status, "failed") == 0 ? "en échec" : "en attente d'envoi");
		}
		store_cursor_free(s);
	}
	if (o->len == 0) {
		g_string_append(o, vocab_fr(reply != NULL ? reply : reply_kind_str(REPLY_NONE)));
		if (label_reason(reason) != NULL)
			g_string_append_printf(o, " (%s)", label_reason(reason));
	}
	return g_string_free(o, FALSE);
}

/* The first lines of the first message received for request id. */
static char *
excerpt_of(struct store *st, gint64 id, gboolean last)
{
	struct store_cursor *s = store_digest_excerpt(st, id, last, NULL);
	char *v = NULL;

	if (s == NULL)
		return NULL;
	if (store_next(s) && store_text(s, 0) != NULL) {
		g_autofree char *t = dup_col(s, 0);

		const char *body = t;
		const char *nl = strchr(t, '\n');

		/* "Bonjour," alone says nothing: start after a short salutation. */
		if (nl != NULL && nl - t < 40 && nl > t && (nl[-1] == ',' ||
		    (nl - 1 > t && nl[-1] == '\r' && nl[-2] == ',')))
			body = nl + 1;
		v = view_first_lines(body, 3, 100);
		if (*v == '\0')
			g_clear_pointer(&v, g_free);
	}
	store_cursor_free(s);
	return v;
}

/* Fill r from a row of DIGEST_REQ (store_query.h); returns the request id. */
static gint64
req_row(struct store *st, struct store_cursor *s, struct digest_req *r, gboolean last_text)
{
	gint64 id = store_int64(s, 0);
	g_autofree char *reply = dup_col(s, 10), *reason = dup_col(s, 11);

	r->ref = dup_col(s, 1);
	r->created = store_int64(s, 2);
	r->requester = dup_col(s, 3);
	r->commune = dup_col(s, 4);
	r->language = dup_col(s, 5);
	r->domain = dup_col(s, 6);
	r->topic = dup_col(s, 7);
	r->subject = dup_col(s, 8);
	r->urgent = store_int(s, 9) != 0;
	r->status = dup_col(s, 12);
	r->excerpt = excerpt_of(st, id, last_text);
	r->reply = replies_of(st, id, reply, reason);
	return id;
}

/* Rank of domain code in the taxonomy's order (domain_order may be NULL), "autre" last. */
static guint
domain_rank(const GPtrArray *domain_order, const char *code)
{
	for (guint i = 0; domain_order != NULL && i < domain_order->len; i++) {
		const struct domain_def *dd = g_ptr_array_index(domain_order, i);

		if (g_strcmp0(dd->code, code) == 0)
			return g_strcmp0(code, VOCAB_DOMAIN_DEFAULT) == 0 ? G_MAXUINT - 1 : i;
	}
	return G_MAXUINT;
}

/*
 * Urgent first; then by domain in taxonomy order ("autre" last); then by
 * time.  data: the taxonomy's domains (the order the delegate reports in).
 */
static int
fresh_cmp(gconstpointer a, gconstpointer b, gpointer data)
{
	const struct digest_req *x = *(struct digest_req *const *)a;
	const struct digest_req *y = *(struct digest_req *const *)b;
	guint rx, ry;

	if (!x->urgent != !y->urgent)
		return x->urgent ? -1 : 1;
	if (!x->urgent) {
		rx = domain_rank(data, x->domain);
		ry = domain_rank(data, y->domain);
		if (rx != ry)
			return rx < ry ? -1 : 1;
		if (g_strcmp0(x->domain, y->domain) != 0)
			return g_strcmp0(x->domain, y->domain);
	}
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return g_strcmp0(x->ref, y->ref);
}

static gboolean
collect_requests(struct store *st, struct digest *d, GHashTable *listed, GError **err)
{
	/* Urgent first, then grouped by domain, each group in time order. */
	struct store_cursor *s = store_digest_new(st, d->since, d->until, err);

	if (s == NULL)
		return FALSE;
	while (store_next(s)) {
		struct digest_req *r = g_new0(struct digest_req, 1);
		gint64 id = req_row(st, s, r, FALSE);

		d->urgent += r->urgent;
		r->further = store_flood_count(st, id, d->since, d->until);
		g_hash_table_add(listed, g_memdup2(&id, sizeof id));
		g_ptr_array_add(d->fresh, r);
	}
	if (!store_cursor_end(s, err))
		return FALSE;
	g_ptr_array_sort_with_data(d->fresh, fresh_cmp,
	    d->setup->rules != NULL ? ruleset_domains(d->setup->rules) : NULL);
	/* Older requests someone wrote to again during the period. */
	if ((s = store_digest_followups(st, d->since, d->until, err)) == NULL)
		return FALSE;
	while (store_next(s)) {
		struct digest_req *r = g_new0(struct digest_req, 1);
		gint64 id = req_row(st, s, r, TRUE);

		r->created = store_int64(s, 13);	/* when it came */
		r->further = store_flood_count(st, id, d->since, d->until);
		g_hash_table_add(listed, g_memdup2(&id, sizeof id));
		g_ptr_array_add(d->followups, r);
	}
	if (!store_cursor_end(s, err))
		return FALSE;
	/* Still waiting for a human answer: how many. */
	if ((d->waiting_total = store_count_open(st, err)) < 0)
		return FALSE;
	/* The oldest of them not listed above: walk by time, stop when enough. */
	if ((s = store_digest_open_ids(st, d->until, err)) == NULL)
		return FALSE;
	while (d->waiting->len < WAITING_MAX && store_next(s)) {
		gint64 id = store_int64(s, 0);
		struct store_cursor *one;

		if (g_hash_table_contains(listed, &id))
			continue;
		if ((one = store_digest_request(st, id, err)) == NULL) {
			store_cursor_free(s);
			return FALSE;
		}
		if (store_next(one)) {
			struct digest_req *r = g_new0(struct digest_req, 1);

			req_row(st, one, r, FALSE);
			g_ptr_array_add(d->waiting, r);
		}
		store_cursor_free(one);
	}
	return store_cursor_end(s, err);
}

static gboolean
collect_problems(struct store *st, struct digest *d, GHashTable *listed, GError **err)
{
	const struct config *cfg = d->setup->cfg;
	gint64 window = (gint64)MAX(cfg->send_retry_max_hours, 1) * 3600;
	struct store_cursor *s = store_digest_failed(st, d->since, d->until,
	    d->since - window, err);

	if (s == NULL)
		return FALSE;
	while (store_next(s)) {
		struct digest_fail *f = g_new0(struct digest_fail, 1);
		gint64 rid = store_int64(s, 5);

		f->kind = dup_col(s, 0);
		f->rcpt = dup_col(s, 1);
		f->answer = dup_col(s, 2);
		f->created = store_int64(s, 3);
		/* A request listed above is not named twice. */
		if (rid == 0 || !g_hash_table_contains(listed, &rid))
			f->ref = dup_col(s, 4);
		g_ptr_array_add(d->failed, f);
	}
	if (!store_cursor_end(s, err))
		return FALSE;
	if ((s = store_digest_quarantined(st, d->since, d->until, err)) == NULL)
		return FALSE;
	while (store_next(s)) {
		struct digest_quar *q = g_new0(struct digest_quar, 1);

		q->received = store_int64(s, 0);
		q->from = dup_col(s, 1);
		q->subject = dup_col(s, 2);
		q->reason = dup_col(s, 3);
		g_ptr_array_add(d->quarantined, q);
	}
	return store_cursor_end(s, err);
}

/* Collect the period [since, until). */
static struct digest *
digest_collect(struct store *st, const struct setup *setup, GTimeZone *tz, gint64 since,
    gint64 until, GError **err)
{
	struct digest *d = g_new0(struct digest, 1);
	g_autoptr(GHashTable) listed = g_hash_table_new_full(g_int64_hash, g_int64_equal,
	    g_free, NULL);

	d->since = since;
	d->until = until;
	d->tz = g_time_zone_ref(tz);
	d->setup = setup;
	d->fresh = g_ptr_array_new_with_free_func(req_free);
	d->followups = g_ptr_array_new_with_free_func(req_free);
	d->waiting = g_ptr_array_new_with_free_func(req_free);
	d->failed = g_ptr_array_new_with_free_func(fail_free);
	d->quarantined = g_ptr_array_new_with_free_func(quar_free);
	d->not_counted = g_ptr_array_new_with_free_func(kind_row_free);
	if ((st != NULL && (!collect_requests(st, d, listed, err) ||
	    !collect_problems(st, d, listed, err) ||
	    !store_kind_rows(st, since, until, d->not_counted, err))) ||
	    !digest_collect_more(st, d, err)) {
		digest_free(d);
		return NULL;
	}
	return d;
}

/* End of the last digest period: its `sent` time; FALSE when none yet. */
static gboolean
last_period_end(struct store *st, gint64 *end)
{
	gint64 v = store_period_last(st, reply_kind_str(REPLY_DIGEST));

	if (v < 0)
		return FALSE;
	*end = v;
	return TRUE;
}

/* Queue the digest and record its period in one durable transaction. */
static int
send_digest(struct store *st, const struct setup *setup, struct digest *d, const char *day,
    GString *log, GError **err)
{
	const struct config *cfg = setup->cfg;
	const char *to = cfg->digest_to != NULL && *cfg->digest_to ? cfg->digest_to :
	    cfg->delegate_addr;
	g_autofree char *subject = digest_subject(d), *text = digest_text(d);
	g_autofree char *html = digest_html(d);
	struct outmail *m = NULL;
	GError *e = NULL;
	gint64 outbox_id;
	int rc;

	if ((m = mail_build(cfg, REPLY_DIGEST, to, subject, text, html, NULL, NULL, &e)) == NULL)
		goto fail;
	if (!store_begin(st, &e))
		goto fail;
	/* Checked again inside the transaction: two runs at once queue one. */
	if ((rc = store_period_sent(st, reply_kind_str(REPLY_DIGEST), day, &e)) < 0)
		goto rollback;
	if (rc > 0) {
		store_rollback(st);
		outmail_free(m);
		g_string_append_printf(log, "Le résumé du %s a déjà été envoyé : rien à faire.\n",
		    day);
		return 0;
	}
	/*
	 * Due at once: d->until is one second ahead (the period includes this
	 * second), and a drain in that same second would skip the digest.
	 */
	if ((outbox_id = store_outbox_add(st, 0, m, g_get_real_time() / G_USEC_PER_SEC,
	    &e)) == 0 ||
	    !store_period_add(st, reply_kind_str(REPLY_DIGEST), day, d->until, outbox_id, &e))
		goto rollback;
	if (!store_commit(st, TRUE, &e))
		goto fail;
	if (d->fresh->len == 1)
		g_string_append_printf(log, "Résumé du %s mis en file d'envoi pour %s "
		    "(1 nouvelle demande).\n", day, to);
	else
		g_string_append_printf(log, "Résumé du %s mis en file d'envoi pour %s "
		    "(%u nouvelles demandes).\n", day, to, d->fresh->len);
	outmail_free(m);
	return 0;
rollback:
	store_rollback(st);
fail:
	g_propagate_error(err, e);
	if (m != NULL)
		outmail_free(m);
	return 1;
}

/* Queue the digest of `day` from the end of the last one (schedule.c). */
gboolean
digest_queue_day(struct store *st, const struct setup *setup, gint64 now, const char *day,
    GString *log, GError **err)
{
	g_autoptr(GTimeZone) tz = view_tz(setup->cfg);
	struct digest *d;
	gint64 since = now - 86400;
	gboolean ok;

	last_period_end(st, &since);
	if ((d = digest_collect(st, setup, tz, since, now + 1, err)) == NULL)
		return FALSE;
	ok = send_digest(st, setup, d, day, log, err) == 0;
	digest_free(d);
	return ok;
}

int
cmd_digest(struct globals *gl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since",  required_argument, NULL, 's' },
		{ "stdout", no_argument,       NULL, 'o' },
		{ "send",   no_argument,       NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	const char *since_arg = NULL;
	gboolean to_stdout = FALSE, send = FALSE;
	struct setup *setup = NULL;
	struct store *st = NULL;
	struct digest *d = NULL;
	g_autoptr(GTimeZone) tz = NULL;
	g_autofree char *day = NULL;
	GError *e = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC, since;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "s:", opts, NULL)) != -1) {
		switch (ch) {
		case 's': since_arg = optarg; break;
		case 'o': to_stdout = TRUE; break;
		case 'S': send = TRUE; break;
		default: return cmd_usage("digest");
		}
	}
	if (optind != argc || (to_stdout && send))
		return cmd_usage("digest");
	if ((rc = cmd_open(gl, &setup, &st, send ? 0 : STORE_READONLY)) != 0)
		return rc;
	tz = view_tz(setup->cfg);
	since = now - 86400;
	if (since_arg != NULL) {
		if (!view_parse_time(since_arg, tz, FALSE, now, &since, &e)) {
			g_printerr("guichet digest: %s\n", e->message);
			g_error_free(e);
			rc = 2;
			goto out;
		}
	} else if (st != NULL)
		last_period_end(st, &since);
	if ((d = digest_collect(st, setup, tz, since, now + 1, &e)) == NULL) {
		g_printerr("guichet digest: %s\n", e->message);
		g_error_free(e);
		rc = 1;
		goto out;
	}
	day = view_time(now, tz, "%Y-%m-%d");
	if (send) {
		g_autoptr(GString) log = g_string_new(NULL);

		if ((rc = send_digest(st, setup, d, day, log, &e)) != 0) {
			g_printerr("guichet digest: %s\n", e->message);
			g_error_free(e);
		}
		fputs(log->str, stdout);
	}
	else if (to_stdout) {
		const struct config *cfg = setup->cfg;
		g_autofree char *subject = digest_subject(d), *text = digest_text(d);
		g_autofree char *html = digest_html(d);
		struct outmail *m = mail_build(cfg, REPLY_DIGEST, cfg->digest_to && *cfg->digest_to ?
		    cfg->digest_to : cfg->delegate_addr, subject, text, html, NULL, NULL, &e);

		if (m == NULL) {
			g_printerr("guichet digest: %s\n", e->message);
			g_error_free(e);
			rc = 1;
		} else {
			fwrite(m->data, 1, m->len, stdout);
			outmail_free(m);
		}
	} else {
		g_autofree char *text = digest_text(d);

		fputs(text, stdout);
	}
out:
	digest_free(d);
	store_close(st);
	setup_free(setup);
	return rc;
}
