/*
 * reclassify.c: `guichet reclassify --since DATE [--dry-run]`: applies the
 * current rules to requests already stored.  Stored labels are history:
 * nothing changes them unless this command is run.  A request whose labels
 * the delegate corrected by hand (a 'label' event) keeps them; one whose
 * text was purged cannot be read again and is left as it is.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "classify.h"
#include "lang.h"
#include "learn.h"
#include "pipeline.h"
#include "setup.h"
#include "store.h"
#include "viewfmt.h"
#include "vocab.h"

/* The labels in the store's order (store_request.h). */
#define L_N	STORE_NLABELS
static const char *const lab_cols[L_N] = {
	"domain", "topic", "requester", "commune", "language", "urgent"
};

struct reclass {
	struct store	*st;
	struct setup	*setup;
	struct langid	*lang;
	struct lmodel	*model;		/* NULL: the rules alone */
	gboolean	 dry_run;
	gint64		 now;
	int		 seen, changed, manual, purged;
};

/* Label the raw bytes of a request's first message as the pipeline does, into new[]. */
static gboolean
classify_raw(struct reclass *rc, const void *raw, int len, char *nw[L_N])
{
	struct pipeline p = { .setup = rc->setup, .store = NULL, .lang = rc->lang,
	    .model = rc->model };
	struct request *r = request_new("reclassify", g_memdup2(raw, len), len);
	gboolean ok = pipeline_label(&p, r);

	if (ok) {
		nw[SL_DOMAIN] = g_strdup(r->domain ? r->domain : VOCAB_DOMAIN_DEFAULT);
		nw[SL_TOPIC] = g_strdup(r->topic);
		nw[SL_REQUESTER] = g_strdup(r->requester ? r->requester : VOCAB_REQUESTER_DEFAULT);
		nw[SL_COMMUNE] = g_strdup(r->commune);
		nw[SL_LANGUAGE] = g_strdup(r->language ? r->language : VOCAB_LANGUAGE_UNKNOWN);
		nw[SL_URGENT] = g_strdup(r->urgent ? "1" : "0");
	}
	request_free(r);
	return ok;
}

static gboolean
update(struct reclass *rc, gint64 id, char *nw[L_N], const char *detail, GError **err)
{
	char *v[STORE_NLABELS];

	for (int i = 0; i < SL_URGENT; i++)
		v[i] = nw[i];
	v[SL_URGENT] = strcmp(nw[SL_URGENT], "1") == 0 ? "yes" : "no";
	if (!store_request_set_labels(rc->st, id, v, rc->now, err))
		return FALSE;
	return store_event(rc->st, id, "reclassify", detail, rc->now, err);
}

static gboolean
reclassify(struct reclass *rc, gint64 since, GError **err)
{
	struct store_cursor *s = store_reclassify_requests(rc->st, since, err);
	gboolean ok = TRUE;

	if (s == NULL)
		return FALSE;
	while (ok && store_next(s)) {
		gint64 id = store_int64(s, 0);
		const char *ref = store_text(s, 1);
		char *old[L_N], *nw[L_N] = { NULL };
		const void *raw;
		gsize rawlen;
		g_autoptr(GString) detail = g_string_new(NULL);

		rc->seen++;
		if (store_int(s, 9)) {
			rc->manual++;
			continue;
		}
		if (store_null(s, 8)) {
			rc->purged++;
			continue;
		}
		for (int i = 0; i < L_N; i++)
			old[i] = g_strdup(store_text(s, 2 + i));
		raw = store_blob(s, 8, &rawlen);
		if (classify_raw(rc, raw, rawlen, nw)) {
			for (int i = 0; i < L_N; i++)
				if (g_strcmp0(old[i], nw[i]) != 0)
					g_string_append_printf(detail, "%s%s: %s -> %s",
					    detail->len ? ", " : "", lab_cols[i],
					    old[i] ? old[i] : "-", nw[i] ? nw[i] : "-");
			if (detail->len > 0) {
				rc->changed++;
				printf("%s  %s\n", ref, detail->str);
				if (!rc->dry_run)
					ok = update(rc, id, nw, detail->str, err);
			}
		}
		for (int i = 0; i < L_N; i++) {
			g_free(old[i]);
			g_free(nw[i]);
		}
	}
	if (!store_cursor_end(s, ok ? err : NULL))
		ok = FALSE;
	return ok;
}

int
cmd_reclassify(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct reclass rc = { 0 };
	const char *since = NULL;
	gint64 from = 0;
	GError *e = NULL;
	GTimeZone *tz;
	int ch, ret;

	while ((ch = getopt_long(argc, argv, "s:n", opts, NULL)) != -1) {
		switch (ch) {
		case 's': since = optarg; break;
		case 'n': rc.dry_run = TRUE; break;
		default: return cmd_usage(argv[0]);
		}
	}
	if (since == NULL || optind != argc)
		return cmd_usage(argv[0]);
	if ((ret = cmd_open(g, &rc.setup, &rc.st, 0)) != 0)
		return ret;
	rc.now = g_get_real_time() / G_USEC_PER_SEC;
	tz = view_tz(rc.setup->cfg);
	if (!view_parse_time(since, tz, FALSE, rc.now, &from, &e) ||
	    (rc.lang = langid_new(&e)) == NULL) {
		g_printerr("guichet: reclassify: %s\n", e->message);
		g_error_free(e);
		g_time_zone_unref(tz);
		store_close(rc.st);
		setup_free(rc.setup);
		return 1;
	}
	g_time_zone_unref(tz);
	rc.model = learn_model_for(rc.setup, g->db_path, rc.st);
	ret = 0;
	if (store_begin(rc.st, &e) && reclassify(&rc, from, &e)) {
		if (rc.dry_run)
			store_rollback(rc.st);
		else if (!store_commit(rc.st, TRUE, &e))
			ret = 1;
	} else {
		store_rollback(rc.st);
		ret = 1;
	}
	if (ret != 0) {
		g_printerr("guichet: reclassify: %s\n", e ? e->message : "failed");
		g_clear_error(&e);
	}
	if (ret == 0)
		printf("%d requests read, %d relabelled%s, %d kept (labels corrected by hand), "
		    "%d left (text purged)\n", rc.seen, rc.changed,
		    rc.dry_run ? " (dry run: nothing changed)" : "", rc.manual, rc.purged);
	langid_free(rc.lang);
	model_free(rc.model);
	store_close(rc.st);
	setup_free(rc.setup);
	return ret;
}
