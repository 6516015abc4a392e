/* Control sockets: each daemon serves /run/halo/<binary>.sock (0600) with
 * newline-delimited JSON; requests get one reply line, subscribers get a
 * snapshot and then one line per change. Also the client side (blocking call
 * for haloctl, reconnecting subscription for daemons). Transport only. */
#ifndef HALO_IO_CTL_H
#define HALO_IO_CTL_H

#include <stdbool.h>
#include <json-c/json.h>

#include "evloop.h"

#define CTL_PROTO_VERSION 1
#define CTL_MAX_LINE      (1u << 20)

struct ctl_server;
struct ctl_client;

/* Called for each request line; `cmd` is req["cmd"]. The handler answers with
 * ctl_reply() (or ctl_subscribe() followed by the snapshot). */
typedef void (*ctl_request_cb)(struct ctl_client *c, const char *cmd,
                               struct json_object *req, void *arg);

/* Creates run_dir (0755) if needed and listens on run_dir/name.sock (0600).
 * A stale socket file is replaced; a live one (another daemon) is an error. */
struct ctl_server *ctl_server_open(struct ev_loop *loop, const char *run_dir, const char *name,
                                   ctl_request_cb cb, void *arg);
void ctl_server_close(struct ctl_server *s);
/* Re-creates the socket if its file vanished (run dir removed under us). */
void ctl_server_check(struct ctl_server *s);
/* For a daemon about to drop to a user who cannot write the run dir: from
 * now on the socket is re-created by a keeper process (uid 0 without
 * capabilities, lib/io_ctl_keeper.h), so it stays root's and 0600;
 * sandbox: the keeper loads its seccomp allow-list (global.seccomp). */
int  ctl_server_keeper(struct ctl_server *s, bool sandbox);

/* Writes one JSON line; does not take ownership of obj. A client whose
 * output buffer exceeds CTL_MAX_LINE*4 is dropped. */
int  ctl_reply(struct ctl_client *c, struct json_object *obj);
/* Convenience: {"v":1,"ok":false,"error":msg}. */
int  ctl_reply_error(struct ctl_client *c, const char *msg);
void ctl_subscribe(struct ctl_client *c);
/* Sends obj to every subscriber. Does not take ownership. */
void ctl_publish(struct ctl_server *s, struct json_object *obj);

/* Blocking request/response for haloctl: connects, sends req, reads one line.
 * Returns 0 and *resp (caller puts it), or -1 with errno (ENOENT/ECONNREFUSED:
 * daemon not running, ETIMEDOUT). */
int ctl_call(const char *sock_path, struct json_object *req, struct json_object **resp,
             int timeout_ms);

/* Subscription with reconnect (backoff 100 ms doubling to 5 s). On every
 * (re)connect it sends {"cmd":"subscribe"}; msg_cb gets each line parsed
 * (the first is the snapshot); state_cb(false) on loss. Every line is
 * checked against the message catalogue (lib/msg.h) for the producer named
 * by the socket file; one that fails drops the connection, never the process. */
struct ctl_sub;
typedef void (*ctl_msg_cb)(struct json_object *msg, void *arg);
typedef void (*ctl_state_cb)(bool connected, void *arg);
struct ctl_sub *ctl_sub_open(struct ev_loop *loop, const char *sock_path,
                             ctl_msg_cb msg_cb, ctl_state_cb state_cb, void *arg);
void ctl_sub_close(struct ctl_sub *sub);
/* Messages refused by the catalogue (lib/msg.h), each of which dropped the connection. */
uint64_t ctl_sub_rejected(const struct ctl_sub *sub);

#endif
