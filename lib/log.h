/* Logging to syslog (and stderr in the foreground); rate limiting for input-driven warnings. */
#ifndef HALO_LOG_H
#define HALO_LOG_H

#include <stdbool.h>
#include <stdint.h>

void log_init(const char *ident, bool foreground, int verbose);
void log_set_facility(int facility);
int  log_facility_from_name(const char *name);   /* -1 if unknown */
int  log_verbosity(void);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* appends strerror(errno) */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* At most `burst` messages per `window_us`; the rest are counted and reported
 * in the first message of the next window. Pure: the caller passes the time. */
struct log_ratelimit {
	uint64_t window_us;
	unsigned burst;
	uint64_t window_start;
	unsigned printed;
	unsigned suppressed;
};
#define LOG_RATELIMIT_INIT(win_us, n) { .window_us = (win_us), .burst = (n) }
/* Returns true if a message may be logged now; *suppressed gets the number
 * dropped since the last allowed one. */
bool log_ratelimit_ok(struct log_ratelimit *rl, uint64_t now_us, unsigned *suppressed);

#endif
