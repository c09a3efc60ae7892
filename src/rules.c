/*
 * rules.c: load the rules folder (libconfig files, name order) into an
 * immutable struct ruleset: taxonomy, communes, partners, requester kinds
 * and compiled rules.  Every problem is collected as "file:line: what".
 * The language is documented in guichet-rules(5); matching is in match.c.
 */
#include <string.h>
#include <libconfig.h>
#include "rules_int.h"
#include "vocab.h"
#include "urgent.h"



void
ld_err(struct ld *ld, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;
	const char *file = config_setting_source_file(s);

	g_string_append_printf(ld->errs, "%s:%u: ", file ? file : "?",
	    config_setting_source_line(s));
	va_start(ap, fmt);
	g_string_append_vprintf(ld->errs, fmt, ap);
	va_end(ap);
	g_string_append_c(ld->errs, '\n');
}

char *
ld_where(const config_setting_t *s)
{
	const char *file = config_setting_source_file(s);

	return g_strdup_printf("%s:%u", file ? file : "?",
	    config_setting_source_line(s));
}

const char *
ld_name(const config_setting_t *s)
{
	const char *n = config_setting_name(s);

	return n ? n : "element";
}

/* ---- typed getters: report the error and return FALSE on a wrong type ---- */

gboolean
ld_string(struct ld *ld, const config_setting_t *s, const char **out)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		ld_err(ld, s, "%s must be a string", ld_name(s));
		return FALSE;
	}
	*out = config_setting_get_string(s);
	return TRUE;
}

gboolean
ld_bool(struct ld *ld, const config_setting_t *s, gboolean *out)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		ld_err(ld, s, "%s must be true or false", ld_name(s));
		return FALSE;
	}
	*out = config_setting_get_bool(s) ? TRUE : FALSE;
	return TRUE;
}

gboolean
ld_int(struct ld *ld, const config_setting_t *s, gint64 *out)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		*out = config_setting_get_int(s);
		return TRUE;
	case CONFIG_TYPE_INT64:
		*out = config_setting_get_int64(s);
		return TRUE;
	default:
		ld_err(ld, s, "%s must be an integer", ld_name(s));
		return FALSE;
	}
}

/* A string or a non-empty list of strings, copied; NULL on error. */
char **
ld_strv(struct ld *ld, const config_setting_t *s)
{
	GPtrArray *a;
	int n;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		char **v = g_new0(char *, 2);
		v[0] = g_strdup(config_setting_get_string(s));
		return v;
	}
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST) {
		ld_err(ld, s, "%s must be a string or a list of strings", ld_name(s));
		return NULL;
	}
	n = config_setting_length(s);
	if (n == 0) {
		ld_err(ld, s, "%s: empty list", ld_name(s));
		return NULL;
	}
	a = g_ptr_array_new();
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			ld_err(ld, e, "%s must be a list of strings", ld_name(s));
			g_ptr_array_set_free_func(a, g_free);
			g_ptr_array_unref(a);
			return NULL;
		}
		g_ptr_array_add(a, g_strdup(config_setting_get_string(e)));
	}
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

/* A code: lower-case ASCII letters, digits and '_' (domains, topics, kinds). */
static gboolean
is_code(const char *s)
{
	if (s == NULL || *s == '\0')
		return FALSE;
	for (; *s; s++)
		if (!g_ascii_islower(*s) && !g_ascii_isdigit(*s) && *s != '_')
			return FALSE;
	return TRUE;
}

/* A template, tag: code characters plus '-' and '.'. */
gboolean
ld_is_name(const char *s)
{
	if (s == NULL || *s == '\0')
		return FALSE;
	for (; *s; s++)
		if (!g_ascii_isalnum(*s) && *s != '_' && *s != '-' && *s != '.' &&
		    *s != ':')
			return FALSE;
	return TRUE;
}

/* ---- frees ---- */

static void
domain_free(gpointer p)
{
	struct domain_def *d = p;

	g_free(d->code);
	g_free(d->label_fr);
	g_free(d->label_de);
	g_free(d->pic2018);
	g_free(d);
}

static void
topic_free(gpointer p)
{
	struct topic_def *t = p;

	g_free(t->code);
	g_free(t->domain);
	g_free(t->label_fr);
	g_free(t->label_de);
	g_free(t);
}

static void
commune_free(gpointer p)
{
	struct commune_def *c = p;

	g_free(c->name);
	g_strfreev(c->domains);
	g_strfreev(c->words);
	g_free(c);
}

static void
partner_free(gpointer p)
{
	struct partner *x = p;

	g_free(x->id);
	g_free(x->name);
	g_free(x->address);
	g_free(x->phone);
	g_free(x->web);
	g_free(x->email);
	g_strfreev(x->languages);
	g_strfreev(x->urgency);
	g_strfreev(x->topics);
	if (x->about != NULL)
		g_hash_table_unref(x->about);
	g_free(x);
}

static void
hit_free(gpointer p)
{
	struct rule_hit *h = p;

	g_free(h->rule);
	g_free(h->file);
	g_free(h->words);
	g_free(h);
}

void
ruleset_free(struct ruleset *rs)
{
	if (rs == NULL)
		return;
	g_ptr_array_unref(rs->domains);
	g_ptr_array_unref(rs->topics);
	g_ptr_array_unref(rs->commune_names);
	g_ptr_array_unref(rs->commune_defs);
	g_ptr_array_unref(rs->partners);
	g_ptr_array_unref(rs->requesters);
	g_ptr_array_unref(rs->rules);
	g_ptr_array_unref(rs->template_refs);
	g_hash_table_destroy(rs->domain_by_code);
	g_hash_table_destroy(rs->topic_by_code);
	g_hash_table_destroy(rs->requester_by_code);
	g_ptr_array_unref(rs->kwconds);
	g_free(rs->rev_start);
	g_free(rs->rev_conds);
	kwtrie_free(rs->trie);
	g_free(rs);
}


/* ---- declarations: domains, topics, communes, partners, requesters ---- */

enum { FS_STR, FS_STRV, FS_BOOL, FS_LANGTEXT };

struct field_spec {
	const char	*key;
	gsize		 off;
	int		 type;
	gboolean	 required;
};

/* Fill obj from the group g by the table spec; FALSE on any error. */
/* A group of language = "text" (about = { de = "..."; en = "..."; }). */
static gboolean
ld_langtext(struct ld *ld, const config_setting_t *m, GHashTable **out)
{
	GHashTable *t;
	gboolean ok = TRUE;

	if (config_setting_type(m) != CONFIG_TYPE_GROUP) {
		ld_err(ld, m, "'%s' must be a group of languages, like "
		    "{ de = \"...\"; en = \"...\"; }", ld_name(m));
		return FALSE;
	}
	t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (int i = 0; i < config_setting_length(m); i++) {
		const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
		const char *lang = ld_name(e), *v;
		gsize n = strlen(lang);
		gboolean code = n >= 2 && n <= 3;

		for (const char *c = lang; *c != '\0'; c++)
			if (!g_ascii_islower(*c))
				code = FALSE;
		if (!code) {
			ld_err(ld, e, "'%s' is not a language code (2 or 3 "
			    "lower-case letters)", lang);
			ok = FALSE;
		} else if (ld_string(ld, e, &v))
			g_hash_table_replace(t, g_strdup(lang), g_strdup(v));
		else
			ok = FALSE;
	}
	if (*out != NULL)
		g_hash_table_unref(*out);
	*out = t;
	return ok;
}

static gboolean
parse_entry(struct ld *ld, const config_setting_t *g, const char *what,
    const struct field_spec *spec, gsize nspec, void *obj)
{
	gboolean ok = TRUE, seen[16] = { FALSE };

	g_assert(nspec <= G_N_ELEMENTS(seen));
	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		ld_err(ld, g, "each %s must be a group { ... }", what);
		return FALSE;
	}
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
		const struct field_spec *f = NULL;
		const char *s;
		char **v;

		for (gsize j = 0; j < nspec; j++)
			if (strcmp(spec[j].key, ld_name(m)) == 0) {
				f = &spec[j];
				seen[j] = TRUE;
			}
		if (f == NULL) {
			GString *keys = g_string_new(NULL);

			for (gsize j = 0; j < nspec; j++)
				g_string_append_printf(keys, "%s%s", j ? ", " : "",
				    spec[j].key);
			ld_err(ld, m, "%s: unknown key '%s' (%s)", what, ld_name(m),
			    keys->str);
			g_string_free(keys, TRUE);
			ok = FALSE;
			continue;
		}
		switch (f->type) {
		case FS_STR:
			if (ld_string(ld, m, &s))
				*(char **)((char *)obj + f->off) = g_strdup(s);
			else
				ok = FALSE;
			break;
		case FS_STRV:
			if ((v = ld_strv(ld, m)) != NULL)
				*(char ***)((char *)obj + f->off) = v;
			else
				ok = FALSE;
			break;
		case FS_LANGTEXT:
			ok &= ld_langtext(ld, m, (GHashTable **)(void *)((char *)obj +
			    f->off));
			break;
		default:
			ok &= ld_bool(ld, m, (gboolean *)(void *)((char *)obj + f->off));
			break;
		}
	}
	for (gsize j = 0; j < nspec; j++)
		if (spec[j].required && !seen[j]) {
			ld_err(ld, g, "%s: missing '%s'", what, spec[j].key);
			ok = FALSE;
		}
	return ok;
}

/* The elements of a top-level list setting, or NULL after an error. */
static gboolean
is_list(struct ld *ld, const config_setting_t *s)
{
	if (config_setting_type(s) == CONFIG_TYPE_LIST)
		return TRUE;
	ld_err(ld, s, "%s must be a list ( { ... }, ... )", ld_name(s));
	return FALSE;
}

static const struct field_spec domain_spec[] = {
	{ "code", G_STRUCT_OFFSET(struct domain_def, code), FS_STR, TRUE },
	{ "fr", G_STRUCT_OFFSET(struct domain_def, label_fr), FS_STR, TRUE },
	{ "de", G_STRUCT_OFFSET(struct domain_def, label_de), FS_STR, TRUE },
	{ "pic2018", G_STRUCT_OFFSET(struct domain_def, pic2018), FS_STR, TRUE },
};

static void
decl_domains(struct ld *ld, const config_setting_t *s)
{
	if (!is_list(ld, s))
		return;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
		struct domain_def *d = g_new0(struct domain_def, 1);

		if (!parse_entry(ld, g, "domain", domain_spec,
		    G_N_ELEMENTS(domain_spec), d)) {
			domain_free(d);
		} else if (!is_code(d->code)) {
			ld_err(ld, g, "domain code \"%s\": use a-z, 0-9 and _", d->code);
			domain_free(d);
		} else if (g_hash_table_contains(ld->rs->domain_by_code, d->code)) {
			ld_err(ld, g, "domain \"%s\" is declared twice", d->code);
			domain_free(d);
		} else {
			g_ptr_array_add(ld->rs->domains, d);
			g_hash_table_insert(ld->rs->domain_by_code, d->code, d);
		}
	}
}

static const struct field_spec topic_spec[] = {
	{ "code", G_STRUCT_OFFSET(struct topic_def, code), FS_STR, TRUE },
	{ "domain", G_STRUCT_OFFSET(struct topic_def, domain), FS_STR, TRUE },
	{ "fr", G_STRUCT_OFFSET(struct topic_def, label_fr), FS_STR, TRUE },
	{ "de", G_STRUCT_OFFSET(struct topic_def, label_de), FS_STR, TRUE },
};

static void
decl_topics(struct ld *ld, const config_setting_t *s)
{
	if (!is_list(ld, s))
		return;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
		struct topic_def *t = g_new0(struct topic_def, 1);

		if (!parse_entry(ld, g, "topic", topic_spec,
		    G_N_ELEMENTS(topic_spec), t)) {
			topic_free(t);
		} else if (!is_code(t->code)) {
			ld_err(ld, g, "topic code \"%s\": use a-z, 0-9 and _", t->code);
			topic_free(t);
		} else if (!g_hash_table_contains(ld->rs->domain_by_code, t->domain)) {
			ld_err(ld, g, "topic \"%s\": domain \"%s\" is not declared",
			    t->code, t->domain);
			topic_free(t);
		} else if (g_hash_table_contains(ld->rs->topic_by_code, t->code)) {
			ld_err(ld, g, "topic \"%s\" is declared twice", t->code);
			topic_free(t);
		} else {
			g_ptr_array_add(ld->rs->topics, t);
			g_hash_table_insert(ld->rs->topic_by_code, t->code, t);
		}
	}
}

static const struct field_spec commune_spec[] = {
	{ "name", G_STRUCT_OFFSET(struct commune_def, name), FS_STR, TRUE },
	{ "domains", G_STRUCT_OFFSET(struct commune_def, domains), FS_STRV, FALSE },
	{ "words", G_STRUCT_OFFSET(struct commune_def, words), FS_STRV, FALSE },
};

static void
decl_communes(struct ld *ld, const config_setting_t *s)
{
	if (!is_list(ld, s))
		return;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
		struct commune_def *c = g_new0(struct commune_def, 1);
		gboolean ok = parse_entry(ld, g, "commune", commune_spec,
		    G_N_ELEMENTS(commune_spec), c);

		for (char **w = c->words; ok && w && *w; w++) {
			gboolean prefix;
			g_autofree char *f = fold_keyword(*w, &prefix);

			if (f == NULL) {
				ld_err(ld, g, "commune \"%s\": word \"%s\" has no letter or digit",
				    c->name, *w);
				ok = FALSE;
			}
		}
		if (ok && g_hash_table_contains(ld->communes, c->name)) {
			ld_err(ld, g, "commune \"%s\" is declared twice", c->name);
			ok = FALSE;
		}
		if (!ok) {
			commune_free(c);
			continue;
		}
		g_ptr_array_add(ld->rs->commune_defs, c);
		g_ptr_array_add(ld->rs->commune_names, c->name);
		g_hash_table_insert(ld->communes, c->name, c);
		{
			g_autofree char *at = ld_where(g);

			rule_commune(ld, c, at);
		}
	}
}

static const struct field_spec partner_spec[] = {
	{ "id", G_STRUCT_OFFSET(struct partner, id), FS_STR, TRUE },
	{ "name", G_STRUCT_OFFSET(struct partner, name), FS_STR, TRUE },
	{ "address", G_STRUCT_OFFSET(struct partner, address), FS_STR, FALSE },
	{ "phone", G_STRUCT_OFFSET(struct partner, phone), FS_STR, FALSE },
	{ "web", G_STRUCT_OFFSET(struct partner, web), FS_STR, FALSE },
	{ "email", G_STRUCT_OFFSET(struct partner, email), FS_STR, FALSE },
	{ "languages", G_STRUCT_OFFSET(struct partner, languages), FS_STRV, FALSE },
	{ "topics", G_STRUCT_OFFSET(struct partner, topics), FS_STRV, FALSE },
	{ "urgency", G_STRUCT_OFFSET(struct partner, urgency), FS_STRV, FALSE },
	{ "to_fill", G_STRUCT_OFFSET(struct partner, to_fill), FS_BOOL, FALSE },
	{ "about", G_STRUCT_OFFSET(struct partner, about), FS_LANGTEXT, FALSE },
};

static void
decl_partners(struct ld *ld, const config_setting_t *s)
{
	if (!is_list(ld, s))
		return;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
		struct partner *p = g_new0(struct partner, 1);
		gboolean ok = parse_entry(ld, g, "partner", partner_spec,
		    G_N_ELEMENTS(partner_spec), p);

		for (char **t = p->topics; ok && t && *t; t++)
			if (!g_hash_table_contains(ld->rs->topic_by_code, *t)) {
				ld_err(ld, g, "partner \"%s\": topic \"%s\" is not declared",
				    p->id, *t);
				ok = FALSE;
			}
		for (char **u = p->urgency; ok && u && *u; u++)
			if (urgency_bit(*u) == 0) {
				ld_err(ld, g, "partner \"%s\": urgency \"%s\" is not one of "
				    "violence child health distress shelter danger deadline general",
				    p->id, *u);
				ok = FALSE;
			}
		if (ok && g_hash_table_contains(ld->partner_ids, p->id)) {
			ld_err(ld, g, "partner \"%s\" is declared twice", p->id);
			ok = FALSE;
		}
		if (!ok) {
			partner_free(p);
			continue;
		}
		if (p->languages == NULL)
			p->languages = g_new0(char *, 1);
		if (p->topics == NULL)
			p->topics = g_new0(char *, 1);
		if (p->urgency == NULL)
			p->urgency = g_new0(char *, 1);
		g_hash_table_add(ld->partner_ids, g_strdup(p->id));
		g_ptr_array_add(ld->rs->partners, p);
	}
}

/* The usual kinds and their labels: the default when no file declares kinds. */
static const struct requester_def usual_requesters[] = {
	{ (char *)"migrant", (char *)"personne migrante", (char *)"Personnes migrantes", NULL },
	{ (char *)"association", (char *)"association", (char *)"Associations", NULL },
	{ (char *)"commune", (char *)"commune", (char *)"Communes", NULL },
	{ (char *)"institution", (char *)"institution", (char *)"Institutions", NULL },
	{ (char *)VOCAB_REQUESTER_DEFAULT, (char *)"demandeur non déterminé",
	  (char *)"Non déterminé", NULL },
};

static void
requester_free(gpointer p)
{
	struct requester_def *d = p;

	g_free(d->code);
	g_free(d->label_fr);
	g_free(d->label_fr_plural);
	g_free(d->label_de);
	g_free(d);
}

/* Declare a kind (d: owned, labels may be NULL); a kind declared again gets the labels it gives. */
static void
add_requester_def(struct ld *ld, struct requester_def *d)
{
	struct requester_def *old = g_hash_table_lookup(ld->rs->requester_by_code, d->code);

	if (old != NULL) {
#define TAKE(f) if (d->f != NULL) { g_free(old->f); old->f = d->f; d->f = NULL; }
		TAKE(label_fr) TAKE(label_fr_plural) TAKE(label_de)
#undef TAKE
		requester_free(d);
		return;
	}
	g_hash_table_add(ld->requesters, g_strdup(d->code));
	g_ptr_array_add(ld->rs->requesters, g_strdup(d->code));
	g_hash_table_insert(ld->rs->requester_by_code, d->code, d);
}

static void
add_requester(struct ld *ld, const char *kind)
{
	struct requester_def *d = g_new0(struct requester_def, 1);

	d->code = g_strdup(kind);
	add_requester_def(ld, d);
}

static const struct field_spec requester_spec[] = {
	{ "code", G_STRUCT_OFFSET(struct requester_def, code), FS_STR, TRUE },
	{ "fr", G_STRUCT_OFFSET(struct requester_def, label_fr), FS_STR, FALSE },
	{ "fr_plural", G_STRUCT_OFFSET(struct requester_def, label_fr_plural), FS_STR, FALSE },
	{ "de", G_STRUCT_OFFSET(struct requester_def, label_de), FS_STR, FALSE },
};

/* requesters = [ "code", ... ] or ( { code = ...; fr = ...; }, ... ): either form, or both mixed. */
static void
decl_requesters(struct ld *ld, const config_setting_t *s)
{
	char **v;

	if (config_setting_type(s) == CONFIG_TYPE_LIST && config_setting_length(s) > 0) {
		for (int i = 0; i < config_setting_length(s); i++) {
			const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
			struct requester_def *d = g_new0(struct requester_def, 1);

			if (config_setting_type(g) == CONFIG_TYPE_STRING)
				d->code = g_strdup(config_setting_get_string(g));
			else if (!parse_entry(ld, g, "requester kind", requester_spec,
			    G_N_ELEMENTS(requester_spec), d)) {
				requester_free(d);
				continue;
			}
			if (!is_code(d->code)) {
				ld_err(ld, g, "requester kind \"%s\": use a-z, 0-9 and _", d->code);
				requester_free(d);
			} else
				add_requester_def(ld, d);
		}
		return;
	}
	v = ld_strv(ld, s);
	for (char **k = v; k && *k; k++) {
		if (!is_code(*k))
			ld_err(ld, s, "requester kind \"%s\": use a-z, 0-9 and _", *k);
		else
			add_requester(ld, *k);
	}
	g_strfreev(v);
}

/* s with its first letter in capitals (g_free). */
static char *
capitalized(const char *s)
{
	const char *rest;
	g_autofree char *first = NULL;

	if (*s == '\0' || !g_utf8_validate(s, -1, NULL))
		return g_strdup(s);
	rest = g_utf8_next_char(s);
	first = g_utf8_strup(s, rest - s);
	return g_strconcat(first, rest, NULL);
}

/* Give every kind its labels: the usual ones of its code, else the code made readable. */
static void
requesters_finish(struct ld *ld)
{
	for (guint i = 0; i < ld->rs->requesters->len; i++) {
		struct requester_def *d = g_hash_table_lookup(ld->rs->requester_by_code,
		    g_ptr_array_index(ld->rs->requesters, i));
		const struct requester_def *u = ruleset_requester(NULL, d->code);

		if (d->label_fr == NULL && u != NULL) {
			d->label_fr = g_strdup(u->label_fr);
			if (d->label_fr_plural == NULL)
				d->label_fr_plural = g_strdup(u->label_fr_plural);
		}
		if (d->label_fr == NULL)
			d->label_fr = g_strdelimit(g_strdup(d->code), "_", ' ');
		if (d->label_fr_plural == NULL)
			d->label_fr_plural = capitalized(d->label_fr);
	}
}

/* ---- loading ---- */

static const char *const toplevel[] = {
	"requesters", "domains", "topics", "communes", "partners", "rules",
};

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.conf files of dir, sorted by name; NULL with an error. */
static GPtrArray *
list_files(const char *dir, GString *errs)
{
	g_autoptr(GError) e = NULL;
	GDir *d = g_dir_open(dir, 0, &e);
	GPtrArray *files;
	const char *n;

	if (d == NULL) {
		g_string_append_printf(errs, "%s: %s\n", dir, e->message);
		return NULL;
	}
	files = g_ptr_array_new_with_free_func(g_free);
	while ((n = g_dir_read_name(d)) != NULL)
		if (n[0] != '.' && g_str_has_suffix(n, ".conf"))
			g_ptr_array_add(files, g_build_filename(dir, n, NULL));
	g_dir_close(d);
	g_ptr_array_sort(files, cmp_str);
	if (files->len == 0)
		g_string_append_printf(errs, "%s: no *.conf file\n", dir);
	return files;
}

typedef void (*decl_fn)(struct ld *, const config_setting_t *);

struct ruleset *
ruleset_load(const char *dir, const struct config *cfg, GError **err)
{
	static const struct {
		const char	*key;
		decl_fn		 fn;
	} passes[] = {
		{ "requesters", decl_requesters },
		{ "domains", decl_domains },
		{ "topics", decl_topics },
		{ "communes", decl_communes },
		{ "partners", decl_partners },
		{ "rules", NULL },
	};
	struct ld ld = { 0 };
	struct ruleset *rs = g_new0(struct ruleset, 1);
	GPtrArray *files;
	config_t *cfgs = NULL;
	gboolean *loaded = NULL;

	rs->domains = g_ptr_array_new_with_free_func(domain_free);
	rs->topics = g_ptr_array_new_with_free_func(topic_free);
	rs->commune_defs = g_ptr_array_new_with_free_func(commune_free);
	rs->commune_names = g_ptr_array_new();
	rs->partners = g_ptr_array_new_with_free_func(partner_free);
	rs->requesters = g_ptr_array_new_with_free_func(g_free);
	rs->rules = g_ptr_array_new_with_free_func(rule_free);
	rs->template_refs = g_ptr_array_new_with_free_func(hit_free);
	rs->domain_by_code = g_hash_table_new(g_str_hash, g_str_equal);
	rs->topic_by_code = g_hash_table_new(g_str_hash, g_str_equal);
	rs->requester_by_code = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    requester_free);
	rs->trie = kwtrie_new();
	rs->kwconds = g_ptr_array_new();
	ld.rs = rs;
	ld.errs = g_string_new(NULL);
	ld.rule_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	ld.communes = g_hash_table_new(g_str_hash, g_str_equal);
	ld.requesters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ld.partner_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	if ((files = list_files(dir, ld.errs)) == NULL || files->len == 0)
		goto done;
	cfgs = g_new0(config_t, files->len);
	loaded = g_new0(gboolean, files->len);
	for (guint i = 0; i < files->len; i++) {
		const char *path = g_ptr_array_index(files, i);
		config_setting_t *root;

		config_init(&cfgs[i]);
		if (!config_read_file(&cfgs[i], path)) {
			g_string_append_printf(ld.errs, "%s:%d: %s\n",
			    config_error_file(&cfgs[i]) ? config_error_file(&cfgs[i]) : path,
			    config_error_line(&cfgs[i]), config_error_text(&cfgs[i]));
			continue;
		}
		loaded[i] = TRUE;
		root = config_root_setting(&cfgs[i]);
		for (int j = 0; j < config_setting_length(root); j++) {
			const config_setting_t *m = config_setting_get_elem(root, (unsigned)j);
			gboolean known = FALSE;

			for (gsize k = 0; k < G_N_ELEMENTS(toplevel); k++)
				known |= strcmp(toplevel[k], ld_name(m)) == 0;
			if (!known)
				ld_err(&ld, m, "unknown setting '%s' (requesters, domains, topics, communes, partners, rules)",
				    ld_name(m));
		}
	}
	for (gsize p = 0; p < G_N_ELEMENTS(passes); p++) {
		for (guint i = 0; i < files->len; i++) {
			const config_setting_t *s;

			if (!loaded[i] || (s = config_lookup(&cfgs[i], passes[p].key)) == NULL)
				continue;
			if (passes[p].fn != NULL) {
				passes[p].fn(&ld, s);
				continue;
			}
			if (!is_list(&ld, s))
				continue;
			for (int j = 0; j < config_setting_length(s); j++)
				rule_parse(&ld, config_setting_get_elem(s, (unsigned)j));
		}
		if (p == 0) {
			/* requesters: the usual kinds unless the files name theirs */
			if (rs->requesters->len == 0)
				for (gsize k = 0; k < G_N_ELEMENTS(usual_requesters); k++)
					add_requester(&ld, usual_requesters[k].code);
			add_requester(&ld, VOCAB_REQUESTER_DEFAULT);
			requesters_finish(&ld);
		}
		if (p == 1 && !g_hash_table_contains(rs->domain_by_code, VOCAB_DOMAIN_DEFAULT))
			g_string_append_printf(ld.errs,
			    "%s: the default domain \"%s\" is not declared\n", dir,
			    VOCAB_DOMAIN_DEFAULT);
	}
	kwtrie_freeze(rs->trie);
	if (ld.errs->len == 0)	/* kwconds may point to conditions freed on error */
		ruleset_index_keywords(rs);
done:
	if (cfgs != NULL)
		for (guint i = 0; i < files->len; i++)
			config_destroy(&cfgs[i]);
	g_free(cfgs);
	g_free(loaded);
	if (files != NULL)
		g_ptr_array_unref(files);
	g_hash_table_destroy(ld.rule_names);
	g_hash_table_destroy(ld.communes);
	g_hash_table_destroy(ld.requesters);
	g_hash_table_destroy(ld.partner_ids);
	if (ld.errs->len > 0) {
		g_string_truncate(ld.errs, ld.errs->len - 1);
		g_set_error_literal(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    ld.errs->str);
		g_string_free(ld.errs, TRUE);
		ruleset_free(rs);
		return NULL;
	}
	g_string_free(ld.errs, TRUE);
	return rs;
}

const struct domain_def *
ruleset_domain(const struct ruleset *rs, const char *code)
{
	return code ? g_hash_table_lookup(rs->domain_by_code, code) : NULL;
}

const struct topic_def *
ruleset_topic(const struct ruleset *rs, const char *code)
{
	return code ? g_hash_table_lookup(rs->topic_by_code, code) : NULL;
}

GPtrArray *
ruleset_domains(const struct ruleset *rs)
{
	return rs->domains;
}

GPtrArray *
ruleset_topics(const struct ruleset *rs)
{
	return rs->topics;
}

GPtrArray *
ruleset_requesters(const struct ruleset *rs)
{
	return rs->requesters;
}

const struct requester_def *
ruleset_requester(const struct ruleset *rs, const char *kind)
{
	if (kind == NULL)
		return NULL;
	if (rs != NULL)
		return g_hash_table_lookup(rs->requester_by_code, kind);
	for (gsize i = 0; i < G_N_ELEMENTS(usual_requesters); i++)
		if (strcmp(usual_requesters[i].code, kind) == 0)
			return &usual_requesters[i];
	return NULL;
}

gboolean
ruleset_has_requester(const struct ruleset *rs, const char *kind)
{
	for (guint i = 0; kind != NULL && i < rs->requesters->len; i++)
		if (strcmp(g_ptr_array_index(rs->requesters, i), kind) == 0)
			return TRUE;
	return FALSE;
}

GPtrArray *
ruleset_communes(const struct ruleset *rs)
{
	return rs->commune_names;
}

GPtrArray *
ruleset_partners(const struct ruleset *rs)
{
	return rs->partners;
}

GPtrArray *
ruleset_template_refs(const struct ruleset *rs)
{
	return rs->template_refs;
}
