/* HMAC-SHA256 authentication of adverts (an opt-in halo extension; keepalived
 * 2.2.7 in Debian 12 has no auth_hmac, so it is halo-to-halo only) and its
 * anti-replay window. Pure: bytes and counters in, verdicts out. */
#ifndef HALO_VRRP_AUTH_H
#define HALO_VRRP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define VRRP_SHA256_LEN     32
#define VRRP_HMAC_TAG_LEN   16          /* truncated tag on the wire (RFC 2104 5) */
#define VRRP_AUTH_TRAILER   28          /* magic, key id, 2 reserved, seq (8), tag (16) */
#define VRRP_AUTH_MAGIC     0x48        /* 'H' */

void vrrp_sha256(const uint8_t *msg, size_t len, uint8_t out[VRRP_SHA256_LEN]);
/* RFC 2104 HMAC with SHA-256; key of any length. */
void vrrp_hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *const *parts,
                      const size_t *lens, size_t n_parts, uint8_t out[VRRP_SHA256_LEN]);

/* Trailer after the VRRP message:
 *   0 magic | 1 key id | 2..3 zero | 4..11 sequence (big endian) | 12..27 tag
 * tag = HMAC-SHA256(key, src addr | dst addr | VRRP message | trailer 0..11)
 * truncated to 16 bytes. The sequence only grows (the shell seeds it from
 * the wall clock), so a replayed advert is refused. */
void vrrp_auth_sign(uint8_t trailer[VRRP_AUTH_TRAILER], uint8_t key_id, const uint8_t *key,
                    size_t key_len, uint64_t seq, const struct halo_addr *src,
                    const struct halo_addr *dst, const uint8_t *msg, size_t msg_len);
/* Constant-time tag check; *key_id and *seq are read from the trailer. */
bool vrrp_auth_verify(const uint8_t trailer[VRRP_AUTH_TRAILER], const uint8_t *key, size_t key_len,
                      const struct halo_addr *src, const struct halo_addr *dst,
                      const uint8_t *msg, size_t msg_len);
uint8_t vrrp_auth_key_id(const uint8_t trailer[VRRP_AUTH_TRAILER]);
uint64_t vrrp_auth_seq(const uint8_t trailer[VRRP_AUTH_TRAILER]);

/* Received datagram (IPv4: with its header; IPv6: the VRRP message): if
 * it ends in an auth trailer right after the VRRP message, copies it to
 * `trailer`, hides it from the codec (IPv4: total length reduced; returns
 * the new length) and sets *msg / *msg_len to the VRRP message. Returns len
 * unchanged and *msg NULL when there is none. */
size_t vrrp_auth_strip(uint8_t *buf, size_t len, int family, uint8_t trailer[VRRP_AUTH_TRAILER],
                       const uint8_t **msg, size_t *msg_len);

/* Sliding anti-replay window of 64 sequence numbers (RFC 4303 3.4.3 style):
 * returns true and records seq if it is new, false for a replay or one
 * older than the window. */
struct vrrp_replay {
	uint64_t top;               /* highest sequence accepted, 0 = none yet */
	uint64_t bitmap;            /* bit i: top - i seen */
};
bool vrrp_replay_check(struct vrrp_replay *w, uint64_t seq);

#endif
