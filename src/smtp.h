/*
 * smtp.h: drains the outbox over SMTP (libetpan), for `guichet send` and
 * the daemon.
 *
 * Each queued row whose next_attempt has come is sent with its own MAIL
 * FROM (mail_from, "" for <>) and one RCPT, over up to smtp.sessions
 * connections at once when many rows are due (smtp.c).  A row becomes
 * 'sent' only after the server's 250 for DATA, marked at once by the
 * thread that sent it (one thread at a time on the store).  A 4xx answer
 * retries later (exponential backoff with jitter in next_attempt); a 5xx
 * answer, or a row still failing after send_retry_max_hours, becomes
 * 'failed' with the server's answer in last_answer and a 'failed' event on
 * the request.  When the server cannot be reached or refuses the
 * connection (network, certificate, login) no row changes and FALSE is
 * returned with err (GUICHET_ERROR_TEMP or GUICHET_ERROR_CONFIG, see net.h).
 */
#ifndef GUICHET_SMTP_H
#define GUICHET_SMTP_H

#include <glib.h>
#include "config.h"
#include "store.h"

/*
 * smtp_drain_session's flags: SMTP_DRAIN_ALL also sends queued rows whose
 * next_attempt has not come yet (`guichet send --all`).
 */
#define SMTP_DRAIN_ALL	0x1

/*
 * The SMTP connections kept open across drains (the daemon sends a
 * burst's replies over them).  A drain on a kept connection sends RSET
 * first and connects again when the server has dropped it; a row's crash
 * guarantees are those of any drain (marked sent after the 250, see
 * smtp.c).  smtp_session_close sends QUIT and keeps the
 * struct for a later connection; smtp_session_free closes and frees.
 */
struct smtp_session;
struct smtp_session *smtp_session_new(void);
void		 smtp_session_close(struct smtp_session *);
void		 smtp_session_free(struct smtp_session *);
/*
 * In a forked child: close the kept connections' sockets without QUIT
 * (see imap_drop_in_child in imap.h).  NULL is fine.
 */
void		 smtp_session_drop_in_child(struct smtp_session *);
/* Microseconds since the session was last used; -1 when no connection is open. */
gint64		 smtp_session_idle_us(const struct smtp_session *);
/* Drain once. *sent / *failed (may be NULL) count rows changed by this call. */
gboolean	 smtp_drain_session(struct store *, const struct config *,
		    struct smtp_session *, int flags, int *sent, int *failed, GError **err);

#endif
