/* Unit tests of ipvs_diff() and the desired-table builder: add, remove,
 * scheduler/persistence/weight changes, inhibit, drain, quorum with a sorry
 * server and hysteresis, and "no change = no operation". */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs_desired.h"
#include "ipvs_diff.h"

static struct ipvs_service mk_svc(const char *addr, uint16_t port, const char *sched)
{
	struct ipvs_service s = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = port,
	                          .netmask = 0xffffffff };

	halo_addr_parse(addr, &s.addr);
	strcpy(s.sched_name, sched);
	return s;
}

static struct ipvs_dest mk_dest(const char *addr, int weight)
{
	struct ipvs_dest d = { .port = 80, .fwd = IP_VS_CONN_F_DROUTE, .weight = weight };

	halo_addr_parse(addr, &d.addr);
	return d;
}

/* A table of one service with n dests 10.0.0.1.. of weight w. */
static void table1(struct ipvs_table *t, const char *sched, int n, int w)
{
	struct ipvs_service s = mk_svc("192.168.0.100", 80, sched), *ns;
	char a[32];

	memset(t, 0, sizeof(*t));
	ns = ipvs_table_add_service(t, &s);
	for (int i = 0; i < n; i++) {
		struct ipvs_dest d;

		snprintf(a, sizeof(a), "10.0.0.%d", i + 1);
		d = mk_dest(a, w);
		ipvs_service_add_dest(ns, &d);
	}
	ipvs_table_sort(t);
}

static void assert_kinds(const struct ipvs_ops *ops, const enum ipvs_op_kind *k, size_t n)
{
	ck_assert_uint_eq(ops->n, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(ipvs_op_kind_name(ops->v[i].kind), ipvs_op_kind_name(k[i]));
}

START_TEST(test_add_all)
{
	struct ipvs_table want, have = { 0 };
	struct ipvs_ops ops = { 0 };
	static const enum ipvs_op_kind k[] = { IPVS_OP_ADD_SERVICE, IPVS_OP_ADD_DEST, IPVS_OP_ADD_DEST };
	char b[IPVS_SVC_STRLEN];

	table1(&want, "rr", 2, 1);
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 3);
	ck_assert_str_eq(ipvs_service_str(&ops.v[0].svc, b), "[192.168.0.100]:tcp:80");
	ck_assert_str_eq(ipvs_dest_str(&ops.v[1].svc, &ops.v[1].dest, b), "[10.0.0.1]:tcp:80");
	ck_assert_str_eq(ipvs_dest_str(&ops.v[2].svc, &ops.v[2].dest, b), "[10.0.0.2]:tcp:80");
	ck_assert_ptr_null(ops.v[0].svc.dests);
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
}
END_TEST

START_TEST(test_remove_service)
{
	struct ipvs_table want = { 0 }, have;
	struct ipvs_ops ops = { 0 };
	static const enum ipvs_op_kind k[] = { IPVS_OP_DEL_SERVICE };

	table1(&have, "rr", 3, 1);
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 1);        /* its dests go with it */
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
}
END_TEST

START_TEST(test_no_change_is_empty)
{
	struct ipvs_table want, have;
	struct ipvs_ops ops = { 0 };

	table1(&want, "wlc", 5, 2);
	table1(&have, "wlc", 5, 2);
	/* what only a dump carries does not matter */
	have.svcs[0].stats.conns = 99;
	have.svcs[0].dests[2].active_conns = 7;
	have.svcs[0].dests[3].stats.inbytes = 1234;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	ck_assert_uint_eq(ops.n, 0);
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}
END_TEST

START_TEST(test_scheduler_change)
{
	struct ipvs_table want, have;
	struct ipvs_ops ops = { 0 };
	static const enum ipvs_op_kind k[] = { IPVS_OP_EDIT_SERVICE };

	table1(&want, "wrr", 2, 1);
	table1(&have, "rr", 2, 1);
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 1);
	ck_assert_str_eq(ops.v[0].svc.sched_name, "wrr");
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}
END_TEST

START_TEST(test_persistence_change)
{
	struct ipvs_table want, have;
	struct ipvs_ops ops = { 0 };
	static const enum ipvs_op_kind k[] = { IPVS_OP_EDIT_SERVICE };

	table1(&want, "rr", 2, 1);
	table1(&have, "rr", 2, 1);
	want.svcs[0].flags |= IP_VS_SVC_F_PERSISTENT;
	want.svcs[0].timeout = 50;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 1);
	ck_assert_uint_eq(ops.v[0].svc.timeout, 50);
	ipvs_ops_free(&ops);
	/* only the netmask */
	have.svcs[0].flags |= IP_VS_SVC_F_PERSISTENT;
	have.svcs[0].timeout = 50;
	want.svcs[0].netmask = htonl(0xffffff00);
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 1);
	ipvs_ops_free(&ops);
	/* only the timeout */
	have.svcs[0].netmask = want.svcs[0].netmask;
	have.svcs[0].timeout = 60;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 1);
	ipvs_ops_free(&ops);
	/* a persistence engine */
	have.svcs[0].timeout = 50;
	strcpy(want.svcs[0].pe_name, "sip");
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 1);
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}
END_TEST

START_TEST(test_weight_only)
{
	struct ipvs_table want, have;
	struct ipvs_ops ops = { 0 };
	static const enum ipvs_op_kind k[] = { IPVS_OP_EDIT_DEST };

	table1(&want, "rr", 10, 1);
	table1(&have, "rr", 10, 1);
	want.svcs[0].dests[6].weight = 5;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 1);
	ck_assert_int_eq(ops.v[0].dest.weight, 5);
	ck_assert(halo_addr_eq(&ops.v[0].dest.addr, &want.svcs[0].dests[6].addr));
	ipvs_ops_free(&ops);
	/* forwarding method and thresholds are edits too */
	want.svcs[0].dests[6].weight = 1;
	want.svcs[0].dests[1].fwd = IP_VS_CONN_F_MASQ;
	want.svcs[0].dests[2].u_thresh = 10;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	ck_assert_uint_eq(ops.n, 2);
	ipvs_ops_free(&ops);
	/* tunnel settings count only for tun destinations: type, port, flags */
	want.svcs[0].dests[1].fwd = have.svcs[0].dests[1].fwd;
	want.svcs[0].dests[2].u_thresh = have.svcs[0].dests[2].u_thresh;
	want.svcs[0].dests[3].tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;    /* dr: ignored */
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	ck_assert_uint_eq(ops.n, 0);
	want.svcs[0].dests[3].fwd = have.svcs[0].dests[3].fwd = IP_VS_CONN_F_TUNNEL;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 1);
	ck_assert_uint_eq(ops.v[0].dest.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	ipvs_ops_free(&ops);
	have.svcs[0].dests[3].tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	want.svcs[0].dests[3].tun_port = 6080;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 1);
	ipvs_ops_free(&ops);
	have.svcs[0].dests[3].tun_port = 6080;
	want.svcs[0].dests[3].tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 1);
	ipvs_ops_free(&ops);
	have.svcs[0].dests[3].tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	ck_assert_uint_eq(ops.n, 0);
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}
END_TEST

START_TEST(test_order)
{
	struct ipvs_table want, have;
	struct ipvs_ops ops = { 0 };
	struct ipvs_service s2 = mk_svc("192.168.0.101", 443, "rr"), s0 = mk_svc("192.168.0.99", 80, "rr");
	struct ipvs_dest d = mk_dest("10.0.0.9", 1);
	static const enum ipvs_op_kind k[] = {
		IPVS_OP_ADD_SERVICE, IPVS_OP_ADD_DEST, IPVS_OP_ADD_DEST, IPVS_OP_DEL_DEST, IPVS_OP_DEL_SERVICE
	};

	table1(&want, "rr", 2, 1);          /* 10.0.0.1, 10.0.0.2 */
	table1(&have, "rr", 3, 1);          /* + 10.0.0.3 to remove */
	ipvs_service_add_dest(&want.svcs[0], &d);
	ipvs_table_add_service(&want, &s2);
	ipvs_service_add_dest(&want.svcs[1], &d);
	ipvs_table_add_service(&have, &s0);  /* to remove */
	ipvs_table_sort(&want);
	ipvs_table_sort(&have);
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	assert_kinds(&ops, k, 5);
	ck_assert_uint_eq(ops.v[0].svc.port, 443);
	ck_assert_uint_eq(ops.v[4].svc.port, 80);
	ck_assert(halo_addr_eq(&ops.v[4].svc.addr, &s0.addr));
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}
END_TEST

START_TEST(test_drain)
{
	struct ipvs_table want, have;
	struct ipvs_ops ops = { 0 };

	table1(&want, "rr", 1, 1);
	table1(&have, "rr", 2, 1);
	want.svcs[0].drain = true;
	/* first weight 0 */
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	ck_assert_uint_eq(ops.n, 1);
	ck_assert_int_eq(ops.v[0].kind, IPVS_OP_EDIT_DEST);
	ck_assert_int_eq(ops.v[0].dest.weight, 0);
	ipvs_ops_free(&ops);
	/* then nothing while connections remain */
	have.svcs[0].dests[1].weight = 0;
	have.svcs[0].dests[1].active_conns = 3;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	ck_assert_uint_eq(ops.n, 0);
	/* then the delete */
	have.svcs[0].dests[1].active_conns = 0;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	ck_assert_uint_eq(ops.n, 1);
	ck_assert_int_eq(ops.v[0].kind, IPVS_OP_DEL_DEST);
	ipvs_ops_free(&ops);
	/* without drain: straight delete */
	want.svcs[0].drain = false;
	have.svcs[0].dests[1].weight = 1;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	ck_assert_uint_eq(ops.n, 1);
	ck_assert_int_eq(ops.v[0].kind, IPVS_OP_DEL_DEST);
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}
END_TEST

/* diff, apply to the kernel copy, diff again: nothing left */
static void assert_converges(const struct ipvs_table *want, struct ipvs_table *have)
{
	struct ipvs_ops ops = { 0 };

	ck_assert_int_eq(ipvs_diff(want, have, &ops), 0);
	ck_assert_int_eq(ipvs_table_apply(have, ops.v, ops.n, NULL), 0);
	ipvs_ops_free(&ops);
	ck_assert_int_eq(ipvs_diff(want, have, &ops), 0);
	ck_assert_uint_eq(ops.n, 0);
	ck_assert_uint_eq(have->n_svcs, want->n_svcs);
	for (size_t i = 0; i < want->n_svcs; i++)
		ck_assert_uint_eq(have->svcs[i].n_dests, want->svcs[i].n_dests);
}

START_TEST(test_table_apply)
{
	struct ipvs_table want, have = { 0 };
	struct ipvs_service s2 = mk_svc("192.168.0.101", 443, "rr"), s0 = mk_svc("192.168.0.99", 80, "rr");
	struct ipvs_service s1 = mk_svc("192.168.0.98", 80, "wlc");
	struct ipvs_dest d = mk_dest("10.0.0.9", 1);
	struct ipvs_ops ops = { 0 };
	int errs[16] = { 0 };

	table1(&want, "rr", 3, 1);
	assert_converges(&want, &have);                         /* from empty */
	want.svcs[0].dests[1].weight = 4;                       /* an edit */
	strcpy(want.svcs[0].sched_name, "wrr");
	assert_converges(&want, &have);
	ck_assert_int_eq(have.svcs[0].dests[1].weight, 4);
	ck_assert_str_eq(have.svcs[0].sched_name, "wrr");
	ipvs_table_add_service(&have, &s0);                     /* to delete, before and after */
	ipvs_table_add_service(&have, &s1);
	ipvs_service_add_dest(&have.svcs[have.n_svcs - 1], &d);
	ipvs_table_add_service(&want, &s2);                     /* to add, with a dest */
	ipvs_service_add_dest(&want.svcs[1], &d);
	want.svcs[0].n_dests = 2;                               /* drop 10.0.0.3 */
	ipvs_table_sort(&have);
	ipvs_table_sort(&want);
	assert_converges(&want, &have);

	/* a failed op is not applied */
	want.svcs[0].dests[0].weight = 9;
	ck_assert_int_eq(ipvs_diff(&want, &have, &ops), 0);
	ck_assert_uint_eq(ops.n, 1);
	errs[0] = 22;
	ck_assert_int_eq(ipvs_table_apply(&have, ops.v, ops.n, errs), 0);
	ck_assert_int_eq(have.svcs[0].dests[0].weight, 1);
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
	ipvs_table_free(&have);
}
END_TEST

START_TEST(test_retry_delay)
{
	ck_assert_uint_eq(ipvs_retry_delay(1, 1000000, 5000000), 1000000);
	ck_assert_uint_eq(ipvs_retry_delay(2, 1000000, 5000000), 2000000);
	ck_assert_uint_eq(ipvs_retry_delay(3, 1000000, 5000000), 4000000);
	ck_assert_uint_eq(ipvs_retry_delay(4, 1000000, 5000000), 5000000);
	ck_assert_uint_eq(ipvs_retry_delay(4000000000u, 1000000, 5000000), 5000000);
	ck_assert_uint_eq(ipvs_retry_delay(9, 1000000, 60000000), 60000000);
	ck_assert_uint_eq(ipvs_retry_delay(1, 1000000, 500000), 500000);   /* never past the period */
}
END_TEST

START_TEST(test_daemon_plan)
{
	struct ipvs_daemon m = { .state = IP_VS_STATE_MASTER, .mcast_ifn = "eth0", .sync_id = 51 };
	struct ipvs_daemon b = { .state = IP_VS_STATE_BACKUP, .mcast_ifn = "eth0", .sync_id = 51 };
	struct ipvs_daemon have[2], del[2], add[2], both[2] = { m, b };
	size_t n, na;

	ipvs_daemon_plan(&m, 1, NULL, 0, del, &n, add, &na);          /* start */
	ck_assert(n == 0 && na == 1 && add[0].state == IP_VS_STATE_MASTER);
	have[0] = m;
	ipvs_daemon_plan(&m, 1, have, 1, del, &n, add, &na);          /* running: nothing */
	ck_assert(n == 0 && na == 0);
	ipvs_daemon_plan(&b, 1, have, 1, del, &n, add, &na);          /* MASTER -> BACKUP */
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(del[0].state, IP_VS_STATE_MASTER);
	ck_assert(na == 1 && add[0].state == IP_VS_STATE_BACKUP);
	have[1] = b;                                                  /* both: stop the master */
	ipvs_daemon_plan(&b, 1, have, 2, del, &n, add, &na);
	ck_assert(n == 1 && na == 0);
	ipvs_daemon_plan(both, 2, have, 2, del, &n, add, &na);        /* both wanted, both run */
	ck_assert(n == 0 && na == 0);
	ipvs_daemon_plan(both, 2, have, 1, del, &n, add, &na);        /* both wanted, master runs */
	ck_assert(n == 0 && na == 1 && add[0].state == IP_VS_STATE_BACKUP);
	b.sync_id = 52;                                               /* another sync id */
	ipvs_daemon_plan(&b, 1, have, 2, del, &n, add, &na);
	ck_assert(n == 2 && na == 1);
	ipvs_daemon_plan(NULL, 0, have, 2, del, &n, add, &na);        /* none wanted */
	ck_assert(n == 2 && na == 0);
	/* multicast settings: the kernel's defaults match an unset wish; a set
	 * one must match what runs */
	have[0] = m;
	have[0].maxlen = 1472;
	have[0].port = 8848;
	have[0].ttl = 1;
	halo_addr_parse("224.0.0.81", &have[0].group);
	ipvs_daemon_plan(&m, 1, have, 1, del, &n, add, &na);
	ck_assert(n == 0 && na == 0);
	m.port = 8849;
	ipvs_daemon_plan(&m, 1, have, 1, del, &n, add, &na);
	ck_assert(n == 1 && na == 1);
	m.port = 8848;
	m.ttl = 1;
	m.maxlen = 1472;
	m.group = have[0].group;
	ipvs_daemon_plan(&m, 1, have, 1, del, &n, add, &na);
	ck_assert(n == 0 && na == 0);
	halo_addr_parse("239.0.0.1", &m.group);
	ipvs_daemon_plan(&m, 1, have, 1, del, &n, add, &na);
	ck_assert(n == 1 && na == 1);
}
END_TEST

START_TEST(test_daemons_wanted)
{
	struct ipvs_daemon base = { .mcast_ifn = "eth1", .sync_id = 7, .port = 8849 }, out[2];

	ck_assert_uint_eq(ipvs_daemons_wanted(CFG_SYNC_FOLLOW, NULL, &base, out), 1);
	ck_assert_uint_eq(out[0].state, IP_VS_STATE_MASTER);          /* nothing followed: master */
	ck_assert_uint_eq(out[0].port, 8849);
	ck_assert_str_eq(out[0].mcast_ifn, "eth1");
	ck_assert_uint_eq(ipvs_daemons_wanted(CFG_SYNC_FOLLOW, "MASTER", &base, out), 1);
	ck_assert_uint_eq(out[0].state, IP_VS_STATE_MASTER);
	ck_assert_uint_eq(ipvs_daemons_wanted(CFG_SYNC_FOLLOW, "BACKUP", &base, out), 1);
	ck_assert_uint_eq(out[0].state, IP_VS_STATE_BACKUP);
	ck_assert_uint_eq(ipvs_daemons_wanted(CFG_SYNC_FOLLOW, "FAULT", &base, out), 1);
	ck_assert_uint_eq(out[0].state, IP_VS_STATE_BACKUP);
	ck_assert_uint_eq(ipvs_daemons_wanted(CFG_SYNC_FOLLOW, "", &base, out), 1);   /* unknown yet */
	ck_assert_uint_eq(out[0].state, IP_VS_STATE_BACKUP);
	ck_assert_uint_eq(ipvs_daemons_wanted(CFG_SYNC_MASTER, "BACKUP", &base, out), 1);
	ck_assert_uint_eq(out[0].state, IP_VS_STATE_MASTER);
	ck_assert_uint_eq(ipvs_daemons_wanted(CFG_SYNC_BACKUP, NULL, &base, out), 1);
	ck_assert_uint_eq(out[0].state, IP_VS_STATE_BACKUP);
	ck_assert_uint_eq(ipvs_daemons_wanted(CFG_SYNC_BOTH, NULL, &base, out), 2);
	ck_assert_uint_eq(out[0].state, IP_VS_STATE_MASTER);
	ck_assert_uint_eq(out[1].state, IP_VS_STATE_BACKUP);
	ck_assert_uint_eq(out[1].sync_id, 7);
}
END_TEST

START_TEST(test_benign_errors)
{
	ck_assert(ipvs_op_error_benign(IPVS_OP_ADD_SERVICE, EEXIST));
	ck_assert(ipvs_op_error_benign(IPVS_OP_ADD_DEST, EEXIST));
	ck_assert(ipvs_op_error_benign(IPVS_OP_DEL_DEST, ENOENT));
	ck_assert(ipvs_op_error_benign(IPVS_OP_DEL_SERVICE, ESRCH));
	ck_assert(!ipvs_op_error_benign(IPVS_OP_EDIT_DEST, ENOENT));
	ck_assert(!ipvs_op_error_benign(IPVS_OP_ADD_SERVICE, ENOENT));
	ck_assert(!ipvs_op_error_benign(IPVS_OP_DEL_DEST, EEXIST));
}
END_TEST

/* ---------------- desired table from config + health ---------------- */

struct fixture {
	struct halo_config cfg;
	struct cfg_virtual_server vs;
	struct cfg_real_server rs[3];
	struct rs_health h[3];
	struct vs_health vh;
};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	halo_addr_parse("192.168.0.100", &f->vs.address);
	f->vs.port = 80;
	f->vs.protocol = CFG_PROTO_TCP;
	f->vs.scheduler = "rr";
	f->vs.forwarding = CFG_FWD_DR;
	f->vs.persistence = true;
	f->vs.persistence_timeout = 50000;
	halo_addr_parse("255.255.255.255", &f->vs.persistence_netmask);
	f->vs.quorum = 1;
	for (int i = 0; i < 3; i++) {
		char a[32];

		snprintf(a, sizeof(a), "192.168.0.%d", 108 + i);
		halo_addr_parse(a, &f->rs[i].address);
		f->rs[i].port = 80;
		f->rs[i].weight = 1;
		f->h[i].up = true;
		f->h[i].weight = -1;
	}
	f->vs.real_servers = f->rs;
	f->vs.n_real_servers = 3;
	halo_addr_parse("192.168.0.200", &f->vs.sorry_address);
	f->vs.sorry_port = 8080;
	f->cfg.virtual_servers = &f->vs;
	f->cfg.n_virtual_servers = 1;
	f->vh.quorum_up = true;
	f->vh.rs = f->h;
}

static void build(struct fixture *f, struct ipvs_table *t)
{
	const char *err = NULL;

	ck_assert_int_eq(ipvs_desired_build(&f->cfg, &f->vh, t, &err), 0);
}

START_TEST(test_desired_basic)
{
	struct fixture f;
	struct ipvs_table t;
	const char *err = NULL;
	char b[IPVS_SVC_STRLEN];

	fixture_init(&f);
	build(&f, &t);
	ck_assert_uint_eq(t.n_svcs, 1);
	ck_assert_str_eq(ipvs_service_str(&t.svcs[0], b), "[192.168.0.100]:tcp:80");
	ck_assert_str_eq(t.svcs[0].sched_name, "rr");
	ck_assert_uint_eq(t.svcs[0].flags, IP_VS_SVC_F_PERSISTENT);
	ck_assert_uint_eq(t.svcs[0].timeout, 50);
	ck_assert_uint_eq(t.svcs[0].netmask, 0xffffffff);
	ck_assert_uint_eq(t.svcs[0].n_dests, 3);
	ck_assert_uint_eq(t.svcs[0].dests[0].fwd, IP_VS_CONN_F_DROUTE);
	ipvs_table_free(&t);

	/* health NULL = every real server up */
	ck_assert_int_eq(ipvs_desired_build(&f.cfg, NULL, &t, &err), 0);
	ck_assert_uint_eq(t.svcs[0].n_dests, 3);
	ipvs_table_free(&t);

	/* no persistence, NAT, a scheduler flag, an unknown flag */
	{
		char *flags[] = { "sh-port" }, *bad[] = { "nope" };

		f.vs.persistence = false;
		f.vs.scheduler = "sh";
		f.vs.sched_flags = flags;
		f.vs.n_sched_flags = 1;
		f.rs[1].forwarding = CFG_FWD_NAT;
		build(&f, &t);
		ck_assert_uint_eq(t.svcs[0].flags, IP_VS_SVC_F_SCHED_SH_PORT);
		ck_assert_uint_eq(t.svcs[0].timeout, 0);
		ck_assert_uint_eq(t.svcs[0].dests[1].fwd, IP_VS_CONN_F_MASQ);
		ipvs_table_free(&t);
		/* tun: the real server's tunnel; a persistence engine */
		f.rs[2].forwarding = CFG_FWD_TUN;
		f.rs[2].tunnel = (struct cfg_tunnel){ CFG_TUN_GUE, 6080, CFG_TUN_REMCSUM };
		f.vs.persistence_engine = "sip";
		build(&f, &t);
		ck_assert_uint_eq(t.svcs[0].dests[2].fwd, IP_VS_CONN_F_TUNNEL);
		ck_assert_uint_eq(t.svcs[0].dests[2].tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
		ck_assert_uint_eq(t.svcs[0].dests[2].tun_port, 6080);
		ck_assert_uint_eq(t.svcs[0].dests[2].tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);
		ck_assert_str_eq(t.svcs[0].pe_name, "sip");
		ipvs_table_free(&t);
		f.rs[2].tunnel = (struct cfg_tunnel){ CFG_TUN_IPIP, 0, CFG_TUN_CSUM_NONE };
		f.vs.persistence_engine = NULL;
		build(&f, &t);
		ck_assert_uint_eq(t.svcs[0].dests[2].tun_type, IP_VS_CONN_F_TUNNEL_TYPE_IPIP);
		ck_assert_uint_eq(t.svcs[0].dests[2].tun_port, 0);
		ck_assert_uint_eq(t.svcs[0].dests[2].tun_flags, 0);
		ck_assert_str_eq(t.svcs[0].pe_name, "");
		ipvs_table_free(&t);
		f.vs.sched_flags = bad;
		ck_assert_int_eq(ipvs_desired_build(&f.cfg, &f.vh, &t, &err), -1);
		ck_assert_ptr_nonnull(err);
	}
}
END_TEST

START_TEST(test_desired_fwmark_v6)
{
	struct fixture f;
	struct ipvs_table t;
	char b[IPVS_SVC_STRLEN];

	fixture_init(&f);
	f.vs.is_fwmark = true;
	f.vs.fwmark = 3;
	memset(&f.vs.address, 0, sizeof(f.vs.address));
	f.vs.persistence = false;
	build(&f, &t);
	ck_assert_str_eq(ipvs_service_str(&t.svcs[0], b), "FWM 3");
	ck_assert_int_eq(t.svcs[0].af, AF_INET);
	ck_assert_uint_eq(t.svcs[0].protocol, 0);
	ipvs_table_free(&t);

	fixture_init(&f);
	halo_addr_parse("2001:db8::100", &f.vs.address);
	f.vs.persistence_prefix = 64;
	build(&f, &t);
	ck_assert_int_eq(t.svcs[0].af, AF_INET6);
	ck_assert_uint_eq(t.svcs[0].netmask, 64);
	ipvs_table_free(&t);
}
END_TEST

START_TEST(test_desired_down_and_inhibit)
{
	struct fixture f;
	struct ipvs_table t;

	fixture_init(&f);
	f.h[1].up = false;
	build(&f, &t);
	ck_assert_uint_eq(t.svcs[0].n_dests, 2);
	ipvs_table_free(&t);

	f.vs.inhibit_on_failure = true;
	build(&f, &t);
	ck_assert_uint_eq(t.svcs[0].n_dests, 3);
	ck_assert_int_eq(t.svcs[0].dests[1].weight, 0);
	ck_assert_int_eq(t.svcs[0].dests[0].weight, 1);
	ipvs_table_free(&t);

	/* the checker's dynamic weight wins over the configured one */
	f.h[2].weight = 7;
	build(&f, &t);
	ck_assert_int_eq(t.svcs[0].dests[2].weight, 7);
	ipvs_table_free(&t);
}
END_TEST

START_TEST(test_desired_quorum_sorry)
{
	struct fixture f;
	struct ipvs_table up, down, back;
	struct ipvs_ops ops = { 0 };
	char b[IPVS_SVC_STRLEN];

	fixture_init(&f);
	f.vs.has_sorry_server = true;
	f.vs.quorum = 2;
	build(&f, &up);
	ck_assert_uint_eq(up.svcs[0].n_dests, 3);

	/* quorum lost: only the sorry server */
	f.h[0].up = false;
	f.h[1].up = false;
	build(&f, &down);
	ck_assert(!f.vh.quorum_up);
	ck_assert_uint_eq(down.svcs[0].n_dests, 1);
	ck_assert_str_eq(ipvs_dest_str(&down.svcs[0], &down.svcs[0].dests[0], b), "[192.168.0.200]:tcp:8080");
	ck_assert_int_eq(ipvs_diff(&down, &up, &ops), 0);
	ck_assert_uint_eq(ops.n, 4);        /* add the sorry server, remove three */
	ck_assert_int_eq(ops.v[0].kind, IPVS_OP_ADD_DEST);
	ck_assert_int_eq(ops.v[3].kind, IPVS_OP_DEL_DEST);
	ipvs_ops_free(&ops);

	/* regained: the real servers back, the sorry server gone */
	f.h[0].up = true;
	build(&f, &back);
	ck_assert(f.vh.quorum_up);
	ck_assert_uint_eq(back.svcs[0].n_dests, 2);
	ck_assert_int_eq(ipvs_diff(&back, &down, &ops), 0);
	ck_assert_uint_eq(ops.n, 3);
	ipvs_ops_free(&ops);
	ipvs_table_free(&up);
	ipvs_table_free(&down);
	ipvs_table_free(&back);

	/* without a sorry server the live ones stay */
	f.vs.has_sorry_server = false;
	f.h[0].up = false;
	build(&f, &down);
	ck_assert(!f.vh.quorum_up);
	ck_assert_uint_eq(down.svcs[0].n_dests, 1);
	ipvs_table_free(&down);
}
END_TEST

START_TEST(test_quorum_hysteresis)
{
	/* quorum 3, hysteresis 1: lost below 2, regained at 4 */
	ck_assert(vs_quorum_next(true, 3, 3, 1));
	ck_assert(vs_quorum_next(true, 2, 3, 1));
	ck_assert(!vs_quorum_next(true, 1, 3, 1));
	ck_assert(!vs_quorum_next(false, 3, 3, 1));
	ck_assert(vs_quorum_next(false, 4, 3, 1));
	/* no hysteresis */
	ck_assert(!vs_quorum_next(true, 0, 1, 0));
	ck_assert(vs_quorum_next(false, 1, 1, 0));
	ck_assert(vs_quorum_next(true, 0, 0, 0));
}
END_TEST

START_TEST(test_desired_vs_kernel_no_change)
{
	struct fixture f;
	struct ipvs_table t, k = { 0 };
	struct ipvs_ops ops = { 0 };

	fixture_init(&f);
	build(&f, &t);
	/* the kernel after applying: same values */
	for (size_t i = 0; i < t.n_svcs; i++) {
		struct ipvs_service *s = ipvs_table_add_service(&k, &t.svcs[i]);

		for (size_t j = 0; j < t.svcs[i].n_dests; j++)
			ipvs_service_add_dest(s, &t.svcs[i].dests[j]);
	}
	ipvs_table_sort(&k);
	ck_assert_int_eq(ipvs_diff(&t, &k, &ops), 0);
	ck_assert_uint_eq(ops.n, 0);
	ipvs_table_free(&t);
	ipvs_table_free(&k);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ipvs_diff");
	TCase *tc = tcase_create("diff");
	TCase *td = tcase_create("desired");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_add_all);
	tcase_add_test(tc, test_remove_service);
	tcase_add_test(tc, test_no_change_is_empty);
	tcase_add_test(tc, test_scheduler_change);
	tcase_add_test(tc, test_persistence_change);
	tcase_add_test(tc, test_weight_only);
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_drain);
	tcase_add_test(tc, test_daemon_plan);
	tcase_add_test(tc, test_table_apply);
	tcase_add_test(tc, test_benign_errors);
	tcase_add_test(td, test_desired_basic);
	tcase_add_test(td, test_desired_fwmark_v6);
	tcase_add_test(td, test_desired_down_and_inhibit);
	tcase_add_test(td, test_desired_quorum_sorry);
	tcase_add_test(td, test_quorum_hysteresis);
	tcase_add_test(td, test_retry_delay);
	tcase_add_test(td, test_daemons_wanted);
	tcase_add_test(td, test_desired_vs_kernel_no_change);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, td);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
