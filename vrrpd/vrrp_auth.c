/* SHA-256 (FIPS 180-4), HMAC (RFC 2104), the advert trailer and the replay
 * window; no I/O, no clock, no randomness here. */
#include <string.h>
#include <sys/socket.h>

#include "vrrp_auth.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

struct sha256 {
	uint32_t h[8];
	uint8_t buf[64];
	size_t fill;
	uint64_t total;
};

static uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha_block(struct sha256 *s, const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		       w[i - 7] + (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10));
	a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3];
	e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
	for (int i = 0; i < 64; i++) {
		t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
	s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static void sha_init(struct sha256 *s)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                                0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(s->h, iv, sizeof(iv));
	s->fill = 0;
	s->total = 0;
}

static void sha_update(struct sha256 *s, const uint8_t *p, size_t len)
{
	s->total += len;
	while (len) {
		size_t take = 64 - s->fill < len ? 64 - s->fill : len;
		memcpy(s->buf + s->fill, p, take);
		s->fill += take;
		p += take;
		len -= take;
		if (s->fill == 64) {
			sha_block(s, s->buf);
			s->fill = 0;
		}
	}
}

static void sha_final(struct sha256 *s, uint8_t out[VRRP_SHA256_LEN])
{
	uint64_t bits = s->total * 8;
	uint8_t pad = 0x80, zero = 0, len[8];

	sha_update(s, &pad, 1);
	while (s->fill != 56)
		sha_update(s, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (56 - 8 * i));
	sha_update(s, len, 8);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(s->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)s->h[i];
	}
}

void vrrp_sha256(const uint8_t *msg, size_t len, uint8_t out[VRRP_SHA256_LEN])
{
	struct sha256 s;

	sha_init(&s);
	sha_update(&s, msg, len);
	sha_final(&s, out);
}

/* RFC 2104 2: H(K ^ opad, H(K ^ ipad, text)); keys longer than the block
 * are hashed first. */
void vrrp_hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *const *parts,
                      const size_t *lens, size_t n_parts, uint8_t out[VRRP_SHA256_LEN])
{
	uint8_t k[64] = { 0 }, pad[64], inner[VRRP_SHA256_LEN];
	struct sha256 s;

	if (key_len > 64)
		vrrp_sha256(key, key_len, k);
	else
		memcpy(k, key, key_len);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sha_init(&s);
	sha_update(&s, pad, 64);
	for (size_t i = 0; i < n_parts; i++)
		sha_update(&s, parts[i], lens[i]);
	sha_final(&s, inner);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	sha_init(&s);
	sha_update(&s, pad, 64);
	sha_update(&s, inner, sizeof(inner));
	sha_final(&s, out);
}

static void auth_tag(const uint8_t trailer[VRRP_AUTH_TRAILER], const uint8_t *key, size_t key_len,
                     const struct halo_addr *src, const struct halo_addr *dst,
                     const uint8_t *msg, size_t msg_len, uint8_t out[VRRP_SHA256_LEN])
{
	const uint8_t *parts[4] = { src->bytes, dst->bytes, msg, trailer };
	size_t lens[4] = { halo_addr_len(src), halo_addr_len(dst), msg_len, 12 };

	vrrp_hmac_sha256(key, key_len, parts, lens, 4, out);
}

void vrrp_auth_sign(uint8_t trailer[VRRP_AUTH_TRAILER], uint8_t key_id, const uint8_t *key,
                    size_t key_len, uint64_t seq, const struct halo_addr *src,
                    const struct halo_addr *dst, const uint8_t *msg, size_t msg_len)
{
	uint8_t tag[VRRP_SHA256_LEN];

	memset(trailer, 0, VRRP_AUTH_TRAILER);
	trailer[0] = VRRP_AUTH_MAGIC;
	trailer[1] = key_id;
	for (int i = 0; i < 8; i++)
		trailer[4 + i] = (uint8_t)(seq >> (56 - 8 * i));
	auth_tag(trailer, key, key_len, src, dst, msg, msg_len, tag);
	memcpy(trailer + 12, tag, VRRP_HMAC_TAG_LEN);
}

bool vrrp_auth_verify(const uint8_t trailer[VRRP_AUTH_TRAILER], const uint8_t *key, size_t key_len,
                      const struct halo_addr *src, const struct halo_addr *dst,
                      const uint8_t *msg, size_t msg_len)
{
	uint8_t tag[VRRP_SHA256_LEN], diff = 0;

	if (trailer[0] != VRRP_AUTH_MAGIC)
		return false;
	auth_tag(trailer, key, key_len, src, dst, msg, msg_len, tag);
	for (int i = 0; i < VRRP_HMAC_TAG_LEN; i++)
		diff |= tag[i] ^ trailer[12 + i];
	return diff == 0;
}

uint8_t vrrp_auth_key_id(const uint8_t trailer[VRRP_AUTH_TRAILER])
{
	return trailer[1];
}

uint64_t vrrp_auth_seq(const uint8_t trailer[VRRP_AUTH_TRAILER])
{
	uint64_t seq = 0;

	for (int i = 0; i < 8; i++)
		seq = seq << 8 | trailer[4 + i];
	return seq;
}

bool vrrp_replay_check(struct vrrp_replay *w, uint64_t seq)
{
	uint64_t back;

	if (seq == 0)
		return false;
	if (seq > w->top) {
		uint64_t shift = seq - w->top;
		w->bitmap = shift >= 64 ? 1 : (w->bitmap << shift) | 1;
		w->top = seq;
		return true;
	}
	back = w->top - seq;
	if (back >= 64 || (w->bitmap >> back) & 1)
		return false;
	w->bitmap |= 1ULL << back;
	return true;
}

size_t vrrp_auth_strip(uint8_t *buf, size_t len, int family, uint8_t trailer[VRRP_AUTH_TRAILER],
                       const uint8_t **msg, size_t *msg_len)
{
	size_t off = 0, alen = family == AF_INET ? 4 : 16, vlen, tot = len;

	*msg = NULL;
	*msg_len = 0;
	if (family == AF_INET) {
		if (len < 20)
			return len;
		off = (size_t)(buf[0] & 0x0f) * 4;
		tot = (size_t)buf[2] << 8 | buf[3];
		if (tot > len)
			return len;
	}
	if (tot < off + 8)
		return len;
	vlen = 8 + buf[off + 3] * alen + ((buf[off] >> 4) == 2 ? 8 : 0);
	if (tot != off + vlen + VRRP_AUTH_TRAILER || buf[off + vlen] != VRRP_AUTH_MAGIC)
		return len;
	memcpy(trailer, buf + off + vlen, VRRP_AUTH_TRAILER);
	*msg = buf + off;
	*msg_len = vlen;
	if (family == AF_INET) {
		tot -= VRRP_AUTH_TRAILER;
		buf[2] = (uint8_t)(tot >> 8);
		buf[3] = (uint8_t)tot;
	}
	return tot;
}
