/* config_load(): file -> node tree -> validated, immutable struct halo_config,
 * plus freeing and lookups. Errors go to the caller's stream only, never to
 * the log. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "config_priv.h"

static void noop(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
}

static const struct cfg_field root_fields[] = {
	CFG_FN("global", noop),
	CFG_FN("vrrp", noop),
	CFG_FN("ipvs", noop),
	CFG_FN("virtual_servers", noop),
	CFG_END
};

static void config_defaults(struct halo_config *cfg)
{
	char host[256];

	if (gethostname(host, sizeof(host)) < 0 || !host[0])
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	cfg->global.router_id = cfg_strdup(host);
	cfg->global.log_facility = LOG_DAEMON;
	cfg->global.script_user = cfg_strdup("halo-script");
	cfg->global.checker_user = cfg_strdup("nobody");
	cfg->global.realtime_priority = 50;
	cfg->global.script_security = true;
	cfg->global.seccomp = true;
}

/* Sections in schema order: later ones refer to earlier ones. */
static void config_parse_root(struct cfg_ctx *c, const struct cnode *root)
{
	static const struct {
		const char *key;
		void (*fn)(struct cfg_ctx *, const struct cnode *, void *);
	} sections[] = {
		{ "global", cfg_parse_global },
		{ "vrrp", cfg_parse_vrrp },
		{ "ipvs", cfg_parse_ipvs },
		{ "virtual_servers", cfg_parse_virtual_servers },
	};

	if (root->type != CNODE_MAP && root->type != CNODE_NULL) {
		cfg_error(c, root, "the top level must be a mapping (global, vrrp, ipvs, virtual_servers)");
		return;
	}
	cfg_map_walk(c, root, root_fields, c->cfg);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const struct cnode *n = cnode_map_get(root, sections[i].key);
		size_t old;

		if (!n)
			continue;
		old = cfg_path_key(c, sections[i].key);
		sections[i].fn(c, n, c->cfg);
		cfg_path_pop(c, old);
	}
	cfg_resolve_track_vss(c);
}

struct halo_config *config_load_buf(const char *name, const char *buf, size_t len, FILE *errs)
{
	struct cfg_ctx c = { .name = name };
	struct cnode *root;

	c.cfg = cfg_calloc(1, sizeof(*c.cfg));
	c.cfg->path = cfg_strdup(name);
	config_defaults(c.cfg);
	if (len > CFG_MAX_FILE)
		cfg_error_at(&c, 1, 1, "file larger than %u bytes", CFG_MAX_FILE);
	else if ((root = cnode_parse(&c, buf, len))) {
		config_parse_root(&c, root);
		cnode_free(root);
	}
	if (c.n_errs) {
		cfg_errors_flush(&c, errs);
		config_free(c.cfg);
		return NULL;
	}
	cfg_errors_flush(&c, NULL);
	return c.cfg;
}

static char *read_all(int fd, size_t *len, const char **err)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	ssize_t r;

	if (fstat(fd, &st) < 0) {
		*err = strerror(errno);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = "not a regular file";
		return NULL;
	}
	if ((size_t)st.st_size > CFG_MAX_FILE) {
		*err = "file larger than 16 MiB";
		return NULL;
	}
	buf = cfg_calloc(1, (size_t)st.st_size + 1);
	while (got < (size_t)st.st_size && (r = read(fd, buf + got, (size_t)st.st_size - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = strerror(errno);
			free(buf);
			return NULL;
		}
		got += (size_t)r;
	}
	*len = got;
	return buf;
}

struct halo_config *config_load(const char *path, FILE *errs)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	const char *err = NULL;
	struct halo_config *cfg;
	size_t len = 0;
	char *buf;

	if (fd < 0) {
		if (errs)
			fprintf(errs, "%s: %s\n", path, errno == ELOOP ? "is a symbolic link (refused)" : strerror(errno));
		return NULL;
	}
	buf = read_all(fd, &len, &err);
	close(fd);
	if (!buf) {
		if (errs)
			fprintf(errs, "%s: %s\n", path, err);
		return NULL;
	}
	cfg = config_load_buf(path, buf, len, errs);
	free(buf);
	return cfg;
}

/* ---------------- freeing ---------------- */

void cfg_argv_free(struct cfg_argv *a)
{
	for (size_t i = 0; a->argv && i < a->argc; i++)
		free(a->argv[i]);
	free(a->argv);
	a->argv = NULL;
	a->argc = 0;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void notify_free(struct cfg_notify *n)
{
	cfg_argv_free(&n->master);
	cfg_argv_free(&n->backup);
	cfg_argv_free(&n->fault);
	cfg_argv_free(&n->stop);
	cfg_argv_free(&n->any);
}

void cfg_check_free(struct cfg_check *chk)
{
	switch (chk->kind) {
	case CFG_CHECK_HTTP:
	case CFG_CHECK_HTTPS:
		free(chk->http.path);
		free(chk->http.host);
		strv_free(chk->http.headers, chk->http.n_headers);
		free(chk->http.status);
		free(chk->http.body_regex);
		free(chk->http.sni);
		free(chk->http.ca_file);
		free(chk->http.client_cert);
		free(chk->http.client_key);
		break;
	case CFG_CHECK_TCP:
		free(chk->tcp.send);
		free(chk->tcp.expect);
		break;
	case CFG_CHECK_SCRIPT:
		cfg_argv_free(&chk->script.command);
		break;
	case CFG_CHECK_SMTP:
		free(chk->smtp.helo_name);
		break;
	case CFG_CHECK_DNS:
		free(chk->dns.name);
		break;
	case CFG_CHECK_UDP:
		free(chk->udp.payload);
		free(chk->udp.expect);
		break;
	default:
		break;
	}
}

static void instance_free(struct cfg_vrrp_instance *vi)
{
	free(vi->name);
	free(vi->interface);
	for (size_t i = 0; i < vi->n_vaddrs; i++) {
		free(vi->vaddrs[i].dev);
		free(vi->vaddrs[i].label);
	}
	free(vi->vaddrs);
	free(vi->unicast_peers);
	free(vi->unicast_peer_ttl);
	for (size_t i = 0; i < vi->n_hmac_keys; i++)
		free(vi->hmac_keys[i].secret);
	free(vi->hmac_keys);
	for (size_t i = 0; i < vi->n_track_files; i++)
		free(vi->track_files[i].path);
	free(vi->track_files);
	for (size_t i = 0; i < vi->n_track_processes; i++)
		free(vi->track_processes[i].name);
	free(vi->track_processes);
	for (size_t i = 0; i < vi->n_track_vss; i++)
		free(vi->track_vss[i].ref);
	free(vi->track_vss);
	for (size_t i = 0; i < vi->n_track_ifs; i++)
		free(vi->track_ifs[i].name);
	free(vi->track_ifs);
	for (size_t i = 0; i < vi->n_track_scripts; i++)
		free(vi->track_scripts[i].name);
	free(vi->track_scripts);
	notify_free(&vi->notify);
}

static void vrrp_free(struct cfg_vrrp *v)
{
	for (size_t i = 0; i < v->n_scripts; i++) {
		free(v->scripts[i].name);
		cfg_argv_free(&v->scripts[i].command);
	}
	free(v->scripts);
	for (size_t i = 0; i < v->n_instances; i++)
		instance_free(&v->instances[i]);
	free(v->instances);
	for (size_t i = 0; i < v->n_sync_groups; i++) {
		free(v->sync_groups[i].name);
		strv_free(v->sync_groups[i].instances, v->sync_groups[i].n_instances);
		notify_free(&v->sync_groups[i].notify);
	}
	free(v->sync_groups);
}

static void vs_free(struct cfg_virtual_server *vs)
{
	free(vs->name);
	free(vs->scheduler);
	free(vs->persistence_engine);
	strv_free(vs->sched_flags, vs->n_sched_flags);
	for (size_t i = 0; i < vs->n_real_servers; i++)
		cfg_check_free(&vs->real_servers[i].check);
	free(vs->real_servers);
}

void config_free(struct halo_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->path);
	free(cfg->global.router_id);
	free(cfg->global.script_user);
	free(cfg->global.checker_user);
	free(cfg->global.metrics_listen);
	vrrp_free(&cfg->vrrp);
	free(cfg->ipvs.sync_daemon.interface);
	free(cfg->ipvs.sync_daemon.follow_instance);
	for (size_t i = 0; i < cfg->n_virtual_servers; i++)
		vs_free(&cfg->virtual_servers[i]);
	free(cfg->virtual_servers);
	free(cfg);
}

/* ---------------- lookups and names ---------------- */

const struct cfg_vrrp_instance *config_find_instance(const struct halo_config *cfg, const char *name)
{
	for (size_t i = 0; cfg && name && i < cfg->vrrp.n_instances; i++)
		if (cfg->vrrp.instances[i].name && !strcmp(cfg->vrrp.instances[i].name, name))
			return &cfg->vrrp.instances[i];
	return NULL;
}

const struct cfg_vrrp_script *config_find_script(const struct halo_config *cfg, const char *name)
{
	for (size_t i = 0; cfg && name && i < cfg->vrrp.n_scripts; i++)
		if (cfg->vrrp.scripts[i].name && !strcmp(cfg->vrrp.scripts[i].name, name))
			return &cfg->vrrp.scripts[i];
	return NULL;
}

const char *config_proto_name(enum cfg_proto p)
{
	return (unsigned)p <= CFG_PROTO_SCTP ? cfg_proto_names[p] : "?";
}

const char *config_fwd_name(enum cfg_fwd f)
{
	return (unsigned)f <= CFG_FWD_TUN ? cfg_fwd_names[f] : "?";
}
