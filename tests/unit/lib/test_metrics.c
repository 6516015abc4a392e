/* OpenMetrics rendering of the daemons' status: families, labels, escaping,
 * missing daemons. With an argument, also writes a full sample there for the
 * independent parser check (test_metrics_parse.py). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

static const char *vrrp_json =
	"{\"v\":1,\"type\":\"status\",\"instances\":[{\"name\":\"VI_1\",\"state\":\"MASTER\",\"vrid\":51,"
	"\"interface\":\"eth0\",\"priority\":100,\"transitions\":2,\"adverts_sent\":10,\"adverts_received\":3,"
	"\"drops\":{\"ttl\":1,\"checksum\":0}}],\"interfaces\":[{\"name\":\"eth0\",\"family\":\"ipv4\","
	"\"drops\":{\"vrid\":4}}]}";
static const char *checker_json =
	"{\"v\":1,\"type\":\"status\",\"real_servers\":[{\"vs\":\"[192.168.0.100]:tcp:80\","
	"\"rs\":\"[10.0.0.2]:tcp:80\",\"up\":true,\"weight\":1,\"latency_ms\":1.5,\"checks\":7,\"failures\":1},"
	"{\"vs\":\"we\\\"ird\\\\\",\"rs\":\"x\",\"up\":false,\"weight\":0,\"latency_ms\":0,\"checks\":1,\"failures\":1}]}";
static const char *ipvs_json =
	"{\"v\":1,\"type\":\"status\",\"virtual_servers\":[{\"vs\":\"[192.168.0.100]:tcp:80\",\"conns\":5,"
	"\"real_servers\":[{\"rs\":\"[10.0.0.2]:tcp:80\",\"weight\":1,\"active_conns\":2,\"inactive_conns\":1,"
	"\"conns\":5,\"in_bytes\":100,\"out_bytes\":2000}]}],\"sync_daemon\":{\"kernel_daemons\":"
	"[{\"state\":\"master\",\"interface\":\"eth0\",\"sync_id\":51}]},\"counters\":{\"ops_sent\":3,\"ops_failed\":0}}";

static char *render(const char *v, const char *c, const char *i)
{
	struct json_object *a = v ? json_tokener_parse(v) : NULL, *b = c ? json_tokener_parse(c) : NULL,
	                   *d = i ? json_tokener_parse(i) : NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	metrics_render(a, b, d, f);
	fclose(f);
	json_object_put(a);
	json_object_put(b);
	json_object_put(d);
	return text;
}

#define HAS(t, s) ck_assert_msg(strstr((t), (s)) != NULL, "missing: %s", (s))

START_TEST(test_all_daemons)
{
	char *t = render(vrrp_json, checker_json, ipvs_json);

	HAS(t, "halo_up{daemon=\"halo-vrrpd\"} 1\n");
	HAS(t, "halo_vrrp_instance_state{instance=\"VI_1\",halo_vrrp_instance_state=\"MASTER\"} 1\n");
	HAS(t, "halo_vrrp_instance_state{instance=\"VI_1\",halo_vrrp_instance_state=\"BACKUP\"} 0\n");
	HAS(t, "halo_vrrp_instance_priority{instance=\"VI_1\",vrid=\"51\",interface=\"eth0\"} 100\n");
	HAS(t, "halo_vrrp_transitions_total{instance=\"VI_1\"} 2\n");
	HAS(t, "halo_vrrp_drops_total{instance=\"VI_1\",reason=\"ttl\"} 1\n");
	HAS(t, "halo_vrrp_drops_total{interface=\"eth0\",family=\"ipv4\",reason=\"vrid\"} 4\n");
	HAS(t, "halo_real_server_up{vs=\"[192.168.0.100]:tcp:80\",rs=\"[10.0.0.2]:tcp:80\"} 1\n");
	HAS(t, "halo_check_latency_seconds{vs=\"[192.168.0.100]:tcp:80\",rs=\"[10.0.0.2]:tcp:80\"} 0.001500\n");
	HAS(t, "halo_real_server_up{vs=\"we\\\"ird\\\\\",rs=\"x\"} 0\n");
	HAS(t, "halo_ipvs_destination_active_connections{vs=\"[192.168.0.100]:tcp:80\",rs=\"[10.0.0.2]:tcp:80\"} 2\n");
	HAS(t, "halo_ipvs_destination_out_bytes_total{vs=\"[192.168.0.100]:tcp:80\",rs=\"[10.0.0.2]:tcp:80\"} 2000\n");
	HAS(t, "halo_ipvs_sync_daemon{state=\"master\",interface=\"eth0\",sync_id=\"51\"} 1\n");
	ck_assert_str_eq(t + strlen(t) - 6, "# EOF\n");
	free(t);
}
END_TEST

START_TEST(test_missing_daemons)
{
	char *t = render(NULL, NULL, NULL);

	HAS(t, "halo_up{daemon=\"halo-vrrpd\"} 0\n");
	HAS(t, "halo_up{daemon=\"halo-ipvs-sync\"} 0\n");
	ck_assert(strstr(t, "halo_vrrp_instance_state") == NULL);
	free(t);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int failed;

	if (argc > 1) {
		char *t = render(vrrp_json, checker_json, ipvs_json);
		FILE *f = fopen(argv[1], "w");
		if (!f)
			return 2;
		fputs(t, f);
		fclose(f);
		free(t);
		return 0;
	}
	s = suite_create("metrics");
	tc = tcase_create("render");
	tcase_add_test(tc, test_all_daemons);
	tcase_add_test(tc, test_missing_daemons);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
