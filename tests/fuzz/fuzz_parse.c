/* fuzz_parse.c: raw bytes -> parse_request -> language -> JSON, never a crash. */
#include <gmime/gmime.h>
#include "parse.h"
#include "pipeline.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	static int init;
	struct request *r;
	GError *e = NULL;

	if (!init) {
		g_mime_init();
		init = 1;
	}
	r = request_new("fuzz", g_memdup2(data, len), len);
	if (!parse_request(r, 1 << 20, &e))
		g_clear_error(&e);
	else {
		char *t = text_strip_quotes(r->text ? r->text : "");
		g_free(t);
	}
	JsonNode *n = pipeline_to_json(r, TRUE);
	json_node_unref(n);
	request_free(r);
	return 0;
}
