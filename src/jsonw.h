/*
 * jsonw.h: the few json-glib helpers guichet's JSON writers share (ingest
 * --json, explain, stats, export, access): members of an object being
 * built, and the finished text.
 */
#ifndef GUICHET_JSONW_H
#define GUICHET_JSONW_H

#include <json-glib/json-glib.h>

/* Member name: v (a string, or null when v is NULL). */
void		 jsonw_str(JsonBuilder *, const char *name, const char *v);
/* Member name: v. */
void		 jsonw_int(JsonBuilder *, const char *name, gint64 v);
/* Member name: an array of the strings of a (char *). */
void		 jsonw_strv(JsonBuilder *, const char *name, GPtrArray *a);
/* The builder's document as text, indented (g_free). */
char		*jsonw_finish(JsonBuilder *);

#endif
