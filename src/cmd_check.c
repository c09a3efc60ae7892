/*
 * cmd_check.c: `guichet check [--connect] [--strict]`.  Loads the configuration,
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
#include "claim.h"
#include "cmd.h"
#include "config.h"
#include "net.h"
#include "probe.h"
#include "setup.h"

/*
 * Every problem names the line of guichet.conf it comes from: a warning
 * (the installation works but is weaker than it should be; --strict makes
 * it an error) or an error (exit 1).
 */
struct checker {
	const struct config *cfg;
	int		 nwarn;
	int		 bad;
	gboolean	 strict;
};

static void
problem(struct checker *c, gboolean error, const char *section, const char *key,
    const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static void
problem(struct checker *c, gboolean error, const char *section, const char *key,
    const char *fmt, ...)
{
	va_list ap;

	error = error || c->strict;
	fprintf(stderr, "%s:%d: %s", c->cfg->path, config_line(c->cfg, section, key),
	    error ? "" : "warning: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (error)
		c->bad++;
	else
		c->nwarn++;
}

/* A file or folder holding personal data must be private to its owner. */
static void
check_private(struct checker *c, const char *path, gboolean dir)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return;
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		problem(c, FALSE, "paths", "store",
		    "%s is mode %04o: others may read personal data (chmod %s %s)",
		    path, (unsigned)(st.st_mode & 07777), dir ? "700" : "600", path);
}

static void
check_store(struct checker *c, const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	struct stat st;

	if (stat(dir, &st) != 0) {
		problem(c, FALSE, "paths", "store", "store folder %s: %s (create it with mode 0700)", dir,
		    g_strerror(errno));
		return;
	}
	if (stat(path, &st) != 0) {
		if (access(dir, W_OK) != 0)
			problem(c, FALSE, "paths", "store",
			    "store %s does not exist and %s is not writable", path, dir);
		return;
	}
	check_private(c, path, FALSE);
	for (const char *const *sfx = (const char *const[]){ "-wal", "-shm", "-journal", NULL };
	    *sfx != NULL; sfx++) {
		g_autofree char *f = g_strconcat(path, *sfx, NULL);

		check_private(c, f, FALSE);
	}
	/* A system folder like /tmp is not the store's own: skip it. */
	if (stat(dir, &st) == 0 && !(st.st_mode & S_ISVTX))
		check_private(c, dir, TRUE);
}

/* Who holds the mailbox (claim.h): printed, never changed. */
static gboolean
report_claim(const struct config *cfg, GError **err)
{
	struct imap *im = imap_open(cfg, err);
	g_autoptr(ClaimHolder) h = NULL;

	if (im == NULL)
		return FALSE;
	if (!claim_read(im, cfg, NULL, &h, err)) {
		imap_close(im);
		return FALSE;
	}
	imap_close(im);
	if (h == NULL)
		printf("imap claim: none (no guichet holds %s; %s has no live claim)\n",
		    cfg->imap_folder, cfg->imap_claim_folder);
	else {
		g_autofree char *who = claim_describe(h, g_get_real_time() / G_USEC_PER_SEC);

		printf("imap claim: %s is held by guichet %s\n", cfg->imap_folder, who);
	}
	return TRUE;
}

/* A secret file must exist to connect (warning), and must be private (error). */
static void
check_secret(struct checker *c, const char *section, const char *key, const char *path)
{
	struct stat st;

	if (path == NULL)
		return;
	if (stat(path, &st) != 0) {
		problem(c, FALSE, section, key, "%s.%s %s: %s", section, key, path,
		    g_strerror(errno));
		return;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		problem(c, TRUE, section, key, "%s.%s %s is mode %04o: group or others can "
		    "read it, guichet refuses it (chmod 600 %s)", section, key, path,
		    (unsigned)(st.st_mode & 07777), path);
}

static void
check_server(struct checker *c, const char *name, const struct server_config *s)
{
	if (s->ca_file != NULL && access(s->ca_file, R_OK) != 0)
		problem(c, FALSE, name, "ca_file", "%s.ca_file %s: %s", name, s->ca_file,
		    g_strerror(errno));
	if (!s->verify)
		problem(c, FALSE, name, "verify",
		    "%s.verify is false: the server's certificate is not checked", name);
	check_secret(c, name, "password_file", s->password_file);
}

/*
 * Would commands by mail be trusted?  The authserv-id the server puts on
 * top of the newest messages against commands.authserv_id.
 */
static gboolean
check_commands(struct checker *c, GError **err)
{
	const char *want = c->cfg->command_authserv_id;
	struct authserv_sample a;
	guint n;

	if (!probe_authserv_id(c->cfg, &a, err))
		return FALSE;
	n = want != NULL ? GPOINTER_TO_UINT(g_hash_table_lookup(a.seen, want)) : 0;
	if (want != NULL && n > 0)
		printf("commands by mail: \"%s\" vouches on top of %u of the %u newest "
		    "messages: commands from a delegate address it authenticated are trusted\n",
		    want, n, a.looked);
	else if (a.looked == 0)
		printf("commands by mail: %s is empty, nothing to compare commands.authserv_id "
		    "with yet\n", a.folder);
	else if (want != NULL)
		problem(c, FALSE, "commands", "authserv_id", "commands.authserv_id \"%s\" is "
		    "on none of the %u newest messages%s%s%s: commands by mail would be refused",
		    want, a.looked, a.best != NULL ? " (the server writes \"" : "",
		    a.best != NULL ? a.best : "", a.best != NULL ? "\")" : "");
	else if (c->cfg->command_secret_file == NULL)
		problem(c, FALSE, "commands", NULL, "no commands.authserv_id nor secret_file: "
		    "commands by mail are refused%s%s%s", a.best != NULL ?
		    " (the server writes authserv_id = \"" : "", a.best != NULL ? a.best : "",
		    a.best != NULL ? "\")" : "");
	probe_authserv_clear(&a);
	return TRUE;
}

int
cmd_check(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connect", no_argument, NULL, 'c' },
		{ "strict",  no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct setup *s;
	GError *err = NULL;
	gboolean connect = FALSE, strict = FALSE;
	struct checker c = { 0 };
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': connect = TRUE; break;
		case 's': strict = TRUE; break;
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
	c.cfg = s->cfg;
	c.strict = strict;
	check_store(&c, g->db_path != NULL ? g->db_path : s->cfg->store_path);
	check_server(&c, "imap", &s->cfg->imap);
	check_server(&c, "smtp", &s->cfg->smtp);
	check_secret(&c, "commands", "secret_file", s->cfg->command_secret_file);
	if (c.bad > 0) {
		fprintf(stderr, "%d problem%s%s\n", c.bad, c.bad > 1 ? "s" : "",
		    strict ? " (--strict: warnings count as errors)" : "");
		setup_free(s);
		return 1;
	}
	printf("configuration OK%s\n", c.nwarn > 0 ? " (with warnings)" : "");
	if (connect) {
		net_init();
		if (!net_check_connect(s->cfg, &err) || !check_commands(&c, &err) ||
		    !report_claim(s->cfg, &err)) {
			fprintf(stderr, "%s\n", err->message);
			g_error_free(err);
			setup_free(s);
			return 1;
		}
		if (c.bad > 0) {
			setup_free(s);
			return 1;
		}
	}
	setup_free(s);
	return 0;
}
