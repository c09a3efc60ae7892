/*
 * privacy.h: retention, access and erasure of personal data in the store.
 *
 * Personal data lives only in these columns: requests.sender_addr,
 * sender_name, subject; messages.from_addr, from_name, subject, text, raw,
 * message_id, in_reply_to, dedup_key, source; outbox.rcpt, data,
 * last_answer; events.detail; time_log.note.  Purging and forgetting
 * clear them and keep every label, time and count, so statistics are the
 * same before and after.  Afterwards the file is VACUUMed and the WAL
 * truncated, so the cleared bytes are gone from disk too.
 *
 * Commands: `purge [--dry-run]`, `access ADDRESS [-o FILE] [--json]`,
 * `forget ADDRESS [--yes]` (cmd_purge, cmd_access, cmd_forget in cmd.h).
 */
#ifndef GUICHET_PRIVACY_H
#define GUICHET_PRIVACY_H

#include <glib.h>
#include "config.h"
#include "store.h"

/*
 * Apply cfg's retention periods as of now (unix seconds).  Appends one
 * line per kind of data removed (or that would be, with dry_run) to
 * report.  Returns FALSE with err on a store failure (nothing changed).
 */
gboolean	 privacy_purge(struct store *, const struct config *cfg, gint64 now,
		    gboolean dry_run, GString *report, GError **err);

#endif
