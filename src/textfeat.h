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
 * Hashed feature buckets; liblinear indices run 1..FEAT_DIM, then the bias.
 * The text's features fall in 1..FEAT_TEXT; the rules that fired in three
 * ranges after it: the topic, requester and other rules up to FEAT_RULES
 * (every label reads them), the urgency rules ("urgent-*") up to
 * FEAT_URULES (every label but urgency: its safety net must not lean on the
 * rules it backs up), and the urgency cues ("cue-*", rules/31-urgency-cues.conf)
 * up to FEAT_DIM (urgency alone: signs of "now", "hurt", "a professional
 * writing" in every language).  features_read() says which label reads what.
 */
#define FEAT_DIM	(1 << 15)
#define FEAT_TEXT	(FEAT_DIM - (1 << 12))
#define FEAT_RULES	(FEAT_TEXT + (1 << 11))
#define FEAT_URULES	(FEAT_RULES + (1 << 10))
#define FEAT_BIAS	(FEAT_DIM + 1)
/* Changes whenever features_extract() or the training (model.c) does: models trained before are stale. */
#define FEATURES_VERSION	"features-6"

/*
 * The features of one request: struct feature_node sorted by index, values
 * L2-normalised, terminated by index -1 (no bias node).  hits: the struct
 * rule_hit of the rules that fired (request.h).  Caller frees with
 * g_array_unref().  Any argument may be NULL.
 */
/* Does the model of urgency (urgent TRUE) or of another label read feature index i? */
gboolean	 features_read(gboolean urgent, int i);

GArray		*features_extract(const char *subject, const char *body,
		    const char *from_domain, const GPtrArray *hits);

#endif
