/*
 * imap.h: the fetch stage over IMAP with libetpan.  Connects with a
 * verified TLS session (net.h), logs in, selects a folder, lists and
 * fetches messages by UID, moves or flags them, and waits for news with
 * IDLE.  No business logic: daemon.c decides what to do with each UID.
 *
 * Errors: GUICHET_ERROR_TEMP when the connection is lost or timed out
 * (imap_broken() is then TRUE and the session must be closed and opened
 * again), GUICHET_ERROR_INPUT when the server refused a command (NO/BAD),
 * GUICHET_ERROR_CONFIG for a refused login or certificate.
 * All memory returned belongs to the caller.
 */
#ifndef GUICHET_IMAP_H
#define GUICHET_IMAP_H

#include <glib.h>
#include "config.h"

struct imap;

/* Connect to cfg->imap, verify the server, log in.  NULL with err. */
struct imap	*imap_open(const struct config *cfg, GError **err);
/* LOGOUT when still connected, then free.  NULL is fine. */
void		 imap_close(struct imap *);
/*
 * In a forked child that will not use the connection: close its socket
 * without a word to the server (no LOGOUT, no TLS alert: the parent's
 * session goes on), so that the connection ends with the parent, not
 * with the child.  The struct is left as it is (the child never frees it).
 */
void		 imap_drop_in_child(struct imap *);

/* Server extensions, as announced after login. */
gboolean	 imap_has_idle(const struct imap *);
/* TRUE after a stream error: the session is unusable. */
gboolean	 imap_broken(const struct imap *);

/*
 * SELECT (or EXAMINE when readonly) folder; *uidvalidity gets its
 * UIDVALIDITY.  The selected folder stays current until the next call.
 */
gboolean	 imap_select(struct imap *, const char *folder, gboolean readonly,
		    guint32 *uidvalidity, GError **err);
/* STATUS folder: its UIDVALIDITY and UIDNEXT, without selecting it. */
gboolean	 imap_status(struct imap *, const char *folder, guint32 *uidvalidity,
		    guint32 *uidnext, GError **err);
/* Create folder unless it exists. */
gboolean	 imap_ensure_folder(struct imap *, const char *folder, GError **err);

/*
 * UIDs of the selected folder in [first, last] (last 0 = no end),
 * ascending; UIDs outside the range are dropped (the server returns the
 * newest message for "N:*" even past the end).  unkeyword: only messages
 * without this keyword, or NULL.  A GArray of guint32, or NULL with err.
 */
GArray		*imap_list_uids(struct imap *, guint32 first, guint32 last,
		    const char *unkeyword, GError **err);

/*
 * The message uid without setting \Seen (BODY.PEEK[], or BODY.PEEK[HEADER]
 * when header_only; only the first max bytes when max is not 0).  A
 * g_malloc'ed copy in *raw / *len.  Returns FALSE with err on failure;
 * TRUE with *raw NULL when the message is gone.  *internaldate gets
 * INTERNALDATE (unix seconds) when not NULL.
 */
gboolean	 imap_fetch(struct imap *, guint32 uid, gboolean header_only, gsize max,
		    guint8 **raw, gsize *len, gint64 *internaldate, GError **err);
/* One message of a batch (imap_sizes, imap_fetch_bodies). */
struct imap_msg {
	guint32		 uid;
	gsize		 size;		/* RFC822.SIZE */
	gboolean	 gone;		/* not in the folder any more */
	guint8		*raw;		/* g_malloc'ed body, NUL-terminated, or NULL */
	gsize		 len;
};

/* One UID FETCH (RFC822.SIZE) for the n UIDs of m: fills size and gone. */
gboolean	 imap_sizes(struct imap *, struct imap_msg *m, guint n, GError **err);
/*
 * One UID FETCH (BODY.PEEK[]) for the n messages of m: fills raw and len of
 * each the server returned (raw stays NULL for a message gone meanwhile).
 */
gboolean	 imap_fetch_bodies(struct imap *, struct imap_msg *m, guint n, GError **err);
/* RFC822.SIZE of uid in *size (0 when the message is gone). */
gboolean	 imap_size(struct imap *, guint32 uid, gsize *size, GError **err);

/* Move uid to folder: MOVE when offered, else COPY + \Deleted + (UID) EXPUNGE. */
gboolean	 imap_move(struct imap *, guint32 uid, const char *folder, GError **err);
/* The same for n UIDs (ascending) in one command. */
gboolean	 imap_move_uids(struct imap *, const guint32 *uids, guint n, const char *folder,
		    GError **err);
/* Add a keyword (e.g. "$Guichet") or a system flag ("\\Flagged") to uid. */
gboolean	 imap_flag(struct imap *, guint32 uid, const char *flag, GError **err);
gboolean	 imap_flag_uids(struct imap *, const guint32 *uids, guint n, const char *flag,
		    GError **err);
/* APPEND a complete message (LF or CRLF line ends) to folder. */
gboolean	 imap_append(struct imap *, const char *folder, const char *data, gsize len,
		    GError **err);
/* Remove uid of the selected folder (\Deleted, then UID EXPUNGE or EXPUNGE). */
gboolean	 imap_delete(struct imap *, guint32 uid, GError **err);

/*
 * IDLE on the selected folder.  imap_idle_start() sends IDLE; poll
 * imap_idle_fd() for input (but first check imap_idle_pending(): data may
 * already be buffered); imap_idle_done() sends DONE and reads the answer.
 */
gboolean	 imap_idle_start(struct imap *, GError **err);
int		 imap_idle_fd(struct imap *);
gboolean	 imap_idle_pending(struct imap *);
gboolean	 imap_idle_done(struct imap *, GError **err);

#endif
