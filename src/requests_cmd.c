/*
 * requests_cmd.c: the command-line doors to the action table: list, show,
 * close, note, label, log add|list.  Options become the KEY=VALUE words
 * of the verbs, so the command line and commands by mail validate alike.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "actions.h"
#include "cmd.h"
#include "store.h"

/* Open, run verb with words, print, close: the exit status. */
static int
run(struct globals *g, const char *verb, GPtrArray *words)
{
	const struct action *a = action_find(verb);
	struct setup *setup = NULL;
	struct store *st = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	GError *e = NULL;
	int rc;

	if ((rc = cmd_open(g, &setup, &st, a->writes ? 0 : STORE_READONLY)) != 0)
		return rc;
	if (!action_run(st, setup, verb, (int)words->len, (char **)words->pdata, out, &e)) {
		g_printerr("guichet %s: %s\n", verb, e->message);
		rc = e->code == GUICHET_ERROR_USAGE ? 2 : 1;
		g_error_free(e);
	}
	fputs(out->str, stdout);
	store_close(st);
	setup_free(setup);
	return rc;
}

/* Turn --name VALUE into the word "key=VALUE" (freed with words). */
static void
kv(GPtrArray *words, const char *key, const char *value)
{
	g_ptr_array_add(words, g_strdup_printf("%s=%s", key, value));
}

int
cmd_list(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "domain", required_argument, NULL, 'd' },
		{ "since",  required_argument, NULL, 'S' },
		{ "limit",  required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
	int ch;

	while ((ch = getopt_long(argc, argv, "s:d:S:n:", opts, NULL)) != -1) {
		switch (ch) {
		case 's': kv(w, "status", optarg); break;
		case 'd': kv(w, "domain", optarg); break;
		case 'S': kv(w, "since", optarg); break;
		case 'n': kv(w, "limit", optarg); break;
		default: return cmd_usage("list");
		}
	}
	if (optind != argc)
		return cmd_usage("list");
	return run(g, "list", w);
}

/* Commands whose words are all positional: show, close, note, label. */
static int
words_cmd(struct globals *g, int argc, char **argv, const char *verb, int min)
{
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
	int ch;

	while ((ch = getopt(argc, argv, "+")) != -1)
		return cmd_usage(argv[0]);
	if (argc - optind < min)
		return cmd_usage(argv[0]);
	for (int i = optind; i < argc; i++)
		g_ptr_array_add(w, g_strdup(argv[i]));
	return run(g, verb, w);
}

int
cmd_show(struct globals *g, int argc, char **argv)
{
	return argc == 2 ? words_cmd(g, argc, argv, "show", 1) : cmd_usage("show");
}

int
cmd_seen(struct globals *g, int argc, char **argv)
{
	return argc == 2 ? words_cmd(g, argc, argv, "seen", 1) : cmd_usage("seen");
}

int
cmd_close(struct globals *g, int argc, char **argv)
{
	return argc == 2 ? words_cmd(g, argc, argv, "close", 1) : cmd_usage("close");
}

int
cmd_promote(struct globals *g, int argc, char **argv)
{
	return argc == 2 || argc == 3 ? words_cmd(g, argc, argv, "promote", 1) :
	    cmd_usage("promote");
}

int
cmd_demote(struct globals *g, int argc, char **argv)
{
	return argc == 2 || argc == 3 ? words_cmd(g, argc, argv, "demote", 1) :
	    cmd_usage("demote");
}

int
cmd_note(struct globals *g, int argc, char **argv)
{
	return words_cmd(g, argc, argv, "note", 2);
}

int
cmd_label(struct globals *g, int argc, char **argv)
{
	return words_cmd(g, argc, argv, "label", 2);
}

int
cmd_log(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "request", required_argument, NULL, 'r' },
		{ "minutes", required_argument, NULL, 'm' },
		{ "kind",    required_argument, NULL, 'k' },
		{ "date",    required_argument, NULL, 'd' },
		{ "note",    required_argument, NULL, 'n' },
		{ "from",    required_argument, NULL, 'f' },
		{ "to",      required_argument, NULL, 't' },
		{ "domain",  required_argument, NULL, 'D' },
		{ "topic",   required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
	const char *minutes = NULL, *kind = NULL;
	gboolean add;
	int ch;

	if (argc < 2 || (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "list") != 0))
		return cmd_usage("log");
	add = strcmp(argv[1], "add") == 0;
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "r:m:k:d:n:f:t:D:T:", opts, NULL)) != -1) {
		if (add != (ch != 'f' && ch != 't') || ch == '?')
			return cmd_usage("log");
		switch (ch) {
		case 'r': kv(w, "request", optarg); break;
		case 'm': minutes = optarg; break;
		case 'k': kind = optarg; break;
		case 'd': kv(w, "date", optarg); break;
		case 'n': kv(w, "note", optarg); break;
		case 'f': kv(w, "from", optarg); break;
		case 't': kv(w, "to", optarg); break;
		case 'D': kv(w, "domain", optarg); break;
		case 'T': kv(w, "topic", optarg); break;
		}
	}
	if (optind != argc)
		return cmd_usage("log");
	if (!add)
		return run(g, "timelog", w);
	if (minutes == NULL || kind == NULL) {
		g_printerr("guichet log add: --minutes and --kind are required\n");
		return cmd_usage("log");
	}
	/* As words the verb checks: the number and the kind, by themselves. */
	if (strchr(minutes, '=') != NULL || strchr(kind, '=') != NULL) {
		g_printerr("guichet log add: bad --minutes or --kind\n");
		return 1;
	}
	g_ptr_array_insert(w, 0, g_strdup(minutes));
	g_ptr_array_insert(w, 1, g_strdup(kind));
	return run(g, "time", w);
}
