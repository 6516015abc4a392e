/* Schema of an instance's trackers (track_interfaces, track_scripts,
 * track_files, track_processes): it only fills structs and records errors. */
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"

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
