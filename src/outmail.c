/* outmail.c: life cycle of struct outmail. */
#include "outmail.h"

struct outmail *
outmail_new(const char *kind, const char *mail_from, const char *rcpt,
    const char *message_id, char *data, gsize len)
{
	struct outmail *m = g_new0(struct outmail, 1);

	m->kind = g_strdup(kind);
	m->mail_from = g_strdup(mail_from ? mail_from : "");
	m->rcpt = g_strdup(rcpt);
	m->message_id = g_strdup(message_id);
	m->data = data;
	m->len = len;
	return m;
}

void
outmail_free(struct outmail *m)
{
	if (m == NULL)
		return;
	g_free(m->kind);
	g_free(m->mail_from);
	g_free(m->rcpt);
	g_free(m->message_id);
	g_free(m->data);
	g_free(m);
}
