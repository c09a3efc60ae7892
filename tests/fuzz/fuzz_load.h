/* fuzz_load.h: write the input to a private file so file loaders can read it. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib.h>

static char *
fuzz_write(const char *dir, const char *name, const unsigned char *data, size_t len)
{
	char *path = g_build_filename(dir, name, NULL);

	if (!g_file_set_contents(path, (const char *)data, len, NULL)) {
		perror(path);
		abort();
	}
	return path;
}

static const char *
fuzz_dir(void)
{
	static char *dir;

	if (dir == NULL) {
		dir = g_dir_make_tmp("guichet-fuzz-XXXXXX", NULL);
		if (dir == NULL)
			abort();
	}
	return dir;
}
