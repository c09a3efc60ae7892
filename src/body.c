/*
 * body.c: choose and decode the text body of a message, list its
 * attachments, notice delivery reports.  The transfer encoding is decoded
 * by GMime's data wrapper into memory; the charset conversion is ours
 * (charset.c), so UTF-8 mail never goes through iconv.
 */
#include <string.h>
#include <gmime/gmime.h>
#include "body.h"
#include "charset.h"
#include "parse.h"

struct walk {
	struct request	*r;
	GPtrArray	*body_parts;	/* GMimeObject *, not owned */
	GString		*text;
	gboolean	 found;
	gboolean	 html;
	GMimeObject	*fallback;	/* first message/rfc822 part */
};

static gboolean
is_type(GMimeObject *obj, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	return ct != NULL && g_mime_content_type_is_type(ct, type, subtype);
}

/* A leaf the sender attached rather than wrote. */
static gboolean
is_attachment(GMimeObject *obj)
{
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(obj);
	const char *disp = d != NULL ? g_mime_content_disposition_get_disposition(d) : NULL;
	const char *name;

	if (disp != NULL && g_ascii_strcasecmp(disp, "attachment") == 0)
		return TRUE;
	if (!GMIME_IS_PART(obj))
		return FALSE;
	name = g_mime_part_get_filename(GMIME_PART(obj));
	return name != NULL && *name != '\0' &&
	    (disp == NULL || g_ascii_strcasecmp(disp, "inline") != 0);
}

/* The decoded content (transfer encoding undone) of a leaf part. */
static GByteArray *
part_bytes(GMimePart *part)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *ba;

	if (dw == NULL)
		return g_byte_array_new();
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(dw, mem);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_object_unref(mem);
	return ba;
}

/* Decoded size of a leaf, counted without keeping the bytes. */
static gsize
part_size(GMimeObject *obj)
{
	GMimeStream *null = g_mime_stream_null_new();
	gsize n;

	if (GMIME_IS_PART(obj)) {
		GMimeDataWrapper *dw = g_mime_part_get_content(GMIME_PART(obj));
		if (dw != NULL)
			g_mime_data_wrapper_write_to_stream(dw, null);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (m != NULL)
			g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, null);
	}
	n = GMIME_STREAM_NULL(null)->written;
	g_object_unref(null);
	return n;
}

/* CRLF and lone CR to LF, in place (the runs between CRs moved whole). */
static void
unix_newlines(char *s)
{
	char *p = strchr(s, '\r'), *o = p;

	while (p != NULL && *p != '\0') {	/* *p is a CR */
		const char *q;
		gsize n;

		*o++ = '\n';
		p += p[1] == '\n' ? 2 : 1;
		q = strchr(p, '\r');
		n = q != NULL ? (gsize)(q - p) : strlen(p);
		memmove(o, p, n);
		o += n;
		p += n;
	}
	if (o != NULL)
		*o = '\0';
}

/* End of the line at p: its '\n' or end (memchr: linear even under ASan). */
static const char *
eol_of(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (gsize)(end - p));

	return nl != NULL ? nl : end;
}

/* RFC 3676 format=flowed text (LF line ends) to plain lines. */
static char *
body_unflow(const char *text, gboolean delsp)
{
	gsize len = strlen(text);
	GString *out = g_string_sized_new(len + 1);
	const char *p = text, *end = text + len;
	gboolean open = FALSE;
	int open_depth = 0;

	while (*p != '\0') {
		const char *eol = eol_of(p, end), *c, *e;
		int depth = 0;
		gboolean flowed;

		for (c = p; *c == '>'; c++)
			depth++;
		if (*c == ' ')		/* space-stuffing */
			c++;
		e = eol;
		flowed = e > c && e[-1] == ' ' && !(e - c == 3 && strncmp(c, "-- ", 3) == 0);
		if (!(open && depth == open_depth)) {
			if (open)
				g_string_append_c(out, '\n');
			for (int i = 0; i < depth; i++)
				g_string_append_c(out, '>');
			if (depth > 0)
				g_string_append_c(out, ' ');
		}
		if (flowed && delsp)
			e--;
		g_string_append_len(out, c, e - c);
		open = flowed;
		open_depth = depth;
		if (!flowed && *eol != '\0')
			g_string_append_c(out, '\n');
		p = *eol != '\0' ? eol + 1 : eol;
	}
	return g_string_free(out, FALSE);
}

/* charset=... from an HTML <meta>, for HTML parts that declare none. */
static char *
html_meta_charset(const char *buf, gsize len)
{
	g_autofree char *head = g_ascii_strdown(buf, MIN(len, 4096));
	const char *p = strstr(head, "charset=");
	gsize n = 0;

	if (p == NULL)
		return NULL;
	p += 8;
	while (*p == '"' || *p == '\'' || *p == ' ')
		p++;
	while (g_ascii_isalnum(p[n]) || p[n] == '-' || p[n] == '_' || p[n] == ':' || p[n] == '.')
		n++;
	return n > 0 ? g_strndup(p, n) : NULL;
}

/* UTF-8 text of a text/plain or text/html leaf. */
static char *
part_text(GMimeObject *obj, gboolean html)
{
	GByteArray *ba = part_bytes(GMIME_PART(obj));
	const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");
	g_autofree char *meta = NULL;
	char *text, *out;
	gsize n;

	if (html && (charset == NULL || charset_is_utf8ish(charset)) &&
	    !g_utf8_validate((const char *)ba->data, ba->len, NULL)) {
		meta = html_meta_charset((const char *)ba->data, ba->len);
		if (meta != NULL)
			charset = meta;
	}
	text = charset_to_utf8(charset, (const char *)ba->data, ba->len, &n);
	g_byte_array_free(ba, TRUE);
	if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {	/* byte-order mark */
		memmove(text, text + 3, n - 2);
		n -= 3;
	}
	if (html) {
		out = html_to_text(text, n);
		g_free(text);
		return out;
	}
	unix_newlines(text);
	charset = g_mime_object_get_content_type_parameter(obj, "format");
	if (charset != NULL && g_ascii_strcasecmp(charset, "flowed") == 0) {
		const char *delsp = g_mime_object_get_content_type_parameter(obj, "delsp");

		out = body_unflow(text, delsp != NULL && g_ascii_strcasecmp(delsp, "yes") == 0);
		g_free(text);
		return out;
	}
	return text;
}

static gboolean
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!g_ascii_isspace(*s))
			return FALSE;
	return TRUE;
}

/* One line of a uuencoded block: its length character matches its length. */
static gboolean
uu_line(const char *l, gsize len, gsize *bytes)
{
	gsize n, need;

	if (len == 0 || l[0] < ' ' || l[0] > '`')
		return FALSE;
	n = (gsize)((l[0] - ' ') & 0x3f);
	need = 1 + (n + 2) / 3 * 4;
	if (len + 2 < need || len > need + 2)	/* padding may be trimmed or added */
		return FALSE;
	for (gsize i = 1; i < len; i++)
		if (l[i] < ' ' || l[i] > '`')
			return FALSE;
	*bytes += n;
	return TRUE;
}

/*
 * Cut "begin 644 name" ... "end" uuencoded blocks out of a text body;
 * each becomes an attachment (name, decoded size).  Returns the text.
 */
static char *
cut_uuencode(struct request *r, char *text)
{
	GString *out;
	const char *p = text, *end;

	if (strstr(text, "begin ") == NULL)
		return text;
	end = text + strlen(text);
	out = g_string_sized_new((gsize)(end - text));
	while (*p != '\0') {
		const char *eol = eol_of(p, end), *q, *name;
		gsize bytes = 0;
		gboolean ok = FALSE;

		if (strncmp(p, "begin ", 6) == 0 && g_ascii_isdigit(p[6]) && g_ascii_isdigit(p[7]) &&
		    g_ascii_isdigit(p[8]) && (name = memchr(p + 9, ' ', eol - p - 9)) != NULL) {
			for (q = *eol ? eol + 1 : eol; *q != '\0';) {
				const char *e = eol_of(q, end);
				gsize len;

				len = (gsize)(e - q);
				if (len > 0 && q[len - 1] == ' ')
					len--;
				if (len == 3 && strncmp(q, "end", 3) == 0) {
					ok = TRUE;
					q = *e ? e + 1 : e;
					break;
				}
				if (!uu_line(q, len, &bytes))
					break;
				q = *e ? e + 1 : e;
			}
			if (ok) {
				struct attachment *a = g_new0(struct attachment, 1);
				g_autofree char *fn = g_strndup(name + 1, eol - name - 1);

				g_strstrip(fn);
				if (*fn != '\0')
					a->filename = charset_to_utf8(NULL, fn, strlen(fn), NULL);
				a->content_type = g_strdup("application/octet-stream");
				a->size = bytes;
				g_ptr_array_add(r->attachments, a);
				p = q;
				/* no double blank line where the block was */
				if (*p == '\n' && (out->len == 0 || (out->len >= 2 &&
				    strcmp(out->str + out->len - 2, "\n\n") == 0)))
					p++;
				continue;
			}
		}
		g_string_append_len(out, p, (*eol ? eol + 1 : eol) - p);
		p = *eol ? eol + 1 : eol;
	}
	g_free(text);
	return g_string_free(out, FALSE);
}

static void
use_body(struct walk *w, GMimeObject *obj, char *text, gboolean html)
{
	const char *cs = g_mime_object_get_content_type_parameter(obj, "charset");

	g_ptr_array_add(w->body_parts, obj);
	if (!html)
		text = cut_uuencode(w->r, text);
	if (w->text->len > 0 && text[0] != '\0')
		g_string_append_c(w->text, '\n');
	g_string_append(w->text, text);
	g_free(text);
	if (!w->found) {
		w->html = html;
		request_set(&w->r->body_charset, cs);
	}
	w->found = TRUE;
}

/* A text/plain (or text/html) leaf that is the body, not an attachment. */
static gboolean
is_text_leaf(GMimeObject *obj, const char *subtype)
{
	return GMIME_IS_PART(obj) && is_type(obj, "text", subtype) && !is_attachment(obj);
}

static gboolean find_body(struct walk *, GMimeObject *, int);

/* A multipart whose boundaries never appear: its text is all "prologue". */
static gboolean
broken_multipart(struct walk *w, GMimeMultipart *mp)
{
	const char *text[2] = { g_mime_multipart_get_prologue(mp), g_mime_multipart_get_epilogue(mp) };
	GString *s = g_string_new(NULL);
	char *t;

	for (int i = 0; i < 2; i++) {
		g_auto(GStrv) lines = g_strsplit(text[i] != NULL ? text[i] : "", "\n", -1);

		for (char **l = lines; *l != NULL; l++) {
			g_autofree char *low = g_ascii_strdown(*l, -1);

			/* "This is a multi-part message in MIME format." */
			if (strlen(low) < 100 && (strstr(low, "in mime format") != NULL ||
			    strstr(low, "mime-encapsulated") != NULL || strstr(low, "mime encoded") != NULL ||
			    strstr(low, "in mime-format") != NULL))
				continue;
			g_string_append(s, *l);
			g_string_append_c(s, '\n');
		}
	}
	t = charset_to_utf8(NULL, s->str, s->len, NULL);
	g_string_free(s, TRUE);
	unix_newlines(t);
	if (blank(t)) {
		g_free(t);
		return FALSE;
	}
	use_body(w, GMIME_OBJECT(mp), t, FALSE);
	return TRUE;
}

/* multipart/alternative: plain text unless empty, else the richest other. */
static gboolean
find_alternative(struct walk *w, GMimeMultipart *mp, int depth)
{
	int n = g_mime_multipart_get_count(mp);

	for (int i = 0; i < n; i++) {
		GMimeObject *c = g_mime_multipart_get_part(mp, i);

		if (is_text_leaf(c, "plain")) {
			char *t = part_text(c, FALSE);

			if (!blank(t)) {
				use_body(w, c, t, FALSE);
				return TRUE;
			}
			g_free(t);
			g_ptr_array_add(w->body_parts, c);
		}
	}
	for (int i = n - 1; i >= 0; i--) {
		GMimeObject *c = g_mime_multipart_get_part(mp, i);

		if (!is_text_leaf(c, "plain") && find_body(w, c, depth + 1))
			return TRUE;
	}
	return FALSE;
}

/* Depth-first search for the body; TRUE when found under obj. */
static gboolean
find_body(struct walk *w, GMimeObject *obj, int depth)
{
	if (depth > BODY_MAX_DEPTH)
		return FALSE;
	if (GMIME_IS_MESSAGE_PART(obj)) {
		if (w->fallback == NULL)
			w->fallback = obj;
		return FALSE;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		gboolean found = FALSE;

		if (GMIME_IS_MULTIPART_ENCRYPTED(obj))
			return FALSE;
		if (n == 0)
			return broken_multipart(w, mp);
		if (is_type(obj, "multipart", "alternative"))
			return find_alternative(w, mp, depth);
		for (int i = 0; i < n; i++) {
			GMimeObject *c = g_mime_multipart_get_part(mp, i);

			if (!found) {
				found = find_body(w, c, depth + 1);
			} else if (!w->html && is_type(obj, "multipart", "mixed") &&
			    is_text_leaf(c, "plain")) {
				/* Apple Mail splits the text around inline images */
				use_body(w, c, part_text(c, FALSE), FALSE);
			}
			if (found && is_type(obj, "multipart", "signed"))
				break;
		}
		return found;
	}
	if (!GMIME_IS_PART(obj) || is_attachment(obj))
		return FALSE;
	if (is_type(obj, "text", "plain")) {
		char *t = part_text(obj, FALSE);

		if (blank(t)) {
			g_free(t);
			g_ptr_array_add(w->body_parts, obj);
			return FALSE;
		}
		use_body(w, obj, t, FALSE);
		return TRUE;
	}
	if (is_type(obj, "text", "html")) {
		use_body(w, obj, part_text(obj, TRUE), TRUE);
		return TRUE;
	}
	return FALSE;
}

/*
 * The first text leaf anywhere under top, walked with an explicit stack
 * (no recursion) down to BODY_SCAN_DEPTH: mail nested deeper than the
 * structured search goes (500 multiparts in one another) still gives its
 * text.  TRUE when one was used.
 */
static gboolean
scan_text(struct walk *w, GMimeObject *top)
{
	g_autoptr(GPtrArray) stack = g_ptr_array_new();
	g_autoptr(GArray) depths = g_array_new(FALSE, FALSE, sizeof(int));
	int d = 0;

	g_ptr_array_add(stack, top);
	g_array_append_val(depths, d);
	while (stack->len > 0) {
		GMimeObject *obj = g_ptr_array_steal_index(stack, stack->len - 1);

		d = g_array_index(depths, int, depths->len - 1);
		g_array_set_size(depths, depths->len - 1);
		if (d > BODY_SCAN_DEPTH)
			continue;
		if (GMIME_IS_MESSAGE_PART(obj)) {
			GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
			GMimeObject *c = m != NULL ? g_mime_message_get_mime_part(m) : NULL;

			if (c != NULL) {
				int cd = d + 1;

				g_ptr_array_add(stack, c);
				g_array_append_val(depths, cd);
			}
		} else if (GMIME_IS_MULTIPART(obj) && !GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
			GMimeMultipart *mp = GMIME_MULTIPART(obj);

			/* children pushed last first: popped in document order */
			for (int i = g_mime_multipart_get_count(mp) - 1; i >= 0; i--) {
				int cd = d + 1;

				g_ptr_array_add(stack, g_mime_multipart_get_part(mp, i));
				g_array_append_val(depths, cd);
			}
		} else if (is_text_leaf(obj, "plain") || is_text_leaf(obj, "html")) {
			gboolean html = is_type(obj, "text", "html");
			char *t = part_text(obj, html);

			if (blank(t)) {
				g_free(t);
				continue;
			}
			use_body(w, obj, t, html);
			return TRUE;
		}
	}
	return FALSE;
}

static void
note_report(struct request *r, GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *sub;
	g_autofree char *type = NULL;

	if (ct == NULL)
		return;
	sub = g_mime_content_type_get_media_subtype(ct);
	if (g_mime_content_type_is_type(ct, "multipart", "report")) {
		const char *rt = g_mime_content_type_get_parameter(ct, "report-type");

		r->is_report = TRUE;
		if (rt != NULL && r->report_type == NULL)
			r->report_type = g_ascii_strdown(rt, -1);
		return;
	}
	if (!g_mime_content_type_is_type(ct, "message", "*") || sub == NULL)
		return;
	type = g_ascii_strdown(sub, -1);
	if (strcmp(type, "delivery-status") == 0 ||
	    strcmp(type, "global-delivery-status") == 0 ||
	    strcmp(type, "disposition-notification") == 0 ||
	    strcmp(type, "global-disposition-notification") == 0 ||
	    strcmp(type, "feedback-report") == 0) {
		r->is_report = TRUE;
		if (r->report_type == NULL)
			r->report_type = g_strdup(g_str_has_prefix(type, "global-") ? type + 7 : type);
	}
}

/*
 * An RFC 2047 encoded param="=?...?=" read from the raw header with our
 * decoder (GMime's cuts names B-encoded over several padded words).
 */
static char *
raw_encoded_param(GMimeObject *obj, const char *header, const char *param)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	GMimeHeader *h = hl != NULL ? g_mime_header_list_get_header(hl, header) : NULL;
	const char *raw = h != NULL ? g_mime_header_get_raw_value(h) : NULL;
	g_autofree char *utf8 = NULL, *low = NULL;
	gsize plen = strlen(param);
	GString *v;
	const char *p;

	if (raw == NULL || strstr(raw, "=?") == NULL)
		return NULL;
	utf8 = g_utf8_validate(raw, -1, NULL) ? g_strdup(raw) :
	    charset_cp1252_to_utf8(raw, strlen(raw), NULL);
	unix_newlines(utf8);
	low = g_ascii_strdown(utf8, -1);
	for (p = strstr(low, param); p != NULL; p = strstr(p + 1, param)) {
		const char *q = p + plen;

		if (p > low && p[-1] != ';' && p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n')
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '=')
			break;
	}
	if (p == NULL)
		return NULL;
	p = utf8 + (p - low) + plen;
	while (*p != '=')
		p++;
	p++;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	v = g_string_new(NULL);
	if (*p == '"') {
		for (p++; *p != '\0' && *p != '"'; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			if (*p != '\n')
				g_string_append_c(v, *p);
		}
	} else {
		for (; *p != '\0' && *p != ';' && *p != '\n'; p++)
			g_string_append_c(v, *p);
	}
	if (strstr(v->str, "=?") == NULL) {
		g_string_free(v, TRUE);
		return NULL;
	}
	g_strstrip(v->str);
	p = charset_decode_words(v->str);
	g_string_free(v, TRUE);
	return (char *)p;
}

static void
add_attachment(struct request *r, GMimeObject *obj)
{
	struct attachment *a = g_new0(struct attachment, 1);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *name = NULL;

	if (GMIME_IS_PART(obj))
		name = g_mime_part_get_filename(GMIME_PART(obj));
	if (name == NULL)
		name = g_mime_object_get_content_disposition_parameter(obj, "filename");
	if (name == NULL)
		name = g_mime_object_get_content_type_parameter(obj, "name");
	a->filename = raw_encoded_param(obj, "Content-Disposition", "filename");
	if (a->filename == NULL)
		a->filename = raw_encoded_param(obj, "Content-Type", "name");
	if (a->filename == NULL && name != NULL && *name != '\0')
		a->filename = g_utf8_validate(name, -1, NULL) ? g_strdup(name) :
		    charset_cp1252_to_utf8(name, strlen(name), NULL);
	if (ct != NULL) {
		g_autofree char *mt = g_mime_content_type_get_mime_type(ct);
		a->content_type = g_ascii_strdown(mt, -1);
	} else
		a->content_type = g_strdup("application/octet-stream");
	a->size = part_size(obj);
	g_ptr_array_add(r->attachments, a);
}

/* Every leaf that is not the body, and every attached message. */
static void
collect(struct walk *w, GMimeObject *obj, int depth, gboolean in_alt)
{
	if (depth > BODY_MAX_DEPTH)
		return;
	note_report(w->r, obj);
	if (GMIME_IS_MESSAGE_PART(obj)) {
		add_attachment(w->r, obj);
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);

		in_alt = in_alt || is_type(obj, "multipart", "alternative");
		for (int i = 0; i < n; i++)
			collect(w, g_mime_multipart_get_part(mp, i), depth + 1, in_alt);
		return;
	}
	if (!GMIME_IS_PART(obj))
		return;
	for (guint i = 0; i < w->body_parts->len; i++)
		if (g_ptr_array_index(w->body_parts, i) == obj)
			return;
	if (in_alt && !is_attachment(obj) && (is_type(obj, "text", "plain") ||
	    is_type(obj, "text", "html") || is_type(obj, "text", "enriched") ||
	    is_type(obj, "text", "richtext") || is_type(obj, "text", "watch-html")))
		return;		/* another rendering of the body (not text/calendar) */
	add_attachment(w->r, obj);
}

void
body_extract(struct request *r, GMimeMessage *msg)
{
	struct walk w = { .r = r };
	GMimeObject *top = g_mime_message_get_mime_part(msg);

	w.body_parts = g_ptr_array_new();
	w.text = g_string_new(NULL);
	if (top != NULL) {
		find_body(&w, top, 0);
		if (!w.found && w.fallback != NULL) {
			/* a forward as attachment with no text of its own */
			GMimeMessage *inner = g_mime_message_part_get_message(
			    GMIME_MESSAGE_PART(w.fallback));
			GMimeObject *ip = inner != NULL ? g_mime_message_get_mime_part(inner) : NULL;

			if (ip != NULL)
				find_body(&w, ip, 1);
		}
		if (!w.found)
			scan_text(&w, top);
		collect(&w, top, 0, FALSE);
	}
	g_free(r->text);
	/* no blank lines before the first line or after the last */
	{
		gsize skip = 0, i = 0;

		for (; i < w.text->len && g_ascii_isspace(w.text->str[i]); i++)
			if (w.text->str[i] == '\n')
				skip = i + 1;
		g_string_erase(w.text, 0, (gssize)skip);
	}
	r->text = g_string_free(w.text, FALSE);
	g_strchomp(r->text);
	r->html_only = w.found && w.html;
	g_ptr_array_free(w.body_parts, TRUE);
}
