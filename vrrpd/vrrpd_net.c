/* Raw IPPROTO_VRRP sockets, one per (interface, family), bound to the device:
 * multicast membership, TTL/hop limit 255, receive with cmsg, send with the
 * chosen source. Received bytes go to the codec untouched. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrpd.h"

static const struct in_addr vrrp_mcast4 = { .s_addr = 0x120000e0 };  /* 224.0.0.18, network order */
static const struct in6_addr vrrp_mcast6 = { { { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12 } } };

static void iface_read(int fd, uint32_t events, void *arg)
{
	struct vrrp_iface *ifp = arg;
	uint8_t buf[VRRP_PKT_MAX + 128];
	union { char c[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } cbuf;

	for (int budget = 0; budget < 256; budget++) {
		struct sockaddr_storage from;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
		                     .msg_iovlen = 1, .msg_control = cbuf.c, .msg_controllen = sizeof(cbuf) };
		struct vrrp_meta meta = { .family = ifp->family, .ifindex = ifp->ifindex, .ttl = -1 };
		ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);

		if (n < 0)
			return;
		if (ifp->family == AF_INET6) {
			const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&from;
			meta.src.family = AF_INET6;
			meta.src.v6 = s6->sin6_addr;
			for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
				if (c->cmsg_level != IPPROTO_IPV6)
					continue;
				if (c->cmsg_type == IPV6_HOPLIMIT)
					memcpy(&meta.ttl, CMSG_DATA(c), sizeof(int));
				else if (c->cmsg_type == IPV6_PKTINFO) {
					struct in6_pktinfo pi;
					memcpy(&pi, CMSG_DATA(c), sizeof(pi));
					meta.dst.family = AF_INET6;
					meta.dst.v6 = pi.ipi6_addr;
				}
			}
		}
		vrrpd_inst_rx(ifp, buf, (size_t)n, &meta);
	}
}

static int iface_sock_open4(struct vrrp_iface *ifp)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_PROTO);
	int ttl = 255, off = 0;
	struct ip_mreqn mr = { .imr_multiaddr = vrrp_mcast4, .imr_ifindex = ifp->ifindex };

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifp->name, (socklen_t)strlen(ifp->name)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0)
		goto fail;
	/* membership may fail while the link is down; retried on refresh */
	setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr));
	return fd;
fail:
	close(fd);
	return -1;
}

static int iface_sock_open6(struct vrrp_iface *ifp)
{
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_PROTO);
	int hops = 255, on = 1, off = 0, idx = ifp->ifindex;
	struct ipv6_mreq mr = { .ipv6mr_multiaddr = vrrp_mcast6, .ipv6mr_interface = (unsigned)ifp->ifindex };

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifp->name, (socklen_t)strlen(ifp->name)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof(idx)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0)
		goto fail;
	setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr));
	return fd;
fail:
	close(fd);
	return -1;
}

static int iface_open(struct vrrp_iface *ifp)
{
	ifp->fd = ifp->family == AF_INET ? iface_sock_open4(ifp) : iface_sock_open6(ifp);
	if (ifp->fd < 0)
		return -1;
	if (ev_io_add(ifp->d->loop, ifp->fd, EPOLLIN, iface_read, ifp) < 0) {
		close(ifp->fd);
		ifp->fd = -1;
		return -1;
	}
	return 0;
}

static void iface_close(struct vrrp_iface *ifp)
{
	if (ifp->fd < 0)
		return;
	ev_io_del(ifp->d->loop, ifp->fd);
	close(ifp->fd);
	ifp->fd = -1;
}

/* Addresses of the instances on this interface: excluded from the primary. */
static size_t iface_vips(struct vrrp_iface *ifp, struct halo_addr *out, size_t cap)
{
	size_t n = 0;

	for (struct vrrp_inst *vi = ifp->insts; vi; vi = vi->next_on_if)
		for (size_t i = 0; i < vi->n_vips && n < cap; i++)
			out[n++] = vi->vips[i];
	return n;
}

/* unicast_fault_no_peer: FAULT while no peer lies in a prefix of the
 * interface (nothing to send adverts to without a route). */
static void iface_peer_check(struct vrrp_inst *vi)
{
	bool any = false;

	for (size_t i = 0; i < vi->cfg->n_unicast_peers && !any; i++)
		any = vi->ifp->ifindex && vrrpd_nl_onlink(vi->d->nl, vi->ifp->ifindex, &vi->cfg->unicast_peers[i]);
	if (vi->nopeer_fault == !any)
		return;
	vi->nopeer_fault = !any;
	log_info("(%s) %s", vi->cfg->name, any ? "a unicast peer is on-link again" :
	         "no unicast peer is on-link (unicast_fault_no_peer)");
	vrrpd_inst_fault_eval(vi);
}

static void iface_refresh_one(struct vrrp_iface *ifp)
{
	static struct halo_addr excl[4096];
	int ifindex = 0;
	bool up = false, was_up = ifp->up;
	uint8_t mac[6];

	if (vrrpd_nl_link(ifp->d->nl, ifp->name, &ifindex, &up, mac) < 0) {
		ifindex = 0;
		up = false;
	}
	if (ifindex != ifp->ifindex) {
		iface_close(ifp);
		ifp->ifindex = ifindex;
	}
	if (ifindex) {
		memcpy(ifp->mac, mac, 6);
		size_t n = iface_vips(ifp, excl, sizeof(excl) / sizeof(excl[0]));
		if (vrrpd_nl_primary(ifp->d->nl, ifindex, ifp->family, excl, n, &ifp->primary) < 0)
			memset(&ifp->primary, 0, sizeof(ifp->primary));
		if (ifp->family != AF_INET6 || vrrpd_nl_global6(ifp->d->nl, ifindex, excl, n, &ifp->global6) < 0)
			memset(&ifp->global6, 0, sizeof(ifp->global6));
		if (ifp->fd < 0 && iface_open(ifp) < 0)
			log_warn("%s: cannot open VRRP socket", ifp->name);
	}
	if (up && !was_up && ifp->fd >= 0) {
		/* re-join: membership is lost when the device went down */
		iface_close(ifp);
		iface_open(ifp);
	}
	ifp->up = up && ifp->fd >= 0;
	if (ifp->up != was_up)
		for (struct vrrp_inst *vi = ifp->insts; vi; vi = vi->next_on_if)
			vrrpd_inst_link(vi, ifp->up);
	for (struct vrrp_inst *vi = ifp->insts; vi; vi = vi->next_on_if)
		if (vi->cfg->unicast_fault_no_peer)
			iface_peer_check(vi);
}

void vrrpd_iface_refresh(struct vrrpd *d)
{
	for (struct vrrp_iface *ifp = d->ifaces; ifp; ifp = ifp->next)
		iface_refresh_one(ifp);
	vrrpd_track_links(d);
}

struct vrrp_iface *vrrpd_iface_get(struct vrrpd *d, const char *name, int family)
{
	struct vrrp_iface *ifp;

	for (ifp = d->ifaces; ifp; ifp = ifp->next)
		if (ifp->family == family && strcmp(ifp->name, name) == 0)
			return ifp;
	ifp = calloc(1, sizeof(*ifp));
	if (!ifp)
		fatal("calloc");
	ifp->d = d;
	ifp->family = family;
	ifp->fd = -1;
	snprintf(ifp->name, sizeof(ifp->name), "%s", name);
	ifp->next = d->ifaces;
	d->ifaces = ifp;
	return ifp;
}

void vrrpd_iface_free_unused(struct vrrpd *d)
{
	struct vrrp_iface **pp = &d->ifaces;

	while (*pp) {
		struct vrrp_iface *ifp = *pp;
		if (ifp->insts) {
			pp = &ifp->next;
			continue;
		}
		iface_close(ifp);
		*pp = ifp->next;
		free(ifp);
	}
}

static int send_one(int fd, int family, int ifindex, const uint8_t *msg, size_t len,
                    const struct halo_addr *src, const struct halo_addr *dst)
{
	union { char c[CMSG_SPACE(sizeof(struct in6_pktinfo))]; struct cmsghdr align; } cbuf;
	struct sockaddr_storage to;
	struct iovec iov = { (void *)msg, len };
	struct msghdr mh = { .msg_name = &to, .msg_iov = &iov, .msg_iovlen = 1,
	                     .msg_control = cbuf.c };
	struct cmsghdr *c;

	memset(&to, 0, sizeof(to));
	memset(&cbuf, 0, sizeof(cbuf));
	c = (struct cmsghdr *)cbuf.c;
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&to;
		struct in_pktinfo pi = { .ipi_ifindex = ifindex, .ipi_spec_dst = src->v4 };
		s4->sin_family = AF_INET;
		s4->sin_addr = dst->v4;
		mh.msg_namelen = sizeof(*s4);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&to;
		struct in6_pktinfo pi = { .ipi6_addr = src->v6, .ipi6_ifindex = (unsigned)ifindex };
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = dst->v6;
		if (IN6_IS_ADDR_MULTICAST(&dst->v6) || IN6_IS_ADDR_LINKLOCAL(&dst->v6))
			s6->sin6_scope_id = (uint32_t)ifindex;
		mh.msg_namelen = sizeof(*s6);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
	}
	return sendmsg(fd, &mh, MSG_DONTWAIT) < 0 ? -1 : 0;
}

/* authentication hmac: appends the trailer signed with send_key. */
static ssize_t net_sign(struct vrrp_inst *vi, uint8_t *msg, size_t len, const struct halo_addr *src,
                        const struct halo_addr *dst)
{
	const struct cfg_vrrp_instance *c = vi->cfg;

	for (size_t k = 0; k < c->n_hmac_keys; k++)
		if (c->hmac_keys[k].id == c->hmac_send_key) {
			vrrp_auth_sign(msg + len, c->hmac_send_key, (const uint8_t *)c->hmac_keys[k].secret,
			               strlen(c->hmac_keys[k].secret), ++vi->d->auth_seq, src, dst, msg, len);
			return (ssize_t)(len + VRRP_AUTH_TRAILER);
		}
	return -1;
}

/* Sends one advert to the multicast group or to every unicast peer; the
 * checksum covers the pseudo-header, so the message is built per destination. */
int vrrpd_net_send_advert(struct vrrp_inst *vi, uint8_t priority)
{
	const struct cfg_vrrp_instance *c = vi->cfg;
	struct vrrp_iface *ifp = vi->ifp;
	uint8_t msg[VRRP_PKT_MAX + VRRP_AUTH_TRAILER];
	struct vrrp_tx tx = {
		.version = c->version, .vrid = c->vrid, .priority = priority,
		.adver_int_cs = (uint16_t)(c->advert_interval / 10), .auth_type = c->auth_type,
		.auth_pass = c->auth_pass, .addrs = vi->vips, .naddr = vi->n_vips,
		.family = c->family, .v3_ipv4_pseudo = vi->peer_pseudo,
	};
	struct halo_addr mcast = { .family = c->family };
	const struct halo_addr *dsts = &mcast;
	size_t n_dst = 1;
	int rc = 0, fd = ifp->fd, ifindex = ifp->ifindex;

	if (ifp->fd < 0 || !ifp->up)
		return -1;
	if (vi->vmac_fd >= 0 && !c->vmac_xmit_base) {
		/* adverts from the virtual MAC (the vmac is up while Master) */
		if (!vi->vmac_up)
			vrrpd_vmac_up(vi, true);
		fd = vi->vmac_fd;
		ifindex = vi->vmac_ifindex;
	}
	tx.src = vrrpd_inst_source(vi);
	if (!tx.src.family)
		return -1;
	if (c->family == AF_INET)
		mcast.v4 = vrrp_mcast4;
	else
		mcast.v6 = vrrp_mcast6;
	if (c->n_unicast_peers) {
		dsts = c->unicast_peers;
		n_dst = c->n_unicast_peers;
	}
	for (size_t i = 0; i < n_dst; i++) {
		tx.dst = dsts[i];
		ssize_t len = vrrp_pkt_build(&tx, msg, VRRP_PKT_MAX);
		if (len > 0 && c->auth_type == CFG_AUTH_HMAC)
			len = net_sign(vi, msg, (size_t)len, &tx.src, &dsts[i]);
		if (len < 0 || send_one(fd, c->family, ifindex, msg, (size_t)len, &tx.src, &dsts[i]) < 0)
			rc = -1;
	}
	return rc;
}
