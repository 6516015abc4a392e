/* config_print(): the canonical YAML of a loaded config, every default written
 * out, keys in schema order; its output loads back to an equal config. It
 * writes to the given stream only. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <syslog.h>

#include "config_priv.h"

struct pr {
	FILE *f;
	bool dash;                     /* next line opens a list item */
};

static void ind(struct pr *p, int n)
{
	if (p->dash) {
		fprintf(p->f, "%*s- ", n - 2, "");
		p->dash = false;
	} else {
		fprintf(p->f, "%*s", n, "");
	}
}

static bool looks_special(const char *s)
{
	static const char *const words[] = {
		"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", NULL
	};
	char *end;

	for (int i = 0; words[i]; i++)
		if (!strcasecmp(s, words[i]))
			return true;
	(void)strtod(s, &end);
	if (!*end)
		return true;
	return strspn(s, "0123456789_:+-") == strlen(s);
}

static bool is_plain(const char *s, bool flow)
{
	const char *ok = flow ? "_./@+=-" : "_./@+=-:";

	if (!*s || !(isalnum((unsigned char)*s) || strchr("_/.", *s)))
		return false;
	for (const char *q = s; *q; q++)
		if (!isalnum((unsigned char)*q) && !strchr(ok, *q))
			return false;
	return s[strlen(s) - 1] != ':' && !looks_special(s);
}

static void scalar(struct pr *p, const char *s, bool flow)
{
	if (is_plain(s, flow)) {
		fputs(s, p->f);
		return;
	}
	fputc('"', p->f);
	for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
		if (*q == '"' || *q == '\\')
			fprintf(p->f, "\\%c", *q);
		else if (*q == '\n')
			fputs("\\n", p->f);
		else if (*q == '\t')
			fputs("\\t", p->f);
		else if (*q == '\r')
			fputs("\\r", p->f);
		else if (*q < 0x20 || *q == 0x7f)
			fprintf(p->f, "\\x%02x", *q);
		else
			fputc(*q, p->f);
	}
	fputc('"', p->f);
}

static void key(struct pr *p, int n, const char *k)
{
	ind(p, n);
	fprintf(p->f, "%s:", k);
}

static void pstr(struct pr *p, int n, const char *k, const char *v)
{
	if (!v)
		return;
	key(p, n, k);
	fputc(' ', p->f);
	scalar(p, v, false);
	fputc('\n', p->f);
}

static void pfmt(struct pr *p, int n, const char *k, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void pfmt(struct pr *p, int n, const char *k, const char *fmt, ...)
{
	va_list ap;

	key(p, n, k);
	fputc(' ', p->f);
	va_start(ap, fmt);
	vfprintf(p->f, fmt, ap);
	va_end(ap);
	fputc('\n', p->f);
}

static void pbool(struct pr *p, int n, const char *k, bool v)
{
	pfmt(p, n, k, "%s", v ? "true" : "false");
}

static void pms(struct pr *p, int n, const char *k, cfg_ms v)
{
	char buf[32];

	pfmt(p, n, k, "%s", cfg_duration_fmt(v, buf));
}

static void paddr(struct pr *p, int n, const char *k, const struct halo_addr *a)
{
	char buf[HALO_ADDRSTRLEN];

	pstr(p, n, k, halo_addr_str(a, buf));
}

static void pstrv(struct pr *p, int n, const char *k, char *const *v, size_t cnt)
{
	key(p, n, k);
	fputs(" [", p->f);
	for (size_t i = 0; i < cnt; i++) {
		if (i)
			fputs(", ", p->f);
		scalar(p, v[i], true);
	}
	fputs("]\n", p->f);
}

static void pargv(struct pr *p, int n, const char *k, const struct cfg_argv *a)
{
	if (a->argc)
		pstrv(p, n, k, a->argv, a->argc);
}

static const char *facility_name(int f)
{
	static const char *const locals[] = {
		"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"
	};
	int i = (f - LOG_LOCAL0) >> 3;

	return f == LOG_DAEMON || i < 0 || i > 7 ? "daemon" : locals[i];
}

static void print_global(struct pr *p, const struct cfg_global *g)
{
	fputs("global:\n", p->f);
	pstr(p, 2, "router_id", g->router_id);
	pstr(p, 2, "log_facility", facility_name(g->log_facility));
	pstr(p, 2, "script_user", g->script_user);
	pstr(p, 2, "checker_user", g->checker_user);
	pfmt(p, 2, "realtime_priority", "%d", g->realtime_priority);
	pstr(p, 2, "metrics_listen", g->metrics_listen);
	pbool(p, 2, "script_security", g->script_security);
	pbool(p, 2, "seccomp", g->seccomp);
}

static void print_notify(struct pr *p, int n, const struct cfg_notify *no)
{
	fprintf(p->f, "%*snotify:\n", n, "");
	pargv(p, n + 2, "master", &no->master);
	pargv(p, n + 2, "backup", &no->backup);
	pargv(p, n + 2, "fault", &no->fault);
	pargv(p, n + 2, "stop", &no->stop);
	pargv(p, n + 2, "any", &no->any);
	pms(p, n + 2, "timeout", no->timeout);
}

static void print_vaddrs(struct pr *p, const struct cfg_vrrp_instance *vi)
{
	char buf[HALO_ADDRSTRLEN];

	fputs("      virtual_addresses:\n", p->f);
	for (size_t i = 0; i < vi->n_vaddrs; i++) {
		const struct cfg_vaddr *va = &vi->vaddrs[i];

		p->dash = true;
		pfmt(p, 10, "address", "%s/%u", halo_addr_str(&va->addr, buf), va->prefixlen);
		pstr(p, 10, "dev", va->dev);
		pstr(p, 10, "label", va->label);
	}
}

static void print_tracks(struct pr *p, const struct cfg_vrrp_instance *vi)
{
	fprintf(p->f, "      track_interfaces:%s\n", vi->n_track_ifs ? "" : " []");
	for (size_t i = 0; i < vi->n_track_ifs; i++) {
		p->dash = true;
		pstr(p, 10, "name", vi->track_ifs[i].name);
		pfmt(p, 10, "weight", "%d", vi->track_ifs[i].weight);
		if (vi->track_ifs[i].reverse)
			pbool(p, 10, "reverse", true);
		if (vi->track_ifs[i].delay_up)
			pms(p, 10, "delay_up", vi->track_ifs[i].delay_up);
		if (vi->track_ifs[i].delay_down)
			pms(p, 10, "delay_down", vi->track_ifs[i].delay_down);
	}
	fprintf(p->f, "      track_scripts:%s\n", vi->n_track_scripts ? "" : " []");
	for (size_t i = 0; i < vi->n_track_scripts; i++) {
		p->dash = true;
		pstr(p, 10, "name", vi->track_scripts[i].name);
		if (vi->track_scripts[i].weight_set)
			pfmt(p, 10, "weight", "%d", vi->track_scripts[i].weight);
		if (vi->track_scripts[i].reverse)
			pbool(p, 10, "reverse", true);
	}
	/* newer keys are printed only when used, so older golden files stay valid */
	if (vi->n_track_files)
		fputs("      track_files:\n", p->f);
	for (size_t i = 0; i < vi->n_track_files; i++) {
		p->dash = true;
		pstr(p, 10, "path", vi->track_files[i].path);
		pfmt(p, 10, "weight", "%d", vi->track_files[i].weight);
		pbool(p, 10, "reverse", vi->track_files[i].reverse);
	}
	if (vi->n_track_processes)
		fputs("      track_processes:\n", p->f);
	for (size_t i = 0; i < vi->n_track_processes; i++) {
		p->dash = true;
		pstr(p, 10, "name", vi->track_processes[i].name);
		pfmt(p, 10, "quorum", "%u", vi->track_processes[i].quorum);
		pfmt(p, 10, "weight", "%d", vi->track_processes[i].weight);
		pbool(p, 10, "reverse", vi->track_processes[i].reverse);
	}
	if (vi->n_track_vss)
		fputs("      track_virtual_servers:\n", p->f);
	for (size_t i = 0; i < vi->n_track_vss; i++) {
		p->dash = true;
		pstr(p, 10, "virtual_server", vi->track_vss[i].ref);
		if (vi->track_vss[i].has_protocol)
			pstr(p, 10, "protocol", config_proto_name(vi->track_vss[i].protocol));
		pfmt(p, 10, "weight", "%d", vi->track_vss[i].weight);
	}
}

static bool peers_default_ttl(const struct cfg_vrrp_instance *vi)
{
	for (size_t i = 0; i < vi->n_unicast_peers; i++)
		if (vi->unicast_peer_ttl[i].min != 255 || vi->unicast_peer_ttl[i].max != 255)
			return false;
	return true;
}

static void print_peers(struct pr *p, const struct cfg_vrrp_instance *vi)
{
	char buf[HALO_ADDRSTRLEN];

	if (peers_default_ttl(vi)) {
		fputs("      unicast_peers: [", p->f);
		for (size_t i = 0; i < vi->n_unicast_peers; i++)
			fprintf(p->f, "%s\"%s\"", i ? ", " : "", halo_addr_str(&vi->unicast_peers[i], buf));
		fputs("]\n", p->f);
		return;
	}
	fputs("      unicast_peers:\n", p->f);
	for (size_t i = 0; i < vi->n_unicast_peers; i++) {
		p->dash = true;
		paddr(p, 10, "address", &vi->unicast_peers[i]);
		pfmt(p, 10, "min_ttl", "%u", vi->unicast_peer_ttl[i].min);
		pfmt(p, 10, "max_ttl", "%u", vi->unicast_peer_ttl[i].max);
	}
}

/* Options added after the first golden files: printed only when not default. */
static void print_options(struct pr *p, const struct cfg_vrrp_instance *vi)
{
	if (!vi->check_unicast_source)
		pbool(p, 6, "check_unicast_source", false);
	if (vi->unicast_fault_no_peer)
		pbool(p, 6, "unicast_fault_no_peer", true);
	if (vi->startup_delay)
		pms(p, 6, "startup_delay", vi->startup_delay);
	if (vi->startup_hold)
		pms(p, 6, "startup_hold", vi->startup_hold);
	if (vi->use_vmac)
		pbool(p, 6, "use_vmac", true);
	if (vi->vmac_xmit_base)
		pbool(p, 6, "vmac_xmit_base", true);
}

static void print_instance(struct pr *p, const struct cfg_vrrp_instance *vi)
{
	static const char *const cks[] = { "auto", "rfc5798", "rfc9568" };

	p->dash = true;
	pstr(p, 6, "name", vi->name);
	pstr(p, 6, "interface", vi->interface);
	pfmt(p, 6, "vrid", "%u", vi->vrid);
	pfmt(p, 6, "priority", "%u", vi->priority);
	pfmt(p, 6, "version", "%u", vi->version);
	pms(p, 6, "advert_interval", vi->advert_interval);
	pbool(p, 6, "preempt", vi->preempt);
	pms(p, 6, "preempt_delay", vi->preempt_delay);
	pbool(p, 6, "accept", vi->accept);
	pstr(p, 6, "v3_checksum", cks[vi->v3_checksum]);
	print_vaddrs(p, vi);
	if (vi->has_unicast_source)
		paddr(p, 6, "unicast_source", &vi->unicast_source);
	if (vi->n_unicast_peers)
		print_peers(p, vi);
	print_options(p, vi);
	if (vi->auth_type == CFG_AUTH_HMAC) {
		fputs("      authentication:\n", p->f);
		pstr(p, 8, "type", "hmac");
		fputs("        keys:\n", p->f);
		for (size_t i = 0; i < vi->n_hmac_keys; i++) {
			p->dash = true;
			pfmt(p, 12, "id", "%u", vi->hmac_keys[i].id);
			pstr(p, 12, "secret", vi->hmac_keys[i].secret);
		}
		pfmt(p, 8, "send_key", "%u", vi->hmac_send_key);
	} else if (vi->version == 2) {
		fputs("      authentication:\n", p->f);
		pstr(p, 8, "type", vi->auth_type == CFG_AUTH_PASS ? "pass" : "none");
		if (vi->auth_type == CFG_AUTH_PASS)
			pstr(p, 8, "password", vi->auth_pass);
	}
	print_tracks(p, vi);
	fputs("      garp:\n", p->f);
	pfmt(p, 8, "repeat", "%u", vi->garp.repeat);
	pms(p, 8, "interval", vi->garp.interval);
	pms(p, 8, "refresh", vi->garp.refresh);
	pms(p, 8, "second_burst_delay", vi->garp.second_burst_delay);
	print_notify(p, 6, &vi->notify);
}

static void print_vrrp(struct pr *p, const struct cfg_vrrp *v)
{
	fprintf(p->f, "vrrp:\n  scripts:%s\n", v->n_scripts ? "" : " {}");
	for (size_t i = 0; i < v->n_scripts; i++) {
		const struct cfg_vrrp_script *s = &v->scripts[i];

		ind(p, 4);
		scalar(p, s->name, false);
		fputs(":\n", p->f);
		pargv(p, 6, "command", &s->command);
		pms(p, 6, "interval", s->interval);
		pms(p, 6, "timeout", s->timeout);
		pfmt(p, 6, "rise", "%u", s->rise);
		pfmt(p, 6, "fall", "%u", s->fall);
		pfmt(p, 6, "weight", "%d", s->weight);
	}
	fprintf(p->f, "  instances:%s\n", v->n_instances ? "" : " []");
	for (size_t i = 0; i < v->n_instances; i++)
		print_instance(p, &v->instances[i]);
	fprintf(p->f, "  sync_groups:%s\n", v->n_sync_groups ? "" : " []");
	for (size_t i = 0; i < v->n_sync_groups; i++) {
		const struct cfg_sync_group *g = &v->sync_groups[i];

		p->dash = true;
		pstr(p, 6, "name", g->name);
		pstrv(p, 6, "instances", g->instances, g->n_instances);
		print_notify(p, 6, &g->notify);
	}
}

static void print_ipvs(struct pr *p, const struct cfg_ipvs *ip)
{
	fputs("ipvs:\n", p->f);
	if (ip->sync_daemon.enabled) {
		fputs("  sync_daemon:\n", p->f);
		pstr(p, 4, "interface", ip->sync_daemon.interface);
		pstr(p, 4, "follow_instance", ip->sync_daemon.follow_instance);
		if (ip->sync_daemon.mode != CFG_SYNC_FOLLOW)
			pstr(p, 4, "mode", config_sync_mode_name(ip->sync_daemon.mode));
		pfmt(p, 4, "sync_id", "%u", ip->sync_daemon.sync_id);
		if (ip->sync_daemon.maxlen)
			pfmt(p, 4, "maxlen", "%u", ip->sync_daemon.maxlen);
		if (ip->sync_daemon.port)
			pfmt(p, 4, "port", "%u", ip->sync_daemon.port);
		if (ip->sync_daemon.ttl)
			pfmt(p, 4, "ttl", "%u", ip->sync_daemon.ttl);
		if (ip->sync_daemon.group.family)
			paddr(p, 4, "group", &ip->sync_daemon.group);
	}
	if (ip->timeouts_set) {
		fputs("  timeouts:\n", p->f);
		pms(p, 4, "tcp", ip->timeout_tcp);
		pms(p, 4, "tcpfin", ip->timeout_tcpfin);
		pms(p, 4, "udp", ip->timeout_udp);
	}
	pbool(p, 2, "flush_on_stop", ip->flush_on_stop);
}

static void print_status(struct pr *p, int n, const struct cfg_check_http *h)
{
	key(p, n, "status");
	fputs(" [", p->f);
	for (size_t i = 0; i < h->n_status; i++) {
		fputs(i ? ", " : "", p->f);
		if (h->status[i].lo == h->status[i].hi)
			fprintf(p->f, "%u", h->status[i].lo);
		else
			fprintf(p->f, "\"%u-%u\"", h->status[i].lo, h->status[i].hi);
	}
	fputs("]\n", p->f);
}

static void print_http(struct pr *p, int n, const struct cfg_check_http *h, bool https)
{
	pstr(p, n, "path", h->path);
	pstr(p, n, "method", h->head ? "HEAD" : "GET");
	pstr(p, n, "host", h->host);
	if (h->n_headers)
		pstrv(p, n, "headers", h->headers, h->n_headers);
	print_status(p, n, h);
	if (h->digest_kind != CFG_DIGEST_NONE) {
		size_t len = h->digest_kind == CFG_DIGEST_MD5 ? 16 : 32;

		fprintf(p->f, "%*sdigest:\n%*s%s: ", n, "", n + 2, "",
			h->digest_kind == CFG_DIGEST_MD5 ? "md5" : "sha256");
		for (size_t i = 0; i < len; i++)
			fprintf(p->f, "%02x", h->digest[i]);
		fputc('\n', p->f);
	}
	pstr(p, n, "body_regex", h->body_regex);
	pfmt(p, n, "max_body", "%zu", h->max_body);
	pbool(p, n, "reuse_connection", h->reuse_connection);
	if (!https)
		return;
	pstr(p, n, "sni", h->sni);
	pstr(p, n, "ca_file", h->ca_file);
	pbool(p, n, "verify", h->verify);
	pstr(p, n, "client_cert", h->client_cert);
	pstr(p, n, "client_key", h->client_key);
	pfmt(p, n, "cert_expiry_warn_days", "%u", h->cert_expiry_warn_days);
}

static const char *dns_type_name(uint16_t t)
{
	switch (t) {
	case 2: return "NS";
	case 5: return "CNAME";
	case 6: return "SOA";
	case 15: return "MX";
	case 16: return "TXT";
	case 28: return "AAAA";
	default: return "A";
	}
}

static void print_kind(struct pr *p, int n, const struct cfg_check *chk)
{
	bool empty = chk->kind == CFG_CHECK_PING ||
		     (chk->kind == CFG_CHECK_TCP && !chk->tcp.send && !chk->tcp.expect);

	key(p, n, config_check_kind_name(chk->kind));
	fputs(empty ? " {}\n" : "\n", p->f);
	n += 2;
	switch (chk->kind) {
	case CFG_CHECK_HTTP:
	case CFG_CHECK_HTTPS:
		print_http(p, n, &chk->http, chk->kind == CFG_CHECK_HTTPS);
		break;
	case CFG_CHECK_TCP:
		pstr(p, n, "send", chk->tcp.send);
		pstr(p, n, "expect", chk->tcp.expect);
		break;
	case CFG_CHECK_SCRIPT:
		pargv(p, n, "command", &chk->script.command);
		pbool(p, n, "dynamic", chk->script.dynamic);
		break;
	case CFG_CHECK_SMTP:
		pstr(p, n, "helo_name", chk->smtp.helo_name);
		break;
	case CFG_CHECK_DNS:
		pstr(p, n, "name", chk->dns.name);
		pstr(p, n, "type", dns_type_name(chk->dns.type));
		break;
	case CFG_CHECK_UDP:
		pstr(p, n, "payload", chk->udp.payload);
		pstr(p, n, "expect", chk->udp.expect);
		break;
	default:
		break;
	}
}

static void print_check(struct pr *p, int n, const struct cfg_check *chk)
{
	fprintf(p->f, "%*scheck:\n", n, "");
	print_kind(p, n + 2, chk);
	pms(p, n + 2, "interval", chk->interval);
	pms(p, n + 2, "timeout", chk->timeout);
	pfmt(p, n + 2, "retry", "%u", chk->retry);
	pms(p, n + 2, "retry_delay", chk->retry_delay);
	pfmt(p, n + 2, "rise", "%u", chk->rise);
	pms(p, n + 2, "warmup", chk->warmup);
	pbool(p, n + 2, "alpha", chk->alpha);
	if (chk->has_connect_address)
		paddr(p, n + 2, "connect_address", &chk->connect_address);
	if (chk->connect_port)
		pfmt(p, n + 2, "connect_port", "%u", chk->connect_port);
}

static void print_tunnel(struct pr *p, int ind, const struct cfg_tunnel *t)
{
	fprintf(p->f, "%*stunnel:\n", ind, "");
	pstr(p, ind + 2, "type", config_tun_type_name(t->type));
	if (t->type == CFG_TUN_GUE)
		pfmt(p, ind + 2, "port", "%u", t->port);
	if (t->type != CFG_TUN_IPIP)
		pstr(p, ind + 2, "checksum", config_tun_csum_name(t->checksum));
}

static void print_rs(struct pr *p, const struct cfg_real_server *rs)
{
	p->dash = true;
	paddr(p, 8, "address", &rs->address);
	if (rs->port)
		pfmt(p, 8, "port", "%u", rs->port);
	pfmt(p, 8, "weight", "%d", rs->weight);
	pstr(p, 8, "forwarding", config_fwd_name(rs->forwarding));
	if (rs->forwarding == CFG_FWD_TUN)
		print_tunnel(p, 8, &rs->tunnel);
	pfmt(p, 8, "u_threshold", "%u", rs->u_threshold);
	pfmt(p, 8, "l_threshold", "%u", rs->l_threshold);
	if (rs->check.kind != CFG_CHECK_NONE)
		print_check(p, 8, &rs->check);
}

static void print_vs_head(struct pr *p, const struct cfg_virtual_server *vs)
{
	p->dash = true;
	pstr(p, 4, "name", vs->name);
	if (vs->is_fwmark) {
		pfmt(p, 4, "fwmark", "%u", vs->fwmark);
		pstr(p, 4, "family", vs->family == AF_INET6 ? "inet6" : "inet");
	} else {
		paddr(p, 4, "address", &vs->address);
		pfmt(p, 4, "port", "%u", vs->port);
	}
	pstr(p, 4, "protocol", config_proto_name(vs->protocol));
	pstr(p, 4, "scheduler", vs->scheduler);
	if (vs->n_sched_flags)
		pstrv(p, 4, "sched_flags", vs->sched_flags, vs->n_sched_flags);
	pstr(p, 4, "forwarding", config_fwd_name(vs->forwarding));
	if (vs->forwarding == CFG_FWD_TUN)
		print_tunnel(p, 4, &vs->tunnel);
}

static void print_vs(struct pr *p, const struct cfg_virtual_server *vs)
{
	print_vs_head(p, vs);
	if (vs->persistence) {
		fputs("    persistence:\n", p->f);
		pms(p, 6, "timeout", vs->persistence_timeout);
		if (vs->family == AF_INET6)
			pfmt(p, 6, "netmask", "%u", vs->persistence_prefix);
		else
			paddr(p, 6, "netmask", &vs->persistence_netmask);
		if (vs->persistence_engine)
			pstr(p, 6, "engine", vs->persistence_engine);
	}
	pfmt(p, 4, "quorum", "%u", vs->quorum);
	pfmt(p, 4, "hysteresis", "%u", vs->hysteresis);
	pbool(p, 4, "inhibit_on_failure", vs->inhibit_on_failure);
	if (vs->has_sorry_server) {
		fputs("    sorry_server:\n", p->f);
		paddr(p, 6, "address", &vs->sorry_address);
		if (vs->sorry_port)
			pfmt(p, 6, "port", "%u", vs->sorry_port);
		pstr(p, 6, "forwarding", config_fwd_name(vs->sorry_forwarding));
	}
	fprintf(p->f, "    real_servers:%s\n", vs->n_real_servers ? "" : " []");
	for (size_t i = 0; i < vs->n_real_servers; i++)
		print_rs(p, &vs->real_servers[i]);
}

void config_print(const struct halo_config *cfg, FILE *out)
{
	struct pr p = { .f = out };

	print_global(&p, &cfg->global);
	print_vrrp(&p, &cfg->vrrp);
	print_ipvs(&p, &cfg->ipvs);
	fprintf(out, "virtual_servers:%s\n", cfg->n_virtual_servers ? "" : " []");
	for (size_t i = 0; i < cfg->n_virtual_servers; i++)
		print_vs(&p, &cfg->virtual_servers[i]);
}
