/*
 * claim.c: one installation per mailbox (claim.h), with marker messages in
 * the claim folder.  A marker's headers say who holds the mailbox:
 *   X-Guichet-Instance, X-Guichet-Host, X-Guichet-Pid, X-Guichet-Store,
 *   X-Guichet-Heartbeat (unix seconds).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "claim.h"
#include "log.h"

void
claim_holder_free(struct claim_holder *h)
{
	if (h == NULL)
		return;
	g_free(h->instance);
	g_free(h->host);
	g_free(h->store);
	g_free(h);
}

/* Seconds after which a heartbeat is stale, for cfg's poll interval. */
static gint64
claim_stale_after(const struct config *cfg)
{
	gint64 poll = cfg != NULL && cfg->poll_interval > CLAIM_BEAT ?
	    cfg->poll_interval : CLAIM_BEAT;

	return MAX(300, 3 * poll);
}

/* The value of header name in a raw header block, trimmed; NULL when absent. */
static char *
header_value(const char *raw, const char *name)
{
	gsize n = strlen(name);

	for (const char *p = raw; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (g_ascii_strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *e = v + strcspn(v, "\r\n");

			return g_strstrip(g_strndup(v, e - v));
		}
	}
	return NULL;
}

/* Every marker of the claim folder (selected by the caller), oldest first. */
static GPtrArray *
read_markers(struct imap *im, GError **err)
{
	g_autoptr(GArray) uids = imap_list_uids(im, 1, 0, NULL, err);
	GPtrArray *out;

	if (uids == NULL)
		return NULL;
	out = g_ptr_array_new_with_free_func((GDestroyNotify)claim_holder_free);
	for (guint i = 0; i < uids->len; i++) {
		guint32 uid = g_array_index(uids, guint32, i);
		g_autofree guint8 *raw = NULL;
		g_autofree char *text = NULL, *beat = NULL, *pid = NULL;
		struct claim_holder *h;
		gsize len = 0;

		if (!imap_fetch(im, uid, TRUE, 0, &raw, &len, NULL, err)) {
			g_ptr_array_free(out, TRUE);
			return NULL;
		}
		if (raw == NULL)
			continue;
		text = g_strndup((const char *)raw, len);
		h = g_new0(struct claim_holder, 1);
		h->uid = uid;
		h->instance = header_value(text, "X-Guichet-Instance");
		h->host = header_value(text, "X-Guichet-Host");
		h->store = header_value(text, "X-Guichet-Store");
		beat = header_value(text, "X-Guichet-Heartbeat");
		pid = header_value(text, "X-Guichet-Pid");
		h->heartbeat = beat != NULL ? g_ascii_strtoll(beat, NULL, 10) : 0;
		h->pid = pid != NULL ? (long)g_ascii_strtoll(pid, NULL, 10) : 0;
		if (h->instance == NULL) {	/* not a marker: someone's mail, left alone */
			claim_holder_free(h);
			continue;
		}
		g_ptr_array_add(out, h);
	}
	return out;
}

static gboolean
open_folder(struct imap *im, const struct config *cfg, GError **err)
{
	guint32 uv;

	return imap_ensure_folder(im, cfg->imap_claim_folder, err) &&
	    imap_select(im, cfg->imap_claim_folder, FALSE, &uv, err);
}

/*
 * Is the holder's process gone?  Only known on this very host: kill(pid, 0)
 * says ESRCH.  A daemon killed here is then taken over at once, without
 * waiting for its heartbeat to age.
 */
static gboolean
holder_gone(const struct claim_holder *h)
{
	return h->pid > 0 && h->host != NULL &&
	    g_ascii_strcasecmp(h->host, g_get_host_name()) == 0 &&
	    kill((pid_t)h->pid, 0) == -1 && errno == ESRCH;
}

/* The oldest live marker of another instance than instance, from markers. */
static struct claim_holder *
live_other(const struct config *cfg, GPtrArray *markers, const char *instance, gint64 now)
{
	for (guint i = 0; i < markers->len; i++) {
		struct claim_holder *h = g_ptr_array_index(markers, i);

		if ((instance == NULL || g_strcmp0(h->instance, instance) != 0) &&
		    now - h->heartbeat < claim_stale_after(cfg) && !holder_gone(h))
			return h;
	}
	return NULL;
}

gboolean
claim_read(struct imap *im, const struct config *cfg, const char *instance,
    struct claim_holder **holder, GError **err)
{
	g_autoptr(GPtrArray) m = NULL;
	struct claim_holder *h;

	GError *e = NULL;
	guint32 uv;

	*holder = NULL;
	/* read only: no folder, no claim */
	if (!imap_select(im, cfg->imap_claim_folder, TRUE, &uv, &e)) {
		if (e->code == GUICHET_ERROR_INPUT) {
			g_error_free(e);
			return TRUE;
		}
		g_propagate_error(err, e);
		return FALSE;
	}
	if ((m = read_markers(im, err)) == NULL)
		return FALSE;
	if ((h = live_other(cfg, m, instance, g_get_real_time() / G_USEC_PER_SEC)) != NULL) {
		guint i;

		if (g_ptr_array_find(m, h, &i))
			*holder = g_ptr_array_steal_index(m, i);
	}
	return TRUE;
}

char *
claim_describe(const struct claim_holder *h, gint64 now)
{
	return g_strdup_printf("instance %s on host %s, pid %ld, store %s, heartbeat %"
	    G_GINT64_FORMAT " s ago", h->instance, h->host != NULL ? h->host : "?", h->pid,
	    h->store != NULL ? h->store : "?", MAX(now - h->heartbeat, (gint64)0));
}

/* A fresh marker of instance. */
static char *
marker(const struct config *cfg, const char *instance, const char *store_path, gint64 now)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(now);
	g_autofree char *date = g_date_time_format(dt, "%a, %d %b %Y %H:%M:%S +0000");
	const char *host = g_get_host_name();

	return g_strdup_printf("From: guichet <%s>\r\nTo: <%s>\r\n"
	    "Subject: guichet %s\r\nDate: %s\r\n"
	    "Message-ID: <guichet.claim.%s.%" G_GINT64_FORMAT "@localhost>\r\n"
	    "Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
	    "X-Guichet-Instance: %s\r\nX-Guichet-Host: %s\r\nX-Guichet-Pid: %ld\r\n"
	    "X-Guichet-Store: %s\r\nX-Guichet-Heartbeat: %" G_GINT64_FORMAT "\r\n\r\n"
	    "Cette boîte aux lettres est traitée par guichet %s (instance %s, machine %s).\r\n"
	    "Ce message est renouvelé chaque minute ; ne pas le déplacer ni l'effacer.\r\n",
	    cfg->contact_addr, cfg->contact_addr, instance, date, instance, now,
	    instance, host, (long)getpid(), store_path, now, GUICHET_VERSION, instance, host);
}

gboolean
claim_take(struct imap *im, const struct config *cfg, const char *instance,
    const char *store_path, GError **err)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	g_autoptr(GPtrArray) before = NULL, after = NULL;
	g_autofree char *msg = NULL;
	struct claim_holder *other;

	if (!open_folder(im, cfg, err) || (before = read_markers(im, err)) == NULL)
		return FALSE;
	if ((other = live_other(cfg, before, instance, now)) != NULL)
		goto refused;
	msg = marker(cfg, instance, store_path, now);
	if (!imap_append(im, cfg->imap_claim_folder, msg, strlen(msg), err))
		return FALSE;
	/* read again: two daemons starting together both appended */
	if (!open_folder(im, cfg, err) || (after = read_markers(im, err)) == NULL)
		return FALSE;
	if ((other = live_other(cfg, after, instance, now)) != NULL) {
		/* the older live marker wins; ours goes */
		for (guint i = 0; i < after->len; i++) {
			struct claim_holder *h = g_ptr_array_index(after, i);

			if (g_strcmp0(h->instance, instance) == 0 && h->uid > other->uid)
				imap_delete(im, h->uid, NULL);
		}
		before = g_steal_pointer(&after);
		goto refused;
	}
	/* ours is now the only live one: the older markers and stale ones go */
	{
		guint32 mine = 0;

		for (guint i = 0; i < after->len; i++) {
			struct claim_holder *h = g_ptr_array_index(after, i);

			if (g_strcmp0(h->instance, instance) == 0 && h->uid > mine)
				mine = h->uid;
		}
		for (guint i = 0; i < after->len; i++) {
			struct claim_holder *h = g_ptr_array_index(after, i);

			if (h->uid != mine && !imap_delete(im, h->uid, err))
				return FALSE;
		}
	}
	return TRUE;
refused:
	{
		g_autofree char *who = claim_describe(other, now);

		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CLAIMED,
		    "mailbox %s of %s:%d is held by another guichet installation (%s): "
		    "refused, to avoid splitting its messages and answering twice; stop that "
		    "installation, or wait until its claim in %s expires (%" G_GINT64_FORMAT
		    " s without heartbeat)", cfg->imap_folder, cfg->imap.host, cfg->imap.port,
		    who, cfg->imap_claim_folder, claim_stale_after(cfg));
		return FALSE;
	}
}

void
claim_release(struct imap *im, const struct config *cfg, const char *instance)
{
	g_autoptr(GPtrArray) m = NULL;
	g_autoptr(GError) e = NULL;

	if (!open_folder(im, cfg, &e) || (m = read_markers(im, &e)) == NULL) {
		log_warnx("%s: claim not released: %s", cfg->imap_claim_folder, e->message);
		return;
	}
	for (guint i = 0; i < m->len; i++) {
		struct claim_holder *h = g_ptr_array_index(m, i);

		if (g_strcmp0(h->instance, instance) == 0 && !imap_delete(im, h->uid, &e)) {
			log_warnx("%s: claim not released: %s", cfg->imap_claim_folder,
			    e->message);
			return;
		}
	}
}
