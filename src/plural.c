/*
 * plural.c: plural forms per language (see plural.h).
 */
#include <string.h>
#include "plural.h"

/* The CLDR category of integer n in lang, as an index of that language's forms. */
static int
category(const char *lang, long n)
{
	long a = n < 0 ? -n : n, m10 = a % 10, m100 = a % 100;
	static const char *const slavic[] = { "ru", "uk", "sr", "hr", "bs",
	    "sh", "be", NULL };

	if (lang == NULL)
		lang = "fr";
	for (int i = 0; slavic[i] != NULL; i++)
		if (g_str_has_prefix(lang, slavic[i]))
			return m10 == 1 && m100 != 11 ? 0 :
			    m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ?
			    1 : 2;
	if (strcmp(lang, "ar") == 0)
		return a == 0 ? 0 : a == 1 ? 1 : a == 2 ? 2 :
		    m100 >= 3 && m100 <= 10 ? 3 : m100 >= 11 ? 4 : 5;
	/* French, Portuguese (Brazil), Tigrinya and Persian: 0 is "one" too */
	if (strcmp(lang, "fr") == 0 || strcmp(lang, "ti") == 0 ||
	    strcmp(lang, "fa") == 0 || strcmp(lang, "pt") == 0)
		return a <= 1 ? 0 : 1;
	return a == 1 ? 0 : 1;
}

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
static int
plural_form(const char *lang, long n, int nforms)
{
	int c = category(lang, n);

	if (nforms <= 0)
		return 0;
	/* Arabic with two forms: one and other */
	if (lang != NULL && strcmp(lang, "ar") == 0 && nforms == 2)
		c = n == 1 ? 0 : 1;
	return c < nforms ? c : nforms - 1;
}

char *
plural_text(const char *lang, long n, char **forms)
{
	int nf = forms != NULL ? (int)g_strv_length(forms) : 0;
	const char *f;
	GString *o;

	if (nf == 0)
		return g_strdup_printf("%ld", n);
	f = forms[plural_form(lang, n, nf)];
	o = g_string_new(NULL);
	for (const char *p = f; *p != '\0'; p++)
		if (*p == '#')
			g_string_append_printf(o, "%ld", n);
		else
			g_string_append_c(o, *p);
	return g_string_free(o, FALSE);
}

char *
plural_fr(long n, const char *one, const char *other)
{
	return g_strdup_printf("%ld %s", n, category("fr", n) == 0 ? one : other);
}
