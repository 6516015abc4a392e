/* DNS, SMTP and ICMP echo message building and checking for the probes; pure
 * byte work with no sockets, clocks or globals. */
#include "probe_msg.h"

#include <string.h>

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 1035 3.1: labels of 1..63 octets, whole name at most 255 octets. */
static int dns_name_put(uint8_t *buf, size_t len, const char *name)
{
	size_t off = 0;
	const char *p = name;

	while (*p && !(p[0] == '.' && p[1] == '\0')) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		if (l == 0 || l > 63 || off + l + 2 > len || off + l + 2 > 255)
			return -1;
		buf[off++] = (uint8_t)l;
		memcpy(buf + off, p, l);
		off += l;
		p += l + (dot ? 1 : 0);
	}
	if (off + 1 > len)
		return -1;
	buf[off++] = 0;
	return (int)off;
}

int dns_query_build(uint8_t *buf, size_t len, uint16_t id, const char *name, uint16_t type)
{
	int n;

	if (len < 12 + 1 + 4)
		return -1;
	memset(buf, 0, 12);
	put16(buf, id);
	buf[2] = 0x01;                /* RFC 1035 4.1.1: QR=0, OPCODE=0, RD=1 */
	put16(buf + 4, 1);            /* QDCOUNT */
	n = dns_name_put(buf + 12, len - 12 - 4, name);
	if (n < 0)
		return -1;
	put16(buf + 12 + n, type);
	put16(buf + 12 + n + 2, 1);   /* QCLASS IN */
	return 12 + n + 4;
}

int dns_reply_check(const uint8_t *buf, size_t len, uint16_t id, enum health_reason *why, int *rcode)
{
	*rcode = 0;
	if (len < 12 || get16(buf) != id || !(buf[2] & 0x80) || (buf[2] & 0x78) != 0) {
		*why = HEALTH_R_BAD_RESPONSE;   /* not a reply to our standard query */
		return -1;
	}
	*rcode = buf[3] & 0x0f;
	if (*rcode != 0) {
		*why = HEALTH_R_STATUS;
		return -1;
	}
	if (get16(buf + 6) == 0) {          /* ANCOUNT */
		*why = HEALTH_R_EXPECT_MISMATCH;
		return -1;
	}
	return 0;
}

int smtp_reply_code(const char *buf, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		const char *l = buf + start;
		if (buf[i] != '\n')
			continue;
		if (i - start < 3 || l[0] < '2' || l[0] > '5' || l[1] < '0' || l[1] > '9' ||
		    l[2] < '0' || l[2] > '9')
			return -1;
		if (i - start == 3 || l[3] == ' ' || l[3] == '\r')
			return (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
		if (l[3] != '-')
			return -1;
		start = i + 1;
	}
	return 0;
}

uint16_t inet_cksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t icmp_echo_build(uint8_t *buf, size_t len, bool v6, uint16_t id, uint16_t seq)
{
	static const char payload[] = "halo-checker";
	size_t n = 8 + sizeof(payload) - 1;

	if (len < n)
		return 0;
	memset(buf, 0, 8);
	buf[0] = v6 ? 128 : 8;        /* RFC 4443 4.1 / RFC 792 echo request */
	put16(buf + 4, id);
	put16(buf + 6, seq);
	memcpy(buf + 8, payload, sizeof(payload) - 1);
	if (!v6)
		put16(buf + 2, inet_cksum(buf, n));
	return n;
}

int icmp_echo_reply_parse(const uint8_t *buf, size_t len, bool v6, bool ip_header,
                          uint16_t *id, uint16_t *seq)
{
	if (!v6 && ip_header) {
		size_t ihl;
		if (len < 20)
			return -1;
		ihl = (size_t)(buf[0] & 0x0f) * 4;
		if (ihl < 20 || len < ihl)
			return -1;
		buf += ihl;
		len -= ihl;
	}
	if (len < 8 || buf[0] != (v6 ? 129 : 0) || buf[1] != 0)
		return -1;
	if (!v6 && inet_cksum(buf, len) != 0)
		return -1;
	*id = get16(buf + 4);
	*seq = get16(buf + 6);
	return 0;
}
