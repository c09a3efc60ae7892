/*
 * store_query.h: the read models of the delegate's view, the digest, the
 * statistics and the reports (store_query.c).  Each function opens a
 * cursor (store.h) over the columns it names, in that order, or returns
 * NULL and sets err; the caller ends it with store_cursor_end/free.
 */
#ifndef GUICHET_STORE_QUERY_H
#define GUICHET_STORE_QUERY_H

#include <glib.h>

struct store;
struct store_cursor;

/* Requests created >= from, of status and domain (NULL: any), at most lim
 * (-1: all), open urgent ones first, then in creation order: ref, created,
 * status, domain, requester, commune, language, subject, urgent. */
struct store_cursor *store_view_requests(struct store *, gint64 from, const char *status,
		    const char *domain, gint64 lim, GError **err);
/* Request id: ref, status, created, answered, closed, requester, domain,
 * topic, commune, language, urgent, reply, reply_reason, tags, sender_name,
 * sender_addr, subject, minutes in the time log, kind. */
struct store_cursor *store_view_request(struct store *, gint64 id, GError **err);
/* Messages of request id in order: direction, status, received, from_name,
 * from_addr, subject, text, reply, reply_reason, rules, attachments,
 * language, reason, purged. */
struct store_cursor *store_view_messages(struct store *, gint64 id, GError **err);
/* Outbox rows of request id: created, kind, rcpt, status, attempts, sent,
 * last_answer. */
struct store_cursor *store_view_outbox(struct store *, gint64 id, GError **err);
/* Events of request id: time, kind, detail. */
struct store_cursor *store_view_events(struct store *, gint64 id, GError **err);
/* Time log from..to (YYYY-MM-DD, NULL: open): date, minutes, kind, ref, note. */
struct store_cursor *store_view_timelog(struct store *, const char *from, const char *to,
		    GError **err);

/*
 * The digest.  DIGEST_REQ below stands for the columns of a request: id,
 * ref, created, requester, commune, language, domain, topic, subject,
 * urgent, reply, reply_reason, status.
 */
/* Outbox rows of request id but digests, in order: kind, status. */
struct store_cursor *store_digest_replies(struct store *, gint64 id, GError **err);
/* The text of the first (last: the latest) inbound message of request id. */
struct store_cursor *store_digest_excerpt(struct store *, gint64 id, gboolean last,
		    GError **err);
/* Requests created in [since, until), urgent first, then by domain and
 * time: DIGEST_REQ. */
struct store_cursor *store_digest_new(struct store *, gint64 since, gint64 until,
		    GError **err);
/* Older requests written to again in [since, until): DIGEST_REQ, then when
 * the latest message came. */
struct store_cursor *store_digest_followups(struct store *, gint64 since, gint64 until,
		    GError **err);
/* Open requests (-1 on a store error). */
gint64		 store_count_open(struct store *, GError **err);
/* Ids of open requests created before until, urgent ones first, then the oldest. */
struct store_cursor *store_digest_open_ids(struct store *, gint64 until, GError **err);
/* Request id: DIGEST_REQ. */
struct store_cursor *store_digest_request(struct store *, gint64 id, GError **err);
/* Mail whose sending failed for good in [since, until) (mails of no request:
 * created since orphans_since): kind, rcpt, last_answer, created, ref,
 * request_id. */
struct store_cursor *store_digest_failed(struct store *, gint64 since, gint64 until,
		    gint64 orphans_since, GError **err);
/* Messages quarantined in [since, until): received, from_addr, subject, reason. */
struct store_cursor *store_digest_quarantined(struct store *, gint64 since, gint64 until,
		    GError **err);

/* The statistics. */
/* Creation time of the first and last request; FALSE when there is none. */
gboolean	 store_request_span(struct store *, gint64 *first, gint64 *last);
/*
 * Requests created in [from, to): created, answered (NULL: not yet), then
 * the columns named in cols (NULL-terminated, among domain, topic,
 * requester, commune, language, status, reply, urgent) in that order.
 */
struct store_cursor *store_stats_requests(struct store *, gint64 from, gint64 to,
		    const char *const *cols, GError **err);
/* Time log dated [from, to) by kind, in kind order: kind, entries, minutes. */
struct store_cursor *store_time_by_kind(struct store *, const char *from, const char *to,
		    GError **err);

/* Distinct senders of newcomer information requests created in [from, to). */
gint64		 store_newcomer_persons(struct store *, gint64 from, gint64 to);
/* Requests created >= since, in id order: id, ref, domain, topic, requester,
 * commune, language, urgent, raw of the first inbound message (NULL once
 * purged), whether the delegate corrected a label. */
struct store_cursor *store_reclassify_requests(struct store *, gint64 since, GError **err);
/* Was anything recorded before t (a request, or a time log entry before day)? */
gboolean	 store_history_before(struct store *, gint64 t, const char *day);

#endif
