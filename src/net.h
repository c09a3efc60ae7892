/*
 * net.h: connections to the IMAP and SMTP servers with libetpan, with the
 * TLS certificate really verified (libetpan on Debian checks nothing: see
 * tls.c) and SNI sent.
 *
 * A server_config's security is "tls" (implicit TLS), "starttls" or
 * "plain" (refused unless the host is a loopback address).  When verify is
 * TRUE (the default) the server's chain must lead to ca_file (or to the
 * system trust store when ca_file is NULL) and the certificate must name
 * the configured host; otherwise the connection is closed before any
 * password is sent, with a message such as
 *   "smtp 127.0.0.1:10025: certificate not trusted: ... (unknown CA)"
 *   "imap mail.example.org:993: host name mismatch: ..."
 *
 * Errors: GUICHET_ERROR_TEMP for network failures, timeouts and 4xx/BYE
 * answers (try again later); GUICHET_ERROR_CONFIG for what a person must
 * fix (certificate, host name, login refused, plain on a public host).
 * Passwords are never logged nor put in an error message.
 *
 * Call net_init() once per process before any connection (ignores SIGPIPE:
 * libetpan writes with send() without MSG_NOSIGNAL; initialises GnuTLS).
 */
#ifndef GUICHET_NET_H
#define GUICHET_NET_H

#include <glib.h>
#include <libetpan/libetpan.h>
#include "config.h"

void		 net_init(void);

/*
 * IMAP: connect (implicit TLS, STARTTLS or plain as configured, with SNI
 * and verification), set the timeout, and LOGIN.  password NULL: read it
 * with config_read_secret(srv).  Returns a logged-in session (free with
 * mailimap_logout + mailimap_free) or NULL with err.
 */
mailimap	*net_imap_connect(const struct server_config *srv, const char *password,
		    GError **err);

/*
 * SMTP: connect, EHLO (helo name, or "localhost" when NULL), STARTTLS when
 * configured (then EHLO again), verification, and AUTH PLAIN (or LOGIN when
 * PLAIN is not offered) when srv->user is set.  password NULL: read it with
 * config_read_secret(srv) when srv->user is set.  Returns a session ready
 * for MAIL FROM (free with mailsmtp_quit + mailsmtp_free) or NULL with err.
 */
mailsmtp	*net_smtp_connect(const struct server_config *srv, const char *helo,
		    const char *password, GError **err);

/*
 * `guichet check --connect`: logs in to the SMTP and the IMAP servers of
 * cfg, selects the contact folder, and logs out.  Prints one "ok" line per
 * server on stdout; on failure err says what is wrong for each server that
 * failed (one line each) and FALSE is returned.
 */
gboolean	 net_check_connect(const struct config *cfg, GError **err);

/* The text of a libetpan SMTP error code, for messages. */
const char	*net_smtp_strerror(int r);

#endif
