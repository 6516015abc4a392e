/* VRRP advertisement codec: parses, checks and builds VRRPv2/v3 messages over
 * byte buffers; it must not do I/O (no sockets, clock or logging). */
#include "vrrp_pkt.h"

#include <string.h>
#include <sys/socket.h>

#define IPV4_HDR_MIN 20

static const char *const drop_names[VRRP_DROP_MAX] = {
	[VRRP_DROP_NONE] = "none",
	[VRRP_DROP_SHORT] = "too_short",
	[VRRP_DROP_IP_HEADER] = "ip_header",
	[VRRP_DROP_TTL] = "ttl",
	[VRRP_DROP_VERSION] = "version",
	[VRRP_DROP_TYPE] = "type",
	[VRRP_DROP_LENGTH] = "length",
	[VRRP_DROP_CHECKSUM] = "checksum",
	[VRRP_DROP_VRID] = "vrid",
	[VRRP_DROP_AUTH] = "auth",
	[VRRP_DROP_INTERVAL] = "interval",
	[VRRP_DROP_ADDR_COUNT] = "addr_count",
	[VRRP_DROP_NOT_PEER] = "not_peer",
	[VRRP_DROP_OWN] = "own",
};

const char *vrrp_drop_name(enum vrrp_drop d)
{
	if ((unsigned)d >= VRRP_DROP_MAX)
		return "unknown";
	return drop_names[d];
}

/* ---- checksum (RFC 1071) ---- */

static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t len)
{
	while (len >= 2) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t sum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Pseudo-header sum: RFC 768-style for IPv4, RFC 8200 8.1 for IPv6. */
static uint32_t sum_pseudo(int family, const struct halo_addr *src, const struct halo_addr *dst,
                           uint8_t proto, size_t len)
{
	uint32_t sum;

	if (family == AF_INET) {
		sum = sum_bytes(0, src->bytes, 4);
		sum = sum_bytes(sum, dst->bytes, 4);
		return sum + proto + (uint32_t)(len & 0xffff);
	}
	sum = sum_bytes(0, src->bytes, 16);
	sum = sum_bytes(sum, dst->bytes, 16);
	return sum + (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + proto;
}

/* Sums msg with the 2-byte checksum field at `off` taken as zero. */
static uint32_t sum_skip(uint32_t sum, const uint8_t *msg, size_t len, size_t off)
{
	if (len <= off)
		return sum_bytes(sum, msg, len);
	sum = sum_bytes(sum, msg, off);
	if (len > off + 2)
		sum = sum_bytes(sum, msg + off + 2, len - off - 2);
	return sum;
}

uint16_t vrrp_inet_checksum(const uint8_t *msg, size_t len, int family, const struct halo_addr *src,
                            const struct halo_addr *dst, uint8_t proto, size_t cksum_off)
{
	return sum_fold(sum_skip(sum_pseudo(family, src, dst, proto, len), msg, len, cksum_off));
}

uint16_t vrrp_pkt_checksum(const uint8_t *msg, size_t len, int family,
                           const struct halo_addr *src, const struct halo_addr *dst, bool pseudo)
{
	if (pseudo)
		return vrrp_inet_checksum(msg, len, family, src, dst, VRRP_PROTO, 6);
	return sum_fold(sum_skip(0, msg, len, 6));
}

/* ---- parse ---- */

static enum vrrp_drop fail(const char **errstr, const char *msg, enum vrrp_drop d)
{
	if (errstr)
		*errstr = msg;
	return d;
}

/* Strips the IPv4 header (as a raw socket delivers it) and fills meta. */
static enum vrrp_drop parse_ipv4(const uint8_t **buf, size_t *len, struct vrrp_meta *meta,
                                 const char **errstr)
{
	const uint8_t *p = *buf;
	size_t ihl, tot;

	if (*len < IPV4_HDR_MIN)
		return fail(errstr, "shorter than an IPv4 header", VRRP_DROP_SHORT);
	if (p[0] >> 4 != 4)
		return fail(errstr, "IP version is not 4", VRRP_DROP_IP_HEADER);
	ihl = (size_t)(p[0] & 0x0f) * 4;
	tot = (size_t)p[2] << 8 | p[3];
	if (ihl < IPV4_HDR_MIN)
		return fail(errstr, "IPv4 header length below 20", VRRP_DROP_IP_HEADER);
	if (tot < ihl)
		return fail(errstr, "IPv4 total length below header length", VRRP_DROP_IP_HEADER);
	if (tot > *len)
		return fail(errstr, "IPv4 total length beyond the datagram", VRRP_DROP_SHORT);
	if (p[9] != VRRP_PROTO)
		return fail(errstr, "IP protocol is not 112", VRRP_DROP_IP_HEADER);
	meta->ttl = p[8];
	memset(&meta->src, 0, sizeof(meta->src));
	memset(&meta->dst, 0, sizeof(meta->dst));
	meta->src.family = meta->dst.family = AF_INET;
	memcpy(meta->src.bytes, p + 12, 4);
	memcpy(meta->dst.bytes, p + 16, 4);
	/* bytes past the total length are Ethernet padding */
	*buf = p + ihl;
	*len = tot - ihl;
	return VRRP_DROP_NONE;
}

/* RFC 3768 5.3.1-5.3.4 / RFC 5798 5.2.1-5.2.5: the fixed header fields. */
static enum vrrp_drop parse_header(const uint8_t *m, size_t len, int family,
                                   struct vrrp_advert *adv, const char **errstr)
{
	if (len < VRRP_HDR_LEN)
		return fail(errstr, "shorter than a VRRP header", VRRP_DROP_SHORT);
	adv->version = m[0] >> 4;
	adv->type = m[0] & 0x0f;
	adv->vrid = m[1];
	adv->priority = m[2];
	adv->naddr = m[3];
	adv->checksum = (uint16_t)(m[6] << 8 | m[7]);
	if (adv->version == 2) {
		adv->v2_auth_type = m[4];
		adv->adver_int_cs = (uint16_t)(m[5] * 100);
	} else if (adv->version == 3) {
		adv->v3_reserved = m[4] >> 4;
		adv->adver_int_cs = (uint16_t)((m[4] & 0x0f) << 8 | m[5]);
	}
	if (adv->version != 2 && adv->version != 3)
		return fail(errstr, "VRRP version is not 2 or 3", VRRP_DROP_VERSION);
	/* RFC 5798 5.2.1: VRRPv2 is IPv4 only */
	if (adv->version == 2 && family != AF_INET)
		return fail(errstr, "VRRPv2 over IPv6", VRRP_DROP_VERSION);
	if (adv->type != VRRP_TYPE_ADVERT)
		return fail(errstr, "VRRP type is not advertisement", VRRP_DROP_TYPE);
	if (adv->naddr == 0)
		return fail(errstr, "address count is 0", VRRP_DROP_ADDR_COUNT);
	return VRRP_DROP_NONE;
}

static size_t family_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static size_t expected_len(uint8_t version, int family, uint8_t naddr)
{
	size_t n = VRRP_HDR_LEN + (size_t)naddr * family_len(family);

	return version == 2 ? n + VRRP_AUTH_LEN : n;
}

/* RFC 3768 7.1 / RFC 5798 7.1: verify the checksum. For v3 over IPv4 both
 * readings of RFC 5798 5.2.8 exist in the field (see struct vrrp_cksum_result). */
static enum vrrp_drop check_sum(const uint8_t *m, size_t len, const struct vrrp_meta *meta,
                                struct vrrp_advert *adv, const char **errstr)
{
	uint16_t with = 0, without;

	without = vrrp_pkt_checksum(m, len, meta->family, NULL, NULL, false);
	if (adv->version == 3)
		with = vrrp_pkt_checksum(m, len, meta->family, &meta->src, &meta->dst, true);
	if (adv->version == 2)
		adv->cksum.without_pseudo = without == adv->checksum;
	else if (meta->family == AF_INET6)
		adv->cksum.with_pseudo = with == adv->checksum;
	else {
		adv->cksum.with_pseudo = with == adv->checksum;
		adv->cksum.without_pseudo = without == adv->checksum;
	}
	if (!adv->cksum.with_pseudo && !adv->cksum.without_pseudo)
		return fail(errstr, "bad VRRP checksum", VRRP_DROP_CHECKSUM);
	return VRRP_DROP_NONE;
}

static void copy_addrs(const uint8_t *m, int family, struct vrrp_advert *adv)
{
	size_t alen = family_len(family);
	const uint8_t *p = m + VRRP_HDR_LEN;

	for (size_t i = 0; i < adv->naddr; i++, p += alen) {
		memset(&adv->addrs[i], 0, sizeof(adv->addrs[i]));
		adv->addrs[i].family = family;
		memcpy(adv->addrs[i].bytes, p, alen);
	}
	if (adv->version == 2)
		memcpy(adv->v2_auth_data, p, VRRP_AUTH_LEN);
}

enum vrrp_drop vrrp_pkt_parse(const uint8_t *buf, size_t len, struct vrrp_meta *meta,
                              struct vrrp_advert *adv, const char **errstr)
{
	enum vrrp_drop d;

	memset(adv, 0, sizeof(*adv));
	if (errstr)
		*errstr = "";
	if (meta->family == AF_INET) {
		d = parse_ipv4(&buf, &len, meta, errstr);
		if (d != VRRP_DROP_NONE)
			return d;
	} else if (meta->family != AF_INET6) {
		return fail(errstr, "unknown address family", VRRP_DROP_IP_HEADER);
	}
	d = parse_header(buf, len, meta->family, adv, errstr);
	if (d != VRRP_DROP_NONE)
		return d;
	/* RFC 3768 7.1 / RFC 5798 7.1: the packet must hold exactly the
	 * addresses its count announces (plus v2's authentication data). */
	if (len != expected_len(adv->version, meta->family, adv->naddr))
		return fail(errstr, "VRRP length does not match the address count", VRRP_DROP_LENGTH);
	d = check_sum(buf, len, meta, adv, errstr);
	if (d != VRRP_DROP_NONE)
		return d;
	copy_addrs(buf, meta->family, adv);
	return VRRP_DROP_NONE;
}

/* ---- per-instance checks ---- */

static bool addr_in(const struct halo_addr *a, const struct halo_addr *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (halo_addr_eq(a, &set[i]))
			return true;
	return false;
}

/* Compares all 8 bytes whatever they hold, so timing says nothing about
 * where a guess went wrong. */
static bool auth_pass_eq(const char data[VRRP_AUTH_LEN], const char *pass)
{
	uint8_t want[VRRP_AUTH_LEN] = { 0 };
	uint8_t diff = 0;

	if (pass)
		memcpy(want, pass, strnlen(pass, VRRP_AUTH_LEN));
	for (size_t i = 0; i < VRRP_AUTH_LEN; i++)
		diff |= (uint8_t)(want[i] ^ (uint8_t)data[i]);
	return diff == 0;
}

static enum vrrp_drop accept_v2(const struct vrrp_advert *adv, const struct vrrp_rx_policy *pol,
                                const char **errstr)
{
	uint8_t want = pol->auth_type == CFG_AUTH_PASS ? VRRP_V2_AUTH_PASS : VRRP_V2_AUTH_NONE;

	/* RFC 3768 7.1: Auth Type must match the configured method; RFC 2338
	 * 5.3.6.1: simple text password compared over all 8 octets */
	if (adv->v2_auth_type != want)
		return fail(errstr, "authentication type mismatch", VRRP_DROP_AUTH);
	if (want == VRRP_V2_AUTH_PASS && !auth_pass_eq(adv->v2_auth_data, pol->auth_pass))
		return fail(errstr, "authentication password mismatch", VRRP_DROP_AUTH);
	/* RFC 3768 7.1: Adver Interval must equal the locally configured one */
	if (adv->adver_int_cs != pol->adver_int_cs)
		return fail(errstr, "advertisement interval mismatch", VRRP_DROP_INTERVAL);
	return VRRP_DROP_NONE;
}

static enum vrrp_drop accept_v3_cksum(const struct vrrp_advert *adv, const struct vrrp_meta *meta,
                                      const struct vrrp_rx_policy *pol, const char **errstr)
{
	if (meta->family != AF_INET)
		return VRRP_DROP_NONE;
	if (pol->v3_checksum == CFG_V3_CKSUM_RFC5798 && !adv->cksum.with_pseudo)
		return fail(errstr, "VRRPv3 checksum without IPv4 pseudo-header refused",
		            VRRP_DROP_CHECKSUM);
	if (pol->v3_checksum == CFG_V3_CKSUM_RFC9568 && !adv->cksum.without_pseudo)
		return fail(errstr, "VRRPv3 checksum with IPv4 pseudo-header refused",
		            VRRP_DROP_CHECKSUM);
	return VRRP_DROP_NONE;
}

enum vrrp_drop vrrp_pkt_accept(const struct vrrp_advert *adv, const struct vrrp_meta *meta,
                               const struct vrrp_rx_policy *pol, const char **errstr)
{
	enum vrrp_drop d;
	int lo = 255, hi = 255;
	size_t pi;

	if (errstr)
		*errstr = "";
	for (pi = 0; pi < pol->n_peers && !halo_addr_eq(&meta->src, &pol->peers[pi]); pi++)
		;
	/* RFC 3768 7.1 / RFC 5798 7.1: TTL / Hop Limit must be 255; a unicast
	 * peer may be given its own range (adverts routed across subnets) */
	if (pi < pol->n_peers && pol->peer_ttl) {
		lo = pol->peer_ttl[pi].min;
		hi = pol->peer_ttl[pi].max;
	}
	if (pol->check_ttl && (meta->ttl < lo || meta->ttl > hi))
		return fail(errstr, lo == 255 ? "TTL is not 255" : "TTL outside the peer's range", VRRP_DROP_TTL);
	if (pol->family && meta->family != pol->family)
		return fail(errstr, "no instance for this address family", VRRP_DROP_VRID);
	if (adv->version != pol->version)
		return fail(errstr, "VRRP version differs from the instance's", VRRP_DROP_VERSION);
	d = adv->version == 2 ? accept_v2(adv, pol, errstr) : accept_v3_cksum(adv, meta, pol, errstr);
	if (d != VRRP_DROP_NONE)
		return d;
	if (addr_in(&meta->src, pol->own, pol->n_own))
		return fail(errstr, "our own advertisement", VRRP_DROP_OWN);
	if (pol->n_peers > 0 && !pol->any_source && pi == pol->n_peers)
		return fail(errstr, "source is not a unicast peer", VRRP_DROP_NOT_PEER);
	return VRRP_DROP_NONE;
}

bool vrrp_pkt_addrs_match(const struct vrrp_advert *adv, const struct halo_addr *vips, size_t n)
{
	for (size_t i = 0; i < adv->naddr; i++)
		if (!addr_in(&adv->addrs[i], vips, n))
			return false;
	for (size_t i = 0; i < n; i++)
		if (!addr_in(&vips[i], adv->addrs, adv->naddr))
			return false;
	return true;
}

/* ---- build ---- */

static bool tx_valid(const struct vrrp_tx *tx)
{
	if (tx->family != AF_INET && tx->family != AF_INET6)
		return false;
	if (tx->naddr == 0 || tx->naddr > VRRP_MAX_ADDRS || !tx->addrs)
		return false;
	for (size_t i = 0; i < tx->naddr; i++)
		if (tx->addrs[i].family != tx->family)
			return false;
	if (tx->version == 2) {
		/* RFC 3768 5.3.7: Adver Int in whole seconds, one octet */
		if (tx->family != AF_INET || tx->adver_int_cs % 100 != 0 ||
		    tx->adver_int_cs == 0 || tx->adver_int_cs / 100 > 255)
			return false;
		return tx->auth_type != CFG_AUTH_PASS || !tx->auth_pass ||
		       strlen(tx->auth_pass) <= VRRP_AUTH_LEN;
	}
	if (tx->version != 3)
		return false;
	/* RFC 5798 5.2.7: 12-bit Max Adver Int in centiseconds */
	if (tx->adver_int_cs == 0 || tx->adver_int_cs > 0x0fff)
		return false;
	if (tx->family == AF_INET && !tx->v3_ipv4_pseudo)
		return true;
	return tx->src.family == tx->family && tx->dst.family == tx->family;
}

ssize_t vrrp_pkt_build(const struct vrrp_tx *tx, uint8_t *buf, size_t cap)
{
	size_t alen, len;
	uint8_t *p;
	bool pseudo;
	uint16_t ck;

	if (!tx_valid(tx))
		return -1;
	alen = family_len(tx->family);
	len = expected_len(tx->version, tx->family, (uint8_t)tx->naddr);
	if (len > cap)
		return -1;
	memset(buf, 0, len);
	buf[0] = (uint8_t)(tx->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = tx->vrid;
	buf[2] = tx->priority;
	buf[3] = (uint8_t)tx->naddr;
	if (tx->version == 2) {
		buf[4] = tx->auth_type == CFG_AUTH_PASS ? VRRP_V2_AUTH_PASS : VRRP_V2_AUTH_NONE;
		buf[5] = (uint8_t)(tx->adver_int_cs / 100);
	} else {
		buf[4] = (uint8_t)(tx->adver_int_cs >> 8);
		buf[5] = (uint8_t)tx->adver_int_cs;
	}
	p = buf + VRRP_HDR_LEN;
	for (size_t i = 0; i < tx->naddr; i++, p += alen)
		memcpy(p, tx->addrs[i].bytes, alen);
	/* RFC 3768 5.3.10 / RFC 2338 5.3.6.1: password NUL padded to 8 octets */
	if (tx->version == 2 && tx->auth_type == CFG_AUTH_PASS && tx->auth_pass)
		memcpy(p, tx->auth_pass, strnlen(tx->auth_pass, VRRP_AUTH_LEN));
	/* RFC 3768 5.3.8: v2 over the message; RFC 5798 5.2.8: v3 with the
	 * pseudo-header (IPv4: as tx->v3_ipv4_pseudo chooses, RFC 9568) */
	pseudo = tx->version == 3 && (tx->family == AF_INET6 || tx->v3_ipv4_pseudo);
	ck = vrrp_pkt_checksum(buf, len, tx->family, &tx->src, &tx->dst, pseudo);
	buf[6] = (uint8_t)(ck >> 8);
	buf[7] = (uint8_t)ck;
	return (ssize_t)len;
}
