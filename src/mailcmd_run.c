/*
 * mailcmd_run.c: running an authorised command mail (mailcmd.h) inside the
 * transaction that stores it, and building the one answer to the sender.
 * The verbs that change requests go through action_run, so a command by
 * mail validates and logs exactly as the command line does.
 */
#include <stdlib.h>
#include <string.h>
#include "actions.h"
#include "log.h"
#include "mailcmd.h"
#include "reply.h"
#include "report.h"
#include "stats.h"
#include "store_report.h"
#include "viewfmt.h"
#include "vocab.h"

/* Every spelling of each month, French and German, lower case. */
static const char *const month_names[12] = {
	"janvier januar jänner janner",
	"février fevrier februar feber",
	"mars märz maerz marz",
	"avril april",
	"mai",
	"juin juni",
	"juillet juli",
	"août aout august",
	"septembre september",
	"octobre oktober",
	"novembre november",
	"décembre decembre dezember",
};

/* Time kinds written in German or with accents, as the action table names them. */
static const struct {
	const char	*word, *kind;
} time_kinds[] = {
	{ "gespräch", "entretien" }, { "gespraech", "entretien" }, { "beratung", "entretien" },
	{ "sprechstunde", "permanence" }, { "telefon", "telephone" },
	{ "téléphone", "telephone" }, { "e-mail", "courriel" }, { "email", "courriel" },
	{ "mail", "courriel" }, { "sitzung", "seance" }, { "séance", "seance" },
	{ "projekt", "projet" }, { "weiterbildung", "formation" },
};

/* Month 1..12 of a name or an unambiguous prefix of 3+ letters ("janv."); 0 if none. */
static int
month_of(const char *word)
{
	g_autofree char *w = g_utf8_strdown(word, -1);
	gsize n = strlen(w);
	int found = 0;

	while (n > 0 && w[n - 1] == '.')
		w[--n] = '\0';
	if (g_utf8_strlen(w, -1) < 3)
		return 0;
	for (int m = 0; m < 12; m++) {
		g_auto(GStrv) names = g_strsplit(month_names[m], " ", -1);

		for (char **x = names; *x != NULL; x++) {
			if (strcmp(*x, w) == 0)
				return m + 1;
			if (g_str_has_prefix(*x, w)) {
				if (found != 0 && found != m + 1)
					return 0;	/* "jui": juin or juillet */
				found = m + 1;
			}
		}
	}
	return found;
}

static gboolean
all_digits(const char *s, gsize min, gsize max)
{
	gsize n = strlen(s);

	if (n < min || n > max)
		return FALSE;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isdigit(*p))
			return FALSE;
	return TRUE;
}

static gint64
local_unix(GTimeZone *tz, int y, int m)
{
	g_autoptr(GDateTime) d = g_date_time_new(tz, y, m, 1, 0, 0, 0);

	return d != NULL ? g_date_time_to_unix(d) : 0;
}

gboolean
mailcmd_period(GPtrArray *words, GTimeZone *tz, gint64 now, gint64 *from, gint64 *to,
    char **name, char **stem, GError **err)
{
	g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc(now);
	g_autoptr(GDateTime) n = g_date_time_to_timezone(u, tz);
	int cy = g_date_time_get_year(n), cm = g_date_time_get_month(n);
	int y = 0, m = 0;
	guint nw = words != NULL ? words->len : 0;
	const char *a = nw > 0 ? g_ptr_array_index(words, 0) : NULL;
	const char *b = nw > 1 ? g_ptr_array_index(words, 1) : NULL;

	if (nw == 0) {
		y = cy;
		m = cm;
	} else if (nw == 1 && all_digits(a, 4, 4)) {
		y = atoi(a);
	} else if (nw == 1 && strlen(a) >= 6 && strlen(a) <= 7 && a[4] == '-' &&
	    g_ascii_isdigit(a[0])) {
		y = atoi(a);
		m = all_digits(a + 5, 1, 2) ? atoi(a + 5) : 0;
		if (m == 0)
			y = 0;
	} else if (nw == 1 && (strchr(a, '.') != NULL || strchr(a, '/') != NULL) &&
	    g_ascii_isdigit(a[0])) {
		const char *sep = strpbrk(a, "./");
		g_autofree char *mm = g_strndup(a, sep - a);

		if (all_digits(mm, 1, 2) && all_digits(sep + 1, 4, 4)) {
			m = atoi(mm);
			y = atoi(sep + 1);
		}
	} else if (nw == 1 && (m = month_of(a)) != 0) {
		y = m <= cm ? cy : cy - 1;	/* the last such month begun */
	} else if (nw == 2) {
		if ((m = month_of(a)) != 0 && all_digits(b, 4, 4))
			y = atoi(b);
		else if ((m = month_of(b)) != 0 && all_digits(a, 4, 4))
			y = atoi(a);
	}
	if (y < 2000 || y > 2999 || m < 0 || m > 12) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
		    "période inconnue (un mois comme « mars », « mars 2026 », « 2026-03 », "
		    "ou une année « 2026 »)");
		return FALSE;
	}
	if (m == 0) {
		*from = local_unix(tz, y, 1);
		*to = local_unix(tz, y + 1, 1);
		*name = g_strdup_printf("%d", y);
		*stem = g_strdup_printf("%04d", y);
	} else {
		*from = local_unix(tz, y, m);
		*to = m == 12 ? local_unix(tz, y + 1, 1) : local_unix(tz, y, m + 1);
		*name = g_strdup_printf("%s %d", vocab_month_fr(m), y);
		*stem = g_strdup_printf("%04d-%02d", y, m);
	}
	return TRUE;
}

/* text as an HTML <pre> block, wrapped on a narrow screen (no sideways scrolling); g_free. */
static char *
mailcmd_pre_html(const char *text)
{
	g_autofree char *esc = g_markup_escape_text(text, -1);

	return g_strdup_printf("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/>"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
	    "</head><body><pre style=\"font-family:Menlo,Consolas,'DejaVu Sans Mono',"
	    "monospace;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere\">%s</pre>"
	    "</body></html>\n", esc);
}

/* What the answer is made of; attachments own their data. */
struct answer {
	GString		*text;
	GPtrArray	*parts;		/* struct mail_part * */
	GPtrArray	*data;		/* GString *: the attachments' bytes */
};

static void
attach(struct answer *a, const char *filename, const char *type, GString *data)
{
	struct mail_part *p = g_new0(struct mail_part, 1);

	p->filename = g_strdup(filename);
	p->content_type = type;
	p->data = (const guint8 *)data->str;
	p->len = data->len;
	g_ptr_array_add(a->data, data);
	g_ptr_array_add(a->parts, p);
}

static void
part_free(gpointer p)
{
	struct mail_part *m = p;

	g_free((char *)m->filename);
	g_free(m);
}

static void
string_free(gpointer s)
{
	g_string_free(s, TRUE);
}

/* Append text with each line indented by three spaces. */
static void
indent(GString *o, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = g_strv_length(lines);

	if (n > 0 && *lines[n - 1] == '\0')
		n--;
	for (guint i = 0; i < n; i++)
		g_string_append_printf(o, "%s%s\n", *lines[i] != '\0' ? "   " : "", lines[i]);
}

static void
not_done(struct answer *a, const struct mailcmd *c, const char *why)
{
	g_string_append_printf(a->text, "   Non fait : %s\n", why);
	if (c->verb != NULL)
		g_string_append_printf(a->text, "   Forme correcte : #%s%s%s\n", c->word,
		    *c->verb->form ? " " : "", c->verb->form);
}

static void
help(GString *o)
{
	g_string_append(o, "   Commandes (une par ligne, au début de la ligne, en français ou en "
	    "allemand) :\n");
	for (const struct mailverb *v = mailverb_table(); v->fr != NULL; v++) {
		const char *de = strrchr(v->names, ' ');

		g_string_append_printf(o, "   - #%s%s%s : %s", v->fr, *v->form ? " " : "",
		    v->form, v->help);
		if (de != NULL && g_strcmp0(de + 1, v->fr) != 0)
			g_string_append_printf(o, " (de : #%s)", de + 1);
		g_string_append_c(o, '\n');
	}
	g_string_append(o, "   Exemples : #fermer CHI-2026-0042 / #domaine CHI-2026-0042 langue / "
	    "#temps 45 entretien CHI-2026-0042 / #stats mars / #rapport 2026\n");
}

/* A verb of the action table; FALSE only for a store failure. */
static gboolean
run_action(struct store *st, const struct setup *setup, const struct mailcmd *c,
    struct answer *a, GError **err)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) out = g_string_new(NULL);
	GError *e = NULL;

	for (guint i = 0; i < c->args->len; i++) {
		const char *w = g_ptr_array_index(c->args, i);

		if (c->verb->kind == MV_LABEL && i == 1) {
			/* "#commune REF Saint-Léonard": the rest is the value */
			g_autoptr(GString) v = g_string_new(NULL);

			for (guint k = 1; k < c->args->len; k++)
				g_string_append_printf(v, "%s%s", k > 1 ? " " : "",
				    (const char *)g_ptr_array_index(c->args, k));
			g_ptr_array_add(argv, g_strdup_printf("%s=%s", c->verb->field, v->str));
			break;
		}
		if (strcmp(c->verb->action, "time") == 0) {
			g_autofree char *low = g_utf8_strdown(w, -1);

			for (guint k = 0; k < G_N_ELEMENTS(time_kinds); k++)
				if (strcmp(low, time_kinds[k].word) == 0)
					w = time_kinds[k].kind;
		}
		g_ptr_array_add(argv, g_strdup(w));
	}
	if (action_run(st, setup, c->verb->action, (int)argv->len, (char **)argv->pdata,
	    out, &e)) {
		indent(a->text, out->len > 0 ? out->str : "Fait.\n");
		return TRUE;
	}
	if (e->code == GUICHET_ERROR_STORE) {
		g_propagate_error(err, e);
		return FALSE;
	}
	not_done(a, c, g_str_has_prefix(e->message, "forme attendue") ? "il manque des mots, "
	    "ou il y en a de trop" : e->message);
	g_error_free(e);
	return TRUE;
}

/* #rapport YYYY: the annual report and the canton export, attached. */
static gboolean
run_report(struct store *st, const struct setup *setup, const struct mailcmd *c,
    gint64 now, struct answer *a, GError **err)
{
	g_autoptr(GTimeZone) tz = view_tz(setup->cfg);
	g_autofree char *ys = view_time(now, tz, "%Y");
	const char *arg = c->args->len == 1 ? g_ptr_array_index(c->args, 0) : "";
	int year = all_digits(arg, 4, 4) ? atoi(arg) : 0;
	GString *html, *csv;
	g_autoptr(GString) kpis = g_string_new(NULL);
	g_autofree char *fh = NULL, *fc = NULL;

	if (year < 2000 || year > atoi(ys)) {
		not_done(a, c, "il faut une année, jusqu'à l'année en cours");
		return TRUE;
	}
	html = g_string_new(NULL);
	csv = g_string_new(NULL);
	if (!report_render(st, setup, year, now, html, kpis, err) ||
	    !export_render(st, setup, year, "csv", csv, err)) {
		g_string_free(html, TRUE);
		g_string_free(csv, TRUE);
		return FALSE;
	}
	fh = g_strdup_printf("rapport-%d.html", year);
	fc = g_strdup_printf("export-canton-%d.csv", year);
	g_string_append_printf(a->text, "   Rapport d'activité %d joint (%s, à ouvrir dans un "
	    "navigateur, imprimable en PDF), avec l'export pour le canton (%s).\n\n", year,
	    fh, fc);
	indent(a->text, kpis->str);
	attach(a, fh, "text/html; charset=utf-8", html);
	attach(a, fc, "text/csv; charset=utf-8", csv);
	return TRUE;
}

/* #stats PERIOD: the stats tables in the body, the CSV attached. */
static gboolean
run_stats(struct store *st, const struct setup *setup, const struct mailcmd *c,
    gint64 now, struct answer *a, GError **err)
{
	g_autoptr(GTimeZone) tz = view_tz(setup->cfg);
	g_autofree char *name = NULL, *stem = NULL, *fn = NULL;
	g_autoptr(GString) table = g_string_new(NULL);
	GString *csv;
	gint64 from, to;
	GError *e = NULL;

	if (!mailcmd_period(c->args, tz, now, &from, &to, &name, &stem, &e)) {
		not_done(a, c, e->message);
		g_error_free(e);
		return TRUE;
	}
	csv = g_string_new(NULL);
	if (!stats_render(st, setup, from, to, "table", table, err) ||
	    !stats_render(st, setup, from, to, "csv", csv, err)) {
		g_string_free(csv, TRUE);
		return FALSE;
	}
	fn = g_strdup_printf("stats-%s.csv", stem);
	g_string_append_printf(a->text, "   Chiffres de %s (tableau CSV joint : %s)\n\n",
	    name, fn);
	indent(a->text, table->str);
	attach(a, fn, "text/csv; charset=utf-8", csv);
	return TRUE;
}

/* Is line the end of a comment: another command, a signature, a quote? */
static gboolean
comment_end(const char *line)
{
	const char *p = line;
	gsize n;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '>' || strcmp(line, "-- ") == 0 || strcmp(line, "--") == 0)
		return TRUE;
	if (*p == '#' && g_unichar_isalpha(g_utf8_get_char(p + 1))) {
		g_autofree char *w = g_strndup(p + 1, strcspn(p + 1, " \t"));

		if (mailverb_find(w) != NULL)
			return TRUE;
	}
	/* "Le 07.12.2026, guichet a écrit :", "Am ... schrieb ...:" */
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\r'))
		n--;
	return n > 0 && p[n - 1] == ':' && (strstr(p, " a écrit") != NULL ||
	    strstr(p, " schrieb") != NULL || strstr(p, " wrote") != NULL);
}

/* #commentaire YYYY and the lines below it: the year's report comment. */
static gboolean
run_comment(struct store *st, const struct setup *setup, const struct request *r,
    const struct mailcmd *c, gint64 now, struct answer *a, GError **err)
{
	g_autoptr(GTimeZone) tz = view_tz(setup->cfg);
	g_autofree char *ys = view_time(now, tz, "%Y");
	const char *arg = c->args->len >= 1 ? g_ptr_array_index(c->args, 0) : "";
	int year = all_digits(arg, 4, 4) ? atoi(arg) : 0;
	const char *text = r->text_clean != NULL && *r->text_clean != '\0' ?
	    r->text_clean : r->text;
	g_auto(GStrv) lines = g_strsplit(text != NULL ? text : "", "\n", -1);
	g_autoptr(GString) body = g_string_new(NULL);
	gboolean in = FALSE;

	if (year < 2000 || year > atoi(ys) + 1) {
		not_done(a, c, "il faut l'année du rapport, par exemple « #commentaire 2026 »");
		return TRUE;
	}
	for (char **l = lines; *l != NULL; l++) {
		g_autofree char *t = g_strdup(*l);

		g_strchomp(t);
		if (!in) {
			if (strstr(t, c->line) != NULL) {
				/* words after the year on the same line start the text */
				const char *rest = strstr(t, arg);

				in = TRUE;
				if (rest != NULL && *(rest += strlen(arg)) != '\0') {
					while (*rest == ' ')
						rest++;
					if (*rest != '\0')
						g_string_append_printf(body, "%s\n", rest);
				}
			}
			continue;
		}
		if (comment_end(t))
			break;
		g_string_append_printf(body, "%s\n", t);
	}
	g_strstrip(body->str);
	g_string_set_size(body, strlen(body->str));
	if (body->len > 20000) {
		not_done(a, c, "le commentaire est trop long (20 000 caractères au plus)");
		return TRUE;
	}
	if (!store_comment_set(st, year, body->str, err))
		return FALSE;
	if (body->len == 0)
		g_string_append_printf(a->text, "   Commentaire du rapport %d effacé.\n", year);
	else
		g_string_append_printf(a->text, "   Commentaire du rapport %d enregistré "
		    "(%ld caractères) ; il remplace le précédent et paraît dans le rapport "
		    "(#rapport %d).\n", year, (long)g_utf8_strlen(body->str, -1), year);
	return TRUE;
}

/* "Re: subject" without the secret token; "Re: commandes" without a subject. */
static char *
answer_subject(const struct setup *setup, const struct request *r)
{
	g_autofree char *secret = config_read_command_secret(setup->cfg, NULL);
	g_autoptr(GString) s = g_string_new(r->subject != NULL ? r->subject : "");
	gchar *p;

	if (secret != NULL && *secret != '\0') {
		g_autofree char *tok = g_strdup_printf("[%s]", secret);
		g_autofree char *low = NULL, *ltok = g_ascii_strdown(tok, -1);

		for (;;) {
			g_free(low);
			low = g_ascii_strdown(s->str, -1);
			if ((p = strstr(low, ltok)) == NULL)
				break;
			g_string_erase(s, p - low, (gssize)strlen(tok));
		}
		memset(secret, 0, strlen(secret));
	}
	g_strstrip(s->str);
	g_string_set_size(s, strlen(s->str));
	if (s->len == 0)
		return g_strdup("Re: commandes");
	if (g_ascii_strncasecmp(s->str, "re:", 3) == 0)
		return g_strdup(s->str);
	return g_strdup_printf("Re: %s", s->str);
}

gboolean
mailcmd_run(struct store *st, const struct setup *setup, const struct request *r,
    gint64 now, struct outmail **answer, GError **err)
{
	g_autoptr(GPtrArray) cmds = mailcmd_detect(r);
	g_autoptr(GTimeZone) tz = view_tz(setup->cfg);
	g_autofree char *when = view_time(r->date > 0 ? r->date : now, tz, "%d.%m.%Y %H:%M");
	g_autofree char *subject = NULL, *html = NULL;
	struct answer a;
	gboolean ok = TRUE;

	*answer = NULL;
	a.text = g_string_new(NULL);
	a.parts = g_ptr_array_new_with_free_func(part_free);
	a.data = g_ptr_array_new_with_free_func(string_free);
	g_string_append_printf(a.text, "Bonjour,\n\nVoici ce que le guichet a fait des commandes "
	    "de votre message du %s :\n\n", when);
	for (guint i = 0; ok && cmds != NULL && i < cmds->len; i++) {
		const struct mailcmd *c = g_ptr_array_index(cmds, i);
		gsize start;

		g_string_append_printf(a.text, "%u. %s\n", i + 1, c->line);
		start = a.text->len;
		if (c->verb == NULL) {
			g_string_append_printf(a.text, "   Non fait : commande inconnue "
			    "« #%s ». La liste des commandes : #aide (ou #hilfe)\n", c->word);
		} else if (c->verb->kind == MV_HELP) {
			help(a.text);
		} else if (c->verb->kind == MV_REPORT) {
			ok = run_report(st, setup, c, now, &a, err);
		} else if (c->verb->kind == MV_STATS) {
			ok = run_stats(st, setup, c, now, &a, err);
		} else if (c->verb->kind == MV_COMMENT) {
			ok = run_comment(st, setup, r, c, now, &a, err);
		} else
			ok = run_action(st, setup, c, &a, err);
		/* One log line per command, in words a system administrator reads. */
		if (ok)
			log_info("command from %s: %s: %s", r->from_addr != NULL ? r->from_addr : "?",
			    c->line, strstr(a.text->str + start, "Non fait : ") != NULL ?
			    "not done (the answer says why)" : "done");
		g_string_append_c(a.text, '\n');
	}
	if (ok) {
		g_string_append_printf(a.text, "Toutes les commandes et leur forme : #aide "
		    "(ou #hilfe), sur une ligne à elle seule.\n\n-- \nLe guichet, %s\n",
		    setup->cfg->org_name != NULL ? setup->cfg->org_name : "");
		subject = answer_subject(setup, r);
		html = mailcmd_pre_html(a.text->str);
		*answer = mail_build(setup->cfg, REPLY_COMMAND, r->from_addr, subject, a.text->str,
		    html, a.parts, r->message_id, err);
		ok = *answer != NULL;
	}
	g_string_free(a.text, TRUE);
	g_ptr_array_unref(a.parts);
	g_ptr_array_unref(a.data);
	return ok;
}
