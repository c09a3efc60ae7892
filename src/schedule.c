/*
 * schedule.c: the monthly figures and the January annual report, queued
 * in the outbox once per period (schedule.h); `guichet schedule` runs it
 * by hand, the daemon at its start and then every few minutes.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "digest.h"
#include "mailcmd.h"
#include "reply.h"
#include "report.h"
#include "schedule.h"
#include "vocab.h"
#include "stats.h"
#include "viewfmt.h"

gint64
schedule_now(void)
{
	const char *env = g_getenv("GUICHET_NOW");
	char *end;
	gint64 t;

	if (env != NULL && *env != '\0') {
		t = g_ascii_strtoll(env, &end, 10);
		if (*end == '\0' && t > 0)
			return t;
	}
	return g_get_real_time() / G_USEC_PER_SEC;
}

/* Day of month of the first working day of y-m: Monday to Friday, not 1 January. */
static int
first_working_day(int y, int m)
{
	GDate d;

	g_date_clear(&d, 1);
	g_date_set_dmy(&d, 1, (GDateMonth)m, (GDateYear)y);
	if (m == 1)
		g_date_add_days(&d, 1);
	while (g_date_get_weekday(&d) == G_DATE_SATURDAY ||
	    g_date_get_weekday(&d) == G_DATE_SUNDAY)
		g_date_add_days(&d, 1);
	return g_date_get_day(&d);
}

static gint64
local_time(GTimeZone *tz, int y, int m, int d)
{
	g_autoptr(GDateTime) t = g_date_time_new(tz, y, m, d, 0, 0, 0);

	return g_date_time_to_unix(t);
}

/* Is (kind, period) in `periods` already? -1 on a store error. */
static int
period_sent(struct store *st, const char *kind, const char *period, GError **err)
{
	return store_period_sent(st, kind, period, err);
}

/* Was anything recorded before t (a request or a time log entry)? */
static gboolean
history_before(struct store *st, const struct setup *setup, gint64 t)
{
	g_autoptr(GTimeZone) tz = view_tz(setup->cfg);
	g_autofree char *day = view_time(t, tz, "%Y-%m-%d");
	return store_history_before(st, t, day);
}

/* Queue m and record (kind, period) in one durable transaction; *queued FALSE if done before. */
static gboolean
queue_once(struct store *st, const char *kind, const char *period, const struct outmail *m,
    gboolean *queued, GError **err)
{
	gint64 real = g_get_real_time() / G_USEC_PER_SEC, id;
	int rc;

	*queued = FALSE;
	if (!store_begin(st, err))
		return FALSE;
	/* Checked again inside the transaction: two runs at once queue one. */
	if ((rc = period_sent(st, kind, period, err)) != 0) {
		store_rollback(st);
		return rc > 0;
	}
	if ((id = store_outbox_add(st, 0, m, real, err)) == 0 ||
	    !store_period_add(st, kind, period, real, id, err))
		goto fail;
	if (!store_commit(st, TRUE, err))
		return FALSE;
	*queued = TRUE;
	return TRUE;
fail:
	store_rollback(st);
	return FALSE;
}

static const char *
recipient(const struct config *cfg)
{
	return cfg->digest_to != NULL && *cfg->digest_to ? cfg->digest_to : cfg->delegate_addr;
}

/* The figures of month m of year y. */
static const char monthly_footer[] = "Envoyé automatiquement le premier jour ouvrable "
    "de chaque mois. D'autres chiffres : répondez à ce message avec « #stats MOIS » "
    "(par exemple « #stats mars ») ou « #stats 2026 » pour une année ; la liste des "
    "commandes : « #aide ».";

static gboolean
monthly(struct store *st, const struct setup *setup, GTimeZone *tz, int y, int m,
    GString *log, GError **err)
{
	const struct config *cfg = setup->cfg;
	g_autofree char *period = g_strdup_printf("%04d-%02d", y, m);
	g_autofree char *fn = g_strdup_printf("stats-%s.csv", period);
	g_autofree char *subject = NULL, *html = NULL;
	g_autoptr(GString) table = g_string_new(NULL), csv = g_string_new(NULL);
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GPtrArray) parts = g_ptr_array_new();
	gint64 from = local_time(tz, y, m, 1);
	gint64 to = m == 12 ? local_time(tz, y + 1, 1, 1) : local_time(tz, y, m + 1, 1);
	struct mail_part part = { fn, "text/csv; charset=utf-8", NULL, 0 };
	struct outmail *mail;
	gboolean queued, ok;
	int done;

	if ((done = period_sent(st, "monthly", period, err)) != 0)
		return done > 0;
	if (!history_before(st, setup, to)) {
		g_string_append_printf(log, "monthly %s: nothing recorded before its end, "
		    "not sent\n", period);
		return TRUE;
	}
	if (!stats_render(st, setup, from, to, "table", table, err) ||
	    !stats_render(st, setup, from, to, "csv", csv, err))
		return FALSE;
	subject = g_strdup_printf("Chiffres de %s %d – %s", vocab_month_fr(m), y,
	    cfg->org_name);
	g_string_append_printf(text, "Bonjour,\n\nVoici les chiffres du guichet pour %s %d "
	    "(le tableau CSV est joint : %s).\n\n%s\n-- \nLe guichet, %s\n%s\n",
	    vocab_month_fr(m), y, fn, table->str, cfg->org_name, monthly_footer);
	{
		g_autofree char *title = g_strdup_printf("Chiffres de %s %d", vocab_month_fr(m), y);
		g_autofree char *intro = g_strdup_printf("Bonjour, voici les chiffres du guichet "
		    "pour %s %d ; le tableau joint (%s) s'ouvre dans un tableur.",
		    vocab_month_fr(m), y, fn);
		g_autoptr(GString) h = g_string_new(NULL);

		if (!stats_html(st, setup, from, to, title, intro, monthly_footer, h, err))
			return FALSE;
		html = g_string_free(g_steal_pointer(&h), FALSE);
	}
	part.data = (const guint8 *)csv->str;
	part.len = csv->len;
	g_ptr_array_add(parts, &part);
	if ((mail = mail_build(cfg, REPLY_REPORT, recipient(cfg), subject, text->str, html, parts,
	    NULL, err)) == NULL)
		return FALSE;
	ok = queue_once(st, "monthly", period, mail, &queued, err);
	outmail_free(mail);
	if (ok && queued)
		g_string_append_printf(log, "monthly %s: queued for %s\n", period, recipient(cfg));
	return ok;
}

/* The annual report of year y and the canton's export. */
static gboolean
annual(struct store *st, const struct setup *setup, GTimeZone *tz, int y, gint64 now,
    GString *log, GError **err)
{
	const struct config *cfg = setup->cfg;
	g_autofree char *period = g_strdup_printf("%04d", y);
	g_autofree char *fh = g_strdup_printf("rapport-%d.html", y);
	g_autofree char *fc = g_strdup_printf("export-canton-%d.csv", y);
	g_autofree char *subject = NULL;
	g_autoptr(GString) html = g_string_new(NULL), csv = g_string_new(NULL);
	g_autoptr(GString) kpis = g_string_new(NULL), text = g_string_new(NULL);
	g_autoptr(GPtrArray) parts = g_ptr_array_new();
	struct mail_part ph = { fh, "text/html; charset=utf-8", NULL, 0 };
	struct mail_part pc = { fc, "text/csv; charset=utf-8", NULL, 0 };
	struct outmail *mail;
	gboolean queued, ok;
	int done;

	if ((done = period_sent(st, "annual", period, err)) != 0)
		return done > 0;
	if (!history_before(st, setup, local_time(tz, y + 1, 1, 1))) {
		g_string_append_printf(log, "annual %s: nothing recorded before its end, "
		    "not sent\n", period);
		return TRUE;
	}
	if (!report_render(st, setup, y, now, html, kpis, err) ||
	    !export_render(st, setup, y, "csv", csv, err))
		return FALSE;
	subject = g_strdup_printf("Rapport d'activité %d – %s", y, cfg->org_name);
	g_string_append_printf(text, "Bonjour,\n\nVoici le rapport d'activité %d (%s, à ouvrir "
	    "dans un navigateur, imprimable en PDF) et l'export des indicateurs pour le "
	    "canton (%s, sans aucune donnée personnelle).\n\n%s\n-- \nLe guichet, %s\n"
	    "Envoyé automatiquement en janvier. Pour le recevoir à nouveau : répondez avec "
	    "« #rapport %d » ; pour y mettre votre commentaire : « #commentaire %d » suivi "
	    "du texte.\n", y, fh, fc, kpis->str, cfg->org_name, y, y);
	ph.data = (const guint8 *)html->str;
	ph.len = html->len;
	pc.data = (const guint8 *)csv->str;
	pc.len = csv->len;
	g_ptr_array_add(parts, &ph);
	g_ptr_array_add(parts, &pc);
	if ((mail = mail_build(cfg, REPLY_REPORT, recipient(cfg), subject, text->str, NULL, parts,
	    NULL, err)) == NULL)
		return FALSE;
	ok = queue_once(st, "annual", period, mail, &queued, err);
	outmail_free(mail);
	if (ok && queued)
		g_string_append_printf(log, "annual %s: queued for %s\n", period, recipient(cfg));
	return ok;
}

/*
 * The daily digest, at digest.time on digest.days (guichet.conf): due once
 * the local time has passed it on such a day, queued once per day.  The
 * daemon looks every few minutes, so it leaves at most that late.
 */
static gboolean
digest_due(struct store *st, const struct setup *setup, GDateTime *n, gint64 now,
    GString *log, GError **err)
{
	const struct config *cfg = setup->cfg;
	int minute = g_date_time_get_hour(n) * 60 + g_date_time_get_minute(n);
	int wday = g_date_time_get_day_of_week(n);	/* 1 Monday .. 7 Sunday */
	g_autofree char *day = g_date_time_format(n, "%Y-%m-%d");
	int sent;

	if (cfg->digest_time < 0 || minute < cfg->digest_time ||
	    !(cfg->digest_days & (1u << (wday - 1))))
		return TRUE;
	if ((sent = period_sent(st, "digest", day, err)) != 0)
		return sent > 0;
	return digest_queue_day(st, setup, now, day, log, err);
}

gboolean
schedule_run(struct store *st, const struct setup *setup, gint64 now, GString *log,
    GError **err)
{
	const struct config *cfg = setup->cfg;
	g_autoptr(GTimeZone) tz = view_tz(cfg);
	g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc(now);
	g_autoptr(GDateTime) n = g_date_time_to_timezone(u, tz);
	int y = g_date_time_get_year(n), m = g_date_time_get_month(n);

	if (st == NULL)
		return TRUE;
	if (!digest_due(st, setup, n, now, log, err))
		return FALSE;
	if (!cfg->monthly_report && !cfg->annual_report)
		return TRUE;
	/* Before the first working day, last month's figures are not due yet. */
	if (g_date_time_get_day_of_month(n) < first_working_day(y, m))
		return TRUE;
	if (cfg->monthly_report && !monthly(st, setup, tz, m == 1 ? y - 1 : y,
	    m == 1 ? 12 : m - 1, log, err))
		return FALSE;
	if (cfg->annual_report && m == 1 && !annual(st, setup, tz, y - 1, now, log, err))
		return FALSE;
	return TRUE;
}

int
cmd_schedule(struct globals *gl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char *at = NULL;
	struct setup *setup = NULL;
	struct store *st = NULL;
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GString) log = g_string_new(NULL);
	GError *e = NULL;
	gint64 now = schedule_now();
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': at = optarg; break;
		default: return cmd_usage("schedule");
		}
	}
	if (optind != argc)
		return cmd_usage("schedule");
	if ((rc = cmd_open(gl, &setup, &st, 0)) != 0)
		return rc;
	tz = view_tz(setup->cfg);
	if (at != NULL && !view_parse_time(at, tz, FALSE, now, &now, &e)) {
		g_printerr("guichet schedule: %s\n", e->message);
		g_error_free(e);
		rc = 2;
	} else if (!schedule_run(st, setup, now, log, &e)) {
		g_printerr("guichet schedule: %s\n", e->message);
		g_error_free(e);
		rc = 1;
	}
	fputs(log->len > 0 ? log->str : (rc == 0 ? "nothing due\n" : ""), stdout);
	store_close(st);
	setup_free(setup);
	return rc;
}
