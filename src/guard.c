/*
 * guard.c: what keeps the daemon from running twice or stumbling forever
 * on one message: the instance lock and the crash guard.  See guard.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
 * What the crash handler writes: prepared before each message, so the
 * handler only calls write() and fsync() (async-signal-safe).
 */
static int crash_fd = -1;
static char crash_line[64];
static volatile sig_atomic_t crash_len;
static char *crash_path;
static void *alt_stack;

static void
on_crash(int sig, siginfo_t *si, void *unused)
{
	int saved = errno;
	/* a kill -SEGV from another process is no crash of ours */
	gboolean own = si == NULL || si->si_code > 0 || si->si_pid == getpid() ||
	    (sig == SIGABRT && si->si_pid == 1);	/* systemd's watchdog: a hang */

	if (own && crash_fd != -1 && crash_len > 0) {
		(void)!write(crash_fd, crash_line, (size_t)crash_len);
		(void)fsync(crash_fd);
	}
	errno = saved;
	/* SA_RESETHAND: the default action now, with the core dump */
	raise(sig);
}

gboolean
guard_arm(const char *store_path, GError **err)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct sigaction sa;
	stack_t ss;

	g_free(crash_path);
	crash_path = g_strconcat(store_path, ".crash", NULL);
	if (crash_fd == -1 &&
	    (crash_fd = open(crash_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) == -1) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s: %s",
		    crash_path, g_strerror(errno));
		return FALSE;
	}
	/* a stack overflow must still reach the handler (kept for the process) */
	if (alt_stack == NULL) {
		ss.ss_size = MAX((size_t)SIGSTKSZ, (size_t)65536);
		ss.ss_sp = alt_stack = g_malloc(ss.ss_size);
		ss.ss_flags = 0;
		if (sigaltstack(&ss, NULL) == -1)
			g_clear_pointer(&alt_stack, g_free);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_crash;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	return TRUE;
}

/* Did the crash file get the mark of uv:uid (from the process that died)? */
static gboolean
crash_marked(guint32 uv, guint32 uid)
{
	g_autofree char *data = NULL;
	g_autofree char *want = g_strdup_printf("%u:%u\n", uv, uid);
	gboolean found;

	if (crash_path == NULL || !g_file_get_contents(crash_path, &data, NULL, NULL))
		return FALSE;
	found = g_str_has_prefix(data, want) || strstr(data, want) != NULL;
	return found;
}

static void
crash_clear(void)
{
	if (crash_fd != -1 && ftruncate(crash_fd, 0) == 0)
		(void)fsync(crash_fd);
}

void
guard_inflight(struct store *st, const char *folder, guint32 uv, guint32 uid,
    struct guard_verdict *v)
{
	g_autofree char *key = g_strconcat("inflight:", folder, NULL);
	g_autofree char *value = store_meta_get(st, key);
	unsigned long long puv = 0, puid = 0;
	long ppid = 0;
	int crashes = 0, kills = 0, n;

	memset(v, 0, sizeof(*v));
	n = value != NULL ? sscanf(value, "%llu:%llu:%d:%ld:%d", &puv, &puid,
	    &crashes, &ppid, &kills) : 0;
	if (n >= 4 && puv == uv && puid == uid) {
		if (n == 4)		/* written by an older guichet: one count */
			kills = 0;
		/* the same process retrying (store or network failure) is no death */
		if (ppid != (long)getpid()) {
			if (crash_marked(uv, uid))
				crashes++;
			else
				kills++;
		}
	} else
		crashes = kills = 0;
	crash_clear();
	g_free(value);
	value = g_strdup_printf("%u:%u:%d:%ld:%d", uv, uid, crashes, (long)getpid(), kills);
	store_meta_set(st, key, value, NULL);
	v->crashes = crashes;
	v->kills = kills;
	v->set_aside = crashes >= GUARD_TRIES || kills >= GUARD_KILLS;
	/* armed: a crash from now on marks this message */
	crash_len = 0;
	n = g_snprintf(crash_line, sizeof(crash_line), "%u:%u\n", uv, uid);
	crash_len = n > 0 && n < (int)sizeof(crash_line) ? n : 0;
}

void
guard_arm_uid(guint32 uv, guint32 uid)
{
	int n;

	crash_len = 0;
	n = g_snprintf(crash_line, sizeof(crash_line), "%u:%u\n", uv, uid);
	crash_len = n > 0 && n < (int)sizeof(crash_line) ? n : 0;
}

guint32
guard_died_at(struct store *st, const char *folder, guint32 uv, guint32 last_uid)
{
	g_autofree char *key = g_strconcat("inflight:", folder, NULL);
	g_autofree char *value = store_meta_get(st, key);
	unsigned long long puv = 0, puid = 0;
	long ppid = 0;
	int crashes = 0;

	if (value == NULL || sscanf(value, "%llu:%llu:%d:%ld", &puv, &puid, &crashes, &ppid) < 4)
		return 0;
	return puv == uv && puid > last_uid && puid <= G_MAXUINT32 &&
	    ppid != (long)getpid() ? (guint32)puid : 0;
}

void
guard_done(void)
{
	crash_len = 0;
}

/* Quarantine r without parsing it: the pipeline stores it as it is. */
void
guard_quarantine_unread(struct request *r, const struct guard_verdict *v)
{
	g_free(r->raw_sha256);
	r->raw_sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, r->raw, r->raw_len);
	g_free(r->dedup_key);
	r->dedup_key = g_strconcat("sha256:", r->raw_sha256, NULL);
	r->status = REQ_QUARANTINED;
	g_free(r->reason);
	if (v->crashes >= GUARD_TRIES)
		r->reason = g_strdup_printf("guichet %s crashed %d times while processing "
		    "this message: set aside unread, kept whole", GUICHET_VERSION, v->crashes);
	else
		r->reason = g_strdup_printf("guichet %s was stopped %d times from outside "
		    "while processing this message: set aside unread, kept whole",
		    GUICHET_VERSION, v->kills);
	r->reply = REPLY_NONE;
	request_set(&r->reply_reason, "quarantined");
	request_set(&r->set_aside_by, GUICHET_VERSION);
}
