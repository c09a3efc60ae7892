/*
 * privacy_int.h: what privacy.c and privacy_access.c share.
 */
#ifndef GUICHET_PRIVACY_INT_H
#define GUICHET_PRIVACY_INT_H

#include <glib.h>
#include "store.h"

/* The address as matched (no <>, lower case), or NULL when not one. g_free. */
char		*privacy_address(const char *arg);

#endif
