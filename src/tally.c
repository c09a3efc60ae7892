/*
 * tally.c: one scan of requests in a time range, counted into several
 * breakdowns at once.  Each row costs a few hash look-ups on a key built
 * in a stack buffer; nothing is allocated per row but new groups' rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "actions.h"
#include "tally.h"
#include "viewfmt.h"

static const char *const field_names[TF_NFIELDS] = {
	"domain", "topic", "requester", "commune", "language", "status", "reply",
	"urgent", "month", "week"
};

int
tally_field_parse(const char *name)
{
	for (int i = 0; i < TF_NFIELDS; i++)
		if (name != NULL && strcmp(name, field_names[i]) == 0)
			return i;
	return -1;
}

const char *
tally_field_name(int f)
{
	return f >= 0 && f < TF_NFIELDS ? field_names[f] : "?";
}

struct group {
	int		 n;
	gboolean	 delays;
	int		 f[TALLY_MAXF];
	GHashTable	*rows;		/* key -> struct tally_row * */
};

struct bucket {
	gint64		 start;
	char		 label[16];
};

static void
row_free(struct tally_row *r)
{
	for (int i = 0; i < TALLY_MAXF; i++)
		g_free(r->values[i]);
	if (r->delays != NULL)
		g_array_unref(r->delays);
	g_free(r);
}

static void
group_free(struct group *g)
{
	g_hash_table_unref(g->rows);
	g_free(g);
}

struct tally *
tally_new(GTimeZone *tz, gint64 from, gint64 to)
{
	struct tally *t = g_new0(struct tally, 1);

	t->tz = g_time_zone_ref(tz);
	t->from = from;
	t->to = to;
	t->delays = g_array_new(FALSE, FALSE, sizeof(gint64));
	t->groups = g_ptr_array_new_with_free_func((GDestroyNotify)group_free);
	return t;
}

void
tally_free(struct tally *t)
{
	if (t == NULL)
		return;
	g_time_zone_unref(t->tz);
	g_array_unref(t->delays);
	g_ptr_array_unref(t->groups);
	g_free(t);
}

int
tally_group(struct tally *t, const int *fields, int n, gboolean delays)
{
	struct group *g = g_new0(struct group, 1);

	g->delays = delays;
	g->n = MIN(n, TALLY_MAXF);
	memcpy(g->f, fields, g->n * sizeof(int));
	g->rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    (GDestroyNotify)row_free);
	g_ptr_array_add(t->groups, g);
	return (int)t->groups->len - 1;
}

gboolean
tally_span(struct store *st, gint64 *first, gint64 *last)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT min(created), max(created) FROM requests",
	    NULL);
	gboolean ok = FALSE;

	if (s == NULL)
		return FALSE;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*first = sqlite3_column_int64(s, 0);
		*last = sqlite3_column_int64(s, 1);
		ok = TRUE;
	}
	sqlite3_finalize(s);
	return ok;
}

/* Month or ISO-week starts covering [from, to), in tz. */
static GArray *
buckets(GTimeZone *tz, gint64 from, gint64 to, gboolean week)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct bucket));
	g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc(from);
	g_autoptr(GDateTime) l = g_date_time_to_timezone(u, tz);
	GDateTime *d;

	if (week) {
		g_autoptr(GDateTime) day = g_date_time_new(tz, g_date_time_get_year(l),
		    g_date_time_get_month(l), g_date_time_get_day_of_month(l), 0, 0, 0);

		d = g_date_time_add_days(day, 1 - g_date_time_get_day_of_week(day));
	} else
		d = g_date_time_new(tz, g_date_time_get_year(l), g_date_time_get_month(l),
		    1, 0, 0, 0);
	while (d != NULL && g_date_time_to_unix(d) < to && a->len < 100000) {
		struct bucket b;
		GDateTime *next;

		b.start = g_date_time_to_unix(d);
		if (week)
			g_snprintf(b.label, sizeof b.label, "%04d-W%02d",
			    g_date_time_get_week_numbering_year(d),
			    g_date_time_get_week_of_year(d));
		else
			g_snprintf(b.label, sizeof b.label, "%04d-%02d",
			    g_date_time_get_year(d), g_date_time_get_month(d));
		g_array_append_val(a, b);
		/* Add to the local midnight, not seconds: DST days are 23 or 25 h. */
		next = week ? g_date_time_add_weeks(d, 1) : g_date_time_add_months(d, 1);
		g_date_time_unref(d);
		d = next;
		if (d != NULL) {
			GDateTime *m = g_date_time_new(tz, g_date_time_get_year(d),
			    g_date_time_get_month(d), g_date_time_get_day_of_month(d), 0, 0, 0);

			g_date_time_unref(d);
			d = m;
		}
	}
	if (d != NULL)
		g_date_time_unref(d);
	return a;
}

static const char *
bucket_of(GArray *a, gint64 t)
{
	guint lo = 0, hi = a->len;

	if (a->len == 0 || t < g_array_index(a, struct bucket, 0).start)
		return NULL;
	while (hi - lo > 1) {
		guint mid = (lo + hi) / 2;

		if (g_array_index(a, struct bucket, mid).start <= t)
			lo = mid;
		else
			hi = mid;
	}
	return g_array_index(a, struct bucket, lo).label;
}

gboolean
tally_run(struct tally *t, struct store *st, GError **err)
{
	static const char *const cols[TF_NFIELDS] = {
		"domain", "topic", "requester", "commune", "language", "status", "reply",
		"urgent", NULL, NULL
	};
	int colidx[TF_NFIELDS], ncol = 2;
	gboolean need[TF_NFIELDS] = { FALSE };
	g_autoptr(GString) sql = g_string_new("SELECT created, answered");
	g_autoptr(GArray) months = NULL, weeks = NULL;
	const char *val[TF_NFIELDS];
	sqlite3_stmt *s;
	char key[2048];
	int rc;

	need[TF_URGENT] = TRUE;		/* the totals count urgent requests */
	for (guint i = 0; i < t->groups->len; i++) {
		struct group *g = g_ptr_array_index(t->groups, i);

		for (int k = 0; k < g->n; k++)
			need[g->f[k]] = TRUE;
	}
	for (int f = 0; f < TF_NFIELDS; f++) {
		colidx[f] = -1;
		if (need[f] && cols[f] != NULL) {
			g_string_append_printf(sql, ", %s", cols[f]);
			colidx[f] = ncol++;
		}
	}
	/* INDEXED BY would fail on a store without it; the planner picks it. */
	g_string_append(sql, " FROM requests WHERE created >= ?1 AND created < ?2");
	if (need[TF_MONTH] || need[TF_WEEK]) {
		gint64 first = t->from, last = t->to;

		if (tally_span(st, &first, &last)) {
			first = MAX(first, t->from);
			last = MIN(last + 1, t->to);
		}
		if (need[TF_MONTH])
			months = buckets(t->tz, first, last, FALSE);
		if (need[TF_WEEK])
			weeks = buckets(t->tz, first, last, TRUE);
	}
	if ((s = store_prepare(st, sql->str, err)) == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, t->from);
	sqlite3_bind_int64(s, 2, t->to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 created = sqlite3_column_int64(s, 0);
		gboolean answered = sqlite3_column_type(s, 1) != SQLITE_NULL;
		gint64 delay = answered ? sqlite3_column_int64(s, 1) - created : 0;
		gboolean urgent = FALSE;

		for (int f = 0; f < TF_NFIELDS; f++) {
			if (colidx[f] >= 0)
				val[f] = (const char *)sqlite3_column_text(s, colidx[f]);
		}
		if (colidx[TF_URGENT] >= 0) {
			urgent = sqlite3_column_int(s, colidx[TF_URGENT]) != 0;
			val[TF_URGENT] = urgent ? "yes" : "no";
		}
		if (months != NULL)
			val[TF_MONTH] = bucket_of(months, created);
		if (weeks != NULL)
			val[TF_WEEK] = bucket_of(weeks, created);
		t->requests++;
		t->urgent += urgent;
		if (answered) {
			t->answered++;
			g_array_append_val(t->delays, delay);
		}
		for (guint i = 0; i < t->groups->len; i++) {
			struct group *g = g_ptr_array_index(t->groups, i);
			struct tally_row *r;
			gsize len = 0;

			for (int k = 0; k < g->n; k++) {
				const char *v = val[g->f[k]];
				gsize vl = v != NULL ? strlen(v) : 1;

				if (len + vl + 2 >= sizeof key)
					vl = sizeof key - len - 2;
				if (v != NULL)
					memcpy(key + len, v, vl);
				else
					key[len] = '\x1e';	/* empty, unlike "" */
				len += vl;
				key[len++] = '\x1f';
			}
			key[len] = '\0';
			if ((r = g_hash_table_lookup(g->rows, key)) == NULL) {
				r = g_new0(struct tally_row, 1);
				for (int k = 0; k < g->n; k++)
					r->values[k] = g_strdup(val[g->f[k]]);
				if (g->delays)
					r->delays = g_array_new(FALSE, FALSE, sizeof(gint64));
				g_hash_table_insert(g->rows, g_strdup(key), r);
			}
			r->requests++;
			r->urgent += urgent;
			if (answered) {
				r->answered++;
				if (r->delays != NULL)
					g_array_append_val(r->delays, delay);
			}
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "statistics: %s",
		    sqlite3_errmsg(store_db(st)));
		return FALSE;
	}
	return TRUE;
}

static int ncmp_fields;

static int
cmp_values(const struct tally_row *a, const struct tally_row *b)
{
	for (int k = 0; k < ncmp_fields; k++) {
		const char *x = a->values[k], *y = b->values[k];
		int c;

		if (x == NULL || y == NULL) {
			if (x != y)
				return x == NULL ? 1 : -1;
			continue;
		}
		if ((c = g_utf8_collate(x, y)) != 0 || (c = strcmp(x, y)) != 0)
			return c;
	}
	return 0;
}

static int
cmp_rows(gconstpointer a, gconstpointer b)
{
	return cmp_values(*(struct tally_row *const *)a, *(struct tally_row *const *)b);
}

static int
cmp_count(gconstpointer a, gconstpointer b)
{
	const struct tally_row *x = *(struct tally_row *const *)a;
	const struct tally_row *y = *(struct tally_row *const *)b;

	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	return cmp_values(x, y);
}

GPtrArray *
tally_rows(struct tally *t, int gi, gboolean by_count)
{
	struct group *g = g_ptr_array_index(t->groups, gi);
	GPtrArray *a = g_ptr_array_new();
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, g->rows);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(a, v);
	ncmp_fields = g->n;
	g_ptr_array_sort(a, by_count ? cmp_count : cmp_rows);
	return a;
}

gint64
tally_count(struct tally *t, int gi, const char *v)
{
	struct group *g = g_ptr_array_index(t->groups, gi);
	g_autofree char *key = g_strdup_printf("%s\x1f", v != NULL ? v : "\x1e");
	struct tally_row *r = g_hash_table_lookup(g->rows, key);

	return r != NULL ? r->requests : 0;
}

static int
cmp_i64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

	return x < y ? -1 : x > y;
}

gint64
tally_percentile(GArray *a, double p)
{
	gsize k;

	if (a == NULL || a->len == 0)
		return -1;
	g_array_sort(a, cmp_i64);
	k = (gsize)ceil(p * a->len - 1e-9);
	k = k < 1 ? 1 : k;
	return g_array_index(a, gint64, MIN(k, a->len) - 1);
}

gint64
tally_median(GArray *a)
{
	if (a == NULL || a->len == 0)
		return -1;
	g_array_sort(a, cmp_i64);
	if (a->len % 2)
		return g_array_index(a, gint64, a->len / 2);
	return (g_array_index(a, gint64, a->len / 2 - 1) +
	    g_array_index(a, gint64, a->len / 2)) / 2;
}

static void
time_free(gpointer p)
{
	struct tally_time *k = p;

	g_free(k->kind);
	g_free(k);
}

GPtrArray *
tally_time(struct store *st, const char *from, const char *to, GError **err)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(time_free);
	sqlite3_stmt *s = store_prepare(st, "SELECT kind, count(*), sum(minutes) FROM time_log "
	    "WHERE date >= ?1 AND date < ?2 GROUP BY kind ORDER BY kind", err);
	g_autoptr(GPtrArray) other = g_ptr_array_new();
	int rc;

	if (s == NULL) {
		g_ptr_array_unref(a);
		return NULL;
	}
	sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct tally_time *k = g_new0(struct tally_time, 1);

		k->kind = g_strdup((const char *)sqlite3_column_text(s, 0));
		k->entries = sqlite3_column_int64(s, 1);
		k->minutes = sqlite3_column_int64(s, 2);
		g_ptr_array_add(other, k);
	}
	sqlite3_finalize(s);
	/* The known kinds first, in their usual order, then any others. */
	for (int i = 0; action_time_kinds[i] != NULL; i++)
		for (guint j = 0; j < other->len; j++) {
			struct tally_time *k = g_ptr_array_index(other, j);

			if (k != NULL && strcmp(k->kind, action_time_kinds[i]) == 0) {
				g_ptr_array_add(a, k);
				other->pdata[j] = NULL;
			}
		}
	for (guint j = 0; j < other->len; j++)
		if (other->pdata[j] != NULL)
			g_ptr_array_add(a, other->pdata[j]);
	if (rc != SQLITE_DONE) {
		g_set_error(err, GUICHET_ERROR, GUICHET_ERROR_STORE, "time_log: %s",
		    sqlite3_errmsg(store_db(st)));
		g_ptr_array_unref(a);
		return NULL;
	}
	return a;
}
