/*
 * vocab.c: the stored and French forms of guichet's words, and the month
 * and weekday names of the languages it writes dates in (see vocab.h).
 */
#include <string.h>
#include "vocab.h"

const char *const vocab_time_kinds[] = {
	"entretien", "permanence", "telephone", "courriel", "seance", "projet",
	"formation", NULL
};

static const struct {
	const char	*str, *fr;
} reply_kinds[REPLY_KIND_N] = {
	[REPLY_UNSET]		= { NULL, "-" },
	[REPLY_NONE]		= { "none", "aucune réponse automatique" },
	[REPLY_ACK]		= { "ack", "accusé de réception" },
	[REPLY_ORIENTATION]	= { "orientation", "réponse d'orientation" },
	[REPLY_COMMAND]		= { "command", "réponse à une commande" },
	[REPLY_FORWARD]		= { "forward", "transmission à un partenaire" },
	[REPLY_NOTICE]		= { "notice", "alerte à la déléguée" },
	[REPLY_DIGEST]		= { "digest", "résumé quotidien" },
	[REPLY_REPORT]		= { "report", "rapport" },
};

static const struct {
	const char	*str, *fr;
} states[STATE_N] = {
	[STATE_OPEN]		= { "open", "ouverte" },
	[STATE_ANSWERED]	= { "answered", "répondue" },
	[STATE_CLOSED]		= { "closed", "fermée" },
};

static const struct {
	const char	*str, *fr;
} mail_kinds[MAIL_KIND_N] = {
	[MAIL_REQUEST]		= { "request", "demande" },
	[MAIL_FOLLOWUP]		= { "followup", "suite d'une demande" },
	[MAIL_ROBOT]		= { "robot", "message automatique" },
	[MAIL_SPAM]		= { "spam", "message indésirable" },
	[MAIL_OWN]		= { "own", "message de la délégation ou de guichet" },
	[MAIL_COMMAND]		= { "command", "commande de la déléguée" },
};

const char *
reply_kind_str(enum reply_kind k)
{
	return (unsigned)k < REPLY_KIND_N ? reply_kinds[k].str : NULL;
}

gboolean
reply_kind_fr_feminine(enum reply_kind k)
{
	/* réponse, transmission, alerte; accusé, résumé, rapport are not */
	return k == REPLY_NONE || k == REPLY_ORIENTATION || k == REPLY_COMMAND ||
	    k == REPLY_FORWARD || k == REPLY_NOTICE;
}

const char *
reply_kind_fr(enum reply_kind k)
{
	return (unsigned)k < REPLY_KIND_N ? reply_kinds[k].fr : "-";
}

enum reply_kind
reply_kind_from_str(const char *s)
{
	for (int k = REPLY_NONE; s != NULL && k < REPLY_KIND_N; k++)
		if (strcmp(reply_kinds[k].str, s) == 0)
			return k;
	return REPLY_UNSET;
}

gboolean
reply_kind_is_auto(enum reply_kind k)
{
	return k == REPLY_ACK || k == REPLY_ORIENTATION;
}

const char *
req_state_str(enum req_state s)
{
	return (unsigned)s < STATE_N ? states[s].str : NULL;
}

static const char *
req_state_fr(enum req_state s)
{
	return (unsigned)s < STATE_N ? states[s].fr : "-";
}

/* The state of a stored form; FALSE for NULL or an unknown word. */
static gboolean
req_state_from_str(const char *s, enum req_state *out)
{
	for (int i = 0; s != NULL && i < STATE_N; i++)
		if (strcmp(states[i].str, s) == 0) {
			*out = i;
			return TRUE;
		}
	return FALSE;
}

const char *
mail_kind_str(enum mail_kind k)
{
	return (unsigned)k < MAIL_KIND_N ? mail_kinds[k].str : NULL;
}

const char *
mail_kind_fr(enum mail_kind k)
{
	return (unsigned)k < MAIL_KIND_N ? mail_kinds[k].fr : "-";
}

gboolean
mail_kind_from_str(const char *s, enum mail_kind *out)
{
	for (int i = 0; s != NULL && i < MAIL_KIND_N; i++)
		if (strcmp(mail_kinds[i].str, s) == 0) {
			*out = i;
			return TRUE;
		}
	return FALSE;
}

const char *
vocab_fr(const char *word)
{
	enum reply_kind k;
	enum req_state st;
	enum mail_kind mk;

	if (word == NULL)
		return "-";
	if ((k = reply_kind_from_str(word)) != REPLY_UNSET)
		return reply_kind_fr(k);
	if (req_state_from_str(word, &st))
		return req_state_fr(st);
	if (mail_kind_from_str(word, &mk))
		return mail_kind_fr(mk);
	return word;
}

/* Month names as a date writes them (genitive where the language wants it). */
static const struct {
	const char	*lang;
	const char	*fmt;		/* %d day, %s month, %y year, %t time */
	const char	*months[12];
	const char	*weekdays[7];	/* Monday first; NULL: none here */
} date_langs[] = {
	{ "fr", "%d %s %y, %t", { "janvier", "février", "mars", "avril",
	    "mai", "juin", "juillet", "août", "septembre", "octobre",
	    "novembre", "décembre" }, { "lundi", "mardi", "mercredi", "jeudi",
	    "vendredi", "samedi", "dimanche" } },
	{ "de", "%d. %s %y, %t", { "Januar", "Februar", "März", "April",
	    "Mai", "Juni", "Juli", "August", "September", "Oktober",
	    "November", "Dezember" }, { "Montag", "Dienstag", "Mittwoch",
	    "Donnerstag", "Freitag", "Samstag", "Sonntag" } },
	{ "it", "%d %s %y, %t", { "gennaio", "febbraio", "marzo", "aprile",
	    "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
	    "novembre", "dicembre" }, { "lunedì", "martedì", "mercoledì",
	    "giovedì", "venerdì", "sabato", "domenica" } },
	{ "pt", "%d de %s de %y, %t", { "janeiro", "fevereiro", "março",
	    "abril", "maio", "junho", "julho", "agosto", "setembro",
	    "outubro", "novembro", "dezembro" }, { "segunda-feira",
	    "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
	    "sábado", "domingo" } },
	{ "es", "%d de %s de %y, %t", { "enero", "febrero", "marzo", "abril",
	    "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
	    "noviembre", "diciembre" }, { "lunes", "martes", "miércoles",
	    "jueves", "viernes", "sábado", "domingo" } },
	{ "en", "%d %s %y, %t", { "January", "February", "March", "April",
	    "May", "June", "July", "August", "September", "October",
	    "November", "December" }, { "Monday", "Tuesday", "Wednesday",
	    "Thursday", "Friday", "Saturday", "Sunday" } },
	{ "sq", "%d %s %y, %t", { "janar", "shkurt", "mars", "prill", "maj",
	    "qershor", "korrik", "gusht", "shtator", "tetor", "nëntor",
	    "dhjetor" }, { "e hënë", "e martë", "e mërkurë", "e enjte", "e premte", "e shtunë", "e diel" } },
	{ "hr", "%d. %s %y., %t", { "siječnja", "veljače", "ožujka",
	    "travnja", "svibnja", "lipnja", "srpnja", "kolovoza", "rujna",
	    "listopada", "studenoga", "prosinca" }, { "ponedjeljak", "utorak", "srijeda", "četvrtak", "petak", "subota", "nedjelja" } },
	{ "sr", "%d. %s %y., %t", { "januara", "februara", "marta", "aprila",
	    "maja", "juna", "jula", "avgusta", "septembra", "oktobra",
	    "novembra", "decembra" }, { "ponedeljak", "utorak", "sreda", "četvrtak", "petak", "subota", "nedelja" } },
	{ "bs", "%d. %s %y., %t", { "januara", "februara", "marta", "aprila",
	    "maja", "juna", "jula", "augusta", "septembra", "oktobra",
	    "novembra", "decembra" }, { "ponedjeljak", "utorak", "srijeda", "četvrtak", "petak", "subota", "nedjelja" } },
	{ "tr", "%d %s %y, %t", { "Ocak", "Şubat", "Mart", "Nisan", "Mayıs",
	    "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım",
	    "Aralık" }, { "Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar" } },
	{ "uk", "%d %s %y, %t", { "січня", "лютого", "березня", "квітня",
	    "травня", "червня", "липня", "серпня", "вересня", "жовтня",
	    "листопада", "грудня" }, { "понеділок", "вівторок", "середа", "четвер", "пʼятниця", "субота", "неділя" } },
	{ "ru", "%d %s %y, %t", { "января", "февраля", "марта", "апреля",
	    "мая", "июня", "июля", "августа", "сентября", "октября",
	    "ноября", "декабря" }, { "понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье" } },
	{ "ar", "%d %s %y، %t", { "يناير", "فبراير", "مارس", "أبريل", "مايو",
	    "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
	    "ديسمبر" }, { "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد" } },
	{ "fa", "%d %s %y، %t", { "ژانویه", "فوریه", "مارس", "آوریل", "مه",
	    "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر",
	    "دسامبر" }, { "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه" } },
	{ "ps", "%d %s %y، %t", { "جنوري", "فبروري", "مارچ", "اپرېل", "مۍ",
	    "جون", "جولای", "اګست", "سپتمبر", "اکتوبر", "نومبر", "دسمبر" },
	    { "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه",
	    "یکشنبه" } },
	{ "ti", "%d %s %y፣ %t", { "ጥሪ", "ለካቲት: ", "መጋቢት", "ሚያዝያ", "ግንቦት",
	    "ሰነ", "ሓምለ", "ነሓሰ", "መስከረም", "ጥቅምቲ", "ሕዳር", "ታሕሳስ" },
	    { "ሰኑይ", "ሰሉስ", "ረቡዕ", "ሓሙስ", "ዓርቢ", "ቀዳም", "ሰንበት" } },
	{ "so", "%d %s %y, %t", { "Janaayo", "Febraayo", "Maarso", "Abriil",
	    "May", "Juun", "Luuliyo", "Ogost", "Sebtembar", "Oktoobar",
	    "Nofembar", "Desembar" }, { "Isniin", "Talaado", "Arbaco",
	    "Khamiis", "Jimce", "Sabti", "Axad" } },
	{ "ta", "%d %s %y, %t", { "ஜனவரி", "பிப்ரவரி", "மார்ச்", "ஏப்ரல்",
	    "மே", "ஜூன்", "ஜூலை", "ஆகஸ்ட்", "செப்டம்பர்", "அக்டோபர்",
	    "நவம்பர்", "டிசம்பர்" }, { "திங்கள்", "செவ்வாய்", "புதன்",
	    "வியாழன்", "வெள்ளி", "சனி", "ஞாயிறு" } },
	{ "ku", "%d %s %y, %t", { "Çile", "Sibat", "Adar", "Nîsan", "Gulan",
	    "Hezîran", "Tîrmeh", "Tebax", "Îlon", "Cotmeh", "Mijdar",
	    "Berfanbar" }, { "Duşem", "Sêşem", "Çarşem", "Pêncşem", "În",
	    "Şemî", "Yekşem" } },
};

static const char *const month_fr_short[12] = {
	"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
	"oct.", "nov.", "déc."
};

static int
date_lang(const char *lang)
{
	for (gsize i = 0; lang != NULL && i < G_N_ELEMENTS(date_langs); i++)
		if (strcmp(date_langs[i].lang, lang) == 0)
			return (int)i;
	return -1;
}

const char *
vocab_month(const char *lang, int m)
{
	int i = date_lang(lang);

	return i >= 0 && m >= 1 && m <= 12 ? date_langs[i].months[m - 1] : NULL;
}

const char *
vocab_date_format(const char *lang)
{
	int i = date_lang(lang);

	return i >= 0 ? date_langs[i].fmt : NULL;
}

const char *
vocab_month_fr(int m)
{
	return m >= 1 && m <= 12 ? date_langs[0].months[m - 1] : "?";
}

const char *
vocab_month_fr_short(int m)
{
	return m >= 1 && m <= 12 ? month_fr_short[m - 1] : "?";
}

const char *
vocab_weekday(const char *lang, int d)
{
	int i = date_lang(lang);

	return i >= 0 && d >= 1 && d <= 7 ? date_langs[i].weekdays[d - 1] : NULL;
}

/* Names of the languages partner services speak, in each reader's language. */
static const char *const lang_codes[] = { "fr", "de", "it", "en", "rm", NULL };
static const struct {
	const char	*reader;
	const char	*label;		/* "languages: " */
	const char	*sep;		/* between two names */
	const char	*names[5];	/* as lang_codes */
} lang_names[] = {
	{ "fr", "langues : ", ", ", { "français", "allemand", "italien", "anglais", "romanche" } },
	{ "de", "Sprachen: ", ", ", { "Französisch", "Deutsch", "Italienisch", "Englisch", "Rätoromanisch" } },
	{ "it", "lingue: ", ", ", { "francese", "tedesco", "italiano", "inglese", "romancio" } },
	{ "en", "languages: ", ", ", { "French", "German", "Italian", "English", "Romansh" } },
	{ "es", "idiomas: ", ", ", { "francés", "alemán", "italiano", "inglés", "romanche" } },
	{ "pt", "línguas: ", ", ", { "francês", "alemão", "italiano", "inglês", "romanche" } },
	{ "sq", "gjuhët: ", ", ", { "frëngjisht", "gjermanisht", "italisht", "anglisht", "retoromanisht" } },
	{ "ti", "ቋንቋታት: ", "፣ ", { "ፈረንሳይኛ", "ጀርመንኛ", "ጣልያንኛ", "እንግሊዝኛ", "ሮማንሽ" } },
	{ "ar", "اللغات: ", "، ", { "الفرنسية", "الألمانية", "الإيطالية", "الإنجليزية", "الرومانشية" } },
	{ "uk", "мови: ", ", ", { "французька", "німецька", "італійська", "англійська", "ретороманська" } },
	{ "ru", "языки: ", ", ", { "французский", "немецкий", "итальянский", "английский", "ретороманский" } },
	{ "fa", "زبان‌ها: ", "، ", { "فرانسوی", "آلمانی", "ایتالیایی", "انگلیسی", "رومانش" } },
	{ "ps", "ژبې: ", "، ", { "فرانسوي", "الماني", "ایټالوي", "انګلیسي", "رومانش" } },
	{ "tr", "diller: ", ", ", { "Fransızca", "Almanca", "İtalyanca", "İngilizce", "Romanşça" } },
	{ "sr", "jezici: ", ", ", { "francuski", "nemački", "italijanski", "engleski", "retoromanski" } },
	{ "hr", "jezici: ", ", ", { "francuski", "njemački", "talijanski", "engleski", "retoromanski" } },
	{ "bs", "jezici: ", ", ", { "francuski", "njemački", "italijanski", "engleski", "retoromanski" } },
	{ "so", "luqadaha: ", ", ", { "Faransiis", "Jarmal", "Talyaani", "Ingiriis", "Romansh" } },
	{ "ta", "மொழிகள்: ", ", ", { "பிரெஞ்சு", "ஜெர்மன்", "இத்தாலியம்", "ஆங்கிலம்", "ரோமான்ஷ்" } },
	{ "ku", "ziman: ", ", ", { "fransî", "almanî", "îtalî", "îngilîzî", "romancî" } },
};

char *
vocab_languages_spoken(const char *reader, char **codes)
{
	int r = -1;
	GString *o;

	if (codes == NULL || codes[0] == NULL)
		return NULL;
	for (gsize i = 0; reader != NULL && i < G_N_ELEMENTS(lang_names); i++)
		if (strcmp(lang_names[i].reader, reader) == 0)
			r = (int)i;
	if (r < 0)
		r = 0;		/* French, like the rest of the French text */
	o = g_string_new(lang_names[r].label);
	for (int k = 0; codes[k] != NULL; k++) {
		const char *name = codes[k];

		for (int c = 0; lang_codes[c] != NULL; c++)
			if (strcmp(lang_codes[c], codes[k]) == 0)
				name = lang_names[r].names[c];
		if (k > 0)
			g_string_append(o, lang_names[r].sep);
		g_string_append(o, name);
	}
	return g_string_free(o, FALSE);
}
