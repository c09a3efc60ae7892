/* test_sha256.c: src/sha256.c gives GLib's SHA-256 hex digests (stored keys must not change). */
#include <glib.h>
#include "tap.h"
#include "sha256.h"

int
main(void)
{
	static const char *const inputs[] = { "", "abc",
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq" };
	gsize big_len = 3 * 65536 + 17;
	guint8 *big = g_malloc(big_len);

	for (gsize i = 0; i < big_len; i++)
		big[i] = (guint8)(i * 31 + (i >> 8));
	for (guint i = 0; i < G_N_ELEMENTS(inputs); i++) {
		g_autofree char *want = g_compute_checksum_for_string(G_CHECKSUM_SHA256, inputs[i], -1);
		g_autofree char *got = sha256_hex(inputs[i], strlen(inputs[i]));

		is_str(got, want, "sha256_hex(\"%.10s...\") equals GLib's", inputs[i]);
	}
	g_autofree char *abc = sha256_hex("abc", 3);

	is_str(abc,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "known digest of \"abc\"");
	{
		g_autofree char *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, big, big_len);
		g_autofree char *whole = sha256_hex(big, big_len);
		struct sha256 *s = sha256_new();
		g_autofree char *streamed = NULL;

		/* uneven pieces, as ingest and the dedup key feed it */
		for (gsize off = 0, step = 1; off < big_len; off += step, step = step * 3 + 7)
			sha256_update(s, big + off, MIN(step, big_len - off));
		streamed = sha256_finish(s);
		is_str(whole, want, "200 KB buffer at once equals GLib's");
		is_str(streamed, want, "the same streamed in uneven pieces equals GLib's");
	}
	g_free(big);
	return tap_done();
}
