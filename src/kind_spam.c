/*
 * kind_spam.c: spam (kind.c decides; guichet-kinds(7)): the receiving
 * server's verdict, else what the mail says (spam phrases, selling words)
 * together with how it came (failed authentication, Bcc, a made-up sender
 * address...).  How it came alone never decides.  No I/O.
 */
#include <string.h>
#include "kind_int.h"

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
const char *
kind_spam_verdict(const struct config *cfg, const struct request *r)
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
const char *
kind_spam_signals(const struct config *cfg, const struct request *r, const char *folded)
{
	static struct kind_phrases *list, *sales, *calls;
	const char *rd, *fd;
	int hits, sold, content, score, nlinks;

	if (g_once_init_enter(&list)) {
		sales = kind_phrases(sales_words);
		calls = kind_phrases(link_calls);
		/* cppcheck-suppress leakNoVarFunctionCall ; kept for the life of the process */
		g_once_init_leave(&list, kind_phrases(spam_phrases));
	}
	hits = kind_count_phrases(list, folded, NULL);
	sold = kind_count_phrases(sales, folded, NULL);
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
	if (nlinks >= 3 || (nlinks >= 1 && kind_count_phrases(calls, folded, NULL) > 0))
		score++;
	if (random_local(r->from_addr))
		score++;
	if (kind_bulk_sender(r->from_addr))
		score++;
	if (at_the_reader(folded))
		score++;
	if (score < 4)
		return NULL;
	return hits > 0 ? "spam signals (phrases with other signs)" :
	    "spam signals (advertising with other signs)";
}
