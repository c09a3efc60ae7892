/*
 * privacy_access.c: `guichet access ADDRESS [-o FILE] [--json]`, the right
 * of access.  Everything stored about one sender (found by address, any
 * case, or by sender key once pseudonymised): requests with their labels,
 * messages, replies and other mail sent, events and time log notes, and
 * quarantined messages.  Written as a plain-text summary in French
 * followed by the complete data as JSON (--json: the JSON alone).  The
 * store is opened read-only; the output file is created 0600.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include "store.h"
#include "cmd.h"
#include "privacy_int.h"
#include "plural.h"
#include "setup.h"
#include "vocab.h"

static const char *const time_cols[] = {
	"created", "answered", "closed", "updated", "date", "received", "time", "sent", NULL
};

struct access {
	struct store	*st;
	GTimeZone	*tz;
	const char	*addr;
	const char	*key;
	JsonBuilder	*b;
	GError		*err;
};

static gboolean
is_time_col(const char *name)
{
	for (const char *const *c = time_cols; *c != NULL; c++)
		if (strcmp(*c, name) == 0)
			return TRUE;
	return FALSE;
}

static char *
iso_time(struct access *a, gint64 t)
{
	g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc(t);
	g_autoptr(GDateTime) l = u != NULL ? g_date_time_to_timezone(u, a->tz) : NULL;

	return l != NULL ? g_date_time_format_iso8601(l) : g_strdup_printf("%" G_GINT64_FORMAT, t);
}

/* One row as a JSON object, a member per column but "id". */
static void
add_row(struct access *a, struct store_cursor *s)
{
	json_builder_begin_object(a->b);
	for (int i = 0; i < store_columns(s); i++) {
		const char *name = store_column_name(s, i);

		if (strcmp(name, "id") == 0)
			continue;
		json_builder_set_member_name(a->b, name);
		switch (store_type(s, i)) {
		case STORE_NULL:
			json_builder_add_null_value(a->b);
			break;
		case STORE_INTEGER:
			if (is_time_col(name)) {
				g_autofree char *t = iso_time(a, store_int64(s, i));

				json_builder_add_string_value(a->b, t);
			} else
				json_builder_add_int_value(a->b, store_int64(s, i));
			break;
		case STORE_FLOAT:
			json_builder_add_double_value(a->b, store_double(s, i));
			break;
		default: {
			/* TEXT and BLOB (raw mail): valid UTF-8 for JSON. */
			gsize len;
			const char *p = store_blob(s, i, &len);
			g_autofree char *v = g_utf8_make_valid(p ? p : "", len);

			json_builder_add_string_value(a->b, v);
			break;
		}
		}
	}
}

/* A JSON array named member of the rows of set (for request id). */
static gboolean
add_rows(struct access *a, const char *member, enum store_access set, gint64 id,
    void (*nested)(struct access *, gint64))
{
	struct store_cursor *s = store_access_rows(a->st, set, a->addr, a->key, id, &a->err);

	if (s == NULL)
		return FALSE;
	json_builder_set_member_name(a->b, member);
	json_builder_begin_array(a->b);
	while (store_next(s)) {
		add_row(a, s);
		if (nested != NULL)
			nested(a, store_int64(s, 0));
		json_builder_end_object(a->b);
	}
	json_builder_end_array(a->b);
	store_cursor_end(s, a->err == NULL ? &a->err : NULL);
	return a->err == NULL;
}

static void
request_parts(struct access *a, gint64 id)
{
	if (a->err != NULL)
		return;
	add_rows(a, "messages", STORE_ACCESS_MESSAGES, id, NULL);
	add_rows(a, "mail_sent", STORE_ACCESS_MAIL_SENT, id, NULL);
	add_rows(a, "events", STORE_ACCESS_EVENTS, id, NULL);
	add_rows(a, "time_log", STORE_ACCESS_TIME_LOG, id, NULL);
}

static JsonNode *
collect(struct access *a, const struct config *cfg)
{
	g_autofree char *now = iso_time(a, g_get_real_time() / G_USEC_PER_SEC);

	a->b = json_builder_new();
	json_builder_begin_object(a->b);
	json_builder_set_member_name(a->b, "address");
	json_builder_add_string_value(a->b, a->addr);
	json_builder_set_member_name(a->b, "generated");
	json_builder_add_string_value(a->b, now);
	json_builder_set_member_name(a->b, "controller");
	json_builder_add_string_value(a->b, cfg->privacy_controller);
	json_builder_set_member_name(a->b, "contact");
	json_builder_add_string_value(a->b, cfg->privacy_contact);
	json_builder_set_member_name(a->b, "retention_days");
	json_builder_begin_object(a->b);
	json_builder_set_member_name(a->b, "text_after_close");
	json_builder_add_int_value(a->b, cfg->retention_text_days);
	json_builder_set_member_name(a->b, "sender_after_receipt");
	json_builder_add_int_value(a->b, cfg->retention_pseudonymise_days);
	json_builder_set_member_name(a->b, "quarantine");
	json_builder_add_int_value(a->b, cfg->retention_quarantine_days);
	json_builder_end_object(a->b);
	if (a->st != NULL) {
		add_rows(a, "requests", STORE_ACCESS_REQUESTS, 0, request_parts);
		if (a->err == NULL)
			add_rows(a, "other_messages", STORE_ACCESS_OTHER_MESSAGES, 0, NULL);
		if (a->err == NULL)
			add_rows(a, "other_mail_sent", STORE_ACCESS_OTHER_MAIL_SENT, 0, NULL);
	}
	json_builder_end_object(a->b);
	return json_builder_get_root(a->b);
}

static const char *
french(const char *v)
{
	static const char *const words[][2] = {
		{ "queued", "en attente d'envoi" }, { "sent", "envoyé" }, { "failed", "non envoyé" },
		{ "in", "reçu" }, { "out", "envoyé" }, { "stored", "enregistré" },
		{ "quarantined", "en quarantaine" }, { "created", "reçue" },
		{ "followup", "suite reçue" }, { "reopened", "rouverte" },
		{ "label", "classement corrigé" }, { "forget", "effacement" },
		{ "purge", "purge" },
	};

	if (v == NULL)
		return "-";
	for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
		if (strcmp(words[i][0], v) == 0)
			return words[i][1];
	return vocab_fr(v);
}

static const char *
member(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	return n != NULL && JSON_NODE_HOLDS_VALUE(n) &&
	    json_node_get_value_type(n) == G_TYPE_STRING ? json_node_get_string(n) : NULL;
}

/* "2026-11-27T21:03:00+01" as "27.11.2026 21:03". */
static char *
fr_date(const char *iso)
{
	g_autoptr(GDateTime) d = iso != NULL ? g_date_time_new_from_iso8601(iso, NULL) : NULL;

	return d != NULL ? g_date_time_format(d, "%d.%m.%Y %H:%M") : g_strdup("-");
}

static void
summary_request(GString *out, JsonObject *r)
{
	g_autofree char *created = fr_date(member(r, "created"));
	JsonArray *msgs = json_object_get_array_member(r, "messages");
	JsonArray *sent = json_object_get_array_member(r, "mail_sent");
	JsonArray *ev = json_object_get_array_member(r, "events");
	guint nin = 0, nout = 0;

	g_string_append_printf(out, "\nDemande %s\n  reçue le %s, statut : %s\n",
	    member(r, "ref"), created, french(member(r, "status")));
	if (member(r, "sender_addr") != NULL)
		g_string_append_printf(out, "  expéditeur : %s%s%s%s\n",
		    member(r, "sender_name") ? member(r, "sender_name") : "",
		    member(r, "sender_name") ? " <" : "", member(r, "sender_addr"),
		    member(r, "sender_name") ? ">" : "");
	else
		g_string_append(out, "  expéditeur : nom et adresse déjà effacés\n");
	g_string_append_printf(out, "  objet : %s\n", member(r, "subject") ? member(r, "subject") :
	    "(effacé)");
	g_string_append_printf(out, "  classement : demandeur %s, domaine %s, thème %s, "
	    "commune %s, langue %s, urgente : %s\n", french(member(r, "requester")),
	    french(member(r, "domain")), french(member(r, "topic")),
	    french(member(r, "commune")), french(member(r, "language")),
	    json_object_get_int_member(r, "urgent") ? "oui" : "non");
	for (guint i = 0; msgs != NULL && i < json_array_get_length(msgs); i++) {
		const char *d = member(json_array_get_object_element(msgs, i), "direction");

		if (d != NULL && strcmp(d, "in") == 0)
			nin++;
		else
			nout++;
	}
	{
		g_autofree char *a = plural_fr(nin, "reçu", "reçus");
		g_autofree char *b = plural_fr(nout, "envoyé", "envoyés");

		g_string_append_printf(out, "  messages : %s, %s\n", a, b);
	}
	for (guint i = 0; sent != NULL && i < json_array_get_length(sent); i++) {
		JsonObject *m = json_array_get_object_element(sent, i);
		g_autofree char *when = fr_date(member(m, "sent") ? member(m, "sent") :
		    member(m, "created"));

		g_string_append_printf(out, "  courriel de guichet : %s, %s, %s\n",
		    french(member(m, "kind")), french(member(m, "status")), when);
	}
	if (ev != NULL && json_array_get_length(ev) > 0) {
		g_string_append(out, "  historique :");
		for (guint i = 0; i < json_array_get_length(ev); i++) {
			JsonObject *e = json_array_get_object_element(ev, i);
			g_autofree char *when = fr_date(member(e, "time"));

			g_string_append_printf(out, "%s %s (%s)", i ? "," : "",
			    french(member(e, "kind")), when);
		}
		g_string_append_c(out, '\n');
	}
	if (json_object_get_int_member(r, "purged"))
		g_string_append(out, "  les textes ont été effacés (durée de conservation échue)\n");
}

static char *
summary(JsonNode *root, const struct config *cfg)
{
	JsonObject *o = json_node_get_object(root);
	JsonArray *reqs = json_object_has_member(o, "requests") ?
	    json_object_get_array_member(o, "requests") : NULL;
	JsonArray *other = json_object_has_member(o, "other_messages") ?
	    json_object_get_array_member(o, "other_messages") : NULL;
	JsonArray *osent = json_object_has_member(o, "other_mail_sent") ?
	    json_object_get_array_member(o, "other_mail_sent") : NULL;
	g_autofree char *now = fr_date(member(o, "generated"));
	guint n = reqs != NULL ? json_array_get_length(reqs) : 0;
	GString *out = g_string_new(NULL);

	g_string_append_printf(out, "Droit d'accès : données enregistrées au sujet de %s\n"
	    "Responsable : %s\nContact : %s\nExtrait établi le %s.\n\n",
	    member(o, "address"), cfg->privacy_controller, cfg->privacy_contact, now);
	if (n == 0 && (other == NULL || json_array_get_length(other) == 0) &&
	    (osent == NULL || json_array_get_length(osent) == 0))
		g_string_append(out, "Aucune donnée n'est enregistrée au sujet de cette adresse.\n");
	else
	{
		g_autofree char *a = plural_fr(n, "demande enregistrée",
		    "demandes enregistrées");

		g_string_append_printf(out, "%s.\n", a);
	}
	for (guint i = 0; i < n; i++)
		summary_request(out, json_array_get_object_element(reqs, i));
	if (other != NULL && json_array_get_length(other) > 0)
		g_string_append_printf(out, "\nMessages non rattachés à une demande "
		    "(par exemple en quarantaine) : %u\n", json_array_get_length(other));
	if (osent != NULL && json_array_get_length(osent) > 0)
		g_string_append_printf(out, "\nAutres courriels envoyés à cette adresse : %u\n",
		    json_array_get_length(osent));
	{
		g_autofree char *t = plural_fr(cfg->retention_text_days, "jour", "jours");
		g_autofree char *p = plural_fr(cfg->retention_pseudonymise_days,
		    "jour", "jours");
		g_autofree char *q = plural_fr(cfg->retention_quarantine_days,
		    "jour", "jours");

		g_string_append_printf(out, "\nDurées de conservation : le texte des "
		    "messages est effacé %s après la clôture de la demande, le nom "
		    "et l'adresse de l'expéditeur %s après la réception, les messages "
		    "en quarantaine après %s. Les statistiques ne contiennent aucune "
		    "donnée personnelle.\nPour faire rectifier ou effacer ces "
		    "données, écrivez à %s.\n\nLe détail complet suit au format "
		    "JSON.\n\n", t, p, q, cfg->privacy_contact);
	}
	return g_string_free(out, FALSE);
}

int
cmd_access(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct access a = { 0 };
	struct setup *setup;
	struct store *st = NULL;
	const char *out = NULL;
	gboolean json_only = FALSE;
	g_autofree char *addr = NULL, *key = NULL, *json = NULL, *text = NULL;
	g_autoptr(GString) all = g_string_new(NULL);
	g_autoptr(JsonGenerator) gen = NULL;
	JsonNode *root;
	GError *err = NULL;
	int ch, rc = 0;

	while ((ch = getopt_long(argc, argv, "o:j", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': out = optarg; break;
		case 'j': json_only = TRUE; break;
		default: return cmd_usage("access");
		}
	}
	if (optind + 1 != argc)
		return cmd_usage("access");
	if ((addr = privacy_address(argv[optind])) == NULL) {
		fprintf(stderr, "guichet: access: '%s' is not an e-mail address\n", argv[optind]);
		return 1;
	}
	if (cmd_open(g, &setup, &st, STORE_READONLY) != 0)
		return 1;
	a.st = st;
	a.addr = addr;
	a.key = key = st != NULL ? store_sender_key(st, addr) : NULL;
	a.tz = g_time_zone_new_identifier(setup->cfg->timezone);
	if (a.tz == NULL)
		a.tz = g_time_zone_new_local();
	root = collect(&a, setup->cfg);
	if (a.err != NULL) {
		fprintf(stderr, "guichet: access: %s\n", a.err->message);
		g_clear_error(&a.err);
		rc = 1;
		goto done;
	}
	gen = json_generator_new();
	json_generator_set_pretty(gen, TRUE);
	json_generator_set_root(gen, root);
	json = json_generator_to_data(gen, NULL);
	if (!json_only) {
		text = summary(root, setup->cfg);
		g_string_append(all, text);
	}
	g_string_append_printf(all, "%s\n", json);
	if (out == NULL)
		fputs(all->str, stdout);
	else if (!g_file_set_contents_full(out, all->str, (gssize)all->len,
	    G_FILE_SET_CONTENTS_CONSISTENT, 0600, &err)) {
		fprintf(stderr, "guichet: access: %s\n", err->message);
		g_error_free(err);
		rc = 1;
	} else
		printf("written to %s\n", out);
done:
	json_node_unref(root);
	g_object_unref(a.b);
	g_time_zone_unref(a.tz);
	store_close(st);
	setup_free(setup);
	return rc;
}
