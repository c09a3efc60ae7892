/*
 * stats.h: helpers shared by stats, export and report (stats.c).
 */
#ifndef GUICHET_STATS_H
#define GUICHET_STATS_H

#include <glib.h>

/* French column name of a tally field ("domaine"). */
const char	*stats_field_fr(int field);
/* The day after YYYY-MM-DD, g_free'd by the caller. */
char		*stats_next_day(const char *date);
/* "domain,month" into fields; FALSE with err when a name is unknown. */
gboolean	 stats_parse_by(const char *s, int *by, int *nby, GError **err);

#endif
