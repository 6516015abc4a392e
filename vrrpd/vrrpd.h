/* halo-vrrpd's imperative shell: the runtime objects that carry out what the
 * pure core (vrrp_pkt, vrrp_fsm) decides. No protocol decisions here. */
#ifndef HALO_VRRPD_H
#define HALO_VRRPD_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "evloop.h"
#include "io_ctl.h"
#include "log.h"
#include "vrrp_auth.h"
#include "vrrp_fsm.h"
#include "vrrp_pkt.h"
#include "vrrp_sync.h"
#include "vrrp_track.h"
#include "vrrp_warm.h"

struct vrrpd;
struct vrrpd_nl;

/* One (interface, family) pair: a raw VRRP socket bound to the device. */
struct vrrp_iface {
	struct vrrpd *d;
	char name[IFNAMSIZ];
	int family;
	int ifindex;
	bool up;
	uint8_t mac[6];
	struct halo_addr primary;        /* IPv4 primary / IPv6 link-local */
	struct halo_addr global6;        /* IPv6: a global address, for global unicast peers */
	int fd;
	uint64_t drops[VRRP_DROP_MAX];   /* drops before an instance was found */
	struct vrrp_inst *by_vrid[256];  /* instances on this interface and family */
	struct vrrp_inst *insts;         /* the same, as a list (next_on_if) */
	struct vrrp_iface *next;
};

/* Split-brain signs, each counted and logged once per episode. */
enum vrrp_split {
	VRRP_SPLIT_OTHER_MASTER,        /* an advert reached us while we are Master */
	VRRP_SPLIT_ADDR_MISMATCH,       /* the peer lists other virtual addresses */
	VRRP_SPLIT_INTERVAL_MISMATCH,   /* the peer advertises another interval */
	VRRP_SPLIT_DUPLICATE_OWNER,     /* priority 255 from a peer while we own the addresses */
	VRRP_SPLIT_MAX
};
const char *vrrpd_split_name(enum vrrp_split k);

struct vrrp_counters {
	uint64_t adverts_sent, adverts_rcvd, send_errors;
	uint64_t drops[VRRP_DROP_MAX];
	uint64_t addr_mismatch;
	uint64_t transitions;
	uint64_t became_master;
	uint64_t split[VRRP_SPLIT_MAX];
	uint64_t priority_changes;
};

struct vrrp_notify_job;

/* Notify scripts of one instance or sync group, run one after another. */
struct vrrp_notify_queue {
	struct vrrpd *d;
	char name[64];
	cfg_ms timeout_ms;
	struct vrrp_notify_job *head, *tail;
};

struct vrrpd_script;

enum vrrp_tracker_kind { VRRP_TRK_IF, VRRP_TRK_SCRIPT, VRRP_TRK_FILE, VRRP_TRK_PROCESS, VRRP_TRK_VS };

/* One tracked object of an instance: the pure input plus where it comes from. */
struct vrrp_tracker {
	struct vrrp_inst *vi;
	enum vrrp_tracker_kind kind;
	struct vrrp_track t;
	const char *name;                /* interface, file path, process name or virtual server (cfg-owned) */
	size_t vs;                       /* VRRP_TRK_VS: index into cfg->virtual_servers */
	struct vrrpd_script *script;
	unsigned quorum;
	uint64_t delay_up_ms, delay_down_ms;
	struct vrrp_debounce db;
	struct ev_timer db_timer;
};

struct vrrp_group;

struct vrrp_inst {
	struct vrrpd *d;
	const struct cfg_vrrp_instance *cfg;
	struct vrrp_iface *ifp;
	struct vrrp_fsm fsm;
	struct ev_timer timer;
	struct halo_addr vips[VRRP_MAX_ADDRS];
	size_t n_vips;
	bool vips_installed;
	bool peer_pseudo;                /* v3 IPv4 auto: the style the peer uses */
	bool link_fault;
	struct vrrp_counters cnt;
	struct log_ratelimit rl;
	/* gratuitous ARP / NA pacing */
	struct ev_timer garp_timer;
	unsigned garp_left;
	bool garp_second_pending;
	/* notify scripts, run one after another in transition order */
	struct vrrp_notify_queue notify;
	/* tracking */
	struct vrrp_tracker *trk;
	size_t n_trk;
	struct vrrp_prio prio;           /* last result of vrrp_track_priority */
	bool nopeer_fault;               /* unicast_fault_no_peer and no peer on-link */
	struct vrrp_group *group;
	struct ev_timer start_timer;     /* startup_delay */
	uint64_t started_us;
	uint8_t split_logged;            /* bit per enum vrrp_split: logged in this episode */
	struct halo_addr split_peer;
	/* use_vmac */
	char vmac_name[IFNAMSIZ];
	int vmac_ifindex;                /* 0 = none */
	int vmac_fd;                     /* send-only raw socket on it, -1 = none */
	uint8_t vmac_mac[6];
	bool vmac_up;
	/* authentication: hmac, one anti-replay window per recent sender */
	struct { struct halo_addr src; struct vrrp_replay w; } replay[4];
	unsigned replay_next;
	struct vrrp_inst *next;
	struct vrrp_inst *next_on_if;    /* same vrrp_iface */
};

/* A sync group at run time: its members and its last announced state. */
struct vrrp_group {
	const struct cfg_sync_group *cfg;
	struct vrrp_inst **members;
	size_t n;
	enum vrrp_state state;
	bool busy, again;
	struct vrrp_inst *who;
	struct vrrp_notify_queue notify;
	struct vrrp_group *next;
};

/* A vrrp.scripts entry at run time, shared by every instance that tracks it. */
struct vrrpd_script {
	struct vrrpd *d;
	const struct cfg_vrrp_script *cfg;
	bool up, known, timed_out, used;
	unsigned streak;
	pid_t pid;
	uint64_t started_us;
	struct ev_timer timer;           /* next run, or the kill deadline while running */
	uint64_t runs, failures, timeouts;
	struct vrrpd_script *next;
};

struct vrrpd_child;

struct runner;
struct vrrpd {
	struct ev_loop *loop;
	struct halo_config *cfg;
	const char *cfg_path;
	const char *run_dir;
	struct vrrpd_nl *nl;
	struct vrrp_iface *ifaces;
	struct vrrp_inst *insts;
	struct ctl_server *ctl;
	int packet_fd;                   /* AF_PACKET, gratuitous ARP */
	int icmp6_fd;                    /* unsolicited NA */
	struct log_ratelimit rl;
	uint64_t reloads, reload_failures;
	bool stopping;
	struct vrrp_group *groups;
	struct vrrpd_script *scripts;
	struct vrrpd_child *children;
	int inotify_fd;
	struct runner *runner;           /* runs scripts as script_user (lib/io_runner.h) */
	uint64_t auth_seq;               /* hmac: last sequence sent (seeded from the wall clock) */
	struct ev_timer proc_timer;
	char *prev_states;               /* the state file of the previous run, until started */
	/* track_virtual_servers: halo-checker's results (lib/vs_health.h) */
	struct ctl_sub *checker;
	bool checker_up, checker_seen;   /* connected; a snapshot came since start */
	uint64_t checker_msgs, checker_bad;
	const struct halo_config *vs_cfg;   /* the config vs_health is built from */
	struct vs_health *vs_health;
	struct vs_health_id *vs_ids;
	size_t n_vs_ids;
	struct ev_timer state_timer;     /* state file write pending */
};

/* vrrpd_inst.c */
struct vrrp_inst *vrrpd_inst_new(struct vrrpd *d, const struct cfg_vrrp_instance *cfg);
void vrrpd_inst_start(struct vrrp_inst *vi);
void vrrpd_inst_stop(struct vrrp_inst *vi);        /* priority 0 if Master, VIPs removed */
void vrrpd_inst_free(struct vrrp_inst *vi);
void vrrpd_inst_update(struct vrrp_inst *vi, const struct cfg_vrrp_instance *cfg);
void vrrpd_inst_input(struct vrrp_inst *vi, const struct vrrp_event *ev);
void vrrpd_inst_link(struct vrrp_inst *vi, bool up);
bool vrrpd_inst_own_fault(const struct vrrp_inst *vi);
struct halo_addr vrrpd_inst_source(const struct vrrp_inst *vi);
void vrrpd_inst_fault_eval(struct vrrp_inst *vi);  /* own/group fault -> FAULT / FAULT_CLEAR */
struct vrrp_inst *vrrpd_inst_find(struct vrrpd *d, const struct vrrp_iface *ifp, uint8_t vrid);
void vrrpd_inst_rx(struct vrrp_iface *ifp, uint8_t *buf, size_t len, struct vrrp_meta *meta);
struct json_object *vrrpd_inst_json(const struct vrrp_inst *vi);

/* vrrpd_net.c */
struct vrrp_iface *vrrpd_iface_get(struct vrrpd *d, const char *name, int family);
void vrrpd_iface_refresh(struct vrrpd *d);          /* links/addresses changed */
void vrrpd_iface_free_unused(struct vrrpd *d);
int  vrrpd_net_send_advert(struct vrrp_inst *vi, uint8_t priority);

/* vrrpd_nl.c: the libnl-route-3 adapter */
typedef void (*vrrpd_nl_change_cb)(void *arg);
struct vrrpd_nl *vrrpd_nl_open(struct ev_loop *loop, vrrpd_nl_change_cb cb, void *arg);
void vrrpd_nl_close(struct vrrpd_nl *nl);
uint64_t vrrpd_nl_resyncs(const struct vrrpd_nl *nl);   /* ENOBUFS recoveries */
int  vrrpd_nl_link(struct vrrpd_nl *nl, const char *ifname, int *ifindex, bool *up, uint8_t mac[6]);
int  vrrpd_nl_primary(struct vrrpd_nl *nl, int ifindex, int family,
                      const struct halo_addr *excl, size_t n_excl, struct halo_addr *out);
int  vrrpd_nl_global6(struct vrrpd_nl *nl, int ifindex, const struct halo_addr *excl, size_t n_excl,
                      struct halo_addr *out);
bool vrrpd_nl_addr_present(struct vrrpd_nl *nl, int ifindex, const struct halo_addr *addr);
bool vrrpd_nl_onlink(struct vrrpd_nl *nl, int ifindex, const struct halo_addr *addr);
int  vrrpd_nl_macvlan_add(struct vrrpd_nl *nl, int base_ifindex, const char *name, const uint8_t mac[6]);
int  vrrpd_nl_link_set_up(struct vrrpd_nl *nl, int ifindex, bool up);
int  vrrpd_nl_link_del(struct vrrpd_nl *nl, int ifindex);
int  vrrpd_nl_addr_add(struct vrrpd_nl *nl, int ifindex, const struct cfg_vaddr *va);
int  vrrpd_nl_addr_del(struct vrrpd_nl *nl, int ifindex, const struct cfg_vaddr *va);

/* vrrpd_vmac.c */
int  vrrpd_vmac_create(struct vrrp_inst *vi);
void vrrpd_vmac_up(struct vrrp_inst *vi, bool up);
void vrrpd_vmac_delete(struct vrrp_inst *vi);

/* vrrpd_garp.c */
int  vrrpd_garp_open(struct vrrpd *d);
void vrrpd_garp_start(struct vrrp_inst *vi);
void vrrpd_garp_stop(struct vrrp_inst *vi);

/* vrrpd_notify.c: child processes and notify queues */
typedef void (*vrrpd_child_cb)(void *arg, int wstatus);
pid_t vrrpd_spawn(struct vrrpd *d, char *const *argv, vrrpd_child_cb cb, void *arg);
void vrrpd_child_forget(struct vrrpd *d, pid_t pid);
void vrrpd_child_kill(struct vrrpd *d, pid_t pid);
void vrrpd_children_start(struct vrrpd *d);          /* the script runner, before the sockets */
void vrrpd_children_reap(struct vrrpd *d);          /* SIGCHLD */
void vrrpd_children_free(struct vrrpd *d);
char **vrrpd_argv_dup(const struct cfg_argv *base, const char *const *extra, size_t n_extra);
void vrrpd_notify(struct vrrp_inst *vi, enum vrrp_state to);
void vrrpd_notify_run(struct vrrp_notify_queue *q, const struct cfg_notify *n, const char *kind,
                      enum vrrp_state to, int priority);
void vrrpd_notify_flush(struct vrrp_notify_queue *q);

/* vrrpd_track.c: trackers feeding vrrp_track_priority */
void vrrpd_track_build(struct vrrp_inst *vi);       /* from vi->cfg; reads current states */
void vrrpd_track_free(struct vrrp_inst *vi);
void vrrpd_track_rebind(struct vrrp_inst *vi);      /* equal config, new tree */
void vrrpd_track_apply(struct vrrp_inst *vi);       /* recompute; PRIORITY / fault to the FSM */
void vrrpd_track_links(struct vrrpd *d);            /* netlink changed */
void vrrpd_track_reload(struct vrrpd *d);           /* scripts, inotify, process timer */
void vrrpd_track_close(struct vrrpd *d);
struct json_object *vrrpd_track_json(const struct vrrp_inst *vi);
struct json_object *vrrpd_track_scripts_json(const struct vrrpd *d);

/* vrrpd_group.c: sync groups */
void vrrpd_group_build(struct vrrpd *d);            /* after the instance list changed */
void vrrpd_group_free_all(struct vrrpd *d);
void vrrpd_group_eval(struct vrrp_group *g, struct vrrp_inst *who);
bool vrrpd_group_may_master(const struct vrrp_group *g, const struct vrrp_inst *who);

/* vrrpd_ctl.c */
int  vrrpd_ctl_open(struct vrrpd *d);
void vrrpd_ctl_publish(struct vrrp_inst *vi);

/* vrrpd_vs.c: track_virtual_servers, fed by halo-checker's subscription */
void vrrpd_vs_reload(struct vrrpd *d);              /* d->cfg is new: rebuild, carry, (un)subscribe */
void vrrpd_vs_close(struct vrrpd *d);
void vrrpd_vs_eval(struct vrrp_inst *vi);           /* its VS trackers from the health table */
struct json_object *vrrpd_vs_json(const struct vrrpd *d);

/* vrrpd_state.c: the state file for warm restarts */
char *vrrpd_state_read(const char *run_dir);        /* its text, NULL if none */
void vrrpd_state_save(struct vrrpd *d);             /* now */
void vrrpd_state_dirty(struct vrrpd *d);            /* soon: after a transition */

/* vrrpd.c */
int  vrrpd_reload(struct vrrpd *d);

#endif
