/* The operator's drained set (`haloctl drain ADDR[:PORT]`): targets whose
 * destinations are kept at weight 0 in the desired table until undrained.
 * Pure: no I/O; the shell keeps the set across reloads. */
#ifndef HALO_IPVS_DRAIN_H
#define HALO_IPVS_DRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "ipvs_types.h"

#define IPVS_DRAIN_STRLEN (HALO_ADDRSTRLEN + 8)

struct ipvs_drain_target {
	struct halo_addr addr;
	uint16_t port;                 /* 0 = every port of addr */
};

struct ipvs_drain_set {
	struct ipvs_drain_target *v;   /* in the order they were drained */
	size_t n;
};

/* "192.0.2.1", "192.0.2.1:80", "2001:db8::1", "[2001:db8::1]:80". Returns
 * NULL, or an error string (nothing logged). */
const char *ipvs_drain_parse(const char *s, struct ipvs_drain_target *t);
/* The canonical text of t, in the forms ipvs_drain_parse reads. */
const char *ipvs_drain_str(const struct ipvs_drain_target *t, char buf[IPVS_DRAIN_STRLEN]);

/* 0 = added, 1 = already there, -1 = out of memory. */
int  ipvs_drain_add(struct ipvs_drain_set *set, const struct ipvs_drain_target *t);
/* 0 = removed, 1 = was not there. */
int  ipvs_drain_del(struct ipvs_drain_set *set, const struct ipvs_drain_target *t);
void ipvs_drain_free(struct ipvs_drain_set *set);

/* The set as text for the run dir's state file: one canonical target per
 * line, in drain order. Returns a malloc'd string ("" for an empty set), or
 * NULL when out of memory. */
char *ipvs_drain_format(const struct ipvs_drain_set *set);
/* Adds every target of text (as ipvs_drain_format writes it; blank lines
 * ignored) to set. Returns the number of lines that were not a target (they
 * are skipped), or -1 when out of memory. */
int  ipvs_drain_load(struct ipvs_drain_set *set, const char *text);

/* Whether destination d matches t. */
int  ipvs_drain_match(const struct ipvs_drain_target *t, const struct ipvs_dest *d);
/* Sets weight 0 on every destination of t matched by one target of set (or,
 * with set NULL, by only); returns how many destinations matched. */
size_t ipvs_drain_apply(const struct ipvs_drain_set *set, const struct ipvs_drain_target *only,
                        struct ipvs_table *t);

#endif
