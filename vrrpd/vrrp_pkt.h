/* VRRP advertisement codec (RFC 3768 v2, RFC 5798/9568 v3, IPv4 and IPv6).
 * Pure: bytes in, structs out, and back. It never sees a socket or a msghdr. */
#ifndef HALO_VRRP_PKT_H
#define HALO_VRRP_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "addr.h"
#include "config.h"

#define VRRP_PROTO          112
#define VRRP_TYPE_ADVERT    1
#define VRRP_MAX_ADDRS      255
#define VRRP_AUTH_LEN       8
#define VRRP_HDR_LEN        8           /* version/type .. checksum */
#define VRRP_PKT_MAX        (VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 + VRRP_AUTH_LEN)
#define VRRP_V2_AUTH_NONE   0
#define VRRP_V2_AUTH_PASS   1

/* Why a received datagram was dropped; each has a counter and a name. */
enum vrrp_drop {
	VRRP_DROP_NONE = 0,
	VRRP_DROP_SHORT,            /* shorter than the headers say (IP or VRRP) */
	VRRP_DROP_IP_HEADER,        /* bad IPv4 header: IHL, total length, protocol */
	VRRP_DROP_TTL,              /* TTL / hop limit != 255 */
	VRRP_DROP_VERSION,          /* not 2 or 3, or not the instance's version */
	VRRP_DROP_TYPE,             /* type != 1 */
	VRRP_DROP_LENGTH,           /* payload length != count of addresses says */
	VRRP_DROP_CHECKSUM,         /* wrong, or in a style the instance refuses */
	VRRP_DROP_VRID,             /* no instance for this VRID on this interface/family */
	VRRP_DROP_AUTH,             /* v2 auth type or password mismatch */
	VRRP_DROP_INTERVAL,         /* v2 advert interval differs from ours (RFC 3768 7.1) */
	VRRP_DROP_ADDR_COUNT,       /* count 0 (v2/v3 require at least one) */
	VRRP_DROP_NOT_PEER,         /* unicast instance: source is not a listed peer */
	VRRP_DROP_OWN,              /* our own advert looped back */
	VRRP_DROP_MAX
};
const char *vrrp_drop_name(enum vrrp_drop d);   /* "too_short", "ttl", ... stable metric labels */

/* What the shell learned about the datagram besides its bytes. */
struct vrrp_meta {
	int family;                 /* AF_INET: bytes start with the IPv4 header and
	                             * parse fills src/dst/ttl from it;
	                             * AF_INET6: bytes are the VRRP message, the shell
	                             * fills src (sockaddr), dst and ttl (cmsg) */
	struct halo_addr src, dst;
	int ttl;                    /* TTL or hop limit */
	int ifindex;
};

/* Which v3 IPv4 checksum styles a packet satisfied (v2 and IPv6: `pseudo` only
 * meaningful as "the one valid style"). */
struct vrrp_cksum_result {
	bool with_pseudo;           /* RFC 5798: IPv4 pseudo-header included (keepalived, FRR default) */
	bool without_pseudo;        /* RFC 9568 / v2 style: VRRP message only */
};

struct vrrp_advert {
	uint8_t version;            /* 2 | 3 */
	uint8_t type;
	uint8_t vrid;
	uint8_t priority;
	uint8_t naddr;
	uint8_t v2_auth_type;
	uint16_t adver_int_cs;      /* v3: Max Adver Int (centiseconds, 12 bits);
	                             * v2: Adver Int seconds * 100 */
	uint8_t v3_reserved;        /* the 4 reserved bits in front of Max Adver Int */
	uint16_t checksum;          /* as received */
	struct vrrp_cksum_result cksum;
	struct halo_addr addrs[VRRP_MAX_ADDRS];
	char v2_auth_data[VRRP_AUTH_LEN];
};

/* Structural checks only (RFC 5798 7.1 / RFC 3768 7.1 items that need no
 * configuration): IPv4 header, lengths, version 2/3, type, address count vs
 * length (IPv4 trailing Ethernet padding beyond the IP total length ignored),
 * checksum valid in at least one style. Returns VRRP_DROP_NONE or a reason;
 * *errstr gets a short human text for the log. */
enum vrrp_drop vrrp_pkt_parse(const uint8_t *buf, size_t len, struct vrrp_meta *meta,
                              struct vrrp_advert *adv, const char **errstr);

/* What an instance requires of a parsed advert (the rest of 7.1). */
struct vrrp_rx_policy {
	uint8_t version;
	int family;
	enum cfg_v3_checksum v3_checksum;
	enum cfg_auth auth_type;            /* v2 */
	const char *auth_pass;              /* v2, up to 8 bytes */
	uint16_t adver_int_cs;              /* v2: must match */
	bool check_ttl;                     /* true: TTL/hop limit must be 255 */
	const struct halo_addr *peers;      /* unicast: accept only these sources */
	size_t n_peers;
	const struct cfg_peer_ttl *peer_ttl; /* n_peers TTL ranges, NULL = 255 only */
	bool any_source;                    /* check_unicast_source false: peers only set TTL ranges */
	const struct halo_addr *own;        /* our own source addresses (loop detection) */
	size_t n_own;
};

enum vrrp_drop vrrp_pkt_accept(const struct vrrp_advert *adv, const struct vrrp_meta *meta,
                               const struct vrrp_rx_policy *pol, const char **errstr);

/* True when the advert's address list equals `vips` as a set (RFC 3768/5798
 * 7.1 says a mismatch SHOULD be logged; the packet is still used). */
bool vrrp_pkt_addrs_match(const struct vrrp_advert *adv, const struct halo_addr *vips, size_t n);

struct vrrp_tx {
	uint8_t version;
	uint8_t vrid;
	uint8_t priority;
	uint16_t adver_int_cs;              /* v2: must be a whole number of seconds */
	enum cfg_auth auth_type;            /* v2 */
	const char *auth_pass;
	const struct halo_addr *addrs;      /* all of one family */
	size_t naddr;
	int family;
	struct halo_addr src, dst;          /* for the IPv4/IPv6 pseudo-header */
	bool v3_ipv4_pseudo;                /* v3 IPv4: include the pseudo-header (keepalived default) */
};

/* Builds the VRRP message (no IP header: the kernel adds it). Returns its
 * length, or -1 if it does not fit in cap or tx is invalid. */
ssize_t vrrp_pkt_build(const struct vrrp_tx *tx, uint8_t *buf, size_t cap);

/* Internet checksum over the VRRP message with the chosen pseudo-header.
 * The checksum field (bytes 6..7) is taken as zero, so the result is the value
 * that belongs there (compare it with the received one). */
uint16_t vrrp_pkt_checksum(const uint8_t *msg, size_t len, int family,
                           const struct halo_addr *src, const struct halo_addr *dst, bool pseudo);

/* Internet checksum of msg with the IPv4/IPv6 pseudo-header for protocol
 * `proto`, the 2-byte checksum field at cksum_off taken as zero. */
uint16_t vrrp_inet_checksum(const uint8_t *msg, size_t len, int family, const struct halo_addr *src,
                            const struct halo_addr *dst, uint8_t proto, size_t cksum_off);

/* ---- gratuitous ARP and unsolicited neighbour advertisement frames ---- */
#define VRRP_ARP_FRAME_LEN  42      /* Ethernet + ARP */

/* RFC 5798 8.1.2 / RFC 3768: gratuitous ARP request for `vip` from `mac`,
 * broadcast. Full Ethernet frame. */
size_t vrrp_garp_build(uint8_t out[VRRP_ARP_FRAME_LEN], const uint8_t mac[6], const struct halo_addr *vip);

#define VRRP_UNA_LEN        32      /* ICMPv6 NA + target link-layer address option */

/* RFC 5798 8.2.2: unsolicited NA (ICMPv6 type 136, Override flag set, target
 * option) for `vip` from link-local `src` to ff02::1; returns the ICMPv6 body
 * length (the kernel adds the IPv6 header; checksum computed here). */
size_t vrrp_una_build(uint8_t *out, size_t cap, const uint8_t mac[6], const struct halo_addr *vip,
                      const struct halo_addr *src, bool router);

/* The VRRP virtual MAC 00:00:5e:00:01:VRID (IPv4) / 00:00:5e:00:02:VRID (IPv6). */
void vrrp_vmac(uint8_t out[6], int family, uint8_t vrid);

#endif
