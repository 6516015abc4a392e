/* OpenMetrics exposition of halo's state; reads status JSON, writes text. */
#include "metrics.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

static const char *js(struct json_object *o, const char *k)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, k, &v) && v ? json_object_get_string(v) : "";
}

static double jd(struct json_object *o, const char *k)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, k, &v) && v ? json_object_get_double(v) : 0;
}

static struct json_object *jo(struct json_object *o, const char *k)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

/* label value escaping per OpenMetrics: backslash, double quote, newline */
static void esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n') {
			fputs("\\n", out);
			continue;
		}
		fputc(*s, out);
	}
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# TYPE %s %s\n# HELP %s %s\n", name, type, name, help);
}

/* name{k1="v1",k2="v2"} value — labels as alternating key/value, NULL ended */
static void sample(FILE *out, const char *name, double value, ...)
{
	va_list ap;
	const char *k;
	int n = 0;

	fputs(name, out);
	va_start(ap, value);
	while ((k = va_arg(ap, const char *))) {
		fputs(n++ ? "," : "{", out);
		fprintf(out, "%s=\"", k);
		esc(out, va_arg(ap, const char *));
		fputc('"', out);
	}
	va_end(ap);
	if (n)
		fputc('}', out);
	if (value == (double)(long long)value)
		fprintf(out, " %lld\n", (long long)value);
	else
		fprintf(out, " %.6f\n", value);
}

static size_t alen(struct json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static void vrrp_metrics(struct json_object *st, FILE *out)
{
	static const char *const states[] = { "INIT", "BACKUP", "MASTER", "FAULT" };
	static const struct { const char *key, *name, *help; } ctr[] = {
		{ "transitions", "halo_vrrp_transitions", "state transitions" },
		{ "adverts_sent", "halo_vrrp_adverts_sent", "adverts sent" },
		{ "adverts_received", "halo_vrrp_adverts_received", "adverts received and accepted" },
	};
	struct json_object *insts = jo(st, "instances"), *ifs = jo(st, "interfaces");

	family(out, "halo_vrrp_instance_state", "stateset", "VRRP instance state");
	for (size_t i = 0; i < alen(insts); i++) {
		struct json_object *in = json_object_array_get_idx(insts, i);
		for (size_t s = 0; s < 4; s++)
			sample(out, "halo_vrrp_instance_state", strcmp(js(in, "state"), states[s]) == 0,
			       "instance", js(in, "name"), "halo_vrrp_instance_state", states[s], NULL);
	}
	family(out, "halo_vrrp_instance_priority", "gauge", "effective priority");
	for (size_t i = 0; i < alen(insts); i++) {
		struct json_object *in = json_object_array_get_idx(insts, i);
		sample(out, "halo_vrrp_instance_priority", jd(in, "priority"), "instance", js(in, "name"),
		       "vrid", js(in, "vrid"), "interface", js(in, "interface"), NULL);
	}
	for (size_t c = 0; c < sizeof(ctr) / sizeof(ctr[0]); c++) {
		char total[96];
		snprintf(total, sizeof(total), "%s_total", ctr[c].name);
		family(out, ctr[c].name, "counter", ctr[c].help);
		for (size_t i = 0; i < alen(insts); i++) {
			struct json_object *in = json_object_array_get_idx(insts, i);
			sample(out, total, jd(in, ctr[c].key), "instance", js(in, "name"), NULL);
		}
	}
	family(out, "halo_vrrp_drops", "counter", "received VRRP packets dropped, by reason");
	for (size_t i = 0; i < alen(insts); i++) {
		struct json_object *in = json_object_array_get_idx(insts, i), *d = jo(in, "drops");
		if (!d)
			continue;
		json_object_object_foreach(d, k, v)
			sample(out, "halo_vrrp_drops_total", json_object_get_double(v), "instance", js(in, "name"),
			       "reason", k, NULL);
	}
	for (size_t i = 0; i < alen(ifs); i++) {
		struct json_object *f = json_object_array_get_idx(ifs, i), *d = jo(f, "drops");
		if (!d)
			continue;
		json_object_object_foreach(d, k, v)
			sample(out, "halo_vrrp_drops_total", json_object_get_double(v), "interface", js(f, "name"),
			       "family", js(f, "family"), "reason", k, NULL);
	}
}

static void checker_metrics(struct json_object *st, FILE *out)
{
	struct json_object *rs = jo(st, "real_servers");

	family(out, "halo_real_server_up", "gauge", "1 when the real server passes its check");
	for (size_t i = 0; i < alen(rs); i++) {
		struct json_object *r = json_object_array_get_idx(rs, i);
		sample(out, "halo_real_server_up", json_object_get_boolean(jo(r, "up")), "vs", js(r, "vs"),
		       "rs", js(r, "rs"), NULL);
	}
	family(out, "halo_real_server_weight", "gauge", "weight the checker publishes");
	for (size_t i = 0; i < alen(rs); i++) {
		struct json_object *r = json_object_array_get_idx(rs, i);
		sample(out, "halo_real_server_weight", jd(r, "weight"), "vs", js(r, "vs"), "rs", js(r, "rs"), NULL);
	}
	family(out, "halo_check_latency_seconds", "gauge", "latency of the last check");
	for (size_t i = 0; i < alen(rs); i++) {
		struct json_object *r = json_object_array_get_idx(rs, i);
		sample(out, "halo_check_latency_seconds", jd(r, "latency_ms") / 1000.0, "vs", js(r, "vs"),
		       "rs", js(r, "rs"), NULL);
	}
	family(out, "halo_checks", "counter", "checks run");
	for (size_t i = 0; i < alen(rs); i++) {
		struct json_object *r = json_object_array_get_idx(rs, i);
		sample(out, "halo_checks_total", jd(r, "checks"), "vs", js(r, "vs"), "rs", js(r, "rs"), NULL);
	}
	family(out, "halo_check_failures", "counter", "checks that failed");
	for (size_t i = 0; i < alen(rs); i++) {
		struct json_object *r = json_object_array_get_idx(rs, i);
		sample(out, "halo_check_failures_total", jd(r, "failures"), "vs", js(r, "vs"), "rs", js(r, "rs"), NULL);
	}
}

static void ipvs_metrics(struct json_object *st, FILE *out)
{
	static const struct { const char *key, *name, *type, *help; } dst[] = {
		{ "weight", "halo_ipvs_destination_weight", "gauge", "weight in the kernel table" },
		{ "active_conns", "halo_ipvs_destination_active_connections", "gauge", "active connections" },
		{ "inactive_conns", "halo_ipvs_destination_inactive_connections", "gauge", "inactive connections" },
		{ "conns", "halo_ipvs_destination_connections", "counter", "connections scheduled" },
		{ "in_bytes", "halo_ipvs_destination_in_bytes", "counter", "bytes in" },
		{ "out_bytes", "halo_ipvs_destination_out_bytes", "counter", "bytes out" },
	};
	struct json_object *vs = jo(st, "virtual_servers"), *sd = jo(st, "sync_daemon");

	family(out, "halo_ipvs_service_connections", "counter", "connections scheduled by the service");
	for (size_t i = 0; i < alen(vs); i++) {
		struct json_object *v = json_object_array_get_idx(vs, i);
		sample(out, "halo_ipvs_service_connections_total", jd(v, "conns"), "vs", js(v, "vs"), NULL);
	}
	for (size_t k = 0; k < sizeof(dst) / sizeof(dst[0]); k++) {
		char name[96];
		bool counter = strcmp(dst[k].type, "counter") == 0;
		snprintf(name, sizeof(name), counter ? "%s_total" : "%s", dst[k].name);
		family(out, dst[k].name, dst[k].type, dst[k].help);
		for (size_t i = 0; i < alen(vs); i++) {
			struct json_object *v = json_object_array_get_idx(vs, i), *rs = jo(v, "real_servers");
			for (size_t j = 0; j < alen(rs); j++) {
				struct json_object *r = json_object_array_get_idx(rs, j);
				sample(out, name, jd(r, dst[k].key), "vs", js(v, "vs"), "rs", js(r, "rs"), NULL);
			}
		}
	}
	family(out, "halo_ipvs_sync_daemon", "gauge", "kernel connection-sync threads running");
	struct json_object *kd = jo(sd, "kernel_daemons");
	for (size_t i = 0; i < alen(kd); i++) {
		struct json_object *d = json_object_array_get_idx(kd, i);
		sample(out, "halo_ipvs_sync_daemon", 1, "state", js(d, "state"), "interface", js(d, "interface"),
		       "sync_id", js(d, "sync_id"), NULL);
	}
	family(out, "halo_ipvs_operations", "counter", "IPVS write operations sent");
	sample(out, "halo_ipvs_operations_total", jd(jo(st, "counters"), "ops_sent"), NULL);
	family(out, "halo_ipvs_operation_failures", "counter", "IPVS write operations the kernel refused");
	sample(out, "halo_ipvs_operation_failures_total", jd(jo(st, "counters"), "ops_failed"), NULL);
}

void metrics_render(struct json_object *vrrp, struct json_object *checker, struct json_object *ipvs, FILE *out)
{
	family(out, "halo_up", "gauge", "1 when the daemon answered");
	sample(out, "halo_up", vrrp != NULL, "daemon", "halo-vrrpd", NULL);
	sample(out, "halo_up", checker != NULL, "daemon", "halo-checker", NULL);
	sample(out, "halo_up", ipvs != NULL, "daemon", "halo-ipvs-sync", NULL);
	if (vrrp)
		vrrp_metrics(vrrp, out);
	if (checker)
		checker_metrics(checker, out);
	if (ipvs)
		ipvs_metrics(ipvs, out);
	fputs("# EOF\n", out);
}
