/*
 * rawz.h: the raw mail as the store keeps it: one zstd frame (level 3).
 * Mail compresses three to five times (its text parts, base64 a third),
 * so the store writes the raw bytes once and small (issue 20).  No I/O.
 *
 * All memory returned belongs to the caller unless stated otherwise.
 */
#ifndef GUICHET_RAWZ_H
#define GUICHET_RAWZ_H

#include <glib.h>

/* Codecs of messages.raw (column raw_codec). */
#define RAWZ_PLAIN	0	/* the bytes as received (rows stored before schema step 10) */
#define RAWZ_ZSTD	1	/* one zstd frame */

struct rawz;

struct rawz	*rawz_new(void);
void		 rawz_free(struct rawz *);

/*
 * Compress len bytes.  The result (*out, *outlen) belongs to z and stays
 * valid until the next call; NULL when compression failed (then keep the
 * bytes plain).
 */
const void	*rawz_pack(struct rawz *z, const void *raw, gsize len, gsize *outlen);

/*
 * The bytes of a stored value: a copy of data for RAWZ_PLAIN, the
 * decompressed frame for RAWZ_ZSTD (g_free; NUL-terminated beyond *outlen).
 * NULL with err on a damaged frame or an unknown codec.
 */
guint8		*rawz_unpack(int codec, const void *data, gsize len, gsize *outlen, GError **err);

#endif
