/*
 * kind_robot.c: robots beyond the RFC 3834 signals of decide.c (kind.c
 * decides; guichet-kinds(7)): delivery and read receipts written as plain
 * text, calendar invitations, newsletters without List-* headers (several
 * signals together), and the spam signals read on the same folded text.
 * No I/O.
 */
#include <string.h>
#include "decide.h"
#include "fold.h"
#include "kind_int.h"

#define TEXT_SCAN_MAX	(32 * 1024)	/* bytes of text read for content signals */

/* Headers only bulk mailers (newsletter services) write. */
static const char *const bulk_header_prefixes[] = {
	"X-Mailchimp", "X-MC-User", "X-Campaign", "X-Newsletter", "X-Mailjet",
	"X-Mailin-Campaign", "X-Sendinblue", "X-CSA-Complaints", "X-Report-Abuse",
	"X-SG-EID", "X-SFMC", "X-Mailgun-Tag", "X-Emarsys", "X-CleverReach",
	"X-Rpcampaign", "X-Mailing-Id", "X-Bulk", "X-Newsletter-Id", "X-Sender-Bulk",
	"X-Hubspot", "X-Klaviyo", "X-Mautic", "X-Listmonk", "X-Acymailing", NULL
};

/* X-Mailer / User-Agent values of bulk mailers (lower case, anywhere). */
static const char *const bulk_mailers[] = {
	"mailchimp", "sendinblue", "brevo", "cleverreach", "newsletter2go",
	"rapidmail", "mailpoet", "phplist", "mautic", "getresponse", "acymailing",
	"emarsys", "hubspot", "klaviyo", "campaign monitor", "constant contact",
	"mailjet", "newsletter", "listmonk", "sendy", "mailerlite", "inxmail",
	"optivo", "episerver campaign", "evalanche", "mailingwork", NULL
};

static gboolean
bulk_headers(const struct request *r)
{
	for (guint i = 0; r->headers != NULL && i < r->headers->len; i++) {
		const struct header *h = g_ptr_array_index(r->headers, i);

		if (h->name == NULL)
			continue;
		for (int j = 0; bulk_header_prefixes[j] != NULL; j++)
			if (g_ascii_strncasecmp(h->name, bulk_header_prefixes[j],
			    strlen(bulk_header_prefixes[j])) == 0)
				return TRUE;
		if ((g_ascii_strcasecmp(h->name, "X-Mailer") == 0 ||
		    g_ascii_strcasecmp(h->name, "User-Agent") == 0) && h->value != NULL) {
			g_autofree char *low = g_ascii_strdown(h->value, -1);

			for (int j = 0; bulk_mailers[j] != NULL; j++)
				if (strstr(low, bulk_mailers[j]) != NULL)
					return TRUE;
		}
	}
	return FALSE;
}

static const char *const unsubscribe_phrases[] = {
	"unsubscribe", "opt out", "opt-out", "manage your subscription",
	"update your preferences", "manage preferences", "email preferences",
	"se desabonner", "se desinscrire", "desabonnement", "desinscription",
	"vous desabonner", "vous desinscrire", "ne plus recevoir",
	"abmelden", "abbestellen", "newsletter abmelden", "vom newsletter",
	"disiscriviti", "annulla iscrizione", "cancellare l iscrizione",
	"annullare l iscrizione", "non ricevere piu", "cancella iscrizione",
	"nicht mehr erhalten", "keine e mails mehr", "keine newsletter mehr",
	"no longer wish to receive", "stop receiving", "ne souhaitez plus recevoir",
	"ne plus recevoir nos", "no deseas recibir", "nao deseja receber",

	"darse de baja", "cancelar suscripcion", "cancelar a inscricao",
	"descadastrar", NULL
};

static const char *const browser_phrases[] = {
	"view in browser", "view this email in your browser", "view it in your browser",
	"view online", "view the online version", "web version", "version en ligne",
	"afficher dans le navigateur", "voir la version en ligne", "version web",
	"im browser anzeigen", "im browser ansehen", "online ansehen", "webversion",
	"visualizza nel browser", "versione online", "ver en el navegador",
	"ver no navegador", "voir en ligne", "afficher en ligne", "version navigateur",
	"ansicht im browser", "web version", "im webbrowser", NULL
};

/* Footers of mass mail: why you receive it. */
static const char *const footer_phrases[] = {
	"you are receiving this email because", "you received this email because",
	"you are receiving this because", "vous recevez ce message car",
	"vous recevez cet e mail car", "vous recevez ce courriel car",
	"vous recevez ce message parce que", "sie erhalten diese e mail",
	"sie erhalten diesen newsletter", "ricevi questa email", "ricevi questa e mail",
	"recibes este correo", "voce recebeu este email", NULL
};

/* Words of advertising: one point together, never alone. */
static const char *const promo_phrases[] = {
	"jetzt bestellen", "nur heute", "rabatt", "angebot gilt", "gratis versand",
	"shop now", "order now", "buy now", "special offer", "exclusive offer",
	"free shipping", "limited offer", "% off", "livraison gratuite", "profitez de",
	"offre speciale", "offre exclusive", "offre personnalisee", "tarifs degressifs",
	"tarifs avantageux", "devis gratuit", "code promo", "soldes", "derniere chance",
	"dernieres places", "prezzi imbattibili", "offerte esclusive", "offerta speciale",
	"a partire da", "prenota entro", "oferta especial", "compre agora",
	"aproveite", "sconto", "reduction", "promotion", "discount", "nur diese woche",
	"diese woche", "gratis lieferung", "kostenlose lieferung", "this week only",
	"cette semaine seulement", "black friday", "cyber monday", "ab chf", "des chf",
	"solo oggi", "spedizione gratuita", "envio gratis", "frete gratis", NULL
};

/* "30%", "-20 %", "50 % de réduction" in s: a discount. */
static gboolean
percent(const char *s)
{
	for (const char *p = s != NULL ? strchr(s, '%') : NULL; p != NULL; p = strchr(p + 1, '%')) {
		const char *q = p;

		while (q > s && q[-1] == ' ')
			q--;
		if (q > s && g_ascii_isdigit(q[-1]))
			return TRUE;
	}
	return FALSE;
}

/* Local parts of senders of mass mail (compared whole, or before "-" "."). */
static const char *const bulk_locals[] = {
	"newsletter", "newsletters", "news", "marketing", "mailing", "promo",
	"promotions", "offers", "deals", "campaign", "campaigns", "bulletin",
	"announcements", "announce", "sales", "specials", "shop", "store",
	"offres", "angebote", NULL
};

gboolean
kind_bulk_sender(const char *addr)
{
	const char *at = addr != NULL ? strchr(addr, '@') : NULL;

	if (at == NULL)
		return FALSE;
	for (int i = 0; bulk_locals[i] != NULL; i++) {
		gsize k = strlen(bulk_locals[i]);

		if (g_ascii_strncasecmp(addr, bulk_locals[i], k) == 0 &&
		    (addr + k == at || strchr("-._+", addr[k]) != NULL))
			return TRUE;
	}
	return FALSE;
}

/*
 * A newsletter or an advertisement without List-* headers: 3 points, one
 * of them a bulk mailer header, unsubscribe or view-in-browser wording, or
 * advertising words of two kinds.  Bulk mailer header 2, unsubscribe
 * wording 1, view-in-browser wording 1, a "you receive this because"
 * footer 1, advertising words 1 (2 for two
 * kinds, or one and a discount in the subject), HTML-only 1, a mass-mail
 * sender name 1.
 */
static const char *
newsletter(const struct request *r, const char *folded)
{
	static struct kind_phrases *unsub, *browser, *promo, *footer;
	gboolean hdr = bulk_headers(r);
	int u, b, p, f, score;

	if (g_once_init_enter(&unsub)) {
		browser = kind_phrases(browser_phrases);
		footer = kind_phrases(footer_phrases);
		promo = kind_phrases(promo_phrases);
		/* cppcheck-suppress leakNoVarFunctionCall ; kept for the life of the process */
		g_once_init_leave(&unsub, kind_phrases(unsubscribe_phrases));
	}
	u = kind_count_phrases(unsub, folded, NULL) > 0;
	b = kind_count_phrases(browser, folded, NULL) > 0;
	f = kind_count_phrases(footer, folded, NULL) > 0;
	p = kind_count_phrases(promo, folded, NULL);
	if (!hdr && !u && !b && !f && p < 2)
		return NULL;
	p = p == 0 ? 0 : p + (percent(r->subject) ? 1 : 0) >= 2 ? 2 : 1;
	score = (hdr ? 2 : 0) + u + b + f + p + (r->html_only ? 1 : 0) +
	    (kind_bulk_sender(r->from_addr) ? 1 : 0);
	return score >= 3 ? "newsletter (bulk mail without list headers)" : NULL;
}

/* A calendar invitation, answer or cancellation. */
static gboolean
calendar(const struct request *r)
{
	const char *v = request_header(r, "Content-Type");

	if (v != NULL && (g_ascii_strncasecmp(v, "text/calendar", 13) == 0 ||
	    strstr(v, "application/ics") != NULL))
		return TRUE;
	for (guint i = 0; i < r->attachments->len; i++) {
		const struct attachment *a = g_ptr_array_index(r->attachments, i);

		if (g_strcmp0(a->content_type, "text/calendar") == 0 ||
		    g_strcmp0(a->content_type, "application/ics") == 0)
			return TRUE;
	}
	return FALSE;
}

/*
 * Opening words of delivery reports and read receipts written as plain
 * text (no multipart/report): matched in the first 150 bytes of the text,
 * so a person who forwards one below their own question stays a person.
 */
static const char *const report_openings[] = {
	"this is the mail system at host", "this message was created automatically by mail delivery software",
	"i m sorry to have to inform you that your message could not",
	"delivery to the following recipient failed", "delivery to the following recipients failed",
	"your message did not reach some or all",
	"hi this is the qmail send program", "unable to deliver message to the following",
	"could not be delivered to one or more recipients", 	"the original message was received at", "delivery has failed to these recipients",
	"this is an automatically generated delivery status",
	"ce message a ete cree automatiquement par le logiciel de remise",
	"votre message n a pas pu etre remis", "la remise a ces destinataires",
	"diese nachricht wurde automatisch", "ihre nachricht konnte nicht zugestellt",
	"die nachricht konnte nicht zugestellt", "il messaggio non e stato recapitato",
	"your message was read on", "this is a receipt for the mail you sent",
	"ce recu confirme", "votre message a ete lu", 	"wurde gelesen am", "il messaggio e stato letto",
	NULL
};

/* Subject starts of delivery and read receipts decide.c does not know. */
static const char *const receipt_starts[] = {
	"delivered:", "remis :", "remis:", "zugestellt:", "consegnato:",
	"entregue:", "entregado:", "relayed:", "read receipt:", "return receipt",
	"lu :", "gelesen:", "disposition notification", "delivery receipt",
	"accuse de reception du message", "lesebestatigung:", NULL
};

static const char *
plain_report(const struct request *r)
{
	static struct kind_phrases *open, *starts;
	GString *head, *subj;
	const char *why = NULL;

	if (g_once_init_enter(&open)) {
		starts = kind_phrases(receipt_starts);
		/* cppcheck-suppress leakNoVarFunctionCall ; kept for the life of the process */
		g_once_init_leave(&open, kind_phrases(report_openings));
	}
	head = g_string_new(" ");
	if (r->text != NULL)
		fold_text(head, r->text, MIN(strlen(r->text), 150));
	g_string_append_c(head, ' ');
	subj = g_string_new(NULL);
	fold_text(subj, r->subject != NULL ? r->subject : "", -1);
	g_string_append_c(subj, ' ');
	if (kind_count_phrases(open, head->str, NULL) > 0)
		why = "delivery or read report (plain text)";
	else {
		for (guint i = 0; i < kind_phrases_len(starts) && why == NULL; i++) {
			const char *p = kind_phrase(starts, i);

			/* folded forms start and end with a space: a whole word
			 * ("Lu : ..." is a receipt, "Lütfen" is a person) */
			if (strncmp(subj->str, p, strlen(p)) == 0)
				why = "delivery or read receipt (subject)";
		}
	}
	g_string_free(head, TRUE);
	g_string_free(subj, TRUE);
	return why;
}

/* The folded text (subject and body) read by the content signals. */
static GString *
folded_text(const struct request *r)
{
	GString *f = g_string_new(" ");

	if (r->subject != NULL)
		fold_text(f, r->subject, -1);
	if (r->text != NULL)
		fold_text(f, r->text, MIN(strlen(r->text), TEXT_SCAN_MAX));
	g_string_append_c(f, ' ');
	return f;
}

const char *
kind_robot_reason(const struct config *cfg, const struct request *r, enum mail_kind *kind)
{
	const char *why;
	GString *f;

	*kind = MAIL_SPAM;
	if ((why = kind_spam_verdict(cfg, r)) != NULL)
		return why;
	*kind = MAIL_ROBOT;
	if (decide_is_robot(cfg, r, &why))
		return why;
	if (calendar(r))
		return "calendar invitation (text/calendar)";
	if ((why = plain_report(r)) != NULL)
		return why;
	f = folded_text(r);
	if ((why = newsletter(r, f->str)) == NULL &&
	    (why = kind_spam_signals(cfg, r, f->str)) != NULL)
		*kind = MAIL_SPAM;
	g_string_free(f, TRUE);
	return why;
}
