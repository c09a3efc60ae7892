/*
 * quote.c: the sender's own words, without the quoted message they answer,
 * their signature or their mail server's legal disclaimer.  Works on lines
 * with phrase tables in the languages guichet receives; when cutting would
 * leave nothing (a bare forward), the text is kept whole.
 */
#include <string.h>
#include "quote.h"

#define HEADER_SCAN	6	/* lines after "From:" where "Sent:" may be */
#define MAX_JOIN	3	/* lines a wrapped "On ... wrote:" may span */

/* Endings of an attribution line: "On Mon, 3 Jun 2024, Ana <a@b> wrote:". */
static const char *const attrib_end[] = {
	"wrote:", "writes:", "a écrit :", "a écrit:", "a écrit :", "a ecrit :",
	"a ecrit:", "schrieb:", "ha scritto:", "escreveu:", "escribió:",
	"escribio:", "schreef:", "skrev:", "kirjoitti:", "napisał:", "napisal:",
	"yazdı:", "написал:", "написала:", "написал(а):", "написав:",
	"написала:", "написав(ла):", "пише:", "كتب:", "ጸሓፈ:", "scrisse:",
	"ha escrit:", "va escriure:", "wrote :", "escreveu :", "écrit :",
};

/* "Am 2.6.2025 um 09:12 schrieb Ana <a@b>:": the verb inside, ':' at the end. */
static const char *const attrib_mid[] = {
	" schrieb ", " schreef ", " skrev ", " pisze", " napsal", " kirjoitti ",
	" yazdı",
};
/* ... and either an address or one of these first words (not a sentence). */
static const char *const attrib_start[] = {
	"am ", "op ", "den ", "w dniu ", "dne ", "le ", "on ", "el ", "em ", "il ",
};

/* Separators that start the original message. */
static const char *const separators[] = {
	"original message", "message d'origine", "message original",
	"ursprüngliche nachricht", "original-nachricht", "originalnachricht",
	"messaggio originale", "mensaje original", "mensagem original",
	"oorspronkelijk bericht", "originalmeddelande", "исходное сообщение",
	"оригінальне повідомлення", "الرسالة الأصلية", "reply message",
	"réponse au message",
};

/* "Sent from my iPhone" and friends: a short line with a device word. */
static const char *const mobile_start[] = {
	"sent from ", "sent via ", "sent with ", "get outlook for ",
	"envoyé de ", "envoyé depuis ", "envoyé à partir de ", "envoyé avec ",
	"envoyé via ", "obtenir outlook pour ", "télécharger outlook pour ",
	"von meinem ", "gesendet von ", "gesendet mit ", "gesendet vom ",
	"inviato da ", "inviato dal ", "enviado desde ", "enviado de ",
	"enviado do ", "enviado a partir ", "enviado con ", "verzonden vanaf ",
	"verstuurd vanaf ", "skickat från ", "sendt fra ", "wysłane z ",
	"отправлено с ", "надіслано з ", "أرسلت من ", "iphone'umdan ",
	"diese nachricht wurde von meinem ",
};
static const char *const mobile_words[] = {
	"iphone", "ipad", "android", "samsung", "galaxy", "handy", "smartphone",
	"mobile", "mobil", "huawei", "xiaomi", "outlook", "blackberry", "mail",
	"yahoo", "tablet", "appareil", "telefon", "teléfono", "telefone",
	"windows", "proton", "gmx", "bluewin", "téléphone", "portable",
};

/* "From:" / "Sent:" labels of Outlook's quoted header block. */
static const char *const from_label[] = {
	"from", "de", "von", "da", "van", "från", "fra", "od", "від", "от",
	"kimden", "lähettäjä", "من", "absender", "expéditeur",
};
static const char *const sent_label[] = {
	"sent", "envoyé", "gesendet", "inviato", "enviado", "enviada",
	"verzonden", "date", "datum", "data", "fecha", "skickat", "sendt",
	"wysłano", "отправлено", "надіслано", "gönderildi", "tarih",
	"lähetetty", "التاريخ", "تاريخ", "أرسل", "envoyé le", "enviado el",
	"date d'envoi", "gesendet am",
};
static const char *const forward_subject[] = {
	"fw:", "fwd:", "tr:", "wg:", "rv:", "i:", "enc:", "doorst:", "fs:",
};

/* Lines that introduce a forwarded message: what follows is kept. */
static const char *const forward_sep[] = {
	"forwarded message", "begin forwarded message", "message transféré",
	"début du message réexpédié", "début du message transféré",
	"weitergeleitete nachricht", "anfang der weitergeleiteten",
	"messaggio inoltrato", "inizio messaggio inoltrato", "mensaje reenviado",
	"mensaje original reenviado", "mensagem encaminhada", "doorgestuurd bericht",
	"пересылаемое сообщение", "переслане повідомлення", "الرسالة المعاد توجيهها",
};

/* Legal disclaimer paragraphs. */
static const char *const disclaimer[] = {
	"this e-mail is confidential", "this email is confidential",
	"this message is confidential", "this e-mail and any attach",
	"this email and any attach", "this message and any attach",
	"this e-mail message is", "this email message is",
	"confidentiality notice", "confidentiality note",
	"if you are not the intended recipient", "the information contained in this",
	"this communication is confidential", "please consider the environment before",
	"ce message est confidentiel", "ce courriel est confidentiel",
	"ce message et toutes les pièces", "ce message et ses pièces",
	"ce message et les pièces", "ce courriel et les pièces",
	"ce courriel et ses pièces", "si vous n'êtes pas le destinataire",
	"si vous n'êtes pas destinataire", "si vous avez reçu ce message par erreur",
	"si vous avez reçu ce courriel par erreur", "ce message électronique",
	"avis de confidentialité", "pensez à l'environnement avant",
	"merci de penser à l'environnement", "avant d'imprimer ce",
	"diese e-mail ist vertraulich", "diese e-mail enthält vertrauliche",
	"diese nachricht ist vertraulich", "diese e-mail kann vertrauliche",
	"diese nachricht enthält vertrauliche", "wenn sie nicht der richtige adressat",
	"sollten sie nicht der richtige", "falls sie nicht der richtige",
	"bitte denken sie an die umwelt", "questo messaggio è confidenziale",
	"questo messaggio e i suoi allegati", "il presente messaggio",
	"le informazioni contenute in questo", "este mensaje es confidencial",
	"este mensaje y sus anexos", "este correo electrónico es confidencial",
	"esta mensagem é confidencial", "esta mensagem e os seus anexos",
	"ce message et ses annexes", "ce courriel et ses annexes",
	"ce message et les fichiers", "si vous l'avez reçu par erreur",
	"if you have received this e-mail in error", "if you have received this email in error",
	"if you have received this message in error", "if you received this message in error",
	"falls sie diese e-mail irrtümlich", "wenn sie diese e-mail irrtümlich",
	"sollten sie diese e-mail irrtümlich", "diese e-mail und allfällige anhänge",
	"se avete ricevuto questo messaggio per errore", "se ha ricevuto questo messaggio per errore",
	"si ha recibido este mensaje por error", "se recebeu esta mensagem por engano",
};

#define FOLD_MAX	512	/* bytes of a line that phrases are looked for in */
#define PROSE_MIN	400	/* a longer line is prose, never a marker */
#define DISCLAIMER_HEAD	1024	/* bytes of a paragraph a disclaimer phrase starts in */

/* The bytes [p, end) copied to o, typographic apostrophes and no-break
 * spaces made plain; returns the end of the copy. */
static char *
plain_marks_len(char *o, const char *p, const char *end)
{
	while (p < end) {
		if (end - p >= 3 && memcmp(p, "\xE2\x80\x99", 3) == 0) {	/* ’ */
			*o++ = '\'';
			p += 3;
		} else if (end - p >= 2 && memcmp(p, "\xC2\xA0", 2) == 0) {	/* NBSP */
			*o++ = ' ';
			p += 2;
		} else if (end - p >= 3 && memcmp(p, "\xE2\x80\xAF", 3) == 0) {	/* NNBSP */
			*o++ = ' ';
			p += 3;
		} else
			*o++ = *p++;
	}
	return o;
}

/*
 * Length of the well-formed UTF-8 character at p (2 to 4 bytes) and its
 * code point in *u, or 0 when it is not one (then the caller asks GLib).
 */
static int
utf8_strict(const guint8 *p, const guint8 *end, gunichar *u)
{
	guint8 c = p[0];

	if (c >= 0xC2 && c <= 0xDF) {
		if (end - p < 2 || (p[1] & 0xC0) != 0x80)
			return 0;
		*u = ((gunichar)(c & 0x1F) << 6) | (p[1] & 0x3F);
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		*u = ((gunichar)(c & 0x0F) << 12) | ((gunichar)(p[1] & 0x3F) << 6) |
		    (p[2] & 0x3F);
		if (*u < 0x800 || (*u >= 0xD800 && *u <= 0xDFFF))
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		*u = ((gunichar)(c & 0x07) << 18) | ((gunichar)(p[1] & 0x3F) << 12) |
		    ((gunichar)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
		if (*u < 0x10000 || *u > 0x10FFFF)
			return 0;
		return 4;
	}
	return 0;
}

/* g_unichar_tolower() of the characters below U+0800, computed once. */
static const gunichar *
lower_2byte(void)
{
	static gunichar tab[0x800];
	static gsize ready;

	if (g_once_init_enter(&ready)) {
		for (gunichar c = 0; c < 0x800; c++)
			tab[c] = g_unichar_tolower(c);
		g_once_init_leave(&ready, 1);
	}
	return tab;
}

/*
 * Lower-cased copy of the first len bytes of s (no NUL among them), with
 * typographic apostrophes and no-break spaces made plain: ASCII in place,
 * other characters through g_unichar_tolower.  A tenth of the cost of g_utf8_strdown, which makes two passes and handles
 * special casings that do not matter for finding phrases.  From the first
 * character GLib does not accept (or the last one, which has no next
 * character), the rest is kept as it is.  Well-formed characters followed
 * by the start of another are decoded here; anything else goes through the
 * GLib calls, so that the result is the same as theirs.
 */
static char *
lower_plain(const char *s, gsize len)
{
	char *out = g_malloc(len * 2 + 1), *o = out;	/* 2 bytes may become 3 */
	const char *p = s, *end = s + len;
	const gunichar *low2 = lower_2byte();

	while (p < end) {
		guint8 c;
		gunichar u;
		int n;

		if (end - p >= 8) {	/* eight ASCII bytes at a time */
			guint64 w, upper;

			memcpy(&w, p, 8);
			if ((w & G_GUINT64_CONSTANT(0x8080808080808080)) == 0) {
				/* high bit of each byte: >= 'A' and not > 'Z' */
				upper = (w + G_GUINT64_CONSTANT(0x3F3F3F3F3F3F3F3F)) &
				    ~(w + G_GUINT64_CONSTANT(0x2525252525252525)) &
				    G_GUINT64_CONSTANT(0x8080808080808080);
				w |= upper >> 2;
				memcpy(o, &w, 8);
				o += 8;
				p += 8;
				continue;
			}
		}
		c = (guint8)*p;
		if (c < 0x80) {
			*o++ = (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
			p++;
			continue;
		}
		n = utf8_strict((const guint8 *)p, (const guint8 *)end, &u);
		if (n == 0 || p + n >= end || ((guint8)p[n] & 0xC0) == 0x80) {
			const char *next;

			u = g_utf8_get_char_validated(p, end - p);
			next = g_utf8_find_next_char(p, end);
			if (u == (gunichar)-1 || u == (gunichar)-2 || next == NULL) {
				o = plain_marks_len(o, p, end);	/* keep the rest */
				break;
			}
			n = next - p;
		}
		u = u < 0x800 ? low2[u] : g_unichar_tolower(u);
		if (u < 0x80)
			*o++ = (char)u;
		else if (u == 0xA0)		/* NBSP */
			*o++ = ' ';
		else if (u < 0x800) {
			*o++ = (char)(0xC0 | (u >> 6));
			*o++ = (char)(0x80 | (u & 0x3F));
		} else if (u == 0x2019)		/* ’ */
			*o++ = '\'';
		else if (u == 0x202F)		/* NNBSP */
			*o++ = ' ';
		else
			o += g_unichar_to_utf8(u, o);
		p += n;
	}
	*o = '\0';
	return out;
}

/* Lower-cased copy of at most FOLD_MAX bytes of s, UTF-8 aware when needed. */
static char *
fold(const char *s)
{
	gsize len = strlen(s);

	if (len > FOLD_MAX) {
		len = FOLD_MAX;
		while (len > 0 && ((guint8)s[len] & 0xC0) == 0x80)
			len--;		/* not inside a character */
	}
	return lower_plain(s, len);
}

static const char *
skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static gboolean
is_quoted(const char *line)
{
	return *skip_ws(line) == '>';
}

static gboolean
ends_with_any(const char *s, const char *const *tab, gsize n)
{
	gsize len = strlen(s);

	for (gsize i = 0; i < n; i++) {
		gsize l = strlen(tab[i]);
		if (len >= l && strcmp(s + len - l, tab[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
starts_with_any(const char *s, const char *const *tab, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (strncmp(s, tab[i], strlen(tab[i])) == 0)
			return TRUE;
	return FALSE;
}

static gboolean
contains_any(const char *s, const char *const *tab, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (strstr(s, tab[i]) != NULL)
			return TRUE;
	return FALSE;
}

/*
 * One pass for "contains any of these phrases" over a long text
 * (Wu-Manber): a window as long as the shortest phrase slides along the
 * text by as far as its last two bytes allow; only where they end a
 * phrase's head are the phrases compared.
 */
#define PAIR_HASH(a, b)	((((guint)(guint8)(a) << 4) ^ (guint8)(b)) & 0xFFF)

struct phrase_set {
	const char *const *tab;
	gsize n;
	gsize ready;
	gsize min;			/* length of the shortest phrase */
	guint8 shift[4096];		/* by pair hash */
	guint16 first[4097];		/* phrases whose head ends in pair h: */
	guint16 which[256];		/* which[first[h] .. first[h + 1]) */
};

static void
phrase_set_init(struct phrase_set *ps)
{
	guint16 count[4097] = { 0 };

	g_assert(ps->n <= G_N_ELEMENTS(ps->which));
	ps->min = G_MAXSIZE;
	for (gsize i = 0; i < ps->n; i++)
		ps->min = MIN(ps->min, strlen(ps->tab[i]));
	g_assert(ps->min >= 2 && ps->min < 256);
	memset(ps->shift, (int)(ps->min - 1), sizeof(ps->shift));
	for (gsize i = 0; i < ps->n; i++) {
		const char *t = ps->tab[i];

		for (gsize q = 2; q <= ps->min; q++) {
			guint h = PAIR_HASH(t[q - 2], t[q - 1]);

			ps->shift[h] = MIN(ps->shift[h], (guint8)(ps->min - q));
		}
		count[PAIR_HASH(t[ps->min - 2], t[ps->min - 1])]++;
	}
	ps->first[0] = 0;
	for (guint h = 0; h < 4096; h++)
		ps->first[h + 1] = ps->first[h] + count[h];
	memset(count, 0, sizeof(count));
	for (gsize i = 0; i < ps->n; i++) {
		const char *t = ps->tab[i];
		guint h = PAIR_HASH(t[ps->min - 2], t[ps->min - 1]);

		ps->which[ps->first[h] + count[h]++] = (guint16)i;
	}
}

static inline guint8
ascii_lower(guint8 c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/*
 * Same answer as contains_any() over the first len bytes of s (no NUL
 * among them), or over their ASCII lower case when ascii_case.
 */
static gboolean
contains_any_len(const char *s, gsize len, gboolean ascii_case,
    struct phrase_set *ps)
{
	gsize pos;

	if (g_once_init_enter(&ps->ready)) {
		phrase_set_init(ps);
		g_once_init_leave(&ps->ready, 1);
	}
	for (pos = ps->min; pos <= len; ) {
		guint8 a = (guint8)s[pos - 2], b = (guint8)s[pos - 1];
		const char *start = s + pos - ps->min;
		guint h;

		if (ascii_case) {
			a = ascii_lower(a);
			b = ascii_lower(b);
		}
		h = PAIR_HASH(a, b);
		if (ps->shift[h] > 0) {
			pos += ps->shift[h];
			continue;
		}
		for (guint j = ps->first[h]; j < ps->first[h + 1]; j++) {
			const char *t = ps->tab[ps->which[j]];
			gsize l = strlen(t), k;

			if (pos - ps->min + l > len)
				continue;
			if (!ascii_case) {
				if (memcmp(start, t, l) == 0)
					return TRUE;
				continue;
			}
			for (k = 0; k < l && ascii_lower((guint8)start[k]) == (guint8)t[k]; k++)
				;
			if (k == l)
				return TRUE;
		}
		pos++;
	}
	return FALSE;
}

/* Same answer as contains_any(s, ps->tab, ps->n). */
static gboolean
contains_any_set(const char *s, struct phrase_set *ps)
{
	return contains_any_len(s, strlen(s), FALSE, ps);
}

/* Are the first len bytes of s ASCII? */
static gboolean
is_ascii(const char *s, gsize len)
{
	gsize i = 0;

	for (; i + 8 <= len; i += 8) {
		guint64 w;

		memcpy(&w, s + i, 8);
		if ((w & G_GUINT64_CONSTANT(0x8080808080808080)) != 0)
			return FALSE;
	}
	for (; i < len; i++)
		if ((guint8)s[i] >= 0x80)
			return FALSE;
	return TRUE;
}

static struct phrase_set disclaimer_set = {
	disclaimer, G_N_ELEMENTS(disclaimer), 0, 0, { 0 }, { 0 }, { 0 }
};
static struct phrase_set forward_sep_set = {
	forward_sep, G_N_ELEMENTS(forward_sep), 0, 0, { 0 }, { 0 }, { 0 }
};

/* Does the label (folded line) start with one of tab then optional spaces and ':'? */
static const char *
label_value(const char *line, const char *const *tab, gsize n)
{
	line = skip_ws(line);
	if (*line == '*')	/* "*From:*" from HTML bold */
		line++;
	for (gsize i = 0; i < n; i++) {
		gsize l;
		const char *p;

		if (*line != tab[i][0])
			continue;
		l = strlen(tab[i]);
		if (strncmp(line, tab[i], l) != 0)
			continue;
		p = line + l;
		while (*p == ' ' || *p == '*')
			p++;
		if (*p == ':')
			return p + 1;
	}
	return NULL;
}

/*
 * Can the folded, chomped form of s end with ':'?  Folding keeps ':' and
 * ASCII and turns nothing else into one; chomping (after no-break spaces
 * are made plain) takes ASCII spaces and no-break spaces off the end.  Any
 * other byte above ASCII there (a stray one may vanish in folding): maybe.
 */
static gboolean
may_end_with_colon(const char *s, gsize len)
{
	for (;;) {
		if (len > 0 && g_ascii_isspace(s[len - 1]))
			len--;
		else if (len >= 2 && memcmp(s + len - 2, "\xC2\xA0", 2) == 0)
			len -= 2;
		else if (len >= 3 && memcmp(s + len - 3, "\xE2\x80\xAF", 3) == 0)
			len -= 3;
		else if (len > 0 && (guint8)s[len - 1] >= 0x80)
			return TRUE;
		else
			return len > 0 && s[len - 1] == ':';
	}
}

/*
 * "On ..., X wrote:", possibly wrapped over MAX_JOIN lines; sets *span.
 * joined is scratch space.
 */
static gboolean
is_attribution(GString *joined, char **lines, guint i, guint n, guint *span)
{
	gboolean found = FALSE;

	g_string_truncate(joined, 0);

	for (guint k = 0; k < MAX_JOIN && i + k < n && !found; k++) {
		g_autofree char *f = NULL;
		const char *l = skip_ws(lines[i + k]);

		if (*l == '\0' || is_quoted(l))
			break;
		if (joined->len > 0)
			g_string_append_c(joined, ' ');
		g_string_append(joined, l);
		if (joined->len > 400)
			break;
		if (!may_end_with_colon(joined->str, joined->len))
			continue;	/* both forms end with ':' */
		f = fold(joined->str);
		g_strchomp(f);
		if ((ends_with_any(f, attrib_end, G_N_ELEMENTS(attrib_end)) ||
		    (f[0] != '\0' && f[strlen(f) - 1] == ':' &&
		    contains_any(f, attrib_mid, G_N_ELEMENTS(attrib_mid)) &&
		    (strchr(f, '@') != NULL || starts_with_any(f, attrib_start,
		    G_N_ELEMENTS(attrib_start))))) &&
		    strpbrk(f, "0123456789@") != NULL) {
			*span = k + 1;
			found = TRUE;
		}
	}
	return found;
}

static gboolean
is_separator(const char *folded)
{
	const char *p = skip_ws(folded);

	if (strncmp(p, "---", 3) != 0 && strncmp(p, "___", 3) != 0 &&
	    strncmp(p, "===", 3) != 0)
		return FALSE;
	return contains_any(p, separators, G_N_ELEMENTS(separators));
}

static gboolean
is_mobile_signature(const char *folded)
{
	const char *p = skip_ws(folded);

	if (strlen(p) > 90)
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS(mobile_start); i++)
		if (*p == mobile_start[i][0] &&
		    strncmp(p, mobile_start[i], strlen(mobile_start[i])) == 0)
			return contains_any(p, mobile_words, G_N_ELEMENTS(mobile_words));
	return FALSE;
}

/*
 * Outlook's "From: X / Sent: Y / To: / Subject:" block quoting the original;
 * not when its subject says it is a forward (then it is the request).  f is
 * line i folded.
 */
static gboolean
is_header_block(const char *f, char **lines, guint i, guint n)
{
	gboolean sent = FALSE;

	if (label_value(f, from_label, G_N_ELEMENTS(from_label)) == NULL)
		return FALSE;
	for (guint k = i + 1; k < n && k <= i + HEADER_SCAN; k++) {
		g_autofree char *g = fold(lines[k]);
		const char *v;

		if (label_value(g, sent_label, G_N_ELEMENTS(sent_label)) != NULL)
			sent = TRUE;
		v = label_value(g, (const char *const[]){ "subject", "objet", "betreff",
		    "oggetto", "asunto", "assunto", "onderwerp" }, 7);
		if (v != NULL) {
			v = skip_ws(v);
			for (gsize j = 0; j < G_N_ELEMENTS(forward_subject); j++)
				if (strncmp(v, forward_subject[j], strlen(forward_subject[j])) == 0)
					return FALSE;
		}
	}
	return sent;
}

/* After line i, is there unquoted text after a quoted line (interleaved reply)? */
static gboolean
interleaved(char **lines, guint i, guint n)
{
	gboolean seen_quote = FALSE;

	for (guint k = i; k < n; k++) {
		const char *l = skip_ws(lines[k]);

		if (*l == '>')
			seen_quote = TRUE;
		else if (*l != '\0' && seen_quote)
			return TRUE;
	}
	return FALSE;
}

/* Blank, or a line drawn with one of _ - = * (Outlook's "_____"). */
static gboolean
is_rule(const char *line)
{
	const char *p = skip_ws(line);
	char c = *p;

	if (c == '\0')
		return TRUE;
	if (strchr("_-=*", c) == NULL)
		return FALSE;
	for (; *p == c; p++)
		;
	return *skip_ws(p) == '\0' && p - line >= 5;
}

static gboolean
is_disclaimer(const char *para)
{
	g_autofree char *f = NULL;
	gsize len;

	if (strlen(para) > FOLD_MAX * 8)	/* a paragraph, not a text */
		return FALSE;
	/* The phrases open the notice: its head is enough. */
	len = strlen(para);
	if (len > DISCLAIMER_HEAD) {
		len = DISCLAIMER_HEAD;
		while (len > 0 && ((guint8)para[len] & 0xC0) == 0x80)
			len--;		/* not inside a character */
	}
	if (is_ascii(para, len))	/* its lower case is ASCII lower case */
		return contains_any_len(para, len, TRUE, &disclaimer_set);
	f = lower_plain(para, len);
	return contains_any_set(f, &disclaimer_set);
}

/* Join kept lines, drop disclaimer paragraphs, tidy blank lines. */
static char *
assemble(char **lines, const gboolean *keep, guint n)
{
	GString *out = g_string_new(NULL), *para = g_string_new(NULL);
	gboolean pending_blank = FALSE;

	for (guint i = 0; i <= n; i++) {
		gboolean blank = i == n || *skip_ws(lines[i]) == '\0';

		if (i < n && !keep[i])
			continue;
		if (!blank) {
			if (para->len > 0)
				g_string_append_c(para, '\n');
			g_string_append(para, lines[i]);
			continue;
		}
		if (para->len > 0) {
			if (!is_disclaimer(para->str)) {
				if (out->len > 0)
					g_string_append(out, pending_blank ? "\n\n" : "\n");
				g_string_append(out, para->str);
			}
			g_string_truncate(para, 0);
		}
		pending_blank = TRUE;
	}
	g_string_free(para, TRUE);
	return g_string_free(out, FALSE);
}

/* text cut at '\n' (g_strsplit, but linear under ASan too). */
static char **
split_lines(const char *text)
{
	GPtrArray *a = g_ptr_array_new();
	const char *p = text, *end = text + strlen(text);

	for (;;) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));

		if (nl == NULL) {
			g_ptr_array_add(a, g_strndup(p, (gsize)(end - p)));
			break;
		}
		g_ptr_array_add(a, g_strndup(p, (gsize)(nl - p)));
		p = nl + 1;
	}
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

gboolean
quote_is_forward_subject(const char *subject)
{
	static const char *const prefix[] = {
		"fwd:", "fw:", "tr:", "wg:", "i:", "rv:", "enc:", "doorst:", "fs:",
		"[fwd:", "fwd :", "tr :", "fw :",
	};
	const char *p = subject != NULL ? skip_ws(subject) : "";

	for (gsize i = 0; i < G_N_ELEMENTS(prefix); i++)
		if (g_ascii_strncasecmp(p, prefix[i], strlen(prefix[i])) == 0)
			return TRUE;
	return FALSE;
}

char *
text_strip_quotes(const char *text)
{
	return quote_strip(text, FALSE);
}

char *
quote_strip(const char *text, gboolean forward)
{
	g_auto(GStrv) lines = NULL;
	g_autofree gboolean *keep = NULL;
	g_autoptr(GString) joined = NULL;
	guint n, cut;
	char *out;

	if (text == NULL)
		return g_strdup("");
	lines = split_lines(text);
	n = g_strv_length(lines);
	joined = g_string_new(NULL);
	keep = g_new(gboolean, n + 1);
	cut = n;
	for (guint i = 0; i < n; i++)
		keep[i] = TRUE;
	for (guint i = 0; i < n && !forward; i++) {
		g_autofree char *f = NULL;
		const char *l = lines[i];
		guint span = 0;

		g_strchomp(lines[i]);
		keep[i] = !is_quoted(l);
		if (!keep[i])
			continue;
		if (strcmp(l, "--") == 0 || strcmp(l, "-- ") == 0 ||
		    strcmp(l, "\xE2\x80\x94") == 0) {
			cut = i;
			break;
		}
		/*
		 * A long line is prose: attributions, separators, signatures and
		 * header blocks are short.  Skipping it keeps this linear and cheap
		 * on the unwrapped paragraphs of webmail and phones.
		 */
		if (strlen(l) > PROSE_MIN)
			continue;
		f = fold(l);
		if (contains_any_set(f, &forward_sep_set))
			break;		/* a forward: the rest is the request */
		if (is_mobile_signature(f) || is_separator(f) ||
		    is_header_block(f, lines, i, n)) {
			cut = i;
			break;
		}
		if (is_attribution(joined, lines, i, n, &span)) {
			if (interleaved(lines, i + span, n)) {
				for (guint k = i; k < i + span; k++)
					keep[k] = FALSE;
				i += span - 1;
				continue;
			}
			cut = i;
			break;
		}
	}
	/* the blank lines and the "______" rule above the cut go too */
	while (cut > 0 && cut < n && is_rule(lines[cut - 1]))
		cut--;
	for (guint i = cut; i < n; i++)
		keep[i] = FALSE;
	out = assemble(lines, keep, n);
	if (*out == '\0') {
		/* nothing of the sender's own: a bare forward, keep it all */
		g_free(out);
		for (guint i = 0; i < n; i++)
			keep[i] = TRUE;
		out = assemble(lines, keep, n);
	}
	return out;
}
