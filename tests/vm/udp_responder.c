/* halo-test-udp: a UDP real server for guest tests (busybox has no UDP server):
 *   halo-test-udp ADDR PORT dns       answers every DNS query with NOERROR and
 *                                     one record of the asked type (AAAA
 *                                     2001:db8::1, A 192.0.2.1, else empty data)
 *   halo-test-udp ADDR PORT reverse   sends each datagram back reversed
 * Test code only: it is not installed. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* RFC 1035 4.1: header, the question copied, one answer pointing at it. */
static size_t dns_answer(const unsigned char *q, size_t n, unsigned char *r, size_t cap)
{
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const unsigned char v4[4] = { 192, 0, 2, 1 };
	size_t i = 12, len;
	unsigned type;

	if (n < 12 + 5)
		return 0;
	while (i < n && q[i])              /* QNAME labels */
		i += 1u + q[i];
	if (i + 5 > n)
		return 0;
	type = (unsigned)q[i + 1] << 8 | q[i + 2];
	len = i + 5;                       /* header + question */
	if (len + 12 + 16 > cap)
		return 0;
	memcpy(r, q, len);
	r[2] = 0x81;                       /* QR, RD */
	r[3] = 0x80;                       /* RA, RCODE 0 */
	r[4] = 0, r[5] = 1;                /* QDCOUNT */
	r[6] = 0, r[7] = 1;                /* ANCOUNT */
	memset(r + 8, 0, 4);               /* NSCOUNT, ARCOUNT */
	unsigned char *a = r + len;
	const unsigned char *data = type == 28 ? v6 : type == 1 ? v4 : NULL;
	size_t dl = type == 28 ? 16 : type == 1 ? 4 : 0;
	a[0] = 0xc0, a[1] = 12;            /* name: pointer to the question */
	a[2] = (unsigned char)(type >> 8), a[3] = (unsigned char)type;
	a[4] = 0, a[5] = 1;                /* IN */
	a[6] = 0, a[7] = 0, a[8] = 0, a[9] = 60;
	a[10] = 0, a[11] = (unsigned char)dl;
	if (dl)
		memcpy(a + 12, data, dl);
	return len + 12 + dl;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	unsigned char q[1500], r[1600];
	int fd, dns;

	if (argc != 4 || (strcmp(argv[3], "dns") && strcmp(argv[3], "reverse"))) {
		fprintf(stderr, "usage: halo-test-udp ADDR PORT dns|reverse\n");
		return 2;
	}
	dns = !strcmp(argv[3], "dns");
	if (inet_pton(AF_INET, argv[1], &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)atoi(argv[2]));
	} else if (inet_pton(AF_INET6, argv[1], &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)atoi(argv[2]));
	} else {
		fprintf(stderr, "halo-test-udp: bad address %s\n", argv[1]);
		return 2;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sizeof(ss)) < 0) {
		perror("halo-test-udp: bind");
		return 1;
	}
	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
		size_t m = 0;

		if (n < 0)
			continue;
		if (dns) {
			m = dns_answer(q, (size_t)n, r, sizeof(r));
		} else {
			for (ssize_t i = 0; i < n; i++)
				r[i] = q[n - 1 - i];
			m = (size_t)n;
		}
		if (m)
			sendto(fd, r, m, 0, (struct sockaddr *)&from, fl);
	}
}
