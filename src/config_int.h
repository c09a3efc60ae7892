/*
 * config_int.h: what config.c and config_hours.c share: the key table's
 * types and the error collector of one load.  Private to them.
 */
#ifndef GUICHET_CONFIG_INT_H
#define GUICHET_CONFIG_INT_H

#include <stddef.h>
#include <libconfig.h>
#include "config.h"

enum ktype {
	T_STR,		/* any string without control characters */
	T_TEXT,		/* free text, may span lines */
	T_PATH,		/* resolved against the file's folder */
	T_ADDR,		/* an e-mail address */
	T_ADDR0,	/* an e-mail address or "" (the null sender) */
	T_ADDRS,	/* a list or array of addresses */
	T_DOMAINS,	/* a list or array of domain names */
	T_HOST,
	T_CHOICE,	/* one of choices[] */
	T_CODE,		/* region code: 2-5 uppercase ASCII letters */
	T_LANG,		/* ISO 639 code: 2-3 lowercase letters */
	T_TZ,		/* a time zone GLib knows */
	T_FOLDER,	/* an IMAP folder name */
	T_CRED,		/* a systemd credential name */
	T_INT,
	T_SIZE,		/* bytes: integer, or string with K, M or G */
	T_BOOL,
	T_LANGTEXT,	/* a group of language = "text" (fr = "..."; de = "...") */
	T_HOURS,	/* office hours: a list of { days; from; to; place }, or free text */
	T_HOURS_TEXT,	/* office hours as free text per language */
	T_CLOSED,	/* a list of closed periods { from; until } */
};

#define K_REQUIRED	0x1

struct key {
	const char	*section;
	const char	*name;
	enum ktype	 type;
	gint64		 min, max;	/* T_INT, T_SIZE */
	const char	*sdef;		/* default of string types, NULL: none */
	gint64		 idef;		/* default of T_INT, T_SIZE, T_BOOL */
	size_t		 off;		/* in struct config */
	int		 flags;
	const char *const *choices;	/* T_CHOICE */
};

/* One load in progress (config.c). */
struct loader;

/* Collect "file:line: what" (line <= 0 counts as 1); loading goes on. */
void		 add_error(struct loader *, const char *file, int line,
		    const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* The file a setting comes from (an @include'd file has its own). */
const char	*setting_file(struct loader *, const config_setting_t *);
/* Its line; a scalar inside a list has none, so its parent's. */
int		 setting_line(const config_setting_t *);
gboolean	 has_control(const char *s, gboolean allow_newline);
/* The struct config being filled. */
struct config	*loader_config(struct loader *);

#define SERR(l, s, ...) add_error(l, setting_file(l, s), \
	setting_line(s), __VA_ARGS__)

/*
 * The keys that are groups or lists rather than one value (config_hours.c):
 * T_LANGTEXT, T_HOURS, T_HOURS_TEXT, T_CLOSED.
 */
void		 config_load_structured(struct loader *, const struct key *,
		    const config_setting_t *);

#endif
