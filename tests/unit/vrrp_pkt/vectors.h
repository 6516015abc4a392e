/* Known-answer VRRP vectors shared by the Check suite and the pcap writer;
 * test data only, no assertions here. */
#ifndef HALO_TEST_VRRP_VECTORS_H
#define HALO_TEST_VRRP_VECTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrp_pkt.h"

struct test_vector {
	const char *name;
	const uint8_t *bytes;           /* the VRRP message, written out */
	size_t len;
	int family;
	const char *src, *dst;          /* IP header and pseudo-header */
	uint8_t version, vrid, priority;
	uint16_t adver_int_cs;
	const char *auth_pass;          /* v2: NULL = no authentication */
	const char *addrs[2];
	size_t naddr;
	bool v3_ipv4_pseudo;
};

enum { VEC_V2_PASS, VEC_V2_NONE, VEC_V3_V4_PSEUDO, VEC_V3_V4_RFC9568, VEC_V3_V6, VEC_N };

extern const struct test_vector test_vectors[VEC_N];

/* Unsolicited NA for 2001:db8::100 from fe80::a8bb:ccff:fedd:eeff, router,
 * MAC 00:00:5e:00:02:07. */
extern const uint8_t vec_una[VRRP_UNA_LEN];
extern const uint8_t vec_garp[VRRP_ARP_FRAME_LEN];

void vec_tx(const struct test_vector *v, struct vrrp_tx *tx, struct halo_addr addrs[2]);
/* What a raw socket hands over: IPv4 header + message, or (IPv6) the message
 * with meta->src/dst/ttl filled as the shell would. Returns the length. */
size_t vec_datagram(const struct test_vector *v, uint8_t *out, size_t cap, uint8_t ttl,
                    struct vrrp_meta *meta);
/* A 20-byte IPv4 header with a correct header checksum. */
void vec_ipv4_header(uint8_t out[20], const struct halo_addr *src, const struct halo_addr *dst,
                     size_t payload_len, uint8_t ttl, uint8_t proto);
struct halo_addr vec_addr(const char *s);
/* Recomputes the checksum of a VRRP message in v's style after a mutation. */
void vec_fix_cksum(const struct test_vector *v, uint8_t *msg, size_t len);

/* The Check cases of each test file. */
struct TCase;
struct TCase *vrrp_kat_tcase(void);
struct TCase *vrrp_rx_tcase(void);
struct TCase *vrrp_robust_tcase(void);

#endif
