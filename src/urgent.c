/*
 * urgent.c: the urgent path's computations (urgent.h): the urgency
 * families from the rules' tags, the directory entries for what to do
 * now, the next opening of the desk and when a reminder is due.  No I/O.
 */
#include <string.h>
#include "urgent.h"

/* In the order of urgent.h: the first present is the main situation. */
static const struct {
	guint		 bit;
	const char	*name;
	const char	*fr;		/* for the delegate */
} families[URG_N] = {
	{ URG_VIOLENCE, "violence", "violence ou menaces" },
	{ URG_CHILD, "child", "enfant en danger" },
	{ URG_HEALTH, "health", "urgence médicale" },
	{ URG_DISTRESS, "distress", "détresse, idées suicidaires" },
	{ URG_SHELTER, "shelter", "sans toit, expulsion" },
	{ URG_DANGER, "danger", "danger, peur, personne disparue" },
	{ URG_DEADLINE, "deadline", "délai très court" },
	{ URG_GENERAL, "general", "situation non précisée" },
};

/*
 * The tags of the urgency rules (rules/30-urgent.conf,
 * 32-urgent-combined.conf) and the family each one means.  A tag not
 * listed ("urgent:plea", "urgent:combined", "urgent:explicit") says that
 * it is urgent, not what the situation is; "urgent:strong" (killing, rape
 * or suicide words alone) is violence unless a family rule says distress.
 */
static const struct {
	const char	*tag;
	guint		 bit;
} tag_family[] = {
	{ "urgent:violence", URG_VIOLENCE },
	{ "urgent:fear", URG_DANGER },
	{ "urgent:missing", URG_DANGER },
	{ "urgent:discrimination", URG_DANGER },
	{ "urgent:eviction", URG_SHELTER },
	{ "urgent:deadline", URG_DEADLINE },
	{ "urgent:distress", URG_DISTRESS },
};

guint
urgency_bit(const char *name)
{
	for (int i = 0; name != NULL && i < URG_N; i++)
		if (strcmp(families[i].name, name) == 0)
			return families[i].bit;
	return 0;
}

static guint
urgency_of_tags(gboolean urgent, char *const *tags, guint ntags)
{
	guint set = 0, distress = 0, child = 0, strong = 0;

	if (!urgent)
		return 0;
	for (guint i = 0; i < ntags; i++) {
		const char *t = tags[i];

		if (t == NULL)
			continue;
		/* the family rules (rules/33-urgency-families.conf) name it */
		if (g_str_has_prefix(t, "urgency:")) {
			if (urgency_bit(t + 8) == URG_CHILD)
				child = URG_CHILD;
			else
				set |= urgency_bit(t + 8);
			continue;
		}
		/* killing, rape or suicide words alone (urgent-harm-strong) */
		if (strcmp(t, "urgent:strong") == 0)
			strong = URG_VIOLENCE;
		for (gsize k = 0; k < G_N_ELEMENTS(tag_family); k++)
			if (strcmp(t, tag_family[k].tag) == 0) {
				/*
				 * urgent-distress also fires on sleeping outside
				 * or a high fever: distress only when no
				 * family rule said which.
				 */
				if (tag_family[k].bit == URG_DISTRESS)
					distress = URG_DISTRESS;
				else
					set |= tag_family[k].bit;
			}
	}
	/* strong words are violence unless the family rules read suicide in them */
	if (strong && !(set & URG_DISTRESS))
		set |= strong;
	/* a child named in a message about harm, danger or distress */
	if (child && ((set & (URG_VIOLENCE | URG_DANGER | URG_HEALTH |
	    URG_DISTRESS)) || distress))
		set |= URG_CHILD;
	if (distress && !(set & (URG_SHELTER | URG_HEALTH | URG_CHILD)))
		set |= distress;
	/* violence says more than danger */
	if (set & URG_VIOLENCE)
		set &= ~URG_DANGER;
	/* "general" is only for what no family names */
	if (set & ~URG_GENERAL)
		set &= ~URG_GENERAL;
	return set != 0 ? set : URG_GENERAL;
}

guint
urgency_of_request(const struct request *r)
{
	if (r->tags == NULL)
		return urgency_of_tags(r->urgent, NULL, 0);
	return urgency_of_tags(r->urgent, (char *const *)r->tags->pdata,
	    r->tags->len);
}

guint
urgency_of_tagstr(gboolean urgent, const char *tags)
{
	g_auto(GStrv) v = g_strsplit(tags != NULL ? tags : "", ",", -1);

	return urgency_of_tags(urgent, v, g_strv_length(v));
}

static char *
label_join(guint set, gboolean fr)
{
	GString *o = g_string_new(NULL);

	for (int i = 0; i < URG_N; i++)
		if (set & families[i].bit)
			g_string_append_printf(o, "%s%s", o->len ? (fr ? " ; " : ",") : "",
			    fr ? families[i].fr : families[i].name);
	return g_string_free(o, FALSE);
}

char *
urgency_label(guint set)
{
	return label_join(set, FALSE);
}

char *
urgency_label_fr(guint set)
{
	return label_join(set, TRUE);
}

char *
urgent_partners(const struct ruleset *rs, guint set, const char *lang)
{
	GPtrArray *ps = rs != NULL ? ruleset_partners(rs) : NULL;
	GString *o = g_string_new(NULL);

	for (guint i = 0; ps != NULL && i < ps->len; i++) {
		const struct partner *p = g_ptr_array_index(ps, i);
		const char *about = p->about != NULL && lang != NULL ?
		    g_hash_table_lookup(p->about, lang) : NULL;
		gboolean match = FALSE;

		/* placeholders the commune has not filled never go out */
		if (p->to_fill || p->name == NULL)
			continue;
		for (char **u = p->urgency; u != NULL && *u != NULL; u++)
			if (urgency_bit(*u) & set)
				match = TRUE;
		if (!match)
			continue;
		if (p->phone != NULL)
			g_string_append_printf(o, "☎ %s : %s\n", p->phone, p->name);
		else
			g_string_append_printf(o, "• %s\n", p->name);
		/* what it is, in the reader's language (the French has the name alone) */
		if (about != NULL && *about != '\0')
			g_string_append_printf(o, "  %s\n", about);
		if (p->address != NULL)
			g_string_append_printf(o, "  %s\n", p->address);
		if (p->email != NULL)
			g_string_append_printf(o, "  %s\n", p->email);
		if (p->web != NULL)
			g_string_append_printf(o, "  %s\n", p->web);
	}
	return g_string_free(o, FALSE);
}

gboolean
urgent_next_open(const struct config *cfg, gint64 now, gboolean *open_now,
    gint64 *next)
{
	gint64 start = 0, end = 0;

	*open_now = FALSE;
	*next = 0;
	/* free text only: the next opening is not known */
	if (cfg == NULL || cfg->hours == NULL || cfg->hours->slots == NULL ||
	    cfg->hours->slots->len == 0 ||
	    !hours_next_open(cfg->hours, now, cfg->timezone, &start, &end, NULL))
		return FALSE;
	*open_now = start <= now && now < end;
	*next = *open_now ? now : start;
	return TRUE;
}

gint64
urgent_reminder_due(const struct config *cfg, gint64 alerted)
{
	gint64 delay = cfg->escalate_after > 0 ? cfg->escalate_after : 7200;
	gboolean open_now;
	gint64 next;

	if (!urgent_next_open(cfg, alerted, &open_now, &next) || open_now)
		return alerted + delay;
	return next;
}
