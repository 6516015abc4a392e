/* Gratuitous ARP (AF_PACKET) and unsolicited neighbour advertisements (raw
 * ICMPv6) sent on entering MASTER: an immediate burst, an optional second
 * burst and a periodic refresh, paced by their own timer so that they never
 * hold up an advert. Frames come from the pure builders in vrrp_arp.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/icmp6.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrpd.h"

int vrrpd_garp_open(struct vrrpd *d)
{
	int hops = 255;

	d->packet_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	d->icmp6_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMPV6);
	if (d->packet_fd < 0 || d->icmp6_fd < 0)
		return -1;
	/* RFC 4861 7.1.2: a receiver drops an NA whose hop limit is not 255 */
	setsockopt(d->icmp6_fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops));
	return 0;
}

static void send_garp(struct vrrp_inst *vi, const struct cfg_vaddr *va, int ifindex, const uint8_t mac[6])
{
	uint8_t frame[VRRP_ARP_FRAME_LEN];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
	                           .sll_ifindex = ifindex, .sll_halen = 6 };

	memset(sll.sll_addr, 0xff, 6);
	size_t len = vrrp_garp_build(frame, mac, &va->addr);
	sendto(vi->d->packet_fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll));
}

static void send_una(struct vrrp_inst *vi, const struct cfg_vaddr *va, int ifindex, const uint8_t mac[6])
{
	uint8_t body[64];
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)ifindex };
	union { char c[CMSG_SPACE(sizeof(struct in6_pktinfo))]; struct cmsghdr align; } cbuf;
	struct in6_pktinfo pi = { .ipi6_addr = vi->ifp->primary.v6, .ipi6_ifindex = (unsigned)ifindex };
	struct iovec iov;
	struct msghdr mh = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov, .msg_iovlen = 1,
	                     .msg_control = cbuf.c, .msg_controllen = sizeof(cbuf.c) };
	struct cmsghdr *c = (struct cmsghdr *)cbuf.c;

	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	iov.iov_base = body;
	iov.iov_len = vrrp_una_build(body, sizeof(body), mac, &va->addr, &vi->ifp->primary, false);
	memset(&cbuf, 0, sizeof(cbuf));
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	sendmsg(vi->d->icmp6_fd, &mh, 0);
}

static void garp_send_all(struct vrrp_inst *vi)
{
	for (size_t i = 0; i < vi->cfg->n_vaddrs; i++) {
		const struct cfg_vaddr *va = &vi->cfg->vaddrs[i];
		int ifindex = vi->vmac_ifindex ? vi->vmac_ifindex : vi->ifp->ifindex;
		uint8_t mac[6];
		bool up;

		memcpy(mac, vi->vmac_ifindex ? vi->vmac_mac : vi->ifp->mac, 6);
		if (va->dev && vrrpd_nl_link(vi->d->nl, va->dev, &ifindex, &up, mac) < 0)
			continue;
		if (va->addr.family == AF_INET)
			send_garp(vi, va, ifindex, mac);
		else
			send_una(vi, va, ifindex, mac);
	}
}

static void garp_timer_cb(void *arg)
{
	struct vrrp_inst *vi = arg;
	const struct cfg_garp *g = &vi->cfg->garp;
	uint64_t now = ev_now_us();

	if (vi->fsm.state != VRRP_STATE_MASTER)
		return;
	if (vi->garp_left == 0) {
		/* the burst is over: second burst or refresh */
		vi->garp_left = g->repeat ? g->repeat : 1;
		vi->garp_second_pending = false;
	}
	garp_send_all(vi);
	vi->garp_left--;
	if (vi->garp_left && g->interval)
		ev_timer_arm(vi->d->loop, &vi->garp_timer, now + g->interval * 1000);
	else if (vi->garp_left)
		garp_timer_cb(vi);
	else if (vi->garp_second_pending)
		ev_timer_arm(vi->d->loop, &vi->garp_timer, now + g->second_burst_delay * 1000);
	else if (g->refresh)
		ev_timer_arm(vi->d->loop, &vi->garp_timer, now + g->refresh * 1000);
}

void vrrpd_garp_start(struct vrrp_inst *vi)
{
	const struct cfg_garp *g = &vi->cfg->garp;

	ev_timer_init(&vi->garp_timer, garp_timer_cb, vi);
	vi->garp_left = g->repeat ? g->repeat : 1;
	vi->garp_second_pending = g->second_burst_delay > 0;
	garp_timer_cb(vi);
}

void vrrpd_garp_stop(struct vrrp_inst *vi)
{
	if (vi->garp_timer.cb)
		ev_timer_cancel(vi->d->loop, &vi->garp_timer);
	vi->garp_left = 0;
	vi->garp_second_pending = false;
}
