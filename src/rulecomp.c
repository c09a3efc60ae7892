/*
 * rulecomp.c: compile the conditions and actions of the rules (and the
 * implicit rules of the communes) into struct rule.  Errors go through
 * ld_err() as "file:line: what"; see guichet-rules(5).
 */
#include <string.h>
#include <libconfig.h>
#include "rules_int.h"
#include "vocab.h"

#define PRIORITY_MAX	1000

static void
cond_free(struct cond *c)
{
	if (c == NULL)
		return;
	if (c->kids)
		g_ptr_array_unref(c->kids);
	g_free(c->kws);
	g_strfreev(c->strs);
	if (c->globs) {
		for (GPatternSpec **g = c->globs; *g; g++)
			g_pattern_spec_free(*g);
		g_free(c->globs);
	}
	if (c->re)
		g_regex_unref(c->re);
	g_free(c->hname);
	g_free(c);
}

static void
cond_free_p(gpointer p)
{
	cond_free(p);
}

static struct cond *
cond_new(enum cond_kind kind)
{
	struct cond *c = g_new0(struct cond, 1);

	c->kind = kind;
	if (kind == C_ALL || kind == C_ANY || kind == C_NOT)
		c->kids = g_ptr_array_new_with_free_func(cond_free_p);
	return c;
}

void
rule_free(gpointer p)
{
	struct rule *r = p;

	g_free(r->name);
	g_free(r->where);
	cond_free(r->cond);
	for (int i = 0; i < L_NLABELS; i++)
		g_free(r->set[i]);
	g_free(r->template);
	g_strfreev(r->forwards);
	g_strfreev(r->tags);
	g_free(r);
}

/* ---- conditions ---- */

static struct cond *parse_group(struct ld *, const config_setting_t *);

/* Keywords of a list, folded and added to the trie. */
static gboolean
compile_keywords(struct ld *ld, struct cond *c, const config_setting_t *s)
{
	gboolean ok = TRUE;
	guint n = g_strv_length(c->strs);

	c->kws = g_new0(struct kwref, n);
	c->idx = ld->rs->kwconds->len;
	g_ptr_array_add(ld->rs->kwconds, c);
	for (guint i = 0; i < n; i++) {
		gboolean prefix;
		g_autofree char *f = fold_keyword(c->strs[i], &prefix);

		if (f == NULL) {
			if (s != NULL)
				ld_err(ld, s, "%s: keyword \"%s\" has no letter or digit",
			    ld_name(s), c->strs[i]);
			ok = FALSE;
			continue;
		}
		c->kws[c->nkws].id = kwtrie_add(ld->rs->trie, f, prefix);
		c->kws[c->nkws].word = c->strs[i];
		c->nkws++;
	}
	return ok;
}

static gboolean
compile_globs(struct cond *c)
{
	guint n = g_strv_length(c->strs);

	c->globs = g_new0(GPatternSpec *, n + 1);
	for (guint i = 0; i < n; i++) {
		g_autofree char *low = g_utf8_strdown(c->strs[i], -1);

		c->globs[i] = g_pattern_spec_new(low);
	}
	return TRUE;
}

/* No G_REGEX_OPTIMIZE: PCRE's JIT upsets valgrind, and rules use few regexes. */
static GRegex *
compile_regex(struct ld *ld, const config_setting_t *s, const char *pattern)
{
	g_autoptr(GError) e = NULL;
	GRegex *re;

	/* GLib hands the pattern to PCRE2 unchecked: bytes that are not UTF-8 crash it */
	if (!g_utf8_validate(pattern, -1, NULL)) {
		ld_err(ld, s, "%s: the regular expression is not valid UTF-8 text", ld_name(s));
		return NULL;
	}
	re = g_regex_new(pattern, G_REGEX_CASELESS, 0, &e);
	if (re == NULL)
		ld_err(ld, s, "%s: bad regular expression \"%s\": %s", ld_name(s),
		    pattern, e->message);
	return re;
}

/* One regex per string of the setting; several make an "any". */
static struct cond *
parse_regex(struct ld *ld, const config_setting_t *s, int field)
{
	char **v = ld_strv(ld, s);
	struct cond *any;
	gboolean ok = TRUE;

	if (v == NULL)
		return NULL;
	any = cond_new(C_ANY);
	for (char **p = v; *p; p++) {
		struct cond *c = cond_new(C_REGEX);

		c->field = field;
		c->strs = g_new0(char *, 2);
		c->strs[0] = g_strdup(*p);
		if ((c->re = compile_regex(ld, s, *p)) == NULL)
			ok = FALSE;
		g_ptr_array_add(any->kids, c);
	}
	g_strfreev(v);
	if (!ok) {
		cond_free(any);
		return NULL;
	}
	return any;
}

/* header = { name = "..."; regex = "..."; } or a list of them (all). */
static struct cond *
parse_header(struct ld *ld, const config_setting_t *s)
{
	struct cond *all = cond_new(C_ALL);
	gboolean ok = TRUE;
	int n = 1;
	gboolean list = config_setting_type(s) == CONFIG_TYPE_LIST;

	if (list)
		n = config_setting_length(s);
	else if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		ld_err(ld, s, "header must be { name = \"...\"; regex = \"...\"; }");
		cond_free(all);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = list ?
		    config_setting_get_elem(s, (unsigned)i) : s;
		const char *name = NULL, *regex = NULL;
		struct cond *c;

		if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
			ld_err(ld, g, "header must be { name = \"...\"; regex = \"...\"; }");
			ok = FALSE;
			continue;
		}
		for (int j = 0; j < config_setting_length(g); j++) {
			const config_setting_t *m = config_setting_get_elem(g, (unsigned)j);

			if (strcmp(ld_name(m), "name") == 0)
				ok &= ld_string(ld, m, &name);
			else if (strcmp(ld_name(m), "regex") == 0)
				ok &= ld_string(ld, m, &regex);
			else {
				ld_err(ld, m, "header: unknown key '%s' (name, regex)", ld_name(m));
				ok = FALSE;
			}
		}
		if (name == NULL || regex == NULL) {
			ld_err(ld, g, "header needs both name and regex");
			ok = FALSE;
			continue;
		}
		c = cond_new(C_HEADER);
		c->hname = g_strdup(name);
		c->strs = g_new0(char *, 2);
		c->strs[0] = g_strdup(regex);
		if ((c->re = compile_regex(ld, g, regex)) == NULL)
			ok = FALSE;
		g_ptr_array_add(all->kids, c);
	}
	if (!ok) {
		cond_free(all);
		return NULL;
	}
	return all;
}

/* all = ( {...}, ... ) / any = ( {...}, ... ); a single group is accepted. */
static struct cond *
parse_combo(struct ld *ld, const config_setting_t *s, enum cond_kind kind)
{
	struct cond *c = cond_new(kind);
	gboolean ok = TRUE;

	if (config_setting_type(s) == CONFIG_TYPE_GROUP) {
		struct cond *k = parse_group(ld, s);

		if (k == NULL) {
			cond_free(c);
			return NULL;
		}
		g_ptr_array_add(c->kids, k);
		return c;
	}
	if (config_setting_type(s) != CONFIG_TYPE_LIST ||
	    config_setting_length(s) == 0) {
		ld_err(ld, s, "%s must be a list of condition groups ( { ... }, ... )",
		    ld_name(s));
		cond_free(c);
		return NULL;
	}
	for (int i = 0; i < config_setting_length(s); i++) {
		struct cond *k = parse_group(ld,
		    config_setting_get_elem(s, (unsigned)i));

		if (k == NULL)
			ok = FALSE;
		else
			g_ptr_array_add(c->kids, k);
	}
	if (!ok) {
		cond_free(c);
		return NULL;
	}
	return c;
}

static gboolean
parse_size(struct ld *ld, const config_setting_t *s, gint64 *out)
{
	const char *str;
	char *end;
	gint64 v;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return ld_int(ld, s, out) && (*out >= 0 ||
		    (ld_err(ld, s, "%s must not be negative", ld_name(s)), FALSE));
	str = config_setting_get_string(s);
	v = g_ascii_strtoll(str, &end, 10);
	if (end == str || v < 0)
		goto bad;
	switch (g_ascii_toupper(*end)) {
	case '\0': break;
	case 'K': v *= 1024; end++; break;
	case 'M': v *= 1024 * 1024; end++; break;
	case 'G': v *= 1024 * 1024 * 1024; end++; break;
	default: goto bad;
	}
	if (*end != '\0')
		goto bad;
	*out = v;
	return TRUE;
bad:
	ld_err(ld, s, "%s: bad size \"%s\" (bytes, or a number with K, M or G)",
	    ld_name(s), str);
	return FALSE;
}

/* Is value declared for label? */
static gboolean
label_known(struct ld *ld, int label, const char *v)
{
	switch (label) {
	case L_DOMAIN: return g_hash_table_contains(ld->rs->domain_by_code, v);
	case L_TOPIC: return g_hash_table_contains(ld->rs->topic_by_code, v);
	case L_REQUESTER: return g_hash_table_contains(ld->requesters, v);
	case L_COMMUNE: return g_hash_table_contains(ld->communes, v);
	default: return TRUE;
	}
}

static const char *const label_names[L_NLABELS] = {
	"requester", "domain", "topic", "commune", "reply",
};

/* The table of condition keys. */
static const struct cond_key {
	const char	*name;
	enum cond_kind	 kind;
	int		 field;
} cond_keys[] = {
	{ "subject",		C_KEYWORDS,	F_SUBJECT },
	{ "body",		C_KEYWORDS,	F_BODY },
	{ "text",		C_KEYWORDS,	F_TEXT },
	{ "full_body",		C_KEYWORDS,	F_FULL },
	{ "from_name",		C_KEYWORDS,	F_FROM_NAME },
	{ "subject_regex",	C_REGEX,	F_SUBJECT },
	{ "body_regex",		C_REGEX,	F_BODY },
	{ "header",		C_HEADER,	0 },
	{ "from",		C_FROM,		0 },
	{ "from_domain",	C_FROM_DOMAIN,	0 },
	{ "from_commune",	C_FROM_COMMUNE,	0 },
	{ "to",			C_TO,		0 },
	{ "language",		C_LANGUAGE,	0 },
	{ "size_over",		C_SIZE_OVER,	0 },
	{ "size_under",		C_SIZE_UNDER,	0 },
	{ "attachment_type",	C_ATT_TYPE,	0 },
	{ "attachment_name",	C_ATT_NAME,	0 },
	{ "has_attachment",	C_HAS_ATT,	0 },
	{ "requester",		C_LABEL,	L_REQUESTER },
	{ "domain",		C_LABEL,	L_DOMAIN },
	{ "topic",		C_LABEL,	L_TOPIC },
	{ "commune",		C_LABEL,	L_COMMUNE },
	{ "urgent",		C_URGENT,	0 },
	{ "question",		C_QUESTION,	0 },
	{ "all",		C_ALL,		0 },
	{ "any",		C_ANY,		0 },
	{ "not",		C_NOT,		0 },
};

/* One key of a condition group. */
static struct cond *
parse_key(struct ld *ld, const config_setting_t *s)
{
	const struct cond_key *k = NULL;
	struct cond *c;

	for (gsize i = 0; i < G_N_ELEMENTS(cond_keys); i++)
		if (strcmp(cond_keys[i].name, ld_name(s)) == 0)
			k = &cond_keys[i];
	if (k == NULL) {
		ld_err(ld, s, "unknown condition '%s'", ld_name(s));
		return NULL;
	}
	switch (k->kind) {
	case C_ALL:
	case C_ANY:
		return parse_combo(ld, s, k->kind);
	case C_NOT: {
		struct cond *inner;

		if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
			ld_err(ld, s, "not must be a condition group { ... }");
			return NULL;
		}
		if ((inner = parse_group(ld, s)) == NULL)
			return NULL;
		c = cond_new(C_NOT);
		g_ptr_array_add(c->kids, inner);
		return c;
	}
	case C_REGEX:
		return parse_regex(ld, s, k->field);
	case C_HEADER:
		return parse_header(ld, s);
	default:
		break;
	}
	c = cond_new(k->kind);
	c->field = k->field;
	switch (k->kind) {
	case C_FROM_COMMUNE:
	case C_HAS_ATT:
	case C_URGENT:
	case C_QUESTION:
		if (!ld_bool(ld, s, &c->flag))
			goto fail;
		return c;
	case C_SIZE_OVER:
	case C_SIZE_UNDER:
		if (!parse_size(ld, s, &c->size))
			goto fail;
		return c;
	default:
		break;
	}
	if ((c->strs = ld_strv(ld, s)) == NULL)
		goto fail;
	switch (k->kind) {
	case C_KEYWORDS:
		if (k->field == F_TEXT) {
			ld->rs->uses[F_SUBJECT] = ld->rs->uses[F_BODY] = TRUE;
		} else
			ld->rs->uses[k->field] = TRUE;
		if (!compile_keywords(ld, c, s))
			goto fail;
		return c;
	case C_FROM:
	case C_FROM_DOMAIN:
	case C_TO:
	case C_ATT_TYPE:
	case C_ATT_NAME:
		compile_globs(c);
		return c;
	case C_LABEL: {
		gboolean ok = TRUE;

		for (char **v = c->strs; *v; v++)
			if (!label_known(ld, k->field, *v)) {
				ld_err(ld, s, "%s \"%s\" is not declared",
				    label_names[k->field], *v);
				ok = FALSE;
			}
		if (!ok)
			goto fail;
		return c;
	}
	default:	/* C_LANGUAGE */
		return c;
	}
fail:
	cond_free(c);
	return NULL;
}

/* A condition group: every key must hold. */
static struct cond *
parse_group(struct ld *ld, const config_setting_t *g)
{
	struct cond *all;
	gboolean ok = TRUE;
	int n;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		ld_err(ld, g, "a condition must be a group { ... }");
		return NULL;
	}
	if ((n = config_setting_length(g)) == 0) {
		ld_err(ld, g, "empty condition group");
		return NULL;
	}
	all = cond_new(C_ALL);
	for (int i = 0; i < n; i++) {
		struct cond *k = parse_key(ld, config_setting_get_elem(g, (unsigned)i));

		if (k == NULL)
			ok = FALSE;
		else
			g_ptr_array_add(all->kids, k);
	}
	if (!ok) {
		cond_free(all);
		return NULL;
	}
	if (all->kids->len == 1) {
		struct cond *only = g_ptr_array_steal_index(all->kids, 0);

		cond_free(all);
		return only;
	}
	return all;
}

/* ---- rules ---- */

static void
add_template_ref(struct ld *ld, const char *name, const char *at)
{
	struct rule_hit *h = g_new0(struct rule_hit, 1);

	h->rule = g_strdup(name);
	h->file = g_strdup(at);
	g_ptr_array_add(ld->rs->template_refs, h);
}

static gboolean
parse_set(struct ld *ld, struct rule *r, const config_setting_t *s)
{
	gboolean ok = TRUE;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		ld_err(ld, s, "set must be a group { domain = ...; ... }");
		return FALSE;
	}
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
		const char *k = ld_name(m), *v;
		int label = -1;

		if (strcmp(k, "urgent") == 0) {
			gboolean b;

			/* "weak": a sign of urgency the model must confirm (classify.c) */
			if (config_setting_type(m) == CONFIG_TYPE_STRING &&
			    strcmp(config_setting_get_string(m), "weak") == 0)
				r->urgent = URGENT_WEAK;
			else if (config_setting_type(m) == CONFIG_TYPE_STRING) {
				ld_err(ld, m, "urgent must be true, false or \"weak\"");
				ok = FALSE;
			} else if (ld_bool(ld, m, &b))
				r->urgent = b;
			else
				ok = FALSE;
			continue;
		}
		for (int l = 0; l < L_REPLY; l++)
			if (strcmp(k, label_names[l]) == 0)
				label = l;
		if (label < 0) {
			ld_err(ld, m, "set: unknown label '%s' (requester, domain, topic, commune, urgent)", k);
			ok = FALSE;
			continue;
		}
		if (!ld_string(ld, m, &v)) {
			ok = FALSE;
			continue;
		}
		if (!label_known(ld, label, v)) {
			ld_err(ld, m, "%s \"%s\" is not declared", label_names[label], v);
			ok = FALSE;
			continue;
		}
		r->set[label] = g_strdup(v);
	}
	if (ok && r->set[L_TOPIC] != NULL) {
		const struct topic_def *t = g_hash_table_lookup(
		    ld->rs->topic_by_code, r->set[L_TOPIC]);

		if (r->set[L_DOMAIN] == NULL)
			r->set[L_DOMAIN] = g_strdup(t->domain);
		else if (strcmp(r->set[L_DOMAIN], t->domain) != 0) {
			ld_err(ld, s, "topic \"%s\" belongs to domain \"%s\", not \"%s\"",
			    t->code, t->domain, r->set[L_DOMAIN]);
			ok = FALSE;
		}
	}
	return ok;
}

static gboolean
check_addresses(struct ld *ld, const config_setting_t *s, char **v)
{
	for (; *v; v++) {
		const char *at = strchr(*v, '@');

		if (at == NULL || at == *v || at[1] == '\0' ||
		    strpbrk(*v, " \t\r\n,;<>\"") != NULL) {
			ld_err(ld, s, "forward: \"%s\" is not an address", *v);
			return FALSE;
		}
	}
	return TRUE;
}

void
rule_parse(struct ld *ld, const config_setting_t *g)
{
	struct rule *r = g_new0(struct rule, 1);
	const config_setting_t *reply_s = NULL, *tmpl_s = NULL;
	gboolean ok = TRUE, acts = FALSE, decisive_set = FALSE;

	r->urgent = -1;
	r->weight = -1;
	r->where = ld_where(g);
	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		ld_err(ld, g, "a rule must be a group { name = ...; if = ...; ... }");
		rule_free(r);
		return;
	}
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
		const char *k = ld_name(m), *v;
		gint64 n;

		if (strcmp(k, "name") == 0) {
			const char *prev;

			if (!ld_string(ld, m, &v)) {
				ok = FALSE;
			} else if ((prev = g_hash_table_lookup(ld->rule_names, v))) {
				ld_err(ld, m, "rule name \"%s\" already used at %s", v, prev);
				ok = FALSE;
			} else {
				r->name = g_strdup(v);
				g_hash_table_insert(ld->rule_names, g_strdup(v),
				    g_strdup(r->where));
			}
		} else if (strcmp(k, "description") == 0) {
			ok &= ld_string(ld, m, &v);
		} else if (strcmp(k, "if") == 0) {
			if ((r->cond = parse_group(ld, m)) == NULL)
				ok = FALSE;
		} else if (strcmp(k, "set") == 0) {
			ok &= parse_set(ld, r, m);
			acts = TRUE;
		} else if (strcmp(k, "reply") == 0) {
			reply_s = m;
			if (!ld_string(ld, m, &v))
				ok = FALSE;
			else if (reply_kind_from_str(v) != REPLY_ACK &&
			    reply_kind_from_str(v) != REPLY_ORIENTATION &&
			    reply_kind_from_str(v) != REPLY_NONE) {
				ld_err(ld, m, "reply must be \"ack\", \"orientation\" or \"none\", not \"%s\"", v);
				ok = FALSE;
			} else
				r->set[L_REPLY] = g_strdup(v);
			acts = TRUE;
		} else if (strcmp(k, "template") == 0) {
			tmpl_s = m;
			if (!ld_string(ld, m, &v))
				ok = FALSE;
			else if (!ld_is_name(v)) {
				ld_err(ld, m, "template \"%s\": use letters, digits, '-', '_' only", v);
				ok = FALSE;
			} else
				r->template = g_strdup(v);
		} else if (strcmp(k, "forward") == 0) {
			if ((r->forwards = ld_strv(ld, m)) == NULL ||
			    !check_addresses(ld, m, r->forwards))
				ok = FALSE;
			acts = TRUE;
		} else if (strcmp(k, "tag") == 0) {
			if ((r->tags = ld_strv(ld, m)) == NULL)
				ok = FALSE;
			else
				for (char **t = r->tags; *t; t++)
					if (!ld_is_name(*t)) {
						ld_err(ld, m, "tag \"%s\": use letters, digits, '-', '_', '.', ':' only", *t);
						ok = FALSE;
					}
			acts = TRUE;
		} else if (strcmp(k, "priority") == 0) {
			if (!ld_int(ld, m, &n))
				ok = FALSE;
			else if (n < -PRIORITY_MAX || n > PRIORITY_MAX) {
				ld_err(ld, m, "priority must be between %d and %d",
				    -PRIORITY_MAX, PRIORITY_MAX);
				ok = FALSE;
			} else
				r->priority = (int)n;
		} else if (strcmp(k, "weight") == 0) {
			int t = config_setting_type(m);

			if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64 &&
			    t != CONFIG_TYPE_FLOAT) {
				ld_err(ld, m, "weight must be a number");
				ok = FALSE;
			} else if ((r->weight = t == CONFIG_TYPE_FLOAT ?
			    config_setting_get_float(m) :
			    (double)config_setting_get_int64(m)) < 0 || r->weight > 100) {
				ld_err(ld, m, "weight must be between 0 and 100");
				ok = FALSE;
			}
		} else if (strcmp(k, "decisive") == 0) {
			ok &= ld_bool(ld, m, &r->decisive);
			decisive_set = TRUE;
		} else if (strcmp(k, "stop") == 0) {
			ok &= ld_bool(ld, m, &r->stop);
			acts = TRUE;
		} else {
			ld_err(ld, m, "unknown rule key '%s'", k);
			ok = FALSE;
		}
	}
	if (r->name == NULL)
		r->name = g_strdup(r->where);
	if (!decisive_set)
		r->decisive = r->priority >= DECISIVE_PRIORITY;
	if (ok && !acts) {
		ld_err(ld, g, "rule \"%s\" does nothing (no set, reply, forward, tag or stop)", r->name);
		ok = FALSE;
	}
	if (ok && tmpl_s != NULL &&
	    reply_kind_from_str(r->set[L_REPLY]) != REPLY_ORIENTATION) {
		ld_err(ld, tmpl_s, "template needs reply = \"orientation\"");
		ok = FALSE;
	}
	if (ok && reply_kind_from_str(r->set[L_REPLY]) == REPLY_ORIENTATION) {
		if (r->template == NULL && r->set[L_TOPIC] == NULL) {
			ld_err(ld, reply_s, "reply = \"orientation\" needs a template or set.topic");
			ok = FALSE;
		} else {
			g_autofree char *at = ld_where(tmpl_s ? tmpl_s : reply_s);

			if (r->template == NULL)
				r->template = g_strconcat("orientation-",
				    r->set[L_TOPIC], NULL);
			add_template_ref(ld, r->template, at);
		}
	}
	if (!ok) {
		rule_free(r);
		return;
	}
	g_ptr_array_add(ld->rs->rules, r);
}

/* The implicit rules of a commune: its domains (priority 10), its words (0). */
void
rule_commune(struct ld *ld, const struct commune_def *c, const char *at)
{
	if (c->domains) {
		struct rule *r = g_new0(struct rule, 1);

		r->name = g_strdup_printf("commune:%s:domain", c->name);
		r->where = g_strdup(at);
		r->urgent = -1;
		r->priority = 10;
		r->weight = -1;
		r->decisive = TRUE;
		r->set[L_COMMUNE] = g_strdup(c->name);
		r->cond = cond_new(C_FROM_DOMAIN);
		r->cond->strs = g_strdupv(c->domains);
		compile_globs(r->cond);
		g_ptr_array_add(ld->rs->rules, r);
	}
	if (c->words) {
		struct rule *r = g_new0(struct rule, 1);
		struct cond *k;

		r->name = g_strdup_printf("commune:%s", c->name);
		r->where = g_strdup(at);
		r->urgent = -1;
		r->weight = -1;
		r->set[L_COMMUNE] = g_strdup(c->name);
		r->cond = cond_new(C_ANY);
		for (int f = 0; f < 2; f++) {
			k = cond_new(C_KEYWORDS);
			k->field = f == 0 ? F_TEXT : F_FULL;
			k->strs = g_strdupv(c->words);
			compile_keywords(ld, k, NULL);
			g_ptr_array_add(r->cond->kids, k);
		}
		ld->rs->uses[F_SUBJECT] = ld->rs->uses[F_BODY] = TRUE;
		ld->rs->uses[F_FULL] = TRUE;
		g_ptr_array_add(ld->rs->rules, r);
	}
}


void
ruleset_index_keywords(struct ruleset *rs)
{
	guint nk = kwtrie_count(rs->trie), total = 0;
	guint *fill;

	rs->rev_start = g_new0(guint, nk + 1);
	for (guint i = 0; i < rs->kwconds->len; i++) {
		const struct cond *c = g_ptr_array_index(rs->kwconds, i);

		for (guint j = 0; j < c->nkws; j++)
			rs->rev_start[c->kws[j].id + 1]++;
	}
	for (guint k = 0; k < nk; k++)
		rs->rev_start[k + 1] += rs->rev_start[k];
	total = rs->rev_start[nk];
	rs->rev_conds = g_new0(guint, total ? total : 1);
	fill = g_memdup2(rs->rev_start, (nk + 1) * sizeof(guint));
	for (guint i = 0; i < rs->kwconds->len; i++) {
		const struct cond *c = g_ptr_array_index(rs->kwconds, i);

		for (guint j = 0; j < c->nkws; j++)
			rs->rev_conds[fill[c->kws[j].id]++] = i;
	}
	g_free(fill);
}
