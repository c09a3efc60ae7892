/*
 * fuzz_reply.c: a hostile message in, well-formed replies out.  Every
 * reply must parse back as MIME, and no header may come from the input
 * (the fuzzer seeds contain "Injected:" lines in encoded subjects and names).
 */
#include <string.h>
#include <gmime/gmime.h>
#include "parse.h"
#include "reply.h"
#include "setup.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

static void
check_reply(const struct outmail *m)
{
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(m->data, m->len);
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
	const char *hdr_end = strstr(m->data, "\n\n");
	gsize hlen = hdr_end ? (gsize)(hdr_end - m->data) : m->len;

	if (msg == NULL)
		abort();	/* our own output must parse */
	/* No header line of ours may start with an injected name. */
	for (const char *l = m->data; l < m->data + hlen; ) {
		if (g_ascii_strncasecmp(l, "Injected", 8) == 0 ||
		    g_ascii_strncasecmp(l, "Bcc:", 4) == 0)
			abort();
		const char *nl = memchr(l, '\n', m->data + hlen - l);
		if (nl == NULL)
			break;
		l = nl + 1;
	}
	g_object_unref(msg);
	g_object_unref(p);
	g_object_unref(st);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	static struct setup *s;
	struct request *r;
	GPtrArray *out;

	if (s == NULL) {
		GError *e = NULL;

		g_mime_init();
		s = setup_load(GUICHET_SRCDIR "/guichet.conf", &e);
		if (s == NULL) {
			fprintf(stderr, "fuzz_reply: %s\n", e->message);
			abort();
		}
	}
	r = request_new("fuzz", g_memdup2(data, len), len);
	if (parse_request(r, 1 << 20, NULL)) {
		request_set(&r->language, len > 0 && data[0] % 2 ? "de" : "ar");
		ruleset_apply(s->rules, r);
		request_set(&r->ref, "CHI-2026-0001");
		r->reply = reply_kind_from_str(len > 1 && data[1] % 2 ? "orientation" : "ack");
		if (r->from_addr == NULL)
			request_set(&r->from_addr, "someone@example.org");
		out = g_ptr_array_new_with_free_func((GDestroyNotify)outmail_free);
		if (reply_build_all(s, r, out, NULL))
			for (guint i = 0; i < out->len; i++)
				check_reply(g_ptr_array_index(out, i));
		g_ptr_array_unref(out);
	}
	request_free(r);
	return 0;
}
