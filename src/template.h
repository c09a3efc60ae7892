/*
 * template.h: reply templates, one file per reply and language under
 * templates/ (NAME.LANG.txt).  Syntax in guichet-templates(5).
 */
#ifndef GUICHET_TEMPLATE_H
#define GUICHET_TEMPLATE_H

#include <glib.h>
#include "rules.h"

struct templates;

/* Load and compile every template; errors as "file:line: what" lines. */
struct templates *templates_load(const char *dir, GError **err);
void		 templates_free(struct templates *);
/* Check that every template the rules name exists (in French at least). */
gboolean	 templates_check_rules(const struct templates *, const struct ruleset *, GError **err);
gboolean	 templates_has(const struct templates *, const char *name, const char *lang);
/*
 * Render NAME in LANG with vars (char * -> char *).  The first line of a
 * template may be "Subject: ..." which goes to *subject (may be NULL).
 * Returns a g_malloc'ed UTF-8 text, NULL with err.
 */
char		*template_render(const struct templates *, const char *name,
		    const char *lang, GHashTable *vars, char **subject, GError **err);
/*
 * The same, with filter applied to the template's own text (never to the
 * variables): it returns a g_malloc'ed replacement of its argument.
 */
typedef char	*(*template_filter)(const char *);
char		*template_render_filtered(const struct templates *,
		    const char *name, const char *lang, GHashTable *vars,
		    char **subject, template_filter filter, GError **err);
/*
 * The date and time `when` written the way LANG writes dates ("27 novembre
 * 2026, 21:16"; numeric "27.11.2026, 21:16" for languages without a table),
 * in time zone tz (NULL: local).  g_free the result.
 */
char		*template_date(gint64 when, const char *lang, const char *tz);
/* The day y-m-d alone, the same way ("27 novembre 2026"). g_free it. */
char		*template_day(int y, int m, int d, const char *lang);

#endif
