/* IPVS generic netlink messages built and parsed on caller buffers (libmnl's
 * buffer API). Pure: never opens a socket; parsers check every attribute's
 * length because their input comes from the kernel, and return an error string. */
#ifndef HALO_IPVS_MSG_H
#define HALO_IPVS_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "ipvs_types.h"

/* Builders append one message at buf (room: len bytes) and return it, or NULL
 * if it does not fit. Requests carry NLM_F_REQUEST|NLM_F_ACK (dumps NLM_F_DUMP). */
struct nlmsghdr *ipvs_msg_get_family(void *buf, size_t len, uint32_t seq);
struct nlmsghdr *ipvs_msg_service(void *buf, size_t len, uint16_t family, uint8_t cmd,
                                  const struct ipvs_service *svc, uint32_t seq);
struct nlmsghdr *ipvs_msg_dest(void *buf, size_t len, uint16_t family, uint8_t cmd,
                               const struct ipvs_service *svc, const struct ipvs_dest *d,
                               uint32_t seq);
struct nlmsghdr *ipvs_msg_dump_services(void *buf, size_t len, uint16_t family, uint32_t seq);
struct nlmsghdr *ipvs_msg_dump_dests(void *buf, size_t len, uint16_t family,
                                     const struct ipvs_service *svc, uint32_t seq);
struct nlmsghdr *ipvs_msg_dump_daemons(void *buf, size_t len, uint16_t family, uint32_t seq);
struct nlmsghdr *ipvs_msg_timeouts(void *buf, size_t len, uint16_t family,
                                   const struct ipvs_timeouts *t, uint32_t seq);
struct nlmsghdr *ipvs_msg_daemon(void *buf, size_t len, uint16_t family, uint8_t cmd,
                                 const struct ipvs_daemon *d, uint32_t seq);
struct nlmsghdr *ipvs_msg_flush(void *buf, size_t len, uint16_t family, uint32_t seq);

/* One operation's message (NEW/SET/DEL_SERVICE, NEW/SET/DEL_DEST). */
struct nlmsghdr *ipvs_msg_op(void *buf, size_t len, uint16_t family, const struct ipvs_op *op,
                             uint32_t seq);
/* Packs ops[0..n) back to back into buf with sequence numbers seq, seq+1, ...
 * Only the last message asks for an acknowledgement (NLM_F_ACK): the kernel
 * handles a batch in order and answers a failed request whatever its flags,
 * so that one ACK closes the batch and every seq without an error answer
 * before it succeeded. Saves one skb and one recvmsg per operation.
 * Returns how many fit (0 only when n == 0 or one message exceeds len);
 * *used gets the bytes written. */
size_t ipvs_msg_batch(void *buf, size_t len, uint16_t family, const struct ipvs_op *ops, size_t n,
                      uint32_t seq, size_t *used);

/* Parsers: 0, or -1 with *err set. nlh is one whole message (already length
 * checked by mnl_nlmsg_ok). */
int ipvs_msg_parse_family(const struct nlmsghdr *nlh, uint16_t *family, const char **err);
/* A message carrying IPVS_CMD_ATTR_SERVICE (GET_SERVICE dump reply or NEW_SERVICE). */
int ipvs_msg_parse_service(const struct nlmsghdr *nlh, struct ipvs_service *svc, const char **err);
/* A message carrying IPVS_CMD_ATTR_DEST (GET_DEST dump reply or NEW_DEST); if
 * svc is not NULL, IPVS_CMD_ATTR_SERVICE is parsed into it (the key only). */
int ipvs_msg_parse_dest(const struct nlmsghdr *nlh, struct ipvs_dest *d, struct ipvs_service *svc,
                        const char **err);
int ipvs_msg_parse_daemon(const struct nlmsghdr *nlh, struct ipvs_daemon *d, const char **err);
int ipvs_msg_parse_timeouts(const struct nlmsghdr *nlh, struct ipvs_timeouts *t, const char **err);
/* The genetlink command of a message, -1 if too short. */
int ipvs_msg_cmd(const struct nlmsghdr *nlh);

#endif
