/*
 * cmd_check.c: `guichet check [--connect]`.  Loads the configuration,
 * rules and templates with the daemon's own loader and prints every
 * problem, or "configuration OK".  Changes nothing: the store is never
 * opened, only its file modes looked at.  --connect also logs in to the
 * SMTP and IMAP servers.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd.h"
#include "config.h"
#include "net.h"
#include "setup.h"

static void
warn(int *n, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
warn(int *n, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "warning: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	(*n)++;
}

/* A file or folder holding personal data must be private to its owner. */
static void
check_private(int *nwarn, const char *path, gboolean dir)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return;
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		warn(nwarn, "%s is mode %04o: others may read personal data (chmod %s %s)",
		    path, (unsigned)(st.st_mode & 07777), dir ? "700" : "600", path);
}

static void
check_store(int *nwarn, const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	struct stat st;

	if (stat(dir, &st) != 0) {
		warn(nwarn, "store folder %s: %s (create it with mode 0700)", dir,
		    g_strerror(errno));
		return;
	}
	if (stat(path, &st) != 0) {
		if (access(dir, W_OK) != 0)
			warn(nwarn, "store %s does not exist and %s is not writable", path, dir);
		return;
	}
	check_private(nwarn, path, FALSE);
	for (const char *const *sfx = (const char *const[]){ "-wal", "-shm", "-journal", NULL };
	    *sfx != NULL; sfx++) {
		g_autofree char *f = g_strconcat(path, *sfx, NULL);

		check_private(nwarn, f, FALSE);
	}
	/* A system folder like /tmp is not the store's own: skip it. */
	if (stat(dir, &st) == 0 && !(st.st_mode & S_ISVTX))
		check_private(nwarn, dir, TRUE);
}

/* A secret file must exist to connect, and must be private (error). */
static int
check_secret(int *nwarn, const char *what, const char *path)
{
	struct stat st;

	if (path == NULL)
		return 0;
	if (stat(path, &st) != 0) {
		warn(nwarn, "%s %s: %s", what, path, g_strerror(errno));
		return 0;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		fprintf(stderr, "%s %s is mode %04o: group or others can read it, "
		    "guichet refuses it (chmod 600 %s)\n", what, path,
		    (unsigned)(st.st_mode & 07777), path);
		return 1;
	}
	return 0;
}

static int
check_server(int *nwarn, const char *name, const struct server_config *s)
{
	g_autofree char *what = g_strdup_printf("%s.password_file", name);

	if (s->ca_file != NULL && access(s->ca_file, R_OK) != 0)
		warn(nwarn, "%s.ca_file %s: %s", name, s->ca_file, g_strerror(errno));
	if (!s->verify)
		warn(nwarn, "%s.verify is false: the server's certificate is not checked",
		    name);
	return check_secret(nwarn, what, s->password_file);
}

int
cmd_check(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connect", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct setup *s;
	GError *err = NULL;
	gboolean connect = FALSE;
	int ch, nwarn = 0, bad = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': connect = TRUE; break;
		default: return cmd_usage("check");
		}
	}
	if (optind != argc)
		return cmd_usage("check");

	if ((s = setup_load(g->config_path, &err)) == NULL) {
		fprintf(stderr, "%s\n", err->message);
		g_error_free(err);
		return 1;
	}
	check_store(&nwarn, g->db_path != NULL ? g->db_path : s->cfg->store_path);
	bad += check_server(&nwarn, "imap", &s->cfg->imap);
	bad += check_server(&nwarn, "smtp", &s->cfg->smtp);
	bad += check_secret(&nwarn, "commands.secret_file", s->cfg->command_secret_file);
	if (bad > 0) {
		setup_free(s);
		return 1;
	}
	printf("configuration OK%s\n", nwarn > 0 ? " (with warnings)" : "");
	if (connect) {
		net_init();
		if (!net_check_connect(s->cfg, &err)) {
			fprintf(stderr, "%s\n", err->message);
			g_error_free(err);
			setup_free(s);
			return 1;
		}
	}
	setup_free(s);
	return 0;
}
