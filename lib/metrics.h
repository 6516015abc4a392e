/* OpenMetrics text from the daemons' status JSON: one pure renderer shared by
 * `haloctl metrics` and the metrics HTTP endpoint. */
#ifndef HALO_METRICS_H
#define HALO_METRICS_H

#include <stdio.h>
#include <json-c/json.h>

/* Any status may be NULL (daemon not running): its halo_up sample is 0 and
 * its families are left out. Ends with "# EOF". */
void metrics_render(struct json_object *vrrp, struct json_object *checker,
                    struct json_object *ipvs, FILE *out);

#endif
