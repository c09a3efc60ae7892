/*
 * cmd_ingest.c: `guichet ingest` and `guichet explain`: messages from files,
 * folders of .eml files and Maildirs, through the same pipeline as mail
 * fetched over IMAP.
 */
#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd.h"
#include "log.h"
#include "mailcmd.h"
#include "learn.h"
#include "pipeline.h"
#include "reply.h"
#include "urgent.h"
#include "sha256.h"
#include "vocab.h"

struct ingest {
	struct pipeline	 p;
	gboolean	 json, dry_run, explain, replies;
	int		 stored, duplicates, quarantined, errors;
	gboolean	 fatal;
	gboolean	 batching;	/* group commit open */
	int		 in_batch;
	gint64		 batch_start;
	GString		*pending;	/* lines of the open batch, printed after its commit */
	int		 counted[3];	/* stored, duplicates, quarantined before the batch */
};

/*
 * Group commit: messages are stored in one transaction per batch (each in
 * its own savepoint), committed durably every BATCH_MAX messages or
 * BATCH_US microseconds.  Output lines wait in in->pending until their
 * batch is committed (fdatasync'ed: synchronous = FULL), so "stored" is
 * only ever printed for what is on disk.  (stdio's buffer is no such wall:
 * it writes out whenever it fills, and glibc ignores a size given without
 * a buffer.)
 */
#define BATCH_MAX	256
#define BATCH_US	200000

static void
flush_pending(struct ingest *in)
{
	if (in->pending->len > 0)
		fwrite(in->pending->str, 1, in->pending->len, stdout);
	g_string_truncate(in->pending, 0);
	fflush(stdout);
}

/* The open batch was rolled back: its lines and counts go. */
static void
forget_batch(struct ingest *in)
{
	g_string_truncate(in->pending, 0);
	in->stored = in->counted[0];
	in->duplicates = in->counted[1];
	in->quarantined = in->counted[2];
}

static gboolean
batch_commit(struct ingest *in, gboolean reopen)
{
	GError *e = NULL;

	if (in->batching) {
		in->batching = FALSE;
		if (!store_commit(in->p.store, TRUE, &e)) {
			g_printerr("guichet: %s\n", e->message);
			g_printerr("guichet: the last %d messages read were not stored\n",
			    in->in_batch);
			g_error_free(e);
			forget_batch(in);
			in->fatal = TRUE;
			return FALSE;
		}
	}
	flush_pending(in);
	/*
	 * What the batch's messages and their parses left free inside the
	 * heaps (the read-ahead thread's arena too) goes back to the system:
	 * glibc returns only the top of a heap by itself, and the next
	 * batch's large messages land elsewhere (issue 20: peak RSS of 5,000
	 * bench messages 25.33 -> 25.03 MB, medians of 3; one call per commit,
	 * 101 for those 5,000 messages, 47 ms in all).
	 */
	malloc_trim(0);
	if (reopen && !in->fatal) {
		if (!store_begin(in->p.store, &e)) {
			g_printerr("guichet: %s\n", e->message);
			g_error_free(e);
			in->fatal = TRUE;
			return FALSE;
		}
		in->batching = TRUE;
		in->in_batch = 0;
		in->counted[0] = in->stored;
		in->counted[1] = in->duplicates;
		in->counted[2] = in->quarantined;
		in->batch_start = g_get_monotonic_time();
	}
	return TRUE;
}

/*
 * Read a message file.  A file over the size limit is not read whole: only
 * its head is kept (for quarantine) and its hash is computed as it streams
 * (only then: the parser hashes what it has whole).
 */
static gboolean
read_message(const char *path, gsize max, struct request **out, GError **err)
{
	struct stat sb;
	int fd;
	guint8 *buf;
	gsize keep, got = 0;
	struct sha256 *sum = NULL;
	g_autofree char *src = g_strconcat("file:", path, NULL);

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) != 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
		    "%s: %s", path, g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return FALSE;
	}
	keep = MIN((gsize)sb.st_size, max);
	buf = g_malloc(keep + 1);
	for (;;) {
		guint8 chunk[65536];
		ssize_t n = read(fd, chunk, sizeof chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "%s: %s", path, g_strerror(errno));
			close(fd);
			g_free(buf);
			if (sum != NULL)
				g_free(sha256_finish(sum));
			return FALSE;
		}
		if (n == 0)
			break;
		if (got < keep)
			memcpy(buf + got, chunk, MIN((gsize)n, keep - got));
		if (sum == NULL && got + n > keep) {
			/* Past the limit (or grown since fstat): hash it all. */
			sum = sha256_new();
			sha256_update(sum, buf, got);
		}
		if (sum != NULL)
			sha256_update(sum, chunk, n);
		got += n;
	}
	close(fd);
	buf[MIN(got, keep)] = '\0';
	*out = request_new(src, buf, MIN(got, keep));
	(*out)->size = got;
	(*out)->file = g_strdup(path);
	if (sum != NULL)
		(*out)->raw_sha256 = sha256_finish(sum);
	return TRUE;
}

/* Who decided each label, with the top two of the rules and of the model. */
static void
print_why(GString *out, const struct request *r)
{
	static const char *const names[WHY_N] = { "domain", "topic", "requester", "urgent" };

	for (int i = 0; i < WHY_N; i++) {
		const struct why *w = &r->why[i];

		g_string_append_printf(out, "  %s %-9s by %s;", i == 0 ? "decided   " : "          ",
		    names[i], w->by ? w->by : "none");
		if (i != WHY_URGENT) {
			g_string_append(out, " rules");
			for (int k = 0; k < 2 && w->rule[k]; k++)
				g_string_append_printf(out, " %s %.1f", w->rule[k], w->rule_score[k]);
			if (w->rule[0] == NULL)
				g_string_append(out, " silent");
			g_string_append_c(out, ';');
		}
		if (w->model[0] != NULL) {
			g_string_append(out, " model");
			for (int k = 0; k < 2 && w->model[k]; k++)
				g_string_append_printf(out, " %s %.0f%%",
				    i == WHY_URGENT ? "urgent" : w->model[k], 100.0 * w->model_p[k]);
		}
		g_string_append_c(out, '\n');
	}
}

static void
print_human(GString *out, const struct request *r, gboolean explain)
{
	const char *st = r->status == REQ_STORED ? "stored" :
	    r->status == REQ_DUPLICATE ? "duplicate" :
	    r->status == REQ_QUARANTINED ? "quarantined" : "classified";

	if (r->status == REQ_QUARANTINED) {
		g_string_append_printf(out, "%-11s %s: %s\n", st, r->file, r->reason);
		return;
	}
	if (!explain) {
		g_string_append_printf(out, "%-11s %-14s %-3s %-16s %-18s %-11s %-11s %s\n", st,
		    r->ref ? r->ref : "-", r->language ? r->language : "-",
		    r->domain ? r->domain : "-", r->topic ? r->topic : "-",
		    r->requester ? r->requester : "-",
		    r->reply ? reply_kind_str(r->reply) : "-", r->file);
		return;
	}
	g_string_append_printf(out, "%s\n", r->file);
	g_string_append_printf(out, "  from       %s%s%s\n", r->from_addr ? r->from_addr : "(none)",
	    r->from_name ? "  " : "", r->from_name ? r->from_name : "");
	g_string_append_printf(out, "  subject    %s\n", r->subject ? r->subject : "(none)");
	g_string_append_printf(out, "  language   %s (runner-up %s)\n", r->language ? r->language : "-",
	    r->language_runner_up ? r->language_runner_up : "-");
	if (r->language_note != NULL)
		g_string_append_printf(out, "  variant    %s%s%s\n", r->language_note,
		    r->language_variant != NULL ? "; reply in " : "",
		    r->language_variant != NULL ? r->language_variant : "");
	g_string_append_printf(out, "  requester  %s\n", r->requester ? r->requester : "-");
	g_string_append_printf(out, "  domain     %s\n", r->domain ? r->domain : "-");
	g_string_append_printf(out, "  topic      %s\n", r->topic ? r->topic : "-");
	g_string_append_printf(out, "  commune    %s\n", r->commune ? r->commune : "-");
	if (r->urgent) {
		g_autofree char *fam = urgency_label(urgency_of_request(r));

		g_string_append_printf(out, "  urgent     YES (urgency=%s)\n", fam);
	} else
		g_string_append(out, "  urgent     no\n");
	if (r->followup)
		g_string_append_printf(out, "  follow-up  of %s\n", r->ref);
	g_string_append_printf(out, "  reply      %s%s%s  (%s)\n", r->reply ? reply_kind_str(r->reply) : "-",
	    r->reply_template ? " " : "", r->reply_template ? r->reply_template : "",
	    r->reply_reason ? r->reply_reason : "");
	for (guint i = 0; i < r->forwards->len; i++)
		g_string_append_printf(out, "  forward    %s\n", (char *)g_ptr_array_index(r->forwards, i));
	print_why(out, r);
	if (r->hits->len == 0)
		g_string_append_printf(out, "  rules      none fired\n");
	for (guint i = 0; i < r->hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(r->hits, i);

		g_string_append_printf(out, "  %s %s  [%s]%s%s\n", i == 0 ? "rules     " : "          ",
		    h->rule, h->file ? h->file : "", h->words ? "  on: " : "",
		    h->words ? h->words : "");
	}
}

/*
 * The mails r would cause (explain): the reply to the sender, forwards,
 * the urgent alerts.  Without a store r has no reference yet: a sample one.
 */
static GPtrArray *
explain_mails(struct ingest *in, struct request *r)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)outmail_free);
	g_autoptr(GError) e = NULL;
	gboolean had_ref = r->ref != NULL;

	if (r->status == REQ_QUARANTINED || r->status == REQ_DUPLICATE || r->is_command)
		return out;
	if (!had_ref) {
		g_autoptr(GDateTime) now = g_date_time_new_now_local();

		r->ref = g_strdup_printf("%s-%d-0000", in->p.setup->cfg->region_code,
		    g_date_time_get_year(now));
	}
	if (!reply_build_all(in->p.setup, r, out, &e) ||
	    (r->followup && r->urgent && !reply_build_alerts(in->p.setup, r, 0, out, &e)))
		g_printerr("guichet: %s: replies not built: %s\n", r->file,
		    e != NULL ? e->message : "?");
	if (!had_ref)
		g_clear_pointer(&r->ref, g_free);
	return out;
}

static void
print_mails(GString *out, GPtrArray *mails)
{
	for (guint i = 0; i < mails->len; i++) {
		g_autofree char *to = NULL, *subject = NULL, *headers = NULL, *text = NULL;

		if (!reply_mail_view(g_ptr_array_index(mails, i), &to, &subject, &headers, &text))
			continue;
		g_string_append_printf(out, "\n  ===== mail %u of %u, to %s =====\n%s\n%s",
		    i + 1, mails->len, to, headers, text);
	}
}

static void
add_replies(JsonNode *n, GPtrArray *mails)
{
	JsonArray *a = json_array_new();

	for (guint i = 0; i < mails->len; i++) {
		g_autofree char *to = NULL, *subject = NULL, *headers = NULL, *text = NULL;
		JsonObject *o;

		if (!reply_mail_view(g_ptr_array_index(mails, i), &to, &subject, &headers, &text))
			continue;
		o = json_object_new();
		json_object_set_string_member(o, "kind",
		    ((struct outmail *)g_ptr_array_index(mails, i))->kind);
		json_object_set_string_member(o, "to", to);
		json_object_set_string_member(o, "subject", subject);
		json_object_set_string_member(o, "text", text);
		json_array_add_object_element(a, o);
	}
	json_object_set_array_member(json_node_get_object(n), "replies", a);
}

static void
print_json_node(GString *out, JsonNode *n)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree char *str = NULL;

	json_generator_set_root(gen, n);
	str = json_generator_to_data(gen, NULL);
	g_string_append(out, str);
	g_string_append_c(out, '\n');
}

/* One JSON line (the keys of pipeline_to_json). */
static void
print_json(GString *out, const struct request *r, gboolean explain)
{
	JsonNode *n = pipeline_to_json(r, explain);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree char *j = NULL;

	json_generator_set_root(gen, n);
	j = json_generator_to_data(gen, NULL);
	json_node_unref(n);
	g_string_append(out, j);
	g_string_append_c(out, '\n');
}

/*
 * Read-ahead: a second thread reads the next files and runs the stages
 * that need no store (pipeline_prelabel: parse, language, rules, model)
 * while this one stores and commits the previous messages, so that the
 * store's work and its fsyncs overlap the classifying instead of adding
 * to it.  Items come out in the order of the files; at most AHEAD_MAX
 * wait, and no more than AHEAD_BYTES of mail (each holds a message and
 * its parse; a few huge messages do not pile up), but always one.  On
 * 5,000 bench messages the reader waited 3.4 s for room with 4 (while
 * a group commit waited for its fsync), 0.6 s with 16 and 2 MB, none
 * with 64 (but 2.6 MB more peak RSS than with 4; 16: 0.7 MB).  Nothing
 * of the store is touched by the read-ahead thread.
 */
#define AHEAD_MAX	16
#define AHEAD_BYTES	((gsize)2 << 20)

struct item {
	char		*path;
	struct request	*r;		/* NULL: error */
	GError		*e;		/* a file that could not be read */
	char		*msg;		/* a command-line argument that is not there */
	gboolean	 end;
};

struct ahead {
	struct pipeline	*p;
	int		 argc;
	char		**argv;
	GMutex		 m;
	GCond		 c;
	GQueue		 q;
	gboolean	 stop;
	gsize		 bytes;		/* of the mail queued */
	gint64		 waited;	/* µs the storing thread waited for an item */
	gint64		 blocked;	/* µs the read-ahead waited for room */
};

static gsize
item_bytes(const struct item *it)
{
	return it->r != NULL ? it->r->raw_len : 0;
}

static void
item_free(struct item *it)
{
	g_free(it->path);
	if (it->r != NULL)
		request_free(it->r);
	g_clear_error(&it->e);
	g_free(it->msg);
	g_free(it);
}

/* Queue it; FALSE (it freed) when the consumer stopped. */
static gboolean
ahead_push(struct ahead *a, struct item *it)
{
	gboolean ok;

	g_mutex_lock(&a->m);
	if (!a->stop && !it->end && a->q.length > 0 && (a->q.length >= AHEAD_MAX ||
	    a->bytes + item_bytes(it) > AHEAD_BYTES)) {
		gint64 t0 = g_get_monotonic_time();

		while (!a->stop && a->q.length > 0 && (a->q.length >= AHEAD_MAX ||
		    a->bytes + item_bytes(it) > AHEAD_BYTES))
			g_cond_wait(&a->c, &a->m);
		a->blocked += g_get_monotonic_time() - t0;
	}
	if ((ok = !a->stop)) {
		g_queue_push_tail(&a->q, it);
		a->bytes += item_bytes(it);
	}
	g_cond_broadcast(&a->c);
	g_mutex_unlock(&a->m);
	if (!ok)
		item_free(it);
	return ok;
}

static struct item *
ahead_pop(struct ahead *a)
{
	struct item *it;

	g_mutex_lock(&a->m);
	if (a->q.length == 0) {
		gint64 t0 = g_get_monotonic_time();

		while (a->q.length == 0)
			g_cond_wait(&a->c, &a->m);
		a->waited += g_get_monotonic_time() - t0;
	}
	it = g_queue_pop_head(&a->q);
	a->bytes -= item_bytes(it);
	g_cond_broadcast(&a->c);
	g_mutex_unlock(&a->m);
	return it;
}

static gboolean
ahead_file(struct ahead *a, const char *path)
{
	struct item *it = g_new0(struct item, 1);

	it->path = g_strdup(path);
	if (read_message(path, a->p->setup->cfg->max_message_size, &it->r, &it->e))
		pipeline_prelabel(a->p, it->r);
	return ahead_push(a, it);
}

static gint cmp_str(gconstpointer, gconstpointer);
static void collect_dir(const char *, const char *, GStringChunk *, GPtrArray *, int);

/* The read-ahead thread: every file of the command line, in order. */
static gpointer
ahead_run(gpointer data)
{
	struct ahead *a = data;
	struct item *end = g_new0(struct item, 1);
	gboolean go = TRUE;

	for (int i = 0; i < a->argc && go; i++) {
		struct stat sb;

		if (stat(a->argv[i], &sb) != 0) {
			struct item *it = g_new0(struct item, 1);

			it->msg = g_strdup_printf("%s: %s", a->argv[i], g_strerror(errno));
			go = ahead_push(a, it);
		} else if (S_ISDIR(sb.st_mode)) {
			/*
			 * The names under the folder, packed in one chunk and
			 * relative to it (sorted the same as whole paths): 20,000
			 * files take 0.3 MB instead of 1.7.
			 */
			GStringChunk *names = g_string_chunk_new(64 * 1024);
			g_autoptr(GPtrArray) files = g_ptr_array_new();

			collect_dir(a->argv[i], NULL, names, files, 0);
			g_ptr_array_sort(files, cmp_str);
			for (guint j = 0; j < files->len && go; j++) {
				g_autofree char *path = g_build_filename(a->argv[i],
				    (const char *)g_ptr_array_index(files, j), NULL);

				go = ahead_file(a, path);
			}
			g_string_chunk_free(names);
		} else
			go = ahead_file(a, a->argv[i]);
	}
	end->end = TRUE;
	ahead_push(a, end);
	return NULL;
}

static void
ingest_one(struct ingest *in, struct item *it)
{
	struct request *r;
	const char *path = it->path;
	GError *e = NULL;

	if (in->fatal)
		return;
	if ((r = g_steal_pointer(&it->r)) == NULL) {
		g_printerr("guichet: %s\n", it->e->message);
		in->errors++;
		return;
	}
	if (in->explain)
		pipeline_classify(&in->p, r);
	/* Each message is committed durably, as from IMAP. */
	else if (!pipeline_process(&in->p, r, NULL,
	    in->dry_run ? PIPE_DRY_RUN : PIPE_DURABLE, &e)) {
		g_printerr("guichet: %s: %s\n", path, e ? e->message : "store error");
		g_clear_error(&e);
		if (in->batching) {
			/* The group was rolled back with it: none of it is stored. */
			g_printerr("guichet: the last %d messages read were not stored\n",
			    in->in_batch);
			forget_batch(in);
			in->batching = FALSE;
		}
		in->fatal = TRUE;
		request_free(r);
		return;
	}
	switch (r->status) {
	case REQ_DUPLICATE: in->duplicates++; break;
	case REQ_QUARANTINED: in->quarantined++; break;
	default: in->stored++; break;
	}
	if (in->explain && (in->json || in->replies)) {
		g_autoptr(GPtrArray) mails = explain_mails(in, r);

		if (in->json) {
			JsonNode *n = pipeline_to_json(r, TRUE);

			add_replies(n, mails);
			print_json_node(in->pending, n);
			json_node_unref(n);
		} else {
			print_human(in->pending, r, TRUE);
			print_mails(in->pending, mails);
		}
	} else if (in->json)
		print_json(in->pending, r, in->explain);
	else
		print_human(in->pending, r, in->explain);
	request_free(r);
	if (!in->batching)
		flush_pending(in);
	else if (++in->in_batch >= BATCH_MAX ||
	    g_get_monotonic_time() - in->batch_start >= BATCH_US)
		batch_commit(in, TRUE);
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Every message file under top/rel (rel NULL: top itself): Maildir cur/
 * and new/, else *.eml, added to files as paths relative to top, kept in
 * names.
 */
static void
collect_dir(const char *top, const char *rel, GStringChunk *names, GPtrArray *files,
    int depth)
{
	g_autofree char *dir = rel != NULL ? g_build_filename(top, rel, NULL) : g_strdup(top);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autofree char *cur = g_build_filename(dir, "cur", NULL);
	g_autofree char *new = g_build_filename(dir, "new", NULL);
	gboolean maildir = g_file_test(cur, G_FILE_TEST_IS_DIR) &&
	    g_file_test(new, G_FILE_TEST_IS_DIR);
	const char *name;

	if (d == NULL || depth > 16)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_autofree char *sub = rel != NULL ? g_build_filename(rel, name, NULL) :
		    g_strdup(name);
		struct stat sb;

		if (name[0] == '.' && !maildir)
			continue;
		if (stat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			if (maildir && strcmp(name, "tmp") == 0)
				continue;
			if (maildir && (strcmp(name, "cur") == 0 || strcmp(name, "new") == 0)) {
				g_autoptr(GDir) md = g_dir_open(path, 0, NULL);
				const char *m;

				while (md != NULL && (m = g_dir_read_name(md)) != NULL)
					if (m[0] != '.') {
						g_autofree char *f = g_build_filename(sub, m, NULL);

						g_ptr_array_add(files, g_string_chunk_insert(names, f));
					}
				continue;
			}
			collect_dir(top, sub, names, files, depth + 1);
		} else if (S_ISREG(sb.st_mode) && g_str_has_suffix(name, ".eml"))
			g_ptr_array_add(files, g_string_chunk_insert(names, sub));
	}
}

static int
run_files(struct globals *g, int argc, char **argv, gboolean explain)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reply", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ingest in = { { NULL, NULL, NULL }, FALSE, FALSE, explain, FALSE, 0, 0, 0, 0, FALSE };
	struct setup *setup = NULL;
	struct store *store = NULL;
	struct ahead ahead = { 0 };
	GThread *reader;
	GError *e = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "jnrh", opts, NULL)) != -1) {
		switch (ch) {
		case 'j': in.json = TRUE; break;
		case 'n': in.dry_run = TRUE; break;
		case 'r':
			if (!explain)
				return cmd_usage(argv[0]);
			in.replies = TRUE;
			break;
		default: return cmd_usage(argv[0]);
		}
	}
	if (optind >= argc || (explain && in.dry_run))
		return cmd_usage(argv[0]);
	/* explain only reads the store, and only when it exists. */
	if ((rc = cmd_open(g, &setup, &store, explain || in.dry_run ? STORE_READONLY : 0)) != 0)
		return rc;
	in.p.setup = setup;
	in.p.store = store;
	in.p.run_commands = mailcmd_run;
	in.p.model = learn_model_for(setup, g->db_path, store);
	if ((in.p.lang = langid_new(&e)) == NULL) {
		g_printerr("guichet: %s\n", e->message);
		g_error_free(e);
		store_close(store);
		setup_free(setup);
		return 1;
	}
	in.pending = g_string_new(NULL);
	if (store != NULL && !explain && !in.dry_run)
		batch_commit(&in, TRUE);
	ahead.p = &in.p;
	ahead.argc = argc - optind;
	ahead.argv = argv + optind;
	g_mutex_init(&ahead.m);
	g_cond_init(&ahead.c);
	g_queue_init(&ahead.q);
	reader = g_thread_new("read-ahead", ahead_run, &ahead);
	for (;;) {
		struct item *it = ahead_pop(&ahead);
		gboolean end = it->end;

		if (it->msg != NULL) {
			g_printerr("guichet: %s\n", it->msg);
			in.errors++;
		} else if (!end)
			ingest_one(&in, it);
		item_free(it);
		if (end)
			break;
		if (in.fatal) {
			/* Stop the reader; what it queued is dropped unread. */
			g_mutex_lock(&ahead.m);
			ahead.stop = TRUE;
			g_cond_broadcast(&ahead.c);
			g_mutex_unlock(&ahead.m);
			break;
		}
	}
	g_thread_join(reader);
	g_queue_clear_full(&ahead.q, (GDestroyNotify)item_free);
	g_mutex_clear(&ahead.m);
	g_cond_clear(&ahead.c);
	batch_commit(&in, FALSE);
	if (!in.json && !explain)
		g_printerr("guichet: %d stored, %d duplicate, %d quarantined%s\n",
		    in.stored, in.duplicates, in.quarantined, in.dry_run ? " (dry run)" : "");
	pipeline_profile_report(stderr);
	if (g_getenv("GUICHET_PROFILE") != NULL)
		fprintf(stderr, "profile: the storing thread waited %.3f s for the read-ahead, "
		    "which waited %.3f s for room\n", ahead.waited / 1e6, ahead.blocked / 1e6);
	g_string_free(in.pending, TRUE);
	langid_free(in.p.lang);
	model_free((struct lmodel *)in.p.model);
	store_close(store);
	setup_free(setup);
	return in.fatal || in.errors ? 1 : 0;
}

int
cmd_ingest(struct globals *g, int argc, char **argv)
{
	return run_files(g, argc, argv, FALSE);
}

int
cmd_explain(struct globals *g, int argc, char **argv)
{
	return run_files(g, argc, argv, TRUE);
}
