/*
 * labels.h: the words a person reads in place of the codes stored
 * (labels.c): taxonomy labels from the rules (French, or German for a
 * German-speaking region), requester kinds, languages, statuses, reply and
 * time kinds, months.  Every function returns a static string or one owned
 * by the rules, never NULL; an unknown code comes back as itself.
 */
#ifndef GUICHET_LABELS_H
#define GUICHET_LABELS_H

#include <glib.h>
#include "setup.h"

const char	*label_domain(const struct setup *, const char *code);	/* NULL: "Non classé" */
const char	*label_topic(const struct setup *, const char *code);	/* NULL: "(sans thème)" */
/* A requester kind's French label from the taxonomy ("personne migrante"; NULL: the
 * default kind; a kind no file declares: its code made readable). Not a copy. */
const char	*label_requester(const struct setup *, const char *code);
/* The same as a report heading, in the plural ("Personnes migrantes"). */
const char	*label_requesters(const struct setup *, const char *code);
const char	*label_language(const char *code);	/* "tigrinya" */
const char	*label_status(const char *code);	/* "ouverte" */
const char	*label_kind(const char *code);		/* "entretien de conseil" */
/* Why no automatic reply, in French ("our own address" -> "notre propre adresse"); NULL when unknown. */
const char	*label_reason(const char *reason);
/* "2026-03" -> "mars 2026" (g_free). */
char		*label_month(const char *ym);

/*
 * The value of a stats field (enum tally_field of tally.h) as read:
 * g_free'd by the caller.
 */
char		*label_tally_value(const struct setup *, int tally_field, const char *code);

#endif
