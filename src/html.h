/*
 * html.h: HTML to plain text (html.c), with libxml2's HTML parser.  No I/O.
 */
#ifndef GUICHET_HTML_H
#define GUICHET_HTML_H

#include <glib.h>

/* Convert an HTML document (any charset, already decoded to UTF-8) to text (g_free). */
char		*html_to_text(const char *html, gsize len);

#endif
