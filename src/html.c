/*
 * html.c: HTML mail to readable text with libxml2's HTML parser.
 * The tree is walked without recursion (any nesting depth is safe);
 * block elements become line breaks, list items "- ", blockquotes
 * "> " lines so that text_strip_quotes() can cut them.
 */
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
#include "html.h"

#define HTML_MAX_INPUT	(8 * 1024 * 1024)	/* bytes parsed at most */
#define LIST_DEPTH	16

struct out {
	GString		*s;
	int		 nl;		/* newlines wanted before the next text */
	int		 trailing_nl;	/* newlines at the end of s */
	gboolean	 space;		/* a space wanted before the next text */
	int		 pre;		/* inside <pre> */
	int		 quote;		/* <blockquote> depth */
	int		 lists;		/* list depth */
	int		 item[LIST_DEPTH];	/* next number for <ol>, 0 for <ul> */
};

enum elem_kind {
	E_INLINE = 0,
	E_SKIP,		/* not shown: script, style, head... */
	E_BLOCK,	/* one line break around */
	E_PARA,		/* one blank line around */
	E_BR,
	E_LI,
	E_LIST,		/* ul, ol */
	E_PRE,
	E_QUOTE,
	E_CELL,
	E_IMG,
};

static const struct {
	const char	*name;
	enum elem_kind	 kind;
} elems[] = {
	{ "script", E_SKIP }, { "style", E_SKIP }, { "head", E_SKIP },
	{ "title", E_SKIP }, { "template", E_SKIP }, { "noscript", E_SKIP },
	{ "svg", E_SKIP }, { "iframe", E_SKIP }, { "object", E_SKIP },
	{ "select", E_SKIP }, { "button", E_SKIP }, { "xml", E_SKIP },
	{ "p", E_PARA }, { "h1", E_PARA }, { "h2", E_PARA }, { "h3", E_PARA },
	{ "h4", E_PARA }, { "h5", E_PARA }, { "h6", E_PARA }, { "table", E_BLOCK },
	{ "div", E_BLOCK }, { "tr", E_BLOCK }, { "section", E_BLOCK },
	{ "article", E_BLOCK }, { "header", E_BLOCK }, { "footer", E_BLOCK },
	{ "address", E_BLOCK }, { "center", E_BLOCK }, { "form", E_BLOCK },
	{ "fieldset", E_BLOCK }, { "dl", E_BLOCK }, { "dt", E_BLOCK },
	{ "dd", E_BLOCK }, { "nav", E_BLOCK }, { "aside", E_BLOCK },
	{ "main", E_BLOCK }, { "figure", E_BLOCK }, { "figcaption", E_BLOCK },
	{ "hr", E_BLOCK }, { "caption", E_BLOCK }, { "body", E_BLOCK },
	{ "tbody", E_BLOCK }, { "thead", E_BLOCK }, { "tfoot", E_BLOCK },
	{ "br", E_BR }, { "li", E_LI }, { "ul", E_LIST }, { "ol", E_LIST },
	{ "menu", E_LIST }, { "pre", E_PRE }, { "listing", E_PRE },
	{ "xmp", E_PRE }, { "plaintext", E_PRE }, { "blockquote", E_QUOTE },
	{ "td", E_CELL }, { "th", E_CELL }, { "img", E_IMG },
};

static enum elem_kind
elem_kind(const xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (name == NULL)
		return E_INLINE;
	for (gsize i = 0; i < G_N_ELEMENTS(elems); i++)
		if (g_ascii_strcasecmp(elems[i].name, name) == 0)
			return elems[i].kind;
	return E_INLINE;
}

static void
want_nl(struct out *o, int n)
{
	if (o->nl < n)
		o->nl = n;
	o->space = FALSE;
}

/* Start a line: the pending line breaks, then the quote prefix. */
static void
flush(struct out *o)
{
	if (o->s->len > 0 && o->nl > o->trailing_nl) {
		for (int i = o->trailing_nl; i < o->nl; i++) {
			g_string_append_c(o->s, '\n');
			o->trailing_nl++;
		}
	}
	o->nl = 0;
	if (o->s->len == 0 || o->trailing_nl > 0) {
		for (int i = 0; i < o->quote && i < 32; i++)
			g_string_append(o->s, "> ");
	} else if (o->space)
		g_string_append_c(o->s, ' ');
	o->space = FALSE;
	o->trailing_nl = 0;
}

static void
put_word(struct out *o, const char *p, gsize n)
{
	flush(o);
	g_string_append_len(o->s, p, n);
}

/* Text node: collapse white space (NBSP counts as space), except in <pre>. */
static void
put_text(struct out *o, const char *t)
{
	const char *p = t, *w;

	if (o->pre > 0) {
		for (; *p != '\0'; p++) {
			if (*p == '\r')
				continue;
			if (*p == '\n') {
				g_string_append_c(o->s, '\n');
				o->trailing_nl++;
				continue;
			}
			if (o->trailing_nl > 0 || o->s->len == 0 || o->nl > 0)
				flush(o);
			g_string_append_c(o->s, *p);
		}
		return;
	}
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || ((guint8)p[0] == 0xC2 && (guint8)p[1] == 0xA0)) {
			if (o->s->len > 0 && o->trailing_nl == 0)
				o->space = TRUE;
			p += (*p == '\xC2') ? 2 : 1;
		}
		w = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' &&
		    *p != '\r' && *p != '\f' &&
		    !((guint8)p[0] == 0xC2 && (guint8)p[1] == 0xA0))
			p++;
		if (p > w)
			put_word(o, w, (gsize)(p - w));
	}
}

/* style="display:none" or the hidden attribute: text the reader never sees. */
static gboolean
is_hidden(const xmlNode *n)
{
	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		const xmlNode *v = a->children;
		const char *name = (const char *)a->name;

		if (g_ascii_strcasecmp(name, "hidden") == 0)
			return TRUE;
		if (g_ascii_strcasecmp(name, "style") == 0 && v != NULL && v->content != NULL) {
			g_autofree char *style = g_ascii_strdown((const char *)v->content, -1);
			char *o = style;

			for (const char *c = style; *c != '\0'; c++)
				if (*c != ' ' && *c != '\t')
					*o++ = *c;
			*o = '\0';
			if (strstr(style, "display:none") != NULL)
				return TRUE;
		}
	}
	return FALSE;
}

static gboolean
enter(struct out *o, xmlNode *n)
{
	char num[32];

	if (n->properties != NULL && is_hidden(n))
		return FALSE;
	switch (elem_kind(n)) {
	case E_SKIP:
		return FALSE;
	case E_BLOCK:
	case E_CELL:
		if (elem_kind(n) == E_CELL) {
			if (o->s->len > 0 && o->trailing_nl == 0 && o->nl == 0)
				o->space = TRUE;
		} else
			want_nl(o, 1);
		return TRUE;
	case E_PARA:
		want_nl(o, 2);
		return TRUE;
	case E_BR:
		o->nl = MAX(o->nl, o->trailing_nl) + 1;
		o->space = FALSE;
		return FALSE;
	case E_LIST:
		if (o->lists < LIST_DEPTH)
			o->item[o->lists] = g_ascii_strcasecmp((const char *)n->name, "ol") == 0;
		o->lists++;
		want_nl(o, 1);
		return TRUE;
	case E_LI:
		want_nl(o, 1);
		flush(o);
		for (int i = 1; i < o->lists && i < LIST_DEPTH; i++)
			g_string_append(o->s, "  ");
		if (o->lists > 0 && o->lists <= LIST_DEPTH && o->item[o->lists - 1] > 0) {
			g_snprintf(num, sizeof(num), "%d. ", o->item[o->lists - 1]++);
			g_string_append(o->s, num);
		} else
			g_string_append(o->s, "- ");
		return TRUE;
	case E_PRE:
		want_nl(o, 1);
		o->pre++;
		return TRUE;
	case E_QUOTE:
		want_nl(o, 1);
		o->quote++;
		return TRUE;
	case E_IMG:
	case E_INLINE:
		return TRUE;
	}
	return TRUE;
}

static void
leave(struct out *o, xmlNode *n)
{
	switch (elem_kind(n)) {
	case E_BLOCK:
	case E_LI:
		want_nl(o, 1);
		break;
	case E_PARA:
		want_nl(o, 2);
		break;
	case E_LIST:
		o->lists--;
		want_nl(o, 1);
		break;
	case E_PRE:
		o->pre--;
		want_nl(o, 1);
		break;
	case E_QUOTE:
		/* the line break must come before the prefix changes */
		want_nl(o, 1);
		if (o->trailing_nl == 0 && o->s->len > 0) {
			g_string_append_c(o->s, '\n');
			o->trailing_nl = 1;
		}
		o->quote--;
		break;
	default:
		break;
	}
}

/* Walk the tree in document order with an explicit parent chain. */
static void
walk(struct out *o, xmlNode *root)
{
	xmlNode *n = root;

	while (n != NULL) {
		gboolean down = FALSE;

		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				put_text(o, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE) {
			down = enter(o, n);
			if (down && n->children == NULL) {
				leave(o, n);
				down = FALSE;
			}
		} else if (n->type == XML_DOCUMENT_NODE ||
		    n->type == XML_HTML_DOCUMENT_NODE)
			down = TRUE;
		if (down && n->children != NULL) {
			n = n->children;
			continue;
		}
		while (n != NULL && n != root && n->next == NULL) {
			n = n->parent;
			if (n != NULL && n->type == XML_ELEMENT_NODE)
				leave(o, n);
		}
		if (n == NULL || n == root)
			break;
		n = n->next;
	}
}

/* Trim line ends, at most one blank line in a row, none at the ends. */
static char *
tidy(const char *s)
{
	gsize len = strlen(s);
	GString *out = g_string_sized_new(len + 1);
	const char *p = s, *end = s + len;
	int blank = 0;

	while (*p != '\0') {
		const char *eol = memchr(p, '\n', (gsize)(end - p)), *e;

		if (eol == NULL)
			eol = end;
		e = eol;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e == p) {
			blank++;
		} else {
			if (out->len > 0)
				g_string_append(out, blank > 0 ? "\n\n" : "\n");
			g_string_append_len(out, p, e - p);
			blank = 0;
		}
		p = *eol != '\0' ? eol + 1 : eol;
	}
	return g_string_free(out, FALSE);
}

static void
html_init(void)
{
	static gsize once;

	if (g_once_init_enter(&once)) {
		xmlInitParser();
		g_once_init_leave(&once, 1);
	}
}

char *
html_to_text(const char *html, gsize len)
{
	struct out o = { 0 };
	htmlDocPtr doc;
	char *text;

	if (html == NULL || len == 0)
		return g_strdup("");
	html_init();
	if (len > HTML_MAX_INPUT)
		len = HTML_MAX_INPUT;
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
	    HTML_PARSE_RECOVER | HTML_PARSE_COMPACT | XML_PARSE_HUGE);
	if (doc == NULL)
		return g_strdup("");
	o.s = g_string_sized_new(len / 2 + 16);
	walk(&o, (xmlNode *)doc);
	xmlFreeDoc(doc);
	text = tidy(o.s->str);
	g_string_free(o.s, TRUE);
	return text;
}
