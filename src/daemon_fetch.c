/*
 * daemon_fetch.c: the new messages of the contact folder (daemon_int.h).
 *
 * A burst (after an outage, a mailing to the contact address) goes in
 * batches: the sizes of up to BATCH_MAX messages in one UID FETCH, their
 * bodies in another (up to BATCH_BYTES, a huge message only its head),
 * every message through the pipeline inside ONE transaction with the
 * folder's position, one durable commit (synchronous = FULL: on disk when
 * it returns), and only then one UID MOVE (or UID STORE) per destination
 * over the set, and the replies over one SMTP session.  A crash anywhere
 * before the commit leaves the whole batch in the folder, unstored; after
 * it, settle() moves what is at or below the position at the next start.
 *
 * After a death while a batch was in flight (guard.h), the messages of
 * that batch go one at a time, each with its own commit and move, so the
 * crash guard's counts fall on the message that was in flight.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <signal.h>
#include <string.h>
#include "daemon_int.h"
#include "guard.h"
#include "log.h"
#include "vocab.h"

#define HEAD_BYTES	65536		/* what is read of a message over max_message_size */
#define BATCH_MAX	64		/* messages per batch */
#define BATCH_BYTES	((gsize)8 << 20)	/* bytes fetched per batch (one message at least) */

/* Where a processed message goes: the quarantine folder, the done folder, or a flag. */
gboolean
daemon_dispose(struct daemon *d, guint32 uid, gboolean quarantined, GError **err)
{
	const struct config *cfg = d->setup->cfg;

	if (quarantined && cfg->imap_quarantine_folder != NULL)
		return imap_move(d->imap, uid, cfg->imap_quarantine_folder, err);
	if (g_strcmp0(cfg->imap_after, "flag") == 0)
		return imap_flag(d->imap, uid, cfg->imap_flag != NULL ?
		    cfg->imap_flag : "$Guichet", err);
	if (cfg->imap_done_folder == NULL)
		return TRUE;
	return imap_move(d->imap, uid, cfg->imap_done_folder, err);
}

/* One line per message: folder, UID, reference, what was done. */
static void
log_outcome(const char *folder, guint32 uid, const struct request *r)
{
	const char *ref = r->ref != NULL ? r->ref : "-";
	const char *why = r->kind_reason != NULL ? r->kind_reason : "";

	switch (r->status) {
	case REQ_DUPLICATE:
		log_info("%s UID %u: %s duplicate, already stored", folder, uid, ref);
		return;
	case REQ_QUARANTINED:
		log_warnx("%s UID %u: quarantined (set aside, not read): %s", folder, uid,
		    r->reason != NULL ? r->reason : "unusable message");
		return;
	default:
		break;
	}
	/* Words a system administrator reads: what the mail was, what was done. */
	if (r->kind_set && r->kind == MAIL_COMMAND) {
		if (r->command_refused != NULL)
			log_info("%s UID %u: command mail refused (from %s): %s", folder, uid,
			    r->from_addr != NULL ? r->from_addr : "?", r->command_refused);
		else
			log_info("%s UID %u: command mail from %s: carried out, the answer "
			    "is queued", folder, uid, r->from_addr != NULL ? r->from_addr : "?");
		return;
	}
	if (r->kind_set && r->kind != MAIL_REQUEST && r->kind != MAIL_FOLLOWUP) {
		log_info("%s UID %u: not a request (%s%s%s), stored, not counted, no reply",
		    folder, uid, mail_kind_str(r->kind), *why != '\0' ? ": " : "", why);
		return;
	}
	log_info("%s UID %u: %s %s (%s, %s/%s), reply %s%s%s%s", folder, uid, ref,
	    r->followup || (r->kind_set && r->kind == MAIL_FOLLOWUP) ? "follow-up" : "new request",
	    r->language != NULL ? r->language : VOCAB_LANGUAGE_UNKNOWN,
	    r->requester != NULL ? r->requester : VOCAB_REQUESTER_DEFAULT,
	    r->domain != NULL ? r->domain : VOCAB_DOMAIN_DEFAULT,
	    reply_kind_str(r->reply ? r->reply : REPLY_NONE),
	    r->reply_reason != NULL ? " (" : "",
	    r->reply_reason != NULL ? r->reply_reason : "",
	    r->reply_reason != NULL ? ")" : "");
}

/*
 * For the tests of the crash guard (guichet(8), ENVIRONMENT): with
 * GUICHET_TEST_CRASH set, a message holding its value crashes the daemon
 * as a bug in parsing would (SIGSEGV raised by the process itself).
 */
static void
crash_test(const guint8 *raw, gsize len)
{
	const char *needle = g_getenv("GUICHET_TEST_CRASH");

	if (needle != NULL && *needle != '\0' && raw != NULL &&
	    memmem(raw, len, needle, strlen(needle)) != NULL)
		raise(SIGSEGV);
}

/*
 * Fetch, process and dispose of one new message.  FALSE with err when the
 * connection or the store failed (then nothing was moved).
 */
static gboolean
process_one(struct daemon *d, const char *folder, guint32 uv, guint32 uid, GError **err)
{
	g_autoptr(Request) r = NULL;
	g_autoptr(GError) e = NULL;
	g_autofree char *source = NULL;
	guint8 *raw = NULL;
	gsize len = 0, size = 0, max = d->setup->cfg->max_message_size;
	struct guard_verdict gv;
	struct origin o = { folder, uv, uid };

	/* A huge message is not read whole: its head is enough to quarantine it. */
	if (!imap_size(d->imap, uid, &size, err))
		return FALSE;
	if (!imap_fetch(d->imap, uid, FALSE, size > max ? HEAD_BYTES : 0,
	    &raw, &len, NULL, err))
		return FALSE;
	if (raw == NULL) {
		log_info("%s UID %u: gone before it could be read", folder, uid);
		return TRUE;
	}
	source = g_strdup_printf("imap:%s:%u:%u", folder, uv, uid);
	r = request_new(source, raw, len);
	if (size > len)
		r->size = size;
	guard_inflight(d->store, folder, uv, uid, &gv);
	if (gv.set_aside)
		guard_quarantine_unread(r, &gv);
	else
		crash_test(raw, len);
	if (!gv.set_aside && (gv.crashes > 0 || gv.kills > 0))
		log_warnx("%s UID %u: processed again after %d crash(es) of guichet and %d "
		    "stop(s) from outside", folder, uid, gv.crashes, gv.kills);
	/* Classify, store, queue the replies and the position: one durable commit. */
	if (!pipeline_process(&d->pipe, r, &o, PIPE_DURABLE, err)) {
		guard_done();
		return FALSE;
	}
	guard_done();
	d->last_uid = uid;
	log_outcome(folder, uid, r);
	g_free(d->last_message);
	d->last_message = g_strdup_printf("%s UID %u %s", folder, uid,
	    r->ref != NULL ? r->ref : "-");
	/* Only now may the server's copy move. */
	if (!daemon_dispose(d, uid, r->status == REQ_QUARANTINED, &e)) {
		if (imap_broken(d->imap)) {
			g_propagate_error(err, g_steal_pointer(&e));
			return FALSE;
		}
		/* settle() tries again at the next cycle. */
		log_warnx("%s UID %u: %s", folder, uid, e->message);
	}
	/* Answer within seconds: send what this message queued now. */
	drain_outbox(d);
	notify_status(d);
	return TRUE;
}


/* After a commit: one command per destination over the set. */
static gboolean
dispose_batch(struct daemon *d, const guint32 *done, guint ndone, const guint32 *quar,
    guint nquar, GError **err)
{
	const struct config *cfg = d->setup->cfg;
	const char *flag = cfg->imap_flag != NULL ? cfg->imap_flag : "$Guichet";

	if (nquar > 0 && !imap_move_uids(d->imap, quar, nquar, cfg->imap_quarantine_folder, err))
		return FALSE;
	if (ndone == 0)
		return TRUE;
	if (g_strcmp0(cfg->imap_after, "flag") == 0)
		return imap_flag_uids(d->imap, done, ndone, flag, err);
	if (cfg->imap_done_folder == NULL)
		return TRUE;
	return imap_move_uids(d->imap, done, ndone, cfg->imap_done_folder, err);
}

/*
 * The n fetched messages of m through the pipeline in one transaction,
 * one durable commit, then disposed of.  Takes the bodies of m.
 */
static gboolean
process_batch(struct daemon *d, const char *folder, guint32 uv, struct imap_msg *m,
    guint n, gint64 fetch_us, GError **err)
{
	const struct config *cfg = d->setup->cfg;
	g_autoptr(GPtrArray) reqs = g_ptr_array_new_with_free_func((GDestroyNotify)request_free);
	g_autofree guint32 *done = g_new(guint32, n), *quar = g_new(guint32, n);
	g_autofree guint32 *ruid = g_new(guint32, n);	/* UID of reqs[j] */
	g_autoptr(GError) e = NULL;
	struct guard_verdict gv;
	guint ndone = 0, nquar = 0;
	gint64 t0 = g_get_monotonic_time(), t_store, t_commit, t_move;

	/* The batch's last UID is in flight until the commit (outside the transaction). */
	guard_inflight(d->store, folder, uv, m[n - 1].uid, &gv);
	if (!store_begin(d->store, err))
		return FALSE;
	for (guint i = 0; i < n; i++) {
		g_autofree char *source = NULL;
		struct origin o = { folder, uv, m[i].uid };
		struct request *r;

		if (m[i].raw == NULL) {
			log_info("%s UID %u: gone before it could be read", folder, m[i].uid);
			continue;
		}
		source = g_strdup_printf("imap:%s:%u:%u", folder, uv, m[i].uid);
		r = request_new(source, g_steal_pointer(&m[i].raw), m[i].len);
		if (m[i].size > m[i].len)
			r->size = m[i].size;
		ruid[reqs->len] = m[i].uid;
		g_ptr_array_add(reqs, r);
		guard_arm_uid(uv, m[i].uid);
		crash_test(r->raw, r->raw_len);
		/* Inside the batch's transaction: a store error rolls it all back. */
		if (!pipeline_process(&d->pipe, r, &o, PIPE_DURABLE, err)) {
			store_rollback(d->store);
			guard_done();
			return FALSE;
		}
	}
	t_store = g_get_monotonic_time();
	if (!store_commit(d->store, TRUE, err)) {
		guard_done();
		return FALSE;
	}
	guard_done();
	t_commit = g_get_monotonic_time();
	/* On disk: now the server's copies may move and the replies leave. */
	d->last_uid = m[n - 1].uid;
	for (guint j = 0; j < reqs->len; j++) {
		const struct request *r = g_ptr_array_index(reqs, j);
		guint32 uid = ruid[j];

		log_outcome(folder, uid, r);
		if (r->status == REQ_QUARANTINED && cfg->imap_quarantine_folder != NULL)
			quar[nquar++] = uid;
		else
			done[ndone++] = uid;
		if (j + 1 == reqs->len) {
			g_free(d->last_message);
			d->last_message = g_strdup_printf("%s UID %u %s", folder, uid,
			    r->ref != NULL ? r->ref : "-");
		}
	}
	if (!dispose_batch(d, done, ndone, quar, nquar, &e)) {
		if (imap_broken(d->imap)) {
			g_propagate_error(err, g_steal_pointer(&e));
			return FALSE;
		}
		/* settle() tries again, one by one, at the next cycle. */
		log_warnx("%s: %s", folder, e->message);
	}
	t_move = g_get_monotonic_time();
	drain_outbox(d);
	notify_status(d);
	/*
	 * The batch's bodies, parses and the sender threads' buffers, freed,
	 * go back to the system instead of staying inside the heaps (glibc
	 * returns only a heap's top by itself; the threads' arenas stay):
	 * the daemon meets the next batch, or rests, from its floor (issue 20).
	 */
	malloc_trim(0);
	/* Where a burst's time goes (tests/bench/burst.sh sums these lines). */
	log_debug("batch of %u: fetch %.3f s, classify+store %.3f s, commit %.3f s, "
	    "move %.3f s, send %.3f s", n, fetch_us / 1e6, (t_store - t0) / 1e6,
	    (t_commit - t_store) / 1e6, (t_move - t_commit) / 1e6,
	    (g_get_monotonic_time() - t_move) / 1e6);
	return TRUE;
}

gboolean
daemon_process_new(struct daemon *d, const char *folder, guint32 uv, GArray *uids,
    GError **err)
{
	gsize max = d->setup->cfg->max_message_size;
	guint32 single_until = guard_died_at(d->store, folder, uv, (guint32)d->last_uid);
	guint i = 0;

	while (i < uids->len && !got_term) {
		guint32 uid = g_array_index(uids, guint32, i);
		g_autofree struct imap_msg *m = NULL, *small = NULL;
		guint n, k, ns = 0;
		gsize bytes = 0;
		gboolean ok = TRUE;
		gint64 t0 = g_get_monotonic_time();

		if (uid <= single_until) {
			/* The batch in flight at a death: one at a time. */
			if (!process_one(d, folder, uv, uid, err))
				return FALSE;
			i++;
			continue;
		}
		n = MIN(BATCH_MAX, uids->len - i);
		m = g_new0(struct imap_msg, n);
		for (k = 0; k < n; k++)
			m[k].uid = g_array_index(uids, guint32, i + k);
		if (!imap_sizes(d->imap, m, n, err))
			return FALSE;
		/* As many as BATCH_BYTES allows (one always), huge ones by their head. */
		for (k = 0; k < n; k++) {
			gsize sz = MIN(m[k].size, max);

			if (k > 0 && bytes + sz > BATCH_BYTES)
				break;
			bytes += sz;
		}
		n = k;
		small = g_new0(struct imap_msg, n);
		for (k = 0; k < n; k++)
			if (!m[k].gone && m[k].size <= max)
				small[ns++].uid = m[k].uid;
		ok = imap_fetch_bodies(d->imap, small, ns, err);
		for (k = 0; k < n && ok; k++) {
			if (m[k].gone)
				continue;
			if (m[k].size > max) {
				ok = imap_fetch(d->imap, m[k].uid, FALSE, HEAD_BYTES, &m[k].raw,
				    &m[k].len, NULL, err);
				continue;
			}
			for (guint j = 0; j < ns; j++)
				if (small[j].uid == m[k].uid) {
					m[k].raw = g_steal_pointer(&small[j].raw);
					m[k].len = small[j].len;
				}
		}
		for (k = 0; k < ns; k++)
			g_free(small[k].raw);
		if (ok)
			ok = process_batch(d, folder, uv, m, n, g_get_monotonic_time() - t0, err);
		for (k = 0; k < n; k++)
			g_free(m[k].raw);
		if (!ok)
			return FALSE;
		i += n;
	}
	return TRUE;
}
