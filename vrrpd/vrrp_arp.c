/* Builders for gratuitous ARP and unsolicited neighbour advertisement frames
 * and the VRRP virtual MAC; pure, they must not do I/O. */
#include "vrrp_pkt.h"

#include <string.h>
#include <sys/socket.h>

#define ETH_HLEN_        14
#define ICMP6_NA         136
#define ND_OPT_TARGET_LL 2
#define NA_FLAG_ROUTER   0x80
#define NA_FLAG_OVERRIDE 0x20

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

/* RFC 5798 6.4.1 / RFC 3768 6.4.1: on becoming master, broadcast a
 * gratuitous ARP request per VIP with the virtual MAC as sender (RFC 826
 * layout; RFC 5227 3: target hardware address zero, target IP = sender IP). */
size_t vrrp_garp_build(uint8_t out[VRRP_ARP_FRAME_LEN], const uint8_t mac[6], const struct halo_addr *vip)
{
	uint8_t *p = out;

	if (vip->family != AF_INET)
		return 0;
	memset(p, 0xff, 6);                 /* Ethernet broadcast */
	memcpy(p + 6, mac, 6);
	p = put16(p + 12, 0x0806);
	p = put16(p, 1);                    /* htype Ethernet */
	p = put16(p, 0x0800);               /* ptype IPv4 */
	*p++ = 6;
	*p++ = 4;
	p = put16(p, 1);                    /* request */
	memcpy(p, mac, 6);
	memcpy(p + 6, vip->bytes, 4);
	memset(p + 10, 0, 6);
	memcpy(p + 16, vip->bytes, 4);
	return VRRP_ARP_FRAME_LEN;
}

/* RFC 5798 6.4.1 / RFC 4861 4.4 and 7.2.6: unsolicited NA to all-nodes with
 * Override set, Router as the instance says, Solicited clear, and the target
 * link-layer address option. */
size_t vrrp_una_build(uint8_t *out, size_t cap, const uint8_t mac[6], const struct halo_addr *vip,
                      const struct halo_addr *src, bool router)
{
	struct halo_addr all_nodes = { .family = AF_INET6 };
	uint16_t ck;

	if (cap < VRRP_UNA_LEN || vip->family != AF_INET6 || src->family != AF_INET6)
		return 0;
	all_nodes.bytes[0] = 0xff;
	all_nodes.bytes[1] = 0x02;
	all_nodes.bytes[15] = 0x01;
	memset(out, 0, VRRP_UNA_LEN);
	out[0] = ICMP6_NA;
	out[4] = NA_FLAG_OVERRIDE | (router ? NA_FLAG_ROUTER : 0);
	memcpy(out + 8, vip->bytes, 16);
	out[24] = ND_OPT_TARGET_LL;
	out[25] = 1;                        /* option length in units of 8 octets */
	memcpy(out + 26, mac, 6);
	/* RFC 4443 2.3: checksum with the IPv6 pseudo-header, next header 58 */
	ck = vrrp_inet_checksum(out, VRRP_UNA_LEN, AF_INET6, src, &all_nodes, 58, 2);
	put16(out + 2, ck);
	return VRRP_UNA_LEN;
}

/* RFC 5798 7.3 / RFC 3768 7.3: 00-00-5E-00-01-{VRID} (IPv4),
 * 00-00-5E-00-02-{VRID} (IPv6). */
void vrrp_vmac(uint8_t out[6], int family, uint8_t vrid)
{
	out[0] = 0x00;
	out[1] = 0x00;
	out[2] = 0x5e;
	out[3] = 0x00;
	out[4] = family == AF_INET6 ? 0x02 : 0x01;
	out[5] = vrid;
}
