/*
 * pipeline.c: the one path of every message (see pipeline.h).
 *
 *   parse -> language -> follow-up? -> rules -> reply decision
 *   then, in ONE transaction: message, request (new or followed up),
 *   outbox rows, mailbox position.  Nothing outside the store is touched.
 */
#include <stdio.h>
#include <string.h>
#include "classify.h"
#include "decide.h"
#include "kind.h"
#include "log.h"
#include "mailcmd.h"
#include "parse.h"
#include "pipeline.h"
#include "recipient.h"
#include "reply.h"
#include "sha256.h"
#include "jsonw.h"
#include "store_urgent.h"
#include "urgent.h"
#include "store_kind.h"
#include "vocab.h"

/*
 * Time spent per stage, for `make bench` (GUICHET_PROFILE=1 in the
 * environment); reported by pipeline_profile_report().
 */
enum { ST_PARSE, ST_FACTS, ST_LANG, ST_KIND, ST_RULES, ST_MODEL, ST_DECIDE, ST_STORE, ST_N };
static const char *const stage_names[ST_N] = {
	"parse+text", "store look-ups", "language", "kind", "rules", "model",
	"reply decision+build", "store (commit)"
};
static gint64 stage_us[ST_N];
static int profiling = -1;

static gint64
stage_start(void)
{
	if (profiling < 0)
		profiling = g_getenv("GUICHET_PROFILE") != NULL;
	return profiling ? g_get_monotonic_time() : 0;
}

/* Two threads may time stages at once (pipeline_prelabel): atomic adds. */
static void
stage_end(int stage, gint64 t0)
{
	if (profiling > 0)
		__atomic_fetch_add(&stage_us[stage], g_get_monotonic_time() - t0,
		    __ATOMIC_RELAXED);
}

void
pipeline_profile_report(FILE *f)
{
	gint64 total = 0;

	if (profiling <= 0)
		return;
	for (int i = 0; i < ST_N; i++)
		total += stage_us[i];
	for (int i = 0; i < ST_N; i++)
		fprintf(f, "profile: %-22s %10.3f s %5.1f%%\n", stage_names[i],
		    stage_us[i] / 1e6, total ? 100.0 * stage_us[i] / total : 0.0);
}

static void
quarantine(struct request *r, const char *why)
{
	r->status = REQ_QUARANTINED;
	request_set(&r->reason, why);
	r->reply = REPLY_NONE;
	request_set(&r->reply_reason, "quarantined");
}

/*
 * What counts as "the same message": the same Message-ID and the same bytes,
 * not counting the trace headers each delivery adds (Received, Return-Path,
 * Delivered-To, ...).  The same mail fetched again (a re-scan after a
 * UIDVALIDITY change, a copy delivered twice) is stored once; different
 * messages that reuse a Message-ID (mail programs and test suites do) are
 * all kept.  Without a Message-ID, the hash of all the bytes.
 */
static gboolean
is_trace_header(const char *line, gsize len)
{
	static const char *const trace[] = { "received:", "return-path:",
	    "delivered-to:", "x-original-to:", "authentication-results:",
	    "arc-", "x-spam", "x-virus", "received-spf:", "x-delivered-to:" };

	for (guint i = 0; i < G_N_ELEMENTS(trace); i++)
		if (len >= strlen(trace[i]) &&
		    g_ascii_strncasecmp(line, trace[i], strlen(trace[i])) == 0)
			return TRUE;
	return FALSE;
}

static void
same_message_key(struct request *r)
{
	struct sha256 *sum;
	const char *p, *end;
	gboolean skipping = FALSE;
	g_autofree char *hex = NULL;

	if (r->message_id == NULL || r->raw == NULL)
		return;
	sum = sha256_new();
	p = (const char *)r->raw;
	end = p + r->raw_len;
	/* Header lines (with their continuations), trace ones left out. */
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		gsize len = nl != NULL ? (gsize)(nl - p + 1) : (gsize)(end - p);

		if (len == 1 || (len == 2 && p[0] == '\r'))
			break;			/* end of the header */
		if (p[0] != ' ' && p[0] != '\t')
			skipping = is_trace_header(p, len);
		if (!skipping)
			sha256_update(sum, p, len);
		p += len;
	}
	sha256_update(sum, p, end - p);
	hex = sha256_finish(sum);
	g_free(r->dedup_key);
	r->dedup_key = g_strdup_printf("%s|%.16s", r->message_id, hex);
}

/* Parse and compute the dedup key; FALSE when r was quarantined. */
static gboolean
pipeline_parse(struct pipeline *p, struct request *r)
{
	const struct config *cfg = p->setup->cfg;
	GError *e = NULL;

	if (r->dedup_key != NULL)	/* already parsed */
		return r->status != REQ_QUARANTINED;
	if (r->size > cfg->max_message_size) {
		/* The caller kept only the head of a huge file: do not parse it. */
		g_autofree char *why = g_strdup_printf(
		    "message too large (%" G_GSIZE_FORMAT " bytes > limit %" G_GSIZE_FORMAT ")",
		    r->size, cfg->max_message_size);

		if (r->raw_sha256 == NULL)
			r->raw_sha256 = sha256_hex(r->raw, r->raw_len);
		r->dedup_key = g_strconcat("sha256:", r->raw_sha256, NULL);
		quarantine(r, why);
		return FALSE;
	}
	gint64 t0 = stage_start();
	gboolean ok = parse_request(r, cfg->max_message_size, &e);

	stage_end(ST_PARSE, t0);
	if (!ok) {
		if (r->raw_sha256 == NULL)
			r->raw_sha256 = sha256_hex(r->raw != NULL ? r->raw :
			    (const guint8 *)"", r->raw_len);
		if (r->dedup_key == NULL)
			r->dedup_key = g_strconcat("sha256:", r->raw_sha256, NULL);
		quarantine(r, e != NULL ? e->message : "unreadable message");
		g_clear_error(&e);
		return FALSE;
	}
	same_message_key(r);
	return TRUE;
}

/* The kind of r from what the store knows (NULL: no store). */
static void
kind_stage(struct pipeline *p, struct request *r, struct message_facts *f)
{
	kind_decide(p->setup->cfg, r, f != NULL ? &f->kind : NULL);
}

/*
 * The stages that label r: language, the rules, then the model beside
 * them (ruleset_apply, then classify_combine, timed apart).  No I/O.
 */
static void
label(struct pipeline *p, struct request *r)
{
	gint64 t0 = stage_start();

	langid_detect(p->lang, r, p->setup->cfg->default_language);
	stage_end(ST_LANG, t0);
	t0 = stage_start();
	ruleset_apply(p->setup->rules, r);
	stage_end(ST_RULES, t0);
	t0 = stage_start();
	classify_combine(p->setup->rules, p->model, p->setup->cfg, r);
	stage_end(ST_MODEL, t0);
}

void
pipeline_prelabel(struct pipeline *p, struct request *r)
{
	(void)stage_start();	/* reads GUICHET_PROFILE before the threads race */
	if (!pipeline_parse(p, r))
		return;
	mailcmd_classify(p->setup, r);
	if (!r->is_command)
		label(p, r);
	r->labelled = TRUE;
}

/*
 * A duplicate is not classified: the labels pipeline_prelabel computed
 * ahead are dropped, so that it reads as before (no language, no rules).
 */
static void
unlabel(struct request *r)
{
	g_clear_pointer(&r->language, g_free);
	g_clear_pointer(&r->language_runner_up, g_free);
	g_clear_pointer(&r->requester, g_free);
	g_clear_pointer(&r->domain, g_free);
	g_clear_pointer(&r->topic, g_free);
	g_clear_pointer(&r->commune, g_free);
	g_ptr_array_set_size(r->hits, 0);
	r->labelled = FALSE;
}

gboolean
pipeline_label(struct pipeline *p, struct request *r)
{
	if (!pipeline_parse(p, r))
		return FALSE;
	label(p, r);
	return TRUE;
}

void
pipeline_classify(struct pipeline *p, struct request *r)
{
	const struct config *cfg = p->setup->cfg;
	struct message_facts f = { 0 };
	struct reply_facts facts = { FALSE, 0, 0, 0 };
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gint64 t0;

	if (!pipeline_parse(p, r))
		return;
	/* A command mail of the delegate is no request (mailcmd.h). */
	if (!r->labelled)
		mailcmd_classify(p->setup, r);
	if (r->is_command) {
		kind_decide(cfg, r, NULL);
		r->reply = REPLY_COMMAND;
		request_set(&r->reply_reason, "command mail from a delegate address");
		return;
	}
	/* Where a reply may go (recipient.h): from the headers alone. */
	recipient_choose(cfg, r);
	/* What the store knows, in one call; the stages below compute only. */
	if (p->store != NULL) {
		t0 = stage_start();
		store_message_facts(p->store, r, now, (gint64)cfg->flood_window_hours * 3600, &f);
		stage_end(ST_FACTS, t0);
		facts.own_message = f.own_message;
		facts.sender_24h = f.sender_24h;
		facts.global_1h = f.global_1h;
		facts.domain_24h = f.domain_24h;
		if (f.followup != 0) {
			g_free(r->ref);
			r->ref = g_strdup(f.followup_ref);
		}
	}
	/*
	 * The kind reads none of the labels and the labels none of the kind
	 * (nor the follow-up reference), so pipeline_prelabel may have run
	 * the language, rules and model already.
	 */
	if (!r->labelled)
		label(p, r);
	t0 = stage_start();
	kind_stage(p, r, p->store != NULL ? &f : NULL);
	stage_end(ST_KIND, t0);
	t0 = stage_start();
	if (!kind_joins_request(r)) {
		/* Not a request: stored, never answered, in no figure. */
		g_autofree char *why = g_strdup_printf("not a request (%s: %s)",
		    mail_kind_str(r->kind), r->kind_reason);

		r->urgent = FALSE;
		g_ptr_array_set_size(r->forwards, 0);
		r->reply = REPLY_NONE;
		request_set(&r->reply_reason, why);
		stage_end(ST_DECIDE, t0);
		message_facts_clear(&f);
		return;
	}
	r->followup = r->kind == MAIL_FOLLOWUP;
	decide_reply(cfg, r, &facts);
	if (r->followup) {
		g_autofree char *why = g_strdup_printf("%s of %s", r->flood ? "flood follow-up" :
		    r->thanks ? "thanks" : "follow-up", r->ref);

		r->reply = REPLY_NONE;
		request_set(&r->reply_reason, why);
		/* Forwarded once already; a flood message can still raise the one alert. */
		if (r->flood || r->thanks)
			g_ptr_array_set_size(r->forwards, 0);
		if (r->thanks)
			r->urgent = FALSE;	/* asks nothing */
	}
	stage_end(ST_DECIDE, t0);
	message_facts_clear(&f);
}

/* Queue every mail r causes; a build failure is recorded, never fatal. */
static gboolean
queue_replies(struct pipeline *p, struct request *r, gint64 now, GError **err)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)outmail_free);
	GError *e = NULL;

	if (!reply_build_all(p->setup, r, out, &e)) {
		g_autofree char *why = g_strdup_printf("reply not built: %s",
		    e ? e->message : "unknown error");

		log_warnx("%s: %s", r->ref, why);
		g_clear_error(&e);
		r->reply = REPLY_NONE;
		request_set(&r->reply_reason, why);
		return store_set_reply(p->store, r, err);
	}
	for (guint i = 0; i < out->len; i++) {
		const struct outmail *m = g_ptr_array_index(out, i);

		if (!store_outbox_add(p->store, r->request_id, m, now, err))
			return FALSE;
	}
	return TRUE;
}

/* The alert was queued with r's mails: record it (the reminder counts from it). */
static gboolean
alert_event(struct pipeline *p, struct request *r, gint64 now, GError **err)
{
	g_autofree char *fam = urgency_label_fr(urgency_of_request(r));
	char **to = p->setup->cfg->notify_urgent;
	guint n = to != NULL ? g_strv_length(to) : 0;
	g_autofree char *detail = g_strdup_printf("%s ; %u destinataire%s", fam, n,
	    n > 1 ? "s" : "");

	return store_event(p->store, r->request_id, "urgent-alert", detail, now, err);
}

/*
 * A follow-up that is urgent (the person writes again: "expulsion ce
 * soir"), when the request was never alerted or its alert was handled
 * already (alert_due, asked before the follow-up reopened it): the request
 * becomes urgent and the alert goes out now, with this message's text.
 * While an earlier alert still waits, its reminder covers this one.  The
 * sender's reply stays none (follow-ups are never answered automatically).
 */
static gboolean
urgent_followup(struct pipeline *p, struct request *r, gboolean alert_due, gint64 now,
    GError **err)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)outmail_free);
	GError *e = NULL;

	if (!r->urgent || !alert_due)
		return TRUE;
	if (!store_urgent_mark(p->store, r->request_id, r->tags, now, err))
		return FALSE;
	if (!reply_build_alerts(p->setup, r, 0, out, &e)) {
		log_warnx("%s: urgent alert not built: %s", r->ref, e->message);
		g_clear_error(&e);
		return TRUE;
	}
	for (guint i = 0; i < out->len; i++)
		if (!store_outbox_add(p->store, r->request_id, g_ptr_array_index(out, i),
		    now, err))
			return FALSE;
	return out->len == 0 || alert_event(p, r, now, err);
}

/*
 * Run the commands of r and queue the one answer (inside the transaction).
 * Of the mail itself only its command lines are kept: the raw bytes and
 * the quoted digest below hold requesters' data no retention would reach.
 */
static gboolean
run_commands(struct pipeline *p, struct request *r, gint64 row, gint64 now, GError **err)
{
	g_autofree char *lines = mailcmd_lines(r);
	struct outmail *m = NULL;
	gboolean ok;

	if (!store_message_keep_text(p->store, row, lines, err))
		return FALSE;
	if (p->run_commands == NULL) {
		log_warnx("command mail %s: commands are not run here; kept",
		    r->message_id != NULL ? r->message_id : "-");
		return TRUE;
	}
	ok = p->run_commands(p->store, p->setup, r, now, &m, err) &&
	    store_outbox_add(p->store, 0, m, now, err) != 0;

	outmail_free(m);
	return ok;
}

static gboolean store_transaction(struct pipeline *, struct request *,
    const struct origin *, int, gint64, GError **);

gboolean
pipeline_process(struct pipeline *p, struct request *r, const struct origin *o,
    int flags, GError **err)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC, t0;
	struct store *s = p->store;
	gboolean ok;

	pipeline_parse(p, r);
	if (s != NULL && store_has_message(s, r->dedup_key, NULL)) {
		if (r->labelled)
			unlabel(r);
		r->status = REQ_DUPLICATE;
		g_free(r->ref);
		r->ref = store_message_ref(s, r->dedup_key);
		r->reply = REPLY_NONE;
		request_set(&r->reply_reason, "duplicate");
		/* Still advance the mailbox position: it is stored already. */
		if (o != NULL && o->mailbox != NULL && !(flags & PIPE_DRY_RUN)) {
			gint64 v, last;

			store_mailbox_get(s, o->mailbox, &v, &last);
			if (v != o->uidvalidity || o->uid > last)
				return store_mailbox_set(s, o->mailbox,
				    o->uidvalidity, o->uid, err);
		}
		return TRUE;
	}
	if (r->status != REQ_QUARANTINED)
		pipeline_classify(p, r);
	if ((flags & PIPE_DRY_RUN) || s == NULL)
		return TRUE;
	t0 = stage_start();
	ok = store_transaction(p, r, o, flags, now, err);
	stage_end(ST_STORE, t0);
	return ok;
}

/* One transaction: message, request or follow-up, outbox rows, position. */
static gboolean
store_transaction(struct pipeline *p, struct request *r, const struct origin *o,
    int flags, gint64 now, GError **err)
{
	struct store *s = p->store;
	/*
	 * Inside the caller's transaction (a group commit): no savepoint.  A
	 * savepoint makes SQLite copy every page it changes into a statement
	 * journal, in case of a rollback to it: that was most of the bytes
	 * ingest wrote.  A store error is fatal to the group instead: the
	 * whole transaction is rolled back, nothing of it was reported.
	 */
	gboolean nested = store_in_transaction(s);
	gint64 row;

	if (!nested && !store_begin(s, err))
		return FALSE;
	if (r->status == REQ_QUARANTINED) {
		if (!store_insert_message(s, r, o ? o->mailbox : NULL,
		    o ? o->uidvalidity : 0, o ? o->uid : 0, now, err))
			goto fail;
	} else if (r->is_command) {
		/* No request: the message row (for dedup), the commands, one answer. */
		if ((row = store_insert_message(s, r, o ? o->mailbox : NULL,
		    o ? o->uidvalidity : 0, o ? o->uid : 0, now, err)) == 0 ||
		    !run_commands(p, r, row, now, err))
			goto fail;
	} else if (r->kind_set && !kind_joins_request(r)) {
		/* Not a request: the message row only, for dedup, digest and promote. */
		r->request_id = -1;
		if (!store_insert_message(s, r, o ? o->mailbox : NULL,
		    o ? o->uidvalidity : 0, o ? o->uid : 0, now, err))
			goto fail;
		if (r->command_refused != NULL &&
		    !store_event(s, 0, "command-refused", r->command_refused, now, err))
			goto fail;
	} else if (r->followup) {
		gboolean alert_due = r->urgent && store_urgent_needs_alert(s, r->request_id);

		/* A thank-you or a flood message does not reopen what was closed. */
		if (!store_insert_message(s, r, o ? o->mailbox : NULL,
		    o ? o->uidvalidity : 0, o ? o->uid : 0, now, err) ||
		    (!r->thanks && !r->flood && !store_reopen(s, r->request_id, now, err)) ||
		    ((r->thanks || r->flood) && !store_event(s, r->request_id,
		    r->flood ? "flood" : "thanks", NULL, now, err)))
			goto fail;
		if (r->forwards->len > 0 && !queue_replies(p, r, now, err))
			goto fail;
		if (!urgent_followup(p, r, alert_due, now, err))
			goto fail;
	} else {
		if (!store_insert_request(s, r, now, err) ||
		    !store_insert_message(s, r, o ? o->mailbox : NULL,
		    o ? o->uidvalidity : 0, o ? o->uid : 0, now, err) ||
		    !queue_replies(p, r, now, err))
			goto fail;
		if (r->urgent && p->setup->cfg->notify_urgent != NULL &&
		    p->setup->cfg->notify_urgent[0] != NULL && !alert_event(p, r, now, err))
			goto fail;
	}
	if (r->command_refused != NULL && r->request_id > 0 &&
	    !store_event(s, r->request_id, "command-refused", r->command_refused, now, err))
		goto fail;
	if (r->command_refused != NULL &&
	    !mailcmd_refused(s, p->setup, r, r->request_id, now, err))
		goto fail;
	if (o != NULL && o->mailbox != NULL &&
	    !store_mailbox_set(s, o->mailbox, o->uidvalidity, o->uid, err))
		goto fail;
	if (!nested && !store_commit(s, (flags & PIPE_DURABLE) != 0, err))
		return FALSE;
	if (r->command_refused != NULL)
		log_warnx("command mail %s refused, %s: %s",
		    r->message_id != NULL ? r->message_id : "-",
		    r->kind == MAIL_COMMAND ? "not a request" : "kept as a request",
		    r->command_refused);
	else if (r->kind_set && !kind_joins_request(r) && !r->is_command &&
	    r->status != REQ_QUARANTINED)
		log_info("%s: not a request, kind %s: %s", r->source != NULL ? r->source : "-",
		    mail_kind_str(r->kind), r->kind_reason != NULL ? r->kind_reason : "-");
	else if (r->is_command)
		log_info("command mail %s: commands run, answer queued",
		    r->message_id != NULL ? r->message_id : "-");
	if (r->status != REQ_QUARANTINED)
		r->status = REQ_STORED;
	return TRUE;
fail:
	store_rollback(s);
	if (r->status != REQ_QUARANTINED) {
		g_free(r->ref);
		r->ref = NULL;
	}
	return FALSE;
}

static const char *
status_name(enum req_status st)
{
	switch (st) {
	case REQ_STORED: return "stored";
	case REQ_DUPLICATE: return "duplicate";
	case REQ_QUARANTINED: return "quarantined";
	default: return "classified";
	}
}

/* How each label was decided: the rules' and the model's top two. */
static void
add_why(JsonBuilder *b, const struct request *r)
{
	static const char *const names[WHY_N] = { "domain", "topic", "requester", "urgent" };

	json_builder_set_member_name(b, "scores");
	json_builder_begin_object(b);
	for (int i = 0; i < WHY_N; i++) {
		const struct why *w = &r->why[i];

		json_builder_set_member_name(b, names[i]);
		json_builder_begin_object(b);
		jsonw_str(b, "by", w->by);
		json_builder_set_member_name(b, "rules");
		json_builder_begin_array(b);
		for (int k = 0; k < 2 && w->rule[k] != NULL; k++) {
			json_builder_begin_object(b);
			jsonw_str(b, "value", w->rule[k]);
			json_builder_set_member_name(b, "evidence");
			json_builder_add_double_value(b, w->rule_score[k]);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_set_member_name(b, "model");
		json_builder_begin_array(b);
		for (int k = 0; k < 2 && w->model[k] != NULL; k++) {
			json_builder_begin_object(b);
			jsonw_str(b, "value", w->model[k]);
			json_builder_set_member_name(b, "p");
			json_builder_add_double_value(b, w->model_p[k]);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
}

JsonNode *
pipeline_to_json(const struct request *r, gboolean explain)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	gboolean classified = r->status != REQ_QUARANTINED && r->language != NULL;

	json_builder_begin_object(b);
	jsonw_str(b, "file", r->file != NULL ? r->file : r->source);
	jsonw_str(b, "status", status_name(r->status));
	jsonw_str(b, "reason", r->status == REQ_QUARANTINED ? r->reason : NULL);
	jsonw_str(b, "ref", r->ref);
	jsonw_str(b, "kind", r->kind_set ? mail_kind_str(r->kind) : NULL);
	jsonw_str(b, "kind_reason", r->kind_set ? r->kind_reason : NULL);
	jsonw_str(b, "message_id", r->message_id);
	jsonw_str(b, "from", r->from_addr);
	jsonw_str(b, "subject", r->subject);
	jsonw_str(b, "language", classified ? r->language : NULL);
	jsonw_str(b, "requester", classified ? r->requester : NULL);
	jsonw_str(b, "domain", classified ? r->domain : NULL);
	jsonw_str(b, "topic", classified ? r->topic : NULL);
	jsonw_str(b, "commune", classified ? r->commune : NULL);
	json_builder_set_member_name(b, "urgent");
	if (classified)
		json_builder_add_boolean_value(b, r->urgent);
	else
		json_builder_add_null_value(b);
	{
		/* the situation of an urgent request (urgent.h): "violence,child" */
		g_autofree char *fam = classified && r->urgent ?
		    urgency_label(urgency_of_request(r)) : NULL;

		jsonw_str(b, "urgency", fam);
	}
	jsonw_str(b, "reply", reply_kind_str(r->reply));
	jsonw_str(b, "reply_reason", r->reply_reason);
	json_builder_set_member_name(b, "rules");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(r->hits, i);
		json_builder_add_string_value(b, h->rule);
	}
	json_builder_end_array(b);
	if (explain) {
		json_builder_set_member_name(b, "explain");
		json_builder_begin_object(b);
		jsonw_str(b, "language_runner_up", r->language_runner_up);
		jsonw_str(b, "language_variant", r->language_variant);
		jsonw_str(b, "language_note", r->language_note);
		jsonw_str(b, "content_language", r->content_language);
		jsonw_str(b, "reply_template", r->reply_template);
		jsonw_str(b, "reply_addr", r->reply_addr);
		jsonw_str(b, "reply_addr_why", r->reply_addr != NULL ? r->reply_addr_note :
		    r->reply_addr_why);
		json_builder_set_member_name(b, "followup");
		json_builder_add_boolean_value(b, r->followup);
		jsonw_str(b, "command_refused", r->command_refused);
		json_builder_set_member_name(b, "html_only");
		json_builder_add_boolean_value(b, r->html_only);
		json_builder_set_member_name(b, "attachments");
		json_builder_add_int_value(b, r->attachments->len);
		jsonw_strv(b, "tags", r->tags);
		jsonw_strv(b, "forwards", r->forwards);
		add_why(b, r);
		json_builder_set_member_name(b, "hits");
		json_builder_begin_array(b);
		for (guint i = 0; i < r->hits->len; i++) {
			const struct rule_hit *h = g_ptr_array_index(r->hits, i);

			json_builder_begin_object(b);
			jsonw_str(b, "rule", h->rule);
			jsonw_str(b, "at", h->file);
			jsonw_str(b, "words", h->words);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
	return json_builder_get_root(b);
}
