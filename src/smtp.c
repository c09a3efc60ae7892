/*
 * smtp.c: drains the outbox over SMTP (smtp.h), and `guichet send`.
 *
 * One drain at a time per store: an flock(2) on "<store>.send.lock" (freed
 * by the kernel when a process dies) keeps `guichet send` and the daemon
 * from sending the same row twice.  The due rows go in batches of BATCH,
 * each over up to smtp.sessions SMTP connections at once (one per
 * ROWS_PER_SESSION rows of the batch, so a short outbox keeps one
 * connection and its order), kept open from one batch and one drain to
 * the next.  Why several: the time of a reply is the server's, not
 * ours (measured with Exim: MAIL, RCPT and DATA are answered in 0.1 to
 * 0.3 ms each, the final dot in 8 to 25 ms: it writes and fsyncs its
 * spool and starts a delivery process before it answers), so one
 * connection waits for it message after message, several wait at once.
 * Each sender thread marks the rows it sent itself, one thread at a
 * time on the store (see "Sending a batch" below).
 *
 * The "sent" marks.  A row is marked sent right after the server's 250
 * for DATA, in a commit of its own, but that commit is
 * lazy (store_begin_lazy: synchronous = NORMAL for it alone): its WAL
 * frame is written to the kernel before the commit returns, so the mark
 * survives kill -9 or a crash of guichet, without an fsync of its own (an
 * fsync per reply made a burst of 1,000 replies take minutes).  Each
 * batch ends with one durable commit (synchronous = FULL, store_outbox_sync),
 * whose fdatasync() of the WAL puts every earlier frame on the disk with
 * it.  So:
 *  - never lost: a row is queued until its 250; nothing is marked before;
 *  - never twice after a process crash: the window is the one SMTP round
 *    trip between the 250 and the mark's write(), as with one connection
 *    (the server drops a message whose client is gone before its 250:
 *    Exim logs "SMTP connection lost after final dot"); with several
 *    connections, each can have one row inside that window at once;
 *  - after a power cut (the only event that drops a written but unsynced
 *    WAL frame) at most the marks since the last durable one are lost:
 *    fewer than BATCH rows, sent a second time at the next drain with the
 *    same Message-ID (mail programs show a duplicate Message-ID once).
 * A failure, a retry and a given-up row are marked durably, as before.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "cmd.h"
#include "config.h"
#include "log.h"
#include "net.h"
#include "setup.h"
#include "smtp.h"
#include "store.h"

#define BACKOFF_BASE	60		/* seconds after the first temporary failure */
#define BACKOFF_MAX	3600
#define BATCH		64
#define RECONNECTS	3
#define SESSIONS_MAX	16		/* the highest smtp.sessions (config.c) */
#define ROWS_PER_SESSION 16		/* due rows that make one more connection worth it */

/* An address fit for MAIL FROM / RCPT TO: no CR, LF, controls, <, >, space. */
static gboolean
address_ok(const char *a, gboolean empty_ok)
{
	const unsigned char *p;

	if (a == NULL || *a == '\0')
		return empty_ok;
	if (strlen(a) > 254 || strchr(a, '@') == NULL)
		return FALSE;
	for (p = (const unsigned char *)a; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>')
			return FALSE;
	return TRUE;
}

static gint64
backoff(gint64 attempts)
{
	gint64 d = BACKOFF_BASE;

	while (--attempts > 0 && d < BACKOFF_MAX)
		d *= 2;
	d = MIN(d, BACKOFF_MAX);
	/* jitter: 75% to 125% */
	return d * 3 / 4 + g_random_int_range(0, (gint32)(d / 2) + 1);
}

/*
 * The row's new state, in its own transaction: durable unless lazy (see
 * the top of the file).  *unsynced (when not NULL) counts the lazy commits
 * since the last durable one.
 */
static gboolean
row_update(struct store *s, const struct outbox_row *r, const char *status, gint64 next,
    const char *answer, gint64 now, gboolean lazy, int *unsynced, GError **err)
{
	if (!(lazy ? store_begin_lazy(s, err) : store_begin(s, err)))
		return FALSE;
	if (!store_outbox_mark(s, r->id, status, next, answer, now, err)) {
		store_rollback(s);
		return FALSE;
	}
	if (r->request_id > 0 && strcmp(status, "queued") != 0) {
		g_autofree char *detail = g_strdup_printf("%s%s%s", r->kind ? r->kind : "mail",
		    strcmp(status, "failed") == 0 ? ": " : "",
		    strcmp(status, "failed") == 0 ? answer : "");

		if (!store_event(s, r->request_id, status, detail, now, err)) {
			store_rollback(s);
			return FALSE;
		}
	}
	if (!store_commit(s, !lazy, err))
		return FALSE;
	if (unsynced != NULL)
		*unsynced = lazy ? *unsynced + 1 : 0;
	return TRUE;
}

/* "NNN text" of the server's last answer, one line, printable. */
static char *
answer_of(mailsmtp *smtp, int r)
{
	GString *out = g_string_new(NULL);
	const char *p;

	if (smtp->response_code > 0)
		g_string_append_printf(out, "%d ", smtp->response_code);
	if (smtp->response != NULL && smtp->response_code > 0) {
		for (p = smtp->response; *p && out->len < 400; p++)
			g_string_append_c(out, (*p == '\r' || *p == '\n' || *p == '\t') ? ' ' :
			    ((unsigned char)*p < ' ' || *p == 0x7f) ? '?' : *p);
		g_strchomp(out->str);
		out->len = strlen(out->str);
	} else
		g_string_append(out, net_smtp_strerror(r));
	return g_string_free(out, FALSE);
}

enum outcome { SENT, TEMPFAIL, PERMFAIL, LOST };

/* One transaction: MAIL, RCPT, DATA.  *answer: the answer that decided. */
static enum outcome
send_row(mailsmtp *smtp, const struct outbox_row *r, char **answer)
{
	gsize len;
	int rc;

	*answer = NULL;
	if (!address_ok(r->mail_from, TRUE)) {
		*answer = g_strdup("invalid envelope sender");
		return PERMFAIL;
	}
	if (!address_ok(r->rcpt, FALSE)) {
		*answer = g_strdup("invalid or erased recipient");
		return PERMFAIL;
	}
	if (r->data == NULL || r->len == 0) {
		*answer = g_strdup("no message data");
		return PERMFAIL;
	}
	smtp->response_code = 0;
	if ((rc = mailsmtp_mail(smtp, r->mail_from ? r->mail_from : "")) != MAILSMTP_NO_ERROR)
		goto fail;
	if ((rc = mailsmtp_rcpt(smtp, r->rcpt)) != MAILSMTP_NO_ERROR)
		goto fail;
	if ((rc = mailsmtp_data(smtp)) != MAILSMTP_NO_ERROR)
		goto fail;
	/* libetpan ends DATA with CRLF "." CRLF: drop the message's own last line end */
	len = r->len;
	if (len > 0 && r->data[len - 1] == '\n')
		len--;
	if (len > 0 && r->data[len - 1] == '\r')
		len--;
	if ((rc = mailsmtp_data_message(smtp, (const char *)r->data, len)) != MAILSMTP_NO_ERROR)
		goto fail;
	*answer = answer_of(smtp, rc);
	return SENT;
fail:
	*answer = answer_of(smtp, rc);
	if (rc == MAILSMTP_ERROR_STREAM || smtp->response_code == 421 || smtp->response_code == 0)
		return LOST;
	if (smtp->response_code >= 500)
		return PERMFAIL;
	return TEMPFAIL;
}

static int
lock_store(struct store *s, GError **err)
{
	const char *db = store_file(s);
	g_autofree char *path = NULL;
	int fd;

	if (db == NULL || *db == '\0')
		return -2;		/* in-memory store: nothing to share */
	path = g_strconcat(db, ".send.lock", NULL);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "%s: %s", path, g_strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "%s: %s", path,
			    g_strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

static void
disconnect(mailsmtp **smtp)
{
	if (*smtp != NULL) {
		mailsmtp_quit(*smtp);
		mailsmtp_free(*smtp);
		*smtp = NULL;
	}
}

/* Rows older than the retry limit become failed: the server stayed away. */
static void
give_up_old(struct store *s, const struct config *cfg, const char *why, gint64 now, int *failed)
{
	g_autoptr(GArray) rows = NULL;
	gint64 limit = (gint64)cfg->send_retry_max_hours * 3600, after = 0;
	guint i;

	while ((rows = store_outbox_due(s, after, now, TRUE, BATCH, NULL)) != NULL && rows->len > 0) {
		for (i = 0; i < rows->len; i++) {
			struct outbox_row *r = &g_array_index(rows, struct outbox_row, i);
			g_autofree char *answer = NULL;

			after = r->id;
			if (now - r->created < limit)
				continue;
			answer = g_strdup_printf("gave up after %d hours: %s",
			    cfg->send_retry_max_hours, why);
			if (row_update(s, r, "failed", 0, answer, now, FALSE, NULL, NULL)) {
				log_warnx("outbox %" G_GINT64_FORMAT ": failed (%s): %s", r->id,
				    r->kind, answer);
				(*failed)++;
			}
		}
		g_clear_pointer(&rows, g_array_unref);
	}
}

struct smtp_session {
	mailsmtp	*conn[SESSIONS_MAX];	/* kept between drains, NULL when closed */
	gint64		 last_use;	/* monotonic time of the last drain on it */
};

struct smtp_session *
smtp_session_new(void)
{
	return g_new0(struct smtp_session, 1);
}

void
smtp_session_close(struct smtp_session *ss)
{
	if (ss == NULL)
		return;
	for (int i = 0; i < SESSIONS_MAX; i++) {
		if (ss->conn[i] == NULL)
			continue;
		if (mailsmtp_quit(ss->conn[i]) != MAILSMTP_NO_ERROR)
			log_debug("smtp: QUIT not answered");
		mailsmtp_free(ss->conn[i]);
		ss->conn[i] = NULL;
	}
}

void
smtp_session_free(struct smtp_session *ss)
{
	smtp_session_close(ss);
	g_free(ss);
}

void
smtp_session_drop_in_child(struct smtp_session *ss)
{
	if (ss == NULL)
		return;
	for (int i = 0; i < SESSIONS_MAX; i++) {
		int fd;

		if (ss->conn[i] == NULL || ss->conn[i]->stream == NULL)
			continue;
		fd = mailstream_low_get_fd(mailstream_get_low(ss->conn[i]->stream));
		if (fd >= 0)
			close(fd);
	}
}

gint64
smtp_session_idle_us(const struct smtp_session *ss)
{
	if (ss == NULL)
		return -1;
	for (int i = 0; i < SESSIONS_MAX; i++)
		if (ss->conn[i] != NULL)
			return g_get_monotonic_time() - ss->last_use;
	return -1;
}

static gboolean
smtp_drain_flags(struct store *s, const struct config *cfg, int flags, int *sentp,
    int *failedp, GError **err)
{
	struct smtp_session *ss = smtp_session_new();
	gboolean ok = smtp_drain_session(s, cfg, ss, flags, sentp, failedp, err);

	smtp_session_free(ss);
	return ok;
}

/*
 * Sending a batch.  The rows of a batch are taken by up to smtp.sessions
 * sender threads, one SMTP connection each (one per ROWS_PER_SESSION rows:
 * a short outbox goes over one connection, in order).  A sender marks
 * the row it sent itself, right after the server's answer, exactly as a
 * drain over one connection does; the store is used by one sender at a
 * time (dr->lock; the caller waits meanwhile and touches nothing), so a
 * row's window between the 250 and its mark is what it always was, and
 * each connection can have one row inside it at once.
 */
struct drain {
	struct store		*store;		/* under lock */
	const struct config	*cfg;
	GArray			*rows;		/* the batch, read-only while senders run */
	gint			 next;		/* the next row to take (atomic) */
	gint			 stop;		/* take no more rows (atomic) */
	GMutex			 lock;		/* the store and the fields below */
	int			 sent, failed, unsynced;
	GError			*err;		/* the first store failure */
	GError			*conn_err;	/* the first connection failure */
};

struct sender {
	struct drain	*dr;
	mailsmtp	*smtp;		/* the session's connection i, given back after */
	gboolean	 reset;		/* a kept connection: RSET before its first row */
	GThread		*thread;
};

/* The row's new state after the server's answer, at once (under dr->lock). */
static void
sender_mark(struct drain *dr, const struct outbox_row *r, enum outcome o, const char *answer)
{
	const struct config *cfg = dr->cfg;
	struct store *s = dr->store;
	GError *e = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;

	switch (o) {
	case SENT:
		/* lazy: the batch ends with a durable commit (top of the file) */
		if (!row_update(s, r, "sent", 0, answer, now, TRUE, &dr->unsynced, &e)) {
			/* sent but not recorded: stop before anything else */
			g_prefix_error(&e, "outbox %" G_GINT64_FORMAT
			    " was sent but could not be marked: ", r->id);
			break;
		}
		log_info("outbox %" G_GINT64_FORMAT ": sent (%s): %s", r->id, r->kind, answer);
		dr->sent++;
		break;
	case PERMFAIL:
		if (row_update(s, r, "failed", 0, answer, now, FALSE, &dr->unsynced, &e)) {
			log_warnx("outbox %" G_GINT64_FORMAT ": failed (%s): %s", r->id, r->kind,
			    answer);
			dr->failed++;
		}
		break;
	case LOST:
	case TEMPFAIL:
		if (now - r->created >= (gint64)cfg->send_retry_max_hours * 3600) {
			g_autofree char *why = g_strdup_printf("gave up after %d hours: %s",
			    cfg->send_retry_max_hours, answer);

			if (row_update(s, r, "failed", 0, why, now, FALSE, &dr->unsynced, &e)) {
				log_warnx("outbox %" G_GINT64_FORMAT ": failed (%s): %s", r->id,
				    r->kind, why);
				dr->failed++;
			}
		} else if (row_update(s, r, "queued", now + backoff(r->attempts + 1), answer,
		    now, FALSE, &dr->unsynced, &e))
			log_warnx("outbox %" G_GINT64_FORMAT ": will retry (%s): %s", r->id,
			    r->kind, answer);
		break;
	}
	if (e != NULL) {
		/* a store failure on a row: stop, it would fail again */
		g_atomic_int_set(&dr->stop, 1);
		if (dr->err == NULL)
			dr->err = e;
		else {
			log_warnx("%s", e->message);
			g_error_free(e);
		}
	}
}

/* One sender: connect when needed, then take rows until none is left. */
static gpointer
sender_run(gpointer data)
{
	struct sender *sd = data;
	struct drain *dr = sd->dr;
	const struct config *cfg = dr->cfg;
	GError *e = NULL;
	gint64 retried = 0;
	int reconnects = 0, conn_sent;

	if (sd->smtp != NULL && sd->reset && mailsmtp_reset(sd->smtp) != MAILSMTP_NO_ERROR) {
		log_debug("smtp: kept session gone, connecting again");
		disconnect(&sd->smtp);
	}
	/* A kept connection that closes on its first row is retried once, as after a send. */
	conn_sent = sd->smtp != NULL ? 1 : 0;
	while (!g_atomic_int_get(&dr->stop)) {
		const struct outbox_row *r;
		g_autofree char *answer = NULL;
		enum outcome o;
		guint i;

		if (sd->smtp == NULL) {
			conn_sent = 0;
			if ((sd->smtp = net_smtp_connect(&cfg->smtp, cfg->helo, NULL, &e)) == NULL)
				break;
		}
		i = (guint)g_atomic_int_add(&dr->next, 1);
		if (i >= dr->rows->len)
			break;
		r = &g_array_index(dr->rows, struct outbox_row, i);
		o = send_row(sd->smtp, r, &answer);
		if (o == LOST && conn_sent > 0 && retried != r->id) {
			/*
			 * A server that closes after many messages (421, or a
			 * per-connection limit): once per row, reconnect and
			 * send the same row again at once.
			 */
			log_info("outbox %" G_GINT64_FORMAT ": connection closed (%s), reconnecting",
			    r->id, answer);
			retried = r->id;
			disconnect(&sd->smtp);
			if ((sd->smtp = net_smtp_connect(&cfg->smtp, cfg->helo, NULL, &e)) == NULL)
				break;		/* the row stays queued, untouched */
			conn_sent = 0;
			g_free(answer);
			o = send_row(sd->smtp, r, &answer);
		}
		g_mutex_lock(&dr->lock);
		sender_mark(dr, r, o, answer);
		g_mutex_unlock(&dr->lock);
		switch (o) {
		case SENT:
			conn_sent++;
			reconnects = 0;
			break;
		case PERMFAIL:
		case TEMPFAIL:
			mailsmtp_reset(sd->smtp);
			break;
		case LOST:
			disconnect(&sd->smtp);
			if (++reconnects > RECONNECTS)
				g_set_error(&e, GUICHET_ERROR, GUICHET_ERROR_TEMP,
				    "smtp %s:%d: connection lost: %s", cfg->smtp.host,
				    cfg->smtp.port, answer);
			break;
		}
		if (e != NULL)
			break;
	}
	if (e != NULL) {
		g_mutex_lock(&dr->lock);
		if (dr->conn_err == NULL)
			dr->conn_err = e;
		else
			g_error_free(e);
		g_mutex_unlock(&dr->lock);
	}
	return NULL;
}

gboolean
smtp_drain_session(struct store *s, const struct config *cfg, struct smtp_session *ss,
    int flags, int *sentp, int *failedp, GError **err)
{
	GError *e = NULL;
	gint64 after = 0, now;
	int sent = 0, failed = 0, lockfd, nmax;
	gboolean ok = TRUE, done = FALSE, fresh[SESSIONS_MAX];

	if (sentp != NULL)
		*sentp = 0;
	if (failedp != NULL)
		*failedp = 0;
	if ((lockfd = lock_store(s, err)) == -1)
		return FALSE;
	nmax = CLAMP(cfg->smtp_sessions, 1, SESSIONS_MAX);
	for (int i = 0; i < SESSIONS_MAX; i++)
		fresh[i] = TRUE;	/* a kept connection not yet checked in this drain */
	while (!done) {
		g_autoptr(GArray) rows = NULL;
		struct drain dr = { 0 };
		struct sender sd[SESSIONS_MAX];
		int n;

		now = g_get_real_time() / G_USEC_PER_SEC;
		rows = store_outbox_due(s, after, now, (flags & SMTP_DRAIN_ALL) != 0, BATCH, &e);
		if (rows == NULL) {
			ok = FALSE;
			break;
		}
		if (rows->len == 0)
			break;
		after = g_array_index(rows, struct outbox_row, rows->len - 1).id;
		dr.store = s;
		dr.cfg = cfg;
		dr.rows = rows;
		g_mutex_init(&dr.lock);
		n = MIN(nmax, 1 + ((int)rows->len - 1) / ROWS_PER_SESSION);
		for (int i = 0; i < n; i++) {
			sd[i] = (struct sender){ &dr, ss->conn[i], fresh[i], NULL };
			sd[i].thread = g_thread_try_new("smtp", sender_run, &sd[i], &e);
			if (sd[i].thread == NULL) {
				n = i;	/* as many senders as could start */
				break;
			}
			ss->conn[i] = NULL;
			fresh[i] = FALSE;
		}
		if (n > 0)
			g_clear_error(&e);
		for (int i = 0; i < n; i++) {
			g_thread_join(sd[i].thread);
			ss->conn[i] = sd[i].smtp;
		}
		g_mutex_clear(&dr.lock);
		sent += dr.sent;
		failed += dr.failed;
		if (n == 0) {
			g_prefix_error(&e, "smtp: ");
			ok = FALSE;
			done = TRUE;
		} else if (dr.err != NULL) {
			e = g_steal_pointer(&dr.err);
			ok = FALSE;
			done = TRUE;
		} else if ((guint)dr.next < rows->len) {
			/* rows left untaken: every connection failed (the server is away) */
			if (dr.conn_err == NULL)
				g_set_error(&dr.conn_err, GUICHET_ERROR, GUICHET_ERROR_TEMP,
				    "smtp %s:%d: connection lost", cfg->smtp.host, cfg->smtp.port);
			give_up_old(s, cfg, dr.conn_err->message, now, &failed);
			e = g_steal_pointer(&dr.conn_err);
			ok = FALSE;
			done = TRUE;
		} else if (dr.conn_err != NULL)
			log_info("smtp: %s (the other connections sent the rows)",
			    dr.conn_err->message);
		g_clear_error(&dr.err);
		g_clear_error(&dr.conn_err);
		/*
		 * The batch's lazy marks (fewer than BATCH) get one durable
		 * commit, before the next batch or the end of the drain.
		 */
		if (dr.unsynced > 0) {
			g_autoptr(GError) se = NULL;

			if (!store_outbox_sync(s, g_get_real_time() / G_USEC_PER_SEC, &se))
				log_warnx("outbox: %d sent marks not yet on disk (a power cut would "
				    "send them again): %s", dr.unsynced, se->message);
		}
	}
	/* Kept for the next drain while it works; a failed drain closes them. */
	if (!ok)
		smtp_session_close(ss);
	ss->last_use = g_get_monotonic_time();
	if (lockfd >= 0)
		close(lockfd);
	if (sentp != NULL)
		*sentp = sent;
	if (failedp != NULL)
		*failedp = failed;
	if (!ok) {
		if (e == NULL)
			g_set_error(&e, GUICHET_ERROR, GUICHET_ERROR_TEMP, "smtp: drain failed");
		g_propagate_error(err, e);
	} else
		g_clear_error(&e);
	return ok;
}

/*
 * guichet send [--all]: drain the outbox once.  Exit 0 when the server
 * could be reached (even if some messages failed permanently: they are
 * listed by `guichet list` and the digest), 1 otherwise.
 */
int
cmd_send(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct setup *setup = NULL;
	struct store *store = NULL;
	GError *e = NULL;
	int c, flags = 0, sent = 0, failed = 0, rc, left;
	gboolean ok;

	while ((c = getopt_long(argc, argv, "a", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			flags |= SMTP_DRAIN_ALL;
			break;
		default:
			return cmd_usage("send");
		}
	}
	if (optind != argc)
		return cmd_usage("send");
	if ((rc = cmd_open(g, &setup, &store, 0)) != 0)
		return rc;
	net_init();
	ok = smtp_drain_flags(store, setup->cfg, flags, &sent, &failed, &e);
	left = store_outbox_queued(store);
	printf("sent %d, failed %d, still queued %d\n", sent, failed, left < 0 ? 0 : left);
	if (!ok) {
		g_printerr("guichet: send: %s\n", e->message);
		g_error_free(e);
	}
	store_close(store);
	setup_free(setup);
	return ok ? 0 : 1;
}
