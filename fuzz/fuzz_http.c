/* libFuzzer harness for the checker's HTTP response evaluation: the wire
 * reader fed in one piece and in input-chosen slices must reach the same
 * verdict; the header/body path (what libcurl's callbacks feed) runs on the
 * same bytes split into lines. Test code only.
 *
 * Input: byte 0 = matcher flags (bit 0 MD5 digest, bit 1 SHA-256 digest,
 * bit 2 body regex, bit 3 HEAD, bit 4 status set 200-299,404, bits 5-7 body
 * cap 0 = default else 8 << n), byte 1 = slice size seed; the rest is the
 * response as it came off the wire. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void matcher_cfg(uint8_t flags, struct cfg_check_http *c, struct cfg_status_range *st)
{
	memset(c, 0, sizeof(*c));
	c->path = (char *)"/";
	c->head = flags & 8;
	if (flags & 1)
		c->digest_kind = CFG_DIGEST_MD5;
	else if (flags & 2)
		c->digest_kind = CFG_DIGEST_SHA256;
	memset(c->digest, 0xab, sizeof(c->digest));
	if (flags & 4)
		c->body_regex = (char *)"^ok|[0-9]+ (up|ready)$";
	if (flags & 16) {
		st[0] = (struct cfg_status_range){ 200, 299 };
		st[1] = (struct cfg_status_range){ 404, 404 };
		c->status = st;
		c->n_status = 2;
	}
	if (flags >> 5)
		c->max_body = (size_t)8 << (flags >> 5);
}

/* Feeds buf to a fresh response, in slices of 1..16 bytes when seed != 0. */
static void wire_run(const struct http_matcher *m, const char *buf, size_t len, uint8_t seed,
                     struct health_result *out)
{
	struct http_resp r;
	size_t off = 0;
	int rc = 0;

	http_resp_init(&r, m);
	while (off < len && rc == 0) {
		size_t n = seed ? (size_t)(seed + off) % 16 + 1 : len;
		if (n > len - off)
			n = len - off;
		rc = http_resp_feed(&r, buf + off, n);
		off += n;
	}
	if (rc == 0)
		http_resp_eof(&r);
	http_eval(m, &r, out);
	http_resp_free(&r);
}

/* The libcurl path: header lines up to the blank one, then the body. */
static void callback_run(const struct http_matcher *m, const char *buf, size_t len)
{
	struct http_resp r;
	struct health_result res;
	size_t off = 0;
	int rc = 0;

	http_resp_init(&r, m);
	while (off < len && rc == 0) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) + 1 : len - off;
		rc = http_resp_header(&r, buf + off, n);
		off += n;
		if (n <= 2 && (buf[off - n] == '\n' || buf[off - n] == '\r'))
			break;
	}
	if (rc == 0 && off < len)
		http_resp_body(&r, buf + off, len - off);
	http_eval(m, &r, &res);
	http_resp_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_check_http cfg;
	struct cfg_status_range st[2];
	struct http_matcher m;
	struct health_result whole, sliced;
	char err[128];
	int code;

	if (size < 2)
		return 0;
	matcher_cfg(data[0], &cfg, st);
	if (http_matcher_init(&m, &cfg, err, sizeof(err)) < 0)
		abort();
	const char *buf = (const char *)data + 2;
	size_t len = size - 2;
	memset(&whole, 0, sizeof(whole));
	memset(&sliced, 0, sizeof(sliced));
	wire_run(&m, buf, len, 0, &whole);
	wire_run(&m, buf, len, data[1] | 1, &sliced);
	if (whole.ok != sliced.ok || whole.reason != sliced.reason || whole.code != sliced.code)
		abort();            /* the verdict depends on how TCP cut the stream */
	callback_run(&m, buf, len);
	(void)http_status_line_parse(buf, len, &code);
	http_matcher_free(&m);
	return 0;
}
