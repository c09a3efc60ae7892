/*
 * stubs.c: TEMPORARY weak placeholders so the binary links while modules
 * are written in parallel.  A real (strong) definition in its module
 * replaces each one.  This file is deleted before the foundation lands.
 */
#include <glib.h>
#include "cmd.h"
#include "config.h"
#include "parse.h"
#include "lang.h"
#include "rules.h"
#include "template.h"
#include "decide.h"
#include "reply.h"

#define W __attribute__((weak))
#define NOTYET(err) g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s: not yet built", __func__)

W struct config *config_load(const char *f, GError **e) { NOTYET(e); return NULL; }
W void config_free(struct config *c) { }
W char *config_read_secret(const struct server_config *s, GError **e) { NOTYET(e); return NULL; }
W char *config_read_command_secret(const struct config *c, GError **e) { return NULL; }
W gboolean parse_request(struct request *r, gsize m, GError **e) { NOTYET(e); return FALSE; }
W char *html_to_text(const char *h, gsize l) { return g_strndup(h, l); }
W char *text_strip_quotes(const char *t) { return g_strdup(t); }
W struct langid *langid_new(GError **e) { return (struct langid *)g_malloc(1); }
W void langid_free(struct langid *l) { g_free(l); }
W void langid_detect(struct langid *l, struct request *r, const char *d) { request_set(&r->language, d); }
W struct ruleset *ruleset_load(const char *d, const struct config *c, GError **e) { return (struct ruleset *)g_malloc(1); }
W void ruleset_free(struct ruleset *r) { g_free(r); }
W void ruleset_apply(const struct ruleset *rs, struct request *r) { request_set(&r->reply, "ack"); }
W const struct domain_def *ruleset_domain(const struct ruleset *r, const char *c) { return NULL; }
W const struct topic_def *ruleset_topic(const struct ruleset *r, const char *c) { return NULL; }
W struct templates *templates_load(const char *d, GError **e) { return (struct templates *)g_malloc(1); }
W void templates_free(struct templates *t) { g_free(t); }
W gboolean templates_check_rules(const struct templates *t, const struct ruleset *r, GError **e) { return TRUE; }
W gboolean decide_is_robot(const struct config *c, const struct request *r, const char **why) { return FALSE; }
W void decide_reply(const struct config *c, struct request *r, const struct reply_facts *f) { }
W gboolean reply_build_all(const struct setup *s, const struct request *r, GPtrArray *o, GError **e) { return TRUE; }
W char *header_sanitize(const char *s) { return g_strdup(s ? s : ""); }

#define CMDSTUB(n) W int cmd_##n(struct globals *g, int c, char **v) { g_printerr("guichet: %s: not yet built\n", #n); return 1; }
CMDSTUB(check) CMDSTUB(reclassify) CMDSTUB(send) CMDSTUB(run)
CMDSTUB(digest) CMDSTUB(list) CMDSTUB(show) CMDSTUB(close) CMDSTUB(note) CMDSTUB(label)
CMDSTUB(log) CMDSTUB(stats) CMDSTUB(export) CMDSTUB(report) CMDSTUB(purge) CMDSTUB(access)
CMDSTUB(forget)
