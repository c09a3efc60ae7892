/* test_config.c: guichet.conf loading, validation and secrets. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include "config.h"
#include "tap.h"

#define DIR "tests/fixtures/config/"

static char *
fixdir(void)
{
	g_autofree char *cwd = g_get_current_dir();

	return g_build_filename(cwd, "tests", "fixtures", "config", NULL);
}

static void
test_good(void)
{
	GError *err = NULL;
	struct config *c = config_load(DIR "good.conf", &err);
	g_autofree char *dir = fixdir();
	g_autofree char *store = g_build_filename(dir, "state/guichet.db", NULL);
	g_autofree char *tpl = g_build_filename(dir, "../templates", NULL);
	g_autofree char *pwf = g_build_filename(dir, "secrets/imap", NULL);

	ok(c != NULL, "good.conf loads%s%s", err ? ": " : "", err ? err->message : "");
	if (c == NULL) {
		g_clear_error(&err);
		return;
	}
	is_str(c->dir, dir, "dir is the file's folder, absolute");
	is_str(c->org_name, "Commune de Chippis", "org_name");
	is_str(c->region_code, "CHI", "region_code");
	is_str(c->delegate_name, "Anne Délèze", "delegate_name (UTF-8)");
	is_str(c->delegate_addr, "delegue@chippis.example", "delegate_address lower-cased");
	ok(c->delegate_addrs != NULL && g_strv_length(c->delegate_addrs) == 2,
	    "delegate_addresses: two, without duplicate");
	if (c->delegate_addrs != NULL && g_strv_length(c->delegate_addrs) == 2) {
		is_str(c->delegate_addrs[0], "delegue@chippis.example", "delegate first");
		is_str(c->delegate_addrs[1], "adjoint@chippis.example", "then the others");
	}
	is_str(c->contact_addr, "integration@chippis.example", "contact_address");
	is_str(c->phone, "027 455 00 00", "phone");
	ok(c->hours != NULL && c->hours->slots->len == 0 &&
	    g_strcmp0(g_hash_table_lookup(c->hours->text, "fr"),
	    "mardi 8h30-11h30") == 0, "office_hours as a text is French free text");
	is_str(c->store_path, store, "relative store resolved against the file's folder");
	is_str(c->rules_dir, "/usr/share/guichet/rules", "absolute rules kept");
	is_str(c->templates_dir, tpl, "../templates resolved");
	ok(c->max_message_size == 2 * 1024 * 1024, "max_message_size \"2M\"");
	ok(c->reply_cap_per_sender == 5 && c->reply_cap_per_hour == 100 &&
	    c->answer_within_days == 2, "limits");
	is_str(c->imap.host, "mail.chippis.example", "imap.host");
	ok(c->imap.port == 993, "imap port defaults to 993 with tls");
	is_str(c->imap.password_file, pwf, "imap.password_file resolved");
	ok(c->imap.password_credential == NULL, "no imap credential");
	ok(c->imap.timeout == 30 && c->imap.verify, "imap timeout, verify");
	is_str(c->imap_after, "flag", "imap.after");
	is_str(c->imap_flag, "$Traite", "imap.flag");
	is_str(c->imap_sent_folder, "Sent", "imap.sent_folder");
	ok(!c->imap_idle && c->poll_interval == 120, "idle false, poll 120");
	ok(c->smtp.port == 587, "smtp.port");
	is_str(c->smtp.security, "starttls", "smtp.security");
	is_str(c->smtp.password_credential, "smtp-password", "smtp credential");
	is_str(c->envelope_sender, "", "envelope_sender \"\"");
	is_str(c->helo, "guichet.chippis.example", "helo");
	ok(c->send_retry_max_hours == 24, "retry_max_hours");
	ok(c->smtp_sessions == 2, "smtp.sessions");
	ok(c->retention_text_days == 90 && c->retention_pseudonymise_days == 0 &&
	    c->retention_quarantine_days == 7, "retention, 0 allowed");
	is_str(c->privacy_controller, "Administration communale de Chippis", "privacy.controller");
	is_str(c->privacy_contact, "integration@chippis.example", "privacy.contact defaults to contact");
	is_str(c->digest_to, "delegue@chippis.example", "digest.to defaults to the delegate");
	ok(!c->monthly_report && c->annual_report, "reports");
	is_str(c->command_authserv_id, "mx.chippis.example", "commands.authserv_id");
	config_free(c);
}

static void
test_minimal(void)
{
	GError *err = NULL;
	struct config *c = config_load(DIR "minimal.conf", &err);

	ok(c != NULL, "minimal.conf loads%s%s", err ? ": " : "", err ? err->message : "");
	if (c == NULL) {
		g_clear_error(&err);
		return;
	}
	is_str(c->default_language, "fr", "default language fr");
	is_str(c->timezone, "Europe/Zurich", "default time zone");
	ok(c->max_message_size == 10 * 1024 * 1024, "default size 10 MB");
	ok(c->reply_cap_per_sender == 3 && c->reply_cap_per_hour == 60 &&
	    c->answer_within_days == 3, "default limits");
	ok(c->imap.port == 143 && c->smtp.port == 25, "plain ports 143 and 25");
	ok(c->imap.verify && c->imap.timeout == 60, "imap verify and timeout defaults");
	is_str(c->imap_folder, "INBOX", "imap.folder default");
	is_str(c->imap_after, "move", "imap.after default");
	ok(c->imap_idle && c->poll_interval == 60, "idle, poll defaults");
	ok(c->retention_text_days == 180 && c->retention_pseudonymise_days == 365 &&
	    c->retention_quarantine_days == 30, "retention defaults");
	is_str(c->store_path, "/var/lib/guichet/guichet.db", "store default");
	ok(c->hours == NULL && c->phone == NULL, "optional strings NULL");
	ok(c->smtp.user == NULL, "smtp without auth");
	is_str(c->envelope_sender, "", "envelope_sender default <>");
	ok(c->smtp_sessions == 4, "smtp.sessions default 4");
	ok(c->delegate_addrs != NULL && g_strv_length(c->delegate_addrs) == 1,
	    "delegate_addrs holds delegate_address");
	ok(c->monthly_report && c->annual_report, "reports default on");
	ok(c->command_secret_file == NULL, "no command secret");
	config_free(c);
}

/* Every "LINE:text" of EXPECTED appears as "FILE:LINE: text...", and no other error. */
static void
test_broken(const char *name)
{
	g_autofree char *conf = g_strdup_printf(DIR "%s.conf", name);
	g_autofree char *exp = g_strdup_printf(DIR "%s.expected", name);
	g_autofree char *want = NULL;
	g_auto(GStrv) lines = NULL, got = NULL;
	GError *err = NULL;
	struct config *c = config_load(conf, &err);
	guint n = 0;

	ok(c == NULL && err != NULL, "%s refused", conf);
	if (c != NULL) {
		config_free(c);
		return;
	}
	ok(g_file_get_contents(exp, &want, NULL, NULL), "read %s", exp);
	lines = g_strsplit(want, "\n", -1);
	for (char **l = lines; *l != NULL; l++) {
		char *colon = strchr(*l, ':');
		g_autofree char *needle = NULL;

		if (**l == '\0' || colon == NULL)
			continue;
		n++;
		needle = g_strdup_printf("%s:%.*s: %s", conf, (int)(colon - *l), *l, colon + 1);
		ok(strstr(err->message, needle) != NULL, "%s: %s", name, needle);
	}
	got = g_strsplit(err->message, "\n", -1);
	ok(g_strv_length(got) == n, "%s: %u errors, no more (got %u)", name, n,
	    g_strv_length(got));
	if (g_strv_length(got) != n)
		printf("# %s\n", err->message);
	g_error_free(err);
}

static void
test_syntax(void)
{
	GError *err = NULL;
	struct config *c = config_load(DIR "syntax.conf", &err);

	ok(c == NULL && err != NULL &&
	    g_str_has_prefix(err->message, DIR "syntax.conf:4: syntax error"),
	    "syntax error with file and line: %s", err ? err->message : "");
	g_clear_error(&err);
	c = config_load(DIR "no-such.conf", &err);
	ok(c == NULL && err != NULL && strstr(err->message, "no-such.conf") != NULL,
	    "missing file refused: %s", err ? err->message : "");
	g_clear_error(&err);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	g_file_set_contents(path, text, -1, NULL);
	chmod(path, mode);
}

static void
test_secrets(void)
{
	g_autofree char *tmp = g_dir_make_tmp("guichet-cfg-XXXXXX", NULL);
	g_autofree char *pw = g_build_filename(tmp, "pw", NULL);
	g_autofree char *cred = g_build_filename(tmp, "smtp-password", NULL);
	struct server_config s = { 0 };
	GError *err = NULL;
	char *secret;

	s.host = "127.0.0.1";
	s.password_file = pw;
	write_file(pw, "s3cret\n", 0644);
	secret = config_read_secret(&s, &err);
	ok(secret == NULL && err != NULL && strstr(err->message, "chmod 600") != NULL,
	    "0644 password file refused: %s", err ? err->message : "");
	g_free(secret);
	g_clear_error(&err);
	chmod(pw, 0640);
	secret = config_read_secret(&s, &err);
	ok(secret == NULL, "0640 password file refused");
	g_free(secret);
	g_clear_error(&err);
	chmod(pw, 0600);
	secret = config_read_secret(&s, &err);
	is_str(secret, "s3cret", "0600 password file read, newline stripped");
	g_free(secret);
	g_clear_error(&err);

	s.password_file = NULL;
	s.password_credential = "smtp-password";
	write_file(cred, "from systemd\r\n", 0400);
	g_unsetenv("CREDENTIALS_DIRECTORY");
	secret = config_read_secret(&s, &err);
	ok(secret == NULL && err != NULL && strstr(err->message, "CREDENTIALS_DIRECTORY"),
	    "credential without CREDENTIALS_DIRECTORY refused");
	g_clear_error(&err);
	g_setenv("CREDENTIALS_DIRECTORY", tmp, TRUE);
	secret = config_read_secret(&s, &err);
	is_str(secret, "from systemd", "credential read from $CREDENTIALS_DIRECTORY");
	g_free(secret);
	g_clear_error(&err);
	g_unsetenv("CREDENTIALS_DIRECTORY");

	write_file(pw, "", 0600);
	s.password_file = pw;
	secret = config_read_secret(&s, &err);
	ok(secret == NULL && err != NULL, "empty password file refused");
	g_clear_error(&err);

	unlink(pw);
	unlink(cred);
	rmdir(tmp);
}

/* The sample at the repository root must stay valid. */
static void
test_sample(void)
{
	GError *err = NULL;
	struct config *c = config_load("guichet.conf", &err);

	ok(c != NULL, "sample guichet.conf loads%s%s", err ? ": " : "", err ? err->message : "");
	if (c != NULL) {
		is_str(c->region_code, "CHI", "sample is Chippis");
		ok(c->imap.port == 10143 && c->smtp.port == 10025, "sample uses the test stack");
	}
	config_free(c);
	g_clear_error(&err);
}

/* Structured office hours, closed periods, titles per language. */
static void
test_hours(void)
{
	GError *err = NULL;
	struct config *c = config_load(DIR "hours.conf", &err);
	const struct hours_slot *sl;
	const struct hours_closed *cl;

	ok(c != NULL, "hours.conf loads%s%s", err ? ": " : "", err ? err->message : "");
	if (c == NULL) {
		g_clear_error(&err);
		return;
	}
	ok(c->hours != NULL && c->hours->slots->len == 2, "two slots");
	if (c->hours != NULL && c->hours->slots->len == 2) {
		sl = g_ptr_array_index(c->hours->slots, 0);
		ok(sl->days == ((1u << 1) | (1u << 3)) && sl->from == 510 &&
		    sl->to == 690, "tue,thu 08:30-11:30");
		is_str(sl->place, "Rue Centrale 1, Chippis", "place");
		sl = g_ptr_array_index(c->hours->slots, 1);
		ok(sl->days == 7 && sl->place == NULL, "mon-wed, no place");
	}
	ok(c->hours != NULL && c->hours->closed->len == 2, "two closed periods");
	if (c->hours != NULL && c->hours->closed->len == 2) {
		cl = g_ptr_array_index(c->hours->closed, 0);
		ok(g_date_get_day(&cl->from) == 21 && g_date_get_year(&cl->until) == 2027,
		    "closed 2026-12-21 to 2027-01-04");
		cl = g_ptr_array_index(c->hours->closed, 1);
		ok(!g_date_valid(&cl->from), "closed until: no start");
	}
	is_str(c->hours != NULL ? g_hash_table_lookup(c->hours->text, "de") : NULL,
	    "oder nach Vereinbarung", "free text per language");
	is_str(config_lang_text(c->delegate_title, "de"),
	    "Regionale Integrationsdelegierte", "title in German");
	is_str(config_lang_text(c->delegate_title, "ar"),
	    "Déléguée régionale à l'intégration", "title falls back to French");
	is_str(config_lang_text(c->org_names, "de"), "Gemeinde Chippis",
	    "organisation in German");
	ok(config_lang_text(c->org_names, "it") == NULL, "no French org_names: NULL");
	config_free(c);
}

int
main(void)
{
	test_hours();
	test_broken("hours-bad");
	test_good();
	test_minimal();
	test_broken("broken");
	test_broken("missing");
	test_syntax();
	test_secrets();
	test_sample();
	return tap_done();
}
