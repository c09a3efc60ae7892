/*
 * report.h: pieces of the annual report (report_parts.c) used by report.c.
 * Strings returned are g_malloc'ed and the caller's; appended HTML is
 * well-formed XML.
 */
#ifndef GUICHET_REPORT_H
#define GUICHET_REPORT_H

#include <glib.h>
#include "setup.h"
#include "stats.h"

#define REPORT_BLUE	"#1f5f99"
#define REPORT_GREY	"#b8c4d0"

/* French names of codes (static strings; the code itself when unknown). */
const char	*report_kind_fr(const char *kind);

/* 12345 -> "12 345"; part of whole -> "12,5 %"; "+12 %" against last year. */
char		*report_int(gint64 v);
char		*report_pct(gint64 part, gint64 whole);
char		*report_change(gint64 now, gint64 before);
/* Append s escaped for HTML/XML (invalid UTF-8 repaired). */
void		 report_esc(GString *o, const char *s);

/* One label and its counts, this year and last. */
struct item {
	char		*label;
	gint64		 n, prev;
	gboolean	 last;		/* unknown, other: listed at the end */
};

typedef const char *(*report_namer)(const struct setup *, const char *code);
const char	*report_name_domain(const struct setup *, const char *code);
const char	*report_name_requester(const struct setup *, const char *code);
const char	*report_name_language(const struct setup *, const char *code);
const char	*report_name_commune(const struct setup *, const char *code);

/*
 * The items of one breakdown (which: 0 domain, 1 requester, 2 language,
 * 3 commune) in both years (prev may be NULL), named by name, largest
 * first, those beyond max lumped into "Autres".  struct item *.
 */
GPtrArray	*report_items(const struct setup *, struct year_figures *cur,
		    struct year_figures *prev, int which, report_namer name, guint max);

/* Requests per month as vertical bars (prev: last year's, thin, or NULL). */
void		 report_svg_months(GString *o, const gint64 cur[12], const gint64 *prev, int year);
/* Horizontal bars of items, last year's as a thin grey line under each. */
void		 report_svg_hbars(GString *o, GPtrArray *items, const char *aria, gboolean with_prev,
		    const char *unit);
/* Table of items with share, last year and change; a totals row. */
void		 report_table_items(GString *o, GPtrArray *items, const char *head,
		    gint64 total, gboolean with_prev, int prev_year);

/* The sections of report_more.c: interviews and time by domain, topics, urgent
 * requests, mail that is no request, the first answer's median month by month. */
char		*report_duration(gint64 minutes);	/* "4 h 30", no-break spaces */
void		 report_section_time_domain(GString *o, const struct setup *, struct year_figures *);
void		 report_section_topics(GString *o, const struct setup *, struct year_figures *);
void		 report_section_urgent(GString *o, const struct setup *, struct year_figures *);
void		 report_section_uncounted(GString *o, struct year_figures *);
void		 report_section_delays(GString *o, struct year_figures *, int year);

/*
 * The annual report of year as `guichet report` writes it (html, may be
 * NULL) and its key figures as plain text lines (text, may be NULL), for
 * mails (scheduled reports, #rapport).  now dates the page.
 */
gboolean	 report_render(struct store *st, const struct setup *setup, int year,
		    gint64 now, GString *html, GString *text, GError **err);

#endif
