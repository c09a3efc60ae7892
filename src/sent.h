/*
 * sent.h: the delegate's own replies.  guichet watches the Sent folder
 * (cfg->imap_sent_folder): a message there that answers a request (its
 * reference in the subject, or In-Reply-To / References naming one of the
 * request's messages) marks the request answered, with the time of the
 * reply.  The position (UIDVALIDITY, last UID) lives in the mailboxes table
 * under the folder's name, like the contact folder's.
 */
#ifndef GUICHET_SENT_H
#define GUICHET_SENT_H

#include <glib.h>
#include "config.h"
#include "imap.h"
#include "store.h"

/*
 * Look at the messages of the Sent folder not seen yet (at most a batch of
 * them; *more is then TRUE) and mark the requests they answer.  Leaves the
 * Sent folder selected (read-only) when there was something new; the
 * caller selects its folder again.  FALSE with err on IMAP or store
 * failure.  *changed counts the requests marked.  changed and more may be
 * NULL.
 */
gboolean	 sent_check(struct imap *, struct store *, const struct config *,
		    int *changed, gboolean *more, GError **err);

#endif
