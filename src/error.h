/*
 * error.h: guichet's GError domain and codes, graded by scope (what the
 * caller does about it).  Every module that fails fills a GError of this
 * domain; config.h includes this header for the modules that load it.
 */
#ifndef GUICHET_ERROR_H
#define GUICHET_ERROR_H

#include <glib.h>

GQuark		 guichet_error_quark(void);
#define GUICHET_ERROR guichet_error_quark()
enum {
	GUICHET_ERROR_CONFIG,	/* user can fix: exit 1 */
	GUICHET_ERROR_INPUT,	/* bad message: quarantine */
	GUICHET_ERROR_TEMP,	/* try again later */
	GUICHET_ERROR_STORE,	/* store failure: stop */
	GUICHET_ERROR_USAGE,	/* exit 2 */
	GUICHET_ERROR_NOTFOUND,	/* no such request, sender or file: exit 1 */
	GUICHET_ERROR_CLAIMED,	/* the mailbox belongs to another installation (claim.h) */
};

#endif
