/*
 * test_rules.c: the rules engine (rules.c, rulecomp.c, match.c, fold.c):
 * folding, every condition and action, precedence, stop, and the
 * file:line errors of tests/fixtures/rules-bad/.
 */
#include <string.h>
#include <glib/gstdio.h>
#include "tap.h"
#include "rules.h"
#include "fold.h"

static struct ruleset *rs;

static struct request *
mk(const char *from, const char *subject, const char *body)
{
	struct request *r = request_new("test", g_malloc0(1), 0);

	if (from != NULL) {
		r->from_addr = g_strdup(from);
		r->from_domain = g_strdup(strchr(from, '@') + 1);
	}
	r->subject = g_strdup(subject);
	r->text = g_strdup(body);
	r->language = g_strdup("fr");
	r->size = 100;
	return r;
}

static gboolean
has_tag(const struct request *r, const char *tag)
{
	for (guint i = 0; i < r->tags->len; i++)
		if (strcmp(g_ptr_array_index(r->tags, i), tag) == 0)
			return TRUE;
	return FALSE;
}

static const struct rule_hit *
hit(const struct request *r, const char *rule)
{
	for (guint i = 0; i < r->hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(r->hits, i);

		if (strcmp(h->rule, rule) == 0)
			return h;
	}
	return NULL;
}

/* Apply the fixture rules to a message and say whether tag was added. */
static gboolean
fires(const char *subject, const char *body, const char *tag)
{
	g_autoptr(Request) r = mk("x@example.com", subject, body);

	ruleset_apply(rs, r);
	return has_tag(r, tag);
}

static void
test_fold(void)
{
	GString *s = g_string_new(NULL);
	gboolean prefix;
	g_autofree char *k1 = fold_keyword("Naturalis*", &prefix);
	g_autofree char *k2 = fold_keyword("dans # jours", &prefix);
	g_autofree char *k3 = fold_keyword(" !!! ", &prefix);

	fold_text(s, "L'INTÉGRATION, c'est  Straße/Œuvre; 12 ans!", -1);
	is_str(s->str, " l integration c est strasse oeuvre # ans ", "fold: case, accents, ß, œ, punctuation, numbers");
	g_string_truncate(s, 0);
	fold_text(s, "КВАРТИРА йод Ї сім'ї ЂАК", -1);
	is_str(s->str, " kvartira iod i sim i dak ", "fold: Cyrillic in Latin letters, case, breve/diaeresis");
	g_string_truncate(s, 0);
	fold_text(s, "спајање породице / spajanje porodice", -1);
	is_str(s->str, " spajanje porodice spajanje porodice ", "fold: Serbian Cyrillic meets Serbian Latin");
	g_string_truncate(s, 0);
	fold_text(s, "الإِقَامَة ـ كتاب", -1);
	is_str(s->str, " الاقامه کتاب ", "fold: Arabic tashkeel, hamza, tatweel, teh marbuta, kaf");
	g_string_truncate(s, 0);
	fold_text(s, "ገዛ፡ክራይ።", -1);
	is_str(s->str, " ገዛ ክራይ ", "fold: Ethiopic word space and full stop");
	g_string_truncate(s, 0);
	fold_text(s, "می‌خواهم İstanbul ışık", -1);
	is_str(s->str, " می\001خواهم istanbul isik ", "fold: ZWNJ kept as a joiner, Turkish dotted and dotless i");
	g_string_truncate(s, 0);
	fold_text(s, "bad \xff\xfe utf8", -1);
	is_str(s->str, " bad utf8 ", "fold: invalid UTF-8 is a separator");
	g_string_truncate(s, 0);
	fold_text(s, "வணக்கம் தமிழ் ொ", -1);
	is_str(s->str, " வணககம தமழ ", "fold: Tamil vowel signs and virama dropped for the rules");
	g_string_truncate(s, 0);
	fold_text_marks(s, "வணக்கம் தமிழ் கொடு É", -1);
	is_str(s->str, " வணக்கம் தமிழ் கொடு e ", "fold_text_marks: Tamil keeps its vowel signs, Latin still folded");
	is_str(k1, "naturalis", "keyword: trailing * is a prefix");
	ok(prefix == FALSE, "keyword: no * no prefix");
	is_str(k2, "dans # jours", "keyword: lone # is any number");
	{
		g_autofree char *k4 = fold_keyword("بی\u200cخانه", &prefix);

		is_str(k4, "بی خانه", "keyword: a ZWNJ is a space");
	}
	ok(k3 == NULL, "keyword: nothing to match is NULL");
	g_string_free(s, TRUE);
}

static void
test_keywords(void)
{
	ok(fires("L'intégration à Sierre", "", "t-integration"), "keyword: accents");
	ok(fires("INTEGRATION", "", "t-integration"), "keyword: upper case");
	ok(fires("Integration", "", "t-integration"), "keyword: capital");
	ok(!fires("intégrations", "", "t-integration"), "keyword: whole word only");
	ok(!fires("", "intégration", "t-integration"), "keyword: subject condition ignores body");
	ok(fires("", "Ma NATURALISATION", "t-prefix"), "prefix: naturalis* matches naturalisation");
	ok(!fires("", "dénaturalisé", "t-prefix"), "prefix: anchored at the word start");
	ok(fires("Ma Carte de Séjour", "", "t-phrase"), "phrase: in the subject (text)");
	ok(fires("", "ma carte de\n séjour", "t-phrase"), "phrase: across a line break (text)");
	ok(!fires("", "carte, et de séjour", "t-phrase"), "phrase: words must follow each other");
	ok(!fires("", "partir", "t-art"), "boundary: art not in partir");
	ok(fires("", "l'art", "t-art"), "boundary: apostrophe separates");
	ok(fires("", "Шукаю КВАРТИРА", "t-cyr"), "Cyrillic: case folded");
	ok(fires("", "немає житла", "t-cyr"), "Cyrillic: prefix");
	ok(fires("", "stan, kvartira", "t-cyr"), "Cyrillic keyword matches its Latin transliteration");
	ok(fires("", "تجديد الإِقَامَة", "t-ar"), "Arabic: tashkeel stripped");
	ok(fires("", "ሰላም፡ክራይ ገዛ።", "t-ti"), "Tigrinya: phrase with Ethiopic punctuation");
	ok(fires("", "دنبال كار هستم", "t-fa"), "Persian: Arabic kaf matches Persian keheh");
	ok(fires("", "اتصلت بالشرطة أمس", "t-arcl"), "Arabic: bi+al- before a keyword");
	ok(fires("", "ذهبت وللشرطة", "t-arcl"), "Arabic: wa+lil- before a keyword");
	ok(fires("", "الشرطة", "t-arcl"), "Arabic: the article before a keyword");
	ok(fires("", "خرجت والبيت مغلق", "t-arcl"), "Arabic: wa- before a keyword with the article");
	ok(fires("", "فالبيت", "t-arcl"), "Arabic: fa+al- before a keyword with the article");
	ok(!fires("", "مشرطة الشرطية", "t-arcl"), "Arabic: no stripping of other letters, whole words");
	ok(fires("", "او را می‌کشد", "t-zw1"), "Persian: spaced keyword meets ZWNJ");
	ok(fires("", "او را میکشد", "t-zw1"), "Persian: spaced keyword meets joined text");
	ok(fires("", "او را می کشد", "t-zw1"), "Persian: spaced keyword meets spaced text");
	ok(!fires("", "می رود کشد", "t-zw1"), "Persian: the words must still follow each other");
	ok(fires("", "ما بی‌خانه هستیم", "t-zw2"), "Persian: ZWNJ keyword meets ZWNJ");
	ok(fires("", "ما بیخانه هستیم", "t-zw2"), "Persian: ZWNJ keyword meets joined text");
	ok(fires("", "ما بی خانه هستیم", "t-zw2"), "Persian: ZWNJ keyword meets spaced text");
	ok(fires("", "خانه‌ها گران است", "t-zw3"), "Persian: a ZWNJ ends a word (plural)");
	ok(fires("", "مرا می‌کشد", "t-zw3"), "Persian: a keyword starts after a ZWNJ");
	ok(!fires("", "خانهها کشدار", "t-zw3"), "Persian: joined text is one word");
	ok(fires("", "répondre dans 10 jours", "t-num"), "number: # matches 10");
	ok(!fires("", "répondre dans dix jours", "t-num"), "number: # is digits only");
	ok(fires("", "Bahnhof Straße 3", "t-ss"), "German: ß folds to ss");
	ok(!fires("", "Bahnhofstraße 3", "t-ss"), "German: no match inside a compound");
}

static void
test_conditions(void)
{
	g_autoptr(Request) a = mk("Marie@Example.org", "REF-12 noatt", "votre code 1234 merci");
	g_autoptr(Request) b = mk("greffe@admin.vs.ch", "rien", "rien");
	g_autoptr(Request) c = mk("info@chippis.ch", "rien", "rien");
	g_autoptr(Request) d = mk("x@test.ch", "combo", "sans le mot");
	g_autoptr(Request) e = mk("x@test.ch", "combo", "sauf ceci");
	struct header *h = g_new0(struct header, 1);
	struct attachment *at = g_new0(struct attachment, 1);

	g_free(a->from_addr);
	a->from_addr = g_strdup("marie@example.org");
	a->to = g_strdup("Delegue@Chippis.ch, autre@x.ch");
	a->from_name = g_strdup("Association des Amis");
	h->name = g_strdup("x-test");
	h->value = g_strdup("yes please");
	g_ptr_array_add(a->headers, h);
	ruleset_apply(rs, a);
	ok(has_tag(a, "t-from"), "from: glob on the address");
	ok(has_tag(a, "t-sre"), "subject_regex");
	ok(has_tag(a, "t-bre"), "body_regex: any of a list");
	ok(has_tag(a, "t-header"), "header: name case-insensitive, regex on value");
	ok(has_tag(a, "t-noatt"), "has_attachment = false");
	ok(has_tag(a, "t-to"), "to: glob on To addresses");
	is_str(a->requester, "association", "from_name keywords set requester");
	ok(!has_tag(a, "t-lang"), "language: fr is not ti/fa");
	ok(!has_tag(a, "t-size"), "size_over: 100 bytes is not over 1K");
	ok(!has_tag(a, "t-vs"), "from_domain: example.org is not vs.ch");

	ruleset_apply(rs, b);
	ok(has_tag(b, "t-vs"), "from_domain: suffix match admin.vs.ch");
	is_str(b->requester, "inconnu", "default requester is inconnu");
	is_str(b->domain, "autre", "default domain is autre");
	ok(b->topic == NULL && b->commune == NULL, "no topic, no commune by default");
	is_str(reply_kind_str(b->reply), "ack", "default reply is ack");
	ok(b->reply_template == NULL, "no template for ack");

	ruleset_apply(rs, c);
	is_str(c->requester, "commune", "from_commune: sender domain of a declared commune");
	is_str(c->commune, "Chippis", "commune from its domain (implicit rule)");
	ok(hit(c, "commune:Chippis:domain") != NULL, "implicit commune rule recorded in hits");

	ruleset_apply(rs, d);
	ok(has_tag(d, "t-not"), "not: inner condition fails");
	ruleset_apply(rs, e);
	ok(!has_tag(e, "t-not"), "not: inner condition holds");

	ok(fires("alpha", "", "t-any") && fires("", "beta", "t-any"), "any: either branch");
	ok(!fires("", "alpha", "t-any"), "any: neither branch");
	ok(fires("gamma", "delta", "t-all") && !fires("gamma", "", "t-all"), "all: every branch");
	ok(fires("q", "vraiment ?", "t-question") && fires("q", "\xd9\x85\xd8\x9f", "t-question"),
	    "question: ASCII and Arabic question marks");
	ok(!fires("q", "affirmation.", "t-question"), "question: none");

	{
		g_autoptr(Request) f = mk("x@test.ch", "s", "texte");

		f->size = 2000;
		g_free(f->language);
		f->language = g_strdup("ti");
		at->filename = g_strdup("Photo.JPG");
		at->content_type = g_strdup("application/PDF");
		g_ptr_array_add(f->attachments, at);
		ruleset_apply(rs, f);
		ok(has_tag(f, "t-lang"), "language: in the list");
		ok(has_tag(f, "t-size"), "size_over 1K and size_under 4096");
		ok(has_tag(f, "t-pdf"), "attachment_type glob, case-insensitive");
		ok(has_tag(f, "t-jpg"), "attachment_name glob, case-insensitive");
	}
	{
		g_autoptr(Request) g = mk("x@test.ch", "s",
		    "Bonjour\n> le président a dit\nSalutations\nJean, président");

		g->text_clean = g_strdup("Bonjour");
		ruleset_apply(rs, g);
		ok(has_tag(g, "t-full"), "full_body: sees the signature");
		g_free(g->text);
		g->text = g_strdup("Bonjour\n> le président a dit");
		ruleset_apply(rs, g);
		ok(!has_tag(g, "t-full"), "full_body: quoted lines are not read");
	}
	{
		g_autoptr(Request) k = mk("x@test.ch", "s", "j'habite à Grône");

		ruleset_apply(rs, k);
		is_str(k->commune, "Grône", "commune from a word of the text");
	}
}

static void
test_precedence(void)
{
	g_autoptr(Request) a = mk("x@test.ch", "loyer", "appartement et permis");
	g_autoptr(Request) b = mk("x@test.ch", "question", "loyer et permis");
	g_autoptr(Request) c = mk("x@test.ch", "prioritaire check", "loyer appartement bail");
	g_autoptr(Request) d = mk("x@test.ch", "permis", "renouvellement du permis, loyer");
	g_autoptr(Request) e = mk("x@test.ch", "prioritaire", "cours de français, loyer");
	g_autoptr(Request) f = mk("x@test.ch", "newsletter", "danger");
	g_autoptr(Request) g = mk("x@gmail.com", "check", "danger");
	g_autoptr(Request) h = mk("x@test.ch", "exercice", "danger");
	const struct rule_hit *x;

	ruleset_apply(rs, a);
	is_str(a->topic, "logement", "most distinct keywords wins (2 against 1)");
	is_str(a->domain, "information", "topic implies its domain");
	is_str(reply_kind_str(a->reply), "orientation", "orientation reply");
	is_str(a->reply_template, "orientation-logement", "default template orientation-<topic>");
	x = hit(a, "lab-logement");
	ok(x != NULL, "hit recorded");
	is_str(x ? x->words : NULL, "loyer, appartement", "hit lists the matched keywords");
	ok(x && g_str_has_suffix(x->file, "20-labels.conf:3"), "hit gives file:line (%s)", x ? x->file : "");

	ruleset_apply(rs, b);
	is_str(b->topic, "logement", "tie: the earliest rule wins");

	ruleset_apply(rs, c);
	is_str(c->domain, "langue", "priority beats the number of keywords");
	ok(c->topic == NULL, "a topic outside the winning domain is dropped");
	ok(has_tag(c, "t-domain-cond"), "label condition sees the domain decided so far");
	is_str(reply_kind_str(c->reply), "ack", "orientation of a dropped topic does not apply");

	ruleset_apply(rs, d);
	is_str(d->topic, "permis", "permis wins with 2 keywords");
	is_str(d->reply_template, "orientation-special", "explicit template");

	ruleset_apply(rs, e);
	is_str(e->topic, "cours", "topic of the winning domain is kept");

	ruleset_apply(rs, f);
	is_str(reply_kind_str(f->reply), "none", "reply none");
	ok(!has_tag(f, "t-after-stop"), "stop ends evaluation");
	ok(f->urgent, "rules before the stop did run");

	ruleset_apply(rs, g);
	ok(g->urgent, "urgent = true");
	ok(has_tag(g, "t-urgent-cond"), "urgent condition sees urgency so far");
	ok(g->forwards->len == 1 && strcmp(g_ptr_array_index(g->forwards, 0),
	    "urgent@example.org") == 0, "forward action");
	ok(has_tag(g, "urgent") && has_tag(g, "t-danger"), "several tags");
	is_str(g->requester, "migrant", "requester set");
	is_str(reply_kind_str(g->reply), "ack", "explicit ack");

	ruleset_apply(rs, h);
	ok(!h->urgent, "urgent = false with a higher priority wins");

	/* applying twice gives the same result, not duplicates */
	ruleset_apply(rs, g);
	ok(g->forwards->len == 1 && g->tags->len == 3, "apply again resets tags and forwards");
}

static void
test_accessors(void)
{
	GPtrArray *p = ruleset_partners(rs);
	const struct partner *sp = p->len > 0 ? g_ptr_array_index(p, 0) : NULL;
	GPtrArray *refs = ruleset_template_refs(rs);
	gboolean special = FALSE, logement = FALSE;

	ok(ruleset_domains(rs)->len == 3, "three domains");
	ok(ruleset_topics(rs)->len == 3, "three topics");
	is_str(ruleset_domain(rs, "langue")->pic2018, "langue_formation", "pic2018 mapping");
	is_str(ruleset_topic(rs, "cours")->domain, "langue", "topic domain");
	ok(ruleset_domain(rs, "nope") == NULL && ruleset_topic(rs, NULL) == NULL, "unknown is NULL");
	ok(ruleset_communes(rs)->len == 2, "two communes");
	ok(p->len == 2, "two partners");
	is_str(sp ? sp->phone : NULL, "027 606 55 52", "partner phone");
	ok(sp && sp->languages[1] && strcmp(sp->languages[1], "de") == 0 &&
	    sp->languages[2] == NULL, "partner languages");
	ok(p->len == 2 && ((struct partner *)g_ptr_array_index(p, 1))->to_fill &&
	    ((struct partner *)g_ptr_array_index(p, 1))->topics[0] == NULL, "partner to_fill, empty topics");
	for (guint i = 0; i < refs->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(refs, i);

		special |= strcmp(h->rule, "orientation-special") == 0 &&
		    g_str_has_suffix(h->file, "20-labels.conf:6");
		logement |= strcmp(h->rule, "orientation-logement") == 0;
	}
	ok(special && logement && refs->len == 2, "template references with file:line");
	for (guint i = 0; !(special && logement) && i < refs->len; i++)
		printf("#   ref %s at %s\n", ((struct rule_hit *)g_ptr_array_index(refs, i))->rule,
		    ((struct rule_hit *)g_ptr_array_index(refs, i))->file);
}

/* The shipped rules on a few messages whose labels must not regress. */
static void
test_shipped(const struct ruleset *sh)
{
	static const struct {
		const char *from, *subject, *body, *domain, *requester;
		gboolean urgent;
	} cases[] = {
		{ "a@gmail.com", "permis C", "Quand puis-je demander le permis C ?",
		  "information", "migrant", FALSE },
		{ "b@gmx.ch", "Deutschkurs", "Gibt es einen Deutschkurs am Abend?",
		  "langue", "migrant", FALSE },
		{ "c@gmail.com", "стан", "Тражим стан у Сијеру, можете ли помоћи?",
		  "information", "migrant", FALSE },
		{ "d@hotmail.com", "expulsion", "Le propriétaire nous expulse, nous devons "
		  "quitter l'appartement vendredi.", "information", "migrant", TRUE },
		{ "e@gmail.com", "bénévolat", "Il y a deux ans nous avons été expulsés. "
		  "Aujourd'hui je voudrais aider comme bénévole.", "vivre_ensemble", "migrant", FALSE },
		{ "f@gmail.com", "recours", "Le délai de recours se termine lundi, je ne "
		  "comprends pas la lettre.", "information", "migrant", TRUE },
		{ "greffe@chalais.ch", "soirée d'accueil", "Notre commune souhaite organiser "
		  "l'accueil des nouveaux arrivants. Administration communale",
		  "vivre_ensemble", "commune", FALSE },
		{ "g@gmail.com", "Merci", "Merci beaucoup, bonne journée !", "autre", "migrant", FALSE },
		{ "h@gmail.com", "مترجم", "أحتاج مترجم لموعد عند الطبيب",
		  "interpretariat", "migrant", FALSE },
		{ "i@gmail.com", "ቋንቋ", "ሰላም፡ ትምህርቲ ቋንቋ ፈረንሳይኛ ኣበይ ይርከብ?",
		  "langue", "migrant", FALSE },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(Request) r = mk(cases[i].from, cases[i].subject, cases[i].body);

		ruleset_apply(sh, r);
		ok(g_strcmp0(r->domain, cases[i].domain) == 0 &&
		    g_strcmp0(r->requester, cases[i].requester) == 0 &&
		    r->urgent == cases[i].urgent, "shipped: %s (%s, %s, %s)",
		    cases[i].subject, r->domain, r->requester, r->urgent ? "urgent" : "-");
	}
}

/*
 * The shipped urgency rules alone (no model): a need or a violence told as
 * solved, a service asking about the emergency shelter, a forced marriage
 * close at hand (issue 16).
 */
static void
test_shipped_urgency(const struct ruleset *sh)
{
	static const struct {
		const char *from, *subject, *body;
		gboolean urgent;
	} cases[] = {
		{ "a@gmail.com", "ce soir", "Il n'y a plus rien à manger à la maison, "
		  "les enfants pleurent.", TRUE },
		{ "b@gmail.com", "merci", "En novembre nous n'avions plus rien à manger. "
		  "Maintenant mon mari a trouvé du travail. Merci de tout coeur.", FALSE },
		{ "c@gmail.com", "thanks", "Last winter we had nothing to eat. Now I have a "
		  "job, thank you!", FALSE },
		{ "d@gmail.com", "hébergement", "Où se trouve l'hébergement d'urgence le plus "
		  "proche ?", TRUE },
		{ "e@gmail.com", "brochure", "Pour notre brochure, quelles sont les conditions "
		  "d'accès à l'hébergement d'urgence ?", FALSE },
		{ "f@gmail.com", "aidez-moi", "Mes parents veulent me marier de force, le "
		  "billet est pour samedi.", TRUE },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(Request) r = mk(cases[i].from, cases[i].subject, cases[i].body);

		ruleset_apply(sh, r);
		ok(r->urgent == cases[i].urgent, "shipped urgency: %s (%s)", cases[i].body,
		    r->urgent ? "urgent" : "-");
	}
}

/* Load base.tax + one bad file; check every "# expect LINE: TEXT". */
static void
test_bad_file(const char *name)
{
	g_autofree char *dir = g_dir_make_tmp("guichet-rules-XXXXXX", NULL);
	g_autofree char *src = g_build_filename("tests/fixtures/rules-bad", name, NULL);
	g_autofree char *base = NULL, *text = NULL;
	g_autofree char *dbase = g_build_filename(dir, "00-base.conf", NULL);
	g_autofree char *dcase = g_build_filename(dir, name, NULL);
	g_autoptr(GError) err = NULL;
	g_auto(GStrv) lines = NULL;
	struct ruleset *bad;
	int expected = 0;

	g_file_get_contents("tests/fixtures/rules-bad/base.tax", &base, NULL, NULL);
	g_file_get_contents(src, &text, NULL, NULL);
	g_file_set_contents(dbase, base, -1, NULL);
	g_file_set_contents(dcase, text, -1, NULL);
	bad = ruleset_load(dir, NULL, &err);
	ok(bad == NULL && err != NULL, "%s: refused", name);
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		g_autofree char *want = NULL;
		const char *colon;

		if (!g_str_has_prefix(*l, "# expect "))
			continue;
		colon = strchr(*l + 9, ':');
		want = g_strdup_printf("%s/%s:%.*s:%s", dir, name,
		    (int)(colon - (*l + 9)), *l + 9, colon + 1);
		expected++;
		ok(err && strstr(err->message, want) != NULL, "%s: %s", name, *l + 9);
		if (err && strstr(err->message, want) == NULL)
			printf("#   in: %s\n", err->message);
	}
	ok(expected > 0, "%s: has expectations", name);
	ruleset_free(bad);
	g_unlink(dcase);
	g_unlink(dbase);
	g_rmdir(dir);
}

int
main(void)
{
	g_autoptr(GError) err = NULL;
	const char *bad[] = { "syntax.conf", "unknown-keys.conf", "types.conf",
	    "regex.conf", "undeclared.conf", "actions.conf", "declarations.conf" };

	test_fold();
	rs = ruleset_load(FIXTURE("rules"), NULL, &err);
	ok(rs != NULL, "fixture rules load%s%s", err ? ": " : "", err ? err->message : "");
	if (rs == NULL)
		return tap_done();
	test_keywords();
	test_conditions();
	test_precedence();
	test_accessors();
	ruleset_free(rs);

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
		test_bad_file(bad[i]);
	{
		g_autoptr(GError) e2 = NULL;
		struct ruleset *none = ruleset_load("tests/fixtures/no-such-dir", NULL, &e2);

		ok(none == NULL && e2 && strstr(e2->message, "no-such-dir"), "missing folder");
	}
	{
		g_autoptr(GError) e3 = NULL;
		struct ruleset *shipped = ruleset_load("rules", NULL, &e3);

		ok(shipped != NULL, "shipped rules load%s%s", e3 ? ": " : "", e3 ? e3->message : "");
		if (shipped != NULL) {
			test_shipped(shipped);
			test_shipped_urgency(shipped);
		}
		ruleset_free(shipped);
	}
	return tap_done();
}
