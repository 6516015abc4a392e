/* HTTP evaluation: status lines, status sets, digests, regex, limits, and the
 * wire reader's framing edge cases (no status line, giant tokens and headers,
 * broken chunking). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_eval.h"
#include "test_checker.h"

static void hex_to_bytes(const char *hex, uint8_t *out)
{
	for (size_t i = 0; hex[2 * i]; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

/* Feeds a whole response through the wire reader and evaluates it. */
static struct health_result eval_wire(const struct cfg_check_http *c, const char *wire, size_t len)
{
	struct http_matcher m;
	struct http_resp r;
	struct health_result out;
	char err[128];

	ck_assert_int_eq(http_matcher_init(&m, c, err, sizeof(err)), 0);
	http_resp_init(&r, &m);
	if (http_resp_feed(&r, wire, len) == 0)
		http_resp_eof(&r);
	http_eval(&m, &r, &out);
	http_resp_free(&r);
	http_matcher_free(&m);
	return out;
}

static struct health_result eval_str(const struct cfg_check_http *c, const char *wire)
{
	return eval_wire(c, wire, strlen(wire));
}

START_TEST(test_status_line)
{
	int st = 0;

	ck_assert_int_eq(http_status_line_parse("HTTP/1.1 200 OK\r\n", 17, &st), 0);
	ck_assert_int_eq(st, 200);
	ck_assert_int_eq(http_status_line_parse("HTTP/2 503 \r\n", 13, &st), 0);
	ck_assert_int_eq(st, 503);
	ck_assert_int_eq(http_status_line_parse("HTTP/1.0 404", 12, &st), 0);
	ck_assert_int_eq(st, 404);
	ck_assert_int_eq(http_status_line_parse("HTTP/1.1 2000 OK", 16, &st), -1);
	ck_assert_int_eq(http_status_line_parse("HTTP/1.1 20 OK", 14, &st), -1);
	ck_assert_int_eq(http_status_line_parse("HTTP/1.1 099 x", 14, &st), -1);
	ck_assert_int_eq(http_status_line_parse("HTTP/1.1  200 OK", 16, &st), -1);
	ck_assert_int_eq(http_status_line_parse("HTTP/x.1 200 OK", 15, &st), -1);
	ck_assert_int_eq(http_status_line_parse("ICY 200 OK", 10, &st), -1);
	ck_assert_int_eq(http_status_line_parse("HTTP/", 5, &st), -1);
	ck_assert_int_eq(http_status_line_parse("", 0, &st), -1);
}
END_TEST

START_TEST(test_status_sets)
{
	struct cfg_status_range set[] = { { 200, 200 }, { 301, 302 }, { 500, 599 } };

	ck_assert(http_status_match(NULL, 0, 200));
	ck_assert(!http_status_match(NULL, 0, 204));
	ck_assert(http_status_match(set, 3, 200));
	ck_assert(!http_status_match(set, 3, 201));
	ck_assert(!http_status_match(set, 3, 300));
	ck_assert(http_status_match(set, 3, 301));
	ck_assert(http_status_match(set, 3, 302));
	ck_assert(!http_status_match(set, 3, 303));
	ck_assert(http_status_match(set, 3, 599));
	ck_assert(!http_status_match(set, 3, 600));
}
END_TEST

START_TEST(test_eval_status)
{
	struct cfg_status_range set[] = { { 200, 299 } };
	struct cfg_check_http c = { .status = set, .n_status = 1 };
	struct health_result r;

	r = eval_str(&c, "HTTP/1.1 204 No Content\r\n\r\n");
	ck_assert(r.ok);
	r = eval_str(&c, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 3\r\n\r\nbad");
	ck_assert(!r.ok);
	ck_assert_int_eq(r.reason, HEALTH_R_STATUS);
	ck_assert_int_eq(r.code, 503);
	/* 1xx is interim: the final status decides */
	r = eval_str(&c, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
	ck_assert(r.ok);
	ck_assert_int_eq(r.code, 200);
	r = eval_str(&c, "HTTP/1.1 100 Continue\r\n\r\n");
	ck_assert(!r.ok);
	ck_assert_int_eq(r.reason, HEALTH_R_BAD_RESPONSE);
}
END_TEST

START_TEST(test_digest)
{
	struct cfg_check_http c = { .digest_kind = CFG_DIGEST_MD5 };
	struct health_result r;

	hex_to_bytes("5d41402abc4b2a76b9719d911017c592", c.digest);   /* md5("hello") */
	r = eval_str(&c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
	ck_assert(r.ok);
	r = eval_str(&c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhellO");
	ck_assert(!r.ok);
	ck_assert_int_eq(r.reason, HEALTH_R_DIGEST_MISMATCH);
	c.digest_kind = CFG_DIGEST_SHA256;
	hex_to_bytes("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", c.digest);
	r = eval_str(&c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	                 "2\r\nhe\r\n3;ext=1\r\nllo\r\n0\r\n\r\n");
	ck_assert(r.ok);
	r = eval_str(&c, "HTTP/1.1 200 OK\r\n\r\nhello");   /* close-delimited */
	ck_assert(r.ok);
	r = eval_str(&c, "HTTP/1.1 200 OK\r\n\r\nhello!");
	ck_assert_int_eq(r.reason, HEALTH_R_DIGEST_MISMATCH);
	/* a body over the cap cannot be digested */
	c.max_body = 4;
	r = eval_str(&c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
	ck_assert(!r.ok);
	ck_assert_int_eq(r.reason, HEALTH_R_BODY_TOO_LARGE);
}
END_TEST

START_TEST(test_regex)
{
	struct cfg_check_http c = { .body_regex = "status: (ok|green)" };
	struct cfg_check_http bad = { .body_regex = "(unclosed" };
	struct http_matcher m;
	struct health_result r;
	char err[128] = "";
	static const char nul_body[] = "HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n\0\0status: ok\0\0";

	r = eval_str(&c, "HTTP/1.1 200 OK\r\nContent-Length: 18\r\n\r\napp\nstatus: green\n");
	ck_assert(r.ok);
	r = eval_str(&c, "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\napp\nstatus: red");
	ck_assert(!r.ok);
	ck_assert_int_eq(r.reason, HEALTH_R_REGEX_MISMATCH);
	/* binary bodies: NUL bytes do not end the text */
	r = eval_wire(&c, nul_body, sizeof(nul_body) - 1);
	ck_assert(r.ok);
	/* a capped body is matched on its first max_body bytes */
	c.max_body = 16;
	r = eval_str(&c, "HTTP/1.1 200 OK\r\n\r\nstatus: ok......................");
	ck_assert(r.ok);
	r = eval_str(&c, "HTTP/1.1 200 OK\r\n\r\n................status: ok");
	ck_assert_int_eq(r.reason, HEALTH_R_REGEX_MISMATCH);
	ck_assert_int_eq(http_matcher_init(&m, &bad, err, sizeof(err)), -1);
	ck_assert_str_ne(err, "");
}
END_TEST

START_TEST(test_header_callback)
{
	struct cfg_check_http c = { 0 };
	struct http_matcher m;
	struct http_resp r;
	struct health_result out;
	char err[64];
	static const char line[] = "X-Filler: 0123456789012345678901234567890123456789\r\n";

	/* the libcurl path: header lines one by one, then decoded body */
	http_matcher_init(&m, &c, err, sizeof(err));
	http_resp_init(&r, &m);
	ck_assert_int_eq(http_resp_header(&r, "HTTP/1.1 200 OK\r\n", 17), 0);
	ck_assert_int_eq(http_resp_header(&r, "Server: x\r\n", 11), 0);
	ck_assert_int_eq(http_resp_header(&r, "\r\n", 2), 0);
	ck_assert_int_eq(http_resp_body(&r, "abc", 3), 0);
	http_eval(&m, &r, &out);
	ck_assert(out.ok);
	ck_assert_ptr_null(r.body);    /* nothing to match: the body is not kept */
	http_resp_free(&r);

	/* huge header section: stopped at HTTP_MAX_HEADER_BYTES */
	http_resp_init(&r, &m);
	http_resp_header(&r, "HTTP/1.1 200 OK\r\n", 17);
	int rc = 0;
	for (int i = 0; i < 10000 && rc == 0; i++)
		rc = http_resp_header(&r, line, sizeof(line) - 1);
	ck_assert_int_eq(rc, -1);
	ck_assert_uint_le(r.header_bytes, HTTP_MAX_HEADER_BYTES + sizeof(line));
	http_eval(&m, &r, &out);
	ck_assert_int_eq(out.reason, HEALTH_R_HEADERS_TOO_LARGE);
	http_resp_free(&r);

	/* HTTP/0.9-style answer: no status line */
	http_resp_init(&r, &m);
	ck_assert_int_eq(http_resp_header(&r, "<html>\r\n", 8), -1);
	http_eval(&m, &r, &out);
	ck_assert_int_eq(out.reason, HEALTH_R_NO_STATUS_LINE);
	http_resp_free(&r);
	/* nothing at all */
	http_resp_init(&r, &m);
	http_eval(&m, &r, &out);
	ck_assert_int_eq(out.reason, HEALTH_R_NO_STATUS_LINE);
	http_resp_free(&r);
	http_matcher_free(&m);
}
END_TEST

START_TEST(test_wire_no_status_line)
{
	struct cfg_check_http c = { 0 };
	struct health_result r;

	r = eval_str(&c, "");
	ck_assert_int_eq(r.reason, HEALTH_R_NO_STATUS_LINE);
	r = eval_str(&c, "<html>hello</html>\n");
	ck_assert_int_eq(r.reason, HEALTH_R_NO_STATUS_LINE);
	r = eval_str(&c, "HTT");
	ck_assert_int_eq(r.reason, HEALTH_R_NO_STATUS_LINE);
	r = eval_str(&c, "\r\n\r\n");
	ck_assert_int_eq(r.reason, HEALTH_R_NO_STATUS_LINE);
	r = eval_str(&c, "HTTP/1.1 200 OK\r\nContent-Len");   /* cut in the headers */
	ck_assert_int_eq(r.reason, HEALTH_R_BAD_RESPONSE);
	r = eval_str(&c, "HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n");
	ck_assert_int_eq(r.reason, HEALTH_R_BAD_RESPONSE);
}
END_TEST

START_TEST(test_wire_giant_status_token)
{
	struct cfg_check_http c = { 0 };
	struct health_result r;
	size_t n = 10 * 1024;
	char *buf = malloc(n + 64);

	/* a 10 kB status code, then a 10 kB reason phrase without LF */
	strcpy(buf, "HTTP/1.1 ");
	memset(buf + 9, '2', n);
	strcpy(buf + 9 + n, " OK\r\n\r\n");
	r = eval_str(&c, buf);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.reason, HEALTH_R_BAD_RESPONSE);
	strcpy(buf, "HTTP/1.1 200 ");
	memset(buf + 13, 'K', n);
	buf[13 + n] = '\0';
	r = eval_str(&c, buf);
	ck_assert_int_eq(r.reason, HEALTH_R_BAD_RESPONSE);
	free(buf);
}
END_TEST

START_TEST(test_wire_huge_headers)
{
	struct cfg_check_http c = { 0 };
	struct health_result r;
	size_t n = 200 * 1024, off;
	char *buf = malloc(n + 64);

	/* one header line longer than HTTP_MAX_LINE */
	off = (size_t)sprintf(buf, "HTTP/1.1 200 OK\r\nX-Big: ");
	memset(buf + off, 'a', n);
	strcpy(buf + off + n, "\r\n\r\n");
	r = eval_str(&c, buf);
	ck_assert_int_eq(r.reason, HEALTH_R_HEADERS_TOO_LARGE);
	/* many short lines adding up past HTTP_MAX_HEADER_BYTES */
	off = (size_t)sprintf(buf, "HTTP/1.1 200 OK\r\n");
	while (off < n)
		off += (size_t)sprintf(buf + off, "X-A: b\r\n");
	strcpy(buf + off, "\r\n");
	r = eval_str(&c, buf);
	ck_assert_int_eq(r.reason, HEALTH_R_HEADERS_TOO_LARGE);
	free(buf);
}
END_TEST

START_TEST(test_wire_chunked_errors)
{
	struct cfg_check_http c = { .body_regex = "hello" };
	struct health_result r;
	const char *h = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n";
	char buf[512];

	snprintf(buf, sizeof(buf), "%s5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n", h);
	r = eval_str(&c, buf);
	ck_assert(r.ok);
	snprintf(buf, sizeof(buf), "%szz\r\nhello\r\n0\r\n\r\n", h);     /* not hex */
	ck_assert_int_eq(eval_str(&c, buf).reason, HEALTH_R_BAD_RESPONSE);
	snprintf(buf, sizeof(buf), "%s\r\nhello\r\n0\r\n\r\n", h);       /* empty size */
	ck_assert_int_eq(eval_str(&c, buf).reason, HEALTH_R_BAD_RESPONSE);
	snprintf(buf, sizeof(buf), "%s5\r\nhelloXX0\r\n\r\n", h);         /* no CRLF after data */
	ck_assert_int_eq(eval_str(&c, buf).reason, HEALTH_R_BAD_RESPONSE);
	snprintf(buf, sizeof(buf), "%s10000000000000000\r\nhello", h);   /* size overflows 64 bits */
	ck_assert_int_eq(eval_str(&c, buf).reason, HEALTH_R_BAD_RESPONSE);
	snprintf(buf, sizeof(buf), "%s5\r\nhel", h);                     /* cut inside a chunk */
	ck_assert_int_eq(eval_str(&c, buf).reason, HEALTH_R_BAD_RESPONSE);
	snprintf(buf, sizeof(buf), "%s5\r\nhello\r\n", h);               /* no last chunk */
	ck_assert_int_eq(eval_str(&c, buf).reason, HEALTH_R_BAD_RESPONSE);
	snprintf(buf, sizeof(buf), "%s5 x\r\nhello\r\n0\r\n\r\n", h);    /* junk after size */
	ck_assert_int_eq(eval_str(&c, buf).reason, HEALTH_R_BAD_RESPONSE);
}
END_TEST

START_TEST(test_wire_content_length)
{
	struct cfg_check_http c = { .body_regex = "^abc$" };
	struct health_result r;

	r = eval_str(&c, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef");
	ck_assert(r.ok);   /* bytes after the framed body are not part of it */
	r = eval_str(&c, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc");
	ck_assert_int_eq(r.reason, HEALTH_R_BAD_RESPONSE);
	r = eval_str(&c, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc");
	ck_assert_int_eq(r.reason, HEALTH_R_BAD_RESPONSE);
	r = eval_str(&c, "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nabc");
	ck_assert_int_eq(r.reason, HEALTH_R_BAD_RESPONSE);
	r = eval_str(&c, "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nabc");
	ck_assert_int_eq(r.reason, HEALTH_R_BAD_RESPONSE);
}
END_TEST

START_TEST(test_wire_head_and_split)
{
	struct cfg_check_http c = { .head = true };
	static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
	struct http_matcher m;
	struct http_resp r;
	struct health_result out;
	char err[64];
	int rc = 0;

	/* HEAD: Content-Length describes a body that never comes; fed byte by byte */
	http_matcher_init(&m, &c, err, sizeof(err));
	http_resp_init(&r, &m);
	for (size_t i = 0; i < sizeof(resp) - 1; i++)
		rc = http_resp_feed(&r, resp + i, 1);
	ck_assert_int_eq(rc, 1);
	http_eval(&m, &r, &out);
	ck_assert(out.ok);
	http_resp_free(&r);
	http_matcher_free(&m);
}
END_TEST

TCase *tcase_http_eval(void)
{
	TCase *tc = tcase_create("http_eval");

	tcase_add_test(tc, test_status_line);
	tcase_add_test(tc, test_status_sets);
	tcase_add_test(tc, test_eval_status);
	tcase_add_test(tc, test_digest);
	tcase_add_test(tc, test_regex);
	tcase_add_test(tc, test_header_callback);
	return tc;
}

TCase *tcase_http_wire(void)
{
	TCase *tc = tcase_create("http_wire");

	tcase_add_test(tc, test_wire_no_status_line);
	tcase_add_test(tc, test_wire_giant_status_token);
	tcase_add_test(tc, test_wire_huge_headers);
	tcase_add_test(tc, test_wire_chunked_errors);
	tcase_add_test(tc, test_wire_content_length);
	tcase_add_test(tc, test_wire_head_and_split);
	return tc;
}
