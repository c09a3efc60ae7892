/*
 * error.c: the GError domain of guichet (see error.h).
 */
#include "error.h"

GQuark
guichet_error_quark(void)
{
	return g_quark_from_static_string("guichet-error");
}
