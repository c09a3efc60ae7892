/*
 * viewfmt.h: small formatting helpers shared by the delegate's view (list,
 * show, stats, export, report, digest): dates in the configured time zone,
 * terminal tables aligned by display width, CSV fields.  No I/O.
 * All strings returned are g_malloc'ed and belong to the caller.
 */
#ifndef GUICHET_VIEWFMT_H
#define GUICHET_VIEWFMT_H

#include <glib.h>
#include "config.h"

/* The configured time zone (cfg->timezone), else the local one. Unref it. */
GTimeZone	*view_tz(const struct config *);
/* The zone named id (an IANA name), else the local one; cached. Unref it. */
GTimeZone	*view_tz_named(const char *id);

/*
 * Parse a date or time given by the user: "YYYY-MM-DD", "YYYY-MM-DD HH:MM",
 * "YYYY-MM-DDTHH:MM[:SS]", "@UNIX", "today", "yesterday", or an age "3d",
 * "12h", "30m" (that long before now).  With end_of_day, a bare date means
 * the midnight after it (an inclusive "--to").  FALSE with err on bad input.
 */
gboolean	 view_parse_time(const char *s, GTimeZone *, gboolean end_of_day,
		    gint64 now, gint64 *out, GError **err);
/* A YYYY-MM-DD date alone (time_log dates); FALSE when malformed. */
gboolean	 view_valid_date(const char *s);

/* strftime-like formatting of unix time t in tz ("%Y-%m-%d %H:%M"). */
char		*view_time(gint64 t, GTimeZone *, const char *fmt);
/* "45 min", "3 h 20", "4 j 2 h": a duration for humans, in French. */
char		*view_age(gint64 seconds);
/* The display width of a UTF-8 string in a terminal (wide chars count 2). */
gsize		 view_width(const char *s);
/* The first n display columns of s, with "…" when cut. */
char		*view_cut(const char *s, gsize n);
/* The same, cut at a word boundary when the cut falls inside a word ("... mot …"). */
char		*view_cut_words(const char *s, gsize n);
/* The first `lines` non-empty lines of text, each cut at `width` columns. */
char		*view_first_lines(const char *text, int lines, gsize width);

/* A table for terminals: columns aligned by display width. */
struct vtable;
struct vtable	*vtable_new(int ncols, const char *const *headers);
void		 vtable_free(struct vtable *);
/* Right-align column col (numbers). */
void		 vtable_right(struct vtable *, int col);
/* Add a row of ncols strings (copied; NULL prints as "-"). */
void		 vtable_add(struct vtable *, const char *const *cells);
/* A horizontal rule before the next row (e.g. before totals). */
void		 vtable_rule(struct vtable *);
void		 vtable_print(const struct vtable *, GString *out);

/* Append one CSV field (quoted when needed), preceded by sep unless first. */
void		 csv_field(GString *out, const char *value, char sep, gboolean first);

#endif
