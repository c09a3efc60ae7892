/* fuzz_html.c: any bytes as HTML -> text. */
#include <glib.h>
#include "parse.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	char *t = html_to_text((const char *)data, len);

	g_free(t);
	return 0;
}
