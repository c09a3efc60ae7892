/*
 * charset.c: declared charsets to UTF-8, with the fallbacks real mail
 * needs.  iconv (through GMime's cache of converters) only runs for
 * charsets that are neither UTF-8/ASCII nor windows-1252/latin-1, which
 * covers nearly all mail without it.
 */
#include <errno.h>
#include <string.h>
#include <iconv.h>
#include <gmime/gmime.h>
#include "charset.h"

enum cs_kind {
	CS_AUTO,	/* utf-8, us-ascii, unknown: UTF-8 if valid, else cp1252 */
	CS_CP1252,	/* latin-1 family, read as windows-1252 */
	CS_SINGLE,	/* other single-byte legacy charset, through iconv */
	CS_ICONV,	/* multi-byte or anything else iconv knows */
};

struct alias {
	const char	*key;		/* lower case, letters and digits only */
	enum cs_kind	 kind;
	const char	*iconv_name;
};

/* Names seen in the wild that iconv or GMime do not map to what is meant. */
static const struct alias aliases[] = {
	{ "", CS_AUTO, NULL }, { "usascii", CS_AUTO, NULL },
	{ "ascii", CS_AUTO, NULL }, { "ansix341968", CS_AUTO, NULL },
	{ "iso646us", CS_AUTO, NULL }, { "us", CS_AUTO, NULL },
	{ "csascii", CS_AUTO, NULL }, { "cp367", CS_AUTO, NULL },
	{ "utf8", CS_AUTO, NULL }, { "unicode11utf8", CS_AUTO, NULL },
	{ "utf8mb4", CS_AUTO, NULL }, { "xunknown", CS_AUTO, NULL },
	{ "unknown", CS_AUTO, NULL }, { "unknown8bit", CS_AUTO, NULL },
	{ "xunknown8bit", CS_AUTO, NULL }, { "xuserdefined", CS_AUTO, NULL },
	{ "default", CS_AUTO, NULL }, { "8bit", CS_AUTO, NULL },
	{ "7bit", CS_AUTO, NULL }, { "none", CS_AUTO, NULL },
	{ "iso88591", CS_CP1252, NULL }, { "latin1", CS_CP1252, NULL },
	{ "l1", CS_CP1252, NULL }, { "88591", CS_CP1252, NULL },
	{ "iso885911987", CS_CP1252, NULL }, { "cp819", CS_CP1252, NULL },
	{ "ibm819", CS_CP1252, NULL }, { "isolatin1", CS_CP1252, NULL },
	{ "csisolatin1", CS_CP1252, NULL }, { "windows1252", CS_CP1252, NULL },
	{ "cp1252", CS_CP1252, NULL }, { "win1252", CS_CP1252, NULL },
	{ "xcp1252", CS_CP1252, NULL }, { "mscp1252", CS_CP1252, NULL },
	{ "cswindows1252", CS_CP1252, NULL }, { "msansi", CS_CP1252, NULL },
	{ "ansi", CS_CP1252, NULL }, { "xansi", CS_CP1252, NULL },
	{ "iso8859", CS_CP1252, NULL }, { "latin", CS_CP1252, NULL },
	{ "westerneuropean", CS_CP1252, NULL }, { "western", CS_CP1252, NULL },
	{ "utf7", CS_ICONV, "UTF-7" }, { "unicode11utf7", CS_ICONV, "UTF-7" },
	{ "xutf7", CS_ICONV, "UTF-7" }, { "csunicode11utf7", CS_ICONV, "UTF-7" },
	{ "gb2312", CS_ICONV, "GB18030" }, { "eucgb2312cn", CS_ICONV, "GB18030" }, { "gbk", CS_ICONV, "GB18030" },
	{ "xgbk", CS_ICONV, "GB18030" }, { "euccn", CS_ICONV, "GB18030" },
	{ "cp936", CS_ICONV, "GB18030" }, { "csgb2312", CS_ICONV, "GB18030" },
	{ "gb231280", CS_ICONV, "GB18030" }, { "xeuccn", CS_ICONV, "GB18030" },
	{ "chinese", CS_ICONV, "GB18030" }, { "windows936", CS_ICONV, "GB18030" },
	{ "ksc56011987", CS_ICONV, "CP949" }, { "euckr", CS_ICONV, "CP949" },
	{ "ksc5601", CS_ICONV, "CP949" }, { "xwindows949", CS_ICONV, "CP949" },
	{ "cp949", CS_ICONV, "CP949" }, { "windows949", CS_ICONV, "CP949" },
	{ "cseuckr", CS_ICONV, "CP949" }, { "korean", CS_ICONV, "CP949" },
	{ "shiftjis", CS_ICONV, "CP932" }, { "sjis", CS_ICONV, "CP932" },
	{ "xsjis", CS_ICONV, "CP932" }, { "mskanji", CS_ICONV, "CP932" },
	{ "windows31j", CS_ICONV, "CP932" }, { "cp932", CS_ICONV, "CP932" },
	{ "csshiftjis", CS_ICONV, "CP932" }, { "xmscp932", CS_ICONV, "CP932" },
	{ "big5", CS_ICONV, "BIG5-HKSCS" }, { "xxbig5", CS_ICONV, "BIG5-HKSCS" },
	{ "cnbig5", CS_ICONV, "BIG5-HKSCS" }, { "csbig5", CS_ICONV, "BIG5-HKSCS" },
	{ "big5hkscs", CS_ICONV, "BIG5-HKSCS" }, { "cp950", CS_ICONV, "BIG5-HKSCS" },
	{ "iso88598i", CS_SINGLE, "ISO-8859-8" }, { "iso88596i", CS_SINGLE, "ISO-8859-6" },
	{ "iso88598e", CS_SINGLE, "ISO-8859-8" }, { "iso88596e", CS_SINGLE, "ISO-8859-6" },
	{ "tis620", CS_SINGLE, "CP874" }, { "iso885911", CS_SINGLE, "CP874" },
	{ "windows874", CS_SINGLE, "CP874" }, { "xmacroman", CS_SINGLE, "MACINTOSH" },
	{ "macintosh", CS_SINGLE, "MACINTOSH" }, { "macroman", CS_SINGLE, "MACINTOSH" },
	{ "xmaccyrillic", CS_SINGLE, "MAC-CYRILLIC" }, { "maccyrillic", CS_SINGLE, "MAC-CYRILLIC" },
	{ "latin9", CS_SINGLE, "ISO-8859-15" }, { "latin2", CS_SINGLE, "ISO-8859-2" },
	{ "cp1250", CS_SINGLE, "WINDOWS-1250" }, { "cp1251", CS_SINGLE, "WINDOWS-1251" },
	{ "win1251", CS_SINGLE, "WINDOWS-1251" }, { "win1250", CS_SINGLE, "WINDOWS-1250" },
	{ "xcp1251", CS_SINGLE, "WINDOWS-1251" }, { "xcp1250", CS_SINGLE, "WINDOWS-1250" },
	{ "unicode", CS_ICONV, "UTF-16" },
};

/* U+0080..U+009F as windows-1252 reads bytes 0x80..0x9F (WHATWG mapping). */
static const guint16 cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

char *
charset_cp1252_to_utf8(const char *buf, gsize len, gsize *len_out)
{
	char *out = g_malloc(len * 3 + 1), *o = out;

	for (gsize i = 0; i < len; i++) {
		guint8 c = (guint8)buf[i];
		gunichar u;

		if (c < 0x80) {
			if (c != 0)
				*o++ = (char)c;
			continue;
		}
		u = c < 0xA0 ? cp1252_high[c - 0x80] : c;
		o += g_unichar_to_utf8(u, o);
	}
	*o = '\0';
	if (len_out != NULL)
		*len_out = (gsize)(o - out);
	return out;
}

/* Lower-case letters and digits of a charset name: "ISO_8859-1" -> "iso88591". */
static void
charset_key(const char *cs, char *key, gsize size)
{
	gsize n = 0;

	for (; cs != NULL && *cs != '\0' && n + 1 < size; cs++) {
		if (g_ascii_isalnum(*cs))
			key[n++] = g_ascii_tolower(*cs);
	}
	key[n] = '\0';
}

static enum cs_kind
charset_classify(const char *charset, const char **iconv_name)
{
	char key[64];

	*iconv_name = charset;
	charset_key(charset, key, sizeof(key));
	for (gsize i = 0; i < G_N_ELEMENTS(aliases); i++) {
		if (strcmp(aliases[i].key, key) == 0) {
			if (aliases[i].iconv_name != NULL)
				*iconv_name = aliases[i].iconv_name;
			return aliases[i].kind;
		}
	}
	if (g_str_has_prefix(key, "iso8859") || g_str_has_prefix(key, "windows125") ||
	    g_str_has_prefix(key, "cp125") || g_str_has_prefix(key, "koi8") ||
	    g_str_has_prefix(key, "cp8") || g_str_has_prefix(key, "ibm8"))
		return CS_SINGLE;
	return CS_ICONV;
}

gboolean
charset_is_utf8ish(const char *charset)
{
	const char *name;

	return charset_classify(charset, &name) == CS_AUTO;
}

static gsize
count_8bit(const char *buf, gsize len)
{
	gsize n = 0;

	for (gsize i = 0; i < len; i++)
		n += (guint8)buf[i] >= 0x80;
	return n;
}

static gboolean
has_8bit(const char *buf, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if ((guint8)buf[i] >= 0x80)
			return TRUE;
	return FALSE;
}

/* Copy without NUL bytes (they would cut C strings short). */
static char *
strip_nul(const char *buf, gsize len, gsize *len_out)
{
	char *out = g_malloc(len + 1);
	gsize n = 0;

	for (gsize i = 0; i < len; i++)
		if (buf[i] != '\0')
			out[n++] = buf[i];
	out[n] = '\0';
	*len_out = n;
	return out;
}

/*
 * iconv from cd, replacing what does not convert with U+FFFD; returns the
 * UTF-8 text and counts the replacements in *ninval.
 */
static char *
iconv_convert(iconv_t cd, const char *buf, gsize len, gsize *ninval,
    gsize *len_out)
{
	GString *out = g_string_sized_new(len + len / 2 + 16);
	char tmp[4096], *in = (char *)buf, *op;
	size_t inleft = len, oleft;

	*ninval = 0;
	iconv(cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		size_t rc;

		op = tmp;
		oleft = sizeof(tmp);
		rc = iconv(cd, &in, &inleft, &op, &oleft);
		g_string_append_len(out, tmp, op - tmp);
		if (rc != (size_t)-1)
			break;
		if (errno == E2BIG && op != tmp)
			continue;
		/* EILSEQ, EINVAL (truncated sequence): skip one byte */
		(*ninval)++;
		g_string_append(out, "\xEF\xBF\xBD");
		in++;
		inleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	op = tmp;
	oleft = sizeof(tmp);
	if (iconv(cd, NULL, NULL, &op, &oleft) != (size_t)-1)
		g_string_append_len(out, tmp, op - tmp);
	*len_out = out->len;
	return g_string_free(out, FALSE);
}

/*
 * UTF-8 when valid; mostly-valid UTF-8 (more good multi-byte characters
 * than bad bytes) with U+FFFD for the bad bytes; else windows-1252.
 */
static char *
auto_to_utf8(const char *buf, gsize len, gsize *len_out)
{
	const char *p = buf, *end = buf + len, *stop;
	gsize nbad = 0, ngood = 0;
	char *out;

	if (g_utf8_validate(buf, (gssize)len, NULL)) {
		*len_out = len;
		return g_strndup(buf, len);
	}
	while (p < end) {
		gboolean good = g_utf8_validate(p, end - p, &stop);

		for (; p < stop; p++)
			if ((guint8)*p >= 0xC2)
				ngood++;
		if (good)
			break;
		nbad++;
		p++;
	}
	if (ngood <= nbad)
		return charset_cp1252_to_utf8(buf, len, len_out);
	out = g_utf8_make_valid(buf, (gssize)len);
	*len_out = strlen(out);
	return out;
}

/* Convert with iconv; NULL when the charset is unknown or too much failed. */
static char *
convert_iconv(const char *name, const char *buf, gsize len, gboolean strict,
    gsize *len_out)
{
	iconv_t cd;
	gsize ninval, n;
	char *out, *clean;

	cd = g_mime_iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return NULL;
	out = iconv_convert(cd, buf, len, &ninval, &n);
	g_mime_iconv_close(cd);
	if (ninval > 0 && (strict || (ninval > 2 && ninval * 100 > len))) {
		g_free(out);
		return NULL;
	}
	if (memchr(out, '\0', n) == NULL) {
		*len_out = n;
		return out;
	}
	clean = strip_nul(out, n, len_out);
	g_free(out);
	return clean;
}

char *
charset_to_utf8(const char *charset, const char *buf, gsize len,
    gsize *len_out)
{
	g_autofree char *nonul = NULL;
	const char *name;
	enum cs_kind kind;
	gsize n;
	char *out;

	if (len_out == NULL)
		len_out = &n;
	if (buf == NULL || len == 0) {
		*len_out = 0;
		return g_strdup("");
	}
	kind = charset_classify(charset, &name);
	/* UTF-16/32 carry NUL bytes; everything else loses them here. */
	if (memchr(buf, '\0', len) != NULL && kind != CS_ICONV) {
		nonul = strip_nul(buf, len, &len);
		buf = nonul;
	}
	if (!has_8bit(buf, len) && kind != CS_ICONV) {
		*len_out = len;
		return g_strndup(buf, len);
	}
	switch (kind) {
	case CS_AUTO:
		return auto_to_utf8(buf, len, len_out);
	case CS_CP1252:
		/* Declared latin-1 but really UTF-8 is common. */
		if (g_utf8_validate(buf, (gssize)len, NULL)) {
			*len_out = len;
			return g_strndup(buf, len);
		}
		return charset_cp1252_to_utf8(buf, len, len_out);
	case CS_SINGLE:
		if (g_utf8_validate(buf, (gssize)len, NULL)) {
			*len_out = len;
			return g_strndup(buf, len);
		}
		break;
	case CS_ICONV:
		/* a long valid UTF-8 text is UTF-8 whatever the label says */
		if (count_8bit(buf, len) >= 16 && !g_str_has_prefix(name, "UTF-1") &&
		    !g_str_has_prefix(name, "UTF-3") && g_ascii_strncasecmp(name, "ucs", 3) != 0 &&
		    g_ascii_strncasecmp(name, "utf-16", 6) != 0 && g_ascii_strncasecmp(name, "utf-32", 6) != 0 &&
		    g_utf8_validate(buf, (gssize)len, NULL)) {
			*len_out = len;
			return g_strndup(buf, len);
		}
		break;
	}
	out = convert_iconv(name, buf, len, FALSE, len_out);
	if (out == NULL && name != charset && charset != NULL)
		out = convert_iconv(charset, buf, len, FALSE, len_out);
	if (out == NULL) {
		if (memchr(buf, '\0', len) != NULL) {
			nonul = strip_nul(buf, len, &len);
			buf = nonul;
		}
		out = auto_to_utf8(buf, len, len_out);
	}
	return out;
}

char *
charset_header_to_utf8(const char *raw, const char *body_charset)
{
	gsize len = strlen(raw), n;
	const char *name;
	enum cs_kind kind;
	char *out;

	if (strchr(raw, '\x1b') != NULL) {
		/* raw ISO-2022 (old Japanese mailers): 7-bit, but not ASCII text */
		out = convert_iconv(body_charset != NULL &&
		    g_ascii_strncasecmp(body_charset, "iso-2022-", 9) == 0 ?
		    body_charset : "ISO-2022-JP", raw, len, TRUE, &n);
		if (out != NULL)
			return out;
	}
	if (g_utf8_validate(raw, (gssize)len, NULL))
		return g_strndup(raw, len);
	kind = charset_classify(body_charset, &name);
	if (body_charset != NULL && (kind == CS_SINGLE || kind == CS_ICONV)) {
		out = convert_iconv(name, raw, len, TRUE, &n);
		if (out != NULL)
			return out;
	}
	return charset_cp1252_to_utf8(raw, len, NULL);
}

#define MAX_WORD	2000	/* payload bytes of one encoded word, at most */

/* Payload of a Q encoded word: '_' is a space, =XX a byte. */
static void
q_decode(const char *p, gsize n, GByteArray *out)
{
	for (gsize i = 0; i < n; i++) {
		guint8 c = (guint8)p[i];

		if (c == '_')
			c = ' ';
		else if (c == '=' && i + 2 < n + 0 && g_ascii_isxdigit(p[i + 1]) &&
		    g_ascii_isxdigit(p[i + 2])) {
			c = (guint8)(g_ascii_xdigit_value(p[i + 1]) * 16 +
			    g_ascii_xdigit_value(p[i + 2]));
			i += 2;
		}
		g_byte_array_append(out, &c, 1);
	}
}

/* Payload of a B encoded word, each word on its own (padding or not). */
static void
b_decode(const char *p, gsize n, GByteArray *out)
{
	GString *clean = g_string_sized_new(n + 4);
	gint state = 0;
	guint save = 0;
	gsize len;
	guint8 *buf;

	for (gsize i = 0; i < n; i++)
		if (g_ascii_isalnum(p[i]) || p[i] == '+' || p[i] == '/')
			g_string_append_c(clean, p[i]);
	if (clean->len % 4 == 1)	/* a lone sextet carries no byte */
		g_string_truncate(clean, clean->len - 1);
	while (clean->len % 4 != 0)
		g_string_append_c(clean, '=');
	buf = g_malloc(clean->len / 4 * 3 + 3);
	len = g_base64_decode_step(clean->str, clean->len, buf, &state, &save);
	g_byte_array_append(out, buf, (guint)len);
	g_free(buf);
	g_string_free(clean, TRUE);
}

/*
 * Parse "=?charset?E?payload?=" at p; on success append the bytes to out,
 * copy the charset (without RFC 2231 language) and return the end.
 */
static const char *
encoded_word(const char *p, char *charset, gsize cs_size, GByteArray *out)
{
	const char *cs = p + 2, *q, *payload, *end;
	gsize n;
	char enc;

	for (q = cs; *q != '?'; q++)
		if ((guint8)*q <= ' ' || (guint8)*q >= 0x7f || (gsize)(q - cs) >= cs_size - 1)
			return NULL;
	enc = g_ascii_toupper(q[1]);
	if ((enc != 'B' && enc != 'Q') || q[2] != '?')
		return NULL;
	payload = q + 3;
	/* bounded search: broken words are long, not endless */
	for (end = payload; !(end[0] == '?' && end[1] == '='); end++)
		if (*end == '\0' || end - payload > MAX_WORD)
			return NULL;
	n = (gsize)(q - cs);
	memcpy(charset, cs, n);
	charset[n] = '\0';
	charset[strcspn(charset, "*")] = '\0';
	if (enc == 'B')
		b_decode(payload, (gsize)(end - payload), out);
	else
		q_decode(payload, (gsize)(end - payload), out);
	return end + 2;
}

/* Convert the bytes of a run of encoded words in one charset and append. */
static void
flush_run(GString *out, const char *charset, GByteArray *bytes)
{
	char *s;
	gsize n;

	if (bytes->len == 0)
		return;
	s = charset_to_utf8(charset, (const char *)bytes->data, bytes->len, &n);
	g_string_append_len(out, s, (gssize)n);
	g_free(s);
	g_byte_array_set_size(bytes, 0);
}

/*
 * RFC 2047 decoding of an unfolded UTF-8 header text, lenient: encoded
 * words inside words or quotes, white space between encoded words dropped,
 * words of one charset joined before conversion (split characters).
 */
char *
charset_decode_words(const char *in)
{
	GString *out = g_string_sized_new(strlen(in) + 1);
	GByteArray *bytes = g_byte_array_new(), *word = g_byte_array_new();
	char run_cs[64] = "", cs[64];
	const char *p = in, *ws = NULL, *next;
	gboolean after_word = FALSE;

	while (*p != '\0') {
		if (*p == ' ' || *p == '\t') {
			const char *start = p;

			while (*p == ' ' || *p == '\t')
				p++;
			if (after_word)
				ws = start;	/* held: dropped if another word follows */
			else
				g_string_append_len(out, start, p - start);
			continue;
		}
		if (p[0] == '=' && p[1] == '?') {
			g_byte_array_set_size(word, 0);
			next = encoded_word(p, cs, sizeof(cs), word);
			if (next != NULL) {
				if (g_ascii_strcasecmp(cs, run_cs) != 0)
					flush_run(out, run_cs, bytes);
				g_byte_array_append(bytes, word->data, word->len);
				g_strlcpy(run_cs, cs, sizeof(run_cs));
				ws = NULL;
				after_word = TRUE;
				p = next;
				continue;
			}
		}
		flush_run(out, run_cs, bytes);
		if (ws != NULL)
			g_string_append_len(out, ws, p - ws);
		ws = NULL;
		after_word = FALSE;
		g_string_append_c(out, *p++);
	}
	flush_run(out, run_cs, bytes);
	if (ws != NULL)
		g_string_append(out, ws);
	g_byte_array_free(bytes, TRUE);
	g_byte_array_free(word, TRUE);
	return g_string_free(out, FALSE);
}
