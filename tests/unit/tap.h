/*
 * tap.h: a tiny test helper.  Each unit test binary prints "ok N - what" /
 * "not ok N - what" lines and exits non-zero when any failed; tests/run.sh
 * counts them.
 */
#ifndef GUICHET_TAP_H
#define GUICHET_TAP_H

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do {						\
	int _c = (cond) ? 1 : 0;					\
	tap_n++;							\
	if (!_c) tap_failed++;						\
	printf("%s %d - ", _c ? "ok" : "not ok", tap_n);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!_c) printf("#   at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
} while (0)

#define is_str(got, want, ...) do {					\
	const char *_g = (got), *_w = (want);				\
	int _same = (_g == NULL && _w == NULL) ||				\
	    (_g != NULL && _w != NULL && strcmp(_g, _w) == 0);		\
	ok(_same, __VA_ARGS__);						\
	if (!_same) printf("#   got '%s', want '%s'\n",			\
	    _g ? _g : "(null)", _w ? _w : "(null)");			\
} while (0)

#define tap_done() (printf("1..%d\n", tap_n), tap_failed ? 1 : 0)

/* Path of a fixture under tests/fixtures (run from the repository root). */
#define FIXTURE(name) ("tests/fixtures/" name)

#endif
