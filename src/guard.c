/*
 * guard.c: what keeps the daemon from running twice or stumbling forever
 * on one message: the instance lock and the crash guard.  See guard.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>
#include "config.h"
#include "guard.h"
#include "vocab.h"

/* Take "<store>.lock"; -1 when another instance holds it or it cannot be made. */
int
guard_lock(const char *store_path, GError **err)
{
	g_autofree char *path = g_strconcat(store_path, ".lock", NULL);
	int fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s: %s", path, g_strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		int e = errno;

		close(fd);
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    e == EWOULDBLOCK ? "another guichet is already running on %s (lock %s)" :
		    "%s: cannot lock %s", store_path, path);
		return -1;
	}
	return fd;
}

/*
 * Crash guard: note in the store which message is being processed, by
 * which process.  Returns how many processes in a row died on it (1 for a
 * first attempt).  A parser crash would otherwise restart the service on
 * the same message forever and block every message behind it.
 */
int
guard_inflight(struct store *st, const char *folder, guint32 uv, guint32 uid)
{
	g_autofree char *key = g_strconcat("inflight:", folder, NULL);
	g_autofree char *value = NULL;
	unsigned long long puv = 0, puid = 0;
	long ppid = 0;
	int n = 0, tries = 1;
	sqlite3_stmt *q;

	q = store_prepare(st, "SELECT value FROM meta WHERE key = ?", NULL);
	if (q == NULL)
		return 1;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW &&
	    sscanf((const char *)sqlite3_column_text(q, 0), "%llu:%llu:%d:%ld",
	    &puv, &puid, &n, &ppid) == 4 && puv == uv && puid == uid)
		/* The same process retrying (store or network failure) is no death. */
		tries = ppid == (long)getpid() ? n : n + 1;
	sqlite3_finalize(q);
	value = g_strdup_printf("%u:%u:%d:%ld", uv, uid, tries, (long)getpid());
	q = store_prepare(st, "INSERT INTO meta(key, value) VALUES(?, ?) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", NULL);
	if (q != NULL) {
		sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
		sqlite3_step(q);
		sqlite3_finalize(q);
	}
	return tries;
}

/* Quarantine r without parsing it: the pipeline stores it as it is. */
void
guard_quarantine_unread(struct request *r, int tries)
{
	g_free(r->raw_sha256);
	r->raw_sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, r->raw, r->raw_len);
	g_free(r->dedup_key);
	r->dedup_key = g_strconcat("sha256:", r->raw_sha256, NULL);
	r->status = REQ_QUARANTINED;
	g_free(r->reason);
	r->reason = g_strdup_printf("guichet stopped %d times while processing this "
	    "message: set aside unread", tries);
	r->reply = REPLY_NONE;
	request_set(&r->reply_reason, "quarantined");
}

