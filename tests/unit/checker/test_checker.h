/* Test cases of the checker core, one TCase per module. */
#ifndef TEST_CHECKER_H
#define TEST_CHECKER_H
#include <check.h>
TCase *tcase_health(void);
TCase *tcase_http_eval(void);
TCase *tcase_http_wire(void);
TCase *tcase_probe_msg(void);
#endif
