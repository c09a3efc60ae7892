/*
 * rawz.c: compression of the raw mail kept by the store (see rawz.h).
 */
#include <string.h>
#include <zstd.h>
#include "config.h"
#include "rawz.h"

/* Level 1: as small as 3 on mail (its bulk is base64), and faster. */
#define LEVEL	1
/*
 * A window of 64 kB (2^16) instead of level 1's 512 kB: the context's
 * tables and block buffers follow the window, and a context reused after a
 * large message keeps them (issue 20): 583 -> 337 kB after a 338 kB
 * message of the bench corpus.  Mail gains nothing from the longer reach
 * (its bulk is base64 and quoted text close by): the 299 bench messages
 * over 64 kB pack to 34.52 MB instead of 34.58.  The frame says its
 * window; any zstd reads it back.
 */
#define WINDOW_LOG	16
/* Refuse to inflate beyond this: a damaged or hostile frame is no mail. */
#define UNPACK_MAX	((gsize)256 << 20)

struct rawz {
	ZSTD_CCtx	*cctx;		/* reused: its tables are allocated once */
	void		*buf;
	gsize		 cap;
};

struct rawz *
rawz_new(void)
{
	struct rawz *z = g_new0(struct rawz, 1);

	z->cctx = ZSTD_createCCtx();
	/* parameters stay with the context for every ZSTD_compress2 */
	if (z->cctx != NULL &&
	    (ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_compressionLevel, LEVEL)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_windowLog, WINDOW_LOG))))
		g_clear_pointer(&z->cctx, ZSTD_freeCCtx);
	return z;
}

void
rawz_free(struct rawz *z)
{
	if (z == NULL)
		return;
	ZSTD_freeCCtx(z->cctx);
	g_free(z->buf);
	g_free(z);
}

const void *
rawz_pack(struct rawz *z, const void *raw, gsize len, gsize *outlen)
{
	gsize bound = ZSTD_compressBound(len), n;

	if (z->cctx == NULL)
		return NULL;
	/* A large buffer left by one large message is not kept for small ones. */
	if (z->cap > ((gsize)2 << 20) && bound < z->cap / 8) {
		g_clear_pointer(&z->buf, g_free);
		z->cap = 0;
	}
	if (bound > z->cap) {
		g_free(z->buf);
		z->cap = MAX(bound, 64 * 1024);
		z->buf = g_malloc(z->cap);
	}
	n = ZSTD_compress2(z->cctx, z->buf, z->cap, raw, len);
	if (ZSTD_isError(n))
		return NULL;
	*outlen = n;
	return z->buf;
}

guint8 *
rawz_unpack(int codec, const void *data, gsize len, gsize *outlen, GError **err)
{
	unsigned long long size;
	guint8 *out;
	gsize n;

	if (codec == RAWZ_PLAIN) {
		out = g_malloc(len + 1);
		if (len > 0)
			memcpy(out, data, len);
		out[len] = '\0';
		*outlen = len;
		return out;
	}
	if (codec != RAWZ_ZSTD) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
		    "raw mail: unknown codec %d", codec);
		return NULL;
	}
	size = ZSTD_getFrameContentSize(data, len);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > UNPACK_MAX) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
		    "raw mail: damaged compressed frame");
		return NULL;
	}
	out = g_malloc((gsize)size + 1);
	n = ZSTD_decompress(out, (gsize)size, data, len);
	if (ZSTD_isError(n) || n != size) {
		g_free(out);
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE,
		    "raw mail: damaged compressed frame");
		return NULL;
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}
