/* Known-answer VRRP vectors: bytes derived by gen_vectors.py (plain RFC 1071
 * arithmetic, not this codec) and checked by tshark; test data, no I/O. */
#include "vectors.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const uint8_t v2_pass[] = {
	0x21, 0x33, 0x64, 0x01, 0x01, 0x01, 0x56, 0x5b,
	0xc0, 0xa8, 0x00, 0x64, 0x31, 0x31, 0x31, 0x31,
	0x00, 0x00, 0x00, 0x00,
};

static const uint8_t v2_none[] = {
	0x21, 0x01, 0xff, 0x02, 0x00, 0x03, 0xcb, 0xf5,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const uint8_t v3_v4_pseudo[] = {
	0x31, 0x33, 0x64, 0x01, 0x00, 0x64, 0x07, 0xb8,
	0xc0, 0xa8, 0x00, 0x64,
};

static const uint8_t v3_v4_rfc9568[] = {
	0x31, 0x34, 0x96, 0x02, 0x00, 0x0a, 0xb6, 0xa4,
	0xc0, 0xa8, 0x00, 0x64, 0xc0, 0xa8, 0x00, 0x65,
};

static const uint8_t v3_v6[] = {
	0x31, 0x07, 0xc8, 0x02, 0x0f, 0xff, 0x67, 0xf4,
	0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
};

const struct test_vector test_vectors[VEC_N] = {
	[VEC_V2_PASS] = { "v2 ipv4 auth pass", v2_pass, sizeof(v2_pass), AF_INET,
	                  "192.168.0.107", "224.0.0.18", 2, 51, 100, 100, "1111",
	                  { "192.168.0.100" }, 1, false },
	[VEC_V2_NONE] = { "v2 ipv4 no auth", v2_none, sizeof(v2_none), AF_INET,
	                  "10.0.0.3", "224.0.0.18", 2, 1, 255, 300, NULL,
	                  { "10.0.0.1", "10.0.0.2" }, 2, false },
	[VEC_V3_V4_PSEUDO] = { "v3 ipv4 pseudo-header", v3_v4_pseudo, sizeof(v3_v4_pseudo), AF_INET,
	                       "192.168.0.107", "224.0.0.18", 3, 51, 100, 100, NULL,
	                       { "192.168.0.100" }, 1, true },
	[VEC_V3_V4_RFC9568] = { "v3 ipv4 rfc9568", v3_v4_rfc9568, sizeof(v3_v4_rfc9568), AF_INET,
	                        "192.168.0.107", "224.0.0.18", 3, 52, 150, 10, NULL,
	                        { "192.168.0.100", "192.168.0.101" }, 2, false },
	[VEC_V3_V6] = { "v3 ipv6", v3_v6, sizeof(v3_v6), AF_INET6,
	                "fe80::a8bb:ccff:fedd:eeff", "ff02::12", 3, 7, 200, 4095, NULL,
	                { "fe80::1", "2001:db8::100" }, 2, true },
};

const uint8_t vec_una[VRRP_UNA_LEN] = {
	0x88, 0x00, 0xe5, 0xc4, 0xa0, 0x00, 0x00, 0x00,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
	0x02, 0x01, 0x00, 0x00, 0x5e, 0x00, 0x02, 0x07,
};

/* GARP for 192.168.0.100 from 00:00:5e:00:01:33 (VRID 51). */
const uint8_t vec_garp[VRRP_ARP_FRAME_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33,
	0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x00, 0x00, 0x5e, 0x00, 0x01, 0x33, 0xc0, 0xa8, 0x00, 0x64,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x64,
};

struct halo_addr vec_addr(const char *s)
{
	struct halo_addr a;

	if (halo_addr_parse(s, &a) < 0)
		abort();
	return a;
}

void vec_tx(const struct test_vector *v, struct vrrp_tx *tx, struct halo_addr addrs[2])
{
	memset(tx, 0, sizeof(*tx));
	for (size_t i = 0; i < v->naddr; i++)
		addrs[i] = vec_addr(v->addrs[i]);
	tx->version = v->version;
	tx->vrid = v->vrid;
	tx->priority = v->priority;
	tx->adver_int_cs = v->adver_int_cs;
	tx->auth_type = v->auth_pass ? CFG_AUTH_PASS : CFG_AUTH_NONE;
	tx->auth_pass = v->auth_pass;
	tx->addrs = addrs;
	tx->naddr = v->naddr;
	tx->family = v->family;
	tx->src = vec_addr(v->src);
	tx->dst = vec_addr(v->dst);
	tx->v3_ipv4_pseudo = v->v3_ipv4_pseudo;
}

void vec_ipv4_header(uint8_t out[20], const struct halo_addr *src, const struct halo_addr *dst,
                     size_t payload_len, uint8_t ttl, uint8_t proto)
{
	size_t tot = 20 + payload_len;
	uint32_t sum = 0;

	memset(out, 0, 20);
	out[0] = 0x45;
	out[1] = 0xc0;                      /* DSCP CS6, as VRRP speakers send */
	out[2] = (uint8_t)(tot >> 8);
	out[3] = (uint8_t)tot;
	out[8] = ttl;
	out[9] = proto;
	memcpy(out + 12, src->bytes, 4);
	memcpy(out + 16, dst->bytes, 4);
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)out[i] << 8 | out[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	out[10] = (uint8_t)(~sum >> 8);
	out[11] = (uint8_t)~sum;
}

size_t vec_datagram(const struct test_vector *v, uint8_t *out, size_t cap, uint8_t ttl,
                    struct vrrp_meta *meta)
{
	struct halo_addr src = vec_addr(v->src), dst = vec_addr(v->dst);

	memset(meta, 0, sizeof(*meta));
	meta->family = v->family;
	if (v->family == AF_INET6) {
		if (cap < v->len)
			abort();
		meta->src = src;
		meta->dst = dst;
		meta->ttl = ttl;
		memcpy(out, v->bytes, v->len);
		return v->len;
	}
	if (cap < 20 + v->len)
		abort();
	vec_ipv4_header(out, &src, &dst, v->len, ttl, VRRP_PROTO);
	memcpy(out + 20, v->bytes, v->len);
	return 20 + v->len;
}

void vec_fix_cksum(const struct test_vector *v, uint8_t *msg, size_t len)
{
	struct halo_addr src = vec_addr(v->src), dst = vec_addr(v->dst);
	bool pseudo = v->version == 3 && (v->family == AF_INET6 || v->v3_ipv4_pseudo);
	uint16_t ck = vrrp_pkt_checksum(msg, len, v->family, &src, &dst, pseudo);

	msg[6] = (uint8_t)(ck >> 8);
	msg[7] = (uint8_t)ck;
}
