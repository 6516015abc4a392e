/* keepalived checkers (HTTP_GET, SSL_GET, TCP_CHECK, MISC_CHECK, SMTP_CHECK,
 * DNS_CHECK, UDP_CHECK, PING_CHECK) -> a real server's halo `check`, with
 * keepalived's inheritance (checker > real_server > virtual_server) and its
 * defaults written out. Pure: writes YAML to m->out, diagnostics to m->d. */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_regex.h"
#include "import_map.h"

#define DELAY_LOOP_MS 60000      /* keepalived's default delay_loop */

/* The innermost of checker, real server, virtual server that has kw. */
static struct imp_node *inherit(struct imp_node *chk, struct imp_node *rs, struct imp_node *vs, const char *kw)
{
	struct imp_node *n = imp_get(chk, kw);

	if (!n)
		n = imp_get(rs, kw);
	if (!n)
		n = imp_get(vs, kw);
	return n;
}

static long long timer(struct imp_map *m, struct imp_node *n, long long dflt, long long max_ms)
{
	long long v;

	if (!n || !imp_secs(m, n, 1, &v))
		return dflt;
	if (v > max_ms) {
		imp_err(m, n, "%s %s: halo allows at most %llds", n->w[0], n->w[1], max_ms / 1000);
		return dflt;
	}
	return v;
}

static bool bool_arg(const struct imp_node *n)
{
	const char *a = imp_arg(n, 1);

	return !a || !strcasecmp(a, "yes") || !strcasecmp(a, "true") || !strcasecmp(a, "on") || !strcmp(a, "1");
}

/* ---------------- HTTP_GET / SSL_GET ---------------- */

static bool status_ok(const char *s)
{
	char *end;
	long lo, hi;

	if (!isdigit((unsigned char)*s))
		return false;
	lo = hi = strtol(s, &end, 10);
	if (*end == '-' && isdigit((unsigned char)end[1]))
		hi = strtol(end + 1, &end, 10);
	return !*end && lo >= 100 && hi <= 599 && lo <= hi && end - s < 8;
}

static void status_list(struct imp_map *m, struct imp_node *sc, int ind)
{
	/* keepalived falls back to 200-299 when no code is given, also for a
	 * bare "status_code" (found by fuzz_import: halo's loader refuses an
	 * empty status list) */
	if (sc && sc->nw < 2)
		imp_warn(m, sc, "status_code without codes: keepalived then accepts 200-299; converted as such");
	fprintf(m->out, "%*sstatus: [", ind, "");
	if (!sc || sc->nw < 2) {
		fputs("\"200-299\"]\n", m->out);   /* keepalived's default */
		return;
	}
	for (size_t i = 1; i < sc->nw; i++) {
		const char *s = sc->w[i];
		bool range = strchr(s, '-') != NULL;

		if (!status_ok(s))
			imp_err(m, sc, "status_code %s: keepalived expects codes 100..599 or ranges such as 200-299", s);
		fprintf(m->out, i > 1 ? ", %s%s%s" : "%s%s%s", range ? "\"" : "", s, range ? "\"" : "");
	}
	fputs("]\n", m->out);
}

static void url_regex(struct imp_map *m, struct imp_node *url, int ind)
{
	struct imp_node *r = imp_get(url, "regex"), *n;
	regex_t re;
	char why[128];

	for (int i = 0; i < 5; i++) {
		static const char *const kw[] = { "regex_no_match", "regex_options", "regex_stack",
						  "regex_min_offset", "regex_max_offset" };
		if ((n = imp_get(url, kw[i])))
			imp_warn(m, n, "%s: halo has no such regex option; not converted", kw[i]);
	}
	if (!r || !imp_need_args(m, r, 1, 1))
		return;
	if (regex_compile(&re, r->w[1], 0, why, sizeof(why)) < 0) {
		imp_warn(m, r, "regex %s: not usable as halo's POSIX extended regular expression (%s); not converted",
			 r->w[1], why);
		return;
	}
	regfree(&re);
	imp_warn(m, r, "regex: keepalived uses PCRE, halo POSIX extended expressions; check the pattern");
	y_str(m, ind, "body_regex", r->w[1]);
}

static void map_http(struct imp_map *m, struct imp_node *chk, struct imp_node *rs, struct imp_node *vs,
		     int ind, bool https)
{
	struct imp_node **urls, *url, *n, *host;
	size_t nu = imp_all(chk, "url", &urls);

	y_key(m, ind, https ? "https" : "http");
	if (!nu) {
		imp_err(m, chk, "%s needs a url { path ... }", chk->w[0]);
		free(urls);
		return;
	}
	url = urls[0];
	for (size_t i = 1; i < nu; i++) {
		imp_warn(m, urls[i], "url: halo checks one url per real server (the one at line %u); not converted",
			 url->line);
		for (size_t k = 0; k < urls[i]->nkids; k++)
			urls[i]->kids[k]->used = true;
	}
	free(urls);
	if ((n = imp_get(url, "path")) && imp_need_args(m, n, 1, 1)) {
		/* keepalived sends any text as the request target; halo checks
		 * an origin-form path (found by fuzz_import: "path o") */
		if (n->w[1][0] != '/')
			imp_err(m, n, "path %s: halo needs a path starting with '/'", n->w[1]);
		y_str(m, ind + 2, "path", n->w[1]);
	} else
		imp_err(m, url, "url needs a path");
	host = imp_get(url, "virtualhost");
	if (!host)
		host = inherit(chk, rs, vs, "virtualhost");
	if (host && imp_need_args(m, host, 1, 1))
		y_str(m, ind + 2, "host", host->w[1]);
	status_list(m, imp_get(url, "status_code"), ind + 2);
	if ((n = imp_get(url, "digest")) && imp_need_args(m, n, 1, 1)) {
		if (strlen(n->w[1]) != 32 || strspn(n->w[1], "0123456789abcdefABCDEF") != 32)
			imp_err(m, n, "digest %s: keepalived expects 32 hex digits (MD5)", n->w[1]);
		y_key(m, ind + 2, "digest");
		y_str(m, ind + 4, "md5", n->w[1]);
	}
	url_regex(m, url, ind + 2);
	if ((n = imp_get(chk, "http_protocol")) && imp_need_args(m, n, 1, 1) && strcmp(n->w[1], "1.1"))
		imp_warn(m, n, "http_protocol %s: halo speaks HTTP/1.1; not converted", n->w[1]);
	if ((n = imp_get(chk, "fast_recovery")))
		imp_warn(m, n, "fast_recovery: halo checks its one url at every interval; not converted");
	if (!https)
		return;
	imp_get(chk, "enable_sni");   /* halo sends SNI from host whenever it is set */
	if (m->ssl_ca)
		y_str(m, ind + 2, "ca_file", m->ssl_ca);
	y_bool(m, ind + 2, "verify", false);   /* keepalived's SSL_GET does not verify the peer */
	if (m->ssl_cert) {
		y_str(m, ind + 2, "client_cert", m->ssl_cert);
		y_str(m, ind + 2, "client_key", m->ssl_key);
	}
}

/* ---------------- the other kinds ---------------- */

/* keepalived's free-format hex ("Ab12f 3 456"): pairs, a lone digit is one byte. */
static char *hex_decode(struct imp_map *m, struct imp_node *n, bool *ok)
{
	char *out = calloc(1, n->nw * 64 + 1);
	size_t k = 0;

	if (!out)
		abort();
	*ok = true;
	for (size_t i = 1; i < n->nw; i++) {
		const char *s = n->w[i];
		size_t len = strlen(s);

		if (strspn(s, "0123456789abcdefABCDEF") != len) {
			imp_warn(m, n, "%s %s: halo compares exact bytes (no X wildcards or non-hex); not converted",
				 n->w[0], s);
			*ok = false;
			break;
		}
		for (size_t j = 0; j < len && k < n->nw * 64; j += 2) {
			char b[3] = { s[j], j + 1 < len ? s[j + 1] : 0, 0 };
			unsigned long v = strtoul(b, NULL, 16);

			if (!v) {
				imp_warn(m, n, "%s: a NUL byte cannot be written in halo's YAML; not converted", n->w[0]);
				*ok = false;
				break;
			}
			out[k++] = (char)v;
		}
	}
	if (*ok && !imp_utf8_ok((const unsigned char *)out, k)) {
		imp_warn(m, n, "%s: halo's YAML string holds UTF-8 text, not these bytes; not converted", n->w[0]);
		*ok = false;
	}
	return out;
}

static void map_udp(struct imp_map *m, struct imp_node *chk, int ind)
{
	struct imp_node *p = imp_get(chk, "payload"), *r = imp_get(chk, "require_reply"), *n;
	char *s;
	bool ok;

	y_key(m, ind, "udp");
	if (p) {
		s = hex_decode(m, p, &ok);
		y_str(m, ind + 2, "payload", ok ? s : "");
		free(s);
	} else {
		y_str(m, ind + 2, "payload", "");
	}
	if (r && r->nw == 1)
		imp_warn(m, r, "require_reply without data: halo needs the reply's bytes to expect; not converted");
	if (r && r->nw > 1) {
		s = hex_decode(m, r, &ok);
		if (ok)
			y_str(m, ind + 2, "expect", s);
		free(s);
	}
	for (int i = 0; i < 2; i++)
		if ((n = imp_get(chk, i ? "max_reply_length" : "min_reply_length")))
			imp_warn(m, n, "%s: halo checks the reply's bytes only; not converted", n->w[0]);
}

static void map_misc(struct imp_map *m, struct imp_node *chk, int ind)
{
	struct imp_node *p = imp_get(chk, "misc_path"), *n;
	char **argv;
	size_t argc;

	y_key(m, ind, "script");
	if (!p || !imp_need_args(m, p, 1, 3)) {
		imp_err(m, chk, "MISC_CHECK needs misc_path");
		return;
	}
	argv = imp_split_argv(p->w[1], &argc);
	if (!argc || argv[0][0] != '/')
		imp_err(m, p, "misc_path \"%s\": keepalived needs an absolute path to the program", p->w[1]);
	else
		y_argv(m, ind + 2, "command", argv);
	imp_argv_free(argv);
	if (p->nw > 2)
		imp_warn(m, p, "misc_path user %s: halo runs checks as global.checker_user; not converted", p->w[2]);
	if (imp_get(chk, "misc_dynamic"))
		y_bool(m, ind + 2, "dynamic", true);
	if ((n = imp_get(chk, "user")))
		imp_warn(m, n, "user: halo runs checks as global.checker_user; not converted");
}

static const char *const dns_types[] = { "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", NULL };

static void map_kind(struct imp_map *m, struct imp_node *chk, struct imp_node *rs, struct imp_node *vs, int ind)
{
	const char *k = chk->w[0];
	struct imp_node *n;

	if (!strcmp(k, "HTTP_GET") || !strcmp(k, "SSL_GET")) {
		map_http(m, chk, rs, vs, ind, k[0] == 'S');
	} else if (!strcmp(k, "TCP_CHECK")) {
		y_raw(m, ind, "tcp", "{}");
	} else if (!strcmp(k, "PING_CHECK")) {
		y_raw(m, ind, "ping", "{}");
	} else if (!strcmp(k, "MISC_CHECK")) {
		map_misc(m, chk, ind);
	} else if (!strcmp(k, "SMTP_CHECK")) {
		n = imp_get(chk, "helo_name");
		if (n && imp_need_args(m, n, 1, 1)) {
			y_key(m, ind, "smtp");
			y_str(m, ind + 2, "helo_name", n->w[1]);
		} else {
			y_raw(m, ind, "smtp", "{}");
		}
	} else if (!strcmp(k, "DNS_CHECK")) {
		const char *type = "SOA";      /* keepalived's default */
		y_key(m, ind, "dns");
		if ((n = imp_get(chk, "type")) && imp_need_args(m, n, 1, 1)) {
			int i;
			for (i = 0; dns_types[i] && strcasecmp(dns_types[i], n->w[1]); i++)
				;
			if (dns_types[i])
				type = dns_types[i];
			else
				imp_err(m, n, "type %s: keepalived expects A, NS, CNAME, SOA, MX, TXT or AAAA", n->w[1]);
		}
		if ((n = imp_get(chk, "name")) && imp_need_args(m, n, 1, 1))
			y_str(m, ind + 2, "name", n->w[1]);
		y_str(m, ind + 2, "type", type);
	} else {
		map_udp(m, chk, ind);
	}
}

/* ---------------- common options ---------------- */

static void map_connect(struct imp_map *m, struct imp_node *chk, int ind)
{
	struct imp_node *n;
	long long v;
	int af;
	static const char *const unsupported[] = { "bindto", "bind_if", "bind_port", "fwmark", "log_all_failures",
						   "source_ip", NULL };

	if ((n = imp_get(chk, "connect_ip")) && imp_need_args(m, n, 1, 1)) {
		if (!imp_is_addr(n->w[1], &af))
			imp_err(m, n, "connect_ip %s is not an address", n->w[1]);
		else
			y_str(m, ind, "connect_address", n->w[1]);
	}
	if ((n = imp_get(chk, "connect_port")) && imp_int(m, n, 1, 1, 65535, &v))
		y_int(m, ind, "connect_port", v);
	for (int i = 0; unsupported[i]; i++)
		if ((n = imp_get(chk, unsupported[i])))
			imp_warn(m, n, "%s: halo-checker connects from the system's choice of source; not converted",
				 unsupported[i]);
}

void imp_map_check(struct imp_map *m, struct imp_node *chk, struct imp_node *rs, struct imp_node *vs, int ind)
{
	const char *k = chk->w[0];
	bool dns = !strcmp(k, "DNS_CHECK"), misc = !strcmp(k, "MISC_CHECK"), http = !strcmp(k, "HTTP_GET") ||
		   !strcmp(k, "SSL_GET");
	long long loop = timer(m, inherit(chk, rs, vs, "delay_loop"), DELAY_LOOP_MS, 86400000);
	struct imp_node *retry = inherit(chk, rs, vs, "retry"), *old = inherit(chk, rs, vs, "nb_get_retry"), *n;
	long long tries = dns ? 3 : misc ? 0 : 1, v;

	y_key(m, ind, "check");
	map_kind(m, chk, rs, vs, ind + 2);
	y_ms(m, ind + 2, "interval", loop ? loop : 1000);
	if (misc)
		v = timer(m, imp_get(chk, "misc_timeout"), loop, 3600000);
	else
		v = timer(m, inherit(chk, rs, vs, "connect_timeout"), 5000, 3600000);
	y_ms(m, ind + 2, "timeout", v ? v : 1);
	if ((n = retry ? retry : old))
		imp_int(m, n, 1, 0, 100, &tries);
	y_int(m, ind + 2, "retry", tries);
	v = timer(m, inherit(chk, rs, vs, "delay_before_retry"), http ? 3000 : dns ? loop : 1000, 3600000);
	y_ms(m, ind + 2, "retry_delay", v);
	y_ms(m, ind + 2, "warmup", timer(m, inherit(chk, rs, vs, "warmup"), loop, 86400000));
	if ((n = inherit(chk, rs, vs, "alpha")))
		y_bool(m, ind + 2, "alpha", bool_arg(n));
	map_connect(m, chk, ind + 2);
}
