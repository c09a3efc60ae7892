/*
 * view.c: the reading verbs of the action table: list, show, timelog.
 * Plain text in French for a terminal or a reply mail.
 */
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include "actions_priv.h"
#include "labels.h"
#include "timefig.h"
#include "viewfmt.h"
#include "vocab.h"

/* The text of column i of the current row, NULL for NULL. */
#define col(c, i)	store_text((c), (i))

/* A status as written (French, German or English) -> its code, NULL if none. */
static const char *
status_code(const char *v)
{
	static const char *const names[][2] = {
		{ "open", "open" }, { "ouverte", "open" }, { "ouvertes", "open" },
		{ "offen", "open" }, { "answered", "answered" }, { "répondue", "answered" },
		{ "repondue", "answered" }, { "répondues", "answered" },
		{ "beantwortet", "answered" }, { "closed", "closed" }, { "fermée", "closed" },
		{ "fermee", "closed" }, { "fermées", "closed" }, { "geschlossen", "closed" },
	};
	g_autofree char *low = g_utf8_strdown(v, -1);

	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		if (strcmp(low, names[i][0]) == 0)
			return names[i][1];
	return NULL;
}

gboolean
view_list(struct actx *x, GError **err)
{
	const char *status = g_hash_table_lookup(x->opt, "status");
	const char *domain = g_hash_table_lookup(x->opt, "domain");
	const char *since = g_hash_table_lookup(x->opt, "since");
	const char *limit = g_hash_table_lookup(x->opt, "limit");
	static const char *const hdr[] = { "Réf.", "Reçue", "État", "Domaine",
	    "Demandeur", "Commune", "Langue", "Sujet" };
	struct vtable *t;
	struct store_cursor *s;
	gint64 from = 0, n = 0, lim = -1;
	gboolean ok;

	if (status != NULL && (status = status_code(status)) == NULL) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
		    "statut=%s : ouverte, répondue ou fermée (exemple : statut=ouverte)",
		    (const char *)g_hash_table_lookup(x->opt, "status"));
		return FALSE;
	}
	if (domain != NULL && ruleset_domain(x->setup->rules, domain) == NULL) {
		GPtrArray *all = ruleset_domains(x->setup->rules);
		g_autoptr(GString) v = g_string_new(NULL);

		for (guint i = 0; all != NULL && i < all->len; i++) {
			const struct domain_def *d = g_ptr_array_index(all, i);

			g_string_append_printf(v, "%s%s (%s)", v->len ? ", " : "", d->code,
			    label_domain(x->setup, d->code));
		}
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "domaine=%s : domaine inconnu ; valeurs possibles : %s", domain, v->str);
		return FALSE;
	}
	if (since != NULL && !view_parse_time(since, x->tz, FALSE, x->now, &from, err))
		return FALSE;
	if (limit != NULL) {
		char *end;

		lim = strtoll(limit, &end, 10);
		if (*end != '\0' || lim <= 0) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
			    "limite=%s : un nombre est attendu (exemple : limite=20)", limit);
			return FALSE;
		}
	}
	if ((s = store_view_requests(x->st, from, status, domain, lim, err)) == NULL)
		return FALSE;
	t = vtable_new(8, hdr);
	while (store_next(s)) {
		g_autofree char *when = view_time(store_int64(s, 1), x->tz,
		    "%Y-%m-%d %H:%M");
		g_autofree char *subject = view_cut(col(s, 7) ? col(s, 7) : "", 40);
		g_autofree char *ref = g_strdup_printf("%s%s", col(s, 0),
		    store_int(s, 8) ? " !" : "");
		const char *row[8] = { ref, when, vocab_fr(col(s, 2)),
		    label_domain(x->setup, col(s, 3)), label_requester(x->setup, col(s, 4)), col(s, 5),
		    label_language(col(s, 6)), subject };

		vtable_add(t, row);
		n++;
	}
	ok = store_cursor_end(s, err);
	if (n > 0)
		vtable_print(t, x->out);
	vtable_free(t);
	g_string_append_printf(x->out, "%ld demande%s%s\n", (long)n, n > 1 ? "s" : "",
	    n > 0 ? " (les urgentes d'abord, marquées !)" : "");
	return ok;
}

/* "label : value" lines, skipping empty values. */
static void
field(GString *o, const char *label, const char *v)
{
	if (v != NULL && *v != '\0')
		g_string_append_printf(o, "  %-14s %s\n", label, v);
}

static gboolean
show_messages(struct actx *x, gint64 id, GError **err)
{
	struct store_cursor *s = store_view_messages(x->st, id, err);
	int n = 0;

	if (s == NULL)
		return FALSE;
	while (store_next(s)) {
		g_autofree char *when = view_time(store_int64(s, 2), x->tz,
		    "%Y-%m-%d %H:%M");
		gboolean in = g_strcmp0(col(s, 0), "in") == 0;
		g_autofree char *from = NULL;

		if (col(s, 4) != NULL)
			from = col(s, 3) && *col(s, 3) ?
			    g_strdup_printf("%s <%s>", col(s, 3), col(s, 4)) : g_strdup(col(s, 4));
		g_string_append_printf(x->out, "\n── Message %d, %s, %s%s ──\n", ++n,
		    in ? "reçu" : "envoyé", when,
		    g_strcmp0(col(s, 1), "quarantined") == 0 ? " (en quarantaine)" : "");
		field(x->out, in ? "De :" : "À :", from);
		field(x->out, "Sujet :", col(s, 5));
		field(x->out, "Langue :", col(s, 11) ? label_language(col(s, 11)) : NULL);
		if (store_int(s, 10) > 0) {
			g_autofree char *a = g_strdup_printf("%d", store_int(s, 10));

			field(x->out, "Pièces jointes :", a);
		}
		field(x->out, "Réponse :", col(s, 7) ? vocab_fr(col(s, 7)) : NULL);
		field(x->out, "Pourquoi :", label_reason(col(s, 8)));
		field(x->out, "Règles :", col(s, 9));
		field(x->out, "Quarantaine :", col(s, 12));
		if (store_int(s, 13))
			g_string_append(x->out, "  (texte effacé selon la durée de conservation)\n");
		else if (col(s, 6) != NULL) {
			g_autofree char *text = g_utf8_make_valid(col(s, 6), -1);

			g_string_append_printf(x->out, "\n%s%s", text,
			    g_str_has_suffix(text, "\n") ? "" : "\n");
		}
	}
	return store_cursor_end(s, err);
}

/* An event kind as the delegate reads it. */
static const char *
event_fr(const char *k)
{
	static const char *const names[][2] = {
		{ "created", "reçue" }, { "followup", "relance" }, { "answered", "répondue" },
		{ "closed", "fermée" }, { "reopened", "rouverte" }, { "note", "note" },
		{ "label", "étiquettes" }, { "sent", "envoyé" }, { "failed", "échec d'envoi" },
		{ "time", "temps noté" }, { "command-refused", "commande refusée" },
		{ "command-unauthenticated", "commande non authentifiée" },
		{ "purge", "effacement" }, { "forget", "oubli" }, { "command", "commande" },
		{ "urgent-alert", "alerte urgente" }, { "urgent-reminder", "rappel de l'alerte" },
		{ "seen", "alerte vue" },
	};

	for (guint i = 0; k != NULL && i < G_N_ELEMENTS(names); i++)
		if (strcmp(k, names[i][0]) == 0)
			return names[i][1];
	return k != NULL ? k : "-";
}

/*
 * An event's detail in French: a label change ("domain: information ->
 * langue, topic: - -> cours_langue") with French field names and labels.
 */
static char *
event_detail_fr(struct actx *x, const char *kind, const char *d)
{
	static const char *const fields[][2] = {
		{ "domain", "domaine" }, { "topic", "thème" }, { "requester", "demandeur" },
		{ "commune", "commune" }, { "language", "langue" }, { "urgent", "urgente" },
	};
	g_auto(GStrv) parts = NULL;
	GString *o;

	if (d == NULL)
		return g_strdup("");
	if (g_strcmp0(kind, "label") != 0)
		return g_strdup(vocab_fr(d) != d ? vocab_fr(d) : d);
	o = g_string_new(NULL);
	parts = g_strsplit(d, ", ", -1);
	for (char **p = parts; *p != NULL; p++) {
		char *colon = strstr(*p, ": "), *arrow = colon ? strstr(colon, " -> ") : NULL;
		g_autofree char *f = NULL, *a = NULL, *b = NULL;
		int k = -1;

		if (arrow == NULL) {
			g_string_append_printf(o, "%s%s", o->len ? ", " : "", *p);
			continue;
		}
		f = g_strndup(*p, colon - *p);
		a = g_strndup(colon + 2, arrow - colon - 2);
		b = g_strdup(arrow + 4);
		for (guint i = 0; i < G_N_ELEMENTS(fields); i++)
			if (strcmp(f, fields[i][0]) == 0)
				k = (int)i;
#define LBL(v) (strcmp(v, "-") == 0 ? "aucun" : k == 0 ? label_domain(x->setup, v) : \
    k == 1 ? label_topic(x->setup, v) : k == 2 ? label_requester(x->setup, v) : \
    k == 4 ? label_language(v) : k == 5 ? (strcmp(v, "yes") == 0 ? "oui" : "non") : v)
		g_string_append_printf(o, "%s%s : %s → %s", o->len ? ", " : "",
		    k >= 0 ? fields[k][1] : f, LBL(a), LBL(b));
#undef LBL
	}
	return g_string_free(o, FALSE);
}

static gboolean
show_outbox(struct actx *x, gint64 id, GError **err)
{
	static const char *const hdr[] = { "Créé", "Genre", "Destinataire", "État",
	    "Essais", "Envoyé", "Dernière réponse du serveur" };
	struct store_cursor *s = store_view_outbox(x->st, id, err);
	struct vtable *t;
	int n = 0;
	gboolean ok;

	if (s == NULL)
		return FALSE;
	t = vtable_new(7, hdr);
	while (store_next(s)) {
		g_autofree char *c = view_time(store_int64(s, 0), x->tz, "%Y-%m-%d %H:%M");
		g_autofree char *sent = store_null(s, 5) ? NULL :
		    view_time(store_int64(s, 5), x->tz, "%Y-%m-%d %H:%M");
		g_autofree char *tries = g_strdup_printf("%d", store_int(s, 4));
		g_autofree char *ans = view_cut(col(s, 6), 50);
		const char *st = col(s, 3);
		const char *row[7] = { c, vocab_fr(col(s, 1)), col(s, 2),
		    g_strcmp0(st, "sent") == 0 ? "envoyé" : g_strcmp0(st, "failed") == 0 ?
		    "en échec" : "en attente", tries, sent, ans };

		vtable_add(t, row);
		n++;
	}
	ok = store_cursor_end(s, err);
	g_string_append_printf(x->out, "\nCourriels de guichet (%d)\n", n);
	if (n > 0)
		vtable_print(t, x->out);
	vtable_free(t);
	return ok;
}

static gboolean
show_events(struct actx *x, gint64 id, GError **err)
{
	static const char *const hdr[] = { "Quand", "Quoi", "Détail" };
	struct store_cursor *s = store_view_events(x->st, id, err);
	struct vtable *t;
	int n = 0;
	gboolean ok;

	if (s == NULL)
		return FALSE;
	t = vtable_new(3, hdr);
	while (store_next(s)) {
		g_autofree char *c = view_time(store_int64(s, 0), x->tz, "%Y-%m-%d %H:%M");
		g_autofree char *detail = event_detail_fr(x, col(s, 1), col(s, 2));
		const char *row[3] = { c, event_fr(col(s, 1)), detail };

		vtable_add(t, row);
		n++;
	}
	ok = store_cursor_end(s, err);
	g_string_append_printf(x->out, "\nHistorique (%d)\n", n);
	if (n > 0)
		vtable_print(t, x->out);
	vtable_free(t);
	return ok;
}

gboolean
view_show(struct actx *x, GError **err)
{
	gint64 id = actx_request(x, g_ptr_array_index(x->pos, 0), err);
	struct store_cursor *s;
	gboolean found;

	if (id <= 0)
		return FALSE;
	if ((s = store_view_request(x->st, id, err)) == NULL)
		return FALSE;
	if ((found = store_next(s))) {
		g_autofree char *created = view_time(store_int64(s, 2), x->tz,
		    "%Y-%m-%d %H:%M");
		g_autofree char *answered = NULL, *closed = NULL, *from = NULL, *mins = NULL;
		const struct domain_def *d = ruleset_domain(x->setup->rules, col(s, 6));
		const struct topic_def *t = col(s, 7) ?
		    ruleset_topic(x->setup->rules, col(s, 7)) : NULL;
		g_autofree char *dom = g_strdup(label_domain(x->setup, d ? d->code : col(s, 6)));
		g_autofree char *top = col(s, 7) ? g_strdup(label_topic(x->setup,
		    t ? t->code : col(s, 7))) : NULL;

		if (!store_null(s, 3)) {
			g_autofree char *w = view_time(store_int64(s, 3), x->tz,
			    "%Y-%m-%d %H:%M");
			g_autofree char *a = view_age(store_int64(s, 3) -
			    store_int64(s, 2));

			answered = g_strdup_printf("%s (après %s)", w, a);
		}
		if (!store_null(s, 4))
			closed = view_time(store_int64(s, 4), x->tz, "%Y-%m-%d %H:%M");
		if (col(s, 15) != NULL)
			from = col(s, 14) && *col(s, 14) ?
			    g_strdup_printf("%s <%s>", col(s, 14), col(s, 15)) : g_strdup(col(s, 15));
		if (store_int64(s, 17) > 0)
			mins = timefig_duration(store_int64(s, 17));
		g_string_append_printf(x->out, "%s%s : %s\n", col(s, 0),
		    store_int(s, 10) ? " (URGENT)" : "", vocab_fr(col(s, 1)));
		/* A demoted request: shown, but in no figure (guichet-kinds(7)). */
		if (g_strcmp0(col(s, 18), "request") != 0)
			g_string_append_printf(x->out, "  Non comptée comme demande : %s "
			    "(« #demande %s » la compte de nouveau)\n",
			    vocab_fr(col(s, 18)), col(s, 0));
		field(x->out, "Sujet :", col(s, 16));
		field(x->out, "De :", from);
		field(x->out, "Reçue :", created);
		field(x->out, "Répondue :", answered);
		field(x->out, "Fermée :", closed);
		field(x->out, "Demandeur :", label_requester(x->setup, col(s, 5)));
		field(x->out, "Domaine :", dom);
		field(x->out, "Thème :", top);
		field(x->out, "Commune :", col(s, 8));
		field(x->out, "Langue :", label_language(col(s, 9)));
		field(x->out, "Réponse auto :", col(s, 11) ? vocab_fr(col(s, 11)) : NULL);
		field(x->out, "Pourquoi :", label_reason(col(s, 12)));
		field(x->out, "Mots-clés :", col(s, 13));
		field(x->out, "Temps noté :", mins);
	}
	if (!store_cursor_end(s, err))
		return FALSE;
	if (!found)
		return TRUE;
	return show_messages(x, id, err) && show_outbox(x, id, err) && show_events(x, id, err);
}

gboolean
view_timelog(struct actx *x, GError **err)
{
	const char *from = g_hash_table_lookup(x->opt, "from");
	const char *to = g_hash_table_lookup(x->opt, "to");
	static const char *const hdr[] = { "Date", "Durée", "Activité", "Demande", "Note" };
	g_autoptr(GHashTable) by = g_hash_table_new(g_str_hash, g_str_equal);
	struct vtable *t;
	struct store_cursor *s;
	long total = 0;
	int n = 0;
	gboolean ok;

	if ((from != NULL && !view_valid_date(from)) || (to != NULL && !view_valid_date(to))) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE, "dates AAAA-MM-JJ attendues (exemple : du=2026-01-01 au=2026-03-31)");
		return FALSE;
	}
	if ((s = store_view_timelog(x->st, from, to, err)) == NULL)
		return FALSE;
	t = vtable_new(5, hdr);
	vtable_right(t, 1);
	while (store_next(s)) {
		g_autofree char *m = timefig_duration(store_int(s, 1));
		g_autofree char *note = view_cut(col(s, 4), 50);
		const char *row[5] = { col(s, 0), m, label_kind(col(s, 2)), col(s, 3), note };
		int k;

		vtable_add(t, row);
		n++;
		total += store_int(s, 1);
		for (k = 0; vocab_time_kinds[k] != NULL; k++)
			if (g_strcmp0(vocab_time_kinds[k], col(s, 2)) == 0)
				break;
		if (vocab_time_kinds[k] != NULL) {
			gpointer v = g_hash_table_lookup(by, vocab_time_kinds[k]);

			g_hash_table_insert(by, (gpointer)vocab_time_kinds[k],
			    GINT_TO_POINTER(GPOINTER_TO_INT(v) + store_int(s, 1)));
		}
	}
	ok = store_cursor_end(s, err);
	if (n > 0) {
		g_autofree char *tot = timefig_duration(total);
		const char *row[5] = { "Total", tot, "", "", "" };

		vtable_rule(t);
		vtable_add(t, row);
		vtable_print(t, x->out);
		for (int k = 0; vocab_time_kinds[k] != NULL; k++) {
			int m = GPOINTER_TO_INT(g_hash_table_lookup(by, vocab_time_kinds[k]));

			if (m > 0) {
				g_autofree char *dm = timefig_duration(m);

				g_string_append_printf(x->out, "  %s : %s\n",
				    label_kind(vocab_time_kinds[k]), dm);
			}
		}
	} else
		g_string_append(x->out, "Aucune entrée dans le journal pour cette période.\n");
	vtable_free(t);
	return ok;
}
