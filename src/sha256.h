/*
 * sha256.h: SHA-256 in lower-case hex through GnuTLS, whose code uses the
 * CPU's SHA instructions where there are some (about 5 times GLib's
 * GChecksum on the bench machine).  The digests are the same as
 * g_compute_checksum_for_data(G_CHECKSUM_SHA256, ...): stored keys do not
 * change.  Falls back to GChecksum when GnuTLS refuses the algorithm.
 */
#ifndef GUICHET_SHA256_H
#define GUICHET_SHA256_H

#include <glib.h>

struct sha256;

/* Whole buffer at once; g_free the result. */
char		*sha256_hex(const void *data, gsize len);

/* Streaming: new, update..., then finish (frees the state). */
struct sha256	*sha256_new(void);
void		 sha256_update(struct sha256 *, const void *data, gsize len);
char		*sha256_finish(struct sha256 *);

#endif
