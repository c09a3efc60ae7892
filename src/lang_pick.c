/*
 * lang_pick.c: languages sharing a script (see lang_pick.h).
 *
 * Serbian, Croatian and Bosnian get their own codes: a delegate answers a
 * Serb in Serbian and a Croat in Croatian.  Ekavian forms (dete, mesto)
 * are Serbian; ijekavian ones (dijete, mjesto) Croatian or Bosnian; a few
 * words belong to one standard (tko, obitelj, tjedan: Croatian; ljekar,
 * sedmica, kahva: Bosnian; opština, takođe: Serbian).
 */
#include <string.h>
#include "lang_pick.h"

/* Marker words telling Latin-script Serbian, Croatian and Bosnian apart. */
static const char *const bcms_ekav[] = {	/* Serbian only (ekavian...) */
	"deca", "dece", "decu", "deci", "lekar", "lekara", "lekaru", "mesto",
	"mesta", "mestu", "mesec", "meseca", "meseci", "gde", "uvek", "pre",
	"posle", "svet", "cena", "cene", "reč", "reči", "lepo", "hteo",
	"želeo", "želela", "rešenje", "rešiti", "obaveštenje", "savet",
	"nemački", "nemačkog", "nemačku", "sledeće", "sledeći", "negde",
	"celu", "ceo", "devojka", "nedelje", "mleko", "hleb", "bezbedno",
	"videti", "živeti", "opština", "opštine", "opštini", "opštinu",
	"takođe", "avgust", "avgusta", "verovatno", "ćerka", "ćerku",
	"sertifikat", "sertifikata", "sertifikatom", "ovde", "unapred",
	"srbije", "srbija", "srbiju", "beograd", "beograda", "srbin",
	"srpkinja", "srbi", "pocepali", "pocepao", "lekarka", "lekari",
	"deteta", "vreme", "vremena", "mleka", "celog", "sedeti", "reka",
	"pesma", "razumem", "razume", "razumeš", "prevod", "prevodilac",
	"dete", "mesecima", "nedelju", "nedelja", "uveče", "srpski",
	"srpskog", "istorija", "istorije", "bezbedan", "umesto", "svedok",
	"svedočanstvo", "rečenica", "primer", "deo", "dela", "delove",
	"celo", "lečenje", "lečenja", "cveće", "vest", "vesti", "nedeljno", NULL
};
static const char *const bcms_ijek[] = {	/* Croatian and Bosnian */
	"dijete", "djeteta", "vrijeme", "gdje", "uvijek", "prije", "poslije",
	"primjer", "svijet", "cijena", "cijene", "riječ", "riječi", "lijepo",
	"htio", "želio", "željela", "rješenje", "riješiti", "obavijest",
	"savjet", "negdje", "cijelu", "cijeli", "djevojka", "vidjeti",
	"živjeti", "lijep", "mlijeko", "ovdje", "unaprijed", "jučer",
	"švicarska", "švicarskoj", "švicarsku", "švicarske", "susjed",
	"susjeda", "susjedi", "proslijediti", "htjeli", "htjela", "vjerujem",
	"stanarina",
	"prijevod", "djelo", "djela", "dijelove", "cijelo",
	"liječenje", "liječenja", "cvijeće", "vijest", "vijesti", "umjesto",
	"svjedok", "rijeka", "pjesma", "sjediti", "bijelo", "dvije", "lijek",
	"lijekove", "lijekovi", "vjera", "vjere", "pjevati", "lijeva",
	"sjever", "zvijezda", "bijeg", "pobjeći", "pobjegao", "vrijedi",
	"tijelo", "tijelu", "smijem", "smije", "mjesec*", "mjest*", "djec*",
	"razumije*", "njemač*", "općin*", "sljedeć*", NULL
};
static const char *const bcms_hr[] = {		/* Croatian only */
	"tko", "tjedan", "kruh", "vlak", "glazba", "ured", "uredu",
	"ravnatelj", "siječnja", "veljače", "ožujka", "travnja", "svibnja",
	"lipnja", "srpnja", "kolovoza", "rujna", "listopada", "studenoga",
	"studenog", "prosinca", "vjerojatno", "ispričavam", "kći", "zagreb",
	"zagreba", "hrvat", "hrvatica", "kćer", "udruzi", "susjedstvo",
	"prosinac", "siječanj", "veljača", "kava", "kavu", "povijest",
	"tvornica", "tvornici", "točno", "uredi", "obavijestiti", "tjedana",
	"obitelj*", "tjedn*", "liječni*", "tisuć*", "tečaj*", "sveučiliš*",
	"kazališ*", "tvrtk*", "produlj*", "podrijetl*", "računal*",
	"zrakoplov*", "udrug*", "organizir*", "hrvatsk*", "uvjet*",
	"financ*", "kvalificir*", NULL
};
static const char *const bcms_hrlean[] = {	/* Croatian, some Bosnian */
	"plaća", "plaću", "plaće", "trebam", "također", "uopće", "oprostite",
	"učiniti", "stanarin*", "dopušt*", "prehran*", NULL
};
static const char *const bcms_srbs[] = {	/* Serbian and Bosnian */
	"šta", "ko", "kurs", "kursa", "kursu", "kursevi", "zdravo",
	"izvinite", "januar", "februar", "mart", "jun", "juni", "jul",
	"juli", "septembar", "oktobar", "novembar", "decembar", "vaspitač",
	"fudbal", "kaiš", "kaišem", "komšiluk", "januara", "februara",
	"marta", "aprila", "juna", "jula", "septembra", "oktobra",
	"novembra", "decembra", "sa", "voz", "juče", "uopšte", "tačno",
	"kafa", "kafu", "hemija", "pozorište", "porodic*", "hiljad*",
	"univerzitet*", "kancelarij*", "udruženj*", "organizuj*",
	"organizova*", "komšij*", "kirij*", "švajcarsk*", "produž*",
	"uslov*", "nostrifik*", "finans*", "kvalifik*", "ishran*", NULL
};
static const char *const bcms_bs[] = {		/* Bosnian only */
	"lahko", "selam", "merhaba", "džemat", "insan", "hajr", "inšallah",
	"august", "augusta", "vjerovatno", "mahala", "nafaka", "hajde",
	"bosne", "bosna", "bosnu", "sarajevo", "sarajeva", "sarajevu",
	"kćerka", "kćerku", "nana", "babo", "rahmetli", "mašallah", "bujrum",
	"akšam", "sabah", "bajram", "čaršija", "avlija", "dunjaluk",
	"ljekar*", "sedmic*", "hljeb*", "kahv*", "historij*", "porijekl*",
	"bosansk*", "džamij*", "bošnja*", NULL
};

/* Modal verbs (folded) followed by an infinitive or by "da". */
static const char *const bcms_modal[] = {
	"zelim", "zeli", "zelimo", "zelite", "mogu", "moze", "mozemo",
	"mozete", "moram", "mora", "moramo", "trebam", "trebamo", "hocu",
	"hoce", "htio", "htjela", "hteo", "htela", "pokusavam", NULL
};

/* Lower case without diacritics, as many write on a foreign keyboard. */
static char *
bcms_fold(const char *s)
{
	g_autofree char *low = g_utf8_strdown(s, -1);
	GString *out = g_string_sized_new(strlen(low));

	for (const char *p = low; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		switch (c) {
		case 0x161: g_string_append_c(out, 's'); break;	/* š */
		case 0x10D: case 0x107: g_string_append_c(out, 'c'); break;
		case 0x17E: g_string_append_c(out, 'z'); break;	/* ž */
		case 0x111: g_string_append(out, "dj"); break;	/* đ */
		default: g_string_append_unichar(out, c); break;
		}
	}
	return g_string_free(out, FALSE);
}

/*
 * Is the folded word an ijekavian form the list does not know: "ije"
 * before a consonant (vrijeđa, porijekla, lijepa; Serbian vređa, porekla,
 * lepa) but not in a verb ending (dobijem), or mje/vje/bje/pje/sje/cje
 * (mjesec, vjera, sjever)?  Words in
 * prij-/nij- (prijatelj, prijava, nije) are common to all three.
 */
static gboolean
jekavian(const char *w)
{
	static const char *const pairs[] = { "mje", "vje", "bje", "pje", "sje",
	    "cje", NULL };
	const char *p;

	if (g_str_has_prefix(w, "prij") || g_str_has_prefix(w, "nij"))
		return FALSE;
	if (g_str_has_prefix(w, "dje"))		/* djeca, djevojka, djelo */
		return TRUE;
	/* Not a verb ending: dobijem, dobijemo, dobijete, pijes. */
	for (p = strstr(w, "ije"); p != NULL; p = strstr(p + 1, "ije"))
		if (g_ascii_isalpha(p[3]) && strchr("aeiou", p[3]) == NULL &&
		    strlen(p + 3) >= 2 && strcmp(p + 3, "mo") != 0 &&
		    strcmp(p + 3, "te") != 0)
			return TRUE;
	for (int i = 0; pairs[i] != NULL; i++)
		if (strstr(w, pairs[i]) != NULL)
			return TRUE;
	return FALSE;
}

/*
 * Count the words of list (folded) found in words (folded); an entry
 * ending in * is a stem that any word starting with it matches.
 */
static int
count_words(GHashTable *words, const char *const *list)
{
	int n = 0;

	for (int i = 0; list[i] != NULL; i++) {
		g_autofree char *f = bcms_fold(list[i]);
		gsize len = strlen(f);
		GHashTableIter it;
		gpointer w;

		if (len == 0 || f[len - 1] != '*') {
			n += g_hash_table_contains(words, f);
			continue;
		}
		/* a stem: tjed* is tjedan, tjedna, tjednu... */
		g_hash_table_iter_init(&it, words);
		while (g_hash_table_iter_next(&it, &w, NULL))
			if (strncmp(w, f, len - 1) == 0) {
				n++;
				break;
			}
	}
	return n;
}

/*
 * The three variants by score, best first; a tie goes to fallback
 * (libexttextcat's pick), then Croatian, Bosnian, Serbian.
 */
static void
rank(struct bcms_guess *g, int s_sr, int s_hr, int s_bs, const char *fallback)
{
	const char *order[4] = { fallback, "hr", "bs", "sr" };
	const char *codes[3] = { NULL, NULL, NULL };
	int sc[3] = { 0, 0, 0 }, n = 0;

	for (int i = 0; i < 4 && n < 3; i++) {
		gboolean seen = FALSE;

		for (int j = 0; j < n; j++)
			if (strcmp(codes[j], order[i]) == 0)
				seen = TRUE;
		if (seen || (strcmp(order[i], "sr") != 0 &&
		    strcmp(order[i], "hr") != 0 && strcmp(order[i], "bs") != 0))
			continue;
		codes[n] = order[i];
		sc[n++] = strcmp(order[i], "sr") == 0 ? s_sr :
		    strcmp(order[i], "hr") == 0 ? s_hr : s_bs;
	}
	/* stable: a strictly higher score moves ahead */
	for (int i = 1; i < 3; i++)
		for (int j = i; j > 0 && sc[j] > sc[j - 1]; j--) {
			int t = sc[j];
			const char *c = codes[j];

			sc[j] = sc[j - 1];
			codes[j] = codes[j - 1];
			sc[j - 1] = t;
			codes[j - 1] = c;
		}
	g->best = codes[0];
	g->second = codes[1];
	g->best_score = sc[0];
	g->second_score = sc[1];
	g->scores[0] = s_sr;
	g->scores[1] = s_hr;
	g->scores[2] = s_bs;
	/* two marker points ahead (one variant-only word) is sure */
	g->sure = sc[0] >= 2 && sc[0] >= sc[1] + 2;
}

/* Words only the best variant uses, none of the runner-up's: sure too. */
static void
exclusive(struct bcms_guess *g, int ek, int hr, int bs)
{
	int mine = strcmp(g->best, "sr") == 0 ? ek : strcmp(g->best, "hr") == 0 ?
	    hr : bs;
	int theirs = strcmp(g->second, "sr") == 0 ? ek :
	    strcmp(g->second, "hr") == 0 ? hr : bs;

	if (!g->sure && mine > 0 && theirs == 0 && g->best_score > g->second_score)
		g->sure = TRUE;
}

void
lang_bcms_guess(const char *text, const char *fallback, struct bcms_guess *g)
{
	g_autofree char *low = bcms_fold(text);
	g_autoptr(GHashTable) words = g_hash_table_new(g_str_hash, g_str_equal);
	char **v = g_strsplit_set(low, " \t\n.,;:!?()\"'«»-/", -1);
	int ek, ij, hr, hrlean, srbs, bs, s_sr, s_hr, s_bs, s_alone = 0;
	int hrlean_li = 0;
	const char *lean = fallback;

	for (int i = 0; v[i] != NULL; i++)
		if (*v[i] != '\0')
			g_hash_table_add(words, v[i]);
	ek = count_words(words, bcms_ekav);
	ij = count_words(words, bcms_ijek);
	hr = count_words(words, bcms_hr);
	hrlean = count_words(words, bcms_hrlean);
	srbs = count_words(words, bcms_srbs);
	for (int i = 0, prev = -1; v[i] != NULL; i++) {
		if (*v[i] == '\0')
			continue;
		if (jekavian(v[i]))
			ij++;
		/* "s djecom": Croatian writes s where the others write sa */
		if (strcmp(v[i], "s") == 0)
			s_alone = 1;
		/*
		 * "mogu učiniti" is Croatian or Bosnian, "mogu da uradim"
		 * Serbian or Bosnian.
		 */
		/* "da li je": Serbian or Bosnian; "je li": Croatian */
		if (prev >= 0 && strcmp(v[prev], "da") == 0 &&
		    strcmp(v[i], "li") == 0)
			srbs++;
		if (prev >= 0 && strcmp(v[prev], "je") == 0 &&
		    strcmp(v[i], "li") == 0)
			hrlean_li = 1;
		if (prev >= 0 && g_strv_contains(bcms_modal, v[prev])) {
			if (strcmp(v[i], "da") == 0)
				srbs++;
			else if (g_str_has_suffix(v[i], "ti") ||
			    g_str_has_suffix(v[i], "ci"))
				ij++;
		}
		prev = i;
	}
	bs = count_words(words, bcms_bs);
	g_strfreev(v);
	/* "Što trebam učiniti?": što asking is Croatian, šta elsewhere */
	for (const char *p = low; (p = strstr(p, "sto ")) != NULL; p++) {
		const char *b = p;

		while (b > low && (b[-1] == ' ' || b[-1] == '\n'))
			b--;
		if (b == low || strchr(".!?", b[-1]) != NULL) {
			hr++;
			break;
		}
	}
	s_sr = 2 * ek + srbs;
	s_hr = ij + 2 * hr + hrlean + hrlean_li + s_alone;
	s_bs = ij + srbs + 2 * bs;
	/*
	 * Ties: ijekavian forms without a Serbian-or-Bosnian word lean
	 * Croatian, Serbian-or-Bosnian words without ijekavian forms lean
	 * Serbian (Bosnian writes ijekavian).  Still unsure.
	 */
	if (ij == 0 && ek == 0 && srbs > 0)
		lean = "sr";
	rank(g, s_sr, s_hr, s_bs, lean);
	exclusive(g, ek, hr, bs);
	if (s_sr + s_hr + s_bs == 0)
		g->best = fallback;	/* no marker word at all */
}

/* Arabic-script word with Arabic yeh/kaf/alef maksura as Persian ones. */
static char *
arabic_fold(const char *w, gsize len)
{
	GString *out = g_string_sized_new(len);

	for (const char *p = w; p < w + len; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == 0x64A || c == 0x649)
			c = 0x6CC;
		else if (c == 0x643)
			c = 0x6A9;
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

/*
 * Persian, Arabic and Pashto function words of text: *fa, *ar and *ps,
 * 2 points each.
 */
static void
arabic_words(const char *text, int *fa, int *ar, int *ps)
{
	static const char *const pw[] = { "د", "په", "له", "ته", "زه", "زما",
	    "موږ", "مونږ", "دی", "یم", "یو", "چې", "سره", "کې", "کښې", "څخه",
	    "لپاره", "مننه", "غواړم", "وکړئ", "کړم", "شم", "نن", "ولې", "څنګه",
	    "چیرته", "هغه", "لرو", "لرم", "نشته", "ستاسو", "کوم", NULL };
	static const char *const fw[] = { "می", "است", "را", "در", "برای", "این",
	    "که", "دارم", "هستم", "یک", "خواهم", "کنم", "کنید", "از", "با",
	    "چه", "چطور", "کجا", "شما", "آیا", "باید", "نمی", "خیلی", "ممنون",
	    "متشکرم", "مرسی", "هم", "بگیرم", "کمک", "میخواهم", "نیست", NULL };
	static const char *const aw[] = { "فی", "علی", "إلی", "الی", "التی",
	    "الذی", "هل", "أن", "عن", "هذا", "هذه", "کان", "کانت", "لا", "أنا",
	    "انا", "یمکن", "یمکننی", "أرید", "ارید", "لدی", "لیس", "نحن", "أو",
	    "أی", "کیف", "متی", "شکرا", "لکم", "عندی", "الله", "مساعدتی", NULL };
	const char *p = text;

	while (*p != '\0') {
		const char *w;

		while (*p != '\0' && !g_unichar_isalpha(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		w = p;
		while (*p != '\0' && g_unichar_isalpha(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		if (p > w && (guchar)*w >= 0xD8) {	/* Arabic block lead byte */
			g_autofree char *f = arabic_fold(w, p - w);

			if (g_strv_contains(pw, f))
				*ps += 2;
			else if (g_strv_contains(fw, f))
				*fa += 2;
			else if (g_strv_contains(aw, f))
				*ar += 2;
		}
	}
}

/* Pick among Arabic-script languages by letters and words; NULL if unclear. */
const char *
lang_arabic_pick(const struct scan *sc, const char *text, const char **second)
{
	struct { const char *code; int n; } c[] = {
		{ "ar", sc->ar }, { "fa", sc->fa }, { "ur", sc->ur },
		{ "ps", sc->ps }, { "ku", sc->ckb },
	};
	int b = 0, s = -1;

	arabic_words(text, &c[1].n, &c[0].n, &c[3].n);

	/* Urdu, Pashto and Sorani also write ی and ک: their own letters decide. */
	for (int i = 2; i < 5; i++)
		if (c[i].n >= 6 && c[i].n * 2 > c[1].n / 3)
			c[1].n /= 3;
	for (int i = 1; i < 5; i++)
		if (c[i].n > c[b].n)
			b = i;
	for (int i = 0; i < 5; i++)
		if (i != b && c[i].n > 0 && (s < 0 || c[i].n > c[s].n))
			s = i;
	if (c[b].n < 3 || (s >= 0 && c[s].n * 3 > c[b].n * 2))
		return NULL;
	*second = s >= 0 ? c[s].code : NULL;
	return c[b].code;
}

/* Is c an Ethiopic letter (not a punctuation mark such as ። or ፣)? */
static gboolean
ethiopic_letter(gunichar c)
{
	return (c >= 0x1200 && c < 0x1360) || (c >= 0x1380 && c < 0x13A0) ||
	    (c >= 0x2D80 && c < 0x2DE0) || (c >= 0xAB00 && c < 0xAB30);
}

/*
 * Tigrinya unless clearly Amharic (Eritreans are many here).  Words and
 * letters vote: Amharic writes አ, ሠ, ኀ and ፀ, starts many words with የ
 * ("of") and ends the first person in ለሁ; Tigrinya writes ኣ, ቐ and ኸ,
 * and each has its own everyday words (ነው, እባክዎ / እዩ, ኣሎ, ናይ).
 */
const char *
lang_ethiopic_pick(const struct scan *sc, const char *text, const char *tc)
{
	static const char *const am[] = { "ነው", "ነኝ", "ናቸው", "ነበር", "እና",
	    "ይህ", "ይህን", "እኔ", "እኛ", "እርስዎ", "እባክዎ", "እባክዎን", "እባካችሁ",
	    "አመሰግናለሁ", "ምን", "እንዴት", "የት", "መቼ", "ለምን", "ዛሬ", "ማታ",
	    "ነገ", "ትናንት", "ውስጥ", "አለ", "አለኝ", "አለብኝ", "የለም", "የለንም",
	    "አይደለም", "ልጄ", "ባለቤቴ", "ባሌ", "ሚስቴ", "እርዱኝ", "እርዱን", "ሥራ",
	    "ደህና", "እንደምን", "ጤና", "ይስጥልኝ", "ይችላሉ", "እችላለሁ", NULL };
	static const char *const ti[] = { "ኣነ", "ንሕና", "ንስኻ", "ንስኺ", "ንስኹም",
	    "እየ", "እዩ", "ኢዩ", "ኣሎ", "ኣሎኒ", "ኣለኒ", "ኣለዉ", "ኣለና", "የለን",
	    "የብለይን", "ሎሚ", "ጽባሕ", "ትማሊ", "ምሸት", "ብኽብረት", "ክንደይ", "ኣበይ",
	    "እንታይ", "ከመይ", "ስለምንታይ", "ሓገዝ", "ገዛ", "ቆልዓ", "ቆልዑ", "ኣብ",
	    "ናብ", "ካብ", "ምስ", "ንዓይ", "ዶ", "ናይ", "የቐንየለይ", "የቐንየልና",
	    "ኣሕዋት", "ኣሕዋተይ", "ደልየ", "ይኽእል", "ትኽእሉ", "ግን", "እሞ",
	    "ስራሕ", "ትግርኛ", NULL };
	int a = sc->am, t = sc->ti;
	const char *p = text;

	while (*p != '\0') {
		const char *w;
		g_autofree char *word = NULL;

		while (*p != '\0' && !ethiopic_letter(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		w = p;
		while (*p != '\0' && ethiopic_letter(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		if (p == w)
			continue;
		word = g_strndup(w, p - w);
		if (g_strv_contains(am, word))
			a += 2;
		else if (g_strv_contains(ti, word))
			t += 2;
		else if (g_str_has_prefix(word, "የ") && p - w > 3 &&
		    !g_str_has_suffix(word, "ኒ"))
			a++;		/* የ + noun: "of", Amharic */
		/* first person: Amharic እችላለሁ, እርዱኝ; Tigrinya የድልየኒ, ሃበለይ */
		if (p - w > 6 && (g_str_has_suffix(word, "ለሁ") ||
		    g_str_has_suffix(word, "ኝ")))
			a++;
		else if (p - w > 6 && (g_str_has_suffix(word, "ለይ") ||
		    g_str_has_suffix(word, "ኒ")))
			t++;
	}
	if (a >= 3 && 2 * a > 3 * t)
		return "am";
	if (tc != NULL && strcmp(tc, "am") == 0 && a > t)
		return "am";
	return "ti";
}

/* Count the words of text (lower case) found in each list, 2 points each. */
static void
cyrillic_words(const char *text, int *ru, int *uk, int *bg)
{
	static const char *const rw[] = { "где", "можно", "нужно", "что",
	    "это", "как", "мне", "меня", "есть", "из", "здравствуйте", "спасибо",
	    "пожалуйста", "работу", "работа", "помогите", "помочь", "очень",
	    "если", "или", "когда", "почему", "сейчас", "сегодня", "который",
	    "которая", "только", "ещё", "еще", "уже", "был", "была", "были",
	    "нет", "его", "она", "они", "найти", "могу", "мой", "муж", "жена",
	    "дети", "детей", "ребенка", "ребёнка", "сын", "дочь", "язык",
	    "языка", "добрый", "привет", "подскажите", "скажите", "при",
	    "после", "также", "тоже", "хотела", "хотел", "хотим", NULL };
	static const char *const uw[] = { "де", "можна", "потрібно", "потрібна",
	    "потрібен", "що", "це", "як", "мені", "мене", "є", "з", "із",
	    "добрий", "доброго", "вітаю", "дякую", "будь", "ласка", "роботу",
	    "робота", "допоможіть", "допомогти", "допомогу", "дуже", "якщо",
	    "або", "коли", "чому", "зараз", "сьогодні", "який", "яка", "яке",
	    "тільки", "ще", "вже", "був", "була", "були", "ні", "його", "вона",
	    "вони", "знайти", "можу", "мій", "чоловік", "дружина", "діти",
	    "дітей", "дитину", "дитина", "син", "донька", "курси", "мова",
	    "мову", "мови", "українська", "українською", "житло", "підкажіть",
	    "скажіть", "маю", "маємо", "хочемо", "після", "також", "теж",
	    NULL };
	static const char *const bw[] = { "съм", "къде", "благодаря",
	    "здравейте", "моля", "искам", "това", "ще", "са", "тук", "нещо",
	    "който", "която", "нямам", "няма", "защото", "мога", "имам", "е",
	    NULL };
	g_autofree char *low = g_utf8_strdown(text, -1);
	const char *p = low;

	while (*p != '\0') {
		const char *w;
		g_autofree char *word = NULL;

		while (*p != '\0' && !g_unichar_isalpha(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		w = p;
		while (*p != '\0' && g_unichar_isalpha(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		if (p == w || (guchar)*w < 0xD0 || (guchar)*w > 0xD3)
			continue;	/* not a Cyrillic word */
		word = g_strndup(w, p - w);
		*ru += g_strv_contains(rw, word) ? 2 : 0;
		*uk += g_strv_contains(uw, word) ? 2 : 0;
		*bg += g_strv_contains(bw, word) ? 2 : 0;
	}
}

const char *
lang_cyrillic_pick(const struct scan *sc, const char *text,
    const char **second, gboolean *srmk)
{
	struct { const char *code; int n; } c[] = {
		{ "ru", sc->ru }, { "uk", sc->uk }, { "bg", sc->bg },
	};
	int b = 0, s = 1;

	*srmk = FALSE;
	if (sc->sr > sc->mk) {
		*second = "mk";
		return "sr";
	}
	if (sc->mk > sc->sr) {
		*second = "sr";
		return "mk";
	}
	if (sc->sr > 0) {
		*srmk = TRUE;
		return NULL;
	}
	if (sc->be > 0) {
		*second = "ru";
		return "be";
	}
	cyrillic_words(text, &c[0].n, &c[1].n, &c[2].n);
	for (int i = 1; i < 3; i++)
		if (c[i].n > c[b].n)
			b = i;
	for (int i = 0; i < 3; i++)
		if (i != b && (s == b || c[i].n > c[s].n))
			s = i;
	if (c[b].n > c[s].n) {
		*second = c[s].n > 0 || b != 0 ? c[s].code : "uk";
		return c[b].code;
	}
	if (sc->mn > 2)
		return "mn";
	return NULL;
}
