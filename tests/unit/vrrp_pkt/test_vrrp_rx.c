/* Every receive check of RFC 3768 7.1 / RFC 5798 7.1 that vrrp_pkt_parse and
 * vrrp_pkt_accept make, each with a passing and a failing packet. */
#include <check.h>
#include <string.h>
#include <sys/socket.h>

#include "vectors.h"

static struct vrrp_advert adv;
static struct vrrp_meta meta;
static const char *err;

static const struct test_vector *V(int i)
{
	return &test_vectors[i];
}

static enum vrrp_drop parse_raw(const uint8_t *buf, size_t len, int family)
{
	enum vrrp_drop d;

	meta.family = family;
	err = NULL;
	d = vrrp_pkt_parse(buf, len, &meta, &adv, &err);
	ck_assert_ptr_nonnull(err);
	if (d != VRRP_DROP_NONE)
		ck_assert_msg(err[0] != '\0', "drop %s without a text", vrrp_drop_name(d));
	return d;
}

/* The message `msg` as the socket would deliver it for v's addresses: behind
 * a consistent IPv4 header, or bare with meta filled for IPv6. */
static enum vrrp_drop parse_msg(const struct test_vector *v, const uint8_t *msg, size_t len)
{
	uint8_t buf[20 + VRRP_PKT_MAX + 64];
	struct halo_addr src = vec_addr(v->src), dst = vec_addr(v->dst);
	size_t off = 0;

	memset(&meta, 0, sizeof(meta));
	if (v->family == AF_INET) {
		vec_ipv4_header(buf, &src, &dst, len, 255, VRRP_PROTO);
		off = 20;
	} else {
		meta.src = src;
		meta.dst = dst;
		meta.ttl = 255;
	}
	memcpy(buf + off, msg, len);
	return parse_raw(buf, off + len, v->family);
}

/* A copy of v's message with byte `at` set to `val`, checksum made right. */
static size_t mutate(const struct test_vector *v, uint8_t *msg, size_t at, uint8_t val)
{
	memcpy(msg, v->bytes, v->len);
	msg[at] = val;
	vec_fix_cksum(v, msg, v->len);
	return v->len;
}

static struct vrrp_rx_policy policy_for(const struct test_vector *v)
{
	struct vrrp_rx_policy p = {
		.version = v->version,
		.family = v->family,
		.v3_checksum = CFG_V3_CKSUM_AUTO,
		.auth_type = v->auth_pass ? CFG_AUTH_PASS : CFG_AUTH_NONE,
		.auth_pass = v->auth_pass,
		.adver_int_cs = v->adver_int_cs,
		.check_ttl = true,
	};
	return p;
}

static enum vrrp_drop accept_with(const struct vrrp_rx_policy *p)
{
	enum vrrp_drop d;

	err = NULL;
	d = vrrp_pkt_accept(&adv, &meta, p, &err);
	ck_assert_ptr_nonnull(err);
	return d;
}

/* Parses vector i as received with the given TTL and checks it is fine. */
static void parse_vec(int i, uint8_t ttl)
{
	uint8_t buf[256];
	size_t n = vec_datagram(V(i), buf, sizeof(buf), ttl, &meta);

	ck_assert_int_eq(parse_raw(buf, n, V(i)->family), VRRP_DROP_NONE);
}

START_TEST(test_truncated_ip)
{
	for (int i = 0; i < VEC_N; i++) {
		uint8_t buf[256];
		size_t n;

		if (V(i)->family != AF_INET)
			continue;
		n = vec_datagram(V(i), buf, sizeof(buf), 255, &meta);
		ck_assert_int_eq(parse_raw(buf, n, AF_INET), VRRP_DROP_NONE);
		/* the IP total length promises more than the datagram holds */
		for (size_t cut = 0; cut < n; cut++)
			ck_assert_msg(parse_raw(buf, cut, AF_INET) == VRRP_DROP_SHORT,
			              "%s cut at %zu", V(i)->name, cut);
	}
}
END_TEST

START_TEST(test_truncated_vrrp)
{
	for (int i = 0; i < VEC_N; i++) {
		const struct test_vector *v = V(i);

		ck_assert_int_eq(parse_msg(v, v->bytes, v->len), VRRP_DROP_NONE);
		/* consistent IP header, VRRP message cut at every byte */
		for (size_t cut = 0; cut < v->len; cut++) {
			enum vrrp_drop want = cut < VRRP_HDR_LEN ? VRRP_DROP_SHORT : VRRP_DROP_LENGTH;

			ck_assert_msg(parse_msg(v, v->bytes, cut) == want, "%s cut at %zu", v->name, cut);
		}
	}
}
END_TEST

START_TEST(test_ip_options)
{
	const struct test_vector *v = V(VEC_V3_V4_PSEUDO);
	struct halo_addr src = vec_addr(v->src), dst = vec_addr(v->dst);
	struct halo_addr a0 = vec_addr(v->addrs[0]);
	uint8_t buf[128];
	size_t olen;

	for (olen = 4; olen <= 40; olen += 36) {
		/* IHL 6 (Router Alert, RFC 2113) and IHL 15 (NOPs) */
		vec_ipv4_header(buf, &src, &dst, olen + v->len, 255, VRRP_PROTO);
		buf[0] = (uint8_t)(0x40 | (20 + olen) / 4);
		memset(buf + 20, 0x01, olen);
		if (olen == 4)
			memcpy(buf + 20, "\x94\x04\x00\x00", 4);
		memcpy(buf + 20 + olen, v->bytes, v->len);
		ck_assert_int_eq(parse_raw(buf, 20 + olen + v->len, AF_INET), VRRP_DROP_NONE);
		ck_assert_int_eq(adv.vrid, v->vrid);
		ck_assert(halo_addr_eq(&meta.src, &src));
		ck_assert(halo_addr_eq(&adv.addrs[0], &a0));
	}
	/* IHL 4: no room for an IPv4 header */
	vec_ipv4_header(buf, &src, &dst, v->len, 255, VRRP_PROTO);
	memcpy(buf + 20, v->bytes, v->len);
	buf[0] = 0x44;
	ck_assert_int_eq(parse_raw(buf, 20 + v->len, AF_INET), VRRP_DROP_IP_HEADER);
	/* IHL 15 but total length only 40 */
	buf[0] = 0x4f;
	buf[3] = 40;
	ck_assert_int_eq(parse_raw(buf, 20 + v->len, AF_INET), VRRP_DROP_IP_HEADER);
}
END_TEST

START_TEST(test_ip_total_length)
{
	const struct test_vector *v = V(VEC_V2_PASS);
	uint8_t buf[128];
	size_t n = vec_datagram(v, buf, sizeof(buf), 255, &meta);

	/* Ethernet pads short frames to 60 bytes: ignored after total length */
	memset(buf + n, 0xa5, 60 - n);
	ck_assert_int_eq(parse_raw(buf, 60, AF_INET), VRRP_DROP_NONE);
	ck_assert_int_eq(adv.naddr, 1);
	ck_assert_int_eq(memcmp(adv.v2_auth_data, "1111\0\0\0\0", 8), 0);
	/* total length one beyond the buffer */
	buf[3] = (uint8_t)(n + 1);
	ck_assert_int_eq(parse_raw(buf, n, AF_INET), VRRP_DROP_SHORT);
	/* total length below the header length */
	buf[3] = 19;
	ck_assert_int_eq(parse_raw(buf, n, AF_INET), VRRP_DROP_IP_HEADER);
}
END_TEST

START_TEST(test_ip_version_proto)
{
	uint8_t buf[128];
	size_t n = vec_datagram(V(VEC_V2_NONE), buf, sizeof(buf), 255, &meta);

	ck_assert_int_eq(parse_raw(buf, n, AF_INET), VRRP_DROP_NONE);
	buf[0] = 0x65;
	ck_assert_int_eq(parse_raw(buf, n, AF_INET), VRRP_DROP_IP_HEADER);
	buf[0] = 0x45;
	buf[9] = 17;
	ck_assert_int_eq(parse_raw(buf, n, AF_INET), VRRP_DROP_IP_HEADER);
	buf[9] = VRRP_PROTO;
	ck_assert_int_eq(parse_raw(buf, n, AF_UNSPEC), VRRP_DROP_IP_HEADER);
}
END_TEST

START_TEST(test_ttl)
{
	static const uint8_t bad[] = { 254, 1, 0 };

	for (int i = 0; i < VEC_N; i++) {
		struct vrrp_rx_policy p = policy_for(V(i));

		parse_vec(i, 255);
		ck_assert_int_eq(meta.ttl, 255);
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
		for (size_t k = 0; k < sizeof(bad); k++) {
			parse_vec(i, bad[k]);
			ck_assert_int_eq(meta.ttl, bad[k]);
			p.check_ttl = true;
			ck_assert_int_eq(accept_with(&p), VRRP_DROP_TTL);
			ck_assert_str_eq(vrrp_drop_name(VRRP_DROP_TTL), "ttl");
			/* unicast instances may waive the check */
			p.check_ttl = false;
			ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
		}
	}
}
END_TEST

START_TEST(test_version)
{
	static const uint8_t bad[] = { 0, 1, 4, 15 };
	uint8_t msg[VRRP_PKT_MAX];

	for (int i = 0; i < VEC_N; i++) {
		const struct test_vector *v = V(i);
		size_t n = mutate(v, msg, 0, v->bytes[0]);

		ck_assert_int_eq(parse_msg(v, msg, n), VRRP_DROP_NONE);
		ck_assert_int_eq(adv.version, v->version);
		for (size_t k = 0; k < sizeof(bad); k++) {
			n = mutate(v, msg, 0, (uint8_t)(bad[k] << 4 | 1));
			ck_assert_int_eq(parse_msg(v, msg, n), VRRP_DROP_VERSION);
		}
	}
}
END_TEST

START_TEST(test_v2_over_ipv6)
{
	const struct test_vector *v = V(VEC_V3_V6);
	struct test_vector v2 = *v;
	uint8_t msg[VRRP_PKT_MAX];

	v2.version = 2;
	memcpy(msg, v->bytes, v->len);
	msg[0] = 0x21;
	memset(msg + v->len, 0, VRRP_AUTH_LEN);
	vec_fix_cksum(&v2, msg, v->len + VRRP_AUTH_LEN);
	ck_assert_int_eq(parse_msg(v, msg, v->len + VRRP_AUTH_LEN), VRRP_DROP_VERSION);
	ck_assert_int_eq(parse_msg(v, v->bytes, v->len), VRRP_DROP_NONE);
}
END_TEST

START_TEST(test_type)
{
	static const uint8_t bad[] = { 0, 2, 15 };
	uint8_t msg[VRRP_PKT_MAX];

	for (int i = 0; i < VEC_N; i++) {
		const struct test_vector *v = V(i);
		size_t n;

		ck_assert_int_eq(parse_msg(v, v->bytes, v->len), VRRP_DROP_NONE);
		ck_assert_int_eq(adv.type, VRRP_TYPE_ADVERT);
		for (size_t k = 0; k < sizeof(bad); k++) {
			n = mutate(v, msg, 0, (uint8_t)(v->version << 4 | bad[k]));
			ck_assert_int_eq(parse_msg(v, msg, n), VRRP_DROP_TYPE);
		}
	}
}
END_TEST

START_TEST(test_count_zero)
{
	const struct test_vector *v = V(VEC_V3_V4_PSEUDO);
	uint8_t msg[VRRP_PKT_MAX];

	/* count 0 with no addresses at all, and with the address left in */
	mutate(v, msg, 3, 0);
	vec_fix_cksum(v, msg, VRRP_HDR_LEN);
	ck_assert_int_eq(parse_msg(v, msg, VRRP_HDR_LEN), VRRP_DROP_ADDR_COUNT);
	ck_assert_int_eq(parse_msg(v, msg, mutate(v, msg, 3, 0)), VRRP_DROP_ADDR_COUNT);
	ck_assert_str_eq(vrrp_drop_name(VRRP_DROP_ADDR_COUNT), "addr_count");
}
END_TEST

START_TEST(test_count_255)
{
	struct halo_addr addrs[VRRP_MAX_ADDRS];
	struct vrrp_tx tx;
	struct halo_addr two[2];
	uint8_t msg[VRRP_PKT_MAX];
	ssize_t n;

	for (int i = 0; i < VEC_N; i++) {
		const struct test_vector *v = V(i);

		/* count 255 in front of the vector's short payload */
		ck_assert_int_eq(parse_msg(v, msg, mutate(v, msg, 3, 255)), VRRP_DROP_LENGTH);
		/* and with all 255 addresses present */
		vec_tx(v, &tx, two);
		for (int k = 0; k < VRRP_MAX_ADDRS; k++) {
			addrs[k] = two[0];
			addrs[k].bytes[halo_addr_len(&two[0]) - 1] = (uint8_t)k;
		}
		tx.addrs = addrs;
		tx.naddr = VRRP_MAX_ADDRS;
		n = vrrp_pkt_build(&tx, msg, sizeof(msg));
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(parse_msg(v, msg, (size_t)n), VRRP_DROP_NONE);
		ck_assert_int_eq(adv.naddr, 255);
		ck_assert(halo_addr_eq(&adv.addrs[254], &addrs[254]));
		ck_assert(vrrp_pkt_addrs_match(&adv, addrs, VRRP_MAX_ADDRS));
	}
}
END_TEST

START_TEST(test_count_mismatch)
{
	uint8_t msg[VRRP_PKT_MAX];

	for (int i = 0; i < VEC_N; i++) {
		const struct test_vector *v = V(i);
		size_t n = v->len;

		/* one more and one fewer than the payload holds */
		ck_assert_int_eq(parse_msg(v, msg, mutate(v, msg, 3, (uint8_t)(v->naddr + 1))),
		                 VRRP_DROP_LENGTH);
		if (v->naddr > 1)
			ck_assert_int_eq(parse_msg(v, msg, mutate(v, msg, 3, (uint8_t)(v->naddr - 1))),
			                 VRRP_DROP_LENGTH);
		/* 4 trailing bytes inside the IP payload */
		mutate(v, msg, 0, v->bytes[0]);
		memset(msg + n, 0, 4);
		vec_fix_cksum(v, msg, n + 4);
		ck_assert_int_eq(parse_msg(v, msg, n + 4), VRRP_DROP_LENGTH);
		ck_assert_str_eq(vrrp_drop_name(VRRP_DROP_LENGTH), "length");
	}
}
END_TEST

START_TEST(test_v2_missing_auth_data)
{
	const struct test_vector *v = V(VEC_V2_NONE);
	uint8_t msg[VRRP_PKT_MAX];
	size_t n = v->len - VRRP_AUTH_LEN;

	memcpy(msg, v->bytes, n);
	vec_fix_cksum(v, msg, n);
	ck_assert_int_eq(parse_msg(v, msg, n), VRRP_DROP_LENGTH);
}
END_TEST

START_TEST(test_checksum_bit)
{
	uint8_t msg[VRRP_PKT_MAX];

	for (int i = 0; i < VEC_N; i++) {
		const struct test_vector *v = V(i);

		for (int bit = 0; bit < 16; bit++) {
			memcpy(msg, v->bytes, v->len);
			msg[6 + bit / 8] ^= (uint8_t)(1 << (bit % 8));
			ck_assert_int_eq(parse_msg(v, msg, v->len), VRRP_DROP_CHECKSUM);
		}
		memcpy(msg, v->bytes, v->len);
		msg[VRRP_HDR_LEN] ^= 0x01;          /* first address */
		ck_assert_int_eq(parse_msg(v, msg, v->len), VRRP_DROP_CHECKSUM);
		ck_assert_int_eq(parse_msg(v, v->bytes, v->len), VRRP_DROP_NONE);
		ck_assert_uint_eq(adv.checksum, (unsigned)(v->bytes[6] << 8 | v->bytes[7]));
	}
}
END_TEST

START_TEST(test_checksum_pseudo_addresses)
{
	struct test_vector v;
	uint8_t buf[256];
	size_t n;

	/* the pseudo-header binds the IP source: another source breaks it */
	v = *V(VEC_V3_V4_PSEUDO);
	v.src = "192.168.0.108";
	n = vec_datagram(&v, buf, sizeof(buf), 255, &meta);
	ck_assert_int_eq(parse_raw(buf, n, AF_INET), VRRP_DROP_CHECKSUM);
	/* ... but not the RFC 9568 style, which covers the message only */
	v = *V(VEC_V3_V4_RFC9568);
	v.src = "192.168.0.108";
	n = vec_datagram(&v, buf, sizeof(buf), 255, &meta);
	ck_assert_int_eq(parse_raw(buf, n, AF_INET), VRRP_DROP_NONE);
	/* IPv6: source and destination both count */
	v = *V(VEC_V3_V6);
	v.src = "fe80::2";
	n = vec_datagram(&v, buf, sizeof(buf), 255, &meta);
	ck_assert_int_eq(parse_raw(buf, n, AF_INET6), VRRP_DROP_CHECKSUM);
	v = *V(VEC_V3_V6);
	v.dst = "ff02::1";
	n = vec_datagram(&v, buf, sizeof(buf), 255, &meta);
	ck_assert_int_eq(parse_raw(buf, n, AF_INET6), VRRP_DROP_CHECKSUM);
}
END_TEST

START_TEST(test_checksum_style_policy)
{
	struct vrrp_rx_policy p;

	/* RFC 5798 style (pseudo-header) */
	parse_vec(VEC_V3_V4_PSEUDO, 255);
	ck_assert(adv.cksum.with_pseudo);
	ck_assert(!adv.cksum.without_pseudo);
	p = policy_for(V(VEC_V3_V4_PSEUDO));
	p.v3_checksum = CFG_V3_CKSUM_AUTO;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
	p.v3_checksum = CFG_V3_CKSUM_RFC5798;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
	p.v3_checksum = CFG_V3_CKSUM_RFC9568;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_CHECKSUM);

	/* RFC 9568 style (message only) */
	parse_vec(VEC_V3_V4_RFC9568, 255);
	ck_assert(!adv.cksum.with_pseudo);
	ck_assert(adv.cksum.without_pseudo);
	p = policy_for(V(VEC_V3_V4_RFC9568));
	p.v3_checksum = CFG_V3_CKSUM_AUTO;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
	p.v3_checksum = CFG_V3_CKSUM_RFC9568;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
	p.v3_checksum = CFG_V3_CKSUM_RFC5798;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_CHECKSUM);

	/* IPv6 has one style only: the setting does not apply */
	parse_vec(VEC_V3_V6, 255);
	ck_assert(adv.cksum.with_pseudo);
	p = policy_for(V(VEC_V3_V6));
	p.v3_checksum = CFG_V3_CKSUM_RFC9568;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
}
END_TEST

START_TEST(test_auth)
{
	struct vrrp_rx_policy p;
	uint8_t msg[VRRP_PKT_MAX];
	const struct test_vector *v = V(VEC_V2_PASS);

	parse_vec(VEC_V2_PASS, 255);
	ck_assert_int_eq(adv.v2_auth_type, VRRP_V2_AUTH_PASS);
	p = policy_for(v);
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
	p.auth_pass = "1112";
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_AUTH);
	p.auth_pass = "11111";
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_AUTH);
	p.auth_pass = "111";
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_AUTH);
	/* the 8th byte counts too */
	ck_assert_int_eq(parse_msg(v, msg, mutate(v, msg, v->len - 1, 'x')), VRRP_DROP_NONE);
	p.auth_pass = "1111";
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_AUTH);
	/* type mismatch both ways */
	parse_vec(VEC_V2_PASS, 255);
	p.auth_type = CFG_AUTH_NONE;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_AUTH);
	parse_vec(VEC_V2_NONE, 255);
	p = policy_for(V(VEC_V2_NONE));
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
	p.auth_type = CFG_AUTH_PASS;
	p.auth_pass = "";
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_AUTH);
	/* password exactly 8 characters */
	v = V(VEC_V2_PASS);
	mutate(v, msg, 12, '1');
	memcpy(msg + 12, "abcdefgh", 8);
	vec_fix_cksum(v, msg, v->len);
	ck_assert_int_eq(parse_msg(v, msg, v->len), VRRP_DROP_NONE);
	p = policy_for(v);
	p.auth_pass = "abcdefgh";
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
	p.auth_pass = "abcdefgX";
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_AUTH);
}
END_TEST

START_TEST(test_v2_interval)
{
	struct vrrp_rx_policy p;

	parse_vec(VEC_V2_NONE, 255);
	ck_assert_uint_eq(adv.adver_int_cs, 300);
	p = policy_for(V(VEC_V2_NONE));
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
	p.adver_int_cs = 100;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_INTERVAL);
	/* RFC 5798 6.4.2: v3 backups learn the master's interval instead */
	parse_vec(VEC_V3_V4_PSEUDO, 255);
	p = policy_for(V(VEC_V3_V4_PSEUDO));
	p.adver_int_cs = 300;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
}
END_TEST

START_TEST(test_peers_and_own)
{
	for (int i = 0; i < VEC_N; i++) {
		struct vrrp_rx_policy p = policy_for(V(i));
		struct halo_addr peers[2], own[1];

		parse_vec(i, 255);
		peers[0] = vec_addr(V(i)->family == AF_INET ? "192.0.2.9" : "fe80::9");
		peers[1] = vec_addr(V(i)->src);
		own[0] = peers[0];
		p.peers = peers;
		p.n_peers = 2;
		p.own = own;
		p.n_own = 1;
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
		p.n_peers = 1;
		p.n_own = 0;
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_NOT_PEER);
		p.n_peers = 0;
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
		own[0] = peers[1];
		p.n_own = 1;
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_OWN);
		p.n_peers = 2;
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_OWN);
	}
}
END_TEST

/* Per-peer TTL ranges (adverts routed to a unicast peer) and
 * check_unicast_source false (any source, peers only give TTL ranges). */
START_TEST(test_peer_ttl_and_any_source)
{
	for (int i = 0; i < VEC_N; i++) {
		struct vrrp_rx_policy p = policy_for(V(i));
		struct halo_addr peers[2];
		struct cfg_peer_ttl ttl[2] = { { 255, 255 }, { 250, 254 } };

		peers[0] = vec_addr(V(i)->family == AF_INET ? "192.0.2.9" : "fe80::9");
		peers[1] = vec_addr(V(i)->src);
		p.peers = peers;
		p.n_peers = 2;
		p.peer_ttl = ttl;
		parse_vec(i, 252);
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
		parse_vec(i, 255);
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_TTL);   /* above the peer's max */
		parse_vec(i, 249);
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_TTL);
		/* a source that is not a peer: RFC 255 rule, then not_peer */
		p.n_peers = 1;
		parse_vec(i, 252);
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_TTL);
		parse_vec(i, 255);
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_NOT_PEER);
		p.any_source = true;
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
	}
}
END_TEST

START_TEST(test_accept_version_family)
{
	struct vrrp_rx_policy p;

	parse_vec(VEC_V3_V4_PSEUDO, 255);
	p = policy_for(V(VEC_V3_V4_PSEUDO));
	p.version = 2;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_VERSION);
	parse_vec(VEC_V2_NONE, 255);
	p = policy_for(V(VEC_V2_NONE));
	p.version = 3;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_VERSION);
	p.version = 2;
	p.family = AF_INET6;
	ck_assert_int_eq(accept_with(&p), VRRP_DROP_VRID);
}
END_TEST

START_TEST(test_reserved_bits)
{
	uint8_t msg[VRRP_PKT_MAX];

	for (int i = VEC_V3_V4_PSEUDO; i < VEC_N; i++) {
		const struct test_vector *v = V(i);
		struct vrrp_rx_policy p = policy_for(v);

		ck_assert_int_eq(parse_msg(v, v->bytes, v->len), VRRP_DROP_NONE);
		ck_assert_uint_eq(adv.v3_reserved, 0);
		mutate(v, msg, 4, (uint8_t)(0xf0 | v->bytes[4]));
		ck_assert_int_eq(parse_msg(v, msg, v->len), VRRP_DROP_NONE);
		ck_assert_uint_eq(adv.v3_reserved, 0xf);
		ck_assert_uint_eq(adv.adver_int_cs, v->adver_int_cs);
		ck_assert_int_eq(accept_with(&p), VRRP_DROP_NONE);
	}
}
END_TEST

START_TEST(test_duplicate_addrs)
{
	const struct test_vector *v = V(VEC_V3_V4_RFC9568);
	struct halo_addr a = vec_addr(v->addrs[0]), b = vec_addr(v->addrs[1]);
	struct halo_addr set[3] = { a, a, b };
	uint8_t msg[VRRP_PKT_MAX];

	/* the vector lists a, b: order does not matter, both must be there */
	ck_assert_int_eq(parse_msg(v, v->bytes, v->len), VRRP_DROP_NONE);
	ck_assert(vrrp_pkt_addrs_match(&adv, (struct halo_addr[]){ b, a }, 2));
	ck_assert(vrrp_pkt_addrs_match(&adv, set, 3));
	ck_assert(!vrrp_pkt_addrs_match(&adv, set, 1));
	ck_assert(!vrrp_pkt_addrs_match(&adv, (struct halo_addr[]){ a, b, vec_addr("10.9.9.9") }, 3));
	/* a, a: parsed as sent; as a set it equals {a} */
	memcpy(msg, v->bytes, v->len);
	memcpy(msg + 12, msg + 8, 4);
	vec_fix_cksum(v, msg, v->len);
	ck_assert_int_eq(parse_msg(v, msg, v->len), VRRP_DROP_NONE);
	ck_assert_int_eq(adv.naddr, 2);
	ck_assert(halo_addr_eq(&adv.addrs[0], &adv.addrs[1]));
	ck_assert(vrrp_pkt_addrs_match(&adv, &a, 1));
	ck_assert(vrrp_pkt_addrs_match(&adv, set, 2));
	ck_assert(!vrrp_pkt_addrs_match(&adv, set, 3));
	ck_assert(!vrrp_pkt_addrs_match(&adv, &b, 1));
	ck_assert(!vrrp_pkt_addrs_match(&adv, NULL, 0));
}
END_TEST

struct TCase *vrrp_rx_tcase(void)
{
	TCase *tc = tcase_create("receive");

	tcase_add_test(tc, test_truncated_ip);
	tcase_add_test(tc, test_truncated_vrrp);
	tcase_add_test(tc, test_ip_options);
	tcase_add_test(tc, test_ip_total_length);
	tcase_add_test(tc, test_ip_version_proto);
	tcase_add_test(tc, test_ttl);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_v2_over_ipv6);
	tcase_add_test(tc, test_type);
	tcase_add_test(tc, test_count_zero);
	tcase_add_test(tc, test_count_255);
	tcase_add_test(tc, test_count_mismatch);
	tcase_add_test(tc, test_v2_missing_auth_data);
	tcase_add_test(tc, test_checksum_bit);
	tcase_add_test(tc, test_checksum_pseudo_addresses);
	tcase_add_test(tc, test_checksum_style_policy);
	tcase_add_test(tc, test_auth);
	tcase_add_test(tc, test_v2_interval);
	tcase_add_test(tc, test_peers_and_own);
	tcase_add_test(tc, test_accept_version_family);
	tcase_add_test(tc, test_peer_ttl_and_any_source);
	tcase_add_test(tc, test_reserved_bits);
	tcase_add_test(tc, test_duplicate_addrs);
	return tc;
}
