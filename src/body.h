/*
 * body.h: the MIME tree of a parsed message to guichet's view of it:
 * the best text body (UTF-8, LF line ends), the attachments, and the
 * delivery-report facts.  Private to parse.c; no I/O.
 */
#ifndef GUICHET_BODY_H
#define GUICHET_BODY_H

#include <gmime/gmime.h>
#include "request.h"

/*
 * Fill r->text (never NULL), r->html_only, r->body_charset,
 * r->attachments, r->is_report and r->report_type from msg.
 * The structured search (alternatives, signed parts, Apple Mail's split
 * text) stops at BODY_MAX_DEPTH; when it finds nothing, an iterative walk
 * takes the first text part down to BODY_SCAN_DEPTH, so r->text is never
 * empty when the message holds text within that depth.
 */
#define BODY_MAX_DEPTH	200
#define BODY_SCAN_DEPTH	10000
void		 body_extract(struct request *r, GMimeMessage *msg);

#endif
