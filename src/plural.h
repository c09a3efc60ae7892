/*
 * plural.h: which plural form a number takes in a language (integers,
 * after the CLDR cardinal rules), for the {{plural}} tag of the templates
 * and for the French counts the delegate reads.  Pure.
 */
#ifndef GUICHET_PLURAL_H
#define GUICHET_PLURAL_H

#include <glib.h>

/* forms[plural_form(lang, n, ...)] with every '#' replaced by n. */
char		*plural_text(const char *lang, long n, char **forms);

/* French: "1 entretien", "0 demande", "3 demandes" (one, other). */
char		*plural_fr(long n, const char *one, const char *other);

#endif
