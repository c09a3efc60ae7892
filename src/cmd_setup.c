/*
 * cmd_setup.c: `guichet setup [--force] [--template FILE] [--credentials DIR]`.
 * The first-run helper for the person who installs guichet: asks, on a
 * terminal (or from standard input, one answer per line), for the few
 * things an IT person knows, writes them into the production template
 * (the "FILL IN" values of guichet.conf.in), puts the passwords in the
 * credential files the units load, tries the servers as `check --connect`
 * does, and shows the authserv-id of the Authentication-Results header
 * the mail server adds to real messages in the mailbox, so that commands
 * by mail can be trusted.  The configuration is written 0640 root:guichet,
 * the passwords 0600; an existing file is never replaced without --force.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "cmd.h"
#include "config.h"
#include "hours.h"
#include "net.h"
#include "probe.h"


struct answer {
	const char	*section;
	const char	*key;
	const char	*question;
	const char	*def;		/* NULL: an answer is required */
	gboolean	 secret;	/* read without echo, never written to the file */
	char		*value;
};

enum { A_ORG, A_REGION, A_TITLE, A_DELEGATE, A_CONTACT, A_DAYS, A_FROM, A_TO, A_PLACE,
    A_IMAP_HOST,
    A_IMAP_SEC, A_IMAP_USER, A_IMAP_PW, A_SMTP_HOST, A_SMTP_SEC, A_SMTP_USER,
    A_SMTP_PW, A_CA, A_N };

static struct answer answers[A_N] = {
	[A_ORG] = { "identity", "org_name", "Organisation, as people know it "
	    "(e.g. Commune de Chippis)", NULL, FALSE, NULL },
	[A_REGION] = { "identity", "region_code", "Code of the references, 2 to 5 "
	    "uppercase letters (e.g. CHI)", NULL, FALSE, NULL },
	[A_TITLE] = { "identity", "delegate_name", "Title that signs the replies",
	    "Déléguée à l'intégration", FALSE, NULL },
	[A_DELEGATE] = { "identity", "delegate_address", "The delegate's own address "
	    "(digests, alerts)", NULL, FALSE, NULL },
	[A_CONTACT] = { "identity", "contact_address", "The public contact address "
	    "people write to", NULL, FALSE, NULL },
	[A_DAYS] = { "identity", NULL, "Days the desk is open (mon,tue,wed,thu,fri,sat,sun)",
	    "tue,thu", FALSE, NULL },
	[A_FROM] = { "identity", NULL, "Opening time (HH:MM)", "08:30", FALSE, NULL },
	[A_TO] = { "identity", NULL, "Closing time (HH:MM)", "11:30", FALSE, NULL },
	[A_PLACE] = { "identity", NULL, "Where the desk is (address people can find)", NULL,
	    FALSE, NULL },
	[A_IMAP_HOST] = { "imap", "host", "IMAP server of the contact mailbox "
	    "(host or host:port)", NULL, FALSE, NULL },
	[A_IMAP_SEC] = { "imap", "security", "IMAP security: tls or starttls", "tls",
	    FALSE, NULL },
	[A_IMAP_USER] = { "imap", "user", "IMAP login", NULL, FALSE, NULL },
	[A_IMAP_PW] = { "imap", NULL, "IMAP password", NULL, TRUE, NULL },
	[A_SMTP_HOST] = { "smtp", "host", "SMTP server for outgoing mail "
	    "(host or host:port)", NULL, FALSE, NULL },
	[A_SMTP_SEC] = { "smtp", "security", "SMTP security: tls or starttls",
	    "starttls", FALSE, NULL },
	[A_SMTP_USER] = { "smtp", "user", "SMTP login", NULL, FALSE, NULL },
	[A_SMTP_PW] = { "smtp", NULL, "SMTP password (empty: the IMAP password)", "",
	    TRUE, NULL },
	[A_CA] = { NULL, "ca_file", "Certificate authority file of the servers "
	    "(empty: the system's)", "", FALSE, NULL },
};

/* One line from standard input without its newline; NULL at end of input. */
static char *
read_line(gboolean secret)
{
	struct termios old, quiet;
	gboolean tty = secret && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	char buf[1024];
	char *r;

	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	r = fgets(buf, sizeof buf, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stdout);
	}
	if (r == NULL)
		return NULL;
	buf[strcspn(buf, "\r\n")] = '\0';
	return g_strstrip(g_strdup(buf));
}

static gboolean
ask(struct answer *a, const char *def)
{
	for (;;) {
		char *v;

		if (def != NULL && *def != '\0' && !a->secret)
			printf("%s [%s]: ", a->question, def);
		else
			printf("%s: ", a->question);
		fflush(stdout);
		if ((v = read_line(a->secret)) == NULL) {
			fprintf(stderr, "guichet setup: input ended before \"%s\"\n", a->question);
			return FALSE;
		}
		if (*v == '\0' && def != NULL) {
			g_free(v);
			v = g_strdup(def);
		}
		if (*v != '\0' || def != NULL) {
			a->value = v;
			return TRUE;
		}
		g_free(v);
		printf("  an answer is needed\n");
	}
}

/* A libconfig string literal. */
static char *
quoted(const char *v)
{
	GString *s = g_string_new("\"");

	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			g_string_append_c(s, '\\');
		if ((unsigned char)*v >= ' ')
			g_string_append_c(s, *v);
	}
	g_string_append_c(s, '"');
	return g_string_free(s, FALSE);
}

static const struct answer *
answer_for(const char *section, const char *key)
{
	for (int i = 0; i < A_N; i++)
		if (answers[i].key != NULL && strcmp(answers[i].key, key) == 0 &&
		    (answers[i].section == NULL || strcmp(answers[i].section, section) == 0))
			return &answers[i];
	return NULL;
}

/*
 * The template with every FILL IN value of a key we asked for replaced;
 * host:port answers also set the port, a CA file is added to both server
 * sections, the security lines follow the answers, and authserv_id is set
 * or commented out.
 */
static char *
fill(const char *tmpl, const char *authserv_id)
{
	g_auto(GStrv) lines = g_strsplit(tmpl, "\n", -1);
	GString *out = g_string_new(NULL);
	char section[64] = "";

	for (char **l = lines; *l != NULL; l++) {
		char key[64], indent[16] = "";
		const char *p = *l, *eq;
		const struct answer *a;
		size_t n;

		if (sscanf(p, "%63[a-z_] = {", section) == 1 && strchr(p, '{') != NULL) {
			g_string_append_printf(out, "%s\n", *l);
			continue;
		}
		n = strspn(p, " \t");
		if (n < sizeof indent)
			memcpy(indent, p, n);
		/* The security lines follow the answers (the template's are defaults). */
		if (g_str_has_prefix(p + n, "security = ") &&
		    (strcmp(section, "imap") == 0 || strcmp(section, "smtp") == 0)) {
			g_string_append_printf(out, "%ssecurity = \"%s\";\n", indent,
			    answers[strcmp(section, "imap") == 0 ? A_IMAP_SEC : A_SMTP_SEC].value);
			continue;
		}
		if (g_str_has_prefix(p + n, "office_hours = (") && strstr(p, "FILL IN") != NULL) {
			g_autofree char *d = quoted(answers[A_DAYS].value);
			g_autofree char *f = quoted(answers[A_FROM].value);
			g_autofree char *t = quoted(answers[A_TO].value);
			g_autofree char *pl = quoted(answers[A_PLACE].value);

			g_string_append_printf(out, "%soffice_hours = ( { days = %s; from = %s; "
			    "to = %s; place = %s; } );\n", indent, d, f, t, pl);
			continue;
		}
		eq = strstr(p, " = \"FILL IN");
		if (eq == NULL || (size_t)(eq - p - n) >= sizeof key) {
			g_string_append(out, *l);
			if (l[1] != NULL)
				g_string_append_c(out, '\n');
			continue;
		}
		memcpy(key, p + n, (size_t)(eq - p - n));
		key[eq - p - n] = '\0';
		if (strcmp(key, "authserv_id") == 0) {
			g_autofree char *q = authserv_id != NULL ? quoted(authserv_id) : NULL;

			if (q != NULL)
				g_string_append_printf(out, "%sauthserv_id = %s;\n", indent, q);
			else
				g_string_append_printf(out, "%s# authserv_id = \"...\";\t"
				    "# no Authentication-Results seen: see guichet.conf(5)\n", indent);
			continue;
		}
		if ((a = answer_for(section, key)) == NULL || a->value == NULL) {
			g_string_append_printf(out, "%s\n", *l);
			continue;
		}
		if (strcmp(key, "host") == 0) {
			g_autofree char *host = g_strdup(a->value);
			char *colon = strrchr(host, ':');
			g_autofree char *q = NULL;

			if (colon != NULL && strchr(host, ':') == colon && colon[1] != '\0') {
				*colon = '\0';
				g_string_append_printf(out, "%sport = %s;\n", indent, colon + 1);
			}
			q = quoted(host);
			g_string_append_printf(out, "%shost = %s;\n", indent, q);
			if (*answers[A_CA].value != '\0') {
				g_autofree char *ca = quoted(answers[A_CA].value);

				g_string_append_printf(out, "%sca_file = %s;\n", indent, ca);
			}
			continue;
		}
		{
			g_autofree char *q = quoted(a->value);

			g_string_append_printf(out, "%s%s = %s;\n", indent, key, q);
		}
	}
	return g_string_free(out, FALSE);
}

static gboolean
write_file(const char *path, const char *data, mode_t mode, gboolean force, gboolean group,
    GError **err)
{
	g_autofree char *tmp = g_strconcat(path, ".new", NULL);
	struct group grp, *gr = NULL;
	char grbuf[1024];
	int fd;

	if (!force && access(path, F_OK) == 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "%s exists: not replaced (guichet setup --force replaces it)", path);
		return FALSE;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0 || write(fd, data, strlen(data)) != (ssize_t)strlen(data) ||
	    fchmod(fd, mode) != 0 || fsync(fd) != 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s: %s", tmp,
		    g_strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return FALSE;
	}
	/* The service's group reads the configuration, nobody else. */
	if (group && geteuid() == 0 &&
	    getgrnam_r("guichet", &grp, grbuf, sizeof grbuf, &gr) == 0 && gr != NULL &&
	    fchown(fd, 0, gr->gr_gid) != 0)
		fprintf(stderr, "guichet setup: %s: cannot give it to group guichet: %s\n",
		    tmp, g_strerror(errno));
	close(fd);
	if (rename(tmp, path) != 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s: %s", path,
		    g_strerror(errno));
		unlink(tmp);
		return FALSE;
	}
	return TRUE;
}

static char *
read_template(const char *path, GError **err)
{
	char *t = NULL;

	if (!g_file_get_contents(path, &t, NULL, err))
		return NULL;
	return t;
}

int
cmd_setup(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force",       no_argument,       NULL, 'f' },
		{ "template",    required_argument, NULL, 't' },
		{ "credentials", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	const char *tmpl_path = GUICHET_DATADIR "/guichet.conf.in";
	const char *creddir = "/etc/guichet/credentials";
	gboolean force = FALSE;
	g_autofree char *tmpl = NULL, *conf = NULL, *trial = NULL, *id = NULL;
	g_autofree char *imap_pw = NULL, *smtp_pw = NULL;
	struct config *cfg = NULL;
	GError *e = NULL;
	int ch, rc = 1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': force = TRUE; break;
		case 't': tmpl_path = optarg; break;
		case 'c': creddir = optarg; break;
		default: return cmd_usage("setup");
		}
	}
	if (optind != argc)
		return cmd_usage("setup");
	if (!force && access(g->config_path, F_OK) == 0) {
		const char *v = NULL;
		g_autofree char *old = NULL;

		/* The package's untouched template may be replaced. */
		if (g_file_get_contents(g->config_path, &old, NULL, NULL))
			v = strstr(old, "= \"FILL IN");
		if (v == NULL) {
			fprintf(stderr, "guichet setup: %s exists and is filled in: not replaced "
			    "(--force replaces it)\n", g->config_path);
			return 1;
		}
		force = TRUE;
	}
	if ((tmpl = read_template(tmpl_path, &e)) == NULL)
		goto fail;
	printf("guichet setup: writes %s and the passwords in %s.\n"
	    "Press Enter to take the value in [brackets].\n\n", g->config_path, creddir);
	for (int i = 0; i < A_N; i++) {
		const char *def = answers[i].def;

		if (i == A_SMTP_HOST)
			def = answers[A_IMAP_HOST].value;
		else if (i == A_SMTP_USER)
			def = answers[A_IMAP_USER].value;
		if (!ask(&answers[i], def))
			return 1;
		{
			const char *why = NULL;
			guint days;
			int minutes;

			if (i == A_DAYS)
				why = hours_parse_days(answers[i].value, &days);
			else if (i == A_FROM || i == A_TO)
				why = hours_parse_time(answers[i].value, &minutes);
			if (why != NULL) {
				printf("  \"%s\" %s\n", answers[i].value, why);
				g_clear_pointer(&answers[i].value, g_free);
				i--;
				continue;
			}
		}
		if ((i == A_IMAP_SEC || i == A_SMTP_SEC) && strcmp(answers[i].value, "tls") != 0 &&
		    strcmp(answers[i].value, "starttls") != 0) {
			printf("  tls or starttls, please\n");
			g_clear_pointer(&answers[i].value, g_free);
			i--;
		}
	}
	imap_pw = g_strdup(answers[A_IMAP_PW].value);
	smtp_pw = g_strdup(*answers[A_SMTP_PW].value != '\0' ? answers[A_SMTP_PW].value : imap_pw);

	/* Credentials first: the trial configuration reads them. */
	if (g_mkdir_with_parents(creddir, 0700) != 0) {
		g_set_error(&e, GUICHET_ERROR, GUICHET_ERROR_CONFIG, "%s: %s", creddir,
		    g_strerror(errno));
		goto fail;
	}
	{
		g_autofree char *ip = g_build_filename(creddir, "imap", NULL);
		g_autofree char *sp = g_build_filename(creddir, "smtp", NULL);

		if (!write_file(ip, imap_pw, 0600, force, FALSE, &e) ||
		    !write_file(sp, smtp_pw, 0600, force, FALSE, &e))
			goto fail;
	}
	g_setenv("CREDENTIALS_DIRECTORY", creddir, TRUE);

	/* Try it: load as the daemon does, then log in to both servers. */
	conf = fill(tmpl, "setup.invalid");
	trial = g_strconcat(g->config_path, ".trial", NULL);
	if (!write_file(trial, conf, 0600, TRUE, FALSE, &e))
		goto fail;
	cfg = config_load(trial, &e);
	unlink(trial);
	if (cfg == NULL)
		goto fail;
	printf("\nTrying the servers...\n");
	net_init();
	if (!net_check_connect(cfg, &e))
		goto fail;
	{
		struct authserv_sample a;

		if (!probe_authserv_id(cfg, &a, &e))
			goto fail;
		probe_authserv_print(&a, stdout);
		id = g_steal_pointer(&a.best);
		probe_authserv_clear(&a);
	}
	g_free(conf);
	conf = fill(tmpl, id);
	if (!write_file(g->config_path, conf, 0640, TRUE, TRUE, &e))
		goto fail;
	printf("\nWrote %s (0640) and %s/imap, %s/smtp (0600).\n"
	    "%s"
	    "Next: guichet check --connect, then systemctl enable --now guichet.service\n",
	    g->config_path, creddir, creddir,
	    id != NULL ? "Commands by mail are trusted when this server vouches for "
	    "the delegate's address.\n" : "");
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "guichet setup: %s\nNothing was written to %s.\n", e->message,
	    g->config_path);
	g_error_free(e);
out:
	config_free(cfg);
	for (int i = 0; i < A_N; i++) {
		if (answers[i].secret && answers[i].value != NULL)
			memset(answers[i].value, 0, strlen(answers[i].value));
		g_clear_pointer(&answers[i].value, g_free);
	}
	if (imap_pw != NULL)
		memset(imap_pw, 0, strlen(imap_pw));
	if (smtp_pw != NULL)
		memset(smtp_pw, 0, strlen(smtp_pw));
	return rc;
}
