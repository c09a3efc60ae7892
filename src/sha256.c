/* sha256.c: SHA-256 through GnuTLS, GChecksum as a fallback (see sha256.h). */
#include <gnutls/crypto.h>
#include "sha256.h"

struct sha256 {
	gnutls_hash_hd_t	 h;	/* NULL: use sum */
	GChecksum		*sum;
};

static char *
hex(const unsigned char *d, gsize n)
{
	static const char digits[] = "0123456789abcdef";
	char *out = g_malloc(2 * n + 1);

	for (gsize i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}

char *
sha256_hex(const void *data, gsize len)
{
	unsigned char d[32];

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, d) == 0)
		return hex(d, sizeof d);
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
}

struct sha256 *
sha256_new(void)
{
	struct sha256 *s = g_new0(struct sha256, 1);

	if (gnutls_hash_init(&s->h, GNUTLS_DIG_SHA256) != 0) {
		s->h = NULL;
		s->sum = g_checksum_new(G_CHECKSUM_SHA256);
	}
	return s;
}

void
sha256_update(struct sha256 *s, const void *data, gsize len)
{
	if (s->h != NULL)
		gnutls_hash(s->h, data, len);
	else
		g_checksum_update(s->sum, data, len);
}

char *
sha256_finish(struct sha256 *s)
{
	char *out;

	if (s->h != NULL) {
		unsigned char d[32];

		gnutls_hash_deinit(s->h, d);
		out = hex(d, sizeof d);
	} else {
		out = g_strdup(g_checksum_get_string(s->sum));
		g_checksum_free(s->sum);
	}
	g_free(s);
	return out;
}
