/*
 * reply.h: builds the messages guichet sends (acknowledgment, orientation,
 * forward, urgent notice, and generic mails for digests and reports) as
 * complete RFC 5322 texts with GMime.  No I/O.  Headers never carry a CR,
 * LF or control character from the input.
 */
#ifndef GUICHET_REPLY_H
#define GUICHET_REPLY_H

#include "setup.h"
#include "request.h"
#include "outmail.h"
#include "vocab.h"

/*
 * Every mail that request r causes (r stored, r->ref set): the reply to
 * the sender per r->reply, forwards per r->forwards, and the urgent notice
 * to the delegate when r->urgent.  Appends struct outmail * to out.
 */
gboolean	 reply_build_all(const struct setup *, const struct request *r,
		    GPtrArray *out, GError **err);

/*
 * The urgent alert to every address of notify.urgent: the full text, the
 * labels, the rules and words that made it urgent, how to answer by mail
 * (Reply-To is the sender).  reminder_of > 0: the one reminder, saying the
 * first alert left then.  Appends struct outmail * (kind "notice") to out.
 */
gboolean	 reply_build_alerts(const struct setup *, const struct request *r,
		    gint64 reminder_of, GPtrArray *out, GError **err);

/*
 * What a built mail shows its reader, for `explain --reply`: the
 * recipient, the decoded subject, the main headers as "Name: value" lines
 * and the decoded text of its first text/plain part.  FALSE when m does
 * not parse.  g_free every result.
 */
gboolean	 reply_mail_view(const struct outmail *m, char **to, char **subject,
		    char **headers, char **text);

struct mail_part {
	const char	*filename;	/* NULL: inline */
	const char	*content_type;	/* "text/csv; charset=utf-8", "message/rfc822" */
	const guint8	*data;
	gsize		 len;
};

/*
 * A mail from the contact address to `to`: text (and html when not NULL)
 * plus attachments (struct mail_part *, may be NULL).  kind is the outbox
 * kind: REPLY_ACK and REPLY_ORIENTATION get Auto-Submitted: auto-replied and the
 * envelope sender cfg->envelope_sender; every other kind auto-generated
 * and the contact address as envelope sender.
 */
struct outmail	*mail_build(const struct config *, enum reply_kind kind,
		    const char *to, const char *subject, const char *text,
		    const char *html, GPtrArray *attachments,
		    const char *in_reply_to, GError **err);

/* Characters of the sender's subject an automatic reply repeats, at most. */
#define REPLY_SUBJECT_MAX	60

/*
 * The sender's subject as an automatic reply may repeat it: sanitised,
 * every link, host name or address replaced by "[…]", cut to max_chars
 * on a word boundary (" …" added).  Never NULL.
 */
char		*reply_safe_subject(const char *subject, gsize max_chars);
/*
 * A display name fit for a greeting: at most four words and 40
 * characters, no link, host name, address or markup; else NULL.
 */
char		*reply_safe_name(const char *name);

/* Strip CR, LF and control characters; never NULL. g_free the result. */
char		*header_sanitize(const char *s);
/* A fresh Message-ID (without brackets) in the contact address's domain. */
char		*reply_message_id(const struct config *);

#endif
