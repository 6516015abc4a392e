/* halo-ipvs-sync's control socket: status as JSON (the kernel's table with
 * connection counts, counters, producers), reload, resync and a subscription
 * to reconcile passes. Reads state, decides nothing. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "io_state.h"
#include "ipvsd.h"
#include "log.h"

#define ADD(o, k, v) json_object_object_add((o), (k), (v))
#define U64(v) json_object_new_int64((int64_t)(v))

static const char *fwd_name(uint32_t fwd)
{
	switch (fwd & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ: return "nat";
	case IP_VS_CONN_F_TUNNEL: return "tun";
	case IP_VS_CONN_F_DROUTE: return "dr";
	case IP_VS_CONN_F_LOCALNODE: return "local";
	}
	return "?";
}

static struct json_object *dest_json(const struct ipvs_service *s, const struct ipvs_dest *dst)
{
	struct json_object *o = json_object_new_object();
	char b[IPVS_SVC_STRLEN], a[HALO_ADDRSTRLEN];

	ADD(o, "rs", json_object_new_string(ipvs_dest_str(s, dst, b)));
	ADD(o, "address", json_object_new_string(halo_addr_str(&dst->addr, a)));
	ADD(o, "port", json_object_new_int(dst->port));
	ADD(o, "forwarding", json_object_new_string(fwd_name(dst->fwd)));
	ADD(o, "weight", json_object_new_int(dst->weight));
	ADD(o, "u_threshold", U64(dst->u_thresh));
	ADD(o, "l_threshold", U64(dst->l_thresh));
	ADD(o, "active_conns", U64(dst->active_conns));
	ADD(o, "inactive_conns", U64(dst->inact_conns));
	ADD(o, "persistent_conns", U64(dst->persist_conns));
	ADD(o, "conns", U64(dst->stats.conns));
	ADD(o, "in_bytes", U64(dst->stats.inbytes));
	ADD(o, "out_bytes", U64(dst->stats.outbytes));
	return o;
}

static struct json_object *service_json(const struct ipvs_service *s)
{
	struct json_object *o = json_object_new_object(), *arr = json_object_new_array();
	char b[IPVS_SVC_STRLEN];

	ADD(o, "vs", json_object_new_string(ipvs_service_str(s, b)));
	ADD(o, "scheduler", json_object_new_string(s->sched_name));
	ADD(o, "flags", U64(s->flags));
	ADD(o, "persistent", json_object_new_boolean(s->flags & IP_VS_SVC_F_PERSISTENT));
	ADD(o, "timeout", U64(s->timeout));
	if (s->af == AF_INET) {
		struct in_addr m = { .s_addr = s->netmask };
		char a[INET_ADDRSTRLEN];

		ADD(o, "netmask", json_object_new_string(inet_ntop(AF_INET, &m, a, sizeof(a))));
	} else {
		ADD(o, "netmask", U64(s->netmask));
	}
	ADD(o, "conns", U64(s->stats.conns));
	for (size_t i = 0; i < s->n_dests; i++)
		json_object_array_add(arr, dest_json(s, &s->dests[i]));
	ADD(o, "real_servers", arr);
	return o;
}

static struct json_object *counters_json(const struct ipvsd *d)
{
	const struct ipvs_nl_counters *nc = ipvs_nl_counters(d->nl);
	struct json_object *o = json_object_new_object();

	ADD(o, "reconciles", U64(d->c.reconciles));
	ADD(o, "full_passes", U64(d->c.full_passes));
	ADD(o, "reconcile_failures", U64(d->c.reconcile_failures));
	ADD(o, "last_ops", U64(d->c.last_ops));
	ADD(o, "last_failed", U64(d->c.last_failed));
	ADD(o, "last_pass_ms", json_object_new_double((double)d->c.last_pass_us / 1000.0));
	ADD(o, "max_pass_ms", json_object_new_double((double)d->c.max_pass_us / 1000.0));
	ADD(o, "last_build_ms", json_object_new_double((double)d->c.last_build_us / 1000.0));
	ADD(o, "last_dump_ms", json_object_new_double((double)d->c.last_dump_us / 1000.0));
	ADD(o, "last_diff_ms", json_object_new_double((double)d->c.last_diff_us / 1000.0));
	ADD(o, "last_apply_ms", json_object_new_double((double)d->c.last_apply_us / 1000.0));
	{
		static const char *const part[] = { "pass_ms", "build_ms", "dump_ms", "diff_ms", "apply_ms" };
		struct json_object *w = json_object_new_object();

		ADD(w, "ops", U64(d->c.write_pass_ops));
		for (int i = 0; i < 5; i++)
			ADD(w, part[i], json_object_new_double((double)d->c.write_pass_us[i] / 1000.0));
		ADD(o, "last_write_pass", w);
	}
	for (int k = IPVS_OP_ADD_SERVICE; k <= IPVS_OP_DEL_SERVICE; k++)
		ADD(o, ipvs_op_kind_name((enum ipvs_op_kind)k), U64(d->c.ops[k]));
	ADD(o, "ops_sent", U64(nc->ops_sent));
	ADD(o, "ops_failed", U64(nc->ops_failed));
	ADD(o, "ops_already_done", U64(nc->ops_benign));
	ADD(o, "write_sendmsgs", U64(nc->sendmsgs));
	ADD(o, "dumps", U64(nc->dumps));
	ADD(o, "dump_errors", U64(nc->dump_errors));
	ADD(o, "reloads", U64(d->c.reloads));
	ADD(o, "reload_failures", U64(d->c.reload_failures));
	ADD(o, "checker_messages", U64(d->c.checker_msgs));
	ADD(o, "checker_bad_messages", U64(d->c.checker_bad));
	ADD(o, "checker_unknown_servers", U64(d->c.checker_unknown));
	ADD(o, "vrrp_messages", U64(d->c.vrrp_msgs));
	ADD(o, "sync_daemon_changes", U64(d->c.daemon_changes));
	ADD(o, "sync_daemon_errors", U64(d->c.daemon_errors));
	return o;
}

static struct json_object *sync_json(struct ipvsd *d)
{
	struct json_object *o = json_object_new_object(), *arr = json_object_new_array();
	const struct cfg_sync_daemon *sd = &d->cfg->ipvs.sync_daemon;
	struct ipvs_daemon dm[4];
	size_t n = 0;

	ADD(o, "enabled", json_object_new_boolean(sd->enabled));
	if (sd->follow_instance) {
		ADD(o, "follow_instance", json_object_new_string(sd->follow_instance));
		ADD(o, "instance_state", json_object_new_string(d->follow_state));
	}
	ADD(o, "vrrpd_connected", json_object_new_boolean(d->vrrp_up));
	if (ipvs_nl_get_daemons(d->nl, dm, 4, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct json_object *k = json_object_new_object();

			ADD(k, "state", json_object_new_string(dm[i].state == IP_VS_STATE_MASTER ? "master" : "backup"));
			ADD(k, "interface", json_object_new_string(dm[i].mcast_ifn));
			ADD(k, "sync_id", U64(dm[i].sync_id));
			if (dm[i].group.family) {
				char g[HALO_ADDRSTRLEN];

				ADD(k, "group", json_object_new_string(halo_addr_str(&dm[i].group, g)));
			}
			ADD(k, "port", U64(dm[i].port));
			ADD(k, "ttl", U64(dm[i].ttl));
			ADD(k, "maxlen", U64(dm[i].maxlen));
			json_object_array_add(arr, k);
		}
	}
	ADD(o, "kernel_daemons", arr);
	return o;
}

static struct json_object *drained_json(const struct ipvsd *d)
{
	struct json_object *arr = json_object_new_array();
	char b[IPVS_DRAIN_STRLEN];

	for (size_t i = 0; i < d->drained.n; i++)
		json_object_array_add(arr, json_object_new_string(ipvs_drain_str(&d->drained.v[i], b)));
	return arr;
}

static struct json_object *status_json(struct ipvsd *d, const char *type)
{
	struct json_object *o = json_object_new_object(), *arr = json_object_new_array();
	struct ipvs_table t;

	ADD(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	ADD(o, "type", json_object_new_string(type));
	ADD(o, "ok", json_object_new_boolean(1));
	ADD(o, "daemon", json_object_new_string("halo-ipvs-sync"));
	ADD(o, "uptime_s", U64((ev_now_us() - d->started_us) / 1000000));
	ADD(o, "config", json_object_new_string(d->opts.config));
	ADD(o, "checker_connected", json_object_new_boolean(d->checker_up));
	ADD(o, "checker_seen", json_object_new_boolean(d->checker_seen));
	if (ipvs_nl_dump(d->nl, &t) == 0) {
		for (size_t i = 0; i < t.n_svcs; i++)
			json_object_array_add(arr, service_json(&t.svcs[i]));
		ipvs_table_free(&t);
	}
	ADD(o, "virtual_servers", arr);
	ADD(o, "sync_daemon", sync_json(d));
	ADD(o, "drained", drained_json(d));
	ADD(o, "counters", counters_json(d));
	return o;
}

/* {"cmd":"status","brief":true}: the counters and producers, no kernel dump. */
static struct json_object *brief_json(struct ipvsd *d)
{
	struct json_object *o = json_object_new_object();

	ADD(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	ADD(o, "type", json_object_new_string("status"));
	ADD(o, "ok", json_object_new_boolean(1));
	ADD(o, "daemon", json_object_new_string("halo-ipvs-sync"));
	ADD(o, "checker_connected", json_object_new_boolean(d->checker_up));
	ADD(o, "vrrpd_connected", json_object_new_boolean(d->vrrp_up));
	ADD(o, "instance_state", json_object_new_string(d->follow_state));
	ADD(o, "drained", drained_json(d));
	ADD(o, "counters", counters_json(d));
	return o;
}

static void reply_ok(struct ctl_client *c, bool ok, const char *error)
{
	struct json_object *o = json_object_new_object();

	ADD(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	ADD(o, "ok", json_object_new_boolean(ok));
	if (error)
		ADD(o, "error", json_object_new_string(error));
	ctl_reply(c, o);
	json_object_put(o);
}

/* How many configured real servers t names (every one up, as configured). */
static size_t drain_matches(struct ipvsd *d, const struct ipvs_drain_target *t)
{
	struct ipvs_table want;
	const char *err;
	size_t n;

	if (ipvs_desired_build(d->cfg, NULL, &want, &err) < 0)
		return 0;
	n = ipvs_drain_apply(NULL, t, &want);
	ipvs_table_free(&want);
	return n;
}

#define DRAIN_FILE "halo-ipvs-sync.drained"
#define DRAIN_FILE_MAX (64 * 1024)

/* The drained set outlives a crash or restart of halo-ipvs-sync (not a
 * reboot: the run dir is a tmpfs): without it a restarted daemon would give
 * drained servers their weight back, and its first pass would write. */
static void drain_save(struct ipvsd *d)
{
	char *text = ipvs_drain_format(&d->drained);

	if (!text || io_state_write(d->opts.run_dir, DRAIN_FILE, text) < 0)
		log_warn("saving the drained set to %s/%s", d->opts.run_dir, DRAIN_FILE);
	free(text);
}

void ipvsd_drain_restore(struct ipvsd *d)
{
	char *text = io_state_read(d->opts.run_dir, DRAIN_FILE, DRAIN_FILE_MAX);
	char b[IPVS_DRAIN_STRLEN];
	int bad;

	if (!text) {
		if (errno != ENOENT)
			log_warn("reading the drained set %s/%s", d->opts.run_dir, DRAIN_FILE);
		return;
	}
	bad = ipvs_drain_load(&d->drained, text);
	free(text);
	if (bad < 0)
		fatalx("out of memory");
	if (bad > 0)
		log_warnx("%s/%s: %d lines are not ADDR[:PORT]; skipped", d->opts.run_dir, DRAIN_FILE, bad);
	for (size_t i = 0; i < d->drained.n; i++)
		log_notice("Draining %s (kept from before the restart)", ipvs_drain_str(&d->drained.v[i], b));
}

/* {"cmd":"drain"|"undrain","target":"ADDR[:PORT]"}: the set changes, then a
 * pass writes the weights; the reply carries the whole set. */
static void ctl_drain(struct ipvsd *d, struct ctl_client *c, bool drain, struct json_object *req)
{
	struct ipvs_drain_target t;
	struct json_object *o, *tv;
	const char *err = NULL;
	char b[IPVS_DRAIN_STRLEN];
	size_t matched = 0;
	int rc = 0;

	if (!json_object_object_get_ex(req, "target", &tv) || !json_object_is_type(tv, json_type_string))
		err = "drain needs a string \"target\"";
	else if (!(err = ipvs_drain_parse(json_object_get_string(tv), &t)) && drain &&
	         !(matched = drain_matches(d, &t)))
		err = "no configured real server matches the target";
	else if (!err && (rc = drain ? ipvs_drain_add(&d->drained, &t) : ipvs_drain_del(&d->drained, &t)) < 0)
		err = "out of memory";
	else if (!err && !drain && rc == 1)
		err = "the target is not drained";
	if (err) {
		ctl_reply_error(c, err);
		return;
	}
	if (rc == 0) {
		log_notice("%s %s (%zu destinations)", drain ? "Draining" : "Undraining", ipvs_drain_str(&t, b),
		           drain ? matched : drain_matches(d, &t));
		drain_save(d);
	}
	ipvsd_kick(d);
	o = json_object_new_object();
	ADD(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	ADD(o, "ok", json_object_new_boolean(1));
	ADD(o, "target", json_object_new_string(ipvs_drain_str(&t, b)));
	ADD(o, "changed", json_object_new_boolean(rc == 0));
	ADD(o, "drained", drained_json(d));
	ctl_reply(c, o);
	json_object_put(o);
}

static void ctl_request(struct ctl_client *c, const char *cmd, struct json_object *req, void *arg)
{
	struct ipvsd *d = arg;
	struct json_object *o, *brief;

	if (strcmp(cmd, "status") == 0 && json_object_object_get_ex(req, "brief", &brief) &&
	    json_object_get_boolean(brief)) {
		o = brief_json(d);                 /* cheap: no kernel dump */
		ctl_reply(c, o);
		json_object_put(o);
	} else if (strcmp(cmd, "status") == 0 || strcmp(cmd, "subscribe") == 0) {
		bool sub = strcmp(cmd, "subscribe") == 0;

		o = status_json(d, sub ? "snapshot" : "status");
		if (sub)
			ctl_subscribe(c);
		ctl_reply(c, o);
		json_object_put(o);
	} else if (strcmp(cmd, "reload") == 0) {
		bool ok = ipvsd_reload(d) == 0;

		reply_ok(c, ok, ok ? NULL : "configuration rejected; see the log");
	} else if (strcmp(cmd, "resync") == 0) {
		bool ok = ipvsd_reconcile(d, true) == 0;

		reply_ok(c, ok, ok ? NULL : "reconcile failed; see the log");
	} else if (strcmp(cmd, "drain") == 0 || strcmp(cmd, "undrain") == 0) {
		ctl_drain(d, c, strcmp(cmd, "drain") == 0, req);
	} else {
		ctl_reply_error(c, "unknown command");
	}
}

int ipvsd_ctl_open(struct ipvsd *d)
{
	d->ctl = ctl_server_open(d->loop, d->opts.run_dir, "halo-ipvs-sync", ctl_request, d);
	return d->ctl ? 0 : -1;
}

void ipvsd_ctl_publish_pass(struct ipvsd *d, size_t n_ops, size_t failed)
{
	struct json_object *o;

	if (!d->ctl)
		return;
	o = json_object_new_object();
	ADD(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	ADD(o, "type", json_object_new_string("reconcile"));
	ADD(o, "ops", U64(n_ops));
	ADD(o, "failed", U64(failed));
	ADD(o, "counters", counters_json(d));
	ctl_publish(d->ctl, o);
	json_object_put(o);
}
