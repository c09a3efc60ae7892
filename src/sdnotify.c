/*
 * sdnotify.c: sd_notify(3) without libsystemd (see sdnotify.h).  The
 * protocol is the one systemd documents: the state string as one datagram
 * (no terminating NUL) to $NOTIFY_SOCKET, a file system path or, starting
 * with '@', an abstract socket name; the manager learns the sender's pid
 * from the socket's credentials.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "sdnotify.h"

int
sdnotify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	socklen_t salen;
	gsize n;
	ssize_t k;
	int fd, saved;

	if (path == NULL || *path == '\0')
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof sa.sun_path)
		return -EAFNOSUPPORT;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract: the name has no NUL after it */
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (path[0] == '/'));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	do
		k = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
	while (k < 0 && errno == EINTR);
	saved = errno;
	close(fd);
	return k < 0 ? -saved : 1;
}

int
sdnotifyf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	rc = sdnotify(s);
	g_free(s);
	return rc;
}

int
sdnotify_watchdog(guint64 *usec)
{
	const char *u = getenv("WATCHDOG_USEC"), *p = getenv("WATCHDOG_PID");
	char *end;
	guint64 v;

	if (u == NULL || *u == '\0')
		return 0;
	errno = 0;
	v = g_ascii_strtoull(u, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0)
		return 0;
	if (p != NULL && *p != '\0') {
		guint64 pid = g_ascii_strtoull(p, &end, 10);

		if (*end != '\0' || pid != (guint64)getpid())
			return 0;	/* meant for another process */
	}
	*usec = v;
	return 1;
}
