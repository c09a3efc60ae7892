/*
 * digest_more.c: what the digest shows beyond the period's requests
 * (digest.h): follow-ups of requests created in the same period, under
 * their request; command mails refused for authentication, as a warning at
 * the top; urgent requests first among those still waiting.
 */
#include <string.h>
#include "digest.h"
#include "report.h"
#include "store_refused.h"
#include "viewfmt.h"

#define C_RED	"#b3261e"
#define C_MUTED	"#55626f"
#define C_LINE	"#dde3ea"
#define C_WARN	"#fdf3e7"

/* Urgent first, then as collected (oldest first). */
static int
waiting_cmp(gconstpointer a, gconstpointer b)
{
	const struct digest_req *x = *(struct digest_req *const *)a;
	const struct digest_req *y = *(struct digest_req *const *)b;

	if (!x->urgent != !y->urgent)
		return x->urgent ? -1 : 1;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return g_strcmp0(x->ref, y->ref);
}

gboolean
digest_collect_more(struct store *st, struct digest *d, GError **err)
{
	if (d->refused == NULL)
		d->refused = g_ptr_array_new();
	if (st == NULL)
		return TRUE;
	for (guint i = 0; i < d->fresh->len; i++) {
		struct digest_req *r = g_ptr_array_index(d->fresh, i);
		g_autofree char *text = NULL;

		if (r->ref == NULL)
			continue;
		if (!store_followups_in(st, r->ref, d->since, d->until, &r->more, &r->more_last,
		    &text, err))
			return FALSE;
		g_clear_pointer(&r->more_excerpt, g_free);
		if (r->more > 0 && text != NULL) {
			r->more_excerpt = view_first_lines(text, 2, 100);
			if (*r->more_excerpt == '\0')
				g_clear_pointer(&r->more_excerpt, g_free);
		}
	}
	g_ptr_array_sort(d->waiting, waiting_cmp);
	g_ptr_array_unref(d->refused);
	d->refused = store_refused_list(st, d->since, d->until, err);
	return d->refused != NULL;
}

gint64
digest_followups_count(const struct digest *d)
{
	gint64 n = d->followups->len;

	for (guint i = 0; i < d->fresh->len; i++)
		n += ((const struct digest_req *)g_ptr_array_index(d->fresh, i))->more;
	return n;
}

/* One line of printable text, "" for NULL. */
static char *
clean(const char *s)
{
	char *v = g_utf8_make_valid(s != NULL ? s : "", -1);

	for (char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return g_strstrip(v);
}

/* "le 07.12.2026 à 09:14, « sujet », gardé comme demande CHI-2026-0007" */
static char *
refused_line(const struct digest *d, const struct refused *r)
{
	g_autofree char *when = view_time(r->time, d->tz, "le %d.%m.%Y à %H:%M");
	g_autofree char *subj = clean(r->subject);
	GString *o = g_string_new(when);

	if (*subj)
		g_string_append_printf(o, ", « %s »", subj);
	if (r->ref != NULL)
		g_string_append_printf(o, ", gardé comme demande %s", r->ref);
	return g_string_free(o, FALSE);
}

static const char *const refused_title = "Commande refusée : expéditeur non authentifié";
static const char *const refused_why = "Un message écrit au nom de votre adresse contenait "
    "des commandes, mais votre serveur de messagerie n'a pas confirmé qu'il vient de votre "
    "compte : rien n'a été exécuté. Si c'était vous, renvoyez les commandes depuis votre "
    "compte habituel (ou avec le mot secret) ; sinon, quelqu'un a écrit en votre nom.";

void
digest_refused_text(const struct digest *d, GString *o)
{
	if (d->refused == NULL || d->refused->len == 0)
		return;
	g_string_append_printf(o, "\n!! %s (%u) !!\n\n%s\n\n", refused_title, d->refused->len,
	    refused_why);
	for (guint i = 0; i < d->refused->len; i++) {
		g_autofree char *l = refused_line(d, g_ptr_array_index(d->refused, i));

		g_string_append_printf(o, "* %s\n", l);
	}
}

void
digest_refused_html(const struct digest *d, GString *o)
{
	if (d->refused == NULL || d->refused->len == 0)
		return;
	g_string_append(o, "<div style=\"background:" C_WARN ";border:1px solid " C_RED ";"
	    "border-left:4px solid " C_RED ";border-radius:4px;padding:9px 12px;margin:10px 0;\">\n"
	    "<div style=\"font-weight:bold;color:" C_RED ";font-size:15px;\">⚠ ");
	report_esc(o, refused_title);
	g_string_append_printf(o, " (%u)</div>\n<div style=\"font-size:13px;margin:4px 0;\">",
	    d->refused->len);
	report_esc(o, refused_why);
	g_string_append(o, "</div>\n");
	for (guint i = 0; i < d->refused->len; i++) {
		g_autofree char *l = refused_line(d, g_ptr_array_index(d->refused, i));

		g_string_append(o, "<div style=\"font-size:14px;padding:3px 0;border-top:1px solid "
		    C_LINE ";\">");
		report_esc(o, l);
		g_string_append(o, "</div>\n");
	}
	g_string_append(o, "</div>\n");
}

static char *
more_head(const struct digest *d, const struct digest_req *r)
{
	g_autofree char *when = view_time(r->more_last, d->tz, "%d.%m.%Y %H:%M");

	if (r->more == 1)
		return g_strdup_printf("1 relance reçue le %s", when);
	return g_strdup_printf("%d relances reçues, la dernière le %s", r->more, when);
}

void
digest_more_text(const struct digest *d, const struct digest_req *r, GString *o)
{
	g_autofree char *head = NULL;

	if (r->more <= 0)
		return;
	head = more_head(d, r);
	g_string_append_printf(o, "  + %s\n", head);
	if (r->more_excerpt != NULL) {
		g_auto(GStrv) lines = g_strsplit(r->more_excerpt, "\n", -1);

		for (char **l = lines; *l != NULL; l++)
			g_string_append_printf(o, "    | %s\n", *l);
	}
}

void
digest_more_html(const struct digest *d, const struct digest_req *r, GString *o)
{
	g_autofree char *head = NULL;

	if (r->more <= 0)
		return;
	head = more_head(d, r);
	g_string_append(o, "<div style=\"font-size:13px;margin-top:6px;\"><strong>");
	report_esc(o, head);
	g_string_append(o, "</strong>");
	if (r->more_excerpt != NULL) {
		g_auto(GStrv) lines = g_strsplit(r->more_excerpt, "\n", -1);

		g_string_append(o, "<div dir=\"auto\" style=\"font-size:14px;color:#33404f;"
		    "border-left:3px solid " C_LINE ";padding-left:9px;margin:3px 0;\">");
		for (char **l = lines; *l != NULL; l++) {
			if (l != lines)
				g_string_append(o, "<br/>");
			report_esc(o, *l);
		}
		g_string_append(o, "</div>");
	}
	g_string_append(o, "</div>\n");
}
