/*
 * kind_thanks.c: a mail that only thanks or closes and asks nothing
 * (kind_is_thanks, kind.h): it joins the request it answers instead of
 * opening one.  No I/O.
 */
#include <string.h>
#include "fold.h"
#include "kind.h"
#include "kind_int.h"

static const char *const thanks_words[] = {
	"merci", "remercie", "remercions", "danke", "dankeschon", "vielen dank",
	"grazie", "obrigado", "obrigada", "gracias", "thanks", "thank you", "thx",
	"faleminderit", "hvala", "tesekkur", "tesekkurler", "sag olun", "spasibo",
	"спасибо", "дякую", "شكرا", "شكراً", "ممنون", "مرسی", "سپاس",
	"የቐንየለይ", "የቐንየልና", "ok", "d accord", "parfait", "bien recu", "super",
	"top", "alles klar", "in ordnung", "perfetto", "va bene", NULL
};

/* Words a thank-you would not hold: it asks or tells something. */
static const char *const asking_words[] = {
	"mais", "cependant", "toutefois", "question", "pouvez", "pourriez", "est ce",
	"aber", "frage", "konnen sie", "konnten sie", "pero", "pregunta", "puede",
	"however", "but", "could you", "can you", "please", "s il vous plait",
	"bitte", "per favore", "por favor", "encore", "noch", "besoin", "brauche",
	"need", "probleme", "problem", "merci de", "d avance", "par avance",
	"in advance", "im voraus", "in anticipo", "de antemano", "antecipadamente",
	"je voudrais", "j aimerais", "ich mochte", "ich wurde gerne", "i would like",
	"vorrei", "quisiera", "gostaria", "rappeler", "rendez vous", "termin",
	"appointment", "aidez", "m aider", "nous aider", "help me", "help us",
	"helfen sie", "mir helfen", "aiutarmi", "ayudarme", "ajudar me", "urgent",
	"dringend", "urgente", "je cherche", "nous cherchons", "ich suche", "wir suchen",
	"looking for", "busco", "cerco", "procuro", "je veux", "ich will", "i want",
	"je souhaite", "wie kann", "comment", "where", "ou puis je", "wo kann", NULL
};

gboolean
kind_is_thanks(const char *text)
{
	static struct kind_phrases *thanks, *asking;
	g_autoptr(GString) f = g_string_new(" ");
	gsize letters = 0;

	if (text == NULL || strchr(text, '?') != NULL || strstr(text, "؟") != NULL)
		return FALSE;
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
		if (g_unichar_isalpha(g_utf8_get_char(p)))
			letters++;
	if (letters == 0 || letters > 160)
		return FALSE;
	if (g_once_init_enter(&thanks)) {
		asking = kind_phrases(asking_words);
		/* cppcheck-suppress leakNoVarFunctionCall ; kept for the life of the process */
		g_once_init_leave(&thanks, kind_phrases(thanks_words));
	}
	fold_text(f, text, -1);
	g_string_append_c(f, ' ');
	return kind_count_phrases(thanks, f->str, NULL) > 0 &&
	    kind_count_phrases(asking, f->str, NULL) == 0;
}
