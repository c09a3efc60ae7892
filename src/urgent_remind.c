/*
 * urgent_remind.c: the one reminder of an urgent alert (urgent.h).  An
 * urgent request still open, neither seen (#vu, guichet seen) nor
 * reminded, whose delay has passed gets the alert once more, marked as a
 * reminder, to every notify.urgent address: the mails and the
 * "urgent-reminder" event are committed in one durable transaction, so a
 * restart never sends it twice and never forgets it.
 */
#include "log.h"
#include "reply.h"
#include "store_urgent.h"
#include "urgent.h"

/* Queue the reminder of request id; FALSE with err on a store failure. */
static gboolean
remind_one(struct store *st, const struct setup *setup, const struct urgent_due *u,
    gint64 now, GError **err)
{
	g_autoptr(Request) r = request_new("store", NULL, 0);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)outmail_free);
	g_autoptr(GError) e = NULL;
	g_autofree char *detail = NULL;

	if (!store_urgent_load(st, u->request_id, r, err))
		return FALSE;
	if (!reply_build_alerts(setup, r, u->alerted, out, &e)) {
		/* a template that does not render: said once, never retried in a loop */
		log_warnx("%s: urgent reminder not built: %s", r->ref, e->message);
		g_ptr_array_set_size(out, 0);
	}
	detail = g_strdup_printf("%u courriel%s", out->len, out->len > 1 ? "s" : "");
	if (!store_begin(st, err))
		return FALSE;
	for (guint i = 0; i < out->len; i++)
		if (!store_outbox_add(st, u->request_id, g_ptr_array_index(out, i), now, err))
			goto fail;
	if (!store_event(st, u->request_id, "urgent-reminder", detail, now, err))
		goto fail;
	if (!store_commit(st, TRUE, err))
		return FALSE;
	log_info("%s: urgent, still waiting: reminder queued to %u address(es)", r->ref,
	    out->len);
	return TRUE;
fail:
	store_rollback(st);
	return FALSE;
}

gint64
urgent_remind(struct store *st, const struct setup *setup, gint64 now, GError **err)
{
	g_autoptr(GArray) waiting = store_urgent_waiting(st, err);
	gint64 next = 0;

	if (waiting == NULL)
		return -1;
	for (guint i = 0; i < waiting->len; i++) {
		const struct urgent_due *u = &g_array_index(waiting, struct urgent_due, i);
		gint64 due = urgent_reminder_due(setup->cfg, u->alerted);

		if (due > now) {
			if (next == 0 || due < next)
				next = due;
			continue;
		}
		if (!remind_one(st, setup, u, now, err))
			return -1;
	}
	return next;
}
