/*
 * classify.c: rules first, the learned model where they say little
 * (see classify.h and guichet-rules(5), RULES AND MODEL).
 *
 *   domain, requester: a decisive rule wins.  Otherwise the model's
 *     label wins if its probability reaches model.strong_threshold,
 *     model.silent_threshold when no rule gives the label, or
 *     model.threshold when the rules are weak (evidence at most
 *     model.weak_evidence) or in conflict (the runner-up has at least half
 *     the winner's evidence).  Else the rules' label, or autre / inconnu
 *     when they are silent.
 *   topic: follows the domain: the rules' topic when the rules gave the
 *     domain, the model's most probable topic of that domain otherwise.
 *   urgent: a rule with urgent = true decides (immediate danger), unless
 *     a rule tagged urgent:damp fired (told as a past event, a time months
 *     away, an event or news) and the model's probability is below
 *     model.urgent_damp_threshold.  Where only a weak rule fired
 *     (urgent = "weak": a discrimination told without a threat or a harm,
 *     words the model over-reads), the model decides from
 *     model.urgent_weak_threshold.  Where no urgency rule fired, the model
 *     alone flags from model.urgent_threshold, or from
 *     model.urgent_calm_threshold when a rule tagged urgent:calm fired (a
 *     past event, a general or later question, an organisation writing
 *     about its work, an event, an exam).  Without a model a weak rule is
 *     urgent (recall first); the model never flags what decide_is_robot()
 *     says no person wrote.
 * The reply follows the combined topic: the orientation the rules give
 * for it, else an acknowledgment.  No I/O.
 */
#include <string.h>
#include "classify.h"
#include "decide.h"
#include "textfeat.h"

/* The tag of the rules that say a request is framed as not urgent. */
#define URGENT_CALM_TAG	"urgent:calm"
/* ... told as past or as an event: even strong rules need the model a little */
#define URGENT_DAMP_TAG	"urgent:damp"

static void urgent_combine(const struct lmodel *, const struct config *,
    const GArray *, struct request *);

/* The model's two most probable classes of label into w. */
static void
model_top(const struct lmodel *m, int label, const GArray *x, struct why *w)
{
	int n = model_nclass(m, label), a = -1, b = -1;
	double p[MAX(n, 1)];

	if (n == 0 || model_probs(m, label, x, p) == 0)
		return;
	for (int i = 0; i < n; i++) {
		if (a < 0 || p[i] > p[a]) {
			b = a;
			a = i;
		} else if (b < 0 || p[i] > p[b])
			b = i;
	}
	g_free(w->model[0]);
	g_free(w->model[1]);
	w->model[0] = g_strdup(model_class(m, label, a));
	w->model_p[0] = p[a];
	w->model[1] = b >= 0 ? g_strdup(model_class(m, label, b)) : NULL;
	w->model_p[1] = b >= 0 ? p[b] : 0;
}

/* Do the rules leave label open to the model? */
static gboolean
rules_open(const struct config *cfg, const struct why *w)
{
	if (w->decisive)
		return FALSE;
	if (w->rule[0] == NULL || w->rule_score[0] <= cfg->model_weak_evidence)
		return TRUE;
	return w->rule[1] != NULL && 2 * w->rule_score[1] >= w->rule_score[0];
}

/* Does the model's most probable value of w win? */
static gboolean
model_wins(const struct config *cfg, const struct why *w)
{
	if (w->model[0] == NULL || w->decisive)
		return FALSE;
	if (w->model_p[0] >= cfg->model_strong_threshold / 100.0)
		return TRUE;
	if (w->rule[0] == NULL)
		return w->model_p[0] >= cfg->model_silent_threshold / 100.0;
	return rules_open(cfg, w) && w->model_p[0] >= cfg->model_threshold / 100.0;
}

/* The model's most probable topic of domain, or NULL. */
static const char *
topic_of(const struct ruleset *rs, const struct lmodel *m, const GArray *x,
    const char *domain, double *pbest)
{
	int n = model_nclass(m, M_TOPIC);
	double p[MAX(n, 1)];
	const char *best = NULL;

	*pbest = 0;
	if (n == 0 || model_probs(m, M_TOPIC, x, p) == 0)
		return NULL;
	for (int i = 0; i < n; i++) {
		const struct topic_def *t = ruleset_topic(rs, model_class(m, M_TOPIC, i));

		if (t != NULL && strcmp(t->domain, domain) == 0 && p[i] > *pbest) {
			*pbest = p[i];
			best = t->code;
		}
	}
	return best;
}

void
classify_combine(const struct ruleset *rs, const struct lmodel *m,
    const struct config *cfg, struct request *r)
{
	double thr = cfg->model_threshold / 100.0, pt;
	struct why *w;
	GArray *x;
	const char *t;

	if (m == NULL) {
		urgent_combine(NULL, cfg, NULL, r);
		return;
	}
	x = features_extract(r->subject, r->text_clean ? r->text_clean : r->text,
	    r->from_domain, r->hits);

	w = &r->why[WHY_DOMAIN];
	model_top(m, M_DOMAIN, x, w);
	if (model_wins(cfg, w)) {
		if (strcmp(w->model[0], r->domain) != 0) {
			request_set(&r->domain, w->model[0]);
			w->by = "model";
			t = topic_of(rs, m, x, r->domain, &pt);
			request_set(&r->topic, t);
			r->why[WHY_TOPIC].by = t ? "model" : NULL;
			/* the reply follows the new topic */
			if (r->reply == REPLY_ACK || r->reply == REPLY_ORIENTATION) {
				const char *tpl = ruleset_orientation(rs, t);

				r->reply = tpl ? REPLY_ORIENTATION : REPLY_ACK;
				request_set(&r->reply_template, tpl);
			}
		} else
			w->by = "rules and model";
	} else if (w->rule[0] == NULL)
		w->by = "default";
	if (r->topic == NULL && strcmp(r->domain, VOCAB_DOMAIN_DEFAULT) != 0 &&
	    (t = topic_of(rs, m, x, r->domain, &pt)) != NULL && pt >= thr) {
		request_set(&r->topic, t);
		r->why[WHY_TOPIC].by = "model";
	}

	w = &r->why[WHY_REQUESTER];
	model_top(m, M_REQUESTER, x, w);
	if (model_wins(cfg, w)) {
		if (strcmp(w->model[0], r->requester) != 0) {
			request_set(&r->requester, w->model[0]);
			w->by = "model";
		} else
			w->by = "rules and model";
	} else if (w->rule[0] == NULL)
		w->by = "default";

	urgent_combine(m, cfg, x, r);
	g_array_unref(x);
}

/* Did a rule with tag (a not-urgent frame) fire on r? */
static gboolean
has_tag(const struct request *r, const char *tag)
{
	for (guint i = 0; r->tags != NULL && i < r->tags->len; i++)
		if (strcmp(g_ptr_array_index(r->tags, i), tag) == 0)
			return TRUE;
	return FALSE;
}

/* Urgency from the rules' verdict and the model (see the top of this file). */
static void
urgent_combine(const struct lmodel *m, const struct config *cfg, const GArray *x,
    struct request *r)
{
	struct why *w = &r->why[WHY_URGENT];
	gboolean calm = has_tag(r, URGENT_CALM_TAG), weak = r->urgent_weak && !r->urgent;
	const char *robot;
	double p, alone, need;

	/* the model is for people: not for robots, lists, bounces */
	if (m == NULL || !model_has(m, M_URGENT) || decide_is_robot(cfg, r, &robot)) {
		if (weak && (m == NULL || !model_has(m, M_URGENT))) {
			w->by = "rules (weak, no model)";
			r->urgent = TRUE;
		}
		return;
	}
	p = model_prob(m, M_URGENT, x, "1");
	g_free(w->model[0]);
	w->model[0] = g_strdup("1");
	w->model_p[0] = p;
	alone = (calm ? cfg->model_urgent_calm_threshold : cfg->model_urgent_threshold) / 100.0;
	need = cfg->model_urgent_weak_threshold / 100.0;
	if (r->urgent) {
		if (p >= alone)
			w->by = "rules and model";
		else if (p < cfg->model_urgent_damp_threshold / 100.0 &&
		    has_tag(r, URGENT_DAMP_TAG)) {
			w->by = "not urgent: rules in a past or event frame, too unlikely";
			r->urgent = FALSE;
		}
	} else if (weak) {
		if (p >= need) {
			w->by = "rules (weak) and model";
			r->urgent = TRUE;
		} else
			w->by = "not urgent: weak rule, too unlikely";
	} else if (p >= alone) {
		w->by = calm ? "model (calm frame)" : "model";
		r->urgent = TRUE;
	}
}
