/*
 * main.c: guichet [--config FILE] [--db FILE] [--debug] COMMAND [ARGS]
 * The sub-commands live in one table; each is a function in its own file.
 */
#include <sys/resource.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <gmime/gmime.h>
#include "cmd.h"
#include "config.h"
#include "log.h"

static const struct cmd_entry commands[] = {
	{ "setup",	"[--force] [--template FILE] [--credentials DIR]", "first run: ask, try the servers, write the configuration", cmd_setup },
	{ "check",	"[--connect] [--strict]", "validate configuration, rules and templates", cmd_check },
	{ "ingest",	"[--json] [--dry-run] PATH...", "process .eml files, folders and Maildirs", cmd_ingest },
	{ "explain",	"[--json] [--reply] FILE...", "show how messages would be labelled and answered (--reply: the mails)", cmd_explain },
	{ "reclassify",	"--since DATE [--dry-run]", "apply the current rules to stored requests", cmd_reclassify },
	{ "learn",	"", "retrain the learned model from the examples and corrections", cmd_learn },
	{ "send",	"[--all]", "drain the outbox over SMTP once", cmd_send },
	{ "run",	"[--once]", "watch the mailbox and answer (the daemon)", cmd_run },
	{ "digest",	"[--since TIME] [--stdout | --send]", "the delegate's daily digest", cmd_digest },
	{ "list",	"[--status S] [--domain D] [--since DATE]", "list requests", cmd_list },
	{ "show",	"REF", "a request with its messages and events", cmd_show },
	{ "close",	"REF", "close a request", cmd_close },
	{ "note",	"REF TEXT", "add a note to a request", cmd_note },
	{ "seen",	"REF", "the urgent alert was seen: no reminder", cmd_seen },
	{ "label",	"REF FIELD=VALUE...", "correct a request's labels", cmd_label },
	{ "promote",	"N|REF [accuser]", "count a stored mail (digest number) as a request", cmd_promote },
	{ "demote",	"REF [robot|spam|own|followup]", "stop counting a request", cmd_demote },
	{ "log",	"add|list ...", "counselling interviews and time spent", cmd_log },
	{ "stats",	"[--from DATE] [--to DATE] [--by FIELDS] [--format table|csv|json]", "statistics", cmd_stats },
	{ "export",	"--year YYYY [--format csv|json]", "indicators for the canton, no personal data", cmd_export },
	{ "report",	"--year YYYY -o FILE.html [--comment FILE]", "annual activity report", cmd_report },
	{ "schedule",	"[--now TIME]", "queue the monthly and annual reports now due", cmd_schedule },
	{ "purge",	"[--dry-run]", "apply the retention periods", cmd_purge },
	{ "access",	"ADDRESS [-o FILE]", "everything stored about one sender", cmd_access },
	{ "forget",	"ADDRESS [--yes]", "erase a sender's personal data", cmd_forget },
	{ "migrate",	"", "bring the store's schema up to date (run by the package)", cmd_migrate },
	{ NULL, NULL, NULL, NULL }
};

/* Print a command's usage line; returns 2 for "return cmd_usage(...)". */
int
cmd_usage(const char *name)
{
	for (const struct cmd_entry *c = commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			fprintf(stderr, "usage: guichet %s %s\n", c->name, c->usage);
	return 2;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: guichet [--config FILE] [--db FILE] [--debug] COMMAND [ARGS]\n"
	    "       guichet --help | --version\n\ncommands:\n");
	for (const struct cmd_entry *c = commands; c->name != NULL; c++)
		fprintf(f, "  %-10s %-44s %s\n", c->name, c->usage, c->summary);
	fprintf(f, "\nDefault configuration: %s (see guichet.conf(5), guichet(8)).\n",
	    GUICHET_DEFAULT_CONFIG);
}

/*
 * With GUICHET_PROFILE set (for `make bench`): what the process cost, on
 * stderr at its end, the store closed (its last checkpoint counted): peak
 * RSS, what it wrote (wchar through write(2), write_bytes to the disk) and
 * read from the disk (/proc/self/io), its memory apart from shared
 * libraries now.
 */
static void
profile_report(void)
{
	g_autofree char *io = NULL, *status = NULL;
	struct rusage ru;

	if (g_getenv("GUICHET_PROFILE") == NULL)
		return;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "profile: peak RSS %ld kB\n", ru.ru_maxrss);
	if (g_file_get_contents("/proc/self/io", &io, NULL, NULL)) {
		const char *w = strstr(io, "\nwchar:");
		const char *b = strstr(io, "\nwrite_bytes:");
		const char *rd = strstr(io, "\nread_bytes:");

		if (w != NULL && b != NULL && rd != NULL)
			fprintf(stderr, "profile: I/O written %lld bytes (to disk %lld), "
			    "read from disk %lld\n", strtoll(w + 7, NULL, 10),
			    strtoll(b + 13, NULL, 10), strtoll(rd + 12, NULL, 10));
	}
	if (g_file_get_contents("/proc/self/status", &status, NULL, NULL)) {
		const char *a = strstr(status, "RssAnon:");
		const char *f = strstr(status, "RssFile:");

		if (a != NULL && f != NULL)
			fprintf(stderr, "profile: RSS at exit: anonymous %ld kB, files %ld kB\n",
			    strtol(a + 8, NULL, 10), strtol(f + 8, NULL, 10));
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config",  required_argument, NULL, 'c' },
		{ "db",      required_argument, NULL, 'd' },
		{ "debug",   no_argument,       NULL, 'D' },
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct globals g = { NULL, NULL, 0 };
	const char *env;
	int ch, rc;

	setlocale(LC_ALL, "C.UTF-8");
	signal(SIGPIPE, SIG_IGN);	/* libetpan writes without MSG_NOSIGNAL */
	if ((env = getenv("GUICHET_CONFIG")) != NULL && *env != '\0')
		g.config_path = env;
	/* "+" stops at the first non-option: the command's own options follow. */
	while ((ch = getopt_long(argc, argv, "+c:d:Dh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': g.config_path = optarg; break;
		case 'd': g.db_path = optarg; break;
		case 'D': g.debug = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("guichet %s\n", GUICHET_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (g.config_path == NULL)
		g.config_path = GUICHET_DEFAULT_CONFIG;
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	log_init(g.debug);
	for (const struct cmd_entry *c = commands; c->name != NULL; c++) {
		if (strcmp(c->name, argv[optind]) != 0)
			continue;
		int first = optind;

		g_mime_init();
		optind = 0;	/* commands parse their own options with getopt */
		rc = c->fn(&g, argc - first, argv + first);
		g_mime_shutdown();
		profile_report();
		return rc;
	}
	fprintf(stderr, "guichet: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return 2;
}
