/*
 * authres.c: reading Authentication-Results (authres.h).  Comments are
 * dropped, results split on ';', each result "method=result prop=value".
 */
#include <string.h>
#include "authres.h"

/* s without (comments), nested, outside "quoted strings". */
static char *
strip_comments(const char *s)
{
	GString *o = g_string_new(NULL);
	int depth = 0;
	gboolean quoted = FALSE;

	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			if (depth == 0)
				g_string_append_len(o, p, 2);
			p++;
		} else if (depth == 0 && *p == '"') {
			quoted = !quoted;
			g_string_append_c(o, *p);
		} else if (!quoted && *p == '(') {
			depth++;
		} else if (!quoted && *p == ')' && depth > 0) {
			depth--;
			if (depth == 0)
				g_string_append_c(o, ' ');
		} else if (depth == 0)
			g_string_append_c(o, *p);
	}
	return g_string_free(o, FALSE);
}

/* The value of property name ("header.d") in the words of one result, unquoted. */
static char *
prop(char **words, const char *name)
{
	gsize n = strlen(name);

	for (char **w = words + 1; *w != NULL; w++)
		if (g_ascii_strncasecmp(*w, name, n) == 0 && (*w)[n] == '=') {
			const char *v = *w + n + 1;
			gsize len = strlen(v);

			if (len >= 2 && v[0] == '"' && v[len - 1] == '"')
				return g_strndup(v + 1, len - 2);
			return g_strdup(v);
		}
	return NULL;
}

/* Does v name domain: "example.test", "@example.test", "user@example.test"? */
static gboolean
in_domain(const char *v, const char *domain)
{
	const char *at;

	if (v == NULL || *v == '\0')
		return FALSE;
	at = strrchr(v, '@');
	return g_ascii_strcasecmp(at != NULL ? at + 1 : v, domain) == 0;
}

/* The blank-separated words of s, without empty ones. */
static char **
nonempty_words(const char *s)
{
	g_auto(GStrv) v = g_strsplit_set(s, " \t\r\n", -1);
	GPtrArray *a = g_ptr_array_new();

	for (char **w = v; *w != NULL; w++)
		if (**w != '\0')
			g_ptr_array_add(a, g_strdup(*w));
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

/*
 * Does one Authentication-Results value show dkim, spf or dmarc passing
 * for domain, or SMTP AUTH as from?  seen gets "dkim=fail spf=none".
 */
static gboolean
ar_passes(const char *value, const char *from, const char *domain, GString *seen,
    const char **passed)
{
	g_autofree char *v = strip_comments(value);
	g_auto(GStrv) parts = g_strsplit(v, ";", -1);
	gboolean pass = FALSE;

	for (char **p = parts + (parts[0] != NULL ? 1 : 0); *p != NULL; p++) {
		g_auto(GStrv) words = nonempty_words(*p);
		g_autofree char *method = NULL;
		const char *eq;

		if (words[0] == NULL || (eq = strchr(words[0], '=')) == NULL)
			continue;
		method = g_ascii_strdown(words[0], eq - words[0]);
		if (strchr(method, '/') != NULL)
			*strchr(method, '/') = '\0';
		if (strcmp(method, "dkim") != 0 && strcmp(method, "spf") != 0 &&
		    strcmp(method, "auth") != 0 && strcmp(method, "dmarc") != 0)
			continue;
		g_string_append_printf(seen, "%s%s", seen->len ? " " : "", words[0]);
		if (g_ascii_strcasecmp(eq + 1, "pass") != 0)
			continue;
		if (strcmp(method, "auth") == 0) {
			g_autofree char *who = prop(words, "smtp.auth");
			const char *at = from != NULL ? strrchr(from, '@') : NULL;

			if (who != NULL && from != NULL && (g_ascii_strcasecmp(who, from) == 0 ||
			    (strchr(who, '@') == NULL && at != NULL &&
			    strlen(who) == (gsize)(at - from) &&
			    g_ascii_strncasecmp(who, from, at - from) == 0)))
				pass = TRUE;
			else
				g_string_append_printf(seen, " de %s", who != NULL ? who : "?");
		} else if (strcmp(method, "dkim") == 0) {
			g_autofree char *d = prop(words, "header.d");
			g_autofree char *i = prop(words, "header.i");

			if ((d != NULL && g_ascii_strcasecmp(d, domain) == 0) ||
			    in_domain(i, domain))
				pass = TRUE;
			else
				g_string_append_printf(seen, " de %s", d != NULL ? d :
				    i != NULL ? i : "?");
		} else if (strcmp(method, "dmarc") == 0) {
			g_autofree char *hf = prop(words, "header.from");

			if (hf != NULL && g_ascii_strcasecmp(hf, domain) == 0)
				pass = TRUE;
			else
				g_string_append_printf(seen, " de %s", hf != NULL ? hf : "?");
		} else {
			g_autofree char *mf = prop(words, "smtp.mailfrom");

			if (in_domain(mf, domain))
				pass = TRUE;
			else
				g_string_append_printf(seen, " de %s", mf != NULL ? mf : "?");
		}
		if (pass && passed != NULL && *passed == NULL)
			*passed = strcmp(method, "dkim") == 0 ? "dkim" :
			    strcmp(method, "spf") == 0 ? "spf" :
			    strcmp(method, "dmarc") == 0 ? "dmarc" : "auth";
	}
	return pass;
}

/* The authserv-id of an Authentication-Results value (first word), lower case. */
static char *
authserv_id(const char *value)
{
	g_autofree char *v = strip_comments(value);
	const char *p = v, *e;

	while (g_ascii_isspace(*p))
		p++;
	e = p;
	while (*e != '\0' && *e != ';' && !g_ascii_isspace(*e))
		e++;
	return g_ascii_strdown(p, e - p);
}


gboolean
authres_passes(const struct request *r, const char *authserv_id_want,
    const char *addr, const char *domain, gboolean *found, GString *seen,
    const char **method)
{
	g_autoptr(GString) scratch = g_string_new(NULL);

	if (found != NULL)
		*found = FALSE;
	if (method != NULL)
		*method = NULL;
	if (r == NULL || authserv_id_want == NULL || domain == NULL || *domain == '\0')
		return FALSE;
	for (guint i = 0; r->headers != NULL && i < r->headers->len; i++) {
		const struct header *h = g_ptr_array_index(r->headers, i);
		g_autofree char *id = NULL;

		if (g_ascii_strcasecmp(h->name, "Authentication-Results") != 0 ||
		    h->value == NULL)
			continue;
		id = authserv_id(h->value);
		if (g_ascii_strcasecmp(id, authserv_id_want) != 0)
			continue;
		/* only the topmost one: the receiving server's */
		if (found != NULL)
			*found = TRUE;
		return ar_passes(h->value, addr, domain, seen != NULL ? seen : scratch,
		    method);
	}
	return FALSE;
}
