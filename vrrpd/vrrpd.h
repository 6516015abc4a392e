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
#include "vrrp_fsm.h"
#include "vrrp_pkt.h"

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
	int fd;
	uint64_t drops[VRRP_DROP_MAX];   /* drops before an instance was found */
	struct vrrp_iface *next;
};

struct vrrp_counters {
	uint64_t adverts_sent, adverts_rcvd, send_errors;
	uint64_t drops[VRRP_DROP_MAX];
	uint64_t addr_mismatch;
	uint64_t transitions;
	uint64_t became_master;
};

struct vrrp_notify_job;

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
	struct vrrp_notify_job *notify_head, *notify_tail;
	struct vrrp_inst *next;
};

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
};

/* vrrpd_inst.c */
struct vrrp_inst *vrrpd_inst_new(struct vrrpd *d, const struct cfg_vrrp_instance *cfg);
void vrrpd_inst_start(struct vrrp_inst *vi);
void vrrpd_inst_stop(struct vrrp_inst *vi);        /* priority 0 if Master, VIPs removed */
void vrrpd_inst_free(struct vrrp_inst *vi);
void vrrpd_inst_update(struct vrrp_inst *vi, const struct cfg_vrrp_instance *cfg);
void vrrpd_inst_input(struct vrrp_inst *vi, const struct vrrp_event *ev);
void vrrpd_inst_link(struct vrrp_inst *vi, bool up);
struct vrrp_inst *vrrpd_inst_find(struct vrrpd *d, const struct vrrp_iface *ifp, uint8_t vrid);
void vrrpd_inst_rx(struct vrrp_iface *ifp, const uint8_t *buf, size_t len, struct vrrp_meta *meta);
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
int  vrrpd_nl_link(struct vrrpd_nl *nl, const char *ifname, int *ifindex, bool *up, uint8_t mac[6]);
int  vrrpd_nl_primary(struct vrrpd_nl *nl, int ifindex, int family,
                      const struct halo_addr *excl, size_t n_excl, struct halo_addr *out);
int  vrrpd_nl_addr_add(struct vrrpd_nl *nl, int ifindex, const struct cfg_vaddr *va);
int  vrrpd_nl_addr_del(struct vrrpd_nl *nl, int ifindex, const struct cfg_vaddr *va);

/* vrrpd_garp.c */
int  vrrpd_garp_open(struct vrrpd *d);
void vrrpd_garp_start(struct vrrp_inst *vi);
void vrrpd_garp_stop(struct vrrp_inst *vi);

/* vrrpd_notify.c */
void vrrpd_notify(struct vrrp_inst *vi, enum vrrp_state to);
void vrrpd_notify_reap(struct vrrpd *d);            /* SIGCHLD */
void vrrpd_notify_flush(struct vrrp_inst *vi);

/* vrrpd_ctl.c */
int  vrrpd_ctl_open(struct vrrpd *d);
void vrrpd_ctl_publish(struct vrrp_inst *vi);

/* vrrpd.c */
int  vrrpd_reload(struct vrrpd *d);

#endif
