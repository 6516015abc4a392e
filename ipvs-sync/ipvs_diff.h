/* Reconciliation as a pure function: from the desired IPVS table and the
 * kernel's (a dump), the ordered operations that turn one into the other.
 * Never flushes, never touches what already matches. */
#ifndef HALO_IPVS_DIFF_H
#define HALO_IPVS_DIFF_H

#include "ipvs_types.h"

/* Appends to *ops, in order: service adds and edits, destination adds and
 * edits, destination deletes, service deletes. A destination that is gone from
 * a service with `drain` set is first set to weight 0 and deleted only once the
 * kernel reports no active connections. Both tables must be sorted
 * (ipvs_table_sort). Returns 0, or -1 on allocation failure. */
int ipvs_diff(const struct ipvs_table *desired, const struct ipvs_table *kernel,
              struct ipvs_ops *ops);

/* Whether a kernel service / destination already has the desired settings. */
bool ipvs_service_same(const struct ipvs_service *want, const struct ipvs_service *have);
bool ipvs_dest_same(const struct ipvs_dest *want, const struct ipvs_dest *have);

/* Updates a kernel table as the kernel did: applies ops[i] where errs is
 * NULL or errs[i] == 0. t must be sorted and stays sorted, so that
 * ipvs_diff(desired, t) is empty after applying ipvs_diff(desired, t).
 * Returns 0, or -1 on allocation failure (t is then incomplete). */
int ipvs_table_apply(struct ipvs_table *t, const struct ipvs_op *ops, size_t n, const int *errs);

/* Kernel sync daemons: want[0..n_want) (at most one master and one backup)
 * against the running ones. Fills del[] (room for n_have) with the daemons
 * to stop, in that order, and add[] (room for n_want) with those to start
 * after that. */
void ipvs_daemon_plan(const struct ipvs_daemon *want, size_t n_want, const struct ipvs_daemon *have,
                      size_t n_have, struct ipvs_daemon *del, size_t *n_del, struct ipvs_daemon *add,
                      size_t *n_add);

/* The daemons a mode asks for, from base (interface, sync id, multicast
 * settings): follow = master while the followed instance is MASTER (or
 * when there is none: instance NULL), backup otherwise; both = the two.
 * Writes up to 2 into out and returns how many. */
size_t ipvs_daemons_wanted(int mode, const char *instance_state, const struct ipvs_daemon *base,
                           struct ipvs_daemon out[2]);

/* When to try again after `fails` consecutive failed passes (>= 1): first
 * after retry_us, doubling each time, never later than period_us (the
 * periodic heal pass). A refusal that lasts (a scheduler module the kernel
 * does not have) is then retried at the heal pass's pace, not every second. */
uint64_t ipvs_retry_delay(unsigned fails, uint64_t retry_us, uint64_t period_us);

#endif
