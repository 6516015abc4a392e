/* Real server health as halo-checker reports it, mapped onto the
 * configuration, and each virtual server's quorum with hysteresis: the one
 * implementation that halo-ipvs-sync (weights, sorry server) and halo-vrrpd
 * (track_virtual_servers) share. Pure: config and JSON in, states out. */
#ifndef HALO_VS_HEALTH_H
#define HALO_VS_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "config.h"

struct rs_health {
	bool up;
	int weight;                    /* -1 = the configured weight */
};

/* One per virtual server, in config order. */
struct vs_health {
	bool quorum_up;                /* in/out: hysteresis memory, start true */
	struct rs_health *rs;          /* n_real_servers entries; NULL = all up */
};

/* One (virtual server, real server) name pair as halo-checker writes it. */
struct vs_health_id {
	char *key;                     /* "VSID|RSID" */
	size_t vs, rs;                 /* indexes into the config */
};

/* Quorum with hysteresis (keepalived's rule): lost when the live weight sum
 * drops below quorum - hysteresis, regained at quorum + hysteresis. */
bool vs_quorum_next(bool was_up, unsigned long weight_sum, unsigned quorum, unsigned hysteresis);
/* A real server's weight as it counts now: -1 if down, else the checker's
 * weight or the configured one. h NULL: up with the configured weight. */
int vs_health_rs_weight(const struct cfg_real_server *rs, const struct rs_health *h);
/* vs_quorum_next over the sum of the up real servers' weights; updates
 * h->quorum_up (h NULL: everything up, memory true) and returns it. */
bool vs_health_quorum(const struct cfg_virtual_server *vs, struct vs_health *h);

/* halo-checker's name of a virtual server: "[addr]:proto:port" or "fwmark:N". */
void vs_health_vs_id(const struct cfg_virtual_server *vs, char *buf, size_t len);

/* Before the checker speaks: servers without a check are up, others up
 * unless `alpha` (keepalived's start-as-down); quorum memory true. Fills
 * cfg->n_virtual_servers entries and the sorted name table; 0 or -1. */
int  vs_health_init(const struct halo_config *cfg, struct vs_health **health,
                    struct vs_health_id **ids, size_t *n_ids);
void vs_health_free(struct vs_health *h, size_t n_vs, struct vs_health_id *ids, size_t n_ids);
/* A reload keeps what the checker said about servers that remain, and the
 * quorum memory of virtual servers that remain (same checker name). */
void vs_health_carry(const struct halo_config *ocfg, const struct vs_health *oh,
                     const struct vs_health_id *oids, size_t n_oids, const struct halo_config *ncfg,
                     struct vs_health *nh, const struct vs_health_id *nids, size_t n_nids);
/* One real server entry of a checker message ({"vs","rs","up"[,"weight"]}):
 * 1 if its health changed, 0 if not, VS_HEALTH_UNKNOWN if it names no
 * configured pair, -1 if malformed. */
#define VS_HEALTH_UNKNOWN 2
int  vs_health_apply(struct vs_health *h, const struct vs_health_id *ids, size_t n_ids,
                     struct json_object *entry);

/* What one halo-checker event did. */
struct vs_health_result {
	bool snapshot;                 /* it was a snapshot (the checker has spoken) */
	bool malformed;                /* the message, or at least one entry of it, was bad */
	size_t changed;                /* real servers whose health changed */
	size_t unknown;                /* entries naming no configured pair */
};

/* One subscribed halo-checker event ({"type":"snapshot","real_servers":[...]}
 * or {"type":"rs",...}; other types change nothing). A malformed entry of a
 * snapshot is counted and skipped: the good ones around it still apply. The
 * one dispatch halo-vrrpd and halo-ipvs-sync share. */
struct vs_health_result vs_health_message(struct vs_health *h, const struct vs_health_id *ids,
                                          size_t n_ids, struct json_object *msg);

#endif
