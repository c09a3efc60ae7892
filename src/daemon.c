/*
 * daemon.c: `guichet run [--once]`, the service.  One thread, one loop:
 * connect, look at the contact folder, process each new message through
 * the pipeline (stored with the folder position in one durable
 * transaction), only then move or flag it on the server, drain the outbox,
 * look at the Sent folder, then wait in IDLE (or sleep when the server has
 * no IDLE) until news, a timer or a signal.
 *
 * Faults are graded (STYLE.md): a bad message is quarantined and the rest
 * goes on; a lost connection reconnects with exponential backoff and
 * jitter; a store failure stops processing (nothing is moved) and retries.
 * A lock on "<store>.lock" keeps a second instance away.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "claim.h"
#include "cmd.h"
#include "guard.h"
#include "imap.h"
#include "learn.h"
#include "log.h"
#include "rekind.h"
#include "net.h"
#include "mailcmd.h"
#include "pipeline.h"
#include "privacy.h"
#include "schedule.h"
#include "sent.h"
#include "smtp.h"
#include "store_learn.h"
#include "store_setaside.h"
#include "viewfmt.h"
#include "vocab.h"
#include "urgent.h"
#include "daemon_int.h"
#include "sdnotify.h"

#define IDLE_MAX	(28 * 60)	/* re-issue IDLE before the 29 minutes of RFC 2177 */
#define BACKOFF_MAX	300		/* seconds */
#define DAY		86400
#define LEARN_HOUR	3		/* local hour of the nightly retraining */
#define SCHEDULE_EVERY	(5 * 60)	/* seconds between looks at the scheduled reports */
#define SMTP_KEEP	30		/* seconds an unused SMTP session stays open */


volatile sig_atomic_t got_term;
static volatile sig_atomic_t got_hup;
static int sig_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
	if (sig_pipe[1] != -1)
		(void)!write(sig_pipe[1], "x", 1);
	errno = saved;
}

static void
signals_init(void)
{
	struct sigaction sa;

	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		fatal("pipe");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
drain_sig_pipe(void)
{
	char buf[64];

	while (read(sig_pipe[0], buf, sizeof(buf)) > 0)
		;
}

static gint64
now_s(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

void
notify_status(struct daemon *d)
{
	int queued = d->store != NULL ? store_outbox_queued(d->store) : -1;

	sdnotifyf("STATUS=%s, last message: %s, outbox: %d queued",
	    d->imap != NULL ? "connected" : "not connected",
	    d->last_message != NULL ? d->last_message : "none", queued);
}

static void
watchdog(struct daemon *d)
{
	if (d->watchdog_usec == 0)
		return;
	sdnotify("WATCHDOG=1");
	d->last_watchdog = g_get_monotonic_time();
}

/*
 * Sleep up to secs, woken early by a signal.  Keeps the watchdog fed.
 * Returns FALSE when a signal came.
 */
static gboolean
nap(struct daemon *d, int secs)
{
	gint64 end = g_get_monotonic_time() + (gint64)secs * G_USEC_PER_SEC;

	for (;;) {
		gint64 left = end - g_get_monotonic_time();
		struct pollfd pfd = { sig_pipe[0], POLLIN, 0 };
		int ms;

		if (got_term || got_hup)
			return FALSE;
		if (left <= 0)
			return TRUE;
		ms = (int)MIN(left / 1000 + 1, 60000);
		if (d->watchdog_usec != 0)
			ms = MIN(ms, (int)(d->watchdog_usec / 2000));
		if (poll(&pfd, 1, ms) > 0)
			drain_sig_pipe();
		watchdog(d);
	}
}

/* Exponential backoff with jitter: wait between half and all of the step. */
static void
backoff_wait(struct daemon *d, const char *why)
{
	int step = d->backoff > 0 ? d->backoff : 1;
	int secs = step / 2 + g_random_int_range(0, step / 2 + 1);

	if (secs < 1)
		secs = 1;
	log_info("retrying in %d s (%s)", secs, why);
	d->backoff = MIN(step * 2, BACKOFF_MAX);
	nap(d, secs);
}

/* Drain the outbox when something is due; logs failures, never fatal. */
void
drain_outbox(struct daemon *d)
{
	const struct config *cfg = d->setup->cfg;
	g_autoptr(GError) e = NULL;
	int sent = 0, failed = 0;

	if (!store_outbox_due_now(d->store, now_s()) || now_s() < d->smtp_next)
		return;
	if (d->smtp == NULL)
		d->smtp = smtp_session_new();
	if (!smtp_drain_session(d->store, cfg, d->smtp, 0, &sent, &failed, &e)) {
		/* The server is away: do not knock every second. */
		d->smtp_backoff = MIN(MAX(d->smtp_backoff * 2, 5), BACKOFF_MAX);
		d->smtp_next = now_s() + d->smtp_backoff / 2 +
		    g_random_int_range(0, d->smtp_backoff / 2 + 1);
		log_warnx("outbox: %s (next try in %lld s)", e->message,
		    (long long)(d->smtp_next - now_s()));
	} else
		d->smtp_backoff = 0;
	if (sent > 0 || failed > 0)
		log_debug("outbox: %d sent, %d failed", sent, failed);
}

/* The reminders of urgent alerts that are due (urgent.h); never fatal. */
static void
remind_urgent(struct daemon *d)
{
	g_autoptr(GError) e = NULL;
	gint64 next = urgent_remind(d->store, d->setup, now_s(), &e);

	if (next < 0) {
		log_warnx("urgent reminders: %s (trying again in a minute)",
		    e != NULL ? e->message : "store error");
		next = now_s() + 60;
	}
	d->next_remind = next;
}

/* Was (folder, uidvalidity, uid) stored as quarantined? */
static gboolean
stored_quarantined(struct daemon *d, const char *folder, guint32 uv, guint32 uid)
{
	return store_message_quarantined(d->store, folder, uv, uid);
}

/*
 * Messages still in the folder at or below last_uid are stored already (a
 * crash came between the commit and the move, or a move failed): only
 * move or flag them.
 */
static gboolean
settle(struct daemon *d, const char *folder, guint32 uv, GError **err)
{
	const struct config *cfg = d->setup->cfg;
	gboolean flag = g_strcmp0(cfg->imap_after, "flag") == 0;
	g_autoptr(GArray) uids = NULL;

	if (d->last_uid <= 0)
		return TRUE;
	if (!flag && cfg->imap_done_folder == NULL)
		return TRUE;
	uids = imap_list_uids(d->imap, 1, (guint32)d->last_uid,
	    flag ? (cfg->imap_flag != NULL ? cfg->imap_flag : "$Guichet") : NULL, err);
	if (uids == NULL)
		return FALSE;
	for (guint i = 0; i < uids->len; i++) {
		guint32 uid = g_array_index(uids, guint32, i);
		g_autoptr(GError) e = NULL;

		if (!daemon_dispose(d, uid, stored_quarantined(d, folder, uv, uid), &e)) {
			if (imap_broken(d->imap)) {
				g_propagate_error(err, g_steal_pointer(&e));
				return FALSE;
			}
			log_warnx("%s UID %u: %s", folder, uid, e->message);
			continue;
		}
		log_info("%s UID %u: already stored, %s now", folder, uid,
		    flag ? "flagged" : "moved");
	}
	return TRUE;
}

/*
 * After an upgrade, each message an older guichet set aside (crash guard)
 * is tried once more from its stored bytes; the try is noted first, so a
 * crash during it is not repeated.  Called once per process.
 */
static void
retry_set_aside(struct daemon *d)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(GPtrArray) due = store_set_aside_due(d->store, GUICHET_VERSION, &e);

	if (due == NULL) {
		log_warnx("set-aside messages: %s", e->message);
		return;
	}
	for (guint i = 0; i < due->len && !got_term; i++) {
		struct set_aside *a = g_ptr_array_index(due, i);
		g_autofree char *source = g_strdup_printf("retry:%" G_GINT64_FORMAT, a->id);
		g_autoptr(Request) r = NULL;

		if (!store_set_aside_retried(d->store, a->id, GUICHET_VERSION, &e)) {
			log_warnx("set-aside message %" G_GINT64_FORMAT ": %s", a->id, e->message);
			return;
		}
		r = request_new(source, g_steal_pointer(&a->raw), a->len);
		if (!pipeline_process(&d->pipe, r, NULL, PIPE_DURABLE, &e)) {
			log_warnx("set-aside message %" G_GINT64_FORMAT ": %s", a->id, e->message);
			g_clear_error(&e);
			continue;
		}
		if (r->status == REQ_DUPLICATE || !store_set_aside_drop(d->store, a->id, &e)) {
			log_warnx("set-aside message %" G_GINT64_FORMAT ": kept (%s)", a->id,
			    e != NULL ? e->message : "already stored");
			g_clear_error(&e);
			continue;
		}
		log_info("set-aside message %" G_GINT64_FORMAT " (set aside by guichet %s) tried "
		    "again by %s: %s %s", a->id, a->by, GUICHET_VERSION,
		    r->status == REQ_QUARANTINED ? "quarantined again:" : "stored as",
		    r->status == REQ_QUARANTINED ? (r->reason != NULL ? r->reason : "?") :
		    (r->ref != NULL ? r->ref : "-"));
	}
}

/* Select the contact folder and learn its position; handles a new UIDVALIDITY. */
static gboolean
select_contact(struct daemon *d, guint32 *uv, GError **err)
{
	const char *folder = d->setup->cfg->imap_folder;
	gint64 known_uv = 0, last = 0;

	if (!imap_select(d->imap, folder, FALSE, uv, err))
		return FALSE;
	store_mailbox_get(d->store, folder, &known_uv, &last);
	if (known_uv != *uv) {
		if (known_uv != 0)
			log_warnx("%s: UIDVALIDITY changed (%lld to %u): scanning the "
			    "folder again, stored messages are recognised by Message-ID",
			    folder, (long long)known_uv, *uv);
		last = 0;
		if (!store_mailbox_set(d->store, folder, *uv, 0, err)) {
			g_prefix_error(err, "store: ");
			return FALSE;
		}
	}
	d->last_uid = last;
	return TRUE;
}

/*
 * One full cycle: the Sent folder, then the contact folder (settle what
 * is stored, process what is new), then the outbox.
 */
static gboolean
cycle(struct daemon *d, GError **err)
{
	const struct config *cfg = d->setup->cfg;
	const char *folder = cfg->imap_folder;
	g_autoptr(GArray) uids = NULL;
	guint32 uv;
	int answered = 0;

	if (d->claimed && now_s() - d->claim_beat >= CLAIM_BEAT) {
		if (!claim_take(d->imap, cfg, d->instance, d->store_path, err)) {
			if ((*err)->code == GUICHET_ERROR_CLAIMED) {
				/* our claim expired and another installation took it */
				d->claimed = FALSE;
				d->claim_refused = TRUE;
				got_term = 1;
			}
			return FALSE;
		}
		d->claim_beat = now_s();
	}
	if (cfg->imap_sent_folder != NULL) {
		g_autoptr(GError) e = NULL;

		if (!sent_check(d->imap, d->store, cfg, &answered, &d->sent_more, &e)) {
			if (imap_broken(d->imap) || e->code == GUICHET_ERROR_STORE) {
				g_propagate_error(err, g_steal_pointer(&e));
				return FALSE;
			}
			log_warnx("%s: %s", cfg->imap_sent_folder, e->message);
		}
	}
	if (!select_contact(d, &uv, err) || !settle(d, folder, uv, err))
		return FALSE;
	if ((uids = imap_list_uids(d->imap, (guint32)d->last_uid + 1, 0, NULL, err)) == NULL)
		return FALSE;
	if (!daemon_process_new(d, folder, uv, uids, err))
		return FALSE;
	remind_urgent(d);
	drain_outbox(d);
	return TRUE;
}

/* Seconds until the next outbox retry is due, or -1 when nothing is queued. */
static gint64
outbox_due_in(struct daemon *d)
{
	gint64 next = store_outbox_next_attempt(d->store);

	if (next < 0)
		return -1;
	return MAX(MAX(next, d->smtp_next) - now_s(), 1);
}

/*
 * Wait for news: IDLE on the contact folder when the server has it, else
 * a sleep of poll_interval.  Wakes early for a signal or an outbox retry.
 * FALSE with err when the connection failed.
 */
static gboolean
wait_news(struct daemon *d, GError **err)
{
	const struct config *cfg = d->setup->cfg;
	gint64 wait = cfg->poll_interval > 0 ? cfg->poll_interval : 60;
	gint64 due = outbox_due_in(d), end;
	g_autoptr(GArray) uids = NULL;
	gboolean idle = cfg->imap_idle && imap_has_idle(d->imap) && !d->idle_refused;
	g_autoptr(GError) e = NULL;

	if (due > 0)
		wait = MIN(wait, due);
	wait = MIN(wait, MAX(d->next_schedule - now_s(), 1));
	if (d->next_purge > 0)
		wait = MIN(wait, MAX(d->next_purge - now_s(), 1));
	if (d->next_remind > 0)
		wait = MIN(wait, MAX(d->next_remind - now_s(), 1));
	if (d->sent_more)
		return TRUE;
	/* A kept SMTP session is closed once unused for SMTP_KEEP seconds. */
	if (smtp_session_idle_us(d->smtp) >= (gint64)SMTP_KEEP * G_USEC_PER_SEC)
		smtp_session_close(d->smtp);
	else if (smtp_session_idle_us(d->smtp) >= 0)
		wait = MIN(wait, MAX(SMTP_KEEP - smtp_session_idle_us(d->smtp) / G_USEC_PER_SEC, 1));
	if (!idle)
		return nap(d, (int)wait), TRUE;

	/*
	 * A message may have come after the last look but been announced in
	 * an answer to an earlier command: look again before idling.
	 */
	if ((uids = imap_list_uids(d->imap, (guint32)d->last_uid + 1, 0, NULL, err)) == NULL)
		return FALSE;
	if (uids->len > 0)
		return TRUE;
	if (d->learner > 0)
		wait = MIN(wait, 2);	/* load the model soon after its training */
	wait = MIN(wait, IDLE_MAX);
	if (!imap_idle_start(d->imap, &e)) {
		if (imap_broken(d->imap)) {
			g_propagate_error(err, g_steal_pointer(&e));
			return FALSE;
		}
		/* Announced but refused: poll on this connection. */
		log_warnx("%s; polling every %lld s instead", e->message, (long long)wait);
		d->idle_refused = TRUE;
		return nap(d, (int)wait), TRUE;
	}
	end = g_get_monotonic_time() + wait * G_USEC_PER_SEC;
	for (;;) {
		struct pollfd pfd[2] = {
			{ imap_idle_fd(d->imap), POLLIN, 0 },
			{ sig_pipe[0], POLLIN, 0 },
		};
		gint64 left = end - g_get_monotonic_time();
		int ms, n;

		/* NOTES pitfall 5: the server's answer may already be buffered. */
		if (imap_idle_pending(d->imap) || left <= 0 || got_term || got_hup)
			break;
		ms = (int)MIN(left / 1000 + 1, 60000);
		if (d->watchdog_usec != 0)
			ms = MIN(ms, (int)(d->watchdog_usec / 2000));
		n = poll(pfd, 2, ms);
		watchdog(d);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (pfd[1].revents & POLLIN))
			drain_sig_pipe();
		if (n > 0 && pfd[0].revents != 0)
			break;
	}
	return imap_idle_done(d->imap, err);
}

/* SIGHUP: load configuration, rules and templates whole; keep the old set on error. */
static void
reload(struct daemon *d)
{
	g_autoptr(GError) e = NULL;
	struct setup *s;

	got_hup = 0;
	log_info("SIGHUP: reloading %s", d->g->config_path);
	if ((s = setup_load(d->g->config_path, &e)) == NULL) {
		log_err("reload refused, the running configuration stays:\n%s", e->message);
		return;
	}
	if (d->g->db_path == NULL && g_strcmp0(s->cfg->store_path, d->store_path) != 0)
		log_warnx("reload: a new store path takes effect at the next start");
	setup_free(d->setup);
	d->setup = s;
	d->pipe.setup = s;
	if (d->store != NULL)
		store_set_ref_prefix(d->store, s->cfg->region_code);
	/* the training folder or the model settings may have changed */
	d->model_tried = FALSE;
	/* Server settings may have changed: connect again. */
	imap_close(d->imap);
	d->imap = NULL;
	smtp_session_close(d->smtp);
	log_info("reload done");
}

/*
 * Monthly and annual reports (schedule.c): at start, then every few
 * minutes; what it queues leaves with the next drain of the outbox.
 */
static void
maybe_schedule(struct daemon *d)
{
	g_autoptr(GString) report = g_string_new(NULL);
	g_autoptr(GError) e = NULL;
	g_auto(GStrv) lines = NULL;

	if (now_s() < d->next_schedule)
		return;
	d->next_schedule = now_s() + SCHEDULE_EVERY;
	if (!schedule_run(d->store, d->setup, schedule_now(), report, &e)) {
		log_warnx("scheduled reports: %s (trying again in %d min)", e->message,
		    SCHEDULE_EVERY / 60);
		return;
	}
	lines = g_strsplit(report->str, "\n", -1);
	for (char **l = lines; *l != NULL; l++)
		if (**l != '\0')
			log_info("scheduled reports: %s", *l);
}

/* The next LEARN_HOUR o'clock, local time: the nightly retraining. */
static gint64
next_night(const struct config *cfg)
{
	GTimeZone *tz = view_tz(cfg);
	GDateTime *now = g_date_time_new_now(tz);
	GDateTime *at = g_date_time_new(tz, g_date_time_get_year(now),
	    g_date_time_get_month(now), g_date_time_get_day_of_month(now), LEARN_HOUR, 0, 0);
	gint64 t = g_date_time_to_unix(at);

	if (t <= g_date_time_to_unix(now))
		t += DAY;
	g_date_time_unref(at);
	g_date_time_unref(now);
	g_time_zone_unref(tz);
	return t;
}

static void
set_model(struct daemon *d, struct lmodel *m)
{
	model_free(d->model);
	d->model = m;
	d->pipe.model = m;
}

/*
 * Train the model in a child process, so that mail keeps flowing meanwhile:
 * the child opens the store on its own connection, writes the model file
 * atomically and exits 0; the loop loads the file when the child is done.
 */
static void
start_learner(struct daemon *d, const char *why)
{
	pid_t pid, parent = getpid();

	if (d->learner > 0)
		return;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		log_warn("model: cannot start the training (%s)", why);
		return;
	}
	if (pid == 0) {
		g_autofree char *path = learn_model_path(d->setup->cfg, d->store_path);
		GError *e = NULL;
		struct store *st;
		struct lmodel *m = NULL;
		int ok;

		/*
		 * The child dies with the daemon and does not hold its lock: a
		 * daemon restarted after a crash must not find it taken.
		 */
		close(d->lock_fd);
		/*
		 * Nor the daemon's IMAP and SMTP connections: the sockets are
		 * close-on-exec, but the child does not exec, and a connection
		 * the daemon gives up (or a daemon killed) must end at once,
		 * not when the training does.
		 */
		imap_drop_in_child(d->imap);
		smtp_session_drop_in_child(d->smtp);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
			_exit(1);
		/* mail comes first: the training takes what CPU is left */
		if (setpriority(PRIO_PROCESS, 0, 19) != 0)
			log_debug("model: setpriority: %s", g_strerror(errno));
		if ((st = store_open(d->store_path, STORE_READONLY, &e)) != NULL)
			m = learn_retrain(d->setup, st, path, NULL, &e);
		if (!(ok = m != NULL))
			log_warnx("model: training failed, the model in place stays: %s",
			    e != NULL ? e->message : "?");
		model_free(m);
		store_close(st);
		g_clear_error(&e);
		/* _exit: the parent's connections and buffers are not ours to close */
		_exit(ok ? 0 : 1);
	}
	d->learner = pid;
	d->learner_why = why;
	log_info("model: training started (%s)", why);
}

/*
 * The learned model: the model file when it is current, else trained in
 * the background (the rules classify alone until it is ready); trained
 * again every night and after model.retrain_after new corrections.  A
 * failure keeps the model in place.
 */
static void
maybe_learn(struct daemon *d)
{
	const struct config *cfg = d->setup->cfg;
	gint64 last, n;
	int st;

	if (!cfg->model_enabled) {
		set_model(d, NULL);
		return;
	}
	n = store_label_events(d->store, &last);
	if (d->learner > 0 && waitpid(d->learner, &st, WNOHANG) == d->learner) {
		d->learner = 0;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			g_autoptr(GError) e = NULL;
			g_autofree char *path = learn_model_path(cfg, d->store_path);
			struct lmodel *m = model_load(path, &e);

			if (m != NULL) {
				set_model(d, m);
				log_info("model: trained (%s), %" G_GINT64_FORMAT
				    " corrections by the delegate", d->learner_why, d->learning_labels);
				d->learned_labels = d->learning_labels;
			} else
				log_warnx("model: %s", e->message);
		}
	}
	if (d->learner > 0)
		return;
	if (!d->model_tried) {
		d->model_tried = TRUE;
		d->next_learn = next_night(cfg);
		set_model(d, learn_model_current(d->setup, d->store_path));
		d->learned_labels = n;
		if (d->model == NULL && !d->once) {
			d->learning_labels = n;
			start_learner(d, "no current model");
		}
		return;
	}
	if (d->once)
		return;		/* one cycle: no training started that it would not wait for */
	if (now_s() >= d->next_learn) {
		d->next_learn = next_night(cfg);
		d->learning_labels = n;
		start_learner(d, "nightly");
	} else if (cfg->model_retrain_after > 0 &&
	    n - d->learned_labels >= cfg->model_retrain_after) {
		d->learning_labels = n;
		start_learner(d, "new corrections");
	}
}

/* Daily purge of what the retention periods allow (privacy.c), on the daemon's store. */
static void
maybe_purge(struct daemon *d)
{
	g_autoptr(GString) report = g_string_new(NULL);
	g_autoptr(GError) e = NULL;
	g_auto(GStrv) lines = NULL;

	if (d->next_purge == 0 || now_s() < d->next_purge)
		return;
	d->next_purge = now_s() + DAY;
	/* privacy_purge also compacts the file when it removed anything. */
	if (!privacy_purge(d->store, d->setup->cfg, now_s(), FALSE, report, &e)) {
		log_warnx("daily purge: %s (trying again tomorrow)", e->message);
		return;
	}
	lines = g_strsplit(report->str, "\n", -1);
	for (char **l = lines; *l != NULL; l++)
		if (**l != '\0' && !g_str_has_prefix(*l, "purged: 0 "))
			log_info("daily purge: %s", *l);
}

static gboolean
connect_mailbox(struct daemon *d, GError **err)
{
	const struct config *cfg = d->setup->cfg;

	if ((d->imap = imap_open(cfg, err)) == NULL)
		return FALSE;
	d->idle_refused = FALSE;
	if ((g_strcmp0(cfg->imap_after, "flag") != 0 && cfg->imap_done_folder != NULL &&
	    !imap_ensure_folder(d->imap, cfg->imap_done_folder, err)) ||
	    (cfg->imap_quarantine_folder != NULL &&
	    !imap_ensure_folder(d->imap, cfg->imap_quarantine_folder, err))) {
		imap_close(d->imap);
		d->imap = NULL;
		return FALSE;
	}
	/* one installation per mailbox (claim.h) */
	if (!claim_take(d->imap, cfg, d->instance, d->store_path, err)) {
		if (*err != NULL && (*err)->code == GUICHET_ERROR_CLAIMED)
			d->claim_refused = TRUE;
		imap_close(d->imap);
		d->imap = NULL;
		return FALSE;
	}
	d->claimed = TRUE;
	d->claim_beat = now_s();
	/* the mailbox is ours: what an older version set aside may be tried again */
	if (!d->retried) {
		d->retried = TRUE;
		retry_set_aside(d);
	}
	log_info("imap %s:%d: connected, watching %s with %s", cfg->imap.host,
	    cfg->imap.port, cfg->imap_folder,
	    cfg->imap_idle && imap_has_idle(d->imap) ? "IDLE" : "polling");
	return TRUE;
}

static void close_store(struct daemon *);

static gboolean
open_store(struct daemon *d, GError **err)
{
	if (d->store != NULL)
		return TRUE;
	if ((d->store = store_open(d->store_path, 0, err)) == NULL)
		return FALSE;
	store_set_ref_prefix(d->store, d->setup->cfg->region_code);
	d->pipe.store = d->store;
	if (d->instance == NULL && (d->instance = store_meta_get(d->store, "instance")) == NULL) {
		d->instance = g_strdup_printf("%08x%08x", g_random_int(), g_random_int());
		if (!store_meta_set(d->store, "instance", d->instance, err)) {
			g_clear_pointer(&d->instance, g_free);
			close_store(d);
			return FALSE;
		}
	}
	return rekind_pending(d->store, d->setup, err);
}

static void
close_store(struct daemon *d)
{
	store_close(d->store);
	d->store = NULL;
	d->pipe.store = NULL;
}

/* The loop.  Returns the exit status. */
static int
loop(struct daemon *d)
{
	gboolean ready = FALSE;
	int status = 0;

	while (!got_term) {
		g_autoptr(GError) e = NULL;

		if (got_hup)
			reload(d);
		if (!open_store(d, &e)) {
			log_err("%s", e->message);
			if (d->once)
				return 1;
			backoff_wait(d, "store");
			continue;
		}
		/*
		 * Ready once the store is open: a mail server that is down is
		 * waited for while running, not a failed start.
		 */
		if (!ready) {
			sdnotify("READY=1");
			ready = TRUE;
		}
		maybe_schedule(d);
		maybe_learn(d);
		if (d->imap == NULL && !connect_mailbox(d, &e)) {
			log_err("%s", e->message);
			notify_status(d);
			if (d->claim_refused)
				return 1;
			if (d->once) {
				/* Still send what is queued: the outbox does not need IMAP. */
				drain_outbox(d);
				return 1;
			}
			backoff_wait(d, "imap connection");
			continue;
		}
		if (!cycle(d, &e)) {
			if (e->code == GUICHET_ERROR_STORE || !imap_broken(d->imap)) {
				/* Nothing was moved: the message stays for the next try. */
				log_err("%s", e->message);
				if (e->code == GUICHET_ERROR_STORE)
					close_store(d);
			} else
				log_warnx("%s", e->message);
			imap_close(d->imap);
			d->imap = NULL;
			notify_status(d);
			if (d->once) {
				status = 1;
				break;
			}
			backoff_wait(d, e->code == GUICHET_ERROR_STORE ? "store" : "imap");
			continue;
		}
		d->backoff = 0;
		maybe_purge(d);
		notify_status(d);
		watchdog(d);
		if (d->once)
			break;
		g_clear_error(&e);
		if (!wait_news(d, &e)) {
			log_warnx("%s", e->message);
			imap_close(d->imap);
			d->imap = NULL;
		}
	}
	sdnotify("STOPPING=1");
	return status;
}

int
cmd_run(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct daemon d;
	g_autoptr(GError) e = NULL;
	int ch, lock, status;

	memset(&d, 0, sizeof(d));
	d.g = g;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': d.once = TRUE; break;
		default: return cmd_usage("run");
		}
	}
	if (optind != argc)
		return cmd_usage("run");
	if ((d.setup = setup_load(g->config_path, &e)) == NULL) {
		g_printerr("guichet: %s\n", e->message);
		return 1;
	}
	d.store_path = g_strdup(g->db_path != NULL ? g->db_path : d.setup->cfg->store_path);
	if ((d.lock_fd = lock = guard_lock(d.store_path, &e)) == -1) {
		g_printerr("guichet: %s\n", e->message);
		setup_free(d.setup);
		g_free(d.store_path);
		return 1;
	}
	if ((d.lang = langid_new(&e)) == NULL) {
		g_printerr("guichet: %s\n", e->message);
		setup_free(d.setup);
		g_free(d.store_path);
		close(lock);
		return 1;
	}
	net_init();
	signals_init();
	if (!guard_arm(d.store_path, &e)) {
		g_printerr("guichet: %s\n", e->message);
		langid_free(d.lang);
		setup_free(d.setup);
		g_free(d.store_path);
		close(lock);
		return 1;
	}
	d.pipe.setup = d.setup;
	d.pipe.lang = d.lang;
	d.pipe.run_commands = mailcmd_run;
	if (sdnotify_watchdog(&d.watchdog_usec) <= 0)
		d.watchdog_usec = 0;
	/* The first purge after the first cycle, then daily. */
	d.next_purge = d.once ? 0 : now_s();
	log_info("guichet %s: %s%s", GUICHET_VERSION, d.once ? "one cycle on " : "watching ",
	    d.store_path);

	status = loop(&d);

	if (got_term && !d.claim_refused)
		log_info("stopping on signal");
	if (d.claim_refused)
		status = 1;
	if (d.imap != NULL && d.claimed && !imap_broken(d.imap))
		claim_release(d.imap, d.setup->cfg, d.instance);
	imap_close(d.imap);
	smtp_session_free(d.smtp);
	close_store(&d);
	pipeline_profile_report(stderr);	/* GUICHET_PROFILE: tests/bench/burst.sh */
	if (d.learner > 0) {
		kill(d.learner, SIGKILL);	/* it shares our SIGTERM handler */
		waitpid(d.learner, NULL, 0);
	}
	set_model(&d, NULL);
	langid_free(d.lang);
	setup_free(d.setup);
	g_free(d.store_path);
	g_free(d.last_message);
	g_free(d.instance);
	close(lock);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	return status;
}
