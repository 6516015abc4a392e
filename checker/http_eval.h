/* Evaluation of one HTTP response against a check definition: status line,
 * header and body limits, expected status sets, body digest and regex, and a
 * wire-format reader (Content-Length, chunked, close-delimited). Pure: it is
 * fed bytes and never touches sockets, clocks or libcurl. */
#ifndef HALO_CHECKER_HTTP_EVAL_H
#define HALO_CHECKER_HTTP_EVAL_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "health.h"

#define HTTP_MAX_LINE         8192u     /* one status or header line */
#define HTTP_MAX_HEADER_BYTES 65536u    /* all header lines of one response */
#define HTTP_DEFAULT_MAX_BODY 65536u

/* Compiled form of a cfg_check_http (borrowed, must outlive the matcher). */
struct http_matcher {
	const struct cfg_check_http *cfg;
	bool has_regex;
	regex_t re;
	size_t max_body;
};

int  http_matcher_init(struct http_matcher *m, const struct cfg_check_http *cfg,
                       char *err, size_t errlen);
void http_matcher_free(struct http_matcher *m);

enum http_raw_state {
	HTTP_RAW_STATUS = 0, HTTP_RAW_HEADERS, HTTP_RAW_BODY_LEN, HTTP_RAW_BODY_EOF,
	HTTP_RAW_CHUNK_SIZE, HTTP_RAW_CHUNK_DATA, HTTP_RAW_CHUNK_END, HTTP_RAW_TRAILER,
	HTTP_RAW_DONE,
};

/* One response being received. */
struct http_resp {
	const struct http_matcher *m;
	int status;                    /* final status code, 0 = none yet */
	enum health_reason error;      /* HEALTH_R_OK unless already known bad */
	bool want_status;              /* next header line is a status line */
	bool keep_body;                /* digest or regex needs the bytes */
	size_t header_bytes;
	char *body;
	size_t body_len, body_seen;
	bool truncated;                /* more than max_body arrived */
	/* header facts, used by the wire reader */
	bool chunked;
	bool has_length;
	uint64_t content_length;
	/* wire reader */
	enum http_raw_state raw;
	char *line;
	size_t line_len;
	uint64_t left;                 /* bytes left in a chunk or Content-Length body */
};

void http_resp_init(struct http_resp *r, const struct http_matcher *m);
void http_resp_free(struct http_resp *r);
/* One header line as received, CRLF included (what libcurl's header callback
 * gets): the status line first, then fields, then the empty line. Returns -1
 * when the response is already bad (r->error says why): stop reading. */
int  http_resp_header(struct http_resp *r, const char *line, size_t len);
/* Decoded body bytes. Returns -1 once max_body is exceeded: stop reading. */
int  http_resp_body(struct http_resp *r, const char *data, size_t len);
/* Raw bytes from the wire (status line, headers, framed body). Returns 1 when
 * the response is complete, 0 for more, -1 when bad or over the cap. */
int  http_resp_feed(struct http_resp *r, const char *data, size_t len);
/* End of stream for the wire reader: a response cut short is bad. */
void http_resp_eof(struct http_resp *r);

/* Verdict on a received response. */
void http_eval(const struct http_matcher *m, const struct http_resp *r, struct health_result *out);

/* RFC 9112 4: status-line = HTTP-version SP status-code SP [reason-phrase].
 * line may end in CRLF. Returns 0 and the code, or -1. */
int  http_status_line_parse(const char *line, size_t len, int *status);
/* n == 0 means the default set {200}. */
bool http_status_match(const struct cfg_status_range *set, size_t n, int status);
/* Digest of buf into out (16 bytes for MD5, 32 for SHA-256); 0 or -1. */
int  http_digest(enum cfg_digest kind, const void *buf, size_t len, uint8_t out[32]);

#endif
