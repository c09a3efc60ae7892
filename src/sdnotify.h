/*
 * sdnotify.h: the service manager's notification protocol (sd_notify(3)),
 * spoken directly (sdnotify.c): one datagram on the AF_UNIX socket named
 * by $NOTIFY_SOCKET.  libsystemd did this and nothing else for guichet; it
 * brought libgcrypt, liblz4 and libcap into every process, 0.5 MB of
 * resident memory (issue 20).
 */
#ifndef GUICHET_SDNOTIFY_H
#define GUICHET_SDNOTIFY_H

#include <glib.h>

/*
 * Send state ("READY=1", "WATCHDOG=1", "STATUS=...") to the service
 * manager: > 0 sent, 0 when there is no $NOTIFY_SOCKET (not run by
 * systemd, or not Type=notify), < 0 (-errno) when it could not be sent.
 */
int		 sdnotify(const char *state);
int		 sdnotifyf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/*
 * The watchdog interval asked for ($WATCHDOG_USEC, for this process when
 * $WATCHDOG_PID is set): > 0 and *usec set when there is one, else 0.
 */
int		 sdnotify_watchdog(guint64 *usec);

#endif
