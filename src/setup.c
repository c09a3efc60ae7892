/*
 * setup.c: loads configuration, rules and templates as one set, and opens
 * the store for the commands.
 */
#include <unistd.h>
#include "cmd.h"
#include "log.h"
#include "rekind.h"
#include "setup.h"
#include "store.h"

/* Append the message of e (if any) to all, one problem per line. */
static void
collect(GString *all, GError *e)
{
	if (e == NULL)
		return;
	if (all->len > 0 && all->str[all->len - 1] != '\n')
		g_string_append_c(all, '\n');
	g_string_append(all, e->message);
	g_error_free(e);
}

struct setup *
setup_load(const char *file, GError **err)
{
	struct setup *s = g_new0(struct setup, 1);
	g_autoptr(GString) all = g_string_new(NULL);
	GError *e = NULL;

	if ((s->cfg = config_load(file, &e)) == NULL) {
		g_propagate_error(err, e);
		setup_free(s);
		return NULL;
	}
	/* Rules and templates are both checked so every error shows at once. */
	s->rules = ruleset_load(s->cfg->rules_dir, s->cfg, &e);
	collect(all, e);
	e = NULL;
	s->tpl = templates_load(s->cfg->templates_dir, &e);
	collect(all, e);
	e = NULL;
	if (s->rules != NULL && s->tpl != NULL &&
	    !templates_check_rules(s->tpl, s->rules, &e))
		collect(all, e);
	if (all->len > 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s", all->str);
		setup_free(s);
		return NULL;
	}
	return s;
}

void
setup_free(struct setup *s)
{
	if (s == NULL)
		return;
	if (s->tpl != NULL)
		templates_free(s->tpl);
	if (s->rules != NULL)
		ruleset_free(s->rules);
	if (s->cfg != NULL)
		config_free(s->cfg);
	g_free(s);
}

int
cmd_open(struct globals *g, struct setup **setup, struct store **store, int flags)
{
	GError *e = NULL;
	const char *path;

	*setup = setup_load(g->config_path, &e);
	if (*setup == NULL) {
		g_printerr("%s\n", e->message);
		g_error_free(e);
		return 1;
	}
	if (store == NULL)
		return 0;
	path = g->db_path != NULL ? g->db_path : (*setup)->cfg->store_path;
	if ((flags & STORE_READONLY) && access(path, F_OK) != 0) {
		*store = NULL;		/* nothing stored yet: callers cope */
		return 0;
	}
	/*
	 * A store still to be upgraded (schema, or the kinds of mail stored
	 * before kinds existed) is upgraded first, even for a reading command:
	 * its figures would be wrong otherwise.
	 */
	if (flags & STORE_READONLY && store_needs_upgrade(path) && access(path, W_OK) == 0) {
		struct store *rw = store_open(path, 0, &e);

		if (rw != NULL) {
			store_set_ref_prefix(rw, (*setup)->cfg->region_code);
			if (!rekind_pending(rw, *setup, &e))
				log_warnx("%s: %s", path, e->message);
			g_clear_error(&e);
			store_close(rw);
		}
		g_clear_error(&e);
	}
	*store = store_open(path, flags, &e);
	if (*store != NULL && !(flags & STORE_READONLY)) {
		store_set_ref_prefix(*store, (*setup)->cfg->region_code);
		if (!rekind_pending(*store, *setup, &e)) {
			store_close(*store);
			*store = NULL;
		}
	}
	if (*store == NULL) {
		g_printerr("guichet: %s\n", e->message);
		g_error_free(e);
		setup_free(*setup);
		*setup = NULL;
		return 1;
	}
	store_set_ref_prefix(*store, (*setup)->cfg->region_code);
	return 0;
}
