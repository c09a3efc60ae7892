/*
 * fold.c: case and accent folding, and the keyword trie of the rules.
 *
 * Folding is done once per message and per field; all keywords of all
 * rules are then found in one left-to-right pass (see fold.h).  Folded
 * forms of the code points below FOLD_TABLE_MAX (Latin, Greek, Cyrillic,
 * Armenian, Hebrew, Arabic, Ethiopic...) are computed once into a table.
 */
#include <string.h>
#include "fold.h"

#define FOLD_TABLE_MAX	0x1400
#define FOLD_SPACE	(-1)	/* not part of a word */
#define FOLD_JOINER	'\x01'	/* Persian ZWNJ: a gap inside a word */

struct folded {
	gint8		 len;	/* FOLD_SPACE, 0 (dropped) or bytes in s */
	char		 s[7];
};

static struct folded	*fold_table;
static char		 ascii_map[256];	/* 0: separator or not ASCII */

/* Letters that neither decompose nor lower-case to what people type. */
static gunichar
fold_special(gunichar c, const char **str)
{
	*str = NULL;
	switch (c) {
	case 0x00DF: case 0x1E9E: *str = "ss"; return 0;
	case 0x0153: case 0x0152: *str = "oe"; return 0;
	case 0x00E6: case 0x00C6: *str = "ae"; return 0;
	case 0x00F8: case 0x00D8: return 'o';
	case 0x0111: case 0x0110: return 'd';
	case 0x0142: case 0x0141: return 'l';
	case 0x0131: return 'i';		/* Turkish dotless i */
	case 0x03C2: return 0x03C3;		/* final sigma */
	case 0x064A: case 0x0649: return 0x06CC; /* Arabic yeh, alef maksura -> Persian yeh */
	case 0x0643: return 0x06A9;		/* Arabic kaf -> Persian keheh */
	case 0x0629: return 0x0647;		/* teh marbuta -> heh */
	default: return c;
	}
}

/*
 * Cyrillic is written in Latin letters, the way Serbian writes it in both
 * alphabets (đ, ć, č, š, ž lose their marks like every Latin letter), so
 * that Serbian Cyrillic matches Serbian Latin keywords; Russian and
 * Ukrainian keywords are folded the same way and still match themselves.
 */
static const char *const cyrillic[0x60] = {
	/* 0x430 */ "a", "b", "v", "g", "d", "e", "z", "z", "i", "i", "k", "l", "m", "n", "o", "p",
	/* 0x440 */ "r", "s", "t", "u", "f", "h", "c", "c", "s", "sc", "", "y", "", "e", "ju", "ja",
	/* 0x450 */ "e", "e", "d", "g", "je", "dz", "i", "i", "j", "lj", "nj", "c", "k", "i", "u", "dz",
};

/* Characters dropped without breaking the word. */
static gboolean
fold_dropped(gunichar c)
{
	return c == 0x0640 || c == 0x00AD || c == 0x200B ||
	    c == 0x200D || c == 0x2060 || c == 0xFEFF;
}

/* Fold one code point into f (slow path, no table). */
static void
fold_char(gunichar c, struct folded *f)
{
	gunichar buf[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
	const char *str;
	gsize n;

	f->len = 0;
	if (c == 0x200C) {
		f->s[0] = FOLD_JOINER;
		f->len = 1;
		return;
	}
	if (fold_dropped(c) || g_unichar_ismark(c))
		return;
	if (g_unichar_isdigit(c) && g_unichar_digit_value(c) >= 0) {
		f->s[0] = (char)('0' + g_unichar_digit_value(c));
		f->len = 1;
		return;
	}
	n = g_unichar_fully_decompose(c, TRUE, buf, G_N_ELEMENTS(buf));
	for (gsize i = 0; i < n; i++) {
		gunichar d = buf[i];
		char tmp[6];
		int l;

		if (g_unichar_ismark(d) || fold_dropped(d))
			continue;
		d = fold_special(g_unichar_tolower(d), &str);
		if (d >= 0x0430 && d < 0x0490)
			str = cyrillic[d - 0x0430];
		else if (d == 0x0491)		/* Ukrainian ґ */
			str = "g";
		if (str != NULL && *str == '\0')	/* hard and soft signs */
			continue;
		if (str == NULL && !g_unichar_isalnum(d)) {
			if (f->len == 0) {
				f->len = FOLD_SPACE;
				return;
			}
			continue;
		}
		if (str != NULL) {
			l = (int)strlen(str);
			memcpy(tmp, str, (size_t)l);
		} else
			l = g_unichar_to_utf8(d, tmp);
		if (f->len + l > (int)sizeof(f->s))
			break;
		memcpy(f->s + f->len, tmp, (size_t)l);
		f->len = (gint8)(f->len + l);
	}
}

static void
fold_init(void)
{
	static gsize once;

	if (g_once_init_enter(&once)) {
		struct folded *t = g_new0(struct folded, FOLD_TABLE_MAX);

		for (gunichar c = 0x80; c < FOLD_TABLE_MAX; c++)
			fold_char(c, &t[c]);
		for (int c = 0; c < 256; c++) {
			if (c >= 'A' && c <= 'Z')
				ascii_map[c] = (char)(c - 'A' + 'a');
			else if (c < 128 && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				ascii_map[c] = (char)c;
			else
				ascii_map[c] = 0;
		}
		fold_table = t;
		g_once_init_leave(&once, 1);
	}
}

static inline gboolean
all_digits(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p < '0' || *p > '9')
			return FALSE;
	return TRUE;
}

/*
 * The folding loop writes straight into out's buffer: a code point of n
 * bytes folds to at most 7 bytes (n >= 2), an ASCII byte to 1 or 2 (a
 * separator), so 4 bytes per input byte are always enough.
 */
/*
 * Kept as it is by fold_text_marks(): a vowel sign or virama of an Indic
 * script, or an Indic letter that decomposes into one (Tamil ொ), unless
 * the table drops it.
 */
static inline gboolean
indic_kept(gunichar c)
{
	if (c < 0x0900 || c > 0x0DFF || fold_table[c].len < 0)
		return FALSE;
	return g_unichar_ismark(c) ||
	    g_unichar_fully_decompose(c, TRUE, NULL, 0) > 1;
}

static void
fold_run(GString *out, const char *s, gssize len, gboolean marks)
{
	const guchar *p = (const guchar *)s, *end;
	gboolean in_word = FALSE;
	gsize start, n;
	char *o, *w = NULL;

	fold_init();
	if (out->len == 0 || out->str[out->len - 1] != ' ')
		g_string_append_c(out, ' ');
	if (s == NULL)
		return;
	n = len < 0 ? strlen(s) : (gsize)len;
	end = p + n;
	start = out->len;
	g_string_set_size(out, start + 4 * n + 2);
	o = out->str + start;

#define WORD_END() do {							\
	if (in_word) {							\
		if (*w >= '0' && *w <= '9' && all_digits(w, o)) {	\
			o = w;						\
			*o++ = '#';					\
		}							\
		*o++ = ' ';						\
		in_word = FALSE;					\
	}								\
} while (0)

	while (p < end) {
		struct folded tmp;
		const struct folded *f;
		gunichar c;

		if (*p < 0x80) {
			char a = ascii_map[*p];

			if (a == 0) {
				WORD_END();
				p++;
				continue;
			}
			if (!in_word) {
				in_word = TRUE;
				w = o;
			}
			/* a run of ASCII letters and digits (non-ASCII maps to 0) */
			do {
				*o++ = a;
				if (++p == end)
					break;
				a = ascii_map[*p];
			} while (a != 0);
			continue;
		}
		if ((*p & 0xE0) == 0xC0 && p + 1 < end && (p[1] & 0xC0) == 0x80 &&
		    *p >= 0xC2) {
			c = ((gunichar)(*p & 0x1F) << 6) | (p[1] & 0x3F);
			p += 2;
		} else {
			c = g_utf8_get_char_validated((const char *)p, end - p);
			if (c == (gunichar)-1 || c == (gunichar)-2) {
				WORD_END();
				p++;
				continue;
			}
			p = (const guchar *)g_utf8_next_char(p);
		}
		if (marks && indic_kept(c)) {
			tmp.len = (gint8)g_unichar_to_utf8(c, tmp.s);
			f = &tmp;
		} else if (c < FOLD_TABLE_MAX)
			f = &fold_table[c];
		else {
			fold_char(c, &tmp);
			f = &tmp;
		}
		if (f->len == FOLD_SPACE) {
			WORD_END();
			continue;
		}
		if (f->len == 0 || (!in_word && f->s[0] == FOLD_JOINER))
			continue;
		if (!in_word) {
			in_word = TRUE;
			w = o;
		}
		memcpy(o, f->s, (size_t)f->len);
		o += f->len;
	}
	WORD_END();
#undef WORD_END
	g_string_truncate(out, (gsize)(o - out->str));
}

void
fold_text(GString *out, const char *s, gssize len)
{
	fold_run(out, s, len, FALSE);
}

void
fold_text_marks(GString *out, const char *s, gssize len)
{
	fold_run(out, s, len, TRUE);
}

char *
fold_keyword(const char *kw, gboolean *prefix)
{
	gsize n = strlen(kw);
	GString *out = g_string_sized_new(n + 2);
	g_autofree char *copy = g_strdup(kw);

	/* a lone "#" stands for any number, like any word of digits */
	for (char *p = copy; *p; p++)
		if (*p == '#' && (p == copy || p[-1] == ' ') &&
		    (p[1] == '\0' || p[1] == ' '))
			*p = '0';
	kw = copy;

	while (n > 0 && g_ascii_isspace(kw[n - 1]))
		n--;
	*prefix = n > 0 && kw[n - 1] == '*';
	if (*prefix)
		n--;
	fold_text(out, kw, (gssize)n);
	/* a ZWNJ in a keyword is a space there (it matches text written
	 * joined, with a ZWNJ or with a space: see kwtrie_scan) */
	{
		gsize j = 0;

		for (gsize i = 0; i < out->len; i++) {
			char ch = out->str[i] == FOLD_JOINER ? ' ' : out->str[i];

			if (ch == ' ' && j > 0 && out->str[j - 1] == ' ')
				continue;
			out->str[j++] = ch;
		}
		g_string_truncate(out, j);
	}
	/* strip the spaces around " w1 w2 " */
	while (out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	if (out->len > 0 && out->str[0] == ' ')
		g_string_erase(out, 0, 1);
	if (out->len == 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* ---- the keyword trie ---- */

/*
 * The trie while it is built: one node per byte of the keywords, the
 * children of a node contiguous.  kwtrie_freeze() turns it into the
 * arrays of struct kwtrie and frees it.
 */
struct tnode {
	guint32		 child;		/* index of the first child */
	guint32		 exact;		/* keyword id + 1 ending here on a word end, or 0 */
	guint32		 prefix;	/* keyword id + 1 ending here as a prefix, or 0 */
	guint16		 nchild;
	guint8		 byte;		/* the byte leading to this node */
};

#define DENSE_MIN	6	/* nodes with more children get a 256-entry row */

struct kwent {
	char		*word;
	gboolean	 prefix;
	guint		 id;
};

/*
 * A set of nodes (those where a keyword ends, those with a dense row) as a
 * bitmap with the count of members before each 64 nodes: the members are
 * numbered in node order, so that a member's data is found in O(1).
 */
struct nodeset {
	guint64		*bits;
	guint32		*rank;
	guint32		 count;		/* members */
};

/*
 * Frozen, the trie is arrays indexed by node (0 is the root): 6 bytes a
 * node, where a node of 20 bytes, with a 1 KB row for every node of many
 * children, took 1.7 MB for the shipped rules' 71,000 nodes (issue 20).
 * Four nodes in five have one child and end no keyword; they pay for their
 * child index, their byte and their count of children, nothing else.
 */
struct kwtrie {
	GHashTable	*ids;		/* "e:word" / "p:word" -> id + 1 (until frozen) */
	GPtrArray	*ents;		/* struct kwent * (until frozen) */
	guint32		*child;		/* index of the first child; children contiguous */
	guint8		*bytes;		/* bytes[i]: the byte leading to node i */
	guint8		*nchild;	/* at most 255: no keyword holds a NUL byte */
	struct nodeset	 ends;		/* nodes where a keyword ends */
	guint32		*endid;		/* per member of ends: exact id + 1, prefix id + 1 (0: none) */
	struct nodeset	 dense;		/* nodes of more than DENSE_MIN children */
	guint8		*rows;		/* per member of dense: 256 entries, 1 + child offset or 0 */
	guint32		 root[256];
	guint		 count;		/* keywords, once frozen */
	gboolean	 frozen;
};

static void
kwent_free(gpointer p)
{
	struct kwent *e = p;

	g_free(e->word);
	g_free(e);
}

struct kwtrie *
kwtrie_new(void)
{
	struct kwtrie *t = g_new0(struct kwtrie, 1);

	t->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	t->ents = g_ptr_array_new_with_free_func(kwent_free);
	return t;
}

void
kwtrie_free(struct kwtrie *t)
{
	if (t == NULL)
		return;
	if (t->ids != NULL)
		g_hash_table_destroy(t->ids);
	if (t->ents != NULL)
		g_ptr_array_unref(t->ents);
	g_free(t->child);
	g_free(t->bytes);
	g_free(t->nchild);
	g_free(t->ends.bits);
	g_free(t->ends.rank);
	g_free(t->endid);
	g_free(t->dense.bits);
	g_free(t->dense.rank);
	g_free(t->rows);
	g_free(t);
}

guint
kwtrie_add(struct kwtrie *t, const char *folded, gboolean prefix)
{
	char *key;
	gpointer v;
	struct kwent *e;

	g_return_val_if_fail(!t->frozen, 0);
	key = g_strconcat(prefix ? "p:" : "e:", folded, NULL);
	v = g_hash_table_lookup(t->ids, key);
	if (v != NULL) {
		g_free(key);
		return GPOINTER_TO_UINT(v) - 1;
	}
	e = g_new0(struct kwent, 1);
	e->word = g_strdup(folded);
	e->prefix = prefix;
	e->id = t->ents->len;
	g_ptr_array_add(t->ents, e);
	g_hash_table_insert(t->ids, key, GUINT_TO_POINTER(e->id + 1));
	return e->id;
}

guint
kwtrie_count(const struct kwtrie *t)
{
	return t->frozen ? t->count : t->ents->len;
}

static gint
kwent_cmp(gconstpointer a, gconstpointer b)
{
	const struct kwent *x = *(struct kwent *const *)a;
	const struct kwent *y = *(struct kwent *const *)b;
	int c = strcmp(x->word, y->word);

	/* a word can be both a prefix and an exact keyword: ids order them */
	return c != 0 ? c : x->id < y->id ? -1 : x->id > y->id;
}

/* Build the subtree of node n from ents[lo, hi), which share depth bytes. */
static void
trie_build(GArray *nodes, guint32 n, struct kwent **ents, guint lo,
    guint hi, gsize depth)
{
	guint i = lo, ngroups = 0;
	guint32 first;

	while (i < hi && ents[i]->word[depth] == '\0') {
		struct tnode *node = &g_array_index(nodes, struct tnode, n);

		if (ents[i]->prefix)
			node->prefix = ents[i]->id + 1;
		else
			node->exact = ents[i]->id + 1;
		i++;
	}
	for (guint j = i; j < hi; j++)
		if (j == i || ents[j]->word[depth] != ents[j - 1]->word[depth])
			ngroups++;
	if (ngroups == 0)
		return;
	first = nodes->len;
	g_array_set_size(nodes, first + ngroups);
	{
		struct tnode *node = &g_array_index(nodes, struct tnode, n);

		node->child = first;
		node->nchild = (guint16)ngroups;
	}
	for (guint g = 0, j = i; g < ngroups; g++) {
		guint start = j;
		guint8 b = (guint8)ents[j]->word[depth];

		while (j < hi && (guint8)ents[j]->word[depth] == b)
			j++;
		g_array_index(nodes, struct tnode, first + g).byte = b;
		trie_build(nodes, first + g, ents, start, j, depth + 1);
	}
}

static void
nodeset_init(struct nodeset *set, const GArray *nodes, gboolean (*in)(const struct tnode *))
{
	guint n = nodes->len, nwords = n / 64 + 1, k = 0;

	set->bits = g_new0(guint64, nwords);
	set->rank = g_new(guint32, nwords);
	for (guint i = 0; i < n; i++)
		if (in(&g_array_index(nodes, struct tnode, i)))
			set->bits[i / 64] |= G_GUINT64_CONSTANT(1) << (i % 64);
	for (guint w = 0; w < nwords; w++) {
		set->rank[w] = k;
		k += (guint)__builtin_popcountll(set->bits[w]);
	}
	set->count = k;
}

/* Member number of node n in set, or -1 when n is not in it. */
static inline gint64
nodeset_rank(const struct nodeset *set, guint32 n)
{
	guint64 word = set->bits[n / 64], bit = G_GUINT64_CONSTANT(1) << (n % 64);

	if (!(word & bit))
		return -1;
	return set->rank[n / 64] + __builtin_popcountll(word & (bit - 1));
}

static gboolean
node_ends(const struct tnode *n)
{
	return n->exact != 0 || n->prefix != 0;
}

static gboolean
node_dense(const struct tnode *n)
{
	return n->nchild > DENSE_MIN;
}

void
kwtrie_freeze(struct kwtrie *t)
{
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();
	g_autoptr(GArray) nodes = g_array_new(FALSE, TRUE, sizeof(struct tnode));
	const struct tnode *root;
	guint n;

	if (t->frozen)
		return;
	for (guint i = 0; i < t->ents->len; i++)
		g_ptr_array_add(sorted, g_ptr_array_index(t->ents, i));
	g_ptr_array_sort(sorted, kwent_cmp);
	g_array_set_size(nodes, 1);
	trie_build(nodes, 0, (struct kwent **)sorted->pdata, 0, sorted->len, 0);
	/* the words and their index go: only the arrays below are read from now on */
	t->count = t->ents->len;
	g_clear_pointer(&sorted, g_ptr_array_unref);
	g_clear_pointer(&t->ids, g_hash_table_destroy);
	g_clear_pointer(&t->ents, g_ptr_array_unref);
	n = nodes->len;
	root = &g_array_index(nodes, struct tnode, 0);
	for (guint i = 0; i < root->nchild; i++) {
		const struct tnode *c = &g_array_index(nodes, struct tnode, root->child + i);

		t->root[c->byte] = root->child + i;
	}
	t->child = g_new(guint32, n);
	t->bytes = g_new(guint8, n);
	t->nchild = g_new(guint8, n);
	nodeset_init(&t->ends, nodes, node_ends);
	nodeset_init(&t->dense, nodes, node_dense);
	t->endid = g_new0(guint32, 2 * (gsize)MAX(t->ends.count, 1));
	t->rows = g_new0(guint8, 256 * (gsize)MAX(t->dense.count, 1));
	for (guint32 i = 0; i < n; i++) {
		const struct tnode *x = &g_array_index(nodes, struct tnode, i);
		gint64 e = nodeset_rank(&t->ends, i), d = nodeset_rank(&t->dense, i);

		g_assert(x->nchild <= 255);
		t->child[i] = x->child;
		t->bytes[i] = x->byte;
		t->nchild[i] = (guint8)x->nchild;
		if (e >= 0) {
			t->endid[2 * e] = x->exact;
			t->endid[2 * e + 1] = x->prefix;
		}
		for (guint j = 0; d >= 0 && j < x->nchild; j++) {
			const struct tnode *c = &g_array_index(nodes, struct tnode, x->child + j);

			t->rows[d * 256 + c->byte] = (guint8)(j + 1);
		}
	}
	t->frozen = TRUE;
}

static inline guint32
trie_child(const struct kwtrie *t, guint32 n, guint8 b)
{
	const guint8 *c = t->bytes + t->child[n];
	guint nc = t->nchild[n];

	if (nc > DENSE_MIN) {
		guint8 o = t->rows[nodeset_rank(&t->dense, n) * 256 + b];

		return o != 0 ? t->child[n] + o - 1 : 0;
	}
	for (guint i = 0; i < nc; i++)
		if (c[i] == b)
			return t->child[n] + i;
	return 0;
}

/* Two bytes of UTF-8 in the Arabic block (U+0600..U+06FF) at p? */
static inline gboolean
arabic_at(const guchar *p, const guchar *end)
{
	return p + 1 < end && *p >= 0xD8 && *p <= 0xDB && (p[1] & 0xC0) == 0x80;
}

static inline gboolean
arabic_is(const guchar *p, const guchar *end, guint8 b0, guint8 b1)
{
	return p + 1 < end && p[0] == b0 && p[1] == b1;
}

#define AR_ALEF(p, e)	arabic_is(p, e, 0xD8, 0xA7)
#define AR_LAM(p, e)	arabic_is(p, e, 0xD9, 0x84)
#define AR_WAW(p, e)	arabic_is(p, e, 0xD9, 0x88)
#define AR_FEH(p, e)	arabic_is(p, e, 0xD9, 0x81)
#define AR_BEH(p, e)	arabic_is(p, e, 0xD8, 0xA8)
#define AR_KAF(p, e)	arabic_is(p, e, 0xDA, 0xA9)	/* folded kaf */

#define TRIE_DEPTH_MAX	8	/* branches followed inside one walk */

/*
 * Walk the trie from node n over the text at q.  A joiner in the text
 * (Persian ZWNJ) matches a space of the keyword or nothing, and ends a
 * word for whole-word keywords; a space of the keyword between two
 * Arabic-script letters also matches text written joined.
 */
static void
trie_walk(const struct kwtrie *t, guint32 n, const guchar *q,
    const guchar *end, guint64 *bits, int depth)
{
	while (n != 0) {
		guchar c = q < end ? *q : ' ';
		gint64 e = nodeset_rank(&t->ends, n);

		if (e >= 0) {
			guint32 exact = t->endid[2 * e], prefix = t->endid[2 * e + 1];

			if (prefix)
				bits[(prefix - 1) >> 6] |=
				    G_GUINT64_CONSTANT(1) << ((prefix - 1) & 63);
			if ((c == ' ' || c == FOLD_JOINER) && exact)
				bits[(exact - 1) >> 6] |=
				    G_GUINT64_CONSTANT(1) << ((exact - 1) & 63);
		}
		if (q >= end || t->nchild[n] == 0)
			break;
		if (c == FOLD_JOINER) {
			guint32 sp = trie_child(t, n, ' ');

			if (sp != 0 && depth < TRIE_DEPTH_MAX)
				trie_walk(t, sp, q + 1, end, bits, depth + 1);
			q++;			/* joined */
			continue;
		}
		/* q - 2 is still inside the text: a walk starts after " x" */
		if (c >= 0xD8 && c <= 0xDB && depth < TRIE_DEPTH_MAX &&
		    arabic_at(q, end)) {
			guint32 sp = trie_child(t, n, ' ');

			if (sp != 0 && q[-1] >= 0x80 && q[-2] >= 0xD8 && q[-2] <= 0xDB)
				trie_walk(t, sp, q, end, bits, depth + 1);
		}
		n = trie_child(t, n, c);
		q++;
	}
}

/*
 * Where a keyword may also start inside the Arabic word at w: after the
 * proclitics wa-/fa- (and), bi-/li-/ka- (with, for, like) and the article
 * al- in any of their combinations (wal-, bil-, lil- ...), as long as a
 * stem of three letters or more is left.  Returns how many starts it put
 * in out (at most 8).
 */
static int
arabic_stems(const guchar *w, const guchar *end, const guchar **out)
{
	const guchar *conj[2], *prep[4];
	int nc = 0, n = 0;

	conj[nc++] = w;
	if (AR_WAW(w, end) || AR_FEH(w, end))
		conj[nc++] = w + 2;
	for (int i = 0; i < nc; i++) {
		const guchar *c = conj[i];
		int np = 0;

		prep[np++] = c;
		if (AR_BEH(c, end) || AR_LAM(c, end) || AR_KAF(c, end))
			prep[np++] = c + 2;
		if (AR_LAM(c, end) && AR_LAM(c + 2, end))	/* li + al -> lil- */
			prep[np++] = c + 4;
		for (int j = 0; j < np; j++) {
			const guchar *p = prep[j], *cand[2];
			int k = 0;

			if (p != w)
				cand[k++] = p;
			if (AR_ALEF(p, end) && AR_LAM(p + 2, end))
				cand[k++] = p + 4;
			for (int m = 0; m < k && n < 8; m++) {
				const guchar *s = cand[m];
				int letters = 0;

				for (const guchar *x = s; x < end && *x != ' ' &&
				    *x != FOLD_JOINER && letters < 3; x++)
					if ((*x & 0xC0) != 0x80)
						letters++;
				if (letters >= 3 && arabic_at(s, end))
					out[n++] = s;
			}
		}
	}
	return n;
}

void
kwtrie_scan(const struct kwtrie *t, const char *folded, gsize len,
    guint64 *bits)
{
	const guchar *s = (const guchar *)folded;
	const guchar *p = s, *end = s + len;

	g_return_if_fail(t->frozen);
	/* s is " w1 w2 ... wn ": every match starts just after a space */
	while (p + 1 < end && (p = memchr(p, ' ', (gsize)(end - p - 1))) != NULL) {
		const guchar *q = ++p;

		trie_walk(t, t->root[*q], q + 1, end, bits, 0);
		if (*q >= 0xD8 && *q <= 0xDB) {
			/* Arabic script: after clitics, and after each ZWNJ */
			const guchar *starts[8], *x;
			int ns = arabic_stems(q, end, starts);

			for (int i = 0; i < ns; i++)
				trie_walk(t, t->root[*starts[i]], starts[i] + 1,
				    end, bits, 0);
			for (x = q; x < end && *x != ' '; x++)
				if (*x == FOLD_JOINER && x + 1 < end && x[1] != ' ')
					trie_walk(t, t->root[x[1]], x + 2, end,
					    bits, 0);
		}
	}
}
