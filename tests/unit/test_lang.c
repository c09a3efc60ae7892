/*
 * test_lang.c: language identification (lang.c) on short requests in
 * every language of the labelled set, too-short text, fallbacks, the
 * runner-up, and the Serbian/Croatian/Bosnian and Arabic-script choices;
 * then every mail of tests/fixtures/lang (short, mixed, quoted, signed,
 * transliterated requests in 25 languages) through parse_request and the
 * identifier, against its labels.tsv.
 */
#include <string.h>
#include <glib.h>
#include <gmime/gmime.h>
#include "tap.h"
#include "lang.h"
#include "parse.h"

static struct langid *lid;

/* Detect the language of subject + text (text_clean), return a copy. */
static char *
detect(const char *subject, const char *text, const char *clang,
    const char *deflt, char **runner)
{
	struct request *r = request_new("test", NULL, 0);
	char *lang;

	r->subject = g_strdup(subject);
	r->text = g_strdup(text);
	r->text_clean = g_strdup(text);
	r->content_language = g_strdup(clang);
	langid_detect(lid, r, deflt);
	lang = g_strdup(r->language);
	if (runner != NULL)
		*runner = g_strdup(r->language_runner_up);
	request_free(r);
	return lang;
}

static void
is_lang(const char *want, const char *subject, const char *text)
{
	g_autofree char *got = detect(subject, text, NULL, "fr", NULL);

	is_str(got, want, "%s: %.40s", want, text);
}

/* Is got right for label want: the same, or bs/hr/sr answered neutrally? */
static gboolean
lang_right(const char *want, const struct request *r)
{
	static const char *const bcms[] = { "bs", "hr", "sr", NULL };

	if (g_strcmp0(r->language, want) == 0)
		return TRUE;
	return g_strv_contains(bcms, want) && r->language != NULL &&
	    g_strv_contains(bcms, r->language) &&
	    g_strcmp0(r->language_variant, "sh") == 0;
}

/*
 * Every mail of tests/fixtures/lang: parsed as guichet parses mail (the
 * quoted reply and the signature cut), then identified.  A Bosnian,
 * Croatian or Serbian mail the marker words cannot place must be answered
 * in the neutral variant, never surely in a wrong one.
 */
static void
fixtures(void)
{
	g_autofree char *tsv = NULL;
	g_auto(GStrv) lines = NULL;
	int n = 0, right = 0, exact = 0;

	if (!g_file_get_contents(FIXTURE("lang/labels.tsv"), &tsv, NULL, NULL)) {
		ok(0, "read %s", FIXTURE("lang/labels.tsv"));
		return;
	}
	lines = g_strsplit(tsv, "\n", -1);
	for (int i = 1; lines[i] != NULL; i++) {
		g_auto(GStrv) f = g_strsplit(lines[i], "\t", -1);
		g_autofree char *path = NULL;
		g_autoptr(GError) err = NULL;
		struct request *r;
		gchar *buf;
		gsize len;

		if (g_strv_length(f) < 3)
			continue;
		path = g_build_filename(FIXTURE("lang"), f[0], NULL);
		if (!g_file_get_contents(path, &buf, &len, NULL)) {
			ok(0, "read %s", path);
			continue;
		}
		r = request_new(path, (guint8 *)buf, len);
		if (!parse_request(r, 10 * 1024 * 1024, &err)) {
			ok(0, "%s parses: %s", f[0], err->message);
			request_free(r);
			continue;
		}
		langid_detect(lid, r, "fr");
		n++;
		exact += g_strcmp0(r->language, f[1]) == 0;
		right += lang_right(f[1], r);
		/* under 20 letters and no two words of one language: und */
		ok(lang_right(f[1], r) || (g_strcmp0(f[2], "short") == 0 &&
		    g_strcmp0(r->language, "und") == 0), "%s: %s (want %s%s%s)", f[0],
		    r->language, f[1], r->language_variant != NULL ?
		    ", reply in " : "", r->language_variant != NULL ?
		    r->language_variant : "");
		request_free(r);
	}
	ok(n > 100, "%d language fixtures", n);
	printf("# language fixtures %.1f%% (%d/%d), exact variant %.1f%% (%d/%d)\n",
	    n ? 100.0 * right / n : 0.0, right, n, n ? 100.0 * exact / n : 0.0,
	    exact, n);
}

int
main(void)
{
	GError *err = NULL;

	g_mime_init();

	lid = langid_new(&err);
	ok(lid != NULL, "langid_new: %s", err != NULL ? err->message : "ok");
	if (lid == NULL)
		return tap_done();

	/* One short request per language of tests/labelled. */
	is_lang("fr", "permis B", "Bonjour, mon permis expire bientôt, que dois-je faire ? Merci");
	is_lang("de", "Frage", "Guten Tag, wo kann ich einen Französischkurs besuchen? Danke");
	is_lang("it", "corso", "Buongiorno, cerco un corso di francese la sera a Sierre. Grazie");
	is_lang("pt", "ajuda", "Bom dia, preciso de ajuda para encontrar uma creche. Obrigada");
	is_lang("es", "", "Buenos dias, donde puedo aprender frances? gracias");
	is_lang("en", "", "Hello, I need help finding a flat in Sierre please.");
	is_lang("sq", "", "Pershendetje, ku mund te mesoj frengjisht? Faleminderit");
	is_lang("tr", "", "Merhaba, Sierre de Fransızca kursu arıyorum. Fiyatı ne kadar?");
	is_lang("tr", "", "Iyi gunler, oturum iznim bitiyor ne yapmam lazim? Tesekkur ederim");
	is_lang("uk", "", "Добрий день, де можна вивчити французьку мову?");
	is_lang("ru", "", "Здравствуйте, где можно найти работу? Спасибо");
	is_lang("ar", "", "مرحبا، أين يمكنني تعلم اللغة الفرنسية؟ شكرا");
	is_lang("fa", "", "سلام، کجا می توانم زبان فرانسوی یاد بگیرم؟ ممنون");
	is_lang("ur", "", "السلام علیکم، مجھے فرانسیسی زبان سیکھنی ہے۔ کہاں جاؤں؟");
	is_lang("ti", "", "ሰላም፣ ኣበይ ቋንቋ ፈረንሳ ክመሃር ይኽእል? የቐንየለይ");
	is_lang("am", "", "ሰላም፣ የፈረንሳይኛ ቋንቋ የት መማር እችላለሁ? እባክዎ ይርዱኝ። አመሰግናለሁ");
	is_lang("so", "", "Salaan, xaggee ka baran karaa luuqadda Faransiiska? Mahadsanid");
	is_lang("ta", "", "வணக்கம், பிரெஞ்சு மொழி எங்கே கற்கலாம்?");
	is_lang("ku", "", "Silav, ez dixwazim zimanê fransî hîn bibim. Ez li ku derê dikarim? Spas");
	is_lang("bg", "", "Здравейте, къде мога да намеря курс по френски език?");
	is_lang("zh", "", "你好，我在哪里可以学习法语？谢谢");

	/* Turkish letters decide, but not a Turkish name in French. */
	is_lang("tr", "", "Sayın yetkili, Derneğimiz Sierre'de bir kültür gecesi düzenliyor.");
	is_lang("fr", "", "Bonjour, je m'appelle Yıldız Ağaoğlu et je cherche un cours de français le soir à Sierre pour adultes débutants.");

	/* Close to Slovenian, but the words are Croatian. */
	is_lang("hr", "", "Poštovani, tko mi može pomoći pronaći posao? Lijep pozdrav");

	/* Serbian, Croatian and Bosnian: own codes by marker words. */
	is_lang("sr", "", "Zdravo, gde mogu da naučim francuski? Hvala unapred");
	is_lang("hr", "", "Poštovani, tko mi može pomoći pronaći posao? Lijep pozdrav");
	is_lang("bs", "", "Selam, šta trebam uraditi za zdravstveno osiguranje i ljekar? Hvala");
	is_lang("sr", "", "Добар дан, где могу да нађем курс француског језика?");
	/* Ijekavian forms the lists lack; a verb ending is not one. */
	is_lang("bs", "poslodavac me vrijeđa", "Poštovani, moj šef me stalno naziva pogrdnim imenima zbog mog porijekla. Ne znam šta da radim.");
	is_lang("hr", "depozit za stan", "Pozdrav, vlasnik stana mi ne želi vratiti depozit iako sam stan ostavila čist. Što mogu učiniti?");
	is_lang("sr", "sin u školi", "Dobar dan, mog sina u školi svakodnevno maltretiraju jer je Srbin, danas su ga udarili i pocepali mu jaknu. Šta da radim?");
	is_lang("sr", "dozvola C", "Poštovani, živim u Švajcarskoj 10 godina sa dozvolom B. Kako da dobijem dozvolu C i da li mi treba sertifikat za jezik?");

	/* Reply prefixes of the subject are not language. */
	is_lang("de", "AW: Re: TR: Fwd:", "Vielen Dank für die Auskunft, ich komme am Montag vorbei.");

	/* Short, but two words of one language, or a telling script. */
	is_lang("en", "", "Thank you very much");
	is_lang("fr", "", "Merci beaucoup !");
	is_lang("ar", "", "شكرا جزيلا");
	is_lang("ti", "", "የቐንየለይ");

	/* Too short: "und", or the declared Content-Language. */
	{
		g_autofree char *a = detect("", "ok merci", NULL, "fr", NULL);
		g_autofree char *b = detect("", "ok merci", "it-CH", "fr", NULL);
		g_autofree char *c = detect(NULL, NULL, NULL, "fr", NULL);
		g_autofree char *d = detect("Scan", "", " de, en", "fr", NULL);

		is_str(a, "und", "short text: und");
		is_str(b, "it", "short text: Content-Language it-CH");
		is_str(c, "und", "no subject, no text: und");
		is_str(d, "de", "short text: first Content-Language");
	}

	/* Text in an unknown script: Content-Language, then the default. */
	{
		g_autofree char *a = detect("", "ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀", NULL, "fr", NULL);
		g_autofree char *b = detect("", "ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀", "pt", "fr", NULL);
		g_autofree char *c = detect("", "ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀ꦱꦼꦭꦩꦠ꧀", NULL, NULL, NULL);

		is_str(a, "und", "unknown script, too few known letters: und");
		is_str(b, "pt", "unknown script: Content-Language");
		is_str(c, "und", "unknown script, no default: und");
	}

	/* text_clean empty: the whole text is used. */
	{
		struct request *r = request_new("test", NULL, 0);

		r->text = g_strdup("Guten Tag, ich suche eine Wohnung für meine Familie in Siders.");
		r->text_clean = g_strdup("");
		langid_detect(lid, r, "fr");
		is_str(r->language, "de", "empty text_clean: falls back to text");
		request_free(r);
	}

	/* A runner-up, never equal to the language. */
	{
		char *runner = NULL;
		g_autofree char *l = detect("Curso", "Bom dia, gostaria de saber se existe curso de francês gratuito perto de Sierre. Obrigada", NULL, "fr", &runner);

		is_str(l, "pt", "runner-up case: pt");
		ok(runner != NULL && g_strcmp0(runner, l) != 0, "runner-up %s differs", runner ? runner : "(null)");
		g_free(runner);
	}

	/* Bosnian, Croatian, Serbian: the variant, its runner-up, how sure. */
	{
		static const struct {
			const char *text, *lang, *variant;
		} v[] = {
			{ "Dobar dan, trebam pomoć. Tko mi može pomoći oko tečaja? Moja obitelj je ovdje tjedan dana.", "hr", NULL },
			{ "Dobar dan, gde mogu da nađem kurs? Moja deca idu u školu, hvala unapred.", "sr", NULL },
			{ "Selam, trebam ljekara za dijete, ove sedmice. Gdje da idem? Hvala lijepo.", "bs", NULL },
			{ "Dobar dan, stanodavac mi je poslao otkaz ugovora o kiriji stana. Šta trebam uraditi? Hvala puno", "bs", "sh" },
			{ "Dobar dan, kako mogu dobiti dozvolu za rad? Hvala puno", "bs", "sh" },
			{ "Добар дан, где могу да нађем курс француског? Моја деца иду у школу. Хвала унапред", "sr", "sr-Cyrl" },
		};

		for (gsize i = 0; i < G_N_ELEMENTS(v); i++) {
			struct request *r = request_new("test", NULL, 0);

			r->text = g_strdup(v[i].text);
			r->text_clean = g_strdup(v[i].text);
			langid_detect(lid, r, "fr");
			if (v[i].variant == NULL || strcmp(v[i].variant, "sh") != 0)
				is_str(r->language, v[i].lang, "variant %s: %.30s",
				    v[i].lang, v[i].text);
			is_str(r->language_variant, v[i].variant, "reply variant "
			    "%s (%s)", v[i].variant ? v[i].variant : "as detected",
			    r->language_note ? r->language_note : "");
			ok(r->language_note != NULL, "explain says how sure");
			ok(r->language_runner_up != NULL &&
			    g_strcmp0(r->language_runner_up, r->language) != 0,
			    "runner-up %s", r->language_runner_up ?
			    r->language_runner_up : "(none)");
			request_free(r);
		}
	}

	fixtures();

	/* Odd shapes: an answer, never a crash. */
	{
		static const char *const odd[][2] = {
			{ "Re:", "" }, { "RE : RE : TR :", "Message :" },
			{ "Fwd:", "---------- Forwarded message ---------" },
			{ "", "Nom : a\nPrénom : b\nMessage :" },
			{ "", "السلام عليكم" }, { "", "3 5 7 9 a3 3a 3333 b2b mp3 2eme" },
			{ "", "i\xCC\x87\xCC\x87\xCC\x87 İİİİİİİİİİİİİİİİİİİİİİ" },
			{ "", "\xCC\x87\xCC\x87 ::: : : --\n--\n> >" },
			{ "Отв: رد: AW:", "ሀሁሂ ኣ ቐ ኸ ሠ ኀ ፀ የ ለሁ ኝ ኒ ለይ" },
			{ "", "ДЖЁ ъъъъъъ ўўўў ђђђ ѓѓѓ іііі" },
		};

		for (gsize i = 0; i < G_N_ELEMENTS(odd); i++) {
			g_autofree char *got = detect(odd[i][0], odd[i][1], NULL,
			    "fr", NULL);

			ok(got != NULL && *got != '\0', "odd text %zu: %s", i, got);
		}
	}

	/* Links and addresses are not language. */
	is_lang("fr", "", "Bonjour, voici le lien https://www.example.com/the-english-page-with-many-words et mon adresse john.smith@example.com merci de me répondre");

	langid_free(lid);
	g_mime_shutdown();
	return tap_done();
}
