/*
 * actions.c: the table of the delegate's verbs and the verbs that change a
 * request (close, reopen, note, label, domain, time).  The reading verbs
 * (list, show, timelog) live in view.c.  Each change is one transaction
 * with its event, so the audit trail never misses one.
 */
#include <stdlib.h>
#include <string.h>
#include "actions_priv.h"
#include "labels.h"
#include "store_time.h"
#include "timefig.h"
#include "viewfmt.h"
#include "vocab.h"


static gboolean	do_close(struct actx *, GError **);
static gboolean	do_reopen(struct actx *, GError **);
static gboolean	do_note(struct actx *, GError **);
static gboolean	do_label(struct actx *, GError **);
static gboolean	do_domain(struct actx *, GError **);
static gboolean	do_time(struct actx *, GError **);
static gboolean	do_seen(struct actx *, GError **);

static const struct entry {
	struct action	 a;
	gboolean	(*fn)(struct actx *, GError **);
} table[] = {
	{ { "list", "liste", "[statut=ouverte|répondue|fermée] [domaine=D] [depuis=AAAA-MM-JJ] "
	    "[limite=N]",
	    "liste des demandes", 0, 0, "status domain since limit", FALSE }, view_list },
	{ { "show", "voir", "REF", "une demande, ses messages et son historique",
	    1, 1, NULL, FALSE }, view_show },
	{ { "close", "fermer", "REF", "fermer une demande", 1, 1, NULL, TRUE }, do_close },
	{ { "reopen", "rouvrir", "REF", "rouvrir une demande", 1, 1, NULL, TRUE }, do_reopen },
	{ { "note", "note", "REF TEXTE", "ajouter une note", 2, -1, NULL, TRUE }, do_note },
	{ { "seen", "vu", "REF", "dire que vous avez vu une alerte urgente (plus de rappel)",
	    1, 1, NULL, TRUE }, do_seen },
	{ { "label", "etiquette", "REF CHAMP=VALEUR...",
	    "corriger les étiquettes (domaine thème demandeur commune langue urgente)",
	    1, 1, "domain topic requester commune language urgent", TRUE }, do_label },
	{ { "domain", "domaine", "REF DOMAINE", "corriger le domaine", 2, 2, NULL, TRUE },
	    do_domain },
	{ { "time", "temps", "DURÉE GENRE [REF] [date=AAAA-MM-JJ] [domaine=D] [note=TEXTE]",
	    "noter du temps de travail ou un entretien", 2, 5, "date note request domain topic",
	    TRUE },
	    do_time },
	{ { "promote", "demande", "N|REF [accuser]",
	    "compter comme demande un courriel non compté (n° du résumé) ou une demande retirée",
	    1, 2, NULL, TRUE }, kind_promote },
	{ { "demote", "pasdemande", "REF [robot|pourriel|delegation|suite]",
	    "ne plus compter une demande (sa référence n'est pas réutilisée)",
	    1, 2, NULL, TRUE }, kind_demote },
	{ { "timelog", "journal", "[du=AAAA-MM-JJ] [au=AAAA-MM-JJ]", "le journal du temps",
	    0, 0, "from to", FALSE }, view_timelog },
	{ { NULL, NULL, NULL, NULL, 0, 0, NULL, FALSE }, NULL }
};

static const struct entry *
find(const char *verb)
{
	if (verb == NULL)
		return NULL;
	for (const struct entry *e = table; e->a.verb != NULL; e++)
		if (g_ascii_strcasecmp(e->a.verb, verb) == 0 ||
		    (e->a.mail_verb != NULL && g_ascii_strcasecmp(e->a.mail_verb, verb) == 0))
			return e;
	return NULL;
}

const struct action *
action_find(const char *verb)
{
	const struct entry *e = find(verb);

	return e != NULL ? &e->a : NULL;
}

/* TRUE when key is one of the space separated names of list. */
static gboolean
has_key(const char *list, const char *key, gsize len)
{
	g_auto(GStrv) v = NULL;

	if (list == NULL)
		return FALSE;
	v = g_strsplit(list, " ", -1);
	for (char **k = v; *k != NULL; k++)
		if (strlen(*k) == len && strncmp(*k, key, len) == 0)
			return TRUE;
	return FALSE;
}

/* The English option name of a French (or German) one, NULL if none. */
static const char *
key_english(const char *k, gsize len)
{
	static const char *const alias[][2] = {
		{ "statut", "status" }, { "etat", "status" }, { "état", "status" },
		{ "domaine", "domain" }, { "bereich", "domain" },
		{ "depuis", "since" }, { "seit", "since" }, { "limite", "limit" },
		{ "theme", "topic" }, { "thème", "topic" }, { "thema", "topic" },
		{ "demandeur", "requester" }, { "langue", "language" },
		{ "sprache", "language" }, { "urgente", "urgent" }, { "dringend", "urgent" },
		{ "du", "from" }, { "von", "from" }, { "au", "to" }, { "bis", "to" },
		{ "demande", "request" }, { "datum", "date" }, { "notiz", "note" },
	};
	g_autofree char *low = g_utf8_strdown(k, (gssize)len);

	for (guint i = 0; i < G_N_ELEMENTS(alias); i++)
		if (strcmp(low, alias[i][0]) == 0)
			return alias[i][1];
	return NULL;
}

gboolean
action_run(struct store *st, const struct setup *setup, const char *verb,
    int argc, char **argv, GString *out, GError **err)
{
	const struct entry *e = find(verb);
	g_autoptr(GPtrArray) pos = g_ptr_array_new();
	g_autoptr(GHashTable) opt = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	struct actx x;
	gboolean ok, nested;
	int npos;

	if (e == NULL) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
		    "commande inconnue : %s (la liste des commandes : aide)", verb ? verb : "");
		return FALSE;
	}
	if (st == NULL && !e->a.writes && e->a.min_args == 0) {
		g_string_append(out, "Rien d'enregistré pour l'instant.\n");
		return TRUE;
	}
	if (st == NULL) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_NOTFOUND,
		    "aucune demande enregistrée (le fichier de données n'existe pas)");
		return FALSE;
	}
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		const char *key = eq != NULL && eq > argv[i] ?
		    key_english(argv[i], eq - argv[i]) : NULL;

		if (key != NULL && has_key(e->a.options, key, strlen(key)))
			g_hash_table_replace(opt, g_strdup(key), (char *)eq + 1);
		else if (eq != NULL && eq > argv[i] && has_key(e->a.options, argv[i], eq - argv[i]))
			g_hash_table_replace(opt, g_strndup(argv[i], eq - argv[i]),
			    (char *)eq + 1);
		else
			g_ptr_array_add(pos, argv[i]);
	}
	npos = (int)pos->len;
	/* label takes its fields as KEY=VALUE, at least one. */
	if (npos < e->a.min_args || (e->a.max_args >= 0 && npos > e->a.max_args) ||
	    (e->fn == do_label && g_hash_table_size(opt) == 0)) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
		    "forme attendue : %s %s", e->a.verb, e->a.usage);
		return FALSE;
	}
	x.st = st;
	x.setup = setup;
	x.tz = view_tz(setup != NULL ? setup->cfg : NULL);
	x.now = g_get_real_time() / G_USEC_PER_SEC;
	x.pos = pos;
	x.opt = opt;
	x.out = out;
	/* Inside the caller's transaction (a command mail), a savepoint. */
	nested = store_in_transaction(st);
	if (e->a.writes && !(nested ? store_savepoint(st, err) :
	    store_begin(st, err))) {
		g_time_zone_unref(x.tz);
		return FALSE;
	}
	ok = e->fn(&x, err);
	if (e->a.writes && nested) {
		if (!ok)
			store_savepoint_rollback(st);
		else
			store_savepoint_release(st, NULL);
	} else if (e->a.writes) {
		if (ok)
			ok = store_commit(st, FALSE, err);
		else
			store_rollback(st);
	}
	g_time_zone_unref(x.tz);
	return ok;
}

gint64
actx_request(struct actx *x, const char *ref, GError **err)
{
	g_autofree char *up = g_ascii_strup(ref, -1);
	gint64 id = store_request_by_ref(x->st, up);

	if (id <= 0)
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_NOTFOUND,
		    "pas de demande %s (une référence s'écrit comme CHI-2026-0042)", ref);
	return id;
}

/* The status of request id, g_free'd by the caller. */
static char *
status_of(struct actx *x, gint64 id, GError **err)
{
	char *v = store_request_status(x->st, id);

	if (v == NULL)
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "request %ld vanished",
		    (long)id);
	return v;
}

static gboolean
do_close(struct actx *x, GError **err)
{
	const char *ref = g_ptr_array_index(x->pos, 0);
	gint64 id = actx_request(x, ref, err);
	g_autofree char *status = NULL;

	if (id <= 0 || (status = status_of(x, id, err)) == NULL)
		return FALSE;
	if (strcmp(status, req_state_str(STATE_CLOSED)) == 0) {
		g_string_append_printf(x->out, "%s est déjà fermée.\n", ref);
		return TRUE;
	}
	if (!store_request_set_state(x->st, id, STATE_CLOSED, x->now, err) ||
	    !store_event(x->st, id, req_state_str(STATE_CLOSED), status, x->now, err))
		return FALSE;
	g_string_append_printf(x->out, "%s fermée.\n", ref);
	return TRUE;
}

static gboolean
do_reopen(struct actx *x, GError **err)
{
	const char *ref = g_ptr_array_index(x->pos, 0);
	gint64 id = actx_request(x, ref, err);
	g_autofree char *status = NULL;

	if (id <= 0 || (status = status_of(x, id, err)) == NULL)
		return FALSE;
	if (strcmp(status, req_state_str(STATE_OPEN)) == 0) {
		g_string_append_printf(x->out, "%s est déjà ouverte.\n", ref);
		return TRUE;
	}
	if (!store_request_set_state(x->st, id, STATE_OPEN, x->now, err) ||
	    !store_event(x->st, id, "reopened", status, x->now, err))
		return FALSE;
	g_string_append_printf(x->out, "%s rouverte.\n", ref);
	return TRUE;
}

static gboolean
do_note(struct actx *x, GError **err)
{
	const char *ref = g_ptr_array_index(x->pos, 0);
	gint64 id = actx_request(x, ref, err);
	g_autoptr(GString) text = g_string_new(NULL);

	if (id <= 0)
		return FALSE;
	for (guint i = 1; i < x->pos->len; i++) {
		if (i > 1)
			g_string_append_c(text, ' ');
		g_string_append(text, g_ptr_array_index(x->pos, i));
	}
	if (!g_utf8_validate(text->str, -1, NULL) || text->len > 4000) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
		    "la note doit être un texte UTF-8 de moins de 4000 octets");
		return FALSE;
	}
	if (!store_request_touch(x->st, id, x->now, err) ||
	    !store_event(x->st, id, "note", text->str, x->now, err))
		return FALSE;
	g_string_append_printf(x->out, "Note ajoutée à %s.\n", ref);
	return TRUE;
}

/* A delegate saw the urgent alert: no reminder will follow (store_urgent.h). */
static gboolean
do_seen(struct actx *x, GError **err)
{
	const char *ref = g_ptr_array_index(x->pos, 0);
	gint64 id = actx_request(x, ref, err);

	if (id <= 0)
		return FALSE;
	if (!store_request_touch(x->st, id, x->now, err) ||
	    !store_event(x->st, id, "seen", NULL, x->now, err))
		return FALSE;
	g_string_append_printf(x->out, "%s : alerte vue, pas de rappel.\n", ref);
	return TRUE;
}

/* Labels of one request, as stored (NULL = empty). */
struct labels {
	char	*v[6];
};
static const char *const label_cols[6] = {
	"domain", "topic", "requester", "commune", "language", "urgent"
};

static void
labels_clear(struct labels *l)
{
	for (int i = 0; i < 6; i++)
		g_free(l->v[i]);
}

static gboolean
labels_get(struct actx *x, gint64 id, struct labels *l, GError **err)
{
	return store_request_labels(x->st, id, l->v, err);
}

static gboolean
bad_value(GError **err, const char *field, const char *v, const char *why)
{
	g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s=%s : %s", field, v, why);
	return FALSE;
}

/*
 * A value outside the taxonomy: the error lists the valid codes with their
 * labels (domains, or topics), so the answer shows what to write.
 */
/* A requester kind the rules do not declare: say which ones they do. */
static gboolean
bad_requester(struct actx *x, GError **err, const char *v)
{
	const struct ruleset *rs = x->setup->rules;
	GPtrArray *all = rs != NULL ? ruleset_requesters(rs) : NULL;
	g_autoptr(GString) o = g_string_new(NULL);

	for (guint i = 0; all != NULL && i < all->len; i++)
		g_string_append_printf(o, "%s%s", o->len ? ", " : "",
		    (const char *)g_ptr_array_index(all, i));
	if (o->len > 0)
		g_string_prepend(o, "valeurs possibles : ");
	return bad_value(err, "demandeur", v, o->len > 0 ? o->str :
	    "aucun genre de demandeur dans les règles");
}

static gboolean
bad_choice(struct actx *x, GError **err, const char *field, const char *v, gboolean domains)
{
	const struct ruleset *rs = x->setup->rules;
	GPtrArray *all = rs == NULL ? NULL : domains ? ruleset_domains(rs) : ruleset_topics(rs);
	g_autoptr(GString) o = g_string_new(NULL);

	for (guint i = 0; all != NULL && i < all->len; i++) {
		const char *code = domains ? ((struct domain_def *)g_ptr_array_index(all, i))->code :
		    ((struct topic_def *)g_ptr_array_index(all, i))->code;

		g_string_append_printf(o, "%s%s (%s)", o->len ? ", " : "", code,
		    domains ? label_domain(x->setup, code) : label_topic(x->setup, code));
	}
	g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s « %s » inconnu ; valeurs "
	    "possibles : %s", field, v, o->len ? o->str : "(aucune dans les règles)");
	return FALSE;
}

/* The canonical name of commune v in the rules (any case), NULL if unknown. */
static const char *
commune_name(const struct setup *setup, const char *v, gboolean *any)
{
	GPtrArray *c = setup->rules != NULL ? ruleset_communes(setup->rules) : NULL;
	g_autofree char *want = g_utf8_casefold(v, -1);

	*any = c == NULL || c->len == 0;
	for (guint i = 0; c != NULL && i < c->len; i++) {
		g_autofree char *have = g_utf8_casefold(g_ptr_array_index(c, i), -1);

		if (g_utf8_collate(want, have) == 0 || strcmp(want, have) == 0)
			return g_ptr_array_index(c, i);
	}
	return NULL;
}

/* Check and canonicalise value of label field i into *nv. */
static gboolean
label_check(struct actx *x, int i, const char *v, char **nv, GError **err)
{
	const struct ruleset *rs = x->setup->rules;
	gboolean clear = *v == '\0' || strcmp(v, "-") == 0;

	switch (i) {
	case 0:
		if (clear || rs == NULL || ruleset_domain(rs, v) == NULL)
			return bad_choice(x, err, "domaine", v, TRUE);
		break;
	case 1:
		if (!clear && (rs == NULL || ruleset_topic(rs, v) == NULL))
			return bad_choice(x, err, "thème", v, FALSE);
		break;
	case 2:
		if (clear || rs == NULL || !ruleset_has_requester(rs, v))
			return bad_requester(x, err, v);
		break;
	case 3:
		if (!clear) {
			gboolean any;
			const char *name = commune_name(x->setup, v, &any);

			if (name == NULL && !any)
				return bad_value(err, "commune", v, "commune inconnue de la "
				    "liste des communes de la région (exemple : commune=Sierre)");
			*nv = g_strdup(name != NULL ? name : v);
			return TRUE;
		}
		break;
	case 4:
		if (clear || strlen(v) < 2 || strlen(v) > 3)
			return bad_value(err, "langue", v, "code de langue attendu (fr, de, ti, ar...)");
		for (const char *p = v; *p; p++)
			if (!g_ascii_islower(*p))
				return bad_value(err, "langue", v, "code de langue attendu (fr, de, ti, "
				    "ar...)");
		break;
	case 5:
		if (strcmp(v, "yes") == 0 || strcmp(v, "oui") == 0 || strcmp(v, "1") == 0)
			v = "yes";
		else if (strcmp(v, "no") == 0 || strcmp(v, "non") == 0 || strcmp(v, "0") == 0)
			v = "no";
		else
			return bad_value(err, "urgente", v, "oui ou non");
		break;
	}
	*nv = clear ? NULL : g_strdup(v);
	return TRUE;
}

/* A label value as the delegate reads it (g_free). */
static char *
label_word(struct actx *x, int i, const char *v)
{
	if (v == NULL)
		return g_strdup(i == 1 ? "aucun" : i == 3 ? "aucune" : "-");
	switch (i) {
	case 0: return g_strdup(label_domain(x->setup, v));
	case 1: return g_strdup(label_topic(x->setup, v));
	case 2: return g_strdup(label_requester(x->setup, v));
	case 4: return g_strdup(label_language(v));
	case 5: return g_strdup(strcmp(v, "yes") == 0 ? "oui" : "non");
	default: return g_strdup(v);
	}
}

static const char *const names_fr[6] = {
	"domaine", "thème", "demandeur", "commune", "langue", "urgente"
};

/* "domaine : Information → Interprétariat, ..." for the labels that changed. */
static char *
labels_changed(struct actx *x, const struct labels *old, const struct labels *nw)
{
	GString *o = g_string_new(NULL);

	for (int i = 0; i < 6; i++)
		if (g_strcmp0(old->v[i], nw->v[i]) != 0) {
			g_autofree char *a = label_word(x, i, old->v[i]);
			g_autofree char *b = label_word(x, i, nw->v[i]);

			g_string_append_printf(o, "%s%s : %s → %s", o->len ? ", " : "",
			    names_fr[i], a, b);
		}
	return g_string_free(o, FALSE);
}

/* Apply the labels of x->opt to request ref; writes one 'label' event. */
static gboolean
relabel(struct actx *x, const char *ref, GError **err)
{
	gint64 id = actx_request(x, ref, err);
	struct labels old = { { 0 } }, nw = { { 0 } };
	g_autoptr(GString) detail = g_string_new(NULL);
	g_autoptr(GString) confirmed = g_string_new(NULL);
	const struct topic_def *t;
	gboolean ok = FALSE, changed;
	GHashTableIter it;
	gpointer k;

	if (id <= 0 || !labels_get(x, id, &old, err))
		return FALSE;
	g_hash_table_iter_init(&it, x->opt);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (!g_strv_contains(label_cols, k)) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
			    "champ inconnu : %s ; champs : domaine, thème, demandeur, commune, "
			    "langue, urgente (exemple : domaine=langue)", (char *)k);
			goto done;
		}
	for (int i = 0; i < 6; i++) {
		const char *v = g_hash_table_lookup(x->opt, label_cols[i]);

		if (v == NULL)
			nw.v[i] = g_strdup(old.v[i]);
		else if (!label_check(x, i, v, &nw.v[i], err))
			goto done;
	}
	/* A topic belongs to one domain: follow it, or refuse a contradiction. */
	if (nw.v[1] != NULL && (t = ruleset_topic(x->setup->rules, nw.v[1])) != NULL &&
	    g_strcmp0(t->domain, nw.v[0]) != 0) {
		gboolean dom = g_hash_table_contains(x->opt, "domain");
		gboolean top = g_hash_table_contains(x->opt, "topic");

		if (dom && top) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
			    "le thème « %s » appartient au domaine « %s », pas à « %s »",
			    label_topic(x->setup, nw.v[1]), label_domain(x->setup, t->domain),
			    label_domain(x->setup, nw.v[0]));
			goto done;
		}
		if (top) {
			g_free(nw.v[0]);
			nw.v[0] = g_strdup(t->domain);
		} else
			g_clear_pointer(&nw.v[1], g_free);	/* old topic, other domain */
	}
	for (int i = 0; i < 6; i++)
		if (g_strcmp0(old.v[i], nw.v[i]) != 0)
			g_string_append_printf(detail, "%s%s: %s -> %s",
			    detail->len ? ", " : "", label_cols[i],
			    old.v[i] ? old.v[i] : "-", nw.v[i] ? nw.v[i] : "-");
	changed = detail->len > 0;
	/* A value the delegate gives that guichet had already is a confirmation:
	 * knowledge too (the learned model learns it, reclassify keeps it). */
	for (int i = 0; i < 6; i++)
		if (g_hash_table_contains(x->opt, label_cols[i]) &&
		    g_strcmp0(old.v[i], nw.v[i]) == 0) {
			g_string_append_printf(detail, "%s%s: %s (confirmed)",
			    detail->len ? ", " : "", label_cols[i], nw.v[i] ? nw.v[i] : "-");
			g_string_append_printf(confirmed, "%s%s", confirmed->len ? ", " : "",
			    names_fr[i]);
		}
	if (detail->len == 0) {
		g_string_append_printf(x->out, "%s : rien à changer.\n", ref);
		ok = TRUE;
		goto done;
	}
	if ((!changed || store_request_set_labels(x->st, id, nw.v, x->now, err)) &&
	    store_event(x->st, id, "label", detail->str, x->now, err)) {
		g_autofree char *fr = labels_changed(x, &old, &nw);

		if (!changed)
			g_string_append_printf(x->out, "%s : confirmé (%s), rien à changer.\n",
			    ref, confirmed->str);
		else if (confirmed->len)
			g_string_append_printf(x->out, "%s : %s ; confirmé : %s\n", ref, fr,
			    confirmed->str);
		else
			g_string_append_printf(x->out, "%s : %s\n", ref, fr);
		ok = TRUE;
	}
done:
	labels_clear(&old);
	labels_clear(&nw);
	return ok;
}

static gboolean
do_label(struct actx *x, GError **err)
{
	return relabel(x, g_ptr_array_index(x->pos, 0), err);
}

static gboolean
do_domain(struct actx *x, GError **err)
{
	g_hash_table_replace(x->opt, g_strdup("domain"), g_ptr_array_index(x->pos, 1));
	return relabel(x, g_ptr_array_index(x->pos, 0), err);
}

/* The first of the option names (French or English) that is set, or NULL. */
static const char *
opt_any(struct actx *x, const char *a, const char *b)
{
	const char *v = g_hash_table_lookup(x->opt, a);

	return v != NULL ? v : g_hash_table_lookup(x->opt, b);
}

static gboolean
time_usage(GError **err, const char *why)
{
	g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE, "%s ; genres : entretien, "
	    "permanence, telephone, courriel, seance, projet, formation ; durée : 45, 45min, "
	    "1h30, 1:30 ; exemple : #temps 1h30 entretien CHI-2026-0042", why);
	return FALSE;
}

static gboolean
do_time(struct actx *x, GError **err)
{
	const char *kind = NULL, *ref = opt_any(x, "request", "demande");
	const char *date = g_hash_table_lookup(x->opt, "date");
	const char *note = g_hash_table_lookup(x->opt, "note");
	const char *domain = opt_any(x, "domain", "domaine");
	const char *topic = opt_any(x, "topic", "theme");
	const struct topic_def *td = NULL;
	g_autofree char *today = NULL, *dur = NULL, *where = NULL;
	long minutes = 0;
	gint64 id = 0;

	/* The words in any order: a duration, a kind, a reference. */
	for (guint i = 0; i < x->pos->len; i++) {
		const char *w = g_ptr_array_index(x->pos, i);
		const char *next = i + 1 < x->pos->len ? g_ptr_array_index(x->pos, i + 1) : NULL;
		g_autofree char *joined = NULL;
		long v;

		/* "1 h 30", "45 min": a number with its unit as the next words */
		if (next != NULL && g_ascii_isdigit(*w) && (g_ascii_isalpha(*next) ||
		    *next == ':') && !g_strv_contains(vocab_time_kinds, next) &&
		    strchr(next, '-') == NULL) {
			const char *third = i + 2 < x->pos->len ?
			    g_ptr_array_index(x->pos, i + 2) : NULL;

			joined = g_strconcat(w, next, NULL);
			if (third != NULL && g_ascii_isdigit(*third) &&
			    g_ascii_strcasecmp(next, "h") == 0) {
				g_autofree char *j3 = g_strconcat(joined, third, NULL);

				if (timefig_parse_duration(j3, &v) && minutes == 0) {
					minutes = v;
					i += 2;
					continue;
				}
			}
			if (timefig_parse_duration(joined, &v) && minutes == 0) {
				minutes = v;
				i++;
				continue;
			}
		}
		if (minutes == 0 && timefig_parse_duration(w, &v) && v > 0)
			minutes = v;
		else if (kind == NULL && g_strv_contains(vocab_time_kinds, w))
			kind = w;
		else if (ref == NULL && strchr(w, '-') != NULL)
			ref = w;
		else {
			g_autofree char *why = g_strdup_printf("« %s » n'est ni une durée, ni un "
			    "genre, ni une référence", w);

			return time_usage(err, why);
		}
	}
	if (minutes <= 0 || minutes > 24 * 60)
		return time_usage(err, minutes > 0 ? "durée de plus de 24 heures" :
		    "il manque la durée");
	if (kind == NULL)
		return time_usage(err, "il manque le genre");
	if (date == NULL)
		date = today = view_time(x->now, x->tz, "%Y-%m-%d");
	else if (!view_valid_date(date)) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
		    "date=%s : une date AAAA-MM-JJ est attendue, par exemple date=2026-03-14",
		    date);
		return FALSE;
	}
	if (note != NULL && (!g_utf8_validate(note, -1, NULL) || strlen(note) > 4000)) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_USAGE,
		    "la note doit être un texte de moins de 4000 octets");
		return FALSE;
	}
	if (ref != NULL && (id = actx_request(x, ref, err)) <= 0)
		return FALSE;
	if (id <= 0 && topic != NULL) {
		if ((td = ruleset_topic(x->setup->rules, topic)) == NULL)
			return bad_choice(x, err, "thème", topic, FALSE);
		if (domain == NULL)
			domain = td->domain;
		else if (g_strcmp0(td->domain, domain) != 0) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
			    "le thème « %s » appartient au domaine « %s », pas à « %s »",
			    label_topic(x->setup, topic), label_domain(x->setup, td->domain),
			    label_domain(x->setup, domain));
			return FALSE;
		}
	}
	if (id <= 0 && domain != NULL && ruleset_domain(x->setup->rules, domain) == NULL)
		return bad_choice(x, err, "domaine", domain, TRUE);
	if (!store_time_add(x->st, date, minutes, kind, id, id > 0 ? NULL : domain,
	    id > 0 ? NULL : topic, note, x->now, err))
		return FALSE;
	dur = timefig_duration(minutes);
	if (id > 0) {
		g_autofree char *d = g_strdup_printf("%ld min %s %s", minutes, kind, date);

		if (!store_event(x->st, id, "time", d, x->now, err))
			return FALSE;
		where = g_strdup_printf(", demande %s", ref);
	} else if (domain != NULL)
		where = g_strdup_printf(", domaine « %s »", label_domain(x->setup, domain));
	g_string_append_printf(x->out, "Enregistré : %s (%s), le %s%s.\n", dur,
	    label_kind(kind), date, where != NULL ? where : "");
	return TRUE;
}
