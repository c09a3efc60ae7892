/*
 * digest_render.c: the digest as plain text and as HTML with inline CSS
 * (mail programs drop <style>; tables hold the counts for old clients),
 * narrow enough for a phone.  French throughout.
 */
#include <string.h>
#include "digest.h"
#include "labels.h"
#include "kind.h"
#include "report.h"
#include "store_kind.h"
#include "viewfmt.h"
#include "vocab.h"

#define C_BLUE	"#1f5f99"
#define C_RED	"#b3261e"
#define C_TEXT	"#1c2430"
#define C_MUTED	"#55626f"
#define C_LINE	"#dde3ea"

/* "vendredi 27 novembre 2026, 07:00" (with_time) in tz. */
static char *
fr_date(gint64 t, GTimeZone *tz, gboolean with_time)
{
	g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc(t);
	g_autoptr(GDateTime) l = g_date_time_to_timezone(u, tz);

	if (with_time)
		return g_strdup_printf("%s %d %s %d, %02d:%02d",
		    vocab_weekday("fr", g_date_time_get_day_of_week(l)),
		    g_date_time_get_day_of_month(l), vocab_month_fr(g_date_time_get_month(l)), g_date_time_get_year(l),
		    g_date_time_get_hour(l), g_date_time_get_minute(l));
	return g_strdup_printf("%s %d %s %d", vocab_weekday("fr", g_date_time_get_day_of_week(l)),
	    g_date_time_get_day_of_month(l), vocab_month_fr(g_date_time_get_month(l)),
	    g_date_time_get_year(l));
}

/* One line of printable text (no control characters), "" for NULL. */
static char *
clean1(const char *s)
{
	char *v = g_utf8_make_valid(s != NULL ? s : "", -1);

	for (char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return g_strstrip(v);
}

static const char *
domain_fr(const struct digest *d, const char *code)
{
	return label_domain(d->setup, code);
}

/* "migrant · Sierre · tigrinya · Permis de séjour" */
static char *
labels(const struct digest *d, const struct digest_req *r)
{
	GString *o = g_string_new(label_requester(d->setup, r->requester));

	if (r->commune != NULL)
		g_string_append_printf(o, " · %s", r->commune);
	g_string_append_printf(o, " · %s", label_language(r->language));
	if (r->topic != NULL)
		g_string_append_printf(o, " · %s", label_topic(d->setup, r->topic));
	return g_string_free(o, FALSE);
}

char *
digest_subject(const struct digest *d)
{
	g_autofree char *day = view_time(d->until, d->tz, "%d.%m.%Y");

	if (digest_empty(d))
		return g_strdup_printf("Guichet : résumé du %s, rien de nouveau", day);
	if (d->urgent > 0)
		return g_strdup_printf("Guichet : résumé du %s, %u nouvelle%s demande%s "
		    "dont %ld urgente%s", day, d->fresh->len, d->fresh->len > 1 ? "s" : "",
		    d->fresh->len > 1 ? "s" : "", (long)d->urgent, d->urgent > 1 ? "s" : "");
	return g_strdup_printf("Guichet : résumé du %s, %u nouvelle%s demande%s", day,
	    d->fresh->len, d->fresh->len > 1 ? "s" : "", d->fresh->len > 1 ? "s" : "");
}

/* The counts, one per line: (number, text). */
static void
counts(const struct digest *d, gint64 n[5], const char *label[5])
{
	n[0] = d->fresh->len;
	label[0] = d->fresh->len > 1 ? "nouvelles demandes" : "nouvelle demande";
	n[1] = d->waiting_total;
	label[1] = d->waiting_total > 1 ? "en attente d'une réponse" : "en attente d'une réponse";
	n[2] = digest_followups_count(d);
	label[2] = n[2] > 1 ? "relances reçues" : "relance reçue";
	n[3] = d->failed->len;
	label[3] = d->failed->len > 1 ? "envois échoués" : "envoi échoué";
	n[4] = d->quarantined->len;
	label[4] = "en quarantaine";
}

static void
text_req(GString *o, const struct digest *d, const struct digest_req *r, const char *when)
{
	g_autofree char *lab = labels(d, r), *subj = clean1(r->subject);

	g_string_append_printf(o, "* %s — %s%s\n  %s\n", r->ref, when,
	    r->urgent ? " — URGENT" : "", lab);
	if (*subj)
		g_string_append_printf(o, "  Sujet : %s\n", subj);
	if (r->excerpt != NULL) {
		g_auto(GStrv) lines = g_strsplit(r->excerpt, "\n", -1);

		for (char **l = lines; *l != NULL; l++)
			g_string_append_printf(o, "  | %s\n", *l);
	}
	if (r->further > 0)
		g_string_append_printf(o, "  + %ld autre%s message%s de cet expéditeur, joint%s à "
		    "cette demande (trop de messages en peu de temps)\n", (long)r->further,
		    r->further > 1 ? "s" : "", r->further > 1 ? "s" : "", r->further > 1 ? "s" : "");
	g_string_append_printf(o, "  Réponse : %s\n", r->reply);
	digest_more_text(d, r, o);
	g_string_append_c(o, '\n');
}

#define NOT_COUNTED_MAX	50	/* lines listed; the rest are counted by kind */

/* "12 messages automatiques, 3 pourriels" for the mail of d not counted. */
static char *
not_counted_summary(const struct digest *d)
{
	guint n[MAIL_KIND_N] = { 0 };
	GString *o = g_string_new(NULL);

	for (guint i = 0; i < d->not_counted->len; i++) {
		const struct kind_row *k = g_ptr_array_index(d->not_counted, i);

		if ((unsigned)k->kind < MAIL_KIND_N)
			n[k->kind]++;
	}
	for (int k = 0; k < MAIL_KIND_N; k++)
		if (n[k] > 0)
			g_string_append_printf(o, "%s%u × %s", o->len ? ", " : "", n[k],
			    mail_kind_fr((enum mail_kind)k));
	return g_string_free(o, FALSE);
}

/* "n° 123 — 07.12.2026 10:02 — message automatique — from — « subject » — why" */
static char *
not_counted_line(const struct digest *d, const struct kind_row *k)
{
	g_autofree char *when = view_time(k->received, d->tz, "%d.%m.%Y %H:%M");
	g_autofree char *subj = clean1(k->subject), *why = clean1(kind_reason_fr(k->reason));

	return g_strdup_printf("n° %ld — %s — %s%s%s — %s — « %s » — %s", (long)k->id, when,
	    mail_kind_fr(k->kind), k->ref ? " " : "", k->ref ? k->ref : "",
	    k->from ? k->from : "expéditeur inconnu", subj, why);
}

char *
digest_text(const struct digest *d)
{
	GString *o = g_string_new(NULL);
	g_autofree char *until = fr_date(d->until, d->tz, TRUE);
	g_autofree char *since = fr_date(d->since, d->tz, TRUE);
	const char *org = d->setup->cfg->org_name ? d->setup->cfg->org_name : "";
	const char *group = NULL;
	g_autofree char *urgent_of = g_strdup_printf(", dont %ld urgente%s", (long)d->urgent,
	    d->urgent > 1 ? "s" : "");
	gint64 n[5];
	const char *label[5];

	if (digest_empty(d)) {
		g_string_append_printf(o, "Rien de nouveau depuis le %s", since);
		if (d->waiting_total > 0)
			g_string_append_printf(o, " ; %ld demande%s en attente d'une réponse",
			    (long)d->waiting_total, d->waiting_total > 1 ? "s" : "");
		g_string_append(o, ".\n");
		return g_string_free(o, FALSE);
	}
	g_string_append_printf(o, "Guichet intégration – %s\nRésumé du %s\nDepuis le %s\n\n",
	    org, until, since);
	counts(d, n, label);
	for (int i = 0; i < 5; i++)
		g_string_append_printf(o, "  %5ld %s%s\n", (long)n[i], label[i],
		    i == 0 && d->urgent ? urgent_of : "");
	digest_refused_text(d, o);
	for (guint i = 0; i < d->fresh->len; i++) {
		const struct digest_req *r = g_ptr_array_index(d->fresh, i);
		g_autofree char *when = view_time(r->created, d->tz, "%d.%m.%Y %H:%M");

		if (i == 0 && r->urgent)
			g_string_append_printf(o, "\n== URGENT (%ld) ==\n\n", (long)d->urgent);
		if (!r->urgent && (group == NULL || strcmp(group, r->domain) != 0)) {
			guint k = 0;

			if (group == NULL)
				g_string_append(o, "\n== NOUVELLES DEMANDES PAR DOMAINE ==\n");
			for (guint j = i; j < d->fresh->len; j++) {
				const struct digest_req *x = g_ptr_array_index(d->fresh, j);

				if (strcmp(x->domain, r->domain) != 0)
					break;
				k++;
			}
			g_string_append_printf(o, "\n-- %s (%u) --\n\n", domain_fr(d, r->domain), k);
			group = r->domain;
		}
		text_req(o, d, r, when);
	}
	if (d->waiting->len > 0) {
		g_string_append(o, "\n== TOUJOURS EN ATTENTE D'UNE RÉPONSE (les urgentes, puis "
		    "les plus anciennes) ==\n\n");
		for (guint i = 0; i < d->waiting->len; i++) {
			const struct digest_req *r = g_ptr_array_index(d->waiting, i);
			g_autofree char *when = view_time(r->created, d->tz, "%d.%m.%Y");
			g_autofree char *age = view_age(d->until - r->created);
			g_autofree char *subj = clean1(r->subject);

			g_string_append_printf(o, "* %s%s — reçue le %s, attend depuis %s — %s%s%s%s\n",
			    r->ref, r->urgent ? " — URGENT" : "", when, age, domain_fr(d, r->domain),
			    *subj ? " — « " : "", subj, *subj ? " »" : "");
		}
		if (d->waiting_total > (gint64)d->waiting->len)
			g_string_append_printf(o, "  (en tout %ld demandes ouvertes, y compris celles "
			    "listées plus haut)\n", (long)d->waiting_total);
	}
	if (d->followups->len > 0) {
		g_string_append(o, "\n== RELANCES REÇUES ==\n\n");
		for (guint i = 0; i < d->followups->len; i++) {
			const struct digest_req *r = g_ptr_array_index(d->followups, i);
			g_autofree char *when = view_time(r->created, d->tz, "%d.%m.%Y %H:%M");
			g_autofree char *w = g_strdup_printf("relance du %s", when);

			text_req(o, d, r, w);
		}
	}
	if (d->failed->len > 0) {
		g_string_append(o, "\n== ENVOIS ÉCHOUÉS ==\n\n");
		for (guint i = 0; i < d->failed->len; i++) {
			const struct digest_fail *f = g_ptr_array_index(d->failed, i);
			g_autofree char *ans = clean1(f->answer);

			g_string_append_printf(o, "* %s à %s%s%s — %s\n", vocab_fr(f->kind),
			    f->rcpt ? f->rcpt : "?", f->ref ? " — " : "", f->ref ? f->ref : "",
			    *ans ? ans : "sans réponse du serveur");
		}
	}
	if (d->quarantined->len > 0) {
		g_string_append(o, "\n== COURRIELS EN QUARANTAINE ==\n\n");
		for (guint i = 0; i < d->quarantined->len; i++) {
			const struct digest_quar *q = g_ptr_array_index(d->quarantined, i);
			g_autofree char *when = view_time(q->received, d->tz, "%d.%m.%Y %H:%M");
			g_autofree char *subj = clean1(q->subject), *why = clean1(q->reason);

			g_string_append_printf(o, "* %s — %s — « %s » — %s\n", when,
			    q->from ? q->from : "expéditeur inconnu", subj, why);
		}
	}
	if (d->not_counted->len > 0) {
		g_string_append_printf(o, "\n== NON COMPTÉS COMME DEMANDES (%u) ==\n\n",
		    d->not_counted->len);
		g_autofree char *sum = not_counted_summary(d);

		g_string_append_printf(o, "%s\n\n", sum);
		for (guint i = 0; i < d->not_counted->len && i < NOT_COUNTED_MAX; i++) {
			g_autofree char *l = not_counted_line(d, g_ptr_array_index(d->not_counted, i));

			g_string_append_printf(o, "* %s\n", l);
		}
		if (d->not_counted->len > NOT_COUNTED_MAX)
			g_string_append_printf(o, "  (et %u autres)\n",
			    d->not_counted->len - NOT_COUNTED_MAX);
		g_string_append(o, "\nPour compter l'un d'eux comme demande, répondez par exemple "
		    "« #demande 123 »\n(avec « accuser » à la fin pour envoyer aussi l'accusé de "
		    "réception).\n");
	}
	g_string_append(o, "\n-- \nPour agir, répondez à ce message avec une commande par ligne,\n"
	    "par exemple « #voir RÉF » pour le détail d'une demande, « #fermer RÉF »,\n"
	    "« #temps 45 entretien RÉF » ; la liste des commandes : « #aide ».\n");
	return g_string_free(o, FALSE);
}

static void
esc(GString *o, const char *s)
{
	report_esc(o, s);
}

static void
h_section(GString *o, const char *title, gint64 n, const char *color)
{
	g_string_append_printf(o, "<h2 style=\"font-size:17px;margin:22px 0 10px;padding-bottom:4px;"
	    "color:%s;border-bottom:2px solid %s;\">", color, color);
	esc(o, title);
	if (n >= 0)
		g_string_append_printf(o, " (%ld)", (long)n);
	g_string_append(o, "</h2>\n");
}

static void
h_req(GString *o, const struct digest *d, const struct digest_req *r, const char *when)
{
	g_autofree char *lab = labels(d, r), *subj = clean1(r->subject);
	const char *edge = r->urgent ? C_RED : C_BLUE;

	g_string_append_printf(o, "<div style=\"border:1px solid " C_LINE ";border-left:4px solid %s;"
	    "border-radius:4px;padding:9px 12px;margin:0 0 10px;background:#ffffff;\">\n"
	    "<div style=\"font-size:15px;\"><strong style=\"font-family:Consolas,Menlo,monospace;"
	    "color:%s;\">", edge, edge);
	esc(o, r->ref);
	g_string_append(o, "</strong> <span style=\"color:" C_MUTED ";font-size:13px;\">");
	esc(o, when);
	g_string_append(o, "</span>");
	if (r->urgent)
		g_string_append(o, " <span style=\"background:" C_RED ";color:#ffffff;font-size:11px;"
		    "font-weight:bold;padding:1px 6px;border-radius:3px;\">URGENT</span>");
	g_string_append(o, "</div>\n<div style=\"font-size:13px;color:" C_MUTED ";\">");
	esc(o, lab);
	g_string_append(o, "</div>\n");
	if (*subj) {
		g_string_append(o, "<div dir=\"auto\" style=\"font-weight:bold;margin-top:5px;\">");
		esc(o, subj);
		g_string_append(o, "</div>\n");
	}
	if (r->excerpt != NULL) {
		g_auto(GStrv) lines = g_strsplit(r->excerpt, "\n", -1);

		g_string_append(o, "<div dir=\"auto\" style=\"font-size:14px;color:#33404f;border-left:3px solid "
		    C_LINE ";padding-left:9px;margin:5px 0;\">");
		for (char **l = lines; *l != NULL; l++) {
			if (l != lines)
				g_string_append(o, "<br/>");
			esc(o, *l);
		}
		g_string_append(o, "</div>\n");
	}
	if (r->further > 0) {
		g_autofree char *t = g_strdup_printf("+ %ld autre%s message%s de cet expéditeur, "
		    "joint%s à cette demande (trop de messages en peu de temps)", (long)r->further,
		    r->further > 1 ? "s" : "", r->further > 1 ? "s" : "", r->further > 1 ? "s" : "");

		g_string_append(o, "<div style=\"font-size:13px;\">");
		esc(o, t);
		g_string_append(o, "</div>\n");
	}
	g_string_append(o, "<div style=\"font-size:13px;color:" C_MUTED ";\">Réponse : ");
	esc(o, r->reply);
	g_string_append(o, "</div>\n");
	digest_more_html(d, r, o);
	g_string_append(o, "</div>\n");
}

/* A simple row of a list section. */
static void
h_line(GString *o, const char *strong, const char *rest)
{
	g_string_append(o, "<div style=\"padding:6px 0;border-bottom:1px solid " C_LINE ";"
	    "font-size:14px;\">");
	if (strong != NULL) {
		g_string_append(o, "<strong style=\"font-family:Consolas,Menlo,monospace;\">");
		esc(o, strong);
		g_string_append(o, "</strong> ");
	}
	esc(o, rest);
	g_string_append(o, "</div>\n");
}

char *
digest_html(const struct digest *d)
{
	GString *o = g_string_new(NULL);
	g_autofree char *until = fr_date(d->until, d->tz, FALSE);
	g_autofree char *since = fr_date(d->since, d->tz, TRUE);
	g_autofree char *subject = digest_subject(d);
	const char *org = d->setup->cfg->org_name ? d->setup->cfg->org_name : "";
	const char *group = NULL;
	gint64 n[5];
	const char *label[5];

	g_string_append(o, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>");
	esc(o, subject);
	g_string_append(o, "</title>\n</head>\n<body style=\"margin:0;padding:0;background:#eef2f6;\">\n"
	    "<div style=\"max-width:640px;margin:0 auto;padding:12px;font-family:Arial,Helvetica,"
	    "sans-serif;font-size:15px;line-height:1.45;color:" C_TEXT ";\">\n"
	    "<div style=\"background:" C_BLUE ";color:#ffffff;padding:14px 16px;"
	    "border-radius:6px 6px 0 0;\">\n<div style=\"font-size:12px;text-transform:uppercase;"
	    "letter-spacing:1px;\">Guichet intégration · ");
	esc(o, org);
	g_string_append(o, "</div>\n<div style=\"font-size:21px;font-weight:bold;margin-top:2px;\">"
	    "Résumé du ");
	esc(o, until);
	g_string_append(o, "</div>\n<div style=\"font-size:13px;\">depuis le ");
	esc(o, since);
	g_string_append(o, "</div>\n</div>\n<div style=\"background:#ffffff;padding:12px 16px 16px;"
	    "border:1px solid " C_LINE ";border-top:none;border-radius:0 0 6px 6px;\">\n");
	if (digest_empty(d)) {
		g_autofree char *t = digest_text(d);

		g_string_append(o, "<p style=\"font-size:16px;margin:8px 0;\">");
		esc(o, g_strstrip(t));
		g_string_append(o, "</p>\n</div>\n</div>\n</body>\n</html>\n");
		return g_string_free(o, FALSE);
	}
	counts(d, n, label);
	/* The counts as a table: the one layout every mail program keeps. */
	g_string_append(o, "<table role=\"presentation\" width=\"100%\" cellspacing=\"0\" "
	    "cellpadding=\"0\" style=\"border-collapse:collapse;margin:4px 0 6px;\"><tr>\n");
	for (int i = 0; i < 5; i++) {
		const char *col = (i == 0 && d->urgent) || ((i == 3 || i == 4) && n[i] > 0) ?
		    C_RED : C_BLUE;

		g_string_append_printf(o, "<td style=\"text-align:center;padding:6px 2px;width:20%%;"
		    "vertical-align:top;\"><div style=\"font-size:24px;font-weight:bold;color:%s;\">"
		    "%ld</div><div style=\"font-size:11px;color:" C_MUTED ";line-height:1.2;\">",
		    col, (long)n[i]);
		esc(o, label[i]);
		if (i == 0 && d->urgent)
			g_string_append_printf(o, "<br/><span style=\"color:" C_RED ";font-weight:bold;\">"
			    "dont %ld urgente%s</span>", (long)d->urgent, d->urgent > 1 ? "s" : "");
		g_string_append(o, "</div></td>\n");
	}
	g_string_append(o, "</tr></table>\n");
	digest_refused_html(d, o);
	for (guint i = 0; i < d->fresh->len; i++) {
		const struct digest_req *r = g_ptr_array_index(d->fresh, i);
		g_autofree char *when = view_time(r->created, d->tz, "%d.%m.%Y %H:%M");

		if (i == 0 && r->urgent)
			h_section(o, "Urgent", d->urgent, C_RED);
		if (!r->urgent && (group == NULL || strcmp(group, r->domain) != 0)) {
			guint k = 0;

			for (guint j = i; j < d->fresh->len; j++) {
				const struct digest_req *x = g_ptr_array_index(d->fresh, j);

				if (strcmp(x->domain, r->domain) != 0)
					break;
				k++;
			}
			h_section(o, domain_fr(d, r->domain), k, C_BLUE);
			group = r->domain;
		}
		h_req(o, d, r, when);
	}
	if (d->waiting->len > 0) {
		h_section(o, "Toujours en attente d'une réponse", d->waiting->len, C_BLUE);
		g_string_append_printf(o, "<div style=\"font-size:12px;color:" C_MUTED ";\">Reçues avant "
		    "cette période, les urgentes puis les plus anciennes (%ld demandes ouvertes en tout).</div>\n",
		    (long)d->waiting_total);
		for (guint i = 0; i < d->waiting->len; i++) {
			const struct digest_req *r = g_ptr_array_index(d->waiting, i);
			g_autofree char *when = view_time(r->created, d->tz, "%d.%m.%Y");
			g_autofree char *age = view_age(d->until - r->created);
			g_autofree char *subj = clean1(r->subject);
			g_autofree char *rest = g_strdup_printf("%sattend depuis %s (reçue le %s) · %s%s%s",
			    r->urgent ? "URGENT · " : "", age, when, domain_fr(d, r->domain),
			    *subj ? " · " : "", subj);

			h_line(o, r->ref, rest);
		}
	}
	if (d->followups->len > 0) {
		h_section(o, "Relances reçues", d->followups->len, C_BLUE);
		for (guint i = 0; i < d->followups->len; i++) {
			const struct digest_req *r = g_ptr_array_index(d->followups, i);
			g_autofree char *when = view_time(r->created, d->tz, "relance du %d.%m.%Y %H:%M");

			h_req(o, d, r, when);
		}
	}
	if (d->failed->len > 0) {
		h_section(o, "Envois échoués", d->failed->len, C_RED);
		for (guint i = 0; i < d->failed->len; i++) {
			const struct digest_fail *f = g_ptr_array_index(d->failed, i);
			g_autofree char *ans = clean1(f->answer);
			g_autofree char *rest = g_strdup_printf("%s à %s — %s", vocab_fr(f->kind),
			    f->rcpt ? f->rcpt : "?", *ans ? ans : "sans réponse du serveur");

			h_line(o, f->ref, rest);
		}
	}
	if (d->quarantined->len > 0) {
		h_section(o, "Courriels en quarantaine", d->quarantined->len, C_RED);
		for (guint i = 0; i < d->quarantined->len; i++) {
			const struct digest_quar *q = g_ptr_array_index(d->quarantined, i);
			g_autofree char *when = view_time(q->received, d->tz, "%d.%m.%Y %H:%M");
			g_autofree char *subj = clean1(q->subject), *why = clean1(q->reason);
			g_autofree char *rest = g_strdup_printf("%s · « %s » · %s",
			    q->from ? q->from : "expéditeur inconnu", subj, why);

			h_line(o, when, rest);
		}
	}
	if (d->not_counted->len > 0) {
		g_autofree char *sum = not_counted_summary(d);

		h_section(o, "Non comptés comme demandes", d->not_counted->len, C_MUTED);
		g_string_append(o, "<div style=\"font-size:13px;color:" C_MUTED ";\">");
		esc(o, sum);
		g_string_append(o, "</div>\n");
		for (guint i = 0; i < d->not_counted->len && i < NOT_COUNTED_MAX; i++) {
			const struct kind_row *k = g_ptr_array_index(d->not_counted, i);
			g_autofree char *when = view_time(k->received, d->tz, "%d.%m.%Y %H:%M");
			g_autofree char *subj = clean1(k->subject);
			g_autofree char *why = clean1(kind_reason_fr(k->reason));
			g_autofree char *head = g_strdup_printf("n° %ld", (long)k->id);
			g_autofree char *rest = g_strdup_printf("%s · %s%s%s · %s · « %s » · %s", when,
			    mail_kind_fr(k->kind), k->ref ? " " : "", k->ref ? k->ref : "",
			    k->from ? k->from : "expéditeur inconnu", subj, why);

			h_line(o, head, rest);
		}
		if (d->not_counted->len > NOT_COUNTED_MAX)
			g_string_append_printf(o, "<div style=\"font-size:13px;\">(et %u autres)</div>\n",
			    d->not_counted->len - NOT_COUNTED_MAX);
		g_string_append(o, "<div style=\"font-size:12px;color:" C_MUTED ";\">Pour compter "
		    "l'un d'eux comme demande, répondez par exemple <code>#demande 123</code> "
		    "(<code>#demande 123 accuser</code> envoie aussi l'accusé de réception).</div>\n");
	}
	g_string_append(o, "<p style=\"font-size:12px;color:" C_MUTED ";margin:18px 0 0;\">"
	    "Pour agir, répondez à ce message avec une commande par ligne, par exemple "
	    "<code>#voir RÉF</code> pour le détail d'une demande, <code>#fermer RÉF</code>, "
	    "<code>#temps 45 entretien RÉF</code> ; la liste des commandes : "
	    "<code>#aide</code>.</p>\n"
	    "</div>\n</div>\n</body>\n</html>\n");
	return g_string_free(o, FALSE);
}
