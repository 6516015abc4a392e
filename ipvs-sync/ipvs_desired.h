/* The desired IPVS table as a pure function of the config, the checker's
 * health results and each virtual server's quorum memory. No I/O. */
#ifndef HALO_IPVS_DESIRED_H
#define HALO_IPVS_DESIRED_H

#include "config.h"
#include "ipvs_types.h"
#include "vs_health.h"     /* health, quorum rule: shared with halo-vrrpd */

/* Fills *out (sorted, no duplicates) from cfg. health may be NULL (every real
 * server up with its configured weight); otherwise cfg->n_virtual_servers
 * entries whose quorum_up is updated. A real server that is down is left out,
 * or kept at weight 0 with inhibit_on_failure; without quorum the sorry
 * server replaces the real servers. Returns 0, or -1 with *err. */
int ipvs_desired_build(const struct halo_config *cfg, struct vs_health *health,
                       struct ipvs_table *out, const char **err);

/* Scheduler flag names ("flag-1", "sh-fallback", "sh-port", "mh-port", ...,
 * "one-packet") to IP_VS_SVC_F_* bits; -1 for an unknown name. */
int ipvs_sched_flag(const char *name, uint32_t *bit);

/* The service key of a configured virtual server (no settings, no dests). */
void ipvs_service_key(const struct cfg_virtual_server *vs, struct ipvs_service *key);

#endif
