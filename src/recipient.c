/*
 * recipient.c: where an automatic reply may go (recipient.h).  The proof
 * that a sender holds an address is the receiving server's: the envelope
 * sender it wrote as Return-Path, or its Authentication-Results.
 */
#include <string.h>
#include "authres.h"
#include "recipient.h"

/*
 * Big providers: thousands of unrelated people share each of these
 * domains, so a per-domain cap would let one attacker silence them all.
 * Used when limits.domain_cap_exempt is absent.
 */
static const char *const big_providers[] = {
	"gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
	"hotmail.ch", "hotmail.fr", "hotmail.de", "hotmail.it", "live.com",
	"live.fr", "msn.com", "yahoo.com", "yahoo.fr", "yahoo.de", "yahoo.it",
	"ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "gmx.ch",
	"gmx.net", "gmx.de", "gmx.at", "gmx.fr", "web.de", "bluewin.ch",
	"sunrise.ch", "hispeed.ch", "swissonline.ch", "protonmail.com",
	"proton.me", "pm.me", "orange.fr", "free.fr", "laposte.net", "sfr.fr",
	"libero.it", "virgilio.it", "yandex.ru", "yandex.com", "mail.ru",
	"ukr.net", "abv.bg", "seznam.cz", "wp.pl", "o2.pl", "t-online.de",
	"tutanota.com", "zoho.com", NULL
};

/* RFC 5322 atext, plus UTF-8 (RFC 6531). */
static gboolean
atext(unsigned char c)
{
	return g_ascii_isalnum(c) || c >= 0x80 ||
	    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

gboolean
addr_spec_valid(const char *addr)
{
	const char *at, *p, *label;
	gsize len;

	if (addr == NULL || (len = strlen(addr)) == 0 || len > 254 ||
	    !g_utf8_validate(addr, -1, NULL))
		return FALSE;
	at = strrchr(addr, '@');
	if (at == NULL || at == addr || at - addr > 64 || at[1] == '\0')
		return FALSE;
	/* local part: dot-atom, no leading, trailing or double dot */
	if (addr[0] == '.' || at[-1] == '.')
		return FALSE;
	for (p = addr; p < at; p++)
		if (*p == '.' ? p[1] == '.' : !atext((unsigned char)*p))
			return FALSE;
	/* domain: at least two labels of letters, digits and inner hyphens */
	label = at + 1;
	for (p = at + 1;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || *label == '-' || p[-1] == '-' || p - label > 63)
				return FALSE;
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!g_ascii_isalnum(*p) && *p != '-' && (unsigned char)*p < 0x80)
			return FALSE;
	}
	return strchr(at + 1, '.') != NULL;
}

char *
addr_normalise(const char *addr)
{
	g_autofree char *low = NULL;
	char *at, *plus;
	gsize n;

	if (addr == NULL || strchr(addr, '@') == NULL)
		return NULL;
	low = g_utf8_validate(addr, -1, NULL) ? g_utf8_casefold(addr, -1) :
	    g_ascii_strdown(addr, -1);
	g_strstrip(low);
	n = strlen(low);
	while (n > 0 && low[n - 1] == '.')
		low[--n] = '\0';
	at = strrchr(low, '@');
	if (at == NULL || at == low || at[1] == '\0')
		return NULL;
	plus = memchr(low, '+', at - low);
	if (plus != NULL && plus > low) {
		memmove(plus, at, strlen(at) + 1);
	}
	return g_steal_pointer(&low);
}

char *
addr_domain(const char *addr)
{
	g_autofree char *n = addr_normalise(addr);
	const char *at = n != NULL ? strrchr(n, '@') : NULL;

	return at != NULL ? g_strdup(at + 1) : NULL;
}

gboolean
recipient_domain_exempt(const struct config *cfg, const char *domain)
{
	const char *const *list = cfg != NULL && cfg->cap_exempt_domains != NULL ?
	    (const char *const *)cfg->cap_exempt_domains : big_providers;

	if (domain == NULL)
		return FALSE;
	for (int i = 0; list[i] != NULL; i++)
		if (g_ascii_strcasecmp(list[i], domain) == 0)
			return TRUE;
	return FALSE;
}

/* Same domain, or one a sub-domain of the other (relaxed alignment)? */
static gboolean
domains_agree(const char *a, const char *b)
{
	gsize la, lb;

	if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
		return FALSE;
	if (g_ascii_strcasecmp(a, b) == 0)
		return TRUE;
	la = strlen(a);
	lb = strlen(b);
	if (la < lb) {
		const char *t = a;

		a = b;
		b = t;
		la = lb;
		lb = strlen(b);
	}
	/* b is the shorter: a must end in ".b", and b be no bare TLD */
	return la > lb && strchr(b, '.') != NULL && a[la - lb - 1] == '.' &&
	    g_ascii_strcasecmp(a + la - lb, b) == 0;
}

/*
 * How the receiving server vouches for addr, as a few words ("envelope
 * sender", "dkim"), or NULL; *why then says what was missing.
 */
static const char *
proof_for(const struct config *cfg, const struct request *r, const char *addr,
    char **why)
{
	g_autofree char *dom = addr_domain(addr);
	g_autofree char *rp_dom = NULL;
	const char *method = NULL;
	gboolean found = FALSE;

	if (dom == NULL) {
		*why = g_strdup("no domain");
		return NULL;
	}
	if (cfg != NULL && cfg->command_authserv_id != NULL &&
	    authres_passes(r, cfg->command_authserv_id, addr, dom, &found, NULL,
	    &method))
		return method;
	if (r->has_return_path && r->return_path != NULL && *r->return_path != '\0') {
		rp_dom = addr_domain(r->return_path);
		if (domains_agree(rp_dom, dom))
			return "envelope sender";
		*why = g_strdup_printf("envelope sender %s is not of %s%s", r->return_path,
		    dom, found ? ", Authentication-Results shows no pass" : "");
		return NULL;
	}
	if (!r->has_return_path)
		return "no envelope";
	*why = g_strdup_printf("empty envelope sender%s", found ?
	    " and no Authentication-Results pass" : "");
	return NULL;
}

static void
set_nowhere(struct request *r, char *why)
{
	g_clear_pointer(&r->reply_addr, g_free);
	g_free(r->reply_addr_why);
	r->reply_addr_why = why;
}

void
recipient_choose(const struct config *cfg, struct request *r)
{
	g_autofree char *from_why = NULL, *rt_why = NULL;
	const char *from_proof = NULL;
	gboolean has_rt;

	if (r->reply_addr_done)
		return;
	r->reply_addr_done = TRUE;
	g_clear_pointer(&r->reply_addr_note, g_free);
	/* a forged-looking address header: no automatic reply at all */
	if (r->from_unsafe != NULL || (r->reply_to_unsafe != NULL && r->reply_to != NULL)) {
		set_nowhere(r, g_strdup_printf("%s: %s", r->from_unsafe != NULL ?
		    "From" : "Reply-To", r->from_unsafe != NULL ? r->from_unsafe :
		    r->reply_to_unsafe));
		return;
	}
	has_rt = r->reply_to != NULL && *r->reply_to != '\0' &&
	    (r->from_addr == NULL || g_ascii_strcasecmp(r->reply_to, r->from_addr) != 0);

	if (r->from_addr == NULL || *r->from_addr == '\0')
		from_why = g_strdup("no From address");
	else if (!addr_spec_valid(r->from_addr))
		from_why = g_strdup("From is not a valid address");
	else if ((from_proof = proof_for(cfg, r, r->from_addr, &from_why)) == NULL) {
		char *w = g_strdup_printf("sender not proven: %s", from_why);

		g_free(from_why);
		from_why = w;
	}
	if (has_rt) {
		const char *rt_proof = NULL;

		g_autofree char *fd = addr_domain(r->from_addr);
		g_autofree char *rd = addr_domain(r->reply_to);

		if (!addr_spec_valid(r->reply_to))
			rt_why = g_strdup("Reply-To is not a valid address");
		else if (from_proof != NULL && domains_agree(fd, rd))
			/* what proves From's domain proves a Reply-To in it */
			rt_proof = from_proof;
		else if ((rt_proof = proof_for(cfg, r, r->reply_to, &rt_why)) == NULL ||
		    strcmp(rt_proof, "no envelope") == 0) {
			/* no envelope proves nothing about a second address */
			char *w = g_strdup_printf("Reply-To not proven: %s",
			    rt_why != NULL ? rt_why : "no envelope");

			g_free(rt_why);
			rt_why = w;
			rt_proof = NULL;
		}
		/* a proven Reply-To is where the sender asks to be answered */
		if (rt_proof != NULL) {
			request_set(&r->reply_addr, r->reply_to);
			return;
		}
	}
	if (from_why != NULL) {
		set_nowhere(r, rt_why != NULL ? g_strdup_printf("%s; %s", from_why, rt_why) :
		    g_steal_pointer(&from_why));
		return;
	}
	request_set(&r->reply_addr, r->from_addr);
	if (rt_why != NULL)
		r->reply_addr_note = g_strdup_printf("%s, answered From", rt_why);
}
