/*
 * config.h: guichet.conf, loaded once and validated into struct config.
 * All strings are owned by the struct and freed by config_free().  Relative
 * paths in the file are resolved against the file's folder at load.
 * The struct never changes after load: SIGHUP builds a new one.
 */
#ifndef GUICHET_CONFIG_H
#define GUICHET_CONFIG_H

#include <glib.h>
#include "error.h"
#include "hours.h"

#define GUICHET_DEFAULT_CONFIG	"/etc/guichet/guichet.conf"

struct server_config {
	char		*host;
	int		 port;
	char		*security;	/* "tls", "starttls" or "plain" */
	char		*user;		/* NULL: no authentication (smtp only) */
	char		*password_file;	/* absolute path, or NULL */
	char		*password_credential; /* systemd credential name, or NULL */
	char		*ca_file;	/* NULL: system trust store */
	gboolean	 verify;	/* TRUE unless verify = false */
	int		 timeout;	/* seconds */
};

struct config {
	char		*path;		/* the file loaded */
	char		*dir;		/* its folder */
	GHashTable	*lines;		/* "section.key" and "section" -> line in path */

	/* identity */
	char		*org_name;	/* "Commune de Chippis" */
	char		*region_code;	/* prefix of references, "CHI" */
	char		*delegate_name;
	GHashTable	*delegate_title;/* lang -> the delegate's title, may be NULL */
	GHashTable	*org_names;	/* lang -> org_name in that language, may be NULL */
	char		*delegate_addr;	/* where digests and notices go */
	char	       **delegate_addrs;/* addresses allowed to command (NULL-terminated), incl. delegate_addr */
	char		*contact_addr;	/* the public address; From of replies */
	struct office_hours *hours;	/* office hours, closed periods, free text; NULL: none */
	char		*phone;		/* office phone, may be NULL */
	char		*default_language; /* "fr" */
	char		*timezone;	/* "Europe/Zurich" */

	/* files */
	char		*store_path;
	char		*rules_dir;
	char		*templates_dir;
	char		*training_dir;	/* labelled examples; NULL: RULES/training */
	char		*model_path;	/* NULL: guichet.model beside the store */

	/* the learned model (percentages) */
	gboolean	 model_enabled;
	int		 model_threshold;	/* least probability to decide a label */
	int		 model_strong_threshold; /* ... over rules that are not decisive */
	int		 model_silent_threshold; /* ... where no rule gives the label */
	int		 model_urgent_threshold; /* the model alone flags urgent from */
	int		 model_urgent_weak_threshold; /* ... beside a weak urgency rule */
	int		 model_urgent_calm_threshold; /* ... alone in a not-urgent frame */
	int		 model_urgent_damp_threshold; /* strong rules in a past/event frame need */
	int		 model_weak_evidence;	/* rule evidence at or below: weak */
	int		 model_correction_weight; /* copies of a delegate's correction */
	int		 model_retrain_after;	/* corrections that trigger a retrain, 0 never */

	/* limits */
	gsize		 max_message_size;	/* bytes */
	int		 reply_cap_per_sender;	/* automatic replies per sender per 24 h */
	int		 reply_cap_per_hour;	/* automatic replies per hour, all senders */
	int		 reply_cap_per_domain;	/* automatic replies per recipient domain per 24 h */
	char		**cap_exempt_domains;	/* domains without the domain cap; NULL: built-in list */
	int		 answer_within_days;	/* promised in the acknowledgment */
	int		 flood_cap;		/* requests per sender per window, 0: no flood rule */
	int		 flood_window_hours;

	/* the receiving server's own spam verdict (kind_spam.c); header NULL: off */
	char		*spam_header;		/* "X-Junk" */
	char		*spam_value;		/* "yes": the value starts with it */

	/* mailbox */
	struct server_config imap;
	char		*imap_folder;		/* "INBOX" */
	char		*imap_after;		/* "move" or "flag" */
	char		*imap_done_folder;	/* for "move" */
	char		*imap_quarantine_folder;
	char		*imap_sent_folder;	/* NULL: not watched */
	char		*imap_claim_folder;	/* the installation's claim on the mailbox (claim.c) */
	char		*imap_flag;		/* keyword for "flag", "$Guichet" */
	gboolean	 imap_idle;		/* use IDLE when offered */
	int		 poll_interval;		/* seconds */

	/* smtp */
	struct server_config smtp;
	char		*envelope_sender;	/* "" for <> (RFC 3834), else an address */
	char		*helo;			/* default: the host name */
	int		 send_retry_max_hours;	/* give up after */
	int		 smtp_sessions;		/* SMTP connections at once for a long outbox */

	/* retention (days) */
	int		 retention_text_days;	/* texts and raw mail after close */
	int		 retention_pseudonymise_days; /* sender address/name after */
	int		 retention_quarantine_days;

	/* privacy notice */
	char		*privacy_controller;	/* who is responsible */
	char		*privacy_contact;	/* whom to ask for access/erasure */

	/* digest and scheduled reports */
	char		*digest_to;		/* default delegate_addr */
	char		*digest_time_s;		/* digest.time as written: "07:30", "off" */
	char		*digest_days_s;		/* digest.days as written */
	int		 digest_time;		/* minutes after midnight, -1: not sent by the daemon */
	guint		 digest_days;		/* bit 0 Monday .. bit 6 Sunday */
	gboolean	 monthly_report;
	gboolean	 annual_report;

	/* urgent requests (urgent.h) */
	char	       **notify_urgent;		/* alert recipients (NULL-terminated); default delegate_addr */
	int		 escalate_after;	/* seconds before one reminder; default 7200 */

	/* commands by mail */
	char		*command_authserv_id;	/* trusted Authentication-Results id, or NULL */
	char		*command_secret_file;	/* per-installation secret, or NULL */
};

/*
 * Load and validate FILE.  On failure returns NULL and sets err whose
 * message holds every problem, one "file:line: what is wrong" per line.
 */
struct config	*config_load(const char *file, GError **err);
void		 config_free(struct config *);
/* The line of section.name in c->path, else of its section, else 1. */
int		 config_line(const struct config *c, const char *section, const char *name);

/*
 * Read the password of a server: from password_file (refused when group
 * or others can read it) or from $CREDENTIALS_DIRECTORY/NAME.  Returns a
 * g_malloc'ed string the caller wipes and frees, or NULL with err.
 */
char		*config_read_secret(const struct server_config *, GError **err);

/* The command secret, or NULL when none is configured. */
char		*config_read_command_secret(const struct config *, GError **err);

/* The text of a per-language table for lang, else French, else NULL. */
const char	*config_lang_text(GHashTable *table, const char *lang);

#endif
