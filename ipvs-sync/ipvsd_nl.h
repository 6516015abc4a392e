/* The one file that talks to the kernel's IPVS over generic netlink (libmnl):
 * dumps, batched writes with per-operation acknowledgements. It carries out
 * operations, never decides which. */
#ifndef HALO_IPVSD_NL_H
#define HALO_IPVSD_NL_H

#include <stddef.h>

#include "ipvs_types.h"

struct ipvs_nl;

struct ipvs_nl_counters {
	unsigned long sendmsgs;        /* sendmsg calls carrying writes */
	unsigned long ops_sent;
	unsigned long ops_failed;
	unsigned long ops_benign;      /* EEXIST on add, ENOENT/ESRCH on delete */
	unsigned long dumps;
	unsigned long dump_errors;
};

/* Opens the socket and resolves the "IPVS" family. NULL with errno (and a
 * message in *err) when the kernel has no IPVS. */
struct ipvs_nl *ipvs_nl_open(const char **err);
void ipvs_nl_close(struct ipvs_nl *nl);
const struct ipvs_nl_counters *ipvs_nl_counters(const struct ipvs_nl *nl);
/* Bytes of messages per sendmsg (default 32 KiB, at least one message). */
void ipvs_nl_set_batch(struct ipvs_nl *nl, size_t bytes);

/* Services and their destinations, sorted. 0 or -1 (errno). */
int ipvs_nl_dump(struct ipvs_nl *nl, struct ipvs_table *out);

/* Sends ops in order, batched; errs[i] gets 0 or the errno of op i (benign
 * errors already mapped to 0). Returns the number of failed ops, or -1 when
 * the socket itself failed (errs then incomplete). */
int ipvs_nl_apply(struct ipvs_nl *nl, const struct ipvs_op *ops, size_t n, int *errs);

int ipvs_nl_set_timeouts(struct ipvs_nl *nl, const struct ipvs_timeouts *t);
/* Running sync daemons (at most max). */
int ipvs_nl_get_daemons(struct ipvs_nl *nl, struct ipvs_daemon *out, size_t max, size_t *n);
int ipvs_nl_daemon(struct ipvs_nl *nl, int cmd, const struct ipvs_daemon *d);
int ipvs_nl_flush(struct ipvs_nl *nl);

#endif
