/* VRRP codec known answers (build reproduces the written-out bytes, parse
 * gives the fields back), GARP/NA frames, and a crash-robustness sweep. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vectors.h"

static struct vrrp_advert adv;

START_TEST(test_kat_build)
{
	for (int i = 0; i < VEC_N; i++) {
		const struct test_vector *v = &test_vectors[i];
		struct halo_addr addrs[2];
		struct vrrp_tx tx;
		uint8_t buf[VRRP_PKT_MAX];
		ssize_t n;

		vec_tx(v, &tx, addrs);
		memset(buf, 0xee, sizeof(buf));
		n = vrrp_pkt_build(&tx, buf, sizeof(buf));
		ck_assert_msg(n == (ssize_t)v->len, "%s: length %zd", v->name, n);
		ck_assert_msg(memcmp(buf, v->bytes, v->len) == 0, "%s: bytes differ", v->name);
		ck_assert_int_eq(vrrp_pkt_build(&tx, buf, v->len), (ssize_t)v->len);
		ck_assert_int_eq(vrrp_pkt_build(&tx, buf, v->len - 1), -1);
	}
}
END_TEST

START_TEST(test_kat_checksum)
{
	for (int i = 0; i < VEC_N; i++) {
		const struct test_vector *v = &test_vectors[i];
		struct halo_addr src = vec_addr(v->src), dst = vec_addr(v->dst);
		bool pseudo = v->version == 3 && (v->family == AF_INET6 || v->v3_ipv4_pseudo);
		unsigned want = (unsigned)(v->bytes[6] << 8 | v->bytes[7]);

		/* the checksum field already in the message is taken as zero */
		ck_assert_uint_eq(vrrp_pkt_checksum(v->bytes, v->len, v->family, &src, &dst, pseudo), want);
	}
}
END_TEST

static void check_fields(const struct test_vector *v)
{
	ck_assert_uint_eq(adv.version, v->version);
	ck_assert_uint_eq(adv.type, VRRP_TYPE_ADVERT);
	ck_assert_uint_eq(adv.vrid, v->vrid);
	ck_assert_uint_eq(adv.priority, v->priority);
	ck_assert_uint_eq(adv.naddr, v->naddr);
	ck_assert_uint_eq(adv.adver_int_cs, v->adver_int_cs);
	ck_assert_uint_eq(adv.v3_reserved, 0);
	ck_assert_uint_eq(adv.checksum, (unsigned)(v->bytes[6] << 8 | v->bytes[7]));
	for (size_t k = 0; k < v->naddr; k++) {
		struct halo_addr a = vec_addr(v->addrs[k]);

		ck_assert_msg(halo_addr_eq(&adv.addrs[k], &a), "%s: address %zu", v->name, k);
	}
	if (v->version == 2) {
		char want[VRRP_AUTH_LEN] = { 0 };

		if (v->auth_pass)
			memcpy(want, v->auth_pass, strlen(v->auth_pass));
		ck_assert_uint_eq(adv.v2_auth_type, v->auth_pass ? VRRP_V2_AUTH_PASS : VRRP_V2_AUTH_NONE);
		ck_assert_int_eq(memcmp(adv.v2_auth_data, want, VRRP_AUTH_LEN), 0);
		ck_assert(adv.cksum.without_pseudo && !adv.cksum.with_pseudo);
	} else if (v->family == AF_INET) {
		ck_assert(adv.cksum.with_pseudo == v->v3_ipv4_pseudo);
		ck_assert(adv.cksum.without_pseudo == !v->v3_ipv4_pseudo);
	} else {
		ck_assert(adv.cksum.with_pseudo);
	}
}

START_TEST(test_kat_parse)
{
	for (int i = 0; i < VEC_N; i++) {
		const struct test_vector *v = &test_vectors[i];
		struct halo_addr src = vec_addr(v->src), dst = vec_addr(v->dst);
		struct vrrp_meta meta;
		const char *err = NULL;
		uint8_t buf[256];
		size_t n = vec_datagram(v, buf, sizeof(buf), 255, &meta);

		if (v->family == AF_INET)
			memset(&meta.src, 0x55, sizeof(meta.src));   /* parse must fill it */
		ck_assert_int_eq(vrrp_pkt_parse(buf, n, &meta, &adv, &err), VRRP_DROP_NONE);
		ck_assert_ptr_nonnull(err);
		ck_assert(halo_addr_eq(&meta.src, &src));
		ck_assert(halo_addr_eq(&meta.dst, &dst));
		ck_assert_int_eq(meta.ttl, 255);
		check_fields(v);
	}
}
END_TEST

START_TEST(test_build_edges)
{
	const struct test_vector *v = &test_vectors[VEC_V2_PASS];
	struct halo_addr addrs[2];
	struct vrrp_tx tx;
	uint8_t buf[VRRP_PKT_MAX];
	struct vrrp_meta meta;
	const char *err;
	uint8_t dg[64];

	/* v2: 255 s and an 8-character password fit exactly */
	vec_tx(v, &tx, addrs);
	tx.adver_int_cs = 25500;
	tx.auth_pass = "abcdefgh";
	ck_assert_int_eq(vrrp_pkt_build(&tx, buf, sizeof(buf)), 20);
	ck_assert_int_eq(buf[5], 255);
	ck_assert_int_eq(memcmp(buf + 12, "abcdefgh", 8), 0);
	vec_ipv4_header(dg, &tx.src, &tx.dst, 20, 255, VRRP_PROTO);
	memcpy(dg + 20, buf, 20);
	meta.family = AF_INET;
	ck_assert_int_eq(vrrp_pkt_parse(dg, 40, &meta, &adv, &err), VRRP_DROP_NONE);
	ck_assert_uint_eq(adv.adver_int_cs, 25500);
	/* auth none: type 0, data zero even when a password is lying around */
	tx.auth_type = CFG_AUTH_NONE;
	ck_assert_int_eq(vrrp_pkt_build(&tx, buf, sizeof(buf)), 20);
	ck_assert_int_eq(buf[4], 0);
	ck_assert_int_eq(memcmp(buf + 12, "\0\0\0\0\0\0\0\0", 8), 0);
	/* v3: 10 ms and 40.95 s are the 12-bit range ends */
	vec_tx(&test_vectors[VEC_V3_V6], &tx, addrs);
	tx.adver_int_cs = 1;
	ck_assert_int_gt(vrrp_pkt_build(&tx, buf, sizeof(buf)), 0);
	ck_assert_int_eq(buf[4], 0);
	ck_assert_int_eq(buf[5], 1);
}
END_TEST

START_TEST(test_build_invalid)
{
	struct halo_addr addrs[2];
	struct vrrp_tx tx;
	uint8_t buf[VRRP_PKT_MAX];

	/* v2 interval not whole seconds / out of the octet / zero */
	static const uint16_t bad_v2[] = { 150, 25600, 0, 1 };
	for (size_t k = 0; k < sizeof(bad_v2) / sizeof(bad_v2[0]); k++) {
		vec_tx(&test_vectors[VEC_V2_PASS], &tx, addrs);
		tx.adver_int_cs = bad_v2[k];
		ck_assert_int_eq(vrrp_pkt_build(&tx, buf, sizeof(buf)), -1);
	}
	/* v2 password longer than 8 */
	tx.adver_int_cs = 100;
	tx.auth_pass = "123456789";
	ck_assert_int_eq(vrrp_pkt_build(&tx, buf, sizeof(buf)), -1);
	/* mixed families */
	vec_tx(&test_vectors[VEC_V3_V4_RFC9568], &tx, addrs);
	ck_assert_int_gt(vrrp_pkt_build(&tx, buf, sizeof(buf)), 0);
	addrs[1] = vec_addr("2001:db8::1");
	ck_assert_int_eq(vrrp_pkt_build(&tx, buf, sizeof(buf)), -1);
	/* v3 interval beyond 12 bits, or zero */
	vec_tx(&test_vectors[VEC_V3_V4_RFC9568], &tx, addrs);
	tx.adver_int_cs = 4096;
	ck_assert_int_eq(vrrp_pkt_build(&tx, buf, sizeof(buf)), -1);
	tx.adver_int_cs = 0;
	ck_assert_int_eq(vrrp_pkt_build(&tx, buf, sizeof(buf)), -1);
	/* no addresses; unknown version; v2 over IPv6 */
	vec_tx(&test_vectors[VEC_V3_V4_RFC9568], &tx, addrs);
	tx.naddr = 0;
	ck_assert_int_eq(vrrp_pkt_build(&tx, buf, sizeof(buf)), -1);
	tx.naddr = 2;
	tx.version = 4;
	ck_assert_int_eq(vrrp_pkt_build(&tx, buf, sizeof(buf)), -1);
	vec_tx(&test_vectors[VEC_V3_V6], &tx, addrs);
	tx.version = 2;
	tx.adver_int_cs = 100;
	ck_assert_int_eq(vrrp_pkt_build(&tx, buf, sizeof(buf)), -1);
	/* pseudo-header without its addresses */
	vec_tx(&test_vectors[VEC_V3_V6], &tx, addrs);
	tx.src.family = 0;
	ck_assert_int_eq(vrrp_pkt_build(&tx, buf, sizeof(buf)), -1);
}
END_TEST

START_TEST(test_garp)
{
	uint8_t mac[6], out[VRRP_ARP_FRAME_LEN];
	struct halo_addr vip = vec_addr("192.168.0.100"), v6 = vec_addr("2001:db8::1");

	vrrp_vmac(mac, AF_INET, 51);
	ck_assert_uint_eq(vrrp_garp_build(out, mac, &vip), VRRP_ARP_FRAME_LEN);
	ck_assert_int_eq(memcmp(out, vec_garp, sizeof(out)), 0);
	ck_assert_uint_eq(vrrp_garp_build(out, mac, &v6), 0);
}
END_TEST

START_TEST(test_una)
{
	static const uint8_t head_no_router[] = { 0x88, 0x00, 0x65, 0xc5, 0x20 };
	uint8_t mac[6], out[64];
	struct halo_addr vip = vec_addr("2001:db8::100"), src = vec_addr("fe80::a8bb:ccff:fedd:eeff");
	struct halo_addr v4 = vec_addr("192.168.0.100");

	vrrp_vmac(mac, AF_INET6, 7);
	ck_assert_uint_eq(vrrp_una_build(out, sizeof(out), mac, &vip, &src, true), VRRP_UNA_LEN);
	ck_assert_int_eq(memcmp(out, vec_una, VRRP_UNA_LEN), 0);
	ck_assert_uint_eq(vrrp_una_build(out, sizeof(out), mac, &vip, &src, false), VRRP_UNA_LEN);
	ck_assert_int_eq(memcmp(out, head_no_router, sizeof(head_no_router)), 0);
	ck_assert_int_eq(memcmp(out + 5, vec_una + 5, VRRP_UNA_LEN - 5), 0);
	ck_assert_uint_eq(vrrp_una_build(out, VRRP_UNA_LEN - 1, mac, &vip, &src, true), 0);
	ck_assert_uint_eq(vrrp_una_build(out, sizeof(out), mac, &v4, &src, true), 0);
}
END_TEST

START_TEST(test_vmac)
{
	static const uint8_t v4[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0xff };
	static const uint8_t v6[6] = { 0x00, 0x00, 0x5e, 0x00, 0x02, 0x01 };
	uint8_t mac[6];

	vrrp_vmac(mac, AF_INET, 255);
	ck_assert_int_eq(memcmp(mac, v4, 6), 0);
	vrrp_vmac(mac, AF_INET6, 1);
	ck_assert_int_eq(memcmp(mac, v6, 6), 0);
}
END_TEST

START_TEST(test_drop_names)
{
	static const char *const want[VRRP_DROP_MAX] = {
		"none", "too_short", "ip_header", "ttl", "version", "type", "length",
		"checksum", "vrid", "auth", "interval", "addr_count", "not_peer", "own",
	};

	for (int d = 0; d < VRRP_DROP_MAX; d++)
		ck_assert_str_eq(vrrp_drop_name((enum vrrp_drop)d), want[d]);
	ck_assert_str_eq(vrrp_drop_name(VRRP_DROP_MAX), "unknown");
}
END_TEST

/* Parses a heap copy of exactly n bytes so ASan sees any over-read. */
static enum vrrp_drop parse_exact(const uint8_t *src, size_t n, const struct test_vector *v)
{
	uint8_t *p = malloc(n ? n : 1);
	struct vrrp_meta meta = { .family = v->family, .ttl = 255 };
	struct vrrp_rx_policy pol = { .version = v->version, .family = v->family, .check_ttl = true };
	const char *err = NULL;
	enum vrrp_drop d;

	ck_assert_ptr_nonnull(p);
	memcpy(p, src, n);
	meta.src = vec_addr(v->src);
	meta.dst = vec_addr(v->dst);
	d = vrrp_pkt_parse(p, n, &meta, &adv, &err);
	ck_assert_ptr_nonnull(err);
	if (d == VRRP_DROP_NONE)
		(void)vrrp_pkt_accept(&adv, &meta, &pol, &err);
	free(p);
	return d;
}

START_TEST(test_robust_truncate_and_flip)
{
	for (int i = 0; i < VEC_N; i++) {
		const struct test_vector *v = &test_vectors[i];
		struct vrrp_meta meta;
		uint8_t buf[256], flip[256];
		size_t n = vec_datagram(v, buf, sizeof(buf), 255, &meta);
		size_t hdr = n - v->len;

		for (size_t cut = 0; cut < n; cut++)
			ck_assert_int_ne(parse_exact(buf, cut, v), VRRP_DROP_NONE);
		ck_assert_int_eq(parse_exact(buf, n, v), VRRP_DROP_NONE);
		for (size_t bit = 0; bit < n * 8; bit++) {
			enum vrrp_drop d;

			memcpy(flip, buf, n);
			flip[bit / 8] ^= (uint8_t)(1 << (bit % 8));
			d = parse_exact(flip, n, v);
			/* the checksum catches every single-bit error in the message */
			if (bit / 8 >= hdr)
				ck_assert_msg(d != VRRP_DROP_NONE, "%s: bit %zu flip accepted", v->name, bit);
		}
	}
}
END_TEST

struct TCase *vrrp_kat_tcase(void)
{
	TCase *tc = tcase_create("known_answers");

	tcase_add_test(tc, test_kat_build);
	tcase_add_test(tc, test_kat_checksum);
	tcase_add_test(tc, test_kat_parse);
	tcase_add_test(tc, test_build_edges);
	tcase_add_test(tc, test_build_invalid);
	tcase_add_test(tc, test_garp);
	tcase_add_test(tc, test_una);
	tcase_add_test(tc, test_vmac);
	tcase_add_test(tc, test_drop_names);
	return tc;
}

struct TCase *vrrp_robust_tcase(void)
{
	TCase *tc = tcase_create("robustness");

	tcase_add_test(tc, test_robust_truncate_and_flip);
	return tc;
}

int main(void)
{
	Suite *s = suite_create("vrrp_pkt");
	SRunner *sr;
	int failed;

	suite_add_tcase(s, vrrp_kat_tcase());
	suite_add_tcase(s, vrrp_rx_tcase());
	suite_add_tcase(s, vrrp_robust_tcase());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
