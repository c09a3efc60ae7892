/*
 * imap.c: the fetch stage over IMAP (libetpan).  See imap.h.
 *
 * libetpan pitfalls handled here (NOTES.md): "UID FETCH N:*" answers the
 * newest message even past the end (UIDs are filtered); fetched bodies die
 * with their fetch list (copied first); IDLE data may already sit in the
 * stream's buffer (imap_idle_pending).  TLS, SNI and certificate checks
 * live in net.c.
 */
#include <string.h>
#include <unistd.h>
#include <libetpan/libetpan.h>
#include "imap.h"
#include "net.h"
#include "log.h"

struct imap {
	mailimap	*imap;
	char		*host;
	gboolean	 broken;
	gboolean	 has_move;
	gboolean	 has_uidplus;
	gboolean	 has_idle;
	gboolean	 idling;
};

/* Fill err for libetpan's rc; stream and parse errors break the session. */
static gboolean
fail(struct imap *s, int rc, const char *what, GError **err)
{
	const char *answer = s->imap != NULL ? s->imap->imap_response : NULL;

	switch (rc) {
	case MAILIMAP_ERROR_STREAM:
	case MAILIMAP_ERROR_PARSE:
	case MAILIMAP_ERROR_CONNECTION_REFUSED:
	case MAILIMAP_ERROR_FATAL:
	case MAILIMAP_ERROR_MEMORY:
	case MAILIMAP_ERROR_BAD_STATE:
	case MAILIMAP_ERROR_SSL:
		s->broken = TRUE;
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_TEMP,
		    "imap %s: %s: connection lost or timed out (error %d)",
		    s->host, what, rc);
		break;
	case MAILIMAP_ERROR_LOGIN:
	case MAILIMAP_ERROR_SASL:
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_CONFIG,
		    "imap %s: login refused%s%s", s->host,
		    answer != NULL ? ": " : "", answer != NULL ? answer : "");
		break;
	default:
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_INPUT,
		    "imap %s: %s refused%s%s", s->host, what,
		    answer != NULL ? ": " : "", answer != NULL ? answer : "");
		break;
	}
	return FALSE;
}

struct imap *
imap_open(const struct config *cfg, GError **err)
{
	struct mailimap_capability_data *caps = NULL;
	struct imap *s;
	int rc;

	s = g_new0(struct imap, 1);
	s->host = g_strdup(cfg->imap.host);
	/* net.c connects, verifies the certificate and logs in. */
	if ((s->imap = net_imap_connect(&cfg->imap, NULL, err)) == NULL) {
		imap_close(s);
		return NULL;
	}
	/* Servers often send new capabilities after login: ask again. */
	rc = mailimap_capability(s->imap, &caps);
	if (rc != MAILIMAP_NO_ERROR) {
		fail(s, rc, "CAPABILITY", err);
		imap_close(s);
		return NULL;
	}
	mailimap_capability_data_free(caps);
	s->has_move = mailimap_has_extension(s->imap, "MOVE") != 0;
	s->has_uidplus = mailimap_has_uidplus(s->imap) != 0;
	s->has_idle = mailimap_has_idle(s->imap) != 0;
	log_debug("imap %s: logged in as %s (MOVE %s, UIDPLUS %s, IDLE %s)",
	    s->host, cfg->imap.user, s->has_move ? "yes" : "no",
	    s->has_uidplus ? "yes" : "no", s->has_idle ? "yes" : "no");
	return s;
}

void
imap_close(struct imap *s)
{
	if (s == NULL)
		return;
	if (s->imap != NULL) {
		if (!s->broken) {
			if (s->idling)
				mailimap_idle_done(s->imap);
			mailimap_logout(s->imap);
		}
		mailimap_free(s->imap);
	}
	g_free(s->host);
	g_free(s);
}

gboolean imap_has_idle(const struct imap *s) { return s->has_idle; }
gboolean imap_broken(const struct imap *s) { return s->broken; }

gboolean
imap_select(struct imap *s, const char *folder, gboolean readonly,
    guint32 *uidvalidity, GError **err)
{
	struct mailimap_selection_info *sel;
	int rc;

	rc = readonly ? mailimap_examine(s->imap, folder) :
	    mailimap_select(s->imap, folder);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, readonly ? "EXAMINE" : "SELECT", err);
	sel = s->imap->imap_selection_info;
	if (sel == NULL || sel->sel_uidvalidity == 0) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_INPUT,
		    "imap %s: %s: the server gave no UIDVALIDITY", s->host, folder);
		return FALSE;
	}
	*uidvalidity = sel->sel_uidvalidity;
	return TRUE;
}

gboolean
imap_status(struct imap *s, const char *folder, guint32 *uidvalidity,
    guint32 *uidnext, GError **err)
{
	struct mailimap_status_att_list *atts;
	struct mailimap_mailbox_data_status *st = NULL;
	int rc;

	*uidvalidity = *uidnext = 0;
	atts = mailimap_status_att_list_new_empty();
	mailimap_status_att_list_add(atts, MAILIMAP_STATUS_ATT_UIDVALIDITY);
	mailimap_status_att_list_add(atts, MAILIMAP_STATUS_ATT_UIDNEXT);
	rc = mailimap_status(s->imap, folder, atts, &st);
	mailimap_status_att_list_free(atts);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "STATUS", err);
	if (st->st_info_list != NULL) {
		for (clistiter *it = clist_begin(st->st_info_list); it != NULL; it = clist_next(it)) {
			struct mailimap_status_info *si = clist_content(it);

			if (si->st_att == MAILIMAP_STATUS_ATT_UIDVALIDITY)
				*uidvalidity = si->st_value;
			else if (si->st_att == MAILIMAP_STATUS_ATT_UIDNEXT)
				*uidnext = si->st_value;
		}
	}
	mailimap_mailbox_data_status_free(st);
	return TRUE;
}

gboolean
imap_ensure_folder(struct imap *s, const char *folder, GError **err)
{
	clist *list = NULL;
	gboolean found;
	int rc;

	rc = mailimap_list(s->imap, "", folder, &list);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "LIST", err);
	found = list != NULL && clist_count(list) > 0;
	if (list != NULL)
		mailimap_list_result_free(list);
	if (found)
		return TRUE;
	if ((rc = mailimap_create(s->imap, folder)) != MAILIMAP_NO_ERROR)
		return fail(s, rc, "CREATE", err);
	log_info("imap %s: created folder %s", s->host, folder);
	return TRUE;
}

/* Ascending guint32 order for g_array_sort. */
static gint
cmp_uid(gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;

	return x < y ? -1 : x > y;
}

GArray *
imap_list_uids(struct imap *s, guint32 first, guint32 last,
    const char *unkeyword, GError **err)
{
	struct mailimap_search_key *key;
	clist *result = NULL;
	GArray *uids;
	int rc;

	if (first == 0)
		first = 1;
	key = mailimap_search_key_new_multiple_empty();
	mailimap_search_key_multiple_add(key, mailimap_search_key_new_uid(
	    mailimap_set_new_interval(first, last)));
	if (unkeyword != NULL)
		mailimap_search_key_multiple_add(key,
		    mailimap_search_key_new_unkeyword(strdup(unkeyword)));
	rc = mailimap_uid_search(s->imap, NULL, key, &result);
	mailimap_search_key_free(key);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "UID SEARCH", err), NULL;
	uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it)) {
		guint32 uid = *(uint32_t *)clist_content(it);

		/* "N:*" always includes the newest message (NOTES pitfall 6). */
		if (uid >= first && (last == 0 || uid <= last))
			g_array_append_val(uids, uid);
	}
	mailimap_search_result_free(result);
	g_array_sort(uids, cmp_uid);
	return uids;
}

/* INTERNALDATE as unix seconds. */
static gint64
date_time_unix(const struct mailimap_date_time *dt)
{
	int zone = dt->dt_zone;	/* +0130 is 130 */
	int secs = (zone / 100) * 3600 + (zone % 100) * 60;
	g_autoptr(GTimeZone) tz = g_time_zone_new_offset(secs);
	g_autoptr(GDateTime) d = g_date_time_new(tz, dt->dt_year, dt->dt_month,
	    dt->dt_day, dt->dt_hour, dt->dt_min, dt->dt_sec);

	return d != NULL ? g_date_time_to_unix(d) : 0;
}

gboolean
imap_fetch(struct imap *s, guint32 uid, gboolean header_only, gsize max,
    guint8 **raw, gsize *len, gint64 *internaldate, GError **err)
{
	struct mailimap_fetch_type *ft;
	struct mailimap_section *section;
	struct mailimap_set *set;
	clist *result = NULL;
	int rc;

	*raw = NULL;
	*len = 0;
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_internaldate());
	section = header_only ? mailimap_section_new_header() : mailimap_section_new(NULL);
	mailimap_fetch_type_new_fetch_att_list_add(ft, max > 0 ?
	    mailimap_fetch_att_new_body_peek_section_partial(section, 0, (uint32_t)MIN(max, G_MAXUINT32)) :
	    mailimap_fetch_att_new_body_peek_section(section));
	set = mailimap_set_new_single(uid);
	rc = mailimap_uid_fetch(s->imap, set, ft, &result);
	mailimap_set_free(set);
	mailimap_fetch_type_free(ft);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "UID FETCH", err);

	for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it)) {
		struct mailimap_msg_att *att = clist_content(it);
		const char *body = NULL;
		gsize body_len = 0;
		guint32 got = 0;
		gint64 idate = 0;

		for (clistiter *i = clist_begin(att->att_list); i != NULL; i = clist_next(i)) {
			struct mailimap_msg_att_item *item = clist_content(i);
			struct mailimap_msg_att_static *st;

			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			st = item->att_data.att_static;
			switch (st->att_type) {
			case MAILIMAP_MSG_ATT_UID:
				got = st->att_data.att_uid;
				break;
			case MAILIMAP_MSG_ATT_INTERNALDATE:
				idate = date_time_unix(st->att_data.att_internal_date);
				break;
			case MAILIMAP_MSG_ATT_BODY_SECTION:
				body = st->att_data.att_body_section->sec_body_part;
				body_len = st->att_data.att_body_section->sec_length;
				break;
			default:
				break;
			}
		}
		/* Unsolicited FETCH responses (flag changes) may come along. */
		if (got != uid || body == NULL)
			continue;
		/* The body dies with the fetch list (NOTES pitfall 7). */
		*raw = g_malloc(body_len + 1);
		memcpy(*raw, body, body_len);
		(*raw)[body_len] = '\0';
		*len = body_len;
		if (internaldate != NULL)
			*internaldate = idate;
		break;
	}
	mailimap_fetch_list_free(result);
	return TRUE;
}

static struct mailimap_set *uid_set(const guint32 *uids, guint n);

/* UID, RFC822.SIZE and the body section of one FETCH answer. */
static void
msg_att_read(struct mailimap_msg_att *att, guint32 *uid, gsize *size,
    const char **body, gsize *body_len)
{
	*uid = 0;
	*size = 0;
	*body = NULL;
	*body_len = 0;
	for (clistiter *i = clist_begin(att->att_list); i != NULL; i = clist_next(i)) {
		struct mailimap_msg_att_item *item = clist_content(i);
		struct mailimap_msg_att_static *st;

		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		st = item->att_data.att_static;
		if (st->att_type == MAILIMAP_MSG_ATT_UID)
			*uid = st->att_data.att_uid;
		else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
			*size = st->att_data.att_rfc822_size;
		else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION) {
			*body = st->att_data.att_body_section->sec_body_part;
			*body_len = st->att_data.att_body_section->sec_length;
		}
	}
}

gboolean
imap_sizes(struct imap *s, struct imap_msg *m, guint n, GError **err)
{
	struct mailimap_fetch_type *ft;
	struct mailimap_set *set;
	g_autofree guint32 *uids = g_new(guint32, MAX(n, 1));
	clist *result = NULL;
	int rc;

	if (n == 0)
		return TRUE;
	for (guint i = 0; i < n; i++) {
		uids[i] = m[i].uid;
		m[i].size = 0;
		m[i].gone = TRUE;
	}
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_rfc822_size());
	set = uid_set(uids, n);
	rc = mailimap_uid_fetch(s->imap, set, ft, &result);
	mailimap_set_free(set);
	mailimap_fetch_type_free(ft);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "UID FETCH", err);
	for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it)) {
		guint32 uid;
		gsize size, bl;
		const char *body;

		msg_att_read(clist_content(it), &uid, &size, &body, &bl);
		for (guint i = 0; i < n; i++)
			if (m[i].uid == uid) {
				m[i].size = size;
				m[i].gone = FALSE;
			}
	}
	mailimap_fetch_list_free(result);
	return TRUE;
}

gboolean
imap_fetch_bodies(struct imap *s, struct imap_msg *m, guint n, GError **err)
{
	struct mailimap_fetch_type *ft;
	struct mailimap_set *set;
	g_autofree guint32 *uids = g_new(guint32, MAX(n, 1));
	clist *result = NULL;
	int rc;

	if (n == 0)
		return TRUE;
	for (guint i = 0; i < n; i++)
		uids[i] = m[i].uid;
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_body_peek_section(mailimap_section_new(NULL)));
	set = uid_set(uids, n);
	rc = mailimap_uid_fetch(s->imap, set, ft, &result);
	mailimap_set_free(set);
	mailimap_fetch_type_free(ft);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "UID FETCH", err);
	for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it)) {
		guint32 uid;
		gsize size, bl;
		const char *body;

		msg_att_read(clist_content(it), &uid, &size, &body, &bl);
		if (body == NULL)
			continue;	/* unsolicited FETCH (flag changes) */
		for (guint i = 0; i < n; i++)
			if (m[i].uid == uid && m[i].raw == NULL) {
				/* The body dies with the fetch list (NOTES pitfall 7). */
				m[i].raw = g_malloc(bl + 1);
				memcpy(m[i].raw, body, bl);
				m[i].raw[bl] = '\0';
				m[i].len = bl;
			}
	}
	mailimap_fetch_list_free(result);
	return TRUE;
}

gboolean
imap_size(struct imap *s, guint32 uid, gsize *size, GError **err)
{
	struct mailimap_fetch_type *ft;
	struct mailimap_set *set;
	clist *result = NULL;
	int rc;

	*size = 0;
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_rfc822_size());
	set = mailimap_set_new_single(uid);
	rc = mailimap_uid_fetch(s->imap, set, ft, &result);
	mailimap_set_free(set);
	mailimap_fetch_type_free(ft);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "UID FETCH", err);
	for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it)) {
		struct mailimap_msg_att *att = clist_content(it);
		guint32 got = 0;
		gsize sz = 0;

		for (clistiter *i = clist_begin(att->att_list); i != NULL; i = clist_next(i)) {
			struct mailimap_msg_att_item *item = clist_content(i);

			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			if (item->att_data.att_static->att_type == MAILIMAP_MSG_ATT_UID)
				got = item->att_data.att_static->att_data.att_uid;
			else if (item->att_data.att_static->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
				sz = item->att_data.att_static->att_data.att_rfc822_size;
		}
		if (got == uid) {
			*size = sz;
			break;
		}
	}
	mailimap_fetch_list_free(result);
	return TRUE;
}

/* A UID set of n UIDs (ranges merged by libetpan's order: ascending). */
static struct mailimap_set *
uid_set(const guint32 *uids, guint n)
{
	struct mailimap_set *set = mailimap_set_new_empty();
	guint i = 0;

	while (i < n) {
		guint j = i;

		while (j + 1 < n && uids[j + 1] == uids[j] + 1)
			j++;
		if (j == i)
			mailimap_set_add_single(set, uids[i]);
		else
			mailimap_set_add_interval(set, uids[i], uids[j]);
		i = j + 1;
	}
	return set;
}

/* COPY + \Deleted + expunge, for servers without MOVE. */
static gboolean
copy_delete(struct imap *s, struct mailimap_set *set, const char *folder, GError **err)
{
	struct mailimap_flag_list *flags;
	struct mailimap_store_att_flags *sa;
	int rc;

	rc = mailimap_uid_copy(s->imap, set, folder);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "UID COPY", err);
	flags = mailimap_flag_list_new_empty();
	mailimap_flag_list_add(flags, mailimap_flag_new_deleted());
	sa = mailimap_store_att_flags_new_add_flags_silent(flags);
	rc = mailimap_uid_store(s->imap, set, sa);
	mailimap_store_att_flags_free(sa);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "UID STORE", err);
	/*
	 * Without UIDPLUS a plain EXPUNGE also removes messages someone else
	 * marked \Deleted, as the delegate's own mail program would.
	 */
	rc = s->has_uidplus ? mailimap_uid_expunge(s->imap, set) :
	    mailimap_expunge(s->imap);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "EXPUNGE", err);
	return TRUE;
}

gboolean
imap_move_uids(struct imap *s, const guint32 *uids, guint n, const char *folder,
    GError **err)
{
	struct mailimap_set *set;
	gboolean ok = TRUE;
	int rc;

	if (n == 0)
		return TRUE;
	set = uid_set(uids, n);
	if (!s->has_move)
		ok = copy_delete(s, set, folder, err);
	else if ((rc = mailimap_uid_move(s->imap, set, folder)) != MAILIMAP_NO_ERROR)
		ok = fail(s, rc, "UID MOVE", err);
	mailimap_set_free(set);
	return ok;
}

gboolean
imap_move(struct imap *s, guint32 uid, const char *folder, GError **err)
{
	return imap_move_uids(s, &uid, 1, folder, err);
}

gboolean
imap_flag_uids(struct imap *s, const guint32 *uids, guint n, const char *flag, GError **err)
{
	struct mailimap_flag_list *flags;
	struct mailimap_store_att_flags *sa;
	struct mailimap_set *set;
	struct mailimap_flag *f;
	int rc;

	if (n == 0)
		return TRUE;
	if (g_ascii_strcasecmp(flag, "\\Flagged") == 0)
		f = mailimap_flag_new_flagged();
	else if (g_ascii_strcasecmp(flag, "\\Seen") == 0)
		f = mailimap_flag_new_seen();
	else
		f = mailimap_flag_new_flag_keyword(strdup(flag));
	flags = mailimap_flag_list_new_empty();
	mailimap_flag_list_add(flags, f);
	sa = mailimap_store_att_flags_new_add_flags_silent(flags);
	set = uid_set(uids, n);
	rc = mailimap_uid_store(s->imap, set, sa);
	mailimap_set_free(set);
	mailimap_store_att_flags_free(sa);
	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "UID STORE", err);
	return TRUE;
}

gboolean
imap_flag(struct imap *s, guint32 uid, const char *flag, GError **err)
{
	return imap_flag_uids(s, &uid, 1, flag, err);
}

gboolean
imap_append(struct imap *s, const char *folder, const char *data, gsize len, GError **err)
{
	int rc = mailimap_append_simple(s->imap, folder, data, len);

	return rc == MAILIMAP_NO_ERROR ? TRUE : fail(s, rc, "APPEND", err);
}

gboolean
imap_delete(struct imap *s, guint32 uid, GError **err)
{
	struct mailimap_flag_list *flags = mailimap_flag_list_new_empty();
	struct mailimap_store_att_flags *sa;
	struct mailimap_set *set = mailimap_set_new_single(uid);
	int rc;

	mailimap_flag_list_add(flags, mailimap_flag_new_deleted());
	sa = mailimap_store_att_flags_new_add_flags_silent(flags);
	rc = mailimap_uid_store(s->imap, set, sa);
	mailimap_store_att_flags_free(sa);
	if (rc == MAILIMAP_NO_ERROR)
		rc = s->has_uidplus ? mailimap_uid_expunge(s->imap, set) :
		    mailimap_expunge(s->imap);
	mailimap_set_free(set);
	return rc == MAILIMAP_NO_ERROR ? TRUE : fail(s, rc, "STORE/EXPUNGE", err);
}

void
imap_drop_in_child(struct imap *s)
{
	int fd;

	if (s == NULL || s->imap == NULL || s->imap->imap_stream == NULL)
		return;
	fd = mailstream_low_get_fd(mailstream_get_low(s->imap->imap_stream));
	if (fd >= 0)
		close(fd);
}

gboolean
imap_idle_start(struct imap *s, GError **err)
{
	int rc = mailimap_idle(s->imap);

	if (rc != MAILIMAP_NO_ERROR)
		return fail(s, rc, "IDLE", err);
	s->idling = TRUE;
	return TRUE;
}

int
imap_idle_fd(struct imap *s)
{
	return mailimap_idle_get_fd(s->imap);
}

gboolean
imap_idle_pending(struct imap *s)
{
	/* NOTES pitfall 5: the answer may already be buffered. */
	return s->imap->imap_stream != NULL &&
	    s->imap->imap_stream->read_buffer_len > 0;
}

gboolean
imap_idle_done(struct imap *s, GError **err)
{
	int rc;

	s->idling = FALSE;
	rc = mailimap_idle_done(s->imap);
	return rc == MAILIMAP_NO_ERROR ? TRUE : fail(s, rc, "IDLE DONE", err);
}
