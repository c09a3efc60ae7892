/*
 * tls.c: verified TLS connections to the IMAP and SMTP servers (net.h).
 *
 * libetpan on Debian is built with GnuTLS and verifies no certificate: after
 * the handshake (implicit TLS or STARTTLS) and before any password is sent,
 * the peer's chain is taken with mailstream_get_certificate_chain() and
 * checked here with GnuTLS against the configured CA file or the system
 * trust store, and the leaf against the configured host name.  SNI is sent
 * through the *_with_callback connect functions.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <sasl/sasl.h>

#include "config.h"
#include "log.h"
#include "loopback.h"
#include "net.h"

#define NET_MAX_CHAIN	16

void
net_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		signal(SIGPIPE, SIG_IGN);
		gnutls_global_init();
		g_once_init_leave(&done, 1);
	}
}

/*
 * SMTP AUTH goes through Cyrus SASL (libetpan's mailsmtp_auth_type), whose
 * first sasl_client_init loads every plugin of the system's sasl2 folder:
 * DIGEST-MD5, SCRAM and NTLM bring in OpenSSL's libcrypto, about 1.4 MB
 * resident in the daemon (issue 20), for mechanisms guichet never uses (it
 * logs in with PLAIN or LOGIN).  SASL is initialised here first, once,
 * with a callback that lets only those two plugins load; libetpan's own
 * sasl_client_init and sasl_done after each login then only count users
 * (SASL counts them), and the two stay loaded instead of every plugin being
 * loaded again for each connection.
 */
static int
sasl_plugin_ok(void *ctx, const char *file, sasl_verify_type_t type)
{
	const char *base = strrchr(file, '/');

	(void)ctx;
	if (type != SASL_VRFY_PLUGIN)
		return SASL_OK;
	base = base != NULL ? base + 1 : file;
	return g_str_has_prefix(base, "libplain.") || g_str_has_prefix(base, "liblogin.") ?
	    SASL_OK : SASL_CONTINUE;
}

static void
sasl_init(void)
{
	static gsize done;
	static sasl_callback_t cb[] = {
		{ SASL_CB_VERIFYFILE, (int (*)(void))(void (*)(void))sasl_plugin_ok, NULL },
		{ SASL_CB_LIST_END, NULL, NULL },
	};

	if (g_once_init_enter(&done)) {
		/* a failure shows at the login, as before (libetpan's own init) */
		(void)sasl_client_init(cb);
		g_once_init_leave(&done, 1);
	}
}

static gboolean
host_is_ip(const char *host, unsigned char *buf, unsigned int *len)
{
	if (inet_pton(AF_INET, host, buf) == 1) {
		*len = 4;
		return TRUE;
	}
	if (inet_pton(AF_INET6, host, buf) == 1) {
		*len = 16;
		return TRUE;
	}
	return FALSE;
}

static char *
crt_dn(gnutls_x509_crt_t crt, gboolean issuer)
{
	gnutls_datum_t d = { NULL, 0 };
	char *s;

	if ((issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &d, 0) :
	    gnutls_x509_crt_get_dn3(crt, &d, 0)) < 0)
		return g_strdup("?");
	s = g_strndup((const char *)d.data, d.size);
	gnutls_free(d.data);
	return s;
}

static const char *
status_reason(unsigned int st)
{
	if (st & GNUTLS_CERT_SIGNER_NOT_FOUND)
		return "unknown CA";
	if (st & GNUTLS_CERT_EXPIRED)
		return "expired";
	if (st & GNUTLS_CERT_NOT_ACTIVATED)
		return "not yet valid";
	if (st & GNUTLS_CERT_REVOKED)
		return "revoked";
	if (st & GNUTLS_CERT_INSECURE_ALGORITHM)
		return "insecure algorithm";
	if (st & GNUTLS_CERT_SIGNER_NOT_CA)
		return "issuer is not a CA";
	if (st & GNUTLS_CERT_SIGNATURE_FAILURE)
		return "bad signature";
	if (st & GNUTLS_CERT_PURPOSE_MISMATCH)
		return "not a server certificate";
	return "not trusted";
}

/*
 * Check the TLS certificate of an established TLS stream against srv
 * (ca_file or system store; host name srv->host).  what names the service
 * in messages ("imap", "smtp").  TRUE when trusted or when srv->verify is
 * FALSE.
 */
static gboolean
net_verify_stream(mailstream *s, const struct server_config *srv, const char *what,
    GError **err)
{
	gnutls_x509_crt_t crts[NET_MAX_CHAIN];
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_typed_vdata_st vdata[1];
	unsigned int n = 0, i, status = 0, iplen;
	unsigned char ip[16];
	carray *chain;
	gboolean ok = FALSE;
	int r;

	if (!srv->verify)
		return TRUE;
	chain = mailstream_get_certificate_chain(s);
	if (chain == NULL || carray_count(chain) == 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s %s:%d: the server sent no certificate", what, srv->host, srv->port);
		if (chain != NULL)
			mailstream_certificate_chain_free(chain);
		return FALSE;
	}
	for (i = 0; i < carray_count(chain) && n < NET_MAX_CHAIN; i++) {
		MMAPString *der = carray_get(chain, i);
		gnutls_datum_t d = { (unsigned char *)der->str, (unsigned int)der->len };

		if (gnutls_x509_crt_init(&crts[n]) < 0)
			break;
		if (gnutls_x509_crt_import(crts[n], &d, GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(crts[n]);
			break;
		}
		n++;
	}
	mailstream_certificate_chain_free(chain);
	if (n == 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s %s:%d: cannot read the server's certificate", what, srv->host, srv->port);
		return FALSE;
	}

	if (gnutls_x509_trust_list_init(&tl, 0) < 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP, "%s: GnuTLS: out of memory", what);
		goto out;
	}
	if (srv->ca_file != NULL) {
		r = gnutls_x509_trust_list_add_trust_file(tl, srv->ca_file, NULL,
		    GNUTLS_X509_FMT_PEM, 0, 0);
		if (r <= 0) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
			    "%s: ca_file %s: %s", what, srv->ca_file,
			    r < 0 ? gnutls_strerror(r) : "no certificate in the file");
			goto out;
		}
	} else {
		r = gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
		if (r <= 0) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
			    "%s: the system trust store is empty or unreadable "
			    "(install ca-certificates or set ca_file)", what);
			goto out;
		}
	}

	vdata[0].type = GNUTLS_DT_KEY_PURPOSE_OID;
	vdata[0].data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER;
	vdata[0].size = 0;
	r = gnutls_x509_trust_list_verify_crt2(tl, crts, n, vdata, 1, 0, &status, NULL);
	if (r < 0 || status != 0) {
		g_autofree char *subject = crt_dn(crts[0], FALSE);
		g_autofree char *issuer = crt_dn(crts[0], TRUE);

		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s %s:%d: certificate not trusted: %s issued by %s (%s)%s%s",
		    what, srv->host, srv->port, subject, issuer,
		    r < 0 ? gnutls_strerror(r) : status_reason(status),
		    srv->ca_file != NULL ? "; checked against ca_file " : "; checked against the system trust store",
		    srv->ca_file != NULL ? srv->ca_file : "");
		goto out;
	}
	if (host_is_ip(srv->host, ip, &iplen) ?
	    !gnutls_x509_crt_check_ip(crts[0], ip, iplen, 0) :
	    !gnutls_x509_crt_check_hostname2(crts[0], srv->host, 0)) {
		g_autofree char *subject = crt_dn(crts[0], FALSE);

		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s %s:%d: host name mismatch: the certificate (%s) is not valid for \"%s\"",
		    what, srv->host, srv->port, subject, srv->host);
		goto out;
	}
	ok = TRUE;
out:
	if (tl != NULL)
		gnutls_x509_trust_list_deinit(tl, 1);
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	return ok;
}

/* SNI: only for names, never for IP literals (RFC 6066). */
static void
sni_callback(struct mailstream_ssl_context *ctx, void *data)
{
	const char *host = data;
	unsigned char ip[16];
	unsigned int len;

	if (host != NULL && !host_is_ip(host, ip, &len))
		mailstream_ssl_set_server_name(ctx, (char *)host);
}

/*
 * TCP connection with a timeout, then a libetpan stream whose reads and
 * writes also time out (libetpan's own SMTP connect leaves the greeting
 * read to the 5-minute global delay).  TLS streams send SNI.
 */
static mailstream *
open_stream(const struct server_config *srv, gboolean tls, const char *what, GError **err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG };
	struct addrinfo *res = NULL, *ai;
	char port[16];
	int fd = -1, rc, soerr = 0, timeout = srv->timeout > 0 ? srv->timeout : 60;
	mailstream *s;

	g_snprintf(port, sizeof port, "%d", srv->port);
	if ((rc = getaddrinfo(srv->host, port, &hints, &res)) != 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP, "%s %s:%d: cannot connect: %s",
		    what, srv->host, srv->port, gai_strerror(rc));
		return NULL;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		struct pollfd pfd;
		socklen_t len = sizeof soerr;
		int fl;

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			soerr = errno;
			continue;
		}
		fl = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			soerr = 0;
		else if (errno != EINPROGRESS)
			soerr = errno;
		else {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			do
				rc = poll(&pfd, 1, timeout * 1000);
			while (rc < 0 && errno == EINTR);
			if (rc == 0)
				soerr = ETIMEDOUT;
			else if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
				soerr = errno;
		}
		if (soerr == 0) {
			int one = 1;

			fcntl(fd, F_SETFL, fl);
			/*
			 * IMAP and SMTP are small request/answer exchanges:
			 * without TCP_NODELAY a command written in two pieces
			 * waits for the server's delayed ACK (~40 ms each).
			 */
			if (ai->ai_family != AF_UNIX &&
			    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
				log_debug("%s %s:%d: TCP_NODELAY: %s", what, srv->host,
				    srv->port, g_strerror(errno));
			break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP, "%s %s:%d: cannot connect: %s",
		    what, srv->host, srv->port,
		    soerr == ETIMEDOUT ? "timed out" :
		    soerr == ECONNREFUSED ? "connection refused (is the server running?)" :
		    soerr == EHOSTUNREACH || soerr == ENETUNREACH ? "host unreachable" :
		    g_strerror(soerr));
		return NULL;
	}
	if (tls)
		s = mailstream_ssl_open_with_callback_timeout(fd, timeout, sni_callback, srv->host);
	else
		s = mailstream_socket_open_timeout(fd, timeout);
	if (s == NULL) {
		close(fd);
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP, "%s %s:%d: cannot connect: %s",
		    what, srv->host, srv->port, tls ? "TLS handshake failed" : "out of memory");
		return NULL;
	}
	return s;
}

/* After STARTTLS libetpan's new low stream may have no timeout of its own. */
static void
stream_set_timeout(mailstream *s, const struct server_config *srv)
{
	if (s != NULL && mailstream_get_low(s) != NULL)
		mailstream_low_set_timeout(mailstream_get_low(s), srv->timeout > 0 ? srv->timeout : 60);
}

enum sec { SEC_TLS, SEC_STARTTLS, SEC_PLAIN };

static gboolean
security_of(const struct server_config *srv, const char *what, enum sec *sec, GError **err)
{
	if (srv->host == NULL || *srv->host == '\0' || srv->port <= 0 || srv->port > 65535) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s: no server configured (host and port)", what);
		return FALSE;
	}
	if (srv->security == NULL || strcmp(srv->security, "tls") == 0)
		*sec = SEC_TLS;
	else if (strcmp(srv->security, "starttls") == 0)
		*sec = SEC_STARTTLS;
	else if (strcmp(srv->security, "plain") == 0) {
		if (!host_is_loopback(srv->host)) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
			    "%s %s:%d: security = \"plain\" is allowed only on loopback "
			    "(passwords would cross the network in clear)", what, srv->host, srv->port);
			return FALSE;
		}
		*sec = SEC_PLAIN;
	} else {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s: security \"%s\": expected tls, starttls or plain", what, srv->security);
		return FALSE;
	}
	return TRUE;
}

static const char *
net_imap_strerror(int r)
{
	switch (r) {
	case MAILIMAP_NO_ERROR:
	case MAILIMAP_NO_ERROR_AUTHENTICATED:
	case MAILIMAP_NO_ERROR_NON_AUTHENTICATED:
		return "no error";
	case MAILIMAP_ERROR_STREAM:
		return "connection lost or timed out";
	case MAILIMAP_ERROR_PARSE:
		return "unreadable answer from the server";
	case MAILIMAP_ERROR_CONNECTION_REFUSED:
		return "connection refused";
	case MAILIMAP_ERROR_MEMORY:
		return "out of memory";
	case MAILIMAP_ERROR_FATAL:
		return "the server closed the connection (BYE)";
	case MAILIMAP_ERROR_PROTOCOL:
		return "protocol error";
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION:
		return "the server refuses connections";
	case MAILIMAP_ERROR_LOGIN:
		return "login refused (user name or password)";
	case MAILIMAP_ERROR_STARTTLS:
		return "STARTTLS failed or not offered";
	case MAILIMAP_ERROR_SSL:
		return "TLS handshake failed";
	case MAILIMAP_ERROR_SELECT:
	case MAILIMAP_ERROR_EXAMINE:
		return "cannot open the folder";
	default:
		return "IMAP command failed";
	}
}

const char *
net_smtp_strerror(int r)
{
	switch (r) {
	case MAILSMTP_ERROR_STREAM:
		return "connection lost or timed out";
	case MAILSMTP_ERROR_CONNECTION_REFUSED:
		return "connection refused";
	case MAILSMTP_ERROR_SSL:
		return "TLS handshake failed";
	case MAILSMTP_ERROR_STARTTLS_NOT_SUPPORTED:
		return "the server does not offer STARTTLS";
	case MAILSMTP_ERROR_AUTH_LOGIN:
	case MAILSMTP_ERROR_AUTH_AUTHENTICATION_FAILED:
		return "login refused (user name or password)";
	case MAILSMTP_ERROR_AUTH_NOT_SUPPORTED:
		return "the server offers no usable AUTH mechanism (PLAIN or LOGIN)";
	default:
		return mailsmtp_strerror(r);
	}
}

/* Network-level failure: try later; anything else: a person must fix it. */
static int
imap_code(int r)
{
	return r == MAILIMAP_ERROR_LOGIN ? GUICHET_ERROR_CONFIG : GUICHET_ERROR_TEMP;
}

static char *
password_for(const struct server_config *srv, const char *password, GError **err)
{
	if (password != NULL)
		return g_strdup(password);
	return config_read_secret(srv, err);
}

static void
wipe_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		g_free(s);
	}
}

mailimap *
net_imap_connect(const struct server_config *srv, const char *password, GError **err)
{
	enum sec sec;
	mailstream *stream;
	mailimap *imap;
	char *pw;
	int r;

	net_init();
	if (!security_of(srv, "imap", &sec, err))
		return NULL;
	if (srv->user == NULL || *srv->user == '\0') {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "imap: no user configured");
		return NULL;
	}
	imap = mailimap_new(0, NULL);
	if (imap == NULL) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP, "imap: out of memory");
		return NULL;
	}
	mailimap_set_timeout(imap, srv->timeout > 0 ? srv->timeout : 60);
	if ((stream = open_stream(srv, sec == SEC_TLS, "imap", err)) == NULL) {
		mailimap_free(imap);
		return NULL;
	}
	/* on failure the stream stays with the session: mailimap_free closes it */
	r = mailimap_connect(imap, stream);
	if (r != MAILIMAP_NO_ERROR && r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP, "imap %s:%d: cannot connect: %s",
		    srv->host, srv->port, net_imap_strerror(r));
		mailimap_free(imap);
		return NULL;
	}
	if (sec == SEC_STARTTLS) {
		r = mailimap_socket_starttls_with_callback(imap, sni_callback, srv->host);
		if (r != MAILIMAP_NO_ERROR) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
			    "imap %s:%d: STARTTLS failed: %s", srv->host, srv->port,
			    net_imap_strerror(r));
			mailimap_free(imap);
			return NULL;
		}
		stream_set_timeout(imap->imap_stream, srv);
	}
	if (sec != SEC_PLAIN && !net_verify_stream(imap->imap_stream, srv, "imap", err)) {
		mailimap_free(imap);
		return NULL;
	}
	if ((pw = password_for(srv, password, err)) == NULL) {
		mailimap_logout(imap);
		mailimap_free(imap);
		return NULL;
	}
	r = mailimap_login(imap, srv->user, pw);
	wipe_free(pw);
	if (r != MAILIMAP_NO_ERROR) {
		g_autofree char *said = imap->imap_response != NULL ?
		    g_strescape(imap->imap_response, NULL) : NULL;

		g_set_error(err, GUICHET_ERROR, imap_code(r), "imap %s:%d: login as %s: %s%s%s%s",
		    srv->host, srv->port, srv->user, net_imap_strerror(r),
		    said != NULL ? " (server said: \"" : "", said != NULL ? said : "",
		    said != NULL ? "\")" : "");
		mailimap_free(imap);
		return NULL;
	}
	return imap;
}

/* "NNN text" of the last SMTP answer, escaped for a log line. */
static char *
smtp_said(mailsmtp *s)
{
	g_autofree char *copy = NULL, *text = NULL;

	if (s->response == NULL || *s->response == '\0')
		return g_strdup_printf("%d", s->response_code);
	copy = g_strchomp(g_strdup(s->response));
	text = g_strescape(copy, NULL);
	return g_strdup_printf("%d %s", s->response_code, text);
}

static gboolean
helo_ok(const char *name)
{
	const char *p;

	if (name == NULL || *name == '\0' || strlen(name) > 255)
		return FALSE;
	for (p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && strchr(".-_[]:", *p) == NULL)
			return FALSE;
	return TRUE;
}

/*
 * EHLO with our own name: libetpan's mailesmtp_ehlo() always sends the
 * system host name.  The answer's extensions set the same session flags
 * libetpan would (STARTTLS, AUTH mechanisms, SIZE, 8BITMIME, DSN).
 */
static int
ehlo_named(mailsmtp *s, const char *name)
{
	g_autofree char *cmd = g_strdup_printf("EHLO %s\r\n", name);
	MMAPString *line;
	gboolean more = TRUE;
	int code = 0;

	if (mailstream_write(s->stream, cmd, strlen(cmd)) == -1 ||
	    mailstream_flush(s->stream) == -1)
		return MAILSMTP_ERROR_STREAM;
	if ((line = mmap_string_new("")) == NULL)
		return MAILSMTP_ERROR_MEMORY;
	s->esmtp = MAILSMTP_ESMTP;
	s->auth = MAILSMTP_AUTH_CHECKED;
	while (more) {
		const char *kw;

		mmap_string_truncate(line, 0);
		if (mailstream_read_line_remove_eol(s->stream, line) == NULL || line->len < 3 ||
		    !g_ascii_isdigit(line->str[0])) {
			mmap_string_free(line);
			s->response_code = 0;
			return MAILSMTP_ERROR_STREAM;
		}
		code = atoi(line->str);
		more = line->len > 3 && line->str[3] == '-';
		kw = line->len > 4 ? line->str + 4 : "";
		if (g_ascii_strcasecmp(kw, "STARTTLS") == 0)
			s->esmtp |= MAILSMTP_ESMTP_STARTTLS;
		else if (g_ascii_strcasecmp(kw, "8BITMIME") == 0)
			s->esmtp |= MAILSMTP_ESMTP_8BITMIME;
		else if (g_ascii_strcasecmp(kw, "DSN") == 0)
			s->esmtp |= MAILSMTP_ESMTP_DSN;
		else if (g_ascii_strncasecmp(kw, "SIZE", 4) == 0 && (kw[4] == ' ' || kw[4] == '\0')) {
			s->esmtp |= MAILSMTP_ESMTP_SIZE;
			s->smtp_max_msg_size = kw[4] ? strtoul(kw + 5, NULL, 10) : 0;
		} else if (g_ascii_strncasecmp(kw, "AUTH", 4) == 0 && (kw[4] == ' ' || kw[4] == '=')) {
			g_auto(GStrv) mechs = g_strsplit_set(kw + 5, " ", -1);

			for (char **m = mechs; *m; m++) {
				if (g_ascii_strcasecmp(*m, "PLAIN") == 0)
					s->auth |= MAILSMTP_AUTH_PLAIN;
				else if (g_ascii_strcasecmp(*m, "LOGIN") == 0)
					s->auth |= MAILSMTP_AUTH_LOGIN;
				else if (g_ascii_strcasecmp(*m, "CRAM-MD5") == 0)
					s->auth |= MAILSMTP_AUTH_CRAM_MD5;
				else if (g_ascii_strcasecmp(*m, "DIGEST-MD5") == 0)
					s->auth |= MAILSMTP_AUTH_DIGEST_MD5;
			}
		}
	}
	mmap_string_free(line);
	s->response_code = code;
	if (code == 250)
		return MAILSMTP_NO_ERROR;
	s->esmtp = 0;
	return code == 500 || code == 502 ? MAILSMTP_ERROR_NOT_IMPLEMENTED :
	    MAILSMTP_ERROR_UNEXPECTED_CODE;
}

static int
smtp_ehlo(mailsmtp *s, const char *helo)
{
	int r;

	r = helo_ok(helo) ? ehlo_named(s, helo) : mailesmtp_ehlo(s);
	if (r == MAILSMTP_ERROR_NOT_IMPLEMENTED)
		r = mailsmtp_helo(s);
	return r;
}

mailsmtp *
net_smtp_connect(const struct server_config *srv, const char *helo, const char *password,
    GError **err)
{
	enum sec sec;
	mailstream *stream;
	mailsmtp *smtp;
	char *pw;
	int r, type;

	net_init();
	if (!security_of(srv, "smtp", &sec, err))
		return NULL;
	smtp = mailsmtp_new(0, NULL);
	if (smtp == NULL) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP, "smtp: out of memory");
		return NULL;
	}
	mailsmtp_set_timeout(smtp, srv->timeout > 0 ? srv->timeout : 60);
	if ((stream = open_stream(srv, sec == SEC_TLS, "smtp", err)) == NULL) {
		mailsmtp_free(smtp);
		return NULL;
	}
	/* mailsmtp_connect closes the stream itself on failure */
	if ((r = mailsmtp_connect(smtp, stream)) != MAILSMTP_NO_ERROR) {
		g_autofree char *said = smtp->response_code > 0 ? smtp_said(smtp) : NULL;

		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP, "smtp %s:%d: cannot connect: %s%s%s",
		    srv->host, srv->port, net_smtp_strerror(r),
		    said != NULL ? ": " : "", said != NULL ? said : "");
		mailsmtp_free(smtp);
		return NULL;
	}
	if ((r = smtp_ehlo(smtp, helo)) != MAILSMTP_NO_ERROR) {
		g_autofree char *said = smtp_said(smtp);

		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP, "smtp %s:%d: EHLO refused: %s",
		    srv->host, srv->port, said);
		mailsmtp_free(smtp);
		return NULL;
	}
	if (sec == SEC_STARTTLS) {
		if (!(smtp->esmtp & MAILSMTP_ESMTP_STARTTLS)) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
			    "smtp %s:%d: the server does not offer STARTTLS", srv->host, srv->port);
			mailsmtp_free(smtp);
			return NULL;
		}
		r = mailsmtp_socket_starttls_with_callback(smtp, sni_callback, srv->host);
		if (r != MAILSMTP_NO_ERROR) {
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
			    "smtp %s:%d: STARTTLS failed: %s", srv->host, srv->port,
			    net_smtp_strerror(r));
			mailsmtp_free(smtp);
			return NULL;
		}
		stream_set_timeout(smtp->stream, srv);
	}
	if (sec != SEC_PLAIN && !net_verify_stream(smtp->stream, srv, "smtp", err)) {
		mailsmtp_free(smtp);
		return NULL;
	}
	if (sec == SEC_STARTTLS && (r = smtp_ehlo(smtp, helo)) != MAILSMTP_NO_ERROR) {
		g_autofree char *said = smtp_said(smtp);

		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP,
		    "smtp %s:%d: EHLO after STARTTLS refused: %s", srv->host, srv->port, said);
		mailsmtp_free(smtp);
		return NULL;
	}
	if (srv->user == NULL || *srv->user == '\0')
		return smtp;

	if (smtp->auth & MAILSMTP_AUTH_PLAIN)
		type = MAILSMTP_AUTH_PLAIN;
	else if (smtp->auth & MAILSMTP_AUTH_LOGIN)
		type = MAILSMTP_AUTH_LOGIN;
	else {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "smtp %s:%d: a user is configured but the server offers no AUTH PLAIN or LOGIN%s",
		    srv->host, srv->port, sec == SEC_PLAIN ? " (some servers offer AUTH only after TLS)" : "");
		mailsmtp_quit(smtp);
		mailsmtp_free(smtp);
		return NULL;
	}
	if ((pw = password_for(srv, password, err)) == NULL) {
		mailsmtp_quit(smtp);
		mailsmtp_free(smtp);
		return NULL;
	}
	sasl_init();
	r = mailsmtp_auth_type(smtp, srv->user, pw, type);
	wipe_free(pw);
	if (r != MAILSMTP_NO_ERROR) {
		g_autofree char *said = smtp->response_code > 0 ? smtp_said(smtp) : NULL;
		gboolean temp = r == MAILSMTP_ERROR_STREAM ||
		    r == MAILSMTP_ERROR_AUTH_TEMPORARY_FAILTURE ||
		    (smtp->response_code >= 400 && smtp->response_code < 500);

		g_set_error(err, GUICHET_ERROR, temp ? GUICHET_ERROR_TEMP : GUICHET_ERROR_CONFIG,
		    "smtp %s:%d: login as %s: %s%s%s%s", srv->host, srv->port, srv->user,
		    net_smtp_strerror(r), said != NULL ? " (server said: \"" : "",
		    said != NULL ? said : "", said != NULL ? "\")" : "");
		if (r == MAILSMTP_ERROR_AUTH_LOGIN && smtp->response == NULL)
			g_prefix_error(err, "(is libsasl2-modules installed?) ");
		mailsmtp_free(smtp);
		return NULL;
	}
	return smtp;
}

static gboolean
check_smtp(const struct config *cfg, GError **err)
{
	mailsmtp *smtp;

	smtp = net_smtp_connect(&cfg->smtp, cfg->helo, NULL, err);
	if (smtp == NULL)
		return FALSE;
	printf("smtp %s:%d: ok (%s%s%s)\n", cfg->smtp.host, cfg->smtp.port,
	    cfg->smtp.security != NULL ? cfg->smtp.security : "tls",
	    cfg->smtp.verify && strcmp(cfg->smtp.security ? cfg->smtp.security : "tls", "plain") != 0 ?
	    ", certificate verified" : "",
	    cfg->smtp.user != NULL && *cfg->smtp.user ? ", logged in" : "");
	mailsmtp_quit(smtp);
	mailsmtp_free(smtp);
	return TRUE;
}

static gboolean
check_imap(const struct config *cfg, GError **err)
{
	const char *folder = cfg->imap_folder != NULL ? cfg->imap_folder : "INBOX";
	mailimap *imap;
	int r;

	imap = net_imap_connect(&cfg->imap, NULL, err);
	if (imap == NULL)
		return FALSE;
	r = mailimap_examine(imap, folder);
	if (r != MAILIMAP_NO_ERROR) {
		g_set_error(err, GUICHET_ERROR, imap_code(r), "imap %s:%d: folder \"%s\": %s",
		    cfg->imap.host, cfg->imap.port, folder, net_imap_strerror(r));
		mailimap_logout(imap);
		mailimap_free(imap);
		return FALSE;
	}
	printf("imap %s:%d: ok (%s%s, logged in as %s, folder %s: %u messages)\n",
	    cfg->imap.host, cfg->imap.port,
	    cfg->imap.security != NULL ? cfg->imap.security : "tls",
	    cfg->imap.verify && strcmp(cfg->imap.security ? cfg->imap.security : "tls", "plain") != 0 ?
	    ", certificate verified" : "", cfg->imap.user, folder,
	    imap->imap_selection_info != NULL ? imap->imap_selection_info->sel_exists : 0);
	mailimap_logout(imap);
	mailimap_free(imap);
	return TRUE;
}

gboolean
net_check_connect(const struct config *cfg, GError **err)
{
	GError *e1 = NULL, *e2 = NULL;
	gboolean ok1, ok2;

	ok1 = check_smtp(cfg, &e1);
	ok2 = check_imap(cfg, &e2);
	fflush(stdout);
	if (ok1 && ok2)
		return TRUE;
	g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s%s%s",
	    e1 != NULL ? e1->message : "", e1 != NULL && e2 != NULL ? "\n" : "",
	    e2 != NULL ? e2->message : "");
	g_clear_error(&e1);
	g_clear_error(&e2);
	return FALSE;
}
