/*
 * rules_int.h: the compiled form of a rule set, shared by rules.c (the
 * loader) and match.c (ruleset_apply).  Private to those two files.
 * Everything here is built once at load and never changes after.
 */
#ifndef GUICHET_RULES_INT_H
#define GUICHET_RULES_INT_H

#include "rules.h"
#include "fold.h"

/* Texts keyword and regex conditions look at. */
enum field {
	F_SUBJECT,
	F_BODY,		/* text_clean, else text */
	F_FULL,		/* text without quoted ">" lines (signatures included) */
	F_FROM_NAME,
	F_EARLY,	/* the first sentences of the body: weigh more */
	F_ASK,		/* the sentences of the body that ask (a question mark): weigh more */
	F_NFIELDS,
	F_TEXT,		/* subject or body */
};

/* Labels decided by precedence; L_REPLY carries the template too. */
enum label {
	L_REQUESTER,
	L_DOMAIN,
	L_TOPIC,
	L_COMMUNE,
	L_REPLY,
	L_NLABELS,
};

enum cond_kind {
	C_ALL,
	C_ANY,
	C_NOT,
	C_KEYWORDS,	/* field, kws */
	C_REGEX,	/* field, re */
	C_HEADER,	/* hname, re */
	C_FROM,		/* globs on from_addr */
	C_FROM_DOMAIN,	/* globs on the domain and its parent domains */
	C_FROM_COMMUNE,	/* flag: sender domain belongs to a declared commune */
	C_TO,		/* globs on To and Cc addresses */
	C_LANGUAGE,	/* strs */
	C_SIZE_OVER,
	C_SIZE_UNDER,
	C_ATT_TYPE,	/* globs */
	C_ATT_NAME,	/* globs */
	C_HAS_ATT,	/* flag */
	C_LABEL,	/* label, strs: the label so far equals one of them */
	C_URGENT,	/* flag */
	C_QUESTION,	/* flag: a question mark in the subject or body */
};

struct kwref {
	guint		 id;		/* in the ruleset's trie */
	const char	*word;		/* as written in the rule (points into strs) */
};

struct cond {
	enum cond_kind	 kind;
	int		 field;		/* enum field, or enum label for C_LABEL */
	GPtrArray	*kids;		/* struct cond *, for C_ALL/C_ANY/C_NOT */
	struct kwref	*kws;
	guint		 nkws;
	char	       **strs;		/* the values as written */
	GPatternSpec   **globs;		/* NULL-terminated */
	GRegex		*re;
	char		*hname;
	gint64		 size;
	gboolean	 flag;
	guint		 idx;		/* C_KEYWORDS: index in ruleset kwconds */
};

struct rule {
	char		*name;
	char		*where;		/* "file:line" */
	struct cond	*cond;		/* NULL: always */
	char		*set[L_NLABELS];	/* L_REPLY: "ack"/"orientation"/"none" */
	char		*template;	/* for orientation */
	int		 urgent;	/* -1 unset, 0, 1, URGENT_WEAK */
	char	       **forwards;
	char	       **tags;
	int		 priority;
	double		 weight;	/* evidence per matched word; < 0: from priority */
	gboolean	 decisive;	/* wins its labels outright (first match) */
	gboolean	 stop;
};

/* urgent = "weak": urgent only if the learned model agrees (classify.c) */
#define URGENT_WEAK	2

/* A rule at or above this priority is decisive unless it says otherwise. */
#define DECISIVE_PRIORITY	10

struct commune_def {
	char		*name;
	char	       **domains;
	char	       **words;
};

struct ruleset {
	GPtrArray	*domains;	/* struct domain_def * */
	GPtrArray	*topics;	/* struct topic_def * */
	GPtrArray	*commune_defs;	/* struct commune_def * */
	GPtrArray	*commune_names;	/* char *, not owned (point into commune_defs) */
	GPtrArray	*partners;	/* struct partner * */
	GPtrArray	*requesters;	/* char * */
	GPtrArray	*rules;		/* struct rule * */
	GPtrArray	*template_refs;	/* struct rule_hit * */
	GHashTable	*domain_by_code;
	GHashTable	*topic_by_code;
	GHashTable	*requester_by_code;	/* code -> struct requester_def *, owned */
	struct kwtrie	*trie;
	gboolean	 uses[F_NFIELDS];
	GPtrArray	*kwconds;	/* struct cond * of C_KEYWORDS, not owned */
	guint		*rev_start;	/* keyword id -> first index in rev_conds */
	guint		*rev_conds;	/* kwconds indices, grouped by keyword id */
};

/* Build rev_start/rev_conds once every keyword condition is compiled. */
void		 ruleset_index_keywords(struct ruleset *);

/* Loader context (rules.c), shared with the compiler (rulecomp.c). */
struct ld {
	struct ruleset	*rs;
	GString		*errs;		/* "file:line: what\n" each */
	GHashTable	*rule_names;	/* name -> where */
	GHashTable	*communes;	/* name -> struct commune_def * */
	GHashTable	*requesters;	/* set of kinds */
	GHashTable	*partner_ids;	/* set */
};

#include <libconfig.h>

/* rules.c: error collection and typed getters (report wrong types). */
void		 ld_err(struct ld *, const config_setting_t *, const char *, ...)
		    G_GNUC_PRINTF(3, 4);
char		*ld_where(const config_setting_t *);	/* "file:line", g_malloc'ed */
const char	*ld_name(const config_setting_t *);
gboolean	 ld_string(struct ld *, const config_setting_t *, const char **);
gboolean	 ld_bool(struct ld *, const config_setting_t *, gboolean *);
gboolean	 ld_int(struct ld *, const config_setting_t *, gint64 *);
char	       **ld_strv(struct ld *, const config_setting_t *);	/* string or non-empty list */
gboolean	 ld_is_name(const char *);

/* rulecomp.c */
void		 rule_free(gpointer);
void		 rule_parse(struct ld *, const config_setting_t *);
void		 rule_commune(struct ld *, const struct commune_def *, const char *where);

#endif
