/* libFuzzer harness for the IPVS generic netlink reply parsers: the input is
 * a buffer of netlink messages as recv() hands it over; each message that
 * passes mnl_nlmsg_ok goes to every parser, and what parsed must carry
 * NUL-terminated names. Test code only. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "ipvs_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse_all(const struct nlmsghdr *nlh)
{
	struct ipvs_service svc, key;
	struct ipvs_dest dst;
	struct ipvs_daemon dmn;
	struct ipvs_timeouts to;
	const char *err;
	uint16_t family;

	(void)ipvs_msg_cmd(nlh);
	(void)ipvs_msg_parse_family(nlh, &family, &err);
	memset(&svc, 0, sizeof(svc));
	if (ipvs_msg_parse_service(nlh, &svc, &err) == 0 &&
	    (!memchr(svc.sched_name, 0, sizeof(svc.sched_name)) || !memchr(svc.pe_name, 0, sizeof(svc.pe_name))))
		abort();
	memset(&key, 0, sizeof(key));
	(void)ipvs_msg_parse_dest(nlh, &dst, &key, &err);
	(void)ipvs_msg_parse_dest(nlh, &dst, NULL, &err);
	memset(&dmn, 0, sizeof(dmn));
	if (ipvs_msg_parse_daemon(nlh, &dmn, &err) == 0 && !memchr(dmn.mcast_ifn, 0, sizeof(dmn.mcast_ifn)))
		abort();
	(void)ipvs_msg_parse_timeouts(nlh, &to, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t buf[65536 / 4];      /* netlink buffers are 4-byte aligned */
	const struct nlmsghdr *nlh;
	int len;

	if (size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	len = (int)size;
	/* libmnl 1.0.4's mnl_nlmsg_ok compares (int)nlmsg_len <= len, so a
	 * length of 2 GiB or more passes (crashes/fuzz_ipvs_msg/); the unsigned
	 * check is what a careful reader adds */
	for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len) && nlh->nlmsg_len <= (unsigned)len;
	     nlh = mnl_nlmsg_next(nlh, &len))
		parse_all(nlh);
	return 0;
}
