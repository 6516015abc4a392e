/* Rise/fall hysteresis of one check and its schedule arithmetic; pure (no
 * clock, no I/O, no globals besides constant tables). */
#include "health.h"

#include <stddef.h>

static const char *const reason_names[HEALTH_R_MAX] = {
	[HEALTH_R_OK] = "ok",
	[HEALTH_R_INIT] = "init",
	[HEALTH_R_TIMEOUT] = "timeout",
	[HEALTH_R_REFUSED] = "refused",
	[HEALTH_R_UNREACHABLE] = "unreachable",
	[HEALTH_R_CONNECT] = "connect_error",
	[HEALTH_R_RESET] = "reset",
	[HEALTH_R_STATUS] = "status",
	[HEALTH_R_NO_STATUS_LINE] = "no_status_line",
	[HEALTH_R_BAD_RESPONSE] = "bad_response",
	[HEALTH_R_HEADERS_TOO_LARGE] = "headers_too_large",
	[HEALTH_R_BODY_TOO_LARGE] = "body_too_large",
	[HEALTH_R_DIGEST_MISMATCH] = "digest_mismatch",
	[HEALTH_R_REGEX_MISMATCH] = "regex_mismatch",
	[HEALTH_R_EXPECT_MISMATCH] = "expect_mismatch",
	[HEALTH_R_CERT_EXPIRED] = "certificate_expired",
	[HEALTH_R_CERT_HOSTNAME] = "certificate_hostname",
	[HEALTH_R_CERT_INVALID] = "certificate_invalid",
	[HEALTH_R_TLS] = "tls_error",
	[HEALTH_R_EXIT] = "exit",
	[HEALTH_R_SIGNAL] = "signal",
	[HEALTH_R_INTERNAL] = "internal_error",
};

const char *health_reason_name(enum health_reason r)
{
	if ((unsigned)r >= HEALTH_R_MAX || !reason_names[r])
		return "unknown";
	return reason_names[r];
}

void health_init(struct health *h, const struct health_params *p)
{
	*h = (struct health){
		.up = !p->alpha,
		.reason = p->alpha ? HEALTH_R_INIT : HEALTH_R_OK,
		.dyn_weight = -1,
	};
}

static unsigned health_on_success(struct health *h, const struct health_params *p)
{
	unsigned rise = p->rise ? p->rise : 1;

	h->failures = 0;
	if (h->successes < UINT32_MAX)
		h->successes++;
	if (!h->up && h->successes >= rise) {
		h->up = true;
		h->transitions++;
		return HEALTH_CHANGED_UP;
	}
	return 0;
}

/* keepalived's nb_get_retry: a server that is up survives `retry` failed
 * attempts (each retried after retry_delay) and goes down on the next. */
static unsigned health_on_failure(struct health *h, const struct health_params *p)
{
	h->failed++;
	h->successes = 0;
	if (h->failures < UINT32_MAX)
		h->failures++;
	if (!h->up)
		return 0;
	if (h->failures > p->retry) {
		h->up = false;
		h->transitions++;
		return HEALTH_CHANGED_UP;
	}
	return HEALTH_RETRY;
}

unsigned health_update(struct health *h, const struct health_params *p,
                       const struct health_result *r)
{
	unsigned changed;
	enum health_reason reason = r->ok ? HEALTH_R_OK : r->reason;
	int code = r->ok ? 0 : r->code;

	h->checks++;
	h->latency_us = r->latency_us;
	if (!r->ok && reason == HEALTH_R_OK)
		reason = HEALTH_R_INTERNAL;   /* a failure always names a reason */
	changed = r->ok ? health_on_success(h, p) : health_on_failure(h, p);
	if (reason != h->reason || code != h->code)
		changed |= HEALTH_CHANGED_REASON;
	h->reason = reason;
	h->code = code;
	if (r->ok && r->weight >= 0 && r->weight != h->dyn_weight) {
		h->dyn_weight = r->weight;
		changed |= HEALTH_CHANGED_WEIGHT;
	}
	return changed;
}

int health_weight(const struct health *h, int rs_weight)
{
	return h->dyn_weight >= 0 ? h->dyn_weight : rs_weight;
}

void health_result_from_exit(struct health_result *r, bool dynamic, int exit_status, int sig)
{
	r->weight = -1;
	r->code = sig ? sig : exit_status;
	if (sig) {
		r->ok = false;
		r->reason = HEALTH_R_SIGNAL;
	} else if (exit_status == 0) {
		r->ok = true;
		r->reason = HEALTH_R_OK;
	} else if (dynamic && exit_status >= 2 && exit_status <= 255) {
		r->ok = true;
		r->reason = HEALTH_R_OK;
		r->weight = exit_status - 2;
	} else {
		r->ok = false;
		r->reason = HEALTH_R_EXIT;
	}
}

uint64_t health_next_due(uint64_t due, uint64_t interval, uint64_t now, uint64_t *missed)
{
	uint64_t k = 1;

	if (interval == 0)
		interval = 1;
	if (due + interval <= now)
		k = (now - due) / interval + 1;
	if (missed)
		*missed = k - 1;
	return due + k * interval;
}

uint64_t health_warmup_offset(uint64_t warmup, uint64_t seed)
{
	/* splitmix64 finaliser: spreads consecutive seeds evenly */
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;

	if (warmup == 0)
		return 0;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return z % warmup;
}
