/* request.c: life cycle of struct request. */
#include <string.h>
#include "request.h"

static void
header_free(gpointer p)
{
	struct header *h = p;

	g_free(h->name);
	g_free(h->value);
	g_free(h);
}

static void
attachment_free(gpointer p)
{
	struct attachment *a = p;

	g_free(a->filename);
	g_free(a->content_type);
	g_free(a);
}

static void
hit_free(gpointer p)
{
	struct rule_hit *h = p;

	g_free(h->rule);
	g_free(h->file);
	g_free(h->words);
	g_free(h);
}

struct request *
request_new(const char *source, guint8 *raw, gsize len)
{
	struct request *r = g_new0(struct request, 1);

	r->source = g_strdup(source);
	r->raw = raw;
	r->raw_len = len;
	r->size = len;
	r->references = g_ptr_array_new_with_free_func(g_free);
	r->headers = g_ptr_array_new_with_free_func(header_free);
	r->attachments = g_ptr_array_new_with_free_func(attachment_free);
	r->tags = g_ptr_array_new_with_free_func(g_free);
	r->forwards = g_ptr_array_new_with_free_func(g_free);
	r->hits = g_ptr_array_new_with_free_func(hit_free);
	r->request_id = -1;
	return r;
}

void
request_free(struct request *r)
{
	if (r == NULL)
		return;
	g_free(r->source);
	g_free(r->file);
	g_free((gpointer)r->raw);
	g_free(r->raw_sha256);
	g_free(r->message_id);
	g_free(r->dedup_key);
	g_free(r->from_name);
	g_free(r->from_addr);
	g_free(r->from_domain);
	g_free(r->reply_to);
	g_free(r->from_unsafe);
	g_free(r->reply_to_unsafe);
	g_free(r->return_path);
	g_free(r->to);
	g_free(r->cc);
	g_free(r->subject);
	g_free(r->kind_reason);
	g_free(r->in_reply_to);
	g_ptr_array_unref(r->references);
	g_free(r->content_language);
	g_ptr_array_unref(r->headers);
	g_free(r->auto_submitted);
	g_free(r->precedence);
	g_free(r->x_auto_response_suppress);
	g_free(r->report_type);
	g_free(r->text);
	g_free(r->text_clean);
	g_free(r->body_charset);
	g_ptr_array_unref(r->attachments);
	g_free(r->language);
	g_free(r->language_runner_up);
	g_free(r->language_variant);
	g_free(r->language_note);
	g_free(r->requester);
	g_free(r->domain);
	g_free(r->topic);
	g_free(r->commune);
	g_ptr_array_unref(r->tags);
	g_ptr_array_unref(r->forwards);
	g_ptr_array_unref(r->hits);
	for (int i = 0; i < WHY_N; i++)
		request_why_clear(r, i);
	g_free(r->reply_template);
	g_free(r->reply_reason);
	g_free(r->reply_addr);
	g_free(r->set_aside_by);
	g_free(r->reply_addr_note);
	g_free(r->reply_addr_why);
	g_free(r->reason);
	g_free(r->ref);
	g_free(r->command_refused);
	g_free(r);
}

const char *
request_header(const struct request *r, const char *name)
{
	for (guint i = 0; i < r->headers->len; i++) {
		const struct header *h = g_ptr_array_index(r->headers, i);
		if (g_ascii_strcasecmp(h->name, name) == 0)
			return h->value;
	}
	return NULL;
}

void
request_add_hit(struct request *r, const char *rule, const char *file,
    const char *words)
{
	struct rule_hit *h = g_new0(struct rule_hit, 1);

	h->rule = g_strdup(rule);
	h->file = g_strdup(file);
	h->words = g_strdup(words);
	g_ptr_array_add(r->hits, h);
}

void
request_set(char **field, const char *value)
{
	char *old = *field;

	*field = g_strdup(value);
	g_free(old);
}

void
request_why_clear(struct request *r, int i)
{
	struct why *w = &r->why[i];

	for (int k = 0; k < 2; k++) {
		g_clear_pointer(&w->rule[k], g_free);
		g_clear_pointer(&w->model[k], g_free);
		w->rule_score[k] = w->model_p[k] = 0.0;
	}
	w->by = NULL;
	w->decisive = FALSE;
}
