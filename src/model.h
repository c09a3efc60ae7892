/*
 * model.h: the learned model beside the rules (model.c): one LIBLINEAR
 * logistic regression per label (domain, topic, requester, urgent) over
 * the hashed features of textfeat.h, with probability estimates.
 *
 * A model is trained from examples (learn.c gathers them), saved to one
 * file atomically and loaded read-only (mapped); it never changes after
 * load.  All memory returned belongs to the caller unless stated.
 */
#ifndef GUICHET_MODEL_H
#define GUICHET_MODEL_H

#include <glib.h>

enum mlabel {
	M_DOMAIN,
	M_TOPIC,
	M_REQUESTER,
	M_URGENT,	/* classes "0" and "1" */
	M_NLABELS,
};

/* "domain", "topic", "requester", "urgent" */
extern const char *const model_label_names[M_NLABELS];

struct example {
	GArray		*x;		/* features_extract(), owned */
	char		*label[M_NLABELS]; /* NULL: unknown for this example */
	int		 weight;	/* copies in training (corrections weigh more) */
	char		*origin;	/* "rules/training/x/a.eml", "correction CHI-2026-0042" */
};

struct example	*example_new(GArray *x, int weight, const char *origin);
void		 example_free(gpointer);

struct lmodel;

/* Per-label figures printed by `guichet learn`. */
struct model_stats {
	int		 n[M_NLABELS];		/* examples that carry the label */
	int		 nclass[M_NLABELS];
	double		 cv[M_NLABELS];		/* 5-fold cross-validated accuracy, -1 not done */
};

/*
 * Train every label that has examples of at least two classes.  With
 * cv, also the 5-fold cross-validated accuracy of each (weights ignored,
 * each example counted once).  signature says what it was trained from.
 */
struct lmodel	*model_train(const GPtrArray *examples, const char *signature,
		    gboolean cv, struct model_stats *stats);
/* Write to path.tmp, fsync, rename: a reader sees the old or the new model whole. */
gboolean	 model_save(const struct lmodel *, const char *path, GError **err);
struct lmodel	*model_load(const char *path, GError **err);
void		 model_free(struct lmodel *);
const char	*model_signature(const struct lmodel *);	/* not a copy */
/* The file format it was read from (1 to 3: an earlier guichet's; 4), 4 when trained. */
int		 model_format(const struct lmodel *);
gboolean	 model_has(const struct lmodel *, int label);

/*
 * Class probabilities of label for features x: fills probs (model_nclass()
 * entries) and returns the number of classes, 0 when the label has no model.
 */
int		 model_probs(const struct lmodel *, int label, const GArray *x, double *probs);
int		 model_nclass(const struct lmodel *, int label);
const char	*model_class(const struct lmodel *, int label, int i);	/* not a copy */
/* The probability of class cls (0 when unknown). */
double		 model_prob(const struct lmodel *, int label, const GArray *x, const char *cls);
/* The cross-validated accuracy recorded at training; -1 unknown. */
double		 model_cv(const struct lmodel *, int label);
/* Share of examples carrying label that the model gets right; -1 none. */
double		 model_accuracy(const struct lmodel *, int label, const GPtrArray *examples);

#endif
