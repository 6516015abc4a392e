/* Health of one unique check: rise/fall hysteresis with retries, alpha start,
 * weight from a misc_dynamic script, and drift-free scheduling arithmetic.
 * Pure: no clock reads, no I/O; the caller passes results and times in. */
#ifndef HALO_CHECKER_HEALTH_H
#define HALO_CHECKER_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

enum health_reason {
	HEALTH_R_OK = 0,
	HEALTH_R_INIT,             /* alpha: not yet proven up */
	HEALTH_R_TIMEOUT,
	HEALTH_R_REFUSED,
	HEALTH_R_UNREACHABLE,
	HEALTH_R_CONNECT,          /* other connect failure */
	HEALTH_R_RESET,            /* connection reset / closed early */
	HEALTH_R_STATUS,           /* unexpected HTTP status (code in result.code) */
	HEALTH_R_NO_STATUS_LINE,
	HEALTH_R_BAD_RESPONSE,     /* malformed response (status token, chunking, ...) */
	HEALTH_R_HEADERS_TOO_LARGE,
	HEALTH_R_BODY_TOO_LARGE,
	HEALTH_R_DIGEST_MISMATCH,
	HEALTH_R_REGEX_MISMATCH,
	HEALTH_R_EXPECT_MISMATCH,  /* tcp/udp/smtp reply not as expected */
	HEALTH_R_CERT_EXPIRED,
	HEALTH_R_CERT_HOSTNAME,
	HEALTH_R_CERT_INVALID,
	HEALTH_R_TLS,
	HEALTH_R_EXIT,             /* script exit status (code in result.code) */
	HEALTH_R_SIGNAL,           /* script killed by a signal (code = signal) */
	HEALTH_R_INTERNAL,         /* resource failure on our side */
	HEALTH_R_MAX
};

const char *health_reason_name(enum health_reason r);

/* One probe's outcome as the I/O shell saw it. */
struct health_result {
	bool ok;
	enum health_reason reason;
	int code;                  /* HTTP status, exit status or signal; 0 = none */
	int weight;                /* >= 0: misc_dynamic weight; -1 = keep configured */
	uint32_t latency_us;
};

struct health_params {
	unsigned retry;            /* failures tolerated before down = retry (fall = retry + 1) */
	unsigned rise;             /* consecutive successes to come back up, >= 1 */
	bool alpha;                /* start down */
};

struct health {
	bool up;
	enum health_reason reason; /* of the last result (or HEALTH_R_INIT) */
	int code;
	int dyn_weight;            /* -1 = none; else the last script-given weight */
	unsigned successes;        /* consecutive */
	unsigned failures;         /* consecutive */
	uint32_t latency_us;
	uint64_t checks, failed, transitions;
};

/* What health_update() changed and what the scheduler does next. */
enum {
	HEALTH_CHANGED_UP     = 1u << 0,   /* up flipped */
	HEALTH_CHANGED_WEIGHT = 1u << 1,   /* dyn_weight changed */
	HEALTH_CHANGED_REASON = 1u << 2,   /* reason or code changed */
	HEALTH_RETRY          = 1u << 3,   /* schedule the next probe after retry_delay */
};

void health_init(struct health *h, const struct health_params *p);
/* Applies one result; returns a mask of HEALTH_CHANGED_* and HEALTH_RETRY. */
unsigned health_update(struct health *h, const struct health_params *p,
                       const struct health_result *r);
/* Effective weight for a real server whose configured weight is rs_weight. */
int health_weight(const struct health *h, int rs_weight);

/* keepalived's MISC_CHECK: exit 0 up, otherwise down; with misc_dynamic, exit
 * 2..255 is up with weight exit-2 and exit 1 down. sig != 0: killed. */
void health_result_from_exit(struct health_result *r, bool dynamic, int exit_status, int sig);

/* Drift-free schedule: the next regular due time after `due` that is later than
 * `now` (due + k*interval, k >= 1); *missed gets the slots skipped (k - 1). */
uint64_t health_next_due(uint64_t due, uint64_t interval, uint64_t now, uint64_t *missed);
/* Warmup spread: deterministic start offset in [0, warmup) from a seed. */
uint64_t health_warmup_offset(uint64_t warmup, uint64_t seed);

#endif
