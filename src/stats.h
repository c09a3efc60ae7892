/*
 * stats.h: helpers shared by stats, export and report (stats.c).
 */
#ifndef GUICHET_STATS_H
#define GUICHET_STATS_H

#include <glib.h>
#include "store.h"
#include "tally.h"
#include "timefig.h"
#include "store_report.h"

/* The day after YYYY-MM-DD, g_free'd by the caller. */
char		*stats_next_day(const char *date);

/* One year's figures (export.c), shared by export and report. */
struct year_figures {
	struct tally	*t;
	int		 g_dom_req_month, g_lang, g_dom, g_req, g_month, g_commune;
	int		 g_topic, g_month_delays, g_urgent_dom;
	GPtrArray	*time;		/* struct tally_time * */
	struct timefig	*tf;		/* time and interviews by domain (timefig.h) */
	struct uncounted uncounted;	/* mail that is no request (store_report.h) */
	gint64		 newcomer_requests;	/* domain information, requester migrant */
	gint64		 newcomer_persons;	/* the same, distinct senders */
};

/* Count a year's figures (st may be NULL: all zero). */
gboolean	 export_year(struct store *st, GTimeZone *tz, int year,
		    struct year_figures *y, GError **err);
void		 export_year_clear(struct year_figures *);

/*
 * The renderers of `guichet stats` (overview, no --by; format "table" or
 * "csv") for [from, to) and of `guichet export` (format "csv" or "json")
 * into out, for mails (scheduled reports, commands by mail).
 */
struct setup;
gboolean	 stats_render(struct store *st, const struct setup *setup, gint64 from,
		    gint64 to, const char *format, GString *out, GError **err);
/*
 * The figures of [from, to) as an HTML mail (stats_html.c): title in the
 * band, intro and footer paragraphs (may be NULL), key figures, the
 * breakdowns by label and the time log by domain and activity.
 */
gboolean	 stats_html(struct store *st, const struct setup *setup, gint64 from, gint64 to,
		    const char *title, const char *intro, const char *footer, GString *out,
		    GError **err);
gboolean	 export_render(struct store *st, const struct setup *setup, int year,
		    const char *format, GString *out, GError **err);

#endif
