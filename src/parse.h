/*
 * parse.h: raw RFC 5322 bytes to the message fields of struct request,
 * with GMime 3.  No I/O.  Call g_mime_init() once before.
 */
#ifndef GUICHET_PARSE_H
#define GUICHET_PARSE_H

#include "request.h"

/*
 * Fill r from r->raw: identification, addresses, subject, headers, RFC 3834
 * facts, text, text_clean, attachments, dedup_key, raw_sha256.
 * Returns FALSE when the message cannot be used (empty, over max_size, no
 * header at all, not parseable); err then says why in a few words and r
 * still has raw_sha256 and dedup_key so it can be quarantined once.
 */
gboolean	 parse_request(struct request *r, gsize max_size, GError **err);

/* Convert an HTML document (any charset, already decoded to UTF-8) to text. */
char		*html_to_text(const char *html, gsize len);

/* Cut quoted replies, signatures and disclaimers from text. */
char		*text_strip_quotes(const char *text);

#endif
