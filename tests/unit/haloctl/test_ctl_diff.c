/* Unit tests of the reload diff (haloctl/ctl_diff.c): two status replies of
 * a daemon in, the changes as JSON and as lines of text out; counters never
 * count as a change. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_diff.h"

static struct json_object *J(const char *text)
{
	struct json_object *o = json_tokener_parse(text);

	ck_assert_msg(o != NULL, "bad test JSON: %s", text);
	return o;
}

/* The changes as text, one per line; takes the replies. */
static char *lines(const char *daemon, struct json_object *before, struct json_object *after)
{
	struct json_object *d = status_diff(daemon, before, after);
	char *out = calloc(1, 1);
	size_t len = 0;

	ck_assert_ptr_nonnull(d);
	for (size_t i = 0; i < json_object_array_length(d); i++) {
		char *l = status_diff_text(json_object_array_get_idx(d, i));
		ck_assert_ptr_nonnull(l);
		out = realloc(out, len + strlen(l) + 2);
		len += (size_t)sprintf(out + len, "%s\n", l);
		free(l);
	}
	json_object_put(d);
	json_object_put(before);
	json_object_put(after);
	return out;
}

#define ASSERT_LINES(daemon, before, after, want)                  \
	do {                                                           \
		char *got_ = lines((daemon), J(before), J(after));         \
		ck_assert_str_eq(got_, (want));                            \
		free(got_);                                                \
	} while (0)

static const char *inst(const char *name, int prio, const char *vips, const char *state, int sent)
{
	static char buf[4][600];
	static int k;
	char *b = buf[k++ % 4];

	snprintf(b, 600,
	         "{\"name\":\"%s\",\"state\":\"%s\",\"interface\":\"eth0\",\"family\":\"ipv4\",\"vrid\":51,"
	         "\"version\":3,\"priority\":%d,\"base_priority\":%d,\"advert_interval_ms\":1000,"
	         "\"virtual_addresses\":[%s],\"adverts_sent\":%d,\"effective_priority_delta\":0,"
	         "\"sync_group\":null,\"drops\":{\"ttl\":%d}}",
	         name, state, prio, prio, vips, sent, sent);
	return b;
}

static char *vrrp_doc(const char *a, const char *b)
{
	char *s = malloc(1400);

	snprintf(s, 1400, "{\"ok\":true,\"reloads\":%d,\"instances\":[%s%s%s],\"sync_groups\":[],\"track_scripts\":[]}",
	         b ? 2 : 1, a, b ? "," : "", b ? b : "");
	return s;
}

/* vrrpd replies of one or two instances each (inst() results), compared. */
static void vrrp_case(const char *b1, const char *b2, const char *a1, const char *a2, const char *want)
{
	char *before = vrrp_doc(b1, b2), *after = vrrp_doc(a1, a2);

	ASSERT_LINES("halo-vrrpd", before, after, want);
	free(before);
	free(after);
}

START_TEST(vrrp_priority_and_vip)
{
	vrrp_case(inst("VI_1", 100, "\"192.168.0.100/24\"", "MASTER", 10),
	          inst("VI_2", 90, "\"192.168.0.110/24\"", "MASTER", 10),
	          inst("VI_1", 150, "\"192.168.0.100/24\"", "MASTER", 99),
	          inst("VI_2", 90, "\"192.168.0.110/24\",\"192.168.0.111/24\"", "MASTER", 99),
	          "instance VI_1: priority 100 -> 150\n"
	          "instance VI_2: virtual_addresses +192.168.0.111/24\n");
}
END_TEST

START_TEST(vrrp_counters_are_no_change)
{
	vrrp_case(inst("VI_1", 100, "\"192.168.0.100/24\"", "MASTER", 1), NULL,
	          inst("VI_1", 100, "\"192.168.0.100/24\"", "MASTER", 5000), NULL, "");
}
END_TEST

START_TEST(vrrp_added_removed_state)
{
	vrrp_case(inst("VI_1", 100, "\"192.168.0.100/24\"", "BACKUP", 1),
	          inst("VI_OLD", 50, "\"10.0.0.1/8\"", "MASTER", 1),
	          inst("VI_NEW", 80, "\"10.0.0.2/8\",\"10.0.0.3/8\"", "INIT", 1),
	          inst("VI_1", 100, "\"192.168.0.100/24\"", "MASTER", 1),
	          "instance VI_NEW: added (interface eth0, vrid 51, priority 80, "
	          "virtual_addresses 10.0.0.2/8,10.0.0.3/8)\n"
	          "instance VI_1: state BACKUP -> MASTER\n"
	          "instance VI_OLD: removed (interface eth0, vrid 51, priority 50, virtual_addresses 10.0.0.1/8)\n");
}
END_TEST

START_TEST(vrrp_json_fields)
{
	char *before = vrrp_doc(inst("VI_1", 100, "\"a\",\"b\"", "MASTER", 1), NULL);
	char *after = vrrp_doc(inst("VI_1", 101, "\"b\",\"a\"", "MASTER", 1), NULL);
	struct json_object *b = J(before), *a = J(after), *d = status_diff("halo-vrrpd", b, a), *c, *f;
	char *l;

	ck_assert_uint_eq(json_object_array_length(d), 1);
	c = json_object_array_get_idx(d, 0);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "object")), "instance");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "name")), "VI_1");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "change")), "changed");
	f = json_object_object_get(c, "fields");
	ck_assert_uint_eq(json_object_array_length(f), 2);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(json_object_array_get_idx(f, 0), "field")),
	                 "priority");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(json_object_array_get_idx(f, 0), "old")), 100);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(json_object_array_get_idx(f, 0), "new")), 101);
	l = status_diff_text(c);   /* a reordering has no +/-: old -> new */
	ck_assert_str_eq(l, "instance VI_1: priority 100 -> 101, virtual_addresses a,b -> b,a");
	free(l);
	json_object_put(d);
	json_object_put(b);
	json_object_put(a);
	free(before);
	free(after);
}
END_TEST

START_TEST(vrrp_groups_and_scripts)
{
	ASSERT_LINES("halo-vrrpd",
	             "{\"instances\":[],\"sync_groups\":[{\"name\":\"G1\",\"state\":\"MASTER\",\"instances\":[\"A\"]}],"
	             "\"track_scripts\":[{\"name\":\"chk\",\"up\":true,\"runs\":1},{\"name\":\"gone\",\"up\":true}]}",
	             "{\"instances\":[],\"sync_groups\":[{\"name\":\"G1\",\"state\":\"MASTER\",\"instances\":[\"A\",\"B\"]}],"
	             "\"track_scripts\":[{\"name\":\"chk\",\"up\":true,\"runs\":7}]}",
	             "sync group G1: instances +B\n"
	             "track script gone: removed\n");
}
END_TEST

#define RS(vs, rs, w, check, up, lat)                                                                   \
	"{\"vs\":\"" vs "\",\"rs\":\"" rs "\",\"up\":" up ",\"weight\":" #w ",\"check\":\"" check          \
	"\",\"target\":\"http://x/\",\"latency_ms\":" #lat ",\"checks\":" #lat "}"

START_TEST(checker_real_servers)
{
	ASSERT_LINES("halo-checker",
	             "{\"real_servers\":[" RS("[VIP]:tcp:80", "[A]:tcp:80", 1, "http", "true", 1.5) ","
	             RS("[VIP]:tcp:80", "[B]:tcp:80", 1, "http", "true", 2) ","
	             RS("[OLD]:tcp:80", "[A]:tcp:80", 1, "tcp", "true", 2) "]}",
	             "{\"real_servers\":[" RS("[VIP]:tcp:80", "[A]:tcp:80", 3, "tcp", "true", 9.5) ","
	             RS("[VIP]:tcp:80", "[C]:tcp:80", 1, "http", "false", 2) ","
	             RS("[NEW]:tcp:443", "[A]:tcp:443", 1, "tcp", "true", 2) ","
	             RS("[NEW]:tcp:443", "[B]:tcp:443", 1, "tcp", "true", 2) "]}",
	             "real server [A]:tcp:80 of [VIP]:tcp:80: weight 1 -> 3, check http -> tcp\n"
	             "real server [C]:tcp:80 of [VIP]:tcp:80: added (weight 1, check http)\n"
	             "real server [B]:tcp:80 of [VIP]:tcp:80: removed (weight 1, check http)\n"
	             "virtual server [NEW]:tcp:443: added (real_servers 2)\n"
	             "virtual server [OLD]:tcp:80: removed (real_servers 1)\n");
}
END_TEST

START_TEST(checker_unchanged)
{
	ASSERT_LINES("halo-checker",
	             "{\"reloads\":0,\"real_servers\":[" RS("[VIP]:tcp:80", "[A]:tcp:80", 1, "http", "true", 1) "]}",
	             "{\"reloads\":1,\"real_servers\":[" RS("[VIP]:tcp:80", "[A]:tcp:80", 1, "http", "true", 7) "]}",
	             "");
}
END_TEST

#define SD(kd) "\"sync_daemon\":{\"enabled\":true,\"follow_instance\":\"VI_1\",\"vrrpd_connected\":true," \
	"\"kernel_daemons\":[" kd "]}"

START_TEST(ipvs_services_and_sync_daemon)
{
	ASSERT_LINES("halo-ipvs-sync",
	             "{\"virtual_servers\":[{\"vs\":\"V1\",\"scheduler\":\"rr\",\"persistent\":false,\"conns\":4,"
	             "\"real_servers\":[{\"rs\":\"R1\",\"forwarding\":\"dr\",\"weight\":1,\"active_conns\":3}]}],"
	             SD("{\"state\":\"backup\",\"interface\":\"eth0\",\"sync_id\":51}") ",\"drained\":[]}",
	             "{\"virtual_servers\":[{\"vs\":\"V1\",\"scheduler\":\"wlc\",\"persistent\":false,\"conns\":9,"
	             "\"real_servers\":[{\"rs\":\"R1\",\"forwarding\":\"dr\",\"weight\":0,\"active_conns\":0},"
	             "{\"rs\":\"R2\",\"forwarding\":\"nat\",\"weight\":2}]}],"
	             SD("{\"state\":\"master\",\"interface\":\"eth0\",\"sync_id\":51}") ",\"drained\":[\"R1\"]}",
	             "virtual server V1: scheduler rr -> wlc\n"
	             "real server R1 of V1: weight 1 -> 0\n"
	             "real server R2 of V1: added (forwarding nat, weight 2)\n"
	             "sync daemon: kernel_daemons +master eth0 51 -backup eth0 51\n"
	             "drained: +R1\n");
}
END_TEST

#define IPVS_DOC(reloads) "{\"virtual_servers\":[{\"vs\":\"V1\",\"scheduler\":\"rr\",\"real_servers\":[]}]," \
	SD("") ",\"drained\":[],\"counters\":{\"reloads\":" #reloads "}}"

START_TEST(ipvs_unchanged)
{
	ASSERT_LINES("halo-ipvs-sync", IPVS_DOC(0), IPVS_DOC(1), "");
}
END_TEST

START_TEST(daemon_started_stopped)
{
	char *l = lines("halo-checker", NULL, J("{\"real_servers\":[]}"));

	ck_assert_str_eq(l, "halo-checker now answers\n");
	free(l);
	l = lines("halo-checker", J("{\"real_servers\":[]}"), NULL);
	ck_assert_str_eq(l, "halo-checker stopped answering\n");
	free(l);
	l = lines("halo-checker", NULL, NULL);
	ck_assert_str_eq(l, "");
	free(l);
}
END_TEST

START_TEST(malformed_replies)
{
	/* wrong types where lists belong and elements without a name: no change, no crash */
	ASSERT_LINES("halo-vrrpd", "{\"instances\":{}}", "{\"instances\":[1,{\"state\":\"MASTER\"}]}", "");
	ASSERT_LINES("halo-checker", "{\"real_servers\":\"x\"}", "{\"real_servers\":[{\"vs\":3}]}", "");
	ASSERT_LINES("halo-ipvs-sync", "[]", "{\"sync_daemon\":[]}", "");
	ASSERT_LINES("halo-unknown", "{}", "{\"x\":1}", "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ctl_diff");
	TCase *t = tcase_create("diff");

	tcase_add_test(t, vrrp_priority_and_vip);
	tcase_add_test(t, vrrp_counters_are_no_change);
	tcase_add_test(t, vrrp_added_removed_state);
	tcase_add_test(t, vrrp_json_fields);
	tcase_add_test(t, vrrp_groups_and_scripts);
	tcase_add_test(t, checker_real_servers);
	tcase_add_test(t, checker_unchanged);
	tcase_add_test(t, ipvs_services_and_sync_daemon);
	tcase_add_test(t, ipvs_unchanged);
	tcase_add_test(t, daemon_started_stopped);
	tcase_add_test(t, malformed_replies);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
