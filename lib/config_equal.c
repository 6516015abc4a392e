/* Deep equality of config objects for reload: positions in the file are
 * ignored, everything an operator can set is compared. Pure. */
#include <string.h>

#include "config_priv.h"

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool strv_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!str_eq(a[i], b[i]))
			return false;
	return true;
}

bool cfg_argv_equal(const struct cfg_argv *a, const struct cfg_argv *b)
{
	return strv_eq(a->argv, a->argc, b->argv, b->argc);
}

static bool addr_eq(const struct halo_addr *a, const struct halo_addr *b)
{
	return a->family == b->family && halo_addr_eq(a, b);
}

static bool notify_eq(const struct cfg_notify *a, const struct cfg_notify *b)
{
	return cfg_argv_equal(&a->master, &b->master) && cfg_argv_equal(&a->backup, &b->backup) &&
	       cfg_argv_equal(&a->fault, &b->fault) && cfg_argv_equal(&a->stop, &b->stop) &&
	       cfg_argv_equal(&a->any, &b->any) && a->timeout == b->timeout;
}

static bool vaddrs_eq(const struct cfg_vrrp_instance *a, const struct cfg_vrrp_instance *b)
{
	if (a->n_vaddrs != b->n_vaddrs)
		return false;
	for (size_t i = 0; i < a->n_vaddrs; i++) {
		const struct cfg_vaddr *x = &a->vaddrs[i], *y = &b->vaddrs[i];

		if (!addr_eq(&x->addr, &y->addr) || x->prefixlen != y->prefixlen ||
		    !str_eq(x->dev, y->dev) || !str_eq(x->label, y->label))
			return false;
	}
	return true;
}

static bool track_more_eq(const struct cfg_vrrp_instance *a, const struct cfg_vrrp_instance *b)
{
	if (a->n_track_files != b->n_track_files || a->n_track_processes != b->n_track_processes)
		return false;
	for (size_t i = 0; i < a->n_track_files; i++)
		if (!str_eq(a->track_files[i].path, b->track_files[i].path) ||
		    a->track_files[i].weight != b->track_files[i].weight ||
		    a->track_files[i].reverse != b->track_files[i].reverse)
			return false;
	for (size_t i = 0; i < a->n_track_processes; i++)
		if (!str_eq(a->track_processes[i].name, b->track_processes[i].name) ||
		    a->track_processes[i].quorum != b->track_processes[i].quorum ||
		    a->track_processes[i].weight != b->track_processes[i].weight ||
		    a->track_processes[i].reverse != b->track_processes[i].reverse)
			return false;
	if (a->n_track_vss != b->n_track_vss)
		return false;
	for (size_t i = 0; i < a->n_track_vss; i++)
		if (!str_eq(a->track_vss[i].ref, b->track_vss[i].ref) ||
		    a->track_vss[i].protocol != b->track_vss[i].protocol ||
		    a->track_vss[i].weight != b->track_vss[i].weight || a->track_vss[i].vs != b->track_vss[i].vs)
			return false;
	return true;
}

static bool tracks_eq(const struct cfg_vrrp_instance *a, const struct cfg_vrrp_instance *b)
{
	if (a->n_track_ifs != b->n_track_ifs || a->n_track_scripts != b->n_track_scripts)
		return false;
	for (size_t i = 0; i < a->n_track_ifs; i++)
		if (!str_eq(a->track_ifs[i].name, b->track_ifs[i].name) ||
		    a->track_ifs[i].weight != b->track_ifs[i].weight ||
		    a->track_ifs[i].reverse != b->track_ifs[i].reverse ||
		    a->track_ifs[i].delay_up != b->track_ifs[i].delay_up ||
		    a->track_ifs[i].delay_down != b->track_ifs[i].delay_down)
			return false;
	for (size_t i = 0; i < a->n_track_scripts; i++)
		if (!str_eq(a->track_scripts[i].name, b->track_scripts[i].name) ||
		    a->track_scripts[i].weight != b->track_scripts[i].weight ||
		    a->track_scripts[i].weight_set != b->track_scripts[i].weight_set ||
		    a->track_scripts[i].reverse != b->track_scripts[i].reverse)
			return false;
	return track_more_eq(a, b);
}

static bool unicast_eq(const struct cfg_vrrp_instance *a, const struct cfg_vrrp_instance *b)
{
	if (a->has_unicast_source != b->has_unicast_source || a->n_unicast_peers != b->n_unicast_peers)
		return false;
	if (a->has_unicast_source && !addr_eq(&a->unicast_source, &b->unicast_source))
		return false;
	for (size_t i = 0; i < a->n_unicast_peers; i++)
		if (!addr_eq(&a->unicast_peers[i], &b->unicast_peers[i]) ||
		    a->unicast_peer_ttl[i].min != b->unicast_peer_ttl[i].min ||
		    a->unicast_peer_ttl[i].max != b->unicast_peer_ttl[i].max)
			return false;
	if (a->n_hmac_keys != b->n_hmac_keys || a->hmac_send_key != b->hmac_send_key)
		return false;
	for (size_t i = 0; i < a->n_hmac_keys; i++)
		if (a->hmac_keys[i].id != b->hmac_keys[i].id || !str_eq(a->hmac_keys[i].secret, b->hmac_keys[i].secret))
			return false;
	return a->check_unicast_source == b->check_unicast_source &&
	       a->unicast_fault_no_peer == b->unicast_fault_no_peer;
}

bool config_instance_equal(const struct cfg_vrrp_instance *a, const struct cfg_vrrp_instance *b)
{
	return str_eq(a->name, b->name) && str_eq(a->interface, b->interface) &&
	       a->vrid == b->vrid && a->priority == b->priority && a->version == b->version &&
	       a->family == b->family && a->advert_interval == b->advert_interval &&
	       a->preempt == b->preempt && a->preempt_delay == b->preempt_delay &&
	       a->accept == b->accept && a->v3_checksum == b->v3_checksum &&
	       vaddrs_eq(a, b) && unicast_eq(a, b) && a->auth_type == b->auth_type &&
	       !memcmp(a->auth_pass, b->auth_pass, sizeof(a->auth_pass)) && tracks_eq(a, b) &&
	       a->garp.repeat == b->garp.repeat && a->garp.interval == b->garp.interval &&
	       a->garp.refresh == b->garp.refresh &&
	       a->garp.second_burst_delay == b->garp.second_burst_delay &&
	       a->startup_delay == b->startup_delay && a->startup_hold == b->startup_hold &&
	       a->use_vmac == b->use_vmac && a->vmac_xmit_base == b->vmac_xmit_base &&
	       notify_eq(&a->notify, &b->notify);
}

static bool http_eq(const struct cfg_check_http *a, const struct cfg_check_http *b)
{
	if (a->n_status != b->n_status)
		return false;
	for (size_t i = 0; i < a->n_status; i++)
		if (a->status[i].lo != b->status[i].lo || a->status[i].hi != b->status[i].hi)
			return false;
	return str_eq(a->path, b->path) && a->head == b->head && str_eq(a->host, b->host) &&
	       strv_eq(a->headers, a->n_headers, b->headers, b->n_headers) &&
	       a->digest_kind == b->digest_kind && !memcmp(a->digest, b->digest, sizeof(a->digest)) &&
	       str_eq(a->body_regex, b->body_regex) && a->max_body == b->max_body &&
	       a->reuse_connection == b->reuse_connection &&
	       str_eq(a->sni, b->sni) && str_eq(a->ca_file, b->ca_file) && a->verify == b->verify &&
	       str_eq(a->client_cert, b->client_cert) && str_eq(a->client_key, b->client_key) &&
	       a->cert_expiry_warn_days == b->cert_expiry_warn_days;
}

static bool kind_eq(const struct cfg_check *a, const struct cfg_check *b)
{
	switch (a->kind) {
	case CFG_CHECK_HTTP:
	case CFG_CHECK_HTTPS:
		return http_eq(&a->http, &b->http);
	case CFG_CHECK_TCP:
		return str_eq(a->tcp.send, b->tcp.send) && str_eq(a->tcp.expect, b->tcp.expect);
	case CFG_CHECK_SCRIPT:
		return cfg_argv_equal(&a->script.command, &b->script.command) &&
		       a->script.dynamic == b->script.dynamic;
	case CFG_CHECK_SMTP:
		return str_eq(a->smtp.helo_name, b->smtp.helo_name);
	case CFG_CHECK_DNS:
		return str_eq(a->dns.name, b->dns.name) && a->dns.type == b->dns.type;
	case CFG_CHECK_UDP:
		return str_eq(a->udp.payload, b->udp.payload) && str_eq(a->udp.expect, b->udp.expect);
	default:
		return true;
	}
}

bool config_check_equal(const struct cfg_check *a, const struct cfg_check *b)
{
	if (a->kind != b->kind || !kind_eq(a, b))
		return false;
	if (a->has_connect_address != b->has_connect_address ||
	    (a->has_connect_address && !addr_eq(&a->connect_address, &b->connect_address)))
		return false;
	return a->connect_port == b->connect_port && a->interval == b->interval &&
	       a->timeout == b->timeout && a->retry == b->retry && a->retry_delay == b->retry_delay &&
	       a->rise == b->rise && a->warmup == b->warmup && a->alpha == b->alpha;
}
