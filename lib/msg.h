/* The message catalogue of halo's control sockets: every request, reply and
 * event that crosses a process boundary, with its version, type and required
 * fields. Pure: checks a parsed JSON object, decides nothing else. */
#ifndef HALO_MSG_H
#define HALO_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#define HALO_MSG_VERSION   1
#define HALO_MSG_MAX_LINE  (1u << 20)

/* Checks an event or reply from `producer` ("halo-vrrpd", "halo-checker",
 * "halo-ipvs-sync"): line length, "v" == HALO_MSG_VERSION, "type" known for
 * that producer, required fields present with the right JSON types (and,
 * for arrays of objects, the same for each element). 0 or -1 with *err. */
int halo_msg_check_event(const char *producer, struct json_object *msg, size_t line_len,
                         const char **err);

/* Checks a request: "cmd" known, its arguments present and typed. */
int halo_msg_check_request(struct json_object *req, size_t line_len, const char **err);

/* Convenience for producers: a new object with "v" and "type" set. */
struct json_object *halo_msg_new(const char *type);

#endif
