/*
 * learn.h: where the learned model's examples come from and where the
 * model lives (learn.c): the labelled examples shipped with guichet
 * (paths.training, by default RULES/training: folders of .eml files with
 * a labels.tsv) plus every label the delegate corrected in the store,
 * which weigh more.  The model file sits in the state folder, beside the
 * store (paths.model).  Nothing leaves the server.
 */
#ifndef GUICHET_LEARN_H
#define GUICHET_LEARN_H

#include <stdio.h>
#include "model.h"
#include "setup.h"
#include "store.h"

/* The model file: paths.model, else guichet.model beside the store. g_free. */
char		*learn_model_path(const struct config *, const char *db_path);

/* The model file when it is there and was trained from the shipped examples as they are now; else NULL. */
struct lmodel	*learn_model_current(const struct setup *, const char *db_path);

/*
 * The model to classify with: the model file when it was trained from the
 * shipped examples as they are now, else a model trained from them (and
 * the store's corrections when st is set), saved when the folder allows.
 * NULL when the model is disabled or no example is found (rules alone);
 * a problem is logged, never fatal.
 */
struct lmodel	*learn_model_for(const struct setup *, const char *db_path, struct store *st);

/*
 * Train from the shipped examples and the corrections of st (may be
 * NULL), save atomically to path, and print per label the examples and
 * the cross-validated accuracy before (the model in place) and after to
 * out (when not NULL).  Returns the new model, or NULL with err.
 */
struct lmodel	*learn_retrain(const struct setup *, struct store *st, const char *path,
		    FILE *out, GError **err);

#endif
