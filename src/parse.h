/*
 * parse.h: raw RFC 5322 bytes to the message fields of struct request,
 * with GMime 3.  No I/O.  Call g_mime_init() once before.  The text
 * stages it runs have their own headers: html.h (HTML to text) and
 * quote.h (quoted replies, signatures, disclaimers).
 */
#ifndef GUICHET_PARSE_H
#define GUICHET_PARSE_H

#include "html.h"
#include "quote.h"
#include "request.h"

/*
 * Fill r from r->raw: identification, addresses, subject, headers, RFC 3834
 * facts, text, text_clean, attachments, dedup_key, raw_sha256.
 * Returns FALSE when the message cannot be used (empty, over max_size, no
 * header at all, not parseable); err then says why in a few words and r
 * still has raw_sha256 and dedup_key so it can be quarantined once.
 */
gboolean	 parse_request(struct request *r, gsize max_size, GError **err);

#endif
