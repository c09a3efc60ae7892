/*
 * classify.h: the labels of a request from the rules and the learned
 * model together (classify.c; guichet-rules(5), RULES AND MODEL).
 */
#ifndef GUICHET_CLASSIFY_H
#define GUICHET_CLASSIFY_H

#include "config.h"
#include "model.h"
#include "rules.h"

/*
 * After ruleset_apply() (language already detected): let the model (may
 * be NULL: rules alone) decide the labels the rules leave silent, weak or
 * in conflict, and flag urgent what the model finds likely urgent.  r->why
 * says who decided each label.  No I/O.
 */
void		 classify_combine(const struct ruleset *, const struct lmodel *,
		    const struct config *, struct request *r);

#endif
