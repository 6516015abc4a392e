/* Wire-format reader for HTTP/1.x responses (RFC 9112): splits lines, frames
 * the body by Content-Length, chunked coding or connection close, and hands
 * the pieces to http_resp_header/body. Pure byte processing. */
#include "http_eval.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int wire_fail(struct http_resp *r, enum health_reason why)
{
	if (r->error == HEALTH_R_OK)
		r->error = why;
	return -1;
}

/* RFC 9112 7.1: chunk-size = 1*HEXDIG, then optional chunk extensions. */
static int chunk_size_parse(const char *line, size_t len, uint64_t *out)
{
	uint64_t n = 0;
	size_t i = 0;

	for (; i < len && isxdigit((unsigned char)line[i]); i++) {
		if (i >= 16)
			return -1;
		n = n * 16 + (uint64_t)(isdigit((unsigned char)line[i]) ? line[i] - '0' :
		                        tolower((unsigned char)line[i]) - 'a' + 10);
	}
	if (i == 0)
		return -1;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i < len && line[i] != ';' && line[i] != '\r' && line[i] != '\n')
		return -1;
	*out = n;
	return 0;
}

static bool blank(const char *l, size_t n)
{
	return (n == 1 && l[0] == '\n') || (n == 2 && l[0] == '\r' && l[1] == '\n');
}

/* After the empty line ending the header section: how is the body framed? */
static void wire_body_start(struct http_resp *r)
{
	int s = r->status;

	if (r->want_status) {                     /* 1xx: another status line */
		r->raw = HTTP_RAW_STATUS;
	} else if (r->m->cfg->head || s == 204 || s == 304) {
		r->raw = HTTP_RAW_DONE;           /* RFC 9112 6.3 rules 1 */
	} else if (r->chunked) {
		r->raw = HTTP_RAW_CHUNK_SIZE;
	} else if (r->has_length) {
		r->left = r->content_length;
		r->raw = r->left ? HTTP_RAW_BODY_LEN : HTTP_RAW_DONE;
	} else {
		r->raw = HTTP_RAW_BODY_EOF;
	}
}

static int wire_line(struct http_resp *r, const char *l, size_t n)
{
	switch (r->raw) {
	case HTTP_RAW_STATUS:
	case HTTP_RAW_HEADERS:
		if (http_resp_header(r, l, n) < 0)
			return -1;
		if (r->raw == HTTP_RAW_STATUS) {
			r->raw = HTTP_RAW_HEADERS;
			return 0;
		}
		if (blank(l, n))
			wire_body_start(r);
		return 0;
	case HTTP_RAW_CHUNK_SIZE:
		if (chunk_size_parse(l, n, &r->left) < 0)
			return wire_fail(r, HEALTH_R_BAD_RESPONSE);
		r->raw = r->left ? HTTP_RAW_CHUNK_DATA : HTTP_RAW_TRAILER;
		return 0;
	case HTTP_RAW_CHUNK_END:
		if (!blank(l, n))
			return wire_fail(r, HEALTH_R_BAD_RESPONSE);
		r->raw = HTTP_RAW_CHUNK_SIZE;
		return 0;
	case HTTP_RAW_TRAILER:
		r->header_bytes += n;
		if (r->header_bytes > HTTP_MAX_HEADER_BYTES)
			return wire_fail(r, HEALTH_R_HEADERS_TOO_LARGE);
		if (blank(l, n))
			r->raw = HTTP_RAW_DONE;
		return 0;
	default:
		return 0;
	}
}

static bool wire_in_line_state(const struct http_resp *r)
{
	return r->raw == HTTP_RAW_STATUS || r->raw == HTTP_RAW_HEADERS ||
	       r->raw == HTTP_RAW_CHUNK_SIZE || r->raw == HTTP_RAW_CHUNK_END ||
	       r->raw == HTTP_RAW_TRAILER;
}

/* Appends to the line buffer up to and including LF; returns bytes used. */
static size_t wire_take_line(struct http_resp *r, const char *d, size_t len, bool *complete)
{
	const char *lf = memchr(d, '\n', len);
	size_t n = lf ? (size_t)(lf - d) + 1 : len;
	size_t room = HTTP_MAX_LINE - r->line_len;

	*complete = lf != NULL;
	if (n > room) {
		n = room;
		*complete = false;
	}
	memcpy(r->line + r->line_len, d, n);
	r->line_len += n;
	return n;
}

static int wire_line_step(struct http_resp *r, const char *d, size_t len, size_t *used)
{
	bool complete;
	size_t n;

	*used = wire_take_line(r, d, len, &complete);
	if (r->raw == HTTP_RAW_STATUS && r->line_len >= 5 && memcmp(r->line, "HTTP/", 5) != 0)
		return wire_fail(r, HEALTH_R_NO_STATUS_LINE);
	if (!complete) {
		if (r->line_len < HTTP_MAX_LINE)
			return 0;
		return wire_fail(r, r->raw == HTTP_RAW_HEADERS || r->raw == HTTP_RAW_TRAILER ?
		                    HEALTH_R_HEADERS_TOO_LARGE : HEALTH_R_BAD_RESPONSE);
	}
	n = r->line_len;
	r->line_len = 0;
	return wire_line(r, r->line, n);
}

static int wire_body_step(struct http_resp *r, const char *d, size_t len, size_t *used)
{
	size_t n = len;

	if (r->raw != HTTP_RAW_BODY_EOF && r->left < n)
		n = (size_t)r->left;
	*used = n;
	if (r->raw != HTTP_RAW_BODY_EOF) {
		r->left -= n;
		if (r->left == 0)
			r->raw = r->raw == HTTP_RAW_CHUNK_DATA ? HTTP_RAW_CHUNK_END : HTTP_RAW_DONE;
	}
	return http_resp_body(r, d, n);
}

int http_resp_feed(struct http_resp *r, const char *data, size_t len)
{
	if (!r->line && !(r->line = malloc(HTTP_MAX_LINE)))
		return wire_fail(r, HEALTH_R_INTERNAL);
	while (len && r->raw != HTTP_RAW_DONE) {
		size_t used = 0;
		int rc;
		if (r->error != HEALTH_R_OK)
			return -1;
		rc = wire_in_line_state(r) ? wire_line_step(r, data, len, &used)
		                           : wire_body_step(r, data, len, &used);
		if (rc < 0)
			return -1;
		data += used;
		len -= used;
	}
	if (r->error != HEALTH_R_OK)
		return -1;
	return r->raw == HTTP_RAW_DONE ? 1 : 0;
}

void http_resp_eof(struct http_resp *r)
{
	if (r->error != HEALTH_R_OK || r->raw == HTTP_RAW_DONE)
		return;
	if (r->raw == HTTP_RAW_BODY_EOF) {
		r->raw = HTTP_RAW_DONE;
		return;
	}
	if (r->raw == HTTP_RAW_STATUS && r->status == 0 &&
	    (r->line_len < 5 || memcmp(r->line, "HTTP/", 5) != 0))
		wire_fail(r, HEALTH_R_NO_STATUS_LINE);
	else
		wire_fail(r, HEALTH_R_BAD_RESPONSE);   /* cut short */
}
