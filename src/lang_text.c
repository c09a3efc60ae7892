/*
 * lang_text.c: the text the language identifier reads (lang.c).  The
 * writer's own words: a forward's lines above the forwarded message, the
 * subject when it is not a reply to ours, no links, addresses or blobs;
 * letters counted per script with their tell-tale letters; the script
 * the text is written in (Latin boilerplate does not outvote another
 * script); Latin-script Arabic's digits.  No I/O.
 */
#include <string.h>
#include "lang_pick.h"
#include "quote.h"

/* Language of a script only one plausible language writes, or NULL. */
static const char *
script_language(GUnicodeScript s)
{
	switch (s) {
	case G_UNICODE_SCRIPT_TAMIL:		return "ta";
	case G_UNICODE_SCRIPT_SINHALA:		return "si";
	case G_UNICODE_SCRIPT_THAI:		return "th";
	case G_UNICODE_SCRIPT_GREEK:		return "el";
	case G_UNICODE_SCRIPT_TIBETAN:		return "bo";
	case G_UNICODE_SCRIPT_GEORGIAN:		return "ka";
	case G_UNICODE_SCRIPT_ARMENIAN:		return "hy";
	case G_UNICODE_SCRIPT_HEBREW:		return "he";
	case G_UNICODE_SCRIPT_BENGALI:		return "bn";
	case G_UNICODE_SCRIPT_GURMUKHI:		return "pa";
	case G_UNICODE_SCRIPT_GUJARATI:		return "gu";
	case G_UNICODE_SCRIPT_MALAYALAM:	return "ml";
	case G_UNICODE_SCRIPT_KANNADA:		return "kn";
	case G_UNICODE_SCRIPT_TELUGU:		return "te";
	case G_UNICODE_SCRIPT_KHMER:		return "km";
	case G_UNICODE_SCRIPT_LAO:		return "lo";
	case G_UNICODE_SCRIPT_MYANMAR:		return "my";
	case G_UNICODE_SCRIPT_MONGOLIAN:	return "mn";
	case G_UNICODE_SCRIPT_HANGUL:		return "ko";
	case G_UNICODE_SCRIPT_HIRAGANA:
	case G_UNICODE_SCRIPT_KATAKANA:		return "ja";
	default:				return NULL;
	}
}

/* Count one letter c into sc. */
static void
scan_letter(struct scan *sc, gunichar c)
{
	GUnicodeScript s;
	const char *code;

	sc->letters++;
	if (c < 0x250 || (c >= 0x1E00 && c < 0x1F00) || c == 0x259) {
		sc->script[S_LATIN]++;
		if (c == 0x131 || c == 0x11F || c == 0x130)
			sc->tr++;
		else if (c == 0x259 || c == 0x18F)
			sc->az++;	/* ə Ə: Azerbaijani */
		return;
	}
	if (c >= 0x400 && c < 0x530) {
		sc->script[S_CYRILLIC]++;
		switch (c) {
		case 0x456: case 0x457: case 0x454: case 0x491:	/* і ї є ґ */
			sc->uk++; break;
		case 0x44B: case 0x44D: case 0x451:		/* ы э ё */
			sc->ru++; break;
		case 0x44A:					/* ъ */
			sc->bg++; break;
		case 0x452: case 0x45B:				/* ђ ћ */
			sc->sr += 3; break;
		case 0x458: case 0x459: case 0x45A: case 0x45F:	/* ј љ њ џ */
			sc->sr++; sc->mk++; break;
		case 0x453: case 0x45C: case 0x455:		/* ѓ ќ ѕ */
			sc->mk += 3; break;
		case 0x45E:					/* ў */
			sc->be += 3; break;
		case 0x4E9: case 0x4AF:				/* ө ү */
			sc->mn++; break;
		}
		return;
	}
	if ((c >= 0x600 && c < 0x700) || (c >= 0x750 && c < 0x780) ||
	    (c >= 0xFB50 && c < 0xFE00) || (c >= 0xFE70 && c < 0xFF00)) {
		sc->script[S_ARABIC]++;
		switch (c) {
		case 0x67E: case 0x686: case 0x698: case 0x6AF:	/* پ چ ژ گ */
			sc->fa += 3; break;
		case 0x6CC: case 0x6A9:				/* ی ک */
			sc->fa++; break;
		case 0x629: case 0x649: case 0x623: case 0x625:	/* ة ى أ إ */
			sc->ar += 2; break;
		case 0x64A: case 0x643:				/* ي ك */
			sc->ar++; break;
		case 0x679: case 0x688: case 0x691: case 0x6BA:	/* ٹ ڈ ڑ ں */
		case 0x6D2: case 0x6BE: case 0x6C1: case 0x6C3:	/* ے ھ ہ ۃ */
			sc->ur += 3; break;
		case 0x67C: case 0x689: case 0x693: case 0x696:	/* ټ ډ ړ ږ */
		case 0x69A: case 0x6AB: case 0x6BC: case 0x6D0:	/* ښ ګ ڼ ې */
		case 0x6CD: case 0x681: case 0x685:		/* ۍ ځ څ */
			sc->ps += 3; break;
		case 0x6B5: case 0x695: case 0x6C6: case 0x6CE:	/* ڵ ڕ ۆ ێ */
		case 0x6D5:					/* ە */
			sc->ckb += 3; break;
		}
		return;
	}
	if ((c >= 0x1200 && c < 0x13A0) || (c >= 0x2D80 && c < 0x2DE0) ||
	    (c >= 0xAB00 && c < 0xAB30)) {
		sc->script[S_ETHIOPIC]++;
		if ((c >= 0x1250 && c < 0x1260) || (c >= 0x12B8 && c < 0x12C6))
			sc->ti += 3;		/* ቐ.. ኸ.. series: Tigrinya */
		else if (c == 0x12A3 || c == 0x1213)
			sc->ti++;		/* ኣ ሓ */
		else if (c == 0x12A0)
			sc->am++;		/* አ */
		else if ((c >= 0x1220 && c < 0x1228) || (c >= 0x1280 &&
		    c < 0x128E) || (c >= 0x1340 && c < 0x1348))
			sc->am += 2;		/* ሠ ኀ ፀ series: Amharic */
		return;
	}
	if (c >= 0x900 && c < 0x980) {
		sc->script[S_DEVANAGARI]++;
		return;
	}
	if ((c >= 0x4E00 && c < 0xA000) || (c >= 0x3400 && c < 0x4DC0)) {
		sc->script[S_HAN]++;
		return;
	}
	s = g_unichar_get_script(c);
	if (s == G_UNICODE_SCRIPT_LATIN) {
		sc->script[S_LATIN]++;
		return;
	}
	if ((code = script_language(s)) == NULL) {
		sc->letters--;		/* a script we cannot name */
		return;
	}
	if (s == G_UNICODE_SCRIPT_HIRAGANA || s == G_UNICODE_SCRIPT_KATAKANA)
		sc->kana++;
	sc->script[S_OTHER]++;
	if (sc->others == NULL)
		sc->others = g_hash_table_new(g_str_hash, g_str_equal);
	{
		int n = GPOINTER_TO_INT(g_hash_table_lookup(sc->others, code)) + 1;

		g_hash_table_insert(sc->others, (gpointer)code, GINT_TO_POINTER(n));
		if (n > sc->other_n) {
			sc->other_n = n;
			sc->other = code;
		}
	}
}

/* Does the word [w, w+len) look like a link or an address? */
static gboolean
noise_word(const char *w, gsize len)
{
	if (memchr(w, '@', len) != NULL)
		return TRUE;
	if (len >= 4 && (((w[0] | 0x20) == 'h' && g_ascii_strncasecmp(w, "http", 4) == 0) ||
	    ((w[0] | 0x20) == 'w' && g_ascii_strncasecmp(w, "www.", 4) == 0)))
		return TRUE;
	return FALSE;
}

/* A long run of ASCII without a space: base64, a hash, a path. */
static gboolean
ascii_blob(const char *w, gsize len)
{
	if (len <= LANG_WORD)
		return FALSE;
	for (gsize i = 0; i < len; i++)
		if ((guchar)w[i] >= 0x80)
			return FALSE;
	return TRUE;
}

/*
 * Letters of w when it is a word of the Arabic greetings that open mail in
 * any language ("السلام عليكم", "بسم الله الرحمن الرحيم"), else 0.
 */
static int
formula_letters(const char *w, gsize len)
{
	static const char *const words[] = { "السلام", "عليكم", "ورحمة",
	    "الله", "وبركاته", "بسم", "الرحمن", "الرحيم", "سلام", "علیکم",
	    "السلاموعليكم", NULL };
	char buf[64];

	if (len < 2 || len >= sizeof(buf) || ((guchar)w[0] != 0xD8 &&
	    (guchar)w[0] != 0xD9))
		return 0;
	memcpy(buf, w, len);
	buf[len] = '\0';
	/* a trailing comma, full stop or exclamation mark (، . !) */
	while (len > 0 && strchr(",.!", buf[len - 1]) != NULL)
		buf[--len] = '\0';
	if (len >= 2 && g_str_has_suffix(buf, "\xD8\x8C"))	/* ، */
		buf[len - 2] = '\0';
	return g_strv_contains(words, buf) ? (int)g_utf8_strlen(buf, -1) : 0;
}

/*
 * Append the words of s (without links and addresses) to buf up to
 * LANG_CAP bytes, counting letters into sc.  Returns FALSE when full.
 */
gboolean
scan_text(struct scan *sc, GString *buf, const char *s)
{
	const char *p = s, *end;
	gboolean full = FALSE;

	if (s == NULL)
		return TRUE;
	end = s + strlen(s);
	while (p < end) {
		const char *w;
		gsize len;
		guint8 high = 0;

		while (p < end && g_ascii_isspace(*p))
			p++;
		w = p;
		while (p < end && !g_ascii_isspace(*p))
			high |= (guint8)*p++;
		len = p - w;
		/* Links, addresses, blobs and broken bytes are not language. */
		if (len == 0 || noise_word(w, len) || ascii_blob(w, len) ||
		    ((high & 0x80) != 0 && !g_utf8_validate(w, len, NULL)))
			continue;
		if (buf->len + len + 1 > LANG_CAP) {
			/* Scripts without spaces (Thai, Chinese): take a prefix. */
			const char *cut = w + (LANG_CAP - 1 - buf->len);

			if (buf->len > LANG_CAP / 2 || len <= LANG_WORD)
				return FALSE;
			while (cut > w && (*cut & 0xC0) == 0x80)
				cut--;
			p = cut;
			len = p - w;
			full = TRUE;
		}
		for (const char *q = w; q < p; q = g_utf8_next_char(q)) {
			gunichar c = (guint8)*q;

			if (c < 0x80) {
				if (g_ascii_isalpha(c)) {	/* scan_letter(), Latin */
					sc->letters++;
					sc->script[S_LATIN]++;
					sc->upper += g_ascii_isupper(c);
				}
				continue;
			}
			c = g_utf8_get_char(q);
			if (g_unichar_isalpha(c)) {
				scan_letter(sc, c);
				sc->upper += g_unichar_isupper(c);
			}
		}
		sc->formula += formula_letters(w, len);
		/* the script the writer starts in: one count is not zero yet */
		for (int i = 0; sc->first == 0 && i < S_NSCRIPT; i++)
			if (sc->script[i] > 0)
				sc->first = i + 1;
		g_string_append_len(buf, w, len);
		g_string_append_c(buf, ' ');
		if (full)
			return FALSE;
	}
	return TRUE;
}

/* The subject without "Re:", "AW:", "Fwd:" ... prefixes. */
const char *
subject_core(const char *s, gboolean *reply)
{
	static const char *const pfx[] = { "re", "aw", "wg", "fw", "fwd",
	    "tr", "sv", "r", "rif", "enc", "rv", "odp", "antw", "res", "ynt",
	    "vs", "\xD0\x9E\xD1\x82\xD0\xB2" /* Отв */,
	    "\xD8\xB1\xD8\xAF" /* رد */, NULL };
	gboolean again = TRUE;

	*reply = FALSE;
	while (s != NULL && again) {
		again = FALSE;
		while (*s == ' ' || *s == '\t')
			s++;
		for (int i = 0; pfx[i] != NULL; i++) {
			gsize n = strlen(pfx[i]);
			const char *c = s + n;

			if (g_ascii_strncasecmp(s, pfx[i], n) != 0)
				continue;
			while (*c == ' ')	/* French Outlook: "RE : " */
				c++;
			if (*c == ':') {
				s = c + 1;
				again = *reply = TRUE;
				break;
			}
		}
	}
	return s;
}

/*
 * g_utf8_strdown(text, -1) of valid UTF-8, with ASCII lower-cased here and
 * only the runs of other characters given to GLib.  The same outside
 * Turkic and Lithuanian locales (main() sets C.UTF-8); a capital sigma,
 * whose lower case depends on what follows, sends the whole text to GLib.
 */
char *
strdown_runs(const char *text)
{
	GString *out;
	const char *p = text;

	if (strstr(text, "\xCE\xA3") != NULL)
		return g_utf8_strdown(text, -1);
	out = g_string_sized_new(strlen(text) + 16);
	while (*p != '\0') {
		const char *q = p;

		while ((guint8)*q != 0 && (guint8)*q < 0x80)
			q++;
		if (q > p) {
			gsize at = out->len;

			g_string_append_len(out, p, q - p);
			for (char *c = out->str + at; *c != '\0'; c++)
				if (*c >= 'A' && *c <= 'Z')
					*c += 'a' - 'A';
			p = q;
		}
		while ((guint8)*q >= 0x80)
			q++;
		if (q > p) {
			g_autofree char *low = g_utf8_strdown(p, q - p);

			g_string_append(out, low);
			p = q;
		}
	}
	/* Turkish İ lowers to i + a combining dot: plain i ("İÇİN", için) */
	for (char *d; (d = strstr(out->str, "i\xCC\x87")) != NULL; )
		g_string_erase(out, d + 1 - out->str, 2);
	return g_string_free(out, FALSE);
}

/*
 * Latin-script Arabic ("na3ref", "3andi", "sba7"): a digit standing for
 * a letter inside a word.  Counts words of letters with one 2, 3, 5, 7
 * or 9 in them and at least three letters (not "A2", "mp3", "B1").
 */
int
arabizi_words(const char *text)
{
	static const char *const ordinal[] = { "e", "eme", "er", "nd", "rd",
	    "th", "ieme", "ten", "te", "de", "x", NULL };
	int n = 0;

	for (const char *p = text; *p != '\0'; ) {
		const char *w = p, *digit = NULL;
		int letters = 0, digits = 0, other = 0;

		while (*p != '\0' && *p != ' ')
			p++;
		for (const char *q = w; q < p; q++) {
			if (g_ascii_isalpha(*q))
				letters++;
			else if (g_ascii_isdigit(*q)) {
				digits++;
				digit = q;
			} else if (strchr(".,;:!?", *q) == NULL || q + 1 < p)
				other++;	/* punctuation only at the end */
		}
		if (digits == 1 && letters >= 3 && other == 0 &&
		    strchr("23579", *digit) != NULL) {
			g_autofree char *rest = g_strndup(digit + 1, p - digit - 1);

			g_strchomp(rest);
			if (rest[0] != '\0' && strchr(".,;:!?", rest[strlen(rest) - 1]))
				rest[strlen(rest) - 1] = '\0';
			if (digit != w || !g_strv_contains(ordinal, rest))
				n++;
		}
		while (*p == ' ')
			p++;
	}
	return n;
}

/* Fewer letters than this in script s: too short to tell. */
int
script_min(enum lscript s)
{
	return s == S_LATIN || s == S_DEVANAGARI ? LANG_MIN :
	    s == S_CYRILLIC || s == S_ARABIC ? 6 : 4;
}

/*
 * The script the text is written in.  Latin letters inside a text of
 * another script are mostly what the writer did not write: a French
 * address or disclaimer, a pasted letter, "permis B", a phone's
 * signature.  So another script wins with a third of the Latin letters,
 * or when the writer starts in it and writes more than a greeting
 * ("السلام عليكم" above a French letter is a greeting); not when two
 * other scripts are there (a notice translated for its readers).
 */
enum lscript
main_script(const struct scan *sc)
{
	enum lscript script = S_LATIN, o = S_LATIN;
	int several = 0;

	for (int i = 0; i < S_NSCRIPT; i++)
		if (sc->script[i] > sc->script[script])
			script = i;
	if (script != S_LATIN)
		return script;
	for (int i = 0; i < S_NSCRIPT; i++) {
		if (i == S_LATIN || sc->script[i] == 0)
			continue;
		several += sc->script[i] >= 2 * script_min(i);
		if (o == S_LATIN || sc->script[i] > sc->script[o])
			o = i;
	}
	/* a notice translated into several scripts is the Latin text's */
	if (several >= 2 || (sc->others != NULL &&
	    g_hash_table_size(sc->others) >= 2 && sc->other_n >= 8))
		return S_LATIN;
	if (o != S_LATIN && (sc->script[o] * 3 >= sc->script[S_LATIN] ||
	    (sc->first == (int)o + 1 && sc->script[o] - (o == S_ARABIC ?
	    sc->formula : 0) >= 2 * script_min(o))))
		return o;
	return S_LATIN;
}

/* Enough letters in script s to tell the language? */
gboolean
enough(const struct scan *sc, enum lscript s)
{
	return sc->letters >= script_min(s);
}

/* Forget what scan_text() counted. */
void
scan_reset(struct scan *sc, GString *buf)
{
	if (sc->others != NULL)
		g_hash_table_destroy(sc->others);
	memset(sc, 0, sizeof(*sc));
	g_string_truncate(buf, 0);
}

/*
 * The forwarder's own words of a forwarded mail: the text without quotes
 * and signature, above the first line that starts the forwarded message.
 */
char *
forward_own(const char *text)
{
	static const char *const sep[] = {
		"forwarded message", "message transféré", "message transfere",
		"weitergeleitete nachricht", "messaggio inoltrato",
		"mensaje reenviado", "mensagem encaminhada",
		"mensagem reencaminhada", "doorgestuurd bericht",
		"пересылаемое сообщение", "переслане повідомлення",
		"الرسالة المعاد توجيهها", "début du message",
		"anfang der weitergeleiteten", "begin forwarded",
	};
	char *own = text_strip_quotes(text);

	for (char *line = own; line != NULL && *line != '\0'; ) {
		char *nl = strchr(line, '\n');
		gsize len = nl != NULL ? (gsize)(nl - line) : strlen(line);

		if (len < 200 && g_utf8_validate(line, len, NULL)) {
			g_autofree char *low = g_utf8_strdown(line, len);

			for (gsize i = 0; i < G_N_ELEMENTS(sep); i++)
				if (strstr(low, sep[i]) != NULL) {
					*line = '\0';
					return own;
				}
		}
		line = nl != NULL ? nl + 1 : NULL;
	}
	return own;
}

/* Is the key of a "Key : value" line a form's label of its message? */
static gboolean
message_label(const char *key)
{
	static const char *const label[] = { "message", "votre message",
	    "your message", "nachricht", "ihre nachricht", "mitteilung",
	    "messaggio", "il suo messaggio", "mensaje", "su mensaje",
	    "mensagem", "a sua mensagem", "commentaire", "commentaires",
	    "remarques", "texte", "votre demande", "demande", "anfrage",
	    "ihre anfrage", "bemerkungen", "comment", "comments", "question",
	    "votre question", "ihre frage", "request", "your request", NULL };

	return g_strv_contains(label, key);
}

const char *
form_message(const char *text)
{
	int fields = 0;

	/* a form's labels come first: the first lines are enough */
	for (const char *line = text; line != NULL && *line != '\0' &&
	    line - text < 4096; ) {
		const char *nl = strchr(line, '\n');
		gsize len = nl != NULL ? (gsize)(nl - line) : strlen(line);
		const char *colon = memchr(line, ':', len);

		if (colon != NULL && colon > line && colon - line <= 30 &&
		    g_utf8_validate(line, colon - line, NULL)) {
			g_autofree char *key = g_utf8_strdown(line, colon - line);
			int words = 1;

			g_strstrip(key);
			for (const char *k = key; *k != '\0'; k++)
				words += *k == ' ';
			if (*key != '\0' && words <= 3) {
				if (fields >= 2 && message_label(key)) {
					const char *m = colon + 1;

					while (*m == ' ' || *m == '\t' || *m == '\r')
						m++;
					return *m == '\n' ? m + 1 : m;
				}
				fields++;
			}
		}
		line = nl != NULL ? nl + 1 : NULL;
	}
	return NULL;
}
