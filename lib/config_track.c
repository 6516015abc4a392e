/* Schema of an instance's trackers (track_interfaces, track_scripts,
 * track_files, track_processes, track_virtual_servers): it only fills structs,
 * resolves virtual server references and records errors. */
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"
#include "vs_health.h"

static void track_if_name(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	cfg_get_ifname(c, v, &((struct cfg_track_if *)obj)->name);
}

static const struct cfg_field track_if_fields[] = {
	CFG_FN_REQ("name", track_if_name),
	CFG_F("weight", CFT_INT, struct cfg_track_if, weight, -254, 254),
	CFG_F("reverse", CFT_BOOL, struct cfg_track_if, reverse, 0, 0),
	CFG_F("delay_up", CFT_MS, struct cfg_track_if, delay_up, 0, 3600000),
	CFG_F("delay_down", CFT_MS, struct cfg_track_if, delay_down, 0, 3600000),
	CFG_END
};

void cfg_inst_track_ifs(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	size_t n;

	if (!cfg_get_seq(c, v, &n))
		return;
	vi->n_track_ifs = n;
	vi->track_ifs = cfg_calloc(n, sizeof(*vi->track_ifs));
	for (size_t i = 0; i < n; i++) {
		size_t old = cfg_path_index(c, i);

		if (v->kids[i]->type == CNODE_SCALAR)
			cfg_get_ifname(c, v->kids[i], &vi->track_ifs[i].name);
		else
			cfg_map_walk(c, v->kids[i], track_if_fields, &vi->track_ifs[i]);
		cfg_path_pop(c, old);
	}
}

static void track_script_weight(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_track_script *ts = obj;
	long long w;

	if (cfg_get_int(c, v, -254, 254, &w)) {
		ts->weight = (int)w;
		ts->weight_set = true;
	}
}

static void track_script_name(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_track_script *ts = obj;

	if (!cfg_get_str(c, v, true, &ts->name))
		return;
	if (!config_find_script(c->cfg, ts->name))
		cfg_error(c, v, "unknown script \"%.64s\" (not in vrrp.scripts)", ts->name);
}

static const struct cfg_field track_script_fields[] = {
	CFG_FN_REQ("name", track_script_name),
	CFG_FN("weight", track_script_weight),
	CFG_F("reverse", CFT_BOOL, struct cfg_track_script, reverse, 0, 0),
	CFG_END
};

void cfg_inst_track_scripts(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	size_t n;

	if (!cfg_get_seq(c, v, &n))
		return;
	vi->n_track_scripts = n;
	vi->track_scripts = cfg_calloc(n, sizeof(*vi->track_scripts));
	for (size_t i = 0; i < n; i++) {
		size_t old = cfg_path_index(c, i);

		if (v->kids[i]->type == CNODE_SCALAR)
			track_script_name(c, v->kids[i], &vi->track_scripts[i]);
		else
			cfg_map_walk(c, v->kids[i], track_script_fields, &vi->track_scripts[i]);
		cfg_path_pop(c, old);
	}
}

static void track_file_path(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_track_file *tf = obj;

	if (cfg_get_str(c, v, true, &tf->path) && tf->path[0] != '/')
		cfg_error(c, v, "must be an absolute path");
}

static const struct cfg_field track_file_fields[] = {
	CFG_FN_REQ("path", track_file_path),
	CFG_F("weight", CFT_INT, struct cfg_track_file, weight, -254, 254),
	CFG_F("reverse", CFT_BOOL, struct cfg_track_file, reverse, 0, 0),
	CFG_END
};

void cfg_inst_track_files(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	size_t n;

	if (!cfg_get_seq(c, v, &n))
		return;
	vi->n_track_files = n;
	vi->track_files = cfg_calloc(n, sizeof(*vi->track_files));
	for (size_t i = 0; i < n; i++) {
		size_t old = cfg_path_index(c, i);

		vi->track_files[i].weight = 1;
		if (v->kids[i]->type == CNODE_SCALAR)
			track_file_path(c, v->kids[i], &vi->track_files[i]);
		else
			cfg_map_walk(c, v->kids[i], track_file_fields, &vi->track_files[i]);
		cfg_path_pop(c, old);
	}
}

static void track_process_name(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_track_process *tp = obj;

	/* matched against /proc/PID/comm: the kernel keeps 15 characters */
	if (cfg_get_str(c, v, true, &tp->name) && (strlen(tp->name) > 15 || strchr(tp->name, '/')))
		cfg_error(c, v, "a process name (comm) has at most 15 characters and no '/'");
}

static const struct cfg_field track_process_fields[] = {
	CFG_FN_REQ("name", track_process_name),
	CFG_F("quorum", CFT_U32, struct cfg_track_process, quorum, 1, 65535),
	CFG_F("weight", CFT_INT, struct cfg_track_process, weight, -254, 254),
	CFG_F("reverse", CFT_BOOL, struct cfg_track_process, reverse, 0, 0),
	CFG_END
};

void cfg_inst_track_processes(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	size_t n;

	if (!cfg_get_seq(c, v, &n))
		return;
	vi->n_track_processes = n;
	vi->track_processes = cfg_calloc(n, sizeof(*vi->track_processes));
	for (size_t i = 0; i < n; i++) {
		size_t old = cfg_path_index(c, i);

		vi->track_processes[i].quorum = 1;
		if (v->kids[i]->type == CNODE_SCALAR)
			track_process_name(c, v->kids[i], &vi->track_processes[i]);
		else
			cfg_map_walk(c, v->kids[i], track_process_fields, &vi->track_processes[i]);
		cfg_path_pop(c, old);
	}
}

/* "192.168.0.100:80" or "[2001:db8::1]:80": an address:port reference. A
 * bare IPv6 address with a port would be ambiguous and is not one. */
static bool track_vs_addr(struct cfg_track_vs *t)
{
	char buf[128];
	const char *colon = strrchr(t->ref, ':');
	size_t n;
	char *end;
	unsigned long port;

	if (!colon || strlen(t->ref) >= sizeof(buf))
		return false;
	port = strtoul(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end || port < 1 || port > 65535)
		return false;
	n = (size_t)(colon - t->ref);
	if (t->ref[0] == '[') {
		if (n < 2 || t->ref[n - 1] != ']')
			return false;
		memcpy(buf, t->ref + 1, n - 2);
		buf[n - 2] = '\0';
	} else {
		memcpy(buf, t->ref, n);
		buf[n] = '\0';
		if (strchr(buf, ':'))
			return false;
	}
	if (halo_addr_parse(buf, &t->addr) < 0)
		return false;
	t->port = (uint16_t)port;
	return true;
}

static void track_vs_ref(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_track_vs *t = obj;

	if (!cfg_get_str(c, v, true, &t->ref))
		return;
	t->has_addr = track_vs_addr(t);
	t->pos.line = v->line;
	t->pos.col = v->col;
}

static void track_vs_protocol(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_track_vs *t = obj;
	int p;

	if (cfg_get_enum(c, v, cfg_proto_names, &p)) {
		t->protocol = p;
		t->has_protocol = true;
	}
}

static const struct cfg_field track_vs_fields[] = {
	CFG_FN_REQ("virtual_server", track_vs_ref),
	CFG_FN("protocol", track_vs_protocol),
	CFG_F("weight", CFT_INT, struct cfg_track_vs, weight, -254, 254),
	CFG_END
};

void cfg_inst_track_vss(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	size_t n;

	if (!cfg_get_seq(c, v, &n))
		return;
	vi->n_track_vss = n;
	vi->track_vss = cfg_calloc(n, sizeof(*vi->track_vss));
	for (size_t i = 0; i < n; i++) {
		size_t old = cfg_path_index(c, i);

		if (v->kids[i]->type == CNODE_SCALAR)
			track_vs_ref(c, v->kids[i], &vi->track_vss[i]);
		else
			cfg_map_walk(c, v->kids[i], track_vs_fields, &vi->track_vss[i]);
		if (vi->track_vss[i].has_protocol && vi->track_vss[i].ref && !vi->track_vss[i].has_addr)
			cfg_error(c, v->kids[i], "protocol goes with an address:port reference, not a name");
		cfg_path_pop(c, old);
	}
}

static bool track_vs_match(const struct cfg_virtual_server *vs, const struct cfg_track_vs *t)
{
	char id[HALO_ADDRSTRLEN + 32];

	if (t->has_addr)
		return !vs->is_fwmark && halo_addr_eq(&vs->address, &t->addr) && vs->port == t->port &&
		       (int)vs->protocol == t->protocol;
	if (vs->name && strcmp(vs->name, t->ref) == 0)
		return true;
	vs_health_vs_id(vs, id, sizeof(id));
	return strcmp(id, t->ref) == 0;
}

void cfg_resolve_track_vss(struct cfg_ctx *c)
{
	const struct halo_config *cfg = c->cfg;

	for (size_t i = 0; i < cfg->vrrp.n_instances; i++) {
		struct cfg_vrrp_instance *vi = &cfg->vrrp.instances[i];

		for (size_t j = 0; j < vi->n_track_vss; j++) {
			struct cfg_track_vs *t = &vi->track_vss[j];
			size_t k, o1, o2, o3, o4, o5;

			for (k = 0; t->ref && k < cfg->n_virtual_servers; k++)
				if (track_vs_match(&cfg->virtual_servers[k], t))
					break;
			t->vs = k;
			if (!t->ref || k < cfg->n_virtual_servers)
				continue;
			o1 = cfg_path_key(c, "vrrp");
			o2 = cfg_path_key(c, "instances");
			o3 = cfg_path_index(c, i);
			o4 = cfg_path_key(c, "track_virtual_servers");
			o5 = cfg_path_index(c, j);
			cfg_error_at(c, t->pos.line, t->pos.col,
			             "unknown virtual server \"%.64s\" (no name, checker name or address:port%s matches)",
			             t->ref, t->has_addr ? " with this protocol" : "");
			cfg_path_pop(c, o5);
			cfg_path_pop(c, o4);
			cfg_path_pop(c, o3);
			cfg_path_pop(c, o2);
			cfg_path_pop(c, o1);
		}
	}
}
