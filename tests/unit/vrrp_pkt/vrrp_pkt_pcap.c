/* Writes the known-answer vectors, as vrrp_pkt_build and the GARP/NA builders
 * produce them, into pcap files (Ethernet link type) for tshark to judge; a
 * test tool that refuses to write when the builders disagree with the vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vectors.h"

#define FRAME_MAX (14 + 40 + VRRP_PKT_MAX)

static uint8_t *put_eth(uint8_t *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = (uint8_t)(type >> 8);
	p[13] = (uint8_t)type;
	return p + 14;
}

static uint8_t *put_ipv6(uint8_t *p, const struct halo_addr *src, const struct halo_addr *dst,
                         size_t plen, uint8_t nh)
{
	memset(p, 0, 40);
	p[0] = 0x6c;                        /* version 6, traffic class CS6 */
	p[4] = (uint8_t)(plen >> 8);
	p[5] = (uint8_t)plen;
	p[6] = nh;
	p[7] = 255;
	memcpy(p + 8, src->bytes, 16);
	memcpy(p + 24, dst->bytes, 16);
	return p + 40;
}

static void write_rec(FILE *f, const uint8_t *frame, size_t len, uint32_t sec)
{
	uint32_t rec[4] = { sec, 0, (uint32_t)len, (uint32_t)len };

	if (fwrite(rec, sizeof(rec), 1, f) != 1 || fwrite(frame, len, 1, f) != 1) {
		perror("write");
		exit(2);
	}
}

static FILE *open_pcap(const char *path)
{
	/* pcap 2.4 header in host order; linktype 1 = Ethernet */
	uint32_t hdr[6] = { 0xa1b2c3d4, 2 | 4u << 16, 0, 0, 65535, 1 };
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(hdr, sizeof(hdr), 1, f) != 1) {
		perror(path);
		exit(2);
	}
	return f;
}

/* Ethernet + IP + VRRP for vector v, VRRP bytes from vrrp_pkt_build. */
static size_t vrrp_frame(const struct test_vector *v, uint8_t *frame)
{
	static const uint8_t mc4[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x12 };
	static const uint8_t mc6[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x12 };
	struct halo_addr addrs[2];
	struct vrrp_tx tx;
	uint8_t mac[6], msg[VRRP_PKT_MAX], *p;
	ssize_t n;

	vec_tx(v, &tx, addrs);
	n = vrrp_pkt_build(&tx, msg, sizeof(msg));
	if (n != (ssize_t)v->len || memcmp(msg, v->bytes, v->len) != 0) {
		fprintf(stderr, "%s: vrrp_pkt_build disagrees with the vector\n", v->name);
		exit(1);
	}
	vrrp_vmac(mac, v->family, v->vrid);
	if (v->family == AF_INET) {
		p = put_eth(frame, mc4, mac, 0x0800);
		vec_ipv4_header(p, &tx.src, &tx.dst, (size_t)n, 255, VRRP_PROTO);
		p += 20;
	} else {
		p = put_eth(frame, mc6, mac, 0x86dd);
		p = put_ipv6(p, &tx.src, &tx.dst, (size_t)n, VRRP_PROTO);
	}
	memcpy(p, msg, (size_t)n);
	return (size_t)(p - frame) + (size_t)n;
}

static size_t garp_frame(uint8_t *frame)
{
	struct halo_addr vip = vec_addr("192.168.0.100");
	uint8_t mac[6];

	vrrp_vmac(mac, AF_INET, 51);
	if (vrrp_garp_build(frame, mac, &vip) != VRRP_ARP_FRAME_LEN ||
	    memcmp(frame, vec_garp, VRRP_ARP_FRAME_LEN) != 0) {
		fprintf(stderr, "vrrp_garp_build disagrees with the vector\n");
		exit(1);
	}
	memset(frame + VRRP_ARP_FRAME_LEN, 0, 60 - VRRP_ARP_FRAME_LEN);   /* Ethernet padding */
	return 60;
}

static size_t una_frame(uint8_t *frame)
{
	static const uint8_t all_nodes_mac[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	struct halo_addr vip = vec_addr("2001:db8::100"), src = vec_addr("fe80::a8bb:ccff:fedd:eeff");
	struct halo_addr dst = vec_addr("ff02::1");
	uint8_t mac[6], body[64], *p;

	vrrp_vmac(mac, AF_INET6, 7);
	if (vrrp_una_build(body, sizeof(body), mac, &vip, &src, true) != VRRP_UNA_LEN ||
	    memcmp(body, vec_una, VRRP_UNA_LEN) != 0) {
		fprintf(stderr, "vrrp_una_build disagrees with the vector\n");
		exit(1);
	}
	p = put_eth(frame, all_nodes_mac, mac, 0x86dd);
	p = put_ipv6(p, &src, &dst, VRRP_UNA_LEN, 58);
	memcpy(p, body, VRRP_UNA_LEN);
	return (size_t)(p - frame) + VRRP_UNA_LEN;
}

int main(int argc, char **argv)
{
	static const int order[] = { VEC_V2_PASS, VEC_V2_NONE, VEC_V3_V4_PSEUDO, VEC_V3_V6 };
	uint8_t frame[FRAME_MAX];
	uint32_t sec = 1;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: %s MAIN.pcap RFC9568.pcap\n", argv[0]);
		return 2;
	}
	/* frames 1-4: VRRP (default tshark preferences), 5: GARP, 6: NA */
	f = open_pcap(argv[1]);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		write_rec(f, frame, vrrp_frame(&test_vectors[order[i]], frame), sec++);
	write_rec(f, frame, garp_frame(frame), sec++);
	write_rec(f, frame, una_frame(frame), sec++);
	if (fclose(f) != 0)
		return 2;
	/* the RFC 9568 vector alone: judged with v3_checksum_as_in_v2 */
	f = open_pcap(argv[2]);
	write_rec(f, frame, vrrp_frame(&test_vectors[VEC_V3_V4_RFC9568], frame), sec++);
	return fclose(f) != 0 ? 2 : 0;
}
