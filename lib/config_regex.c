/* Size guard in front of regcomp(): see config_regex.h. The walk follows
 * glibc's ERE grammar closely enough to bound what its parser builds:
 * every atom costs 1, a group costs what it holds, x+ is expanded to xx*,
 * x{m,n} to n copies of x (m copies and a star for x{m,}), and a
 * repetition multiplies the cost of the atom it follows. Sums saturate just
 * above the limit, so no overflow is possible. */
#include "config_regex.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct rx_seq {
	uint64_t total;   /* cost of this group so far */
	uint64_t last;    /* cost of the last atom (what a repetition applies to) */
};

static uint64_t sat(uint64_t v)
{
	return v > REGEX_MAX_NODES + 1 ? REGEX_MAX_NODES + 1 : v;
}

static void add_atom(struct rx_seq *s, uint64_t cost)
{
	s->last = sat(cost);
	s->total = sat(s->total + s->last);
}

static void repeat(struct rx_seq *s, uint64_t factor)
{
	if (factor < 1)
		factor = 1;
	s->total = sat(s->total + sat(s->last * factor) - s->last);
	s->last = sat(s->last * factor);
}

/* Length of a bracket expression starting at p ('['), up to and including
 * its ']'; the rest of the pattern when it has none (regcomp reports it). */
static size_t bracket_len(const char *p)
{
	size_t i = 1;

	if (p[i] == '^')
		i++;
	if (p[i] == ']')
		i++;
	while (p[i] && p[i] != ']') {
		if (p[i] == '[' && (p[i + 1] == ':' || p[i + 1] == '=' || p[i + 1] == '.')) {
			char kind = p[i + 1];
			size_t j = i + 2;

			while (p[j] && !(p[j] == kind && p[j + 1] == ']'))
				j++;
			if (!p[j])
				return j;
			i = j + 2;
			continue;
		}
		i++;
	}
	return p[i] ? i + 1 : i;
}

/* Reads decimal digits at p[*i] into *v (-1 when there are none),
 * saturating at 1,000,000. */
static void digits(const char *p, size_t *i, long *v)
{
	*v = -1;
	for (; p[*i] >= '0' && p[*i] <= '9'; (*i)++) {
		long d = (*v < 0 ? 0 : *v) * 10 + (p[*i] - '0');

		*v = d > 1000000 ? 1000000 : d;
	}
}

/* Parses "{m}", "{m,}", "{,n}" or "{m,n}" at p. Returns its length with
 * lo and hi set (hi = -1 for no upper bound), or 0 when it is not an
 * interval (glibc then takes '{' literally). */
static size_t interval(const char *p, long *lo, long *hi)
{
	size_t i = 1;
	long m, n;

	digits(p, &i, &m);
	if (p[i] == '}') {
		if (m < 0)
			return 0;
		*lo = *hi = m;
		return i + 1;
	}
	if (p[i] != ',')
		return 0;
	i++;
	digits(p, &i, &n);
	if (p[i] != '}' || (m < 0 && n < 0))
		return 0;
	*lo = m < 0 ? 0 : m;
	*hi = n;
	return i + 1;
}

int regex_guard(const char *pattern, char *err, size_t errlen)
{
	struct rx_seq st[REGEX_MAX_DEPTH + 1];
	size_t depth = 0, len = strlen(pattern);
	const char *p = pattern;

	if (len > REGEX_MAX_LEN) {
		snprintf(err, errlen, "regular expression longer than %d bytes", REGEX_MAX_LEN);
		return -1;
	}
	memset(st, 0, sizeof(st));
	while (*p) {
		long lo, hi;
		size_t n;

		switch (*p) {
		case '\\':
			if (p[1] >= '1' && p[1] <= '9') {
				snprintf(err, errlen, "back-reference \\%c: not a POSIX extended regular expression",
					 p[1]);
				return -1;
			}
			add_atom(&st[depth], 1);
			p += p[1] ? 2 : 1;
			continue;
		case '[':
			add_atom(&st[depth], 1);
			p += bracket_len(p);
			continue;
		case '(':
			if (depth == REGEX_MAX_DEPTH) {
				snprintf(err, errlen, "regular expression nests groups deeper than %d",
					 REGEX_MAX_DEPTH);
				return -1;
			}
			st[++depth] = (struct rx_seq){ 0, 0 };
			break;
		case ')':
			if (depth == 0) {
				add_atom(&st[0], 1);
				break;
			}
			depth--;
			add_atom(&st[depth], st[depth + 1].total + 1);
			break;
		case '|':
			st[depth].last = 0;
			break;
		case '*':
		case '?':
			st[depth].total = sat(st[depth].total + 1);
			break;
		case '+':
			repeat(&st[depth], 2);
			break;
		case '{':
			n = interval(p, &lo, &hi);
			if (!n) {
				add_atom(&st[depth], 1);
				break;
			}
			if (lo > REGEX_MAX_DUP || hi > REGEX_MAX_DUP) {
				snprintf(err, errlen, "repetition bound above %d in regular expression",
					 REGEX_MAX_DUP);
				return -1;
			}
			repeat(&st[depth], (uint64_t)(hi < 0 ? lo + 1 : hi));
			p += n;
			continue;
		default:
			add_atom(&st[depth], 1);
			break;
		}
		p++;
	}
	/* unclosed groups: their cost still counts (regcomp reports the error) */
	while (depth > 0) {
		depth--;
		add_atom(&st[depth], st[depth + 1].total + 1);
	}
	if (st[0].total > REGEX_MAX_NODES) {
		snprintf(err, errlen, "regular expression expands past %d nodes (nested or large repetitions)",
			 REGEX_MAX_NODES);
		return -1;
	}
	return 0;
}

int regex_compile(regex_t *re, const char *pattern, int extra_flags, char *err, size_t errlen)
{
	int rc;

	if (regex_guard(pattern, err, errlen) < 0)
		return -1;
	rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB | extra_flags);
	if (rc) {
		regerror(rc, re, err, errlen);
		return -1;
	}
	return 0;
}
