/*
 * template.c: reply templates (templates/NAME.LANG.txt), compiled once at
 * load into a small tree of text, variables and {{#if}} blocks, then
 * rendered with a table of variables.  Syntax in guichet-templates(5).
 */
#include <stdlib.h>
#include <string.h>
#include "template.h"
#include "plural.h"
#include "viewfmt.h"
#include "vocab.h"
#include "config.h"

enum node_kind { N_TEXT, N_VAR, N_IF, N_PARTIAL, N_PLURAL };

struct node {
	enum node_kind	 kind;
	char		*text;		/* N_TEXT: literal; N_VAR, N_IF: variable;
					   N_PARTIAL: template name */
	int		 line;		/* N_PARTIAL: where, for errors */
	GPtrArray	*then_nodes;	/* N_IF */
	GPtrArray	*else_nodes;	/* N_IF, may be empty */
	char	       **forms;		/* N_PLURAL: the forms, '#' for the number */
};

struct tpl {
	char		*name;
	char		*lang;
	char		*file;
	GPtrArray	*subject;	/* struct node *, NULL when no Subject line */
	GPtrArray	*body;		/* struct node * */
};

struct templates {
	char		*dir;
	GHashTable	*by_key;	/* "name.lang" -> struct tpl * */
	GHashTable	*names;		/* name -> GPtrArray of char * languages */
};

/* Every variable a template may use; anything else is an error at load. */
static const char *const known_vars[] = {
	"ref", "sender_name", "sender_addr", "received", "subject", "domain",
	"topic", "delegate_name", "office_hours", "contact", "phone",
	"answer_days", "org_name", "privacy_controller", "privacy_contact",
	"retention_days", "partners", "language", "commune", "requester",
	"urgent", "excerpt", "rules", "tags", "next_opening",
	"delegate_title", "org_name_to",
	/* the urgent path (urgent.h) */
	"urgency", "urgency_fr", "urgent_partners", "closed_now",
	"text", "hits", "labels", "reply_addr", "reminder", "alerted", NULL
};

static gboolean
known_var(const char *v)
{
	for (int i = 0; known_vars[i] != NULL; i++)
		if (strcmp(known_vars[i], v) == 0)
			return TRUE;
	return FALSE;
}

static void
node_free(gpointer p)
{
	struct node *n = p;

	g_free(n->text);
	g_strfreev(n->forms);
	if (n->then_nodes != NULL)
		g_ptr_array_unref(n->then_nodes);
	if (n->else_nodes != NULL)
		g_ptr_array_unref(n->else_nodes);
	g_free(n);
}

static GPtrArray *
nodes_new(void)
{
	return g_ptr_array_new_with_free_func(node_free);
}

static void
tpl_free(gpointer p)
{
	struct tpl *t = p;

	g_free(t->name);
	g_free(t->lang);
	g_free(t->file);
	if (t->subject != NULL)
		g_ptr_array_unref(t->subject);
	if (t->body != NULL)
		g_ptr_array_unref(t->body);
	g_free(t);
}

static void
add_text(GPtrArray *nodes, GString *lit)
{
	struct node *n;

	if (lit->len == 0)
		return;
	n = g_new0(struct node, 1);
	n->kind = N_TEXT;
	n->text = g_strndup(lit->str, lit->len);
	g_ptr_array_add(nodes, n);
	g_string_truncate(lit, 0);
}

static gboolean
valid_var_name(const char *s)
{
	if (*s == '\0')
		return FALSE;
	for (; *s != '\0'; s++)
		if (!g_ascii_islower(*s) && *s != '_' && !g_ascii_isdigit(*s))
			return FALSE;
	return TRUE;
}

static int
count_lines(const char *from, const char *to)
{
	int n = 0;

	for (; from < to; from++)
		if (*from == '\n')
			n++;
	return n;
}

/* Whitespace only (spaces, tabs) between a and b? */
static gboolean
blank_between(const char *a, const char *b)
{
	for (; a < b; a++)
		if (*a != ' ' && *a != '\t')
			return FALSE;
	return TRUE;
}

/*
 * {{plural VAR "one form" "other form" ...}}: VAR's number in the form
 * the language wants (plural.h gives the order), '#' standing for it.
 */
static struct node *
plural_node(const char *file, int line, const char *tag, GString *errs)
{
	const char *p = tag + strlen("plural");
	g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *var = NULL;
	struct node *n;
	gsize len;

	while (*p == ' ' || *p == '\t')
		p++;
	len = strcspn(p, " \t");
	var = g_strndup(p, len);
	p += len;
	if (!valid_var_name(var) || !known_var(var)) {
		g_string_append_printf(errs, "%s:%d: unknown variable \"%s\" in "
		    "{{plural}}\n", file, line, var);
		return NULL;
	}
	for (;;) {
		const char *end;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (*p != '"' || (end = strchr(p + 1, '"')) == NULL) {
			g_string_append_printf(errs, "%s:%d: {{plural %s ...}}: "
			    "each form in double quotes, like {{plural %s "
			    "\"# day\" \"# days\"}}\n", file, line, var, var);
			return NULL;
		}
		g_ptr_array_add(forms, g_strndup(p + 1, end - p - 1));
		p = end + 1;
	}
	if (forms->len == 0 || forms->len > 6) {
		g_string_append_printf(errs, "%s:%d: {{plural %s ...}} needs 1 to "
		    "6 forms, not %u\n", file, line, var, forms->len);
		return NULL;
	}
	g_ptr_array_add(forms, NULL);
	n = g_new0(struct node, 1);
	n->kind = N_PLURAL;
	n->text = g_steal_pointer(&var);
	n->forms = (char **)g_ptr_array_free(g_steal_pointer(&forms), FALSE);
	n->line = line;
	return n;
}

/*
 * Compile src (one line of the file, or the body starting at first_line)
 * into nodes.  Errors go to errs as "file:line: what".  Returns the node
 * list, or NULL when it had errors.
 */
static GPtrArray *
compile(const char *file, int first_line, const char *src, GString *errs)
{
	GPtrArray *root = nodes_new();
	GPtrArray *stack = g_ptr_array_new();	/* open N_IF nodes */
	GArray *in_else = g_array_new(FALSE, FALSE, sizeof(gboolean));
	GArray *open_line = g_array_new(FALSE, FALSE, sizeof(int));
	g_autoptr(GString) lit = g_string_new(NULL);
	GPtrArray *cur = root;
	const char *p = src;
	gsize errlen = errs->len;

	for (;;) {
		const char *open = strstr(p, "{{"), *close, *eol;
		int line;
		gboolean block;
		g_autofree char *tag = NULL;

		if (open == NULL) {
			g_string_append(lit, p);
			break;
		}
		g_string_append_len(lit, p, open - p);
		line = first_line + count_lines(src, open);
		if (open[2] == '!')
			close = strstr(open + 3, "}}");
		else
			close = strstr(open + 2, "}}");
		if (close == NULL) {
			g_string_append_printf(errs, "%s:%d: \"{{\" without \"}}\"\n",
			    file, line);
			break;
		}
		tag = g_strstrip(g_strndup(open + 2, close - open - 2));
		p = close + 2;

		/* Block tags and comments alone on their line take the line. */
		block = tag[0] == '!' || tag[0] == '#' || tag[0] == '/' ||
		    tag[0] == '>' || strcmp(tag, "else") == 0;
		if (block) {
			const char *bol = open;

			while (bol > src && bol[-1] != '\n')
				bol--;
			for (eol = p; *eol == ' ' || *eol == '\t'; eol++)
				;
			if (blank_between(bol, open) &&
			    (*eol == '\n' || *eol == '\0') &&
			    (gsize)(open - bol) <= lit->len) {
				g_string_truncate(lit, lit->len - (open - bol));
				p = *eol == '\n' ? eol + 1 : eol;
			}
		}

		if (tag[0] == '!')
			continue;
		if (g_str_has_prefix(tag, "#if")) {
			const char *v = tag + 3;
			struct node *n;

			if (*v != ' ' && *v != '\t') {
				g_string_append_printf(errs, "%s:%d: \"{{%s}}\": "
				    "expected {{#if variable}}\n", file, line, tag);
				continue;
			}
			while (*v == ' ' || *v == '\t')
				v++;
			/* {{#if name=value}}: name holds value (one of a list) */
			g_autofree char *vname = g_strndup(v, strcspn(v, "="));
			const char *want = strchr(v, '=');

			if (!valid_var_name(vname) || !known_var(vname))
				g_string_append_printf(errs, "%s:%d: unknown variable "
				    "\"%s\" in {{#if}}\n", file, line, vname);
			else if (want != NULL && !valid_var_name(want + 1))
				g_string_append_printf(errs, "%s:%d: \"{{%s}}\": "
				    "the value after = is a lower-case word\n",
				    file, line, tag);
			add_text(cur, lit);
			n = g_new0(struct node, 1);
			n->kind = N_IF;
			n->text = g_strdup(v);
			n->then_nodes = nodes_new();
			n->else_nodes = nodes_new();
			g_ptr_array_add(cur, n);
			g_ptr_array_add(stack, n);
			g_array_append_val(in_else, (gboolean){ FALSE });
			g_array_append_val(open_line, line);
			cur = n->then_nodes;
		} else if (strcmp(tag, "else") == 0) {
			struct node *n;

			if (stack->len == 0) {
				g_string_append_printf(errs, "%s:%d: {{else}} "
				    "outside {{#if}}\n", file, line);
				continue;
			}
			if (g_array_index(in_else, gboolean, in_else->len - 1)) {
				g_string_append_printf(errs, "%s:%d: second "
				    "{{else}} in one {{#if}}\n", file, line);
				continue;
			}
			add_text(cur, lit);
			n = g_ptr_array_index(stack, stack->len - 1);
			g_array_index(in_else, gboolean, in_else->len - 1) = TRUE;
			cur = n->else_nodes;
		} else if (strcmp(tag, "/if") == 0) {
			if (stack->len == 0) {
				g_string_append_printf(errs, "%s:%d: {{/if}} "
				    "without {{#if}}\n", file, line);
				continue;
			}
			add_text(cur, lit);
			g_ptr_array_remove_index(stack, stack->len - 1);
			g_array_remove_index(in_else, in_else->len - 1);
			g_array_remove_index(open_line, open_line->len - 1);
			if (stack->len == 0)
				cur = root;
			else {
				struct node *n = g_ptr_array_index(stack,
				    stack->len - 1);

				cur = g_array_index(in_else, gboolean,
				    in_else->len - 1) ? n->else_nodes :
				    n->then_nodes;
			}
		} else if (tag[0] == '>') {
			const char *v = tag + 1;
			struct node *n;

			while (*v == ' ' || *v == '\t')
				v++;
			if (*v == '\0' || strspn(v, "abcdefghijklmnopqrstuvwxyz"
			    "0123456789-_") != strlen(v)) {
				g_string_append_printf(errs, "%s:%d: \"{{%s}}\": "
				    "expected {{> template-name}}\n", file, line, tag);
				continue;
			}
			add_text(cur, lit);
			n = g_new0(struct node, 1);
			n->kind = N_PARTIAL;
			n->text = g_strdup(v);
			n->line = line;
			g_ptr_array_add(cur, n);
		} else if (g_str_has_prefix(tag, "plural ")) {
			struct node *n = plural_node(file, line, tag, errs);

			if (n != NULL) {
				add_text(cur, lit);
				g_ptr_array_add(cur, n);
			}
		} else if (tag[0] == '#' || tag[0] == '/') {
			g_string_append_printf(errs, "%s:%d: unknown block "
			    "\"{{%s}}\" (only #if, else, /if)\n", file, line, tag);
		} else if (!valid_var_name(tag) || !known_var(tag)) {
			g_string_append_printf(errs, "%s:%d: unknown variable "
			    "\"{{%s}}\"\n", file, line, tag);
		} else {
			struct node *n = g_new0(struct node, 1);

			add_text(cur, lit);
			n->kind = N_VAR;
			n->text = g_strdup(tag);
			g_ptr_array_add(cur, n);
		}
	}
	add_text(cur, lit);
	for (guint i = 0; i < open_line->len; i++)
		g_string_append_printf(errs, "%s:%d: {{#if}} never closed "
		    "by {{/if}}\n", file, g_array_index(open_line, int, i));
	g_ptr_array_unref(stack);
	g_array_unref(in_else);
	g_array_unref(open_line);
	if (errs->len != errlen) {
		g_ptr_array_unref(root);
		return NULL;
	}
	return root;
}

/* Split "orientation-logement.pt.txt" into name and language. */
static gboolean
split_filename(const char *base, char **name, char **lang)
{
	const char *dot;
	g_autofree char *stem = NULL;

	if (!g_str_has_suffix(base, ".txt"))
		return FALSE;
	stem = g_strndup(base, strlen(base) - 4);
	dot = strrchr(stem, '.');
	if (dot == NULL || dot == stem)
		return FALSE;
	for (const char *c = dot + 1; *c != '\0'; c++)
		if (!g_ascii_islower(*c))
			return FALSE;
	if (strlen(dot + 1) < 2 || strlen(dot + 1) > 3)
		return FALSE;
	for (const char *c = stem; c < dot; c++)
		if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_')
			return FALSE;
	*name = g_strndup(stem, dot - stem);
	*lang = g_strdup(dot + 1);
	return TRUE;
}

/* Read and compile one file; errors appended to errs. */
static struct tpl *
tpl_load(const char *path, const char *name, const char *lang, GString *errs)
{
	g_autofree char *raw = NULL;
	g_autoptr(GError) e = NULL;
	g_autoptr(GString) text = NULL;
	const char *body, *s;
	int body_line = 1;
	struct tpl *t;
	gsize len;

	if (!g_file_get_contents(path, &raw, &len, &e)) {
		g_string_append_printf(errs, "%s:1: %s\n", path, e->message);
		return NULL;
	}
	if (memchr(raw, '\0', len) != NULL ||
	    !g_utf8_validate(raw, len, NULL)) {
		g_string_append_printf(errs, "%s:1: not valid UTF-8 text\n", path);
		return NULL;
	}
	/* Drop a byte order mark and CRs so CRLF files work. */
	s = g_str_has_prefix(raw, "\xEF\xBB\xBF") ? raw + 3 : raw;
	text = g_string_sized_new(len);
	for (; *s != '\0'; s++)
		if (*s != '\r')
			g_string_append_c(text, *s);

	t = g_new0(struct tpl, 1);
	t->name = g_strdup(name);
	t->lang = g_strdup(lang);
	t->file = g_strdup(path);
	body = text->str;
	if (g_ascii_strncasecmp(body, "Subject:", 8) == 0) {
		const char *eol = strchr(body, '\n');
		g_autofree char *subj = g_strstrip(eol != NULL ?
		    g_strndup(body + 8, eol - body - 8) : g_strdup(body + 8));
		gsize before = errs->len;

		t->subject = compile(path, 1, subj, errs);
		if (t->subject == NULL && errs->len == before)
			t->subject = nodes_new();
		body = eol != NULL ? eol + 1 : body + strlen(body);
		body_line = 2;
		/* One blank line may separate the subject from the text. */
		if (*body == '\n') {
			body++;
			body_line++;
		}
	}
	t->body = compile(path, body_line, body, errs);
	if (t->body == NULL) {
		tpl_free(t);
		return NULL;
	}
	return t;
}

/* Every {{> name}} must exist in the including template's language. */
static void
check_partials_in(const struct templates *ts, const struct tpl *t,
    GPtrArray *nodes, GString *errs)
{
	for (guint i = 0; nodes != NULL && i < nodes->len; i++) {
		const struct node *n = g_ptr_array_index(nodes, i);

		if (n->kind == N_IF) {
			check_partials_in(ts, t, n->then_nodes, errs);
			check_partials_in(ts, t, n->else_nodes, errs);
		} else if (n->kind == N_PARTIAL &&
		    !templates_has(ts, n->text, t->lang))
			g_string_append_printf(errs, "%s:%d: {{> %s}}: no "
			    "template %s.%s.txt\n", t->file, n->line, n->text,
			    n->text, t->lang);
		else if (n->kind == N_PARTIAL && strcmp(n->text, t->name) == 0)
			g_string_append_printf(errs, "%s:%d: {{> %s}} includes "
			    "itself\n", t->file, n->line, n->text);
	}
}

static void
check_partials(const struct templates *ts, GString *errs)
{
	g_autoptr(GList) vals = g_hash_table_get_values(ts->by_key);

	for (GList *l = vals; l != NULL; l = l->next) {
		const struct tpl *t = l->data;

		check_partials_in(ts, t, t->subject, errs);
		check_partials_in(ts, t, t->body, errs);
	}
}

static int
cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct templates *
templates_load(const char *dir, GError **err)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(GString) errs = g_string_new(NULL);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GList) names = NULL;
	struct templates *ts;
	GDir *d;
	const char *ent;

	d = g_dir_open(dir, 0, &e);
	if (d == NULL) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s: %s", dir, e->message);
		return NULL;
	}
	while ((ent = g_dir_read_name(d)) != NULL)
		if (ent[0] != '.' && g_str_has_suffix(ent, ".txt"))
			g_ptr_array_add(files, g_strdup(ent));
	g_dir_close(d);
	g_ptr_array_sort(files, cmp_str);

	ts = g_new0(struct templates, 1);
	ts->dir = g_strdup(dir);
	ts->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    tpl_free);
	ts->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    (GDestroyNotify)g_ptr_array_unref);
	for (guint i = 0; i < files->len; i++) {
		const char *base = g_ptr_array_index(files, i);
		g_autofree char *path = g_build_filename(dir, base, NULL);
		g_autofree char *name = NULL, *lang = NULL;
		struct tpl *t;
		GPtrArray *langs;

		if (!split_filename(base, &name, &lang)) {
			g_string_append_printf(errs, "%s:1: file name must be "
			    "NAME.LANG.txt (LANG: ISO 639 code in lower case)\n",
			    path);
			continue;
		}
		if ((t = tpl_load(path, name, lang, errs)) == NULL)
			continue;
		g_hash_table_replace(ts->by_key, g_strdup_printf("%s.%s",
		    name, lang), t);
		langs = g_hash_table_lookup(ts->names, name);
		if (langs == NULL) {
			langs = g_ptr_array_new_with_free_func(g_free);
			g_hash_table_insert(ts->names, g_strdup(name), langs);
		}
		g_ptr_array_add(langs, g_strdup(lang));
	}

	check_partials(ts, errs);

	/* French is the one language every template must have. */
	names = g_hash_table_get_keys(ts->names);
	names = g_list_sort(names, (GCompareFunc)strcmp);
	for (GList *l = names; l != NULL; l = l->next) {
		GPtrArray *langs = g_hash_table_lookup(ts->names, l->data);

		if (!templates_has(ts, l->data, "fr"))
			g_string_append_printf(errs, "%s/%s.%s.txt:1: no French "
			    "version %s.fr.txt (French is mandatory)\n", dir,
			    (char *)l->data, (char *)g_ptr_array_index(langs, 0),
			    (char *)l->data);
	}
	if (errs->len > 0) {
		if (errs->str[errs->len - 1] == '\n')
			g_string_truncate(errs, errs->len - 1);
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s",
		    errs->str);
		templates_free(ts);
		return NULL;
	}
	return ts;
}

void
templates_free(struct templates *ts)
{
	if (ts == NULL)
		return;
	g_free(ts->dir);
	g_hash_table_unref(ts->by_key);
	g_hash_table_unref(ts->names);
	g_free(ts);
}

gboolean
templates_has(const struct templates *ts, const char *name, const char *lang)
{
	g_autofree char *key = NULL;

	if (ts == NULL || name == NULL || lang == NULL)
		return FALSE;
	key = g_strdup_printf("%s.%s", name, lang);
	return g_hash_table_contains(ts->by_key, key);
}

/* The templates every installation needs, whatever its rules say. */
static const char *const required[] = { "ack", "notice", "forward", NULL };

/* An orientation text: a topic, or the opening and end they share. */
static gboolean
is_orientation(const char *name)
{
	return g_str_has_prefix(name, "orientation-") ||
	    strcmp(name, "orient-head") == 0 || strcmp(name, "orient-foot") == 0;
}

/*
 * A language with an acknowledgment is a reply language: every
 * orientation text that exists in French must exist in it too, or its
 * readers would silently get less than a French reader.
 */
static void
check_reply_languages(const struct templates *ts, GString *errs)
{
	GPtrArray *acks = g_hash_table_lookup(ts->names, "ack");
	g_autoptr(GList) names = g_hash_table_get_keys(ts->names);

	if (acks == NULL)
		return;
	names = g_list_sort(names, (GCompareFunc)strcmp);
	for (GList *l = names; l != NULL; l = l->next) {
		const char *name = l->data;

		if (!is_orientation(name) || !templates_has(ts, name, "fr"))
			continue;
		for (guint i = 0; i < acks->len; i++) {
			const char *lang = g_ptr_array_index(acks, i);

			if (!templates_has(ts, name, lang))
				g_string_append_printf(errs, "%s/%s.%s.txt: "
				    "missing: %s has an acknowledgment (ack.%s.txt), "
				    "so every orientation text needs a version in "
				    "it (%s.fr.txt exists)\n", ts->dir, name, lang,
				    lang, lang, name);
		}
	}
}

gboolean
templates_check_rules(const struct templates *ts, const struct ruleset *rs,
    GError **err)
{
	g_autoptr(GString) errs = g_string_new(NULL);
	GPtrArray *refs = rs != NULL ? ruleset_template_refs(rs) : NULL;

	for (int i = 0; required[i] != NULL; i++)
		if (!templates_has(ts, required[i], "fr"))
			g_string_append_printf(errs, "%s/%s.fr.txt: missing "
			    "(guichet needs this template)\n", ts->dir,
			    required[i]);
	check_reply_languages(ts, errs);
	for (guint i = 0; refs != NULL && i < refs->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(refs, i);

		if (h->rule == NULL || !templates_has(ts, h->rule, "fr"))
			g_string_append_printf(errs, "%s: template \"%s\" not "
			    "found (no %s/%s.fr.txt)\n", h->file != NULL ?
			    h->file : "rules", h->rule != NULL ? h->rule : "",
			    ts->dir, h->rule != NULL ? h->rule : "");
	}
	if (errs->len > 0) {
		g_string_truncate(errs, errs->len - 1);
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s",
		    errs->str);
		return FALSE;
	}
	return TRUE;
}

/*
 * Is {{#if cond}} true?  "name": the variable has a value that is not only
 * white space; "name=word": word is the value, or one of its
 * comma-separated items ("violence,child").
 */
static gboolean
var_true(GHashTable *vars, const char *cond)
{
	const char *eq = strchr(cond, '=');
	g_autofree char *name = g_strndup(cond, eq != NULL ? (gsize)(eq - cond) :
	    strlen(cond));
	const char *v = vars != NULL ? g_hash_table_lookup(vars, name) : NULL;

	if (v == NULL)
		return FALSE;
	if (eq != NULL) {
		g_auto(GStrv) items = g_strsplit(v, ",", -1);

		for (int i = 0; items[i] != NULL; i++)
			if (strcmp(g_strstrip(items[i]), eq + 1) == 0)
				return TRUE;
		return FALSE;
	}
	for (; *v != '\0'; v++)
		if (!g_ascii_isspace(*v))
			return TRUE;
	return FALSE;
}

static void
render_nodes(const struct templates *ts, const char *lang, GPtrArray *nodes,
    GHashTable *vars, GString *out, int depth, template_filter filter)
{
	for (guint i = 0; i < nodes->len; i++) {
		const struct node *n = g_ptr_array_index(nodes, i);
		const char *v;

		switch (n->kind) {
		case N_TEXT:
			if (filter != NULL) {
				g_autofree char *f = filter(n->text);

				g_string_append(out, f);
			} else
				g_string_append(out, n->text);
			break;
		case N_VAR:
			v = vars != NULL ? g_hash_table_lookup(vars, n->text) :
			    NULL;
			if (v != NULL)
				g_string_append(out, v);
			break;
		case N_IF:
			render_nodes(ts, lang, var_true(vars, n->text) ?
			    n->then_nodes : n->else_nodes, vars, out, depth,
			    filter);
			break;
		case N_PLURAL: {
			char *end = NULL;
			long num;

			v = vars != NULL ? g_hash_table_lookup(vars, n->text) :
			    NULL;
			num = v != NULL ? strtol(v, &end, 10) : 0;
			if (v == NULL || end == v || *end != '\0') {
				/* not a number: the variable as it is */
				if (v != NULL)
					g_string_append(out, v);
			} else {
				g_autofree char *t = plural_text(lang, num,
				    n->forms);

				if (filter != NULL) {
					g_autofree char *f = filter(t);

					g_string_append(out, f);
				} else
					g_string_append(out, t);
			}
			break;
		}
		case N_PARTIAL: {
			g_autofree char *key = g_strdup_printf("%s.%s",
			    n->text, lang);
			const struct tpl *t = g_hash_table_lookup(ts->by_key,
			    key);

			/* depth bounds a cycle of partials */
			if (t != NULL && depth < 8)
				render_nodes(ts, lang, t->body, vars, out,
				    depth + 1, filter);
			break;
		}
		}
	}
}

/* At most one blank line in a row, no trailing blanks, one final LF. */
static char *
tidy(GString *s)
{
	GString *o = g_string_sized_new(s->len + 1);
	int nl = 0;
	const char *p = s->str;

	while (*p == '\n')
		p++;
	for (; *p != '\0'; p++) {
		if (*p == '\n') {
			/* drop spaces left at the end of the line */
			while (o->len > 0 && (o->str[o->len - 1] == ' ' ||
			    o->str[o->len - 1] == '\t'))
				g_string_truncate(o, o->len - 1);
			if (++nl > 2)
				continue;
		} else
			nl = 0;
		g_string_append_c(o, *p);
	}
	while (o->len > 0 && g_ascii_isspace(o->str[o->len - 1]))
		g_string_truncate(o, o->len - 1);
	g_string_append_c(o, '\n');
	return g_string_free(o, FALSE);
}

char *
template_render_filtered(const struct templates *ts, const char *name,
    const char *lang, GHashTable *vars, char **subject,
    template_filter filter, GError **err)
{
	g_autofree char *key = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	const struct tpl *t;

	if (subject != NULL)
		*subject = NULL;
	key = g_strdup_printf("%s.%s", name, lang);
	t = ts != NULL ? g_hash_table_lookup(ts->by_key, key) : NULL;
	if (t == NULL) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_NOTFOUND,
		    "template %s.%s.txt not found", name, lang);
		return NULL;
	}
	if (subject != NULL && t->subject != NULL) {
		g_autoptr(GString) s = g_string_new(NULL);

		render_nodes(ts, lang, t->subject, vars, s, 0, filter);
		*subject = g_strstrip(g_string_free(g_steal_pointer(&s), FALSE));
	}
	render_nodes(ts, lang, t->body, vars, out, 0, filter);
	return tidy(out);
}

char *
template_render(const struct templates *ts, const char *name,
    const char *lang, GHashTable *vars, char **subject, GError **err)
{
	return template_render_filtered(ts, name, lang, vars, subject, NULL, err);
}

char *
template_date(gint64 when, const char *lang, const char *tzid)
{
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GDateTime) utc = NULL, dt = NULL;
	GString *s;
	const char *fmt = vocab_date_format(lang);

	tz = view_tz_named(tzid);
	utc = g_date_time_new_from_unix_utc(when);
	if (utc == NULL || (dt = g_date_time_to_timezone(utc, tz)) == NULL)
		return g_strdup("");
	if (fmt == NULL)	/* numeric, readable everywhere in Switzerland */
		return g_strdup_printf("%02d.%02d.%d, %02d:%02d",
		    g_date_time_get_day_of_month(dt), g_date_time_get_month(dt),
		    g_date_time_get_year(dt), g_date_time_get_hour(dt),
		    g_date_time_get_minute(dt));
	s = g_string_new(NULL);
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '\0') {
			g_string_append_c(s, *p);
			continue;
		}
		switch (*++p) {
		case 'd':
			g_string_append_printf(s, "%d",
			    g_date_time_get_day_of_month(dt));
			break;
		case 's':
			g_string_append(s, vocab_month(lang, g_date_time_get_month(dt)));
			break;
		case 'y':
			g_string_append_printf(s, "%d", g_date_time_get_year(dt));
			break;
		case 't':
			g_string_append_printf(s, "%02d:%02d",
			    g_date_time_get_hour(dt), g_date_time_get_minute(dt));
			break;
		default:
			g_string_append_c(s, *p);
		}
	}
	return g_string_free(s, FALSE);
}

char *
template_day(int y, int m, int d, const char *lang)
{
	const char *fmt = vocab_date_format(lang);
	GString *s;

	if (m < 1 || m > 12)
		return g_strdup("");
	if (fmt == NULL)
		return g_strdup_printf("%02d.%02d.%d", d, m, y);
	s = g_string_new(NULL);
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '\0') {
			g_string_append_c(s, *p);
			continue;
		}
		switch (*++p) {
		case 'd':
			g_string_append_printf(s, "%d", d);
			break;
		case 's':
			g_string_append(s, vocab_month(lang, m));
			break;
		case 'y':
			g_string_append_printf(s, "%d", y);
			break;
		case 't':
			break;
		default:
			g_string_append_c(s, *p);
		}
	}
	/* the separator that stood before the time goes too */
	for (;;) {
		if (s->len > 0 && (s->str[s->len - 1] == ' ' ||
		    s->str[s->len - 1] == ','))
			g_string_truncate(s, s->len - 1);
		else if (g_str_has_suffix(s->str, "،"))
			g_string_truncate(s, s->len - strlen("،"));
		else if (g_str_has_suffix(s->str, "፣"))
			g_string_truncate(s, s->len - strlen("፣"));
		else
			break;
	}
	return g_string_free(s, FALSE);
}
