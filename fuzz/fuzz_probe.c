/* libFuzzer harness for the checker's small wire parsers: DNS replies,
 * SMTP reply codes and ICMP/ICMPv6 echo replies, all on the same bytes.
 * Test code only. Input: bytes 0-1 = DNS query id, the rest = the reply. */
#include <stdint.h>
#include <stdlib.h>

#include "probe_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum health_reason why;
	int rcode = 0, code;
	uint16_t id, seq;

	if (size < 2)
		return 0;
	id = (uint16_t)(data[0] << 8 | data[1]);
	data += 2;
	size -= 2;
	(void)dns_reply_check(data, size, id, &why, &rcode);
	code = smtp_reply_code((const char *)data, size);
	/* RFC 5321 4.2: a reply code is three digits, 2yz..5yz */
	if (code > 0 && (code < 200 || code > 599))
		abort();
	for (int v6 = 0; v6 < 2; v6++)
		for (int hdr = 0; hdr < 2; hdr++)
			(void)icmp_echo_reply_parse(data, size, v6, hdr, &id, &seq);
	(void)inet_cksum(data, size);
	return 0;
}
