/*
 * config.c: guichet.conf (libconfig) into struct config.
 *
 * Every key lives in one table (section, name, type, bounds, default,
 * where it goes).  The file is walked once: each setting is looked up in
 * the table, checked and stored; unknown keys, wrong types and values out
 * of bounds are collected as "file:line: what is wrong" and loading goes
 * on, so one run of `guichet check` shows every problem.  Checks between
 * keys (plain text only on loopback, passwords, ports) come after.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <libconfig.h>
#include "config.h"
#include "hours.h"
#include "loopback.h"

#ifndef GUICHET_DATADIR
#define GUICHET_DATADIR "/usr/local/share/guichet"
#endif

#include "config_int.h"

static const char *const security_choices[] = { "tls", "starttls", "plain", NULL };
static const char *const after_choices[] = { "move", "flag", NULL };

#define O(f)	offsetof(struct config, f)
#define STR(sec, name, type, def, field, fl) \
	{ sec, name, type, 0, 0, def, 0, O(field), fl, NULL }
#define CHOICE(sec, name, def, field, ch) \
	{ sec, name, T_CHOICE, 0, 0, def, 0, O(field), 0, ch }
#define INT(sec, name, lo, hi, def, field) \
	{ sec, name, T_INT, lo, hi, NULL, def, O(field), 0, NULL }
#define BOOL(sec, name, def, field) \
	{ sec, name, T_BOOL, 0, 0, NULL, def, O(field), 0, NULL }
/* The keys every server section shares; port 0 means "by security". */
#define SERVER(sec, s, userflags) \
	STR(sec, "host", T_HOST, NULL, s.host, K_REQUIRED), \
	INT(sec, "port", 0, 65535, 0, s.port), \
	CHOICE(sec, "security", "tls", s.security, security_choices), \
	STR(sec, "user", T_STR, NULL, s.user, userflags), \
	STR(sec, "password_file", T_PATH, NULL, s.password_file, 0), \
	STR(sec, "password_credential", T_CRED, NULL, s.password_credential, 0), \
	STR(sec, "ca_file", T_PATH, NULL, s.ca_file, 0), \
	BOOL(sec, "verify", TRUE, s.verify), \
	INT(sec, "timeout", 1, 600, 60, s.timeout)

static const struct key keys[] = {
	STR("identity", "org_name", T_STR, NULL, org_name, K_REQUIRED),
	STR("identity", "region_code", T_CODE, NULL, region_code, K_REQUIRED),
	STR("identity", "delegate_name", T_STR, NULL, delegate_name, K_REQUIRED),
	STR("identity", "delegate_title", T_LANGTEXT, NULL, delegate_title, 0),
	STR("identity", "org_names", T_LANGTEXT, NULL, org_names, 0),
	STR("identity", "delegate_address", T_ADDR, NULL, delegate_addr, K_REQUIRED),
	STR("identity", "delegate_addresses", T_ADDRS, NULL, delegate_addrs, 0),
	STR("identity", "contact_address", T_ADDR, NULL, contact_addr, K_REQUIRED),
	STR("identity", "office_hours", T_HOURS, NULL, hours, 0),
	STR("identity", "office_hours_text", T_HOURS_TEXT, NULL, hours, 0),
	STR("identity", "office_closed", T_CLOSED, NULL, hours, 0),
	STR("identity", "phone", T_STR, NULL, phone, 0),
	STR("identity", "default_language", T_LANG, "fr", default_language, 0),
	STR("identity", "timezone", T_TZ, "Europe/Zurich", timezone, 0),

	STR("paths", "store", T_PATH, "/var/lib/guichet/guichet.db", store_path, 0),
	STR("paths", "rules", T_PATH, GUICHET_DATADIR "/rules", rules_dir, 0),
	STR("paths", "templates", T_PATH, GUICHET_DATADIR "/templates", templates_dir, 0),
	STR("paths", "training", T_PATH, NULL, training_dir, 0),
	STR("paths", "model", T_PATH, NULL, model_path, 0),

	BOOL("model", "enabled", TRUE, model_enabled),
	INT("model", "threshold", 0, 100, 60, model_threshold),
	INT("model", "strong_threshold", 0, 100, 75, model_strong_threshold),
	INT("model", "silent_threshold", 0, 100, 40, model_silent_threshold),
	INT("model", "urgent_threshold", 0, 100, 30, model_urgent_threshold),
	INT("model", "urgent_weak_threshold", 0, 100, 60, model_urgent_weak_threshold),
	INT("model", "urgent_calm_threshold", 0, 100, 60, model_urgent_calm_threshold),
	INT("model", "urgent_damp_threshold", 0, 100, 15, model_urgent_damp_threshold),
	INT("model", "weak_evidence", 0, 100, 1, model_weak_evidence),
	INT("model", "correction_weight", 1, 50, 5, model_correction_weight),
	INT("model", "retrain_after", 0, 100000, 10, model_retrain_after),

	{ "limits", "max_message_size", T_SIZE, 1024, G_GINT64_CONSTANT(1) << 30, NULL,
	    10 * 1024 * 1024, O(max_message_size), 0, NULL },
	INT("limits", "replies_per_sender_per_day", 0, 1000, 3, reply_cap_per_sender),
	INT("limits", "replies_per_hour", 0, 100000, 60, reply_cap_per_hour),
	INT("limits", "replies_per_domain_per_day", 0, 100000, 100, reply_cap_per_domain),
	STR("limits", "domain_cap_exempt", T_DOMAINS, NULL, cap_exempt_domains, 0),
	INT("limits", "answer_within_days", 1, 60, 3, answer_within_days),
	INT("limits", "flood_requests", 0, 1000, 5, flood_cap),
	INT("limits", "flood_window_hours", 1, 24 * 30, 1, flood_window_hours),

	STR("spam", "header", T_STR, NULL, spam_header, 0),
	STR("spam", "value", T_STR, "yes", spam_value, 0),

	SERVER("imap", imap, K_REQUIRED),
	STR("imap", "folder", T_FOLDER, "INBOX", imap_folder, 0),
	CHOICE("imap", "after", "move", imap_after, after_choices),
	STR("imap", "done_folder", T_FOLDER, "Guichet/Traites", imap_done_folder, 0),
	STR("imap", "quarantine_folder", T_FOLDER, "Guichet/Quarantaine", imap_quarantine_folder, 0),
	STR("imap", "sent_folder", T_FOLDER, NULL, imap_sent_folder, 0),
	STR("imap", "claim_folder", T_FOLDER, "Guichet/Instance", imap_claim_folder, 0),
	STR("imap", "flag", T_FOLDER, "$Guichet", imap_flag, 0),
	BOOL("imap", "idle", TRUE, imap_idle),
	INT("imap", "poll_interval", 5, 3600, 60, poll_interval),

	SERVER("smtp", smtp, 0),
	STR("smtp", "envelope_sender", T_ADDR0, "", envelope_sender, 0),
	STR("smtp", "helo", T_HOST, NULL, helo, 0),
	INT("smtp", "retry_max_hours", 1, 24 * 30, 48, send_retry_max_hours),
	INT("smtp", "sessions", 1, 16, 4, smtp_sessions),

	INT("retention", "text_days", 0, 36500, 180, retention_text_days),
	INT("retention", "pseudonymise_days", 0, 36500, 365, retention_pseudonymise_days),
	INT("retention", "quarantine_days", 0, 36500, 30, retention_quarantine_days),

	STR("privacy", "controller", T_STR, NULL, privacy_controller, 0),
	STR("privacy", "contact", T_STR, NULL, privacy_contact, 0),

	STR("digest", "to", T_ADDR, NULL, digest_to, 0),
	STR("digest", "time", T_STR, "07:30", digest_time_s, 0),
	STR("digest", "days", T_STR, "mon,tue,wed,thu,fri", digest_days_s, 0),
	STR("notify", "urgent", T_ADDRS, NULL, notify_urgent, 0),
	INT("notify", "escalate_after", 1, 7 * 24 * 3600, 7200, escalate_after),
	BOOL("reports", "monthly", TRUE, monthly_report),
	BOOL("reports", "annual", TRUE, annual_report),

	STR("commands", "authserv_id", T_HOST, NULL, command_authserv_id, 0),
	STR("commands", "secret_file", T_PATH, NULL, command_secret_file, 0),
};
#define NKEYS G_N_ELEMENTS(keys)

/* Where a key was written, for checks between keys. */
struct loader {
	const char	*file;		/* as given, for messages */
	struct config	*cfg;
	GPtrArray	*errors;	/* struct problem *, sorted by line at the end */
	int		 line[NKEYS];	/* 0: not in the file */
	int		 placeholders;	/* values still to fill in */
};

struct config *
loader_config(struct loader *l)
{
	return l->cfg;
}

struct problem {
	char		*file;
	int		 line;
	guint		 seq;		/* keeps the order of one line's problems */
	char		*what;
};

static void
problem_free(gpointer p)
{
	struct problem *e = p;

	g_free(e->file);
	g_free(e->what);
	g_free(e);
}

static gint
problem_cmp(gconstpointer a, gconstpointer b)
{
	const struct problem *x = *(struct problem *const *)a;
	const struct problem *y = *(struct problem *const *)b;
	int c = strcmp(x->file, y->file);

	if (c != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
add_error(struct loader *l, const char *file, int line, const char *fmt, ...)
{
	struct problem *e = g_new0(struct problem, 1);
	va_list ap;

	e->file = g_strdup(file != NULL ? file : l->file);
	e->line = line > 0 ? line : 1;
	e->seq = l->errors->len;
	va_start(ap, fmt);
	e->what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(l->errors, e);
}

/* The file a setting comes from (an @include'd file has its own). */
const char *
setting_file(struct loader *l, const config_setting_t *s)
{
	const char *f = config_setting_source_file((config_setting_t *)s);

	return f != NULL ? f : l->file;
}

/* Its line; a scalar inside a list has none, so its parent's. */
int
setting_line(const config_setting_t *s)
{
	for (; s != NULL; s = config_setting_parent((config_setting_t *)s))
		if (config_setting_source_line(s) > 0)
			return config_setting_source_line(s);
	return 0;
}


gboolean
has_control(const char *s, gboolean allow_newline)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 && !(allow_newline && (*s == '\n' || *s == '\t')))
			return TRUE;
		else if (*s == 0x7f)
			return TRUE;
	return FALSE;
}

/* A plain addr-spec: local@domain, ASCII, no spaces or brackets. */
static gboolean
valid_addr(const char *a)
{
	const char *at = strrchr(a, '@'), *p;

	if (at == NULL || at == a || at[1] == '\0' || strlen(a) > 254)
		return FALSE;
	for (p = a; p < at; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"@", *p) != NULL)
			return FALSE;
	if (at[1] == '.' || at[1] == '-' || at[strlen(at) - 1] == '.' || strstr(at, "..") != NULL)
		return FALSE;
	for (p = at + 1; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && *p != '.' && *p != '-')
			return FALSE;
	return TRUE;
}

static gboolean
valid_host(const char *h)
{
	if (*h == '\0' || strlen(h) > 253)
		return FALSE;
	for (const char *p = h; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && strchr(".-:_", *p) == NULL)
			return FALSE;
	return TRUE;
}

static char *
resolve_path(const struct config *cfg, const char *p)
{
	if (g_path_is_absolute(p))
		return g_strdup(p);
	return g_build_filename(cfg->dir, p, NULL);
}

/* Check one string value by type; returns what is wrong, or NULL. */
static const char *
check_string(const struct key *k, const char *v)
{
	size_t n = strlen(v);

	if (has_control(v, k->type == T_TEXT))
		return "must not contain control characters";
	switch (k->type) {
	case T_STR:
	case T_TEXT:
		return n == 0 && (k->flags & K_REQUIRED) ? "must not be empty" : NULL;
	case T_PATH:
		return n == 0 ? "must not be empty" : NULL;
	case T_ADDR:
		return valid_addr(v) ? NULL : "is not a valid e-mail address (want name@domain)";
	case T_ADDR0:
		return n == 0 || valid_addr(v) ? NULL :
		    "is not a valid e-mail address (want name@domain, or \"\" for <>)";
	case T_HOST:
		return valid_host(v) ? NULL : "is not a valid host name";
	case T_CHOICE:
		for (const char *const *c = k->choices; *c != NULL; c++)
			if (strcmp(*c, v) == 0)
				return NULL;
		return k->choices == security_choices ?
		    "must be \"tls\", \"starttls\" or \"plain\"" : "must be \"move\" or \"flag\"";
	case T_CODE:
		if (n < 2 || n > 5)
			return "must be 2 to 5 uppercase letters, like \"CHI\"";
		for (const char *p = v; *p; p++)
			if (!g_ascii_isupper(*p))
				return "must be 2 to 5 uppercase letters, like \"CHI\"";
		return NULL;
	case T_LANG:
		if (n < 2 || n > 3)
			return "must be a 2 or 3 letter language code, like \"fr\"";
		for (const char *p = v; *p; p++)
			if (!g_ascii_islower(*p))
				return "must be a 2 or 3 letter language code, like \"fr\"";
		return NULL;
	case T_TZ: {
		GTimeZone *tz = g_time_zone_new_identifier(v);

		if (tz == NULL)
			return "is not a known time zone (like \"Europe/Zurich\")";
		g_time_zone_unref(tz);
		return NULL;
	}
	case T_FOLDER:
		return n == 0 ? "must not be empty" : NULL;
	case T_CRED:
		return n == 0 || strchr(v, '/') != NULL || strcmp(v, ".") == 0 ||
		    strcmp(v, "..") == 0 ? "is not a valid credential name" : NULL;
	default:
		return NULL;
	}
}

/* "10M" and friends; FALSE when not a size. */
static gboolean
parse_size(const char *s, gint64 *out)
{
	char *end;
	guint64 v;

	errno = 0;
	v = g_ascii_strtoull(s, &end, 10);
	if (end == s || errno != 0)
		return FALSE;
	switch (g_ascii_toupper(*end)) {
	case '\0': break;
	case 'K': v *= 1024; end++; break;
	case 'M': v *= 1024 * 1024; end++; break;
	case 'G': v *= 1024 * 1024 * 1024; end++; break;
	default: return FALSE;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || v > G_MAXINT64)
		return FALSE;
	*out = (gint64)v;
	return TRUE;
}

static gboolean
is_int(const config_setting_t *s)
{
	int t = config_setting_type(s);

	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

/* Check and store one setting against its key. */
static void
load_key(struct loader *l, const struct key *k, const config_setting_t *s)
{
	char *base = (char *)l->cfg;
	const char *v, *why;
	gint64 n;

	switch (k->type) {
	case T_LANGTEXT:
	case T_HOURS:
	case T_HOURS_TEXT:
	case T_CLOSED:
		config_load_structured(l, k, s);
		return;
	case T_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
			SERR(l, s, "%s.%s must be true or false", k->section, k->name);
			return;
		}
		*(gboolean *)(base + k->off) = config_setting_get_bool(s) ? TRUE : FALSE;
		return;
	case T_INT:
	case T_SIZE:
		if (is_int(s))
			n = config_setting_get_int64(s);
		else if (k->type == T_SIZE && config_setting_type(s) == CONFIG_TYPE_STRING) {
			if (!parse_size(config_setting_get_string(s), &n)) {
				SERR(l, s, "%s.%s must be a size in bytes, like 10485760 or \"10M\"",
				    k->section, k->name);
				return;
			}
		} else {
			SERR(l, s, "%s.%s must be an integer", k->section, k->name);
			return;
		}
		if (n < k->min || n > k->max) {
			SERR(l, s, "%s.%s is %" G_GINT64_FORMAT ", out of range %" G_GINT64_FORMAT
			    "..%" G_GINT64_FORMAT, k->section, k->name, n, k->min, k->max);
			return;
		}
		if (k->type == T_SIZE)
			*(gsize *)(base + k->off) = (gsize)n;
		else
			*(int *)(base + k->off) = (int)n;
		return;
	case T_ADDRS:
	case T_DOMAINS: {
		int t = config_setting_type(s), len;
		gboolean dom = k->type == T_DOMAINS;
		GPtrArray *a;

		if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
			SERR(l, s, dom ? "%s.%s must be a list of domain names, like [ \"gmail.com\" ]" :
			    "%s.%s must be a list of addresses, like [ \"a@b.ch\" ]",
			    k->section, k->name);
			return;
		}
		len = config_setting_length(s);
		a = g_ptr_array_new();
		for (int i = 0; i < len; i++) {
			const config_setting_t *e = config_setting_get_elem(s, i);

			if (config_setting_type(e) != CONFIG_TYPE_STRING ||
			    !(dom ? valid_host(config_setting_get_string(e)) &&
			    strchr(config_setting_get_string(e), '.') != NULL :
			    valid_addr(config_setting_get_string(e))))
				SERR(l, e, dom ? "%s.%s: item %d is not a valid domain name" :
				    "%s.%s: item %d is not a valid e-mail address",
				    k->section, k->name, i + 1);
			else
				g_ptr_array_add(a, g_ascii_strdown(config_setting_get_string(e), -1));
		}
		g_ptr_array_add(a, NULL);
		g_strfreev(*(char ***)(base + k->off));
		*(char ***)(base + k->off) = (char **)g_ptr_array_free(a, FALSE);
		return;
	}
	default:
		break;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		SERR(l, s, "%s.%s must be a string in double quotes", k->section, k->name);
		return;
	}
	v = config_setting_get_string(s);
	if ((why = check_string(k, v)) != NULL) {
		SERR(l, s, "%s.%s %s", k->section, k->name, why);
		return;
	}
	g_free(*(char **)(base + k->off));
	if (k->type == T_PATH)
		*(char **)(base + k->off) = resolve_path(l->cfg, v);
	else if (k->type == T_ADDR || k->type == T_ADDR0)
		*(char **)(base + k->off) = g_ascii_strdown(v, -1);
	else
		*(char **)(base + k->off) = g_strdup(v);
}

static void
set_default(struct loader *l, const struct key *k)
{
	char *base = (char *)l->cfg;

	switch (k->type) {
	case T_BOOL:
		*(gboolean *)(base + k->off) = k->idef ? TRUE : FALSE;
		break;
	case T_INT:
		*(int *)(base + k->off) = (int)k->idef;
		break;
	case T_SIZE:
		*(gsize *)(base + k->off) = (gsize)k->idef;
		break;
	case T_ADDRS:
	case T_LANGTEXT:
	case T_HOURS:
	case T_HOURS_TEXT:
	case T_CLOSED:
		break;
	default:
		if (k->sdef != NULL)
			*(char **)(base + k->off) = k->type == T_PATH ?
			    resolve_path(l->cfg, k->sdef) : g_strdup(k->sdef);
		break;
	}
}

static const struct key *
find_key(const char *section, const char *name, size_t *idx)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0) {
			*idx = i;
			return &keys[i];
		}
	return NULL;
}

static gboolean
known_section(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, name) == 0)
			return TRUE;
	return FALSE;
}

/* Edit distance, for "did you mean"; names are short. */
static guint
distance(const char *a, const char *b)
{
	guint la = strlen(a), lb = strlen(b), row[64], prev, tmp;

	if (lb >= G_N_ELEMENTS(row))
		return G_MAXUINT;
	for (guint j = 0; j <= lb; j++)
		row[j] = j;
	for (guint i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (guint j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1),
			    prev + (g_ascii_tolower(a[i - 1]) != g_ascii_tolower(b[j - 1])));
			prev = tmp;
		}
	}
	return row[lb];
}

/* A hint for an unknown key: a close name in its section, or its real section. */
static char *
suggest(const char *section, const char *name)
{
	const struct key *best = NULL;
	guint d, bestd = 3;

	for (size_t i = 0; i < NKEYS; i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		if ((d = distance(name, keys[i].name)) < bestd) {
			bestd = d;
			best = &keys[i];
		}
	}
	if (best != NULL)
		return g_strdup_printf(" (did you mean '%s'?)", best->name);
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return g_strdup_printf(" (it belongs in section %s)", keys[i].section);
	return g_strdup("");
}

static gboolean
is_password_key(const char *name)
{
	return g_ascii_strcasecmp(name, "password") == 0 ||
	    g_ascii_strcasecmp(name, "passwd") == 0 ||
	    g_ascii_strcasecmp(name, "pass") == 0 ||
	    g_ascii_strcasecmp(name, "secret") == 0;
}

/*
 * The production template marks what the installer must write with a
 * string starting "FILL IN" (systemd/guichet.conf.in).  Such a value is an
 * error naming its key and what to write, and no other check runs on it.
 * Strings nested in lists and groups are looked at too.
 */
#define PLACEHOLDER	"FILL IN"

static gboolean
is_placeholder(const config_setting_t *s)
{
	const char *v;

	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		return (v = config_setting_get_string(s)) != NULL &&
		    g_ascii_strncasecmp(v, PLACEHOLDER, strlen(PLACEHOLDER)) == 0;
	if (config_setting_is_aggregate(s))
		for (int i = 0; i < config_setting_length(s); i++)
			if (is_placeholder(config_setting_get_elem(s, i)))
				return TRUE;
	return FALSE;
}

static void
placeholder_report(struct loader *l, const char *key, const config_setting_t *s)
{
	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		const char *v = config_setting_get_string(s) + strlen(PLACEHOLDER);

		while (*v == ':' || *v == ' ')
			v++;
		SERR(l, s, "fill in %s%s%s", key, *v != '\0' ? ": " : "", v);
		return;
	}
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);

		if (is_placeholder(e))
			placeholder_report(l, key, e);
	}
}

static gboolean
placeholder(struct loader *l, const char *section, const char *name, const config_setting_t *s)
{
	g_autofree char *key = NULL;

	if (!is_placeholder(s))
		return FALSE;
	key = g_strdup_printf("%s.%s", section, name);
	placeholder_report(l, key, s);
	l->placeholders++;
	return TRUE;
}

/* Walk the file: every setting must be a known key of a known section. */
static void
walk(struct loader *l, config_setting_t *root)
{
	int nsec = config_setting_length(root);

	for (int i = 0; i < nsec; i++) {
		config_setting_t *sec = config_setting_get_elem(root, i);
		const char *sname = config_setting_name(sec);

		if (is_password_key(sname)) {
			SERR(l, sec, "passwords are never in this file: use password_file "
			    "or password_credential");
			continue;
		}
		if (!known_section(sname)) {
			SERR(l, sec, "unknown section '%s'", sname);
			continue;
		}
		if (config_setting_type(sec) != CONFIG_TYPE_GROUP) {
			SERR(l, sec, "'%s' must be a group: %s = { ... };", sname, sname);
			continue;
		}
		g_hash_table_insert(l->cfg->lines, g_strdup(sname),
		    GINT_TO_POINTER(config_setting_source_line(sec)));
		for (int j = 0; j < config_setting_length(sec); j++) {
			config_setting_t *s = config_setting_get_elem(sec, j);
			const char *name = config_setting_name(s);
			const struct key *k;
			size_t idx;

			if (is_password_key(name)) {
				SERR(l, s, "passwords are never in this file: use "
				    "password_file or password_credential");
				continue;
			}
			if ((k = find_key(sname, name, &idx)) == NULL) {
				g_autofree char *hint = suggest(sname, name);

				SERR(l, s, "unknown key '%s.%s'%s", sname, name, hint);
				continue;
			}
			l->line[idx] = config_setting_source_line(s);
			g_hash_table_insert(l->cfg->lines, g_strdup_printf("%s.%s", sname, name),
			    GINT_TO_POINTER(l->line[idx]));
			if (placeholder(l, sname, name, s))
				continue;
			load_key(l, k, s);
		}
	}
}

/* The line of key section.name, else of its section, else 0. */
static int
line_of(struct loader *l, config_t *cf, const char *section, const char *name)
{
	size_t idx;
	config_setting_t *sec;

	if (name != NULL && find_key(section, name, &idx) != NULL && l->line[idx] > 0)
		return l->line[idx];
	sec = config_lookup(cf, section);
	return sec != NULL ? config_setting_source_line(sec) : 0;
}

static void
check_server(struct loader *l, config_t *cf, const char *sec, struct server_config *s,
    int tls_port, int starttls_port, int plain_port)
{
	if (s->host != NULL && s->security != NULL &&
	    strcmp(s->security, "plain") == 0 && !host_is_loopback(s->host))
		add_error(l, NULL, line_of(l, cf, sec, "security"),
		    "%s.security \"plain\" sends the password in clear: only allowed "
		    "when host resolves only to loopback addresses (127.0.0.1, ::1, localhost), "
		    "\"%s\" does not (use \"tls\" or \"starttls\")", sec, s->host);
	if (s->port == 0 && s->security != NULL)
		s->port = strcmp(s->security, "tls") == 0 ? tls_port :
		    strcmp(s->security, "starttls") == 0 ? starttls_port : plain_port;
	if (s->password_file != NULL && s->password_credential != NULL)
		add_error(l, NULL, line_of(l, cf, sec, "password_credential"),
		    "%s: give password_file or password_credential, not both", sec);
	if (s->user != NULL && s->password_file == NULL && s->password_credential == NULL)
		add_error(l, NULL, line_of(l, cf, sec, "user"),
		    "%s.user is set but no password: add password_file or password_credential", sec);
	if (s->user == NULL && (s->password_file != NULL || s->password_credential != NULL))
		add_error(l, NULL, line_of(l, cf, sec, "password_file"),
		    "%s: a password is given but no user", sec);
}

/* Defaults taken from other keys, and checks between keys. */
static void
finish(struct loader *l, config_t *cf)
{
	struct config *c = l->cfg;

	for (size_t i = 0; i < NKEYS; i++) {
		if (l->line[i] > 0)
			continue;
		if (keys[i].flags & K_REQUIRED) {
			int line = line_of(l, cf, keys[i].section, NULL);

			if (line > 0)
				add_error(l, NULL, line, "missing %s.%s in section %s",
				    keys[i].section, keys[i].name, keys[i].section);
			else
				add_error(l, NULL, 1, "missing %s.%s (no section %s)",
				    keys[i].section, keys[i].name, keys[i].section);
		} else
			set_default(l, &keys[i]);
	}
	/* digest.time "HH:MM" or "off" (the timer unit sends it), digest.days. */
	c->digest_time = -1;
	if (c->digest_time_s != NULL && g_ascii_strcasecmp(c->digest_time_s, "off") != 0) {
		const char *why = hours_parse_time(c->digest_time_s, &c->digest_time);

		if (why != NULL) {
			add_error(l, NULL, line_of(l, cf, "digest", "time"),
			    "digest.time \"%s\" %s (like \"07:30\", or \"off\" when "
			    "guichet-digest.timer sends it)", c->digest_time_s, why);
			c->digest_time = -1;
		}
	}
	if (c->digest_days_s != NULL) {
		const char *why = hours_parse_days(c->digest_days_s, &c->digest_days);

		if (why != NULL)
			add_error(l, NULL, line_of(l, cf, "digest", "days"),
			    "digest.days \"%s\" %s (like \"mon,tue,wed,thu,fri\")",
			    c->digest_days_s, why);
	}
	/* Between keys, the checks would only repeat "fill in". */
	if (l->placeholders > 0)
		return;
	check_server(l, cf, "imap", &c->imap, 993, 143, 143);
	check_server(l, cf, "smtp", &c->smtp, 465, 587, 25);

	/* The delegate always may command; the list holds each address once. */
	if (c->delegate_addr != NULL) {
		GPtrArray *a = g_ptr_array_new();

		g_ptr_array_add(a, g_strdup(c->delegate_addr));
		for (char **p = c->delegate_addrs; p != NULL && *p != NULL; p++)
			if (strcmp(*p, c->delegate_addr) != 0)
				g_ptr_array_add(a, g_strdup(*p));
		g_ptr_array_add(a, NULL);
		g_strfreev(c->delegate_addrs);
		c->delegate_addrs = (char **)g_ptr_array_free(a, FALSE);
	}
	if (c->digest_to == NULL)
		c->digest_to = g_strdup(c->delegate_addr);
	/* Urgent alerts go to the delegate when no list is given. */
	if ((c->notify_urgent == NULL || c->notify_urgent[0] == NULL) &&
	    c->delegate_addr != NULL) {
		g_strfreev(c->notify_urgent);
		c->notify_urgent = g_new0(char *, 2);
		c->notify_urgent[0] = g_strdup(c->delegate_addr);
	}
	if (c->privacy_controller == NULL)
		c->privacy_controller = g_strdup(c->org_name);
	if (c->privacy_contact == NULL)
		c->privacy_contact = g_strdup(c->contact_addr);
	if (c->helo == NULL)
		c->helo = g_strdup(g_get_host_name());
	if (c->imap_after != NULL && strcmp(c->imap_after, "move") == 0 &&
	    c->imap_done_folder != NULL && c->imap_folder != NULL &&
	    strcmp(c->imap_done_folder, c->imap_folder) == 0)
		add_error(l, NULL, line_of(l, cf, "imap", "done_folder"),
		    "imap.done_folder must differ from imap.folder");
	if (c->contact_addr != NULL && c->delegate_addr != NULL &&
	    strcmp(c->contact_addr, c->delegate_addr) == 0)
		add_error(l, NULL, line_of(l, cf, "identity", "delegate_address"),
		    "identity.delegate_address must differ from contact_address "
		    "(digests would come back as requests)");
}

static char *
absolute_dir(const char *file)
{
	g_autofree char *dir = g_path_get_dirname(file);

	return g_canonicalize_filename(dir, NULL);
}

struct config *
config_load(const char *file, GError **err)
{
	struct config *c = g_new0(struct config, 1);
	struct loader l = { 0 };
	config_t cf;

	c->path = g_strdup(file);
	c->dir = absolute_dir(file);
	c->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	l.file = file;
	l.cfg = c;
	l.errors = g_ptr_array_new_with_free_func(problem_free);

	config_init(&cf);
	config_set_include_dir(&cf, c->dir);
	if (config_read_file(&cf, file) != CONFIG_TRUE) {
		if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
			    "%s: cannot read: %s", file, g_strerror(errno));
		else {
			const char *text = config_error_text(&cf);

			g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
			    "%s:%d: %s%s",
			    config_error_file(&cf) != NULL ? config_error_file(&cf) : file,
			    config_error_line(&cf),
			    strstr(text, "syntax error") != NULL ? "" : "syntax error: ", text);
		}
		config_destroy(&cf);
		g_ptr_array_unref(l.errors);
		config_free(c);
		return NULL;
	}
	walk(&l, config_root_setting(&cf));
	finish(&l, &cf);
	config_destroy(&cf);
	if (l.errors->len > 0) {
		GString *all = g_string_new(NULL);

		g_ptr_array_sort(l.errors, problem_cmp);
		for (guint i = 0; i < l.errors->len; i++) {
			const struct problem *e = g_ptr_array_index(l.errors, i);

			g_string_append_printf(all, "%s%s:%d: %s", i ? "\n" : "",
			    e->file, e->line, e->what);
		}
		g_set_error_literal(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG, all->str);
		g_string_free(all, TRUE);
		g_ptr_array_unref(l.errors);
		config_free(c);
		return NULL;
	}
	g_ptr_array_unref(l.errors);
	return c;
}

int
config_line(const struct config *c, const char *section, const char *name)
{
	g_autofree char *key = name != NULL ? g_strdup_printf("%s.%s", section, name) : NULL;
	gpointer v;

	if (key != NULL && (v = g_hash_table_lookup(c->lines, key)) != NULL)
		return GPOINTER_TO_INT(v);
	if ((v = g_hash_table_lookup(c->lines, section)) != NULL)
		return GPOINTER_TO_INT(v);
	return 1;
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	if (c->lines != NULL)
		g_hash_table_unref(c->lines);
	/* Every string field is in the table, plus path and dir. */
	for (size_t i = 0; i < NKEYS; i++) {
		switch (keys[i].type) {
		case T_INT: case T_SIZE: case T_BOOL:
		case T_HOURS_TEXT: case T_CLOSED:
			break;
		case T_HOURS:
			hours_free(c->hours);
			break;
		case T_LANGTEXT:
			if (*(GHashTable **)((char *)c + keys[i].off) != NULL)
				g_hash_table_unref(*(GHashTable **)((char *)c +
				    keys[i].off));
			break;
		case T_ADDRS: case T_DOMAINS:
			g_strfreev(*(char ***)((char *)c + keys[i].off));
			break;
		default:
			g_free(*(char **)((char *)c + keys[i].off));
			break;
		}
	}
	g_free(c->path);
	g_free(c->dir);
	g_free(c);
}

const char *
config_lang_text(GHashTable *table, const char *lang)
{
	const char *v = NULL;

	if (table == NULL)
		return NULL;
	if (lang != NULL)
		v = g_hash_table_lookup(table, lang);
	if (v == NULL || *v == '\0')
		v = g_hash_table_lookup(table, "fr");
	return v != NULL && *v != '\0' ? v : NULL;
}
