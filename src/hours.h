/*
 * hours.h: the office hours of the drop-in desk as data (days, times,
 * place, closed periods, free text per language), the next opening from a
 * given time, and the hours written in a reader's language with its own
 * day names and time format.  Pure: no I/O, no clock (the caller passes
 * the time), so every function can be tested alone.
 *
 * All memory returned belongs to the caller; a struct office_hours owns
 * its slots, periods and texts and is freed by hours_free().
 */
#ifndef GUICHET_HOURS_H
#define GUICHET_HOURS_H

#include <glib.h>

/* One weekly opening: on days (bit 0 Monday .. bit 6 Sunday), from-to. */
struct hours_slot {
	guint		 days;		/* bit mask, never 0 */
	int		 from, to;	/* minutes after midnight, from < to */
	char		*place;		/* where, as written (an address); may be NULL */
};

/* The desk is closed from `from` to `until`, both days included. */
struct hours_closed {
	GDate		 from;		/* invalid (cleared): closed since always */
	GDate		 until;
};

struct office_hours {
	GPtrArray	*slots;		/* struct hours_slot * */
	GPtrArray	*closed;	/* struct hours_closed * */
	GHashTable	*text;		/* lang -> free text, may be empty */
};

struct office_hours *hours_new(void);
void		 hours_free(struct office_hours *);

/*
 * Parsers for the configuration, each returning what is wrong (a static
 * English phrase) or NULL.  Days: "tue,thu", "mon-fri", "mon-wed,fri"
 * (English three-letter names, or French "lun".."dim"); time "08:30";
 * date "2026-12-24".
 */
const char	*hours_parse_days(const char *s, guint *days);
const char	*hours_parse_time(const char *s, int *minutes);
const char	*hours_parse_date(const char *s, GDate *d);

/*
 * The next opening at or after `now` (Unix seconds) in time zone tz (NULL:
 * UTC): the opening under way at now, or the first to start after it,
 * skipping closed days; looks up to 400 days ahead.  Fills *start, *end
 * (Unix seconds) and *slot (owned by h), any may be NULL.  FALSE when
 * there is none (no slots, or closed for longer than that).
 */
gboolean	 hours_next_open(const struct office_hours *h, gint64 now,
		    const char *tz, gint64 *start, gint64 *end,
		    const struct hours_slot **slot);

/*
 * The office hours in lang for a sentence ("Tuesday and Thursday,
 * 8:30-11:30, Place ..."), then the closed periods that are not over at
 * now and begin within 60 days, then the free text in lang.  NULL when
 * there is nothing to say in lang: structured hours are written in every
 * language of the table; free text only in its own language.
 */
char		*hours_render(const struct office_hours *h, const char *lang,
		    gint64 now, const char *tz);

/*
 * When the desk next opens, in lang ("Tuesday 8 December 2026, 8:30-11:30,
 * Place ..."; "now, until 11:30" when it is open at now).  NULL when
 * hours_next_open() finds none.
 */
char		*hours_render_next(const struct office_hours *h, const char *lang,
		    gint64 now, const char *tz);

/* The languages whose day names hours.c knows (NULL-terminated). */
const char *const *hours_languages(void);
/* The name of weekday wd (1 Monday .. 7 Sunday) in lang, or NULL. */
const char	*hours_day_name(const char *lang, int wd);

#endif
