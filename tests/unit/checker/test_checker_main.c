/* Runs the checker core's unit tests: health hysteresis and HTTP evaluation. */
#include <stdlib.h>

#include "test_checker.h"

int main(void)
{
	Suite *s = suite_create("checker");
	SRunner *sr;
	int failed;

	suite_add_tcase(s, tcase_health());
	suite_add_tcase(s, tcase_http_eval());
	suite_add_tcase(s, tcase_http_wire());
	suite_add_tcase(s, tcase_probe_msg());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
