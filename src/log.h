/*
 * log.h: one line per event on stderr.  Under systemd (JOURNAL_STREAM set)
 * each line carries an sd-daemon(3) "<N>" priority prefix.  Never pass a
 * password or a message body above debug level.
 */
#ifndef GUICHET_LOG_H
#define GUICHET_LOG_H

#include <stdarg.h>

void	log_init(int debug);
/* with strerror(errno) appended */
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
#endif
