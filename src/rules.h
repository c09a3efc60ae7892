/*
 * rules.h: the taxonomy (domains, topics), communes, partner directory and
 * classification rules, loaded from the libconfig files of rules/ in name
 * order and compiled once.  The ruleset is immutable after load.
 */
#ifndef GUICHET_RULES_H
#define GUICHET_RULES_H

#include <glib.h>
#include "config.h"
#include "request.h"

struct ruleset;

struct domain_def {
	char		*code;		/* "langue" */
	char		*label_fr;
	char		*label_de;
	char		*pic2018;	/* code in the 2018-2023 programme */
};

/*
 * A requester kind (requesters = ( { code = "migrant"; fr = "personne
 * migrante"; fr_plural = "Personnes migrantes"; }, ... )).  After load
 * label_fr and label_fr_plural are never NULL: a kind declared without
 * them gets the usual label of its code, else a readable form of the code
 * ("service_social" -> "service social", "Service social"); label_de may be NULL.
 */
struct requester_def {
	char		*code;		/* "migrant" */
	char		*label_fr;	/* "personne migrante" (digest, view) */
	char		*label_fr_plural;	/* "Personnes migrantes" (report) */
	char		*label_de;
};

struct topic_def {
	char		*code;		/* "cours_langue" */
	char		*domain;	/* its domain code */
	char		*label_fr;
	char		*label_de;
};

struct partner {
	char		*id;
	char		*name;
	char		*address;	/* may be NULL */
	char		*phone;		/* may be NULL */
	char		*web;		/* may be NULL */
	char		*email;		/* may be NULL */
	char	       **languages;	/* NULL-terminated */
	char	       **topics;	/* NULL-terminated */
	char	       **urgency;	/* urgency families it helps at once (urgent.h), NULL-terminated */
	gboolean	 to_fill;	/* placeholder the commune must fill in */
	GHashTable	*about;		/* lang -> what the service does, in that language; may be NULL */
};

/*
 * Load every *.conf of dir in name order.  On failure NULL, and err holds
 * every problem as "file:line: what is wrong", one per line.  Template names
 * referenced by rules are checked later by templates_check_rules().
 */
struct ruleset	*ruleset_load(const char *dir, const struct config *, GError **err);
void		 ruleset_free(struct ruleset *);

/*
 * Classify r (language already detected): labels, urgent, tags, forwards,
 * hits, and the reply the rules ask for (r->reply REPLY_ACK,
 * REPLY_ORIENTATION or REPLY_NONE; r->reply_template).  Labels no rule set get their defaults.
 * No I/O.
 */
void		 ruleset_apply(const struct ruleset *, struct request *r);

/*
 * The orientation template the rules give for topic (the first rule that
 * sets it with reply = "orientation"), or NULL.  Not a copy.
 */
const char	*ruleset_orientation(const struct ruleset *, const char *topic);

/* Taxonomy look-ups; NULL when unknown. Not copies. */
const struct domain_def	*ruleset_domain(const struct ruleset *, const char *code);
const struct topic_def	*ruleset_topic(const struct ruleset *, const char *code);
GPtrArray	*ruleset_domains(const struct ruleset *);	/* struct domain_def *, not a copy */
GPtrArray	*ruleset_topics(const struct ruleset *);	/* struct topic_def * */
GPtrArray	*ruleset_communes(const struct ruleset *);	/* char * names */
/* The requester kinds the rules declare (requesters = [...]; the usual five
 * when none does), "inconnu" among them: char *, not a copy. */
GPtrArray	*ruleset_requesters(const struct ruleset *);
gboolean	 ruleset_has_requester(const struct ruleset *, const char *kind);
/* The kind the rules declare, NULL when unknown; a NULL ruleset gives the
 * usual five (the default when no file declares kinds). Not a copy. */
const struct requester_def *ruleset_requester(const struct ruleset *, const char *kind);
GPtrArray	*ruleset_partners(const struct ruleset *);	/* struct partner * */
/* Template names rules refer to, with "file:line" of each reference (for check). */
GPtrArray	*ruleset_template_refs(const struct ruleset *);	/* struct rule_hit *: rule=template name, file=file:line; not a copy */

#endif
