/*
 * test_view.c: the delegate's view without the binary: display widths,
 * dates across DST, CSV fields, percentiles, the tally on a real store and
 * the action table (labels, time words, mail verbs, idempotent close).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include "actions.h"
#include "setup.h"
#include "store_int.h"	/* checks rows with SQL of its own */
#include "tally.h"
#include "viewfmt.h"
#include "tap.h"
#include "labels.h"

static void
test_fmt(void)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/Zurich");
	g_autofree char *cut = view_cut("Crans-Montana", 6);
	g_autofree char *lines = view_first_lines("\n  un\n> cité\n\ndeux\ntrois\nquatre", 3, 80);
	GError *e = NULL;
	gint64 t = 0, t2 = 0;
	GString *c = g_string_new(NULL);

	ok(view_width("Grône") == 5, "width counts characters, not bytes");
	ok(view_width("漢字") == 4, "wide characters take two columns");
	ok(view_width("e\xcc\x81") == 1, "combining accent takes none");
	is_str(cut, "Crans…", "cut with an ellipsis");
	is_str(lines, "un\ndeux\ntrois", "first lines skip blanks and quotes");
	ok(view_parse_time("2025-03-30", tz, FALSE, 0, &t, &e) &&
	    view_parse_time("2025-03-30", tz, TRUE, 0, &t2, &e) && t2 - t == 23 * 3600,
	    "the DST day lasts 23 hours");
	ok(t == 1743289200, "2025-03-30 is midnight in Zurich (%ld)", (long)t);
	ok(view_parse_time("2025-03-30 14:05", tz, TRUE, 0, &t, &e) && t == 1743336300,
	    "date and time");
	ok(view_parse_time("3d", tz, FALSE, 1000000, &t, &e) && t == 1000000 - 3 * 86400, "3d ago");
	ok(!view_parse_time("2025-02-30", tz, FALSE, 0, &t, &e), "30 February refused");
	g_clear_error(&e);
	ok(!view_parse_time("demain", tz, FALSE, 0, &t, &e), "words refused");
	g_clear_error(&e);
	ok(view_valid_date("2024-02-29") && !view_valid_date("2025-02-29") &&
	    !view_valid_date("2025-1-01"), "YYYY-MM-DD dates");
	csv_field(c, "a,b", ',', TRUE);
	csv_field(c, "dit \"oui\"", ',', FALSE);
	csv_field(c, "=HYPERLINK(1)", ',', FALSE);
	csv_field(c, "-3", ',', FALSE);
	csv_field(c, "", ',', FALSE);
	csv_field(c, "Grône", ',', FALSE);
	is_str(c->str, "\"a,b\",\"dit \"\"oui\"\"\",\"'=HYPERLINK(1)\",\"-3\",,Grône",
	    "CSV quoting, formulas neutralised");
	g_string_free(c, TRUE);
}

static int
cmp64(const void *a, const void *b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

	return x < y ? -1 : x > y;
}

static void
test_percentiles(void)
{
	GRand *r = g_rand_new_with_seed(7);
	int bad = 0;

	ok(tally_median(NULL) == -1, "median of nothing");
	for (int round = 0; round < 300; round++) {
		guint n = 1 + g_rand_int_range(r, 0, 60);
		GArray *a = g_array_new(FALSE, FALSE, sizeof(gint64));
		gint64 *s = g_new(gint64, n), med, p90;
		guint k;

		for (guint i = 0; i < n; i++) {
			gint64 v = g_rand_int_range(r, 0, round % 3 ? 1000 : 5);	/* ties too */

			g_array_append_val(a, v);
			s[i] = v;
		}
		qsort(s, n, sizeof *s, cmp64);
		med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
		k = (guint)((9 * n + 9) / 10);	/* ceil(0.9 n) */
		p90 = s[(k < 1 ? 1 : k) - 1];
		if (tally_median(a) != med || tally_percentile(a, 0.9) != p90 ||
		    tally_percentile(a, 1.0) != s[n - 1])
			bad++;
		g_array_unref(a);
		g_free(s);
	}
	ok(bad == 0, "median and nearest-rank 90th percentile match a sort (%d wrong)", bad);
	g_rand_free(r);
}

/* A store in a temporary file with requests around DST changes. */
static struct store *
temp_store(char *path)
{
	GError *e = NULL;
	int fd = g_mkstemp(path);
	struct store *st;

	close(fd);
	unlink(path);
	st = store_open(path, 0, &e);
	ok(st != NULL, "temporary store opens: %s", e ? e->message : "");
	return st;
}

static void
insert(struct store *st, const char *ref, gint64 created, const char *domain,
    const char *commune, gint64 answered)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO requests(ref, created, updated, domain, "
	    "commune, answered, requester) VALUES(?, ?, ?, ?, ?, ?, 'migrant')", NULL);

	sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, created);
	sqlite3_bind_int64(s, 3, created);
	sqlite3_bind_text(s, 4, domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, commune, -1, SQLITE_STATIC);
	if (answered > 0)
		sqlite3_bind_int64(s, 6, answered);
	else
		sqlite3_bind_null(s, 6);
	ok(sqlite3_step(s) == SQLITE_DONE, "insert %s", ref);
	sqlite3_finalize(s);
}

static void
test_tally(struct store *st)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/Zurich");
	static const int month[] = { TF_MONTH }, dc[] = { TF_DOMAIN, TF_COMMUNE };
	struct tally *t;
	GError *e = NULL;
	int gm, gdc;

	/* 2025-03-31 23:30 Zurich (21:30 UTC) is March; 2025-10-31 23:30 is October. */
	insert(st, "T-1", 1743456600, "langue", "Sierre", 1743456600 + 3600);
	insert(st, "T-2", 1761949800, "langue", NULL, 1761949800 + 7200);
	insert(st, "T-3", 1761955200, "information", "Sierre", 0);	/* 1 Nov 01:00 */
	insert(st, "T-4", 1700000000, "information", "Sierre", 0);	/* 2023: out of range */
	t = tally_new(tz, 1735686000, 1767222000);	/* the year 2025 in Zurich */
	gm = tally_group(t, month, 1, FALSE);
	gdc = tally_group(t, dc, 2, TRUE);
	ok(tally_run(t, st, &e), "tally runs: %s", e ? e->message : "");
	ok(t->requests == 3 && t->answered == 2, "three requests in 2025, two answered");
	ok(tally_count(t, gm, "2025-03") == 1 && tally_count(t, gm, "2025-10") == 1 &&
	    tally_count(t, gm, "2025-11") == 1, "months cut in local time around DST");
	{
		g_autoptr(GPtrArray) rows = tally_rows(t, gdc, FALSE);
		struct tally_row *r0 = g_ptr_array_index(rows, 0);
		struct tally_row *r2 = g_ptr_array_index(rows, 2);

		ok(rows->len == 3, "three domain x commune rows");
		ok(strcmp(r0->values[0], "information") == 0 && r0->requests == 1,
		    "rows sorted by values");
		ok(strcmp(r2->values[0], "langue") == 0 && r2->values[1] == NULL &&
		    r2->requests == 1, "empty commune sorts last, kept apart from \"\"");
		ok(tally_median(r2->delays) == 7200, "delays kept per row");
	}
	ok(tally_median(t->delays) == (3600 + 7200) / 2, "overall median of two");
	tally_free(t);
}

static void
test_actions(struct store *st)
{
	GError *e = NULL;
	struct config *cfg = config_load("tests/fixtures/view/view.conf", &e);
	struct setup su = { cfg, NULL, NULL };
	GString *out = g_string_new(NULL);
	char *lab1[] = { "t-1", "domain=information", "topic=logement", "commune=grône",
	    "urgent=oui" };
	char *lab2[] = { "T-1", "topic=cours_langue" };
	char *bad[] = { "T-1", "domain=cuisine" };
	char *time1[] = { "entretien", "T-2", "45", "note=premier", "date=2025-04-01" };
	char *time2[] = { "45", "sieste" };
	char *note[] = { "T-3", "Rappeler", "lundi", "a=b" };
	char *close[] = { "T-3" };
	sqlite3_stmt *s;

	ok(cfg != NULL, "fixture configuration loads: %s", e ? e->message : "");
	if (cfg == NULL)
		return;
	su.rules = ruleset_load(cfg->rules_dir, cfg, &e);
	ok(su.rules != NULL, "fixture taxonomy loads: %s", e ? e->message : "");
	if (su.rules == NULL)
		return;
	ok(strcmp(label_domain(&su, "langue"), "Langue") == 0 &&
	    strcmp(label_topic(&su, "cours_langue"), "Cours de langue") == 0 &&
	    strcmp(label_domain(&su, NULL), "Non classé") == 0, "labels in French");
	{
		char *lang = cfg->default_language;

		cfg->default_language = (char *)"de";
		ok(strcmp(label_domain(&su, "langue"), "Sprache") == 0 &&
		    strcmp(label_topic(&su, "cours_langue"), "Sprachkurs") == 0,
		    "labels in German for a German-speaking region (Haut-Valais)");
		cfg->default_language = lang;
	}
	ok(strcmp(label_requester(NULL, "migrant"), "personne migrante") == 0 &&
	    strcmp(label_kind("entretien"), "entretien de conseil") == 0 &&
	    strcmp(label_status("open"), "ouverte") == 0 &&
	    label_reason("our own address") != NULL && label_reason("xyz") == NULL,
	    "requester, time kind, status and reasons in French");
	ok(action_find("fermer") == action_find("close") && action_find("close") != NULL,
	    "#fermer is close");
	ok(action_find("DOMAINE") != NULL && action_find("nope") == NULL, "mail verbs, any case");
	ok(action_run(st, &su, "label", 5, lab1, out, &e), "label: %s", e ? e->message : "");
	s = store_prepare(st, "SELECT domain, topic, commune, urgent FROM requests WHERE ref='T-1'",
	    NULL);
	ok(sqlite3_step(s) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(s, 0), "information") == 0 &&
	    strcmp((const char *)sqlite3_column_text(s, 1), "logement") == 0 &&
	    strcmp((const char *)sqlite3_column_text(s, 2), "Grône") == 0 &&
	    sqlite3_column_int(s, 3) == 1, "labels stored, commune in its own spelling");
	sqlite3_finalize(s);
	ok(action_run(st, &su, "etiquette", 2, lab2, out, &e) &&
	    strstr(out->str, "domaine : Primo-information et conseil → Langue") != NULL,
	    "a topic brings its domain");
	ok(!action_run(st, &su, "label", 2, bad, out, &e) && e->code == GUICHET_ERROR_CONFIG,
	    "unknown domain refused");
	g_clear_error(&e);
	{
		char *dom[] = { "T-1", "information" };

		g_string_truncate(out, 0);
		ok(action_run(st, &su, "domaine", 2, dom + 0, out, &e) &&
		    strstr(out->str, "thème : Cours de langue → aucun") != NULL,
		    "a new domain alone drops the old domain's topic");
		g_clear_error(&e);
	}
	ok(action_run(st, &su, "temps", 5, time1, out, &e), "time words in any order: %s",
	    e ? e->message : "");
	s = store_prepare(st, "SELECT minutes, kind, date, note FROM time_log", NULL);
	ok(sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 45 &&
	    strcmp((const char *)sqlite3_column_text(s, 1), "entretien") == 0 &&
	    strcmp((const char *)sqlite3_column_text(s, 2), "2025-04-01") == 0 &&
	    strcmp((const char *)sqlite3_column_text(s, 3), "premier") == 0, "time_log row");
	sqlite3_finalize(s);
	ok(!action_run(st, &su, "time", 2, time2, out, &e) && e->code == GUICHET_ERROR_USAGE,
	    "unknown kind refused");
	g_clear_error(&e);
	ok(action_run(st, &su, "note", 4, note, out, &e), "note");
	s = store_prepare(st, "SELECT detail FROM events WHERE kind='note'", NULL);
	ok(sqlite3_step(s) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(s, 0), "Rappeler lundi a=b") == 0,
	    "note words joined, '=' kept");
	sqlite3_finalize(s);
	g_string_truncate(out, 0);
	ok(action_run(st, &su, "fermer", 1, close, out, &e) &&
	    action_run(st, &su, "close", 1, close, out, &e) && strstr(out->str, "déjà") != NULL,
	    "closing twice is harmless");
	ok(!action_run(st, &su, "close", 0, close, out, &e) && e->code == GUICHET_ERROR_USAGE,
	    "close without a reference");
	g_clear_error(&e);
	{
		char *reopen[] = { "T-3" }, *bad2[] = { "T-3", "domain=cuisine" };

		ok(store_begin(st, NULL), "caller's transaction");
		ok(action_run(st, &su, "rouvrir", 1, reopen, out, &e) &&
		    !action_run(st, &su, "label", 2, bad2, out, &e), "actions inside it");
		g_clear_error(&e);
		store_rollback(st);
		s = store_prepare(st, "SELECT status FROM requests WHERE ref='T-3'", NULL);
		ok(sqlite3_step(s) == SQLITE_ROW &&
		    strcmp((const char *)sqlite3_column_text(s, 0), "closed") == 0,
		    "the caller's rollback undoes them (savepoint, no commit of their own)");
		sqlite3_finalize(s);
	}
	{
		/* A requester kind comes from the rules, not from a list in the code. */
		char *emp[] = { "T-1", "requester=employeur" };
		struct setup su2 = { cfg, NULL, NULL };

		ok(!action_run(st, &su, "label", 2, emp, out, &e) && e != NULL &&
		    strstr(e->message, "institution") != NULL,
		    "requester=employeur refused where no rules file declares it");
		g_clear_error(&e);
		su2.rules = ruleset_load("tests/fixtures/view/rules-kinds", cfg, &e);
		ok(su2.rules != NULL, "rules with a requester kind of their own load: %s",
		    e ? e->message : "");
		g_clear_error(&e);
		ok(su2.rules != NULL &&
		    strcmp(label_requester(&su2, "employeur"), "employeuse ou employeur") == 0 &&
		    strcmp(label_requesters(&su2, "employeur"), "Employeurs et employeuses") == 0 &&
		    strcmp(label_requester(&su2, "service_social"), "service social") == 0 &&
		    strcmp(label_requesters(&su2, "service_social"), "Service social") == 0 &&
		    strcmp(label_requester(&su2, "migrant"), "personne migrante") == 0 &&
		    strcmp(label_requesters(&su2, NULL), "Non déterminé") == 0,
		    "kinds named from the taxonomy: declared label, readable code, usual label");
		ok(su2.rules != NULL && action_run(st, &su2, "label", 2, emp, out, &e),
		    "label requester=employeur accepted when a rules file declares it: %s",
		    e ? e->message : "");
		g_clear_error(&e);
		s = store_prepare(st, "SELECT requester FROM requests WHERE ref='T-1'", NULL);
		ok(sqlite3_step(s) == SQLITE_ROW &&
		    g_strcmp0((const char *)sqlite3_column_text(s, 0), "employeur") == 0,
		    "requester employeur stored");
		sqlite3_finalize(s);
		if (su2.rules != NULL)
			ruleset_free(su2.rules);
	}
	g_string_free(out, TRUE);
	ruleset_free(su.rules);
	config_free(cfg);
}

int
main(void)
{
	char path[] = "/tmp/guichet-test-view-XXXXXX";
	struct store *st;

	test_fmt();
	test_percentiles();
	if ((st = temp_store(path)) != NULL) {
		test_tally(st);
		test_actions(st);
		store_close(st);
	}
	unlink(path);
	{
		g_autofree char *wal = g_strdup_printf("%s-wal", path);
		g_autofree char *shm = g_strdup_printf("%s-shm", path);

		unlink(wal);
		unlink(shm);
	}
	return tap_done();
}
