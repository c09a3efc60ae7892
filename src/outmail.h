/*
 * outmail.h: one message to send, as queued in the outbox.
 */
#ifndef GUICHET_OUTMAIL_H
#define GUICHET_OUTMAIL_H

#include <glib.h>

struct outmail {
	char		*kind;		/* ack, orientation, forward, notice, digest, report, command */
	char		*mail_from;	/* envelope sender, "" for <> */
	char		*rcpt;		/* one envelope recipient */
	char		*message_id;	/* without brackets */
	char		*data;		/* whole message, CRLF or LF line ends */
	gsize		 len;
};

struct outmail	*outmail_new(const char *kind, const char *mail_from,
		    const char *rcpt, const char *message_id, char *data, gsize len);
void		 outmail_free(struct outmail *);

#endif
