/*
 * loopback.h: is a configured host name really this machine?  One test
 * for `guichet check` (config.c) and for the connections (tls.c), so the
 * two can never disagree: the name is resolved and every address it gives
 * must be a loopback address (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104).
 * A name that does not resolve is not loopback.  "127.evil.example.com"
 * is a name like any other, not a prefix test.
 */
#ifndef GUICHET_LOOPBACK_H
#define GUICHET_LOOPBACK_H

#include <glib.h>

/* TRUE when host resolves, and only to loopback addresses. */
gboolean	 host_is_loopback(const char *host);

#endif
