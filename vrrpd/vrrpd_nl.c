/* The libnl-route-3 adapter of halo-vrrpd: link state and addresses from a
 * cache manager on the event loop, VIPs added and removed with an ACK.
 * EEXIST on add and "no such address" on delete count as success here. */
#include <errno.h>
#include <linux/if_addr.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "vrrpd.h"

struct vrrpd_nl {
	struct ev_loop *loop;
	struct nl_sock *cmd;            /* synchronous requests */
	struct nl_sock *mngr_sk;
	struct nl_cache_mngr *mngr;
	struct nl_cache *links, *addrs;
	vrrpd_nl_change_cb cb;
	void *arg;
	bool dirty;                     /* something changed in this batch */
	uint64_t resyncs;
};

static void nl_changed(struct nl_cache *c, struct nl_object *o, int action, void *arg)
{
	struct vrrpd_nl *nl = arg;

	nl->dirty = true;   /* one refresh per batch of messages, not per message */
}

static void nl_readable(int fd, uint32_t events, void *arg)
{
	struct vrrpd_nl *nl = arg;
	int err = nl_cache_mngr_data_ready(nl->mngr);

	if (nl->dirty) {
		nl->dirty = false;
		nl->cb(nl->arg);
	}
	if (err < 0 && err != -NLE_AGAIN) {
		/* lost events (ENOBUFS): refill the caches and re-read everything */
		log_warnx("netlink: %s; resynchronising", nl_geterror(err));
		nl->resyncs++;
		nl_cache_refill(nl->cmd, nl->links);
		nl_cache_refill(nl->cmd, nl->addrs);
		nl->cb(nl->arg);
	}
}

struct vrrpd_nl *vrrpd_nl_open(struct ev_loop *loop, vrrpd_nl_change_cb cb, void *arg)
{
	struct vrrpd_nl *nl = calloc(1, sizeof(*nl));
	int rcvbuf;

	if (!nl)
		return NULL;
	nl->loop = loop;
	nl->cb = cb;
	nl->arg = arg;
	nl->cmd = nl_socket_alloc();
	nl->mngr_sk = nl_socket_alloc();
	if (!nl->cmd || !nl->mngr_sk || nl_connect(nl->cmd, NETLINK_ROUTE) < 0)
		goto fail;
	if (nl_cache_mngr_alloc(nl->mngr_sk, NETLINK_ROUTE, NL_AUTO_PROVIDE, &nl->mngr) < 0)
		goto fail;
	/* the manager uses mngr_sk but does not free it: we do, after it */
	if (nl_cache_mngr_add(nl->mngr, "route/link", nl_changed, nl, &nl->links) < 0 ||
	    nl_cache_mngr_add(nl->mngr, "route/addr", nl_changed, nl, &nl->addrs) < 0)
		goto fail;
	/* a start with 1,000 instances adds 1,000 VIPs at once: room for all
	 * their events, so the kernel does not drop them (ENOBUFS) */
	rcvbuf = 8 << 20;
	if (setsockopt(nl_cache_mngr_get_fd(nl->mngr), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		nl_socket_set_buffer_size(nl->mngr_sk, rcvbuf, 0);
	if (ev_io_add(loop, nl_cache_mngr_get_fd(nl->mngr), EPOLLIN, nl_readable, nl) < 0)
		goto fail;
	return nl;
fail:
	vrrpd_nl_close(nl);
	return NULL;
}

void vrrpd_nl_close(struct vrrpd_nl *nl)
{
	if (!nl)
		return;
	if (nl->mngr) {
		ev_io_del(nl->loop, nl_cache_mngr_get_fd(nl->mngr));
		nl_cache_mngr_free(nl->mngr);
	}
	if (nl->mngr_sk)
		nl_socket_free(nl->mngr_sk);
	if (nl->cmd)
		nl_socket_free(nl->cmd);
	free(nl);
}

uint64_t vrrpd_nl_resyncs(const struct vrrpd_nl *nl)
{
	return nl->resyncs;
}

int vrrpd_nl_link(struct vrrpd_nl *nl, const char *ifname, int *ifindex, bool *up, uint8_t mac[6])
{
	struct rtnl_link *link = rtnl_link_get_by_name(nl->links, ifname);
	struct nl_addr *lladdr;
	unsigned flags;

	if (!link)
		return -1;
	flags = rtnl_link_get_flags(link);
	*ifindex = rtnl_link_get_ifindex(link);
	*up = (flags & IFF_UP) && (flags & IFF_RUNNING);
	memset(mac, 0, 6);
	lladdr = rtnl_link_get_addr(link);
	if (lladdr && nl_addr_get_len(lladdr) == 6)
		memcpy(mac, nl_addr_get_binary_addr(lladdr), 6);
	rtnl_link_put(link);
	return 0;
}

struct primary_ctx {
	int ifindex, family;
	bool global6;                   /* IPv6: a global address instead of the link-local */
	const struct halo_addr *excl;
	size_t n_excl;
	struct halo_addr *out;
	bool found;
};

static void primary_visit(struct nl_object *o, void *arg)
{
	struct primary_ctx *pc = arg;
	struct rtnl_addr *ra = (struct rtnl_addr *)o;
	struct nl_addr *local = rtnl_addr_get_local(ra);
	struct halo_addr a = { .family = pc->family };

	if (pc->found || rtnl_addr_get_ifindex(ra) != pc->ifindex ||
	    rtnl_addr_get_family(ra) != pc->family || !local ||
	    nl_addr_get_len(local) != halo_addr_len(&a))
		return;
	memcpy(a.bytes, nl_addr_get_binary_addr(local), halo_addr_len(&a));
	/* RFC 5798 5.1.2.1: IPv6 adverts come from the link-local address;
	 * unicast to global peers needs a global source instead */
	if (pc->family == AF_INET6 && halo_addr_is_linklocal6(&a) == pc->global6)
		return;
	for (size_t i = 0; i < pc->n_excl; i++)
		if (halo_addr_eq(&a, &pc->excl[i]))
			return;
	*pc->out = a;
	pc->found = true;
}

int vrrpd_nl_primary(struct vrrpd_nl *nl, int ifindex, int family,
                     const struct halo_addr *excl, size_t n_excl, struct halo_addr *out)
{
	struct primary_ctx pc = { ifindex, family, false, excl, n_excl, out, false };

	nl_cache_foreach(nl->addrs, primary_visit, &pc);
	return pc.found ? 0 : -1;
}

int vrrpd_nl_global6(struct vrrpd_nl *nl, int ifindex, const struct halo_addr *excl, size_t n_excl,
                     struct halo_addr *out)
{
	struct primary_ctx pc = { ifindex, AF_INET6, true, excl, n_excl, out, false };

	nl_cache_foreach(nl->addrs, primary_visit, &pc);
	return pc.found ? 0 : -1;
}

struct onlink_ctx {
	int ifindex;
	const struct halo_addr *peer;
	bool found;
};

static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	unsigned bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, b, bytes))
		return false;
	return !bits || ((a[bytes] ^ b[bytes]) & (0xff << (8 - bits))) == 0;
}

static void onlink_visit(struct nl_object *o, void *arg)
{
	struct onlink_ctx *oc = arg;
	struct rtnl_addr *ra = (struct rtnl_addr *)o;
	struct nl_addr *local = rtnl_addr_get_local(ra);

	if (oc->found || rtnl_addr_get_ifindex(ra) != oc->ifindex ||
	    rtnl_addr_get_family(ra) != oc->peer->family || !local ||
	    nl_addr_get_len(local) != halo_addr_len(oc->peer))
		return;
	oc->found = prefix_match(nl_addr_get_binary_addr(local), oc->peer->bytes,
	                         (unsigned)rtnl_addr_get_prefixlen(ra));
}

/* Whether addr lies in a prefix of an address on ifindex (reachable on-link). */
bool vrrpd_nl_onlink(struct vrrpd_nl *nl, int ifindex, const struct halo_addr *addr)
{
	struct onlink_ctx oc = { ifindex, addr, false };

	if (addr->family == AF_INET6 && halo_addr_is_linklocal6(addr))
		return true;
	nl_cache_foreach(nl->addrs, onlink_visit, &oc);
	return oc.found;
}

static struct rtnl_addr *addr_obj(int ifindex, const struct cfg_vaddr *va)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local;

	if (!ra)
		return NULL;
	local = nl_addr_build(va->addr.family, va->addr.bytes, halo_addr_len(&va->addr));
	if (!local) {
		rtnl_addr_put(ra);
		return NULL;
	}
	nl_addr_set_prefixlen(local, va->prefixlen);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, va->addr.family);
	rtnl_addr_set_local(ra, local);
	rtnl_addr_set_prefixlen(ra, va->prefixlen);
	nl_addr_put(local);
	return ra;
}

int vrrpd_nl_addr_add(struct vrrpd_nl *nl, int ifindex, const struct cfg_vaddr *va)
{
	struct rtnl_addr *ra = addr_obj(ifindex, va);
	int err;

	if (!ra)
		return -1;
	if (va->label && va->addr.family == AF_INET)
		rtnl_addr_set_label(ra, va->label);
	if (va->addr.family == AF_INET6)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);   /* the VIP must answer at once */
	err = rtnl_addr_add(nl->cmd, ra, NLM_F_CREATE);
	rtnl_addr_put(ra);
	if (err < 0 && err != -NLE_EXIST) {
		errno = EINVAL;
		log_warnx("adding address: %s", nl_geterror(err));
		return -1;
	}
	return 0;
}

int vrrpd_nl_addr_del(struct vrrpd_nl *nl, int ifindex, const struct cfg_vaddr *va)
{
	struct rtnl_addr *ra = addr_obj(ifindex, va);
	int err;

	if (!ra)
		return -1;
	err = rtnl_addr_delete(nl->cmd, ra, 0);
	rtnl_addr_put(ra);
	if (err < 0 && err != -NLE_NOADDR && err != -NLE_OBJ_NOTFOUND && err != -NLE_NODEV) {
		log_warnx("removing address: %s", nl_geterror(err));
		return -1;
	}
	return 0;
}

/* A macvlan in private mode with `mac` on base_ifindex, created down; an
 * old one of the same name (left by a crash) is replaced. Returns its
 * ifindex or -1. */
int vrrpd_nl_macvlan_add(struct vrrpd_nl *nl, int base_ifindex, const char *name, const uint8_t mac[6])
{
	struct rtnl_link *link = rtnl_link_macvlan_alloc(), *got = NULL;
	struct nl_addr *addr = nl_addr_build(AF_LLC, mac, 6);
	int err, ifindex = -1;

	if (!link || !addr)
		goto out;
	if (rtnl_link_get_kernel(nl->cmd, 0, name, &got) == 0) {
		rtnl_link_delete(nl->cmd, got);
		rtnl_link_put(got);
		got = NULL;
	}
	rtnl_link_set_link(link, base_ifindex);
	rtnl_link_set_name(link, name);
	rtnl_link_set_addr(link, addr);
	rtnl_link_macvlan_set_mode(link, rtnl_link_macvlan_str2mode("private"));
	err = rtnl_link_add(nl->cmd, link, NLM_F_CREATE | NLM_F_EXCL);
	if (err < 0) {
		log_warnx("creating %s: %s", name, nl_geterror(err));
		goto out;
	}
	if (rtnl_link_get_kernel(nl->cmd, 0, name, &got) == 0) {
		ifindex = rtnl_link_get_ifindex(got);
		rtnl_link_put(got);
	}
out:
	if (addr)
		nl_addr_put(addr);
	if (link)
		rtnl_link_put(link);
	return ifindex;
}

int vrrpd_nl_link_set_up(struct vrrpd_nl *nl, int ifindex, bool up)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *chg = rtnl_link_alloc();
	int err = -1;

	if (orig && chg) {
		rtnl_link_set_ifindex(orig, ifindex);
		if (up)
			rtnl_link_set_flags(chg, IFF_UP);
		else
			rtnl_link_unset_flags(chg, IFF_UP);
		err = rtnl_link_change(nl->cmd, orig, chg, 0);
	}
	if (orig)
		rtnl_link_put(orig);
	if (chg)
		rtnl_link_put(chg);
	return err < 0 ? -1 : 0;
}

int vrrpd_nl_link_del(struct vrrpd_nl *nl, int ifindex)
{
	struct rtnl_link *link = rtnl_link_alloc();
	int err = -1;

	if (link) {
		rtnl_link_set_ifindex(link, ifindex);
		err = rtnl_link_delete(nl->cmd, link);
		rtnl_link_put(link);
	}
	return err < 0 && err != -NLE_NODEV && err != -NLE_OBJ_NOTFOUND ? -1 : 0;
}

struct present_ctx {
	int ifindex;
	const struct halo_addr *addr;
	bool found;
};

static void present_visit(struct nl_object *o, void *arg)
{
	struct present_ctx *pc = arg;
	struct rtnl_addr *ra = (struct rtnl_addr *)o;
	struct nl_addr *local = rtnl_addr_get_local(ra);

	if (!pc->found && rtnl_addr_get_ifindex(ra) == pc->ifindex &&
	    rtnl_addr_get_family(ra) == pc->addr->family && local &&
	    nl_addr_get_len(local) == halo_addr_len(pc->addr))
		pc->found = memcmp(nl_addr_get_binary_addr(local), pc->addr->bytes, halo_addr_len(pc->addr)) == 0;
}

/* From the cache: whether addr is configured on ifindex (no kernel round trip). */
bool vrrpd_nl_addr_present(struct vrrpd_nl *nl, int ifindex, const struct halo_addr *addr)
{
	struct present_ctx pc = { ifindex, addr, false };

	nl_cache_foreach(nl->addrs, present_visit, &pc);
	return pc.found;
}
