/*
 * translit.c: Serbian Latin to Cyrillic (see translit.h).
 */
#include <string.h>
#include <glib.h>
#include "translit.h"

static const struct {
	const char	*lat;
	const char	*cyr;
} letters[] = {
	/* digraphs first */
	{ "Lj", "Љ" }, { "LJ", "Љ" }, { "lj", "љ" },
	{ "Nj", "Њ" }, { "NJ", "Њ" }, { "nj", "њ" },
	{ "Dž", "Џ" }, { "DŽ", "Џ" }, { "dž", "џ" },
	{ "A", "А" }, { "a", "а" }, { "B", "Б" }, { "b", "б" },
	{ "V", "В" }, { "v", "в" }, { "G", "Г" }, { "g", "г" },
	{ "D", "Д" }, { "d", "д" }, { "Đ", "Ђ" }, { "đ", "ђ" },
	{ "E", "Е" }, { "e", "е" }, { "Ž", "Ж" }, { "ž", "ж" },
	{ "Z", "З" }, { "z", "з" }, { "I", "И" }, { "i", "и" },
	{ "J", "Ј" }, { "j", "ј" }, { "K", "К" }, { "k", "к" },
	{ "L", "Л" }, { "l", "л" }, { "M", "М" }, { "m", "м" },
	{ "N", "Н" }, { "n", "н" }, { "O", "О" }, { "o", "о" },
	{ "P", "П" }, { "p", "п" }, { "R", "Р" }, { "r", "р" },
	{ "S", "С" }, { "s", "с" }, { "T", "Т" }, { "t", "т" },
	{ "Ć", "Ћ" }, { "ć", "ћ" }, { "U", "У" }, { "u", "у" },
	{ "F", "Ф" }, { "f", "ф" }, { "H", "Х" }, { "h", "х" },
	{ "C", "Ц" }, { "c", "ц" }, { "Č", "Ч" }, { "č", "ч" },
	{ "Š", "Ш" }, { "š", "ш" },
};

static const char *const foreign[] = { "fide", "subject", "Valais", NULL };

/* Is the word w (len bytes) to be left in Latin script? */
static gboolean
keep(const char *w, gsize len)
{
	int caps = 0;

	/* closing punctuation says nothing about the word */
	while (len > 0 && strchr(".,;:!?)»\"'", w[len - 1]) != NULL)
		len--;
	if (len == 0)
		return TRUE;
	if (g_strstr_len(w, len, "://") != NULL ||
	    (len > 4 && strncmp(w, "www.", 4) == 0))
		return TRUE;
	for (const char *p = w; p < w + len; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isdigit(c) || c == '@' || c == '_' || c == '=' ||
		    c == ':' || (c == '.' && p + 1 < w + len &&
		    g_ascii_isalnum(p[1])))
			return TRUE;
		if (g_unichar_isupper(c))
			caps++;
	}
	if (caps >= 2)
		return TRUE;
	/* permits B, C, L, F, N (no Serbian word is one of these letters) */
	if (w[0] == '(' && len > 1) {
		w++;
		len--;
	}
	if (len == 1 && strchr("BCLFN", w[0]) != NULL)
		return TRUE;
	for (int i = 0; foreign[i] != NULL; i++) {
		gsize n = strlen(foreign[i]);

		if (n <= len && strncmp(w + (w[0] == '(' ? 1 : 0), foreign[i],
		    n) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
convert(GString *o, const char *w, gsize len)
{
	const char *p = w, *end = w + len;

	while (p < end) {
		gboolean done = FALSE;

		for (gsize i = 0; i < G_N_ELEMENTS(letters); i++) {
			gsize n = strlen(letters[i].lat);

			if ((gsize)(end - p) >= n &&
			    memcmp(p, letters[i].lat, n) == 0) {
				g_string_append(o, letters[i].cyr);
				p += n;
				done = TRUE;
				break;
			}
		}
		if (!done) {
			const char *q = g_utf8_next_char(p);

			g_string_append_len(o, p, q - p);
			p = q;
		}
	}
}

char *
translit_sr_cyrl(const char *s)
{
	GString *o = g_string_sized_new(s != NULL ? strlen(s) * 2 : 1);
	const char *p = s;

	if (p == NULL)
		return g_string_free(o, FALSE);
	while (*p != '\0') {
		const char *q = p;

		/* a "word" runs to the next space: keep() sees it whole */
		while (*q != '\0' && !g_ascii_isspace(*q))
			q++;
		if (keep(p, q - p))
			g_string_append_len(o, p, q - p);
		else
			convert(o, p, q - p);
		for (p = q; *p != '\0' && g_ascii_isspace(*p); p++)
			g_string_append_c(o, *p);
	}
	return g_string_free(o, FALSE);
}
