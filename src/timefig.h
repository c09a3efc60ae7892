/*
 * timefig.h: time and interviews by domain, topic, kind and month, for
 * stats, export, the monthly mail and the report (timefig.c); durations
 * read and written the way the delegate writes them ("1h30", "45 min").
 * Pure apart from timefig_load.  All memory returned belongs to the caller.
 */
#ifndef GUICHET_TIMEFIG_H
#define GUICHET_TIMEFIG_H

#include <glib.h>
#include "store.h"

enum timefig_field { TT_DOMAIN, TT_TOPIC, TT_KIND, TT_MONTH, TT_NFIELDS };
#define TIMEFIG_INTERVIEW	"entretien"	/* the kind counted as a counselling interview */

struct time_row {
	char		*v[TT_NFIELDS];	/* values of the fields asked, in their order; NULL: none */
	gint64		 entries, minutes;		/* every kind */
	gint64		 interviews, interview_minutes;	/* kind entretien */
};

struct timefig {
	GPtrArray	*cells;		/* struct time_cell * (store_time.h) */
	struct time_row	 total;
};

/* The time log of the dates [from, to) (YYYY-MM-DD); st NULL: empty. NULL with err. */
struct timefig	*timefig_load(struct store *, const char *from, const char *to, GError **err);
void		 timefig_free(struct timefig *);
/*
 * Rows by fields[0..n-1] (n 1..TT_NFIELDS): domains and topics by minutes,
 * largest first, kinds in the usual order, months in time order, empty
 * values last.  struct time_row *; g_ptr_array_unref frees them.
 */
GPtrArray	*timefig_rows(const struct timefig *, const int *fields, int n);

/* "domain"/"domaine", "topic"/"theme", "kind"/"genre", "month"/"mois"; -1 if none. */
int		 timefig_field_parse(const char *name);

/* 270 -> "4 h 30", 45 -> "45 min", 120 -> "2 h", 0 -> "0 min"; g_free. */
char		*timefig_duration(gint64 minutes);
/*
 * A duration as written: "90", "90min", "90 min" is one word each side,
 * "1h30", "1h", "1:30", "1.5h", "1,5h", "45min", "45mn", "45m"; minutes
 * into *out.  FALSE when w is no duration.
 */
gboolean	 timefig_parse_duration(const char *w, long *out);

#endif
