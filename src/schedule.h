/*
 * schedule.h: the reports that arrive by themselves (guichet(8), SCHEDULED
 * REPORTS).  On the first working day of each month (Monday to Friday, 1
 * January excepted) the previous month's figures go to the delegate (the
 * stats tables in the body, the CSV attached; reports.monthly); in January
 * also the annual report of the past year (HTML attached, key figures in
 * the body) with the canton's export (CSV attached; reports.annual).  Each
 * period is sent once, even across restarts: its outbox row and its
 * `periods` row ('monthly' YYYY-MM, 'annual' YYYY) are written in one
 * durable transaction.  A month that ended before the first stored request
 * is skipped (a new installation gets no empty report).
 */
#ifndef GUICHET_SCHEDULE_H
#define GUICHET_SCHEDULE_H

#include <glib.h>
#include "setup.h"
#include "store.h"

/*
 * Queue what is due at now (unix seconds; the rows carry the real time).
 * Appends one line per report to log.  FALSE with err on a store or
 * rendering failure (nothing half-written: try again later).
 */
gboolean	 schedule_run(struct store *, const struct setup *, gint64 now,
		    GString *log, GError **err);

/* The clock of the scheduler: $GUICHET_NOW (unix seconds, for tests) or the real time. */
gint64		 schedule_now(void);

#endif
