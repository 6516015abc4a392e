/* What a reload changed: one daemon's `haloctl status --json` section before
 * and after, compared field by field. Pure: JSON in, JSON and text out; no
 * sockets, no clock, no globals. */
#ifndef HALO_CTL_DIFF_H
#define HALO_CTL_DIFF_H

#include <json-c/json.h>

/* Changes between two status replies of daemon ("halo-vrrpd",
 * "halo-checker", "halo-ipvs-sync"; either reply may be NULL: not running),
 * as a new array of objects, in a stable order (the after reply's order,
 * removals last):
 *   {"object": "instance"|"sync_group"|"track_script"|"virtual_server"|
 *              "real_server"|"sync_daemon"|"drained"|"daemon",
 *    "name": ..., "virtual_server": ... (real servers only),
 *    "change": "added"|"removed"|"changed",
 *    "fields": [{"field", "old", "new"}...]   (changed)
 *    "new"|"old": {field: value...}}          (added|removed: a summary)
 * Counters, latencies and connection counts are not compared. NULL only
 * when out of memory. */
struct json_object *status_diff(const char *daemon, struct json_object *before, struct json_object *after);

/* One change as one line of text, no newline ("instance VI_1: priority 100
 * -> 150"); malloc'd, NULL when out of memory. */
char *status_diff_text(struct json_object *change);

#endif
