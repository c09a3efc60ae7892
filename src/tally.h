/*
 * tally.h: the counting engine behind stats, export, report and the digest
 * counts.  One pass over the requests received in [from, to) (an index-only
 * scan of requests_stats), counting into any number of breakdowns at once
 * ("groups", each one to four fields), so a report with six tables reads
 * the store once.  Months and ISO weeks are cut in the configured time zone.
 * Statistics are never a second copy of the numbers: this reads the store.
 * All memory belongs to the struct tally and dies with tally_free().
 */
#ifndef GUICHET_TALLY_H
#define GUICHET_TALLY_H

#include <glib.h>
#include "store.h"

enum tally_field {
	TF_DOMAIN, TF_TOPIC, TF_REQUESTER, TF_COMMUNE, TF_LANGUAGE, TF_STATUS,
	TF_REPLY, TF_URGENT, TF_MONTH, TF_WEEK, TF_NFIELDS
};
#define TALLY_MAXF	4

/* "domain" -> TF_DOMAIN; -1 when unknown. */
int		 tally_field_parse(const char *name);
const char	*tally_field_name(int field);

struct tally_row {
	char		*values[TALLY_MAXF];	/* NULL: empty label */
	gint64		 requests;
	gint64		 answered;		/* with a first human answer */
	gint64		 urgent;
	GArray		*delays;		/* gint64 seconds, when asked */
};

struct tally {
	gint64		 from, to;
	gint64		 requests, answered, urgent;
	GArray		*delays;		/* gint64: every answer delay */
	/* private */
	GTimeZone	*tz;
	GPtrArray	*groups;
};

/* Count requests created in [from, to). */
struct tally	*tally_new(GTimeZone *, gint64 from, gint64 to);
void		 tally_free(struct tally *);
/* Add a breakdown by n fields (delays: keep each row's answer delays); its index. */
int		 tally_group(struct tally *, const int *fields, int n, gboolean delays);
gboolean	 tally_run(struct tally *, struct store *, GError **err);
/*
 * The rows of group g, sorted by values (months and weeks in time order,
 * empty labels last); or by requests, largest first, when by_count.
 * The array is the caller's (g_ptr_array_unref); the rows are not.
 */
GPtrArray	*tally_rows(struct tally *, int g, gboolean by_count);
/* Number of requests of group g with value v in its first field (0 if none). */
gint64		 tally_count(struct tally *, int g, const char *v);

/* Median and nearest-rank percentile (0 < p <= 1) of delays; -1 when empty. Reorders a. */
gint64		 tally_median(GArray *a);
gint64		 tally_percentile(GArray *a, double p);

/* Time log between the dates [from, to) (YYYY-MM-DD), by kind. */
struct tally_time {
	char		*kind;
	gint64		 entries;
	gint64		 minutes;
};
/* struct tally_time *, kinds in the order of vocab_time_kinds then others;
 * g_ptr_array_unref frees it all. */
GPtrArray	*tally_time(struct store *, const char *from, const char *to, GError **err);

/* The first and last creation times stored; FALSE when there are none. */
gboolean	 tally_span(struct store *, gint64 *first, gint64 *last);

#endif
