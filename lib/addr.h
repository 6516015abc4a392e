/* IPv4/IPv6 address values: parse, format, compare. Pure. */
#ifndef HALO_ADDR_H
#define HALO_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct halo_addr {
	int family;                     /* AF_INET, AF_INET6, or 0 = unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

#define HALO_ADDRSTRLEN 46

/* "192.0.2.1" or "2001:db8::1"; 0 on success. */
int  halo_addr_parse(const char *s, struct halo_addr *a);
/* "192.0.2.1/24"; without a prefix, *plen gets the full length. */
int  halo_prefix_parse(const char *s, struct halo_addr *a, uint8_t *plen);
const char *halo_addr_str(const struct halo_addr *a, char buf[HALO_ADDRSTRLEN]);
size_t halo_addr_len(const struct halo_addr *a);          /* 4, 16 or 0 */
int  halo_addr_cmp(const struct halo_addr *a, const struct halo_addr *b); /* memcmp order, family first */
bool halo_addr_eq(const struct halo_addr *a, const struct halo_addr *b);
bool halo_addr_is_linklocal6(const struct halo_addr *a);

#endif
