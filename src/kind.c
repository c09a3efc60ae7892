/*
 * kind.c: what an inbound mail is (see kind.h and guichet-kinds(7)).
 *
 * Order of the decision, first match wins:
 *   command   mailcmd.c took it for a delegate's command (obeyed or refused)
 *   own       from guichet, the contact, digest or a delegate address
 *   spam      the receiving server's verdict (SpamAssassin, rspamd, the
 *             configured header), or several spam signals together
 *   robot     every RFC 3834 signal of decide.c, plus delivery and read
 *             receipts without report headers, calendar invitations, and
 *             newsletters without List-* headers (several signals together)
 *   followup  names an open request (reference, In-Reply-To, References),
 *             a thank-you answering our acknowledgment, or the flood rule
 *   request   everything else: when in doubt, a person.
 * Content signals never decide alone: a person who writes "unsubscribe"
 * or "lottery" stays a person.
 */
#include <string.h>
#include "decide.h"
#include "fold.h"
#include "kind.h"

#define TEXT_SCAN_MAX	(32 * 1024)	/* bytes of text read for content signals */

const char *
kind_reason_fr(const char *why)
{
	static const char *const fr[][2] = {
		{ "auto-submitted", "réponse ou message automatique (Auto-Submitted)" },
		{ "bounce", "avis de non-remise" },
		{ "list mail", "liste de diffusion" },
		{ "precedence", "envoi en nombre (Precedence)" },
		{ "x-autoreply", "réponse automatique" },
		{ "x-auto-response", "réponse automatique" },
		{ "robot sender", "adresse d'un robot (noreply, mailer-daemon...)" },
		{ "automatic reply", "réponse automatique (sujet)" },
		{ "our own", "envoyé par la délégation ou par le guichet" },
		{ "calendar", "invitation d'agenda" },
		{ "delivery or read", "accusé de lecture ou de remise" },
		{ "newsletter", "lettre d'information" },
		{ "spam signals", "signes de pourriel" },
		{ "server verdict", "pourriel selon le serveur de messagerie" },
		{ "command mail refused", "commande refusée" },
		{ "command mail", "commande exécutée" },
	};

	for (gsize i = 0; why != NULL && i < G_N_ELEMENTS(fr); i++)
		if (g_str_has_prefix(why, fr[i][0]))
			return fr[i][1];
	return why != NULL ? why : "";
}

/* A folded phrase list, built once: " w1 w2 " strings for strstr(). */
static GPtrArray *
phrases(const char *const *list)
{
	GPtrArray *a = g_ptr_array_new();

	for (int i = 0; list[i] != NULL; i++) {
		GString *f = g_string_new(NULL);

		fold_text(f, list[i], -1);
		g_ptr_array_add(a, g_string_free(f, FALSE));
	}
	return a;
}

/* How many phrases of list occur in folded text f (each counted once). */
static int
count_phrases(GPtrArray *list, const char *f, const char **first)
{
	int n = 0;

	for (guint i = 0; i < list->len; i++)
		if (strstr(f, g_ptr_array_index(list, i)) != NULL) {
			if (n++ == 0 && first != NULL)
				*first = g_ptr_array_index(list, i);
		}
	return n;
}

/* ---- spam ---- */

/* A header's value starts with want (case-insensitive, blanks skipped)? */
static gboolean
value_is(const char *v, const char *want)
{
	if (v == NULL)
		return FALSE;
	while (*v == ' ' || *v == '\t')
		v++;
	return g_ascii_strncasecmp(v, want, strlen(want)) == 0;
}

/* The receiving server's own verdict, or NULL. */
static const char *
spam_verdict(const struct config *cfg, const struct request *r)
{
	const char *v;

	if (value_is(request_header(r, "X-Spam-Flag"), "yes"))
		return "server verdict: X-Spam-Flag: YES";
	if (value_is(request_header(r, "X-Spam-Status"), "yes"))
		return "server verdict: X-Spam-Status: Yes";
	if (value_is(request_header(r, "X-Spam"), "yes") ||
	    value_is(request_header(r, "X-Spam"), "true"))
		return "server verdict: X-Spam: Yes";
	if ((v = request_header(r, "X-Spam-Action")) != NULL &&
	    (value_is(v, "reject") || value_is(v, "add header") ||
	    value_is(v, "add_header") || value_is(v, "rewrite subject") ||
	    value_is(v, "rewrite_subject") || value_is(v, "soft reject") ||
	    value_is(v, "soft_reject")))
		return "server verdict: X-Spam-Action (rspamd)";
	if (cfg != NULL && cfg->spam_header != NULL &&
	    value_is(request_header(r, cfg->spam_header),
	    cfg->spam_value != NULL ? cfg->spam_value : "yes"))
		return "server verdict: configured spam header";
	if (r->subject != NULL && (g_str_has_prefix(r->subject, "***SPAM***") ||
	    g_str_has_prefix(r->subject, "*****SPAM*****") ||
	    g_ascii_strncasecmp(r->subject, "[SPAM]", 6) == 0))
		return "server verdict: subject marked SPAM";
	return NULL;
}

/*
 * Phrases of unsolicited mail; never enough alone (a person may quote one).
 * Each is several words a request to an integration office does not use.
 */
static const char *const spam_phrases[] = {
	"next of kin", "beneficiary of", "inheritance fund", "consignment box",
	"atm card", "compensation fund", "diplomatic courier", "million united states dollars",
	"million us dollars", "millions of dollars", "business proposal",
	"investment proposal", "investment opportunity", "lottery winner",
	"you have won", "you ve won", "winning notification", "claim your prize",
	"claim your reward", "prize award", "bitcoin investment", "crypto trading",
	"cryptocurrency investment", "forex trading", "binary options",
	"viagra", "cialis", "levitra", "online pharmacy", "weight loss",
	"lose weight", "online casino", "free spins", "hot singles", "adult dating",
	"search engine optimization", "seo services", "first page of google",
	"top of google", "backlinks", "web design services", "website redesign",
	"increase your sales", "email marketing campaign", "business leads",
	"verify your account", "your account will be suspended",
	"your account has been suspended", "mailbox is full", "mailbox quota",
	"password will expire", "password expires", "confirm your password",
	"click here to", "act now", "limited time offer", "100 free", "risk free",
	"no credit check", "work from home", "make money fast", "earn extra cash",
	"double your income", "to be removed from", "remove you from our list",
	"this is not spam", "dear beneficiary", "dear winner", "dear lucky",
	"vous avez gagne", "pret entre particuliers", "offre de pret",
	"rachat de credit", "credit rapide", "sie haben gewonnen",
	"gewinnbenachrichtigung", "kredit ohne schufa", "sofortkredit",
	"hai vinto", "prestito veloce", "ha ganado", "usted ha ganado",
	"adware", "spyware", "free scan", "you are infected", "removal download",
	"just released", "off retail", "0ff", "oem software", "cheap software",
	"replica watches", "rolex", "cheap meds", "no prescription", "penny stock",
	"stock alert", "hot stock", "refinance", "mortgage rates", "enlargement",
	"meet singles", "sexy", "dear sir madam i am", "dear friend",
	"dear homeowner", "dear customer", "dear valued customer", "dear account holder",
	"dear valued member", "dear email user", "dear webmail user", "pre approved",
	"you have been approved", "fixed rate", "home loan", "low interest rate",
	"mail order", "competitive prices", "prescription medicines", "quality medications",
	"rx refill", "online purchases", "happy customers", "money back guarantee",
	"satisfaction guaranteed", "100 satisfaction", "no obligation", "risk free trial",
	"apply now", "call now", "order today", "special promotion", "wire transfer fee",
	"western union", "moneygram", "bank transfer of", "transfer the sum", NULL
};

/*
 * Words of selling and soliciting (single words, folded), counted by how
 * many different ones occur: a person who asks about "the price of the
 * course" uses one or two, an advertisement five.  English first (most
 * unsolicited mail), then the region's languages.  Never enough alone.
 */
static const char *const sales_words[] = {
	"customers", "clients", "prices", "lowest", "cheapest", "cheap",
	"discount", "discounts", "savings", "save", "offer", "offers", "deal",
	"deals", "sale", "buy", "purchase", "purchases", "order", "orders",
	"shop", "shopping", "store", "products", "product", "guaranteed",
	"guarantee", "bonus", "free", "profit", "profits", "income", "earn",
	"investor", "investors", "investment", "stock", "shares", "ticker",
	"trading", "marketing", "leads", "promotion", "promo", "subscribe",
	"subscription", "pharmacy", "meds", "pills", "rx", "prescription",
	"mortgage", "refinance", "loan", "casino", "bet", "winner", "prize",
	"exclusive", "limited", "sensational", "amazing", "huge", "satisfaction",
	"delivery", "shipping", "inventory", "catalog", "catalogue", "brand",
	"newest", "upgrade", "webinar", "unlimited", "trial", "wholesale",
	"retail", "supplier", "suppliers", "manufacturer", "factory",
	"angebot", "angebote", "rabatt", "gratis", "kostenlos", "bestellen",
	"kunden", "aktion", "preise", "gunstig", "sparen", "gewinn",
	"offre", "offres", "promotion", "gratuit", "gratuite", "remise",
	"commander", "clients", "tarifs", "economisez", "exclusif", "exclusive",
	"offerta", "offerte", "sconto", "gratuito", "acquista", "clienti",
	"oferta", "ofertas", "descuento", "compra", "comprar", "promocao",
	"promocion", "desconto", "campanha", "campana", "clientes",
	"saved", "purchasing", "medications", "medicines", "competitive",
	"affordable", "approved", "approval", "cash", "dollars", "opportunity",
	"quality", "website", "online", "rates", "credit", "unsubscribe",
	"removed", "advantage", "valued", "customer", "sales", "business", NULL
};

/* Calls to follow a link: with a link in the text, a sign of advertising. */
static const char *const link_calls[] = {
	"click here", "click below", "click the link", "more info here",
	"lots more info", "learn more", "read more", "find out more",
	"visit our", "visit us", "shop now", "order now", "buy now",
	"sign up", "register now", "get started", "cliquez ici", "en savoir plus",
	"hier klicken", "mehr erfahren", "jetzt anmelden", "clicca qui",
	"scopri di piu", "haga clic", "clique aqui", "saiba mais", NULL
};

/*
 * English written at the reader, never about the writer: three "you" or
 * "your" and no "I", "my", "me", "we", "our" (a person asking for help
 * speaks of themselves; an advertisement speaks of you).
 */
static gboolean
at_the_reader(const char *folded)
{
	static const char *const you[] = { " you ", " your ", " you re ", " yours ", NULL };
	static const char *const me[] = { " i ", " my ", " me ", " we ", " our ", " us ", " im ", NULL };
	int n = 0;

	for (int i = 0; you[i] != NULL; i++)
		for (const char *p = strstr(folded, you[i]); p != NULL; p = strstr(p + 1, you[i]))
			n++;
	if (n < 3)
		return FALSE;
	for (int i = 0; me[i] != NULL; i++)
		if (strstr(folded, me[i]) != NULL)
			return FALSE;
	return TRUE;
}

/* How many links (http://, https://, www.) the text holds, up to 10. */
static int
links(const char *text)
{
	int n = 0;

	for (const char *p = text; p != NULL && *p != '\0' && n < 10; p++)
		if ((g_ascii_strncasecmp(p, "http://", 7) == 0 ||
		    g_ascii_strncasecmp(p, "https://", 8) == 0 ||
		    g_ascii_strncasecmp(p, "www.", 4) == 0) &&
		    (p == text || !g_ascii_isalnum(p[-1]))) {
			n++;
			p += 4;
		}
	return n;
}

/*
 * A sender's local part that no person chose: nine or more letters with
 * almost no vowels or no syllable shape ("fyouizjnp", "baocqccyw"), the
 * mark of an address made up by a spam program.  Names of every language
 * keep vowels between consonants; only pure letter strings are judged.
 */
static gboolean
random_local(const char *addr)
{
	const char *at = addr != NULL ? strchr(addr, '@') : NULL;
	int len, vowels = 0, runs = 0, run = 0, odd = 0;

	if (at == NULL || (len = at - addr) < 8 || len > 24)
		return FALSE;
	for (int i = 0; i < len; i++) {
		char c = g_ascii_tolower(addr[i]);

		if (!g_ascii_isalpha(c))
			return FALSE;
		if (strchr("aeiouy", c) != NULL) {
			vowels++;
			run = 0;
		} else if (++run == 4)
			runs++;
		/* letter pairs no language of the region writes */
		if (i > 0) {
			char b = g_ascii_tolower(addr[i - 1]);

			if ((b == 'q' && c != 'u') || (b == c && strchr("qjxkwvhyi", c) != NULL) ||
			    (b == 'j' && strchr("qxzcfgkmpw", c) != NULL) ||
			    (b == 'x' && strchr("jqzkgv", c) != NULL) ||
			    (b == 'z' && strchr("qjx", c) != NULL))
				odd++;
		}
	}
	return odd >= 2 || (odd >= 1 && runs >= 1) || vowels * 5 < len;
}

static gboolean bulk_sender(const char *);

/* Topmost Authentication-Results says the sender's domain failed. */
static gboolean
auth_failed(const struct request *r)
{
	const char *v = request_header(r, "Authentication-Results");
	g_autofree char *low = NULL;

	if (v == NULL)
		return FALSE;
	low = g_ascii_strdown(v, -1);
	return strstr(low, "dmarc=fail") != NULL ||
	    (strstr(low, "spf=fail") != NULL && strstr(low, "dkim=pass") == NULL);
}

static const char *
domain_of(const char *addr)
{
	const char *at = addr != NULL ? strrchr(addr, '@') : NULL;

	return at != NULL ? at + 1 : NULL;
}

/* Does any address in the comma separated list equal addr? */
static gboolean
list_has(const char *list, const char *addr)
{
	g_auto(GStrv) v = NULL;

	if (list == NULL || addr == NULL)
		return FALSE;
	v = g_strsplit_set(list, ", ", -1);
	for (char **p = v; *p != NULL; p++)
		if (g_ascii_strcasecmp(*p, addr) == 0)
			return TRUE;
	return FALSE;
}

/* A subject that shouts: most letters capitals, or "!!!", "$$$". */
static gboolean
shouting(const char *s)
{
	int letters = 0, upper = 0;

	if (s == NULL)
		return FALSE;
	if (strstr(s, "!!!") != NULL || strstr(s, "$$$") != NULL || strstr(s, "€€€") != NULL)
		return TRUE;
	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char_validated(p, -1);

		if (c == (gunichar)-1 || c == (gunichar)-2)
			return FALSE;
		if (g_unichar_isalpha(c)) {
			letters++;
			upper += g_unichar_isupper(c);
		}
	}
	return letters >= 12 && upper * 10 >= letters * 8;
}

/*
 * Spam without a verdict: what the mail says (spam phrases, or many words
 * of selling) AND how it came, 4 points in all; how it came alone never
 * decides.  Content: a spam phrase 2 (two or more 3), five different
 * selling words 1 (eight 2).  Signs: failed sender authentication 2,
 * HTML-only 1, not addressed to us (Bcc) 1, Reply-To in another domain
 * 1, a shouting subject 1, dollars in the subject 1, a link with a call
 * to follow it (or three links) 1, a made-up sender address 1, a
 * mass-mail sender name 1, English written at the reader only 1.
 */
static const char *
spam_signals(const struct config *cfg, const struct request *r, const char *folded)
{
	static GPtrArray *list, *sales, *calls;
	const char *rd, *fd;
	int hits, sold, content, score, nlinks;

	if (g_once_init_enter(&list)) {
		sales = phrases(sales_words);
		calls = phrases(link_calls);
		/* cppcheck-suppress leakNoVarFunctionCall ; kept for the life of the process */
		g_once_init_leave(&list, phrases(spam_phrases));
	}
	hits = count_phrases(list, folded, NULL);
	sold = count_phrases(sales, folded, NULL);
	content = (hits >= 2 ? 3 : hits == 1 ? 2 : 0) + (sold >= 8 ? 2 : sold >= 5 ? 1 : 0);
	if (content == 0)
		return NULL;
	score = content;
	if (auth_failed(r))
		score += 2;
	if (r->html_only)
		score++;
	if (cfg != NULL && cfg->contact_addr != NULL && (r->to != NULL || r->cc != NULL) &&
	    !list_has(r->to, cfg->contact_addr) && !list_has(r->cc, cfg->contact_addr))
		score++;
	else if (r->to == NULL && r->cc == NULL)
		score++;
	rd = domain_of(r->reply_to);
	fd = domain_of(r->from_addr);
	if (rd != NULL && fd != NULL && g_ascii_strcasecmp(rd, fd) != 0)
		score++;
	if (shouting(r->subject))
		score++;
	if (r->subject != NULL && strchr(r->subject, '$') != NULL)
		score++;	/* dollars in the subject, never in a request here */
	nlinks = links(r->text);
	if (nlinks >= 3 || (nlinks >= 1 && count_phrases(calls, folded, NULL) > 0))
		score++;
	if (random_local(r->from_addr))
		score++;
	if (bulk_sender(r->from_addr))
		score++;
	if (at_the_reader(folded))
		score++;
	if (score < 4)
		return NULL;
	return hits > 0 ? "spam signals (phrases with other signs)" :
	    "spam signals (advertising with other signs)";
}

/* ---- robots beyond decide.c ---- */

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

static gboolean
bulk_sender(const char *addr)
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
	static GPtrArray *unsub, *browser, *promo, *footer;
	gboolean hdr = bulk_headers(r);
	int u, b, p, f, score;

	if (g_once_init_enter(&unsub)) {
		browser = phrases(browser_phrases);
		footer = phrases(footer_phrases);
		promo = phrases(promo_phrases);
		/* cppcheck-suppress leakNoVarFunctionCall ; kept for the life of the process */
		g_once_init_leave(&unsub, phrases(unsubscribe_phrases));
	}
	u = count_phrases(unsub, folded, NULL) > 0;
	b = count_phrases(browser, folded, NULL) > 0;
	f = count_phrases(footer, folded, NULL) > 0;
	p = count_phrases(promo, folded, NULL);
	if (!hdr && !u && !b && !f && p < 2)
		return NULL;
	p = p == 0 ? 0 : p + (percent(r->subject) ? 1 : 0) >= 2 ? 2 : 1;
	score = (hdr ? 2 : 0) + u + b + f + p + (r->html_only ? 1 : 0) +
	    (bulk_sender(r->from_addr) ? 1 : 0);
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
	static GPtrArray *open, *starts;
	GString *head, *subj;
	const char *why = NULL;

	if (g_once_init_enter(&open)) {
		starts = phrases(receipt_starts);
		/* cppcheck-suppress leakNoVarFunctionCall ; kept for the life of the process */
		g_once_init_leave(&open, phrases(report_openings));
	}
	head = g_string_new(" ");
	if (r->text != NULL)
		fold_text(head, r->text, MIN(strlen(r->text), 150));
	g_string_append_c(head, ' ');
	subj = g_string_new(NULL);
	fold_text(subj, r->subject != NULL ? r->subject : "", -1);
	g_string_append_c(subj, ' ');
	if (count_phrases(open, head->str, NULL) > 0)
		why = "delivery or read report (plain text)";
	else {
		for (guint i = 0; i < starts->len && why == NULL; i++) {
			const char *p = g_ptr_array_index(starts, i);

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

/* The robot or spam signals alone (no store, no follow-up): NULL when none. */
static const char *
kind_robot_reason(const struct config *cfg, const struct request *r, enum mail_kind *kind)
{
	const char *why;
	GString *f;

	*kind = MAIL_SPAM;
	if ((why = spam_verdict(cfg, r)) != NULL)
		return why;
	*kind = MAIL_ROBOT;
	if (decide_is_robot(cfg, r, &why))
		return why;
	if (calendar(r))
		return "calendar invitation (text/calendar)";
	if ((why = plain_report(r)) != NULL)
		return why;
	f = folded_text(r);
	if ((why = newsletter(r, f->str)) == NULL && (why = spam_signals(cfg, r, f->str)) != NULL)
		*kind = MAIL_SPAM;
	g_string_free(f, TRUE);
	return why;
}

/* ---- thanks ---- */

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
	static GPtrArray *thanks, *asking;
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
		asking = phrases(asking_words);
		/* cppcheck-suppress leakNoVarFunctionCall ; kept for the life of the process */
		g_once_init_leave(&thanks, phrases(thanks_words));
	}
	fold_text(f, text, -1);
	g_string_append_c(f, ' ');
	return count_phrases(thanks, f->str, NULL) > 0 && count_phrases(asking, f->str, NULL) == 0;
}

/* "Re:", "AW:", "Antw:", "R:", "RE :", "Odg:", "YNT:": an answer. */
static gboolean
answer_subject(const char *s)
{
	static const char *const pre[] = { "re:", "re :", "aw:", "antw:", "r:",
	    "odg:", "ynt:", "sv:", "vs:", "res:", "rif:", "ha:", NULL };

	if (s == NULL)
		return FALSE;
	while (*s == ' ')
		s++;
	for (int i = 0; pre[i] != NULL; i++)
		if (g_ascii_strncasecmp(s, pre[i], strlen(pre[i])) == 0)
			return TRUE;
	return FALSE;
}

/* An answer to an earlier mail: "Re:" subject, In-Reply-To or References. */
static gboolean
is_answer(const struct request *r)
{
	return answer_subject(r->subject) || (r->in_reply_to != NULL && *r->in_reply_to) ||
	    (r->references != NULL && r->references->len > 0);
}

static void
set_kind(struct request *r, enum mail_kind k, const char *why)
{
	r->kind_set = TRUE;
	r->kind = k;
	request_set(&r->kind_reason, why);
}

gboolean
kind_joins_request(const struct request *r)
{
	return r->kind_set && (r->kind == MAIL_REQUEST ||
	    (r->kind == MAIL_FOLLOWUP && r->request_id > 0));
}

void
kind_decide(const struct config *cfg, struct request *r, const struct kind_facts *facts)
{
	static const struct kind_facts none;
	const char *why;
	enum mail_kind k;
	const char *clean = r->text_clean != NULL ? r->text_clean : r->text;

	r->flood = r->thanks = FALSE;
	if (facts == NULL)
		facts = &none;
	/*
	 * A refused command mail is a command when it comes from one of our
	 * addresses (a forged or unauthenticated delegate); a person whose mail
	 * has a line such as "#aide logement" stays a person.
	 */
	if (r->is_command || (r->command_refused != NULL && decide_own_reason(cfg, r) != NULL)) {
		g_autofree char *s = r->is_command ? NULL :
		    g_strdup_printf("command mail refused: %s", r->command_refused);

		set_kind(r, MAIL_COMMAND, s != NULL ? s : "command mail of a delegate");
		return;
	}
	if ((why = decide_own_reason(cfg, r)) != NULL ||
	    (facts != NULL && facts->own_message && (why = "our own message"))) {
		set_kind(r, MAIL_OWN, why);
		return;
	}
	if ((why = kind_robot_reason(cfg, r, &k)) != NULL) {
		g_autofree char *s = facts->followup_id != 0 && r->ref != NULL ?
		    g_strdup_printf("%s, about %s", why, r->ref) : NULL;

		g_clear_pointer(&r->ref, g_free);	/* it joins no request */
		r->request_id = -1;
		set_kind(r, k, s != NULL ? s : why);
		return;
	}
	if (facts->followup_id != 0) {
		r->request_id = facts->followup_id;
		r->thanks = kind_is_thanks(clean);
		set_kind(r, MAIL_FOLLOWUP, r->thanks ?
		    "thanks or closing, answers our mail" : "names an earlier request");
		return;
	}
	/*
	 * A thank-you that answers (Re:, In-Reply-To) and asks nothing: it joins
	 * the sender's recent request, or no request at all.  A thank-you that
	 * starts a new thread stays a request (it may ask in other words).
	 */
	if (is_answer(r) && kind_is_thanks(clean)) {
		r->thanks = TRUE;
		if (facts->latest_id != 0) {
			r->request_id = facts->latest_id;
			request_set(&r->ref, facts->latest_ref);
			set_kind(r, MAIL_FOLLOWUP, "thanks or closing after the sender's request");
		} else {
			r->request_id = -1;
			set_kind(r, MAIL_FOLLOWUP, "thanks or closing, no request to join");
		}
		return;
	}
	if (cfg != NULL && cfg->flood_cap > 0 && facts->sender_recent >= cfg->flood_cap &&
	    facts->latest_open_id != 0) {
		g_autofree char *s = g_strdup_printf("flood: %d requests of this sender "
		    "within %d h", facts->sender_recent, cfg->flood_window_hours);

		r->request_id = facts->latest_open_id;
		request_set(&r->ref, facts->latest_open_ref);
		r->flood = TRUE;
		set_kind(r, MAIL_FOLLOWUP, s);
		return;
	}
	set_kind(r, MAIL_REQUEST, "a person's mail");
}
