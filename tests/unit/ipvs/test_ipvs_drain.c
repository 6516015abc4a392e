/* Unit tests of the drained set: target parsing (v4, v6, ports, errors),
 * add/del, weight 0 in a desired table, and the diff it makes (one weight
 * edit per drained destination, nothing once the kernel has it). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs_diff.h"
#include "ipvs_drain.h"

static struct ipvs_drain_target tgt(const char *s)
{
	struct ipvs_drain_target t;

	ck_assert_ptr_null(ipvs_drain_parse(s, &t));
	return t;
}

START_TEST(parse_forms)
{
	struct ipvs_drain_target t;
	char b[IPVS_DRAIN_STRLEN];

	t = tgt("10.0.0.2");
	ck_assert_int_eq(t.addr.family, AF_INET);
	ck_assert_int_eq(t.port, 0);
	ck_assert_str_eq(ipvs_drain_str(&t, b), "10.0.0.2");
	t = tgt("10.0.0.2:8080");
	ck_assert_int_eq(t.port, 8080);
	ck_assert_str_eq(ipvs_drain_str(&t, b), "10.0.0.2:8080");
	t = tgt("2001:db8::1");
	ck_assert_int_eq(t.addr.family, AF_INET6);
	ck_assert_int_eq(t.port, 0);
	t = tgt("[2001:db8::1]:80");
	ck_assert_int_eq(t.port, 80);
	ck_assert_str_eq(ipvs_drain_str(&t, b), "[2001:db8::1]:80");
	t = tgt("[2001:db8::1]");
	ck_assert_int_eq(t.port, 0);
}
END_TEST

START_TEST(parse_errors)
{
	static const char *const bad[] = { "", "10.0.0", "10.0.0.2:", "10.0.0.2:0", "10.0.0.2:65536",
	                                   "10.0.0.2:x", "[2001:db8::1", "[2001:db8::1]80", "[2001:db8::1]:",
	                                   "host:80", "[10.0.0.2:80" };
	struct ipvs_drain_target t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(ipvs_drain_parse(bad[i], &t) != NULL, "accepted \"%s\"", bad[i]);
	ck_assert_ptr_nonnull(ipvs_drain_parse(NULL, &t));
}
END_TEST

START_TEST(set_add_del)
{
	struct ipvs_drain_set set = { 0 };
	struct ipvs_drain_target a = tgt("10.0.0.2"), b = tgt("10.0.0.2:80"), c = tgt("10.0.0.3");

	ck_assert_int_eq(ipvs_drain_add(&set, &a), 0);
	ck_assert_int_eq(ipvs_drain_add(&set, &b), 0);       /* another port scope: another target */
	ck_assert_int_eq(ipvs_drain_add(&set, &a), 1);
	ck_assert_int_eq(set.n, 2);
	ck_assert_int_eq(ipvs_drain_del(&set, &c), 1);
	ck_assert_int_eq(ipvs_drain_del(&set, &a), 0);
	ck_assert_int_eq(set.n, 1);
	ck_assert_int_eq(set.v[0].port, 80);
	ipvs_drain_free(&set);
	ck_assert_int_eq(set.n, 0);
}
END_TEST

/* Two services (ports 80 and 443), each with 10.0.0.1 and 10.0.0.2 weight 3. */
static void table2(struct ipvs_table *t)
{
	memset(t, 0, sizeof(*t));
	for (int p = 0; p < 2; p++) {
		struct ipvs_service s = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = p ? 443 : 80,
		                          .netmask = 0xffffffff }, *ns;

		halo_addr_parse("192.168.0.100", &s.addr);
		strcpy(s.sched_name, "rr");
		ck_assert_ptr_nonnull(ns = ipvs_table_add_service(t, &s));
		for (int i = 1; i <= 2; i++) {
			struct ipvs_dest d = { .port = s.port, .fwd = IP_VS_CONN_F_DROUTE, .weight = 3 };

			halo_addr_parse(i == 1 ? "10.0.0.1" : "10.0.0.2", &d.addr);
			ck_assert_ptr_nonnull(ipvs_service_add_dest(ns, &d));
		}
	}
	ipvs_table_sort(t);
}

static int weight_of(const struct ipvs_table *t, uint16_t port, const char *addr)
{
	struct halo_addr a;

	halo_addr_parse(addr, &a);
	for (size_t i = 0; i < t->n_svcs; i++)
		for (size_t j = 0; j < t->svcs[i].n_dests; j++)
			if (t->svcs[i].port == port && halo_addr_eq(&t->svcs[i].dests[j].addr, &a))
				return t->svcs[i].dests[j].weight;
	return -1;
}

START_TEST(apply_weights)
{
	struct ipvs_drain_set set = { 0 };
	struct ipvs_drain_target a = tgt("10.0.0.1"), b = tgt("10.0.0.2:443");
	struct ipvs_table t;

	table2(&t);
	ck_assert_int_eq(ipvs_drain_apply(&set, NULL, &t), 0);      /* empty set: nothing */
	ipvs_drain_add(&set, &a);
	ipvs_drain_add(&set, &b);
	ck_assert_int_eq(ipvs_drain_apply(&set, NULL, &t), 3);      /* 10.0.0.1 on both ports + one */
	ck_assert_int_eq(weight_of(&t, 80, "10.0.0.1"), 0);
	ck_assert_int_eq(weight_of(&t, 443, "10.0.0.1"), 0);
	ck_assert_int_eq(weight_of(&t, 80, "10.0.0.2"), 3);
	ck_assert_int_eq(weight_of(&t, 443, "10.0.0.2"), 0);
	ipvs_table_free(&t);
	table2(&t);
	ck_assert_int_eq(ipvs_drain_apply(NULL, &b, &t), 1);        /* one target alone */
	ck_assert_int_eq(ipvs_drain_apply(NULL, &(struct ipvs_drain_target){ .addr = b.addr, .port = 8080 }, &t), 0);
	ipvs_table_free(&t);
	ipvs_drain_free(&set);
}
END_TEST

START_TEST(diff_is_weight_edits)
{
	struct ipvs_drain_set set = { 0 };
	struct ipvs_drain_target a = tgt("10.0.0.1:80");
	struct ipvs_table want, kernel;
	struct ipvs_ops ops = { 0 };

	table2(&want);
	table2(&kernel);
	ipvs_drain_add(&set, &a);
	ipvs_drain_apply(&set, NULL, &want);
	ck_assert_int_eq(ipvs_diff(&want, &kernel, &ops), 0);
	ck_assert_int_eq(ops.n, 1);                                 /* one edit, no delete */
	ck_assert_int_eq(ops.v[0].kind, IPVS_OP_EDIT_DEST);
	ck_assert_int_eq(ops.v[0].dest.weight, 0);
	ck_assert_int_eq(ipvs_table_apply(&kernel, ops.v, ops.n, NULL), 0);
	ipvs_ops_free(&ops);
	ck_assert_int_eq(ipvs_diff(&want, &kernel, &ops), 0);
	ck_assert_int_eq(ops.n, 0);                                 /* drained and stable */
	ipvs_table_free(&want);
	table2(&want);                                              /* undrained: weight back */
	ck_assert_int_eq(ipvs_diff(&want, &kernel, &ops), 0);
	ck_assert_int_eq(ops.n, 1);
	ck_assert_int_eq(ops.v[0].dest.weight, 3);
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
	ipvs_table_free(&kernel);
	ipvs_drain_free(&set);
}
END_TEST

/* The run dir's state file: what ipvs_drain_format writes,
 * ipvs_drain_load reads back to the same set, in order; junk lines are
 * counted and skipped, never half-applied. */
START_TEST(format_load_roundtrip)
{
	struct ipvs_drain_set a = { 0 }, b = { 0 };
	struct ipvs_drain_target t;
	char *text, *again;

	t = tgt("192.0.2.1:80");
	ck_assert_int_eq(ipvs_drain_add(&a, &t), 0);
	t = tgt("2001:db8::1");
	ck_assert_int_eq(ipvs_drain_add(&a, &t), 0);
	t = tgt("[2001:db8::2]:443");
	ck_assert_int_eq(ipvs_drain_add(&a, &t), 0);
	text = ipvs_drain_format(&a);
	ck_assert_str_eq(text, "192.0.2.1:80\n2001:db8::1\n[2001:db8::2]:443\n");
	ck_assert_int_eq(ipvs_drain_load(&b, text), 0);
	again = ipvs_drain_format(&b);
	ck_assert_str_eq(again, text);
	free(text);
	free(again);
	ipvs_drain_free(&b);

	ck_assert_int_eq(ipvs_drain_load(&b, "\n192.0.2.9\nnot-an-address\n192.0.2.9:0\n"
	                                     "192.0.2.9\n2001:db8::3"), 2);
	ck_assert_uint_eq(b.n, 2);
	text = ipvs_drain_format(&b);
	ck_assert_str_eq(text, "192.0.2.9\n2001:db8::3\n");
	free(text);
	ipvs_drain_free(&b);
	text = ipvs_drain_format(&b);
	ck_assert_str_eq(text, "");
	free(text);
	ipvs_drain_free(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ipvs_drain");
	TCase *tc = tcase_create("drain");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, parse_forms);
	tcase_add_test(tc, parse_errors);
	tcase_add_test(tc, set_add_del);
	tcase_add_test(tc, apply_weights);
	tcase_add_test(tc, diff_is_weight_edits);
	tcase_add_test(tc, format_load_roundtrip);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
