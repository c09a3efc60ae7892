/*
 * sent.c: requests answered by the delegate from their own mail program,
 * seen in the Sent folder.  See sent.h.
 */
#include <string.h>
#include "sent.h"
#include "parse.h"
#include "request.h"
#include "log.h"
#include "vocab.h"

#define SENT_BATCH	200	/* Sent messages read per call */

/* A forward to a partner is not an answer to the requester. */
static gboolean
is_forward(const char *subject)
{
	static const char *const prefixes[] = { "fwd:", "fw:", "tr:", "wg:", "i:", "rv:", NULL };

	if (subject == NULL)
		return FALSE;
	while (*subject == ' ' || *subject == '\t')
		subject++;
	for (int i = 0; prefixes[i] != NULL; i++)
		if (g_ascii_strncasecmp(subject, prefixes[i], strlen(prefixes[i])) == 0)
			return TRUE;
	return FALSE;
}

/*
 * The request a sent message (raw headers or whole message) answers, 0
 * when none.  *when gets its Date (0 when absent).  detail names it in the
 * event.  No I/O but store look-ups.
 */
static gint64
sent_match(struct store *st, const struct config *cfg, const guint8 *raw,
    gsize len, gint64 *when)
{
	g_autoptr(Request) r = NULL;
	g_autoptr(GError) e = NULL;

	*when = 0;
	r = request_new("imap:sent", g_memdup2(raw, len), len);
	if (!parse_request(r, cfg->max_message_size, &e))
		return 0;
	*when = r->date;
	/* guichet's own acknowledgments, should the server keep a copy. */
	if (r->message_id != NULL && store_is_own_message(st, r->message_id))
		return 0;
	if (is_forward(r->subject))
		return 0;
	return store_find_followup(st, r, NULL);
}

/*
 * Mark request id answered at when (not before it was created; the first
 * answer's time is kept; a closed request stays closed) and log an
 * "answered" event when something changed.  Inside the caller's transaction.
 */
static gboolean
sent_mark_answered(struct store *st, gint64 id, gint64 when,
    const char *detail, GError **err)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gboolean changed = FALSE;

	if (when <= 0 || when > now + 86400)
		when = now;
	if (!store_mark_answered(st, id, when, now, &changed, err))
		return FALSE;
	if (!changed)
		return TRUE;
	return store_event(st, id, req_state_str(STATE_ANSWERED), detail, now, err);
}

/* Mark what one Sent message answers and advance the position, in one transaction. */
static gboolean
sent_one(struct imap *im, struct store *st, const struct config *cfg,
    guint32 uidvalidity, guint32 uid, int *changed, GError **err)
{
	const char *folder = cfg->imap_sent_folder;
	g_autofree guint8 *raw = NULL;
	g_autofree char *detail = NULL, *ref = NULL;
	gsize len;
	gint64 idate = 0, when = 0, id = 0;

	if (!imap_fetch(im, uid, TRUE, 0, &raw, &len, &idate, err))
		return FALSE;
	if (raw != NULL)
		id = sent_match(st, cfg, raw, len, &when);
	if (when == 0)
		when = idate;
	if (!store_begin(st, err))
		return FALSE;
	if (id != 0) {
		ref = store_request_ref(st, id);
		detail = g_strdup_printf("reply in %s UID %u", folder, uid);
		if (!sent_mark_answered(st, id, when, detail, err))
			goto fail;
		log_info("%s UID %u: %s answered by the delegate", folder, uid,
		    ref != NULL ? ref : "?");
		if (changed != NULL)
			(*changed)++;
	}
	if (!store_mailbox_set(st, folder, uidvalidity, uid, err))
		goto fail;
	return store_commit(st, FALSE, err);
fail:
	store_rollback(st);
	return FALSE;
}

gboolean
sent_check(struct imap *im, struct store *st, const struct config *cfg,
    int *changed, gboolean *more, GError **err)
{
	const char *folder = cfg->imap_sent_folder;
	g_autoptr(GArray) uids = NULL;
	guint32 uv = 0, uidnext = 0, sel_uv = 0;
	gint64 known_uv = 0, last = 0;

	if (changed != NULL)
		*changed = 0;
	if (more != NULL)
		*more = FALSE;
	if (folder == NULL)
		return TRUE;
	if (!imap_status(im, folder, &uv, &uidnext, err))
		return FALSE;
	store_mailbox_get(st, folder, &known_uv, &last);
	if (known_uv == uv && (gint64)uidnext <= last + 1)
		return TRUE;	/* nothing new */
	if (!imap_select(im, folder, TRUE, &sel_uv, err))
		return FALSE;
	if (known_uv != sel_uv) {
		if (known_uv != 0)
			log_info("%s: UIDVALIDITY changed (%lld to %u): scanning again",
			    folder, (long long)known_uv, sel_uv);
		last = 0;
	}
	if ((uids = imap_list_uids(im, (guint32)last + 1, 0, NULL, err)) == NULL)
		return FALSE;
	/* A long history is read in batches, so the contact folder waits little. */
	if (uids->len > SENT_BATCH) {
		for (guint i = 0; i < SENT_BATCH; i++)
			if (!sent_one(im, st, cfg, sel_uv, g_array_index(uids, guint32, i),
			    changed, err))
				return FALSE;
		if (more != NULL)
			*more = TRUE;
		return TRUE;
	}
	for (guint i = 0; i < uids->len; i++)
		if (!sent_one(im, st, cfg, sel_uv, g_array_index(uids, guint32, i),
		    changed, err))
			return FALSE;
	/*
	 * Everything below UIDNEXT has been seen (some may be gone): remember
	 * it, and remember a new UIDVALIDITY of an empty folder.
	 */
	if (uids->len > 0)
		last = g_array_index(uids, guint32, uids->len - 1);
	if (sel_uv == uv && (gint64)uidnext - 1 > last)
		last = uidnext - 1;
	return store_mailbox_set(st, folder, sel_uv, last, err);
}
