/*
 * textfeat.h: the learned model's view of a request (textfeat.c).
 *
 * A request becomes a sparse vector of hashed features: folded words of
 * the subject and of the cleaned text, character n-grams (3 to 5 code
 * points, inside words), and the sender's domain.  Nothing
 * depends on the language or the script, so Tigrinya and Arabic are
 * read like French.  Words of the subject and of the first sentences
 * count more than those of a later aside.  No I/O.
 */
#ifndef GUICHET_TEXTFEAT_H
#define GUICHET_TEXTFEAT_H

#include <glib.h>
#include <linear.h>

/* Hashed feature buckets; liblinear indices run 1..FEAT_DIM, then the bias. */
#define FEAT_DIM	(1 << 15)
#define FEAT_BIAS	(FEAT_DIM + 1)
/* Changes whenever features_extract() does: models trained before are stale. */
#define FEATURES_VERSION	"features-2"

/*
 * The features of one text: struct feature_node sorted by index, values
 * L2-normalised, terminated by index -1 (no bias node).  Caller frees with
 * g_array_unref().  Any argument may be NULL.
 */
GArray		*features_extract(const char *subject, const char *body,
		    const char *from_domain);

#endif
