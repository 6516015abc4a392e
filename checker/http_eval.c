/* HTTP response evaluation for health checks: pure byte processing (status
 * line, limits, framing, digest, regex); no sockets, clocks or libcurl. */
#include "http_eval.h"
#include "config_regex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

int http_matcher_init(struct http_matcher *m, const struct cfg_check_http *cfg,
                      char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	m->cfg = cfg;
	m->max_body = cfg->max_body ? cfg->max_body : HTTP_DEFAULT_MAX_BODY;
	if (!cfg->body_regex)
		return 0;
	if (regex_compile(&m->re, cfg->body_regex, 0, err, errlen) < 0)
		return -1;
	m->has_regex = true;
	return 0;
}

void http_matcher_free(struct http_matcher *m)
{
	if (m->has_regex)
		regfree(&m->re);
	m->has_regex = false;
}

void http_resp_init(struct http_resp *r, const struct http_matcher *m)
{
	memset(r, 0, sizeof(*r));
	r->m = m;
	r->want_status = true;
	r->keep_body = m->has_regex || m->cfg->digest_kind != CFG_DIGEST_NONE;
}

void http_resp_free(struct http_resp *r)
{
	free(r->body);
	free(r->line);
	r->body = r->line = NULL;
}

static int resp_fail(struct http_resp *r, enum health_reason why)
{
	if (r->error == HEALTH_R_OK)
		r->error = why;
	return -1;
}

int http_status_line_parse(const char *line, size_t len, int *status)
{
	size_t i;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	/* HTTP-version = "HTTP/" DIGIT "." DIGIT; libcurl also reports "HTTP/2" */
	if (len < 5 || memcmp(line, "HTTP/", 5) != 0)
		return -1;
	i = 5;
	if (i >= len || !isdigit((unsigned char)line[i]))
		return -1;
	i++;
	if (i + 1 < len && line[i] == '.' && isdigit((unsigned char)line[i + 1]))
		i += 2;
	if (i >= len || line[i] != ' ')
		return -1;
	i++;
	/* status-code = 3DIGIT, then SP or the end (an absent reason is tolerated) */
	if (len - i < 3 || !isdigit((unsigned char)line[i]) ||
	    !isdigit((unsigned char)line[i + 1]) || !isdigit((unsigned char)line[i + 2]))
		return -1;
	if (len - i > 3 && line[i + 3] != ' ')
		return -1;
	*status = (line[i] - '0') * 100 + (line[i + 1] - '0') * 10 + (line[i + 2] - '0');
	if (*status < 100)
		return -1;
	return 0;
}

bool http_status_match(const struct cfg_status_range *set, size_t n, int status)
{
	if (n == 0)
		return status == 200;
	for (size_t i = 0; i < n; i++)
		if (status >= set[i].lo && status <= set[i].hi)
			return true;
	return false;
}

/* Header fields that frame the body (RFC 9112 6.1, 6.2). */
static int resp_field(struct http_resp *r, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	const char *v, *end = line + len;
	size_t nlen;

	if (!colon)
		return resp_fail(r, HEALTH_R_BAD_RESPONSE);
	nlen = (size_t)(colon - line);
	for (v = colon + 1; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (nlen == 17 && strncasecmp(line, "Transfer-Encoding", nlen) == 0) {
		/* chunked must be the final coding */
		r->chunked = (end - v >= 7 && strncasecmp(end - 7, "chunked", 7) == 0);
	} else if (nlen == 14 && strncasecmp(line, "Content-Length", nlen) == 0) {
		uint64_t n = 0;
		if (v == end)
			return resp_fail(r, HEALTH_R_BAD_RESPONSE);
		for (const char *p = v; p < end; p++) {
			if (!isdigit((unsigned char)*p) || n > (UINT64_MAX - 9) / 10)
				return resp_fail(r, HEALTH_R_BAD_RESPONSE);
			n = n * 10 + (uint64_t)(*p - '0');
		}
		if (r->has_length && n != r->content_length)
			return resp_fail(r, HEALTH_R_BAD_RESPONSE);
		r->has_length = true;
		r->content_length = n;
	}
	return 0;
}

static bool line_is_blank(const char *line, size_t len)
{
	return len == 0 || (len == 1 && line[0] == '\n') ||
	       (len == 2 && line[0] == '\r' && line[1] == '\n');
}

int http_resp_header(struct http_resp *r, const char *line, size_t len)
{
	if (r->error != HEALTH_R_OK)
		return -1;
	r->header_bytes += len;
	if (r->header_bytes > HTTP_MAX_HEADER_BYTES || len > HTTP_MAX_LINE)
		return resp_fail(r, r->want_status ? HEALTH_R_BAD_RESPONSE : HEALTH_R_HEADERS_TOO_LARGE);
	if (r->want_status) {
		if (len < 5 || memcmp(line, "HTTP/", 5) != 0)
			return resp_fail(r, HEALTH_R_NO_STATUS_LINE);
		if (http_status_line_parse(line, len, &r->status) < 0)
			return resp_fail(r, HEALTH_R_BAD_RESPONSE);
		r->want_status = false;
		r->chunked = r->has_length = false;
		return 0;
	}
	if (line_is_blank(line, len)) {
		/* RFC 9110 15.2: a 1xx is interim, the final response follows */
		if (r->status >= 100 && r->status < 200)
			r->want_status = true;
		return 0;
	}
	return resp_field(r, line, len);
}

int http_resp_body(struct http_resp *r, const char *data, size_t len)
{
	size_t room = r->m->max_body - r->body_len;
	size_t take = len < room ? len : room;

	r->body_seen += len;
	if (r->keep_body && take) {
		if (!r->body) {
			r->body = malloc(r->m->max_body + 1);
			if (!r->body)
				return resp_fail(r, HEALTH_R_INTERNAL);
		}
		memcpy(r->body + r->body_len, data, take);
		r->body[r->body_len + take] = '\0';   /* regexec interceptors want a C string */
	}
	r->body_len += take;
	if (take < len) {
		r->truncated = true;
		return -1;
	}
	return 0;
}

int http_digest(enum cfg_digest kind, const void *buf, size_t len, uint8_t out[32])
{
	const EVP_MD *md = kind == CFG_DIGEST_MD5 ? EVP_md5() :
	                   kind == CFG_DIGEST_SHA256 ? EVP_sha256() : NULL;
	unsigned int olen = 0;

	if (!md || EVP_Digest(buf, len, out, &olen, md, NULL) != 1)
		return -1;
	return 0;
}

static void eval_body(const struct http_matcher *m, const struct http_resp *r,
                      struct health_result *out)
{
	const struct cfg_check_http *c = m->cfg;
	static const char empty[1];
	const char *body = r->body ? r->body : empty;

	if (c->digest_kind != CFG_DIGEST_NONE) {
		uint8_t d[32];
		size_t dlen = c->digest_kind == CFG_DIGEST_MD5 ? 16 : 32;
		if (r->truncated) {
			out->reason = HEALTH_R_BODY_TOO_LARGE;
			return;
		}
		if (http_digest(c->digest_kind, body, r->body_len, d) < 0) {
			out->reason = HEALTH_R_INTERNAL;
			return;
		}
		if (memcmp(d, c->digest, dlen) != 0) {
			out->reason = HEALTH_R_DIGEST_MISMATCH;
			return;
		}
	}
	if (m->has_regex) {
		regmatch_t pm[1] = { { .rm_so = 0, .rm_eo = (regoff_t)r->body_len } };
		if (regexec(&m->re, body, 1, pm, REG_STARTEND) != 0) {
			out->reason = HEALTH_R_REGEX_MISMATCH;
			return;
		}
	}
	out->ok = true;
	out->reason = HEALTH_R_OK;
}

void http_eval(const struct http_matcher *m, const struct http_resp *r, struct health_result *out)
{
	out->ok = false;
	out->weight = -1;
	out->code = r->status;
	if (r->error != HEALTH_R_OK) {
		out->reason = r->error;
	} else if (r->status == 0 || r->want_status) {
		out->reason = r->status ? HEALTH_R_BAD_RESPONSE : HEALTH_R_NO_STATUS_LINE;
	} else if (!http_status_match(m->cfg->status, m->cfg->n_status, r->status)) {
		out->reason = HEALTH_R_STATUS;
	} else {
		eval_body(m, r, out);
	}
}
