/*
 * match.c: ruleset_apply(), the classification of one request.
 *
 * Each text field is folded once (fold.c) and scanned once for every
 * keyword of every rule; rules then only test bits.  Rules run in load
 * order; each label goes to the firing rule with the highest priority,
 * then the most distinct things matched, then the earliest
 * (guichet-rules(5), PRECEDENCE).  No I/O.
 */
#include <math.h>
#include <string.h>
#include "rules_int.h"
#include "vocab.h"

/*
 * Rules read at most the first RULES_TEXT_MAX bytes of each text: requests
 * are short, and a 300 KB forwarded newsletter must not cost milliseconds.
 */
#define RULES_TEXT_MAX	(32 * 1024)
/* The first sentences of the body, where the request usually is. */
#define EARLY_TEXT_MAX	300
/* A rule's evidence doubles every this many priority points (weight unset). */
#define EVIDENCE_PRIORITY_SCALE	1.5

static gssize
capped(const char *s)
{
	return s == NULL ? 0 : (gssize)strnlen(s, RULES_TEXT_MAX);
}

struct word {
	guint		 id;		/* keyword id, or G_MAXUINT for patterns */
	const char	*text;		/* as written in the rule */
	int		 weight;	/* 4 in the subject, 3 in the first sentences, else 2 */
};

struct fired {
	const struct rule *rule;
	int		 score;
};

struct eval {
	const struct ruleset *rs;
	const struct request *r;
	guint64		*bits[F_NFIELDS];
	guint8		*kwhit;		/* per keyword condition: any keyword found */
	GArray		*words;		/* struct word: what the current rule matched */
	GArray		*fired;		/* struct fired */
	int		 best[L_NLABELS];	/* index in fired, -1 none */
	gboolean	 urgent;
};

static void
add_word(struct eval *e, guint id, const char *text, int weight)
{
	struct word w = { id, text, weight };

	for (guint i = 0; i < e->words->len; i++) {
		struct word *o = &g_array_index(e->words, struct word, i);

		if (id != G_MAXUINT ? o->id == id : strcmp(o->text, text) == 0) {
			o->weight = MAX(o->weight, weight);
			return;
		}
	}
	g_array_append_val(e->words, w);
}

static gboolean
glob_any(GPatternSpec **globs, const char *s)
{
	gsize len;

	if (s == NULL)
		return FALSE;
	len = strlen(s);
	for (; *globs; globs++)
		if (g_pattern_spec_match(*globs, len, s, NULL))
			return TRUE;
	return FALSE;
}

/*
 * Index of the first pattern matching the domain or one of its parents,
 * or -1.  Patterns without wildcards are compared as strings.
 */
static int
domain_match(const struct cond *c, const char *domain)
{
	gsize dl;

	if (domain == NULL || *domain == '\0')
		return -1;
	dl = strlen(domain);
	for (int i = 0; c->globs[i]; i++) {
		const char *p = c->strs[i];

		if (strpbrk(p, "*?") == NULL) {
			gsize pl = strlen(p);

			if (g_ascii_strcasecmp(domain, p) == 0 || (dl > pl &&
			    domain[dl - pl - 1] == '.' &&
			    g_ascii_strcasecmp(domain + dl - pl, p) == 0))
				return i;
			continue;
		}
		for (const char *d = domain; d != NULL; ) {
			if (g_pattern_spec_match(c->globs[i], strlen(d), d, NULL))
				return i;
			if ((d = strchr(d, '.')) != NULL)
				d++;
		}
	}
	return -1;
}

static const char *
body_of(const struct request *r)
{
	return r->text_clean ? r->text_clean : r->text;
}

/* The value of a label as decided so far (defaults for requester, domain). */
static const char *
label_now(const struct eval *e, int label)
{
	if (e->best[label] >= 0)
		return g_array_index(e->fired, struct fired,
		    e->best[label]).rule->set[label];
	if (label == L_DOMAIN)
		return VOCAB_DOMAIN_DEFAULT;
	if (label == L_REQUESTER)
		return VOCAB_REQUESTER_DEFAULT;
	return NULL;
}

static gboolean
to_match(GPatternSpec **globs, const char *list)
{
	g_auto(GStrv) v = NULL;

	if (list == NULL)
		return FALSE;
	v = g_strsplit(list, ",", -1);
	for (char **a = v; *a; a++) {
		g_autofree char *low = g_ascii_strdown(g_strstrip(*a), -1);

		if (glob_any(globs, low))
			return TRUE;
	}
	return FALSE;
}

/* A question mark: ASCII, Arabic (U+061F), full-width (U+FF1F), Ethiopic (U+1367). */
static gboolean
has_question(const char *s)
{
	if (s == NULL)
		return FALSE;
	return strchr(s, '?') != NULL || strstr(s, "\xd8\x9f") != NULL ||
	    strstr(s, "\xef\xbc\x9f") != NULL || strstr(s, "\xe1\x8d\xa7") != NULL;
}

static gboolean eval_cond(struct eval *, const struct cond *);

static gboolean
eval_keywords(struct eval *e, const struct cond *c)
{
	gboolean hit = FALSE;

	if (!e->kwhit[c->idx])
		return FALSE;
	for (guint i = 0; i < c->nkws; i++) {
		guint id = c->kws[i].id;
		gboolean b, subj;

		gboolean early;

		if (c->field == F_TEXT) {
			subj = KW_TEST(e->bits[F_SUBJECT], id);
			b = subj || KW_TEST(e->bits[F_BODY], id);
		} else {
			b = KW_TEST(e->bits[c->field], id);
			subj = b && c->field == F_SUBJECT;
		}
		early = b && !subj && (c->field == F_TEXT || c->field == F_BODY) &&
		    (KW_TEST(e->bits[F_EARLY], id) || KW_TEST(e->bits[F_ASK], id));
		if (b) {
			hit = TRUE;
			add_word(e, id, c->kws[i].word, subj ? 4 : early ? 3 : 2);
		}
	}
	return hit;
}

static gboolean
eval_leaf(struct eval *e, const struct cond *c)
{
	const struct request *r = e->r;
	const char *s;
	int i;

	switch (c->kind) {
	case C_KEYWORDS:
		return eval_keywords(e, c);
	case C_REGEX:
		s = c->field == F_SUBJECT ? r->subject : body_of(r);
		if (s == NULL || !g_regex_match(c->re, s, 0, NULL))
			return FALSE;
		add_word(e, G_MAXUINT, c->strs[0], 2);
		return TRUE;
	case C_HEADER:
		for (guint j = 0; j < r->headers->len; j++) {
			const struct header *h = g_ptr_array_index(r->headers, j);

			if (g_ascii_strcasecmp(h->name, c->hname) == 0 &&
			    h->value != NULL && g_regex_match(c->re, h->value, 0, NULL)) {
				add_word(e, G_MAXUINT, c->hname, 2);
				return TRUE;
			}
		}
		return FALSE;
	case C_FROM:
		for (i = 0; c->globs[i]; i++)
			if (r->from_addr && g_pattern_spec_match(c->globs[i],
			    strlen(r->from_addr), r->from_addr, NULL)) {
				add_word(e, G_MAXUINT, c->strs[i], 2);
				return TRUE;
			}
		return FALSE;
	case C_FROM_DOMAIN:
		if ((i = domain_match(c, r->from_domain)) < 0)
			return FALSE;
		add_word(e, G_MAXUINT, c->strs[i], 2);
		return TRUE;
	case C_FROM_COMMUNE: {
		gboolean found = FALSE;

		for (guint j = 0; j < e->rs->commune_defs->len && !found; j++) {
			const struct commune_def *cd =
			    g_ptr_array_index(e->rs->commune_defs, j);

			for (char **d = cd->domains; d && *d && !found; d++) {
				gsize dl = strlen(*d), fl;

				if (r->from_domain == NULL)
					break;
				fl = strlen(r->from_domain);
				found = g_ascii_strcasecmp(r->from_domain, *d) == 0 ||
				    (fl > dl && r->from_domain[fl - dl - 1] == '.' &&
				    g_ascii_strcasecmp(r->from_domain + fl - dl, *d) == 0);
				if (found && c->flag)
					add_word(e, G_MAXUINT, *d, 2);
			}
		}
		return found == c->flag;
	}
	case C_TO:
		return to_match(c->globs, r->to) || to_match(c->globs, r->cc);
	case C_LANGUAGE:
		for (char **l = c->strs; *l; l++)
			if (r->language && g_ascii_strcasecmp(*l, r->language) == 0)
				return TRUE;
		return FALSE;
	case C_SIZE_OVER:
		return (gint64)r->size > c->size;
	case C_SIZE_UNDER:
		return (gint64)r->size < c->size;
	case C_ATT_TYPE:
	case C_ATT_NAME:
		for (guint j = 0; j < r->attachments->len; j++) {
			const struct attachment *a = g_ptr_array_index(r->attachments, j);
			const char *v = c->kind == C_ATT_TYPE ? a->content_type : a->filename;
			g_autofree char *low = v ? g_utf8_strdown(v, -1) : NULL;

			if (glob_any(c->globs, low))
				return TRUE;
		}
		return FALSE;
	case C_HAS_ATT:
		return (r->attachments->len > 0) == c->flag;
	case C_LABEL:
		s = label_now(e, c->field);
		for (char **v = c->strs; s && *v; v++)
			if (strcmp(*v, s) == 0)
				return TRUE;
		return FALSE;
	case C_URGENT:
		return e->urgent == c->flag;
	case C_QUESTION:
		if ((has_question(r->subject) || has_question(body_of(r))) != c->flag)
			return FALSE;
		if (c->flag)
			add_word(e, G_MAXUINT, "?", 2);
		return TRUE;
	default:
		return FALSE;
	}
}

/* all: stop at the first failure; any: look at every branch to count words. */
static gboolean
eval_cond(struct eval *e, const struct cond *c)
{
	gboolean res;
	guint mark;

	switch (c->kind) {
	case C_ALL:
		for (guint i = 0; i < c->kids->len; i++)
			if (!eval_cond(e, g_ptr_array_index(c->kids, i)))
				return FALSE;
		return TRUE;
	case C_ANY:
		res = FALSE;
		for (guint i = 0; i < c->kids->len; i++)
			res |= eval_cond(e, g_ptr_array_index(c->kids, i));
		return res;
	case C_NOT:
		mark = e->words->len;
		res = !eval_cond(e, g_ptr_array_index(c->kids, 0));
		g_array_set_size(e->words, mark);
		return res;
	default:
		return eval_leaf(e, c);
	}
}

/* Does candidate a beat b (indices in fired)? */
static gboolean
beats(const struct eval *e, int a, int b)
{
	const struct fired *x = &g_array_index(e->fired, struct fired, a);
	const struct fired *y = &g_array_index(e->fired, struct fired, b);

	if (b < 0)
		return TRUE;
	if (x->rule->priority != y->rule->priority)
		return x->rule->priority > y->rule->priority;
	if (x->score != y->score)
		return x->score > y->score;
	return a < b;
}

/* The winner for label among the fired rules that pass keep(), or -1. */
static int
winner(const struct eval *e, int label, const char *need_topic)
{
	int best = -1;

	for (guint i = 0; i < e->fired->len; i++) {
		const struct rule *ru = g_array_index(e->fired, struct fired, i).rule;

		if (ru->set[label] == NULL)
			continue;
		if (label == L_TOPIC) {
			const struct topic_def *t = ruleset_topic(e->rs, ru->set[L_TOPIC]);

			if (need_topic == NULL || strcmp(t->domain, need_topic) != 0)
				continue;
		}
		if (label == L_REPLY && ru->set[L_TOPIC] != NULL &&
		    reply_kind_from_str(ru->set[L_REPLY]) == REPLY_ORIENTATION &&
		    g_strcmp0(ru->set[L_TOPIC], need_topic) != 0)
			continue;
		if (best < 0 || beats(e, (int)i, best))
			best = (int)i;
	}
	return best;
}

/* Evidence one firing of ru brings to the values it sets. */
static double
evidence(const struct fired *f)
{
	const struct rule *ru = f->rule;
	double w = ru->weight >= 0 ? ru->weight : exp2(ru->priority / EVIDENCE_PRIORITY_SCALE);

	return w * MAX(f->score, 2) / 2.0;
}

/* May fired rule i speak for label (the topic within domain need)? */
static gboolean
speaks(const struct eval *e, guint i, int label, const char *need)
{
	const struct rule *ru = g_array_index(e->fired, struct fired, i).rule;

	if (ru->set[label] == NULL)
		return FALSE;
	if (label == L_TOPIC) {
		const struct topic_def *t = ruleset_topic(e->rs, ru->set[L_TOPIC]);

		return need != NULL && strcmp(t->domain, need) == 0;
	}
	return TRUE;
}

/*
 * The value of label: a decisive rule's if one fired (highest priority,
 * most words, earliest), else the value with the most evidence summed
 * over every rule that fired for it.  Fills w with the top two.
 */
static const char *
weigh(const struct eval *e, int label, const char *need, struct why *w)
{
	g_autoptr(GHashTable) sum = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	const char *top[2] = { NULL, NULL };
	double sc[2] = { 0, 0 };
	int best = -1;
	GHashTableIter it;
	gpointer k, v;

	for (guint i = 0; i < e->fired->len; i++) {
		const struct fired *f = &g_array_index(e->fired, struct fired, i);
		double *acc;

		if (!speaks(e, i, label, need))
			continue;
		if (f->rule->decisive && (best < 0 || beats(e, (int)i, best)))
			best = (int)i;
		if ((acc = g_hash_table_lookup(sum, f->rule->set[label])) == NULL) {
			acc = g_new0(double, 1);
			g_hash_table_insert(sum, f->rule->set[label], acc);
		}
		*acc += evidence(f);
	}
	g_hash_table_iter_init(&it, sum);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		double x = *(double *)v;

		if (top[0] == NULL || x > sc[0] || (x == sc[0] && strcmp(k, top[0]) < 0)) {
			top[1] = top[0], sc[1] = sc[0];
			top[0] = k, sc[0] = x;
		} else if (top[1] == NULL || x > sc[1] || (x == sc[1] && strcmp(k, top[1]) < 0)) {
			top[1] = k, sc[1] = x;
		}
	}
	if (best >= 0) {
		const char *d = g_array_index(e->fired, struct fired, best).rule->set[label];

		if (top[0] != NULL && strcmp(top[0], d) != 0) {	/* decisive first */
			top[1] = top[0], sc[1] = sc[0];
			top[0] = d;
			sc[0] = *(double *)g_hash_table_lookup(sum, d);
		}
	}
	if (w != NULL) {
		for (int i = 0; i < 2; i++) {
			g_free(w->rule[i]);
			w->rule[i] = g_strdup(top[i]);
			w->rule_score[i] = top[i] ? sc[i] : 0;
		}
		w->decisive = best >= 0;
		w->by = top[0] ? (best >= 0 ? "rules (decisive)" : "rules") : NULL;
	}
	return top[0];
}

static void
add_unique(GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (strcmp(g_ptr_array_index(a, i), s) == 0)
			return;
	g_ptr_array_add(a, g_strdup(s));
}


/* Fold a text without its quoted (">") lines. */
static void
fold_unquoted(GString *out, const char *text)
{
	const char *p = text, *end = text + capped(text), *nl;

	while (p < end) {
		nl = memchr(p, '\n', (gsize)(end - p));
		if (*p != '>')
			fold_text(out, p, (nl ? nl : end) - p);
		p = nl ? nl + 1 : end;
	}
}

/*
 * The full body is usually the clean body plus a signature or quotes
 * after it: then only that tail is scanned and added to the body's bits.
 */
static void
scan_full(const struct ruleset *rs, const struct request *r, GString *buf,
    const guint64 *body_bits, guint64 *bits, guint nw)
{
	const char *tail = r->text;

	if (r->text == NULL)
		return;
	if (r->text_clean != NULL && rs->uses[F_BODY]) {
		gsize n = strlen(r->text_clean);

		while (n > 0 && g_ascii_isspace(r->text_clean[n - 1]))
			n--;
		if (strncmp(r->text, r->text_clean, n) == 0) {
			tail = r->text + n;
			memcpy(bits, body_bits, nw * sizeof(guint64));
		}
	} else if (r->text_clean == NULL && rs->uses[F_BODY]) {
		memcpy(bits, body_bits, nw * sizeof(guint64));
		tail = NULL;
		for (const char *p = r->text; p; p = strchr(p, '\n')) {
			if (*p == '\n')
				p++;
			if (*p == '>') {	/* quoted lines: fold it all again */
				tail = r->text;
				memset(bits, 0, nw * sizeof(guint64));
				break;
			}
		}
		if (tail == NULL)
			return;
	}
	g_string_truncate(buf, 0);
	fold_unquoted(buf, tail);
	kwtrie_scan(rs->trie, buf->str, buf->len, bits);
}

void
ruleset_apply(const struct ruleset *rs, struct request *r)
{
	struct eval e = { 0 };
	guint nw = (kwtrie_count(rs->trie) + 63) / 64;
	g_autofree guint64 *bits = g_new0(guint64, (gsize)(nw ? nw : 1) * F_NFIELDS);
	GString *buf = g_string_sized_new(4096);
	gboolean true_seen = FALSE, false_seen = FALSE, weak_seen = FALSE;
	int true_prio = G_MININT, false_prio = G_MININT, weak_prio = G_MININT, w;
	const char *domain, *topic, *requester;

	g_ptr_array_set_size(r->tags, 0);
	g_ptr_array_set_size(r->forwards, 0);
	g_ptr_array_set_size(r->hits, 0);

	/* fold each field once, find every keyword in one pass */
	for (int f = 0; f < F_NFIELDS; f++) {
		e.bits[f] = bits + (gsize)f * (nw ? nw : 1);
		if (!rs->uses[f] || nw == 0)
			continue;
		if (f == F_FULL) {	/* after F_BODY */
			scan_full(rs, r, buf, e.bits[F_BODY], e.bits[f], nw);
			continue;
		}
		g_string_truncate(buf, 0);
		switch (f) {
		case F_SUBJECT: fold_text(buf, r->subject, capped(r->subject)); break;
		case F_BODY: fold_text(buf, body_of(r), capped(body_of(r))); break;
		default: fold_text(buf, r->from_name, capped(r->from_name)); break;
		}
		kwtrie_scan(rs->trie, buf->str, buf->len, e.bits[f]);
	}
	/* the first sentences again, alone: their words weigh more */
	if (rs->uses[F_BODY] && nw != 0 && body_of(r) != NULL) {
		const char *b = body_of(r);
		gsize n = strnlen(b, EARLY_TEXT_MAX);

		while (n > 0 && b[n] != '\0' && ((guint8)b[n] & 0xC0) == 0x80)
			n--;	/* not in the middle of a character */

		g_string_truncate(buf, 0);
		fold_text(buf, b, (gssize)n);
		kwtrie_scan(rs->trie, buf->str, buf->len, e.bits[F_EARLY]);
	}
	/* the sentences that ask: a topic word there is the request, not an aside */
	if (rs->uses[F_BODY] && nw != 0 && body_of(r) != NULL) {
		const char *b = body_of(r), *end = b + capped(b), *start = b;

		g_string_truncate(buf, 0);
		for (const char *p = b; p < end; p++) {
			gboolean arabic = p + 1 < end && (guint8)p[0] == 0xd8 &&
			    (guint8)p[1] == 0x9f;	/* U+061F */

			if (*p == '?' || arabic)
				fold_text(buf, start, p - start);
			if (arabic)
				p++;
			if (*p == '?' || arabic || *p == '.' || *p == '!' || *p == '\n')
				start = p + 1;
		}
		if (buf->len > 0)
			kwtrie_scan(rs->trie, buf->str, buf->len, e.bits[F_ASK]);
	}
	g_string_free(buf, TRUE);

	/* which keyword conditions have at least one keyword: walk the set bits */
	e.kwhit = g_new0(guint8, rs->kwconds->len + 1);
	for (int f = 0; f < F_NFIELDS; f++) {
		for (guint wi = 0; rs->uses[f] && wi < nw; wi++) {
			guint64 v = e.bits[f][wi];

			while (v != 0) {
				guint id = wi * 64 + (guint)__builtin_ctzll(v);

				v &= v - 1;
				for (guint k = rs->rev_start[id]; k < rs->rev_start[id + 1]; k++)
					e.kwhit[rs->rev_conds[k]] = 1;
			}
		}
	}

	e.rs = rs;
	e.r = r;
	e.words = g_array_new(FALSE, FALSE, sizeof(struct word));
	e.fired = g_array_new(FALSE, FALSE, sizeof(struct fired));
	for (int l = 0; l < L_NLABELS; l++)
		e.best[l] = -1;

	for (guint i = 0; i < rs->rules->len; i++) {
		const struct rule *ru = g_ptr_array_index(rs->rules, i);
		struct fired fi = { ru, 0 };
		GString *ws;
		int idx;

		g_array_set_size(e.words, 0);
		if (ru->cond != NULL && !eval_cond(&e, ru->cond))
			continue;
		for (guint j = 0; j < e.words->len; j++)
			fi.score += g_array_index(e.words, struct word, j).weight;
		g_array_append_val(e.fired, fi);
		idx = (int)e.fired->len - 1;
		for (int l = 0; l < L_NLABELS; l++)
			if (ru->set[l] != NULL && beats(&e, idx, e.best[l]))
				e.best[l] = idx;
		if (ru->urgent == 1) {
			true_seen = TRUE;
			true_prio = MAX(true_prio, ru->priority);
		} else if (ru->urgent == URGENT_WEAK) {
			weak_seen = TRUE;
			weak_prio = MAX(weak_prio, ru->priority);
		} else if (ru->urgent == 0) {
			false_seen = TRUE;
			false_prio = MAX(false_prio, ru->priority);
		}
		e.urgent = true_seen && !(false_seen && false_prio > true_prio);
		for (char **t = ru->tags; t && *t; t++)
			add_unique(r->tags, *t);
		for (char **t = ru->forwards; t && *t; t++)
			add_unique(r->forwards, *t);
		ws = g_string_new(NULL);
		for (guint j = 0; j < e.words->len; j++) {
			if (j > 0)
				g_string_append(ws, ", ");
			g_string_append(ws, g_array_index(e.words, struct word, j).text);
		}
		request_add_hit(r, ru->name, ru->where, ws->len ? ws->str : NULL);
		g_string_free(ws, TRUE);
		if (ru->stop)
			break;
	}

	/* final labels by evidence: the topic must belong to the winning domain */
	for (int i = 0; i < WHY_N; i++)
		request_why_clear(r, i);
	domain = weigh(&e, L_DOMAIN, NULL, &r->why[WHY_DOMAIN]);
	request_set(&r->domain, domain ? domain : VOCAB_DOMAIN_DEFAULT);
	topic = weigh(&e, L_TOPIC, r->domain, &r->why[WHY_TOPIC]);
	request_set(&r->topic, topic);
	requester = weigh(&e, L_REQUESTER, NULL, &r->why[WHY_REQUESTER]);
	request_set(&r->requester, requester ? requester : VOCAB_REQUESTER_DEFAULT);
	r->why[WHY_URGENT].by = e.urgent ? "rules" : NULL;
	request_set(&r->commune, label_now(&e, L_COMMUNE));
	w = winner(&e, L_REPLY, r->topic);
	if (w < 0) {
		r->reply = REPLY_ACK;
		request_set(&r->reply_template, NULL);
	} else {
		const struct rule *ru = g_array_index(e.fired, struct fired, w).rule;

		r->reply = reply_kind_from_str(ru->set[L_REPLY]);
		request_set(&r->reply_template,
		    r->reply == REPLY_ORIENTATION ? ru->template : NULL);
	}
	r->urgent = e.urgent;
	r->urgent_weak = !e.urgent && weak_seen && !(false_seen && false_prio > weak_prio);
	g_free(e.kwhit);
	g_array_unref(e.words);
	g_array_unref(e.fired);
}

const char *
ruleset_orientation(const struct ruleset *rs, const char *topic)
{
	if (topic == NULL)
		return NULL;
	for (guint i = 0; i < rs->rules->len; i++) {
		const struct rule *ru = g_ptr_array_index(rs->rules, i);

		if (g_strcmp0(ru->set[L_TOPIC], topic) == 0 &&
		    reply_kind_from_str(ru->set[L_REPLY]) == REPLY_ORIENTATION)
			return ru->template;
	}
	return NULL;
}
