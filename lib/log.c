/* Logging to syslog and stderr; it must not decide anything, only print. */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

static bool log_fg;
static int log_verbose;
static const char *log_ident = "halo";

void log_init(const char *ident, bool foreground, int verbose)
{
	log_ident = ident;
	/* under systemd stderr is the journal already fed by syslog: once is enough */
	log_fg = foreground && !getenv("JOURNAL_STREAM");
	log_verbose = verbose;
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_facility(int facility)
{
	closelog();
	openlog(log_ident, LOG_PID | LOG_NDELAY, facility);
}

int log_verbosity(void)
{
	return log_verbose;
}

int log_facility_from_name(const char *name)
{
	static const struct { const char *n; int f; } tab[] = {
		{ "daemon", LOG_DAEMON }, { "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
		{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
		{ "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcasecmp(name, tab[i].n) == 0)
			return tab[i].f;
	return -1;
}

static void log_vemit(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char buf[2048];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (suffix)
		syslog(pri, "%s: %s", buf, suffix);
	else
		syslog(pri, "%s", buf);
	if (log_fg) {
		if (suffix)
			fprintf(stderr, "%s: %s: %s\n", log_ident, buf, suffix);
		else
			fprintf(stderr, "%s: %s\n", log_ident, buf);
	}
}

#define LOG_BODY(pri, suffix) do { va_list ap; va_start(ap, fmt); \
	log_vemit(pri, fmt, ap, suffix); va_end(ap); } while (0)

void log_warn(const char *fmt, ...)
{
	const char *e = strerror(errno);
	LOG_BODY(LOG_WARNING, e);
}

void log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_WARNING, NULL);
}

void log_notice(const char *fmt, ...)
{
	LOG_BODY(LOG_NOTICE, NULL);
}

void log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_INFO, NULL);
}

void log_debug(const char *fmt, ...)
{
	if (log_verbose < 1)
		return;
	LOG_BODY(LOG_DEBUG, NULL);
}

void fatal(const char *fmt, ...)
{
	const char *e = strerror(errno);
	LOG_BODY(LOG_CRIT, e);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_CRIT, NULL);
	exit(1);
}

bool log_ratelimit_ok(struct log_ratelimit *rl, uint64_t now_us, unsigned *suppressed)
{
	if (rl->window_start == 0 || now_us - rl->window_start >= rl->window_us) {
		rl->window_start = now_us ? now_us : 1;
		rl->printed = 0;
	}
	if (rl->printed < rl->burst) {
		rl->printed++;
		if (suppressed)
			*suppressed = rl->suppressed;
		rl->suppressed = 0;
		return true;
	}
	rl->suppressed++;
	return false;
}
