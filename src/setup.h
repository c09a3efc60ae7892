/*
 * setup.h: everything loaded from files (configuration, rules, templates),
 * built whole and swapped whole on SIGHUP, plus the run-time handles.
 */
#ifndef GUICHET_SETUP_H
#define GUICHET_SETUP_H

#include "config.h"
#include "rules.h"
#include "template.h"

struct setup {
	struct config	*cfg;
	struct ruleset	*rules;
	struct templates *tpl;
};

/* Load config FILE, then its rules and templates. All errors in err. */
struct setup	*setup_load(const char *file, GError **err);
void		 setup_free(struct setup *);

#endif
