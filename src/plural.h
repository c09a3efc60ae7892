/*
 * plural.h: which plural form a number takes in a language (integers,
 * after the CLDR cardinal rules), for the {{plural}} tag of the templates
 * and for the French counts the delegate reads.  Pure.
 */
#ifndef GUICHET_PLURAL_H
#define GUICHET_PLURAL_H

#include <glib.h>

/*
 * The index of the form n takes in lang, among the forms a template
 * gives in this order:
 *   most languages   one, other            (fr: 0 and 1 are "one")
 *   ru uk sr hr bs   one, few, many        (1, 21: one; 2-4, 22-24: few)
 *   ar               zero, one, two, few, many, other
 *   tr fa ta so ...  one form is enough (the noun does not change)
 * Returns 0 .. nforms-1: a form the template did not give falls back to
 * its last one.
 */
int		 plural_form(const char *lang, long n, int nforms);

/* forms[plural_form(lang, n, ...)] with every '#' replaced by n. */
char		*plural_text(const char *lang, long n, char **forms);

/* French: "1 entretien", "0 demande", "3 demandes" (one, other). */
char		*plural_fr(long n, const char *one, const char *other);

#endif
