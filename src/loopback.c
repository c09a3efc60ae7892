/*
 * loopback.c: the one loopback test (loopback.h).  Resolves with
 * getaddrinfo (numeric addresses without a look-up) and compares the
 * addresses, never the spelling.
 */
#include <string.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "loopback.h"

static gboolean
addr_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		if (IN6_IS_ADDR_LOOPBACK(a))
			return TRUE;
		return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
	}
	return FALSE;
}

gboolean
host_is_loopback(const char *host)
{
	struct addrinfo hints, *res = NULL;
	gboolean all = TRUE;
	int n = 0;

	if (host == NULL || *host == '\0')
		return FALSE;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL)
		return FALSE;
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next, n++)
		if (ai->ai_addr == NULL || !addr_is_loopback(ai->ai_addr))
			all = FALSE;
	freeaddrinfo(res);
	return all && n > 0;
}
