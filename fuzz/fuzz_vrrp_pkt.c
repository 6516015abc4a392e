/* libFuzzer harness for the VRRP codec: vrrp_pkt_parse then vrrp_pkt_accept
 * under a policy chosen by the input, and a build/re-parse round trip of every
 * accepted advert. Test code: it must not touch sockets or files.
 *
 * Input: byte 0 = flags (bit 0 IPv6, bit 1 policy v3, bits 2-3 v3 checksum
 * style, bit 4 v2 password, bit 5 check TTL, bit 6 unicast peers, bit 7 own
 * address), byte 1 = policy interval in seconds (v2) or centiseconds (v3);
 * IPv6 then has 16 bytes source, 16 destination, 1 hop limit (the shell gets
 * them from the socket); the rest is the datagram (IPv4: from the IP header). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_in {
	uint8_t flags, interval;
	struct vrrp_meta meta;
	const uint8_t *dgram;
	size_t len;
};

static int input_split(const uint8_t *data, size_t size, struct fuzz_in *in)
{
	memset(in, 0, sizeof(*in));
	if (size < 2)
		return -1;
	in->flags = data[0];
	in->interval = data[1];
	data += 2;
	size -= 2;
	in->meta.ifindex = 2;
	in->meta.ttl = -1;
	in->meta.family = in->flags & 1 ? AF_INET6 : AF_INET;
	if (in->meta.family == AF_INET6) {
		if (size < 33)
			return -1;
		in->meta.src.family = in->meta.dst.family = AF_INET6;
		memcpy(in->meta.src.bytes, data, 16);
		memcpy(in->meta.dst.bytes, data + 16, 16);
		in->meta.ttl = data[32];
		data += 33;
		size -= 33;
	}
	in->dgram = data;
	in->len = size;
	return 0;
}

static void policy_fill(const struct fuzz_in *in, const struct vrrp_advert *adv,
                        struct vrrp_rx_policy *pol, struct halo_addr *peer)
{
	memset(pol, 0, sizeof(*pol));
	pol->version = in->flags & 2 ? 3 : 2;
	pol->family = in->meta.family;
	pol->v3_checksum = (enum cfg_v3_checksum)((in->flags >> 2) & 3) % 3;
	pol->auth_type = in->flags & 0x10 ? CFG_AUTH_PASS : CFG_AUTH_NONE;
	pol->auth_pass = "1111";
	pol->adver_int_cs = (uint16_t)(pol->version == 2 ? in->interval * 100 : in->interval);
	pol->check_ttl = in->flags & 0x20;
	/* a peer list that holds the advert's first address, so both outcomes occur */
	*peer = adv->naddr ? adv->addrs[0] : in->meta.src;
	if (in->flags & 0x40) {
		pol->peers = peer;
		pol->n_peers = 1;
	}
	if (in->flags & 0x80) {
		pol->own = &in->meta.dst;
		pol->n_own = 1;
	}
}

/* A minimal IPv4 header in front of msg (the kernel's view), TTL 255. */
static size_t ipv4_wrap(uint8_t *out, const struct vrrp_meta *m, const uint8_t *msg, size_t len)
{
	size_t tot = 20 + len;

	memset(out, 0, 20);
	out[0] = 0x45;
	out[2] = (uint8_t)(tot >> 8);
	out[3] = (uint8_t)tot;
	out[8] = 255;
	out[9] = VRRP_PROTO;
	memcpy(out + 12, m->src.bytes, 4);
	memcpy(out + 16, m->dst.bytes, 4);
	memcpy(out + 20, msg, len);
	return tot;
}

/* Whatever parsed must build again and parse back to the same advert. */
static void round_trip(const struct vrrp_advert *adv, const struct vrrp_meta *meta,
                       const struct vrrp_rx_policy *pol)
{
	static uint8_t msg[VRRP_PKT_MAX], dgram[VRRP_PKT_MAX + 20];
	static struct vrrp_advert back;
	char pass[VRRP_AUTH_LEN + 1] = { 0 };
	struct vrrp_meta m2 = *meta;
	struct vrrp_tx tx = {
		.version = adv->version, .vrid = adv->vrid, .priority = adv->priority,
		.adver_int_cs = adv->adver_int_cs, .addrs = adv->addrs, .naddr = adv->naddr,
		.family = meta->family, .src = meta->src, .dst = meta->dst,
		.v3_ipv4_pseudo = adv->cksum.with_pseudo,
		.auth_type = adv->v2_auth_type == VRRP_V2_AUTH_PASS ? CFG_AUTH_PASS : CFG_AUTH_NONE,
	};
	const char *err;
	ssize_t n;
	size_t dlen;

	memcpy(pass, adv->v2_auth_data, VRRP_AUTH_LEN);
	tx.auth_pass = pass;
	n = vrrp_pkt_build(&tx, msg, sizeof(msg));
	if (n < 0)
		return;             /* e.g. v2 interval 0: parseable, never sent */
	if (meta->family == AF_INET)
		dlen = ipv4_wrap(dgram, meta, msg, (size_t)n);
	else
		memcpy(dgram, msg, dlen = (size_t)n);
	if (vrrp_pkt_parse(dgram, dlen, &m2, &back, &err) != VRRP_DROP_NONE)
		abort();
	if (back.version != adv->version || back.vrid != adv->vrid || back.priority != adv->priority ||
	    back.naddr != adv->naddr || back.adver_int_cs != adv->adver_int_cs ||
	    memcmp(back.addrs, adv->addrs, adv->naddr * sizeof(adv->addrs[0])) != 0)
		abort();
	(void)pol;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vrrp_advert adv;
	struct fuzz_in in;
	struct vrrp_rx_policy pol;
	struct halo_addr peer;
	const char *err = NULL;
	enum vrrp_drop d;

	if (input_split(data, size, &in) < 0)
		return 0;
	d = vrrp_pkt_parse(in.dgram, in.len, &in.meta, &adv, &err);
	if ((unsigned)d >= VRRP_DROP_MAX || !err || strcmp(vrrp_drop_name(d), "unknown") == 0)
		abort();
	if (d != VRRP_DROP_NONE)
		return 0;
	if (adv.naddr == 0 || (adv.version != 2 && adv.version != 3) || adv.type != VRRP_TYPE_ADVERT)
		abort();
	policy_fill(&in, &adv, &pol, &peer);
	d = vrrp_pkt_accept(&adv, &in.meta, &pol, &err);
	if ((unsigned)d >= VRRP_DROP_MAX || !err)
		abort();
	if (!vrrp_pkt_addrs_match(&adv, adv.addrs, adv.naddr))
		abort();
	round_trip(&adv, &in.meta, &pol);
	return 0;
}
