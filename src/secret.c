/*
 * secret.c: passwords and the command secret, read at the moment they are
 * needed from a file private to guichet's user or from a systemd
 * credential, never from guichet.conf.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"

/*
 * Read a secret file: refused when group or others may read it or when it
 * belongs to another user (OpenSMTPD's check_file_secrecy).  Trailing
 * newline stripped.
 */
static char *
read_secret_file(const char *path, gboolean check_mode, GError **err)
{
	struct stat st;
	char buf[4097];
	ssize_t n;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s: %s", path, g_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (check_mode && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s: group or others can access this secret (mode %04o): chmod 600 %s",
		    path, (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return NULL;
	}
	if (check_mode && st.st_uid != geteuid() && st.st_uid != 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s: belongs to another user (uid %u)", path, (unsigned)st.st_uid);
		close(fd);
		return NULL;
	}
	while (len < sizeof(buf) - 1 &&
	    (n = read(fd, buf + len, sizeof(buf) - 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
			    "%s: %s", path, g_strerror(errno));
			close(fd);
			explicit_bzero(buf, sizeof(buf));
			return NULL;
		}
		len += (size_t)n;
	}
	close(fd);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	if (len == 0 || len >= sizeof(buf) - 1 || memchr(buf, '\0', len) != NULL) {
		explicit_bzero(buf, sizeof(buf));
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s: %s", path, len == 0 ? "empty" : "not a password (too long or binary)");
		return NULL;
	}
	char *pw = g_strndup(buf, len);

	explicit_bzero(buf, sizeof(buf));
	return pw;
}

char *
config_read_secret(const struct server_config *s, GError **err)
{
	const char *dir;
	g_autofree char *path = NULL;

	if (s->password_file != NULL)
		return read_secret_file(s->password_file, TRUE, err);
	if (s->password_credential == NULL) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "no password_file or password_credential for %s",
		    s->host != NULL ? s->host : "server");
		return NULL;
	}
	dir = g_getenv("CREDENTIALS_DIRECTORY");
	if (dir == NULL || *dir == '\0') {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "password_credential \"%s\": CREDENTIALS_DIRECTORY is not set "
		    "(start guichet from systemd with LoadCredential=)", s->password_credential);
		return NULL;
	}
	/* systemd makes credentials private to the service: no mode check. */
	path = g_build_filename(dir, s->password_credential, NULL);
	return read_secret_file(path, FALSE, err);
}

char *
config_read_command_secret(const struct config *c, GError **err)
{
	if (c->command_secret_file == NULL)
		return NULL;
	return read_secret_file(c->command_secret_file, TRUE, err);
}
