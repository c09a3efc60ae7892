/* fuzz_template.c: any bytes as a template: load, then render with every variable. */
#include "template.h"
#include "fuzz_load.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	static const char *const vars[] = { "ref", "sender_name", "received", "subject",
	    "domain", "topic", "delegate_name", "office_hours", "contact", "phone",
	    "answer_days", "org_name", "privacy_controller", "privacy_contact",
	    "retention_days", "partners" };
	char *path = fuzz_write(fuzz_dir(), "ack.fr.txt", data, len);
	GError *e = NULL;
	struct templates *t = templates_load(fuzz_dir(), &e);

	if (t != NULL) {
		GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
		char *subject = NULL, *out;

		for (size_t i = 0; i < G_N_ELEMENTS(vars); i++)
			g_hash_table_insert(h, (gpointer)vars[i], (gpointer)"x\r\nInjected: 1");
		out = template_render(t, "ack", "fr", h, &subject, NULL);
		g_free(out);
		g_free(subject);
		g_hash_table_unref(h);
		templates_free(t);
	}
	g_clear_error(&e);
	g_free(path);
	return 0;
}
