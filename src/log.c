/* log.c: stderr logging with journald priority prefixes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

/* Messages below this level are dropped: 3 err, 4 warning, 6 info, 7 debug. */
static int log_level = 6;
static int log_prefix;

void
log_init(int debug)
{
	log_prefix = getenv("JOURNAL_STREAM") != NULL ||
	    getenv("INVOCATION_ID") != NULL;
	if (debug)
		log_level = 7;
}

static void
vlog(int pri, const char *tag, const char *fmt, va_list ap, const char *err)
{
	if (pri > log_level)
		return;
	flockfile(stderr);	/* one line at a time from the sending threads (smtp.c) */
	if (log_prefix)
		fprintf(stderr, "<%d>", pri);
	else if (tag != NULL)
		fprintf(stderr, "guichet: %s", tag);
	else
		fputs("guichet: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (err != NULL)
		fprintf(stderr, ": %s", err);
	fputc('\n', stderr);
	funlockfile(stderr);
}

#define LOGFN(name, pri, tag, witherr)				\
void								\
name(const char *fmt, ...)					\
{								\
	va_list ap;						\
	const char *e = (witherr) ? strerror(errno) : NULL;	\
	va_start(ap, fmt);					\
	vlog(pri, tag, fmt, ap, e);				\
	va_end(ap);						\
}

LOGFN(log_warn, 4, "warning: ", 1)
LOGFN(log_warnx, 4, "warning: ", 0)
LOGFN(log_info, 6, NULL, 0)
LOGFN(log_debug, 7, "debug: ", 0)
LOGFN(log_err, 3, "error: ", 0)

void
fatal(const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	vlog(2, "fatal: ", fmt, ap, e);
	va_end(ap);
	exit(1);
}

