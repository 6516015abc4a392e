/* Schema of a real server's `check`: exactly one kind key (http, https, tcp,
 * script, smtp, dns, udp, ping) plus the common timing keys. It validates
 * (regexes compile, digests are hex) but never runs a check. */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"
#include "config_regex.h"

const char *const cfg_check_kind_names[] = {
	"none", "http", "https", "tcp", "script", "smtp", "dns", "udp", "ping", NULL
};
static const char *const method_names[] = { "GET", "HEAD", NULL };
static const char *const dns_type_names[] = { "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", NULL };
static const uint16_t dns_type_codes[] = { 1, 2, 5, 6, 15, 16, 28 };
static const char *const https_only[] = {
	"sni", "ca_file", "verify", "client_cert", "client_key", "cert_expiry_warn_days", NULL
};

/* ---------------- http / https ---------------- */

static void http_path(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_check_http *h = obj;

	if (cfg_get_str(c, v, true, &h->path) && h->path[0] != '/')
		cfg_error(c, v, "must start with '/'");
}

static void http_method(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	int m;

	if (cfg_get_enum(c, v, method_names, &m))
		((struct cfg_check_http *)obj)->head = m == 1;
}

static bool header_name_ok(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)s[i]) || s[i] == ':')
			return false;
	return true;
}

static bool header_line_ok(const char *s)
{
	const char *colon = strchr(s, ':');

	return colon && header_name_ok(s, (size_t)(colon - s)) && !strpbrk(s, "\r\n");
}

static void http_headers(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_check_http *h = obj;
	bool map = v->type == CNODE_MAP;
	size_t n = cnode_len(v);

	if (!map && !cfg_get_seq(c, v, &n))
		return;
	h->n_headers = n;
	h->headers = cfg_calloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const struct cnode *it = map ? v->kids[2 * i + 1] : v->kids[i];
		bool key_ok = !map || cfg_map_key_ok(c, v, i);
		size_t old = map ? cfg_path_key(c, v->kids[2 * i]->str) : cfg_path_index(c, i);
		char *s = NULL;

		if (map && key_ok && cfg_get_str(c, it, false, &s)) {
			if (asprintf(&h->headers[i], "%s: %s", v->kids[2 * i]->str, s) < 0)
				abort();
		} else if (!map && cfg_get_str(c, it, true, &s)) {
			h->headers[i] = s;
			s = NULL;
		}
		free(s);
		if (h->headers[i] && !header_line_ok(h->headers[i]))
			cfg_error(c, map ? v->kids[2 * i] : it, "expected \"Name: value\" (a token name, no line breaks)");
		if (!h->headers[i])
			h->headers[i] = cfg_strdup("");
		cfg_path_pop(c, old);
	}
}

static bool status_parse(const char *s, struct cfg_status_range *r)
{
	char *end;
	unsigned long lo = strtoul(s, &end, 10), hi = lo;

	if (!isdigit((unsigned char)*s))
		return false;
	if (*end == '-') {
		if (!isdigit((unsigned char)end[1]))
			return false;
		hi = strtoul(end + 1, &end, 10);
	}
	if (*end || lo < 100 || hi > 599 || lo > hi)
		return false;
	r->lo = (uint16_t)lo;
	r->hi = (uint16_t)hi;
	return true;
}

static void http_status(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_check_http *h = obj;
	size_t n;

	if (v->type == CNODE_SCALAR) {
		cfg_error(c, v, "expected a list such as [200] or [\"200-299\"], found a scalar");
		return;
	}
	if (!cfg_get_seq(c, v, &n))
		return;
	if (!n)
		cfg_error(c, v, "must not be empty");
	free(h->status);
	h->n_status = n;
	h->status = cfg_calloc(n, sizeof(*h->status));
	for (size_t i = 0; i < n; i++) {
		const struct cnode *it = v->kids[i];
		size_t old = cfg_path_index(c, i);

		if (it->type != CNODE_SCALAR || !status_parse(it->str, &h->status[i]))
			cfg_error(c, it, "bad status \"%.64s\" (expected a code 100..599 or a range such as 200-299)",
				  it->type == CNODE_SCALAR ? it->str : "");
		cfg_path_pop(c, old);
	}
}

static bool hex_parse(const char *s, uint8_t *out, size_t n)
{
	if (strlen(s) != 2 * n)
		return false;
	for (size_t i = 0; i < 2 * n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	for (size_t i = 0; i < n; i++) {
		char b[3] = { s[2 * i], s[2 * i + 1], 0 };

		out[i] = (uint8_t)strtoul(b, NULL, 16);
	}
	return true;
}

static void digest_set(struct cfg_ctx *c, const struct cnode *v, struct cfg_check_http *h, enum cfg_digest k)
{
	size_t n = k == CFG_DIGEST_MD5 ? 16 : 32;

	if (h->digest_kind != CFG_DIGEST_NONE) {
		cfg_error(c, v, "only one of md5 and sha256");
		return;
	}
	if (v->type != CNODE_SCALAR || !hex_parse(v->str, h->digest, n)) {
		cfg_error(c, v, "expected %zu hex digits", 2 * n);
		return;
	}
	h->digest_kind = k;
}

static void digest_md5(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	digest_set(c, v, obj, CFG_DIGEST_MD5);
}

static void digest_sha256(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	digest_set(c, v, obj, CFG_DIGEST_SHA256);
}

static const struct cfg_field digest_fields[] = {
	CFG_FN("md5", digest_md5),
	CFG_FN("sha256", digest_sha256),
	CFG_END
};

static void http_digest(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_check_http *h = obj;

	if (cfg_map_walk(c, v, digest_fields, h) && !cnode_len(v))
		cfg_error(c, v, "expected md5 or sha256");
}

static void http_body_regex(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_check_http *h = obj;
	regex_t re;
	char msg[128];

	if (!cfg_get_str(c, v, true, &h->body_regex))
		return;
	if (regex_compile(&re, h->body_regex, 0, msg, sizeof(msg)) < 0) {
		cfg_error(c, v, "bad regular expression: %s", msg);
		return;
	}
	regfree(&re);
}

static void http_max_body(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	long long n;

	if (cfg_get_int(c, v, 1, 64ll << 20, &n))
		((struct cfg_check_http *)obj)->max_body = (size_t)n;
}

static const struct cfg_field http_fields[] = {
	CFG_FN("path", http_path),
	CFG_FN("method", http_method),
	CFG_F("host", CFT_NAME, struct cfg_check_http, host, 0, 0),
	CFG_FN("headers", http_headers),
	CFG_FN("status", http_status),
	CFG_FN("digest", http_digest),
	CFG_FN("body_regex", http_body_regex),
	CFG_FN("max_body", http_max_body),
	CFG_F("reuse_connection", CFT_BOOL, struct cfg_check_http, reuse_connection, 0, 0),
	CFG_F("sni", CFT_NAME, struct cfg_check_http, sni, 0, 0),
	CFG_F("ca_file", CFT_NAME, struct cfg_check_http, ca_file, 0, 0),
	CFG_F("verify", CFT_BOOL, struct cfg_check_http, verify, 0, 0),
	CFG_F("client_cert", CFT_NAME, struct cfg_check_http, client_cert, 0, 0),
	CFG_F("client_key", CFT_NAME, struct cfg_check_http, client_key, 0, 0),
	CFG_F("cert_expiry_warn_days", CFT_U32, struct cfg_check_http, cert_expiry_warn_days, 0, 3650),
	CFG_END
};

static void http_post(struct cfg_ctx *c, const struct cnode *v, struct cfg_check_http *h, bool https)
{
	size_t old;

	for (size_t i = 0; !https && https_only[i]; i++) {
		const struct cnode *k = cnode_map_get(v, https_only[i]);

		if (k) {
			old = cfg_path_key(c, https_only[i]);
			cfg_error(c, k, "only for https checks");
			cfg_path_pop(c, old);
		}
	}
	if (https && !h->sni && h->host)
		h->sni = cfg_strdup(h->host);
	if (https && !h->client_cert != !h->client_key) {
		const char *key = h->client_cert ? "client_key" : "client_cert";

		old = cfg_path_key(c, key);
		cfg_error(c, v, "missing required key (client_cert and client_key go together)");
		cfg_path_pop(c, old);
	}
}

/* ---------------- the other kinds ---------------- */

static const struct cfg_field tcp_fields[] = {
	CFG_F("send", CFT_NAME, struct cfg_check_tcp, send, 0, 0),
	CFG_F("expect", CFT_NAME, struct cfg_check_tcp, expect, 0, 0),
	CFG_END
};

static const struct cfg_field script_fields[] = {
	{ "command", CFT_ARGV, offsetof(struct cfg_check_script, command), 0, 0, NULL, NULL, true },
	CFG_F("dynamic", CFT_BOOL, struct cfg_check_script, dynamic, 0, 0),
	CFG_END
};

static const struct cfg_field smtp_fields[] = {
	CFG_F("helo_name", CFT_NAME, struct cfg_check_smtp, helo_name, 0, 0),
	CFG_END
};

static void dns_type(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	int i;

	if (cfg_get_enum(c, v, dns_type_names, &i))
		((struct cfg_check_dns *)obj)->type = dns_type_codes[i];
}

static const struct cfg_field dns_fields[] = {
	CFG_F("name", CFT_NAME, struct cfg_check_dns, name, 0, 0),
	CFG_FN("type", dns_type),
	CFG_END
};

static const struct cfg_field udp_fields[] = {
	CFG_F("payload", CFT_STR, struct cfg_check_udp, payload, 0, 0),
	CFG_F("expect", CFT_NAME, struct cfg_check_udp, expect, 0, 0),
	CFG_END
};

static const struct cfg_field ping_fields[] = { CFG_END };

static void kind_defaults(struct cfg_check *chk, const struct halo_config *cfg)
{
	switch (chk->kind) {
	case CFG_CHECK_HTTP:
	case CFG_CHECK_HTTPS:
		chk->http.path = cfg_strdup("/");
		chk->http.status = cfg_calloc(1, sizeof(*chk->http.status));
		chk->http.status[0] = (struct cfg_status_range){ 200, 200 };
		chk->http.n_status = 1;
		chk->http.max_body = 65536;
		chk->http.verify = true;
		chk->http.cert_expiry_warn_days = 14;
		break;
	case CFG_CHECK_SMTP:
		chk->smtp.helo_name = cfg_strdup(cfg->global.router_id ? cfg->global.router_id : "localhost");
		break;
	case CFG_CHECK_DNS:
		chk->dns.name = cfg_strdup(".");
		chk->dns.type = 1;
		break;
	case CFG_CHECK_UDP:
		chk->udp.payload = cfg_strdup("");
		break;
	default:
		break;
	}
}

static void kind_parse(struct cfg_ctx *c, const struct cnode *v, struct cfg_check *chk, enum cfg_check_kind k)
{
	static const struct cfg_field *const tables[] = {
		[CFG_CHECK_HTTP] = http_fields, [CFG_CHECK_HTTPS] = http_fields,
		[CFG_CHECK_TCP] = tcp_fields, [CFG_CHECK_SCRIPT] = script_fields,
		[CFG_CHECK_SMTP] = smtp_fields, [CFG_CHECK_DNS] = dns_fields,
		[CFG_CHECK_UDP] = udp_fields, [CFG_CHECK_PING] = ping_fields,
	};

	if (chk->kind != CFG_CHECK_NONE) {
		cfg_error(c, v, "only one check kind per check (already %s)", config_check_kind_name(chk->kind));
		return;
	}
	chk->kind = k;
	kind_defaults(chk, c->cfg);
	if (cfg_map_walk(c, v, tables[k], &chk->http) && (k == CFG_CHECK_HTTP || k == CFG_CHECK_HTTPS))
		http_post(c, v, &chk->http, k == CFG_CHECK_HTTPS);
}

#define KIND_FN(fn, K) \
	static void fn(struct cfg_ctx *c, const struct cnode *v, void *obj) { kind_parse(c, v, obj, K); }
KIND_FN(kind_http, CFG_CHECK_HTTP)
KIND_FN(kind_https, CFG_CHECK_HTTPS)
KIND_FN(kind_tcp, CFG_CHECK_TCP)
KIND_FN(kind_script, CFG_CHECK_SCRIPT)
KIND_FN(kind_smtp, CFG_CHECK_SMTP)
KIND_FN(kind_dns, CFG_CHECK_DNS)
KIND_FN(kind_udp, CFG_CHECK_UDP)
KIND_FN(kind_ping, CFG_CHECK_PING)

static void check_connect_address(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_check *chk = obj;

	chk->has_connect_address = cfg_get_addr(c, v, &chk->connect_address);
}

static const struct cfg_field check_fields[] = {
	CFG_FN("http", kind_http),
	CFG_FN("https", kind_https),
	CFG_FN("tcp", kind_tcp),
	CFG_FN("script", kind_script),
	CFG_FN("smtp", kind_smtp),
	CFG_FN("dns", kind_dns),
	CFG_FN("udp", kind_udp),
	CFG_FN("ping", kind_ping),
	CFG_F("interval", CFT_MS, struct cfg_check, interval, 1, 86400000),
	CFG_F("timeout", CFT_MS, struct cfg_check, timeout, 1, 3600000),
	CFG_F("retry", CFT_U32, struct cfg_check, retry, 0, 100),
	CFG_F("retry_delay", CFT_MS, struct cfg_check, retry_delay, 0, 3600000),
	CFG_F("rise", CFT_U32, struct cfg_check, rise, 1, 100),
	CFG_F("warmup", CFT_MS, struct cfg_check, warmup, 0, 86400000),
	CFG_F("alpha", CFT_BOOL, struct cfg_check, alpha, 0, 0),
	CFG_FN("connect_address", check_connect_address),
	CFG_F("connect_port", CFT_U16, struct cfg_check, connect_port, 1, 65535),
	CFG_END
};

void cfg_check_init(struct cfg_check *chk)
{
	memset(chk, 0, sizeof(*chk));
	chk->interval = 6000;
	chk->timeout = 5000;
	chk->retry = 1;
	chk->retry_delay = 1000;
	chk->rise = 1;
}

void cfg_parse_check(struct cfg_ctx *c, const struct cnode *n, struct cfg_check *chk,
		     const struct halo_config *cfg)
{
	chk->pos = (struct cfg_pos){ n->line, n->col };
	if (cfg_map_walk(c, n, check_fields, chk) && chk->kind == CFG_CHECK_NONE)
		cfg_error(c, n, "missing check kind (one of http, https, tcp, script, smtp, dns, udp, ping)");
}

const char *config_check_kind_name(enum cfg_check_kind k)
{
	return (unsigned)k <= CFG_CHECK_PING ? cfg_check_kind_names[k] : "?";
}
