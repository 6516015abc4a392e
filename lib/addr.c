/* Address parsing and formatting; pure, no I/O. */
#include "addr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

int halo_addr_parse(const char *s, struct halo_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->v6) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return -1;
}

int halo_prefix_parse(const char *s, struct halo_addr *a, uint8_t *plen)
{
	char buf[HALO_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long v;
	char *end;

	if (n >= HALO_ADDRSTRLEN)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (halo_addr_parse(buf, a) < 0)
		return -1;
	if (!slash) {
		*plen = a->family == AF_INET ? 32 : 128;
		return 0;
	}
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	v = strtoul(slash + 1, &end, 10);
	if (*end || v > (a->family == AF_INET ? 32u : 128u))
		return -1;
	*plen = (uint8_t)v;
	return 0;
}

const char *halo_addr_str(const struct halo_addr *a, char buf[HALO_ADDRSTRLEN])
{
	if (!a->family || !inet_ntop(a->family, a->bytes, buf, HALO_ADDRSTRLEN))
		strcpy(buf, "?");
	return buf;
}

size_t halo_addr_len(const struct halo_addr *a)
{
	return a->family == AF_INET ? 4 : a->family == AF_INET6 ? 16 : 0;
}

int halo_addr_cmp(const struct halo_addr *a, const struct halo_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, halo_addr_len(a));
}

bool halo_addr_eq(const struct halo_addr *a, const struct halo_addr *b)
{
	return halo_addr_cmp(a, b) == 0;
}

bool halo_addr_is_linklocal6(const struct halo_addr *a)
{
	return a->family == AF_INET6 && a->v6.s6_addr[0] == 0xfe && (a->v6.s6_addr[1] & 0xc0) == 0x80;
}
