/* fuzz_config.c: any bytes as guichet.conf: an error list or a config, never a crash. */
#include "config.h"
#include "fuzz_load.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	char *path = fuzz_write(fuzz_dir(), "guichet.conf", data, len);
	GError *e = NULL;
	struct config *c = config_load(path, &e);

	if (c != NULL)
		config_free(c);
	g_clear_error(&e);
	g_free(path);
	return 0;
}
