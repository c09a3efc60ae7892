/*
 * charset.h: bytes in a declared (or wrong, or missing) charset to UTF-8.
 * Used by parse.c for bodies and raw 8-bit headers.  Never fails: bytes
 * that fit no charset end up as windows-1252, the usual truth of mail
 * declared us-ascii or utf-8.  All results belong to the caller (g_free).
 */
#ifndef GUICHET_CHARSET_H
#define GUICHET_CHARSET_H

#include <glib.h>

/*
 * Convert len bytes declared as charset (NULL = unknown) to UTF-8.
 * Valid UTF-8 is kept as it is when the declaration is us-ascii, utf-8,
 * unknown, or a single-byte legacy charset (mislabeled UTF-8 is common);
 * invalid UTF-8 falls back to windows-1252.  NUL bytes are dropped.
 * *len_out, when given, receives the length of the result.
 */
char		*charset_to_utf8(const char *charset, const char *buf, gsize len,
		    gsize *len_out);

/*
 * For raw 8-bit header values: UTF-8 if valid, else the body's charset
 * when every byte converts, else windows-1252.
 */
char		*charset_header_to_utf8(const char *raw, const char *body_charset);

/* windows-1252 to UTF-8, the undefined bytes mapped to U+0080..U+009F. */
char		*charset_cp1252_to_utf8(const char *buf, gsize len, gsize *len_out);

/*
 * Undo RFC 2047 in an unfolded, already UTF-8 header text, leniently
 * (encoded words in quotes or glued to text; characters split across
 * words).  Each B word is decoded on its own, so padding inside a run
 * of words does not cut the text (GMime 3.2 does cut it).
 */
char		*charset_decode_words(const char *text);

/* TRUE when the charset name means UTF-8 or US-ASCII (or nothing). */
gboolean	 charset_is_utf8ish(const char *charset);

#endif
