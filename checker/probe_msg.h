/* Small wire formats the probes speak: DNS query/answer (RFC 1035), SMTP reply
 * codes (RFC 5321) and ICMP echo (RFC 792 / RFC 4443). Pure: buffers in,
 * verdicts out; the sockets live in check_*.c. */
#ifndef HALO_CHECKER_PROBE_MSG_H
#define HALO_CHECKER_PROBE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "health.h"

#define DNS_MAX_MSG 512

/* Builds a recursive query for name/type, class IN. Returns its length or -1. */
int dns_query_build(uint8_t *buf, size_t len, uint16_t id, const char *name, uint16_t type);
/* 0 if buf answers query `id` with NOERROR and at least one answer record;
 * else -1 with *why (and *rcode for a DNS error code). */
int dns_reply_check(const uint8_t *buf, size_t len, uint16_t id, enum health_reason *why, int *rcode);

/* RFC 5321 4.2: code of the complete (possibly multi-line) reply in buf,
 * 0 if more bytes are needed, -1 if malformed. */
int smtp_reply_code(const char *buf, size_t len);

/* RFC 1071 Internet checksum. */
uint16_t inet_cksum(const void *buf, size_t len);
/* Echo request (type 8, or 128 for v6; the kernel sums ICMPv6). Returns length. */
size_t icmp_echo_build(uint8_t *buf, size_t len, bool v6, uint16_t id, uint16_t seq);
/* 0 and id/seq if buf is an echo reply; ip_header: buf starts with the IPv4
 * header (raw IPv4 sockets deliver it, ICMP datagram sockets do not). */
int icmp_echo_reply_parse(const uint8_t *buf, size_t len, bool v6, bool ip_header,
                          uint16_t *id, uint16_t *seq);

#endif
