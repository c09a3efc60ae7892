/*
 * tally.c: one scan of requests in a time range, counted into several
 * breakdowns at once.  Each label is interned once per row (a small id),
 * and a breakdown's row is found by the ids of its fields packed into one
 * 64-bit key; nothing is allocated per row but new breakdown rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include "tally.h"
#include "viewfmt.h"
#include "vocab.h"

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
	GHashTable	*rows;		/* gint64 ids of the fields -> struct tally_row * */
	GPtrArray	*byid;		/* one field: its id -> the same rows */
	/* Several fields: the same rows by key, open addressing (found per row). */
	gint64		*slot_key;
	struct tally_row **slot_row;	/* NULL: free */
	guint		 cap;		/* power of two */
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
	g_ptr_array_unref(g->byid);
	g_free(g->slot_key);
	g_free(g->slot_row);
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
	g->rows = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
	    (GDestroyNotify)row_free);
	g->byid = g_ptr_array_new();
	g->cap = 64;
	g->slot_key = g_new0(gint64, g->cap);
	g->slot_row = g_new0(struct tally_row *, g->cap);
	g_ptr_array_add(t->groups, g);
	return (int)t->groups->len - 1;
}

gboolean
tally_span(struct store *st, gint64 *first, gint64 *last)
{
	return store_request_span(st, first, last);
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

/* 1 + the index of the bucket holding t; 0 before the first. */
static guint
bucket_of(GArray *a, gint64 t)
{
	guint lo = 0, hi = a->len;

	if (a->len == 0 || t < g_array_index(a, struct bucket, 0).start)
		return 0;
	while (hi - lo > 1) {
		guint mid = (lo + hi) / 2;

		if (g_array_index(a, struct bucket, mid).start <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo + 1;
}

/*
 * Interned labels of one field: id 0 is "empty", others index names.  An
 * open-addressing table on an FNV-1a hash: labels are short and few, and
 * this is the one thing done for every field of every row.
 */
struct intern {
	GPtrArray	*names;		/* id -> char * (names[0] = NULL) */
	GArray		*lens;		/* id -> guint length */
	guint32		*slot_id;	/* 0: free */
	guint32		*slot_hash;
	guint		 cap;		/* power of two */
};

static void
intern_init(struct intern *in)
{
	guint zero = 0;

	in->names = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(in->names, NULL);
	in->lens = g_array_new(FALSE, FALSE, sizeof(guint));
	g_array_append_val(in->lens, zero);
	in->cap = 64;
	in->slot_id = g_new0(guint32, in->cap);
	in->slot_hash = g_new0(guint32, in->cap);
}

static void
intern_clear(struct intern *in)
{
	g_ptr_array_unref(in->names);
	g_array_unref(in->lens);
	g_free(in->slot_id);
	g_free(in->slot_hash);
}

static void
intern_put(struct intern *in, guint32 h, guint32 id)
{
	guint i = h & (in->cap - 1);

	while (in->slot_id[i] != 0)
		i = (i + 1) & (in->cap - 1);
	in->slot_id[i] = id;
	in->slot_hash[i] = h;
}

static guint
intern_find(struct intern *in, const char *v, guint len, guint32 h)
{
	guint32 id;
	guint i;

	for (i = h & (in->cap - 1); (id = in->slot_id[i]) != 0; i = (i + 1) & (in->cap - 1))
		if (in->slot_hash[i] == h && g_array_index(in->lens, guint, id) == len &&
		    memcmp(g_ptr_array_index(in->names, id), v, len) == 0)
			return id;
	if (in->names->len >= 0xffff)
		return 0xffff;		/* absurdly many labels: lumped */
	id = in->names->len;
	g_ptr_array_add(in->names, g_strndup(v, len));
	g_array_append_val(in->lens, len);
	if (2 * in->names->len > in->cap) {	/* grow and rehash */
		guint32 *ids = in->slot_id, *hs = in->slot_hash;
		guint old = in->cap;

		in->cap *= 2;
		in->slot_id = g_new0(guint32, in->cap);
		in->slot_hash = g_new0(guint32, in->cap);
		for (guint k = 0; k < old; k++)
			if (ids[k] != 0)
				intern_put(in, hs[k], ids[k]);
		g_free(ids);
		g_free(hs);
	}
	intern_put(in, h, id);
	return id;
}

static guint
intern_id(struct intern *in, const char *v, guint len)
{
	guint32 h = 2166136261u;

	if (v == NULL)
		return 0;
	for (guint k = 0; k < len; k++)
		h = (h ^ (guchar)v[k]) * 16777619u;
	return intern_find(in, v, len, h);
}

/* The same for a NUL-terminated label: hashed and measured in one pass. */
static guint
intern_str(struct intern *in, const char *v)
{
	guint32 h = 2166136261u;
	const char *p;

	if (v == NULL)
		return 0;
	for (p = v; *p != '\0'; p++)
		h = (h ^ (guchar)*p) * 16777619u;
	return intern_find(in, v, (guint)(p - v), h);
}

static guint
group_slot(const struct group *g, gint64 key)
{
	return (guint)(((guint64)key * G_GUINT64_CONSTANT(0x9E3779B97F4A7C15)) >> 32) &
	    (g->cap - 1);
}

/* The row of key in a group of several fields, or NULL. */
static struct tally_row *
group_find(const struct group *g, gint64 key)
{
	for (guint i = group_slot(g, key); g->slot_row[i] != NULL; i = (i + 1) & (g->cap - 1))
		if (g->slot_key[i] == key)
			return g->slot_row[i];
	return NULL;
}

static void
group_put(struct group *g, gint64 key, struct tally_row *r)
{
	guint i;

	if (2 * (g_hash_table_size(g->rows) + 1) > g->cap) {	/* grow and rehash */
		gint64 *keys = g->slot_key;
		struct tally_row **rows = g->slot_row;
		guint old = g->cap;

		g->cap *= 2;
		g->slot_key = g_new0(gint64, g->cap);
		g->slot_row = g_new0(struct tally_row *, g->cap);
		for (guint k = 0; k < old; k++)
			if (rows[k] != NULL) {
				for (i = group_slot(g, keys[k]); g->slot_row[i] != NULL;
				    i = (i + 1) & (g->cap - 1))
					;
				g->slot_key[i] = keys[k];
				g->slot_row[i] = rows[k];
			}
		g_free(keys);
		g_free(rows);
	}
	for (i = group_slot(g, key); g->slot_row[i] != NULL; i = (i + 1) & (g->cap - 1))
		;
	g->slot_key[i] = key;
	g->slot_row[i] = r;
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
	const char *want[TF_NFIELDS + 1];
	int nwant = 0;
	g_autoptr(GArray) months = NULL, weeks = NULL;
	struct intern in[TF_NFIELDS];
	guint id[TF_NFIELDS] = { 0 };
	struct store_cursor *s;
	gboolean ok = FALSE;

	need[TF_URGENT] = TRUE;		/* the totals count urgent requests */
	for (guint i = 0; i < t->groups->len; i++) {
		struct group *g = g_ptr_array_index(t->groups, i);

		for (int k = 0; k < g->n; k++)
			need[g->f[k]] = TRUE;
	}
	for (int f = 0; f < TF_NFIELDS; f++) {
		colidx[f] = -1;
		if (need[f] && cols[f] != NULL) {
			want[nwant++] = cols[f];
			colidx[f] = ncol++;
		}
		intern_init(&in[f]);
	}
	want[nwant] = NULL;
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
	/* Months, weeks and urgent have fixed names: bucket index + 1, no/yes. */
	for (guint b = 0; months != NULL && b < months->len; b++) {
		const char *l = g_array_index(months, struct bucket, b).label;

		intern_id(&in[TF_MONTH], l, strlen(l));
	}
	for (guint b = 0; weeks != NULL && b < weeks->len; b++) {
		const char *l = g_array_index(weeks, struct bucket, b).label;

		intern_id(&in[TF_WEEK], l, strlen(l));
	}
	intern_id(&in[TF_URGENT], "no", 2);
	intern_id(&in[TF_URGENT], "yes", 3);
	if ((s = store_stats_requests(st, t->from, t->to, want, err)) == NULL)
		goto out;
	while (store_next(s)) {
		gint64 created = store_int64(s, 0);
		gboolean answered = !store_null(s, 1);
		gint64 delay = answered ? store_int64(s, 1) - created : 0;
		gboolean urgent = store_int(s, colidx[TF_URGENT]) != 0;

		for (int f = 0; f < TF_URGENT; f++)
			if (colidx[f] >= 0) {
				id[f] = intern_str(&in[f], store_text(s, colidx[f]));
			}
		id[TF_URGENT] = urgent ? 2 : 1;
		if (months != NULL)
			id[TF_MONTH] = bucket_of(months, created);
		if (weeks != NULL)
			id[TF_WEEK] = bucket_of(weeks, created);
		t->requests++;
		t->urgent += urgent;
		if (answered) {
			t->answered++;
			g_array_append_val(t->delays, delay);
		}
		for (guint i = 0; i < t->groups->len; i++) {
			struct group *g = g_ptr_array_index(t->groups, i);
			struct tally_row *r;
			gint64 key = 0;

			for (int k = 0; k < g->n; k++)
				key |= (gint64)id[g->f[k]] << (16 * k);
			/* One field: a direct index beats hashing. */
			r = g->n == 1 && key < g->byid->len ? g_ptr_array_index(g->byid, key) :
			    g->n == 1 ? NULL : group_find(g, key);
			if (r == NULL) {
				gint64 *kp = g_new(gint64, 1);

				r = g_new0(struct tally_row, 1);
				for (int k = 0; k < g->n; k++)
					r->values[k] = g_strdup(g_ptr_array_index(
					    in[g->f[k]].names, id[g->f[k]]));
				if (g->delays)
					r->delays = g_array_new(FALSE, FALSE, sizeof(gint64));
				*kp = key;
				if (g->n > 1)
					group_put(g, key, r);
				g_hash_table_insert(g->rows, kp, r);
				if (g->n == 1) {
					if (g->byid->len <= key)
						g_ptr_array_set_size(g->byid, (guint)key + 1);
					g->byid->pdata[key] = r;
				}
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
	ok = store_cursor_end(s, err);
out:
	for (int f = 0; f < TF_NFIELDS; f++)
		intern_clear(&in[f]);
	return ok;
}

static int
cmp_values(const struct tally_row *a, const struct tally_row *b, int nfields)
{
	for (int k = 0; k < nfields; k++) {
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

/* By values; data points at the number of fields. */
static int
cmp_rows(gconstpointer a, gconstpointer b, gpointer data)
{
	return cmp_values(*(struct tally_row *const *)a, *(struct tally_row *const *)b,
	    *(const int *)data);
}

/* By count, largest first, then by values. */
static int
cmp_count(gconstpointer a, gconstpointer b, gpointer data)
{
	const struct tally_row *x = *(struct tally_row *const *)a;
	const struct tally_row *y = *(struct tally_row *const *)b;

	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	return cmp_values(x, y, *(const int *)data);
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
	g_ptr_array_sort_with_data(a, by_count ? cmp_count : cmp_rows, &g->n);
	return a;
}

gint64
tally_count(struct tally *t, int gi, const char *v)
{
	struct group *g = g_ptr_array_index(t->groups, gi);
	GHashTableIter it;
	gpointer p;

	g_hash_table_iter_init(&it, g->rows);
	while (g_hash_table_iter_next(&it, NULL, &p)) {
		struct tally_row *r = p;

		if (g_strcmp0(r->values[0], v) == 0)
			return r->requests;
	}
	return 0;
}

/* The k-th smallest of v[0..n-1] (0-based), reordering v: quickselect. */
static gint64
select_k(gint64 *v, gsize n, gsize k)
{
	gsize lo = 0, hi = n - 1;

	while (lo < hi) {
		gint64 pivot = v[lo + (hi - lo) / 2], tmp;
		gsize i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				tmp = v[i];
				v[i] = v[j];
				v[j] = tmp;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

gint64
tally_percentile(GArray *a, double p)
{
	gsize k;

	if (a == NULL || a->len == 0)
		return -1;
	k = (gsize)ceil(p * a->len - 1e-9);
	k = k < 1 ? 1 : k;
	return select_k((gint64 *)(void *)a->data, a->len, MIN(k, a->len) - 1);
}

gint64
tally_median(GArray *a)
{
	gint64 *v, hi;

	if (a == NULL || a->len == 0)
		return -1;
	v = (gint64 *)(void *)a->data;
	hi = select_k(v, a->len, a->len / 2);
	if (a->len % 2)
		return hi;
	return (select_k(v, a->len, a->len / 2 - 1) + hi) / 2;
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
	struct store_cursor *s = store_time_by_kind(st, from, to, err);
	g_autoptr(GPtrArray) other = g_ptr_array_new();
	gboolean ok;

	if (s == NULL) {
		g_ptr_array_unref(a);
		return NULL;
	}
	while (store_next(s)) {
		struct tally_time *k = g_new0(struct tally_time, 1);

		k->kind = g_strdup(store_text(s, 0));
		k->entries = store_int64(s, 1);
		k->minutes = store_int64(s, 2);
		g_ptr_array_add(other, k);
	}
	ok = store_cursor_end(s, err);
	/* The known kinds first, in their usual order, then any others. */
	for (int i = 0; vocab_time_kinds[i] != NULL; i++)
		for (guint j = 0; j < other->len; j++) {
			struct tally_time *k = g_ptr_array_index(other, j);

			if (k != NULL && strcmp(k->kind, vocab_time_kinds[i]) == 0) {
				g_ptr_array_add(a, k);
				other->pdata[j] = NULL;
			}
		}
	for (guint j = 0; j < other->len; j++)
		if (other->pdata[j] != NULL)
			g_ptr_array_add(a, other->pdata[j]);
	if (!ok) {
		g_ptr_array_unref(a);
		return NULL;
	}
	return a;
}
