/* The message catalogue: versions, types and required fields checked. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

static int ev(const char *producer, const char *text, const char **err)
{
	struct json_object *o = json_tokener_parse(text);
	int rc = halo_msg_check_event(producer, o, strlen(text), err);

	json_object_put(o);
	return rc;
}

START_TEST(test_good_events)
{
	const char *err = NULL;

	ck_assert_int_eq(ev("halo-checker", "{\"v\":1,\"type\":\"rs\",\"vs\":\"[192.168.0.100]:tcp:80\","
	                 "\"rs\":\"[10.0.0.2]:tcp:80\",\"up\":true,\"weight\":1,\"extra\":0}", &err), 0);
	ck_assert_int_eq(ev("halo-vrrpd", "{\"v\":1,\"type\":\"instance\",\"instance\":{\"name\":\"VI_1\","
	                 "\"state\":\"MASTER\",\"priority\":100,\"vrid\":51}}", &err), 0);
	ck_assert_int_eq(ev("halo-vrrpd", "{\"v\":1,\"type\":\"snapshot\",\"instances\":[]}", &err), 0);
}
END_TEST

START_TEST(test_bad_events)
{
	const char *err = NULL;

	ck_assert_int_eq(ev("halo-checker", "{\"v\":2,\"type\":\"rs\"}", &err), -1);
	ck_assert_str_eq(err, "missing or unsupported version");
	ck_assert_int_eq(ev("halo-checker", "{\"v\":1,\"type\":\"instance\"}", &err), -1);
	ck_assert_str_eq(err, "unknown type");
	ck_assert_int_eq(ev("halo-checker", "{\"v\":1,\"type\":\"rs\",\"vs\":\"x\",\"rs\":\"y\",\"up\":1,\"weight\":1}", &err), -1);
	ck_assert_str_eq(err, "missing or mistyped field up");
	ck_assert_int_eq(ev("halo-vrrpd", "{\"v\":1,\"type\":\"snapshot\",\"instances\":[{\"name\":\"VI_1\"}]}", &err), -1);
	ck_assert_str_eq(err, "missing or mistyped field state");
	ck_assert_int_eq(ev("halo-vrrpd", "[1,2]", &err), -1);
	ck_assert_str_eq(err, "not a JSON object");
	ck_assert_int_eq(halo_msg_check_event("halo-vrrpd", NULL, HALO_MSG_MAX_LINE + 1, &err), -1);
	ck_assert_str_eq(err, "message too long");
}
END_TEST

START_TEST(test_requests)
{
	const char *err = NULL;
	struct json_object *o = json_tokener_parse("{\"cmd\":\"failover\",\"name\":\"VI_1\"}");

	ck_assert_int_eq(halo_msg_check_request(o, 10, &err), 0);
	json_object_put(o);
	o = json_tokener_parse("{\"cmd\":\"failover\"}");
	ck_assert_int_eq(halo_msg_check_request(o, 10, &err), -1);
	ck_assert_str_eq(err, "missing or mistyped field name");
	json_object_put(o);
	o = json_tokener_parse("{\"cmd\":\"rm -rf\"}");
	ck_assert_int_eq(halo_msg_check_request(o, 10, &err), -1);
	ck_assert_str_eq(err, "unknown command");
	json_object_put(o);
	o = halo_msg_new("reconcile");
	json_object_object_add(o, "ops", json_object_new_int(3));
	ck_assert_int_eq(halo_msg_check_event("halo-ipvs-sync", o, 10, &err), 0);
	json_object_put(o);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("catalogue");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_good_events);
	tcase_add_test(tc, test_bad_events);
	tcase_add_test(tc, test_requests);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
