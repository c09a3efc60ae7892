/* test_decide.c: the loop corpus (tests/fixtures/loops/robot: bounces,
 * auto-replies of the common mail programs, list mail, read receipts, our
 * own mail coming back) never gets a reply; the people of
 * tests/fixtures/loops/human always do; caps and follow-ups hold. */
#include <string.h>
#include <gmime/gmime.h>
#include "tap.h"
#include "decide.h"
#include "parse.h"
#include "config.h"

static struct config *
test_config(void)
{
	struct config *c = g_new0(struct config, 1);
	static char *delegates[] = { "marie.exemple@chippis.ch",
	    "greffe@chippis.ch", NULL };

	c->contact_addr = "integration@chippis.ch";
	c->delegate_addr = "marie.exemple@chippis.ch";
	c->delegate_addrs = delegates;
	c->envelope_sender = "";
	c->reply_cap_per_sender = 3;
	c->reply_cap_per_hour = 60;
	c->reply_cap_per_domain = 20;
	return c;
}

static struct request *
load(const char *path)
{
	guint8 *raw = NULL;
	gsize len = 0;
	struct request *r;
	g_autoptr(GError) e = NULL;

	if (!g_file_get_contents(path, (char **)&raw, &len, NULL))
		return NULL;
	r = request_new(path, raw, len);
	if (!parse_request(r, 10 * 1024 * 1024, &e)) {
		printf("# %s: %s\n", path, e ? e->message : "parse failed");
		request_free(r);
		return NULL;
	}
	return r;
}

/* Every .eml of dir through decide_is_robot; returns how many. */
static int
corpus(const struct config *cfg, const char *dir, gboolean robot)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *n;

	while (d != NULL && (n = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(n, ".eml"))
			g_ptr_array_add(names, g_strdup(n));
	if (d != NULL)
		g_dir_close(d);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_build_filename(dir,
		    (char *)g_ptr_array_index(names, i), NULL);
		struct request *r = load(path);
		const char *why = NULL;
		gboolean got;

		if (r == NULL) {
			ok(0, "%s parses", path);
			continue;
		}
		got = decide_is_robot(cfg, r, &why);
		ok(got == robot, "%s: %s%s", (char *)g_ptr_array_index(names, i),
		    got ? "refused: " : "answered", got ? why : "");
		if (!robot) {
			struct reply_facts f = { FALSE, 0, 0 };

			decide_reply(cfg, r, &f);
			is_str(reply_kind_str(r->reply), "ack", "%s gets an acknowledgment",
			    (char *)g_ptr_array_index(names, i));
		} else {
			struct reply_facts f = { FALSE, 0, 0 };

			r->reply = reply_kind_from_str("orientation");
			request_set(&r->reply_template, "orientation-logement");
			decide_reply(cfg, r, &f);
			ok(r->reply == REPLY_NONE && r->reply_reason != NULL
			    && *r->reply_reason != '\0', "%s: reply none (%s)",
			    (char *)g_ptr_array_index(names, i), r->reply_reason);
		}
		request_free(r);
	}
	return (int)names->len;
}

static struct request *
person(void)
{
	struct request *r = request_new("test", NULL, 0);

	request_set(&r->from_addr, "amina.haddad@gmail.com");
	request_set(&r->subject, "Cours de français");
	return r;
}

static void
test_caps(const struct config *cfg)
{
	struct reply_facts f = { FALSE, 2, 10 };
	struct request *r = person();

	decide_reply(cfg, r, &f);
	is_str(reply_kind_str(r->reply), "ack", "2 replies in 24 h: still answered");
	request_free(r);

	r = person();
	f.sender_24h = 3;
	decide_reply(cfg, r, &f);
	is_str(reply_kind_str(r->reply), "none", "per-sender cap");
	is_str(r->reply_reason, "sender cap: 3 replies in 24 h", "cap reason");
	request_free(r);

	r = person();
	f.sender_24h = 0;
	f.global_1h = 60;
	decide_reply(cfg, r, &f);
	is_str(r->reply_reason, "hourly cap: 60 replies in the last hour",
	    "global hourly cap");
	request_free(r);

	r = person();
	f.global_1h = 0;
	f.own_message = TRUE;
	decide_reply(cfg, r, &f);
	is_str(r->reply_reason, "our own message", "own Message-ID fact");
	request_free(r);

	r = person();
	f.own_message = FALSE;
	r->followup = TRUE;
	decide_reply(cfg, r, &f);
	is_str(r->reply_reason, "follow-up", "follow-up gets no new ack");
	request_free(r);

	r = person();
	r->reply = reply_kind_from_str("none");
	decide_reply(cfg, r, &f);
	is_str(reply_kind_str(r->reply), "none", "rule said none");
	is_str(r->reply_reason, "rule: no reply", "rule reason");
	request_free(r);

	r = person();
	r->reply = reply_kind_from_str("orientation");
	request_set(&r->reply_template, "orientation-logement");
	decide_reply(cfg, r, &f);
	is_str(reply_kind_str(r->reply), "orientation", "orientation kept");
	request_free(r);

	r = person();
	request_set(&r->from_addr, NULL);
	decide_reply(cfg, r, &f);
	is_str(r->reply_reason, "no reply address: no From address", "no address, no reply");
	request_free(r);

	/* per-domain cap: a big provider is exempt, a small domain is not */
	f.domain_24h = 20;
	r = person();
	decide_reply(cfg, r, &f);
	is_str(reply_kind_str(r->reply), "ack", "gmail.com: exempt from the domain cap");
	request_free(r);
	r = person();
	request_set(&r->from_addr, "someone@h6.test");
	decide_reply(cfg, r, &f);
	is_str(r->reply_reason, "domain cap: 20 replies to h6.test in 24 h",
	    "domain cap, with its reason");
	request_free(r);
	f.domain_24h = 0;
}

int
main(void)
{
	struct config *cfg = test_config();
	int n;

	g_mime_init();
	n = corpus(cfg, FIXTURE("loops/robot"), TRUE);
	ok(n >= 30, "loop corpus has %d messages", n);
	n = corpus(cfg, FIXTURE("loops/human"), FALSE);
	ok(n >= 10, "%d personal requests", n);
	test_caps(cfg);
	g_free(cfg);
	g_mime_shutdown();
	return tap_done();
}
