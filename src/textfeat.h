/*
 * textfeat.h: the learned model's view of a request (textfeat.c).
 *
 * A request becomes a sparse vector of hashed features: folded words of
 * the subject and of the cleaned text, character n-grams (3 to 5 code
 * points, inside words), the sender's domain, and the names of the rules
 * that fired.  Nothing depends on the language or the script, so Tigrinya
 * and Arabic are read like French.  Words of the subject and of the first
 * sentences count more than those of a later aside.  The rules' keyword
 * lists name one topic in many languages; through the rules that fired,
 * the model learns when to trust each (a housing rule beside a refusal
 * "because we are foreigners" is discrimination).  No I/O.
 */
#ifndef GUICHET_TEXTFEAT_H
#define GUICHET_TEXTFEAT_H

#include <glib.h>
#include <linear.h>

/*
 * Hashed feature buckets, in two spaces that hold the same features hashed
 * apart: the narrow one (2^15 buckets: urgency and topic read it, as they
 * did when urgency's thresholds were chosen) and the wide one (2^17:
 * domain and requester, so that fewer rare words of the least covered
 * languages share a bucket with frequent ones; model.c).  In the wide
 * space the words keep the vowel signs of the Indic scripts
 * (fold_text_marks()); in the narrow one they are folded as the rules fold
 * them.  A request's vector holds both: the narrow space at indices
 * 1..FEAT_NARROW_DIM, the wide one after it; each is scaled to unit length
 * on its own.  Inside a space of dim buckets, the text's features fall in
 * its first dim - 2^12; the rules that fired in three ranges after them:
 * the topic, requester and other rules (2^11, every label reads them), the
 * urgency rules ("urgent-*", 2^10: every label but urgency: its safety net
 * must not lean on the rules it backs up), and the urgency cues ("cue-*",
 * rules/31-urgency-cues.conf, 2^10: urgency alone: signs of "now", "hurt",
 * "a professional writing" in every language).  features_read() says which
 * label reads what.
 */
enum feat_space {
	FEAT_NARROW,
	FEAT_WIDE,
	FEAT_NSPACES,
};
#define FEAT_NARROW_DIM	(1 << 15)
#define FEAT_WIDE_DIM	(1 << 17)
#define FEAT_INDEX_MAX	(FEAT_NARROW_DIM + FEAT_WIDE_DIM)
/* Changes whenever features_extract() or the training (model.c) does: models trained before are stale. */
#define FEATURES_VERSION	"features-7"

/* Buckets of a space, and the vector index of its first bucket minus one. */
int		 features_dim(enum feat_space);
int		 features_base(enum feat_space);

/*
 * The features of one request: struct feature_node sorted by index, values
 * L2-normalised, terminated by index -1 (no bias node).  hits: the struct
 * rule_hit of the rules that fired (request.h).  Caller frees with
 * g_array_unref().  Any argument may be NULL.
 */
/*
 * Does the model of urgency (urgent TRUE) or of another label, reading
 * space sp, read the vector's index i?
 */
gboolean	 features_read(enum feat_space sp, gboolean urgent, int i);

GArray		*features_extract(const char *subject, const char *body,
		    const char *from_domain, const GPtrArray *hits);

#endif
