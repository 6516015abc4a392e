/* Virtual MAC (use_vmac): a macvlan vrrp.<VRID> / vrrp6.<VRID> on the
 * instance's interface with the RFC 5798 7.3 virtual router MAC, created and
 * removed by vrrpd, up only while Master (so the Backup's copy never sends
 * from the shared MAC into the switch); VIPs live on it and adverts leave
 * from it unless vmac_xmit_base. Carries out; decides nothing. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrpd.h"

/* /proc/sys/net/<proto>/conf/<ifname>/<key> = val */
static void sysctl_write(const char *proto, const char *ifname, const char *key, const char *val)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", proto, ifname, key);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	if (write(fd, val, strlen(val)) < 0)
		log_warn("%s", path);
	close(fd);
}

/* A raw socket for sending only: a filter that accepts nothing keeps its
 * receive queue empty (the base interface's socket receives). */
static int vmac_send_sock(struct vrrp_inst *vi)
{
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop };
	int fd = socket(vi->cfg->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_PROTO);
	int ttl = 255, off = 0, idx = vi->vmac_ifindex;
	struct ip_mreqn mr = { .imr_ifindex = vi->vmac_ifindex };

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, vi->vmac_name, (socklen_t)strlen(vi->vmac_name)) < 0)
		goto fail;
	if (vi->cfg->family == AF_INET) {
		if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0 ||
		    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
		    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof(off)) < 0 ||
		    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0)
			goto fail;
	} else if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)) < 0 ||
	           setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl, sizeof(ttl)) < 0 ||
	           setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof(off)) < 0 ||
	           setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof(idx)) < 0) {
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

int vrrpd_vmac_create(struct vrrp_inst *vi)
{
	const struct cfg_vrrp_instance *c = vi->cfg;

	vi->vmac_fd = -1;
	vrrp_vmac(vi->vmac_mac, c->family, c->vrid);
	snprintf(vi->vmac_name, sizeof(vi->vmac_name), c->family == AF_INET ? "vrrp.%u" : "vrrp6.%u", c->vrid);
	if (!vi->ifp->ifindex)
		return -1;
	vi->vmac_ifindex = vrrpd_nl_macvlan_add(vi->d->nl, vi->ifp->ifindex, vi->vmac_name, vi->vmac_mac);
	if (vi->vmac_ifindex <= 0) {
		vi->vmac_ifindex = 0;
		log_warnx("(%s) cannot create %s on %s; using %s itself", c->name, vi->vmac_name,
		          c->interface, c->interface);
		return -1;
	}
	/* no link-local or router solicitations from the shared MAC; the base
	 * interface must not answer ARP for the VIPs that live on the vmac
	 * (keepalived sets the same on the interfaces it gives a vmac) */
	sysctl_write("ipv6", vi->vmac_name, "addr_gen_mode", "1");
	sysctl_write("ipv6", vi->vmac_name, "accept_dad", "0");
	sysctl_write("ipv4", c->interface, "arp_ignore", "1");
	/* ARP requests from the base must not announce a VIP with the base MAC */
	sysctl_write("ipv4", c->interface, "arp_announce", "2");
	sysctl_write("ipv4", vi->vmac_name, "arp_ignore", "0");
	vi->vmac_fd = vmac_send_sock(vi);
	if (vi->vmac_fd < 0)
		log_warn("(%s) send socket on %s", c->name, vi->vmac_name);
	log_info("(%s) created %s with virtual MAC %02x:%02x:%02x:%02x:%02x:%02x", c->name, vi->vmac_name,
	         vi->vmac_mac[0], vi->vmac_mac[1], vi->vmac_mac[2], vi->vmac_mac[3], vi->vmac_mac[4],
	         vi->vmac_mac[5]);
	return 0;
}

void vrrpd_vmac_up(struct vrrp_inst *vi, bool up)
{
	if (!vi->vmac_ifindex || vi->vmac_up == up)
		return;
	if (vrrpd_nl_link_set_up(vi->d->nl, vi->vmac_ifindex, up) < 0)
		log_warnx("(%s) cannot set %s %s", vi->cfg->name, vi->vmac_name, up ? "up" : "down");
	else
		vi->vmac_up = up;
}

void vrrpd_vmac_delete(struct vrrp_inst *vi)
{
	if (vi->vmac_fd >= 0)
		close(vi->vmac_fd);
	vi->vmac_fd = -1;
	if (vi->vmac_ifindex && vrrpd_nl_link_del(vi->d->nl, vi->vmac_ifindex) < 0)
		log_warnx("(%s) cannot remove %s", vi->cfg->name, vi->vmac_name);
	vi->vmac_ifindex = 0;
	vi->vmac_up = false;
}
