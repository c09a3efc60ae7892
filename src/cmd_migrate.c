/*
 * cmd_migrate.c: `guichet migrate`.  Opens the store read-write, which
 * applies the numbered schema steps it lacks in one transaction (store.c),
 * and says which version it found and left.  The package's postinst runs
 * it with the service stopped; with --db it needs no configuration, so it
 * also works before guichet.conf is filled in.
 */
#include <stdio.h>
#include <unistd.h>
#include "cmd.h"
#include "setup.h"
#include "store.h"

int
cmd_migrate(struct globals *g, int argc, char **argv)
{
	struct setup *setup = NULL;
	struct store *st = NULL;
	GError *e = NULL;
	int was, now, rc = 0;

	if (argc != 1)
		return cmd_usage("migrate");
	if (g->db_path != NULL) {
		if (access(g->db_path, F_OK) != 0) {
			printf("%s: no store yet, nothing to migrate\n", g->db_path);
			return 0;
		}
		if ((st = store_open(g->db_path, 0, &e)) == NULL) {
			g_printerr("guichet: %s\n", e->message);
			g_error_free(e);
			return 1;
		}
	} else if ((rc = cmd_open(g, &setup, &st, 0)) != 0)
		return rc;
	now = store_schema_version(st, &was);
	if (was == now)
		printf("store at schema version %d: nothing to migrate\n", now);
	else
		printf("store migrated from schema version %d to %d\n", was, now);
	store_close(st);
	setup_free(setup);
	return 0;
}
