/* Probe wire formats: DNS query bytes and answer checks (RFC 1035), SMTP
 * reply codes (RFC 5321 4.2), ICMP echo with the RFC 1071 checksum. */
#include <string.h>

#include "probe_msg.h"
#include "test_checker.h"

START_TEST(test_dns_query)
{
	static const uint8_t want[] = {
		0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		3, 'w', 'w', 'w', 4, 't', 'e', 's', 't', 0, 0x00, 0x1c, 0x00, 0x01,
	};
	uint8_t buf[DNS_MAX_MSG];
	char big[300];

	ck_assert_int_eq(dns_query_build(buf, sizeof(buf), 0x1234, "www.test.", 28), sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
	ck_assert_int_eq(dns_query_build(buf, sizeof(buf), 1, "www.test", 28), sizeof(want));
	/* the root: a single zero octet */
	ck_assert_int_eq(dns_query_build(buf, sizeof(buf), 1, ".", 2), 12 + 1 + 4);
	ck_assert_int_eq(buf[12], 0);
	ck_assert_int_eq(dns_query_build(buf, sizeof(buf), 1, "a..b", 1), -1);
	memset(big, 'a', 64);
	big[64] = '\0';
	ck_assert_int_eq(dns_query_build(buf, sizeof(buf), 1, big, 1), -1);   /* label > 63 */
	for (int i = 0; i < 299; i++)
		big[i] = i % 2 ? '.' : 'a';
	big[299] = '\0';
	ck_assert_int_eq(dns_query_build(buf, sizeof(buf), 1, big, 1), -1);   /* name > 255 */
	ck_assert_int_eq(dns_query_build(buf, 16, 1, "www.test", 1), -1);
}
END_TEST

START_TEST(test_dns_reply)
{
	uint8_t r[12] = { 0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0 };
	enum health_reason why;
	int rcode;

	ck_assert_int_eq(dns_reply_check(r, sizeof(r), 0x1234, &why, &rcode), 0);
	ck_assert_int_eq(dns_reply_check(r, sizeof(r), 0x1235, &why, &rcode), -1);
	ck_assert_int_eq(why, HEALTH_R_BAD_RESPONSE);
	ck_assert_int_eq(dns_reply_check(r, 11, 0x1234, &why, &rcode), -1);
	r[3] = 0x83;   /* NXDOMAIN */
	ck_assert_int_eq(dns_reply_check(r, sizeof(r), 0x1234, &why, &rcode), -1);
	ck_assert_int_eq(why, HEALTH_R_STATUS);
	ck_assert_int_eq(rcode, 3);
	r[3] = 0x80;
	r[7] = 0;      /* NOERROR but no answer */
	ck_assert_int_eq(dns_reply_check(r, sizeof(r), 0x1234, &why, &rcode), -1);
	ck_assert_int_eq(why, HEALTH_R_EXPECT_MISMATCH);
	r[7] = 1;
	r[2] = 0x01;   /* QR = 0: a query, not a reply */
	ck_assert_int_eq(dns_reply_check(r, sizeof(r), 0x1234, &why, &rcode), -1);
	ck_assert_int_eq(why, HEALTH_R_BAD_RESPONSE);
}
END_TEST

START_TEST(test_smtp_reply)
{
	ck_assert_int_eq(smtp_reply_code("220 ready\r\n", 11), 220);
	ck_assert_int_eq(smtp_reply_code("220-a\r\n220-b\r\n220 c\r\n", 21), 220);
	ck_assert_int_eq(smtp_reply_code("220-a\r\n220-b", 12), 0);
	ck_assert_int_eq(smtp_reply_code("220 rea", 7), 0);
	ck_assert_int_eq(smtp_reply_code("554\r\n", 5), 554);
	ck_assert_int_eq(smtp_reply_code("250\n", 4), 250);
	ck_assert_int_eq(smtp_reply_code("HTTP/1.1 400\r\n", 14), -1);
	ck_assert_int_eq(smtp_reply_code("22\r\n", 4), -1);
	ck_assert_int_eq(smtp_reply_code("220x\r\n", 6), -1);
	ck_assert_int_eq(smtp_reply_code("620 x\r\n", 7), -1);
}
END_TEST

START_TEST(test_icmp_echo)
{
	/* RFC 1071 example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2 */
	static const uint8_t ex[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	uint8_t pkt[20 + 64] = { 0x45 };
	uint16_t id, seq;
	size_t n;

	ck_assert_uint_eq(inet_cksum(ex, sizeof(ex)), (uint16_t)~0xddf2);
	n = icmp_echo_build(pkt + 20, 64, false, 0xbeef, 7);
	ck_assert_uint_gt(n, 8);
	ck_assert_int_eq(pkt[20], 8);
	ck_assert_uint_eq(inet_cksum(pkt + 20, n), 0);
	/* turn it into the reply: type 0, checksum adjusted */
	pkt[20] = 0;
	pkt[22] = pkt[23] = 0;
	uint16_t c = inet_cksum(pkt + 20, n);
	pkt[22] = (uint8_t)(c >> 8);
	pkt[23] = (uint8_t)c;
	ck_assert_int_eq(icmp_echo_reply_parse(pkt, 20 + n, false, true, &id, &seq), 0);
	ck_assert_uint_eq(id, 0xbeef);
	ck_assert_uint_eq(seq, 7);
	ck_assert_int_eq(icmp_echo_reply_parse(pkt + 20, n, false, false, &id, &seq), 0);
	pkt[30] ^= 1;  /* corrupt the payload */
	ck_assert_int_eq(icmp_echo_reply_parse(pkt, 20 + n, false, true, &id, &seq), -1);
	pkt[30] ^= 1;
	pkt[20] = 8;   /* a request is not a reply */
	ck_assert_int_eq(icmp_echo_reply_parse(pkt, 20 + n, false, true, &id, &seq), -1);
	n = icmp_echo_build(pkt, 64, true, 1, 2);
	ck_assert_int_eq(pkt[0], 128);
	pkt[0] = 129;
	ck_assert_int_eq(icmp_echo_reply_parse(pkt, n, true, false, &id, &seq), 0);
	ck_assert_uint_eq(seq, 2);
	ck_assert_int_eq(icmp_echo_reply_parse(pkt, 4, true, false, &id, &seq), -1);
}
END_TEST

TCase *tcase_probe_msg(void)
{
	TCase *tc = tcase_create("probe_msg");

	tcase_add_test(tc, test_dns_query);
	tcase_add_test(tc, test_dns_reply);
	tcase_add_test(tc, test_smtp_reply);
	tcase_add_test(tc, test_icmp_echo);
	return tc;
}
