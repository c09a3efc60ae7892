/*
 * cmd.h: sub-commands.  Each takes the global options and its own argv
 * (argv[0] is the command name) and returns the exit status: 0 success,
 * 1 failure the user can fix, 2 usage.
 */
#ifndef GUICHET_CMD_H
#define GUICHET_CMD_H

struct globals {
	const char	*config_path;	/* --config or default */
	const char	*db_path;	/* --db or NULL: the config's store */
	int		 debug;
};

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* arguments, e.g. "[--json] [--dry-run] PATH..." */
	const char	*summary;
	int		(*fn)(struct globals *, int argc, char **argv);
};

#define CMD(name) int cmd_##name(struct globals *, int, char **)
CMD(check); CMD(ingest); CMD(explain); CMD(reclassify); CMD(send); CMD(run);
CMD(digest); CMD(list); CMD(show); CMD(close); CMD(note); CMD(label);
CMD(log); CMD(stats); CMD(export); CMD(report); CMD(purge); CMD(access);
CMD(forget); CMD(schedule); CMD(migrate); CMD(setup); CMD(seen);
CMD(learn); CMD(promote); CMD(demote);
#undef CMD

/* Print "usage: guichet NAME ARGS" to stderr; returns 2. */
int	cmd_usage(const char *name);

/* Shared by commands: load setup and open the store (creating it). */
struct setup;
struct store;
int	cmd_open(struct globals *, struct setup **, struct store **, int store_flags);

#endif
