/* Unit tests of the IPVS generic netlink codec: every attribute we send is
 * parsed back, parsers reject bad lengths, batches split at the buffer size. */
#include <arpa/inet.h>
#include <check.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs_msg.h"

#define FAM 0x42

static char buf[8192] __attribute__((aligned(8)));

static struct ipvs_service svc4(void)
{
	struct ipvs_service s = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80,
	                          .flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED2,
	                          .timeout = 50, .netmask = 0x00ffffff };

	halo_addr_parse("192.168.0.100", &s.addr);
	strcpy(s.sched_name, "wrr");
	strcpy(s.pe_name, "sip");
	return s;
}

static struct ipvs_dest dest4(void)
{
	struct ipvs_dest d = { .port = 8080, .fwd = IP_VS_CONN_F_TUNNEL, .weight = 65535,
	                       .u_thresh = 1000, .l_thresh = 10,
	                       .tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE, .tun_port = 6080,
	                       .tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM };

	halo_addr_parse("10.0.0.2", &d.addr);
	return d;
}

START_TEST(test_get_family)
{
	struct nlmsghdr *nlh = ipvs_msg_get_family(buf, sizeof(buf), 7);
	struct genlmsghdr *g;
	uint16_t id = 0;
	const char *err = NULL;

	ck_assert_ptr_nonnull(nlh);
	ck_assert_uint_eq(nlh->nlmsg_type, GENL_ID_CTRL);
	ck_assert_uint_eq(nlh->nlmsg_seq, 7);
	ck_assert(nlh->nlmsg_flags & NLM_F_ACK);
	ck_assert_int_eq(ipvs_msg_cmd(nlh), CTRL_CMD_GETFAMILY);
	ck_assert_int_eq(ipvs_msg_parse_family(nlh, &id, &err), -1);   /* no ID in a request */

	/* the kernel's reply */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "IPVS");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	ck_assert_int_eq(ipvs_msg_parse_family(nlh, &id, &err), 0);
	ck_assert_uint_eq(id, 0x1d);
}
END_TEST

START_TEST(test_service_roundtrip)
{
	struct ipvs_service s = svc4(), p;
	const char *err = NULL;
	struct nlmsghdr *nlh = ipvs_msg_service(buf, sizeof(buf), FAM, IPVS_CMD_NEW_SERVICE, &s, 3);

	ck_assert_ptr_nonnull(nlh);
	ck_assert_uint_eq(nlh->nlmsg_type, FAM);
	ck_assert_int_eq(ipvs_msg_cmd(nlh), IPVS_CMD_NEW_SERVICE);
	ck_assert_int_eq(ipvs_msg_parse_service(nlh, &p, &err), 0);
	ck_assert_int_eq(p.af, AF_INET);
	ck_assert_uint_eq(p.protocol, IPPROTO_TCP);
	ck_assert(halo_addr_eq(&p.addr, &s.addr));
	ck_assert_uint_eq(p.port, 80);
	ck_assert_uint_eq(p.fwmark, 0);
	ck_assert_str_eq(p.sched_name, "wrr");
	ck_assert_str_eq(p.pe_name, "sip");
	ck_assert_uint_eq(p.flags, IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED2);
	ck_assert_uint_eq(p.timeout, 50);
	ck_assert_uint_eq(p.netmask, 0x00ffffff);
	ck_assert_int_eq(ipvs_service_cmp(&p, &s), 0);

	/* SET carries the same; DEL only the key */
	nlh = ipvs_msg_service(buf, sizeof(buf), FAM, IPVS_CMD_SET_SERVICE, &s, 4);
	ck_assert_int_eq(ipvs_msg_parse_service(nlh, &p, &err), 0);
	ck_assert_str_eq(p.sched_name, "wrr");
	nlh = ipvs_msg_service(buf, sizeof(buf), FAM, IPVS_CMD_DEL_SERVICE, &s, 5);
	ck_assert_int_eq(ipvs_msg_parse_service(nlh, &p, &err), 0);
	ck_assert_int_eq(ipvs_service_cmp(&p, &s), 0);
	ck_assert_str_eq(p.sched_name, "");
	ck_assert_uint_eq(p.timeout, 0);
}
END_TEST

START_TEST(test_service_v6_and_fwmark)
{
	struct ipvs_service s = { .af = AF_INET6, .protocol = IPPROTO_SCTP, .port = 443,
	                          .netmask = 64 }, p;
	const char *err = NULL;
	struct nlmsghdr *nlh;

	halo_addr_parse("2001:db8::100", &s.addr);
	strcpy(s.sched_name, "mh");
	nlh = ipvs_msg_service(buf, sizeof(buf), FAM, IPVS_CMD_NEW_SERVICE, &s, 1);
	ck_assert_int_eq(ipvs_msg_parse_service(nlh, &p, &err), 0);
	ck_assert(halo_addr_eq(&p.addr, &s.addr));
	ck_assert_uint_eq(p.protocol, IPPROTO_SCTP);
	ck_assert_uint_eq(p.netmask, 64);
	ck_assert_str_eq(p.pe_name, "");

	memset(&s, 0, sizeof(s));
	s.af = AF_INET;
	s.fwmark = 7;
	strcpy(s.sched_name, "sh");
	s.flags = IP_VS_SVC_F_SCHED_SH_FALLBACK | IP_VS_SVC_F_ONEPACKET;
	nlh = ipvs_msg_service(buf, sizeof(buf), FAM, IPVS_CMD_NEW_SERVICE, &s, 1);
	ck_assert_int_eq(ipvs_msg_parse_service(nlh, &p, &err), 0);
	ck_assert_uint_eq(p.fwmark, 7);
	ck_assert_int_eq(p.addr.family, 0);
	ck_assert_uint_eq(p.flags, IP_VS_SVC_F_SCHED_SH_FALLBACK | IP_VS_SVC_F_ONEPACKET);
}
END_TEST

START_TEST(test_dest_roundtrip)
{
	struct ipvs_service s = svc4(), ps;
	struct ipvs_dest d = dest4(), p;
	const char *err = NULL;
	struct nlmsghdr *nlh = ipvs_msg_dest(buf, sizeof(buf), FAM, IPVS_CMD_NEW_DEST, &s, &d, 9);

	ck_assert_ptr_nonnull(nlh);
	ck_assert_int_eq(ipvs_msg_cmd(nlh), IPVS_CMD_NEW_DEST);
	ck_assert_int_eq(ipvs_msg_parse_dest(nlh, &p, &ps, &err), 0);
	ck_assert_int_eq(ipvs_service_cmp(&ps, &s), 0);
	ck_assert(halo_addr_eq(&p.addr, &d.addr));
	ck_assert_uint_eq(p.port, 8080);
	ck_assert_uint_eq(p.fwd, IP_VS_CONN_F_TUNNEL);
	ck_assert_int_eq(p.weight, 65535);
	ck_assert_uint_eq(p.u_thresh, 1000);
	ck_assert_uint_eq(p.l_thresh, 10);
	ck_assert_uint_eq(p.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	ck_assert_uint_eq(p.tun_port, 6080);
	ck_assert_uint_eq(p.tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);

	/* an IPv6 destination of an IPv4 service (TUN): the family travels */
	halo_addr_parse("2001:db8::2", &d.addr);
	nlh = ipvs_msg_dest(buf, sizeof(buf), FAM, IPVS_CMD_SET_DEST, &s, &d, 10);
	ck_assert_int_eq(ipvs_msg_parse_dest(nlh, &p, &ps, &err), 0);
	ck_assert_int_eq(p.addr.family, AF_INET6);
	ck_assert(halo_addr_eq(&p.addr, &d.addr));

	/* DEL: the key only */
	d = dest4();
	nlh = ipvs_msg_dest(buf, sizeof(buf), FAM, IPVS_CMD_DEL_DEST, &s, &d, 11);
	ck_assert_int_eq(ipvs_msg_parse_dest(nlh, &p, NULL, &err), 0);
	ck_assert_int_eq(ipvs_dest_cmp(&p, &d), 0);
	ck_assert_int_eq(p.weight, 0);
	ck_assert_uint_eq(p.fwd, 0);
}
END_TEST

START_TEST(test_dumps_daemon_timeouts)
{
	struct ipvs_service s = svc4(), ps;
	struct ipvs_daemon dm = { .state = IP_VS_STATE_MASTER, .mcast_ifn = "eth0", .sync_id = 51 }, pd;
	struct ipvs_timeouts t = { 900, 120, 300 }, pt;
	const char *err = NULL;
	struct nlmsghdr *nlh;

	nlh = ipvs_msg_dump_services(buf, sizeof(buf), FAM, 1);
	ck_assert(nlh->nlmsg_flags & NLM_F_DUMP);
	ck_assert_int_eq(ipvs_msg_cmd(nlh), IPVS_CMD_GET_SERVICE);
	nlh = ipvs_msg_dump_dests(buf, sizeof(buf), FAM, &s, 2);
	ck_assert_int_eq(ipvs_msg_cmd(nlh), IPVS_CMD_GET_DEST);
	ck_assert_int_eq(ipvs_msg_parse_service(nlh, &ps, &err), 0);
	ck_assert_int_eq(ipvs_service_cmp(&ps, &s), 0);
	nlh = ipvs_msg_dump_daemons(buf, sizeof(buf), FAM, 3);
	ck_assert_int_eq(ipvs_msg_cmd(nlh), IPVS_CMD_GET_DAEMON);

	nlh = ipvs_msg_daemon(buf, sizeof(buf), FAM, IPVS_CMD_NEW_DAEMON, &dm, 4);
	ck_assert_int_eq(ipvs_msg_parse_daemon(nlh, &pd, &err), 0);
	ck_assert_uint_eq(pd.state, IP_VS_STATE_MASTER);
	ck_assert_str_eq(pd.mcast_ifn, "eth0");
	ck_assert_uint_eq(pd.sync_id, 51);
	ck_assert_uint_eq(pd.maxlen, 0);             /* unset: not sent */
	ck_assert_uint_eq(pd.group.family, 0);
	/* the multicast settings, IPv4 and IPv6 groups */
	dm.maxlen = 1400;
	dm.port = 8849;
	dm.ttl = 2;
	halo_addr_parse("239.1.2.3", &dm.group);
	nlh = ipvs_msg_daemon(buf, sizeof(buf), FAM, IPVS_CMD_NEW_DAEMON, &dm, 4);
	ck_assert_int_eq(ipvs_msg_parse_daemon(nlh, &pd, &err), 0);
	ck_assert_uint_eq(pd.maxlen, 1400);
	ck_assert_uint_eq(pd.port, 8849);
	ck_assert_uint_eq(pd.ttl, 2);
	ck_assert(halo_addr_eq(&pd.group, &dm.group));
	halo_addr_parse("ff02::81", &dm.group);
	nlh = ipvs_msg_daemon(buf, sizeof(buf), FAM, IPVS_CMD_NEW_DAEMON, &dm, 4);
	ck_assert_int_eq(ipvs_msg_parse_daemon(nlh, &pd, &err), 0);
	ck_assert(halo_addr_eq(&pd.group, &dm.group));
	dm = (struct ipvs_daemon){ .state = IP_VS_STATE_MASTER, .mcast_ifn = "eth0", .sync_id = 51 };
	nlh = ipvs_msg_daemon(buf, sizeof(buf), FAM, IPVS_CMD_DEL_DAEMON, &dm, 5);
	ck_assert_int_eq(ipvs_msg_cmd(nlh), IPVS_CMD_DEL_DAEMON);
	ck_assert_int_eq(ipvs_msg_parse_daemon(nlh, &pd, &err), 0);
	ck_assert_uint_eq(pd.state, IP_VS_STATE_MASTER);
	ck_assert_str_eq(pd.mcast_ifn, "");

	nlh = ipvs_msg_timeouts(buf, sizeof(buf), FAM, &t, 6);
	ck_assert_int_eq(ipvs_msg_cmd(nlh), IPVS_CMD_SET_CONFIG);
	ck_assert_int_eq(ipvs_msg_parse_timeouts(nlh, &pt, &err), 0);
	ck_assert_uint_eq(pt.tcp, 900);
	ck_assert_uint_eq(pt.tcp_fin, 120);
	ck_assert_uint_eq(pt.udp, 300);
	t.tcp_fin = 0;                      /* 0 = not sent */
	nlh = ipvs_msg_timeouts(buf, sizeof(buf), FAM, &t, 7);
	ck_assert_int_eq(ipvs_msg_parse_timeouts(nlh, &pt, &err), 0);
	ck_assert_uint_eq(pt.tcp_fin, 0);
	ck_assert_uint_eq(pt.tcp, 900);
	nlh = ipvs_msg_flush(buf, sizeof(buf), FAM, 8);
	ck_assert_int_eq(ipvs_msg_cmd(nlh), IPVS_CMD_FLUSH);
}
END_TEST

/* A dump reply as the kernel writes it: flags with HASHED, stats64, conns. */
static struct nlmsghdr *kernel_dest_reply(uint32_t weight, uint16_t port_len)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	struct nlattr *n, *st;
	uint8_t addr[16] = { 10, 0, 0, 3 };
	uint32_t port32 = htons(80);

	nlh->nlmsg_type = FAM;
	g->cmd = IPVS_CMD_NEW_DEST;
	n = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_DEST);
	mnl_attr_put(nlh, IPVS_DEST_ATTR_ADDR, sizeof(addr), addr);
	if (port_len == 2)
		mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_PORT, htons(80));
	else
		mnl_attr_put(nlh, IPVS_DEST_ATTR_PORT, port_len, &port32);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_DROUTE);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_WEIGHT, weight);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_U_THRESH, 0);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_L_THRESH, 0);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_ACTIVE_CONNS, 5);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_INACT_CONNS, 6);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_PERSIST_CONNS, 7);
	mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_ADDR_FAMILY, AF_INET);
	st = mnl_attr_nest_start(nlh, IPVS_DEST_ATTR_STATS64);
	mnl_attr_put_u64(nlh, IPVS_STATS_ATTR_CONNS, 1234567890123ull);
	mnl_attr_put_u64(nlh, IPVS_STATS_ATTR_INBYTES, 42);
	mnl_attr_nest_end(nlh, st);
	mnl_attr_nest_end(nlh, n);
	return nlh;
}

START_TEST(test_parse_kernel_dump)
{
	struct ipvs_dest d;
	struct ipvs_service s;
	const char *err = NULL;
	struct nlmsghdr *nlh = kernel_dest_reply(3, 2);
	struct ip_vs_flags fl = { IP_VS_SVC_F_HASHED | IP_VS_SVC_F_PERSISTENT, ~0u };
	struct nlattr *n;
	struct genlmsghdr *g;

	ck_assert_int_eq(ipvs_msg_parse_dest(nlh, &d, NULL, &err), 0);
	ck_assert_int_eq(d.weight, 3);
	ck_assert_uint_eq(d.active_conns, 5);
	ck_assert_uint_eq(d.inact_conns, 6);
	ck_assert_uint_eq(d.persist_conns, 7);
	ck_assert_uint_eq(d.stats.conns, 1234567890123ull);
	ck_assert_uint_eq(d.stats.inbytes, 42);
	ck_assert_uint_eq(d.port, 80);

	/* a service with the HASHED flag and u32 stats */
	nlh = mnl_nlmsg_put_header(buf);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = IPVS_CMD_NEW_SERVICE;
	n = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, AF_INET);
	mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_FWMARK, 3);
	mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_SCHED_NAME, "rr");
	mnl_attr_put(nlh, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl);
	{
		struct nlattr *st = mnl_attr_nest_start(nlh, IPVS_SVC_ATTR_STATS);
		mnl_attr_put_u32(nlh, IPVS_STATS_ATTR_CONNS, 9);
		mnl_attr_put_u64(nlh, IPVS_STATS_ATTR_OUTBYTES, 1ull << 40);
		mnl_attr_nest_end(nlh, st);
	}
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(ipvs_msg_parse_service(nlh, &s, &err), 0);
	ck_assert_uint_eq(s.flags, IP_VS_SVC_F_PERSISTENT);
	ck_assert_uint_eq(s.stats.conns, 9);
	ck_assert_uint_eq(s.stats.outbytes, 1ull << 40);
}
END_TEST

START_TEST(test_parse_rejects)
{
	struct ipvs_dest d;
	struct ipvs_service s;
	const char *err = NULL;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct nlattr *n;
	char sched[20];

	ck_assert_int_eq(ipvs_msg_parse_dest(kernel_dest_reply(3, 4), &d, NULL, &err), -1);
	ck_assert_ptr_nonnull(err);
	err = NULL;
	ck_assert_int_eq(ipvs_msg_parse_dest(kernel_dest_reply(70000, 2), &d, NULL, &err), -1);
	ck_assert_ptr_nonnull(err);
	/* a dest message is not a service message */
	ck_assert_int_eq(ipvs_msg_parse_service(kernel_dest_reply(1, 2), &s, &err), -1);

	/* bad AF, then an unterminated or overlong scheduler name */
	for (int k = 0; k < 3; k++) {
		nlh = mnl_nlmsg_put_header(buf);
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = IPVS_CMD_NEW_SERVICE;
		n = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);
		mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, k == 0 ? AF_UNIX : AF_INET);
		mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_FWMARK, 3);
		memset(sched, 'x', sizeof(sched));
		if (k == 1)
			mnl_attr_put(nlh, IPVS_SVC_ATTR_SCHED_NAME, 3, "rrr");
		if (k == 2) {
			sched[sizeof(sched) - 1] = '\0';
			mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_SCHED_NAME, sched);
		}
		mnl_attr_nest_end(nlh, n);
		err = NULL;
		ck_assert_int_eq(ipvs_msg_parse_service(nlh, &s, &err), -1);
		ck_assert_ptr_nonnull(err);
	}

	/* a v6 service whose address attribute holds only 4 bytes */
	nlh = mnl_nlmsg_put_header(buf);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	n = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, AF_INET6);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_ADDR, 0x0100000a);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PORT, htons(80));
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(ipvs_msg_parse_service(nlh, &s, &err), -1);

	/* a length of 2 GiB or more (libmnl's mnl_nlmsg_ok lets it through) */
	nlh = ipvs_msg_service(buf, sizeof(buf), FAM, IPVS_CMD_NEW_SERVICE, &(struct ipvs_service){ .af = AF_INET, .fwmark = 1 }, 1);
	nlh->nlmsg_len = 0x90000000u;
	ck_assert_int_eq(ipvs_msg_parse_service(nlh, &s, &err), -1);
	ck_assert_int_eq(ipvs_msg_cmd(nlh), -1);

	/* a message shorter than the genetlink header */
	nlh = mnl_nlmsg_put_header(buf);
	ck_assert_int_eq(ipvs_msg_parse_service(nlh, &s, &err), -1);
	ck_assert_int_eq(ipvs_msg_cmd(nlh), -1);
}
END_TEST

START_TEST(test_buffer_too_small)
{
	struct ipvs_service s = svc4();
	struct ipvs_dest d = dest4();

	ck_assert_ptr_null(ipvs_msg_service(buf, 10, FAM, IPVS_CMD_NEW_SERVICE, &s, 1));
	ck_assert_ptr_null(ipvs_msg_service(buf, 40, FAM, IPVS_CMD_NEW_SERVICE, &s, 1));
	ck_assert_ptr_null(ipvs_msg_dest(buf, 80, FAM, IPVS_CMD_NEW_DEST, &s, &d, 1));
	ck_assert_ptr_null(ipvs_msg_get_family(buf, 20, 1));
}
END_TEST

START_TEST(test_batch_split)
{
	enum { N = 25 };
	struct ipvs_op ops[N];
	struct ipvs_service s = svc4();
	struct ipvs_dest d = dest4();
	size_t one, bufsz, done = 0, used, k, calls = 0;
	uint32_t seq = 100;

	memset(ops, 0, sizeof(ops));
	for (int i = 0; i < N; i++) {
		ops[i].kind = IPVS_OP_ADD_DEST;
		ops[i].svc = s;
		ops[i].dest = d;
		ops[i].dest.port = (uint16_t)(1000 + i);
	}
	one = ipvs_msg_op(buf, sizeof(buf), FAM, &ops[0], 1)->nlmsg_len;
	bufsz = one * 4 + one / 2;          /* room for 4 and a half messages */

	while (done < N) {
		struct nlmsghdr *nlh;
		int len;

		k = ipvs_msg_batch(buf, bufsz, FAM, ops + done, N - done, seq, &used);
		ck_assert_uint_eq(k, N - done < 4 ? N - done : 4);
		ck_assert_uint_le(used, bufsz);
		len = (int)used;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			struct ipvs_dest p;
			const char *err;
			bool last = (char *)nlh + MNL_ALIGN(nlh->nlmsg_len) == buf + used;

			/* only the batch's last message asks for an ACK */
			ck_assert_int_eq(!!(nlh->nlmsg_flags & NLM_F_ACK), last);
			ck_assert(nlh->nlmsg_flags & NLM_F_REQUEST);
			ck_assert_uint_eq(nlh->nlmsg_seq, seq);
			ck_assert_int_eq(ipvs_msg_parse_dest(nlh, &p, NULL, &err), 0);
			ck_assert_uint_eq(p.port, 1000 + (seq - 100));
			seq++;
		}
		ck_assert_int_eq(len, 0);
		done += k;
		calls++;
	}
	ck_assert_uint_eq(calls, 7);       /* 25 = 6 * 4 + 1 */
	ck_assert_uint_eq(seq, 100 + N);
	ck_assert_uint_eq(ipvs_msg_batch(buf, one - 1, FAM, ops, N, 1, &used), 0);
	ck_assert_uint_eq(used, 0);
	ck_assert_uint_eq(ipvs_msg_batch(buf, bufsz, FAM, ops, 0, 1, &used), 0);
}
END_TEST

START_TEST(test_op_messages)
{
	struct ipvs_op op = { .svc = svc4(), .dest = dest4() };
	static const int cmd[] = {
		[IPVS_OP_ADD_SERVICE] = IPVS_CMD_NEW_SERVICE, [IPVS_OP_EDIT_SERVICE] = IPVS_CMD_SET_SERVICE,
		[IPVS_OP_ADD_DEST] = IPVS_CMD_NEW_DEST, [IPVS_OP_EDIT_DEST] = IPVS_CMD_SET_DEST,
		[IPVS_OP_DEL_DEST] = IPVS_CMD_DEL_DEST, [IPVS_OP_DEL_SERVICE] = IPVS_CMD_DEL_SERVICE,
	};

	for (int k = IPVS_OP_ADD_SERVICE; k <= IPVS_OP_DEL_SERVICE; k++) {
		op.kind = (enum ipvs_op_kind)k;
		ck_assert_int_eq(ipvs_msg_cmd(ipvs_msg_op(buf, sizeof(buf), FAM, &op, 1)), cmd[k]);
		ck_assert_str_ne(ipvs_op_kind_name(op.kind), "?");
	}
}
END_TEST

START_TEST(test_strings)
{
	struct ipvs_service s = svc4();
	struct ipvs_dest d = dest4();
	char b[IPVS_SVC_STRLEN];

	ck_assert_str_eq(ipvs_service_str(&s, b), "[192.168.0.100]:tcp:80");
	ck_assert_str_eq(ipvs_dest_str(&s, &d, b), "[10.0.0.2]:tcp:8080");
	s.fwmark = 5;
	ck_assert_str_eq(ipvs_service_str(&s, b), "FWM 5");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ipvs_msg");
	TCase *tc = tcase_create("codec");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_get_family);
	tcase_add_test(tc, test_service_roundtrip);
	tcase_add_test(tc, test_service_v6_and_fwmark);
	tcase_add_test(tc, test_dest_roundtrip);
	tcase_add_test(tc, test_dumps_daemon_timeouts);
	tcase_add_test(tc, test_parse_kernel_dump);
	tcase_add_test(tc, test_parse_rejects);
	tcase_add_test(tc, test_buffer_too_small);
	tcase_add_test(tc, test_batch_split);
	tcase_add_test(tc, test_op_messages);
	tcase_add_test(tc, test_strings);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
