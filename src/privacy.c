/*
 * privacy.c: `guichet purge` (retention periods) and `guichet forget`
 * (erasure on request).  Both clear personal columns in one transaction,
 * keep labels, times and row counts (so every statistic is unchanged),
 * then VACUUM and truncate the WAL.  `access` lives in privacy_access.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "privacy.h"
#include "privacy_int.h"
#include "setup.h"

#define DAY	86400

gboolean
privacy_purge(struct store *st, const struct config *cfg, gint64 now,
    gboolean dry_run, GString *report, GError **err)
{
	gint64 cut[STORE_CUT_N];

	cut[STORE_CUT_TEXT] = now - (gint64)cfg->retention_text_days * DAY;
	cut[STORE_CUT_PSEUDO] = now - (gint64)cfg->retention_pseudonymise_days * DAY;
	cut[STORE_CUT_QUARANTINE] = now - (gint64)cfg->retention_quarantine_days * DAY;
	return store_purge(st, cut, now, dry_run, report, err);
}

int
cmd_purge(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct setup *setup;
	struct store *st;
	g_autoptr(GString) report = g_string_new(NULL);
	GError *err = NULL;
	gboolean dry_run = FALSE, ok;
	int ch;

	optind = 0;	/* also called by the daemon, after other commands */
	while ((ch = getopt_long(argc, argv, "n", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': dry_run = TRUE; break;
		default: return cmd_usage("purge");
		}
	}
	if (optind != argc)
		return cmd_usage("purge");
	if (cmd_open(g, &setup, &st, 0) != 0)
		return 1;
	ok = privacy_purge(st, setup->cfg, g_get_real_time() / G_USEC_PER_SEC,
	    dry_run, report, &err);
	fputs(report->str, stdout);
	if (!ok) {
		fprintf(stderr, "guichet: purge: %s\n", err->message);
		g_error_free(err);
	}
	store_close(st);
	setup_free(setup);
	return ok ? 0 : 1;
}

/* A fresh random key: the forgotten sender still counts once, unlinkably. */
static char *
random_key(void)
{
	GString *k = g_string_sized_new(64);

	for (int i = 0; i < 8; i++)
		g_string_append_printf(k, "%08x", g_random_int());
	return g_string_free(k, FALSE);
}

static int
forget(struct store *st, const char *addr, gboolean yes)
{
	static const char *const what[STORE_FORGET_N] = {
		"requests", "messages", "outgoing mails", "events", "time log entries"
	};
	g_autofree char *key = store_sender_key(st, addr);
	g_autofree char *newkey = random_key();
	g_autofree char *refs = NULL;
	gint64 n[STORE_FORGET_N], total = 0;
	GError *err = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;

	if (!store_forget_begin(st, addr, key, n, &err))
		goto fail;
	for (gsize i = 0; i < 3; i++)
		total += n[i];
	if (total == 0) {
		store_rollback(st);
		printf("nothing stored about %s\n", addr);
		return 0;
	}
	refs = store_forget_refs(st);
	printf("%s %s:\n", yes ? "erased for good about" : "would erase for good about", addr);
	for (gsize i = 0; i < STORE_FORGET_N; i++)
		printf("  %" G_GINT64_FORMAT " %s%s%s\n", n[i], what[i],
		    i == 0 && *refs ? ": " : "", i == 0 ? refs : "");
	printf("labels and times stay, so statistics are unchanged.\n");
	if (!yes) {
		store_rollback(st);
		printf("run `guichet forget %s --yes` to erase them.\n", addr);
		return 1;
	}
	if (!store_forget_erase(st, newkey, now, n[0] > 0, &err))
		goto fail;
	if (!store_compact(st, &err)) {
		fprintf(stderr, "guichet: forget: %s\n", err->message);
		g_error_free(err);
		return 1;
	}
	return 0;
fail:
	store_rollback(st);
	fprintf(stderr, "guichet: forget: %s\n", err != NULL ? err->message : "store error");
	g_clear_error(&err);
	return 1;
}

/* The address as matched: trimmed, without <>, lower case; NULL if not one. */
char *
privacy_address(const char *arg)
{
	g_autofree char *a = g_strstrip(g_strdup(arg));
	size_t n = strlen(a);

	if (n > 2 && a[0] == '<' && a[n - 1] == '>') {
		a[n - 1] = '\0';
		memmove(a, a + 1, n - 1);
	}
	if (strchr(a, '@') == NULL || strpbrk(a, " \t\r\n<>") != NULL)
		return NULL;
	return g_utf8_strdown(a, -1);
}

int
cmd_forget(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 }
	};
	struct setup *setup;
	struct store *st;
	g_autofree char *addr = NULL;
	gboolean yes = FALSE;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "y", opts, NULL)) != -1) {
		switch (ch) {
		case 'y': yes = TRUE; break;
		default: return cmd_usage("forget");
		}
	}
	if (optind + 1 != argc)
		return cmd_usage("forget");
	if ((addr = privacy_address(argv[optind])) == NULL) {
		fprintf(stderr, "guichet: forget: '%s' is not an e-mail address\n", argv[optind]);
		return 1;
	}
	if (cmd_open(g, &setup, &st, 0) != 0)
		return 1;
	rc = forget(st, addr, yes);
	store_close(st);
	setup_free(setup);
	return rc;
}
